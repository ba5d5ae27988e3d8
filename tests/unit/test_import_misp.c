/* MISP import: the sample events, composite types, wrappers and skipped attributes. */
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

static size_t count_type(const fh_ioc_set *set, fh_ioc_type type)
{
    size_t n = 0;
    for (size_t i = 0; i < set->count; i++)
        n += set->items[i].type == type;
    return n;
}

static void misp_xorist_hashes(void **state)
{
    fh_ioc_set set;
    fh_ioc_set_init(&set);
    fh_test_import_shared("data/public/misp/pymisp_57c4445b-c548-4654-af0b-4be3950d210f.json", &set,
                          FH_IOC_FORMAT_MISP);
    assert_int_equal(set.count, 3);
    assert_int_equal(set.items[0].type, FH_IOC_MD5);
    assert_string_equal(set.items[0].value, "0749bae92ca336a02c83d126e04ec628");
    assert_int_equal(set.items[1].type, FH_IOC_SHA1);
    assert_string_equal(set.items[1].value, "77b0c41b7d340b8a3d903f21347bbf06aa766b5b");
    assert_int_equal(set.items[2].type, FH_IOC_SHA256);
    assert_string_equal(set.items[2].value,
                        "b3c4ae251f8094fa15b510051835c657eaef2a6cea46075d3aec964b14a99f68");

    const fh_indicator *ioc = &set.items[2];
    assert_string_equal(ioc->source_feed, "misp");
    assert_string_equal(ioc->description, "Ransomware - Xorist");
    assert_string_equal(ioc->threat_type, "Payload delivery");
    assert_string_equal(ioc->reporter, "CIRCL");
    assert_non_null(strstr(ioc->reference, "https://www.virustotal.com/file/b3c4ae25"));
    fh_test_assert_date(ioc->first_seen, "2016-08-29T00:00:00Z");
    assert_int_equal(ioc->ntags, 4);
    assert_string_equal(ioc->tags[0], "tlp:white");
    assert_null(ioc->family);

    /* filename, regkey|value, two links, text and comment are not hunted. */
    assert_int_equal(set.skipped_total, 6);
    assert_int_equal(fh_ioc_set_skip_count(&set, "MISP type 'link' is not hunted"), 2);
    assert_int_equal(fh_ioc_set_skip_count(&set, "MISP type 'regkey|value' is not hunted"), 1);
    fh_ioc_set_clear(&set);
}

static void misp_qakbot_ip_port_objects(void **state)
{
    fh_ioc_set set;
    fh_ioc_set_init(&set);
    fh_test_import_shared("data/public/misp/pymisp_reportlab_to_delete3.json", &set,
                          FH_IOC_FORMAT_MISP);
    assert_int_equal(set.count, 58);
    assert_int_equal(count_type(&set, FH_IOC_IPV4), 19);
    assert_int_equal(count_type(&set, FH_IOC_IP_PORT), 24);
    assert_int_equal(count_type(&set, FH_IOC_SHA256), 5);
    assert_int_equal(count_type(&set, FH_IOC_SHA1), 5);
    assert_int_equal(count_type(&set, FH_IOC_MD5), 5);
    assert_int_equal(set.rejected_total, 0);
    assert_int_equal(set.skipped_total, 14);

    assert_string_equal(set.items[0].value,
                        "da00823090dae3dae452ddc8a4c2a3c087389b4aacf1f0c12d13c83c9fcaef9c");
    const fh_indicator *ip_port = fh_ioc_set_find(&set, FH_IOC_IP_PORT, "64.183.173.170:995");
    assert_non_null(ip_port);
    assert_string_equal(ip_port->address, "64.183.173.170");
    assert_int_equal(ip_port->port, 995);
    assert_string_equal(ip_port->source_id, "5a0acc3f-9d2c-4cb7-86b7-4f26950d210f");
    fh_test_assert_date(ip_port->first_seen, "2017-11-06T00:00:00Z");
    /* Two malware galaxies (Emotet, Qakbot): no single family, the tags keep both. */
    assert_null(ip_port->family);
    assert_int_equal(ip_port->ntags, 5);
    assert_string_equal(ip_port->tags[4], "misp-galaxy:banker=\"Qakbot\"");
    assert_non_null(fh_ioc_set_find(&set, FH_IOC_IPV4, "104.236.252.178"));
    fh_ioc_set_clear(&set);
}

static void misp_sednit_bare_event(void **state)
{
    fh_ioc_set set;
    fh_ioc_set_init(&set);
    fh_test_import_shared("data/public/misp/pymisp_existing_event.json", &set, FH_IOC_FORMAT_MISP);
    assert_int_equal(set.count, 68);
    assert_int_equal(count_type(&set, FH_IOC_DOMAIN), 19);
    assert_int_equal(count_type(&set, FH_IOC_IPV4), 12);
    assert_int_equal(count_type(&set, FH_IOC_SHA1), 37);

    assert_string_equal(set.items[0].value, "movieultimate.com");
    assert_string_equal(set.items[0].threat_type, "Network activity");
    assert_string_equal(set.items[0].description,
                        "OSINT - Sednit update: How Fancy Bear Spent the Year");
    assert_int_equal(set.items[0].ntags, 18);
    fh_test_assert_date(set.items[0].first_seen, "2017-12-21T00:00:00Z");

    assert_non_null(fh_ioc_set_find(&set, FH_IOC_DOMAIN, "servicecdp.com"));
    assert_non_null(fh_ioc_set_find(&set, FH_IOC_IPV4, "87.236.211.182"));
    assert_non_null(fh_ioc_set_find(&set, FH_IOC_SHA1, "68064fc152e23d56e541714af52651cb4ba81aaf"));

    assert_int_equal(set.skipped_total, 54);
    assert_int_equal(fh_ioc_set_skip_count(&set, "MISP type 'text' is not hunted"), 38);
    assert_int_equal(fh_ioc_set_skip_count(&set, "MISP type 'filename' is not hunted"), 15);
    fh_ioc_set_clear(&set);
}

