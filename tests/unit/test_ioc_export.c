/* Indicator exports: CSV with formula escaping, JSON lines, STIX 2.1 bundles, Zeek intel. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sha1.h"
#include "foxhound/ioc_export.h"
#include "ioc_fixture.h"

#define IMPORT_TIME "2026-12-01T10:00:00Z"

static const char hash1[] = "7e49b00bef718eb7e3645d8705e6521b011f66d10f06201e209a8a0511abc81a";

typedef struct export_env {
    char *dir;
    fh_ioc_store *store;
} export_env;

static int env_setup(void **state)
{
    export_env *env = calloc(1, sizeof *env);
    env->dir = fixture_temp_dir();
    env->store = fixture_open_store(env->dir, "indicators.db");
    *state = env;
    return 0;
}

static int env_teardown(void **state)
{
    export_env *env = *state;
    fh_ioc_store_close(env->store);
    fixture_remove_dir(env->dir);
    free(env);
    return 0;
}

static void import_specs(fh_ioc_store *store, const ioc_spec *specs, size_t count)
{
    fh_ioc_set set;
    fh_ioc_set_init(&set);
    for (size_t i = 0; i < count; i++)
        fixture_add(&set, &specs[i]);
    fixture_import(store, &set, fixture_time(IMPORT_TIME));
    fh_ioc_set_clear(&set);
}

static void import_rule_page(fh_ioc_store *store)
{
    fh_ioc_set set;
    fh_ioc_set_init(&set);
    fixture_rule_page_set(&set);
    fixture_import(store, &set, fixture_time(IMPORT_TIME));
    fh_ioc_set_clear(&set);
}

static void sha1_known_vectors(void **state)
{
    /* FIPS 180-2 appendix A.1, and Python's uuid.uuid5(uuid.NAMESPACE_DNS, "python.org"). */
    uint8_t digest[FH_SHA1_DIGEST_BYTES];
    fh_sha1 ctx;
    fh_sha1_init(&ctx);
    fh_sha1_update(&ctx, "abc", 3);
    fh_sha1_final(&ctx, digest);
    static const uint8_t abc[FH_SHA1_DIGEST_BYTES] = {0xa9, 0x99, 0x3e, 0x36, 0x47, 0x06, 0x81,
                                                      0x6a, 0xba, 0x3e, 0x25, 0x71, 0x78, 0x50,
                                                      0xc2, 0x6c, 0x9c, 0xd0, 0xd8, 0x9d};
    assert_memory_equal(digest, abc, sizeof abc);

    static const uint8_t dns[16] = {0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1,
                                    0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8};
    char uuid[37];
    fh_uuid_v5(dns, "python.org", 10, uuid);
    assert_string_equal(uuid, "886313e1-3b8a-5372-9b90-0c9aee199e5d");
}

static void csv_rule_page_rows(void **state)
{
    export_env *env = *state;
    import_rule_page(env->store);
    char *csv = fixture_export(env->store, NULL, FH_IOC_EXPORT_CSV);

    const char *header = "type,value,address,port,family,aliases,threat_type,confidence,"
                         "first_seen,last_seen,tags,reference,reporter,description,sources,flag,"
                         "created,modified\n";
    assert_memory_equal(csv, header, strlen(header));
    assert_non_null(strstr(csv, "\nip:port,80.76.49.194:56001,80.76.49.194,56001,PureRAT,,"
                                "botnet_cc,75,2026-06-11T00:00:00Z,,,,,,rulepage,,"
                                "2026-12-01T10:00:00Z,2026-12-01T10:00:00Z\n"));
    assert_non_null(strstr(csv, "\nsha256,7e49b00bef718eb7e3645d8705e6521b011f66d10f06201e209a"
                                "8a0511abc81a,,,PureRAT,,payload,75,2026-06-11T00:00:00Z,,,,,,"
                                "rulepage,,2026-12-01T10:00:00Z,2026-12-01T10:00:00Z\n"));
    free(csv);
}

