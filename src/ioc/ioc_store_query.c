/*
 * Reading the indicator database: a cursor over the indicators that pass a filter, each
 * rebuilt with its aliases, tags and sources, and the counts by type and family that a rule
 * page's "IOC Summary" shows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "foxhound/limits.h"
#include "ioc/ioc_store_internal.h"

enum {
    COL_ID,
    COL_TYPE,
    COL_VALUE,
    COL_ADDRESS,
    COL_PORT,
    COL_PREFIX_BITS,
    COL_FAMILY,
    COL_THREAT_TYPE,
    COL_CONFIDENCE,
    COL_FIRST_SEEN,
    COL_LAST_SEEN,
    COL_REFERENCE,
    COL_REPORTER,
    COL_FLAG,
    COL_DESCRIPTION,
    COL_CREATED,
    COL_MODIFIED
};

static const char select_sql[] =
    "SELECT i.id, i.type, i.value, i.address, i.port, i.prefix_bits, i.family, i.threat_type,"
    " i.confidence, i.first_seen, i.last_seen, i.reference, i.reporter, i.flag,"
    " i.description, i.created, i.modified FROM indicator i";

struct fh_ioc_cursor {
    fh_ioc_store *store;
    sqlite3_stmt *rows;
    sqlite3_stmt *aliases;
    sqlite3_stmt *tags;
    sqlite3_stmt *sources;
    fh_ioc_record record;
};

static void record_clear(fh_ioc_record *record)
{
    for (size_t i = 0; i < record->nsources; i++) {
        free(record->sources[i].feed);
        free(record->sources[i].id);
    }
    free(record->sources);
    fh_indicator_clear(&record->ioc);
    record->sources = NULL;
    record->nsources = 0;
}

static fh_status nomem(fh_error *err)
{
    return fh_error_set(err, FH_ERR_NOMEM, NULL, 0, 0, "out of memory reading indicators");
}

/* Reads the one text column of every row of stmt (bound to an indicator id) into a list. */
static fh_status read_names(fh_ioc_cursor *cursor, sqlite3_stmt *stmt, int64_t id, char ***names,
                            size_t *count, fh_error *err)
{
    fh_status st = FH_OK;
    size_t cap = 0;
    sqlite3_bind_int64(stmt, 1, id);
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        if (*count == cap) {
            cap = cap ? cap * 2 : 4;
            char **grown = realloc(*names, cap * sizeof *grown);
            if (grown == NULL) {
                st = nomem(err);
                goto done;
            }
            *names = grown;
        }
        bool failed = false;
        (*names)[*count] = ioc_store_column_strdup(stmt, 0, &failed);
        if (failed) {
            st = nomem(err);
            goto done;
        }
        (*count)++;
    }
    if (rc != SQLITE_DONE)
        st = ioc_store_db_error(cursor->store, err, "reading indicator names");

done:
    sqlite3_reset(stmt);
    return st;
}

static fh_status read_sources(fh_ioc_cursor *cursor, int64_t id, fh_error *err)
{
    fh_ioc_record *record = &cursor->record;
    sqlite3_stmt *stmt = cursor->sources;
    fh_status st = FH_OK;
    size_t cap = 0;
    sqlite3_bind_int64(stmt, 1, id);
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        if (record->nsources == cap) {
            cap = cap ? cap * 2 : 2;
            fh_ioc_source *grown = realloc(record->sources, cap * sizeof *grown);
            if (grown == NULL) {
                st = nomem(err);
                goto done;
            }
            record->sources = grown;
        }
        bool failed = false;
        fh_ioc_source *source = &record->sources[record->nsources++];
        source->feed = ioc_store_column_strdup(stmt, 0, &failed);
        source->id = ioc_store_column_strdup(stmt, 1, &failed);
        if (failed) {
            st = nomem(err);
            goto done;
        }
    }
    if (rc != SQLITE_DONE)
        st = ioc_store_db_error(cursor->store, err, "reading indicator sources");

done:
    sqlite3_reset(stmt);
    return st;
}

