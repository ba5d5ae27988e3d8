/*
 * foxhound ioc: the indicator database from the command line. `import` loads feed files,
 * `list` and `stats` show what is stored (cmd_ioc_show.c), `export` writes it for other tools.
 *
 * The database is --db PATH, else $FOXHOUND_DB, else $XDG_DATA_HOME/foxhound/indicators.db or
 * ~/.local/share/foxhound/indicators.db; the folders of the default path are created on
 * import. Each imported file is one transaction, so a file that fails leaves no trace while
 * the files before it stay imported.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "cli_select.h"
#include "cmd_ioc.h"
#include "foxhound/datetime.h"
#include "foxhound/ioc_export.h"
#include "foxhound/ioc_import.h"
#include "foxhound/ioc_store.h"
#include "foxhound/warninglist.h"

/* Rejected values printed per imported file; the rest are counted. */
#define IMPORT_REJECTS_SHOWN 5

static const char filter_help[] =
    "Filters (all must match):\n"
    "  --type TYPE           ipv4, ipv6, ip:port, cidr, domain, url, md5, sha1 or sha256;\n"
    "                        repeat or separate with commas for several\n"
    "  --family NAME         malware family or alias, ignoring case\n"
    "  --min-confidence N    confidence of at least N (0-100); unknown confidence fails\n"
    "  --since WHEN          first seen at or after WHEN: a date (2026-06-11), a time\n"
    "                        (2026-06-11T08:00:00Z) or an age such as 30d or 12h\n"
    "  --flagged             only indicators flagged as likely false positives\n"
    "  --unflagged           only indicators without such a flag\n";

static const char db_help[] =
    "  --db PATH             indicator database (default: $FOXHOUND_DB, else\n"
    "                        $XDG_DATA_HOME/foxhound/indicators.db or\n"
    "                        ~/.local/share/foxhound/indicators.db)\n"
    "  -h, --help            show this help\n";

static void print_ioc_help(FILE *out)
{
    fputs("Usage: foxhound ioc COMMAND [OPTIONS]\n\n"
          "Keeps threat-intelligence indicators in a local SQLite database.\n\n"
          "Commands:\n"
          "  import   load indicator files (ThreatFox, STIX, MISP, rule pages, Zeek, text)\n"
          "  list     print stored indicators\n"
          "  stats    count stored indicators by type and malware family\n"
          "  export   write indicators as CSV, JSON lines, a STIX 2.1 bundle or a Zeek\n"
          "           intel file\n\n"
          "Run 'foxhound ioc COMMAND --help' for the options of a command.\n",
          out);
}

static void print_import_help(FILE *out)
{
    fputs("Usage: foxhound ioc import [OPTIONS] FILE...\n\n"
          "Loads indicators from each FILE ('-' for standard input; gzip and zstd are read\n"
          "transparently) into the database. A value already stored is merged: earliest first\n"
          "seen, latest last seen, highest confidence, tags, aliases and sources united, the\n"
          "first family and false-positive flag kept. Each file is one transaction.\n\n"
          "Options:\n"
          "  --format FORMAT       threatfox-json, threatfox-csv, rulepage, stix, misp, zeek\n"
          "                        or text (default: detected from the content)\n"
          "  --warninglist FILE    a MISP warninglist (JSON); indicators it lists are flagged\n"
          "                        as likely false positives; repeat for several lists.\n"
          "                        Private, loopback, reserved and documentation addresses\n"
          "                        are always flagged. Flagged indicators are kept.\n",
          out);
    fputs(db_help, out);
}

static void print_list_help(FILE *out)
{
    fputs("Usage: foxhound ioc list [OPTIONS]\n\n"
          "Prints stored indicators ordered by type and value.\n\n"
          "Options:\n"
          "  --format FORMAT       table (default; aligned on a terminal, TAB-separated\n"
          "                        otherwise), json (JSON lines) or csv\n",
          out);
    fputs(db_help, out);
    fputs(filter_help, out);
}

static void print_stats_help(FILE *out)
{
    fputs("Usage: foxhound ioc stats [OPTIONS]\n\n"
          "Counts stored indicators: the total, flagged ones, and per type and malware family.\n\n"
          "Options:\n"
          "  --format FORMAT       table (default) or json\n",
          out);
    fputs(db_help, out);
    fputs(filter_help, out);
}

