/*
 * Sentinel analytic rules: every document passes the rules of Sentinel's template schema
 * (required fields, GUID id, lengths, timespans, trigger, tactic and technique pairs, entity
 * identifiers and columns the query projects), ids are stable, the query is the hunting query
 * with the run-interval filter, and 10,000 indicators split into rules under 10,000
 * characters that together hold every indicator once.
 */
#include <regex.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include <cmocka.h>

#include "fh_test.h"
#include "foxhound/limits.h"
#include "rule_fixture.h"

/* --- a small reader over a parsed YAML document --- */

static size_t seq_len(yaml_node_t *node)
{
    if (node == NULL || node->type != YAML_SEQUENCE_NODE)
        return 0;
    return (size_t)(node->data.sequence.items.top - node->data.sequence.items.start);
}

static yaml_node_t *seq_at(yaml_document_t *doc, yaml_node_t *node, size_t i)
{
    return yaml_document_get_node(doc, node->data.sequence.items.start[i]);
}

static bool matches(const char *pattern, const char *text)
{
    regex_t re;
    assert_int_equal(regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB), 0);
    bool ok = text != NULL && regexec(&re, text, 0, NULL, 0) == 0;
    regfree(&re);
    return ok;
}

static bool one_of(const char *text, const char *const *set)
{
    for (size_t i = 0; text != NULL && set[i] != NULL; i++)
        if (strcmp(text, set[i]) == 0)
            return true;
    return false;
}

/* Minutes of a "<int><m|h|d>" timespan; -1 when not that form. */
static long timespan_minutes(const char *text)
{
    char *end = NULL;
    long n = text != NULL ? strtol(text, &end, 10) : -1;
    if (text == NULL || end == text || end[1] != '\0')
        return -1;
    switch (*end) {
    case 'm':
        return n;
    case 'h':
        return n * 60;
    case 'd':
        return n * 1440;
    default:
        return -1;
    }
}

/* True when the query's final project clause lists the column. */
static bool projects(const char *query, const char *column)
{
    const char *project = strstr(query, "\n| project ");
    assert_non_null(project);
    size_t n = strcspn(project + 1, "\n");
    char line[4096];
    snprintf(line, sizeof line, "%.*s,", (int)n, project + 1);
    char want[256];
    snprintf(want, sizeof want, " %s,", column);
    return strstr(line, want) != NULL;
}

static void check_entity(yaml_document_t *doc, yaml_node_t *entity, const char *query)
{
    static const struct {
        const char *type;
        const char *identifiers[4];
    } known[] = {{"IP", {"Address"}},
                 {"Host", {"HostName", "DnsDomain", "NTDomain", "FullName"}},
                 {"URL", {"Url"}},
                 {"DNS", {"DomainName"}},
                 {"FileHash", {"Algorithm", "Value"}}};
    const char *type = rule_fixture_scalar(rule_fixture_map_get(doc, entity, "entityType"));
    assert_non_null(type);
    size_t k = 0;
    while (k < 5 && strcmp(known[k].type, type) != 0)
        k++;
    if (k == 5)
        fail_msg("entity type %s is not one the rules use", type);

    yaml_node_t *fields = rule_fixture_map_get(doc, entity, "fieldMappings");
    size_t n = seq_len(fields);
    assert_in_range(n, 1, 3);
    bool algorithm = false, value = false;
    for (size_t i = 0; i < n; i++) {
        yaml_node_t *field = seq_at(doc, fields, i);
        const char *identifier =
            rule_fixture_scalar(rule_fixture_map_get(doc, field, "identifier"));
        const char *column = rule_fixture_scalar(rule_fixture_map_get(doc, field, "columnName"));
        assert_non_null(column);
        if (!one_of(identifier, known[k].identifiers))
            fail_msg("%s has no identifier %s", type, identifier ? identifier : "(none)");
        if (!projects(query, column))
            fail_msg("%s.%s maps column %s, which the query does not project", type, identifier,
                     column);
        algorithm |= strcmp(identifier, "Algorithm") == 0;
        value |= strcmp(identifier, "Value") == 0;
    }
    if (strcmp(type, "FileHash") == 0)
        assert_true(algorithm && value);
}

