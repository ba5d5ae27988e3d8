/*
 * Parallel scanning: a file read in chunks by worker threads gives the same rows, line
 * numbers, statistics and errors, in the same order, as one fh_reader. Files that cannot be
 * split are read by one reader.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "fh_test.h"
#include "fh_test_table.h"
#include "foxhound/reader.h"
#include "foxhound/value_ops.h"
#include "read/scan_parallel.h"

/* Small chunks, so that a test file of a few hundred KiB splits into many. */
#define TEST_CHUNK_BYTES 4096

typedef struct temp_file {
    char path[64];
    FILE *file;
} temp_file;

static void temp_open(temp_file *t)
{
    snprintf(t->path, sizeof t->path, "/tmp/fh_scan_parallel_XXXXXX");
    int fd = mkstemp(t->path);
    assert_true(fd >= 0);
    t->file = fdopen(fd, "w");
    assert_non_null(t->file);
}

static void temp_close(temp_file *t)
{
    assert_int_equal(fclose(t->file), 0);
}

/* Writes the example file repeat times, with bad_line after every bad_every-th copy. */
static void write_repeated(temp_file *t, const char *example, int repeat, const char *bad_line,
                           int bad_every)
{
    char *path = fh_test_source_path(example);
    size_t len = 0;
    char *data = fh_test_read_file(path, &len);
    assert_non_null(data);
    temp_open(t);
    for (int i = 0; i < repeat; i++) {
        assert_int_equal(fwrite(data, 1, len, t->file), len);
        if (bad_line != NULL && i % bad_every == bad_every - 1)
            fprintf(t->file, "%s\n", bad_line);
    }
    temp_close(t);
    free(data);
    free(path);
}

/* A cursor over the rows of a sequential reader or a parallel scan. */
typedef struct cursor {
    fh_reader *reader;
    scan_parallel *scan;
    fh_batch batch;
    size_t row;
    fh_status status;
    fh_error err;
} cursor;

static void cursor_init(cursor *c, const fh_schema *schema)
{
    assert_int_equal(fh_batch_init(&c->batch, schema, &c->err), FH_OK);
    c->row = 0;
    c->status = FH_OK;
}

/* Returns the next row, or NULL at the end or on an error; c->status is FH_DONE or the error. */
static const fh_value *cursor_next(cursor *c, uint64_t *line)
{
    while (c->row >= c->batch.nrows) {
        if (c->status != FH_OK)
            return NULL;
        c->status = c->scan != NULL ? scan_parallel_next(c->scan, &c->batch, &c->err)
                                    : fh_reader_next(c->reader, &c->batch, &c->err);
        c->row = 0;
        if (c->status != FH_OK)
            return NULL;
    }
    *line = c->batch.line_numbers[c->row];
    return fh_batch_row(&c->batch, c->row++);
}

/*
 * Reads path with one reader and with a parallel scan of two workers and asserts that every
 * row, line number, statistic and the final status agree. Returns the rows compared.
 */
static uint64_t compare_scans(const char *path, const scan_parallel_options *options,
                              bool expect_parallel)
{
    fh_error err;
    cursor one = {0}, many = {0};
    assert_int_equal(fh_reader_open(path, &options->read, &one.reader, &err), FH_OK);
    assert_int_equal(scan_parallel_open(path, options, &many.scan, &err), FH_OK);
    assert_int_equal(scan_parallel_is_parallel(many.scan), expect_parallel);
    const fh_schema *schema = fh_reader_schema(one.reader);
    const fh_schema *scan_schema = scan_parallel_schema(many.scan);
    assert_int_equal(scan_schema->ncols, schema->ncols);
    for (size_t col = 0; col < schema->ncols; col++)
        assert_string_equal(scan_schema->cols[col].name, schema->cols[col].name);
    cursor_init(&one, schema);
    cursor_init(&many, scan_schema);

    uint64_t rows = 0;
    for (;;) {
        uint64_t line_one = 0, line_many = 0;
        const fh_value *a = cursor_next(&one, &line_one);
        const fh_value *b = cursor_next(&many, &line_many);
        if (a == NULL || b == NULL) {
            assert_null(a);
            assert_null(b);
            break;
        }
        assert_int_equal(line_many, line_one);
        for (size_t col = 0; col < schema->ncols; col++) {
            if (!fh_value_equal(&a[col], &b[col]) && !(a[col].is_null && b[col].is_null))
                fail_msg("line %llu column %s differs", (unsigned long long)line_one,
                         schema->cols[col].name);
        }
        rows++;
    }
    assert_int_equal(many.status, one.status);
    if (one.status != FH_DONE) {
        assert_int_equal(many.err.line, one.err.line);
        assert_string_equal(many.err.message, one.err.message);
    } else {
        fh_test_assert_stats_equal(scan_parallel_stats(many.scan), fh_reader_stats(one.reader));
    }

    fh_batch_destroy(&one.batch);
    fh_batch_destroy(&many.batch);
    fh_reader_close(one.reader);
    scan_parallel_close(many.scan);
    return rows;
}

