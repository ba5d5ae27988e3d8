/* The indicator database: schema, import counts, merge rules, rollback, filters and stats. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fh_test.h"
#include "foxhound/ioc_import.h"
#include "foxhound/ioc_store.h"
#include "foxhound/limits.h"
#include "ioc_fixture.h"

#define IMPORT_TIME "2026-12-01T10:00:00Z"
#define LATER_TIME "2026-12-02T10:00:00Z"

typedef struct store_env {
    char *dir;
    fh_ioc_store *store;
} store_env;

static int env_setup(void **state)
{
    store_env *env = calloc(1, sizeof *env);
    env->dir = fixture_temp_dir();
    env->store = fixture_open_store(env->dir, "indicators.db");
    *state = env;
    return 0;
}

static int env_teardown(void **state)
{
    store_env *env = *state;
    fh_ioc_store_close(env->store);
    fixture_remove_dir(env->dir);
    free(env);
    return 0;
}

/* Reads one integer with plain SQLite, as another program would. */
static int64_t sql_int(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *stmt = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
    int64_t value = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return value;
}

static void store_schema_version(void **state)
{
    store_env *env = *state;
    const char *path = fh_ioc_store_path(env->store);
    assert_int_equal(sql_int(path, "PRAGMA user_version"), FH_IOC_STORE_SCHEMA_VERSION);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM sqlite_master WHERE type = 'index'"
                                   " AND name IN ('indicator_type_value', 'indicator_family',"
                                   " 'indicator_first_seen')"),
                     3);
}

static void store_import_rule_page(void **state)
{
    store_env *env = *state;
    fh_ioc_set set;
    fh_ioc_set_init(&set);
    fixture_rule_page_set(&set);

    fh_ioc_import_counts counts = fixture_import(env->store, &set, fixture_time(IMPORT_TIME));
    assert_int_equal(counts.accepted, 6);
    assert_int_equal(counts.merged, 0);
    assert_int_equal(counts.flagged, 0);
    assert_int_equal(counts.rejected, 0);

    fh_ioc_stats stats;
    fh_error err;
    assert_int_equal(fh_ioc_store_stats(env->store, NULL, &stats, &err), FH_OK);
    assert_int_equal(stats.total, 6);
    assert_int_equal(stats.by_type[FH_IOC_IP_PORT], 3);
    assert_int_equal(stats.by_type[FH_IOC_SHA256], 3);
    assert_int_equal(stats.nfamilies, 1);
    assert_string_equal(stats.families[0].family, "PureRAT");
    assert_int_equal(stats.families[0].total, 6);
    fh_ioc_stats_clear(&stats);
    fh_ioc_set_clear(&set);
}

static void store_import_idempotent(void **state)
{
    store_env *env = *state;
    fh_ioc_set set;
    fh_ioc_set_init(&set);
    fixture_rule_page_set(&set);

    fixture_import(env->store, &set, fixture_time(IMPORT_TIME));
    char *first = fixture_export(env->store, NULL, FH_IOC_EXPORT_JSON);
    fh_ioc_import_counts again = fixture_import(env->store, &set, fixture_time(LATER_TIME));
    char *second = fixture_export(env->store, NULL, FH_IOC_EXPORT_JSON);

    assert_int_equal(again.accepted, 0);
    assert_int_equal(again.merged, 6);
    /* Nothing changed, so even the modified times stay at the first import. */
    assert_string_equal(first, second);
    assert_non_null(strstr(second, "\"modified\":\"2026-12-01T10:00:00Z\""));
    assert_int_equal(sql_int(fh_ioc_store_path(env->store), "SELECT count(*) FROM indicator"), 6);
    free(first);
    free(second);
    fh_ioc_set_clear(&set);
}

static const char c2[] = "80.76.49.194:56003";

