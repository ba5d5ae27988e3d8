/*
 * The sentinel format: Microsoft Sentinel scheduled analytic rules in the YAML shape of the
 * Azure-Sentinel repository, one document per table and part.
 *
 * The query is the hunting query of the table with one line added after the table name: a
 * filter to the events of the last run interval (queryFrequency) up to now(), so a replay
 * with a pinned now() over older logs returns what that run would have returned. Sentinel runs the
 * rule every hour over a 14-day queryPeriod, as Microsoft's "TI map" rules do, so without that line
 * every event would raise an alert again each hour for 14 days.
 *
 * Sentinel accepts queries of at most 10,000 characters. When a table's indicators do not
 * fit, they are split into parts. Each part is the largest run of indicators (in type and
 * value order) whose query fits, and becomes its own rule with its own id and "part K of N"
 * in the name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "foxhound/limits.h"
#include "hunt/hunt_tables.h"
#include "rule/rule_internal.h"
#include "rule/rule_yaml.h"

/* Run interval, and the window the query looks back over on each run. */
static const char query_frequency[] = "1h";
static const char query_period[] = "14d";

/* Limits of the analytic rule schema (Azure-Sentinel detection template validation). */
enum { NAME_MAX_CHARS = 256, DESCRIPTION_MAX_CHARS = 5000 };

/* A run of indicators and the query written for it. */
typedef struct sentinel_part {
    size_t start, count; /* slice of the table's indicators */
    char *query;
} sentinel_part;

typedef struct sentinel_table {
    const hunt_table *table;
    fh_indicator *iocs; /* shallow copies of the set's indicators; the strings are not owned */
    size_t count;
    sentinel_part *parts;
    size_t nparts;
} sentinel_table;

static int compare_indicators(const void *a, const void *b)
{
    const fh_indicator *x = a, *y = b;
    if (x->type != y->type)
        return x->type < y->type ? -1 : 1;
    return strcmp(x->value, y->value);
}

/* Collects the indicators that can match rows of the table, in type and value order. */
static fh_status table_indicators(const rule_context *ctx, sentinel_table *st, fh_error *err)
{
    st->iocs = malloc((ctx->iocs->count ? ctx->iocs->count : 1) * sizeof *st->iocs);
    if (st->iocs == NULL)
        return rule_nomem(err, "a Sentinel rule");
    for (size_t i = 0; i < ctx->iocs->count; i++) {
        const fh_indicator *ioc = &ctx->iocs->items[i];
        if (rule_is_hash(ioc->type) == st->table->hashes)
            st->iocs[st->count++] = *ioc;
    }
    qsort(st->iocs, st->count, sizeof *st->iocs, compare_indicators);
    return FH_OK;
}

/* Writes the deployable query for a slice: the hunting query plus the run-interval filter. */
static fh_status slice_query(const rule_context *ctx, const sentinel_table *st, size_t start,
                             size_t count, char **query, fh_error *err)
{
    /* A read-only view of the slice; fh_hunt_generate_kql reads only items and count. */
    fh_ioc_set view;
    fh_ioc_set_init(&view);
    view.items = st->iocs + start;
    view.count = count;

    char *kql = NULL;
    fh_status status = rule_table_kql(ctx, &view, st->table->name, &kql, err);
    if (status != FH_OK)
        return status;

    char line[128];
    snprintf(line, sizeof line, "\n%s\n", st->table->name);
    char *at = strstr(kql, line);
    if (at == NULL) {
        free(kql);
        return fh_error_set(err, FH_ERR_INTERNAL, NULL, 0, 0,
                            "the %s hunting query has no line naming the table", st->table->name);
    }
    size_t head = (size_t)(at - kql) + strlen(line);
    fh_strbuf sb;
    fh_strbuf_init(&sb);
    fh_strbuf_append(&sb, kql, head);
    fh_strbuf_printf(&sb, "| where %s between (ago(%s) .. now())\n", st->table->time_column,
                     query_frequency);
    fh_strbuf_puts(&sb, kql + head);
    free(kql);
    if (fh_strbuf_status(&sb) != FH_OK) {
        fh_strbuf_free(&sb);
        return rule_nomem(err, "a Sentinel query");
    }
    *query = fh_strbuf_take(&sb);
    return FH_OK;
}

static bool same_address(const fh_indicator *a, const fh_indicator *b)
{
    return a->type == FH_IOC_IP_PORT && b->type == FH_IOC_IP_PORT &&
           strcmp(a->address, b->address) == 0;
}