static void check_tactics(yaml_document_t *doc, yaml_node_t *root)
{
    static const char *const tactics[] = {"Reconnaissance",
                                          "ResourceDevelopment",
                                          "InitialAccess",
                                          "Execution",
                                          "Persistence",
                                          "PrivilegeEscalation",
                                          "DefenseEvasion",
                                          "CredentialAccess",
                                          "Discovery",
                                          "LateralMovement",
                                          "Collection",
                                          "Exfiltration",
                                          "CommandAndControl",
                                          "Impact",
                                          NULL};
    yaml_node_t *list = rule_fixture_map_get(doc, root, "tactics");
    for (size_t i = 0; i < seq_len(list); i++)
        assert_true(one_of(rule_fixture_scalar(seq_at(doc, list, i)), tactics));

    /* Each technique needs its tactic in the list; these are the pairs the rules use. */
    yaml_node_t *techniques = rule_fixture_map_get(doc, root, "relevantTechniques");
    assert_int_equal(seq_len(techniques), 1);
    const char *technique = rule_fixture_scalar(seq_at(doc, techniques, 0));
    assert_true(matches("^T[0-9]{4}(\\.[0-9]{3})?$", technique));
    const char *tactic = rule_fixture_scalar(seq_at(doc, list, 0));
    if (strcmp(technique, "T1071") == 0)
        assert_string_equal(tactic, "CommandAndControl");
    else if (strcmp(technique, "T1204") == 0)
        assert_string_equal(tactic, "Execution");
    else
        fail_msg("technique %s has no known tactic pair", technique);
}

static void check_connectors(yaml_document_t *doc, yaml_node_t *root, const char *query)
{
    yaml_node_t *connectors = rule_fixture_map_get(doc, root, "requiredDataConnectors");
    assert_int_equal(seq_len(connectors), 1);
    yaml_node_t *connector = seq_at(doc, connectors, 0);
    const char *id = rule_fixture_scalar(rule_fixture_map_get(doc, connector, "connectorId"));
    yaml_node_t *types = rule_fixture_map_get(doc, connector, "dataTypes");
    assert_int_equal(seq_len(types), 1);
    const char *table = rule_fixture_scalar(seq_at(doc, types, 0));
    char line[128];
    snprintf(line, sizeof line, "\n%s\n", table);
    assert_non_null(strstr(query, line));
    if (strcmp(table, "CommonSecurityLog") == 0)
        assert_string_equal(id, "CefAma");
    else
        assert_string_equal(id, "MicrosoftThreatProtection");
}

/* Checks one analytic rule against the template schema; returns its id (static buffer). */
static const char *check_rule(const char *text, size_t len)
{
    static char id_copy[64];
    yaml_parser_t parser;
    yaml_document_t doc;
    assert_true(yaml_parser_initialize(&parser));
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    assert_true(yaml_parser_load(&parser, &doc));
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    assert_non_null(root);

    const char *id = rule_fixture_scalar(rule_fixture_map_get(&doc, root, "id"));
    assert_true(
        matches("^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", id));
    snprintf(id_copy, sizeof id_copy, "%s", id);
    const char *name = rule_fixture_scalar(rule_fixture_map_get(&doc, root, "name"));
    assert_in_range(strlen(name), 1, 256);
    assert_in_range(strlen(rule_fixture_scalar(rule_fixture_map_get(&doc, root, "description"))), 1,
                    5000);
    assert_string_equal(rule_fixture_scalar(rule_fixture_map_get(&doc, root, "kind")), "Scheduled");
    static const char *const severities[] = {"Informational", "Low", "Medium", "High", NULL};
    assert_true(
        one_of(rule_fixture_scalar(rule_fixture_map_get(&doc, root, "severity")), severities));

    long frequency =
        timespan_minutes(rule_fixture_scalar(rule_fixture_map_get(&doc, root, "queryFrequency")));
    long period =
        timespan_minutes(rule_fixture_scalar(rule_fixture_map_get(&doc, root, "queryPeriod")));
    assert_in_range(frequency, 5, 14 * 1440);
    assert_in_range(period, frequency, 14 * 1440);
    static const char *const operators[] = {"gt", "lt", "eq", "ne", NULL};
    assert_true(one_of(rule_fixture_scalar(rule_fixture_map_get(&doc, root, "triggerOperator")),
                       operators));
    const char *threshold =
        rule_fixture_scalar(rule_fixture_map_get(&doc, root, "triggerThreshold"));
    assert_true(matches("^[0-9]+$", threshold));
    assert_in_range(atol(threshold), 0, 10000);

    const char *query = rule_fixture_scalar(rule_fixture_map_get(&doc, root, "query"));
    assert_non_null(query);
    assert_in_range(strlen(query), 1, FH_RULE_SENTINEL_QUERY_MAX);
    check_connectors(&doc, root, query);
    check_tactics(&doc, root);

    yaml_node_t *entities = rule_fixture_map_get(&doc, root, "entityMappings");
    assert_in_range(seq_len(entities), 1, 5);
    for (size_t i = 0; i < seq_len(entities); i++)
        check_entity(&doc, seq_at(&doc, entities, i), query);

    yaml_node_t *details = rule_fixture_map_get(&doc, root, "customDetails");
    assert_non_null(details);
    for (yaml_node_pair_t *p = details->data.mapping.pairs.start;
         p < details->data.mapping.pairs.top; p++) {
        const char *key = rule_fixture_scalar(yaml_document_get_node(&doc, p->key));
        const char *column = rule_fixture_scalar(yaml_document_get_node(&doc, p->value));
        assert_true(matches("^[a-zA-Z]+[A-Za-z0-9_]{0,19}$", key));
        assert_true(projects(query, column));
    }
    assert_true(matches("^[0-9]+\\.[0-9]+\\.[0-9]+$",
                        rule_fixture_scalar(rule_fixture_map_get(&doc, root, "version"))));

    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    return id_copy;
}

