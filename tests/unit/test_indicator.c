/* Indicator normalisation, refanging, defanging, type names and the indicator set. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "foxhound/indicator.h"

typedef struct norm_case {
    fh_ioc_type type;
    const char *raw;
    const char *value;  /* expected canonical value, NULL when the value is rejected */
    const char *reason; /* expected part of the reject reason */
} norm_case;

static const norm_case cases[] = {
    /* IPv4 */
    {FH_IOC_IPV4, "80.76.49.194", "80.76.49.194", NULL},
    {FH_IOC_IPV4, " 80[.]76[.]49[.]194 ", "80.76.49.194", NULL},
    {FH_IOC_IPV4, "80(.)76{.}49[dot]194", "80.76.49.194", NULL},
    {FH_IOC_IPV4, "80\\.76\\.49\\.194", "80.76.49.194", NULL},
    {FH_IOC_IPV4, "010.1.1.1", NULL, "leading zero"},
    {FH_IOC_IPV4, "256.1.1.1", NULL, "over 255"},
    {FH_IOC_IPV4, "10.1", NULL, "four decimal octets"},
    {FH_IOC_IPV4, "1.2.3.4.5", NULL, "after the fourth octet"},
    /* IPv6 */
    {FH_IOC_IPV6, "2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1", NULL},
    {FH_IOC_IPV6, "2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1", NULL},
    {FH_IOC_IPV6, "2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1", NULL},
    {FH_IOC_IPV6, "fe80::1%eth0", "fe80::1", NULL},
    {FH_IOC_IPV6, "::ffff:198.51.100.7", "198.51.100.7", NULL},
    {FH_IOC_IPV6, "2001:db8::g", NULL, "not valid"},
    /* ip:port */
    {FH_IOC_IP_PORT, "80[.]76[.]49[.]194:56003", "80.76.49.194:56003", NULL},
    {FH_IOC_IP_PORT, "80.76.49.194[:]56001", "80.76.49.194:56001", NULL},
    {FH_IOC_IP_PORT, "[2606:4700:0::1111]:443", "[2606:4700::1111]:443", NULL},
    {FH_IOC_IP_PORT, "158.94.209.216", "158.94.209.216", NULL},
    {FH_IOC_IP_PORT, "1.2.3.4:0", NULL, "outside 1-65535"},
    {FH_IOC_IP_PORT, "1.2.3.4:65536", NULL, "outside 1-65535"},
    {FH_IOC_IP_PORT, "2001:db8::1:443", NULL, "[IPv6]:PORT"},
    /* CIDR */
    {FH_IOC_CIDR, "223.166.0.0/15", "223.166.0.0/15", NULL},
    {FH_IOC_CIDR, "2001:DB8::/32", "2001:db8::/32", NULL},
    {FH_IOC_CIDR, "198.51.100.7/24", NULL, "the network is 198.51.100.0/24"},
    {FH_IOC_CIDR, "10.0.0.0/33", NULL, "prefix length of 0-32"},
    /* hashes */
    {FH_IOC_SHA256, "7E49B00BEF718EB7E3645D8705E6521B011F66D10F06201E209A8A0511ABC81A",
     "7e49b00bef718eb7e3645d8705e6521b011f66d10f06201e209a8a0511abc81a", NULL},
    {FH_IOC_SHA256, "7e49b00bef718eb7e3645d8705e6521b011f66d10f06201e209a8a0511abc81", NULL,
     "sha256 has 63 hex digits, expected 64"},
    {FH_IOC_MD5, "d41d8cd98f00b204e9800998ecf8427e", "d41d8cd98f00b204e9800998ecf8427e", NULL},
    {FH_IOC_MD5, "d41d8cd98f00b204e9800998ecf8427g", NULL, "non-hex character 'g' at position 32"},
    {FH_IOC_SHA1, "18b3741afc2712dafb56505b1c1822372b35cc0b",
     "18b3741afc2712dafb56505b1c1822372b35cc0b", NULL},
    /* domains */
    {FH_IOC_DOMAIN, "Sup.MerahSM188.TOP.", "sup.merahsm188.top", NULL},
    {FH_IOC_DOMAIN, "evil[.]example[dot]com", "evil.example.com", NULL},
    {FH_IOC_DOMAIN, "evil dot example dot com", "evil.example.com", NULL},
    {FH_IOC_DOMAIN, "indiacode[.]nic[.]in[.]admin-mcas[.]ms", "indiacode.nic.in.admin-mcas.ms",
     NULL},
    {FH_IOC_DOMAIN, "localhost", NULL, "no dot"},
    {FH_IOC_DOMAIN, "bad..example.com", NULL, "empty label"},
    {FH_IOC_DOMAIN, "-bad.example.com", NULL, "starts or ends with '-'"},
    {FH_IOC_DOMAIN, "*.example.com", NULL, "wildcard"},
    {FH_IOC_DOMAIN, "exa mple.com", NULL, "not allowed in a host name"},
    /* URLs */
    {FH_IOC_URL, "hxxps://Evil[.]Example[.]com/Gate.PHP?Q=A,B",
     "https://evil.example.com/Gate.PHP?Q=A,B", NULL},
    {FH_IOC_URL, "hXXp[://]188[.]131[.]211[.]152/activity", "http://188.131.211.152/activity",
     NULL},
    {FH_IOC_URL, "fxp://files.example.org/a", "ftp://files.example.org/a", NULL},
    {FH_IOC_URL, "HTTP://[2001:DB8::1]:8080/x", "http://[2001:db8::1]:8080/x", NULL},
    {FH_IOC_URL, "http://user@Host.Example.com:81/p", "http://user@host.example.com:81/p", NULL},
    {FH_IOC_URL, "https://en.example.org/wiki/A_(b)", "https://en.example.org/wiki/A_(b)", NULL},
    {FH_IOC_URL, "evil.example.com/gate.php", NULL, "has no scheme"},
    {FH_IOC_URL, "http://evil.example.com/a b", NULL, "white space"},
    {FH_IOC_URL, "http://010.1.1.1/", NULL, "leading zero"},
    {FH_IOC_URL, "http://example.com:99999/", NULL, "outside 1-65535"},
    {FH_IOC_URL, "hxxq://example.com/", NULL, "still looks defanged"},
    {FH_IOC_URL, "http://a.example/gate\\\\.php", NULL, "still looks defanged"},
};

