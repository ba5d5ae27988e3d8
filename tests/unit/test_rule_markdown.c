/*
 * The markdown rule page: its facts, indicator table, queries, connectors and false-positive
 * scenarios for the PureRAT example, a byte-for-byte golden file, and the round trip through
 * the rule page importer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fh_test.h"
#include "foxhound/datetime.h"
#include "foxhound/ioc_import.h"
#include "rule_fixture.h"

typedef struct page {
    fh_ioc_set iocs;
    fh_exclusion_set exclusions;
    fh_rule_output out;
    const char *text;
} page;

static int page_setup(void **state, const char *input, bool exclusions)
{
    page *p = calloc(1, sizeof *p);
    assert_non_null(p);
    assert_true(rule_fixture_load(input, &p->iocs));
    if (exclusions)
        assert_true(rule_fixture_exclusions("examples/exclusions.yaml", &p->exclusions));
    assert_true(rule_fixture_generate(&p->iocs, FH_RULE_MARKDOWN,
                                      exclusions ? &p->exclusions : NULL, &p->out));
    assert_int_equal(p->out.nfiles, 1);
    p->text = p->out.files[0].text;
    *state = p;
    return 0;
}

static int purerat_setup(void **state)
{
    return page_setup(state, "examples/purerat-rule.md", true);
}

static int mixed_setup(void **state)
{
    return page_setup(state, "tests/data/rules/mixed-page.md", false);
}

static int page_teardown(void **state)
{
    page *p = *state;
    fh_rule_output_free(&p->out);
    fh_exclusions_free(&p->exclusions);
    fh_ioc_set_clear(&p->iocs);
    free(p);
    return 0;
}

static void has_line(const char *text, const char *line)
{
    const char *at = text;
    size_t n = strlen(line);
    while ((at = strstr(at, line)) != NULL) {
        bool starts = at == text || at[-1] == '\n';
        if (starts && (at[n] == '\n' || at[n] == '\0'))
            return;
        at += n;
    }
    fail_msg("page has no line '%s'", line);
}

static void markdown_purerat_facts(void **state)
{
    const page *p = *state;
    assert_string_equal(p->out.files[0].name, "PureRAT.md");
    assert_int_equal(p->out.rules, 4);
    has_line(p->text, "# ThreatFox: PureRAT IOCs");
    has_line(p->text, "## IOC Summary");
    has_line(p->text, "Malware Family: PureRAT Total IOCs: 6 IOC Types: ip:port, sha256_hash");
    assert_non_null(strstr(p->text, "It lists 6 indicators (ip:port, sha256_hash) first seen "
                                    "2026-06-11, with the threat types botnet_cc (3), "
                                    "payload (3) and a confidence of 75%."));
}

static void markdown_purerat_table(void **state)
{
    const page *p = *state;
    has_line(p->text, "| Type | Value | Threat Type | First Seen | Confidence |");
    has_line(p->text, "| ip:port | 80[.]76[.]49[.]194:56001 | botnet_cc | 2026-06-11 | 75% |");
    has_line(p->text, "| ip:port | 80[.]76[.]49[.]194:56003 | botnet_cc | 2026-06-11 | 75% |");
    has_line(p->text, "| sha256_hash | "
                      "b50a05e38e9d04fd5c4dac4f29850649a77bb3ae443639206c908058e45593eb | "
                      "payload | 2026-06-11 | 75% |");
    assert_null(strstr(p->text, "80.76.49.194:56001 |"));
}

/* Every query block is exactly what hunt generates for its table, exclusions included. */
static void markdown_purerat_queries(void **state)
{
    const page *p = *state;
    const char *tables[] = {"CommonSecurityLog", "DeviceNetworkEvents", "DeviceFileEvents",
                            "DeviceProcessEvents"};
    for (size_t i = 0; i < 4; i++) {
        char *kql = NULL;
        fh_error err;
        assert_int_equal(fh_hunt_generate_kql(&p->iocs, tables[i], &p->exclusions, FH_TIME_UNKNOWN,
                                              FH_TIME_UNKNOWN, &kql, &err),
                         FH_OK);
        char block[16384];
        snprintf(block, sizeof block, "### %s\n\n```kql\n%s```\n", tables[i], kql);
        assert_non_null(strstr(p->text, block));
        free(kql);
    }
}

