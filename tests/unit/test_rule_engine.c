/*
 * Every KQL text the rule formats emit runs on the engine over the example logs and finds
 * the planted events. The kql files and the queries on the rule page find what hunt finds.
 * Each Sentinel rule finds the events of the hour before its pinned now(), also when its
 * indicators are split over several rules.
 */
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
#include "foxhound/datetime.h"
#include "foxhound/kql.h"
#include "rule_fixture.h"

typedef struct fixture {
    fh_ioc_set iocs;
    fh_exclusion_set exclusions;
} fixture;

/* Findings of the example hunt per table (see the hunt tests), after the exclusions. */
static const struct {
    const char *table;
    size_t rows;
} hunt_rows[] = {{"CommonSecurityLog", 6}, {"DeviceNetworkEvents", 3}, {"DeviceFileEvents", 2}};

static int fixture_setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    assert_non_null(fx);
    fh_ioc_set domains;
    assert_true(rule_fixture_load("examples/purerat-rule.md", &fx->iocs));
    assert_true(rule_fixture_load("examples/threatfox-domains.csv", &domains));
    fh_error err;
    assert_int_equal(fh_rule_select(&domains, NULL, &fx->iocs, &err), FH_OK);
    fh_ioc_set_clear(&domains);
    assert_true(rule_fixture_exclusions("examples/exclusions.yaml", &fx->exclusions));
    *state = fx;
    return 0;
}

static int fixture_teardown(void **state)
{
    fixture *fx = *state;
    fh_ioc_set_clear(&fx->iocs);
    fh_exclusions_free(&fx->exclusions);
    free(fx);
    return 0;
}

static fh_kql_engine *engine_at(const char *now)
{
    fh_kql_options options = {0};
    if (now != NULL)
        assert_int_equal(fh_datetime_parse(now, strlen(now), &options.now_ticks), FH_OK);
    fh_kql_engine *engine = NULL;
    fh_error err;
    assert_int_equal(fh_kql_engine_create(&options, &engine, &err), FH_OK);
    const char *logs[] = {"examples/logs/firewall.cef", "examples/logs/defender-network.json",
                          "examples/logs/defender-file.json"};
    for (size_t i = 0; i < 3; i++) {
        char *path = fh_test_source_path(logs[i]);
        if (fh_kql_engine_add_file(engine, NULL, path, NULL, &err) != FH_OK)
            fail_msg("%s: %s", path, err.message);
        free(path);
    }
    return engine;
}

/* Runs a query and returns its row count; a parse or run error fails the test. */
static size_t run_rows(fh_kql_engine *engine, const char *text, size_t len)
{
    fh_kql_query *query = NULL;
    fh_error err;
    if (fh_kql_prepare(engine, text, len, "<rule>", &query, &err) != FH_OK) {
        char shown[2048];
        fh_kql_render_error(text, len, &err, shown, sizeof shown);
        fail_msg("query does not parse:\n%s", shown);
    }
    size_t rows = 0;
    const fh_batch *batch = NULL;
    fh_status st;
    while ((st = fh_kql_query_next(query, &batch, &err)) == FH_OK)
        rows += batch->nrows;
    if (st != FH_DONE)
        fail_msg("query failed: %s", err.message);
    fh_kql_query_destroy(query);
    return rows;
}

static size_t expected_rows(const char *table)
{
    for (size_t i = 0; i < sizeof hunt_rows / sizeof hunt_rows[0]; i++)
        if (strcmp(hunt_rows[i].table, table) == 0)
            return hunt_rows[i].rows;
    return 0;
}

static void kql_files_find_planted(void **state)
{
    fixture *fx = *state;
    fh_rule_output out;
    assert_true(rule_fixture_generate(&fx->iocs, FH_RULE_KQL, &fx->exclusions, &out));
    fh_kql_engine *engine = engine_at(NULL);
    size_t checked = 0;
    for (size_t i = 0; i < out.nfiles; i++) {
        char table[64];
        snprintf(table, sizeof table, "%.*s", (int)strcspn(out.files[i].name, "."),
                 out.files[i].name);
        if (!fh_kql_engine_has_table(engine, table))
            continue;
        size_t rows = run_rows(engine, out.files[i].text, out.files[i].len);
        if (rows != expected_rows(table))
            fail_msg("%s: %zu rows, expected %zu", table, rows, expected_rows(table));
        checked++;
    }
    assert_int_equal(checked, 3);
    fh_kql_engine_destroy(engine);
    fh_rule_output_free(&out);
}

/* The ```kql blocks of the rule page, each run unchanged. */
static void markdown_queries_find_planted(void **state)
{
    fixture *fx = *state;
    fh_rule_output out;
    assert_true(rule_fixture_generate(&fx->iocs, FH_RULE_MARKDOWN, &fx->exclusions, &out));
    fh_kql_engine *engine = engine_at(NULL);
    const char *page = out.files[0].text;
    size_t checked = 0;
    for (const char *at = strstr(page, "\n### "); at != NULL; at = strstr(at + 1, "\n### ")) {
        char table[64];
        snprintf(table, sizeof table, "%.*s", (int)strcspn(at + 5, "\n"), at + 5);
        const char *open = strstr(at, "```kql\n");
        assert_non_null(open);
        open += 7;
        const char *close = strstr(open, "```");
        assert_non_null(close);
        if (!fh_kql_engine_has_table(engine, table))
            continue;
        size_t rows = run_rows(engine, open, (size_t)(close - open));
        if (rows != expected_rows(table))
            fail_msg("page query for %s: %zu rows, expected %zu", table, rows,
                     expected_rows(table));
        checked++;
    }
    assert_int_equal(checked, 3);
    fh_kql_engine_destroy(engine);
    fh_rule_output_free(&out);
}

