/* Rule page import: the sample page, the project's example page and malformed pages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fh_test.h"
#include "fh_test_ioc.h"
#include "foxhound/ioc_import.h"

static const char *const hashes[3] = {
    "7e49b00bef718eb7e3645d8705e6521b011f66d10f06201e209a8a0511abc81a",
    "b50a05e38e9d04fd5c4dac4f29850649a77bb3ae443639206c908058e45593eb",
    "a05254840b45fcbfd12d09fd416ca860e2cfcab793f4780fa8f138b8f7a86aab",
};

static void import_path(const char *path, fh_ioc_set *set)
{
    fh_error err;
    fh_ioc_format used = FH_IOC_FORMAT_AUTO;
    fh_status st = fh_ioc_import_file(path, FH_IOC_FORMAT_AUTO, set, &used, &err);
    if (st != FH_OK) {
        char msg[1200];
        fh_error_format(&err, msg, sizeof msg);
        fail_msg("%s", msg);
    }
    assert_int_equal(used, FH_IOC_FORMAT_RULEPAGE);
}

/* Checks the six PureRAT indicators, whatever order the page lists them in. */
static void check_purerat(const fh_ioc_set *set)
{
    assert_int_equal(set->count, 6);
    assert_int_equal(set->rejected_total, 0);

    for (int port = 56001; port <= 56003; port++) {
        char value[32];
        snprintf(value, sizeof value, "80.76.49.194:%d", port);
        const fh_indicator *ioc = fh_ioc_set_find(set, FH_IOC_IP_PORT, value);
        assert_non_null(ioc);
        assert_string_equal(ioc->address, "80.76.49.194");
        assert_int_equal(ioc->port, port);
        assert_string_equal(ioc->threat_type, "botnet_cc");
        assert_string_equal(ioc->family, "PureRAT");
        assert_int_equal(ioc->confidence, 75);
        assert_string_equal(ioc->source_feed, "rulepage");
        fh_test_assert_date(ioc->first_seen, "2026-06-11T00:00:00Z");
    }
    for (int i = 0; i < 3; i++) {
        const fh_indicator *ioc = fh_ioc_set_find(set, FH_IOC_SHA256, hashes[i]);
        assert_non_null(ioc);
        assert_string_equal(ioc->threat_type, "payload");
        assert_string_equal(ioc->family, "PureRAT");
        assert_int_equal(ioc->confidence, 75);
        fh_test_assert_date(ioc->first_seen, "2026-06-11T00:00:00Z");
    }
    /* The bare IP in the KQL lists repeats the ip:port rows and is not a seventh indicator. */
    assert_null(fh_ioc_set_find(set, FH_IOC_IPV4, "80.76.49.194"));
}

static void rulepage_sample_six(void **state)
{
    char *path = fh_test_shared_path("seed/threatfox-purerat-sentinel-rule.txt");
    fh_ioc_set set;
    fh_ioc_set_init(&set);
    import_path(path, &set);
    check_purerat(&set);

    /* The table order is kept: 56003 first, as the page lists it. */
    assert_string_equal(set.items[0].value, "80.76.49.194:56003");
    assert_string_equal(set.items[3].value, hashes[0]);
    /* Two KQL lists hold the IP and one holds the three hashes: five repeats. */
    assert_int_equal(set.skipped_total, 5);
    fh_ioc_set_clear(&set);
    free(path);
}

static void rulepage_example_six(void **state)
{
    char *path = fh_test_source_path("examples/purerat-rule.md");
    fh_ioc_set set;
    fh_ioc_set_init(&set);
    import_path(path, &set);
    check_purerat(&set);
    assert_string_equal(set.items[0].value, "80.76.49.194:56001");
    fh_ioc_set_clear(&set);
    free(path);
}

static fh_status import_text(const char *text, fh_ioc_set *set, fh_error *err)
{
    return fh_ioc_import_memory("page.md", text, strlen(text), FH_IOC_FORMAT_RULEPAGE, set, NULL,
                                err);
}

