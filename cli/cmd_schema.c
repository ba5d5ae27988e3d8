/*
 * foxhound schema: lists the built-in tables, or the columns and Kusto types of one table, as
 * an aligned table, JSON lines or CSV.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "foxhound/ioc_store.h"
#include "foxhound/table.h"

typedef enum schema_format {
    SCHEMA_FORMAT_TABLE,
    SCHEMA_FORMAT_JSON,
    SCHEMA_FORMAT_CSV,
} schema_format;

/* What fills each built-in table; tables not listed show "". */
static const struct {
    const char *table;
    const char *source;
} table_sources[] = {
    {"CommonSecurityLog", "CEF syslog lines (firewalls, proxies, WAFs); Sentinel exports"},
    {"DeviceNetworkEvents", "Defender advanced-hunting exports: JSON lines, Event Hubs, CSV"},
    {"DeviceFileEvents", "Defender advanced-hunting exports: JSON lines, Event Hubs, CSV"},
    {"DeviceProcessEvents", "Defender advanced-hunting exports: JSON lines, Event Hubs, CSV"},
    {"ThreatIntelligenceIndicator", "the indicator database (foxhound query --db PATH)"},
    {"ThreatIntelIndicators", "the indicator database (foxhound query --db PATH)"},
};

#define MAX_TABLES 16

/* The built-in log tables followed by the indicator database's table, NULL-terminated. */
static const fh_schema *const *all_schemas(void)
{
    static const fh_schema *list[MAX_TABLES + 1];
    if (list[0] == NULL) {
        const fh_schema *const *builtins = fh_schema_builtins();
        size_t n = 0;
        while (builtins[n] != NULL && n < MAX_TABLES - 1) {
            list[n] = builtins[n];
            n++;
        }
        list[n++] = fh_ti_table_schema();
        list[n] = fh_ti_stix_table_schema();
    }
    return list;
}

static const fh_schema *find_schema(const char *name)
{
    for (const fh_schema *const *s = all_schemas(); *s != NULL; s++) {
        if (strcmp((*s)->name, name) == 0)
            return *s;
    }
    return NULL;
}

/* A table whose name differs only in case, for the "did you mean" hint; NULL when none. */
static const char *case_match(const char *name)
{
    for (const fh_schema *const *s = all_schemas(); *s != NULL; s++) {
        if (strcasecmp((*s)->name, name) == 0)
            return (*s)->name;
    }
    return NULL;
}

static const char *table_source(const char *table)
{
    for (size_t i = 0; i < sizeof table_sources / sizeof table_sources[0]; i++) {
        if (strcmp(table_sources[i].table, table) == 0)
            return table_sources[i].source;
    }
    return "";
}

static void print_help(FILE *out)
{
    fputs("Usage: foxhound schema [--format table|json|csv] [TABLE]\n\n"
          "Without TABLE, lists the built-in tables with their column count and the logs\n"
          "that fill them. With TABLE, lists its columns and their Kusto types in order.\n"
          "Table names are case-sensitive, as in Kusto.\n\n"
          "Options:\n"
          "  -f, --format FORMAT  output format: table (aligned, the default), json (one\n"
          "                       JSON object per line) or csv (with a header row)\n"
          "  -h, --help           show this help\n\n"
          "Exit status: 0 success, 2 invalid command line or unknown table.\n",
          out);
}

/* Writes a CSV field, quoted when it contains a comma, quote or line break. */
static void write_csv_field(FILE *out, const char *text)
{
    if (strpbrk(text, ",\"\r\n") == NULL) {
        fputs(text, out);
        return;
    }
    fputc('"', out);
    for (const char *c = text; *c != '\0'; c++) {
        if (*c == '"')
            fputc('"', out);
        fputc(*c, out);
    }
    fputc('"', out);
}

