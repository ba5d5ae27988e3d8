/*
 * foxhound hunt: loads indicators and logs, runs the generated hunting queries, and prints
 * findings newest first with a summary, the suppressed rows on request, and coverage notes.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "cli.h"
#include "cli_progress.h"
#include "cli_select.h"
#include "foxhound/datetime.h"
#include "foxhound/hunt.h"
#include "foxhound/ioc_import.h"
#include "foxhound/ioc_store.h"
#include "foxhound/kql.h"
#include "foxhound/reader.h"
#include "foxhound/value_ops.h"
#include "foxhound/writer.h"

typedef struct hunt_args {
    const char **ioc_files;
    size_t nioc_files;
    const char *db; /* indicator database; NULL unless --db is given */
    const char *exclusions;
    fh_hunt_filter filter;
    fh_hunt_options range;
    fh_output_format format;
    bool show_suppressed;
    bool explain;
    bool stats;
    bool no_shortcuts;
    bool strict;
    int threads; /* --threads N; 0 uses every core */
    int64_t now;
    const char *since_text, *start_text, *end_text; /* resolved once --now is known */
    const char **tables;                            /* NAME=PATH bindings */
    size_t ntables;
    char **logs;
    size_t nlogs;
} hunt_args;

static const char usage[] =
    "Usage: foxhound hunt [OPTIONS] [--iocs FILE]... [--db PATH] LOG...\n"
    "\n"
    "Finds the indicators in the logs and prints every matching event, newest first.\n"
    "LOG is a file or folder of CEF syslog, Sentinel or Defender JSON, or CSV exports\n"
    "(gzip and zstd are read transparently); '-' reads standard input.\n"
    "\n"
    "Indicators:\n"
    "  --iocs FILE             a feed, rule page, STIX bundle, MISP event, Zeek intel or\n"
    "                          text file with indicators; repeat for several files\n"
    "  --db PATH               also hunt the indicators in this database (without --iocs,\n"
    "                          the default database of 'foxhound ioc import' is used)\n"
    "  --min-confidence N      only indicators with confidence N (0-100) or more\n"
    "  --since TIME            only indicators first seen at or after TIME: a date, a\n"
    "                          datetime, or a time span before now such as 30d\n"
    "  --family NAME           only indicators of this malware family (or alias)\n"
    "  --type T[,T...]         only these types: ipv4, ipv6, ip:port, cidr, domain, url,\n"
    "                          md5, sha1, sha256\n"
    "Logs:\n"
    "  --table NAME=PATH       read PATH as table NAME instead of detecting the table\n"
    "  --start TIME, --end TIME  hunt only events in this time range (UTC; TIME as for\n"
    "                          --since)\n"
    "  --strict                stop at the first malformed log row or unreadable log file\n"
    "                          instead of reporting it and going on\n"
    "  --threads N             read each large file with N threads (default: one per core);\n"
    "                          with 1, tables are also hunted one after another\n"
    "Output:\n"
    "  --exclusions FILE       YAML file of named exclusions (false-positive filters)\n"
    "  --show-suppressed       also list the events exclusions removed, with their names\n"
    "  --format F              table (default), json (JSON lines) or csv\n"
    "  --explain               print the KQL that runs for each table, then exit\n"
    "  --stats                 print rows read, loaded and skipped per log file\n"
    "  --no-shortcuts          run without prefilter and column pushdown (same results)\n"
    "  --now DATETIME          the time now() and ago() use (default: the current time)\n"
    "  -h, --help              show this help\n"
    "\n"
    "Exit status: 0 no findings, 1 findings, 2 invalid command line, 3 error.\n";

/* Reads a datetime, or a timespan such as "30d" meaning that long before now. */
static int parse_time_option(const char *name, const char *text, int64_t now, int64_t *out)
{
    int64_t ago;
    if (fh_datetime_parse(text, strlen(text), out) == FH_OK)
        return 0;
    if (fh_timespan_parse(text, strlen(text), &ago) == FH_OK && ago >= 0) {
        *out = now - ago;
        return 0;
    }
    return cli_usage_error("hunt",
                           "invalid time '%s' for %s; use ISO 8601 such as 2026-06-11 or "
                           "2026-06-11T08:00:00Z, or a time span before now such as 30d",
                           text, name);
}

