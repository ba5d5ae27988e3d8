/* STIX import: every sample bundle, patterns with OR, IN, ports and skipped forms. */
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

static void stix_cinsscore_ips(void **state)
{
    fh_ioc_set set;
    fh_ioc_set_init(&set);
    fh_test_import_shared("data/public/stix/feeds2stix_cinsscore_bundle.json", &set,
                          FH_IOC_FORMAT_STIX);
    assert_int_equal(set.count, 3);
    assert_int_equal(set.skipped_total, 0);
    assert_int_equal(set.rejected_total, 0);
    assert_int_equal(set.items[0].type, FH_IOC_IPV4);
    assert_string_equal(set.items[0].value, "1.0.164.165");
    assert_string_equal(set.items[1].value, "1.10.247.65");
    assert_string_equal(set.items[2].value, "1.11.132.194");
    assert_string_equal(set.items[0].source_feed, "stix");
    assert_string_equal(set.items[0].source_id, "indicator--0390e917-a89c-5126-8953-a41763be3e8b");
    assert_string_equal(set.items[0].threat_type, "malicious-activity");
    assert_string_equal(set.items[0].reporter, "CINS");
    assert_string_equal(set.items[0].description, "IPv4: 1.0.164.165");
    fh_test_assert_date(set.items[0].first_seen, "2026-02-24T15:46:13Z");
    fh_ioc_set_clear(&set);
}

static void stix_sslblacklist_certificate(void **state)
{
    fh_ioc_set set;
    fh_ioc_set_init(&set);
    fh_test_import_shared("data/public/stix/feeds2stix_sslblacklist_BRAT.json", &set,
                          FH_IOC_FORMAT_STIX);
    /* The one indicator is an X.509 certificate SHA-1, which is not a file hash. */
    assert_int_equal(set.count, 0);
    assert_int_equal(set.skipped_total, 1);
    assert_int_equal(fh_ioc_set_skip_count(
                         &set, "STIX object path x509-certificate:hashes.'SHA-1' is not hunted"),
                     1);
    fh_ioc_set_clear(&set);
}

static void stix_vxvault_urls(void **state)
{
    fh_ioc_set set;
    fh_ioc_set_init(&set);
    fh_test_import_shared("data/public/stix/feeds2stix_vxvault_bundle.json", &set,
                          FH_IOC_FORMAT_STIX);
    assert_int_equal(set.count, 101);
    assert_int_equal(set.rejected_total, 0);
    for (size_t i = 0; i < set.count; i++)
        assert_int_equal(set.items[i].type, FH_IOC_URL);
    assert_string_equal(set.items[0].value,
                        "https://cloudaxis.cc/gsmft/yueu/fkvqld/tvqqwh/ushu/22.exe");
    assert_string_equal(set.items[4].value, "http://190.198.218.210:1171/i");
    /* Path case is kept as written. */
    assert_string_equal(set.items[3].value, "https://marsalek.cy/static/Pjibf2.exe");
    assert_string_equal(set.items[100].value, "http://185.215.113.103/luma/random.exe");
    assert_string_equal(set.items[100].reporter, "VXVault");
    fh_ioc_set_clear(&set);
}

static void stix_misp_export_hashes(void **state)
{
    fh_ioc_set set;
    fh_ioc_set_init(&set);
    fh_test_import_shared("data/public/stix/misp-stix_test_objects_collection_stix21.json", &set,
                          FH_IOC_FORMAT_STIX);
    assert_int_equal(set.count, 5);
    assert_int_equal(set.items[0].type, FH_IOC_MD5);
    assert_string_equal(set.items[0].value, "8764605c6f388c89096b534d33565802");
    assert_int_equal(set.items[1].type, FH_IOC_SHA1);
    assert_string_equal(set.items[1].value, "46aba99aa7158e4609aaa72b50990842fd22ae86");
    assert_int_equal(set.items[2].type, FH_IOC_SHA256);
    assert_string_equal(set.items[2].value,
                        "ec5aedf5ecc6bdadd4120932170d1b10f6cfa175cfda22951dfd882928ab279b");
    assert_string_equal(set.items[2].tags[0], "misp:name=\"file\"");
    assert_int_equal(set.items[3].type, FH_IOC_DOMAIN);
    assert_string_equal(set.items[3].value, "circl.lu");
    assert_int_equal(set.items[4].type, FH_IOC_IPV4);
    assert_string_equal(set.items[4].value, "149.13.33.14");

    assert_int_equal(set.skipped_total, 2);
    assert_int_equal(
        fh_ioc_set_skip_count(&set, "STIX object path email-message:from_ref.value is not hunted"),
        1);
    assert_int_equal(fh_ioc_set_skip_count(&set, "STIX object path file:name is not hunted"), 1);
    fh_ioc_set_clear(&set);
}

