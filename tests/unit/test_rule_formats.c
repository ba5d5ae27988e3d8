/*
 * The kql, spl, sigma, zeek and stix rule formats on the PureRAT example and on a page with
 * every indicator type: golden files, and the structure each consumer requires (hunt's exact
 * KQL, one cidrmatch per range, Sigma's required fields, Zeek's TAB-separated intel lines,
 * STIX 2.1's required indicator properties).
 */
#include <jansson.h>
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
#include "rule_fixture.h"

typedef struct inputs {
    fh_ioc_set purerat, mixed;
    fh_exclusion_set exclusions;
} inputs;

static int inputs_setup(void **state)
{
    inputs *in = calloc(1, sizeof *in);
    assert_non_null(in);
    assert_true(rule_fixture_load("examples/purerat-rule.md", &in->purerat));
    assert_true(rule_fixture_load("tests/data/rules/mixed-page.md", &in->mixed));
    assert_true(rule_fixture_exclusions("examples/exclusions.yaml", &in->exclusions));
    *state = in;
    return 0;
}

static int inputs_teardown(void **state)
{
    inputs *in = *state;
    fh_ioc_set_clear(&in->purerat);
    fh_ioc_set_clear(&in->mixed);
    fh_exclusions_free(&in->exclusions);
    free(in);
    return 0;
}

/* Generates and compares the joined documents with a golden file. */
static void golden(const fh_ioc_set *set, fh_rule_format format, const fh_exclusion_set *ex,
                   const char *relative, fh_rule_output *out)
{
    assert_true(rule_fixture_generate(set, format, ex, out));
    char *joined = rule_fixture_join(out);
    assert_true(rule_fixture_golden(relative, joined, strlen(joined)));
    free(joined);
}

static size_t count_text(const char *text, const char *needle)
{
    size_t n = 0;
    for (const char *at = text; (at = strstr(at, needle)) != NULL; at += strlen(needle))
        n++;
    return n;
}

static void kql_is_hunt_text(void **state)
{
    const inputs *in = *state;
    fh_rule_output out;
    golden(&in->purerat, FH_RULE_KQL, &in->exclusions, "tests/data/rules/purerat.kql", &out);
    assert_int_equal(out.nfiles, 4);
    const char *tables[] = {"CommonSecurityLog", "DeviceNetworkEvents", "DeviceFileEvents",
                            "DeviceProcessEvents"};
    for (size_t i = 0; i < 4; i++) {
        char *kql = NULL;
        fh_error err;
        assert_int_equal(fh_hunt_generate_kql(&in->purerat, tables[i], &in->exclusions,
                                              FH_TIME_UNKNOWN, FH_TIME_UNKNOWN, &kql, &err),
                         FH_OK);
        char name[64];
        snprintf(name, sizeof name, "%s.kql", tables[i]);
        const fh_rule_file *file = rule_fixture_file(&out, name);
        assert_non_null(file);
        assert_string_equal(file->text, kql);
        free(kql);
    }
    fh_rule_output_free(&out);
}

static void spl_mixed_searches(void **state)
{
    const inputs *in = *state;
    fh_rule_output out;
    golden(&in->mixed, FH_RULE_SPL, NULL, "tests/data/rules/mixed.spl", &out);
    assert_int_equal(out.nfiles, 6);

    const fh_rule_file *exact = rule_fixture_file(&out, "TestLoader-CommonSecurityLog-exact.spl");
    assert_non_null(exact);
    assert_non_null(strstr(exact->text, "index=<firewall_index> sourcetype=<cef_sourcetype>\n"));
    assert_non_null(
        strstr(exact->text, "dest_ip IN (\"198.51.100.7\", \"2001:db8::50\", \"203.0.113.50\")"));
    assert_non_null(strstr(exact->text, "url_domain IN (\"c2.example.net\", \"*.c2.example.net\""));
    assert_int_equal(count_text(exact->text, "cidrmatch("), 0);

    /* One cidrmatch per range and address field, in a search of its own. */
    const fh_rule_file *ranges = rule_fixture_file(&out, "TestLoader-CommonSecurityLog-ranges.spl");
    assert_non_null(ranges);
    assert_int_equal(count_text(ranges->text, "cidrmatch("), 2);
    assert_non_null(strstr(ranges->text, "cidrmatch(\"192.0.2.0/24\", dest_ip)"));
    const fh_rule_file *dne = rule_fixture_file(&out, "TestLoader-DeviceNetworkEvents-ranges.spl");
    assert_non_null(strstr(dne->text, "cidrmatch(\"192.0.2.0/24\", 'properties.RemoteIP')"));

    const fh_rule_file *files = rule_fixture_file(&out, "TestLoader-DeviceFileEvents-exact.spl");
    assert_non_null(strstr(files->text, "category=\"AdvancedHunting-DeviceFileEvents\""));
    assert_non_null(
        strstr(files->text, "properties.MD5 IN (\"5f2b7c1e9a0d4c3b8e6f1a2d3c4b5a69\")"));
    fh_rule_output_free(&out);
}