static int push(const char ***list, size_t *count, const char *item)
{
    const char **grown = realloc(*list, (*count + 1) * sizeof *grown);
    if (grown == NULL) {
        fputs("foxhound: out of memory reading the command line\n", stderr);
        return CLI_EXIT_ERROR;
    }
    grown[(*count)++] = item;
    *list = grown;
    return 0;
}

enum {
    OPT_IOCS = 256,
    OPT_EXCLUSIONS,
    OPT_MIN_CONF,
    OPT_SINCE,
    OPT_FAMILY,
    OPT_TYPE,
    OPT_TABLE,
    OPT_START,
    OPT_END,
    OPT_STRICT,
    OPT_SHOW_SUPPRESSED,
    OPT_FORMAT,
    OPT_EXPLAIN,
    OPT_STATS,
    OPT_NO_SHORTCUTS,
    OPT_NOW,
    OPT_DB,
    OPT_THREADS,
};

static const struct option long_options[] = {
    {"iocs", required_argument, NULL, OPT_IOCS},
    {"exclusions", required_argument, NULL, OPT_EXCLUSIONS},
    {"min-confidence", required_argument, NULL, OPT_MIN_CONF},
    {"since", required_argument, NULL, OPT_SINCE},
    {"family", required_argument, NULL, OPT_FAMILY},
    {"type", required_argument, NULL, OPT_TYPE},
    {"table", required_argument, NULL, OPT_TABLE},
    {"start", required_argument, NULL, OPT_START},
    {"end", required_argument, NULL, OPT_END},
    {"strict", no_argument, NULL, OPT_STRICT},
    {"show-suppressed", no_argument, NULL, OPT_SHOW_SUPPRESSED},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"explain", no_argument, NULL, OPT_EXPLAIN},
    {"stats", no_argument, NULL, OPT_STATS},
    {"no-shortcuts", no_argument, NULL, OPT_NO_SHORTCUTS},
    {"threads", required_argument, NULL, OPT_THREADS},
    {"now", required_argument, NULL, OPT_NOW},
    {"db", required_argument, NULL, OPT_DB},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static int parse_option(hunt_args *a, int opt, const char *arg)
{
    switch (opt) {
    case OPT_IOCS:
        return push(&a->ioc_files, &a->nioc_files, arg);
    case OPT_DB:
        a->db = arg;
        return 0;
    case OPT_EXCLUSIONS:
        a->exclusions = arg;
        return 0;
    case OPT_MIN_CONF:
        return cli_parse_confidence("hunt", arg, &a->filter.min_confidence);
    case OPT_SINCE:
        a->since_text = arg;
        return 0;
    case OPT_FAMILY:
        a->filter.family = arg;
        return 0;
    case OPT_TYPE:
        return cli_parse_types("hunt", arg, &a->filter.types);
    case OPT_TABLE:
        if (strchr(arg, '=') == NULL)
            return cli_usage_error("hunt", "--table expects NAME=PATH, got '%s'", arg);
        return push(&a->tables, &a->ntables, arg);
    case OPT_START:
        a->start_text = arg;
        return 0;
    case OPT_END:
        a->end_text = arg;
        return 0;
    case OPT_STRICT:
        a->strict = true;
        return 0;
    case OPT_SHOW_SUPPRESSED:
        a->show_suppressed = true;
        return 0;
    case OPT_FORMAT:
        if (fh_output_format_from_name(arg, &a->format) != FH_OK)
            return cli_usage_error("hunt", "unknown format '%s'; use table, json or csv", arg);
        return 0;
    case OPT_EXPLAIN:
        a->explain = true;
        return 0;
    case OPT_STATS:
        a->stats = true;
        return 0;
    case OPT_NO_SHORTCUTS:
        a->no_shortcuts = true;
        return 0;
    case OPT_THREADS:
        return cli_parse_threads("hunt", arg, &a->threads);
    case OPT_NOW:
        if (fh_datetime_parse(arg, strlen(arg), &a->now) != FH_OK)
            return cli_usage_error("hunt", "invalid datetime '%s' for --now", arg);
        return 0;
    default:
        return cli_usage_error("hunt", "invalid option");
    }
}