/* Fills ioc's scalar fields from the current row; *failed is set when memory runs out. */
static void read_fields(sqlite3_stmt *rows, fh_indicator *ioc, bool *failed)
{
    const char *type = (const char *)sqlite3_column_text(rows, COL_TYPE);
    if (type == NULL || fh_ioc_type_from_name(type, strlen(type), &ioc->type) != FH_OK)
        ioc->type = FH_IOC_TYPE_COUNT;
    ioc->value = ioc_store_column_strdup(rows, COL_VALUE, failed);
    ioc->address = ioc_store_column_strdup(rows, COL_ADDRESS, failed);
    /* The schema's CHECK constraints keep both columns within the field types. */
    ioc->port = (uint16_t)sqlite3_column_int(rows, COL_PORT);
    ioc->prefix_bits = (uint8_t)sqlite3_column_int(rows, COL_PREFIX_BITS);
    ioc->family = ioc_store_column_strdup(rows, COL_FAMILY, failed);
    ioc->threat_type = ioc_store_column_strdup(rows, COL_THREAT_TYPE, failed);
    ioc->confidence = (int)ioc_store_column_int64(rows, COL_CONFIDENCE, FH_CONFIDENCE_UNKNOWN);
    ioc->first_seen = ioc_store_column_int64(rows, COL_FIRST_SEEN, FH_TIME_UNKNOWN);
    ioc->last_seen = ioc_store_column_int64(rows, COL_LAST_SEEN, FH_TIME_UNKNOWN);
    ioc->reference = ioc_store_column_strdup(rows, COL_REFERENCE, failed);
    ioc->reporter = ioc_store_column_strdup(rows, COL_REPORTER, failed);
    ioc->flag = ioc_store_column_strdup(rows, COL_FLAG, failed);
    ioc->description = ioc_store_column_strdup(rows, COL_DESCRIPTION, failed);
}

/* The first source also fills the indicator's own source fields. */
static fh_status copy_first_source(fh_ioc_record *record, fh_error *err)
{
    if (record->nsources == 0)
        return FH_OK;
    record->ioc.source_feed = strdup(record->sources[0].feed);
    record->ioc.source_id = strdup(record->sources[0].id);
    if (record->ioc.source_feed == NULL || record->ioc.source_id == NULL)
        return nomem(err);
    return FH_OK;
}

static fh_status read_record(fh_ioc_cursor *cursor, fh_error *err)
{
    fh_ioc_record *record = &cursor->record;
    sqlite3_stmt *rows = cursor->rows;
    int64_t id = sqlite3_column_int64(rows, COL_ID);

    bool failed = false;
    read_fields(rows, &record->ioc, &failed);
    record->created = sqlite3_column_int64(rows, COL_CREATED);
    record->modified = sqlite3_column_int64(rows, COL_MODIFIED);
    if (failed)
        return nomem(err);
    if (record->ioc.type == FH_IOC_TYPE_COUNT)
        return fh_error_set(err, FH_ERR_DB, cursor->store->path, 0, 0,
                            "indicator %s has an unknown type '%s'; the database was written "
                            "by another program",
                            record->ioc.value, (const char *)sqlite3_column_text(rows, COL_TYPE));

    fh_status st =
        read_names(cursor, cursor->aliases, id, &record->ioc.aliases, &record->ioc.naliases, err);
    if (st == FH_OK)
        st = read_names(cursor, cursor->tags, id, &record->ioc.tags, &record->ioc.ntags, err);
    if (st == FH_OK)
        st = read_sources(cursor, id, err);
    if (st == FH_OK)
        st = copy_first_source(record, err);
    return st;
}