static void scan_cef_in_order(void **state)
{
    temp_file t;
    write_repeated(&t, "examples/logs/firewall.cef", 400, "this line is not CEF", 100);
    scan_parallel_options options = {.threads = 2, .chunk_bytes = TEST_CHUNK_BYTES};
    uint64_t rows = compare_scans(t.path, &options, true);
    /* Each copy has 11 lines: 10 CEF records and a syslog line without CEF. */
    assert_int_equal(rows, 400 * 10);
    unlink(t.path);
}

static void scan_cef_projected(void **state)
{
    temp_file t;
    write_repeated(&t, "examples/logs/firewall.cef", 300, NULL, 0);
    const char *columns[] = {"TimeGenerated", "DestinationIP", "DestinationPort"};
    scan_parallel_options options = {
        .read = {.columns = columns, .ncolumns = 3}, .threads = 3, .chunk_bytes = 1000};
    assert_int_equal(compare_scans(t.path, &options, true), 300 * 10);
    unlink(t.path);
}

/* A JSON lines file splits too: the detecting reader delivers the lines it read ahead. */
static void scan_json_lines_in_order(void **state)
{
    temp_file t;
    write_repeated(&t, "examples/logs/defender-network.json", 500, "{\"broken\": ", 100);
    scan_parallel_options options = {.threads = 2, .chunk_bytes = TEST_CHUNK_BYTES};
    uint64_t rows = compare_scans(t.path, &options, true);
    assert_int_equal(rows, 500 * 8);
    unlink(t.path);
}

/*
 * Writes Defender JSON lines with an extra column seen only early and a key first seen after
 * the schema scan, which every chunk must count as dropped. After line clean_to come blank and
 * broken lines, records of another table and values that do not convert.
 */
static void write_json_mix(temp_file *t, int nlines, int clean_to)
{
    temp_open(t);
    for (int i = 1; i <= nlines; i++) {
        bool clean = i <= clean_to;
        if (!clean && i % 97 == 0) {
            fprintf(t->file, "\n");
            continue;
        }
        if (!clean && i % 101 == 0) {
            fprintf(t->file, "{\"broken\": \n");
            continue;
        }
        const char *table = !clean && i % 89 == 0 ? "DeviceFileEvents" : "DeviceNetworkEvents";
        fprintf(t->file,
                "{\"time\":\"2024-01-01T00:00:00Z\",\"category\":\"AdvancedHunting-%s\","
                "\"properties\":{\"Timestamp\":\"2024-01-01T%02d:%02d:00Z\",\"DeviceName\":"
                "\"host%d\",\"RemoteIP\":\"10.0.%d.%d\",",
                table, i / 60 % 24, i % 60, i % 50, i / 256 % 256, i % 256);
        if (!clean && i % 13 == 0)
            fprintf(t->file, "\"RemotePort\":\"not a port\",");
        if (i < FH_JSON_SCAN_LINES && i % 50 == 0)
            fprintf(t->file, "\"EarlyExtra\":{\"i\":%d},", i);
        if (i > 1500 && i % 7 == 0)
            fprintf(t->file, "\"LateKey\":%d,", i);
        fprintf(t->file, "\"InitiatingProcessId\":%d}}\n", i);
    }
    temp_close(t);
}

