/*
 * Detection rule page importer. SOC teams receive rule pages as markdown or plain text: a
 * "Malware Family: X" line, a table of defanged indicators with the columns Type, Value,
 * Threat Type, First Seen and Confidence ("75%"), and KQL hunting queries whose
 * dynamic([...]) lists repeat the values. The table is the main source. Values that appear
 * only in a dynamic list are added with the page's family; values the table already holds,
 * including a bare IP whose ip:port rows are in the table, are counted as skipped duplicates.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "foxhound/limits.h"
#include "ioc/ioc_internal.h"

enum { PAGE_MAX_CELLS = 32 };

typedef struct cell {
    const char *s;
    size_t n;
} cell;

/* Positions of the indicator table's columns; -1 when the page has no such column. */
typedef struct table_columns {
    int type, value, threat_type, first_seen, confidence;
} table_columns;

typedef struct page_state {
    char *family;
    bool in_table;        /* inside a markdown table */
    bool indicator_table; /* the current table has Type and Value columns */
    table_columns cols;
} page_state;

static const char skip_duplicate[] = "value repeats an indicator already on the page";

typedef struct page_line {
    const char *s;
    size_t n;
    unsigned long number;
} page_line;

static bool page_next_line(const ioc_import *imp, size_t *pos, page_line *line)
{
    if (!ioc_next_line(imp->data, imp->len, pos, &line->s, &line->n))
        return false;
    line->number++;
    ioc_trim(&line->s, &line->n);
    return true;
}

/* Removes markdown emphasis and code marks around a cell or a phrase. */
static void strip_marks(const char **s, size_t *n)
{
    ioc_trim(s, n);
    while (*n >= 2 && ((*s)[0] == '*' || (*s)[0] == '`' || (*s)[0] == '_') &&
           (*s)[*n - 1] == (*s)[0]) {
        (*s)++;
        *n -= 2;
        ioc_trim(s, n);
    }
}

/* Takes the family from "Malware Family: PureRAT Total IOCs: 6 IOC Types: ...". */
static fh_status read_family(page_state *page, const char *s, size_t n)
{
    const char *at = memmem(s, n, "Malware Family:", 15);
    if (at == NULL || page->family != NULL)
        return FH_OK;
    const char *v = at + 15;
    size_t vn = n - (size_t)(v - s);
    static const char *const stops[] = {"Total IOCs:", "IOC Types:", "|"};
    for (size_t i = 0; i < sizeof stops / sizeof stops[0]; i++) {
        const char *stop = memmem(v, vn, stops[i], strlen(stops[i]));
        if (stop != NULL)
            vn = (size_t)(stop - v);
    }
    strip_marks(&v, &vn);
    if (vn == 0)
        return FH_OK;
    page->family = ioc_strndup(v, vn);
    return page->family == NULL ? FH_ERR_NOMEM : FH_OK;
}

static size_t split_cells(const char *s, size_t n, cell *cells)
{
    size_t count = 0;
    size_t i = s[0] == '|' ? 1 : 0;
    size_t start = i;
    for (; i <= n && count < PAGE_MAX_CELLS; i++) {
        if (i < n && s[i] != '|')
            continue;
        if (i == n && start == n)
            break; /* the closing '|' ends the row */
        cells[count].s = s + start;
        cells[count].n = i - start;
        strip_marks(&cells[count].s, &cells[count].n);
        count++;
        start = i + 1;
    }
    return count;
}

static bool is_separator_row(const cell *cells, size_t count)
{
    for (size_t i = 0; i < count; i++)
        for (size_t k = 0; k < cells[i].n; k++)
            if (cells[i].s[k] != '-' && cells[i].s[k] != ':' && cells[i].s[k] != ' ')
                return false;
    return count > 0;
}

static int find_cell(const cell *cells, size_t count, const char *name)
{
    for (size_t i = 0; i < count; i++)
        if (cells[i].n == strlen(name) && strncasecmp(cells[i].s, name, cells[i].n) == 0)
            return (int)i;
    return -1;
}