static void csv_formula_escape(void **state)
{
    export_env *env = *state;
    ioc_spec spec = {.type = FH_IOC_DOMAIN,
                     .value = "evil.example.net",
                     .family = "=cmd|' /C calc'!A0",
                     .threat_type = "+SUM(1,2)",
                     .confidence = 60,
                     .tags = "@SUM(A1),plain",
                     .reference = "\thttp://x",
                     .flag = "-2+3",
                     .feed = "text",
                     .feed_id = "\r9"};
    import_specs(env->store, &spec, 1);
    char *csv = fixture_export(env->store, NULL, FH_IOC_EXPORT_CSV);

    assert_non_null(strstr(csv, ",\"'=cmd|' /C calc'!A0\","));
    assert_non_null(strstr(csv, ",\"'+SUM(1,2)\","));
    assert_non_null(strstr(csv, ",\"'@SUM(A1),plain\","));
    assert_non_null(strstr(csv, ",\"'\thttp://x\","));
    assert_non_null(strstr(csv, ",\"'-2+3\","));
    /* The source cell starts with the feed name, so it needs no escape, only quoting. */
    assert_non_null(strstr(csv, ",\"text:\r9\","));
    assert_non_null(strstr(csv, "\ndomain,evil.example.net,,,"));
    free(csv);
}

static void json_lines_stable_keys(void **state)
{
    export_env *env = *state;
    import_rule_page(env->store);
    char *text = fixture_export(env->store, NULL, FH_IOC_EXPORT_JSON);
    static const char *const keys[] = {
        "type",        "value",       "address",    "port",      "family",  "aliases",
        "threat_type", "confidence",  "first_seen", "last_seen", "tags",    "reference",
        "reporter",    "description", "sources",    "flag",      "created", "modified"};
    size_t nkeys = sizeof keys / sizeof keys[0];

    size_t lines = 0;
    for (char *line = strtok(text, "\n"); line != NULL; line = strtok(NULL, "\n"), lines++) {
        json_error_t jerr;
        json_t *obj = json_loads(line, 0, &jerr);
        assert_non_null(obj);
        assert_int_equal(json_object_size(obj), nkeys);
        size_t k = 0;
        for (void *it = json_object_iter(obj); it != NULL; it = json_object_iter_next(obj, it))
            assert_string_equal(json_object_iter_key(it), keys[k++]);
        if (lines == 0) {
            assert_string_equal(json_string_value(json_object_get(obj, "value")),
                                "80.76.49.194:56001");
            assert_int_equal(json_integer_value(json_object_get(obj, "port")), 56001);
            assert_int_equal(json_integer_value(json_object_get(obj, "confidence")), 75);
            assert_string_equal(json_string_value(json_object_get(obj, "first_seen")),
                                "2026-06-11T00:00:00Z");
            assert_true(json_is_null(json_object_get(obj, "last_seen")));
            json_t *source = json_array_get(json_object_get(obj, "sources"), 0);
            assert_string_equal(json_string_value(json_object_get(source, "feed")), "rulepage");
        }
        json_decref(obj);
    }
    assert_int_equal(lines, 6);
    free(text);
}

static void json_repairs_invalid_utf8(void **state)
{
    export_env *env = *state;
    ioc_spec spec = {.type = FH_IOC_DOMAIN,
                     .value = "cafe.example.net",
                     .family = "Caf\xe9",
                     .confidence = 70,
                     .tags = "ok,bad\xff\xfe"};
    import_specs(env->store, &spec, 1);
    char *text = fixture_export(env->store, NULL, FH_IOC_EXPORT_JSON);
    json_error_t jerr;
    json_t *obj = json_loads(text, 0, &jerr);
    assert_non_null(obj);
    assert_string_equal(json_string_value(json_object_get(obj, "family")), "Caf\xef\xbf\xbd");
    json_t *tags = json_object_get(obj, "tags");
    assert_int_equal(json_array_size(tags), 2);
    assert_string_equal(json_string_value(json_array_get(tags, 0)), "bad\xef\xbf\xbd\xef\xbf\xbd");
    json_decref(obj);
    free(text);
}

static json_t *find_by_name(json_t *objects, const char *suffix)
{
    size_t i;
    json_t *obj;
    json_array_foreach(objects, i, obj)
    {
        const char *name = json_string_value(json_object_get(obj, "name"));
        size_t n = strlen(name), m = strlen(suffix);
        if (n >= m && strcmp(name + n - m, suffix) == 0)
            return obj;
    }
    fail_msg("no object named ...%s", suffix);
    return NULL;
}

