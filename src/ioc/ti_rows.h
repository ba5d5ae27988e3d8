/*
 * Shared by the two Sentinel indicator tables over the database (ti_table.c and
 * ti_stix_table.c): a database cursor read into batches of rows, one row per indicator.
 */
#ifndef FOXHOUND_TI_ROWS_H
#define FOXHOUND_TI_ROWS_H

#include <stdbool.h>

#include "foxhound/ioc_store.h"

/* Fills one row (already null) from a stored indicator; false when memory runs out. */
typedef bool (*ti_rows_fill)(fh_batch *batch, fh_value *row, const fh_ioc_record *record);

typedef struct ti_rows {
    fh_ioc_cursor *cursor;
    bool done;
    const char *table; /* table name for error messages */
} ti_rows;

/* Starts a query over the store for a table's rows. */
fh_status ti_rows_open(ti_rows *rows, fh_ioc_store *store, const fh_ioc_filter *filter,
                       const char *table, fh_error *err);
void ti_rows_close(ti_rows *rows);

/* Clears batch and fills it with up to FH_BATCH_ROWS rows; FH_DONE when none remain. */
fh_status ti_rows_next(ti_rows *rows, fh_batch *batch, ti_rows_fill fill, fh_error *err);

/* Copies text into the batch arena and stores it in a string cell; NULL or "" leaves "". */
bool ti_rows_set_string(fh_batch *batch, fh_value *row, int col, const char *text);

#endif
