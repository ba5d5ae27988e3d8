/*
 * What the indicator database's source files share: the handle, SQLite error reporting and
 * the WHERE clause that every query builds from an fh_ioc_filter.
 */
#ifndef FOXHOUND_IOC_STORE_INTERNAL_H
#define FOXHOUND_IOC_STORE_INTERNAL_H

#include <sqlite3.h>

#include "foxhound/ioc_store.h"

struct fh_ioc_store {
    sqlite3 *db;
    char *path;
    bool readonly;
};

/* Fills err with FH_ERR_DB, the database path, what failed and SQLite's message. */
fh_status ioc_store_db_error(const fh_ioc_store *store, fh_error *err, const char *what);

/* Prepares one statement, reporting a failure through err. */
fh_status ioc_store_prepare(fh_ioc_store *store, const char *sql, sqlite3_stmt **stmt,
                            fh_error *err);

/* Longest WHERE clause ioc_store_filter_sql writes. */
#define IOC_STORE_WHERE_MAX 1024

/*
 * Writes " WHERE ..." for filter (or "" when it keeps everything) into buf. The clause refers
 * to the indicator table as "i" and to the named parameters that ioc_store_filter_bind sets.
 */
fh_status ioc_store_filter_sql(const fh_ioc_filter *filter, char *buf, size_t size, fh_error *err);

/* Binds the parameters of a statement built with ioc_store_filter_sql. */
fh_status ioc_store_filter_bind(fh_ioc_store *store, sqlite3_stmt *stmt,
                                const fh_ioc_filter *filter, fh_error *err);

/* Returns a malloc'd copy of a text column, NULL for SQL NULL, or sets *nomem. */
char *ioc_store_column_strdup(sqlite3_stmt *stmt, int col, bool *nomem);

/* Reads an integer column that may be NULL, giving fallback for NULL. */
int64_t ioc_store_column_int64(sqlite3_stmt *stmt, int col, int64_t fallback);

#endif
