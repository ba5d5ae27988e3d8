/*
 * The markdown format: a detection rule page as SOC teams exchange them. A title and a
 * description written from the facts, the "IOC Summary" line, the indicator table with
 * defanged values and ThreatFox type names, the hunting query of each table (the text hunt
 * runs), the tables and the data connectors they need, and one false-positive scenario per
 * exclusion. `foxhound ioc import` reads the page back into the same indicators.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hunt/hunt_tables.h"
#include "rule/rule_internal.h"

static void write_description(const rule_context *ctx, fh_strbuf *sb)
{
    const rule_facts *f = &ctx->facts;
    fh_strbuf_printf(sb, "The %s rule detects activity associated with %s. It lists %zu %s",
                     f->title, f->family, f->total, f->total == 1 ? "indicator" : "indicators");
    fh_strbuf_puts(sb, " (");
    rule_type_list(f, sb);
    fh_strbuf_puts(sb, ")");
    if (f->first_seen_min != FH_TIME_UNKNOWN) {
        fh_strbuf_puts(sb, " first seen ");
        rule_first_seen_phrase(f, sb);
    }
    fh_strbuf_puts(sb, ", with the threat types ");
    for (size_t i = 0; i < f->nthreats; i++)
        fh_strbuf_printf(sb, "%s%s (%zu)", i == 0 ? "" : ", ", f->threats[i].name,
                         f->threats[i].count);
    if (f->confidence_min == FH_CONFIDENCE_UNKNOWN)
        fh_strbuf_puts(sb, ". ");
    else if (f->confidence_min == f->confidence_max)
        fh_strbuf_printf(sb, " and a confidence of %d%%. ", f->confidence_min);
    else
        fh_strbuf_printf(sb, " and confidence from %d%% to %d%%. ", f->confidence_min,
                         f->confidence_max);
    fh_strbuf_puts(sb, "The hunting queries below look for them in ");
    const char *const *tables = fh_hunt_tables();
    size_t listed = 0, needed = 0;
    for (size_t i = 0; tables[i] != NULL; i++)
        needed += fh_hunt_table_needed(ctx->iocs, tables[i]);
    for (size_t i = 0; tables[i] != NULL; i++) {
        if (!fh_hunt_table_needed(ctx->iocs, tables[i]))
            continue;
        listed++;
        fh_strbuf_printf(sb, "%s%s",
                         listed == 1        ? ""
                         : listed == needed ? " and "
                                            : ", ",
                         tables[i]);
    }
    fh_strbuf_puts(sb, "; an address match also reports whether the port was a listed one.\n\n");
}

/* Appends text for a table cell: '|' escaped and line breaks turned into spaces. */
static void put_cell(fh_strbuf *sb, const char *text)
{
    for (const char *c = text; *c != '\0'; c++) {
        if (*c == '|')
            fh_strbuf_puts(sb, "\\|");
        else if (*c == '\n' || *c == '\r')
            fh_strbuf_puts(sb, " ");
        else
            fh_strbuf_append(sb, c, 1);
    }
}

static int compare_rows(const void *a, const void *b)
{
    const fh_indicator *x = *(const fh_indicator *const *)a;
    const fh_indicator *y = *(const fh_indicator *const *)b;
    if (x->type != y->type)
        return x->type < y->type ? -1 : 1;
    return strcmp(x->value, y->value);
}

static fh_status write_indicator_row(fh_strbuf *sb, const fh_indicator *ioc)
{
    char small[512];
    char *value = small;
    size_t need = fh_defang(ioc->value, ioc->type, small, sizeof small);
    if (need >= sizeof small) {
        value = malloc(need + 1);
        if (value == NULL)
            return FH_ERR_NOMEM;
        fh_defang(ioc->value, ioc->type, value, need + 1);
    }

    fh_strbuf_printf(sb, "| %s | ", rule_threatfox_type(ioc->type));
    /* NOTE: the rule page importer splits cells on every '|', so a URL that contains an
     * escaped "\|" does not read back; such URLs are rare in feeds. */
    put_cell(sb, value);
    fh_strbuf_puts(sb, " | ");
    if (ioc->threat_type != NULL)
        put_cell(sb, ioc->threat_type);
    fh_strbuf_puts(sb, " | ");
    if (ioc->first_seen != FH_TIME_UNKNOWN) {
        char date[16];
        rule_date(ioc->first_seen, date, sizeof date);
        fh_strbuf_puts(sb, date);
    }
    fh_strbuf_puts(sb, " | ");
    if (ioc->confidence != FH_CONFIDENCE_UNKNOWN)
        fh_strbuf_printf(sb, "%d%%", ioc->confidence);
    fh_strbuf_puts(sb, " |\n");

    if (value != small)
        free(value);
    return FH_OK;
}

