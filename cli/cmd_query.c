/*
 * foxhound query: runs a KQL query over log files and prints the result as an aligned table,
 * JSON lines or CSV. Plain LOG arguments (files or folders) are bound to the table their
 * content shows; --table NAME=PATH binds a file to a table by name, and --db PATH binds the
 * indicator database as Sentinel's ThreatIntelligenceIndicator table.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"
#include "cli_progress.h"
#include "cli_select.h"
#include "foxhound/datetime.h"
#include "foxhound/ioc_store.h"
#include "foxhound/kql.h"
#include "foxhound/reader.h"
#include "foxhound/writer.h"

typedef struct query_args {
    const char *text;    /* the query, or NULL with --file */
    const char *file;    /* -f FILE */
    const char **tables; /* NAME=PATH pairs */
    size_t ntables;
    const char *now;
    const char *db; /* --db PATH */
    const char *format;
    bool stats;
    bool verbose;
    bool no_shortcuts;
    bool strict;
    int threads; /* --threads N; 0 uses every core */
    char **logs;
    size_t nlogs;
} query_args;

static void print_help(FILE *out)
{
    fputs("Usage: foxhound query [OPTIONS] (QUERY | -f FILE) [LOG...]\n\n"
          "Runs a KQL query over log files, with Kusto's semantics, and prints the result.\n"
          "Each LOG (a file or a folder, gzip or zstd read transparently, - for stdin) is\n"
          "bound to the table its content shows: CEF lines to CommonSecurityLog, Defender\n"
          "exports to DeviceNetworkEvents, DeviceFileEvents or DeviceProcessEvents.\n\n"
          "Options:\n"
          "  -f, --file FILE         read the query from FILE (- for stdin)\n"
          "  -t, --table NAME=PATH   bind the file or folder PATH to table NAME; repeatable\n"
          "      --db PATH           bind the indicator database at PATH (see 'foxhound ioc')\n"
          "                          as the ThreatIntelligenceIndicator table\n"
          "      --now DATETIME      value of now() and base of ago(), such as\n"
          "                          2026-06-14T12:00:00Z (default: the current time)\n"
          "  -o, --format FORMAT     table (aligned, the default), json (JSON lines) or csv\n"
          "      --stats             print what was read from each file to stderr\n"
          "  -v, --verbose           print which table each LOG was bound to, and why\n"
          "      --strict            stop at the first malformed log line instead of\n"
          "                          counting and skipping it\n"
          "      --no-shortcuts      read every column and line, and search `in` lists\n"
          "                          one by one; results are the same, only slower\n"
          "      --threads N         read each large file with N threads (default: one\n"
          "                          per core)\n"
          "  -h, --help              show this help\n\n"
          "Example:\n"
          "  foxhound query --now 2026-06-14T12:00:00Z \\\n"
          "    'CommonSecurityLog | where DestinationIP == \"80.76.49.194\"' firewall.cef\n\n"
          "Exit status: 0 success (also with no rows), 2 invalid command line, 3 error.\n",
          out);
}