static void sentinel_purerat_schema(void **state)
{
    (void)state;
    fh_ioc_set iocs;
    fh_exclusion_set exclusions;
    fh_rule_output out;
    assert_true(rule_fixture_load("examples/purerat-rule.md", &iocs));
    assert_true(rule_fixture_exclusions("examples/exclusions.yaml", &exclusions));
    assert_true(rule_fixture_generate(&iocs, FH_RULE_SENTINEL, &exclusions, &out));

    assert_int_equal(out.nfiles, 4);
    assert_int_equal(out.rules, 4);
    assert_int_equal(out.split_tables, 0);
    assert_string_equal(out.files[0].name, "PureRAT-CommonSecurityLog.yaml");
    for (size_t i = 0; i < out.nfiles; i++)
        check_rule(out.files[i].text, out.files[i].len);

    char *joined = rule_fixture_join(&out);
    assert_true(
        rule_fixture_golden("tests/data/rules/purerat-sentinel.yaml", joined, strlen(joined)));
    free(joined);
    fh_rule_output_free(&out);
    fh_exclusions_free(&exclusions);
    fh_ioc_set_clear(&iocs);
}

/* The query is hunt's query for the table with one filter after the table name. */
static void sentinel_query_is_hunt_query(void **state)
{
    (void)state;
    fh_ioc_set iocs;
    fh_rule_output out;
    assert_true(rule_fixture_load("tests/data/rules/mixed-page.md", &iocs));
    assert_true(rule_fixture_generate(&iocs, FH_RULE_SENTINEL, NULL, &out));
    assert_int_equal(out.nfiles, 4);

    char *kql = NULL;
    fh_error err;
    assert_int_equal(fh_hunt_generate_kql(&iocs, "DeviceNetworkEvents", NULL, FH_TIME_UNKNOWN,
                                          FH_TIME_UNKNOWN, &kql, &err),
                     FH_OK);
    const char *marker = "\nDeviceNetworkEvents\n";
    const char *at = strstr(kql, marker);
    assert_non_null(at);
    char expected[16384];
    int head = (int)(at - kql) + (int)strlen(marker);
    snprintf(expected, sizeof expected, "%.*s| where Timestamp between (ago(1h) .. now())\n%s",
             head, kql, kql + head);

    const fh_rule_file *file = rule_fixture_file(&out, "TestLoader-DeviceNetworkEvents.yaml");
    assert_non_null(file);
    yaml_parser_t parser;
    yaml_document_t doc;
    assert_true(yaml_parser_initialize(&parser));
    yaml_parser_set_input_string(&parser, (const unsigned char *)file->text, file->len);
    assert_true(yaml_parser_load(&parser, &doc));
    assert_string_equal(
        rule_fixture_scalar(rule_fixture_map_get(&doc, yaml_document_get_root_node(&doc), "query")),
        expected);
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);

    for (size_t i = 0; i < out.nfiles; i++)
        check_rule(out.files[i].text, out.files[i].len);
    free(kql);
    fh_rule_output_free(&out);
    fh_ioc_set_clear(&iocs);
}