static void stix_apt1_report(void **state)
{
    fh_ioc_set set;
    fh_ioc_set_init(&set);
    fh_test_import_shared("data/public/stix/oasis_cti-documentation_apt1.json", &set,
                          FH_IOC_FORMAT_STIX);
    assert_int_equal(set.count, 10);

    const fh_indicator *cidr = &set.items[0];
    assert_int_equal(cidr->type, FH_IOC_CIDR);
    assert_string_equal(cidr->value, "223.166.0.0/15");
    assert_int_equal(cidr->prefix_bits, 15);
    assert_string_equal(cidr->family, "HUC Packet Transmit Tool (HTRAN)");
    assert_string_equal(cidr->description, "HTRAN Hop Point Accessor");
    fh_test_assert_date(cidr->first_seen, "2015-05-15T09:12:16.432678Z");
    assert_string_equal(set.items[3].value, "139.226.0.0/15");

    /* The domains indicate a threat actor, which is not a malware family. */
    assert_string_equal(set.items[4].value, "hugesoft.org");
    assert_null(set.items[4].family);
    assert_string_equal(set.items[6].value, "msnhome.org");

    /* Lower-case hash keys (file:hashes.md5) are accepted. */
    assert_int_equal(set.items[7].type, FH_IOC_MD5);
    assert_string_equal(set.items[7].value, "001dd76872d80801692ff942308c64e6");
    assert_string_equal(set.items[9].value, "00dbb9e1c09dbdafb360f3163ba5a3de");

    /* Two certificate indicators, each with an issuer and a serial number comparison. */
    assert_int_equal(set.skipped_total, 4);
    assert_int_equal(
        fh_ioc_set_skip_count(&set, "STIX object path x509-certificate:issuer is not hunted"), 2);
    fh_ioc_set_clear(&set);
}

static void stix_oasis_single_indicators(void **state)
{
    fh_ioc_set set;
    fh_ioc_set_init(&set);
    fh_test_import_shared(
        "data/public/stix/oasis_cti-documentation_indicator-for-malicious-url.json", &set,
        FH_IOC_FORMAT_STIX);
    assert_int_equal(set.count, 1);
    assert_string_equal(set.items[0].value, "http://x4z9arb.cn/4712/");
    assert_string_equal(set.items[0].family, "x4z9arb backdoor");
    assert_string_equal(set.items[0].description, "Malicious site hosting downloader");
    fh_test_assert_date(set.items[0].first_seen, "2014-06-29T13:49:37.079Z");
    fh_ioc_set_clear(&set);

    fh_ioc_set_init(&set);
    fh_test_import_shared(
        "data/public/stix/oasis_cti-documentation_malware-indicator-for-file-hash.json", &set,
        FH_IOC_FORMAT_STIX);
    assert_int_equal(set.count, 1);
    assert_int_equal(set.items[0].type, FH_IOC_SHA256);
    assert_string_equal(set.items[0].value,
                        "ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c");
    assert_string_equal(set.items[0].family, "Poison Ivy");
    fh_ioc_set_clear(&set);
}

/* Wraps one pattern in a bundle and imports it. */
static fh_status import_pattern(const char *pattern, fh_ioc_set *set, fh_error *err)
{
    char doc[2048];
    snprintf(doc, sizeof doc,
             "{\"type\": \"bundle\", \"id\": \"bundle--1\", \"objects\": [\n"
             "{\"type\": \"indicator\", \"id\": \"indicator--1\",\n"
             " \"pattern\": \"%s\", \"pattern_type\": \"stix\",\n"
             " \"valid_from\": \"2026-07-21T05:35:20Z\", \"confidence\": 75,\n"
             " \"labels\": [\"botnet_cc\", \"Tofsee\"]}]}",
             pattern);
    return fh_ioc_import_memory("bundle.json", doc, strlen(doc), FH_IOC_FORMAT_AUTO, set, NULL,
                                err);
}

static void stix_network_traffic_port(void **state)
{
    fh_ioc_set set;
    fh_ioc_set_init(&set);
    fh_error err;
    assert_int_equal(import_pattern("[network-traffic:dst_ref.type = 'ipv4-addr' AND "
                                    "network-traffic:dst_ref.value = '198.51.100.81' AND "
                                    "network-traffic:dst_port = 425]",
                                    &set, &err),
                     FH_OK);
    assert_int_equal(set.count, 1);
    assert_string_equal(set.items[0].value, "198.51.100.81:425");
    assert_int_equal(set.items[0].port, 425);
    assert_int_equal(set.items[0].confidence, 75);
    assert_int_equal(set.items[0].ntags, 2);
    fh_ioc_set_clear(&set);

    /* MISP writes the port as a string, and IPv6 gets brackets. */
    fh_ioc_set_init(&set);
    assert_int_equal(import_pattern("[network-traffic:dst_ref.value = '2001:db8::7' AND "
                                    "network-traffic:dst_port = '443']",
                                    &set, &err),
                     FH_OK);
    assert_int_equal(set.count, 1);
    assert_string_equal(set.items[0].value, "[2001:db8::7]:443");
    fh_ioc_set_clear(&set);
}