/* Returns the query of a Sentinel rule (malloc'd) and its table in table. */
static char *sentinel_query(const fh_rule_file *file, char *table, size_t size)
{
    yaml_parser_t parser;
    yaml_document_t doc;
    assert_true(yaml_parser_initialize(&parser));
    yaml_parser_set_input_string(&parser, (const unsigned char *)file->text, file->len);
    assert_true(yaml_parser_load(&parser, &doc));
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    char *query = strdup(rule_fixture_scalar(rule_fixture_map_get(&doc, root, "query")));
    yaml_node_t *connectors = rule_fixture_map_get(&doc, root, "requiredDataConnectors");
    yaml_node_t *first = yaml_document_get_node(&doc, *connectors->data.sequence.items.start);
    yaml_node_t *types = rule_fixture_map_get(&doc, first, "dataTypes");
    snprintf(table, size, "%s",
             rule_fixture_scalar(yaml_document_get_node(&doc, *types->data.sequence.items.start)));
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    return query;
}

/* Sums the rows of every Sentinel rule per table with now() pinned. */
static void sentinel_rows(const fh_rule_output *out, const char *now, size_t *csl, size_t *dne,
                          size_t *dfe)
{
    fh_kql_engine *engine = engine_at(now);
    *csl = *dne = *dfe = 0;
    for (size_t i = 0; i < out->nfiles; i++) {
        char table[64];
        char *query = sentinel_query(&out->files[i], table, sizeof table);
        if (fh_kql_engine_has_table(engine, table)) {
            size_t rows = run_rows(engine, query, strlen(query));
            if (strcmp(table, "CommonSecurityLog") == 0)
                *csl += rows;
            else if (strcmp(table, "DeviceNetworkEvents") == 0)
                *dne += rows;
            else
                *dfe += rows;
        }
        free(query);
    }
    fh_kql_engine_destroy(engine);
}

/* Each rule matches the hour before now(): 08:14 and 08:20 on 12 June, then 10:31 and 11:02
 * on 15 June, and nothing three hours after the last event. */
static void check_sentinel_windows(const fh_rule_output *out)
{
    size_t csl, dne, dfe;
    sentinel_rows(out, "2026-06-12T08:30:00Z", &csl, &dne, &dfe);
    assert_int_equal(csl, 2);
    assert_int_equal(dne, 2);
    assert_int_equal(dfe, 1);
    sentinel_rows(out, "2026-06-15T11:30:00Z", &csl, &dne, &dfe);
    assert_int_equal(csl, 2);
    assert_int_equal(dne, 1);
    assert_int_equal(dfe, 0);
    sentinel_rows(out, "2026-06-15T14:30:00Z", &csl, &dne, &dfe);
    assert_int_equal(csl + dne + dfe, 0);
}

static void sentinel_rules_find_planted(void **state)
{
    fixture *fx = *state;
    fh_rule_output out;
    assert_true(rule_fixture_generate(&fx->iocs, FH_RULE_SENTINEL, &fx->exclusions, &out));
    assert_int_equal(out.split_tables, 0);
    check_sentinel_windows(&out);
    fh_rule_output_free(&out);
}

/* With 4,000 more indicators the rules split, and together they find the same events once. */
static void sentinel_split_rules_find_planted(void **state)
{
    fixture *fx = *state;
    fh_ioc_set big;
    fh_ioc_set_init(&big);
    fh_error err;
    assert_int_equal(fh_rule_select(&fx->iocs, NULL, &big, &err), FH_OK);
    char value[96];
    for (unsigned i = 0; i < 2000; i++) {
        fh_indicator ioc;
        fh_indicator_init(&ioc);
        snprintf(value, sizeof value, "%016x%048x", i * 2654435761u, i + 7);
        assert_int_equal(fh_indicator_normalize(FH_IOC_SHA256, value, 64, &ioc, &err), FH_OK);
        assert_int_equal(fh_ioc_set_add(&big, &ioc, &err), FH_OK);
        snprintf(value, sizeof value, "100.%u.%u.%u:%u", 64 + i / 250, i % 250, (i * 7) % 250,
                 1024 + i);
        assert_int_equal(fh_indicator_normalize(FH_IOC_IP_PORT, value, strlen(value), &ioc, &err),
                         FH_OK);
        assert_int_equal(fh_ioc_set_add(&big, &ioc, &err), FH_OK);
    }

    fh_rule_output out;
    assert_true(rule_fixture_generate(&big, FH_RULE_SENTINEL, &fx->exclusions, &out));
    assert_true(out.split_tables >= 3);
    assert_true(out.nfiles > 10);
    check_sentinel_windows(&out);
    fh_rule_output_free(&out);
    fh_ioc_set_clear(&big);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(kql_files_find_planted),
        cmocka_unit_test(markdown_queries_find_planted),
        cmocka_unit_test(sentinel_rules_find_planted),
        cmocka_unit_test(sentinel_split_rules_find_planted),
    };
    return cmocka_run_group_tests(tests, fixture_setup, fixture_teardown);
}
