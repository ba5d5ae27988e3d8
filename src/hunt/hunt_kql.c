/*
 * Generation of the hunting query for one table from an indicator set.
 *
 * The query has three parts. A first `where` names every indicator list with operators the
 * planner can turn into a literal prefilter (in, in~, has_any), so lines without any value
 * are skipped before parsing. An `extend` then decides exactly which column matched:
 * domains match the host or a parent of it (compared label by label through split and
 * array_slice, so "mysync-update.example.net" does not match "sync-update.example.net"),
 * and hashes are compared per type. Exclusions follow as `where not(...)`, and the result
 * is projected in a fixed column order and sorted newest first.
 *
 * Lists are sorted and deduplicated so that the same indicators always give the same text.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/strbuf.h"
#include "foxhound/datetime.h"
#include "foxhound/hunt.h"
#include "hunt/hunt_kql.h"
#include "hunt/hunt_tables.h"

typedef struct str_list {
    const char **items;
    size_t count;
} str_list;

typedef struct ioc_lists {
    str_list addresses, address_ports, ipv4_ranges, ipv6_ranges, domains, urls;
    str_list sha256, sha1, md5;
    bool ipv6_ports;
    int domain_labels; /* maximum label count of a domain indicator */
    size_t network;    /* address, range, domain and URL indicators */
    size_t hashes;     /* hash indicators */
} ioc_lists;

static int compare_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void list_finish(str_list *list)
{
    if (list->count == 0)
        return;
    qsort(list->items, list->count, sizeof *list->items, compare_str);
    size_t out = 1;
    for (size_t i = 1; i < list->count; i++) {
        if (strcmp(list->items[i], list->items[out - 1]) != 0)
            list->items[out++] = list->items[i];
    }
    list->count = out;
}

static int count_labels(const char *domain)
{
    int labels = 1;
    for (const char *p = domain; *p != '\0'; p++)
        labels += *p == '.';
    return labels;
}

static void add_indicator(ioc_lists *lists, const fh_indicator *ioc)
{
    switch (ioc->type) {
    case FH_IOC_IPV4:
    case FH_IOC_IPV6:
        lists->addresses.items[lists->addresses.count++] = ioc->value;
        break;
    case FH_IOC_IP_PORT:
        lists->addresses.items[lists->addresses.count++] = ioc->address;
        lists->address_ports.items[lists->address_ports.count++] = ioc->value;
        lists->ipv6_ports |= ioc->value[0] == '[';
        break;
    case FH_IOC_CIDR:
        if (strchr(ioc->value, ':') != NULL)
            lists->ipv6_ranges.items[lists->ipv6_ranges.count++] = ioc->value;
        else
            lists->ipv4_ranges.items[lists->ipv4_ranges.count++] = ioc->value;
        break;
    case FH_IOC_DOMAIN:
        lists->domains.items[lists->domains.count++] = ioc->value;
        if (count_labels(ioc->value) > lists->domain_labels)
            lists->domain_labels = count_labels(ioc->value);
        break;
    case FH_IOC_URL:
        lists->urls.items[lists->urls.count++] = ioc->value;
        break;
    case FH_IOC_SHA256:
        lists->sha256.items[lists->sha256.count++] = ioc->value;
        break;
    case FH_IOC_SHA1:
        lists->sha1.items[lists->sha1.count++] = ioc->value;
        break;
    case FH_IOC_MD5:
        lists->md5.items[lists->md5.count++] = ioc->value;
        break;
    default:
        return;
    }
    if (ioc->type == FH_IOC_MD5 || ioc->type == FH_IOC_SHA1 || ioc->type == FH_IOC_SHA256)
        lists->hashes++;
    else
        lists->network++;
}

static void lists_free(ioc_lists *lists)
{
    str_list *all[] = {&lists->addresses,   &lists->address_ports, &lists->ipv4_ranges,
                       &lists->ipv6_ranges, &lists->domains,       &lists->urls,
                       &lists->sha256,      &lists->sha1,          &lists->md5};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        free(all[i]->items);
    memset(lists, 0, sizeof *lists);
}