static int parse_args(int argc, char **argv, hunt_args *a)
{
    memset(a, 0, sizeof *a);
    a->filter.first_seen_since = FH_TIME_UNKNOWN;
    a->range.start = a->range.end = FH_TIME_UNKNOWN;
    a->format = FH_OUTPUT_TABLE;
    a->now = FH_TIME_UNKNOWN;

    optind = 1;
    opterr = 0;
    int opt;
    while ((opt = getopt_long(argc, argv, "h", long_options, NULL)) != -1) {
        if (opt == 'h') {
            fputs(usage, stdout);
            return -2;
        }
        if (opt == '?')
            return cli_usage_error("hunt", "unknown or incomplete option '%s'", argv[optind - 1]);
        int rc = parse_option(a, opt, optarg);
        if (rc != 0)
            return rc;
    }
    if (a->now == FH_TIME_UNKNOWN)
        a->now = cli_now_ticks();
    int rc = 0;
    if (a->since_text != NULL)
        rc = parse_time_option("--since", a->since_text, a->now, &a->filter.first_seen_since);
    if (rc == 0 && a->start_text != NULL)
        rc = parse_time_option("--start", a->start_text, a->now, &a->range.start);
    if (rc == 0 && a->end_text != NULL)
        rc = parse_time_option("--end", a->end_text, a->now, &a->range.end);
    if (rc != 0)
        return rc;
    a->logs = argv + optind;
    a->nlogs = (size_t)(argc - optind);
    if (a->nlogs == 0 && a->ntables == 0 && !a->explain)
        return cli_usage_error("hunt", "no logs: give at least one log file or folder");
    if (a->range.start != FH_TIME_UNKNOWN && a->range.end != FH_TIME_UNKNOWN &&
        a->range.start > a->range.end)
        return cli_usage_error("hunt", "--start is later than --end");
    return 0;
}

/* Adds the database's indicators that pass the filters to set. */
static int load_database(const hunt_args *a, fh_ioc_set *set)
{
    fh_error err;
    char *path = NULL;
    if (a->db == NULL && fh_ioc_store_default_path(&path, NULL, &err) != FH_OK)
        return cli_report(&err);

    fh_ioc_store *store = NULL;
    const char *name = a->db ? a->db : path;
    fh_status st = fh_ioc_store_open(name, FH_IOC_STORE_READONLY, &store, &err);
    if (st == FH_ERR_NOT_FOUND && a->db == NULL) {
        fprintf(stderr,
                "foxhound: no indicators: give --iocs FILE, or load the database %s "
                "with 'foxhound ioc import'\nTry 'foxhound hunt --help'.\n",
                name);
        free(path);
        return CLI_EXIT_USAGE;
    }

    fh_ioc_filter filter;
    fh_ioc_filter_init(&filter);
    filter.types = a->filter.types;
    filter.family = a->filter.family;
    if (a->filter.min_confidence > 0)
        filter.min_confidence = a->filter.min_confidence;
    filter.since = a->filter.first_seen_since;
    size_t before = set->count;
    if (st == FH_OK)
        st = fh_ioc_store_load(store, &filter, set, &err);
    int rc = st == FH_OK ? 0 : cli_report(&err);
    if (rc == 0)
        fprintf(stderr, "foxhound: %s: database, %zu indicators\n", name, set->count - before);
    fh_ioc_store_close(store);
    free(path);
    return rc;
}

static bool filter_keeps(const fh_indicator *ioc, void *filter)
{
    return fh_hunt_filter_match(filter, ioc);
}

