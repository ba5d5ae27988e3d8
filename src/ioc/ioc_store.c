/*
 * The indicator database file: where it lives, opening it, creating and checking its schema,
 * and the query filter that listing, counting and the ThreatIntelligenceIndicator table share.
 *
 * The file is marked with PRAGMA application_id so that foxhound does not write into another
 * program's SQLite file, and with PRAGMA user_version so that a newer schema is detected
 * instead of misread. Times are stored as 100 ns ticks since the Unix epoch; an unknown time
 * or confidence is NULL.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ioc/ioc_store_internal.h"

/* "foxh" in ASCII: the PRAGMA application_id of foxhound indicator databases. */
#define IOC_STORE_APPLICATION_ID 0x666f7868

/* Milliseconds a writer waits for another process's lock before giving up. */
#define IOC_STORE_BUSY_TIMEOUT_MS 5000

static const char schema_sql[] =
    "CREATE TABLE indicator ("
    " id INTEGER PRIMARY KEY,"
    " type TEXT NOT NULL,"
    " value TEXT NOT NULL,"
    " address TEXT,"
    " port INTEGER NOT NULL DEFAULT 0 CHECK (port BETWEEN 0 AND 65535),"
    " prefix_bits INTEGER NOT NULL DEFAULT 0 CHECK (prefix_bits BETWEEN 0 AND 128),"
    " family TEXT,"
    " threat_type TEXT,"
    " confidence INTEGER CHECK (confidence BETWEEN 0 AND 100),"
    " first_seen INTEGER,"
    " last_seen INTEGER,"
    " reference TEXT,"
    " reporter TEXT,"
    " description TEXT,"
    " flag TEXT,"
    " created INTEGER NOT NULL,"
    " modified INTEGER NOT NULL);"
    "CREATE UNIQUE INDEX indicator_type_value ON indicator(type, value);"
    "CREATE INDEX indicator_family ON indicator(family COLLATE NOCASE);"
    "CREATE INDEX indicator_first_seen ON indicator(first_seen);"
    "CREATE TABLE indicator_alias ("
    " indicator_id INTEGER NOT NULL REFERENCES indicator(id) ON DELETE CASCADE,"
    " name TEXT NOT NULL COLLATE NOCASE,"
    " PRIMARY KEY (indicator_id, name)) WITHOUT ROWID;"
    "CREATE INDEX indicator_alias_name ON indicator_alias(name);"
    "CREATE TABLE indicator_tag ("
    " indicator_id INTEGER NOT NULL REFERENCES indicator(id) ON DELETE CASCADE,"
    " tag TEXT NOT NULL COLLATE NOCASE,"
    " PRIMARY KEY (indicator_id, tag)) WITHOUT ROWID;"
    "CREATE TABLE indicator_source ("
    " indicator_id INTEGER NOT NULL REFERENCES indicator(id) ON DELETE CASCADE,"
    " feed TEXT NOT NULL,"
    " source_id TEXT NOT NULL,"
    " UNIQUE (indicator_id, feed, source_id));";

fh_status ioc_store_db_error(const fh_ioc_store *store, fh_error *err, const char *what)
{
    return fh_error_set(err, FH_ERR_DB, store->path, 0, 0, "%s failed: %s", what,
                        sqlite3_errmsg(store->db));
}

fh_status ioc_store_prepare(fh_ioc_store *store, const char *sql, sqlite3_stmt **stmt,
                            fh_error *err)
{
    if (sqlite3_prepare_v2(store->db, sql, -1, stmt, NULL) != SQLITE_OK)
        return ioc_store_db_error(store, err, "preparing a query");
    return FH_OK;
}

char *ioc_store_column_strdup(sqlite3_stmt *stmt, int col, bool *nomem)
{
    const unsigned char *text = sqlite3_column_text(stmt, col);
    if (text == NULL)
        return NULL;
    char *copy = strdup((const char *)text);
    if (copy == NULL)
        *nomem = true;
    return copy;
}