static void markdown_purerat_connectors(void **state)
{
    const page *p = *state;
    has_line(p->text, "| Sentinel Table | Notes |");
    has_line(p->text, "| CommonSecurityLog | Needs the Common Event Format (CEF) via AMA data "
                      "connector, or a CEF syslog export. |");
    has_line(p->text, "| DeviceFileEvents | Needs the Microsoft Defender XDR data connector, or "
                      "a Defender export of DeviceFileEvents. |");
}

static void markdown_purerat_scenarios(void **state)
{
    const page *p = *state;
    has_line(p->text, "**Scenario:** network-monitoring-firewall");
    has_line(p->text, "**Description:** The monitoring server netmon01 probes blocked "
                      "destinations through the firewall.");
    has_line(p->text, "**Filter/Exclusion:** rows of CommonSecurityLog where this predicate "
                      "holds are left out by the queries above:");
    has_line(p->text, "SourceHostName =~ \"netmon01.corp.example\" or SourceIP == \"10.20.0.15\"");
    const char *first = strstr(p->text, "**Scenario:** scheduled-maintenance");
    const char *last = strstr(p->text, "**Scenario:** network-monitoring-firewall");
    assert_non_null(first);
    assert_true(first < last);
}

static void markdown_purerat_golden(void **state)
{
    const page *p = *state;
    assert_true(rule_fixture_golden("tests/data/rules/purerat.md", p->text, p->out.files[0].len));
}

static void markdown_mixed_golden(void **state)
{
    const page *p = *state;
    has_line(p->text, "# ThreatFox: TestLoader IOCs");
    has_line(p->text, "| url | hxxps://cdn[.]example[.]org/a/b.bin | payload_delivery | "
                      "2026-05-06 | 60% |");
    has_line(p->text, "| cidr | 192[.]0[.]2[.]0/24 | botnet_cc |  |  |");
    has_line(p->text, "No exclusions were given, so the queries suppress nothing. Name known "
                      "benign sources in an exclusions file and pass it with --exclusions.");
    assert_true(rule_fixture_golden("tests/data/rules/mixed.md", p->text, p->out.files[0].len));
}

/* Reading the page back gives the same indicators with the same facts. */
static void markdown_round_trip(void **state)
{
    const page *p = *state;
    fh_ioc_set back;
    fh_ioc_set_init(&back);
    fh_error err;
    assert_int_equal(fh_ioc_import_memory("page.md", p->text, strlen(p->text), FH_IOC_FORMAT_AUTO,
                                          &back, NULL, &err),
                     FH_OK);
    assert_int_equal(back.count, p->iocs.count);
    assert_int_equal(back.rejected_total, 0);
    for (size_t i = 0; i < p->iocs.count; i++) {
        const fh_indicator *want = &p->iocs.items[i];
        const fh_indicator *got = fh_ioc_set_find(&back, want->type, want->value);
        if (got == NULL)
            fail_msg("%s %s did not come back", fh_ioc_type_name(want->type), want->value);
        assert_string_equal(got->family, want->family);
        assert_int_equal(got->confidence, want->confidence);
        assert_true(got->first_seen == want->first_seen);
        if (want->threat_type != NULL)
            assert_string_equal(got->threat_type, want->threat_type);
    }
    fh_ioc_set_clear(&back);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(markdown_purerat_facts, purerat_setup, page_teardown),
        cmocka_unit_test_setup_teardown(markdown_purerat_table, purerat_setup, page_teardown),
        cmocka_unit_test_setup_teardown(markdown_purerat_queries, purerat_setup, page_teardown),
        cmocka_unit_test_setup_teardown(markdown_purerat_connectors, purerat_setup, page_teardown),
        cmocka_unit_test_setup_teardown(markdown_purerat_scenarios, purerat_setup, page_teardown),
        cmocka_unit_test_setup_teardown(markdown_purerat_golden, purerat_setup, page_teardown),
        cmocka_unit_test_setup_teardown(markdown_round_trip, purerat_setup, page_teardown),
        cmocka_unit_test_setup_teardown(markdown_mixed_golden, mixed_setup, page_teardown),
        cmocka_unit_test_setup_teardown(markdown_round_trip, mixed_setup, page_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
