/*
 * Importing an indicator set into the database in one transaction, merging each value that
 * is already present.
 *
 * Merge rules for a (type, value) already stored: the earliest first seen, the latest last seen
 * and the highest confidence win. The stored family, threat type, reference, reporter,
 * description and false-positive flag stay, and are filled only where empty. A different
 * family becomes an alias. Tags, aliases and sources are united, tags and aliases ignoring
 * ASCII case. The modified time moves only when the merge changed something, so importing the
 * same file twice leaves the database content unchanged.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "foxhound/limits.h"
#include "ioc/ioc_store_internal.h"

enum {
    STMT_FIND,
    STMT_INSERT,
    STMT_UPDATE,
    STMT_TOUCH,
    STMT_ALIAS,
    STMT_TAG,
    STMT_SOURCE,
    STMT_COUNT
};

static const char *const import_sql[STMT_COUNT] = {
    [STMT_FIND] = "SELECT id, family, threat_type, confidence, first_seen, last_seen,"
                  " reference, reporter, flag, description FROM indicator"
                  " WHERE type = ?1 AND value = ?2",
    [STMT_INSERT] = "INSERT INTO indicator (type, value, address, port, prefix_bits, family,"
                    " threat_type, confidence, first_seen, last_seen, reference, reporter,"
                    " flag, description, created, modified)"
                    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?15,"
                    " ?14, ?14)",
    [STMT_UPDATE] = "UPDATE indicator SET family = ?2, threat_type = ?3, confidence = ?4,"
                    " first_seen = ?5, last_seen = ?6, reference = ?7, reporter = ?8,"
                    " flag = ?9, modified = ?10, description = ?11 WHERE id = ?1",
    [STMT_TOUCH] = "UPDATE indicator SET modified = ?2 WHERE id = ?1",
    [STMT_ALIAS] = "INSERT INTO indicator_alias (indicator_id, name) VALUES (?1, ?2)"
                   " ON CONFLICT DO NOTHING",
    [STMT_TAG] = "INSERT INTO indicator_tag (indicator_id, tag) VALUES (?1, ?2)"
                 " ON CONFLICT DO NOTHING",
    [STMT_SOURCE] = "INSERT INTO indicator_source (indicator_id, feed, source_id)"
                    " VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
};

typedef struct import_ctx {
    fh_ioc_store *store;
    sqlite3_stmt *stmt[STMT_COUNT];
    int64_t now;
    fh_ioc_import_counts *counts;
} import_ctx;

/* The stored fields of an indicator found by STMT_FIND, valid until that statement resets. */
typedef struct stored_row {
    int64_t id;
    const char *family;
    const char *threat_type;
    int confidence;
    int64_t first_seen;
    int64_t last_seen;
    const char *reference;
    const char *reporter;
    const char *flag;
    const char *description;
} stored_row;

static bool is_empty(const char *text)
{
    return text == NULL || text[0] == '\0';
}

static int bind_text(sqlite3_stmt *stmt, int index, const char *text)
{
    if (is_empty(text))
        return sqlite3_bind_null(stmt, index);
    return sqlite3_bind_text(stmt, index, text, -1, SQLITE_TRANSIENT);
}

static int bind_time(sqlite3_stmt *stmt, int index, int64_t ticks)
{
    if (ticks == FH_TIME_UNKNOWN)
        return sqlite3_bind_null(stmt, index);
    return sqlite3_bind_int64(stmt, index, ticks);
}

/* Unknown confidence is NULL. Any other value goes to the CHECK constraint as it is. */
static int bind_confidence(sqlite3_stmt *stmt, int index, int confidence)
{
    if (confidence == FH_CONFIDENCE_UNKNOWN)
        return sqlite3_bind_null(stmt, index);
    return sqlite3_bind_int(stmt, index, confidence);
}

static const char *column_text(sqlite3_stmt *stmt, int col)
{
    return (const char *)sqlite3_column_text(stmt, col);
}

/* Fails with the indicator named, so that the user can find it in the input. */
static fh_status import_error(import_ctx *ctx, const fh_indicator *ioc, fh_error *err)
{
    const char *value = ioc->value != NULL ? ioc->value : "(no value)";
    return fh_error_set(err, FH_ERR_DB, ctx->store->path, 0, 0,
                        "storing %s %.200s failed: %s; the import was rolled back",
                        fh_ioc_type_name(ioc->type), value, sqlite3_errmsg(ctx->store->db));
}

