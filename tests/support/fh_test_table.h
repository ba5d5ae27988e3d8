/*
 * A helper for reader tests: reads every row of a log file or buffer into memory, so that a
 * test can look cells up by row and column name.
 */
#ifndef FH_TEST_TABLE_H
#define FH_TEST_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "foxhound/arena.h"
#include "foxhound/reader.h"

typedef struct fh_test_table {
    fh_reader *reader; /* still open, for its schema, detection and stats */
    fh_value *cells;   /* nrows * ncols, copied into arena */
    uint64_t *lines;
    size_t nrows;
    fh_arena arena;
    fh_status status; /* FH_DONE after a complete read, else the error */
    fh_error err;
} fh_test_table;

/* Opens path (or data, when data is not NULL) and reads all rows. Returns the open status. */
fh_status fh_test_table_read(fh_test_table *t, const char *path, const void *data, size_t len,
                             const fh_read_options *options);

/* Returns the cell of a row by column name; fails the test when the column is missing. */
const fh_value *fh_test_cell(const fh_test_table *t, size_t row, const char *column);

/* Returns a cell as text (fh_value_to_string), NUL-terminated, in the table's arena. */
const char *fh_test_text(fh_test_table *t, size_t row, const char *column);

void fh_test_table_free(fh_test_table *t);

/* Asserts that two readers' statistics are equal, skip reasons and their lines included. */
void fh_test_assert_stats_equal(const fh_read_stats *a, const fh_read_stats *b);

#endif