static void sentinel_ids_stable(void **state)
{
    (void)state;
    fh_ioc_set iocs;
    fh_rule_output a, b, c;
    assert_true(rule_fixture_load("examples/purerat-rule.md", &iocs));
    assert_true(rule_fixture_generate(&iocs, FH_RULE_SENTINEL, NULL, &a));
    assert_true(rule_fixture_generate(&iocs, FH_RULE_SENTINEL, NULL, &b));
    fh_rule_options options;
    fh_rule_options_init(&options);
    options.family = "PureRAT-test";
    fh_error err;
    assert_int_equal(fh_rule_generate(&iocs, FH_RULE_SENTINEL, &options, &c, &err), FH_OK);

    char first[64];
    snprintf(first, sizeof first, "%s", check_rule(a.files[0].text, a.files[0].len));
    assert_string_equal(check_rule(b.files[0].text, b.files[0].len), first);
    assert_string_not_equal(check_rule(c.files[0].text, c.files[0].len), first);
    char second[64];
    snprintf(second, sizeof second, "%s", check_rule(a.files[1].text, a.files[1].len));
    assert_string_not_equal(second, first);
    fh_rule_output_free(&a);
    fh_rule_output_free(&b);
    fh_rule_output_free(&c);
    fh_ioc_set_clear(&iocs);
}

/* --- 10,000 indicators --- */

static void add_indicator(fh_ioc_set *set, fh_ioc_type type, const char *value)
{
    fh_indicator ioc;
    fh_indicator_init(&ioc);
    fh_error err;
    assert_int_equal(fh_indicator_normalize(type, value, strlen(value), &ioc, &err), FH_OK);
    ioc.family = strdup("BigFeed");
    assert_int_equal(fh_ioc_set_add(set, &ioc, &err), FH_OK);
    fh_indicator_clear(&ioc);
}

static void build_large_set(fh_ioc_set *set)
{
    fh_ioc_set_init(set);
    char value[128];
    for (unsigned i = 0; i < 6000; i++) {
        snprintf(value, sizeof value, "%08x%056x", i * 2654435761u, i + 1);
        add_indicator(set, FH_IOC_SHA256, value);
    }
    for (unsigned i = 0; i < 2000; i++) {
        snprintf(value, sizeof value, "100.%u.%u.%u:%u", 64 + i / 65536, (i / 256) % 256, i % 256,
                 1024 + i);
        add_indicator(set, FH_IOC_IP_PORT, value);
    }
    for (unsigned i = 0; i < 1000; i++) {
        snprintf(value, sizeof value, "host%u.c2-%u.example.net", i, i % 37);
        add_indicator(set, FH_IOC_DOMAIN, value);
    }
    for (unsigned i = 0; i < 1000; i++) {
        snprintf(value, sizeof value, "http://dl%u.example.org/p/%u.bin", i % 50, i);
        add_indicator(set, FH_IOC_URL, value);
    }
    assert_int_equal(set->count, 10000);
}

