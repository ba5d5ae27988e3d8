/*
 * Built-in table schemas: names, column counts, order and types, checked against Microsoft's
 * published column lists and against the header rows of real Sentinel and Defender exports.
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
#include "foxhound/table.h"

static const fh_schema *schema_named(const char *name)
{
    const fh_schema *schema = fh_schema_builtin(name);
    if (schema == NULL)
        fail_msg("no built-in schema %s", name);
    return schema;
}

static void check_column(const fh_schema *schema, const char *name, fh_type type)
{
    long index = fh_schema_find(schema, name, strlen(name));
    if (index < 0)
        fail_msg("%s has no column %s", schema->name, name);
    if (schema->cols[index].type != type)
        fail_msg("%s.%s is %s, expected %s", schema->name, name,
                 fh_type_name(schema->cols[index].type), fh_type_name(type));
}

static void builtins_list(void **state)
{
    const fh_schema *const *schemas = fh_schema_builtins();
    const char *const expected[] = {"CommonSecurityLog", "DeviceNetworkEvents", "DeviceFileEvents",
                                    "DeviceProcessEvents"};
    size_t count = 0;
    while (schemas[count] != NULL) {
        assert_true(count < 4);
        assert_string_equal(schemas[count]->name, expected[count]);
        assert_false(schemas[count]->owned);
        assert_ptr_equal(fh_schema_builtin(expected[count]), schemas[count]);
        count++;
    }
    assert_int_equal(count, 4);
    assert_null(fh_schema_builtin("commonsecuritylog"));
    assert_null(fh_schema_builtin("DeviceEvents"));
    assert_null(fh_schema_builtin(NULL));
}

static void names_unique(void **state)
{
    const fh_schema *const *schemas = fh_schema_builtins();
    for (size_t s = 0; schemas[s] != NULL; s++) {
        const fh_schema *schema = schemas[s];
        for (size_t i = 0; i < schema->ncols; i++) {
            const char *name = schema->cols[i].name;
            if (fh_schema_find(schema, name, strlen(name)) != (long)i)
                fail_msg("%s lists %s twice", schema->name, name);
        }
    }
}

static void common_security_log_columns(void **state)
{
    const fh_schema *csl = schema_named("CommonSecurityLog");
    assert_int_equal(csl->ncols, 164);
    assert_string_equal(csl->cols[0].name, "TimeGenerated");
    assert_string_equal(csl->cols[1].name, "DeviceVendor");
    assert_string_equal(csl->cols[163].name, "_ItemId");

    check_column(csl, "TimeGenerated", FH_TYPE_DATETIME);
    check_column(csl, "StartTime", FH_TYPE_DATETIME);
    check_column(csl, "EndTime", FH_TYPE_DATETIME);
    check_column(csl, "ReceiptTime", FH_TYPE_STRING);
    check_column(csl, "ExternalID", FH_TYPE_INT);
    check_column(csl, "ExtID", FH_TYPE_STRING);
    check_column(csl, "ReceivedBytes", FH_TYPE_LONG);
    check_column(csl, "SentBytes", FH_TYPE_LONG);
    check_column(csl, "DestinationPort", FH_TYPE_INT);
    check_column(csl, "RemotePort", FH_TYPE_STRING);
    check_column(csl, "FileCreateTime", FH_TYPE_STRING);
    check_column(csl, "DeviceCustomDate1", FH_TYPE_STRING);
    check_column(csl, "FlexDate1", FH_TYPE_STRING);
    check_column(csl, "FlexNumber2", FH_TYPE_INT);
    check_column(csl, "ThreatSeverity", FH_TYPE_INT);
    check_column(csl, "MaliciousIPLatitude", FH_TYPE_REAL);
    check_column(csl, "_BilledSize", FH_TYPE_REAL);
    check_column(csl, "DeviceEventCategory", FH_TYPE_STRING);
    check_column(csl, "EventOutcome", FH_TYPE_STRING);
    check_column(csl, "Reason", FH_TYPE_STRING);
    for (int n = 1; n <= 3; n++) {
        char name[64];
        snprintf(name, sizeof name, "DeviceCustomNumber%d", n);
        check_column(csl, name, FH_TYPE_INT);
        snprintf(name, sizeof name, "FieldDeviceCustomNumber%d", n);
        check_column(csl, name, FH_TYPE_LONG);
        snprintf(name, sizeof name, "DeviceCustomNumber%dLabel", n);
        check_column(csl, name, FH_TYPE_STRING);
    }
    for (int n = 1; n <= 4; n++) {
        char name[64];
        snprintf(name, sizeof name, "DeviceCustomFloatingPoint%d", n);
        check_column(csl, name, FH_TYPE_REAL);
        snprintf(name, sizeof name, "DeviceCustomIPv6Address%dLabel", n);
        check_column(csl, name, FH_TYPE_STRING);
    }
    for (int n = 1; n <= 6; n++) {
        char name[64];
        snprintf(name, sizeof name, "DeviceCustomString%dLabel", n);
        check_column(csl, name, FH_TYPE_STRING);
    }
    check_column(csl, "Computer", FH_TYPE_STRING);
    check_column(csl, "SourceSystem", FH_TYPE_STRING);
    check_column(csl, "Type", FH_TYPE_STRING);
    check_column(csl, "CollectorHostName", FH_TYPE_STRING);
}

static void defender_columns(void **state)
{
    const char *const tables[] = {"DeviceNetworkEvents", "DeviceFileEvents", "DeviceProcessEvents"};
    for (size_t i = 0; i < 3; i++) {
        const fh_schema *schema = schema_named(tables[i]);
        assert_string_equal(schema->cols[0].name, "Timestamp");
        check_column(schema, "Timestamp", FH_TYPE_DATETIME);
        check_column(schema, "TimeGenerated", FH_TYPE_DATETIME);
        check_column(schema, "DeviceName", FH_TYPE_STRING);
        check_column(schema, "ReportId", FH_TYPE_LONG);
        check_column(schema, "AdditionalFields", FH_TYPE_DYNAMIC);
        check_column(schema, "InitiatingProcessId", FH_TYPE_LONG);
        check_column(schema, "InitiatingProcessCreationTime", FH_TYPE_DATETIME);
        check_column(schema, "MachineGroup", FH_TYPE_STRING);
        check_column(schema, "TenantId", FH_TYPE_STRING);
    }

    const fh_schema *network = schema_named("DeviceNetworkEvents");
    assert_int_equal(network->ncols, 49);
    check_column(network, "RemoteIP", FH_TYPE_STRING);
    check_column(network, "RemotePort", FH_TYPE_INT);
    check_column(network, "LocalPort", FH_TYPE_INT);
    check_column(network, "RemoteUrl", FH_TYPE_STRING);
    check_column(network, "IsInitiatingProcessRemoteSession", FH_TYPE_BOOL);

    const fh_schema *file = schema_named("DeviceFileEvents");
    assert_int_equal(file->ncols, 62);
    check_column(file, "SHA256", FH_TYPE_STRING);
    check_column(file, "FileSize", FH_TYPE_LONG);
    check_column(file, "RequestSourcePort", FH_TYPE_INT);
    check_column(file, "IsAzureInfoProtectionApplied", FH_TYPE_BOOL);

    const fh_schema *process = schema_named("DeviceProcessEvents");
    assert_int_equal(process->ncols, 63);
    check_column(process, "ProcessId", FH_TYPE_LONG);
    check_column(process, "ProcessCreationTime", FH_TYPE_DATETIME);
    check_column(process, "LogonId", FH_TYPE_LONG);
    check_column(process, "InitiatingProcessSignatureStatus", FH_TYPE_STRING);
}

/* Reads the first line of a sample file and splits it at commas, dropping quotes. */
static size_t read_header(const char *relative, char **text, char **fields, size_t max)
{
    char *path = fh_test_shared_path(relative);
    assert_non_null(path);
    size_t len;
    *text = fh_test_read_file(path, &len);
    free(path);
    assert_non_null(*text);
    char *end = strpbrk(*text, "\r\n");
    if (end != NULL)
        *end = '\0';

    size_t count = 0;
    for (char *field = strtok(*text, ","); field != NULL && count < max;
         field = strtok(NULL, ",")) {
        if (field[0] == '"')
            field++;
        char *quote = strchr(field, '"');
        if (quote != NULL)
            *quote = '\0';
        char *zone = strstr(field, " [UTC]");
        if (zone != NULL)
            *zone = '\0';
        fields[count++] = field;
    }
    return count;
}