static fh_status lists_build(const fh_ioc_set *iocs, ioc_lists *lists, fh_error *err)
{
    memset(lists, 0, sizeof *lists);
    str_list *all[] = {&lists->addresses,   &lists->address_ports, &lists->ipv4_ranges,
                       &lists->ipv6_ranges, &lists->domains,       &lists->urls,
                       &lists->sha256,      &lists->sha1,          &lists->md5};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        all[i]->items = malloc((iocs->count ? iocs->count : 1) * sizeof(char *));
        if (all[i]->items == NULL) {
            lists_free(lists);
            return fh_error_set(err, FH_ERR_NOMEM, NULL, 0, 0, "out of memory");
        }
    }
    for (size_t i = 0; i < iocs->count; i++)
        add_indicator(lists, &iocs->items[i]);
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        list_finish(all[i]);
    return FH_OK;
}

static bool table_uses_addresses(const hunt_table *t, const ioc_lists *l)
{
    return t->ips[0].ip != NULL &&
           (l->addresses.count || l->ipv4_ranges.count || l->ipv6_ranges.count);
}

static bool table_uses_domains(const hunt_table *t, const ioc_lists *l)
{
    return (t->url_column != NULL || t->hostname_column != NULL) &&
           (l->domains.count || l->urls.count);
}

static bool table_uses_hashes(const hunt_table *t, const ioc_lists *l)
{
    return t->hashes && (l->sha256.count || l->sha1.count || l->md5.count);
}

static bool table_applies(const hunt_table *t, const ioc_lists *l)
{
    return table_uses_addresses(t, l) || table_uses_domains(t, l) || table_uses_hashes(t, l);
}

bool fh_hunt_table_needed(const fh_ioc_set *iocs, const char *table)
{
    const hunt_table *t = hunt_table_find(table);
    if (t == NULL)
        return false;
    for (size_t i = 0; i < iocs->count; i++) {
        switch (iocs->items[i].type) {
        case FH_IOC_IPV4:
        case FH_IOC_IPV6:
        case FH_IOC_IP_PORT:
        case FH_IOC_CIDR:
            if (t->ips[0].ip != NULL)
                return true;
            break;
        case FH_IOC_DOMAIN:
        case FH_IOC_URL:
            if (t->url_column != NULL || t->hostname_column != NULL)
                return true;
            break;
        case FH_IOC_MD5:
        case FH_IOC_SHA1:
        case FH_IOC_SHA256:
            if (t->hashes)
                return true;
            break;
        default:
            break;
        }
    }
    return false;
}

static void emit_let(fh_strbuf *sb, const char *name, const str_list *list)
{
    if (list->count == 0)
        return;
    fh_strbuf_printf(sb, "let %s = dynamic([", name);
    for (size_t i = 0; i < list->count; i++) {
        if (i > 0)
            fh_strbuf_puts(sb, ", ");
        fh_strbuf_kql_string(sb, list->items[i], strlen(list->items[i]));
    }
    fh_strbuf_puts(sb, "]);\n");
}

/* Appends " or " between the terms of a disjunction. */
static void emit_or(fh_strbuf *sb, bool *first, const char *indent)
{
    if (!*first)
        fh_strbuf_printf(sb, "\n%sor ", indent);
    *first = false;
}

static void emit_ip_test(fh_strbuf *sb, const char *column, const ioc_lists *l, bool *first,
                         const char *indent)
{
    if (l->addresses.count) {
        emit_or(sb, first, indent);
        fh_strbuf_printf(sb, "%s in (ioc_addresses)", column);
    }
    if (l->ipv4_ranges.count) {
        emit_or(sb, first, indent);
        fh_strbuf_printf(sb, "ipv4_is_in_any_range(%s, ioc_ipv4_ranges)", column);
    }
    if (l->ipv6_ranges.count) {
        emit_or(sb, first, indent);
        fh_strbuf_printf(sb, "ipv6_is_in_any_range(%s, ioc_ipv6_ranges)", column);
    }
}

/* Exact domain test on a lowercase host expression: the host or one of its parents. */
static void emit_domain_test(fh_strbuf *sb, const char *host, const ioc_lists *l)
{
    fh_strbuf_printf(sb, "(%s in (ioc_domains)", host);
    for (int labels = 2; labels <= l->domain_labels; labels++)
        fh_strbuf_printf(sb,
                         " or strcat_array(array_slice(split(%s, \".\"), -%d, -1), \".\") in "
                         "(ioc_domains)",
                         host, labels);
    fh_strbuf_puts(sb, ")");
}

