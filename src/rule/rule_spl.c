/*
 * The spl format: Splunk searches that stand for the hunting queries, one per Sentinel table,
 * plus one per table for address ranges.
 *
 * Field names: firewall events use the Splunk Common Information Model (Network_Traffic:
 * src_ip, dest_ip, src_port, dest_port, action, dvc; Web: url, url_domain), which CEF add-ons
 * map to. Defender events use the records of the Defender streaming API as Splunk's JSON
 * extraction names them: category "AdvancedHunting-TABLE" and the advanced-hunting columns
 * under properties (properties.RemoteIP, properties.SHA256). index and sourcetype are
 * placeholders in angle brackets, to be replaced with the site's own.
 *
 * Exact values go into the base search as `field IN (...)`, which Splunk compares without
 * regard to case, as hunt does. Each CIDR becomes one cidrmatch() in a where clause of a
 * second search, because where cannot be OR-ed with the base search. The KQL exclusions
 * cannot be carried over; each search lists them in a comment.
 */
#include <stdio.h>
#include <string.h>

#include "rule/rule_internal.h"
#include "rule/rule_lists.h"

typedef struct spl_table {
    const char *table; /* the Sentinel table the search stands for */
    const char *base;
    const char *ip[2], *port[2]; /* address fields and the port on the same side */
    const char *url;             /* URL field, NULL when none */
    const char *domain;          /* host name field, NULL when none */
    bool url_may_be_host;        /* the URL field sometimes contains a bare host name */
    bool hashes;
    const char *fields; /* shown with each result */
} spl_table;

static const spl_table spl_tables[] = {
    {
        .table = "CommonSecurityLog",
        .base = "index=<firewall_index> sourcetype=<cef_sourcetype>",
        .ip = {"dest_ip", "src_ip"},
        .port = {"dest_port", "src_port"},
        .url = "url",
        .domain = "url_domain",
        .fields = "_time dvc src_ip src_port dest_ip dest_port url action",
    },
    {
        .table = "DeviceNetworkEvents",
        .base = "index=<defender_index> sourcetype=<defender_sourcetype> "
                "category=\"AdvancedHunting-DeviceNetworkEvents\"",
        .ip = {"properties.RemoteIP", NULL},
        .port = {"properties.RemotePort", NULL},
        .url = "properties.RemoteUrl",
        .url_may_be_host = true,
        .fields = "_time properties.DeviceName properties.RemoteIP properties.RemotePort "
                  "properties.RemoteUrl properties.InitiatingProcessFileName "
                  "properties.ActionType",
    },
    {
        .table = "DeviceFileEvents",
        .base = "index=<defender_index> sourcetype=<defender_sourcetype> "
                "category=\"AdvancedHunting-DeviceFileEvents\"",
        .hashes = true,
        .fields = "_time properties.DeviceName properties.FileName properties.FolderPath "
                  "properties.SHA256 properties.InitiatingProcessFileName",
    },
    {
        .table = "DeviceProcessEvents",
        .base = "index=<defender_index> sourcetype=<defender_sourcetype> "
                "category=\"AdvancedHunting-DeviceProcessEvents\"",
        .hashes = true,
        .fields = "_time properties.DeviceName properties.FileName properties.FolderPath "
                  "properties.SHA256 properties.ProcessCommandLine "
                  "properties.InitiatingProcessFileName",
    },
};

/* Appends an SPL string literal: double quotes, with " and \ escaped. */
static void put_string(fh_strbuf *sb, const char *text)
{
    fh_strbuf_puts(sb, "\"");
    for (const char *c = text; *c != '\0'; c++) {
        if (*c == '"' || *c == '\\')
            fh_strbuf_puts(sb, "\\");
        fh_strbuf_append(sb, c, 1);
    }
    fh_strbuf_puts(sb, "\"");
}

/* Appends "FIELD IN (...)" with each value written through the pattern (NULL for as-is). */
static void put_in(fh_strbuf *sb, bool *first, const char *field, const rule_list *list,
                   const char *const *patterns, size_t npatterns)
{
    if (list->count == 0)
        return;
    fh_strbuf_printf(sb, "%s%s IN (", *first ? "" : "\n    OR ", field);
    *first = false;
    for (size_t i = 0; i < list->count; i++) {
        for (size_t p = 0; p < npatterns; p++) {
            char value[FH_MAX_INDICATOR_BYTES + 16];
            snprintf(value, sizeof value, patterns[p], list->items[i]);
            if (i > 0 || p > 0)
                fh_strbuf_puts(sb, ", ");
            put_string(sb, value);
        }
    }
    fh_strbuf_puts(sb, ")");
}

static const char *const as_is[] = {"%s"};
static const char *const host_patterns[] = {"%s", "*.%s"};
static const char *const url_host_patterns[] = {"%s",       "*.%s",       "*://%s/*",
                                                "*://%s:*", "*://*.%s/*", "*://*.%s:*"};
static const char *const url_patterns[] = {"*://%s/*", "*://%s:*", "*://*.%s/*", "*://*.%s:*"};

static void put_network_terms(fh_strbuf *sb, const spl_table *t, const rule_lists *l)
{
    bool first = true;
    for (size_t i = 0; i < 2 && t->ip[i] != NULL; i++)
        put_in(sb, &first, t->ip[i], &l->addresses, as_is, 1);
    if (t->url != NULL)
        put_in(sb, &first, t->url, &l->urls, as_is, 1);
    if (t->domain != NULL)
        put_in(sb, &first, t->domain, &l->domains, host_patterns, 2);
    if (t->url != NULL && t->url_may_be_host)
        put_in(sb, &first, t->url, &l->domains, url_host_patterns, 6);
    else if (t->url != NULL)
        put_in(sb, &first, t->url, &l->domains, url_patterns, 4);
}