static int load_indicators(const hunt_args *a, fh_ioc_set *set)
{
    fh_error err;
    if (a->db != NULL || a->nioc_files == 0) {
        int rc = load_database(a, set);
        if (rc != 0)
            return rc;
    }
    for (size_t i = 0; i < a->nioc_files; i++) {
        size_t before = set->count;
        uint64_t rejected_before = set->rejected_total;
        fh_ioc_format used = FH_IOC_FORMAT_AUTO;
        if (fh_ioc_import_file(a->ioc_files[i], FH_IOC_FORMAT_AUTO, set, &used, &err) != FH_OK)
            return cli_report(&err);
        size_t added = set->count - before;
        fprintf(stderr, "foxhound: %s: %s, %zu indicator%s", a->ioc_files[i],
                fh_ioc_format_name(used), added, added == 1 ? "" : "s");
        if (set->rejected_total > rejected_before)
            fprintf(stderr, ", %llu rejected",
                    (unsigned long long)(set->rejected_total - rejected_before));
        fputc('\n', stderr);
    }
    for (size_t i = 0; i < set->nrejects && i < 5; i++) {
        const fh_ioc_reject *r = &set->rejects[i];
        fprintf(stderr, "foxhound: %s:%lu: rejected '", r->source, r->line);
        cli_write_safe(stderr, r->value, strlen(r->value));
        fputs("': ", stderr);
        cli_write_safe(stderr, r->reason, strlen(r->reason));
        fputc('\n', stderr);
    }

    /* Keep the indicators the filters select, in their original order. */
    size_t total = set->count;
    fh_hunt_filter filter = a->filter;
    size_t kept = fh_ioc_set_retain(set, filter_keeps, &filter);
    if (kept < total)
        fprintf(stderr, "foxhound: %zu of %zu indicators match the filters\n", kept, total);
    if (kept == 0) {
        fprintf(stderr, "foxhound: no indicator to hunt for: the files and database hold none, or "
                        "the filters select none\n");
        return CLI_EXIT_ERROR;
    }
    return 0;
}

static int explain(const hunt_args *a, const fh_ioc_set *set, const fh_exclusion_set *ex)
{
    for (const char *const *t = fh_hunt_tables(); *t != NULL; t++) {
        char *kql = NULL;
        fh_error err;
        fh_status st = fh_hunt_generate_kql(set, *t, ex, a->range.start, a->range.end, &kql, &err);
        if (st == FH_ERR_NOT_FOUND)
            continue;
        if (st != FH_OK)
            return cli_report(&err);
        fputs(kql, stdout);
        fputc('\n', stdout);
        free(kql);
    }
    return CLI_EXIT_OK;
}

/*
 * Binds files to their tables. A file that is not a log format foxhound reads is skipped with
 * a message. A log that cannot be read is reported, counted in *failed and left out, so one
 * broken export does not stop the hunt over the others.
 */
static int bind_files(const hunt_args *a, fh_kql_engine *engine, const fh_path_list *files,
                      size_t *bound, size_t *skipped, size_t *failed)
{
    fh_error err;
    for (size_t i = 0; i < files->count; i++) {
        const char *table = NULL;
        fh_status st = fh_kql_engine_add_file(engine, NULL, files->paths[i], &table, &err);
        if (st == FH_OK) {
            (*bound)++;
            if (a->stats)
                fprintf(stderr, "foxhound: %s: table %s\n", files->paths[i], table);
        } else if (st == FH_ERR_NOMEM || st == FH_ERR_INTERNAL || a->strict) {
            return cli_report(&err);
        } else if (st == FH_ERR_FORMAT) {
            cli_report_as("skipped", &err);
            (*skipped)++;
        } else {
            cli_report_as("error, not hunted", &err);
            (*failed)++;
        }
    }
    return 0;
}

static int bind_logs(const hunt_args *a, fh_kql_engine *engine, size_t *bound, size_t *skipped,
                     size_t *failed)
{
    fh_error err;
    for (size_t i = 0; i < a->ntables; i++) {
        char *name = strndup(a->tables[i], (size_t)(strchr(a->tables[i], '=') - a->tables[i]));
        const char *path = strchr(a->tables[i], '=') + 1;
        fh_status st = fh_kql_engine_add_file(engine, name, path, NULL, &err);
        free(name);
        if (st != FH_OK)
            return cli_report(&err);
        (*bound)++;
    }

    int rc = 0;
    for (size_t p = 0; p < a->nlogs && rc == 0; p++) {
        /* Each path expands on its own, so a missing one does not stop the others. */
        fh_path_list files;
        const char *path = a->logs[p];
        if (fh_path_list_expand(&path, 1, &files, &err) != FH_OK) {
            if (a->strict)
                return cli_report(&err);
            cli_report_as("error, not hunted", &err);
            (*failed)++;
            continue;
        }
        rc = bind_files(a, engine, &files, bound, skipped, failed);
        fh_path_list_free(&files);
    }
    return rc;
}