static void scan_json_lines_counts(void **state)
{
    temp_file t;
    write_json_mix(&t, 6000, 0);
    scan_parallel_options options = {.threads = 2, .chunk_bytes = TEST_CHUNK_BYTES};
    uint64_t rows = compare_scans(t.path, &options, true);
    /* Every line but blank, broken and other-table lines loads. */
    assert_true(rows > 5000);
    assert_true(rows < 6000);

    /* The same with a projection and a forced table, which loads the other table's lines. */
    const char *columns[] = {"RemotePort", "EarlyExtra", "DeviceName"};
    options.read = (fh_read_options){.columns = columns, .ncolumns = 3, .table = "Custom"};
    assert_true(compare_scans(t.path, &options, true) > rows);
    unlink(t.path);
}

static bool keep_host_seven(void *ctx, const char *line, size_t len)
{
    (void)ctx;
    return memmem(line, len, "\"host7\"", 7) != NULL;
}

static void scan_json_lines_filtered(void **state)
{
    temp_file t;
    write_json_mix(&t, 6000, 0);
    scan_parallel_options options = {
        .read = {.line_filter = keep_host_seven}, .threads = 2, .chunk_bytes = TEST_CHUNK_BYTES};
    uint64_t rows = compare_scans(t.path, &options, true);
    assert_true(rows > 50);
    assert_true(rows < 150);
    unlink(t.path);
}

/* Counts the lines a filter context saw, so that the test can tell the contexts apart. */
typedef struct filter_ctx {
    uint64_t calls;
} filter_ctx;

/* Workers make their contexts at the same time, so the count is atomic. */
static atomic_int contexts_made;

static void *make_filter(void *arg)
{
    contexts_made++;
    return calloc(1, sizeof(filter_ctx));
}

static bool keep_purerat(void *ctx, const char *line, size_t len)
{
    ((filter_ctx *)ctx)->calls++;
    return memmem(line, len, "80.76.49.194", 12) != NULL;
}

static void scan_filter_per_worker(void **state)
{
    temp_file t;
    write_repeated(&t, "examples/logs/firewall.cef", 200, NULL, 0);
    filter_ctx shared = {0};
    atomic_store(&contexts_made, 0);
    scan_parallel_options options = {
        .read = {.line_filter = keep_purerat, .line_filter_ctx = &shared},
        .threads = 2,
        .chunk_bytes = TEST_CHUNK_BYTES,
        .filter_ctx_create = make_filter,
        .filter_ctx_destroy = free,
    };
    uint64_t rows = compare_scans(t.path, &options, true);
    /* One context for the detection reader and one per worker. */
    assert_int_equal(atomic_load(&contexts_made), 3);
    assert_true(rows > 0);
    assert_true(rows < 200 * 10);
    unlink(t.path);
}

/* Reads to the end or the first error and returns the status, with the error in err. */
static fh_status drain(fh_reader *reader, scan_parallel *scan, fh_error *err)
{
    fh_batch batch;
    const fh_schema *schema = scan != NULL ? scan_parallel_schema(scan) : fh_reader_schema(reader);
    assert_int_equal(fh_batch_init(&batch, schema, err), FH_OK);
    fh_status st;
    do {
        st = scan != NULL ? scan_parallel_next(scan, &batch, err)
                          : fh_reader_next(reader, &batch, err);
    } while (st == FH_OK);
    fh_batch_destroy(&batch);
    return st;
}

/*
 * Reads path in strict mode with one reader and with a parallel scan, asserts that both end
 * with the same error, and returns its line.
 */