static void normalize_table(void **state)
{
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const norm_case *c = &cases[i];
        fh_indicator ioc;
        fh_indicator_init(&ioc);
        fh_error err;
        fh_error_clear(&err);
        fh_status st = fh_indicator_normalize(c->type, c->raw, strlen(c->raw), &ioc, &err);
        if (c->value != NULL) {
            if (st != FH_OK)
                fail_msg("case %zu '%s': %s", i, c->raw, err.message);
            assert_string_equal(ioc.value, c->value);
        } else {
            if (st != FH_ERR_INVALID)
                fail_msg("case %zu '%s' was accepted as '%s'", i, c->raw,
                         ioc.value != NULL ? ioc.value : "");
            if (strstr(err.message, c->reason) == NULL)
                fail_msg("case %zu '%s': reason '%s' lacks '%s'", i, c->raw, err.message,
                         c->reason);
            assert_null(ioc.value);
        }
        fh_indicator_clear(&ioc);
    }
}

static void normalize_ip_port_fields(void **state)
{
    fh_indicator ioc;
    fh_indicator_init(&ioc);
    assert_int_equal(fh_indicator_normalize(FH_IOC_IP_PORT, "[2001:db8::7]:8443", 18, &ioc, NULL),
                     FH_OK);
    assert_int_equal(ioc.type, FH_IOC_IP_PORT);
    assert_string_equal(ioc.address, "2001:db8::7");
    assert_int_equal(ioc.port, 8443);
    fh_indicator_clear(&ioc);

    /* An ip:port without a port is the address alone. */
    assert_int_equal(fh_indicator_normalize(FH_IOC_IP_PORT, "158.94.209.216", 14, &ioc, NULL),
                     FH_OK);
    assert_int_equal(ioc.type, FH_IOC_IPV4);
    assert_int_equal(ioc.port, 0);
    assert_null(ioc.address);
    fh_indicator_clear(&ioc);
}

