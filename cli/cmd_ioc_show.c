/*
 * foxhound ioc list and ioc stats: the stored indicators as a table, JSON lines or CSV, and
 * their counts by type and by malware family (the "IOC Summary" of a rule page).
 *
 * On a terminal the table is aligned one window of rows at a time, so memory stays bounded.
 * Elsewhere it is TAB-separated with one header line, for cut and awk. Values go through
 * cli_write_safe so that control characters from feeds cannot reach the terminal.
 */
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cmd_ioc.h"
#include "foxhound/datetime.h"
#include "foxhound/ioc_export.h"

/* Rows aligned together on a terminal; the next window is aligned on its own. */
#define LIST_WINDOW_ROWS 1000

enum {
    COL_TYPE,
    COL_VALUE,
    COL_FAMILY,
    COL_THREAT,
    COL_CONFIDENCE,
    COL_FIRST_SEEN,
    COL_LAST_SEEN,
    COL_FLAG,
    LIST_COLUMNS
};

static const char *const list_headers[LIST_COLUMNS] = {
    "TYPE", "VALUE", "FAMILY", "THREAT TYPE", "CONFIDENCE", "FIRST SEEN", "LAST SEEN", "FLAG"};

typedef struct list_window {
    char *cells[LIST_WINDOW_ROWS][LIST_COLUMNS];
    size_t nrows;
    bool header_done;
    bool aligned;
} list_window;

/* Columns a value takes once cli_write_safe has escaped it (UTF-8 sequences count once). */
static size_t display_width(const char *text)
{
    size_t width = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p != '\0'; p++) {
        if (*p == '\n' || *p == '\r' || *p == '\t')
            width += 2;
        else if (*p < 0x20 || *p == 0x7f)
            width += 4;
        else if ((*p & 0xc0) != 0x80)
            width += 1;
    }
    return width;
}

static void print_cell(const char *text, size_t width, bool last, bool aligned)
{
    cli_write_safe(stdout, text, strlen(text));
    if (last) {
        putchar('\n');
        return;
    }
    if (!aligned) {
        putchar('\t');
        return;
    }
    for (size_t pad = display_width(text); pad < width + 2; pad++)
        putchar(' ');
}

static void print_row(char *const *cells, const size_t *widths, bool aligned)
{
    for (int c = 0; c < LIST_COLUMNS; c++)
        print_cell(cells[c], widths[c], c == LIST_COLUMNS - 1, aligned);
}

static void flush_window(list_window *window)
{
    size_t widths[LIST_COLUMNS];
    for (int c = 0; c < LIST_COLUMNS; c++) {
        widths[c] = strlen(list_headers[c]);
        for (size_t r = 0; r < window->nrows; r++) {
            size_t w = display_width(window->cells[r][c]);
            widths[c] = w > widths[c] ? w : widths[c];
        }
    }
    if (!window->header_done) {
        print_row((char *const *)list_headers, widths, window->aligned);
        window->header_done = true;
    }
    for (size_t r = 0; r < window->nrows; r++) {
        print_row(window->cells[r], widths, window->aligned);
        for (int c = 0; c < LIST_COLUMNS; c++)
            free(window->cells[r][c]);
    }
    window->nrows = 0;
}

static char *copy_text(const char *text)
{
    return strdup(text != NULL && text[0] != '\0' ? text : "-");
}

static char *format_time_cell(int64_t ticks)
{
    char text[48] = "-";
    if (ticks != FH_TIME_UNKNOWN)
        fh_datetime_format(ticks, text, sizeof text);
    return strdup(text);
}

static bool add_row(list_window *window, const fh_indicator *ioc)
{
    char confidence[16] = "-";
    if (ioc->confidence != FH_CONFIDENCE_UNKNOWN)
        snprintf(confidence, sizeof confidence, "%d", ioc->confidence);

    char **cells = window->cells[window->nrows++];
    cells[COL_TYPE] = copy_text(fh_ioc_type_name(ioc->type));
    cells[COL_VALUE] = copy_text(ioc->value);
    cells[COL_FAMILY] = copy_text(ioc->family);
    cells[COL_THREAT] = copy_text(ioc->threat_type);
    cells[COL_CONFIDENCE] = copy_text(confidence);
    cells[COL_FIRST_SEEN] = format_time_cell(ioc->first_seen);
    cells[COL_LAST_SEEN] = format_time_cell(ioc->last_seen);
    cells[COL_FLAG] = copy_text(ioc->flag);
    for (int c = 0; c < LIST_COLUMNS; c++)
        if (cells[c] == NULL)
            return false;
    return true;
}

static int list_table(fh_ioc_store *store, const ioc_options *options)
{
    list_window *window = calloc(1, sizeof *window);
    fh_ioc_cursor *cursor = NULL;
    fh_error err;
    if (window == NULL) {
        fputs("foxhound: out of memory listing indicators\n", stderr);
        return CLI_EXIT_ERROR;
    }
    window->aligned = isatty(fileno(stdout));

    fh_status st = fh_ioc_store_query(store, &options->filter, &cursor, &err);
    const fh_ioc_record *record = NULL;
    while (st == FH_OK && (st = fh_ioc_cursor_next(cursor, &record, &err)) == FH_OK) {
        if (!add_row(window, &record->ioc))
            st = fh_error_set(&err, FH_ERR_NOMEM, NULL, 0, 0, "out of memory listing indicators");
        else if (window->nrows == LIST_WINDOW_ROWS)
            flush_window(window);
    }
    flush_window(window);
    fh_ioc_cursor_close(cursor);
    free(window);
    return st == FH_DONE ? CLI_EXIT_OK : cli_report(&err);
}

