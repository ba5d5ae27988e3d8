/*
 * The bundled example hunt end to end: the rule page and domain feed over the example
 * firewall and Defender logs with the example exclusions. Every finding, every suppressed
 * row and every near miss is asserted, with and without the planner's shortcuts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fh_test.h"
#include "foxhound/datetime.h"
#include "foxhound/hunt.h"
#include "foxhound/ioc_import.h"

typedef struct expected {
    const char *time;
    const char *table;
    const char *host;
    const char *column;
    const char *indicator;
    bool port_match;
    bool before_first_seen;
    const char *suppressed_by;
} expected;

static const expected findings[] = {
    {"2026-06-15T11:02:36Z", "CommonSecurityLog", "fw01.corp.example", "RequestURL",
     "http://sync-update.example.net/gate.php", false, false, NULL},
    {"2026-06-15T10:31:27.912Z", "DeviceNetworkEvents", "ws-ops-11.corp.example", "RemoteUrl",
     "sync-update.example.net", false, false, NULL},
    {"2026-06-15T10:31:27Z", "CommonSecurityLog", "fw01.corp.example", "DestinationHostName",
     "sync-update.example.net", false, false, NULL},
    {"2026-06-13T22:47:19Z", "CommonSecurityLog", "fw01.corp.example", "SourceIP",
     "80.76.49.194:56002", true, false, NULL},
    {"2026-06-13T14:22:08Z", "DeviceFileEvents", "ws-ops-11.corp.example", "SHA256",
     "b50a05e38e9d04fd5c4dac4f29850649a77bb3ae443639206c908058e45593eb", false, false, NULL},
    {"2026-06-12T08:20:42.0031875Z", "DeviceNetworkEvents", "ws-fin-07.corp.example", "RemoteIP",
     "80.76.49.194:56001", false, false, NULL},
    {"2026-06-12T08:20:41Z", "CommonSecurityLog", "fw01.corp.example", "DestinationIP",
     "80.76.49.194:56001", false, false, NULL},
    {"2026-06-12T08:14:05.221441Z", "DeviceNetworkEvents", "ws-fin-07.corp.example", "RemoteIP",
     "80.76.49.194:56001", true, false, NULL},
    {"2026-06-12T08:14:03Z", "CommonSecurityLog", "fw01.corp.example", "DestinationIP",
     "80.76.49.194:56001", true, false, NULL},
    {"2026-06-12T08:13:51.441Z", "DeviceFileEvents", "ws-fin-07.corp.example", "SHA256",
     "7e49b00bef718eb7e3645d8705e6521b011f66d10f06201e209a8a0511abc81a", false, false, NULL},
    {"2026-06-02T17:40:12Z", "CommonSecurityLog", "fw01.corp.example", "DestinationIP",
     "80.76.49.194:56002", true, true, NULL},
};

static const expected suppressed[] = {
    {"2026-06-14T09:05:40Z", "DeviceFileEvents", "ws-adm-02.corp.example", "SHA256",
     "7e49b00bef718eb7e3645d8705e6521b011f66d10f06201e209a8a0511abc81a", false, false,
     "admin-powershell"},
    {"2026-06-14T09:02:17.777Z", "DeviceNetworkEvents", "ws-adm-02.corp.example", "RemoteIP",
     "80.76.49.194:56001", true, false, "admin-powershell"},
    {"2026-06-14T07:45:10.1Z", "DeviceNetworkEvents", "srv-log-01.corp.example", "RemoteIP",
     "80.76.49.194:56002", true, false, "log-collection"},
    {"2026-06-14T06:00:03.55Z", "DeviceNetworkEvents", "srv-log-01.corp.example", "RemoteIP",
     "80.76.49.194:56003", true, false, "network-monitoring-agents"},
    {"2026-06-14T06:00:02Z", "CommonSecurityLog", "fw01.corp.example", "DestinationIP",
     "80.76.49.194:56003", true, false, "network-monitoring-firewall"},
    {"2026-06-14T04:30:12Z", "DeviceFileEvents", "ws-adm-02.corp.example", "SHA256",
     "a05254840b45fcbfd12d09fd416ca860e2cfcab793f4780fa8f138b8f7a86aab", false, false,
     "patch-deployment"},
    {"2026-06-14T02:00:00Z", "DeviceFileEvents", "ws-fin-07.corp.example", "SHA256",
     "a05254840b45fcbfd12d09fd416ca860e2cfcab793f4780fa8f138b8f7a86aab", false, false,
     "scheduled-maintenance"},
};

typedef struct fixture {
    fh_ioc_set iocs;
    fh_exclusion_set exclusions;
} fixture;

static int load_fixture(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    fh_ioc_set_init(&fx->iocs);
    const char *feeds[] = {"examples/purerat-rule.md", "examples/threatfox-domains.csv"};
    fh_error err;
    for (size_t i = 0; i < 2; i++) {
        char *path = fh_test_source_path(feeds[i]);
        if (fh_ioc_import_file(path, FH_IOC_FORMAT_AUTO, &fx->iocs, NULL, &err) != FH_OK)
            fail_msg("%s: %s", path, err.message);
        free(path);
    }
    char *path = fh_test_source_path("examples/exclusions.yaml");
    if (fh_exclusions_load(path, &fx->exclusions, &err) != FH_OK)
        fail_msg("%s: %s", path, err.message);
    free(path);
    *state = fx;
    return 0;
}

static int free_fixture(void **state)
{
    fixture *fx = *state;
    fh_ioc_set_clear(&fx->iocs);
    fh_exclusions_free(&fx->exclusions);
    free(fx);
    return 0;
}

static void run_examples(fixture *fx, bool no_shortcuts, fh_hunt_result *res)
{
    fh_kql_options options = {.now_ticks = 0, .no_shortcuts = no_shortcuts};
    fh_kql_engine *engine = NULL;
    fh_error err;
    assert_int_equal(fh_kql_engine_create(&options, &engine, &err), FH_OK);
    const char *logs[] = {"examples/logs/firewall.cef", "examples/logs/defender-network.json",
                          "examples/logs/defender-file.json"};
    for (size_t i = 0; i < 3; i++) {
        char *path = fh_test_source_path(logs[i]);
        if (fh_kql_engine_add_file(engine, NULL, path, NULL, &err) != FH_OK)
            fail_msg("%s: %s", path, err.message);
        free(path);
    }
    if (fh_hunt_run(engine, &fx->iocs, &fx->exclusions, NULL, res, &err) != FH_OK)
        fail_msg("hunt failed: %s", err.message);
    fh_kql_engine_destroy(engine);
}

static void check_list(const fh_finding *got, size_t ngot, const expected *want, size_t nwant)
{
    assert_int_equal(ngot, nwant);
    for (size_t i = 0; i < nwant; i++) {
        char when[48];
        fh_datetime_format(got[i].time, when, sizeof when);
        assert_string_equal(when, want[i].time);
        assert_string_equal(got[i].table, want[i].table);
        assert_string_equal(got[i].host, want[i].host);
        assert_string_equal(got[i].matched_column, want[i].column);
        assert_string_equal(got[i].indicator->value, want[i].indicator);
        assert_int_equal(got[i].port_match, want[i].port_match);
        assert_int_equal(got[i].before_first_seen, want[i].before_first_seen);
        if (want[i].suppressed_by == NULL)
            assert_null(got[i].suppressed_by);
        else
            assert_string_equal(got[i].suppressed_by->name, want[i].suppressed_by);
    }
}

static void every_finding(void **state)
{
    fh_hunt_result res;
    run_examples(*state, false, &res);
    check_list(res.findings, res.nfindings, findings, sizeof findings / sizeof findings[0]);
    fh_hunt_result_free(&res);
}

static void every_suppression(void **state)
{
    fixture *fx = *state;
    fh_hunt_result res;
    run_examples(fx, false, &res);
    check_list(res.suppressed, res.nsuppressed, suppressed,
               sizeof suppressed / sizeof suppressed[0]);
    for (size_t i = 0; i < fx->exclusions.count; i++)
        assert_int_equal(res.suppressed_per_exclusion[i],
                         strcmp(fx->exclusions.items[i].name, "admin-powershell") == 0 ? 2 : 1);
    fh_hunt_result_free(&res);
}

static void near_misses_absent(void **state)
{
    fh_hunt_result res;
    run_examples(*state, false, &res);
    for (size_t i = 0; i < res.nfindings; i++) {
        const fh_finding *f = &res.findings[i];
        /* The neighbouring address, the look-alike domain and a hash prefix in SHA1. */
        assert_null(strstr(f->details, "80.76.49.195"));
        assert_null(strstr(f->details, "mysync-update.example.net"));
        assert_string_not_equal(f->matched_column, "SHA1");
        assert_null(strstr(f->details, "report.xlsx"));
    }
    fh_hunt_result_free(&res);
}