static fh_status prepare_cursor(fh_ioc_cursor *cursor, const fh_ioc_filter *filter, fh_error *err)
{
    char where[IOC_STORE_WHERE_MAX];
    char sql[sizeof select_sql + IOC_STORE_WHERE_MAX + 64];
    fh_status st = ioc_store_filter_sql(filter, where, sizeof where, err);
    if (st != FH_OK)
        return st;
    snprintf(sql, sizeof sql, "%s%s ORDER BY i.type, i.value", select_sql, where);

    fh_ioc_store *store = cursor->store;
    st = ioc_store_prepare(store, sql, &cursor->rows, err);
    if (st == FH_OK)
        st = ioc_store_filter_bind(store, cursor->rows, filter, err);
    if (st == FH_OK)
        st = ioc_store_prepare(store,
                               "SELECT name FROM indicator_alias WHERE indicator_id = ?1"
                               " ORDER BY name",
                               &cursor->aliases, err);
    if (st == FH_OK)
        st = ioc_store_prepare(store,
                               "SELECT tag FROM indicator_tag WHERE indicator_id = ?1"
                               " ORDER BY tag",
                               &cursor->tags, err);
    if (st == FH_OK)
        st = ioc_store_prepare(store,
                               "SELECT feed, source_id FROM indicator_source"
                               " WHERE indicator_id = ?1 ORDER BY rowid",
                               &cursor->sources, err);
    return st;
}

fh_status fh_ioc_store_query(fh_ioc_store *store, const fh_ioc_filter *filter, fh_ioc_cursor **out,
                             fh_error *err)
{
    *out = NULL;
    fh_ioc_cursor *cursor = calloc(1, sizeof *cursor);
    if (cursor == NULL)
        return nomem(err);
    cursor->store = store;
    fh_indicator_init(&cursor->record.ioc);

    fh_status st = prepare_cursor(cursor, filter, err);
    if (st != FH_OK) {
        fh_ioc_cursor_close(cursor);
        return st;
    }
    *out = cursor;
    return FH_OK;
}

fh_status fh_ioc_cursor_next(fh_ioc_cursor *cursor, const fh_ioc_record **record, fh_error *err)
{
    *record = NULL;
    record_clear(&cursor->record);

    int rc = sqlite3_step(cursor->rows);
    if (rc == SQLITE_DONE)
        return FH_DONE;
    if (rc != SQLITE_ROW)
        return ioc_store_db_error(cursor->store, err, "reading indicators");

    fh_status st = read_record(cursor, err);
    if (st != FH_OK)
        return st;
    *record = &cursor->record;
    return FH_OK;
}

void fh_ioc_cursor_close(fh_ioc_cursor *cursor)
{
    if (cursor == NULL)
        return;
    record_clear(&cursor->record);
    sqlite3_finalize(cursor->rows);
    sqlite3_finalize(cursor->aliases);
    sqlite3_finalize(cursor->tags);
    sqlite3_finalize(cursor->sources);
    free(cursor);
}

fh_status fh_ioc_store_load(fh_ioc_store *store, const fh_ioc_filter *filter, fh_ioc_set *set,
                            fh_error *err)
{
    fh_ioc_cursor *cursor = NULL;
    fh_status st = fh_ioc_store_query(store, filter, &cursor, err);
    const fh_ioc_record *record = NULL;
    while (st == FH_OK && (st = fh_ioc_cursor_next(cursor, &record, err)) == FH_OK) {
        if (set->count >= FH_MAX_INDICATORS) {
            st = fh_error_set(err, FH_ERR_LIMIT, store->path, 0, 0,
                              "more than %d indicators pass the filter (FH_MAX_INDICATORS); "
                              "narrow it with a type, family, confidence or date",
                              FH_MAX_INDICATORS);
            break;
        }
        fh_indicator copy;
        fh_indicator_init(&copy);
        st = fh_indicator_copy(&copy, &record->ioc, err);
        if (st == FH_OK)
            st = fh_ioc_set_add(set, &copy, err);
        fh_indicator_clear(&copy);
    }
    fh_ioc_cursor_close(cursor);
    return st == FH_DONE ? FH_OK : st;
}