static void emit_lets(fh_strbuf *sb, const hunt_table *t, const ioc_lists *l)
{
    if (table_uses_addresses(t, l)) {
        emit_let(sb, "ioc_addresses", &l->addresses);
        emit_let(sb, "ioc_address_ports", &l->address_ports);
        emit_let(sb, "ioc_ipv4_ranges", &l->ipv4_ranges);
        emit_let(sb, "ioc_ipv6_ranges", &l->ipv6_ranges);
    }
    if (table_uses_domains(t, l)) {
        emit_let(sb, "ioc_domains", &l->domains);
        emit_let(sb, "ioc_urls", &l->urls);
    }
    if (table_uses_hashes(t, l)) {
        emit_let(sb, "ioc_sha256", &l->sha256);
        emit_let(sb, "ioc_sha1", &l->sha1);
        emit_let(sb, "ioc_md5", &l->md5);
    }
}

/* The coarse filter: every operator here yields prefilter literals. */
static void emit_coarse_where(fh_strbuf *sb, const hunt_table *t, const ioc_lists *l)
{
    const char *indent = "    ";
    bool first = true;
    fh_strbuf_puts(sb, "| where ");
    if (table_uses_addresses(t, l)) {
        for (size_t i = 0; i < 2 && t->ips[i].ip != NULL; i++)
            emit_ip_test(sb, t->ips[i].ip, l, &first, indent);
    }
    if (table_uses_domains(t, l)) {
        const char *cols[] = {t->url_column, t->hostname_column};
        for (size_t i = 0; i < 2; i++) {
            if (cols[i] == NULL)
                continue;
            if (l->urls.count && cols[i] == t->url_column) {
                emit_or(sb, &first, indent);
                fh_strbuf_printf(sb, "%s in~ (ioc_urls)", cols[i]);
            }
            if (l->domains.count) {
                emit_or(sb, &first, indent);
                fh_strbuf_printf(sb, "%s has_any (ioc_domains)", cols[i]);
            }
        }
    }
    if (table_uses_hashes(t, l)) {
        const struct {
            const char *col, *list;
            size_t n;
        } h[] = {{"SHA256", "ioc_sha256", l->sha256.count},
                 {"SHA1", "ioc_sha1", l->sha1.count},
                 {"MD5", "ioc_md5", l->md5.count}};
        for (size_t i = 0; i < 3; i++) {
            if (h[i].n == 0)
                continue;
            emit_or(sb, &first, indent);
            fh_strbuf_printf(sb, "%s in~ (%s)", h[i].col, h[i].list);
        }
    }
    fh_strbuf_puts(sb, "\n");
}

static void emit_time_range(fh_strbuf *sb, const hunt_table *t, int64_t start, int64_t end)
{
    char a[48], b[48];
    if (start != FH_TIME_UNKNOWN)
        fh_datetime_format(start, a, sizeof a);
    if (end != FH_TIME_UNKNOWN)
        fh_datetime_format(end, b, sizeof b);

    if (start != FH_TIME_UNKNOWN && end != FH_TIME_UNKNOWN)
        fh_strbuf_printf(sb, "| where %s between (datetime(%s) .. datetime(%s))\n", t->time_column,
                         a, b);
    else if (start != FH_TIME_UNKNOWN)
        fh_strbuf_printf(sb, "| where %s >= datetime(%s)\n", t->time_column, a);
    else if (end != FH_TIME_UNKNOWN)
        fh_strbuf_printf(sb, "| where %s <= datetime(%s)\n", t->time_column, b);
}