int64_t ioc_store_column_int64(sqlite3_stmt *stmt, int col, int64_t fallback)
{
    if (sqlite3_column_type(stmt, col) == SQLITE_NULL)
        return fallback;
    return sqlite3_column_int64(stmt, col);
}

static fh_status join_path(const char *base, const char *rest, char **out, fh_error *err)
{
    size_t len = strlen(base) + strlen(rest) + 1;
    *out = malloc(len);
    if (*out == NULL)
        return fh_error_set(err, FH_ERR_NOMEM, NULL, 0, 0, "out of memory building a path");
    snprintf(*out, len, "%s%s", base, rest);
    return FH_OK;
}

fh_status fh_ioc_store_default_path(char **out, bool *is_default, fh_error *err)
{
    *out = NULL;
    if (is_default != NULL)
        *is_default = true;

    const char *explicit_path = getenv("FOXHOUND_DB");
    if (explicit_path != NULL && explicit_path[0] != '\0') {
        if (is_default != NULL)
            *is_default = false;
        return join_path(explicit_path, "", out, err);
    }

    /* The XDG Base Directory specification ignores a relative XDG_DATA_HOME. */
    const char *data_home = getenv("XDG_DATA_HOME");
    if (data_home != NULL && data_home[0] == '/')
        return join_path(data_home, "/foxhound/indicators.db", out, err);

    const char *home = getenv("HOME");
    if (home != NULL && home[0] != '\0')
        return join_path(home, "/.local/share/foxhound/indicators.db", out, err);

    return fh_error_set(err, FH_ERR_NOT_FOUND, NULL, 0, 0,
                        "no indicator database path: HOME and XDG_DATA_HOME are not set; "
                        "give one with --db PATH or FOXHOUND_DB");
}

/* Creates every missing folder above path, like mkdir -p on its dirname. */
static fh_status make_parent_dirs(const char *path, fh_error *err)
{
    char *copy = strdup(path);
    if (copy == NULL)
        return fh_error_set(err, FH_ERR_NOMEM, NULL, 0, 0, "out of memory building a path");

    fh_status st = FH_OK;
    for (char *slash = strchr(copy + 1, '/'); slash != NULL; slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        if (mkdir(copy, 0700) != 0 && errno != EEXIST) {
            st = fh_error_set(err, FH_ERR_IO, copy, 0, 0,
                              "cannot create the indicator database folder: %s", strerror(errno));
            break;
        }
        *slash = '/';
    }
    free(copy);
    return st;
}

/* Runs a PRAGMA that returns one integer. */
static fh_status read_pragma(fh_ioc_store *store, const char *sql, int64_t *value, fh_error *err)
{
    sqlite3_stmt *stmt = NULL;
    fh_status st = ioc_store_prepare(store, sql, &stmt, err);
    if (st != FH_OK)
        goto done;
    if (sqlite3_step(stmt) != SQLITE_ROW) {
        st = ioc_store_db_error(store, err, "reading the schema version");
        goto done;
    }
    *value = sqlite3_column_int64(stmt, 0);

done:
    sqlite3_finalize(stmt);
    return st;
}