static void stix_bundle_rule_page(void **state)
{
    export_env *env = *state;
    import_rule_page(env->store);
    char *text = fixture_export(env->store, NULL, FH_IOC_EXPORT_STIX);
    json_error_t jerr;
    json_t *bundle = json_loads(text, 0, &jerr);
    assert_non_null(bundle);
    assert_string_equal(json_string_value(json_object_get(bundle, "type")), "bundle");
    assert_memory_equal(json_string_value(json_object_get(bundle, "id")), "bundle--", 8);
    json_t *objects = json_object_get(bundle, "objects");
    assert_int_equal(json_array_size(objects), 6);

    json_t *c2 = find_by_name(objects, "80.76.49.194:56001");
    assert_string_equal(json_string_value(json_object_get(c2, "pattern")),
                        "[network-traffic:dst_ref.type = 'ipv4-addr' AND "
                        "network-traffic:dst_ref.value = '80.76.49.194' AND "
                        "network-traffic:dst_port = 56001]");
    assert_string_equal(json_string_value(json_object_get(c2, "spec_version")), "2.1");
    assert_string_equal(json_string_value(json_object_get(c2, "pattern_type")), "stix");
    assert_string_equal(json_string_value(json_object_get(c2, "valid_from")),
                        "2026-06-11T00:00:00.000Z");
    assert_string_equal(json_string_value(json_object_get(c2, "created")),
                        "2026-12-01T10:00:00.000Z");
    assert_int_equal(json_integer_value(json_object_get(c2, "confidence")), 75);
    assert_string_equal(json_string_value(json_array_get(json_object_get(c2, "labels"), 0)),
                        "PureRAT");

    json_t *payload = find_by_name(objects, hash1);
    char pattern[160];
    snprintf(pattern, sizeof pattern, "[file:hashes.'SHA-256' = '%s']", hash1);
    assert_string_equal(json_string_value(json_object_get(payload, "pattern")), pattern);
    char id[FH_STIX_ID_SIZE];
    fh_ioc_stix_id(FH_IOC_SHA256, hash1, id);
    assert_string_equal(json_string_value(json_object_get(payload, "id")), id);
    assert_int_equal(strlen(id), 47);
    assert_int_equal(id[11 + 14], '5');

    char *again = fixture_export(env->store, NULL, FH_IOC_EXPORT_STIX);
    assert_string_equal(text, again);
    free(again);
    json_decref(bundle);
    free(text);
}

/* Writes one bare indicator (no database) as STIX and returns its pattern. */
static char *stix_pattern_of(const ioc_spec *spec)
{
    fh_ioc_set set;
    fh_ioc_set_init(&set);
    fixture_add(&set, spec);
    fh_ioc_record record = {
        .ioc = set.items[0], .created = FH_TIME_UNKNOWN, .modified = FH_TIME_UNKNOWN};

    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    fh_ioc_writer *writer = NULL;
    fh_error err;
    assert_int_equal(fh_ioc_writer_open(FH_IOC_EXPORT_STIX, out, "-", &writer, &err), FH_OK);
    assert_int_equal(fh_ioc_writer_write(writer, &record, &err), FH_OK);
    assert_int_equal(fh_ioc_writer_finish(writer, &err), FH_OK);
    fh_ioc_writer_destroy(writer);
    fclose(out);

    json_error_t jerr;
    json_t *bundle = json_loads(text, 0, &jerr);
    assert_non_null(bundle);
    json_t *obj = json_array_get(json_object_get(bundle, "objects"), 0);
    char *pattern = strdup(json_string_value(json_object_get(obj, "pattern")));
    json_decref(bundle);
    free(text);
    fh_ioc_set_clear(&set);
    return pattern;
}