/* Runs a statement that returns no rows and resets it. Returns the number of rows changed. */
static int step_done(import_ctx *ctx, sqlite3_stmt *stmt, bool *failed)
{
    int rc = sqlite3_step(stmt);
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    if (rc != SQLITE_DONE) {
        *failed = true;
        return 0;
    }
    return sqlite3_changes(ctx->store->db);
}

static fh_status check_indicator(const fh_indicator *ioc, size_t index, fh_error *err)
{
    if ((unsigned)ioc->type >= FH_IOC_TYPE_COUNT)
        return fh_error_set(err, FH_ERR_INVALID, NULL, 0, 0,
                            "indicator %zu has an invalid type number %d", index + 1,
                            (int)ioc->type);
    if (ioc->value != NULL && strlen(ioc->value) > FH_MAX_INDICATOR_BYTES)
        return fh_error_set(err, FH_ERR_LIMIT, NULL, 0, 0,
                            "%s indicator %zu is %zu bytes long, more than the %d allowed "
                            "(FH_MAX_INDICATOR_BYTES); the import was rolled back",
                            fh_ioc_type_name(ioc->type), index + 1, strlen(ioc->value),
                            FH_MAX_INDICATOR_BYTES);
    return FH_OK;
}

static fh_status insert_new(import_ctx *ctx, const fh_indicator *ioc, int64_t *id, fh_error *err)
{
    sqlite3_stmt *stmt = ctx->stmt[STMT_INSERT];
    sqlite3_bind_text(stmt, 1, fh_ioc_type_name(ioc->type), -1, SQLITE_STATIC);
    /* A NULL value is bound as NULL so that the NOT NULL constraint rejects it. */
    sqlite3_bind_text(stmt, 2, ioc->value, -1, SQLITE_TRANSIENT);
    bind_text(stmt, 3, ioc->address);
    sqlite3_bind_int(stmt, 4, ioc->port);
    sqlite3_bind_int(stmt, 5, ioc->prefix_bits);
    bind_text(stmt, 6, ioc->family);
    bind_text(stmt, 7, ioc->threat_type);
    bind_confidence(stmt, 8, ioc->confidence);
    bind_time(stmt, 9, ioc->first_seen);
    bind_time(stmt, 10, ioc->last_seen);
    bind_text(stmt, 11, ioc->reference);
    bind_text(stmt, 12, ioc->reporter);
    bind_text(stmt, 13, ioc->flag);
    sqlite3_bind_int64(stmt, 14, ctx->now);
    bind_text(stmt, 15, ioc->description);

    bool failed = false;
    step_done(ctx, stmt, &failed);
    if (failed)
        return import_error(ctx, ioc, err);
    *id = sqlite3_last_insert_rowid(ctx->store->db);
    return FH_OK;
}

static const char *keep_stored(const char *stored, const char *incoming, bool *changed)
{
    if (!is_empty(stored))
        return stored;
    if (!is_empty(incoming)) {
        *changed = true;
        return incoming;
    }
    return NULL;
}

static int64_t earliest(int64_t stored, int64_t incoming, bool *changed)
{
    if (incoming == FH_TIME_UNKNOWN || (stored != FH_TIME_UNKNOWN && stored <= incoming))
        return stored;
    *changed = true;
    return incoming;
}

static int64_t latest(int64_t stored, int64_t incoming, bool *changed)
{
    if (incoming == FH_TIME_UNKNOWN || (stored != FH_TIME_UNKNOWN && stored >= incoming))
        return stored;
    *changed = true;
    return incoming;
}

static int highest(int stored, int incoming, bool *changed)
{
    if (incoming == FH_CONFIDENCE_UNKNOWN || stored >= incoming)
        return stored;
    *changed = true;
    return incoming;
}

/* Binds the merged fields to STMT_UPDATE; *changed is set when any field differs. */
static void bind_merged(import_ctx *ctx, const stored_row *row, const fh_indicator *ioc,
                        bool *changed)
{
    sqlite3_stmt *stmt = ctx->stmt[STMT_UPDATE];
    sqlite3_bind_int64(stmt, 1, row->id);
    bind_text(stmt, 2, keep_stored(row->family, ioc->family, changed));
    bind_text(stmt, 3, keep_stored(row->threat_type, ioc->threat_type, changed));
    bind_confidence(stmt, 4, highest(row->confidence, ioc->confidence, changed));
    bind_time(stmt, 5, earliest(row->first_seen, ioc->first_seen, changed));
    bind_time(stmt, 6, latest(row->last_seen, ioc->last_seen, changed));
    bind_text(stmt, 7, keep_stored(row->reference, ioc->reference, changed));
    bind_text(stmt, 8, keep_stored(row->reporter, ioc->reporter, changed));
    bind_text(stmt, 9, keep_stored(row->flag, ioc->flag, changed));
    sqlite3_bind_int64(stmt, 10, ctx->now);
    bind_text(stmt, 11, keep_stored(row->description, ioc->description, changed));
}

