/*
 * Times cef_reader_parse_line over every line of a file with every CommonSecurityLog column
 * decoded, the way a query that reads all columns would. The file is read into memory first,
 * so the time covers parsing only. Prints lines, records parsed, lines rejected, seconds and
 * MB/s (1 MB = 10^6 bytes).
 *
 * Usage: cef_bench FILE
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "foxhound/limits.h"
#include "foxhound/table.h"
#include "read/cef_reader.h"

static char *read_whole(const char *path, size_t *len)
{
    FILE *file = fopen(path, "rb");
    if (file == NULL)
        return NULL;
    char *data = NULL;
    if (fseek(file, 0, SEEK_END) == 0) {
        long size = ftell(file);
        if (size >= 0 && fseek(file, 0, SEEK_SET) == 0) {
            data = malloc((size_t)size + 1);
            if (data != NULL && fread(data, 1, (size_t)size, file) != (size_t)size) {
                free(data);
                data = NULL;
            }
            *len = (size_t)size;
        }
    }
    fclose(file);
    return data;
}

static double seconds_now(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: cef_bench FILE\n");
        return 2;
    }
    size_t len = 0;
    char *data = read_whole(argv[1], &len);
    if (data == NULL) {
        fprintf(stderr, "cef_bench: failed to read %s: %s\n", argv[1], strerror(errno));
        return 1;
    }

    const fh_schema *schema = fh_schema_builtin("CommonSecurityLog");
    fh_value *row = calloc(schema->ncols, sizeof *row);
    fh_value *null_row = calloc(schema->ncols, sizeof *null_row);
    for (size_t i = 0; i < schema->ncols; i++)
        null_row[i] = fh_value_null(schema->cols[i].type);
    fh_arena arena;
    fh_arena_init(&arena);
    unsigned long lines = 0, parsed = 0, rejected = 0;

    double start = seconds_now();
    const char *pos = data;
    const char *end = data + len;
    while (pos < end) {
        const char *newline = memchr(pos, '\n', (size_t)(end - pos));
        size_t line_len = newline != NULL ? (size_t)(newline - pos) : (size_t)(end - pos);
        memcpy(row, null_row, schema->ncols * sizeof *row);
        fh_error err;
        if (cef_reader_parse_line(pos, line_len, NULL, row, &arena, &err) == FH_OK)
            parsed++;
        else
            rejected++;
        if (++lines % FH_BATCH_ROWS == 0)
            fh_arena_reset(&arena);
        pos += line_len + 1;
    }
    double elapsed = seconds_now() - start;

    printf("lines %lu parsed %lu rejected %lu seconds %.3f MB/s %.1f\n", lines, parsed, rejected,
           elapsed, (double)len / 1e6 / elapsed);
    fh_arena_destroy(&arena);
    free(null_row);
    free(row);
    free(data);
    return 0;
}