static void read_header(page_state *page, const cell *cells, size_t count)
{
    page->cols.type = find_cell(cells, count, "Type");
    page->cols.value = find_cell(cells, count, "Value");
    page->cols.threat_type = find_cell(cells, count, "Threat Type");
    page->cols.first_seen = find_cell(cells, count, "First Seen");
    page->cols.confidence = find_cell(cells, count, "Confidence");
    page->indicator_table = page->cols.type >= 0 && page->cols.value >= 0;
}

static const cell *column(const cell *cells, size_t count, int col)
{
    return col >= 0 && (size_t)col < count && cells[col].n > 0 ? &cells[col] : NULL;
}

/* Fills the row's metadata; returns false with a reason when a cell is malformed. */
static bool row_meta(const page_state *page, const cell *cells, size_t count, fh_indicator *meta,
                     char *why, size_t whysz)
{
    const cell *threat = column(cells, count, page->cols.threat_type);
    const cell *seen = column(cells, count, page->cols.first_seen);
    const cell *conf = column(cells, count, page->cols.confidence);

    if (threat != NULL && ioc_set_text(&meta->threat_type, threat->s, threat->n) != FH_OK)
        return false;
    if (seen != NULL && !ioc_parse_time(seen->s, seen->n, &meta->first_seen)) {
        snprintf(why, whysz, "First Seen '%.*s' is not a date", (int)(seen->n > 40 ? 40 : seen->n),
                 seen->s);
        return false;
    }
    if (conf != NULL && !ioc_parse_confidence(conf->s, conf->n, &meta->confidence)) {
        snprintf(why, whysz, "Confidence '%.*s' is not a percentage from 0 to 100",
                 (int)(conf->n > 20 ? 20 : conf->n), conf->s);
        return false;
    }
    return true;
}

static fh_status page_meta(const page_state *page, fh_indicator *meta)
{
    fh_status st = ioc_set_text(&meta->source_feed, "rulepage", 8);
    if (st == FH_OK && page->family != NULL)
        st = ioc_set_text(&meta->family, page->family, strlen(page->family));
    return st;
}

static fh_status table_row(ioc_import *imp, const page_state *page, const page_line *line,
                           const cell *cells, size_t count)
{
    const cell *type_cell = column(cells, count, page->cols.type);
    const cell *value = column(cells, count, page->cols.value);
    if (value == NULL || type_cell == NULL)
        return fh_ioc_set_reject(imp->set, imp->name, line->number, line->s, line->n,
                                 "indicator table row has no Type or Value");

    fh_ioc_type type;
    if (fh_ioc_type_from_name(type_cell->s, type_cell->n, &type) != FH_OK) {
        char reason[128];
        snprintf(reason, sizeof reason, "rule page indicator type '%.*s' is not hunted",
                 (int)(type_cell->n > 40 ? 40 : type_cell->n), type_cell->s);
        return fh_ioc_set_skip(imp->set, reason);
    }

    fh_indicator meta;
    fh_indicator_init(&meta);
    char why[160] = "out of memory";
    fh_status st = page_meta(page, &meta);
    if (st == FH_OK && !row_meta(page, cells, count, &meta, why, sizeof why))
        st = fh_ioc_set_reject(imp->set, imp->name, line->number, value->s, value->n, why);
    else if (st == FH_OK)
        st = ioc_emit(imp, line->number, type, value->s, value->n, &meta, NULL);
    fh_indicator_clear(&meta);
    if (st == FH_ERR_NOMEM)
        return fh_error_set(imp->err, st, imp->name, line->number, 0, "out of memory");
    return st;
}

static fh_status table_line(ioc_import *imp, page_state *page, const page_line *line)
{
    cell cells[PAGE_MAX_CELLS];
    size_t count = split_cells(line->s, line->n, cells);
    if (!page->in_table) {
        page->in_table = true;
        read_header(page, cells, count);
        return FH_OK;
    }
    if (!page->indicator_table || is_separator_row(cells, count))
        return FH_OK;
    return table_row(imp, page, line, cells, count);
}