static void print_export_help(FILE *out)
{
    fputs("Usage: foxhound ioc export --format FORMAT [OPTIONS]\n\n"
          "Writes stored indicators for other tools.\n\n"
          "Options:\n"
          "  --format FORMAT       csv (cells that spreadsheets would run as formulas get a\n"
          "                        leading '), json (JSON lines), stix (STIX 2.1 bundle) or\n"
          "                        zeek (Zeek intel file)\n"
          "  -o, --output FILE     write to FILE instead of standard output\n",
          out);
    fputs(db_help, out);
    fputs(filter_help, out);
}

enum {
    OPT_DB = 1000,
    OPT_FORMAT,
    OPT_TYPE,
    OPT_FAMILY,
    OPT_MIN_CONFIDENCE,
    OPT_SINCE,
    OPT_FLAGGED,
    OPT_UNFLAGGED,
    OPT_WARNINGLIST,
};

static const struct option long_options[] = {
    {"db", required_argument, NULL, OPT_DB},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"type", required_argument, NULL, OPT_TYPE},
    {"family", required_argument, NULL, OPT_FAMILY},
    {"min-confidence", required_argument, NULL, OPT_MIN_CONFIDENCE},
    {"since", required_argument, NULL, OPT_SINCE},
    {"flagged", no_argument, NULL, OPT_FLAGGED},
    {"unflagged", no_argument, NULL, OPT_UNFLAGGED},
    {"output", required_argument, NULL, 'o'},
    {"warninglist", required_argument, NULL, OPT_WARNINGLIST},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

typedef struct subcommand subcommand;
struct subcommand {
    const char *name;    /* "list" */
    const char *command; /* "ioc list", for the pointer to --help */
    void (*help)(FILE *out);
    bool filters;        /* accepts the filter options */
    bool output;         /* accepts -o */
    bool files;          /* takes FILE arguments after the options */
    const char *formats; /* list and stats: the accepted --format names, comma-separated, to
                            check before the database is opened */
    int (*run)(const subcommand *sub, int argc, char **argv);
    int (*show)(fh_ioc_store *store, const ioc_options *options); /* list and stats */
};

static int parse_filter_option(const subcommand *sub, int opt, ioc_options *options)
{
    fh_ioc_filter *filter = &options->filter;
    switch (opt) {
    case OPT_TYPE:
        return cli_parse_types(sub->command, optarg, &filter->types);
    case OPT_FAMILY:
        filter->family = optarg;
        return CLI_EXIT_OK;
    case OPT_MIN_CONFIDENCE:
        return cli_parse_confidence(sub->command, optarg, &filter->min_confidence);
    case OPT_SINCE:
        return cli_parse_since(sub->command, optarg, &filter->since);
    case OPT_FLAGGED:
    case OPT_UNFLAGGED: {
        fh_ioc_flag_filter flag = opt == OPT_FLAGGED ? FH_IOC_FLAG_ONLY : FH_IOC_FLAG_NONE;
        if (filter->flag != FH_IOC_FLAG_ANY && filter->flag != flag)
            return cli_usage_error(sub->command, "--flagged and --unflagged exclude each other");
        filter->flag = flag;
        return CLI_EXIT_OK;
    }
    default:
        return cli_usage_error(sub->command, "unknown option");
    }
}

/* True when name is one of the comma-separated words of list. */
static bool is_listed(const char *list, const char *name)
{
    size_t len = strlen(name);
    for (const char *p = list; *p != '\0'; p += strcspn(p, ","), p += *p == ',') {
        if (strncmp(p, name, len) == 0 && (p[len] == ',' || p[len] == '\0') && len > 0)
            return true;
    }
    return false;
}

/* Reports an option that the subcommand does not take, by the name the user typed. */
static int unknown_option(const subcommand *sub, int opt, int index, const char *last_arg)
{
    char name[64];
    if (index >= 0)
        snprintf(name, sizeof name, "--%s", long_options[index].name);
    else if (opt == 'o')
        snprintf(name, sizeof name, "-o");
    else if (optopt != 0)
        snprintf(name, sizeof name, "-%c", optopt);
    else
        snprintf(name, sizeof name, "%s", last_arg);
    return cli_usage_error(sub->command, "unknown option '%s' for 'foxhound %s'", name,
                           sub->command);
}

/*
 * Parses the options of a subcommand. Returns CLI_EXIT_OK with *done false to go on, or an
 * exit code with *done true (after --help or a usage error).
 */