static void spl_purerat_exclusions_named(void **state)
{
    const inputs *in = *state;
    fh_rule_output out;
    golden(&in->purerat, FH_RULE_SPL, &in->exclusions, "tests/data/rules/purerat.spl", &out);
    const fh_rule_file *csl = rule_fixture_file(&out, "PureRAT-CommonSecurityLog-exact.spl");
    assert_non_null(csl);
    assert_non_null(strstr(
        csl->text, "``` not applied here (KQL only): exclusion network-monitoring-firewall ```"));
    assert_non_null(strstr(csl->text, "\"80.76.49.194:56001\", \"80.76.49.194:56002\""));
    fh_rule_output_free(&out);
}

/* --- Sigma --- */

/* Required fields of a Sigma rule, the logsource mapping and a condition naming selections. */
static void check_sigma(const char *text, size_t len, const char *table)
{
    yaml_parser_t parser;
    yaml_document_t doc;
    assert_true(yaml_parser_initialize(&parser));
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    assert_true(yaml_parser_load(&parser, &doc));
    yaml_node_t *root = yaml_document_get_root_node(&doc);

    assert_non_null(rule_fixture_scalar(rule_fixture_map_get(&doc, root, "title")));
    regex_t uuid;
    assert_int_equal(regcomp(&uuid,
                             "^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-"
                             "[0-9a-f]{12}$",
                             REG_EXTENDED | REG_NOSUB),
                     0);
    assert_int_equal(
        regexec(&uuid, rule_fixture_scalar(rule_fixture_map_get(&doc, root, "id")), 0, NULL, 0), 0);
    regfree(&uuid);
    assert_string_equal(rule_fixture_scalar(rule_fixture_map_get(&doc, root, "status")),
                        "experimental");
    assert_non_null(rule_fixture_scalar(rule_fixture_map_get(&doc, root, "description")));
    assert_string_equal(rule_fixture_scalar(rule_fixture_map_get(&doc, root, "level")), "medium");

    yaml_node_t *logsource = rule_fixture_map_get(&doc, root, "logsource");
    assert_string_equal(rule_fixture_scalar(rule_fixture_map_get(&doc, logsource, "product")),
                        "azure");
    assert_string_equal(rule_fixture_scalar(rule_fixture_map_get(&doc, logsource, "service")),
                        table);

    yaml_node_t *detection = rule_fixture_map_get(&doc, root, "detection");
    assert_non_null(detection);
    assert_string_equal(rule_fixture_scalar(rule_fixture_map_get(&doc, detection, "condition")),
                        "1 of selection_*");
    size_t selections = 0;
    for (yaml_node_pair_t *p = detection->data.mapping.pairs.start;
         p < detection->data.mapping.pairs.top; p++) {
        const char *key = rule_fixture_scalar(yaml_document_get_node(&doc, p->key));
        if (strcmp(key, "condition") == 0)
            continue;
        assert_int_equal(strncmp(key, "selection_", 10), 0);
        yaml_node_t *selection = yaml_document_get_node(&doc, p->value);
        assert_int_equal(selection->type, YAML_MAPPING_NODE);
        yaml_node_t *values =
            yaml_document_get_node(&doc, selection->data.mapping.pairs.start->value);
        assert_int_equal(values->type, YAML_SEQUENCE_NODE);
        assert_true(values->data.sequence.items.top > values->data.sequence.items.start);
        selections++;
    }
    assert_true(selections > 0);
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
}

