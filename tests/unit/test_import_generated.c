/*
 * ThreatFox CSV import of a file that bench/gen_iocs.py writes. Every row is read back with a
 * plain splitter written here and compared with the imported indicator field by field. The
 * file and in-memory imports must give the same set. Skipped when python3 is missing.
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

#include "fh_test.h"
#include "fh_test_ioc.h"
#include "foxhound/datetime.h"
#include "foxhound/ioc_import.h"

/* Rows gen_iocs.py writes with --large: the six PureRAT rows and generated ones. */
#define GENERATED_ROWS 3000
#define ROW_FIELDS 15

static char generated_dir[] = "/tmp/fh_test_generated_XXXXXX";
static char generated_csv[sizeof generated_dir + 32];

/*
 * One CSV row of the export, split at '", "'. That is enough because gen_iocs.py quotes every
 * field and writes no escapes.
 */
typedef struct csv_row {
    char *fields[ROW_FIELDS];
} csv_row;

static csv_row *rows;
static size_t nrows;

static void split_row(char *line, csv_row *row)
{
    size_t n = strlen(line);
    assert_true(n > 2 && line[0] == '"' && line[n - 1] == '"');
    line[n - 1] = '\0';
    char *field = line + 1;
    for (size_t i = 0; i < ROW_FIELDS; i++) {
        row->fields[i] = field;
        char *end = strstr(field, "\", \"");
        if (i + 1 < ROW_FIELDS) {
            assert_non_null(end);
            *end = '\0';
            field = end + 4;
        } else {
            assert_null(end);
        }
    }
}

/* Reads the data rows of the generated file without foxhound's parser. */
static int read_rows(void **state)
{
    (void)state;
    FILE *file = fopen(generated_csv, "r");
    assert_non_null(file);
    rows = calloc(GENERATED_ROWS + 1, sizeof *rows);
    assert_non_null(rows);
    char line[1024];
    while (fgets(line, sizeof line, file) != NULL) {
        line[strcspn(line, "\n")] = '\0';
        if (line[0] == '#' || line[0] == '\0')
            continue;
        assert_true(nrows < GENERATED_ROWS);
        char *copy = strdup(line);
        assert_non_null(copy);
        split_row(copy, &rows[nrows++]);
    }
    fclose(file);
    return 0;
}

static int free_rows(void **state)
{
    (void)state;
    for (size_t i = 0; i < nrows; i++)
        free(rows[i].fields[0] - 1);
    free(rows);
    return 0;
}

static fh_ioc_type row_type(const csv_row *row)
{
    static const struct {
        const char *name;
        fh_ioc_type type;
    } names[] = {{"ip:port", FH_IOC_IP_PORT}, {"domain", FH_IOC_DOMAIN},
                 {"url", FH_IOC_URL},         {"md5_hash", FH_IOC_MD5},
                 {"sha1_hash", FH_IOC_SHA1},  {"sha256_hash", FH_IOC_SHA256}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(row->fields[3], names[i].name) == 0)
            return names[i].type;
    fail_msg("unexpected ioc_type '%s'", row->fields[3]);
    return FH_IOC_TYPE_COUNT;
}

static void import_generated(fh_ioc_set *set)
{
    fh_error err;
    fh_error_clear(&err);
    fh_ioc_format format_used = FH_IOC_FORMAT_AUTO;
    fh_status st = fh_ioc_import_file(generated_csv, FH_IOC_FORMAT_AUTO, set, &format_used, &err);
    assert_int_equal(st, FH_OK);
    assert_int_equal(format_used, FH_IOC_FORMAT_THREATFOX_CSV);
}

static void generated_type_counts(void **state)
{
    (void)state;
    fh_ioc_set set;
    fh_ioc_set_init(&set);
    import_generated(&set);
    assert_int_equal(nrows, GENERATED_ROWS);
    assert_int_equal(set.count, GENERATED_ROWS);
    assert_int_equal(set.rejected_total, 0);
    assert_int_equal(set.skipped_total, 0);

    size_t per_type[FH_IOC_TYPE_COUNT] = {0}, imported[FH_IOC_TYPE_COUNT] = {0};
    for (size_t i = 0; i < nrows; i++) {
        per_type[row_type(&rows[i])]++;
        imported[set.items[i].type]++;
    }
    for (int t = 0; t < FH_IOC_TYPE_COUNT; t++)
        assert_int_equal(imported[t], per_type[t]);
    /* The generator mixes the types, so every hunted ThreatFox type occurs in 3,000 rows. */
    assert_true(per_type[FH_IOC_DOMAIN] > 0);
    assert_true(per_type[FH_IOC_URL] > 0);
    assert_true(per_type[FH_IOC_IP_PORT] > 0);
    fh_ioc_set_clear(&set);
}