static void rulepage_list_only_values(void **state)
{
    const char *page = "Malware Family: **Cobalt Strike** Total IOCs: 1\n"
                       "| Type | Value | Threat Type | First Seen | Confidence |\n"
                       "|---|---|---|---|---|\n"
                       "| domain | c2[.]example[.]net | botnet_cc | 2026-01-02 | 90% |\n"
                       "\n"
                       "let hosts = dynamic(['c2.example.net', \"cdn[.]example[.]org\"]);\n";
    fh_ioc_set set;
    fh_ioc_set_init(&set);
    fh_error err;
    assert_int_equal(import_text(page, &set, &err), FH_OK);
    assert_int_equal(set.count, 2);
    assert_string_equal(set.items[0].value, "c2.example.net");
    assert_int_equal(set.items[0].confidence, 90);
    assert_string_equal(set.items[1].value, "cdn.example.org");
    assert_string_equal(set.items[1].family, "Cobalt Strike");
    assert_null(set.items[1].threat_type);
    assert_int_equal(set.items[1].confidence, FH_CONFIDENCE_UNKNOWN);
    assert_int_equal(set.skipped_total, 1);
    fh_ioc_set_clear(&set);
}

static void rulepage_bad_rows(void **state)
{
    const char *page =
        "| Type | Value | Threat Type | First Seen | Confidence |\n"
        "|---|---|---|---|---|\n"
        "| sha256_hash | 7e49b00bef718eb7e3645d8705e6521b011f66d10f06201e209a8a0511abc81 "
        "| payload | 2026-06-11 | 75% |\n"
        "| ip:port | 80[.]76[.]49[.]194:56001 | botnet_cc | 2026-06-11 | 175% |\n"
        "| email | a@example.com | phishing | 2026-06-11 | 75% |\n"
        "| ip:port | 80[.]76[.]49[.]194:56002 | botnet_cc | 2026-06-11 | 75% |\n";
    fh_ioc_set set;
    fh_ioc_set_init(&set);
    fh_error err;
    assert_int_equal(import_text(page, &set, &err), FH_OK);
    assert_int_equal(set.count, 1);
    assert_string_equal(set.items[0].value, "80.76.49.194:56002");
    assert_int_equal(set.rejected_total, 2);
    assert_int_equal(set.rejects[0].line, 3);
    assert_string_equal(set.rejects[0].source, "page.md");
    assert_non_null(strstr(set.rejects[0].reason, "sha256 has 63 hex digits"));
    assert_int_equal(set.rejects[1].line, 4);
    assert_non_null(strstr(set.rejects[1].reason, "Confidence '175%'"));
    assert_int_equal(fh_ioc_set_skip_count(&set, "rule page indicator type 'email' is not hunted"),
                     1);
    fh_ioc_set_clear(&set);
}

static void rulepage_unterminated_list(void **state)
{
    const char *page = "Malware Family: X\nlet a = dynamic([\"1.2.3.4\", \"5.6.7.8]);\n";
    fh_ioc_set set;
    fh_ioc_set_init(&set);
    fh_error err;
    assert_int_equal(import_text(page, &set, &err), FH_ERR_PARSE);
    assert_string_equal(err.source, "page.md");
    assert_int_equal(err.line, 2);
    assert_int_equal(set.count, 0); /* the caller's set is left as it was */
    fh_ioc_set_clear(&set);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rulepage_example_six),
        cmocka_unit_test(rulepage_list_only_values),
        cmocka_unit_test(rulepage_bad_rows),
        cmocka_unit_test(rulepage_unterminated_list),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    if (failed != 0)
        return failed;

    FH_TEST_NEED_SHARED();
    const struct CMUnitTest shared_tests[] = {cmocka_unit_test(rulepage_sample_six)};
    return cmocka_run_group_tests_name("rulepage_shared", shared_tests, NULL, NULL);
}