static void store_merge_rules(void **state)
{
    store_env *env = *state;
    fh_ioc_set first, second, third;
    fh_ioc_set_init(&first);
    fh_ioc_set_init(&second);
    fh_ioc_set_init(&third);
    ioc_spec a = {.type = FH_IOC_IP_PORT,
                  .value = c2,
                  .address = "80.76.49.194",
                  .port = 56003,
                  .family = "PureRAT",
                  .threat_type = "botnet_cc",
                  .confidence = 75,
                  .first_seen = "2026-06-11T08:00:00Z",
                  .last_seen = "2026-06-12T00:00:00Z",
                  .tags = "PureRAT,c2",
                  .feed = "threatfox",
                  .feed_id = "1600001",
                  .description = "first report"};
    ioc_spec b = {.type = FH_IOC_IP_PORT,
                  .value = c2,
                  .address = "80.76.49.194",
                  .port = 56003,
                  .family = "PureLogs",
                  .aliases = "PureCrypter,purerat",
                  .threat_type = "payload_delivery",
                  .confidence = 90,
                  .first_seen = "2026-06-01T00:00:00Z",
                  .last_seen = "2026-06-20T00:00:00Z",
                  .tags = "purerat,RAT",
                  .feed = "misp",
                  .feed_id = "5f0c",
                  .reference = "https://example.org/report",
                  .description = "second report",
                  .flag = "warninglist: test"};
    ioc_spec c = {.type = FH_IOC_IP_PORT,
                  .value = c2,
                  .address = "80.76.49.194",
                  .port = 56003,
                  .confidence = 50,
                  .first_seen = "2026-06-15T00:00:00Z",
                  .feed = "threatfox",
                  .feed_id = "1600001"};
    fixture_add(&first, &a);
    fixture_add(&second, &b);
    fixture_add(&third, &c);

    fixture_import(env->store, &first, fixture_time(IMPORT_TIME));
    fh_ioc_import_counts counts = fixture_import(env->store, &second, fixture_time(LATER_TIME));
    assert_int_equal(counts.merged, 1);
    assert_int_equal(counts.flagged, 1);
    counts = fixture_import(env->store, &third, fixture_time(LATER_TIME));
    /* The third copy has no flag, but the stored one keeps it. */
    assert_int_equal(counts.flagged, 1);

    fh_ioc_cursor *cursor = NULL;
    fh_error err;
    const fh_ioc_record *record = NULL;
    assert_int_equal(fh_ioc_store_query(env->store, NULL, &cursor, &err), FH_OK);
    assert_int_equal(fh_ioc_cursor_next(cursor, &record, &err), FH_OK);
    const fh_indicator *ioc = &record->ioc;
    assert_string_equal(ioc->value, c2);
    assert_string_equal(ioc->address, "80.76.49.194");
    assert_int_equal(ioc->port, 56003);
    assert_string_equal(ioc->family, "PureRAT");
    assert_true(fixture_names_equal(ioc->aliases, ioc->naliases, "PureCrypter,PureLogs"));
    assert_string_equal(ioc->threat_type, "botnet_cc");
    assert_int_equal(ioc->confidence, 90);
    assert_true(ioc->first_seen == fixture_time("2026-06-01T00:00:00Z"));
    assert_true(ioc->last_seen == fixture_time("2026-06-20T00:00:00Z"));
    assert_true(fixture_names_equal(ioc->tags, ioc->ntags, "c2,PureRAT,RAT"));
    assert_string_equal(ioc->reference, "https://example.org/report");
    assert_string_equal(ioc->flag, "warninglist: test");
    assert_string_equal(ioc->description, "first report");
    assert_int_equal(record->nsources, 2);
    assert_string_equal(record->sources[0].feed, "threatfox");
    assert_string_equal(record->sources[0].id, "1600001");
    assert_string_equal(record->sources[1].feed, "misp");
    assert_string_equal(ioc->source_feed, "threatfox");
    assert_true(record->created == fixture_time(IMPORT_TIME));
    assert_true(record->modified == fixture_time(LATER_TIME));
    assert_int_equal(fh_ioc_cursor_next(cursor, &record, &err), FH_DONE);
    fh_ioc_cursor_close(cursor);

    fh_ioc_set_clear(&first);
    fh_ioc_set_clear(&second);
    fh_ioc_set_clear(&third);
}

static void store_merge_within_set(void **state)
{
    store_env *env = *state;
    fh_ioc_set set;
    fh_ioc_set_init(&set);
    ioc_spec spec = {.type = FH_IOC_DOMAIN,
                     .value = "c2.example.net",
                     .family = "ClearFake",
                     .confidence = 100,
                     .feed = "threatfox",
                     .feed_id = "1"};
    fixture_add(&set, &spec);
    spec.feed_id = "2";
    fixture_add(&set, &spec);

    fh_ioc_import_counts counts = fixture_import(env->store, &set, fixture_time(IMPORT_TIME));
    assert_int_equal(counts.accepted, 1);
    assert_int_equal(counts.merged, 1);
    assert_int_equal(
        sql_int(fh_ioc_store_path(env->store), "SELECT count(*) FROM indicator_source"), 2);
    fh_ioc_set_clear(&set);
}

