/*
 * Times the log reader API (fh_reader_open, fh_reader_next) over one file, the way a query
 * that reads every column and cannot be prefiltered would: format and table detected from
 * the content, every column decoded unless --columns names some. Prints rows, skipped
 * records, bytes, seconds and MB/s (1 MB = 10^6 bytes) as one line of key=value pairs.
 *
 * Usage: read_bench [--columns A,B,...] FILE
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "foxhound/reader.h"

#define MAX_BENCH_COLUMNS 64

static double seconds_now(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

/* Splits a comma-separated list in place; returns the number of names. */
static size_t split_columns(char *list, const char **names, size_t max)
{
    size_t count = 0;
    for (char *name = strtok(list, ","); name != NULL && count < max; name = strtok(NULL, ","))
        names[count++] = name;
    return count;
}

int main(int argc, char **argv)
{
    const char *columns[MAX_BENCH_COLUMNS];
    fh_read_options options = {0};
    int arg = 1;
    if (argc == 4 && strcmp(argv[1], "--columns") == 0) {
        options.ncolumns = split_columns(argv[2], columns, MAX_BENCH_COLUMNS);
        options.columns = columns;
        arg = 3;
    }
    if (arg != argc - 1) {
        fprintf(stderr, "usage: read_bench [--columns A,B,...] FILE\n");
        return 2;
    }

    fh_error err;
    fh_reader *reader = NULL;
    fh_batch batch;
    int exit_code = 1;
    double start = seconds_now();
    if (fh_reader_open(argv[arg], &options, &reader, &err) != FH_OK)
        goto fail;
    if (fh_batch_init(&batch, fh_reader_schema(reader), &err) != FH_OK)
        goto fail;

    fh_status status;
    while ((status = fh_reader_next(reader, &batch, &err)) == FH_OK)
        ;
    fh_batch_destroy(&batch);
    if (status != FH_DONE)
        goto fail;

    double elapsed = seconds_now() - start;
    const fh_read_stats *stats = fh_reader_stats(reader);
    printf("table=%s rows=%llu skipped=%llu bytes=%llu seconds=%.3f mb_per_s=%.1f\n",
           fh_reader_schema(reader)->name, (unsigned long long)stats->rows_loaded,
           (unsigned long long)stats->rows_skipped, (unsigned long long)stats->bytes, elapsed,
           (double)stats->bytes / 1e6 / elapsed);
    exit_code = 0;
    goto done;

fail : {
    char message[512];
    fh_error_format(&err, message, sizeof message);
    fprintf(stderr, "read_bench: %s\n", message);
}
done:
    fh_reader_close(reader);
    return exit_code;
}
