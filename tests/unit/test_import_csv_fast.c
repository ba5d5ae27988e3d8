/*
 * ThreatFox CSV rows that exercise the importer's fast paths. The "YYYY-MM-DD HH:MM:SS" time
 * shape is checked against fh_datetime_parse on boundary dates. Other rows cover quoted fields
 * with commas and doubled quotes, bad dates with their reject reasons, and tag lists over the
 * cap. Each
 * document is imported from memory and, where the streamed file path differs, from a file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "foxhound/datetime.h"
#include "foxhound/ioc_import.h"
#include "foxhound/limits.h"

#define HEADER                                                                                     \
    "# \"first_seen_utc\",\"ioc_id\",\"ioc_value\",\"ioc_type\",\"threat_type\",\"fk_malware\","   \
    "\"malware_alias\",\"malware_printable\",\"last_seen_utc\",\"confidence_level\","              \
    "\"is_compromised\",\"reference\",\"tags\",\"anonymous\",\"reporter\"\n"

/* Times in the export's shape: valid boundaries, then dates and times out of range. */
static const char *const boundary_times[] = {
    "0001-01-01 00:00:00", "1899-12-31 23:59:59", "1900-02-28 23:59:59", "1969-12-31 23:59:59",
    "1970-01-01 00:00:00", "1970-01-01 00:00:01", "2000-02-29 12:00:00", "2024-02-29 00:00:00",
    "2026-03-01 00:00:00", "2026-12-31 23:59:59", "9999-12-31 23:59:59", "2023-02-29 00:00:00",
    "1900-02-29 00:00:00", "2026-13-01 00:00:00", "2026-00-10 00:00:00", "2026-04-31 10:00:00",
    "2026-01-00 10:00:00", "2026-01-01 24:00:00", "2026-01-01 23:60:00", "2026-01-01 23:59:60",
    "0000-01-01 00:00:00", "2026-01-01 2:00:00 ", "2026-1-01 02:00:00",  "2026-01-01T02:00:00",
    "2026-01-01 02:00:0x", " 2026-01-01 02:00:00"};

#define NTIMES (sizeof boundary_times / sizeof boundary_times[0])

static char *times_document(void)
{
    size_t cap = sizeof HEADER + NTIMES * 256;
    char *doc = malloc(cap);
    assert_non_null(doc);
    size_t used = (size_t)snprintf(doc, cap, "%s", HEADER);
    for (size_t i = 0; i < NTIMES; i++)
        used += (size_t)snprintf(doc + used, cap - used,
                                 "\"%s\", \"%zu\", \"t%zu.example\", \"domain\", \"botnet_cc\", "
                                 "\"win.x\", \"None\", \"X\", \"\", \"50\", \"False\", "
                                 "\"None\", \"None\", \"0\", \"someone\"\n",
                                 boundary_times[i], i, i);
    return doc;
}

static const fh_indicator *find_value(const fh_ioc_set *set, const char *value)
{
    for (size_t i = 0; i < set->count; i++)
        if (strcmp(set->items[i].value, value) == 0)
            return &set->items[i];
    return NULL;
}

static const fh_ioc_reject *find_reject_line(const fh_ioc_set *set, unsigned long line)
{
    for (size_t i = 0; i < set->nrejects; i++)
        if (set->rejects[i].line == line)
            return &set->rejects[i];
    return NULL;
}

static void csv_fast_times_match_parser(void **state)
{
    (void)state;
    char *doc = times_document();
    fh_ioc_set set;
    fh_ioc_set_init(&set);
    fh_error err;
    assert_int_equal(fh_ioc_import_memory("times.csv", doc, strlen(doc),
                                          FH_IOC_FORMAT_THREATFOX_CSV, &set, NULL, &err),
                     FH_OK);

    size_t valid = 0;
    for (size_t i = 0; i < NTIMES; i++) {
        const char *text = boundary_times[i];
        char value[32];
        snprintf(value, sizeof value, "t%zu.example", i);
        int64_t expected = 0;
        bool parses = fh_datetime_parse(text, strlen(text), &expected) == FH_OK;
        const fh_indicator *ioc = find_value(&set, value);
        if (parses) {
            valid++;
            assert_non_null(ioc);
            assert_true(ioc->first_seen == expected);
            continue;
        }
        assert_null(ioc);
        const fh_ioc_reject *r = find_reject_line(&set, 2 + i); /* line 1 is the header */
        assert_non_null(r);
        char reason[128];
        snprintf(reason, sizeof reason, "row: first seen time '%s' is not a date and time", text);
        assert_string_equal(r->reason, reason);
    }
    assert_int_equal(set.count, valid);
    assert_int_equal(set.rejected_total, NTIMES - valid);
    /* The table contains both kinds, so both branches above ran. */
    assert_true(valid >= 11);
    assert_true(NTIMES - valid >= 10);
    fh_ioc_set_clear(&set);
    free(doc);
}

