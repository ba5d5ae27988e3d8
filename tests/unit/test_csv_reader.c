/*
 * CSV logs: Defender and Sentinel exports with their header spellings, RFC 4180 quoting
 * (embedded commas, doubled quotes, line breaks), a byte order mark, rows that do not fit the
 * header, values that do not convert, and projection.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fh_test.h"
#include "fh_test_table.h"
#include "foxhound/datetime.h"
#include "foxhound/reader.h"

static char *shared(const char *relative)
{
    char *path = fh_test_shared_path(relative);
    assert_non_null(path);
    return path;
}

static void assert_datetime(const fh_value *v, const char *text)
{
    int64_t ticks;
    assert_int_equal(fh_datetime_parse(text, strlen(text), &ticks), FH_OK);
    assert_int_equal(v->type, FH_TYPE_DATETIME);
    assert_false(v->is_null);
    assert_int_equal(v->u.ticks, ticks);
}

static void csv_defender_export(void **state)
{
    char *path = shared("data/public/defender/dafneb_advanced_hunting_test.csv");
    fh_test_table t;
    assert_int_equal(fh_test_table_read(&t, path, NULL, 0, NULL), FH_OK);
    assert_int_equal(t.status, FH_DONE);
    assert_int_equal(fh_reader_format(t.reader), FH_LOG_CSV);
    assert_string_equal(fh_reader_schema(t.reader)->name, "DeviceProcessEvents");
    assert_non_null(strstr(fh_reader_detection(t.reader), "ProcessCommandLine"));
    assert_int_equal(t.nrows, 26);
    assert_int_equal(fh_reader_stats(t.reader)->rows_skipped, 0);
    assert_int_equal(fh_reader_stats(t.reader)->values_invalid, 0);

    assert_datetime(fh_test_cell(&t, 0, "Timestamp"), "2023-10-18T14:37:28.2012261Z");
    assert_datetime(fh_test_cell(&t, 0, "TimeGenerated"), "2023-10-18T14:37:28.2012261Z");
    assert_string_equal(fh_test_text(&t, 0, "ActionType"), "AntivirusScanCompleted");
    assert_int_equal(fh_test_cell(&t, 0, "InitiatingProcessId")->u.l, 7212);
    assert_string_equal(fh_test_text(&t, 0, "InitiatingProcessVersionInfoProductName"),
                        "Microsoft\u00ae Windows\u00ae Operating System");
    /* JSON inside a quoted cell, with doubled quotes, becomes a dynamic object. */
    const fh_value *fields = fh_test_cell(&t, 0, "AdditionalFields");
    assert_int_equal(fields->type, FH_TYPE_DYNAMIC);
    assert_string_equal(json_string_value(json_object_get(fields->u.dyn, "Domain")),
                        "NT AUTHORITY");
    /* Embedded quotes in a command line. */
    assert_string_equal(fh_test_text(&t, 0, "InitiatingProcessCommandLine"), "\"MsMpEng.exe\"");

    /* Columns of the other unioned tables are extra dynamic columns. */
    assert_string_equal(fh_test_text(&t, 5, "ActionType"), "ConnectionSuccess");
    assert_string_equal(fh_test_text(&t, 5, "RemoteIP"), "20.50.201.200");
    const fh_value *port = fh_test_cell(&t, 5, "RemotePort");
    assert_int_equal(port->type, FH_TYPE_DYNAMIC);
    assert_int_equal(json_integer_value(port->u.dyn), 443);
    assert_int_equal(t.lines[5], 7);
    fh_test_table_free(&t);
    free(path);
}

static void csv_raw_mde_telemetry(void **state)
{
    char *path = shared("data/public/defender/msticpy_mde_proc_cs1_first330.csv");
    fh_test_table t;
    assert_int_equal(fh_test_table_read(&t, path, NULL, 0, NULL), FH_OK);
    assert_int_equal(t.status, FH_DONE);

    /* Internal MDE columns fit no built-in table: the file's own 104 columns. */
    const fh_schema *schema = fh_reader_schema(t.reader);
    assert_string_equal(schema->name, "");
    assert_int_equal(schema->ncols, 104);
    assert_string_equal(schema->cols[0].name, "Column1");
    assert_non_null(strstr(fh_reader_detection(t.reader), "no built-in table fits"));

    assert_int_equal(t.nrows, 330);
    assert_string_equal(fh_test_text(&t, 0, "CreatedProcessName"), "conhost.exe");
    assert_string_equal(fh_test_text(&t, 0, "CreatedProcessCommandLine"),
                        "conhost.exe 0xffffffff -ForceV1");

    /* Record 317 has a quoted command line with two line breaks. */
    const char *cmd = fh_test_text(&t, 317, "CreatedProcessCommandLine");
    assert_non_null(strstr(cmd, "in 10 minutes.\n\n Shutdown will start"));
    assert_string_equal(fh_test_text(&t, 317, "CreatedProcessName"), "wlrmdr.exe");
    assert_int_equal(t.lines[317], 319);
    assert_int_equal(t.lines[318], 322);
    assert_int_equal(fh_reader_stats(t.reader)->lines, 333);
    fh_test_table_free(&t);
    free(path);
}