static int parse_args(int argc, char **argv, query_args *a)
{
    enum { OPT_NOW = 256, OPT_STATS, OPT_NO_SHORTCUTS, OPT_STRICT, OPT_DB, OPT_THREADS };
    static const struct option options[] = {
        {"file", required_argument, NULL, 'f'},
        {"table", required_argument, NULL, 't'},
        {"now", required_argument, NULL, OPT_NOW},
        {"db", required_argument, NULL, OPT_DB},
        {"format", required_argument, NULL, 'o'},
        {"stats", no_argument, NULL, OPT_STATS},
        {"verbose", no_argument, NULL, 'v'},
        {"strict", no_argument, NULL, OPT_STRICT},
        {"no-shortcuts", no_argument, NULL, OPT_NO_SHORTCUTS},
        {"threads", required_argument, NULL, OPT_THREADS},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    a->format = "table";
    a->tables = calloc((size_t)argc + 1, sizeof *a->tables);
    if (a->tables == NULL) {
        fputs("foxhound: out of memory reading the command line\n", stderr);
        return CLI_EXIT_ERROR;
    }
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "f:t:o:vh", options, NULL)) != -1) {
        switch (c) {
        case 'f':
            a->file = optarg;
            break;
        case 't':
            if (strchr(optarg, '=') == NULL || optarg[0] == '=')
                return cli_usage_error("query", "--table expects NAME=PATH, got '%s'", optarg);
            a->tables[a->ntables++] = optarg;
            break;
        case OPT_NOW:
            a->now = optarg;
            break;
        case OPT_DB:
            a->db = optarg;
            break;
        case 'o':
            a->format = optarg;
            break;
        case OPT_STATS:
            a->stats = true;
            break;
        case 'v':
            a->verbose = true;
            break;
        case OPT_STRICT:
            a->strict = true;
            break;
        case OPT_NO_SHORTCUTS:
            a->no_shortcuts = true;
            break;
        case OPT_THREADS:
            if (cli_parse_threads("query", optarg, &a->threads) != CLI_EXIT_OK)
                return CLI_EXIT_USAGE;
            break;
        case 'h':
            print_help(stdout);
            return -1;
        default:
            return cli_usage_error("query", "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (a->file == NULL) {
        if (optind >= argc)
            return cli_usage_error("query", "missing QUERY (or -f FILE)");
        a->text = argv[optind++];
    }
    a->logs = argv + optind;
    a->nlogs = (size_t)(argc - optind);
    return CLI_EXIT_OK;
}

/* Reads the query from a file or stdin into a malloc'd buffer. */
static char *read_query_file(const char *path, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (f == NULL)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    while (buf != NULL) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap || cap >= FH_MAX_QUERY_BYTES + (size_t)1)
            break;
        char *grown = realloc(buf, cap * 2);
        if (grown == NULL) {
            free(buf);
            buf = NULL;
        }
        buf = grown;
        cap *= 2;
    }
    bool failed = ferror(f);
    if (f != stdin)
        fclose(f);
    if (failed) {
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

/*
 * Binds one command-line path. Inside a folder, a file whose format or table cannot be
 * detected (a README, a feed) is skipped with a message; a file named on the command line
 * must be a log.
 */
static int bind_path(fh_kql_engine *engine, const char *table, const char *path, bool verbose)
{
    fh_path_list list;
    fh_error err;
    fh_error_clear(&err);
    if (fh_path_list_expand(&path, 1, &list, &err) != FH_OK)
        return cli_report(&err);
    struct stat st;
    bool folder = strcmp(path, "-") != 0 && stat(path, &st) == 0 && S_ISDIR(st.st_mode);

    int rc = CLI_EXIT_OK;
    for (size_t i = 0; i < list.count && rc == CLI_EXIT_OK; i++) {
        const char *chosen = NULL;
        fh_status status = fh_kql_engine_add_file(engine, table, list.paths[i], &chosen, &err);
        if (status == FH_ERR_FORMAT && folder) {
            cli_report_as("skipped", &err);
            continue;
        }
        if (status != FH_OK) {
            rc = cli_report(&err);
            break;
        }
        if (verbose) {
            fprintf(stderr, "foxhound: ");
            cli_write_safe(stderr, list.paths[i], strlen(list.paths[i]));
            fprintf(stderr, " -> %s\n", chosen);
        }
    }
    fh_path_list_free(&list);
    return rc;
}

static int bind_paths(fh_kql_engine *engine, const char *table, const char *const *paths,
                      size_t count, bool verbose)
{
    int rc = CLI_EXIT_OK;
    for (size_t i = 0; i < count && rc == CLI_EXIT_OK; i++)
        rc = bind_path(engine, table, paths[i], verbose);
    return rc;
}

/* The indicator database as a table provider: each scan reads the table from the start. */
static fh_status ti_open(void *ctx, void **scan, fh_error *err)
{
    fh_ti_table *table = NULL;
    fh_status st = fh_ti_table_open(ctx, NULL, &table, err);
    *scan = table;
    return st;
}

static fh_status ti_next(void *ctx, void *scan, fh_batch *batch, fh_error *err)
{
    return fh_ti_table_next(scan, batch, err);
}

static void ti_close(void *ctx, void *scan)
{
    fh_ti_table_close(scan);
}

static fh_status stix_open(void *ctx, void **scan, fh_error *err)
{
    fh_ti_stix_table *table = NULL;
    fh_status st = fh_ti_stix_table_open(ctx, NULL, &table, err);
    *scan = table;
    return st;
}

static fh_status stix_next(void *ctx, void *scan, fh_batch *batch, fh_error *err)
{
    return fh_ti_stix_table_next(scan, batch, err);
}

static void stix_close(void *ctx, void *scan)
{
    fh_ti_stix_table_close(scan);
}

static int bind_database(fh_kql_engine *engine, const char *path, fh_ioc_store **store,
                         bool verbose)
{
    fh_error err;
    fh_error_clear(&err);
    if (fh_ioc_store_open(path, FH_IOC_STORE_READONLY, store, &err) != FH_OK)
        return cli_report(&err);
    fh_kql_provider provider = {fh_ti_table_schema(), *store, ti_open, ti_next, ti_close};
    if (fh_kql_engine_add_provider(engine, "ThreatIntelligenceIndicator", &provider, &err) != FH_OK)
        return cli_report(&err);
    fh_kql_provider stix = {fh_ti_stix_table_schema(), *store, stix_open, stix_next, stix_close};
    if (fh_kql_engine_add_provider(engine, "ThreatIntelIndicators", &stix, &err) != FH_OK)
        return cli_report(&err);
    if (verbose) {
        fputs("foxhound: ", stderr);
        cli_write_safe(stderr, path, strlen(path));
        fputs(" -> ThreatIntelligenceIndicator, ThreatIntelIndicators\n", stderr);
    }
    return CLI_EXIT_OK;
}

static int bind_inputs(fh_kql_engine *engine, const query_args *a)
{
    for (size_t i = 0; i < a->ntables; i++) {
        const char *eq = strchr(a->tables[i], '=');
        char name[FH_MAX_NAME_BYTES + 1];
        size_t len = (size_t)(eq - a->tables[i]);
        if (len > FH_MAX_NAME_BYTES)
            return cli_usage_error("query", "table name in --table is longer than %d bytes",
                                   FH_MAX_NAME_BYTES);
        memcpy(name, a->tables[i], len);
        name[len] = '\0';
        const char *path = eq + 1;
        int rc = bind_paths(engine, name, &path, 1, a->verbose || a->stats);
        if (rc != CLI_EXIT_OK)
            return rc;
    }
    return bind_paths(engine, NULL, (const char *const *)a->logs, a->nlogs, a->verbose || a->stats);
}

static int report_query_error(const char *text, size_t len, const fh_error *err)
{
    if (err->line == 0)
        return cli_report(err);
    char buf[4096];
    fh_kql_render_error(text, len, err, buf, sizeof buf);
    fputs("foxhound: ", stderr);
    /* The rendered error is several lines (message, query line, caret). */
    for (const char *p = buf; *p != '\0';) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        cli_write_safe(stderr, p, n);
        fputc('\n', stderr);
        p += n + (nl != NULL);
    }
    return err->status == FH_ERR_USAGE ? CLI_EXIT_USAGE : CLI_EXIT_ERROR;
}

