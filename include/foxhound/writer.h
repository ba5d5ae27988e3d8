/*
 * Result writers: rows of a schema, batch by batch, to a FILE* as an aligned table for a
 * terminal, as JSON lines, or as CSV. The library writes only to the FILE* it is given.
 *
 * Every format prints a value the way fh_value_to_string does (datetimes ISO 8601 with "Z",
 * timespans as Kusto prints them), except that JSON keeps numbers, bools, nulls and dynamic
 * values as JSON. A writer is used in order: create, begin, write_batch any number of times,
 * end, destroy.
 */
#ifndef FOXHOUND_WRITER_H
#define FOXHOUND_WRITER_H

#include <stdint.h>
#include <stdio.h>

#include "foxhound/error.h"
#include "foxhound/table.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum fh_output_format {
    /*
     * Aligned columns for a terminal: a header, a dashed rule, then one line per row. Control
     * characters (C0, DEL and C1) print as escapes such as "\n", "\x1b" and "\u009b", and
     * invalid UTF-8 bytes as "\xff", so that log values cannot drive the terminal. Numbers are
     * right-aligned and nulls are blank.
     */
    FH_OUTPUT_TABLE = 0,
    /* JSON lines (RFC 8259): one object per row, keys in column order, nulls as null. */
    FH_OUTPUT_JSON,
    /*
     * CSV (RFC 4180): a header row, CRLF line ends, fields quoted when they contain a comma, a
     * quote, CR or LF. A string or dynamic cell that starts with =, +, -, @, TAB or CR gets a
     * leading ' so that spreadsheets do not run it as a formula.
     */
    FH_OUTPUT_CSV,
} fh_output_format;

typedef struct fh_writer_options {
    /* Table only: cells wider than this many characters end in "…"; 0 keeps cells whole. */
    size_t max_cell_width;
    /* Table only: rows held to measure column widths before printing; 0 means
     * FH_WRITER_MEASURE_ROWS. Later rows use the measured widths and may overflow them. */
    size_t measure_rows;
} fh_writer_options;

typedef struct fh_writer fh_writer;

/* Makes a writer for out, which the caller keeps open until fh_writer_destroy. options may be
 * NULL for the defaults. */
fh_status fh_writer_create(FILE *out, fh_output_format format, const fh_writer_options *options,
                           fh_writer **writer, fh_error *err);

/* Starts the output for a schema, which must stay valid until fh_writer_end. CSV writes its
 * header here. */
fh_status fh_writer_begin(fh_writer *writer, const fh_schema *schema, fh_error *err);

/* Writes every row of a batch whose schema has the columns given to fh_writer_begin. */
fh_status fh_writer_write_batch(fh_writer *writer, const fh_batch *batch, fh_error *err);

/* Writes what is still held (a table's measured rows) and flushes out. */
fh_status fh_writer_end(fh_writer *writer, fh_error *err);

/* Returns the number of rows written so far. */
uint64_t fh_writer_row_count(const fh_writer *writer);

/* Frees a writer without closing its FILE*. Accepts NULL. */
void fh_writer_destroy(fh_writer *writer);

/* Parses a format name: "table", "json" or "csv". Returns FH_ERR_USAGE for any other. */
fh_status fh_output_format_from_name(const char *name, fh_output_format *format);

#ifdef __cplusplus
}
#endif

#endif
