/* Zeek intel files and plain or free text: detection, values, skips and rejects. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "foxhound/ioc_import.h"

static fh_status import_auto(const char *name, const char *text, fh_ioc_set *set,
                             fh_ioc_format *used, fh_error *err)
{
    return fh_ioc_import_memory(name, text, strlen(text), FH_IOC_FORMAT_AUTO, set, used, err);
}

static const char zeek_intel[] =
    "#separator \\x09\n"
    "#fields\tindicator\tindicator_type\tmeta.source\tmeta.desc\tmeta.url\n"
    "198.51.100.7\tIntel::ADDR\tthreatfox\tTofsee botnet_cc conf=75 port=425\t"
    "https://threatfox.abuse.ch/ioc/1854731/\n"
    "C2.Example.NET\tIntel::DOMAIN\tthreatfox\tClearFake payload_delivery\t-\n"
    "c2.example.net/gate.php\tIntel::URL\tthreatfox\turl without scheme\t-\n"
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\tIntel::FILE_HASH\t"
    "threatfox\t-\t-\n"
    "203.0.113.0/24\tIntel::SUBNET\tlocal\t-\t-\n"
    "someone@example.net\tIntel::EMAIL\tlocal\t-\t-\n"
    "2001:db8::1\tIntel::ADDR\tlocal\n"
    "010.0.0.1\tIntel::ADDR\tlocal\t-\t-\n";

static void zeek_intel_file(void **state)
{
    fh_ioc_set set;
    fh_ioc_set_init(&set);
    fh_error err;
    fh_ioc_format used;
    assert_int_equal(import_auto("feed.intel", zeek_intel, &set, &used, &err), FH_OK);
    assert_int_equal(used, FH_IOC_FORMAT_ZEEK);
    assert_int_equal(set.count, 5);

    assert_int_equal(set.items[0].type, FH_IOC_IPV4);
    assert_string_equal(set.items[0].value, "198.51.100.7");
    assert_string_equal(set.items[0].source_feed, "zeek");
    assert_string_equal(set.items[0].reporter, "threatfox");
    assert_string_equal(set.items[0].description, "Tofsee botnet_cc conf=75 port=425");
    assert_string_equal(set.items[0].reference, "https://threatfox.abuse.ch/ioc/1854731/");

    assert_string_equal(set.items[1].value, "c2.example.net");
    assert_null(set.items[1].reference); /* "-" is unset */
    assert_int_equal(set.items[2].type, FH_IOC_URL);
    assert_string_equal(set.items[2].value, "http://c2.example.net/gate.php");
    assert_int_equal(set.items[3].type, FH_IOC_SHA256);
    assert_null(set.items[3].description);
    assert_int_equal(set.items[4].type, FH_IOC_CIDR);
    assert_string_equal(set.items[4].value, "203.0.113.0/24");

    assert_int_equal(fh_ioc_set_skip_count(&set, "Zeek indicator type Intel::EMAIL is not hunted"),
                     1);
    assert_int_equal(set.rejected_total, 2);
    assert_int_equal(set.rejects[0].line, 9);
    assert_string_equal(set.rejects[0].reason, "line has 3 TAB-separated fields, #fields names 5");
    assert_int_equal(set.rejects[1].line, 10);
    assert_non_null(strstr(set.rejects[1].reason, "leading zero"));
    fh_ioc_set_clear(&set);
}

static void zeek_missing_fields_line(void **state)
{
    const char *text = "#fields\tindicator\tmeta.source\n1.2.3.4\tx\n";
    fh_ioc_set set;
    fh_ioc_set_init(&set);
    fh_error err;
    assert_int_equal(import_auto("bad.intel", text, &set, NULL, &err), FH_ERR_PARSE);
    char msg[256];
    fh_error_format(&err, msg, sizeof msg);
    assert_string_equal(msg, "bad.intel:1:1: Zeek intel #fields line has no indicator_type column");
    fh_ioc_set_clear(&set);
}