static void read_stored(sqlite3_stmt *find, stored_row *row)
{
    row->id = sqlite3_column_int64(find, 0);
    row->family = column_text(find, 1);
    row->threat_type = column_text(find, 2);
    row->confidence = (int)ioc_store_column_int64(find, 3, FH_CONFIDENCE_UNKNOWN);
    row->first_seen = ioc_store_column_int64(find, 4, FH_TIME_UNKNOWN);
    row->last_seen = ioc_store_column_int64(find, 5, FH_TIME_UNKNOWN);
    row->reference = column_text(find, 6);
    row->reporter = column_text(find, 7);
    row->flag = column_text(find, 8);
    row->description = column_text(find, 9);
}

/*
 * Merges into the stored row that STMT_FIND is positioned on. *stored_family receives a
 * malloc'd copy of the stored family, or NULL when the row has none; *stored_flag whether the
 * row already has a false-positive flag.
 */
static fh_status merge_existing(import_ctx *ctx, const fh_indicator *ioc, int64_t *id,
                                bool *updated, char **stored_family, bool *stored_flag,
                                fh_error *err)
{
    stored_row row;
    read_stored(ctx->stmt[STMT_FIND], &row);
    *id = row.id;
    *stored_flag = !is_empty(row.flag);
    if (!is_empty(row.family) && (*stored_family = strdup(row.family)) == NULL) {
        sqlite3_reset(ctx->stmt[STMT_FIND]);
        return fh_error_set(err, FH_ERR_NOMEM, NULL, 0, 0, "out of memory merging indicators");
    }

    bool changed = false;
    bind_merged(ctx, &row, ioc, &changed);
    sqlite3_reset(ctx->stmt[STMT_FIND]);
    *updated = changed;
    if (!changed) {
        sqlite3_clear_bindings(ctx->stmt[STMT_UPDATE]);
        return FH_OK;
    }

    bool failed = false;
    step_done(ctx, ctx->stmt[STMT_UPDATE], &failed);
    return failed ? import_error(ctx, ioc, err) : FH_OK;
}

/* Adds one name row (alias or tag); *added counts the rows that were new. */
static fh_status add_name(import_ctx *ctx, int which, int64_t id, const fh_indicator *ioc,
                          const char *name, int *added, fh_error *err)
{
    if (is_empty(name))
        return FH_OK;
    sqlite3_stmt *stmt = ctx->stmt[which];
    sqlite3_bind_int64(stmt, 1, id);
    sqlite3_bind_text(stmt, 2, name, -1, SQLITE_TRANSIENT);

    bool failed = false;
    *added += step_done(ctx, stmt, &failed);
    return failed ? import_error(ctx, ioc, err) : FH_OK;
}

static fh_status add_source(import_ctx *ctx, int64_t id, const fh_indicator *ioc, int *added,
                            fh_error *err)
{
    if (is_empty(ioc->source_feed))
        return FH_OK;
    sqlite3_stmt *stmt = ctx->stmt[STMT_SOURCE];
    sqlite3_bind_int64(stmt, 1, id);
    sqlite3_bind_text(stmt, 2, ioc->source_feed, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 3, ioc->source_id != NULL ? ioc->source_id : "", -1, SQLITE_TRANSIENT);

    bool failed = false;
    *added += step_done(ctx, stmt, &failed);
    return failed ? import_error(ctx, ioc, err) : FH_OK;
}

static bool same_name(const char *a, const char *b)
{
    return !is_empty(a) && !is_empty(b) && strcasecmp(a, b) == 0;
}

/*
 * Unites aliases, tags and the source. family is the family the row keeps: an incoming family
 * that differs from it becomes an alias, and an alias equal to it is not stored.
 */
