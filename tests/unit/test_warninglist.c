/* Special-purpose range flags and MISP warninglist matching. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "foxhound/warninglist.h"

typedef struct range_case {
    fh_ioc_type type;
    const char *raw;
    const char *flag; /* expected flag, NULL when the value is not flagged */
} range_case;

static const range_case range_cases[] = {
    {FH_IOC_IPV4, "80.76.49.194", NULL},
    {FH_IOC_IP_PORT, "80.76.49.194:56001", NULL},
    {FH_IOC_IPV4, "192.0.2.44", "documentation range 192.0.2.0/24 (RFC 5737)"},
    {FH_IOC_IP_PORT, "198.51.100.7:8443", "documentation range 198.51.100.0/24 (RFC 5737)"},
    {FH_IOC_IPV4, "203.0.113.255", "documentation range 203.0.113.0/24 (RFC 5737)"},
    {FH_IOC_IPV4, "10.20.30.40", "private range 10.0.0.0/8 (RFC 1918)"},
    {FH_IOC_IPV4, "172.31.255.1", "private range 172.16.0.0/12 (RFC 1918)"},
    {FH_IOC_IPV4, "172.32.0.1", NULL},
    {FH_IOC_IPV4, "192.168.1.1", "private range 192.168.0.0/16 (RFC 1918)"},
    {FH_IOC_IPV4, "100.127.0.1", "shared address range 100.64.0.0/10 (RFC 6598)"},
    {FH_IOC_IPV4, "100.128.0.1", NULL},
    {FH_IOC_IPV4, "127.0.0.1", "loopback range 127.0.0.0/8 (RFC 1122)"},
    {FH_IOC_IPV4, "0.1.2.3", "this-network range 0.0.0.0/8 (RFC 1122)"},
    {FH_IOC_IPV4, "169.254.169.254", "link-local range 169.254.0.0/16 (RFC 3927)"},
    {FH_IOC_IPV4, "239.255.255.250", "multicast range 224.0.0.0/4 (RFC 5771)"},
    {FH_IOC_IPV4, "255.255.255.255", "reserved range 240.0.0.0/4 (RFC 1112)"},
    {FH_IOC_IPV6, "::1", "loopback address ::1 (RFC 4291)"},
    {FH_IOC_IPV6, "fd12:3456::1", "unique local range fc00::/7 (RFC 4193)"},
    {FH_IOC_IPV6, "fe80::1", "link-local range fe80::/10 (RFC 4291)"},
    {FH_IOC_IP_PORT, "[2001:db8::7]:443", "documentation range 2001:db8::/32 (RFC 3849)"},
    {FH_IOC_IPV6, "2606:4700::1111", NULL},
    {FH_IOC_CIDR, "10.1.0.0/16", "private range 10.0.0.0/8 (RFC 1918)"},
    {FH_IOC_CIDR, "8.0.0.0/7", NULL},
    {FH_IOC_URL, "http://127.0.0.1:8080/x", "loopback range 127.0.0.0/8 (RFC 1122)"},
    {FH_IOC_URL, "http://user@[fe80::2]/x", "link-local range fe80::/10 (RFC 4291)"},
    {FH_IOC_URL, "http://10.example.com/x", NULL},
    {FH_IOC_DOMAIN, "localhost.example", NULL},
};

static void flag_special_ranges(void **state)
{
    for (size_t i = 0; i < sizeof range_cases / sizeof range_cases[0]; i++) {
        const range_case *c = &range_cases[i];
        fh_indicator ioc;
        fh_indicator_init(&ioc);
        fh_error err;
        if (fh_indicator_normalize(c->type, c->raw, strlen(c->raw), &ioc, &err) != FH_OK)
            fail_msg("'%s': %s", c->raw, err.message);
        bool flagged = true;
        assert_int_equal(fh_indicator_flag_ranges(&ioc, &flagged, &err), FH_OK);
        if (c->flag == NULL) {
            if (ioc.flag != NULL)
                fail_msg("'%s' flagged as '%s'", c->raw, ioc.flag);
            assert_false(flagged);
        } else {
            if (ioc.flag == NULL)
                fail_msg("'%s' not flagged, expected '%s'", c->raw, c->flag);
            assert_string_equal(ioc.flag, c->flag);
            assert_true(flagged);
        }
        fh_indicator_clear(&ioc);
    }
}

