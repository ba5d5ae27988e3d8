/*
 * Running a hunt: for each table the indicators call for and the logs feed, the generated
 * query runs on the engine and each result row becomes a finding with its indicator's
 * context. When exclusions apply to the table, a second query returns the rows they remove,
 * so every suppressed row is counted and can be listed with the exclusion's name. Tables the
 * indicators need but the logs lack, or that hold no rows in the hunted range, get a
 * coverage note instead of a silent empty result.
 *
 * The queries are prepared one table after another, then run at the same time, one thread per
 * table, because a table's files are often read by one thread (JSON lines, compressed files)
 * and a hunt's tables have separate files. Each table collects its own findings, which are
 * joined in table order, so the result does not depend on which thread finishes first.
 */
#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/strbuf.h"
#include "foxhound/datetime.h"
#include "foxhound/value_ops.h"
#include "hunt/hunt_kql.h"
#include "hunt/hunt_lookup.h"
#include "hunt/hunt_tables.h"

typedef struct finding_list {
    fh_finding *items;
    size_t count, cap;
} finding_list;

typedef struct hunt_run {
    fh_kql_engine *engine;
    const fh_ioc_set *iocs;
    const fh_exclusion_set *exclusions;
    const fh_hunt_options *options;
    hunt_index index;
    finding_list findings, suppressed;
    fh_hunt_result *result;
    fh_error *err;
} hunt_run;

/* The queries of one table, run on their own thread, and the rows they returned. */
typedef struct table_job {
    const hunt_run *run;
    const hunt_table *table;
    bool missing;             /* the indicators need the table but no log feeds it */
    fh_kql_query *queries[2]; /* findings, then suppressed rows; NULL when not run */
    finding_list lists[2];    /* the rows of each query */
    fh_status status;         /* FH_OK, or the error that stopped the queries */
    fh_error err;
    pthread_t thread;
    bool threaded; /* thread was started and must be joined */
} table_job;

/* Result columns the generated queries always project, in this order. */
enum {
    COL_TIME,
    COL_HOST,
    COL_MATCHED_COLUMN,
    COL_MATCHED_VALUE,
    COL_MATCHED_PORT,
    COL_PORT_MATCH,
    COL_FIXED_COUNT
};

static void finding_free(fh_finding *f)
{
    free(f->host);
    free(f->matched_column);
    free(f->matched_value);
    free(f->details);
}

static fh_finding *list_push(finding_list *list)
{
    if (list->count == list->cap) {
        size_t cap = list->cap ? list->cap * 2 : 64;
        fh_finding *grown = realloc(list->items, cap * sizeof *grown);
        if (grown == NULL)
            return NULL;
        list->items = grown;
        list->cap = cap;
    }
    fh_finding *f = &list->items[list->count++];
    memset(f, 0, sizeof *f);
    return f;
}

static char *value_text(const fh_value *v, fh_arena *arena)
{
    const char *ptr = "";
    size_t len = 0;
    if (fh_value_to_string(v, arena, &ptr, &len) != FH_OK)
        return NULL;
    return strndup(ptr, len);
}

static char *row_details(const fh_schema *schema, const fh_value *row, size_t first)
{
    json_t *obj = json_object();
    if (obj == NULL)
        return NULL;
    for (size_t i = first; i < schema->ncols; i++) {
        json_t *v = fh_value_to_json(&row[i]);
        if (v == NULL || json_object_set_new(obj, schema->cols[i].name, v) != 0) {
            json_decref(obj);
            return NULL;
        }
    }
    char *text = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(obj);
    return text;
}

static const fh_exclusion *exclusion_named(const fh_exclusion_set *set, const char *name,
                                           size_t len)
{
    for (size_t i = 0; set != NULL && i < set->count; i++) {
        if (strlen(set->items[i].name) == len && memcmp(set->items[i].name, name, len) == 0)
            return &set->items[i];
    }
    return NULL;
}