static fh_status add_names(import_ctx *ctx, int64_t id, const fh_indicator *ioc, const char *family,
                           int *added, fh_error *err)
{
    fh_status st = FH_OK;
    if (!is_empty(ioc->family) && !is_empty(family) && !same_name(ioc->family, family))
        st = add_name(ctx, STMT_ALIAS, id, ioc, ioc->family, added, err);
    for (size_t i = 0; i < ioc->naliases && st == FH_OK; i++) {
        const char *alias = ioc->aliases[i];
        if (same_name(alias, family) || same_name(alias, ioc->family))
            continue;
        st = add_name(ctx, STMT_ALIAS, id, ioc, alias, added, err);
    }
    for (size_t i = 0; i < ioc->ntags && st == FH_OK; i++)
        st = add_name(ctx, STMT_TAG, id, ioc, ioc->tags[i], added, err);
    if (st == FH_OK)
        st = add_source(ctx, id, ioc, added, err);
    return st;
}

static fh_status touch_modified(import_ctx *ctx, int64_t id, const fh_indicator *ioc, fh_error *err)
{
    sqlite3_stmt *stmt = ctx->stmt[STMT_TOUCH];
    sqlite3_bind_int64(stmt, 1, id);
    sqlite3_bind_int64(stmt, 2, ctx->now);
    bool failed = false;
    step_done(ctx, stmt, &failed);
    return failed ? import_error(ctx, ioc, err) : FH_OK;
}

/* Finds (type, value): FH_OK when found (STMT_FIND stays on the row), FH_DONE when absent. */
static fh_status find_stored(import_ctx *ctx, const fh_indicator *ioc, fh_error *err)
{
    sqlite3_stmt *find = ctx->stmt[STMT_FIND];
    sqlite3_bind_text(find, 1, fh_ioc_type_name(ioc->type), -1, SQLITE_STATIC);
    sqlite3_bind_text(find, 2, ioc->value, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(find);
    if (rc == SQLITE_ROW)
        return FH_OK;
    sqlite3_reset(find);
    return rc == SQLITE_DONE ? FH_DONE : import_error(ctx, ioc, err);
}

static fh_status import_one(import_ctx *ctx, const fh_indicator *ioc, size_t index, fh_error *err)
{
    fh_status st = check_indicator(ioc, index, err);
    if (st != FH_OK)
        return st;

    int64_t id = 0;
    bool updated = false, stored_flag = false;
    char *stored_family = NULL;
    fh_status found = ioc->value != NULL ? find_stored(ctx, ioc, err) : FH_DONE;
    if (found == FH_OK)
        st = merge_existing(ctx, ioc, &id, &updated, &stored_family, &stored_flag, err);
    else if (found == FH_DONE)
        st = insert_new(ctx, ioc, &id, err);
    else
        st = found;

    int added = 0;
    if (st == FH_OK)
        st = add_names(ctx, id, ioc, stored_family != NULL ? stored_family : ioc->family, &added,
                       err);
    if (st == FH_OK && found == FH_OK && added > 0 && !updated)
        st = touch_modified(ctx, id, ioc, err);
    free(stored_family);
    if (st != FH_OK)
        return st;

    if (found == FH_OK)
        ctx->counts->merged++;
    else
        ctx->counts->accepted++;
    if (!is_empty(ioc->flag) || stored_flag)
        ctx->counts->flagged++;
    return FH_OK;
}

static fh_status prepare_all(import_ctx *ctx, fh_error *err)
{
    for (int i = 0; i < STMT_COUNT; i++) {
        fh_status st = ioc_store_prepare(ctx->store, import_sql[i], &ctx->stmt[i], err);
        if (st != FH_OK)
            return st;
    }
    return FH_OK;
}

fh_status fh_ioc_store_import(fh_ioc_store *store, const fh_ioc_set *set, int64_t now,
                              fh_ioc_import_counts *counts, fh_error *err)
{
    memset(counts, 0, sizeof *counts);
    import_ctx ctx = {.store = store, .now = now, .counts = counts};
    bool in_transaction = false;

    fh_status st = prepare_all(&ctx, err);
    if (st != FH_OK)
        goto done;
    if (sqlite3_exec(store->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
        st = ioc_store_db_error(store, err, "starting the import transaction");
        goto done;
    }
    in_transaction = true;

    for (size_t i = 0; i < set->count && st == FH_OK; i++)
        st = import_one(&ctx, &set->items[i], i, err);
    if (st != FH_OK)
        goto done;

    if (sqlite3_exec(store->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        st = ioc_store_db_error(store, err, "committing the import");
        goto done;
    }
    in_transaction = false;
    counts->rejected = set->rejected_total;
    counts->skipped = set->skipped_total;

done:
    if (in_transaction)
        sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
    for (int i = 0; i < STMT_COUNT; i++)
        sqlite3_finalize(ctx.stmt[i]);
    if (st != FH_OK)
        memset(counts, 0, sizeof *counts);
    return st;
}