static void csv_fast_epoch_boundaries(void **state)
{
    (void)state;
    const char *text = HEADER "\"1970-01-01 00:00:00\", \"1\", \"a.example\", \"domain\", "
                              "\"botnet_cc\", \"win.x\", \"None\", \"X\", \"2000-03-01 "
                              "00:00:00\", \"50\", \"False\", \"None\", \"None\", \"0\", \"r\"\n";
    fh_ioc_set set;
    fh_ioc_set_init(&set);
    fh_error err;
    assert_int_equal(fh_ioc_import_memory("epoch.csv", text, strlen(text),
                                          FH_IOC_FORMAT_THREATFOX_CSV, &set, NULL, &err),
                     FH_OK);
    assert_int_equal(set.count, 1);
    assert_true(set.items[0].first_seen == 0);
    /* 11017 days from 1970-01-01 to 2000-03-01. */
    assert_true(set.items[0].last_seen == 11017LL * 86400 * 10000000);
    fh_ioc_set_clear(&set);
}

static const char quoted_doc[] =
    HEADER "\"2026-06-11 08:00:00\", \"77\", \"http://q.example/a,b?c=\"\"d\"\"\", \"url\", "
           "\"payload_delivery\", \"win.q\", \"Alpha, \"\"Beta\"\",Gamma\", \"Q \"\"Rat\"\"\", "
           "\"2026-06-12 09:30:15\", \"80\", \"True\", \"https://r.example/x,y \"\"z\"\"\", "
           "\"one, \"\"two\"\" ,three,one\", \"0\", bare\"\"name\n";

/* Asserts the values a reader of quoted_doc expects in set. */
static void assert_quoted_set(const fh_ioc_set *set)
{
    assert_int_equal(set->count, 1);
    assert_int_equal(set->rejected_total, 0);
    const fh_indicator *url = &set->items[0];
    assert_string_equal(url->value, "http://q.example/a,b?c=\"d\"");
    assert_string_equal(url->source_id, "77");
    assert_string_equal(url->family, "Q \"Rat\"");
    assert_int_equal(url->naliases, 4);
    assert_string_equal(url->aliases[0], "win.q");
    assert_string_equal(url->aliases[1], "Alpha");
    assert_string_equal(url->aliases[2], "\"Beta\"");
    assert_string_equal(url->aliases[3], "Gamma");
    assert_string_equal(url->reference, "https://r.example/x,y \"z\"");
    /* "one" repeats and is kept once. "compromised" comes from is_compromised True. */
    assert_int_equal(url->ntags, 4);
    assert_string_equal(url->tags[0], "one");
    assert_string_equal(url->tags[1], "\"two\"");
    assert_string_equal(url->tags[2], "three");
    assert_string_equal(url->tags[3], "compromised");
    assert_string_equal(url->reporter, "bare\"name");
    assert_int_equal(url->confidence, 80);
    int64_t last = 0;
    assert_int_equal(fh_datetime_parse("2026-06-12T09:30:15Z", 20, &last), FH_OK);
    assert_true(url->last_seen == last);
}

static void csv_fast_quoted_fields(void **state)
{
    (void)state;
    fh_ioc_set set;
    fh_ioc_set_init(&set);
    fh_error err;
    assert_int_equal(fh_ioc_import_memory("quoted.csv", quoted_doc, strlen(quoted_doc),
                                          FH_IOC_FORMAT_AUTO, &set, NULL, &err),
                     FH_OK);
    assert_quoted_set(&set);
    fh_ioc_set_clear(&set);
}

static void csv_fast_quoted_file(void **state)
{
    (void)state;
    char path[] = "/tmp/fh_test_csv_fast_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *out = fdopen(fd, "w");
    assert_non_null(out);
    assert_int_equal(fputs(quoted_doc, out) >= 0, 1);
    assert_int_equal(fclose(out), 0);

    fh_ioc_set set;
    fh_ioc_set_init(&set);
    fh_error err;
    fh_status st = fh_ioc_import_file(path, FH_IOC_FORMAT_AUTO, &set, NULL, &err);
    unlink(path);
    assert_int_equal(st, FH_OK);
    assert_quoted_set(&set);
    fh_ioc_set_clear(&set);
}