static void check_export_header(const char *relative, size_t expected_named)
{
    char *text;
    char *fields[256];
    size_t count = read_header(relative, &text, fields, 256);
    assert_int_equal(count, expected_named);

    const fh_schema *csl = schema_named("CommonSecurityLog");
    for (size_t i = 0; i < count; i++) {
        if (fh_schema_find(csl, fields[i], strlen(fields[i])) < 0)
            fail_msg("%s: export column %s is not in CommonSecurityLog", relative, fields[i]);
    }
    free(text);
}

/* Every named column of two Sentinel exports is a CommonSecurityLog column. */
static void sentinel_exports_fit(void **state)
{
    /* strtok skips the ten empty names at the end of the Forcepoint header. */
    check_export_header("data/public/commonsecuritylog/azure-sentinel_CEF_Forcepoint_CASB.csv",
                        152);
    check_export_header("data/public/commonsecuritylog/azure-sentinel_CEF_CiscoSEG.csv", 152);
}

/* A Defender portal export of DeviceProcessEvents starts with the table's columns in order. */
static void defender_export_order(void **state)
{
    char *text;
    char *fields[128];
    size_t count =
        read_header("data/public/defender/dafneb_advanced_hunting_test.csv", &text, fields, 128);
    assert_int_equal(count, 72);

    const fh_schema *process = schema_named("DeviceProcessEvents");
    for (size_t i = 0; i < 58; i++)
        assert_string_equal(fields[i], process->cols[i].name);
    assert_string_equal(fields[57], "AdditionalFields");

    const fh_schema *network = schema_named("DeviceNetworkEvents");
    for (size_t i = 58; i < 66; i++) {
        if (fh_schema_find(network, fields[i], strlen(fields[i])) < 0)
            fail_msg("export column %s is not in DeviceNetworkEvents", fields[i]);
    }
    free(text);
}

int main(void)
{
    const struct CMUnitTest unit_tests[] = {
        cmocka_unit_test(builtins_list),
        cmocka_unit_test(names_unique),
        cmocka_unit_test(common_security_log_columns),
        cmocka_unit_test(defender_columns),
    };
    int failed = cmocka_run_group_tests_name("schema", unit_tests, NULL, NULL);

    char *probe = fh_test_shared_path("data/public");
    if (probe == NULL) {
        fprintf(stderr, "SKIP: schema export tests: public sample data folder not found "
                        "(set FH_SHARED_DIR)\n");
        return failed;
    }
    free(probe);
    const struct CMUnitTest sample_tests[] = {
        cmocka_unit_test(sentinel_exports_fit),
        cmocka_unit_test(defender_export_order),
    };
    return failed + cmocka_run_group_tests_name("schema_exports", sample_tests, NULL, NULL);
}
