/*
 * Suricata rules: every rule follows the rule grammar (header, then parenthesised options
 * "key:value;" or "key;", msg quoted with its quotes and semicolons escaped), SIDs are unique,
 * stable and from the SID base, and domain lists over the threshold become a base64 dataset.
 */
#include <regex.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fh_test.h"
#include "foxhound/limits.h"
#include "rule_fixture.h"

typedef struct parsed_rule {
    char header[256];
    char msg[1024];
    unsigned long sid;
    int rev;
    size_t options;
} parsed_rule;

/* Reads a quoted option value starting after the opening quote; *at ends after the quote. */
static void read_quoted(const char **at, char *out, size_t size)
{
    size_t n = 0;
    const char *c = *at;
    while (*c != '"') {
        assert_true(*c != '\0' && *c != ';');
        if (*c == '\\') {
            c++;
            assert_non_null(strchr("\";\\", *c));
        }
        if (n + 1 < size)
            out[n++] = *c;
        c++;
    }
    out[n] = '\0';
    *at = c + 1;
}

/* Parses one rule line per the Suricata rule grammar; fails the test on a violation. */
static void parse_rule(const char *line, parsed_rule *rule)
{
    memset(rule, 0, sizeof *rule);
    regex_t header;
    assert_int_equal(regcomp(&header, "^alert (tcp|ip|dns|tls|http) [^ ]+ [^ ]+ -> [^ ]+ [^ ]+ \\(",
                             REG_EXTENDED),
                     0);
    regmatch_t m;
    if (regexec(&header, line, 1, &m, 0) != 0)
        fail_msg("rule header does not parse: %s", line);
    regfree(&header);
    snprintf(rule->header, sizeof rule->header, "%.*s", (int)m.rm_eo - 2, line);

    const char *at = line + m.rm_eo;
    while (*at != ')') {
        size_t key_len = strspn(at, "abcdefghijklmnopqrstuvwxyz0123456789._-");
        if (key_len == 0)
            fail_msg("option key expected at '%s'", at);
        char key[64];
        snprintf(key, sizeof key, "%.*s", (int)key_len, at);
        at += key_len;
        if (*at == ':') {
            at++;
            if (*at == '"') {
                at++;
                char value[1024];
                read_quoted(&at, value, sizeof value);
                if (strcmp(key, "msg") == 0)
                    snprintf(rule->msg, sizeof rule->msg, "%s", value);
            } else {
                const char *end = strchr(at, ';');
                assert_non_null(end);
                if (strcmp(key, "sid") == 0)
                    rule->sid = strtoul(at, NULL, 10);
                if (strcmp(key, "rev") == 0)
                    rule->rev = atoi(at);
                at = end;
            }
        }
        if (*at != ';')
            fail_msg("option %s does not end with ';': %s", key, line);
        at++;
        rule->options++;
        if (*at == ' ')
            at++;
    }
    assert_string_equal(at, ")");
}

/* Parses every rule in a rules file; returns the count and checks SIDs are unique. */
static size_t parse_rules(const char *text, parsed_rule **rules, unsigned long sid_base)
{
    size_t n = 0;
    *rules = NULL;
    for (const char *line = text; *line != '\0'; line = strchr(line, '\n') + 1) {
        char copy[8192];
        snprintf(copy, sizeof copy, "%.*s", (int)strcspn(line, "\n"), line);
        if (copy[0] == '#' || copy[0] == '\0')
            continue;
        *rules = realloc(*rules, (n + 1) * sizeof **rules);
        parse_rule(copy, &(*rules)[n]);
        assert_in_range((*rules)[n].sid, sid_base, sid_base + FH_RULE_SID_SPAN - 1);
        assert_int_equal((*rules)[n].rev, 1);
        for (size_t k = 0; k < n; k++) {
            if ((*rules)[k].sid == (*rules)[n].sid)
                fail_msg("SID %lu is used twice", (*rules)[n].sid);
        }
        n++;
    }
    return n;
}

static const parsed_rule *find_msg(const parsed_rule *rules, size_t n, const char *msg)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(rules[i].msg, msg) == 0)
            return &rules[i];
    fail_msg("no rule with msg '%s'", msg);
    return NULL;
}

static void suricata_mixed_grammar(void **state)
{
    (void)state;
    fh_ioc_set set;
    fh_rule_output out;
    assert_true(rule_fixture_load("tests/data/rules/mixed-page.md", &set));
    assert_true(rule_fixture_generate(&set, FH_RULE_SURICATA, NULL, &out));
    assert_int_equal(out.ndocuments, 1);
    assert_int_equal(out.nfiles, 4);
    assert_string_equal(out.files[0].name, "TestLoader.rules");
    assert_true(
        rule_fixture_golden("tests/data/rules/mixed.rules", out.files[0].text, out.files[0].len));

    parsed_rule *rules;
    size_t n = parse_rules(out.files[0].text, &rules, FH_RULE_SID_BASE_DEFAULT);
    /* 2 ip:port, 1 address, 1 range, 3 per domain, 1 http:// URL and 3 hash lists. */
    assert_int_equal(n, 2 + 1 + 1 + 6 + 1 + 3);
    assert_int_equal(out.rules, n);
    assert_string_equal(
        find_msg(rules, n, "ThreatFox: TestLoader IOCs ip:port 203.0.113.50:8443")->header,
        "alert tcp any any -> 203.0.113.50 8443");
    assert_string_equal(
        find_msg(rules, n, "ThreatFox: TestLoader IOCs ip:port [2001:db8::50]:443")->header,
        "alert tcp any any -> [2001:db8::50] 443");
    assert_non_null(strstr(out.files[0].text,
                           "tls.sni; dotprefix; content:\".c2.example.net\"; nocase; endswith;"));
    assert_non_null(strstr(out.files[0].text, "http.host; content:\"c2.example.net\"; startswith; "
                                              "endswith; http.uri; content:\"/gate.php?id=1\"; "
                                              "startswith;"));
    assert_int_equal(out.left_out, 1);
    assert_non_null(strstr(out.left_out_reason, "https://"));

    const fh_rule_file *list = rule_fixture_file(&out, "TestLoader-sha256.txt");
    assert_non_null(list);
    assert_string_equal(list->text,
                        "9a3f5e7c1b2d4f6a8c0e2b4d6f8a0c2e4b6d8f0a2c4e6b8d0f2a4c6e8b0d2f4a\n");
    assert_non_null(strstr(out.files[0].text, " filesha256:TestLoader-sha256.txt;"));
    free(rules);
    fh_rule_output_free(&out);
    fh_ioc_set_clear(&set);
}