static void stix_or_and_in_lists(void **state)
{
    fh_ioc_set set;
    fh_ioc_set_init(&set);
    fh_error err;
    assert_int_equal(import_pattern("[domain-name:value = 'a.example' OR ipv4-addr:value = "
                                    "'198.51.100.1'] OR [url:value IN ('http://b.example/x', "
                                    "'http://c.example/y')]",
                                    &set, &err),
                     FH_OK);
    assert_int_equal(set.count, 4);
    assert_string_equal(set.items[0].value, "a.example");
    assert_string_equal(set.items[1].value, "198.51.100.1");
    assert_string_equal(set.items[2].value, "http://b.example/x");
    assert_string_equal(set.items[3].value, "http://c.example/y");
    fh_ioc_set_clear(&set);
}

static void stix_skips_with_reasons(void **state)
{
    fh_ioc_set set;
    fh_ioc_set_init(&set);
    fh_error err;
    assert_int_equal(import_pattern("[url:value LIKE '%.example/%']", &set, &err), FH_OK);
    assert_int_equal(import_pattern("[domain-name:value = 'a.example'] FOLLOWEDBY "
                                    "[url:value = 'http://a.example/']",
                                    &set, &err),
                     FH_OK);
    assert_int_equal(
        import_pattern("[ipv4-addr:value = '198.51.100.1'] WITHIN 60 SECONDS", &set, &err), FH_OK);
    assert_int_equal(import_pattern("[file:hashes.'SHA-512' = 'ab']", &set, &err), FH_OK);
    assert_int_equal(set.count, 0);
    assert_int_equal(set.skipped_total, 4);
    assert_int_equal(fh_ioc_set_skip_count(&set, "STIX operator 'LIKE' is not an equality"), 1);
    assert_int_equal(fh_ioc_set_skip_count(&set, "STIX hash file:hashes.'SHA-512' is not an MD5, "
                                                 "SHA-1 or SHA-256"),
                     1);
    fh_ioc_set_clear(&set);
}

static void stix_bad_pattern_and_value(void **state)
{
    fh_ioc_set set;
    fh_ioc_set_init(&set);
    fh_error err;
    assert_int_equal(import_pattern("[ipv4-addr:value = '198.51.100.1'", &set, &err), FH_OK);
    assert_int_equal(import_pattern("[ipv4-addr:value = '198.051.100.1']", &set, &err), FH_OK);
    assert_int_equal(set.count, 0);
    assert_int_equal(set.rejected_total, 2);
    assert_non_null(strstr(set.rejects[0].reason, "STIX pattern is malformed"));
    assert_int_equal(set.rejects[0].line, 2); /* the line of the indicator's id */
    assert_non_null(strstr(set.rejects[1].reason, "leading zero"));
    assert_int_equal(set.rejects[1].line, 2);
    fh_ioc_set_clear(&set);
}

static void stix_truncated_bundle(void **state)
{
    const char *doc = "{\"type\": \"bundle\", \"objects\": [\n{\"type\": \"indicator\",";
    fh_ioc_set set;
    fh_ioc_set_init(&set);
    fh_error err;
    assert_int_equal(
        fh_ioc_import_memory("cut.json", doc, strlen(doc), FH_IOC_FORMAT_STIX, &set, NULL, &err),
        FH_ERR_PARSE);
    assert_string_equal(err.source, "cut.json");
    assert_int_equal(err.line, 2);
    fh_ioc_set_clear(&set);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(stix_network_traffic_port), cmocka_unit_test(stix_or_and_in_lists),
        cmocka_unit_test(stix_skips_with_reasons),   cmocka_unit_test(stix_bad_pattern_and_value),
        cmocka_unit_test(stix_truncated_bundle),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    if (failed != 0)
        return failed;

    FH_TEST_NEED_SHARED();
    const struct CMUnitTest shared_tests[] = {
        cmocka_unit_test(stix_cinsscore_ips), cmocka_unit_test(stix_sslblacklist_certificate),
        cmocka_unit_test(stix_vxvault_urls),  cmocka_unit_test(stix_misp_export_hashes),
        cmocka_unit_test(stix_apt1_report),   cmocka_unit_test(stix_oasis_single_indicators),
    };
    return cmocka_run_group_tests_name("stix_shared", shared_tests, NULL, NULL);
}