static fh_status add_row(table_job *job, const fh_schema *schema, const fh_value *row,
                         bool suppressed, fh_arena *arena)
{
    const hunt_run *run = job->run;
    const hunt_table *t = job->table;
    finding_list *list = &job->lists[suppressed];
    fh_finding *f = list_push(list);
    if (f == NULL)
        return fh_error_set(&job->err, FH_ERR_NOMEM, NULL, 0, 0, "out of memory");
    f->order = (uint32_t)list->count;
    f->table = t->name;
    f->time = row[COL_TIME].is_null ? FH_TIME_UNKNOWN : row[COL_TIME].u.ticks;
    f->host = value_text(&row[COL_HOST], arena);
    f->matched_column = value_text(&row[COL_MATCHED_COLUMN], arena);
    f->matched_value = value_text(&row[COL_MATCHED_VALUE], arena);
    f->port_match = !row[COL_PORT_MATCH].is_null && row[COL_PORT_MATCH].u.b;
    size_t first_context = COL_FIXED_COUNT;
    if (suppressed) {
        const fh_value *by = &row[COL_FIXED_COUNT];
        f->suppressed_by = exclusion_named(run->exclusions, by->u.s.ptr, by->u.s.len);
        first_context++;
    }
    f->details = row_details(schema, row, first_context);
    if (f->host == NULL || f->matched_column == NULL || f->matched_value == NULL ||
        f->details == NULL)
        return fh_error_set(&job->err, FH_ERR_NOMEM, NULL, 0, 0, "out of memory");

    int port = row[COL_MATCHED_PORT].is_null ? -1 : (int)row[COL_MATCHED_PORT].u.i;
    f->indicator = hunt_index_match(&run->index, f->matched_value, port);
    if (f->indicator == NULL)
        return fh_error_set(&job->err, FH_ERR_INTERNAL, NULL, 0, 0,
                            "a %s row matched value '%s' in %s but no indicator explains it",
                            t->name, f->matched_value, f->matched_column);
    f->before_first_seen = f->indicator->first_seen != FH_TIME_UNKNOWN &&
                           f->time != FH_TIME_UNKNOWN && f->time < f->indicator->first_seen;
    return FH_OK;
}

static fh_status check_schema(hunt_run *run, const hunt_table *t, const fh_schema *schema,
                              bool suppressed)
{
    static const char *const fixed[] = {
        "", "", "MatchedColumn", "MatchedValue", "MatchedPort", "PortMatch"};
    size_t need = COL_FIXED_COUNT + (suppressed ? 1 : 0);
    bool ok = schema->ncols >= need && schema->cols[COL_TIME].type == FH_TYPE_DATETIME;
    for (size_t i = COL_MATCHED_COLUMN; ok && i < COL_FIXED_COUNT; i++)
        ok = strcmp(schema->cols[i].name, fixed[i]) == 0;
    if (!ok)
        return fh_error_set(run->err, FH_ERR_INTERNAL, NULL, 0, 0,
                            "the generated %s query returned unexpected columns", t->name);
    return FH_OK;
}

/* Runs one prepared query of the job to its end and collects its rows. */
static fh_status job_drain(table_job *job, bool suppressed)
{
    fh_kql_query *query = job->queries[suppressed];
    const fh_schema *schema = fh_kql_query_schema(query);
    fh_arena arena;
    fh_arena_init(&arena);

    const fh_batch *batch;
    fh_status st;
    while ((st = fh_kql_query_next(query, &batch, &job->err)) == FH_OK) {
        for (size_t r = 0; r < batch->nrows && st == FH_OK; r++)
            st = add_row(job, schema, batch->cells + r * schema->ncols, suppressed, &arena);
        fh_arena_reset(&arena);
        if (st != FH_OK)
            break;
    }
    fh_arena_destroy(&arena);
    return st == FH_DONE ? FH_OK : st;
}

static void *job_main(void *arg)
{
    table_job *job = arg;
    job->status = job_drain(job, false);
    if (job->status == FH_OK && job->queries[1] != NULL)
        job->status = job_drain(job, true);
    return NULL;
}

static bool any_exclusion_applies(const fh_exclusion_set *set, const char *table)
{
    for (size_t i = 0; set != NULL && i < set->count; i++) {
        if (fh_exclusion_applies(&set->items[i], table))
            return true;
    }
    return false;
}

