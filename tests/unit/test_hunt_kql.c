/*
 * Hunting query generation: the text for each table from a fixed indicator set, compared
 * with golden files, and the rules that decide which tables an indicator set needs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fh_test.h"
#include "foxhound/hunt.h"

#define TICKS_2026_06_11 (1781136000LL * 10000000LL)

static fh_indicator make(fh_ioc_type type, const char *value, const char *address, int port)
{
    fh_indicator ioc;
    memset(&ioc, 0, sizeof ioc);
    ioc.type = type;
    ioc.value = (char *)value;
    ioc.address = (char *)address;
    ioc.port = port;
    ioc.family = (char *)"PureRAT";
    ioc.confidence = 75;
    ioc.first_seen = TICKS_2026_06_11;
    ioc.last_seen = FH_TIME_UNKNOWN;
    return ioc;
}

static fh_ioc_set fixture_set(fh_indicator *items, size_t count)
{
    fh_ioc_set set;
    memset(&set, 0, sizeof set);
    set.items = items;
    set.count = count;
    return set;
}

static void build_fixture(fh_indicator *out)
{
    out[0] = make(FH_IOC_IP_PORT, "80.76.49.194:56003", "80.76.49.194", 56003);
    out[1] = make(FH_IOC_IP_PORT, "80.76.49.194:56001", "80.76.49.194", 56001);
    out[2] = make(FH_IOC_SHA256, "7e49b00bef718eb7e3645d8705e6521b011f66d10f06201e209a8a0511abc81a",
                  NULL, 0);
    out[3] = make(FH_IOC_DOMAIN, "sync-update.example.net", NULL, 0);
    out[4] = make(FH_IOC_URL, "http://sync-update.example.net/gate.php", NULL, 0);
    out[5] = make(FH_IOC_MD5, "9e107d9d372bb6826bd81d3542a419d6", NULL, 0);
}

static fh_exclusion_set fixture_exclusions(fh_exclusion *items)
{
    static char *net_tables[] = {(char *)"DeviceNetworkEvents", (char *)"DeviceFileEvents"};
    memset(items, 0, sizeof *items);
    items[0].name = (char *)"log-collection";
    items[0].reason = (char *)"shippers";
    items[0].tables = net_tables;
    items[0].ntables = 2;
    items[0].where = (char *)"InitiatingProcessFileName in~ (\"splunkd.exe\")";
    fh_exclusion_set set = {.items = items, .count = 1, .source = (char *)"x.yaml"};
    return set;
}

static void compare_golden(const char *table, const char *text)
{
    char rel[128];
    snprintf(rel, sizeof rel, "tests/data/hunt/%s.kql", table);
    char *path = fh_test_source_path(rel);
    size_t len = 0;
    char *golden = fh_test_read_file(path, &len);
    if (golden == NULL || strcmp(golden, text) != 0) {
        /* Writing the actual text beside the golden file makes the difference easy to read. */
        char *actual_path = malloc(strlen(path) + 8);
        sprintf(actual_path, "%s.actual", path);
        FILE *f = fopen(actual_path, "w");
        if (f != NULL) {
            fputs(text, f);
            fclose(f);
        }
        print_error("generated KQL differs from %s; see %s\n", path, actual_path);
        free(actual_path);
    }
    assert_non_null(golden);
    assert_string_equal(golden, text);
    free(golden);
    free(path);
}

static void generate_each_table(void **state)
{
    fh_indicator items[6];
    build_fixture(items);
    fh_ioc_set set = fixture_set(items, 6);
    fh_exclusion ex_items[1];
    fh_exclusion_set ex = fixture_exclusions(ex_items);

    for (const char *const *t = fh_hunt_tables(); *t != NULL; t++) {
        char *kql = NULL;
        fh_error err;
        assert_int_equal(
            fh_hunt_generate_kql(&set, *t, &ex, FH_TIME_UNKNOWN, FH_TIME_UNKNOWN, &kql, &err),
            FH_OK);
        compare_golden(*t, kql);
        free(kql);
    }
}

static void generate_time_range(void **state)
{
    fh_indicator items[6];
    build_fixture(items);
    fh_ioc_set set = fixture_set(items, 2);
    char *kql = NULL;
    fh_error err;
    assert_int_equal(fh_hunt_generate_kql(&set, "DeviceNetworkEvents", NULL, TICKS_2026_06_11,
                                          TICKS_2026_06_11 + 864000000000LL, &kql, &err),
                     FH_OK);
    assert_non_null(strstr(kql, "| where Timestamp between (datetime(2026-06-11T00:00:00Z) .. "
                                "datetime(2026-06-12T00:00:00Z))\n"));
    free(kql);
}

static void table_needed_by_type(void **state)
{
    fh_indicator items[6];
    build_fixture(items);
    fh_ioc_set addresses = fixture_set(items, 2);
    fh_ioc_set hashes = fixture_set(items + 2, 1);

    assert_true(fh_hunt_table_needed(&addresses, "CommonSecurityLog"));
    assert_true(fh_hunt_table_needed(&addresses, "DeviceNetworkEvents"));
    assert_false(fh_hunt_table_needed(&addresses, "DeviceFileEvents"));
    assert_false(fh_hunt_table_needed(&hashes, "CommonSecurityLog"));
    assert_true(fh_hunt_table_needed(&hashes, "DeviceProcessEvents"));
    assert_false(fh_hunt_table_needed(&hashes, "SigninLogs"));
}

static void no_query_without_indicators(void **state)
{
    fh_indicator items[6];
    build_fixture(items);
    fh_ioc_set hashes = fixture_set(items + 2, 1);
    char *kql = NULL;
    fh_error err;
    assert_int_equal(fh_hunt_generate_kql(&hashes, "CommonSecurityLog", NULL, FH_TIME_UNKNOWN,
                                          FH_TIME_UNKNOWN, &kql, &err),
                     FH_ERR_NOT_FOUND);
    assert_null(kql);
}

static void values_are_escaped(void **state)
{
    fh_indicator items[1];
    items[0] = make(FH_IOC_URL, "http://a.example/x\"y\\z", NULL, 0);
    fh_ioc_set set = fixture_set(items, 1);
    char *kql = NULL;
    fh_error err;
    assert_int_equal(fh_hunt_generate_kql(&set, "CommonSecurityLog", NULL, FH_TIME_UNKNOWN,
                                          FH_TIME_UNKNOWN, &kql, &err),
                     FH_OK);
    assert_non_null(strstr(kql, "\"http://a.example/x\\\"y\\\\z\""));
    free(kql);
}

int main(void)
{

    const struct CMUnitTest tests[] = {
        cmocka_unit_test(generate_each_table),  cmocka_unit_test(generate_time_range),
        cmocka_unit_test(table_needed_by_type), cmocka_unit_test(no_query_without_indicators),
        cmocka_unit_test(values_are_escaped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