static void put_hash_terms(fh_strbuf *sb, const rule_lists *l)
{
    bool first = true;
    put_in(sb, &first, "properties.SHA256", &l->sha256, as_is, 1);
    put_in(sb, &first, "properties.SHA1", &l->sha1, as_is, 1);
    put_in(sb, &first, "properties.MD5", &l->md5, as_is, 1);
}

/* Field name as eval and where need it: single quotes around names with dots. */
static void put_eval_field(fh_strbuf *sb, const char *field)
{
    fh_strbuf_printf(sb, strchr(field, '.') != NULL ? "'%s'" : "%s", field);
}

/* port_listed: true when the event's address and port on one side is a listed ip:port. */
static void put_port_listed(fh_strbuf *sb, const spl_table *t, const rule_lists *l)
{
    if (l->address_ports.count == 0)
        return;
    fh_strbuf_puts(sb, "| eval port_listed=if(");
    for (size_t i = 0; i < 2 && t->ip[i] != NULL; i++) {
        fh_strbuf_puts(sb, i > 0 ? " OR in(" : "in(");
        put_eval_field(sb, t->ip[i]);
        fh_strbuf_puts(sb, ".\":\".");
        put_eval_field(sb, t->port[i]);
        for (size_t k = 0; k < l->address_ports.count; k++) {
            fh_strbuf_puts(sb, ", ");
            put_string(sb, l->address_ports.items[k]);
        }
        fh_strbuf_puts(sb, ")");
    }
    fh_strbuf_puts(sb, ", \"true\", \"false\")\n");
}

static void put_header(fh_strbuf *sb, const rule_context *ctx, const spl_table *t, const char *what)
{
    fh_strbuf_printf(sb, "``` %s: %s in events that Sentinel keeps in %s ```\n", ctx->facts.title,
                     what, t->table);
    const fh_exclusion_set *ex = ctx->options->exclusions;
    for (size_t i = 0; ex != NULL && i < ex->count; i++) {
        if (fh_exclusion_applies(&ex->items[i], t->table))
            fh_strbuf_printf(sb, "``` not applied here (KQL only): exclusion %s ```\n",
                             ex->items[i].name);
    }
}

static void put_tail(fh_strbuf *sb, const spl_table *t, const rule_lists *l)
{
    if (!t->hashes)
        put_port_listed(sb, t, l);
    fh_strbuf_printf(sb, "| table %s%s\n| sort - _time\n", t->fields,
                     !t->hashes && l->address_ports.count ? " port_listed" : "");
}

static void write_exact_search(fh_strbuf *sb, const rule_context *ctx, const spl_table *t,
                               const rule_lists *l)
{
    put_header(sb, ctx, t, t->hashes ? "file hashes" : "addresses, domains and URLs");
    fh_strbuf_printf(sb, "%s\n    (", t->base);
    if (t->hashes)
        put_hash_terms(sb, l);
    else
        put_network_terms(sb, t, l);
    fh_strbuf_puts(sb, ")\n");
    put_tail(sb, t, l);
}

static void write_range_search(fh_strbuf *sb, const rule_context *ctx, const spl_table *t,
                               const rule_lists *l)
{
    put_header(sb, ctx, t, "address ranges");
    fh_strbuf_printf(sb, "%s\n| where ", t->base);
    bool first = true;
    for (size_t r = 0; r < l->ranges.count; r++) {
        for (size_t i = 0; i < 2 && t->ip[i] != NULL; i++) {
            fh_strbuf_puts(sb, first ? "" : "\n    OR ");
            first = false;
            fh_strbuf_puts(sb, "cidrmatch(");
            put_string(sb, l->ranges.items[r]);
            fh_strbuf_puts(sb, ", ");
            put_eval_field(sb, t->ip[i]);
            fh_strbuf_puts(sb, ")");
        }
    }
    fh_strbuf_puts(sb, "\n");
    put_tail(sb, t, l);
}

static bool has_exact(const spl_table *t, const rule_lists *l)
{
    if (t->hashes)
        return rule_lists_hashes(l) > 0;
    return l->addresses.count + l->domains.count + l->urls.count > 0;
}

fh_status rule_spl(rule_context *ctx, fh_rule_output *out, fh_error *err)
{
    rule_lists lists;
    fh_status st = rule_lists_build(ctx->iocs, &lists, err);
    if (st != FH_OK)
        return st;
    out->separator = "\n";

    for (size_t i = 0; i < sizeof spl_tables / sizeof spl_tables[0] && st == FH_OK; i++) {
        const spl_table *t = &spl_tables[i];
        const char *kinds[2] = {"exact", "ranges"};
        for (int kind = 0; kind < 2 && st == FH_OK; kind++) {
            bool wanted = kind == 0 ? has_exact(t, &lists) : !t->hashes && lists.ranges.count;
            if (!wanted)
                continue;
            fh_strbuf sb;
            fh_strbuf_init(&sb);
            if (kind == 0)
                write_exact_search(&sb, ctx, t, &lists);
            else
                write_range_search(&sb, ctx, t, &lists);
            char name[160];
            snprintf(name, sizeof name, "%s-%s-%s.spl", ctx->facts.slug, t->table, kinds[kind]);
            st = rule_output_add(out, name, &sb, err);
            out->rules += st == FH_OK;
        }
    }
    rule_lists_free(&lists);
    return st;
}
