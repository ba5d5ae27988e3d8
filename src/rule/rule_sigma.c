/*
 * The sigma format: one Sigma rule per Sentinel table, with the table's column names as
 * fields and the indicator values as lists (OR semantics; Sigma compares without regard to
 * case by default).
 *
 * logsource is `product: azure` with `service: TABLE`, the Sentinel table name: Sigma has no
 * shared taxonomy entry for these tables, so a conversion pipeline has to map the service to
 * the table. Address ranges use the `cidr` modifier, subdomains `endswith`. The KQL
 * exclusions cannot be expressed in Sigma; their names and reasons go to falsepositives.
 */
#include <stdio.h>
#include <string.h>

#include "hunt/hunt_tables.h"
#include "rule/rule_internal.h"
#include "rule/rule_lists.h"
#include "rule/rule_yaml.h"

static const char *const sigma_levels[] = {"informational", "low", "medium", "high"};

/* "selection_NAME: {FIELD|MODIFIER: [values written through pattern]}" */
static void write_selection(rule_yaml *y, const char *name, const char *field,
                            const rule_list *list, const char *pattern)
{
    if (list->count == 0)
        return;
    rule_yaml_scalar(y, name);
    rule_yaml_map_start(y);
    rule_yaml_scalar(y, field);
    rule_yaml_seq_start(y, false);
    for (size_t i = 0; i < list->count; i++) {
        char value[FH_MAX_INDICATOR_BYTES + 16];
        snprintf(value, sizeof value, pattern, list->items[i]);
        rule_yaml_scalar(y, value);
    }
    rule_yaml_seq_end(y);
    rule_yaml_map_end(y);
}

static void write_network_detection(rule_yaml *y, const hunt_table *t, const rule_lists *l)
{
    char name[96], field[96];
    for (size_t i = 0; i < 2 && t->ips[i].ip != NULL; i++) {
        snprintf(name, sizeof name, "selection_%s", t->ips[i].ip);
        write_selection(y, name, t->ips[i].ip, &l->addresses, "%s");
        snprintf(name, sizeof name, "selection_%s_range", t->ips[i].ip);
        snprintf(field, sizeof field, "%s|cidr", t->ips[i].ip);
        write_selection(y, name, field, &l->ranges, "%s");
    }
    if (t->hostname_column != NULL) {
        write_selection(y, "selection_host", t->hostname_column, &l->domains, "%s");
        snprintf(field, sizeof field, "%s|endswith", t->hostname_column);
        write_selection(y, "selection_subdomain", field, &l->domains, ".%s");
    }
    if (t->url_column != NULL) {
        write_selection(y, "selection_url", t->url_column, &l->urls, "%s");
        snprintf(field, sizeof field, "%s|contains", t->url_column);
        write_selection(y, "selection_url_host", field, &l->domains, "://%s/");
        write_selection(y, "selection_url_subdomain", field, &l->domains, ".%s/");
        if (t->url_column_may_be_host) {
            write_selection(y, "selection_bare_host", t->url_column, &l->domains, "%s");
            snprintf(field, sizeof field, "%s|endswith", t->url_column);
            write_selection(y, "selection_bare_subdomain", field, &l->domains, ".%s");
        }
    }
}

static void write_hash_detection(rule_yaml *y, const rule_lists *l)
{
    write_selection(y, "selection_sha256", "SHA256", &l->sha256, "%s");
    write_selection(y, "selection_sha1", "SHA1", &l->sha1, "%s");
    write_selection(y, "selection_md5", "MD5", &l->md5, "%s");
}

static void write_list(rule_yaml *y, const char *key, const char *const *items, size_t n)
{
    rule_yaml_scalar(y, key);
    rule_yaml_seq_start(y, false);
    for (size_t i = 0; i < n; i++)
        rule_yaml_scalar(y, items[i]);
    rule_yaml_seq_end(y);
}

static void write_false_positives(rule_yaml *y, const rule_context *ctx, const char *table)
{
    rule_yaml_scalar(y, "falsepositives");
    rule_yaml_seq_start(y, false);
    const fh_exclusion_set *ex = ctx->options->exclusions;
    size_t written = 0;
    for (size_t i = 0; ex != NULL && i < ex->count; i++) {
        if (!fh_exclusion_applies(&ex->items[i], table))
            continue;
        char text[1024];
        snprintf(text, sizeof text, "%s: %s", ex->items[i].name,
                 ex->items[i].reason != NULL ? ex->items[i].reason : "no reason given");
        rule_yaml_scalar(y, text);
        written++;
    }
    if (written == 0)
        rule_yaml_scalar(y, "Security tools and sandboxes that fetch or probe the indicators");
    rule_yaml_seq_end(y);
}