static void normalize_cidr_fields(void **state)
{
    fh_indicator ioc;
    fh_indicator_init(&ioc);
    assert_int_equal(fh_indicator_normalize(FH_IOC_CIDR, "58.246.0.0/15", 13, &ioc, NULL), FH_OK);
    assert_int_equal(ioc.type, FH_IOC_CIDR);
    assert_string_equal(ioc.address, "58.246.0.0");
    assert_int_equal(ioc.prefix_bits, 15);
    fh_indicator_clear(&ioc);
}

typedef struct any_case {
    const char *raw;
    fh_ioc_type type;
    const char *value;
} any_case;

static void parse_any_types(void **state)
{
    static const any_case any[] = {
        {"80[.]76[.]49[.]194:56002", FH_IOC_IP_PORT, "80.76.49.194:56002"},
        {"80.76.49.194", FH_IOC_IPV4, "80.76.49.194"},
        {"2001:db8::7", FH_IOC_IPV6, "2001:db8::7"},
        {"[2001:db8::7]:53", FH_IOC_IP_PORT, "[2001:db8::7]:53"},
        {"192.0.2.0/24", FH_IOC_CIDR, "192.0.2.0/24"},
        {"evil[.]example", FH_IOC_DOMAIN, "evil.example"},
        {"hxxp://evil[.]example/a", FH_IOC_URL, "http://evil.example/a"},
        {"D41D8CD98F00B204E9800998ECF8427E", FH_IOC_MD5, "d41d8cd98f00b204e9800998ecf8427e"},
        {"18b3741afc2712dafb56505b1c1822372b35cc0b", FH_IOC_SHA1,
         "18b3741afc2712dafb56505b1c1822372b35cc0b"},
        {"a05254840b45fcbfd12d09fd416ca860e2cfcab793f4780fa8f138b8f7a86aab", FH_IOC_SHA256,
         "a05254840b45fcbfd12d09fd416ca860e2cfcab793f4780fa8f138b8f7a86aab"},
    };
    for (size_t i = 0; i < sizeof any / sizeof any[0]; i++) {
        fh_indicator ioc;
        fh_indicator_init(&ioc);
        fh_error err;
        if (fh_indicator_parse_any(any[i].raw, strlen(any[i].raw), &ioc, &err) != FH_OK)
            fail_msg("'%s': %s", any[i].raw, err.message);
        assert_int_equal(ioc.type, any[i].type);
        assert_string_equal(ioc.value, any[i].value);
        fh_indicator_clear(&ioc);
    }
}

static void parse_any_rejects(void **state)
{
    fh_indicator ioc;
    fh_indicator_init(&ioc);
    fh_error err;
    const char *bad_hash = "7e49b00bef718eb7e3645d8705e6521b011f66d10f06201e209a8a0511abc81";
    assert_int_equal(fh_indicator_parse_any(bad_hash, strlen(bad_hash), &ioc, &err),
                     FH_ERR_INVALID);
    assert_non_null(strstr(err.message, "63 hex digits"));

    assert_int_equal(fh_indicator_parse_any("010.0.0.1", 9, &ioc, &err), FH_ERR_INVALID);
    assert_non_null(strstr(err.message, "leading zero"));

    assert_int_equal(fh_indicator_parse_any("   ", 3, &ioc, &err), FH_ERR_INVALID);
    assert_non_null(strstr(err.message, "empty"));
    fh_indicator_clear(&ioc);
}

