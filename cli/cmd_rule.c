/*
 * foxhound rule: writes detection content (a rule page, KQL, Sentinel analytic rules, Splunk
 * searches, Sigma, Suricata, a Zeek intel file or a STIX bundle) from indicators in files,
 * the indicator database, or both.
 *
 * Documents go to standard output, joined as their format allows (YAML documents with
 * "---"), or to -o FILE. With -o DIR every document and support file is its own file. Formats
 * whose rules load support files (Suricata datasets and hash lists) require -o DIR.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "cli_select.h"
#include "foxhound/datetime.h"
#include "foxhound/hunt.h"
#include "foxhound/ioc_import.h"
#include "foxhound/ioc_store.h"
#include "foxhound/rule.h"

/* Most --iocs files on one command line. */
#define RULE_MAX_IOC_FILES 256

typedef struct rule_cli {
    const char *iocs[RULE_MAX_IOC_FILES];
    size_t niocs;
    const char *db_path;
    bool use_db;
    fh_hunt_filter filter;
    const char *exclusions_path;
    const char *format;
    const char *output;
    fh_rule_options options;
} rule_cli;

enum {
    OPT_IOCS = 256,
    OPT_DB,
    OPT_FAMILY,
    OPT_TYPE,
    OPT_MIN_CONFIDENCE,
    OPT_SINCE,
    OPT_EXCLUSIONS,
    OPT_FORMAT,
    OPT_SID_BASE,
    OPT_SEVERITY,
};

static const struct option long_options[] = {
    {"iocs", required_argument, NULL, OPT_IOCS},
    {"db", required_argument, NULL, OPT_DB},
    {"family", required_argument, NULL, OPT_FAMILY},
    {"type", required_argument, NULL, OPT_TYPE},
    {"min-confidence", required_argument, NULL, OPT_MIN_CONFIDENCE},
    {"since", required_argument, NULL, OPT_SINCE},
    {"exclusions", required_argument, NULL, OPT_EXCLUSIONS},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"output", required_argument, NULL, 'o'},
    {"sid-base", required_argument, NULL, OPT_SID_BASE},
    {"severity", required_argument, NULL, OPT_SEVERITY},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static void print_help(FILE *out)
{
    fputs("Usage: foxhound rule [--iocs FILE]... [--db PATH] [--family NAME] [--type T,...]\n"
          "                     [--min-confidence N] [--since WHEN] [--exclusions FILE]\n"
          "                     --format FORMAT [-o FILE|DIR] [--sid-base N] [--severity S]\n\n"
          "Writes detection content for the selected indicators. Indicators come from the\n"
          "--iocs files (any format `foxhound ioc import` reads) and, with --db or when no\n"
          "--iocs is given, from the indicator database.\n\n"
          "Formats:\n"
          "  markdown  rule page: summary, defanged indicator table, hunting KQL per table,\n"
          "            data connectors and false-positive scenarios from the exclusions\n"
          "  kql       the hunting query of each table, as `foxhound hunt` runs it\n"
          "  sentinel  Microsoft Sentinel scheduled analytic rules (YAML), split into parts\n"
          "            when a query would pass 10,000 characters\n"
          "  spl       Splunk searches (CIM fields for firewalls, Defender streaming fields)\n"
          "  sigma     Sigma rules, logsource product azure and service TABLE\n"
          "  suricata  Suricata 7 rules, with dataset and hash list files when needed\n"
          "  zeek      Zeek Intelligence Framework file\n"
          "  stix      STIX 2.1 bundle\n\n"
          "Options:\n"
          "  --iocs FILE           indicator file; repeat for several; - for standard input\n"
          "  --db PATH             indicator database (default: $FOXHOUND_DB, else\n"
          "                        $XDG_DATA_HOME/foxhound/indicators.db or\n"
          "                        ~/.local/share/foxhound/indicators.db)\n"
          "  --family NAME         only this malware family or alias, ignoring case; also\n"
          "                        names the rules\n"
          "  --type TYPE           ipv4, ipv6, ip:port, cidr, domain, url, md5, sha1 or sha256;\n"
          "                        repeat or separate with commas for several\n"
          "  --min-confidence N    confidence of at least N (0-100); unknown confidence fails\n"
          "  --since WHEN          first seen at or after WHEN: a date (2026-06-11), a time\n"
          "                        (2026-06-11T08:00:00Z) or an age such as 30d\n"
          "  --exclusions FILE     YAML file of named exclusions, added to every KQL query and\n"
          "                        listed as false-positive scenarios\n"
          "  -f, --format FORMAT   output format (required), see above\n"
          "  -o, --output PATH     write to the file PATH, or one file per document into PATH\n"
          "                        when it is a folder or ends with '/'\n"
          "  --sid-base N          first Suricata SID (default 9000000)\n"
          "  --severity S          Informational, Low, Medium (default) or High\n"
          "  -h, --help            show this help\n\n"
          "Exit status: 0 rules written, 2 invalid command line, 3 input or database error\n"
          "or no indicator selected.\n",
          out);
}