static int parse_options(const subcommand *sub, int argc, char **argv, ioc_options *options,
                         bool *done)
{
    memset(options, 0, sizeof *options);
    fh_ioc_filter_init(&options->filter);
    *done = true;
    optind = 1;
    opterr = 0;

    int opt, index = -1, rc = CLI_EXIT_OK;
    while (rc == CLI_EXIT_OK &&
           (opt = getopt_long(argc, argv, ":ho:", long_options, &index)) != -1) {
        if (opt == 'h') {
            sub->help(stdout);
            return CLI_EXIT_OK;
        } else if (opt == OPT_DB) {
            options->db_path = optarg;
        } else if (opt == OPT_FORMAT) {
            options->format = optarg;
        } else if (opt == 'o' && sub->output) {
            options->output = optarg;
        } else if (opt == OPT_WARNINGLIST && sub->files) {
            const char **grown =
                realloc(options->warninglists, (options->nwarninglists + 1) * sizeof *grown);
            if (grown == NULL) {
                fputs("foxhound: out of memory\n", stderr);
                return CLI_EXIT_ERROR;
            }
            grown[options->nwarninglists++] = optarg;
            options->warninglists = grown;
        } else if (opt >= OPT_TYPE && opt <= OPT_UNFLAGGED && sub->filters) {
            rc = parse_filter_option(sub, opt, options);
        } else if (opt == ':') {
            rc = cli_usage_error(sub->command, "option '%s' needs a value", argv[optind - 1]);
        } else {
            rc = unknown_option(sub, opt, index, argv[optind - 1]);
        }
        index = -1;
    }
    if (rc == CLI_EXIT_OK && !sub->files && optind < argc)
        rc = cli_usage_error(sub->command, "unexpected argument '%s'", argv[optind]);
    if (rc == CLI_EXIT_OK && sub->formats != NULL && options->format != NULL &&
        !is_listed(sub->formats, options->format))
        rc = cli_usage_error(sub->command, "invalid --format '%s'; use one of %s", options->format,
                             sub->formats);
    *done = rc != CLI_EXIT_OK;
    return rc;
}

/* Opens the database named by --db, $FOXHOUND_DB or the default path. */
static int open_store(const ioc_options *options, bool readonly, fh_ioc_store **store)
{
    fh_error err;
    char *path = NULL;
    bool is_default = false;
    if (options->db_path == NULL && fh_ioc_store_default_path(&path, &is_default, &err) != FH_OK)
        return cli_report(&err);

    unsigned flags = readonly ? FH_IOC_STORE_READONLY : 0;
    if (is_default)
        flags |= FH_IOC_STORE_MKDIRS;
    fh_status st =
        fh_ioc_store_open(options->db_path ? options->db_path : path, flags, store, &err);
    free(path);
    return st == FH_OK ? CLI_EXIT_OK : cli_report(&err);
}

static void print_rejects(const fh_ioc_set *set)
{
    for (size_t i = 0; i < set->nrejects && i < IMPORT_REJECTS_SHOWN; i++) {
        const fh_ioc_reject *reject = &set->rejects[i];
        char line[32] = "";
        if (reject->line > 0)
            snprintf(line, sizeof line, ":%lu", reject->line);
        const char *reason = reject->reason ? reject->reason : "rejected";
        printf("  %s%s: ", reject->source ? reject->source : "", line);
        cli_write_safe(stdout, reason, strlen(reason));
        fputs(": ", stdout);
        cli_write_safe(stdout, reject->value ? reject->value : "",
                       reject->value ? strlen(reject->value) : 0);
        putchar('\n');
    }
    if (set->rejected_total > IMPORT_REJECTS_SHOWN)
        printf("  ... and %" PRIu64 " more rejected\n", set->rejected_total - IMPORT_REJECTS_SHOWN);
}

static void print_counts(const char *path, fh_ioc_format format, const fh_ioc_import_counts *counts,
                         const fh_ioc_set *set)
{
    cli_write_safe(stdout, path, strlen(path));
    printf(": %s: %" PRIu64 " accepted, %" PRIu64 " merged duplicates, %" PRIu64
           " flagged, %" PRIu64 " rejected",
           fh_ioc_format_name(format), counts->accepted, counts->merged, counts->flagged,
           counts->rejected);
    if (counts->skipped > 0)
        printf(", %" PRIu64 " skipped", counts->skipped);
    putchar('\n');
    for (size_t i = 0; i < set->nskips; i++) {
        printf("  skipped %" PRIu64 ": ", set->skips[i].count);
        cli_write_safe(stdout, set->skips[i].reason, strlen(set->skips[i].reason));
        putchar('\n');
    }
}