/*
 * Moves a part's end back so that the ip:port indicators of one address stay in one part,
 * because an event on that address would otherwise raise an alert in two rules. A run of one
 * address too long for a part is split where it has to be.
 */
static size_t keep_address_together(const sentinel_table *st, size_t start, size_t count)
{
    size_t end = start + count;
    if (end >= st->count)
        return count;
    size_t cut = end;
    while (cut > start && same_address(&st->iocs[cut - 1], &st->iocs[cut]))
        cut--;
    return cut > start ? cut - start : count;
}

/*
 * Finds the largest count from start, up to limit, whose query fits, by binary search over
 * the count (the query grows with every indicator added).
 */
static fh_status fit_part(const rule_context *ctx, const sentinel_table *st, size_t start,
                          size_t limit, sentinel_part *part, fh_error *err)
{
    size_t lo = 0, hi = st->count - start < limit ? st->count - start : limit;
    char *best = NULL;
    while (lo < hi) {
        size_t mid = lo + (hi - lo + 1) / 2;
        char *query = NULL;
        fh_status status = slice_query(ctx, st, start, mid, &query, err);
        if (status != FH_OK) {
            free(best);
            return status;
        }
        if (strlen(query) <= FH_RULE_SENTINEL_QUERY_MAX) {
            free(best);
            best = query;
            lo = mid;
        } else {
            free(query);
            hi = mid - 1;
        }
    }
    if (best == NULL)
        return fh_error_set(err, FH_ERR_LIMIT, NULL, 0, 0,
                            "the %s query for the single indicator '%.80s' is longer than "
                            "Sentinel's %d characters; shorten the exclusions that apply to "
                            "the table",
                            st->table->name, st->iocs[start].value, FH_RULE_SENTINEL_QUERY_MAX);
    size_t kept = keep_address_together(st, start, lo);
    if (kept != lo) {
        free(best);
        best = NULL;
        fh_status status = slice_query(ctx, st, start, kept, &best, err);
        if (status != FH_OK)
            return status;
    }
    *part = (sentinel_part){start, kept, best};
    return FH_OK;
}

static fh_status split_table(const rule_context *ctx, sentinel_table *st, fh_error *err)
{
    /* A part takes about as many indicators as the one before it. So each search after the
     * first looks no further than twice that count (at least 64), which saves work. */
    size_t start = 0, limit = st->count;
    while (start < st->count) {
        if (st->nparts >= FH_RULE_MAX_RULES)
            return fh_error_set(err, FH_ERR_LIMIT, NULL, 0, 0,
                                "the %s indicators need more than %d Sentinel rules",
                                st->table->name, FH_RULE_MAX_RULES);
        sentinel_part *grown = realloc(st->parts, (st->nparts + 1) * sizeof *st->parts);
        if (grown == NULL)
            return rule_nomem(err, "a Sentinel rule");
        st->parts = grown;
        fh_status status = fit_part(ctx, st, start, limit, &st->parts[st->nparts], err);
        if (status != FH_OK)
            return status;
        size_t count = st->parts[st->nparts++].count;
        start += count;
        limit = 2 * count > 64 ? 2 * count : 64;
    }
    return FH_OK;
}

static void table_free(sentinel_table *st)
{
    for (size_t i = 0; i < st->nparts; i++)
        free(st->parts[i].query);
    free(st->parts);
    free(st->iocs);
}

/* Writes "TITLE in TABLE (part K of N)", cutting the title so the name stays within
 * NAME_MAX_CHARS bytes (and so within that many characters) on a UTF-8 boundary. */
static void write_name(const rule_context *ctx, const sentinel_table *st, size_t part,
                       char name[NAME_MAX_CHARS + 1])
{
    char suffix[128];
    int n = snprintf(suffix, sizeof suffix, " in %s", st->table->name);
    if (st->nparts > 1)
        snprintf(suffix + n, sizeof suffix - (size_t)n, " (part %zu of %zu)", part + 1, st->nparts);
    size_t room = NAME_MAX_CHARS - strlen(suffix);
    size_t title = strlen(ctx->facts.title);
    if (title > room) {
        title = room;
        while (title > 0 && ((unsigned char)ctx->facts.title[title] & 0xC0) == 0x80)
            title--;
    }
    memcpy(name, ctx->facts.title, title);
    strcpy(name + title, suffix);
}

