/*
 * Tables: a schema of typed columns, and rows passed in batches from readers to the query
 * engine.
 *
 * A batch holds up to FH_BATCH_ROWS rows, row-major: cell (row, col) is
 * cells[row * ncols + col]. Its strings and dynamic values live in the batch's arena, so a
 * batch is valid until it is cleared or refilled. A batch may be pointed at another schema
 * only while it holds no rows.
 */
#ifndef FOXHOUND_TABLE_H
#define FOXHOUND_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "foxhound/arena.h"
#include "foxhound/error.h"
#include "foxhound/value.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fh_column {
    const char *name;
    fh_type type;
} fh_column;

typedef struct fh_schema {
    const char *name; /* table name, such as "CommonSecurityLog"; may be "" for query results */
    size_t ncols;
    fh_column *cols;
    bool owned;       /* true when made by fh_schema_create and freed by fh_schema_destroy */
} fh_schema;

/* Returns the built-in schema of a Sentinel or Defender table, or NULL when none has the name. */
const fh_schema *fh_schema_builtin(const char *table_name);

/* Returns the built-in schemas in a fixed order, NULL-terminated. */
const fh_schema *const *fh_schema_builtins(void);

/* Returns the index of a column, or -1 when the schema has none of that (case-sensitive) name. */
long fh_schema_find(const fh_schema *schema, const char *name, size_t len);

/* Makes a heap schema with copies of the names. Free it with fh_schema_destroy. */
fh_status fh_schema_create(const char *name, const fh_column *cols, size_t ncols,
                           fh_schema **out, fh_error *err);

/* Frees a schema made by fh_schema_create. Accepts NULL and ignores built-in schemas. */
void fh_schema_destroy(fh_schema *schema);

typedef struct fh_batch {
    const fh_schema *schema; /* not owned */
    size_t nrows;
    size_t cap;              /* rows the cells array has room for */
    fh_value *cells;
    fh_arena arena;
    uint64_t *line_numbers;  /* source line of each row when known, else 0 */
    uint32_t *file_index;    /* which input file each row came from, for reports */
    fh_value *null_row;      /* one row of nulls for the schema, copied by fh_batch_append */
    const fh_schema *null_row_schema;
} fh_batch;

/* Prepares an empty batch for a schema. */
fh_status fh_batch_init(fh_batch *batch, const fh_schema *schema, fh_error *err);

/* Drops all rows and releases their memory for reuse, keeping the schema. */
void fh_batch_clear(fh_batch *batch);

/* Frees a batch's memory. Accepts NULL. */
void fh_batch_destroy(fh_batch *batch);

/*
 * Appends one row whose cells are all null (strings empty) and returns a pointer to its
 * ncols cells through row. The pointer is valid until the next append.
 */
fh_status fh_batch_append(fh_batch *batch, fh_value **row, fh_error *err);

static inline fh_value *fh_batch_row(fh_batch *batch, size_t row)
{
    return batch->cells + row * batch->schema->ncols;
}

#ifdef __cplusplus
}
#endif

#endif