/* A SID depends on the rule's kind and value, not on the other indicators. */
static void suricata_sids_stable(void **state)
{
    (void)state;
    fh_ioc_set set, one;
    assert_true(rule_fixture_load("tests/data/rules/mixed-page.md", &set));
    fh_ioc_set_init(&one);
    fh_hunt_filter only_ports = {.first_seen_since = FH_TIME_UNKNOWN,
                                 .types = 1u << FH_IOC_IP_PORT};
    fh_error err;
    assert_int_equal(fh_rule_select(&set, &only_ports, &one, &err), FH_OK);
    assert_int_equal(one.count, 2);

    fh_rule_output all, ports;
    assert_true(rule_fixture_generate(&set, FH_RULE_SURICATA, NULL, &all));
    assert_true(rule_fixture_generate(&one, FH_RULE_SURICATA, NULL, &ports));
    parsed_rule *a, *b;
    size_t na = parse_rules(all.files[0].text, &a, FH_RULE_SID_BASE_DEFAULT);
    size_t nb = parse_rules(ports.files[0].text, &b, FH_RULE_SID_BASE_DEFAULT);
    assert_int_equal(nb, 2);
    for (size_t i = 0; i < nb; i++)
        assert_int_equal(find_msg(a, na, b[i].msg)->sid, b[i].sid);

    fh_rule_options options;
    fh_rule_options_init(&options);
    options.sid_base = 1000000;
    fh_rule_output based;
    assert_int_equal(fh_rule_generate(&one, FH_RULE_SURICATA, &options, &based, &err), FH_OK);
    parsed_rule *c;
    assert_int_equal(parse_rules(based.files[0].text, &c, 1000000), 2);
    assert_int_equal(c[0].sid - 1000000, b[0].sid - FH_RULE_SID_BASE_DEFAULT);

    free(a);
    free(b);
    free(c);
    fh_rule_output_free(&all);
    fh_rule_output_free(&ports);
    fh_rule_output_free(&based);
    fh_ioc_set_clear(&one);
    fh_ioc_set_clear(&set);
}

static void suricata_domain_dataset(void **state)
{
    (void)state;
    fh_ioc_set set;
    assert_true(rule_fixture_load("tests/data/rules/mixed-page.md", &set));
    fh_rule_options options;
    fh_rule_options_init(&options);
    options.dataset_threshold = 1;
    fh_rule_output out;
    fh_error err;
    assert_int_equal(fh_rule_generate(&set, FH_RULE_SURICATA, &options, &out, &err), FH_OK);

    const fh_rule_file *dataset = rule_fixture_file(&out, "TestLoader-domains.lst");
    assert_non_null(dataset);
    /* base64 of "c2.example.net" and "update-check.example.org" */
    assert_string_equal(dataset->text, "YzIuZXhhbXBsZS5uZXQ=\ndXBkYXRlLWNoZWNrLmV4YW1wbGUub3Jn\n");
    assert_non_null(strstr(out.files[0].text,
                           "dns.query; to_lowercase; dataset:isset,TestLoader-domains,type "
                           "string,load TestLoader-domains.lst;"));
    assert_null(strstr(out.files[0].text, "dotprefix"));
    parsed_rule *rules;
    size_t n = parse_rules(out.files[0].text, &rules, FH_RULE_SID_BASE_DEFAULT);
    assert_int_equal(n, 2 + 1 + 1 + 2 + 1 + 3);
    free(rules);
    fh_rule_output_free(&out);
    fh_ioc_set_clear(&set);
}

/* A family with quotes and semicolons stays inside msg, escaped. */
static void suricata_msg_escaped(void **state)
{
    (void)state;
    fh_ioc_set set;
    assert_true(rule_fixture_load("examples/purerat-rule.md", &set));
    fh_rule_options options;
    fh_rule_options_init(&options);
    options.family = "Pure\"RAT; v2\\x";
    fh_rule_output out;
    fh_error err;
    assert_int_equal(fh_rule_generate(&set, FH_RULE_SURICATA, &options, &out, &err), FH_OK);
    assert_non_null(strstr(out.files[0].text, "msg:\"ThreatFox: Pure\\\"RAT\\; v2\\\\x IOCs "
                                              "ip:port 80.76.49.194:56001\";"));
    parsed_rule *rules;
    size_t n = parse_rules(out.files[0].text, &rules, FH_RULE_SID_BASE_DEFAULT);
    assert_int_equal(n, 4);
    assert_string_equal(rules[0].msg,
                        "ThreatFox: Pure\"RAT; v2\\x IOCs ip:port 80.76.49.194:56001");
    free(rules);
    fh_rule_output_free(&out);
    fh_ioc_set_clear(&set);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(suricata_mixed_grammar),
        cmocka_unit_test(suricata_sids_stable),
        cmocka_unit_test(suricata_domain_dataset),
        cmocka_unit_test(suricata_msg_escaped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