static void write_description(const rule_context *ctx, const sentinel_table *st, size_t part,
                              fh_strbuf *sb)
{
    const sentinel_part *p = &st->parts[part];
    size_t per_type[FH_IOC_TYPE_COUNT] = {0};
    for (size_t i = p->start; i < p->start + p->count; i++)
        per_type[st->iocs[i].type]++;

    fh_strbuf_printf(sb, "Finds %s events that match %zu %s indicator%s of %s (", st->table->name,
                     p->count, ctx->facts.source, p->count == 1 ? "" : "s", ctx->facts.family);
    bool first = true;
    for (int t = 0; t < FH_IOC_TYPE_COUNT; t++) {
        if (per_type[t] == 0)
            continue;
        fh_strbuf_printf(sb, "%s%zu %s", first ? "" : ", ", per_type[t],
                         rule_threatfox_type((fh_ioc_type)t));
        first = false;
    }
    fh_strbuf_puts(sb, ")");
    if (ctx->facts.first_seen_min != FH_TIME_UNKNOWN) {
        fh_strbuf_puts(sb, ", first seen ");
        rule_first_seen_phrase(&ctx->facts, sb);
    }
    fh_strbuf_puts(sb, ".\n");
    if (st->nparts > 1)
        fh_strbuf_printf(sb,
                         "The indicators are split over %zu rules to keep each query under "
                         "%d characters; this is part %zu.\n",
                         st->nparts, FH_RULE_SENTINEL_QUERY_MAX, part + 1);
    if (st->table->hashes)
        fh_strbuf_puts(sb, "MatchedColumn names the hash column that matched.\n");
    else
        fh_strbuf_puts(sb, "MatchedColumn names the column that matched; PortMatch is true "
                           "when the event's port is one listed for the address.\n");
    fh_strbuf_printf(sb, "Needs %s.\n", st->table->connector);
}

static void write_connectors(rule_yaml *y, const hunt_table *t)
{
    bool cef = strcmp(t->name, "CommonSecurityLog") == 0;
    rule_yaml_scalar(y, "requiredDataConnectors");
    rule_yaml_seq_start(y, false);
    rule_yaml_map_start(y);
    rule_yaml_pair(y, "connectorId", cef ? "CefAma" : "MicrosoftThreatProtection");
    rule_yaml_scalar(y, "dataTypes");
    rule_yaml_seq_start(y, false);
    rule_yaml_scalar(y, t->name);
    rule_yaml_seq_end(y);
    rule_yaml_map_end(y);
    rule_yaml_seq_end(y);
}

static void write_list(rule_yaml *y, const char *key, const char *item)
{
    rule_yaml_scalar(y, key);
    rule_yaml_seq_start(y, false);
    rule_yaml_scalar(y, item);
    rule_yaml_seq_end(y);
}

/* One entity with one or two identifier-to-column mappings (second may be NULL). */
static void write_entity(rule_yaml *y, const char *type, const char *id1, const char *col1,
                         const char *id2, const char *col2)
{
    rule_yaml_map_start(y);
    rule_yaml_pair(y, "entityType", type);
    rule_yaml_scalar(y, "fieldMappings");
    rule_yaml_seq_start(y, false);
    rule_yaml_map_start(y);
    rule_yaml_pair(y, "identifier", id1);
    rule_yaml_pair(y, "columnName", col1);
    rule_yaml_map_end(y);
    if (id2 != NULL) {
        rule_yaml_map_start(y);
        rule_yaml_pair(y, "identifier", id2);
        rule_yaml_pair(y, "columnName", col2);
        rule_yaml_map_end(y);
    }
    rule_yaml_seq_end(y);
    rule_yaml_map_end(y);
}

/* Entities from columns the query projects: at most five, as the schema allows. */
static void write_entities(rule_yaml *y, const hunt_table *t)
{
    rule_yaml_scalar(y, "entityMappings");
    rule_yaml_seq_start(y, false);
    if (t->hashes) {
        write_entity(y, "FileHash", "Algorithm", "MatchedColumn", "Value", "MatchedValue");
    } else {
        for (size_t i = 0; i < 2 && t->ips[i].ip != NULL; i++)
            write_entity(y, "IP", "Address", t->ips[i].ip, NULL, NULL);
    }
    write_entity(y, "Host", "HostName", t->host_column, NULL, NULL);
    if (t->url_column != NULL)
        write_entity(y, "URL", "Url", t->url_column, NULL, NULL);
    if (t->hostname_column != NULL)
        write_entity(y, "DNS", "DomainName", t->hostname_column, NULL, NULL);
    rule_yaml_seq_end(y);
}