static void check_list(char *const *list, size_t n, const char *first, const char *second)
{
    size_t expected = (first != NULL) + (second != NULL);
    assert_int_equal(n, expected);
    if (first != NULL)
        assert_string_equal(list[0], first);
    if (second != NULL)
        assert_string_equal(list[expected - 1], second);
}

/* Compares one indicator with the row it came from. */
static void check_row(const fh_indicator *ioc, const csv_row *row)
{
    char *const *f = row->fields;
    assert_int_equal(ioc->type, row_type(row));
    assert_string_equal(ioc->value, f[2]);
    if (ioc->type == FH_IOC_IP_PORT) {
        const char *colon = strrchr(f[2], ':');
        assert_int_equal(strlen(ioc->address), (size_t)(colon - f[2]));
        assert_memory_equal(ioc->address, f[2], strlen(ioc->address));
        assert_int_equal(ioc->port, atoi(colon + 1));
    } else {
        assert_null(ioc->address);
    }
    assert_string_equal(ioc->source_id, f[1]);
    assert_string_equal(ioc->source_feed, "threatfox");
    assert_string_equal(ioc->threat_type, f[4]);
    bool unknown = strcmp(f[5], "unknown") == 0;
    if (unknown)
        assert_null(ioc->family);
    else
        assert_string_equal(ioc->family, f[7]);
    check_list(ioc->aliases, ioc->naliases, unknown ? NULL : f[5], NULL);
    bool compromised = strcmp(f[10], "True") == 0;
    check_list(ioc->tags, ioc->ntags, strcmp(f[12], "None") == 0 ? NULL : f[12],
               compromised ? "compromised" : NULL);
    assert_int_equal(ioc->confidence, atoi(f[9]));
    int64_t first = 0;
    assert_int_equal(fh_datetime_parse(f[0], strlen(f[0]), &first), FH_OK);
    assert_true(ioc->first_seen == first);
    assert_true(ioc->last_seen == FH_TIME_UNKNOWN);
    assert_null(ioc->reference);
    assert_string_equal(ioc->reporter, f[14]);
    assert_null(ioc->description);
    assert_null(ioc->flag);
}

static void generated_fields_match_rows(void **state)
{
    (void)state;
    fh_ioc_set set;
    fh_ioc_set_init(&set);
    import_generated(&set);
    assert_int_equal(set.count, nrows);
    for (size_t i = 0; i < nrows; i++)
        check_row(&set.items[i], &rows[i]);
    fh_ioc_set_clear(&set);
}

/* The first rows are the six real PureRAT indicators, written the same by every run. */
static void generated_purerat_rows(void **state)
{
    (void)state;
    fh_ioc_set set;
    fh_ioc_set_init(&set);
    import_generated(&set);
    const fh_indicator *ioc = &set.items[0];
    assert_int_equal(ioc->type, FH_IOC_IP_PORT);
    assert_string_equal(ioc->value, "80.76.49.194:56003");
    assert_string_equal(ioc->address, "80.76.49.194");
    assert_int_equal(ioc->port, 56003);
    assert_string_equal(ioc->family, "PureRAT");
    assert_string_equal(ioc->aliases[0], "win.purerat");
    assert_string_equal(ioc->tags[0], "PureRAT");
    assert_string_equal(ioc->threat_type, "botnet_cc");
    assert_string_equal(ioc->reporter, "abuse_ch");
    assert_string_equal(ioc->source_id, "1500000");
    assert_int_equal(ioc->confidence, 75);
    fh_test_assert_date(ioc->first_seen, "2026-06-11T00:00:00Z");

    ioc = &set.items[5];
    assert_int_equal(ioc->type, FH_IOC_SHA256);
    assert_string_equal(ioc->value,
                        "a05254840b45fcbfd12d09fd416ca860e2cfcab793f4780fa8f138b8f7a86aab");
    assert_string_equal(ioc->threat_type, "payload");
    fh_test_assert_date(ioc->first_seen, "2026-06-11T05:00:00Z");

    const fh_indicator *found = fh_ioc_set_find(&set, FH_IOC_IP_PORT, "80.76.49.194:56001");
    assert_ptr_equal(found, &set.items[2]);
    assert_null(fh_ioc_set_find(&set, FH_IOC_DOMAIN, "80.76.49.194:56001"));
    fh_ioc_set_clear(&set);
}