static void csv_fast_bad_dates(void **state)
{
    (void)state;
    const char *text =
        HEADER "\"2026-02-30 10:00:00\", \"1\", \"a.example\", \"domain\", \"botnet_cc\", "
               "\"win.x\", \"None\", \"X\", \"\", \"50\", \"False\", \"None\", \"None\", \"0\", "
               "\"r\"\n"
               "\"2026-02-28 10:00:00\", \"2\", \"b.example\", \"domain\", \"botnet_cc\", "
               "\"win.x\", \"None\", \"X\", \"2026-02-28 10:61:00\", \"50\", \"False\", \"None\", "
               "\"None\", \"0\", \"r\"\n"
               "\"2026-02-28 10:00:00 UTC\", \"3\", \"c.example\", \"domain\", \"botnet_cc\", "
               "\"win.x\", \"None\", \"X\", \"None\", \"50\", \"False\", \"None\", \"None\", "
               "\"0\", \"r\"\n";
    fh_ioc_set set;
    fh_ioc_set_init(&set);
    fh_error err;
    assert_int_equal(fh_ioc_import_memory("dates.csv", text, strlen(text),
                                          FH_IOC_FORMAT_THREATFOX_CSV, &set, NULL, &err),
                     FH_OK);
    assert_int_equal(set.rejected_total, 2);
    assert_int_equal(set.rejects[0].line, 2);
    assert_string_equal(set.rejects[0].value, "a.example");
    assert_string_equal(set.rejects[0].reason,
                        "row: first seen time '2026-02-30 10:00:00' is not a date and time");
    assert_int_equal(set.rejects[1].line, 3);
    assert_string_equal(set.rejects[1].reason,
                        "row: last seen time '2026-02-28 10:61:00' is not a date and time");

    /* The " UTC" form takes the general path and gives the same time as without it. */
    assert_int_equal(set.count, 1);
    assert_string_equal(set.items[0].value, "c.example");
    int64_t expected = 0;
    assert_int_equal(fh_datetime_parse("2026-02-28 10:00:00", 19, &expected), FH_OK);
    assert_true(set.items[0].first_seen == expected);
    assert_true(set.items[0].last_seen == FH_TIME_UNKNOWN);
    fh_ioc_set_clear(&set);
}

static void csv_fast_tags_over_cap(void **state)
{
    (void)state;
    size_t cap = 4096;
    char *tags = malloc(cap);
    assert_non_null(tags);
    size_t used = 0;
    for (int i = 0; i < FH_MAX_IOC_TAGS + 6; i++)
        used += (size_t)snprintf(tags + used, cap - used, "%st%d", i > 0 ? "," : "", i);
    char *doc = malloc(cap + 512);
    assert_non_null(doc);
    snprintf(doc, cap + 512,
             HEADER "\"2026-01-01 00:00:00\", \"1\", \"a.example\", \"domain\", \"botnet_cc\", "
                    "\"win.x\", \"None\", \"X\", \"\", \"50\", \"True\", \"None\", \"%s\", "
                    "\"0\", \"r\"\n",
             tags);

    fh_ioc_set set;
    fh_ioc_set_init(&set);
    fh_error err;
    assert_int_equal(fh_ioc_import_memory("tags.csv", doc, strlen(doc), FH_IOC_FORMAT_THREATFOX_CSV,
                                          &set, NULL, &err),
                     FH_OK);
    assert_int_equal(set.count, 1);
    assert_int_equal(set.items[0].ntags, FH_MAX_IOC_TAGS);
    assert_string_equal(set.items[0].tags[FH_MAX_IOC_TAGS - 1], "t63");
    char reason[96];
    snprintf(reason, sizeof reason, "tag or alias beyond the first %d of one indicator",
             FH_MAX_IOC_TAGS);
    /* A list stops at its first tag over the cap, which counts once, and "compromised" once. */
    assert_int_equal(fh_ioc_set_skip_count(&set, reason), 2);
    fh_ioc_set_clear(&set);
    free(doc);
    free(tags);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(csv_fast_times_match_parser), cmocka_unit_test(csv_fast_epoch_boundaries),
        cmocka_unit_test(csv_fast_quoted_fields),      cmocka_unit_test(csv_fast_quoted_file),
        cmocka_unit_test(csv_fast_bad_dates),          cmocka_unit_test(csv_fast_tags_over_cap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