/* Returns the family entry for name (NULL for no family), adding it when new. */
static fh_ioc_family_stats *family_entry(fh_ioc_stats *stats, const char *name, size_t *cap,
                                         bool *failed)
{
    for (size_t i = 0; i < stats->nfamilies; i++) {
        const char *have = stats->families[i].family;
        if ((have == NULL && name == NULL) ||
            (have != NULL && name != NULL && strcasecmp(have, name) == 0))
            return &stats->families[i];
    }
    if (stats->nfamilies == *cap) {
        size_t grown_cap = *cap ? *cap * 2 : 8;
        fh_ioc_family_stats *grown = realloc(stats->families, grown_cap * sizeof *grown);
        if (grown == NULL) {
            *failed = true;
            return NULL;
        }
        stats->families = grown;
        *cap = grown_cap;
    }
    fh_ioc_family_stats *entry = &stats->families[stats->nfamilies];
    memset(entry, 0, sizeof *entry);
    if (name != NULL && (entry->family = strdup(name)) == NULL) {
        *failed = true;
        return NULL;
    }
    stats->nfamilies++;
    return entry;
}

/* Adds one (family, type, count, flagged) group row to the totals. */
static fh_status add_group(fh_ioc_stats *stats, sqlite3_stmt *stmt, size_t *cap, fh_error *err)
{
    const char *family = (const char *)sqlite3_column_text(stmt, 0);
    const char *type_name = (const char *)sqlite3_column_text(stmt, 1);
    uint64_t count = (uint64_t)sqlite3_column_int64(stmt, 2);
    fh_ioc_type type;
    if (type_name == NULL || fh_ioc_type_from_name(type_name, strlen(type_name), &type) != FH_OK)
        return fh_error_set(err, FH_ERR_DB, NULL, 0, 0,
                            "the indicator database holds an unknown type '%s'",
                            type_name ? type_name : "");

    bool failed = false;
    fh_ioc_family_stats *entry = family_entry(stats, family, cap, &failed);
    if (failed)
        return nomem(err);
    entry->total += count;
    entry->by_type[type] += count;
    stats->total += count;
    stats->by_type[type] += count;
    stats->flagged += (uint64_t)sqlite3_column_int64(stmt, 3);
    return FH_OK;
}

/* Most indicators first; equal counts by name, the family-less group last. */
static int compare_families(const void *a, const void *b)
{
    const fh_ioc_family_stats *x = a, *y = b;
    if (x->total != y->total)
        return x->total > y->total ? -1 : 1;
    if (x->family == NULL || y->family == NULL)
        return (x->family == NULL) - (y->family == NULL);
    return strcasecmp(x->family, y->family);
}

fh_status fh_ioc_store_stats(fh_ioc_store *store, const fh_ioc_filter *filter, fh_ioc_stats *stats,
                             fh_error *err)
{
    memset(stats, 0, sizeof *stats);
    char where[IOC_STORE_WHERE_MAX];
    char sql[IOC_STORE_WHERE_MAX + 256];
    sqlite3_stmt *stmt = NULL;
    size_t cap = 0;

    fh_status st = ioc_store_filter_sql(filter, where, sizeof where, err);
    if (st != FH_OK)
        goto done;
    snprintf(sql, sizeof sql,
             "SELECT min(i.family), i.type, count(*), sum(i.flag IS NOT NULL) FROM indicator i"
             "%s GROUP BY i.family COLLATE NOCASE, i.type",
             where);
    st = ioc_store_prepare(store, sql, &stmt, err);
    if (st == FH_OK)
        st = ioc_store_filter_bind(store, stmt, filter, err);

    int rc = SQLITE_DONE;
    while (st == FH_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW)
        st = add_group(stats, stmt, &cap, err);
    if (st == FH_OK && rc != SQLITE_DONE)
        st = ioc_store_db_error(store, err, "counting indicators");
    if (st == FH_OK && stats->nfamilies > 1)
        qsort(stats->families, stats->nfamilies, sizeof *stats->families, compare_families);

done:
    sqlite3_finalize(stmt);
    if (st != FH_OK)
        fh_ioc_stats_clear(stats);
    return st;
}

void fh_ioc_stats_clear(fh_ioc_stats *stats)
{
    if (stats == NULL)
        return;
    for (size_t i = 0; i < stats->nfamilies; i++)
        free(stats->families[i].family);
    free(stats->families);
    memset(stats, 0, sizeof *stats);
}