static const fh_column finding_columns[] = {
    {"TimeGenerated", FH_TYPE_DATETIME},
    {"Table", FH_TYPE_STRING},
    {"Host", FH_TYPE_STRING},
    {"MatchedColumn", FH_TYPE_STRING},
    {"MatchedValue", FH_TYPE_STRING},
    {"Indicator", FH_TYPE_STRING},
    {"IndicatorType", FH_TYPE_STRING},
    {"Family", FH_TYPE_STRING},
    {"ThreatType", FH_TYPE_STRING},
    {"Confidence", FH_TYPE_INT},
    {"FirstSeen", FH_TYPE_DATETIME},
    {"PortMatch", FH_TYPE_BOOL},
    {"BeforeFirstSeen", FH_TYPE_BOOL},
    {"SuppressedBy", FH_TYPE_STRING},
    {"Details", FH_TYPE_DYNAMIC},
};
#define FINDING_COLUMNS (sizeof finding_columns / sizeof finding_columns[0])

static fh_value text_value(const char *s)
{
    return fh_value_string(s ? s : "", s ? strlen(s) : 0);
}

static fh_status fill_row(fh_batch *batch, const fh_finding *f, bool with_suppressed, fh_error *err)
{
    fh_value *row;
    fh_status st = fh_batch_append(batch, &row, err);
    if (st != FH_OK)
        return st;
    const fh_indicator *ioc = f->indicator;
    size_t c = 0;
    row[c++] =
        f->time == FH_TIME_UNKNOWN ? fh_value_null(FH_TYPE_DATETIME) : fh_value_datetime(f->time);
    row[c++] = text_value(f->table);
    row[c++] = text_value(f->host);
    row[c++] = text_value(f->matched_column);
    row[c++] = text_value(f->matched_value);
    row[c++] = text_value(ioc->value);
    row[c++] = text_value(fh_ioc_type_name(ioc->type));
    row[c++] = text_value(ioc->family);
    row[c++] = text_value(ioc->threat_type);
    row[c++] = ioc->confidence == FH_CONFIDENCE_UNKNOWN ? fh_value_null(FH_TYPE_INT)
                                                        : fh_value_int(ioc->confidence);
    row[c++] = ioc->first_seen == FH_TIME_UNKNOWN ? fh_value_null(FH_TYPE_DATETIME)
                                                  : fh_value_datetime(ioc->first_seen);
    row[c++] = fh_value_bool(f->port_match);
    row[c++] = fh_value_bool(f->before_first_seen);
    if (with_suppressed)
        row[c++] = text_value(f->suppressed_by ? f->suppressed_by->name : "");

    json_t *details = json_loads(f->details, 0, NULL);
    row[c] = fh_value_null(FH_TYPE_DYNAMIC);
    if (details != NULL) {
        row[c].is_null = false;
        row[c].u.dyn = details;
        st = fh_arena_adopt_json(&batch->arena, details);
    }
    return st;
}

/* A run of findings to write: the findings or the suppressed rows. */
typedef struct finding_run {
    const fh_finding *items;
    size_t count;
} finding_run;

/*
 * Writes runs of findings as one table. with_suppressed adds the SuppressedBy column, empty
 * for rows that no exclusion removed.
 */