static unsigned long compare_strict_error(const char *path)
{
    scan_parallel_options options = {
        .read = {.strict = true}, .threads = 2, .chunk_bytes = TEST_CHUNK_BYTES};
    fh_error err_one, err_many;
    fh_reader *reader = NULL;
    scan_parallel *scan = NULL;
    assert_int_equal(fh_reader_open(path, &options.read, &reader, &err_one), FH_OK);
    assert_int_equal(scan_parallel_open(path, &options, &scan, &err_many), FH_OK);
    assert_true(scan_parallel_is_parallel(scan));

    fh_status one = drain(reader, NULL, &err_one);
    fh_status many = drain(NULL, scan, &err_many);
    assert_int_not_equal(one, FH_DONE);
    assert_int_equal(many, one);
    assert_int_equal(err_many.line, err_one.line);
    assert_string_equal(err_many.message, err_one.message);
    fh_reader_close(reader);
    scan_parallel_close(scan);
    return err_one.line;
}

/*
 * In strict mode the first bad line in file order is the error, with its line number. Rows
 * delivered before it may differ, because one reader fails the whole batch.
 */
static void scan_strict_error_line(void **state)
{
    temp_file t;
    write_repeated(&t, "examples/logs/firewall.cef", 500, "this line is not CEF", 300);
    /* Keep only the CEF records and the bad lines, so that the first bad line is the one
     * written after the 300th copy. */
    size_t len = 0;
    char *data = fh_test_read_file(t.path, &len);
    assert_non_null(data);
    FILE *out = fopen(t.path, "w");
    assert_non_null(out);
    for (char *line = data; line < data + len;) {
        char *newline = memchr(line, '\n', (size_t)(data + len - line));
        size_t n = newline != NULL ? (size_t)(newline - line) + 1 : (size_t)(data + len - line);
        if (memmem(line, n, "CEF:", 4) != NULL || memmem(line, n, "not CEF", 7) != NULL)
            assert_int_equal(fwrite(line, 1, n, out), n);
        line += n;
    }
    assert_int_equal(fclose(out), 0);
    free(data);
    /* The first bad line follows the 300th copy of 10 CEF records. */
    assert_int_equal(compare_strict_error(t.path), 300 * 10 + 1);
    unlink(t.path);
}

/* The first bad line after the detecting reader's lines is the error, as in one reader. */
static void scan_json_lines_strict(void **state)
{
    temp_file t;
    write_json_mix(&t, 6000, 3000);
    /* Line 3003 is the first after line 3000 to have a RemotePort that does not convert. */
    assert_int_equal(compare_strict_error(t.path), 3003);
    unlink(t.path);
}

static void scan_gzip_sequential(void **state)
{
    char *path = fh_test_source_path("examples/logs/firewall.cef");
    size_t len = 0;
    char *data = fh_test_read_file(path, &len);
    assert_non_null(data);
    char gz_path[] = "/tmp/fh_scan_parallel_gz_XXXXXX";
    int fd = mkstemp(gz_path);
    assert_true(fd >= 0);
    gzFile gz = gzdopen(fd, "wb");
    assert_non_null(gz);
    for (int i = 0; i < 300; i++)
        assert_int_equal(gzwrite(gz, data, (unsigned)len), (int)len);
    assert_int_equal(gzclose(gz), Z_OK);

    scan_parallel_options options = {.threads = 2, .chunk_bytes = 256};
    assert_int_equal(compare_scans(gz_path, &options, false), 300 * 10);
    unlink(gz_path);
    free(data);
    free(path);
}

static void scan_small_file_sequential(void **state)
{
    char *path = fh_test_source_path("examples/logs/defender-file.json");
    scan_parallel_options options = {.threads = 2};
    assert_int_equal(compare_scans(path, &options, false), 7);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(scan_cef_in_order),        cmocka_unit_test(scan_cef_projected),
        cmocka_unit_test(scan_json_lines_in_order), cmocka_unit_test(scan_json_lines_counts),
        cmocka_unit_test(scan_json_lines_filtered), cmocka_unit_test(scan_json_lines_strict),
        cmocka_unit_test(scan_filter_per_worker),   cmocka_unit_test(scan_strict_error_line),
        cmocka_unit_test(scan_gzip_sequential),     cmocka_unit_test(scan_small_file_sequential),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