static void emit_network_match(fh_strbuf *sb, const hunt_table *t, const ioc_lists *l)
{
    bool domains = table_uses_domains(t, l) && l->domains.count > 0;
    if (domains) {
        fh_strbuf_puts(sb, "| extend ");
        if (t->url_column_may_be_host)
            fh_strbuf_printf(sb,
                             "UrlHost = tolower(iff(%s contains \"://\", "
                             "tostring(parse_url(%s).Host), tostring(split(%s, \"/\")[0])))",
                             t->url_column, t->url_column, t->url_column);
        else
            fh_strbuf_printf(sb, "UrlHost = tolower(tostring(parse_url(%s).Host))", t->url_column);
        if (t->hostname_column != NULL)
            fh_strbuf_printf(sb, ", TargetHost = tolower(%s)", t->hostname_column);
        fh_strbuf_puts(sb, "\n");
    }

    fh_strbuf_puts(sb, "| extend MatchedColumn = case(");
    if (table_uses_domains(t, l) && l->urls.count)
        fh_strbuf_printf(sb, "\n    %s in~ (ioc_urls), \"%s\",", t->url_column, t->url_column);
    if (table_uses_addresses(t, l)) {
        for (size_t i = 0; i < 2 && t->ips[i].ip != NULL; i++) {
            bool first = true;
            fh_strbuf_puts(sb, "\n    ");
            emit_ip_test(sb, t->ips[i].ip, l, &first, "    ");
            fh_strbuf_printf(sb, ", \"%s\",", t->ips[i].ip);
        }
    }
    if (domains) {
        if (t->hostname_column != NULL) {
            fh_strbuf_puts(sb, "\n    ");
            emit_domain_test(sb, "TargetHost", l);
            fh_strbuf_printf(sb, ", \"%s\",", t->hostname_column);
        }
        fh_strbuf_puts(sb, "\n    ");
        emit_domain_test(sb, "UrlHost", l);
        fh_strbuf_printf(sb, ", \"%s\",", t->url_column);
    }
    fh_strbuf_puts(sb, "\n    \"\")\n| where isnotempty(MatchedColumn)\n");
}

static void emit_hash_match(fh_strbuf *sb, const ioc_lists *l)
{
    fh_strbuf_puts(sb, "| extend MatchedColumn = case(");
    if (l->sha256.count)
        fh_strbuf_puts(sb, "SHA256 in~ (ioc_sha256), \"SHA256\", ");
    if (l->sha1.count)
        fh_strbuf_puts(sb, "SHA1 in~ (ioc_sha1), \"SHA1\", ");
    if (l->md5.count)
        fh_strbuf_puts(sb, "MD5 in~ (ioc_md5), \"MD5\", ");
    fh_strbuf_puts(sb, "\"\")\n| where isnotempty(MatchedColumn)\n");
}

static void emit_exclusions(fh_strbuf *sb, const hunt_table *t, const fh_exclusion_set *ex,
                            hunt_kql_mode mode)
{
    if (ex == NULL)
        return;
    if (mode == HUNT_KQL_FINDINGS) {
        for (size_t i = 0; i < ex->count; i++) {
            if (!fh_exclusion_applies(&ex->items[i], t->name))
                continue;
            fh_strbuf_printf(sb, "// exclusion %s\n| where not(", ex->items[i].name);
            fh_strbuf_puts(sb, ex->items[i].where);
            fh_strbuf_puts(sb, ")\n");
        }
        return;
    }

    /* The suppressed rows: the first exclusion that matches names the row. */
    fh_strbuf_puts(sb, "| extend SuppressedBy = case(");
    for (size_t i = 0; i < ex->count; i++) {
        if (!fh_exclusion_applies(&ex->items[i], t->name))
            continue;
        fh_strbuf_puts(sb, "\n    (");
        fh_strbuf_puts(sb, ex->items[i].where);
        fh_strbuf_puts(sb, "), ");
        fh_strbuf_kql_string(sb, ex->items[i].name, strlen(ex->items[i].name));
        fh_strbuf_puts(sb, ",");
    }
    fh_strbuf_puts(sb, "\n    \"\")\n| where isnotempty(SuppressedBy)\n");
}