static void refang_length_contract(void **state)
{
    char buf[8];
    const char *raw = "hxxps://a[.]b";
    size_t need = fh_refang(raw, strlen(raw), buf, sizeof buf);
    assert_int_equal(need, strlen("https://a.b"));
    assert_string_equal(buf, "https:/"); /* truncated, still NUL-terminated */

    char big[32];
    assert_int_equal(fh_refang(raw, strlen(raw), big, sizeof big), need);
    assert_string_equal(big, "https://a.b");

    /* A scheme word is refanged only at the start of the value. */
    const char *path = "http://a.example/hxxp:x";
    fh_refang(path, strlen(path), big, sizeof big);
    assert_string_equal(big, "http://a.example/hxxp:x");
}

static void defang_display_forms(void **state)
{
    char buf[128];
    fh_defang("80.76.49.194:56003", FH_IOC_IP_PORT, buf, sizeof buf);
    assert_string_equal(buf, "80[.]76[.]49[.]194:56003");
    fh_defang("https://evil.example.com/a.php", FH_IOC_URL, buf, sizeof buf);
    assert_string_equal(buf, "hxxps://evil[.]example[.]com/a.php");
    fh_defang("evil.example.com", FH_IOC_DOMAIN, buf, sizeof buf);
    assert_string_equal(buf, "evil[.]example[.]com");
    const char *hash = "a05254840b45fcbfd12d09fd416ca860e2cfcab793f4780fa8f138b8f7a86aab";
    fh_defang(hash, FH_IOC_SHA256, buf, sizeof buf);
    assert_string_equal(buf, hash);

    /* Defanging then refanging gives the value back. */
    char back[128];
    fh_defang("http://80.76.49.194:8080/x.y", FH_IOC_URL, buf, sizeof buf);
    fh_refang(buf, strlen(buf), back, sizeof back);
    assert_string_equal(back, "http://80.76.49.194:8080/x.y");
}

static void type_names_round_trip(void **state)
{
    for (int t = 0; t < FH_IOC_TYPE_COUNT; t++) {
        const char *name = fh_ioc_type_name((fh_ioc_type)t);
        fh_ioc_type back;
        assert_int_equal(fh_ioc_type_from_name(name, strlen(name), &back), FH_OK);
        assert_int_equal(back, t);
    }
    fh_ioc_type type;
    assert_int_equal(fh_ioc_type_from_name("sha256_hash", 11, &type), FH_OK);
    assert_int_equal(type, FH_IOC_SHA256);
    assert_int_equal(fh_ioc_type_from_name("ip-dst|port", 11, &type), FH_OK);
    assert_int_equal(type, FH_IOC_IP_PORT);
    assert_int_equal(fh_ioc_type_from_name("email", 5, &type), FH_ERR_NOT_FOUND);
}

static void add_value(fh_ioc_set *set, fh_ioc_type type, const char *raw)
{
    fh_indicator ioc;
    fh_indicator_init(&ioc);
    assert_int_equal(fh_indicator_normalize(type, raw, strlen(raw), &ioc, NULL), FH_OK);
    assert_int_equal(fh_ioc_set_add(set, &ioc, NULL), FH_OK);
    assert_null(ioc.value); /* the set took the strings over */
}