static int write_json_line(FILE *out, json_t *object)
{
    if (object == NULL) {
        fputs("foxhound: out of memory writing JSON\n", stderr);
        return CLI_EXIT_ERROR;
    }
    char *text = json_dumps(object, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(object);
    if (text == NULL) {
        fputs("foxhound: out of memory writing JSON\n", stderr);
        return CLI_EXIT_ERROR;
    }
    fprintf(out, "%s\n", text);
    free(text);
    return CLI_EXIT_OK;
}

static int list_tables(FILE *out, schema_format format)
{
    const fh_schema *const *schemas = all_schemas();
    if (format == SCHEMA_FORMAT_TABLE)
        fprintf(out, "%-27s %7s  %s\n", "TABLE", "COLUMNS", "FILLED FROM");
    else if (format == SCHEMA_FORMAT_CSV)
        fputs("table,columns,source\n", out);

    for (size_t i = 0; schemas[i] != NULL; i++) {
        const fh_schema *schema = schemas[i];
        const char *source = table_source(schema->name);
        if (format == SCHEMA_FORMAT_TABLE) {
            fprintf(out, "%-27s %7zu  %s\n", schema->name, schema->ncols, source);
        } else if (format == SCHEMA_FORMAT_CSV) {
            write_csv_field(out, schema->name);
            fprintf(out, ",%zu,", schema->ncols);
            write_csv_field(out, source);
            fputc('\n', out);
        } else {
            json_t *object = json_pack("{s:s, s:I, s:s}", "table", schema->name, "columns",
                                       (json_int_t)schema->ncols, "source", source);
            int rc = write_json_line(out, object);
            if (rc != CLI_EXIT_OK)
                return rc;
        }
    }
    return CLI_EXIT_OK;
}

static size_t longest_column_name(const fh_schema *schema)
{
    size_t longest = strlen("COLUMN");
    for (size_t i = 0; i < schema->ncols; i++) {
        size_t len = strlen(schema->cols[i].name);
        if (len > longest)
            longest = len;
    }
    return longest;
}

static int list_columns(FILE *out, const fh_schema *schema, schema_format format)
{
    int width = (int)longest_column_name(schema);
    if (format == SCHEMA_FORMAT_TABLE)
        fprintf(out, "%-*s  %s\n", width, "COLUMN", "TYPE");
    else if (format == SCHEMA_FORMAT_CSV)
        fputs("column,type\n", out);

    for (size_t i = 0; i < schema->ncols; i++) {
        const fh_column *column = &schema->cols[i];
        const char *type = fh_type_name(column->type);
        if (format == SCHEMA_FORMAT_TABLE) {
            fprintf(out, "%-*s  %s\n", width, column->name, type);
        } else if (format == SCHEMA_FORMAT_CSV) {
            write_csv_field(out, column->name);
            fprintf(out, ",%s\n", type);
        } else {
            json_t *object = json_pack("{s:s, s:s}", "column", column->name, "type", type);
            int rc = write_json_line(out, object);
            if (rc != CLI_EXIT_OK)
                return rc;
        }
    }
    return CLI_EXIT_OK;
}

static int unknown_table(const char *name)
{
    const char *hint = case_match(name);
    if (hint != NULL)
        return cli_usage_error("schema",
                               "table '%s' not found; did you mean '%s'? Table names are "
                               "case-sensitive",
                               name, hint);
    char known[1024] = "";
    const fh_schema *const *schemas = all_schemas();
    for (size_t i = 0; schemas[i] != NULL; i++) {
        if (i > 0)
            strncat(known, ", ", sizeof known - strlen(known) - 1);
        strncat(known, schemas[i]->name, sizeof known - strlen(known) - 1);
    }
    return cli_usage_error("schema", "table '%s' not found; built-in tables: %s", name, known);
}

static int parse_format(const char *text, schema_format *format)
{
    if (strcmp(text, "table") == 0)
        *format = SCHEMA_FORMAT_TABLE;
    else if (strcmp(text, "json") == 0)
        *format = SCHEMA_FORMAT_JSON;
    else if (strcmp(text, "csv") == 0)
        *format = SCHEMA_FORMAT_CSV;
    else
        return cli_usage_error("schema", "invalid --format '%s'; expected table, json or csv",
                               text);
    return CLI_EXIT_OK;
}

int cmd_schema(int argc, char **argv)
{
    static const struct option options[] = {
        {"format", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    schema_format format = SCHEMA_FORMAT_TABLE;
    int opt;
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "f:h", options, NULL)) != -1) {
        if (opt == 'h') {
            print_help(stdout);
            return CLI_EXIT_OK;
        }
        if (opt == 'f') {
            int rc = parse_format(optarg, &format);
            if (rc != CLI_EXIT_OK)
                return rc;
            continue;
        }
        if (optopt == 'f')
            return cli_usage_error("schema", "option --format needs a value");
        return cli_usage_error("schema", "unknown option '%s'", argv[optind - 1]);
    }

    if (argc - optind > 1)
        return cli_usage_error("schema", "expected at most one TABLE, got %d", argc - optind);
    if (argc == optind)
        return list_tables(stdout, format);

    const fh_schema *schema = find_schema(argv[optind]);
    if (schema == NULL)
        return unknown_table(argv[optind]);
    return list_columns(stdout, schema, format);
}