static fh_status write_summary(const rule_context *ctx, fh_strbuf *sb, fh_error *err)
{
    const fh_ioc_set *iocs = ctx->iocs;
    fh_strbuf_printf(sb, "## IOC Summary\n\nMalware Family: %s Total IOCs: %zu IOC Types: ",
                     ctx->facts.family, ctx->facts.total);
    rule_type_list(&ctx->facts, sb);
    fh_strbuf_puts(sb, "\n\nValues are defanged so that they cannot be clicked; "
                       "`foxhound ioc import` refangs them.\n\n"
                       "| Type | Value | Threat Type | First Seen | Confidence |\n"
                       "|---|---|---|---|---|\n");

    const fh_indicator **rows = malloc(iocs->count * sizeof *rows);
    if (rows == NULL)
        return rule_nomem(err, "the indicator table");
    for (size_t i = 0; i < iocs->count; i++)
        rows[i] = &iocs->items[i];
    qsort(rows, iocs->count, sizeof *rows, compare_rows);

    fh_status st = FH_OK;
    for (size_t i = 0; i < iocs->count && st == FH_OK; i++)
        st = write_indicator_row(sb, rows[i]);
    free(rows);
    fh_strbuf_puts(sb, "\n");
    return st == FH_OK ? FH_OK : rule_nomem(err, "the indicator table");
}

/* Writes the query section and records, in needed[], the tables that got a query. */
static fh_status write_queries(const rule_context *ctx, fh_strbuf *sb, const char **needed,
                               size_t *nneeded, fh_error *err)
{
    fh_strbuf_puts(sb, "## Hunting queries\n\n"
                       "Each query is the one `foxhound hunt` runs on exported logs. Matches "
                       "on an address carry PortMatch, which is true when the event's port "
                       "is one listed for that address.\n\n");
    const char *const *tables = fh_hunt_tables();
    for (size_t i = 0; tables[i] != NULL; i++) {
        char *kql = NULL;
        fh_status st = rule_table_kql(ctx, ctx->iocs, tables[i], &kql, err);
        if (st == FH_ERR_NOT_FOUND)
            continue;
        if (st != FH_OK)
            return st;
        fh_strbuf_printf(sb, "### %s\n\n```kql\n%s```\n\n", tables[i], kql);
        free(kql);
        needed[(*nneeded)++] = tables[i];
    }
    return FH_OK;
}

static void write_tables(fh_strbuf *sb, const char *const *needed, size_t nneeded)
{
    fh_strbuf_puts(sb, "## Tables and data connectors\n\n"
                       "| Sentinel Table | Notes |\n|---|---|\n");
    for (size_t i = 0; i < nneeded; i++) {
        const hunt_table *t = hunt_table_find(needed[i]);
        fh_strbuf_printf(sb, "| %s | Needs %s. |\n", needed[i],
                         t != NULL ? t->connector : "its data connector");
    }
    fh_strbuf_puts(sb, "\nWhen a table has no rows for the hunting window, its query finds "
                       "nothing, and that says nothing about whether the indicators were "
                       "present.\n\n");
}

/* NOTE: the rule page importer reads every dynamic([...]) list on a page as indicators, so an
 * exclusion predicate that contains one (here and in the queries) reads back as extra
 * indicators with the page's family. */
static void write_scenario(fh_strbuf *sb, const fh_exclusion *ex)
{
    fh_strbuf_printf(sb, "**Scenario:** %s\n\n**Description:** ", ex->name);
    fh_strbuf_puts(sb, ex->reason != NULL ? ex->reason : "(no reason given)");
    fh_strbuf_puts(sb, "\n\n**Filter/Exclusion:** rows of ");
    for (size_t t = 0; t < ex->ntables; t++)
        fh_strbuf_printf(sb, "%s%s", t == 0 ? "" : ", ", ex->tables[t]);
    if (ex->ntables == 0)
        fh_strbuf_puts(sb, "every table");
    fh_strbuf_puts(sb, " where this predicate holds are left out by the queries above:\n\n"
                       "```kql\n");
    fh_strbuf_puts(sb, ex->where);
    size_t n = strlen(ex->where);
    fh_strbuf_puts(sb, n > 0 && ex->where[n - 1] == '\n' ? "```\n\n" : "\n```\n\n");
}

static void write_false_positives(const rule_context *ctx, fh_strbuf *sb)
{
    const fh_exclusion_set *ex = ctx->options->exclusions;
    fh_strbuf_puts(sb, "## False positives\n\n");
    if (ex == NULL || ex->count == 0) {
        fh_strbuf_puts(sb, "No exclusions were given, so the queries suppress nothing. "
                           "Name known benign sources in an exclusions file and pass it with "
                           "--exclusions.\n");
        return;
    }
    for (size_t i = 0; i < ex->count; i++)
        write_scenario(sb, &ex->items[i]);
}

fh_status rule_markdown(rule_context *ctx, fh_rule_output *out, fh_error *err)
{
    const char *needed[16];
    size_t nneeded = 0;
    fh_strbuf sb;
    fh_strbuf_init(&sb);

    fh_strbuf_printf(&sb, "# %s\n\n", ctx->facts.title);
    write_description(ctx, &sb);
    fh_status st = write_summary(ctx, &sb, err);
    if (st == FH_OK)
        st = write_queries(ctx, &sb, needed, &nneeded, err);
    if (st != FH_OK) {
        fh_strbuf_free(&sb);
        return st;
    }
    write_tables(&sb, needed, nneeded);
    write_false_positives(ctx, &sb);

    char name[128];
    snprintf(name, sizeof name, "%s.md", ctx->facts.slug);
    out->rules = nneeded;
    return rule_output_add(out, name, &sb, err);
}