static void emit_matched_value(fh_strbuf *sb, const hunt_table *t, const ioc_lists *l)
{
    if (t->hashes) {
        fh_strbuf_puts(sb, "| extend MatchedValue = tolower(case(MatchedColumn == \"SHA256\", "
                           "SHA256, MatchedColumn == \"SHA1\", SHA1, MD5))");
        fh_strbuf_puts(sb, ", MatchedPort = int(null), PortMatch = false\n");
        return;
    }

    fh_strbuf_puts(sb, "| extend MatchedValue = case(");
    for (size_t i = 0; i < 2 && t->ips[i].ip != NULL; i++)
        fh_strbuf_printf(sb, "MatchedColumn == \"%s\", %s, ", t->ips[i].ip, t->ips[i].ip);
    if (t->hostname_column != NULL)
        fh_strbuf_printf(sb, "MatchedColumn == \"%s\", %s, ", t->hostname_column,
                         t->hostname_column);
    fh_strbuf_printf(sb, "%s)", t->url_column);

    fh_strbuf_puts(sb, ",\n    MatchedPort = case(");
    for (size_t i = 0; i < 2 && t->ips[i].ip != NULL; i++)
        fh_strbuf_printf(sb, "MatchedColumn == \"%s\", toint(%s), ", t->ips[i].ip, t->ips[i].port);
    fh_strbuf_puts(sb, "int(null))\n");

    if (!table_uses_addresses(t, l) || l->address_ports.count == 0) {
        fh_strbuf_puts(sb, "| extend PortMatch = false\n");
        return;
    }
    if (l->ipv6_ports)
        fh_strbuf_puts(sb, "| extend PortMatch = iff(MatchedValue contains \":\", "
                           "strcat(\"[\", MatchedValue, \"]:\", tostring(MatchedPort)), "
                           "strcat(MatchedValue, \":\", tostring(MatchedPort))) "
                           "in (ioc_address_ports)\n");
    else
        fh_strbuf_puts(sb, "| extend PortMatch = strcat(MatchedValue, \":\", "
                           "tostring(MatchedPort)) in (ioc_address_ports)\n");
}

static void emit_project(fh_strbuf *sb, const hunt_table *t, hunt_kql_mode mode)
{
    fh_strbuf_printf(sb, "| project %s, %s, MatchedColumn, MatchedValue, MatchedPort, PortMatch",
                     t->time_column, t->host_column);
    if (mode == HUNT_KQL_SUPPRESSED)
        fh_strbuf_puts(sb, ", SuppressedBy");
    fh_strbuf_printf(sb, ", %s\n| order by %s desc\n", t->context, t->time_column);
}

static void emit_header(fh_strbuf *sb, const hunt_table *t, const ioc_lists *l, hunt_kql_mode mode)
{
    size_t n = t->hashes ? l->hashes : l->network;
    fh_strbuf_printf(sb, "// foxhound hunt: %s, %zu indicator%s\n", t->name, n, n == 1 ? "" : "s");
    if (mode == HUNT_KQL_SUPPRESSED)
        fh_strbuf_puts(sb, "// rows removed by exclusions, named by the first that matches\n");
}

fh_status hunt_kql_generate(const fh_ioc_set *iocs, const char *table,
                            const fh_exclusion_set *exclusions, int64_t start, int64_t end,
                            hunt_kql_mode mode, char **kql, fh_error *err)
{
    *kql = NULL;
    const hunt_table *t = hunt_table_find(table);
    if (t == NULL)
        return fh_error_set(err, FH_ERR_NOT_FOUND, NULL, 0, 0, "hunt has no query for table '%s'",
                            table);

    ioc_lists lists;
    fh_status st = lists_build(iocs, &lists, err);
    if (st != FH_OK)
        return st;
    if (!table_applies(t, &lists)) {
        lists_free(&lists);
        return fh_error_set(err, FH_ERR_NOT_FOUND, NULL, 0, 0, "no indicator applies to table %s",
                            table);
    }

    fh_strbuf sb;
    fh_strbuf_init(&sb);
    emit_header(&sb, t, &lists, mode);
    emit_lets(&sb, t, &lists);
    fh_strbuf_printf(&sb, "%s\n", t->name);
    emit_coarse_where(&sb, t, &lists);
    emit_time_range(&sb, t, start, end);
    if (t->hashes)
        emit_hash_match(&sb, &lists);
    else
        emit_network_match(&sb, t, &lists);
    emit_exclusions(&sb, t, exclusions, mode);
    emit_matched_value(&sb, t, &lists);
    emit_project(&sb, t, mode);
    lists_free(&lists);

    if (fh_strbuf_status(&sb) != FH_OK) {
        fh_strbuf_free(&sb);
        return fh_error_set(err, FH_ERR_NOMEM, NULL, 0, 0, "out of memory writing a query");
    }
    *kql = fh_strbuf_take(&sb);
    return FH_OK;
}

fh_status fh_hunt_generate_kql(const fh_ioc_set *iocs, const char *table,
                               const fh_exclusion_set *exclusions, int64_t start, int64_t end,
                               char **kql, fh_error *err)
{
    return hunt_kql_generate(iocs, table, exclusions, start, end, HUNT_KQL_FINDINGS, kql, err);
}