static int parse_number(const char *option, const char *text, long long min, long long max,
                        long long *out)
{
    char *end = NULL;
    errno = 0;
    long long value = strtoll(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || value < min || value > max)
        return cli_usage_error("rule", "invalid %s '%s'; give a whole number from %lld to %lld",
                               option, text, min, max);
    *out = value;
    return CLI_EXIT_OK;
}

static int parse_option(rule_cli *cli, int opt)
{
    fh_error err;
    long long number = 0;
    uint32_t types = 0;
    int rc = CLI_EXIT_OK;
    switch (opt) {
    case OPT_IOCS:
        if (cli->niocs == RULE_MAX_IOC_FILES)
            return cli_usage_error("rule", "more than %d --iocs files", RULE_MAX_IOC_FILES);
        cli->iocs[cli->niocs++] = optarg;
        return CLI_EXIT_OK;
    case OPT_DB:
        cli->db_path = optarg;
        cli->use_db = true;
        return CLI_EXIT_OK;
    case OPT_FAMILY:
        cli->filter.family = optarg;
        cli->options.family = optarg;
        return CLI_EXIT_OK;
    case OPT_TYPE:
        rc = cli_parse_types("rule", optarg, &types);
        cli->filter.types |= types;
        return rc;
    case OPT_MIN_CONFIDENCE:
        return cli_parse_confidence("rule", optarg, &cli->filter.min_confidence);
    case OPT_SINCE:
        return cli_parse_since("rule", optarg, &cli->filter.first_seen_since);
    case OPT_EXCLUSIONS:
        cli->exclusions_path = optarg;
        return CLI_EXIT_OK;
    case 'f':
    case OPT_FORMAT:
        cli->format = optarg;
        return CLI_EXIT_OK;
    case 'o':
        cli->output = optarg;
        return CLI_EXIT_OK;
    case OPT_SID_BASE:
        rc = parse_number("--sid-base", optarg, 1, 4294967295LL - 1000000, &number);
        cli->options.sid_base = (uint32_t)number;
        return rc;
    case OPT_SEVERITY:
        if (fh_rule_severity_from_name(optarg, &cli->options.severity, &err) != FH_OK)
            return cli_usage_error("rule", "%s", err.message);
        return CLI_EXIT_OK;
    default:
        return cli_usage_error("rule", "unknown option");
    }
}

/* Parses the command line. Returns -1 to go on, or an exit code (after --help or an error). */
static int parse_command_line(rule_cli *cli, int argc, char **argv)
{
    memset(cli, 0, sizeof *cli);
    cli->filter.first_seen_since = FH_TIME_UNKNOWN;
    fh_rule_options_init(&cli->options);
    optind = 1;
    opterr = 0;

    int opt, rc = CLI_EXIT_OK;
    while (rc == CLI_EXIT_OK &&
           (opt = getopt_long(argc, argv, ":hf:o:", long_options, NULL)) != -1) {
        if (opt == 'h') {
            print_help(stdout);
            return CLI_EXIT_OK;
        } else if (opt == ':') {
            rc = cli_usage_error("rule", "option '%s' needs a value", argv[optind - 1]);
        } else if (opt == '?') {
            rc = cli_usage_error("rule", "unknown option '%s'", argv[optind - 1]);
        } else {
            rc = parse_option(cli, opt);
        }
    }
    if (rc != CLI_EXIT_OK)
        return rc;
    if (optind < argc)
        return cli_usage_error("rule", "unexpected argument '%s'; indicator files go after --iocs",
                               argv[optind]);
    if (cli->format == NULL)
        return cli_usage_error("rule", "missing --format; give markdown, kql, sentinel, spl, "
                                       "sigma, suricata, zeek or stix");
    if (cli->niocs == 0)
        cli->use_db = true;
    return -1;
}