static void sigma_required_fields(void **state)
{
    const inputs *in = *state;
    fh_rule_output out;
    golden(&in->mixed, FH_RULE_SIGMA, NULL, "tests/data/rules/mixed-sigma.yml", &out);
    assert_int_equal(out.nfiles, 4);
    const char *tables[] = {"CommonSecurityLog", "DeviceNetworkEvents", "DeviceFileEvents",
                            "DeviceProcessEvents"};
    for (size_t i = 0; i < 4; i++) {
        char name[96];
        snprintf(name, sizeof name, "TestLoader-%s.yml", tables[i]);
        const fh_rule_file *file = rule_fixture_file(&out, name);
        assert_non_null(file);
        check_sigma(file->text, file->len, tables[i]);
    }
    const fh_rule_file *csl = rule_fixture_file(&out, "TestLoader-CommonSecurityLog.yml");
    assert_non_null(strstr(csl->text, "    DestinationIP|cidr:\n    - 192.0.2.0/24\n"));
    assert_non_null(
        strstr(csl->text, "    DestinationHostName|endswith:\n    - .c2.example.net\n"));
    fh_rule_output_free(&out);
}

static void sigma_exclusions_as_false_positives(void **state)
{
    const inputs *in = *state;
    fh_rule_output out;
    golden(&in->purerat, FH_RULE_SIGMA, &in->exclusions, "tests/data/rules/purerat-sigma.yml",
           &out);
    const fh_rule_file *csl = rule_fixture_file(&out, "PureRAT-CommonSecurityLog.yml");
    assert_non_null(csl);
    check_sigma(csl->text, csl->len, "CommonSecurityLog");
    assert_non_null(strstr(csl->text, "falsepositives:\n- 'network-monitoring-firewall: The "
                                      "monitoring server netmon01 probes blocked destinations "
                                      "through the firewall.'\n"));
    fh_rule_output_free(&out);
}

/* --- Zeek and STIX, through the indicator export writers --- */

static void zeek_intel_lines(void **state)
{
    const inputs *in = *state;
    fh_rule_output out;
    golden(&in->mixed, FH_RULE_ZEEK, NULL, "tests/data/rules/mixed.intel", &out);
    assert_int_equal(out.nfiles, 1);
    assert_string_equal(out.files[0].name, "TestLoader.intel");
    const char *text = out.files[0].text;
    assert_int_equal(strncmp(text, "#fields\tindicator\tindicator_type\tmeta.source\t", 45), 0);

    static const char *const types[] = {"Intel::ADDR", "Intel::SUBNET", "Intel::DOMAIN",
                                        "Intel::URL", "Intel::FILE_HASH"};
    size_t lines = 0;
    for (const char *line = strchr(text, '\n') + 1; *line != '\0'; line = strchr(line, '\n') + 1) {
        size_t n = strcspn(line, "\n");
        char copy[1024];
        snprintf(copy, sizeof copy, "%.*s", (int)n, line);
        size_t fields = 1;
        for (char *c = copy; *c != '\0'; c++)
            fields += *c == '\t';
        assert_int_equal(fields, 5);
        char *type = strchr(copy, '\t') + 1;
        type[strcspn(type, "\t")] = '\0';
        bool known = false;
        for (size_t t = 0; t < 5; t++)
            known |= strcmp(type, types[t]) == 0;
        assert_true(known);
        lines++;
    }
    /* 11 indicators, and no ip:port shares an address, so 11 lines. */
    assert_int_equal(lines, 11);
    assert_non_null(strstr(text, "\nc2.example.net/gate.php?id=1\tIntel::URL\t"));
    assert_int_equal(out.rules, 11);
    fh_rule_output_free(&out);
}

