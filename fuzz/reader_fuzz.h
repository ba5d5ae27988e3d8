/*
 * The body shared by the reader fuzz targets. The first input byte picks the options (strict
 * mode, projection, a forced table, a line filter) and the rest is the file. Every row handed
 * out must be counted as loaded, and plain input must not be counted as more bytes than it has.
 */
#ifndef FOXHOUND_READER_FUZZ_H
#define FOXHOUND_READER_FUZZ_H

#include <stdint.h>
#include <stdlib.h>

#include "foxhound/reader.h"

static bool fuzz_keep_odd_lengths(void *ctx, const char *line, size_t len)
{
    return len % 2 == 1;
}

static void fuzz_reader(const uint8_t *data, size_t size, fh_log_format format,
                        const char *const columns[3], const char *table)
{
    if (size == 0)
        return;
    uint8_t flags = data[0];
    fh_read_options options = {.format = format, .strict = flags & 1};
    if (flags & 2) {
        options.columns = columns;
        options.ncolumns = 3;
    }
    if (flags & 4)
        options.table = table;
    if (flags & 8)
        options.line_filter = fuzz_keep_odd_lengths;

    fh_reader *reader;
    fh_error err;
    if (fh_reader_open_memory("fuzz", data + 1, size - 1, &options, &reader, &err) != FH_OK)
        return;
    fh_batch batch;
    fh_batch_init(&batch, fh_reader_schema(reader), NULL);

    /* After an error the batch still holds the rows finished before it. */
    uint64_t rows = 0;
    fh_status st;
    do {
        st = fh_reader_next(reader, &batch, &err);
        rows += batch.nrows;
    } while (st == FH_OK);

    const fh_read_stats *stats = fh_reader_stats(reader);
    if (rows != stats->rows_loaded)
        abort();
    bool compressed = size >= 2 && (data[1] == 0x1f || data[1] == 0x28);
    if (!compressed && stats->bytes > size - 1)
        abort();
    fh_batch_destroy(&batch);
    fh_reader_close(reader);
}

#endif