/* Says on stderr what an import did not take, by reason, so no value is dropped silently. */
static void report_import(const char *path, const fh_ioc_set *set)
{
    if (set->rejected_total > 0) {
        fputs("foxhound: ", stderr);
        cli_write_safe(stderr, path, strlen(path));
        fprintf(stderr, ": rejected %" PRIu64 " value%s (list them with 'foxhound ioc import')\n",
                set->rejected_total, set->rejected_total == 1 ? "" : "s");
    }
    for (size_t i = 0; i < set->nskips; i++) {
        fputs("foxhound: ", stderr);
        cli_write_safe(stderr, path, strlen(path));
        fprintf(stderr, ": skipped %" PRIu64 ": %s\n", set->skips[i].count, set->skips[i].reason);
    }
}

/* Imports each --iocs file and adds its indicators that pass the filter to selected. */
static int load_files(const rule_cli *cli, fh_ioc_set *selected)
{
    for (size_t i = 0; i < cli->niocs; i++) {
        fh_error err;
        fh_ioc_set file;
        fh_ioc_set_init(&file);
        fh_status st = fh_ioc_import_file(cli->iocs[i], FH_IOC_FORMAT_AUTO, &file, NULL, &err);
        if (st == FH_OK) {
            report_import(cli->iocs[i], &file);
            st = fh_rule_select(&file, &cli->filter, selected, &err);
        }
        fh_ioc_set_clear(&file);
        if (st != FH_OK)
            return cli_report(&err);
    }
    return CLI_EXIT_OK;
}

/* Loads the indicators of the database that pass the filter into selected. */
static int load_database(const rule_cli *cli, fh_ioc_set *selected)
{
    fh_error err;
    char *path = NULL;
    if (cli->db_path == NULL && fh_ioc_store_default_path(&path, NULL, &err) != FH_OK)
        return cli_report(&err);

    fh_ioc_store *store = NULL;
    fh_ioc_set loaded;
    fh_ioc_set_init(&loaded);
    fh_status st =
        fh_ioc_store_open(cli->db_path ? cli->db_path : path, FH_IOC_STORE_READONLY, &store, &err);
    free(path);
    if (st == FH_OK) {
        fh_ioc_filter filter;
        fh_ioc_filter_init(&filter);
        filter.types = cli->filter.types;
        filter.family = cli->filter.family;
        filter.min_confidence = cli->filter.min_confidence;
        filter.since = cli->filter.first_seen_since;
        st = fh_ioc_store_load(store, &filter, &loaded, &err);
    }
    if (st == FH_OK)
        st = fh_rule_select(&loaded, &cli->filter, selected, &err);
    fh_ioc_store_close(store);
    fh_ioc_set_clear(&loaded);
    return st == FH_OK ? CLI_EXIT_OK : cli_report(&err);
}

static bool is_folder(const char *path)
{
    struct stat sb;
    size_t n = strlen(path);
    return (n > 0 && path[n - 1] == '/') || (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode));
}

/* Writes bytes to path through a temporary file, so a failed write leaves no half file. */
static int write_file(const char *path, const fh_rule_output *out, size_t first, size_t count)
{
    char tmp[4096];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp", path) >= sizeof tmp) {
        fprintf(stderr, "foxhound: output path too long: %s\n", path);
        return CLI_EXIT_USAGE;
    }
    FILE *file = fopen(tmp, "w");
    if (file == NULL) {
        fprintf(stderr, "foxhound: cannot write %s: %s\n", tmp, strerror(errno));
        return CLI_EXIT_ERROR;
    }
    for (size_t i = first; i < first + count; i++) {
        if (i > first)
            fputs(out->separator, file);
        fwrite(out->files[i].text, 1, out->files[i].len, file);
    }
    bool failed = ferror(file) != 0;
    failed |= fclose(file) != 0;
    if (failed || rename(tmp, path) != 0) {
        fprintf(stderr, "foxhound: writing %s failed: %s\n", path, strerror(errno));
        remove(tmp);
        return CLI_EXIT_ERROR;
    }
    return CLI_EXIT_OK;
}

