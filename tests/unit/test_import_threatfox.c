/* ThreatFox import: API responses, the JSON export, CSV exports and malformed inputs. */
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

static bool has_text(char *const *list, size_t n, const char *want)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i], want) == 0)
            return true;
    return false;
}

static size_t count_type(const fh_ioc_set *set, fh_ioc_type type)
{
    size_t n = 0;
    for (size_t i = 0; i < set->count; i++)
        n += set->items[i].type == type;
    return n;
}

static size_t count_tag(const fh_ioc_set *set, const char *tag)
{
    size_t n = 0;
    for (size_t i = 0; i < set->count; i++)
        n += has_text(set->items[i].tags, set->items[i].ntags, tag);
    return n;
}

static void threatfox_api_seanmcfeely(void **state)
{
    fh_ioc_set set;
    fh_ioc_set_init(&set);
    fh_test_import_shared("data/public/threatfox/seanmcfeely_threatfox_api_response.json", &set,
                          FH_IOC_FORMAT_THREATFOX_JSON);
    assert_int_equal(set.count, 2);
    assert_int_equal(set.rejected_total, 0);

    const fh_indicator *url = &set.items[0];
    assert_int_equal(url->type, FH_IOC_URL);
    assert_string_equal(url->value, "https://188.131.211.152/activity");
    assert_string_equal(url->source_id, "291780");
    assert_string_equal(url->source_feed, "threatfox");
    assert_string_equal(url->threat_type, "botnet_cc");
    assert_string_equal(url->family, "Cobalt Strike");
    assert_true(has_text(url->aliases, url->naliases, "win.cobalt_strike"));
    assert_true(has_text(url->aliases, url->naliases, "BEACON"));
    assert_int_equal(url->naliases, 4);
    assert_int_equal(url->confidence, 100);
    fh_test_assert_date(url->first_seen, "2022-01-07T16:29:58Z");
    assert_true(url->last_seen == FH_TIME_UNKNOWN);
    assert_null(url->reference);
    assert_string_equal(url->reporter, "drb_ra");
    assert_int_equal(url->ntags, 2);
    assert_string_equal(url->tags[1], "Cobalt Strike");

    const fh_indicator *hash = &set.items[1];
    assert_int_equal(hash->type, FH_IOC_SHA256);
    assert_string_equal(hash->value,
                        "cf87c474b0154c536cdf0e771c8ca97d9c4ba1d5530f669b677cd3b9346fe37d");
    assert_string_equal(hash->family, "Ave Maria");
    assert_int_equal(hash->confidence, 50);
    assert_string_equal(hash->reference,
                        "https://twitter.com/RedBeardIOCs/status/1479018729715417094");
    assert_int_equal(hash->ntags, 0);
    fh_ioc_set_clear(&set);
}

static void threatfox_api_tenzir(void **state)
{
    fh_ioc_set set;
    fh_ioc_set_init(&set);
    fh_test_import_shared("data/public/threatfox/tenzir_threatfox_api_response.json", &set,
                          FH_IOC_FORMAT_THREATFOX_JSON);
    assert_int_equal(set.count, 2);

    const fh_indicator *hash = &set.items[0];
    assert_int_equal(hash->type, FH_IOC_SHA256);
    assert_string_equal(hash->value,
                        "a502120e5056f6cb4cf5aacb143e1f7c7468a82fea9714e9675ad32f106857a0");
    assert_null(hash->family); /* "unknown" is ThreatFox's placeholder */
    assert_int_equal(hash->naliases, 0);
    assert_int_equal(hash->ntags, 7);
    assert_string_equal(hash->tags[0], "aitm");
    assert_string_equal(hash->tags[6], "phishing");
    fh_test_assert_date(hash->first_seen, "2026-05-28T16:41:22Z");

    const fh_indicator *url = &set.items[1];
    assert_string_equal(url->value, "https://www.secure-accounts-verify.com/submit-task");
    assert_string_equal(url->threat_type, "payload_delivery");
    assert_string_equal(url->source_id, "1819556");
    assert_false(has_text(url->tags, url->ntags, "compromised"));
    fh_ioc_set_clear(&set);
}

