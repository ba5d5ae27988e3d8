/*
 * Fuzz target for the KQL binder and evaluator: each input is a query, prepared and run over
 * two small fixed tables, T and U, first with the planner's shortcuts and then without. Both
 * runs must agree on success and on the number of rows. Inputs are capped (length, and the
 * number of operators that multiply rows) so one input cannot run for long.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "foxhound/kql.h"
#include "foxhound/value_ops.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_MAX_QUERY 1024
#define FUZZ_MAX_ROW_MULTIPLIERS 2 /* join, mv-expand and union per query */
#define FUZZ_MAX_RESULT_ROWS 100000

static const fh_column t_columns[] = {
    {"Name", FH_TYPE_STRING},   {"Port", FH_TYPE_INT},     {"Bytes", FH_TYPE_LONG},
    {"Time", FH_TYPE_DATETIME}, {"Tags", FH_TYPE_DYNAMIC}, {"Ok", FH_TYPE_BOOL},
    {"Score", FH_TYPE_REAL},
};
static const char *const t_rows[][7] = {
    {"ws01", "443", "1200", "2026-06-12T08:14:03Z", "[\"a\",\"b\"]", "true", "0.5"},
    {"ws02", "", "", "2026-06-13T22:47:19Z", "{\"k\":1}", "false", ""},
    {"", "80", "-5", "", "[]", "", "1e300"},
    {"WS01", "443", "7", "2026-06-14T06:00:02Z", "null", "true", "-0"},
};

static const fh_schema t_schema = {"T", 7, (fh_column *)t_columns, false};
static const fh_schema u_schema = {"U", 3, (fh_column *)t_columns, false};

static fh_status rows_open(void *ctx, void **scan, fh_error *err)
{
    *scan = calloc(1, sizeof(size_t));
    return *scan != NULL ? FH_OK : fh_error_set(err, FH_ERR_NOMEM, NULL, 0, 0, "out of memory");
}

static fh_status rows_next(void *ctx, void *scan, fh_batch *batch, fh_error *err)
{
    const fh_schema *schema = ctx;
    size_t *next = scan;
    if (*next > 0)
        return FH_DONE;
    fh_batch_clear(batch);
    for (size_t r = 0; r < sizeof t_rows / sizeof t_rows[0]; r++) {
        fh_value *row;
        fh_status st = fh_batch_append(batch, &row, err);
        if (st != FH_OK)
            return st;
        for (size_t c = 0; c < schema->ncols; c++) {
            const char *text = t_rows[r][c];
            fh_value_from_text(schema->cols[c].type, text, strlen(text), &batch->arena, &row[c]);
        }
    }
    *next = 1;
    return FH_OK;
}

static void rows_close(void *ctx, void *scan)
{
    free(scan);
}

static size_t count_word(const char *text, size_t len, const char *word)
{
    size_t n = 0, w = strlen(word);
    for (size_t i = 0; i + w <= len; i++)
        n += memcmp(text + i, word, w) == 0;
    return n;
}

/* Runs the query; returns -1 when it fails, else the number of result rows. */
static long run(const char *text, size_t len, bool no_shortcuts)
{
    fh_kql_options options = {.now_ticks = 17812224000000000LL, .no_shortcuts = no_shortcuts};
    fh_kql_engine *engine = NULL;
    fh_error err;
    if (fh_kql_engine_create(&options, &engine, &err) != FH_OK)
        abort();
    fh_kql_provider t = {&t_schema, (void *)&t_schema, rows_open, rows_next, rows_close};
    fh_kql_provider u = {&u_schema, (void *)&u_schema, rows_open, rows_next, rows_close};
    if (fh_kql_engine_add_provider(engine, "T", &t, &err) != FH_OK ||
        fh_kql_engine_add_provider(engine, "U", &u, &err) != FH_OK)
        abort();

    long rows = -1;
    fh_kql_query *query = NULL;
    if (fh_kql_prepare(engine, text, len, "<fuzz>", &query, &err) == FH_OK) {
        const fh_batch *batch;
        fh_status st;
        rows = 0;
        while (rows < FUZZ_MAX_RESULT_ROWS &&
               (st = fh_kql_query_next(query, &batch, &err)) == FH_OK)
            rows += (long)batch->nrows;
        if (rows < FUZZ_MAX_RESULT_ROWS && st != FH_DONE)
            rows = -1;
        char buf[2048];
        fh_kql_render_error(text, len, &err, buf, sizeof buf);
    } else {
        char buf[2048];
        fh_kql_render_error(text, len, &err, buf, sizeof buf);
    }
    fh_kql_query_destroy(query);
    fh_kql_engine_destroy(engine);
    return rows;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    if (size > FUZZ_MAX_QUERY)
        return 0;
    size_t multipliers = count_word(text, size, "join") + count_word(text, size, "mv-expand") +
                         count_word(text, size, "union") + count_word(text, size, "lookup");
    if (multipliers > FUZZ_MAX_ROW_MULTIPLIERS)
        return 0;

    long with = run(text, size, false);
    long without = run(text, size, true);
    /* A run cut at the row cap may stop at a different batch boundary; only compare below it. */
    if (with < FUZZ_MAX_RESULT_ROWS && without < FUZZ_MAX_RESULT_ROWS && with != without)
        abort();
    return 0;
}
