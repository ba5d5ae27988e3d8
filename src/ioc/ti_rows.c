/* The database cursor to batch loop shared by the Sentinel indicator tables. */
#include <string.h>

#include "foxhound/limits.h"
#include "ioc/ti_rows.h"

fh_status ti_rows_open(ti_rows *rows, fh_ioc_store *store, const fh_ioc_filter *filter,
                       const char *table, fh_error *err)
{
    memset(rows, 0, sizeof *rows);
    rows->table = table;
    return fh_ioc_store_query(store, filter, &rows->cursor, err);
}

void ti_rows_close(ti_rows *rows)
{
    fh_ioc_cursor_close(rows->cursor);
    rows->cursor = NULL;
}

fh_status ti_rows_next(ti_rows *rows, fh_batch *batch, ti_rows_fill fill, fh_error *err)
{
    fh_batch_clear(batch);
    while (!rows->done && batch->nrows < FH_BATCH_ROWS) {
        const fh_ioc_record *record = NULL;
        fh_status st = fh_ioc_cursor_next(rows->cursor, &record, err);
        if (st == FH_DONE) {
            rows->done = true;
            break;
        }
        if (st != FH_OK)
            return st;

        fh_value *row = NULL;
        st = fh_batch_append(batch, &row, err);
        if (st != FH_OK)
            return st;
        if (!fill(batch, row, record))
            return fh_error_set(err, FH_ERR_NOMEM, NULL, 0, 0, "out of memory filling %s rows",
                                rows->table);
    }
    return batch->nrows > 0 ? FH_OK : FH_DONE;
}

bool ti_rows_set_string(fh_batch *batch, fh_value *row, int col, const char *text)
{
    if (text == NULL || text[0] == '\0')
        return true;
    size_t len = strlen(text);
    char *copy = fh_arena_strndup(&batch->arena, text, len);
    if (copy == NULL)
        return false;
    row[col] = fh_value_string(copy, len);
    return true;
}