static const char search_result[] =
    "{\"response\": [{\"Event\": {\"info\": \"Test event\", \"date\": \"2024-01-02\",\n"
    " \"Tag\": [{\"name\": \"misp-galaxy:ransomware=\\\"LockBit\\\"\"}],\n"
    " \"Attribute\": [\n"
    "  {\"type\": \"ip-dst|port\", \"value\": \"198.51.100.7|8443\", \"to_ids\": true,\n"
    "   \"category\": \"Network activity\", \"uuid\": \"u1\"},\n"
    "  {\"type\": \"ip-src|port\", \"value\": \"2001:db8::7|53\", \"to_ids\": true, \"uuid\": "
    "\"u2\"},\n"
    "  {\"type\": \"domain|ip\", \"value\": \"c2.example.net|198.51.100.8\", \"to_ids\": true},\n"
    "  {\"type\": \"hostname|port\", \"value\": \"www.example.org|8080\", \"to_ids\": true},\n"
    "  {\"type\": \"filename|sha256\", \"value\": \"b.exe|"
    "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855\", \"to_ids\": true},\n"
    "  {\"type\": \"ip-dst\", \"value\": \"198.51.100.0/24\", \"to_ids\": true,\n"
    "   \"first_seen\": \"2019-06-02T22:14:28.711954+00:00\",\n"
    "   \"Tag\": [{\"name\": \"tlp:green\"}]},\n"
    "  {\"type\": \"url\", \"value\": \"http://c2.example.net/a\", \"to_ids\": false},\n"
    "  {\"type\": \"domain\", \"value\": \"gone.example.net\", \"to_ids\": true, \"deleted\": "
    "true},\n"
    "  {\"type\": \"md5\", \"value\": \"0749bae92ca336a02c83d126e04ec62\", \"to_ids\": true,\n"
    "   \"uuid\": \"u9\"},\n"
    "  {\"type\": \"domain\", \"value\": \"when.example.net\", \"to_ids\": true,\n"
    "   \"first_seen\": \"yesterday\"}\n"
    "]}}]}";

static void misp_composite_types(void **state)
{
    fh_ioc_set set;
    fh_ioc_set_init(&set);
    fh_error err;
    fh_ioc_format used;
    assert_int_equal(fh_ioc_import_memory("search.json", search_result, strlen(search_result),
                                          FH_IOC_FORMAT_AUTO, &set, &used, &err),
                     FH_OK);
    assert_int_equal(used, FH_IOC_FORMAT_MISP);
    assert_int_equal(set.count, 7);
    assert_string_equal(set.items[0].value, "198.51.100.7:8443");
    assert_string_equal(set.items[0].family, "LockBit");
    assert_string_equal(set.items[0].source_id, "u1");
    assert_string_equal(set.items[1].value, "[2001:db8::7]:53");
    assert_string_equal(set.items[2].value, "c2.example.net");
    assert_string_equal(set.items[3].value, "198.51.100.8");
    assert_string_equal(set.items[4].value, "www.example.org");
    assert_string_equal(set.items[5].value,
                        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assert_int_equal(set.items[6].type, FH_IOC_CIDR);
    assert_string_equal(set.items[6].value, "198.51.100.0/24");
    fh_test_assert_date(set.items[6].first_seen, "2019-06-02T22:14:28.711954Z");
    assert_int_equal(set.items[6].ntags, 2);

    assert_int_equal(
        fh_ioc_set_skip_count(&set, "MISP attribute has to_ids false (context, not for detection)"),
        1);
    assert_int_equal(fh_ioc_set_skip_count(&set, "MISP attribute is deleted"), 1);

    assert_int_equal(set.rejected_total, 2);
    assert_string_equal(set.rejects[0].reason, "md5 has 31 hex digits, expected 32");
    assert_int_equal(set.rejects[0].line, 16); /* the line of the attribute's uuid */
    assert_non_null(strstr(set.rejects[1].reason, "first_seen 'yesterday'"));
    assert_int_equal(set.rejects[1].line, 17);
    fh_ioc_set_clear(&set);
}

static void misp_not_an_event(void **state)
{
    const char *doc = "[1, 2, 3]";
    fh_ioc_set set;
    fh_ioc_set_init(&set);
    fh_error err;
    assert_int_equal(
        fh_ioc_import_memory("odd.json", doc, strlen(doc), FH_IOC_FORMAT_AUTO, &set, NULL, &err),
        FH_ERR_FORMAT);
    assert_non_null(strstr(err.message, "not a ThreatFox response"));
    fh_ioc_set_clear(&set);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(misp_composite_types),
        cmocka_unit_test(misp_not_an_event),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    if (failed != 0)
        return failed;

    FH_TEST_NEED_SHARED();
    const struct CMUnitTest shared_tests[] = {
        cmocka_unit_test(misp_xorist_hashes),
        cmocka_unit_test(misp_qakbot_ip_port_objects),
        cmocka_unit_test(misp_sednit_bare_event),
    };
    return cmocka_run_group_tests_name("misp_shared", shared_tests, NULL, NULL);
}