static void threatfox_export_json(void **state)
{
    fh_ioc_set set;
    fh_ioc_set_init(&set);
    fh_test_import_shared(
        "data/public/threatfox/v3nom-intel_threatfox_export_json_recent_first500.json", &set,
        FH_IOC_FORMAT_THREATFOX_JSON);
    assert_int_equal(set.count, 500);
    assert_int_equal(set.rejected_total, 0);
    assert_int_equal(set.skipped_total, 0);
    assert_int_equal(count_type(&set, FH_IOC_DOMAIN), 150);
    assert_int_equal(count_type(&set, FH_IOC_SHA256), 83);
    assert_int_equal(count_type(&set, FH_IOC_SHA1), 80);
    assert_int_equal(count_type(&set, FH_IOC_MD5), 80);
    assert_int_equal(count_type(&set, FH_IOC_IP_PORT), 72);
    assert_int_equal(count_type(&set, FH_IOC_URL), 35);
    assert_int_equal(count_tag(&set, "compromised"), 73);

    const fh_indicator *first = &set.items[0];
    assert_string_equal(first->value, "https://sup.merahsm188.top/");
    assert_string_equal(first->source_id, "1856791");
    assert_string_equal(first->family, "Vidar");
    assert_int_equal(first->confidence, 100);
    fh_test_assert_date(first->first_seen, "2026-07-24T13:50:06Z");
    assert_true(has_text(first->tags, first->ntags, "vidar"));
    assert_true(has_text(first->tags, first->ntags, "compromised"));

    const fh_indicator *last = &set.items[499];
    assert_string_equal(last->value, "93.152.224.94:80");
    assert_string_equal(last->address, "93.152.224.94");
    assert_int_equal(last->port, 80);
    assert_string_equal(last->source_id, "1856292");
    assert_string_equal(last->family, "Tsundere");
    assert_true(has_text(last->aliases, last->naliases, "DinDoor"));
    assert_true(has_text(last->aliases, last->naliases, "js.tsundere"));
    assert_int_equal(last->ntags, 2);
    assert_string_equal(last->tags[1], "drb-ra");
    fh_test_assert_date(last->last_seen, "2026-07-24T13:46:26Z");
    assert_string_equal(last->reporter, "abuse_ch");

    const fh_indicator *sha1 =
        fh_ioc_set_find(&set, FH_IOC_SHA1, "18b3741afc2712dafb56505b1c1822372b35cc0b");
    assert_non_null(sha1);
    assert_string_equal(sha1->family, "Kuiper");
    assert_int_equal(sha1->confidence, 95);
    fh_ioc_set_clear(&set);
}

static void threatfox_csv_recent(void **state)
{
    fh_ioc_set set;
    fh_ioc_set_init(&set);
    fh_test_import_shared("data/public/threatfox/cti-psi_threatfox_recent_csv_first72.csv", &set,
                          FH_IOC_FORMAT_THREATFOX_CSV);
    assert_int_equal(set.count, 72);
    assert_int_equal(count_type(&set, FH_IOC_DOMAIN), 72);
    assert_int_equal(set.rejected_total, 0);

    const fh_indicator *first = &set.items[0];
    assert_string_equal(first->value, "call4-back.veq4tralis.in.net");
    assert_string_equal(first->source_id, "1784524");
    assert_string_equal(first->threat_type, "payload_delivery");
    assert_string_equal(first->family, "ClearFake");
    assert_int_equal(first->naliases, 1); /* js.clearfake; the alias column is "None" */
    assert_string_equal(first->aliases[0], "js.clearfake");
    assert_int_equal(first->confidence, 100);
    fh_test_assert_date(first->first_seen, "2026-04-12T04:49:28Z");
    fh_test_assert_date(first->last_seen, "2026-04-12T04:49:29Z");
    assert_null(first->reference);
    assert_string_equal(first->reporter, "ttakvam");
    assert_int_equal(first->ntags, 1);
    assert_string_equal(first->tags[0], "ClearFake");

    assert_string_equal(set.items[71].value, "db3-storage.drumekal.in.net");
    assert_string_equal(set.items[71].source_id, "1784440");
    assert_string_equal(set.items[71].reporter, "threatcat_ch");
    fh_ioc_set_clear(&set);
}