static void zeek_ports_merge(void **state)
{
    const inputs *in = *state;
    fh_rule_output out;
    assert_true(rule_fixture_generate(&in->purerat, FH_RULE_ZEEK, NULL, &out));
    assert_non_null(strstr(out.files[0].text, "\n80.76.49.194\tIntel::ADDR\trulepage\tPureRAT "
                                              "botnet_cc conf=75 port=56001,56002,56003\t"));
    fh_rule_output_free(&out);
}

static void stix_bundle_properties(void **state)
{
    const inputs *in = *state;
    fh_rule_output out;
    golden(&in->mixed, FH_RULE_STIX, NULL, "tests/data/rules/mixed.stix.json", &out);
    json_error_t error;
    json_t *bundle = json_loadb(out.files[0].text, out.files[0].len, 0, &error);
    assert_non_null(bundle);
    assert_string_equal(json_string_value(json_object_get(bundle, "type")), "bundle");
    assert_int_equal(strncmp(json_string_value(json_object_get(bundle, "id")), "bundle--", 8), 0);
    assert_null(json_object_get(bundle, "spec_version"));
    json_t *objects = json_object_get(bundle, "objects");
    assert_int_equal(json_array_size(objects), 11);

    static const char *const required[] = {"type",         "spec_version", "id",
                                           "created",      "modified",     "pattern",
                                           "pattern_type", "valid_from"};
    size_t i;
    json_t *object;
    json_array_foreach(objects, i, object)
    {
        for (size_t k = 0; k < sizeof required / sizeof required[0]; k++)
            assert_true(json_is_string(json_object_get(object, required[k])));
        assert_string_equal(json_string_value(json_object_get(object, "spec_version")), "2.1");
        assert_string_equal(json_string_value(json_object_get(object, "pattern_type")), "stix");
        const char *created = json_string_value(json_object_get(object, "created"));
        assert_int_equal(strlen(created), 24); /* millisecond precision, ending in Z */
        assert_int_equal(
            strncmp(json_string_value(json_object_get(object, "id")), "indicator--", 11), 0);
    }
    json_decref(bundle);
    fh_rule_output_free(&out);
}

static void generate_empty_set(void **state)
{
    (void)state;
    fh_ioc_set empty;
    fh_ioc_set_init(&empty);
    fh_rule_output out;
    fh_error err;
    assert_int_equal(fh_rule_generate(&empty, FH_RULE_MARKDOWN, NULL, &out, &err),
                     FH_ERR_NOT_FOUND);
    assert_non_null(strstr(err.message, "no indicators"));
    assert_int_equal(out.nfiles, 0);
}

static void format_names(void **state)
{
    (void)state;
    fh_rule_format format;
    fh_error err;
    for (int f = 0; f < FH_RULE_FORMAT_COUNT; f++) {
        assert_int_equal(fh_rule_format_from_name(fh_rule_format_name(f), &format, &err), FH_OK);
        assert_int_equal(format, f);
    }
    assert_int_equal(fh_rule_format_from_name("yara", &format, &err), FH_ERR_USAGE);
    assert_non_null(strstr(err.message, "invalid rule format 'yara'"));
    fh_rule_severity severity;
    assert_int_equal(fh_rule_severity_from_name("high", &severity, &err), FH_OK);
    assert_int_equal(severity, FH_SEVERITY_HIGH);
    assert_int_equal(fh_rule_severity_from_name("critical", &severity, &err), FH_ERR_USAGE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(kql_is_hunt_text),
        cmocka_unit_test(spl_mixed_searches),
        cmocka_unit_test(spl_purerat_exclusions_named),
        cmocka_unit_test(sigma_required_fields),
        cmocka_unit_test(sigma_exclusions_as_false_positives),
        cmocka_unit_test(zeek_intel_lines),
        cmocka_unit_test(zeek_ports_merge),
        cmocka_unit_test(stix_bundle_properties),
        cmocka_unit_test(generate_empty_set),
        cmocka_unit_test(format_names),
    };
    return cmocka_run_group_tests(tests, inputs_setup, inputs_teardown);
}