/* Imports one file in its own transaction, flagging likely false positives, and prints its
 * counts. */
static int import_file(fh_ioc_store *store, const char *path, fh_ioc_format format, int64_t now,
                       fh_warninglist *const *lists, size_t nlists)
{
    fh_ioc_set set;
    fh_ioc_set_init(&set);
    fh_ioc_format used = format;
    fh_ioc_import_counts counts;
    fh_error err;

    fh_status st = fh_ioc_import_file(path, format, &set, &used, &err);
    if (st == FH_OK)
        st = fh_ioc_set_flag(&set, lists, nlists, NULL, &err);
    if (st == FH_OK)
        st = fh_ioc_store_import(store, &set, now, &counts, &err);
    if (st == FH_OK) {
        print_counts(path, used, &counts, &set);
        print_rejects(&set);
    }
    fh_ioc_set_clear(&set);
    return st == FH_OK ? CLI_EXIT_OK : cli_report(&err);
}

/* Prints a loaded warninglist's name and size, and how many entries it could not use. */
static void print_warninglist(const char *path, const fh_warninglist *list)
{
    const char *name = fh_warninglist_name(list);
    size_t size = fh_warninglist_size(list);
    cli_write_safe(stdout, path, strlen(path));
    fputs(": warninglist \"", stdout);
    cli_write_safe(stdout, name, strlen(name));
    printf("\": %zu %s", size, size == 1 ? "entry" : "entries");
    if (fh_warninglist_unused(list) > 0)
        printf(", %zu unusable entries ignored", fh_warninglist_unused(list));
    putchar('\n');
}

static int run_import(const subcommand *sub, int argc, char **argv)
{
    ioc_options options;
    bool done = false;
    int rc = parse_options(sub, argc, argv, &options, &done);
    if (done) {
        free(options.warninglists);
        return rc;
    }

    fh_ioc_format format = FH_IOC_FORMAT_AUTO;
    if (options.format != NULL && fh_ioc_format_from_name(options.format, &format) != FH_OK)
        rc = cli_usage_error(sub->command,
                             "invalid --format '%s'; use threatfox-json, threatfox-csv, "
                             "rulepage, stix, misp, zeek or text",
                             options.format);
    else if (optind >= argc)
        rc = cli_usage_error(sub->command, "no indicator file given");
    if (rc != CLI_EXIT_OK) {
        free(options.warninglists);
        return rc;
    }

    fh_warninglist **lists = calloc(options.nwarninglists + 1, sizeof *lists);
    if (lists == NULL) {
        free(options.warninglists);
        fputs("foxhound: out of memory\n", stderr);
        return CLI_EXIT_ERROR;
    }
    for (size_t i = 0; i < options.nwarninglists && rc == CLI_EXIT_OK; i++) {
        fh_error err;
        if (fh_warninglist_load(options.warninglists[i], &lists[i], &err) != FH_OK)
            rc = cli_report(&err);
        else
            print_warninglist(options.warninglists[i], lists[i]);
    }

    fh_ioc_store *store = NULL;
    if (rc == CLI_EXIT_OK)
        rc = open_store(&options, false, &store);
    int failed = 0, files = argc - optind;
    if (rc == CLI_EXIT_OK) {
        int64_t now = cli_now_ticks();
        for (int i = optind; i < argc; i++)
            if (import_file(store, argv[i], format, now, lists, options.nwarninglists) !=
                CLI_EXIT_OK)
                failed++;
    }
    fh_ioc_store_close(store);
    for (size_t i = 0; i < options.nwarninglists; i++)
        fh_warninglist_destroy(lists[i]);
    free(lists);
    free(options.warninglists);
    if (rc != CLI_EXIT_OK)
        return rc;

    if (failed > 0 && files > 1)
        fprintf(stderr, "foxhound: %d of %d files failed and were not imported\n", failed, files);
    return failed > 0 ? CLI_EXIT_ERROR : CLI_EXIT_OK;
}