static fh_status import_text(const char *name, const char *text, fh_ioc_set *set,
                             fh_ioc_format *used, fh_error *err)
{
    return fh_ioc_import_memory(name, text, strlen(text), FH_IOC_FORMAT_AUTO, set, used, err);
}

static const char csv14[] =
    "# \"first_seen_utc\",\"ioc_id\",\"ioc_value\",\"ioc_type\",\"threat_type\",\"fk_malware\","
    "\"malware_alias\",\"malware_printable\",\"last_seen_utc\",\"confidence_level\","
    "\"reference\",\"tags\",\"anonymous\",\"reporter\"\n"
    "\"2021-03-01 10:00:00\", \"1000\", \"http://a.example/p?q=a,b\", \"url\", "
    "\"payload_delivery\", \"win.emotet\", \"Geodo\", \"Emotet\", \"\", \"75\", "
    "\"https://example.org/\"\"x\"\"\", \"epoch4,exe\", \"0\", \"someone\"\n"
    "\"2021-03-01 10:00:00\", \"1001\", \"010.2.3.4:443\", \"ip:port\", \"botnet_cc\", "
    "\"win.emotet\", \"None\", \"Emotet\", \"\", \"75\", \"None\", \"None\", \"0\", \"someone\"\n"
    "\"2021-03-01 10:00:00\", \"1002\", \"a.example\", \"domain\", \"botnet_cc\"\n"
    "\"2021-03-01 10:00:00\", \"1003\", \"a@b.example\", \"email\", \"botnet_cc\", "
    "\"win.emotet\", \"None\", \"Emotet\", \"\", \"75\", \"None\", \"None\", \"0\", \"someone\"\n";

static void threatfox_csv_14_columns(void **state)
{
    fh_ioc_set set;
    fh_ioc_set_init(&set);
    fh_error err;
    fh_ioc_format used;
    assert_int_equal(import_text("old.csv", csv14, &set, &used, &err), FH_OK);
    assert_int_equal(used, FH_IOC_FORMAT_THREATFOX_CSV);

    assert_int_equal(set.count, 1);
    const fh_indicator *url = &set.items[0];
    assert_string_equal(url->value, "http://a.example/p?q=a,b");
    assert_string_equal(url->reference, "https://example.org/\"x\"");
    assert_int_equal(url->ntags, 2);
    assert_string_equal(url->tags[1], "exe");
    assert_string_equal(url->reporter, "someone");
    assert_true(url->last_seen == FH_TIME_UNKNOWN);

    assert_int_equal(set.rejected_total, 2);
    assert_int_equal(set.rejects[0].line, 3);
    assert_non_null(strstr(set.rejects[0].reason, "leading zero"));
    assert_int_equal(set.rejects[1].line, 4);
    assert_string_equal(set.rejects[1].reason, "row has 5 fields, the header has 14");
    assert_int_equal(fh_ioc_set_skip_count(&set, "ThreatFox ioc_type 'email' is not hunted"), 1);
    fh_ioc_set_clear(&set);
}

static void threatfox_csv_no_value_column(void **state)
{
    const char *text = "# ThreatFox IOCs: recent additions - CSV format\n"
                       "# \"first_seen_utc\",\"ioc_id\",\"ioc_type\"\n"
                       "\"2021-03-01 10:00:00\", \"1000\", \"url\"\n";
    fh_ioc_set set;
    fh_ioc_set_init(&set);
    fh_error err;
    assert_int_equal(import_text("bad.csv", text, &set, NULL, &err), FH_ERR_PARSE);
    char msg[512];
    fh_error_format(&err, msg, sizeof msg);
    assert_string_equal(msg, "bad.csv:2:1: ThreatFox CSV header has no ioc_value column; the "
                             "export needs ioc_value and ioc_type");
    fh_ioc_set_clear(&set);
}

static void threatfox_csv_open_quote(void **state)
{
    const char *text = "# \"first_seen_utc\",\"ioc_value\",\"ioc_type\"\n"
                       "\"2021-03-01 10:00:00\", \"a.example, \"domain\"\n";
    fh_ioc_set set;
    fh_ioc_set_init(&set);
    fh_error err;
    assert_int_equal(import_text("open.csv", text, &set, NULL, &err), FH_OK);
    assert_int_equal(set.count, 0);
    assert_int_equal(set.rejected_total, 1);
    assert_int_equal(set.rejects[0].line, 2);
    assert_non_null(strstr(set.rejects[0].reason, "malformed CSV at column 37"));
    fh_ioc_set_clear(&set);
}