static void write_custom_details(rule_yaml *y, const hunt_table *t)
{
    rule_yaml_scalar(y, "customDetails");
    rule_yaml_map_start(y);
    rule_yaml_pair(y, "MatchedColumn", "MatchedColumn");
    rule_yaml_pair(y, "MatchedValue", "MatchedValue");
    if (!t->hashes)
        rule_yaml_pair(y, "PortMatch", "PortMatch");
    rule_yaml_map_end(y);
}

static fh_status write_rule(const rule_context *ctx, const sentinel_table *st, size_t part,
                            fh_strbuf *sb, fh_error *err)
{
    const hunt_table *t = st->table;
    char id[37], name[NAME_MAX_CHARS + 1];
    rule_uuid(&ctx->facts, t->name, (unsigned)(st->nparts > 1 ? part + 1 : 0), id);
    write_name(ctx, st, part, name);
    fh_strbuf description;
    fh_strbuf_init(&description);
    write_description(ctx, st, part, &description);
    if (fh_strbuf_status(&description) != FH_OK || description.len > DESCRIPTION_MAX_CHARS) {
        fh_strbuf_free(&description);
        return rule_nomem(err, "a Sentinel rule description");
    }

    rule_yaml y;
    fh_status status = rule_yaml_begin(&y, sb, err);
    if (status != FH_OK) {
        fh_strbuf_free(&description);
        return status;
    }
    rule_yaml_map_start(&y);
    rule_yaml_pair(&y, "id", id);
    rule_yaml_pair(&y, "name", name);
    rule_yaml_scalar(&y, "description");
    rule_yaml_literal(&y, description.data);
    rule_yaml_pair(&y, "severity", fh_rule_severity_name(ctx->options->severity));
    write_connectors(&y, t);
    rule_yaml_pair(&y, "queryFrequency", query_frequency);
    rule_yaml_pair(&y, "queryPeriod", query_period);
    rule_yaml_pair(&y, "triggerOperator", "gt");
    rule_yaml_scalar(&y, "triggerThreshold");
    rule_yaml_int(&y, 0);
    write_list(&y, "tactics", t->hashes ? "Execution" : "CommandAndControl");
    write_list(&y, "relevantTechniques", t->hashes ? "T1204" : "T1071");
    rule_yaml_scalar(&y, "query");
    rule_yaml_literal(&y, st->parts[part].query);
    write_entities(&y, t);
    write_custom_details(&y, t);
    rule_yaml_pair(&y, "version", "1.0.0");
    rule_yaml_pair(&y, "kind", "Scheduled");
    rule_yaml_map_end(&y);
    fh_strbuf_free(&description);
    return rule_yaml_finish(&y, err);
}

static fh_status write_table(const rule_context *ctx, const sentinel_table *st, fh_rule_output *out,
                             fh_error *err)
{
    for (size_t part = 0; part < st->nparts; part++) {
        fh_strbuf sb;
        fh_strbuf_init(&sb);
        fh_status status = write_rule(ctx, st, part, &sb, err);
        if (status != FH_OK) {
            fh_strbuf_free(&sb);
            return status;
        }
        char name[256];
        if (st->nparts > 1)
            snprintf(name, sizeof name, "%s-%s-part%03zu.yaml", ctx->facts.slug, st->table->name,
                     part + 1);
        else
            snprintf(name, sizeof name, "%s-%s.yaml", ctx->facts.slug, st->table->name);
        status = rule_output_add(out, name, &sb, err);
        if (status != FH_OK)
            return status;
        out->rules++;
    }
    if (st->nparts > 1)
        out->split_tables++;
    return FH_OK;
}

fh_status rule_sentinel(rule_context *ctx, fh_rule_output *out, fh_error *err)
{
    out->separator = "---\n";
    size_t ntables = 0;
    const hunt_table *tables = hunt_table_all(&ntables);
    for (size_t i = 0; i < ntables; i++) {
        if (!fh_hunt_table_needed(ctx->iocs, tables[i].name))
            continue;
        sentinel_table st = {.table = &tables[i]};
        fh_status status = table_indicators(ctx, &st, err);
        if (status == FH_OK)
            status = split_table(ctx, &st, err);
        if (status == FH_OK)
            status = write_table(ctx, &st, out, err);
        table_free(&st);
        if (status != FH_OK)
            return status;
    }
    if (out->rules == 0)
        return fh_error_set(err, FH_ERR_NOT_FOUND, NULL, 0, 0,
                            "no indicator applies to a table that Sentinel rules query");
    return FH_OK;
}
