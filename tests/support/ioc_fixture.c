/* Test helpers for the indicator database: hand-written sets, temporary folders, exports. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "foxhound/datetime.h"
#include "ioc_fixture.h"

int64_t fixture_time(const char *text)
{
    if (text == NULL)
        return FH_TIME_UNKNOWN;
    int64_t ticks = 0;
    assert_int_equal(fh_datetime_parse(text, strlen(text), &ticks), FH_OK);
    return ticks;
}

static char *dup_or_null(const char *text)
{
    if (text == NULL)
        return NULL;
    char *copy = strdup(text);
    assert_non_null(copy);
    return copy;
}

/* Splits "a,b,c" into a malloc'd array of malloc'd strings. */
static char **split_list(const char *list, size_t *count)
{
    *count = 0;
    if (list == NULL)
        return NULL;
    char **names = calloc(strlen(list) + 1, sizeof *names);
    assert_non_null(names);
    const char *start = list;
    for (;;) {
        const char *comma = strchr(start, ',');
        size_t len = comma != NULL ? (size_t)(comma - start) : strlen(start);
        names[*count] = strndup(start, len);
        assert_non_null(names[*count]);
        (*count)++;
        if (comma == NULL)
            break;
        start = comma + 1;
    }
    return names;
}

void fixture_add(fh_ioc_set *set, const ioc_spec *spec)
{
    fh_indicator ioc;
    fh_indicator_init(&ioc);
    ioc.type = spec->type;
    ioc.value = dup_or_null(spec->value);
    ioc.address = dup_or_null(spec->address);
    ioc.port = spec->port;
    ioc.family = dup_or_null(spec->family);
    ioc.aliases = split_list(spec->aliases, &ioc.naliases);
    ioc.threat_type = dup_or_null(spec->threat_type);
    ioc.confidence = spec->confidence;
    ioc.first_seen = fixture_time(spec->first_seen);
    ioc.last_seen = fixture_time(spec->last_seen);
    ioc.tags = split_list(spec->tags, &ioc.ntags);
    ioc.source_feed = dup_or_null(spec->feed);
    ioc.source_id = dup_or_null(spec->feed_id);
    ioc.reference = dup_or_null(spec->reference);
    ioc.description = dup_or_null(spec->description);
    ioc.flag = dup_or_null(spec->flag);

    fh_error err;
    assert_int_equal(fh_ioc_set_add(set, &ioc, &err), FH_OK);
}

void fixture_rule_page_set(fh_ioc_set *set)
{
    static const char *const ports[] = {"56003", "56002", "56001"};
    static const char *const hashes[] = {
        "7e49b00bef718eb7e3645d8705e6521b011f66d10f06201e209a8a0511abc81a",
        "b50a05e38e9d04fd5c4dac4f29850649a77bb3ae443639206c908058e45593eb",
        "a05254840b45fcbfd12d09fd416ca860e2cfcab793f4780fa8f138b8f7a86aab",
    };
    for (int i = 0; i < 3; i++) {
        char value[64];
        snprintf(value, sizeof value, "80.76.49.194:%s", ports[i]);
        ioc_spec ip = {.type = FH_IOC_IP_PORT,
                       .value = value,
                       .address = "80.76.49.194",
                       .port = atoi(ports[i]),
                       .family = "PureRAT",
                       .threat_type = "botnet_cc",
                       .confidence = 75,
                       .first_seen = "2026-06-11",
                       .feed = "rulepage"};
        fixture_add(set, &ip);
    }
    for (int i = 0; i < 3; i++) {
        ioc_spec hash = {.type = FH_IOC_SHA256,
                         .value = hashes[i],
                         .family = "PureRAT",
                         .threat_type = "payload",
                         .confidence = 75,
                         .first_seen = "2026-06-11",
                         .feed = "rulepage"};
        fixture_add(set, &hash);
    }
}

char *fixture_temp_dir(void)
{
    const char *base = getenv("TMPDIR");
    char *dir =
        fixture_path(base != NULL && base[0] != '\0' ? base : "/tmp", "foxhound-test-XXXXXX");
    assert_non_null(mkdtemp(dir));
    return dir;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    return remove(path);
}

void fixture_remove_dir(char *dir)
{
    nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(dir);
}

char *fixture_path(const char *dir, const char *name)
{
    size_t len = strlen(dir) + strlen(name) + 2;
    char *path = malloc(len);
    assert_non_null(path);
    snprintf(path, len, "%s/%s", dir, name);
    return path;
}

fh_ioc_store *fixture_open_store(const char *dir, const char *name)
{
    char *path = fixture_path(dir, name);
    fh_ioc_store *store = NULL;
    fh_error err;
    fh_status st = fh_ioc_store_open(path, 0, &store, &err);
    if (st != FH_OK)
        fail_msg("opening %s: %s", path, err.message);
    free(path);
    return store;
}

fh_ioc_import_counts fixture_import(fh_ioc_store *store, const fh_ioc_set *set, int64_t now)
{
    fh_ioc_import_counts counts;
    fh_error err;
    fh_status st = fh_ioc_store_import(store, set, now, &counts, &err);
    if (st != FH_OK)
        fail_msg("import: %s", err.message);
    return counts;
}

char *fixture_export(fh_ioc_store *store, const fh_ioc_filter *filter, fh_ioc_export_format format)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    assert_non_null(out);
    uint64_t count = 0;
    fh_error err;
    fh_status st = fh_ioc_export(store, filter, format, out, "<memory>", &count, &err);
    fclose(out);
    if (st != FH_OK)
        fail_msg("export: %s", err.message);
    return text;
}

size_t fixture_query(fh_ioc_store *store, const fh_ioc_filter *filter, fh_ioc_set *set)
{
    fh_ioc_cursor *cursor = NULL;
    fh_error err;
    assert_int_equal(fh_ioc_store_query(store, filter, &cursor, &err), FH_OK);
    size_t count = 0;
    const fh_ioc_record *record = NULL;
    fh_status st;
    while ((st = fh_ioc_cursor_next(cursor, &record, &err)) == FH_OK) {
        fh_indicator copy;
        fh_indicator_init(&copy);
        assert_int_equal(fh_indicator_copy(&copy, &record->ioc, &err), FH_OK);
        assert_int_equal(fh_ioc_set_add(set, &copy, &err), FH_OK);
        count++;
    }
    if (st != FH_DONE)
        fail_msg("query: %s", err.message);
    fh_ioc_cursor_close(cursor);
    return count;
}

const fh_indicator *fixture_find(const fh_ioc_set *set, const char *value)
{
    for (size_t i = 0; i < set->count; i++)
        if (set->items[i].value != NULL && strcmp(set->items[i].value, value) == 0)
            return &set->items[i];
    return NULL;
}

int fixture_names_equal(char *const *names, size_t count, const char *expected)
{
    size_t n = 0;
    char **want = split_list(expected, &n);
    int equal = n == count;
    for (size_t i = 0; i < n; i++) {
        if (equal && strcmp(names[i], want[i]) != 0)
            equal = 0;
        free(want[i]);
    }
    free(want);
    if (!equal) {
        fprintf(stderr, "names differ: expected [%s], got [", expected ? expected : "");
        for (size_t i = 0; i < count; i++)
            fprintf(stderr, "%s%s", i ? "," : "", names[i]);
        fprintf(stderr, "]\n");
    }
    return equal;
}