/* Returns the whole database content as JSON lines, to compare before and after a failure. */
static char *store_snapshot(fh_ioc_store *store)
{
    return fixture_export(store, NULL, FH_IOC_EXPORT_JSON);
}

static void store_rollback_on_constraint(void **state)
{
    store_env *env = *state;
    fh_ioc_set good, bad;
    fh_ioc_set_init(&good);
    fh_ioc_set_init(&bad);
    fixture_rule_page_set(&good);
    fixture_import(env->store, &good, fixture_time(IMPORT_TIME));
    char *before = store_snapshot(env->store);

    /* A new value, a merge that raises a confidence, then a value the CHECK rejects. */
    ioc_spec fresh = {.type = FH_IOC_DOMAIN, .value = "new.example.net", .confidence = 80};
    ioc_spec raise = {.type = FH_IOC_IP_PORT,
                      .value = c2,
                      .address = "80.76.49.194",
                      .port = 56003,
                      .confidence = 99,
                      .tags = "raised"};
    ioc_spec broken = {.type = FH_IOC_DOMAIN, .value = "broken.example.net", .confidence = 150};
    fixture_add(&bad, &fresh);
    fixture_add(&bad, &raise);
    fixture_add(&bad, &broken);

    fh_ioc_import_counts counts;
    fh_error err;
    fh_status st = fh_ioc_store_import(env->store, &bad, fixture_time(LATER_TIME), &counts, &err);
    assert_int_equal(st, FH_ERR_DB);
    assert_non_null(strstr(err.message, "broken.example.net"));
    assert_non_null(strstr(err.message, "CHECK constraint failed"));
    assert_non_null(strstr(err.message, "rolled back"));
    assert_int_equal(counts.accepted, 0);

    char *after = store_snapshot(env->store);
    assert_string_equal(before, after);
    assert_null(strstr(after, "new.example.net"));
    free(before);
    free(after);
    fh_ioc_set_clear(&good);
    fh_ioc_set_clear(&bad);
}

static void store_rollback_on_limit(void **state)
{
    store_env *env = *state;
    fh_ioc_set set;
    fh_ioc_set_init(&set);
    ioc_spec ok = {.type = FH_IOC_DOMAIN, .value = "ok.example.net", .confidence = 80};
    fixture_add(&set, &ok);
    char *long_url = malloc(FH_MAX_INDICATOR_BYTES + 64);
    strcpy(long_url, "http://long.example.net/");
    memset(long_url + 24, 'a', FH_MAX_INDICATOR_BYTES);
    long_url[FH_MAX_INDICATOR_BYTES + 24] = '\0';
    ioc_spec too_long = {.type = FH_IOC_URL, .value = long_url, .confidence = 80};
    fixture_add(&set, &too_long);

    fh_ioc_import_counts counts;
    fh_error err;
    fh_status st = fh_ioc_store_import(env->store, &set, fixture_time(IMPORT_TIME), &counts, &err);
    assert_int_equal(st, FH_ERR_LIMIT);
    assert_non_null(strstr(err.message, "indicator 2"));
    assert_int_equal(sql_int(fh_ioc_store_path(env->store), "SELECT count(*) FROM indicator"), 0);
    free(long_url);
    fh_ioc_set_clear(&set);
}

static void store_readonly_import_fails(void **state)
{
    store_env *env = *state;
    fh_ioc_set set;
    fh_ioc_set_init(&set);
    fixture_rule_page_set(&set);

    fh_ioc_store *readonly = NULL;
    fh_error err;
    assert_int_equal(
        fh_ioc_store_open(fh_ioc_store_path(env->store), FH_IOC_STORE_READONLY, &readonly, &err),
        FH_OK);
    fh_ioc_import_counts counts;
    fh_status st = fh_ioc_store_import(readonly, &set, fixture_time(IMPORT_TIME), &counts, &err);
    assert_int_equal(st, FH_ERR_DB);
    assert_non_null(strstr(err.message, "readonly"));
    fh_ioc_store_close(readonly);

    assert_int_equal(sql_int(fh_ioc_store_path(env->store), "SELECT count(*) FROM indicator"), 0);
    fh_ioc_set_clear(&set);
}