static void csv_raw_mde_forced_table(void **state)
{
    char *path = shared("data/public/defender/msticpy_mde_proc_cs1_first330.csv");
    fh_read_options options = {.table = "DeviceProcessEvents"};
    fh_test_table t;
    assert_int_equal(fh_test_table_read(&t, path, NULL, 0, &options), FH_OK);
    assert_int_equal(t.status, FH_DONE);
    const fh_schema *schema = fh_reader_schema(t.reader);
    assert_string_equal(schema->name, "DeviceProcessEvents");
    assert_int_equal(t.nrows, 330);
    /* pandas timestamps ("2021-06-23 03:08:14.159814200+00:00") in a built-in column. */
    assert_false(fh_test_cell(&t, 0, "InitiatingProcessCreationTime")->is_null);
    assert_string_equal(fh_test_text(&t, 0, "CreatedProcessName"), "conhost.exe");
    fh_test_table_free(&t);
    free(path);
}

static void csv_portal_export(void **state)
{
    char *path = shared("data/public/commonsecuritylog/azure-sentinel_CEF_CiscoSEG.csv");
    fh_test_table t;
    assert_int_equal(fh_test_table_read(&t, path, NULL, 0, NULL), FH_OK);
    assert_int_equal(t.status, FH_DONE);
    const fh_schema *schema = fh_reader_schema(t.reader);
    assert_string_equal(schema->name, "CommonSecurityLog");
    /* "TimeGenerated [UTC]" maps to TimeGenerated, so there are no extra columns. */
    assert_int_equal(schema->ncols, fh_schema_builtin("CommonSecurityLog")->ncols);
    assert_int_equal(t.nrows, 5);

    assert_datetime(fh_test_cell(&t, 0, "TimeGenerated"), "2021-06-02T08:46:51.919Z");
    assert_datetime(fh_test_cell(&t, 4, "TimeGenerated"), "2021-06-02T10:24:50.649Z");
    assert_string_equal(fh_test_text(&t, 0, "DeviceVendor"), "Cisco");
    assert_string_equal(fh_test_text(&t, 0, "DestinationUserName"), "9076@testing.com");
    assert_string_equal(fh_test_text(&t, 1, "DestinationUserName"), "av-admin@testing.com");
    assert_string_equal(fh_test_text(&t, 0, "DeviceAction"), "QUARANTINED");
    assert_string_equal(fh_test_text(&t, 0, "Message"), "'Testing'");
    assert_int_equal(fh_reader_stats(t.reader)->values_invalid, 0);
    fh_test_table_free(&t);
    free(path);
}

static void csv_misaligned_export(void **state)
{
    char *path = shared("data/public/commonsecuritylog/azure-sentinel_CEF_Forcepoint_CASB.csv");
    fh_test_table t;
    assert_int_equal(fh_test_table_read(&t, path, NULL, 0, NULL), FH_OK);
    assert_int_equal(t.status, FH_DONE);
    const fh_schema *schema = fh_reader_schema(t.reader);
    assert_string_equal(schema->name, "CommonSecurityLog");
    /* Ten unnamed header cells become Column153 to Column162. */
    size_t builtin = fh_schema_builtin("CommonSecurityLog")->ncols;
    assert_int_equal(schema->ncols, builtin + 10);
    assert_string_equal(schema->cols[builtin].name, "Column153");
    assert_string_equal(schema->cols[builtin + 9].name, "Column162");
    assert_int_equal(t.nrows, 4);

    assert_datetime(fh_test_cell(&t, 0, "TimeGenerated"), "2020-02-06T09:26:24.94Z");
    assert_string_equal(fh_test_text(&t, 0, "DeviceVendor"), "Forcepoint CASB");
    assert_string_equal(fh_test_text(&t, 0, "SourceIP"), "52.9.67.149");
    /* The rows are shifted against the header; cells load where the header puts them. */
    assert_string_equal(fh_test_text(&t, 0, "Type"), "reason=upload");
    assert_string_equal(fh_test_text(&t, 0, "Column162"), "CommonSecurityLog");
    assert_string_equal(fh_test_text(&t, 1, "Column154"), "CommonSecurityLog");
    assert_string_equal(fh_test_text(&t, 0, "RequestClientApplication"), "Unknown/Unknown/\"\"");

    /* "end=..." and "outcome=..." in StartTime and EndTime are not datetimes. */
    const fh_read_stats *stats = fh_reader_stats(t.reader);
    assert_int_equal(stats->values_invalid, 8);
    assert_true(fh_test_cell(&t, 0, "StartTime")->is_null);
    assert_string_equal(stats->value_reasons[0].reason,
                        "invalid datetime in column StartTime, loaded as null");
    assert_int_equal(stats->value_reasons[0].lines[0], 2);
    fh_test_table_free(&t);
    free(path);
}

