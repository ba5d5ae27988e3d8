/* The ThreatIntelligenceIndicator table over the indicator database: schema, rows, batches. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fh_test.h"
#include "foxhound/ioc_export.h"
#include "foxhound/ioc_import.h"
#include "foxhound/ioc_store.h"
#include "foxhound/limits.h"
#include "ioc_fixture.h"

#define IMPORT_TIME "2026-12-01T10:00:00Z"

typedef struct ti_env {
    char *dir;
    fh_ioc_store *store;
    fh_batch batch;
} ti_env;

static int env_setup(void **state)
{
    ti_env *env = calloc(1, sizeof *env);
    env->dir = fixture_temp_dir();
    env->store = fixture_open_store(env->dir, "indicators.db");
    fh_error err;
    assert_int_equal(fh_batch_init(&env->batch, fh_ti_table_schema(), &err), FH_OK);
    *state = env;
    return 0;
}

static int env_teardown(void **state)
{
    ti_env *env = *state;
    fh_batch_destroy(&env->batch);
    fh_ioc_store_close(env->store);
    fixture_remove_dir(env->dir);
    free(env);
    return 0;
}

static const fh_value *cell(fh_batch *batch, size_t row, const char *column)
{
    long col = fh_schema_find(batch->schema, column, strlen(column));
    if (col < 0)
        fail_msg("no column %s", column);
    return &fh_batch_row(batch, row)[col];
}

static void assert_cell_string(fh_batch *batch, size_t row, const char *column,
                               const char *expected)
{
    const fh_value *v = cell(batch, row, column);
    assert_int_equal(v->type, FH_TYPE_STRING);
    if (v->u.s.len != strlen(expected) || memcmp(v->u.s.ptr, expected, v->u.s.len) != 0)
        fail_msg("%s: expected \"%s\", got \"%.*s\"", column, expected, (int)v->u.s.len,
                 v->u.s.ptr);
}

static void import_rule_page(fh_ioc_store *store)
{
    fh_ioc_set set;
    fh_ioc_set_init(&set);
    fixture_rule_page_set(&set);
    fixture_import(store, &set, fixture_time(IMPORT_TIME));
    fh_ioc_set_clear(&set);
}

static void ti_schema_columns(void **state)
{
    const fh_schema *schema = fh_ti_table_schema();
    assert_string_equal(schema->name, "ThreatIntelligenceIndicator");
    assert_int_equal(schema->ncols, 64);
    assert_string_equal(schema->cols[0].name, "TenantId");
    assert_string_equal(schema->cols[schema->ncols - 1].name, "Type");

    static const struct {
        const char *name;
        fh_type type;
    } expected[] = {
        {"TimeGenerated", FH_TYPE_DATETIME},
        {"ConfidenceScore", FH_TYPE_REAL},
        {"ExpirationDateTime", FH_TYPE_DATETIME},
        {"Active", FH_TYPE_BOOL},
        {"ThreatSeverity", FH_TYPE_INT},
        {"NetworkDestinationPort", FH_TYPE_INT},
        {"NetworkIP", FH_TYPE_STRING},
        {"EmailSourceIpAddress", FH_TYPE_STRING},
        {"FileHashValue", FH_TYPE_STRING},
        {"IndicatorId", FH_TYPE_STRING},
    };
    for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
        long col = fh_schema_find(schema, expected[i].name, strlen(expected[i].name));
        assert_true(col >= 0);
        assert_int_equal(schema->cols[col].type, expected[i].type);
    }
}

static void ti_rows_rule_page(void **state)
{
    ti_env *env = *state;
    import_rule_page(env->store);
    fh_ti_table *table = NULL;
    fh_error err;
    assert_int_equal(fh_ti_table_open(env->store, NULL, &table, &err), FH_OK);
    assert_int_equal(fh_ti_table_next(table, &env->batch, &err), FH_OK);
    fh_batch *batch = &env->batch;
    assert_int_equal(batch->nrows, 6);

    /* Row 0 is 80.76.49.194:56001, the first value in (type, value) order. */
    assert_cell_string(batch, 0, "NetworkIP", "80.76.49.194");
    assert_cell_string(batch, 0, "NetworkDestinationIP", "80.76.49.194");
    assert_int_equal(cell(batch, 0, "NetworkDestinationPort")->u.i, 56001);
    assert_true(cell(batch, 0, "NetworkPort")->is_null);
    assert_cell_string(batch, 0, "ThreatType", "C2");
    assert_cell_string(batch, 0, "Description", "PureRAT botnet_cc");
    assert_cell_string(batch, 0, "MalwareNames", "[\"PureRAT\"]");
    assert_cell_string(batch, 0, "SourceSystem", "rulepage");
    assert_cell_string(batch, 0, "Type", "ThreatIntelligenceIndicator");
    assert_cell_string(batch, 0, "FileHashValue", "");
    assert_true(cell(batch, 0, "ConfidenceScore")->u.r == 75.0);
    assert_true(cell(batch, 0, "Active")->u.b);
    assert_true(cell(batch, 0, "TimeGenerated")->u.ticks == fixture_time(IMPORT_TIME));
    /* No last seen time: the indicator does not expire. */
    assert_true(cell(batch, 0, "ExpirationDateTime")->u.ticks ==
                fixture_time("9999-12-31T23:59:59Z"));

    char id[FH_STIX_ID_SIZE];
    fh_ioc_stix_id(FH_IOC_IP_PORT, "80.76.49.194:56001", id);
    assert_cell_string(batch, 0, "IndicatorId", id);

    assert_cell_string(batch, 3, "FileHashType", "SHA256");
    assert_cell_string(batch, 3, "FileHashValue",
                       "7e49b00bef718eb7e3645d8705e6521b011f66d10f06201e209a8a0511abc81a");
    assert_cell_string(batch, 3, "ThreatType", "Malware");
    assert_cell_string(batch, 3, "NetworkIP", "");

    assert_int_equal(fh_ti_table_next(table, &env->batch, &err), FH_DONE);
    assert_int_equal(batch->nrows, 0);
    fh_ti_table_close(table);
}