static void write_description(const rule_context *ctx, const hunt_table *t, const rule_lists *l,
                              fh_strbuf *sb)
{
    size_t n = t->hashes ? rule_lists_hashes(l) : rule_lists_network(l);
    fh_strbuf_printf(sb, "Matches %zu %s value%s of %s in %s", n, ctx->facts.source,
                     n == 1 ? "" : "s", ctx->facts.family, t->name);
    if (ctx->facts.first_seen_min != FH_TIME_UNKNOWN) {
        fh_strbuf_puts(sb, ", first seen ");
        rule_first_seen_phrase(&ctx->facts, sb);
    }
    fh_strbuf_puts(sb, ".");
    if (!t->hashes && l->address_ports.count > 0) {
        fh_strbuf_puts(sb, " Addresses match on any port; the listed ports are");
        for (size_t i = 0; i < l->address_ports.count; i++)
            fh_strbuf_printf(sb, "%s %s", i == 0 ? "" : ",", l->address_ports.items[i]);
        fh_strbuf_puts(sb, ".");
    }
}

static fh_status write_rule(const rule_context *ctx, const hunt_table *t, const rule_lists *l,
                            fh_strbuf *sb, fh_error *err)
{
    char id[37], title[400], table_key[128];
    snprintf(table_key, sizeof table_key, "sigma:%s", t->name);
    rule_uuid(&ctx->facts, table_key, 0, id);
    snprintf(title, sizeof title, "%s in %s", ctx->facts.title, t->name);
    fh_strbuf description;
    fh_strbuf_init(&description);
    write_description(ctx, t, l, &description);
    if (fh_strbuf_status(&description) != FH_OK) {
        fh_strbuf_free(&description);
        return rule_nomem(err, "a Sigma rule");
    }

    rule_yaml y;
    fh_status st = rule_yaml_begin(&y, sb, err);
    if (st != FH_OK) {
        fh_strbuf_free(&description);
        return st;
    }
    rule_yaml_map_start(&y);
    rule_yaml_pair(&y, "title", title);
    rule_yaml_pair(&y, "id", id);
    rule_yaml_pair(&y, "status", "experimental");
    rule_yaml_pair(&y, "description", description.data);
    rule_yaml_pair(&y, "author", "foxhound");
    const char *const tags_net[] = {"attack.command-and-control", "attack.t1071"};
    const char *const tags_hash[] = {"attack.execution", "attack.t1204"};
    write_list(&y, "tags", t->hashes ? tags_hash : tags_net, 2);
    rule_yaml_scalar(&y, "logsource");
    rule_yaml_map_start(&y);
    rule_yaml_pair(&y, "product", "azure");
    rule_yaml_pair(&y, "service", t->name);
    rule_yaml_map_end(&y);
    rule_yaml_scalar(&y, "detection");
    rule_yaml_map_start(&y);
    if (t->hashes)
        write_hash_detection(&y, l);
    else
        write_network_detection(&y, t, l);
    rule_yaml_pair(&y, "condition", "1 of selection_*");
    rule_yaml_map_end(&y);
    write_false_positives(&y, ctx, t->name);
    rule_yaml_pair(&y, "level", sigma_levels[ctx->options->severity]);
    rule_yaml_map_end(&y);
    fh_strbuf_free(&description);
    return rule_yaml_finish(&y, err);
}

fh_status rule_sigma(rule_context *ctx, fh_rule_output *out, fh_error *err)
{
    rule_lists lists;
    fh_status st = rule_lists_build(ctx->iocs, &lists, err);
    if (st != FH_OK)
        return st;
    out->separator = "---\n";

    size_t ntables = 0;
    const hunt_table *tables = hunt_table_all(&ntables);
    for (size_t i = 0; i < ntables && st == FH_OK; i++) {
        if (!fh_hunt_table_needed(ctx->iocs, tables[i].name))
            continue;
        fh_strbuf sb;
        fh_strbuf_init(&sb);
        st = write_rule(ctx, &tables[i], &lists, &sb, err);
        if (st != FH_OK) {
            fh_strbuf_free(&sb);
            break;
        }
        char name[160];
        snprintf(name, sizeof name, "%s-%s.yml", ctx->facts.slug, tables[i].name);
        st = rule_output_add(out, name, &sb, err);
        out->rules += st == FH_OK;
    }
    rule_lists_free(&lists);
    return st;
}
