/* Exclusion files: the example file, and each kind of mistake with its line and column. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "fh_test.h"
#include "foxhound/hunt.h"

static void example_file_loads(void **state)
{
    char *path = fh_test_source_path("examples/exclusions.yaml");
    fh_exclusion_set set;
    fh_error err;
    assert_int_equal(fh_exclusions_load(path, &set, &err), FH_OK);
    assert_int_equal(set.count, 6);

    assert_string_equal(set.items[0].name, "scheduled-maintenance");
    assert_int_equal(set.items[0].ntables, 3);
    assert_string_equal(set.items[0].tables[0], "DeviceFileEvents");
    assert_non_null(strstr(set.items[0].where, "InitiatingProcessFileName =~ \"schtasks.exe\""));
    assert_true(fh_exclusion_applies(&set.items[0], "DeviceNetworkEvents"));
    assert_false(fh_exclusion_applies(&set.items[0], "CommonSecurityLog"));

    assert_string_equal(set.items[5].name, "network-monitoring-firewall");
    assert_int_equal(set.items[5].ntables, 1);
    assert_true(fh_exclusion_applies(&set.items[5], "CommonSecurityLog"));
    assert_non_null(strstr(set.items[1].reason, "NT AUTHORITY\\SYSTEM"));
    fh_exclusions_free(&set);
    free(path);
}

static void expect_error(const char *yaml, fh_status status, unsigned long line,
                         const char *fragment)
{
    fh_exclusion_set set;
    fh_error err;
    fh_error_clear(&err);
    assert_int_equal(fh_exclusions_parse("x.yaml", yaml, strlen(yaml), &set, &err), status);
    assert_string_equal(err.source, "x.yaml");
    assert_int_equal(err.line, line);
    if (strstr(err.message, fragment) == NULL)
        fail_msg("message '%s' lacks '%s'", err.message, fragment);
    assert_null(set.items);
}

static void missing_where(void **state)
{
    expect_error("exclusions:\n  - name: a\n    reason: r\n    tables: [DeviceFileEvents]\n",
                 FH_ERR_PARSE, 2, "has no 'where'");
}

static void unknown_key(void **state)
{
    expect_error("- name: a\n  reason: r\n  tables: DeviceFileEvents\n  were: x == 1\n",
                 FH_ERR_PARSE, 4, "unknown key 'were'");
}

static void unknown_table(void **state)
{
    expect_error("- name: a\n  reason: r\n  tables: [DeviceFileEvent]\n  where: x == 1\n",
                 FH_ERR_INVALID, 3, "unknown table 'DeviceFileEvent'");
}

static void duplicate_name(void **state)
{
    expect_error("- {name: a, reason: r, tables: [DeviceFileEvents], where: x == 1}\n"
                 "- {name: a, reason: r, tables: [DeviceFileEvents], where: y == 1}\n",
                 FH_ERR_INVALID, 2, "used twice (first on line 1)");
}

static void invalid_yaml(void **state)
{
    expect_error("- name: a\n  reason: [unclosed\n", FH_ERR_PARSE, 3, "invalid YAML");
}

static void wrong_shape(void **state)
{
    expect_error("name: a\n", FH_ERR_PARSE, 1, "expected a list of exclusions");
}

static void empty_file(void **state)
{
    fh_exclusion_set set;
    fh_error err;
    assert_int_equal(fh_exclusions_parse("x.yaml", "", 0, &set, &err), FH_OK);
    assert_int_equal(set.count, 0);
    fh_exclusions_free(&set);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(example_file_loads), cmocka_unit_test(missing_where),
        cmocka_unit_test(unknown_key),        cmocka_unit_test(unknown_table),
        cmocka_unit_test(duplicate_name),     cmocka_unit_test(invalid_yaml),
        cmocka_unit_test(wrong_shape),        cmocka_unit_test(empty_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