static void ti_expiry_and_tags(void **state)
{
    ti_env *env = *state;
    fh_ioc_set set;
    fh_ioc_set_init(&set);
    ioc_spec spec = {.type = FH_IOC_DOMAIN,
                     .value = "sup.merahsm188.top",
                     .family = "Vidar",
                     .aliases = "Vidar Stealer",
                     .threat_type = "payload_delivery",
                     .confidence = FH_CONFIDENCE_UNKNOWN,
                     .first_seen = "2026-07-24 13:50:05",
                     .last_seen = "2026-07-30 00:00:00",
                     .tags = "TLP:AMBER,vidar",
                     .feed = "threatfox",
                     .feed_id = "1856790",
                     .description = "Vidar delivery domain",
                     .flag = "warninglist: top domains"};
    fixture_add(&set, &spec);
    fixture_import(env->store, &set, fixture_time(IMPORT_TIME));
    fh_ioc_set_clear(&set);

    fh_ti_table *table = NULL;
    fh_error err;
    assert_int_equal(fh_ti_table_open(env->store, NULL, &table, &err), FH_OK);
    assert_int_equal(fh_ti_table_next(table, &env->batch, &err), FH_OK);
    fh_batch *batch = &env->batch;

    assert_true(cell(batch, 0, "ExpirationDateTime")->u.ticks ==
                fixture_time("2026-10-28T00:00:00Z"));
    assert_true(cell(batch, 0, "ConfidenceScore")->is_null);
    assert_cell_string(batch, 0, "DomainName", "sup.merahsm188.top");
    assert_cell_string(batch, 0, "ThreatType", "MaliciousUrl");
    assert_cell_string(batch, 0, "Description", "Vidar delivery domain");
    assert_cell_string(batch, 0, "MalwareNames", "[\"Vidar\",\"Vidar Stealer\"]");
    assert_cell_string(batch, 0, "Tags", "[\"TLP:AMBER\",\"vidar\"]");
    assert_cell_string(batch, 0, "TrafficLightProtocolLevel", "Amber");
    assert_cell_string(batch, 0, "KnownFalsePositives", "warninglist: top domains");
    assert_cell_string(batch, 0, "ExternalIndicatorId", "1856790");
    assert_cell_string(batch, 0, "IndicatorProvider", "threatfox");
    fh_ti_table_close(table);
}

