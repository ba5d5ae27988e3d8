/*
 * Fuzz target for CEF lines. Each input is parsed twice, once decoding every
 * CommonSecurityLog column and once decoding every other column, and the columns decoded in
 * both runs must hold the same values: decoding fewer columns never changes a result. The
 * input sits in a buffer of exactly its size, so that a read past the end trips the sanitizer.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "foxhound/limits.h"
#include "foxhound/table.h"
#include "read/cef_reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void reset_row(const fh_schema *schema, fh_value *row)
{
    for (size_t i = 0; i < schema->ncols; i++)
        row[i] = fh_value_null(schema->cols[i].type);
}

static bool same_value(const fh_value *a, const fh_value *b)
{
    if (a->type != b->type || a->is_null != b->is_null)
        return false;
    if (a->is_null)
        return true;
    switch ((fh_type)a->type) {
    case FH_TYPE_STRING:
        return a->u.s.len == b->u.s.len && memcmp(a->u.s.ptr, b->u.s.ptr, a->u.s.len) == 0;
    case FH_TYPE_INT:
        return a->u.i == b->u.i;
    case FH_TYPE_LONG:
        return a->u.l == b->u.l;
    case FH_TYPE_REAL:
        return memcmp(&a->u.r, &b->u.r, sizeof a->u.r) == 0;
    case FH_TYPE_DATETIME:
        return a->u.ticks == b->u.ticks;
    default:
        return false;
    }
}

static void check_row(const fh_schema *schema, const fh_value *row, size_t input_size)
{
    for (size_t i = 0; i < schema->ncols; i++) {
        if (row[i].type != schema->cols[i].type)
            abort();
        if (row[i].type == FH_TYPE_STRING && row[i].u.s.len > input_size + 32)
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FH_MAX_LINE_BYTES)
        return 0;
    const fh_schema *schema = fh_schema_builtin("CommonSecurityLog");
    char *line = malloc(size ? size : 1);
    fh_value *full = calloc(schema->ncols, sizeof *full);
    fh_value *part = calloc(schema->ncols, sizeof *part);
    bool *wanted = calloc(schema->ncols, sizeof *wanted);
    fh_arena arena;
    fh_arena_init(&arena);
    if (line == NULL || full == NULL || part == NULL || wanted == NULL)
        goto done;
    memcpy(line, data, size);
    for (size_t i = 0; i < schema->ncols; i += 2)
        wanted[i] = true;

    fh_error err;
    reset_row(schema, full);
    fh_status st = cef_reader_parse_line(line, size, NULL, full, &arena, &err);
    bool is_cef = cef_reader_is_cef(line, size);
    if (st != FH_OK && st != FH_ERR_PARSE && st != FH_ERR_LIMIT)
        abort();
    if (st == FH_OK && !is_cef)
        abort();
    if (st != FH_OK)
        goto done;
    check_row(schema, full, size);

    reset_row(schema, part);
    if (cef_reader_parse_line(line, size, wanted, part, &arena, &err) != FH_OK)
        abort();
    for (size_t i = 0; i < schema->ncols; i++) {
        if (wanted[i] && !same_value(&full[i], &part[i]))
            abort();
    }

done:
    fh_arena_destroy(&arena);
    free(wanted);
    free(part);
    free(full);
    free(line);
    return 0;
}