static fh_warninglist *parse_list(const char *json)
{
    fh_warninglist *list = NULL;
    fh_error err;
    if (fh_warninglist_parse("list.json", json, strlen(json), &list, &err) != FH_OK)
        fail_msg("%s", err.message);
    return list;
}

static bool matches(const fh_warninglist *list, fh_ioc_type type, const char *raw)
{
    fh_indicator ioc;
    fh_indicator_init(&ioc);
    assert_int_equal(fh_indicator_normalize(type, raw, strlen(raw), &ioc, NULL), FH_OK);
    bool hit = fh_warninglist_match(list, &ioc);
    fh_indicator_clear(&ioc);
    return hit;
}

static void warninglist_hostname(void **state)
{
    fh_warninglist *list =
        parse_list("{\"name\": \"List of known Google domains\", \"version\": 20240101,"
                   " \"description\": \"Google domains\", \"type\": \"hostname\","
                   " \"list\": [\"google.com\", \".googleapis.com\", \"GSTATIC.COM\"],"
                   " \"matching_attributes\": [\"hostname\", \"domain\", \"url\"]}");
    assert_string_equal(fh_warninglist_name(list), "List of known Google domains");
    assert_int_equal(fh_warninglist_size(list), 3);
    assert_true(matches(list, FH_IOC_DOMAIN, "google.com"));
    assert_true(matches(list, FH_IOC_DOMAIN, "mail.google.com"));
    assert_true(matches(list, FH_IOC_DOMAIN, "storage.googleapis.com"));
    assert_true(matches(list, FH_IOC_DOMAIN, "fonts.gstatic.com"));
    assert_true(matches(list, FH_IOC_URL, "https://www.google.com/search?q=x"));
    assert_false(matches(list, FH_IOC_DOMAIN, "notgoogle.com"));
    assert_false(matches(list, FH_IOC_DOMAIN, "google.com.evil.example"));
    /* matching_attributes leaves hashes out. */
    assert_false(matches(list, FH_IOC_MD5, "d41d8cd98f00b204e9800998ecf8427e"));
    fh_warninglist_destroy(list);
}

static void warninglist_string_and_suffix(void **state)
{
    fh_warninglist *list =
        parse_list("{\"name\": \"List of known hashes for empty files\", \"description\": \"x\","
                   " \"type\": \"string\", \"list\": [\"D41D8CD98F00B204E9800998ECF8427E\","
                   " \"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\","
                   " \"3::\", \".google.ad\", \"192.0.2.1\"]}");
    assert_true(matches(list, FH_IOC_MD5, "d41d8cd98f00b204e9800998ecf8427e"));
    assert_true(matches(list, FH_IOC_SHA256,
                        "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"));
    assert_false(matches(list, FH_IOC_MD5, "0749bae92ca336a02c83d126e04ec628"));
    assert_true(matches(list, FH_IOC_DOMAIN, "www.google.ad"));
    assert_false(matches(list, FH_IOC_DOMAIN, "google.ad"));
    assert_true(matches(list, FH_IOC_IP_PORT, "192.0.2.1:80")); /* the address part */
    fh_warninglist_destroy(list);
}

static void warninglist_cidr(void **state)
{
    fh_warninglist *list = parse_list(
        "{\"name\": \"List of known Cloudflare IP ranges\", \"description\": \"x\","
        " \"type\": \"cidr\", \"list\": [\"104.16.0.0/13\", \"2606:4700::/32\", \"1.1.1.1\","
        " \"not-a-range\", \"10.0.0.0/99\"]}");
    assert_true(matches(list, FH_IOC_IPV4, "104.17.2.3"));
    assert_true(matches(list, FH_IOC_IP_PORT, "104.23.255.1:443"));
    assert_false(matches(list, FH_IOC_IPV4, "104.24.0.1"));
    assert_true(matches(list, FH_IOC_IPV6, "2606:4700::1111"));
    assert_true(matches(list, FH_IOC_IPV4, "1.1.1.1"));
    assert_true(matches(list, FH_IOC_CIDR, "104.16.0.0/16"));
    assert_false(matches(list, FH_IOC_CIDR, "104.0.0.0/8")); /* wider than the entry */
    assert_true(matches(list, FH_IOC_URL, "http://104.16.1.1/x"));
    assert_false(matches(list, FH_IOC_DOMAIN, "not-a-range.example"));
    fh_warninglist_destroy(list);
}