static void ti_batches_of_max_rows(void **state)
{
    ti_env *env = *state;
    fh_ioc_set set;
    fh_ioc_set_init(&set);
    size_t total = FH_BATCH_ROWS + 476;
    for (size_t i = 0; i < total; i++) {
        char value[64];
        snprintf(value, sizeof value, "host%05zu.example.net", i);
        ioc_spec spec = {.type = FH_IOC_DOMAIN, .value = value, .confidence = 50};
        fixture_add(&set, &spec);
    }
    fixture_import(env->store, &set, fixture_time(IMPORT_TIME));
    fh_ioc_set_clear(&set);

    fh_ti_table *table = NULL;
    fh_error err;
    fh_ioc_filter filter;
    fh_ioc_filter_init(&filter);
    filter.types = 1u << FH_IOC_DOMAIN;
    assert_int_equal(fh_ti_table_open(env->store, &filter, &table, &err), FH_OK);
    assert_int_equal(fh_ti_table_next(table, &env->batch, &err), FH_OK);
    assert_int_equal(env->batch.nrows, FH_BATCH_ROWS);
    assert_cell_string(&env->batch, 0, "DomainName", "host00000.example.net");
    assert_int_equal(fh_ti_table_next(table, &env->batch, &err), FH_OK);
    assert_int_equal(env->batch.nrows, 476);
    assert_cell_string(&env->batch, 475, "DomainName", "host01499.example.net");
    assert_int_equal(fh_ti_table_next(table, &env->batch, &err), FH_DONE);
    fh_ti_table_close(table);
}

/* A ThreatFox API response: a Cobalt Strike C2 URL and an Ave Maria payload hash. */
static void ti_threatfox_api_rows(void **state)
{
    ti_env *env = *state;
    char *path =
        fh_test_shared_path("data/public/threatfox/seanmcfeely_threatfox_api_response.json");
    if (path == NULL)
        skip();
    fh_ioc_set set;
    fh_ioc_set_init(&set);
    fh_error err;
    assert_int_equal(fh_ioc_import_file(path, FH_IOC_FORMAT_AUTO, &set, NULL, &err), FH_OK);
    fixture_import(env->store, &set, fixture_time(IMPORT_TIME));
    fh_ioc_set_clear(&set);
    free(path);

    fh_ti_table *table = NULL;
    assert_int_equal(fh_ti_table_open(env->store, NULL, &table, &err), FH_OK);
    assert_int_equal(fh_ti_table_next(table, &env->batch, &err), FH_OK);
    fh_batch *batch = &env->batch;
    assert_int_equal(batch->nrows, 2);

    /* sha256 sorts before url. */
    assert_cell_string(batch, 0, "FileHashType", "SHA256");
    assert_cell_string(batch, 0, "FileHashValue",
                       "cf87c474b0154c536cdf0e771c8ca97d9c4ba1d5530f669b677cd3b9346fe37d");
    assert_cell_string(batch, 0, "ThreatType", "Malware");
    assert_cell_string(batch, 0, "ExternalIndicatorId", "291505");
    assert_true(cell(batch, 0, "ConfidenceScore")->u.r == 50.0);

    assert_cell_string(batch, 1, "Url", "https://188.131.211.152/activity");
    assert_cell_string(batch, 1, "ThreatType", "C2");
    assert_cell_string(batch, 1, "ExternalIndicatorId", "291780");
    assert_true(cell(batch, 1, "ConfidenceScore")->u.r == 100.0);
    assert_cell_string(batch, 1, "NetworkIP", "");
    fh_ti_table_close(table);
}

#define ENV_TEST(name) cmocka_unit_test_setup_teardown(name, env_setup, env_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ti_schema_columns), ENV_TEST(ti_rows_rule_page),
        ENV_TEST(ti_expiry_and_tags),        ENV_TEST(ti_batches_of_max_rows),
        ENV_TEST(ti_threatfox_api_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