/* Indicators of several families, types, confidences, dates and flags for filter tests. */
static void import_mixed(fh_ioc_store *store)
{
    fh_ioc_set set;
    fh_ioc_set_init(&set);
    fixture_rule_page_set(&set);
    ioc_spec specs[] = {
        {.type = FH_IOC_DOMAIN,
         .value = "call4-back.veq4tralis.in.net",
         .family = "ClearFake",
         .confidence = 100,
         .first_seen = "2026-04-12 04:49:28"},
        {.type = FH_IOC_URL,
         .value = "https://sup.merahsm188.top/",
         .family = "Vidar",
         .aliases = "Vidar Stealer",
         .confidence = 50,
         .first_seen = "2026-07-24 13:50:06"},
        {.type = FH_IOC_IPV4,
         .value = "10.0.0.5",
         .family = "Vidar",
         .confidence = FH_CONFIDENCE_UNKNOWN,
         .flag = "private address range"},
    };
    for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++)
        fixture_add(&set, &specs[i]);
    fixture_import(store, &set, fixture_time(IMPORT_TIME));
    fh_ioc_set_clear(&set);
}

static size_t count_matching(fh_ioc_store *store, const fh_ioc_filter *filter)
{
    fh_ioc_set set;
    fh_ioc_set_init(&set);
    size_t count = fixture_query(store, filter, &set);
    fh_ioc_set_clear(&set);
    return count;
}

static void store_filter_type_and_family(void **state)
{
    store_env *env = *state;
    import_mixed(env->store);
    fh_ioc_filter filter;

    fh_ioc_filter_init(&filter);
    assert_int_equal(count_matching(env->store, &filter), 9);

    filter.types = 1u << FH_IOC_SHA256 | 1u << FH_IOC_DOMAIN;
    assert_int_equal(count_matching(env->store, &filter), 4);

    fh_ioc_filter_init(&filter);
    filter.family = "purerat";
    assert_int_equal(count_matching(env->store, &filter), 6);
    filter.family = "vidar stealer";
    assert_int_equal(count_matching(env->store, &filter), 1);
    filter.family = "VIDAR";
    assert_int_equal(count_matching(env->store, &filter), 2);
}

static void store_filter_confidence_since_flag(void **state)
{
    store_env *env = *state;
    import_mixed(env->store);
    fh_ioc_filter filter;

    fh_ioc_filter_init(&filter);
    filter.min_confidence = 75;
    assert_int_equal(count_matching(env->store, &filter), 7);
    filter.min_confidence = 76;
    assert_int_equal(count_matching(env->store, &filter), 1);

    fh_ioc_filter_init(&filter);
    filter.since = fixture_time("2026-06-11");
    assert_int_equal(count_matching(env->store, &filter), 7);

    fh_ioc_filter_init(&filter);
    filter.flag = FH_IOC_FLAG_ONLY;
    assert_int_equal(count_matching(env->store, &filter), 1);
    filter.flag = FH_IOC_FLAG_NONE;
    assert_int_equal(count_matching(env->store, &filter), 8);
}

static void store_stats_by_family(void **state)
{
    store_env *env = *state;
    import_mixed(env->store);
    fh_ioc_stats stats;
    fh_error err;
    assert_int_equal(fh_ioc_store_stats(env->store, NULL, &stats, &err), FH_OK);

    assert_int_equal(stats.total, 9);
    assert_int_equal(stats.flagged, 1);
    assert_int_equal(stats.nfamilies, 3);
    assert_string_equal(stats.families[0].family, "PureRAT");
    assert_int_equal(stats.families[0].by_type[FH_IOC_IP_PORT], 3);
    assert_string_equal(stats.families[1].family, "Vidar");
    assert_int_equal(stats.families[1].total, 2);
    assert_int_equal(stats.families[1].by_type[FH_IOC_URL], 1);
    assert_int_equal(stats.families[1].by_type[FH_IOC_IPV4], 1);
    assert_string_equal(stats.families[2].family, "ClearFake");
    fh_ioc_stats_clear(&stats);

    fh_ioc_filter filter;
    fh_ioc_filter_init(&filter);
    filter.flag = FH_IOC_FLAG_NONE;
    assert_int_equal(fh_ioc_store_stats(env->store, &filter, &stats, &err), FH_OK);
    assert_int_equal(stats.total, 8);
    assert_int_equal(stats.families[1].total, 1);
    fh_ioc_stats_clear(&stats);
}