static const char quoted[] = "\xEF\xBB\xBF"
                             "DeviceVendor,DeviceProduct,Message,DestinationPort,Dup,Dup\r\n"
                             "Acme,\"Fire, wall\",\"said \"\"hi\"\"\",443,a,b\r\n"
                             "Acme,FW,\"two\r\nlines\",80,,\r\n"
                             "\r\n"
                             "Acme,FW,too,many,fields,here,x\r\n"
                             "Acme,FW,ab\"c,22\r\n"
                             "Acme,FW,\"open quote,1\r\n";

static void csv_quoting(void **state)
{
    fh_test_table t;
    assert_int_equal(fh_test_table_read(&t, "q.csv", quoted, sizeof quoted - 1, NULL), FH_OK);
    assert_int_equal(t.status, FH_DONE);
    assert_string_equal(fh_reader_schema(t.reader)->name, "CommonSecurityLog");
    assert_int_equal(t.nrows, 3);

    /* The byte order mark is not part of the first name. */
    assert_string_equal(fh_test_text(&t, 0, "DeviceVendor"), "Acme");
    assert_string_equal(fh_test_text(&t, 0, "DeviceProduct"), "Fire, wall");
    assert_string_equal(fh_test_text(&t, 0, "Message"), "said \"hi\"");
    assert_int_equal(fh_test_cell(&t, 0, "DestinationPort")->u.i, 443);
    assert_string_equal(fh_test_text(&t, 0, "Dup"), "a");
    assert_string_equal(fh_test_text(&t, 0, "Dup1"), "b");
    /* A line break inside quotes stays in the value (as "\n"). */
    assert_string_equal(fh_test_text(&t, 1, "Message"), "two\nlines");
    assert_int_equal(t.lines[1], 3);
    /* A quote inside an unquoted field is an ordinary character. */
    assert_string_equal(fh_test_text(&t, 2, "Message"), "ab\"c");
    assert_int_equal(t.lines[2], 7);

    const fh_read_stats *stats = fh_reader_stats(t.reader);
    assert_int_equal(stats->rows_skipped, 3);
    assert_string_equal(stats->reasons[0].reason, "empty line");
    assert_string_equal(stats->reasons[1].reason, "CSV row has more fields than the header");
    assert_int_equal(stats->reasons[1].lines[0], 6);
    assert_string_equal(stats->reasons[2].reason, "unterminated quoted CSV field");
    assert_int_equal(stats->reasons[2].lines[0], 8);
    fh_test_table_free(&t);
}

static void csv_strict_invalid_value(void **state)
{
    const char text[] = "DeviceVendor,DeviceProduct,DestinationPort\n"
                        "Acme,FW,443\n"
                        "Acme,FW,https\n";
    fh_read_options options = {.strict = true};
    fh_test_table t;
    assert_int_equal(fh_test_table_read(&t, "s.csv", text, sizeof text - 1, &options), FH_OK);
    assert_int_equal(t.status, FH_ERR_INVALID);
    assert_string_equal(t.err.source, "s.csv");
    assert_int_equal(t.err.line, 3);
    assert_int_equal(t.err.column, 9);
    assert_non_null(strstr(t.err.message, "\"https\""));
    assert_non_null(strstr(t.err.message, "DestinationPort"));
    fh_test_table_free(&t);

    /* Without strict mode the cell is null and counted. */
    assert_int_equal(fh_test_table_read(&t, "s.csv", text, sizeof text - 1, NULL), FH_OK);
    assert_int_equal(t.status, FH_DONE);
    assert_int_equal(t.nrows, 2);
    assert_true(fh_test_cell(&t, 1, "DestinationPort")->is_null);
    assert_int_equal(fh_reader_stats(t.reader)->values_invalid, 1);
    fh_test_table_free(&t);
}

static void csv_projection(void **state)
{
    char *path = shared("data/public/commonsecuritylog/azure-sentinel_CEF_CiscoSEG.csv");
    const char *columns[] = {"DestinationUserName", "NoSuchColumn"};
    fh_read_options options = {.columns = columns, .ncolumns = 2};
    fh_test_table t;
    assert_int_equal(fh_test_table_read(&t, path, NULL, 0, &options), FH_OK);
    assert_int_equal(t.status, FH_DONE);
    assert_int_equal(t.nrows, 5);
    assert_string_equal(fh_test_text(&t, 0, "DestinationUserName"), "9076@testing.com");
    assert_string_equal(fh_test_text(&t, 0, "DeviceVendor"), "");
    assert_true(fh_test_cell(&t, 0, "TimeGenerated")->is_null);
    fh_test_table_free(&t);
    free(path);
}

int main(void)
{
    FH_TEST_NEED_SHARED();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(csv_defender_export),      cmocka_unit_test(csv_raw_mde_telemetry),
        cmocka_unit_test(csv_raw_mde_forced_table), cmocka_unit_test(csv_portal_export),
        cmocka_unit_test(csv_misaligned_export),    cmocka_unit_test(csv_quoting),
        cmocka_unit_test(csv_strict_invalid_value), cmocka_unit_test(csv_projection),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