/* Appends the strings of `let NAME = dynamic([...])` in query to list. */
static void collect_list(const char *query, const char *name, char ***list, size_t *count)
{
    char head[64];
    snprintf(head, sizeof head, "let %s = dynamic([", name);
    const char *at = strstr(query, head);
    if (at == NULL)
        return;
    at += strlen(head);
    while (*at == '"') {
        const char *end = strchr(at + 1, '"');
        assert_non_null(end);
        *list = realloc(*list, (*count + 1) * sizeof **list);
        (*list)[(*count)++] = strndup(at + 1, (size_t)(end - at - 1));
        at = end + 1;
        if (strncmp(at, ", ", 2) == 0)
            at += 2;
    }
    assert_true(*at == ']');
}

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The parts of one table hold every expected value exactly once. */
static void check_cover(const fh_rule_output *out, const char *table, const char *list_name,
                        const fh_ioc_set *set, fh_ioc_type type)
{
    char **got = NULL;
    size_t ngot = 0, parts = 0;
    char prefix[128];
    snprintf(prefix, sizeof prefix, "BigFeed-%s-part", table);
    for (size_t i = 0; i < out->nfiles; i++) {
        if (strncmp(out->files[i].name, prefix, strlen(prefix)) != 0)
            continue;
        parts++;
        collect_list(out->files[i].text, list_name, &got, &ngot);
    }
    assert_true(parts > 1);

    size_t want = 0;
    for (size_t i = 0; i < set->count; i++)
        want += set->items[i].type == type;
    assert_int_equal(ngot, want);
    qsort(got, ngot, sizeof *got, compare_strings);
    for (size_t i = 0; i < ngot; i++) {
        if (i > 0 && strcmp(got[i - 1], got[i]) == 0)
            fail_msg("%s is in two %s rules", got[i], table);
        assert_non_null(fh_ioc_set_find(set, type, got[i]));
    }
    for (size_t i = 0; i < ngot; i++)
        free(got[i]);
    free(got);
}

static void sentinel_large_set_split(void **state)
{
    (void)state;
    fh_ioc_set set;
    build_large_set(&set);
    fh_rule_output out;
    assert_true(rule_fixture_generate(&set, FH_RULE_SENTINEL, NULL, &out));

    assert_int_equal(out.split_tables, 4);
    assert_int_equal(out.rules, out.nfiles);
    char **ids = calloc(out.nfiles, sizeof *ids);
    for (size_t i = 0; i < out.nfiles; i++) {
        ids[i] = strdup(check_rule(out.files[i].text, out.files[i].len));
        assert_non_null(strstr(out.files[i].text, " of "));
    }
    qsort(ids, out.nfiles, sizeof *ids, compare_strings);
    for (size_t i = 1; i < out.nfiles; i++)
        assert_string_not_equal(ids[i - 1], ids[i]);
    for (size_t i = 0; i < out.nfiles; i++)
        free(ids[i]);
    free(ids);

    check_cover(&out, "DeviceFileEvents", "ioc_sha256", &set, FH_IOC_SHA256);
    check_cover(&out, "CommonSecurityLog", "ioc_address_ports", &set, FH_IOC_IP_PORT);
    check_cover(&out, "CommonSecurityLog", "ioc_domains", &set, FH_IOC_DOMAIN);
    check_cover(&out, "DeviceNetworkEvents", "ioc_urls", &set, FH_IOC_URL);
    printf("10,000 indicators: %zu Sentinel rules over 4 tables\n", out.nfiles);
    fh_rule_output_free(&out);
    fh_ioc_set_clear(&set);
}

/* The ip:port indicators of one address land in one rule, so an event alerts once. */
static void sentinel_split_keeps_address(void **state)
{
    (void)state;
    fh_ioc_set set;
    fh_ioc_set_init(&set);
    char value[64];
    for (unsigned address = 0; address < 600; address++) {
        for (unsigned port = 0; port < 5; port++) {
            snprintf(value, sizeof value, "100.64.%u.%u:%u", address / 250, address % 250,
                     8000 + port);
            add_indicator(&set, FH_IOC_IP_PORT, value);
        }
    }
    fh_rule_output out;
    assert_true(rule_fixture_generate(&set, FH_RULE_SENTINEL, NULL, &out));
    assert_true(out.split_tables >= 1);

    size_t parts = 0;
    for (size_t i = 0; i < out.nfiles; i++) {
        if (strncmp(out.files[i].name, "BigFeed-CommonSecurityLog-part", 30) != 0)
            continue;
        parts++;
        char **ports = NULL;
        size_t nports = 0;
        collect_list(out.files[i].text, "ioc_address_ports", &ports, &nports);
        assert_int_equal(nports % 5, 0);
        for (size_t k = 0; k < nports; k++)
            free(ports[k]);
        free(ports);
    }
    assert_true(parts > 1);
    fh_rule_output_free(&out);
    fh_ioc_set_clear(&set);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sentinel_purerat_schema),
        cmocka_unit_test(sentinel_query_is_hunt_query),
        cmocka_unit_test(sentinel_ids_stable),
        cmocka_unit_test(sentinel_large_set_split),
        cmocka_unit_test(sentinel_split_keeps_address),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