/* Repeated metadata is stored once per set: equal families share one string. */
static void generated_shared_metadata(void **state)
{
    (void)state;
    fh_ioc_set set;
    fh_ioc_set_init(&set);
    import_generated(&set);
    assert_ptr_equal(set.items[0].family, set.items[1].family);
    assert_ptr_equal(set.items[0].tags, set.items[1].tags);
    assert_ptr_equal(set.items[0].source_feed, set.items[nrows - 1].source_feed);
    assert_true(set.items[0].value != set.items[1].value);
    fh_ioc_set_clear(&set);
}

static void assert_same_text(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        assert_ptr_equal(a, b);
    else
        assert_string_equal(a, b);
}

/* Importing the file and importing its bytes from memory give the same indicators. */
static void generated_memory_matches_file(void **state)
{
    (void)state;
    fh_ioc_set from_file, from_memory;
    fh_ioc_set_init(&from_file);
    fh_ioc_set_init(&from_memory);
    import_generated(&from_file);

    size_t len = 0;
    char *data = fh_test_read_file(generated_csv, &len);
    assert_non_null(data);
    fh_error err;
    fh_error_clear(&err);
    assert_int_equal(
        fh_ioc_import_memory("mem.csv", data, len, FH_IOC_FORMAT_AUTO, &from_memory, NULL, &err),
        FH_OK);
    free(data);

    assert_int_equal(from_memory.count, from_file.count);
    for (size_t i = 0; i < from_file.count; i++) {
        const fh_indicator *a = &from_file.items[i], *b = &from_memory.items[i];
        assert_int_equal(a->type, b->type);
        assert_string_equal(a->value, b->value);
        assert_same_text(a->address, b->address);
        assert_same_text(a->family, b->family);
        assert_same_text(a->reporter, b->reporter);
        assert_same_text(a->source_id, b->source_id);
        assert_int_equal(a->ntags, b->ntags);
        assert_true(a->first_seen == b->first_seen);
    }
    fh_ioc_set_clear(&from_file);
    fh_ioc_set_clear(&from_memory);
}

/* A second import into a set that has indicators keeps both copies and the first's index. */
static void generated_twice_merges(void **state)
{
    (void)state;
    fh_ioc_set set;
    fh_ioc_set_init(&set);
    import_generated(&set);
    import_generated(&set);
    assert_int_equal(set.count, 2 * nrows);
    for (size_t i = 0; i < nrows; i++) {
        check_row(&set.items[i], &rows[i]);
        check_row(&set.items[nrows + i], &rows[i]);
    }
    const fh_indicator *found = fh_ioc_set_find(&set, FH_IOC_IP_PORT, "80.76.49.194:56003");
    assert_ptr_equal(found, &set.items[0]);
    fh_ioc_set_clear(&set);
}

/* Writes the generated files into a new temporary folder; false when that fails. */
static bool generate(void)
{
    if (mkdtemp(generated_dir) == NULL)
        return false;
    snprintf(generated_csv, sizeof generated_csv, "%s/iocs_large.csv", generated_dir);
    char *script = fh_test_source_path("bench/gen_iocs.py");
    char command[1024];
    snprintf(command, sizeof command, "python3 '%s' --seed 7 --large %d -o '%s' >/dev/null", script,
             GENERATED_ROWS, generated_dir);
    free(script);
    return system(command) == 0;
}

static void remove_generated(void)
{
    static const char *const names[] = {"iocs_six", "iocs_10k", "iocs_large"};
    static const char *const suffixes[] = {".csv", ".values", ".tsv"};
    char path[sizeof generated_dir + 32];
    for (size_t i = 0; i < 3; i++) {
        for (size_t k = 0; k < 3; k++) {
            snprintf(path, sizeof path, "%s/%s%s", generated_dir, names[i], suffixes[k]);
            unlink(path);
        }
    }
    rmdir(generated_dir);
}

int main(void)
{
    if (system("python3 -c '' >/dev/null 2>&1") != 0) {
        fprintf(stderr, "test_import_generated: skipped, python3 is not installed\n");
        return FH_TEST_SKIP_CODE;
    }
    if (!generate()) {
        fprintf(stderr, "test_import_generated: bench/gen_iocs.py failed\n");
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(generated_type_counts),
        cmocka_unit_test(generated_fields_match_rows),
        cmocka_unit_test(generated_purerat_rows),
        cmocka_unit_test(generated_shared_metadata),
        cmocka_unit_test(generated_memory_matches_file),
        cmocka_unit_test(generated_twice_merges),
    };
    int failed = cmocka_run_group_tests(tests, read_rows, free_rows);
    remove_generated();
    return failed;
}