int ioc_list(fh_ioc_store *store, const ioc_options *options)
{
    const char *format = options->format != NULL ? options->format : "table";
    fh_ioc_export_format export_format;
    if (strcmp(format, "table") == 0)
        return list_table(store, options);
    if (strcmp(format, "json") == 0)
        export_format = FH_IOC_EXPORT_JSON;
    else if (strcmp(format, "csv") == 0)
        export_format = FH_IOC_EXPORT_CSV;
    else
        return cli_usage_error("ioc list", "invalid --format '%s'; use table, json or csv", format);

    uint64_t count = 0;
    fh_error err;
    fh_status st =
        fh_ioc_export(store, &options->filter, export_format, stdout, "<stdout>", &count, &err);
    return st == FH_OK ? CLI_EXIT_OK : cli_report(&err);
}

static const char *family_name(const fh_ioc_family_stats *family)
{
    return family->family != NULL ? family->family : "(no family)";
}

/* Writes the types with a count, in foxhound's type order, joined by ", ". */
static void print_type_list(const uint64_t by_type[FH_IOC_TYPE_COUNT])
{
    const char *sep = "";
    for (int t = 0; t < FH_IOC_TYPE_COUNT; t++) {
        if (by_type[t] == 0)
            continue;
        printf("%s%s", sep, fh_ioc_type_name((fh_ioc_type)t));
        sep = ", ";
    }
    putchar('\n');
}

static void stats_table(const fh_ioc_stats *stats)
{
    printf("Indicators: %" PRIu64 " (%" PRIu64 " flagged as likely false positives)\n\n",
           stats->total, stats->flagged);
    printf("%-10s %s\n", "Type", "Count");
    for (int t = 0; t < FH_IOC_TYPE_COUNT; t++)
        if (stats->by_type[t] > 0)
            printf("%-10s %" PRIu64 "\n", fh_ioc_type_name((fh_ioc_type)t), stats->by_type[t]);

    size_t width = strlen("Malware Family");
    for (size_t i = 0; i < stats->nfamilies; i++) {
        size_t w = display_width(family_name(&stats->families[i]));
        width = w > width ? w : width;
    }
    printf("\n%-*s  %-10s  %s\n", (int)width, "Malware Family", "Total IOCs", "IOC Types");
    for (size_t i = 0; i < stats->nfamilies; i++) {
        const char *name = family_name(&stats->families[i]);
        cli_write_safe(stdout, name, strlen(name));
        printf("%*s  %-10" PRIu64 "  ", (int)(width - display_width(name)), "",
               stats->families[i].total);
        print_type_list(stats->families[i].by_type);
    }
}

static json_t *types_object(const uint64_t by_type[FH_IOC_TYPE_COUNT])
{
    json_t *types = json_object();
    for (int t = 0; t < FH_IOC_TYPE_COUNT && types != NULL; t++)
        if (by_type[t] > 0)
            json_object_set_new(types, fh_ioc_type_name((fh_ioc_type)t),
                                json_integer((json_int_t)by_type[t]));
    return types;
}

static int stats_json(const fh_ioc_stats *stats)
{
    json_t *families = json_array();
    for (size_t i = 0; i < stats->nfamilies && families != NULL; i++) {
        const fh_ioc_family_stats *family = &stats->families[i];
        json_array_append_new(
            families, json_pack("{s:o, s:I, s:o}", "family",
                                family->family ? json_string(family->family) : json_null(), "total",
                                (json_int_t)family->total, "types", types_object(family->by_type)));
    }
    json_t *root = json_pack("{s:I, s:I, s:o, s:o}", "total", (json_int_t)stats->total, "flagged",
                             (json_int_t)stats->flagged, "by_type", types_object(stats->by_type),
                             "families", families);
    if (root == NULL || json_dumpf(root, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER) != 0) {
        json_decref(root);
        fputs("foxhound: out of memory writing counts\n", stderr);
        return CLI_EXIT_ERROR;
    }
    putchar('\n');
    json_decref(root);
    return CLI_EXIT_OK;
}

int ioc_stats(fh_ioc_store *store, const ioc_options *options)
{
    const char *format = options->format != NULL ? options->format : "table";
    if (strcmp(format, "table") != 0 && strcmp(format, "json") != 0)
        return cli_usage_error("ioc stats", "invalid --format '%s'; use table or json", format);

    fh_ioc_stats stats;
    fh_error err;
    if (fh_ioc_store_stats(store, &options->filter, &stats, &err) != FH_OK)
        return cli_report(&err);
    int rc = CLI_EXIT_OK;
    if (strcmp(format, "json") == 0)
        rc = stats_json(&stats);
    else
        stats_table(&stats);
    fh_ioc_stats_clear(&stats);
    return rc;
}