static int write_folder(const char *folder, const fh_rule_output *out)
{
    if (mkdir(folder, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "foxhound: cannot create folder %s: %s\n", folder, strerror(errno));
        return CLI_EXIT_ERROR;
    }
    size_t n = strlen(folder);
    const char *slash = n > 0 && folder[n - 1] == '/' ? "" : "/";
    for (size_t i = 0; i < out->nfiles; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s%s%s", folder, slash, out->files[i].name);
        int rc = write_file(path, out, i, 1);
        if (rc != CLI_EXIT_OK)
            return rc;
    }
    fprintf(stderr, "foxhound: wrote %zu file%s to %s\n", out->nfiles, out->nfiles == 1 ? "" : "s",
            folder);
    return CLI_EXIT_OK;
}

static int write_output(const rule_cli *cli, const fh_rule_output *out)
{
    if (cli->output != NULL && is_folder(cli->output))
        return write_folder(cli->output, out);
    if (out->nfiles > out->ndocuments)
        return cli_usage_error("rule",
                               "the %s rules load %zu file%s that must sit beside them (%s%s); "
                               "give -o DIR to write them all",
                               cli->format, out->nfiles - out->ndocuments,
                               out->nfiles - out->ndocuments == 1 ? "" : "s",
                               out->files[out->ndocuments].name,
                               out->nfiles - out->ndocuments == 1 ? "" : ", ...");
    if (cli->output != NULL)
        return write_file(cli->output, out, 0, out->ndocuments);

    for (size_t i = 0; i < out->ndocuments; i++) {
        if (i > 0)
            fputs(out->separator, stdout);
        fwrite(out->files[i].text, 1, out->files[i].len, stdout);
    }
    if (fflush(stdout) != 0) {
        fprintf(stderr, "foxhound: writing to standard output failed: %s\n", strerror(errno));
        return CLI_EXIT_ERROR;
    }
    return CLI_EXIT_OK;
}

static void report_output(const rule_cli *cli, const fh_rule_output *out)
{
    if (out->split_tables > 0)
        fprintf(stderr,
                "foxhound: %zu tables needed more than one Sentinel rule to keep each query "
                "under 10000 characters; wrote %zu rules\n",
                out->split_tables, out->rules);
    if (out->left_out > 0)
        fprintf(stderr, "foxhound: %s: left out %zu of %zu indicators: %s\n", cli->format,
                out->left_out, out->indicators, out->left_out_reason);
}

static int generate(rule_cli *cli, const fh_ioc_set *selected)
{
    fh_error err;
    fh_rule_format format;
    if (fh_rule_format_from_name(cli->format, &format, &err) != FH_OK)
        return cli_usage_error("rule", "%s", err.message);

    fh_exclusion_set exclusions = {0};
    if (cli->exclusions_path != NULL) {
        if (fh_exclusions_load(cli->exclusions_path, &exclusions, &err) != FH_OK)
            return cli_report(&err);
        cli->options.exclusions = &exclusions;
    }

    fh_rule_output out;
    int rc;
    if (fh_rule_generate(selected, format, &cli->options, &out, &err) != FH_OK) {
        rc = cli_report(&err);
    } else {
        rc = write_output(cli, &out);
        if (rc == CLI_EXIT_OK)
            report_output(cli, &out);
        fh_rule_output_free(&out);
    }
    fh_exclusions_free(&exclusions);
    return rc;
}

int cmd_rule(int argc, char **argv)
{
    rule_cli cli;
    int rc = parse_command_line(&cli, argc, argv);
    if (rc >= 0)
        return rc;

    fh_ioc_set selected;
    fh_ioc_set_init(&selected);
    rc = load_files(&cli, &selected);
    if (rc == CLI_EXIT_OK && cli.use_db)
        rc = load_database(&cli, &selected);
    if (rc == CLI_EXIT_OK && selected.count == 0) {
        fputs("foxhound: no indicator matches the selection; check --family, --type, "
              "--min-confidence and --since\n",
              stderr);
        rc = CLI_EXIT_ERROR;
    }
    if (rc == CLI_EXIT_OK)
        rc = generate(&cli, &selected);
    fh_ioc_set_clear(&selected);
    return rc;
}