static void threatfox_json_truncated(void **state)
{
    const char *text = "{\"query_status\": \"ok\", \"data\": [\n"
                       "  {\"id\": \"1\", \"ioc\": \"a.example\", \"ioc_type\": \"domain\"},\n"
                       "  {\"id\": \"2\", \"ioc\": \"b.exa";
    fh_ioc_set set;
    fh_ioc_set_init(&set);
    fh_error err;
    assert_int_equal(import_text("cut.json", text, &set, NULL, &err), FH_ERR_PARSE);
    assert_string_equal(err.source, "cut.json");
    assert_int_equal(err.line, 3);
    assert_true(err.column > 0);
    assert_non_null(strstr(err.message, "invalid JSON"));
    assert_int_equal(set.count, 0);
    fh_ioc_set_clear(&set);
}

static void threatfox_json_bad_values(void **state)
{
    const char *text = "{\"query_status\": \"ok\", \"data\": [\n"
                       "  {\"id\": \"1\", \"ioc\": \"a.example\", \"ioc_type\": \"domain\"},\n"
                       "  {\"id\": \"2\", \"ioc\": "
                       "\"cf87c474b0154c536cdf0e771c8ca97d9c4ba1d5530f669b677cd3b9346fe3\",\n"
                       "   \"ioc_type\": \"sha256_hash\"},\n"
                       "  {\"id\": \"3\", \"ioc\": \"b.example\", \"ioc_type\": \"domain\", "
                       "\"confidence_level\": 101},\n"
                       "  {\"id\": \"4\", \"ioc\": \"c.example\", \"ioc_type\": \"domain\", "
                       "\"first_seen\": \"soon\"}\n"
                       "]}";
    fh_ioc_set set;
    fh_ioc_set_init(&set);
    fh_error err;
    assert_int_equal(import_text("bad.json", text, &set, NULL, &err), FH_OK);
    assert_int_equal(set.count, 1);
    assert_int_equal(set.rejected_total, 3);
    assert_int_equal(set.rejects[0].line, 3);
    assert_string_equal(set.rejects[0].reason, "data[1]: sha256 has 62 hex digits, expected 64");
    assert_int_equal(set.rejects[1].line, 5);
    assert_non_null(strstr(set.rejects[1].reason, "confidence_level '101'"));
    assert_int_equal(set.rejects[2].line, 6);
    assert_non_null(strstr(set.rejects[2].reason, "first seen time 'soon'"));
    fh_ioc_set_clear(&set);
}

static void threatfox_query_status(void **state)
{
    fh_ioc_set set;
    fh_ioc_set_init(&set);
    fh_error err;
    const char *none = "{\"query_status\": \"no_result\", \"data\": \"Your search did not yield "
                       "any results\"}";
    assert_int_equal(import_text("none.json", none, &set, NULL, &err), FH_OK);
    assert_int_equal(set.count, 0);

    const char *bad = "{\"query_status\": \"illegal_search_term\"}";
    assert_int_equal(import_text("bad.json", bad, &set, NULL, &err), FH_ERR_INVALID);
    assert_non_null(strstr(err.message, "'illegal_search_term'"));
    fh_ioc_set_clear(&set);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(threatfox_csv_14_columns),
        cmocka_unit_test(threatfox_csv_no_value_column),
        cmocka_unit_test(threatfox_csv_open_quote),
        cmocka_unit_test(threatfox_json_truncated),
        cmocka_unit_test(threatfox_json_bad_values),
        cmocka_unit_test(threatfox_query_status),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    if (failed != 0)
        return failed;

    FH_TEST_NEED_SHARED();
    const struct CMUnitTest shared_tests[] = {
        cmocka_unit_test(threatfox_api_seanmcfeely),
        cmocka_unit_test(threatfox_api_tenzir),
        cmocka_unit_test(threatfox_export_json),
        cmocka_unit_test(threatfox_csv_recent),
    };
    return cmocka_run_group_tests_name("threatfox_shared", shared_tests, NULL, NULL);
}