static int run_show(const subcommand *sub, int argc, char **argv)
{
    ioc_options options;
    bool done = false;
    int rc = parse_options(sub, argc, argv, &options, &done);
    if (done)
        return rc;

    fh_ioc_store *store = NULL;
    rc = open_store(&options, true, &store);
    if (rc != CLI_EXIT_OK)
        return rc;
    rc = sub->show(store, &options);
    fh_ioc_store_close(store);
    return rc;
}

/* Exports into FILE.tmp and renames it over FILE, so a failed export leaves FILE as it was. */
static int export_to_file(fh_ioc_store *store, const ioc_options *options,
                          fh_ioc_export_format format)
{
    size_t len = strlen(options->output) + 5;
    char *tmp = malloc(len);
    if (tmp == NULL) {
        fputs("foxhound: out of memory\n", stderr);
        return CLI_EXIT_ERROR;
    }
    snprintf(tmp, len, "%s.tmp", options->output);

    fh_error err;
    uint64_t count = 0;
    fh_status st = FH_OK;
    FILE *out = fopen(tmp, "w");
    if (out == NULL)
        st = fh_error_set(&err, FH_ERR_IO, options->output, 0, 0, "cannot write: %s",
                          strerror(errno));
    if (st == FH_OK)
        st = fh_ioc_export(store, &options->filter, format, out, options->output, &count, &err);
    if (out != NULL && fclose(out) != 0 && st == FH_OK)
        st = fh_error_set(&err, FH_ERR_IO, options->output, 0, 0, "writing failed: %s",
                          strerror(errno));
    if (st == FH_OK && rename(tmp, options->output) != 0)
        st = fh_error_set(&err, FH_ERR_IO, options->output, 0, 0, "cannot replace: %s",
                          strerror(errno));
    if (st != FH_OK)
        remove(tmp);
    free(tmp);
    if (st != FH_OK)
        return cli_report(&err);

    fprintf(stderr, "foxhound: exported %" PRIu64 " indicators as %s to ", count,
            fh_ioc_export_format_name(format));
    cli_write_safe(stderr, options->output, strlen(options->output));
    fputc('\n', stderr);
    return CLI_EXIT_OK;
}

static int export_store(fh_ioc_store *store, const ioc_options *options,
                        fh_ioc_export_format format)
{
    if (options->output != NULL && strcmp(options->output, "-") != 0)
        return export_to_file(store, options, format);
    uint64_t count = 0;
    fh_error err;
    fh_status st = fh_ioc_export(store, &options->filter, format, stdout, "<stdout>", &count, &err);
    return st == FH_OK ? CLI_EXIT_OK : cli_report(&err);
}

static int run_export(const subcommand *sub, int argc, char **argv)
{
    ioc_options options;
    bool done = false;
    int rc = parse_options(sub, argc, argv, &options, &done);
    if (done)
        return rc;
    if (options.format == NULL)
        return cli_usage_error(sub->command, "missing --format; use csv, json, stix or zeek");

    fh_ioc_export_format format;
    fh_error err;
    if (fh_ioc_export_format_from_name(options.format, &format, &err) != FH_OK)
        return cli_usage_error(sub->command, "%s", err.message);

    fh_ioc_store *store = NULL;
    rc = open_store(&options, true, &store);
    if (rc != CLI_EXIT_OK)
        return rc;
    rc = export_store(store, &options, format);
    fh_ioc_store_close(store);
    return rc;
}

static const subcommand subcommands[] = {
    {"import", "ioc import", print_import_help, false, false, true, NULL, run_import, NULL},
    {"list", "ioc list", print_list_help, true, false, false, "table,json,csv", run_show, ioc_list},
    {"stats", "ioc stats", print_stats_help, true, false, false, "table,json", run_show, ioc_stats},
    {"export", "ioc export", print_export_help, true, true, false, NULL, run_export, NULL},
};

int cmd_ioc(int argc, char **argv)
{
    if (argc < 2) {
        print_ioc_help(stderr);
        return CLI_EXIT_USAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0) {
        print_ioc_help(stdout);
        return CLI_EXIT_OK;
    }

    for (size_t i = 0; i < sizeof subcommands / sizeof subcommands[0]; i++)
        if (strcmp(name, subcommands[i].name) == 0)
            return subcommands[i].run(&subcommands[i], argc - 1, argv + 1);
    return cli_usage_error("ioc", "unknown command 'ioc %s'", name);
}