static int write_results(fh_kql_query *query, fh_output_format format, const char *text, size_t len)
{
    fh_error err;
    fh_error_clear(&err);
    fh_writer *writer = NULL;
    fh_status st = fh_writer_create(stdout, format, NULL, &writer, &err);
    if (st == FH_OK)
        st = fh_writer_begin(writer, fh_kql_query_schema(query), &err);
    const fh_batch *batch = NULL;
    while (st == FH_OK && (st = fh_kql_query_next(query, &batch, &err)) == FH_OK)
        st = fh_writer_write_batch(writer, batch, &err);
    if (st == FH_DONE) {
        fh_error_clear(&err);
        st = fh_writer_end(writer, &err);
    }
    fh_writer_destroy(writer);
    if (st != FH_OK)
        return report_query_error(text, len, &err);
    return CLI_EXIT_OK;
}

static int run(const query_args *a, const char *text, size_t len)
{
    fh_output_format format;
    if (fh_output_format_from_name(a->format, &format) != FH_OK)
        return cli_usage_error("query", "unknown --format '%s'; use table, json or csv", a->format);
    cli_progress progress;
    cli_progress_init(&progress);
    /* Rows stream out while files are read, so progress would garble a terminal's output. */
    progress.enabled = progress.enabled && !isatty(fileno(stdout));
    fh_kql_options options = {.no_shortcuts = a->no_shortcuts,
                              .strict = a->strict,
                              .threads = a->threads,
                              .progress = cli_progress_update,
                              .progress_ctx = &progress};
    if (a->now != NULL && fh_datetime_parse(a->now, strlen(a->now), &options.now_ticks) != FH_OK)
        return cli_usage_error("query",
                               "invalid --now '%s'; use a datetime such as "
                               "2026-06-14T12:00:00Z",
                               a->now);
    if (a->now == NULL) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        options.now_ticks = (int64_t)ts.tv_sec * 10000000LL + ts.tv_nsec / 100;
    }

    fh_error err;
    fh_error_clear(&err);
    fh_kql_engine *engine = NULL;
    if (fh_kql_engine_create(&options, &engine, &err) != FH_OK)
        return cli_report(&err);
    fh_ioc_store *store = NULL;
    int rc = CLI_EXIT_OK;
    if (a->db != NULL)
        rc = bind_database(engine, a->db, &store, a->verbose || a->stats);
    if (rc == CLI_EXIT_OK)
        rc = bind_inputs(engine, a);
    fh_kql_query *query = NULL;
    if (rc == CLI_EXIT_OK &&
        fh_kql_prepare(engine, text, len, a->file ? a->file : "<query>", &query, &err) != FH_OK)
        rc = report_query_error(text, len, &err);
    if (rc == CLI_EXIT_OK)
        rc = write_results(query, format, text, len);
    cli_progress_finish(&progress);
    /* A query that stops early (take) closes its files when destroyed, which records their
     * statistics, so the statistics are printed after that. */
    fh_kql_query_destroy(query);
    if (a->stats)
        cli_print_file_stats(engine);
    else
        cli_print_skipped_rows(engine);
    fh_kql_engine_destroy(engine);
    fh_ioc_store_close(store);
    return rc;
}

int cmd_query(int argc, char **argv)
{
    query_args a = {0};
    int rc = parse_args(argc, argv, &a);
    if (rc != CLI_EXIT_OK) {
        free(a.tables);
        return rc < 0 ? CLI_EXIT_OK : rc;
    }
    char *owned = NULL;
    size_t len = a.text != NULL ? strlen(a.text) : 0;
    if (a.file != NULL) {
        owned = read_query_file(a.file, &len);
        if (owned == NULL) {
            free(a.tables);
            fprintf(stderr, "foxhound: cannot read query file '%s'\n", a.file);
            return CLI_EXIT_ERROR;
        }
    }
    rc = run(&a, owned != NULL ? owned : a.text, len);
    free(owned);
    free(a.tables);
    return rc;
}