static const char blocklist[] = "# blocklist, one per line\n"
                                "80.76.49.194\n"
                                "evil[.]example[.]com\n"
                                "0.0.0.0 tracker.example.org\n"
                                "hxxps://evil[.]example[.]com/gate.php\n"
                                "7e49b00bef718eb7e3645d8705e6521b011f66d10f06201e209a8a0511abc81\n"
                                "not-an-indicator\n"
                                "\n"
                                "[2001:db8::7]:443\n";

static void text_blocklist_lines(void **state)
{
    fh_ioc_set set;
    fh_ioc_set_init(&set);
    fh_error err;
    fh_ioc_format used;
    assert_int_equal(import_auto("list.txt", blocklist, &set, &used, &err), FH_OK);
    assert_int_equal(used, FH_IOC_FORMAT_TEXT);
    assert_int_equal(set.count, 5);
    assert_string_equal(set.items[0].value, "80.76.49.194");
    assert_string_equal(set.items[0].source_feed, "text");
    assert_string_equal(set.items[1].value, "evil.example.com");
    assert_string_equal(set.items[2].value, "tracker.example.org");
    assert_string_equal(set.items[3].value, "https://evil.example.com/gate.php");
    assert_string_equal(set.items[4].value, "[2001:db8::7]:443");

    assert_int_equal(set.rejected_total, 2);
    assert_int_equal(set.rejects[0].line, 6);
    assert_non_null(strstr(set.rejects[0].reason, "63 hex digits"));
    assert_int_equal(set.rejects[1].line, 7);
    assert_string_equal(set.rejects[1].value, "not-an-indicator");
    fh_ioc_set_clear(&set);
}

static const char report[] =
    "The loader (dropped as update.exe) beacons to hxxp://cdn-upd[.]example[.]net/api and "
    "to 198.51.100.23:8443, e.g. every 60 s.\n"
    "Version 1.2.3 was seen first; the payload SHA-256 is "
    "a05254840b45fcbfd12d09fd416ca860e2cfcab793f4780fa8f138b8f7a86aab.\n"
    "Contact the team (soc.example.com) for details.\n"
    "Nothing to see in this sentence.\n"
    "Blocked 010.2.3.4 at the edge.\n";

static void text_report_prose(void **state)
{
    fh_ioc_set set;
    fh_ioc_set_init(&set);
    fh_error err;
    assert_int_equal(fh_ioc_import_memory("report.txt", report, strlen(report), FH_IOC_FORMAT_TEXT,
                                          &set, NULL, &err),
                     FH_OK);
    assert_int_equal(set.count, 4);
    assert_int_equal(set.items[0].type, FH_IOC_URL);
    assert_string_equal(set.items[0].value, "http://cdn-upd.example.net/api");
    assert_int_equal(set.items[1].type, FH_IOC_IP_PORT);
    assert_string_equal(set.items[1].value, "198.51.100.23:8443");
    assert_int_equal(set.items[2].type, FH_IOC_SHA256);
    assert_int_equal(set.items[3].type, FH_IOC_DOMAIN);
    assert_string_equal(set.items[3].value, "soc.example.com");
    /* "update.exe", "e.g." and "1.2.3" are not taken as indicators. */
    assert_null(fh_ioc_set_find(&set, FH_IOC_DOMAIN, "update.exe"));

    assert_int_equal(fh_ioc_set_skip_count(&set, "text line without an indicator"), 2);
    assert_int_equal(set.rejected_total, 1);
    assert_int_equal(set.rejects[0].line, 5);
    assert_string_equal(set.rejects[0].value, "010.2.3.4");
    fh_ioc_set_clear(&set);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(zeek_intel_file),
        cmocka_unit_test(zeek_missing_fields_line),
        cmocka_unit_test(text_blocklist_lines),
        cmocka_unit_test(text_report_prose),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