static int write_findings(const hunt_args *a, const finding_run *runs, size_t nruns,
                          bool with_suppressed)
{
    bool suppressed = with_suppressed;
    fh_column cols[FINDING_COLUMNS];
    size_t ncols = 0;
    for (size_t i = 0; i < FINDING_COLUMNS; i++) {
        if (!suppressed && strcmp(finding_columns[i].name, "SuppressedBy") == 0)
            continue;
        cols[ncols++] = finding_columns[i];
    }

    fh_error err;
    fh_schema *schema = NULL;
    fh_writer *writer = NULL;
    fh_batch batch;
    int rc = 0;
    fh_batch_init(&batch, NULL, &err);
    if (fh_schema_create(suppressed ? "Suppressed" : "Findings", cols, ncols, &schema, &err) !=
        FH_OK)
        return cli_report(&err);
    batch.schema = schema;

    fh_writer_options options = {0};
    options.max_cell_width = 64; /* table format only; json and csv keep whole values */
    fh_status st = fh_writer_create(stdout, a->format, &options, &writer, &err);
    if (st == FH_OK)
        st = fh_writer_begin(writer, schema, &err);
    for (size_t r = 0; st == FH_OK && r < nruns; r++) {
        for (size_t i = 0; st == FH_OK && i < runs[r].count; i++) {
            st = fill_row(&batch, &runs[r].items[i], suppressed, &err);
            if (st == FH_OK && batch.nrows == FH_BATCH_ROWS) {
                st = fh_writer_write_batch(writer, &batch, &err);
                fh_batch_clear(&batch);
            }
        }
    }
    if (st == FH_OK && batch.nrows > 0)
        st = fh_writer_write_batch(writer, &batch, &err);
    if (st == FH_OK)
        st = fh_writer_end(writer, &err);
    if (st != FH_OK)
        rc = cli_report(&err);

    fh_writer_destroy(writer);
    fh_batch_destroy(&batch);
    fh_schema_destroy(schema);
    return rc;
}

typedef struct tally {
    const char *key;
    size_t count;
} tally;

