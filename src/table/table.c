/* Schemas made at run time, and the row batch that readers fill and operators consume. */
#include <stdlib.h>
#include <string.h>

#include "foxhound/limits.h"
#include "foxhound/table.h"

long fh_schema_find(const fh_schema *schema, const char *name, size_t len)
{
    for (size_t i = 0; i < schema->ncols; i++) {
        const char *col = schema->cols[i].name;
        if (strlen(col) == len && memcmp(col, name, len) == 0)
            return (long)i;
    }
    return -1;
}

fh_status fh_schema_create(const char *name, const fh_column *cols, size_t ncols,
                           fh_schema **out, fh_error *err)
{
    *out = NULL;
    if (ncols > FH_MAX_COLUMNS)
        return fh_error_set(err, FH_ERR_LIMIT, NULL, 0, 0,
                            "a table may have at most %d columns, this one has %zu",
                            FH_MAX_COLUMNS, ncols);

    fh_schema *schema = calloc(1, sizeof *schema);
    if (schema == NULL)
        goto nomem;
    schema->owned = true;
    schema->name = strdup(name ? name : "");
    schema->cols = calloc(ncols ? ncols : 1, sizeof *schema->cols);
    if (schema->name == NULL || schema->cols == NULL)
        goto nomem;
    for (size_t i = 0; i < ncols; i++) {
        schema->cols[i].type = cols[i].type;
        schema->cols[i].name = strdup(cols[i].name);
        if (schema->cols[i].name == NULL)
            goto nomem;
        schema->ncols = i + 1;
    }
    *out = schema;
    return FH_OK;

nomem:
    fh_schema_destroy(schema);
    return fh_error_set(err, FH_ERR_NOMEM, NULL, 0, 0, "out of memory creating a schema");
}

void fh_schema_destroy(fh_schema *schema)
{
    if (schema == NULL || !schema->owned)
        return;
    for (size_t i = 0; i < schema->ncols; i++)
        free((char *)schema->cols[i].name);
    free(schema->cols);
    free((char *)schema->name);
    free(schema);
}

fh_status fh_batch_init(fh_batch *batch, const fh_schema *schema, fh_error *err)
{
    memset(batch, 0, sizeof *batch);
    batch->schema = schema;
    fh_arena_init(&batch->arena);
    return FH_OK;
}

void fh_batch_clear(fh_batch *batch)
{
    batch->nrows = 0;
    batch->null_row_schema = NULL; /* a schema freed and reallocated may reuse the address */
    fh_arena_reset(&batch->arena);
}

void fh_batch_destroy(fh_batch *batch)
{
    if (batch == NULL)
        return;
    free(batch->cells);
    free(batch->line_numbers);
    free(batch->file_index);
    free(batch->null_row);
    fh_arena_destroy(&batch->arena);
    memset(batch, 0, sizeof *batch);
}

static fh_status batch_grow(fh_batch *batch, fh_error *err)
{
    size_t ncols = batch->schema->ncols ? batch->schema->ncols : 1;
    size_t cap = batch->cap ? batch->cap * 2 : 64;
    fh_value *cells = realloc(batch->cells, cap * ncols * sizeof *cells);
    if (cells == NULL)
        return fh_error_set(err, FH_ERR_NOMEM, NULL, 0, 0, "out of memory growing a batch");
    batch->cells = cells;

    uint64_t *lines = realloc(batch->line_numbers, cap * sizeof *lines);
    if (lines == NULL)
        return fh_error_set(err, FH_ERR_NOMEM, NULL, 0, 0, "out of memory growing a batch");
    batch->line_numbers = lines;

    uint32_t *files = realloc(batch->file_index, cap * sizeof *files);
    if (files == NULL)
        return fh_error_set(err, FH_ERR_NOMEM, NULL, 0, 0, "out of memory growing a batch");
    batch->file_index = files;

    batch->cap = cap;
    return FH_OK;
}

/*
 * Builds the row of nulls that appends copy, and resizes the cells for the schema's column
 * count. Runs on the first append and whenever a caller points the batch at another schema.
 */
static fh_status adopt_schema(fh_batch *batch, fh_error *err)
{
    const fh_schema *schema = batch->schema;
    size_t ncols = schema->ncols ? schema->ncols : 1;
    if (batch->cap > 0) {
        fh_value *cells = realloc(batch->cells, batch->cap * ncols * sizeof *cells);
        if (cells == NULL)
            return fh_error_set(err, FH_ERR_NOMEM, NULL, 0, 0, "out of memory growing a batch");
        batch->cells = cells;
    }
    fh_value *row = realloc(batch->null_row, (schema->ncols ? schema->ncols : 1) * sizeof *row);
    if (row == NULL)
        return fh_error_set(err, FH_ERR_NOMEM, NULL, 0, 0, "out of memory growing a batch");
    for (size_t i = 0; i < schema->ncols; i++)
        row[i] = fh_value_null(schema->cols[i].type);
    batch->null_row = row;
    batch->null_row_schema = schema;
    return FH_OK;
}

fh_status fh_batch_append(fh_batch *batch, fh_value **row, fh_error *err)
{
    if (batch->nrows == batch->cap) {
        fh_status st = batch_grow(batch, err);
        if (st != FH_OK)
            return st;
    }
    if (batch->null_row_schema != batch->schema) {
        fh_status st = adopt_schema(batch, err);
        if (st != FH_OK)
            return st;
    }
    const fh_schema *schema = batch->schema;
    fh_value *cells = batch->cells + batch->nrows * schema->ncols;
    memcpy(cells, batch->null_row, schema->ncols * sizeof *cells);
    batch->line_numbers[batch->nrows] = 0;
    batch->file_index[batch->nrows] = 0;
    batch->nrows++;
    *row = cells;
    return FH_OK;
}
