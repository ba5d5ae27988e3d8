/*
 * Checking exclusion predicates before use: each one is bound by the KQL engine over the
 * built-in schema of every table it lists, with an empty table, so a typo fails at load time
 * with the exclusion's file and line instead of inside a generated query or a deployed rule.
 */
#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"
#include "foxhound/hunt.h"
#include "foxhound/kql.h"

static fh_status empty_open(void *ctx, void **scan, fh_error *err)
{
    *scan = NULL;
    return FH_OK;
}

static fh_status empty_next(void *ctx, void *scan, fh_batch *batch, fh_error *err)
{
    fh_batch_clear(batch);
    return FH_DONE;
}

static void empty_close(void *ctx, void *scan)
{
}

static fh_status bind_tables(fh_kql_engine *engine, fh_error *err)
{
    for (const char *const *t = fh_hunt_tables(); *t != NULL; t++) {
        fh_kql_provider provider = {fh_schema_builtin(*t), NULL, empty_open, empty_next,
                                    empty_close};
        fh_status st = fh_kql_engine_add_provider(engine, *t, &provider, err);
        if (st != FH_OK)
            return st;
    }
    return FH_OK;
}

static fh_status check_one(fh_kql_engine *engine, const fh_exclusion_set *set,
                           const fh_exclusion *ex, const char *table, fh_error *err)
{
    fh_strbuf sb;
    fh_strbuf_init(&sb);
    fh_strbuf_printf(&sb, "%s | where (", table);
    size_t prefix = sb.len;
    fh_strbuf_printf(&sb, "%s) | take 0", ex->where);
    if (fh_strbuf_status(&sb) != FH_OK) {
        fh_strbuf_free(&sb);
        return fh_error_set(err, FH_ERR_NOMEM, set->source, ex->line, 0, "out of memory");
    }

    fh_kql_query *query = NULL;
    fh_error qerr;
    fh_error_clear(&qerr);
    fh_status st = fh_kql_prepare(engine, sb.data, sb.len, table, &query, &qerr);
    fh_kql_query_destroy(query);
    fh_strbuf_free(&sb);
    if (st == FH_OK)
        return FH_OK;

    /* The predicate is one line of the checked query after the text put in front of it. */
    unsigned long column = qerr.column > prefix ? qerr.column - prefix : 0;
    return fh_error_set(err, st, set->source, ex->where_line, 0,
                        "exclusion '%s' on %s: %s (column %lu of the predicate)", ex->name, table,
                        qerr.message, column);
}

fh_status fh_exclusions_check(const fh_exclusion_set *set, fh_error *err)
{
    if (set == NULL || set->count == 0)
        return FH_OK;
    fh_kql_options options = {0};
    fh_kql_engine *engine = NULL;
    fh_status st = fh_kql_engine_create(&options, &engine, err);
    if (st == FH_OK)
        st = bind_tables(engine, err);
    for (size_t i = 0; st == FH_OK && i < set->count; i++) {
        const fh_exclusion *ex = &set->items[i];
        for (size_t t = 0; st == FH_OK && t < ex->ntables; t++)
            st = check_one(engine, set, ex, ex->tables[t], err);
    }
    fh_kql_engine_destroy(engine);
    return st;
}