/* True when value, or for an address any ip:port on that address, is already in the set. */
static bool already_listed(const fh_ioc_set *set, const fh_indicator *v)
{
    if (fh_ioc_set_find(set, v->type, v->value) != NULL)
        return true;
    if (v->type != FH_IOC_IPV4 && v->type != FH_IOC_IPV6)
        return false;
    for (size_t i = 0; i < set->count; i++)
        if (set->items[i].type == FH_IOC_IP_PORT && strcmp(set->items[i].address, v->value) == 0)
            return true;
    return false;
}

static fh_status list_value(ioc_import *imp, const page_state *page, unsigned long line,
                            const char *s, size_t n)
{
    fh_indicator v;
    fh_indicator_init(&v);
    fh_error why;
    fh_error_clear(&why);
    fh_status st = fh_indicator_parse_any(s, n, &v, &why);
    if (st == FH_ERR_INVALID) {
        st = fh_ioc_set_reject(imp->set, imp->name, line, s, n, why.message);
    } else if (st == FH_OK && already_listed(imp->set, &v)) {
        st = fh_ioc_set_skip(imp->set, skip_duplicate);
    } else if (st == FH_OK) {
        fh_indicator meta;
        fh_indicator_init(&meta);
        st = page_meta(page, &meta);
        if (st == FH_OK)
            st = ioc_emit(imp, line, v.type, v.value, strlen(v.value), &meta, NULL);
        fh_indicator_clear(&meta);
    }
    fh_indicator_clear(&v);
    if (st == FH_ERR_NOMEM)
        return fh_error_set(imp->err, st, imp->name, line, 0, "out of memory");
    return st;
}

/*
 * Reads the string literals of one dynamic([...]) list starting at the '['. *pos ends after
 * the closing ']'; *line follows the newlines crossed.
 */
static fh_status dynamic_list(ioc_import *imp, const page_state *page, size_t *pos,
                              unsigned long *line)
{
    const char *d = imp->data;
    size_t i = *pos + 1;
    while (i < imp->len && d[i] != ']') {
        if (d[i] == '\n')
            (*line)++;
        if (d[i] != '"' && d[i] != '\'') {
            i++;
            continue;
        }
        char quote = d[i];
        size_t start = ++i;
        while (i < imp->len && d[i] != quote && d[i] != '\n')
            i++;
        if (i >= imp->len || d[i] != quote)
            return fh_error_set(imp->err, FH_ERR_PARSE, imp->name, *line, 0,
                                "unterminated string in a KQL dynamic([...]) list");
        fh_status st = list_value(imp, page, *line, d + start, i - start);
        if (st != FH_OK)
            return st;
        i++;
    }
    *pos = i;
    return FH_OK;
}

static fh_status scan_dynamic_lists(ioc_import *imp, const page_state *page)
{
    unsigned long line = 1;
    size_t i = 0;
    while (i < imp->len) {
        if (imp->data[i] == '\n')
            line++;
        if (imp->len - i >= 9 && memcmp(imp->data + i, "dynamic([", 9) == 0) {
            i += 8;
            fh_status st = dynamic_list(imp, page, &i, &line);
            if (st != FH_OK)
                return st;
        }
        i++;
    }
    return FH_OK;
}

fh_status ioc_rulepage(ioc_import *imp)
{
    page_state page = {0};
    page_line line = {0};
    size_t pos = 0;
    fh_status st = FH_OK;

    while (st == FH_OK && page_next_line(imp, &pos, &line)) {
        st = read_family(&page, line.s, line.n);
        if (st != FH_OK)
            break;
    }

    pos = 0;
    line.number = 0;
    while (st == FH_OK && page_next_line(imp, &pos, &line)) {
        if (line.n > 0 && line.s[0] == '|')
            st = table_line(imp, &page, &line);
        else
            page.in_table = false;
    }

    if (st == FH_OK)
        st = scan_dynamic_lists(imp, &page);
    if (st == FH_ERR_NOMEM)
        fh_error_set(imp->err, st, imp->name, 0, 0, "out of memory");
    free(page.family);
    return st;
}