static fh_status exec_sql(fh_ioc_store *store, const char *sql, const char *what, fh_error *err)
{
    if (sqlite3_exec(store->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return ioc_store_db_error(store, err, what);
    return FH_OK;
}

static fh_status create_schema(fh_ioc_store *store, fh_error *err)
{
    char pragmas[128];
    snprintf(pragmas, sizeof pragmas, "PRAGMA application_id = %d; PRAGMA user_version = %d;",
             IOC_STORE_APPLICATION_ID, FH_IOC_STORE_SCHEMA_VERSION);

    fh_status st = exec_sql(store, "BEGIN IMMEDIATE", "starting the schema transaction", err);
    if (st != FH_OK)
        return st;
    st = exec_sql(store, schema_sql, "creating the schema", err);
    if (st == FH_OK)
        st = exec_sql(store, pragmas, "marking the schema version", err);
    if (st == FH_OK)
        st = exec_sql(store, "COMMIT", "committing the schema", err);
    if (st != FH_OK)
        sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
    return st;
}

/* Accepts a foxhound database of a known version, and creates the schema in an empty file. */
static fh_status check_schema(fh_ioc_store *store, fh_error *err)
{
    int64_t version = 0, app_id = 0, ntables = 0;
    fh_status st = read_pragma(store, "PRAGMA user_version", &version, err);
    if (st == FH_OK)
        st = read_pragma(store, "PRAGMA application_id", &app_id, err);
    if (st == FH_OK)
        st = read_pragma(store, "SELECT count(*) FROM sqlite_master", &ntables, err);
    if (st != FH_OK)
        return st;

    if (app_id == 0 && ntables == 0) {
        if (store->readonly)
            return fh_error_set(err, FH_ERR_DB, store->path, 0, 0,
                                "the indicator database is empty; import indicators first "
                                "with 'foxhound ioc import FILE'");
        return create_schema(store, err);
    }
    if (app_id != IOC_STORE_APPLICATION_ID)
        return fh_error_set(err, FH_ERR_DB, store->path, 0, 0,
                            "not a foxhound indicator database (an SQLite file of another "
                            "program); give another path with --db");
    if (version > FH_IOC_STORE_SCHEMA_VERSION)
        return fh_error_set(err, FH_ERR_DB, store->path, 0, 0,
                            "indicator database schema version %lld is newer than the "
                            "version %d this foxhound reads; upgrade foxhound",
                            (long long)version, FH_IOC_STORE_SCHEMA_VERSION);
    return FH_OK;
}

static fh_status open_connection(fh_ioc_store *store, fh_error *err)
{
    int oflags =
        store->readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    if (store->readonly && access(store->path, F_OK) != 0)
        return fh_error_set(err, FH_ERR_NOT_FOUND, store->path, 0, 0,
                            "indicator database not found; import indicators first with "
                            "'foxhound ioc import FILE' or give --db PATH");

    if (sqlite3_open_v2(store->path, &store->db, oflags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        if (store->db == NULL)
            return fh_error_set(err, FH_ERR_NOMEM, store->path, 0, 0,
                                "out of memory opening the indicator database");
        return ioc_store_db_error(store, err, "opening the indicator database");
    }
    sqlite3_extended_result_codes(store->db, 1);
    sqlite3_busy_timeout(store->db, IOC_STORE_BUSY_TIMEOUT_MS);
    return exec_sql(store, "PRAGMA foreign_keys = ON", "enabling foreign keys", err);
}

fh_status fh_ioc_store_open(const char *path, unsigned flags, fh_ioc_store **out, fh_error *err)
{
    *out = NULL;
    fh_status st = FH_OK;
    fh_ioc_store *store = calloc(1, sizeof *store);
    if (store == NULL || (store->path = strdup(path)) == NULL) {
        st = fh_error_set(err, FH_ERR_NOMEM, path, 0, 0,
                          "out of memory opening the indicator database");
        goto fail;
    }
    store->readonly = (flags & FH_IOC_STORE_READONLY) != 0;

    if (!store->readonly && (flags & FH_IOC_STORE_MKDIRS) != 0) {
        st = make_parent_dirs(path, err);
        if (st != FH_OK)
            goto fail;
    }
    st = open_connection(store, err);
    if (st != FH_OK)
        goto fail;
    st = check_schema(store, err);
    if (st != FH_OK)
        goto fail;

    *out = store;
    return FH_OK;

fail:
    fh_ioc_store_close(store);
    return st;
}

void fh_ioc_store_close(fh_ioc_store *store)
{
    if (store == NULL)
        return;
    sqlite3_close(store->db);
    free(store->path);
    free(store);
}

const char *fh_ioc_store_path(const fh_ioc_store *store)
{
    return store->path;
}

void fh_ioc_filter_init(fh_ioc_filter *filter)
{
    memset(filter, 0, sizeof *filter);
    filter->min_confidence = FH_CONFIDENCE_UNKNOWN;
    filter->since = FH_TIME_UNKNOWN;
    filter->flag = FH_IOC_FLAG_ANY;
}

/* Appends text to buf, failing when it does not fit. */
static bool append_sql(char *buf, size_t size, size_t *used, const char *text)
{
    size_t len = strlen(text);
    if (*used + len + 1 > size)
        return false;
    memcpy(buf + *used, text, len + 1);
    *used += len;
    return true;
}

static bool append_type_list(const fh_ioc_filter *filter, char *buf, size_t size, size_t *used)
{
    bool ok = append_sql(buf, size, used, " AND i.type IN (");
    const char *sep = "";
    for (int t = 0; t < FH_IOC_TYPE_COUNT && ok; t++) {
        if ((filter->types & (1u << t)) == 0)
            continue;
        char param[32];
        snprintf(param, sizeof param, "%s:type%d", sep, t);
        ok = append_sql(buf, size, used, param);
        sep = ", ";
    }
    return ok && append_sql(buf, size, used, ")");
}

fh_status ioc_store_filter_sql(const fh_ioc_filter *filter, char *buf, size_t size, fh_error *err)
{
    size_t used = 0;
    bool ok = append_sql(buf, size, &used, " WHERE 1");
    if (filter != NULL && filter->types != 0)
        ok = ok && append_type_list(filter, buf, size, &used);
    if (filter != NULL && filter->family != NULL)
        ok = ok && append_sql(buf, size, &used,
                              " AND (i.family = :family COLLATE NOCASE OR EXISTS (SELECT 1 FROM"
                              " indicator_alias a WHERE a.indicator_id = i.id AND"
                              " a.name = :family))");
    if (filter != NULL && filter->min_confidence != FH_CONFIDENCE_UNKNOWN)
        ok = ok && append_sql(buf, size, &used, " AND i.confidence >= :min_confidence");
    if (filter != NULL && filter->since != FH_TIME_UNKNOWN)
        ok = ok && append_sql(buf, size, &used, " AND i.first_seen >= :since");
    if (filter != NULL && filter->flag == FH_IOC_FLAG_ONLY)
        ok = ok && append_sql(buf, size, &used, " AND i.flag IS NOT NULL");
    if (filter != NULL && filter->flag == FH_IOC_FLAG_NONE)
        ok = ok && append_sql(buf, size, &used, " AND i.flag IS NULL");
    if (!ok)
        return fh_error_set(err, FH_ERR_INTERNAL, NULL, 0, 0,
                            "indicator filter clause does not fit in %zu bytes", size);
    return FH_OK;
}

static int bind_named_text(sqlite3_stmt *stmt, const char *name, const char *text)
{
    int index = sqlite3_bind_parameter_index(stmt, name);
    return index == 0 ? SQLITE_OK : sqlite3_bind_text(stmt, index, text, -1, SQLITE_TRANSIENT);
}

static int bind_named_int64(sqlite3_stmt *stmt, const char *name, int64_t value)
{
    int index = sqlite3_bind_parameter_index(stmt, name);
    return index == 0 ? SQLITE_OK : sqlite3_bind_int64(stmt, index, value);
}

fh_status ioc_store_filter_bind(fh_ioc_store *store, sqlite3_stmt *stmt,
                                const fh_ioc_filter *filter, fh_error *err)
{
    if (filter == NULL)
        return FH_OK;

    int rc = SQLITE_OK;
    for (int t = 0; t < FH_IOC_TYPE_COUNT && rc == SQLITE_OK; t++) {
        char param[32];
        snprintf(param, sizeof param, ":type%d", t);
        rc = bind_named_text(stmt, param, fh_ioc_type_name((fh_ioc_type)t));
    }
    if (rc == SQLITE_OK && filter->family != NULL)
        rc = bind_named_text(stmt, ":family", filter->family);
    if (rc == SQLITE_OK)
        rc = bind_named_int64(stmt, ":min_confidence", filter->min_confidence);
    if (rc == SQLITE_OK)
        rc = bind_named_int64(stmt, ":since", filter->since);
    if (rc != SQLITE_OK)
        return ioc_store_db_error(store, err, "binding the indicator filter");
    return FH_OK;
}