static fh_status count_rows_in_range(hunt_run *run, const hunt_table *t, uint64_t *count)
{
    fh_strbuf sb;
    fh_strbuf_init(&sb);
    fh_strbuf_puts(&sb, t->name);
    char when[48];
    if (run->options->start != FH_TIME_UNKNOWN) {
        fh_datetime_format(run->options->start, when, sizeof when);
        fh_strbuf_printf(&sb, " | where %s >= datetime(%s)", t->time_column, when);
    }
    if (run->options->end != FH_TIME_UNKNOWN) {
        fh_datetime_format(run->options->end, when, sizeof when);
        fh_strbuf_printf(&sb, " | where %s <= datetime(%s)", t->time_column, when);
    }
    fh_strbuf_puts(&sb, " | take 1 | count");
    if (fh_strbuf_status(&sb) != FH_OK) {
        fh_strbuf_free(&sb);
        return fh_error_set(run->err, FH_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }

    fh_kql_query *query = NULL;
    const fh_batch *batch;
    *count = 0;
    fh_status st = fh_kql_prepare(run->engine, sb.data, sb.len, t->name, &query, run->err);
    if (st == FH_OK)
        st = fh_kql_query_next(query, &batch, run->err);
    if (st == FH_OK && batch->nrows > 0 && !batch->cells[0].is_null)
        *count = (uint64_t)batch->cells[0].u.l;
    if (st == FH_DONE)
        st = FH_OK;
    fh_kql_query_destroy(query);
    fh_strbuf_free(&sb);
    return st;
}

static fh_status add_note(hunt_run *run, const hunt_table *t, fh_coverage_kind kind)
{
    fh_hunt_result *res = run->result;
    fh_coverage_note *grown = realloc(res->notes, (res->nnotes + 1) * sizeof *grown);
    if (grown == NULL)
        return fh_error_set(run->err, FH_ERR_NOMEM, NULL, 0, 0, "out of memory");
    res->notes = grown;
    fh_coverage_note *note = &res->notes[res->nnotes++];
    note->table = t->name;
    note->kind = kind;
    if (kind == FH_COVERAGE_MISSING)
        snprintf(note->message, sizeof note->message,
                 "%s: the indicators call for this table but no log feeds it; it needs %s", t->name,
                 t->connector);
    else
        snprintf(note->message, sizeof note->message,
                 "%s: logs feed this table but none of its rows falls in the hunted time range",
                 t->name);
    return FH_OK;
}

/* Generates and prepares one query of a table's job. */
static fh_status job_prepare_query(hunt_run *run, table_job *job, hunt_kql_mode mode)
{
    const hunt_table *t = job->table;
    bool suppressed = mode == HUNT_KQL_SUPPRESSED;
    char *kql = NULL;
    fh_status st = hunt_kql_generate(run->iocs, t->name, run->exclusions, run->options->start,
                                     run->options->end, mode, &kql, run->err);
    if (st != FH_OK)
        return st;
    st =
        fh_kql_prepare(run->engine, kql, strlen(kql), t->name, &job->queries[suppressed], run->err);
    free(kql);
    if (st == FH_OK)
        st = check_schema(run, t, fh_kql_query_schema(job->queries[suppressed]), suppressed);
    return st;
}

/* Prepares the queries of a table the indicators call for and the logs feed. */
static fh_status job_prepare(hunt_run *run, table_job *job, const hunt_table *t)
{
    job->run = run;
    job->table = t;
    fh_error_clear(&job->err);
    if (!fh_hunt_table_needed(run->iocs, t->name))
        return FH_OK;
    if (!fh_kql_engine_has_table(run->engine, t->name)) {
        job->missing = true;
        return FH_OK;
    }
    fh_status st = job_prepare_query(run, job, HUNT_KQL_FINDINGS);
    if (st == FH_OK && any_exclusion_applies(run->exclusions, t->name))
        st = job_prepare_query(run, job, HUNT_KQL_SUPPRESSED);
    return st;
}

/*
 * Runs the prepared jobs, each on its own thread unless options.threads is 1 or only one job
 * has queries. A job whose thread cannot start runs on the calling thread.
 */
static void jobs_run(const hunt_run *run, table_job *jobs, size_t njobs)
{
    size_t active = 0;
    for (size_t i = 0; i < njobs; i++)
        active += jobs[i].queries[0] != NULL;
    bool threaded = active > 1 && run->options->threads != 1;
    for (size_t i = 0; i < njobs; i++) {
        if (jobs[i].queries[0] == NULL)
            continue;
        if (threaded && pthread_create(&jobs[i].thread, NULL, job_main, &jobs[i]) == 0)
            jobs[i].threaded = true;
        else
            job_main(&jobs[i]);
    }
    for (size_t i = 0; i < njobs; i++) {
        if (jobs[i].threaded)
            pthread_join(jobs[i].thread, NULL);
        jobs[i].threaded = false;
    }
}

/* Moves the findings of list to the end of to. */
static fh_status list_move(finding_list *to, finding_list *list, fh_error *err)
{
    for (size_t i = 0; i < list->count; i++) {
        fh_finding *f = list_push(to);
        if (f == NULL)
            return fh_error_set(err, FH_ERR_NOMEM, NULL, 0, 0, "out of memory");
        *f = list->items[i];
    }
    free(list->items);
    memset(list, 0, sizeof *list);
    return FH_OK;
}

/* Collects a finished job's rows and report, and adds its coverage note when it needs one. */
static fh_status job_finish(hunt_run *run, table_job *job)
{
    const hunt_table *t = job->table;
    fh_hunt_table_report *report = &run->result->tables[run->result->ntables++];
    report->table = t->name;
    if (job->missing)
        return add_note(run, t, FH_COVERAGE_MISSING);
    if (job->queries[0] == NULL)
        return FH_OK;

    report->hunted = true;
    report->findings = job->lists[0].count;
    report->suppressed = job->lists[1].count;
    fh_status st = list_move(&run->findings, &job->lists[0], run->err);
    if (st == FH_OK)
        st = list_move(&run->suppressed, &job->lists[1], run->err);
    if (st != FH_OK || report->findings + report->suppressed > 0)
        return st;

    uint64_t count = 0;
    st = count_rows_in_range(run, t, &count);
    if (st == FH_OK && count == 0)
        st = add_note(run, t, FH_COVERAGE_EMPTY);
    return st;
}

/* Frees a job's queries and any findings it still owns. */
static void job_free(table_job *job)
{
    for (size_t q = 0; q < 2; q++) {
        fh_kql_query_destroy(job->queries[q]);
        for (size_t i = 0; i < job->lists[q].count; i++)
            finding_free(&job->lists[q].items[i]);
        free(job->lists[q].items);
    }
}

/*
 * Prepares every table's queries, runs them, and collects the results in table order. When
 * several tables fail, the error of the first in table order is returned.
 */
static fh_status hunt_tables(hunt_run *run)
{
    size_t ntables;
    const hunt_table *tables = hunt_table_all(&ntables);
    table_job *jobs = calloc(ntables ? ntables : 1, sizeof *jobs);
    if (jobs == NULL)
        return fh_error_set(run->err, FH_ERR_NOMEM, NULL, 0, 0, "out of memory");

    fh_status st = FH_OK;
    for (size_t i = 0; st == FH_OK && i < ntables; i++)
        st = job_prepare(run, &jobs[i], &tables[i]);
    if (st == FH_OK)
        jobs_run(run, jobs, ntables);
    for (size_t i = 0; st == FH_OK && i < ntables; i++) {
        if (jobs[i].status != FH_OK) {
            *run->err = jobs[i].err;
            st = jobs[i].status;
        }
    }
    for (size_t i = 0; st == FH_OK && i < ntables; i++)
        st = job_finish(run, &jobs[i]);
    for (size_t i = 0; i < ntables; i++)
        job_free(&jobs[i]);
    free(jobs);
    return st;
}

static int table_rank(const char *table)
{
    const char *const *names = fh_hunt_tables();
    for (int i = 0; names[i] != NULL; i++) {
        if (strcmp(names[i], table) == 0)
            return i;
    }
    return 99;
}

/* Newest first; equal times keep table order and then query order. */
static int compare_findings(const void *a, const void *b)
{
    const fh_finding *x = a, *y = b;
    if (x->time != y->time)
        return x->time > y->time ? -1 : 1;
    int tx = table_rank(x->table), ty = table_rank(y->table);
    if (tx != ty)
        return tx - ty;
    return (x->order > y->order) - (x->order < y->order);
}

static fh_status count_per_exclusion(hunt_run *run)
{
    size_t n = run->exclusions ? run->exclusions->count : 0;
    run->result->suppressed_per_exclusion = calloc(n ? n : 1, sizeof(uint64_t));
    if (run->result->suppressed_per_exclusion == NULL)
        return fh_error_set(run->err, FH_ERR_NOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < run->suppressed.count; i++) {
        const fh_exclusion *by = run->suppressed.items[i].suppressed_by;
        if (by != NULL)
            run->result->suppressed_per_exclusion[by - run->exclusions->items]++;
    }
    return FH_OK;
}

fh_status fh_hunt_run(fh_kql_engine *engine, const fh_ioc_set *iocs,
                      const fh_exclusion_set *exclusions, const fh_hunt_options *options,
                      fh_hunt_result *out, fh_error *err)
{
    static const fh_hunt_options open_range = {FH_TIME_UNKNOWN, FH_TIME_UNKNOWN, 0};
    memset(out, 0, sizeof *out);
    hunt_run run = {.engine = engine,
                    .iocs = iocs,
                    .exclusions = exclusions,
                    .options = options ? options : &open_range,
                    .result = out,
                    .err = err};

    fh_status st = hunt_index_build(iocs, &run.index, err);
    if (st == FH_OK)
        st = hunt_tables(&run);
    if (st == FH_OK)
        st = count_per_exclusion(&run);
    hunt_index_free(&run.index);

    if (run.findings.count > 0)
        qsort(run.findings.items, run.findings.count, sizeof(fh_finding), compare_findings);
    if (run.suppressed.count > 0)
        qsort(run.suppressed.items, run.suppressed.count, sizeof(fh_finding), compare_findings);
    out->findings = run.findings.items;
    out->nfindings = run.findings.count;
    out->suppressed = run.suppressed.items;
    out->nsuppressed = run.suppressed.count;
    if (st != FH_OK)
        fh_hunt_result_free(out);
    return st;
}

void fh_hunt_result_free(fh_hunt_result *result)
{
    if (result == NULL)
        return;
    for (size_t i = 0; i < result->nfindings; i++)
        finding_free(&result->findings[i]);
    for (size_t i = 0; i < result->nsuppressed; i++)
        finding_free(&result->suppressed[i]);
    free(result->findings);
    free(result->suppressed);
    free(result->suppressed_per_exclusion);
    free(result->notes);
    memset(result, 0, sizeof *result);
}