static void warninglist_substring_regex(void **state)
{
    fh_warninglist *sub = parse_list("{\"name\": \"URL shorteners\", \"description\": \"x\","
                                     " \"type\": \"substring\", \"list\": [\"bit.ly/\"]}");
    assert_true(matches(sub, FH_IOC_URL, "https://Bit.ly/3abc"));
    assert_false(matches(sub, FH_IOC_URL, "https://bitly.example/3abc"));
    fh_warninglist_destroy(sub);

    fh_warninglist *re = parse_list(
        "{\"name\": \"Security contacts\", \"description\": \"x\", \"type\": \"regex\","
        " \"list\": [\"/^https?:\\\\/\\\\/(www\\\\.)?example\\\\.(com|org)\\\\//i\", \"/(/\"]}");
    assert_int_equal(fh_warninglist_size(re), 1);
    assert_int_equal(fh_warninglist_unused(re), 1);
    assert_true(matches(re, FH_IOC_URL, "HTTP://WWW.example.org/a"));
    assert_false(matches(re, FH_IOC_URL, "http://example.net/a"));
    fh_warninglist_destroy(re);
}

static void warninglist_bad_documents(void **state)
{
    fh_warninglist *list = NULL;
    fh_error err;
    const char *cut = "{\"name\": \"x\",\n \"list\": [\"a\"";
    assert_int_equal(fh_warninglist_parse("cut.json", cut, strlen(cut), &list, &err), FH_ERR_PARSE);
    assert_string_equal(err.source, "cut.json");
    assert_int_equal(err.line, 2);

    const char *no_list = "{\"name\": \"x\", \"type\": \"string\"}";
    assert_int_equal(fh_warninglist_parse("x.json", no_list, strlen(no_list), &list, &err),
                     FH_ERR_INVALID);
    assert_non_null(strstr(err.message, "\"list\" array"));

    const char *odd = "{\"name\": \"x\", \"type\": \"glob\", \"list\": []}";
    assert_int_equal(fh_warninglist_parse("x.json", odd, strlen(odd), &list, &err),
                     FH_ERR_UNSUPPORTED);
    assert_null(list);
    fh_warninglist_destroy(NULL);
}

static void set_flag_ranges_then_lists(void **state)
{
    fh_warninglist *google = parse_list("{\"name\": \"List of known Google domains\","
                                        " \"description\": \"x\", \"type\": \"hostname\","
                                        " \"list\": [\"google.com\"]}");
    fh_ioc_set set;
    fh_ioc_set_init(&set);
    const char *values[] = {"80.76.49.194:56001", "192.168.10.5", "www.google.com",
                            "evil.example.net"};
    for (size_t i = 0; i < 4; i++) {
        fh_indicator ioc;
        fh_indicator_init(&ioc);
        assert_int_equal(fh_indicator_parse_any(values[i], strlen(values[i]), &ioc, NULL), FH_OK);
        assert_int_equal(fh_ioc_set_add(&set, &ioc, NULL), FH_OK);
    }
    size_t flagged = 0;
    fh_error err;
    assert_int_equal(fh_ioc_set_flag(&set, &google, 1, &flagged, &err), FH_OK);
    assert_int_equal(flagged, 2);
    assert_int_equal(set.count, 4); /* flagged, not dropped */
    assert_null(set.items[0].flag);
    assert_string_equal(set.items[1].flag, "private range 192.168.0.0/16 (RFC 1918)");
    assert_string_equal(set.items[2].flag, "warninglist: List of known Google domains");
    assert_null(set.items[3].flag);
    fh_ioc_set_clear(&set);
    fh_warninglist_destroy(google);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(flag_special_ranges),
        cmocka_unit_test(warninglist_hostname),
        cmocka_unit_test(warninglist_string_and_suffix),
        cmocka_unit_test(warninglist_cidr),
        cmocka_unit_test(warninglist_substring_regex),
        cmocka_unit_test(warninglist_bad_documents),
        cmocka_unit_test(set_flag_ranges_then_lists),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
