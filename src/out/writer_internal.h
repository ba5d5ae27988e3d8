/*
 * State shared by the result writer's files: writer.c (the API, JSON lines and CSV) and
 * writer_table.c (aligned tables).
 */
#ifndef FOXHOUND_WRITER_INTERNAL_H
#define FOXHOUND_WRITER_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "core/strbuf.h"
#include "foxhound/writer.h"

struct fh_writer {
    FILE *out;
    fh_output_format format;
    fh_writer_options options;
    const fh_schema *schema; /* set by begin, not owned */
    bool begun;
    bool ended;
    uint64_t rows;
    fh_strbuf line; /* the output line being built */
    fh_strbuf cell; /* scratch for one cell's text */

    /* Table format: rows held until the column widths are known. */
    fh_strbuf held_text;  /* sanitised cell texts, back to back */
    size_t *held_offsets; /* per held cell: start in held_text; one extra entry at the end */
    size_t held_rows;
    size_t held_offset_cap;
    size_t *widths;    /* per column, in characters */
    bool widths_fixed; /* the header is out and widths no longer change */
};

/* Writes the line buffer to the output and empties it. */
fh_status writer_flush_line(fh_writer *w, fh_error *err);

/* Table format steps, called by the API functions in writer.c. */
fh_status writer_table_begin(fh_writer *w, fh_error *err);
fh_status writer_table_row(fh_writer *w, const fh_value *cells, fh_error *err);
fh_status writer_table_end(fh_writer *w, fh_error *err);
void writer_table_free(fh_writer *w);

#endif