static void coverage_note_for_process_events(void **state)
{
    fh_hunt_result res;
    run_examples(*state, false, &res);
    assert_int_equal(res.nnotes, 1);
    assert_string_equal(res.notes[0].table, "DeviceProcessEvents");
    assert_int_equal(res.notes[0].kind, FH_COVERAGE_MISSING);
    fh_hunt_result_free(&res);
}

static void shortcuts_change_nothing(void **state)
{
    fh_hunt_result fast, slow;
    run_examples(*state, false, &fast);
    run_examples(*state, true, &slow);
    assert_int_equal(fast.nfindings, slow.nfindings);
    assert_int_equal(fast.nsuppressed, slow.nsuppressed);
    for (size_t i = 0; i < fast.nfindings; i++) {
        assert_int_equal(fast.findings[i].time, slow.findings[i].time);
        assert_string_equal(fast.findings[i].details, slow.findings[i].details);
    }
    fh_hunt_result_free(&fast);
    fh_hunt_result_free(&slow);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_finding),
        cmocka_unit_test(every_suppression),
        cmocka_unit_test(near_misses_absent),
        cmocka_unit_test(coverage_note_for_process_events),
        cmocka_unit_test(shortcuts_change_nothing),
    };
    return cmocka_run_group_tests(tests, load_fixture, free_fixture);
}