static void set_find_and_counts(void **state)
{
    fh_ioc_set set;
    fh_ioc_set_init(&set);
    char value[32];
    for (int i = 0; i < 300; i++) {
        snprintf(value, sizeof value, "198.51.100.%d:%d", i % 256, 1000 + i);
        add_value(&set, FH_IOC_IP_PORT, value);
    }
    add_value(&set, FH_IOC_DOMAIN, "Evil.Example.com");
    assert_int_equal(set.count, 301);

    const fh_indicator *hit = fh_ioc_set_find(&set, FH_IOC_IP_PORT, "198.51.100.44:1044");
    assert_non_null(hit);
    assert_int_equal(hit->port, 1044);
    assert_non_null(fh_ioc_set_find(&set, FH_IOC_DOMAIN, "evil.example.com"));
    assert_null(fh_ioc_set_find(&set, FH_IOC_URL, "evil.example.com"));

    assert_int_equal(fh_ioc_set_skip(&set, "email"), FH_OK);
    assert_int_equal(fh_ioc_set_skip(&set, "email"), FH_OK);
    assert_int_equal(fh_ioc_set_skip(&set, "filename"), FH_OK);
    assert_int_equal(set.skipped_total, 3);
    assert_int_equal(fh_ioc_set_skip_count(&set, "email"), 2);
    assert_int_equal(set.nskips, 2);

    assert_int_equal(fh_ioc_set_reject(&set, "feed.txt", 7, "010.1.1.1", 9, "leading zero"), FH_OK);
    assert_int_equal(set.rejected_total, 1);
    assert_string_equal(set.rejects[0].source, "feed.txt");
    assert_int_equal(set.rejects[0].line, 7);
    fh_ioc_set_clear(&set);
    fh_ioc_set_clear(NULL);
}

static bool keep_odd_ports(const fh_indicator *ioc, void *ctx)
{
    (void)ctx;
    return ioc->type == FH_IOC_IP_PORT && ioc->port % 2 == 1;
}

static void set_retain_reindexes(void **state)
{
    fh_ioc_set set;
    fh_ioc_set_init(&set);
    char value[32];
    for (int i = 0; i < 200; i++) {
        snprintf(value, sizeof value, "198.51.100.%d:%d", i, 2000 + i);
        add_value(&set, FH_IOC_IP_PORT, value);
    }
    add_value(&set, FH_IOC_DOMAIN, "kept.example");

    assert_int_equal(fh_ioc_set_retain(&set, keep_odd_ports, NULL), 100);
    assert_int_equal(set.count, 100);
    assert_string_equal(set.items[0].value, "198.51.100.1:2001");
    assert_string_equal(set.items[99].value, "198.51.100.199:2199");

    /* Kept items are found at their new positions, dropped ones are not found. */
    const fh_indicator *hit = fh_ioc_set_find(&set, FH_IOC_IP_PORT, "198.51.100.7:2007");
    assert_ptr_equal(hit, &set.items[3]);
    assert_null(fh_ioc_set_find(&set, FH_IOC_IP_PORT, "198.51.100.6:2006"));
    assert_null(fh_ioc_set_find(&set, FH_IOC_DOMAIN, "kept.example"));
    fh_ioc_set_clear(&set);
}

static void copy_is_deep(void **state)
{
    fh_indicator src, dst;
    fh_indicator_init(&src);
    fh_indicator_init(&dst);
    assert_int_equal(fh_indicator_normalize(FH_IOC_DOMAIN, "a.example", 9, &src, NULL), FH_OK);
    src.family = strdup("PureRAT");
    src.tags = calloc(1, sizeof *src.tags);
    src.tags[0] = strdup("rat");
    src.ntags = 1;
    src.confidence = 75;
    assert_int_equal(fh_indicator_copy(&dst, &src, NULL), FH_OK);
    fh_indicator_clear(&src);
    assert_string_equal(dst.value, "a.example");
    assert_string_equal(dst.family, "PureRAT");
    assert_string_equal(dst.tags[0], "rat");
    assert_int_equal(dst.confidence, 75);
    fh_indicator_clear(&dst);
    fh_indicator_clear(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(normalize_table),       cmocka_unit_test(normalize_ip_port_fields),
        cmocka_unit_test(normalize_cidr_fields), cmocka_unit_test(parse_any_types),
        cmocka_unit_test(parse_any_rejects),     cmocka_unit_test(refang_length_contract),
        cmocka_unit_test(defang_display_forms),  cmocka_unit_test(type_names_round_trip),
        cmocka_unit_test(set_find_and_counts),   cmocka_unit_test(set_retain_reindexes),
        cmocka_unit_test(copy_is_deep),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