static void stix_patterns_per_type(void **state)
{
    static const struct {
        ioc_spec spec;
        const char *pattern;
    } cases[] = {
        {{.type = FH_IOC_IPV4, .value = "198.51.100.7"}, "[ipv4-addr:value = '198.51.100.7']"},
        {{.type = FH_IOC_IPV6, .value = "2001:db8::7"}, "[ipv6-addr:value = '2001:db8::7']"},
        {{.type = FH_IOC_CIDR, .value = "198.51.100.0/24", .address = "198.51.100.0"},
         "[ipv4-addr:value ISSUBSET '198.51.100.0/24']"},
        {{.type = FH_IOC_CIDR, .value = "2001:db8::/32", .address = "2001:db8::"},
         "[ipv6-addr:value ISSUBSET '2001:db8::/32']"},
        {{.type = FH_IOC_IP_PORT,
          .value = "[2001:db8::7]:8443",
          .address = "2001:db8::7",
          .port = 8443},
         "[network-traffic:dst_ref.type = 'ipv6-addr' AND network-traffic:dst_ref.value = "
         "'2001:db8::7' AND network-traffic:dst_port = 8443]"},
        {{.type = FH_IOC_DOMAIN, .value = "c2.example.net"},
         "[domain-name:value = 'c2.example.net']"},
        {{.type = FH_IOC_URL, .value = "http://x.example/it's\\here"},
         "[url:value = 'http://x.example/it\\'s\\\\here']"},
        {{.type = FH_IOC_MD5, .value = "d41d8cd98f00b204e9800998ecf8427e"},
         "[file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e']"},
        {{.type = FH_IOC_SHA1, .value = "da39a3ee5e6b4b0d3255bfef95601890afd80709"},
         "[file:hashes.'SHA-1' = 'da39a3ee5e6b4b0d3255bfef95601890afd80709']"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ioc_spec spec = cases[i].spec;
        spec.confidence = FH_CONFIDENCE_UNKNOWN;
        char *pattern = stix_pattern_of(&spec);
        assert_string_equal(pattern, cases[i].pattern);
        free(pattern);
    }
}

static void zeek_rule_page_lines(void **state)
{
    export_env *env = *state;
    import_rule_page(env->store);
    char *text = fixture_export(env->store, NULL, FH_IOC_EXPORT_ZEEK);
    assert_string_equal(
        text, "#fields\tindicator\tindicator_type\tmeta.source\tmeta.desc\tmeta.url\n"
              "80.76.49.194\tIntel::ADDR\trulepage\tPureRAT botnet_cc conf=75 "
              "port=56001,56002,56003\t-\n"
              "7e49b00bef718eb7e3645d8705e6521b011f66d10f06201e209a8a0511abc81a\tIntel::FILE_HASH\t"
              "rulepage\tPureRAT payload conf=75\t-\n"
              "a05254840b45fcbfd12d09fd416ca860e2cfcab793f4780fa8f138b8f7a86aab\tIntel::FILE_HASH\t"
              "rulepage\tPureRAT payload conf=75\t-\n"
              "b50a05e38e9d04fd5c4dac4f29850649a77bb3ae443639206c908058e45593eb\tIntel::FILE_HASH\t"
              "rulepage\tPureRAT payload conf=75\t-\n");
    free(text);
}

static void zeek_url_and_subnet(void **state)
{
    export_env *env = *state;
    ioc_spec specs[] = {
        {.type = FH_IOC_URL,
         .value = "https://sup.merahsm188.top/",
         .family = "Vidar",
         .threat_type = "botnet_cc",
         .confidence = 100,
         .feed = "threatfox",
         .feed_id = "1856791"},
        {.type = FH_IOC_CIDR,
         .value = "203.0.113.0/24",
         .address = "203.0.113.0",
         .confidence = FH_CONFIDENCE_UNKNOWN,
         .reference = "https://example.org/a\tb"},
    };
    import_specs(env->store, specs, 2);
    char *text = fixture_export(env->store, NULL, FH_IOC_EXPORT_ZEEK);
    assert_non_null(strstr(text, "\n203.0.113.0/24\tIntel::SUBNET\tfoxhound\t-\t"
                                 "https://example.org/a b\n"));
    assert_non_null(strstr(text, "\nsup.merahsm188.top/\tIntel::URL\tthreatfox\t"
                                 "Vidar botnet_cc conf=100\t"
                                 "https://threatfox.abuse.ch/ioc/1856791/\n"));
    free(text);
}

static void export_write_error(void **state)
{
    export_env *env = *state;
    import_rule_page(env->store);
    FILE *full = fopen("/dev/full", "w");
    if (full == NULL)
        skip();
    uint64_t count = 0;
    fh_error err;
    fh_status st =
        fh_ioc_export(env->store, NULL, FH_IOC_EXPORT_JSON, full, "/dev/full", &count, &err);
    fclose(full);
    assert_int_equal(st, FH_ERR_IO);
    assert_string_equal(err.source, "/dev/full");
}

static void export_format_names(void **state)
{
    fh_ioc_export_format format;
    fh_error err;
    assert_int_equal(fh_ioc_export_format_from_name("STIX", &format, &err), FH_OK);
    assert_int_equal(format, FH_IOC_EXPORT_STIX);
    assert_int_equal(fh_ioc_export_format_from_name("misp", &format, &err), FH_ERR_USAGE);
    assert_non_null(strstr(err.message, "csv, json, stix or zeek"));
}

#define ENV_TEST(name) cmocka_unit_test_setup_teardown(name, env_setup, env_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sha1_known_vectors),
        ENV_TEST(csv_rule_page_rows),
        ENV_TEST(csv_formula_escape),
        ENV_TEST(json_lines_stable_keys),
        ENV_TEST(json_repairs_invalid_utf8),
        ENV_TEST(stix_bundle_rule_page),
        cmocka_unit_test(stix_patterns_per_type),
        ENV_TEST(zeek_rule_page_lines),
        ENV_TEST(zeek_url_and_subnet),
        ENV_TEST(export_write_error),
        cmocka_unit_test(export_format_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