static void store_load_into_set(void **state)
{
    store_env *env = *state;
    import_mixed(env->store);
    fh_ioc_filter filter;
    fh_ioc_filter_init(&filter);
    filter.family = "vidar";
    fh_ioc_set set;
    fh_ioc_set_init(&set);
    fh_error err;

    assert_int_equal(fh_ioc_store_load(env->store, &filter, &set, &err), FH_OK);
    assert_int_equal(set.count, 2);
    const fh_indicator *url = fixture_find(&set, "https://sup.merahsm188.top/");
    assert_non_null(url);
    assert_int_equal(url->type, FH_IOC_URL);
    assert_string_equal(url->family, "Vidar");
    assert_true(fixture_names_equal(url->aliases, url->naliases, "Vidar Stealer"));
    assert_int_equal(url->confidence, 50);
    const fh_indicator *ip = fixture_find(&set, "10.0.0.5");
    assert_non_null(ip);
    assert_string_equal(ip->flag, "private address range");
    fh_ioc_set_clear(&set);
}

static void store_rejects_foreign_db(void **state)
{
    store_env *env = *state;
    char *path = fixture_path(env->dir, "other.db");
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "CREATE TABLE notes (text TEXT)", NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);

    fh_ioc_store *store = NULL;
    fh_error err;
    assert_int_equal(fh_ioc_store_open(path, 0, &store, &err), FH_ERR_DB);
    assert_non_null(strstr(err.message, "not a foxhound indicator database"));
    assert_null(store);
    free(path);
}

static void store_rejects_newer_schema(void **state)
{
    store_env *env = *state;
    char *path = strdup(fh_ioc_store_path(env->store));
    fh_ioc_store_close(env->store);
    env->store = NULL;
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);

    fh_error err;
    assert_int_equal(fh_ioc_store_open(path, 0, &env->store, &err), FH_ERR_DB);
    assert_non_null(strstr(err.message, "schema version 99 is newer"));
    free(path);
}

static void store_missing_readonly(void **state)
{
    store_env *env = *state;
    char *path = fixture_path(env->dir, "absent.db");
    fh_ioc_store *store = NULL;
    fh_error err;
    assert_int_equal(fh_ioc_store_open(path, FH_IOC_STORE_READONLY, &store, &err),
                     FH_ERR_NOT_FOUND);
    assert_non_null(strstr(err.message, "foxhound ioc import"));
    free(path);
}

static void store_default_path(void **state)
{
    store_env *env = *state;
    char *path = NULL;
    bool is_default = false;
    fh_error err;

    unsetenv("FOXHOUND_DB");
    setenv("XDG_DATA_HOME", env->dir, 1);
    assert_int_equal(fh_ioc_store_default_path(&path, &is_default, &err), FH_OK);
    char *expected = fixture_path(env->dir, "foxhound/indicators.db");
    assert_string_equal(path, expected);
    assert_true(is_default);

    fh_ioc_store *store = NULL;
    assert_int_equal(fh_ioc_store_open(path, FH_IOC_STORE_MKDIRS, &store, &err), FH_OK);
    struct stat st;
    assert_int_equal(stat(expected, &st), 0);
    fh_ioc_store_close(store);
    free(path);

    setenv("XDG_DATA_HOME", "relative/ignored", 1);
    setenv("HOME", "/home/analyst", 1);
    assert_int_equal(fh_ioc_store_default_path(&path, &is_default, &err), FH_OK);
    assert_string_equal(path, "/home/analyst/.local/share/foxhound/indicators.db");
    free(path);

    setenv("FOXHOUND_DB", "/srv/intel/iocs.db", 1);
    assert_int_equal(fh_ioc_store_default_path(&path, &is_default, &err), FH_OK);
    assert_string_equal(path, "/srv/intel/iocs.db");
    assert_false(is_default);
    free(path);
    free(expected);
    unsetenv("FOXHOUND_DB");
}

#define ENV_TEST(name) cmocka_unit_test_setup_teardown(name, env_setup, env_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        ENV_TEST(store_schema_version),         ENV_TEST(store_import_rule_page),
        ENV_TEST(store_import_idempotent),      ENV_TEST(store_merge_rules),
        ENV_TEST(store_merge_within_set),       ENV_TEST(store_rollback_on_constraint),
        ENV_TEST(store_rollback_on_limit),      ENV_TEST(store_readonly_import_fails),
        ENV_TEST(store_filter_type_and_family), ENV_TEST(store_filter_confidence_since_flag),
        ENV_TEST(store_stats_by_family),        ENV_TEST(store_load_into_set),
        ENV_TEST(store_rejects_foreign_db),     ENV_TEST(store_rejects_newer_schema),
        ENV_TEST(store_missing_readonly),       ENV_TEST(store_default_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