static int compare_keys(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int compare_tally(const void *a, const void *b)
{
    const tally *x = a, *y = b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return strcmp(x->key, y->key);
}

/* Prints "  LABEL key (n), key (n), ..." with the most frequent keys first, at most 10. */
static void print_tally(FILE *out, const char *label, const char **keys, size_t n)
{
    if (n == 0)
        return;
    qsort(keys, n, sizeof *keys, compare_keys);
    tally *t = malloc(n * sizeof *t);
    if (t == NULL)
        return;
    size_t nt = 0;
    for (size_t i = 0; i < n; i++) {
        if (nt > 0 && strcmp(t[nt - 1].key, keys[i]) == 0)
            t[nt - 1].count++;
        else
            t[nt++] = (tally){keys[i], 1};
    }
    qsort(t, nt, sizeof *t, compare_tally);
    fprintf(out, "  %-14s", label);
    for (size_t i = 0; i < nt && i < 10; i++) {
        fputs(i ? ", " : "", out);
        cli_write_safe(out, t[i].key, strlen(t[i].key));
        fprintf(out, " (%zu)", t[i].count);
    }
    if (nt > 10)
        fprintf(out, ", and %zu more", nt - 10);
    fputc('\n', out);
    free(t);
}

static void print_summary(FILE *out, const fh_hunt_result *res, const fh_exclusion_set *ex)
{
    fprintf(out, "\nSummary: %zu finding%s, %zu suppressed by exclusions\n", res->nfindings,
            res->nfindings == 1 ? "" : "s", res->nsuppressed);
    const char **keys = malloc((res->nfindings ? res->nfindings : 1) * sizeof *keys);
    if (keys == NULL)
        return;
    for (size_t i = 0; i < res->nfindings; i++)
        keys[i] = res->findings[i].indicator->value;
    print_tally(out, "by indicator:", keys, res->nfindings);
    for (size_t i = 0; i < res->nfindings; i++)
        keys[i] = res->findings[i].host;
    print_tally(out, "by host:", keys, res->nfindings);
    for (size_t i = 0; i < res->nfindings; i++)
        keys[i] = res->findings[i].table;
    print_tally(out, "by table:", keys, res->nfindings);
    free(keys);

    for (size_t i = 0; ex != NULL && i < ex->count; i++)
        fprintf(out, "  suppressed:   %s (%llu)\n", ex->items[i].name,
                (unsigned long long)res->suppressed_per_exclusion[i]);
}

static void print_notes(const fh_hunt_result *res)
{
    for (size_t i = 0; i < res->nnotes; i++)
        fprintf(stderr, "foxhound: note: %s\n", res->notes[i].message);
}

/*
 * Writes the findings and, with --show-suppressed, the suppressed rows: in table format as a
 * second table under a heading, in json and csv as more rows of the same table, so the output
 * stays one table that tools can load.
 */
static int write_results(const hunt_args *a, const fh_hunt_result *res)
{
    finding_run runs[2] = {{res->findings, res->nfindings}, {res->suppressed, res->nsuppressed}};
    if (!a->show_suppressed)
        return write_findings(a, runs, 1, false);
    if (a->format != FH_OUTPUT_TABLE)
        return write_findings(a, runs, 2, true);

    int rc = write_findings(a, runs, 1, false);
    if (rc == 0 && res->nsuppressed > 0) {
        fputs("\nSuppressed by exclusions:\n", stdout);
        rc = write_findings(a, runs + 1, 1, true);
    }
    return rc;
}

static int run_hunt(const hunt_args *a, const fh_ioc_set *set, const fh_exclusion_set *ex)
{
    fh_error err;
    cli_progress progress;
    cli_progress_init(&progress);
    fh_kql_options options = {.now_ticks = a->now,
                              .no_shortcuts = a->no_shortcuts,
                              .strict = a->strict,
                              .threads = a->threads,
                              .progress = cli_progress_update,
                              .progress_ctx = &progress};
    fh_kql_engine *engine = NULL;
    if (fh_kql_engine_create(&options, &engine, &err) != FH_OK)
        return cli_report(&err);

    size_t bound = 0, skipped = 0, failed = 0;
    int rc = bind_logs(a, engine, &bound, &skipped, &failed);
    if (rc == 0 && bound == 0) {
        fprintf(stderr, "foxhound: no log file could be read, so nothing was hunted; check the "
                        "paths, or bind files with --table NAME=PATH\n");
        rc = CLI_EXIT_ERROR;
    }
    fh_hunt_result res;
    memset(&res, 0, sizeof res);
    fh_hunt_options hunt_options = a->range;
    hunt_options.threads = a->threads;
    fh_status st = rc == 0 ? fh_hunt_run(engine, set, ex, &hunt_options, &res, &err) : FH_OK;
    cli_progress_finish(&progress);
    if (st != FH_OK)
        rc = cli_report(&err);
    if (rc == 0) {
        rc = write_results(a, &res);
        print_summary(a->format == FH_OUTPUT_TABLE ? stdout : stderr, &res, ex);
        print_notes(&res);
        if (a->stats)
            cli_print_file_stats(engine);
        else
            cli_print_skipped_rows(engine);
        if (skipped > 0)
            fprintf(stderr,
                    "foxhound: %zu file%s skipped because %s format was not recognised\n",
                    skipped, skipped == 1 ? "" : "s", skipped == 1 ? "its" : "their");
        if (failed > 0)
            fprintf(stderr,
                    "foxhound: %zu log file%s could not be read; the results are incomplete\n",
                    failed, failed == 1 ? "" : "s");
    }
    if (rc == 0 && failed > 0)
        rc = CLI_EXIT_ERROR; /* incomplete results must not look like a clean run */
    else if (rc == 0)
        rc = res.nfindings > 0 ? CLI_EXIT_FINDINGS : CLI_EXIT_OK;
    fh_hunt_result_free(&res);
    fh_kql_engine_destroy(engine);
    return rc;
}

int cmd_hunt(int argc, char **argv)
{
    hunt_args a;
    int rc = parse_args(argc, argv, &a);
    if (rc != 0) {
        free(a.ioc_files);
        free(a.tables);
        return rc == -2 ? CLI_EXIT_OK : rc;
    }

    fh_ioc_set set;
    fh_ioc_set_init(&set);
    fh_exclusion_set ex;
    memset(&ex, 0, sizeof ex);
    fh_error err;
    rc = load_indicators(&a, &set);
    if (rc == 0 && a.exclusions != NULL && fh_exclusions_load(a.exclusions, &ex, &err) != FH_OK)
        rc = cli_report(&err);
    if (rc == 0)
        rc = a.explain ? explain(&a, &set, &ex) : run_hunt(&a, &set, &ex);

    fh_exclusions_free(&ex);
    fh_ioc_set_clear(&set);
    free(a.ioc_files);
    free(a.tables);
    return rc;
}
