/*
 * The reader framework: CEF files, gzip and zstd input, standard input, folders, over-long
 * lines, bad rows with and without strict mode, projection and the line filter.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "fh_test.h"
#include "fh_test_table.h"
#include "foxhound/datetime.h"
#include "foxhound/reader.h"
#include "foxhound/value_ops.h"

static char *shared(const char *relative)
{
    char *path = fh_test_shared_path(relative);
    assert_non_null(path);
    return path;
}

static const fh_skip_reason *find_reason(const fh_read_stats *stats, const char *reason)
{
    for (size_t i = 0; i < stats->nreasons; i++)
        if (strcmp(stats->reasons[i].reason, reason) == 0)
            return &stats->reasons[i];
    return NULL;
}

/* Compresses data as one gzip member. */
static unsigned char *gzip_bytes(const void *data, size_t len, size_t *out_len)
{
    z_stream z = {0};
    assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
    size_t cap = deflateBound(&z, len) + 32;
    unsigned char *out = malloc(cap);
    z.next_in = (unsigned char *)data;
    z.avail_in = (uInt)len;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
    *out_len = cap - z.avail_out;
    deflateEnd(&z);
    return out;
}

static unsigned char *zstd_bytes(const void *data, size_t len, size_t *out_len)
{
    size_t cap = ZSTD_compressBound(len);
    unsigned char *out = malloc(cap);
    *out_len = ZSTD_compress(out, cap, data, len, 3);
    assert_false(ZSTD_isError(*out_len));
    return out;
}

/* Asserts that two tables hold the same rows, comparing every cell as text. */
static void assert_same_rows(fh_test_table *a, fh_test_table *b)
{
    const fh_schema *schema = fh_reader_schema(a->reader);
    assert_int_equal(a->nrows, b->nrows);
    assert_int_equal(schema->ncols, fh_reader_schema(b->reader)->ncols);
    for (size_t r = 0; r < a->nrows; r++)
        for (size_t c = 0; c < schema->ncols; c++)
            assert_string_equal(fh_test_text(a, r, schema->cols[c].name),
                                fh_test_text(b, r, schema->cols[c].name));
}

static void reader_cef_sample(void **state)
{
    char *path = shared("data/public/cef/jc_cef.out");
    fh_test_table t;
    assert_int_equal(fh_test_table_read(&t, path, NULL, 0, NULL), FH_OK);
    assert_int_equal(t.status, FH_DONE);
    assert_int_equal(fh_reader_format(t.reader), FH_LOG_CEF);
    assert_string_equal(fh_reader_schema(t.reader)->name, "CommonSecurityLog");
    assert_non_null(strstr(fh_reader_detection(t.reader), "CEF"));

    /* 13 records, 9 blank separator lines and one "unparsable line" (line 21). */
    const fh_read_stats *stats = fh_reader_stats(t.reader);
    assert_int_equal(t.nrows, 13);
    assert_int_equal(stats->rows_loaded, 13);
    assert_int_equal(stats->lines, 23);
    assert_int_equal(stats->bytes, 7247);
    assert_int_equal(stats->rows_skipped, 10);
    const fh_skip_reason *empty = find_reason(stats, "empty line");
    assert_non_null(empty);
    assert_int_equal(empty->count, 9);

    assert_string_equal(fh_test_text(&t, 0, "DeviceVendor"), "Fortinet");
    assert_string_equal(fh_test_text(&t, 0, "DeviceProduct"), "FortiDeceptor");
    assert_string_equal(fh_test_text(&t, 0, "Activity"), "SYSTEM");
    assert_int_equal(t.lines[0], 1);
    fh_test_table_free(&t);
    free(path);
}

static void reader_cef_syslog_prefix(void **state)
{
    char *path = shared("data/public/cef/azure-sentinel_barracudaWAFCEF_first3.txt");
    fh_test_table t;
    assert_int_equal(fh_test_table_read(&t, path, NULL, 0, NULL), FH_OK);
    assert_int_equal(t.status, FH_DONE);
    assert_int_equal(fh_reader_format(t.reader), FH_LOG_CEF);
    assert_int_equal(t.nrows, 3);
    assert_string_equal(fh_test_text(&t, 0, "DeviceVendor"), "BarracudaNetworks");
    assert_string_equal(fh_test_text(&t, 0, "SourceIP"), "101.173.234.143");
    const fh_value *spt = fh_test_cell(&t, 0, "SourcePort");
    assert_false(spt->is_null);
    assert_int_equal(spt->u.i, 48293);
    fh_test_table_free(&t);
    free(path);
}

static void reader_gzip_zstd_same_rows(void **state)
{
    char *path = shared("data/public/cef/jc_cef.out");
    size_t len;
    char *plain = fh_test_read_file(path, &len);
    assert_non_null(plain);

    size_t gz_len, zst_len;
    unsigned char *gz = gzip_bytes(plain, len, &gz_len);
    unsigned char *zst = zstd_bytes(plain, len, &zst_len);

    fh_test_table a, b, c;
    assert_int_equal(fh_test_table_read(&a, "plain", plain, len, NULL), FH_OK);
    assert_int_equal(fh_test_table_read(&b, "cef.gz", gz, gz_len, NULL), FH_OK);
    assert_int_equal(fh_test_table_read(&c, "cef.zst", zst, zst_len, NULL), FH_OK);
    assert_int_equal(b.status, FH_DONE);
    assert_int_equal(c.status, FH_DONE);
    assert_same_rows(&a, &b);
    assert_same_rows(&a, &c);
    assert_int_equal(fh_reader_stats(b.reader)->bytes, len);
    assert_non_null(strstr(fh_reader_detection(b.reader), "gzip-compressed"));
    assert_non_null(strstr(fh_reader_detection(c.reader), "zstd-compressed"));

    fh_test_table_free(&a);
    fh_test_table_free(&b);
    fh_test_table_free(&c);
    free(gz);
    free(zst);
    free(plain);
    free(path);
}

/* Compression is found by magic bytes, so a gzip file named .txt still reads. */
static void reader_gzip_file_misnamed(void **state)
{
    const char text[] = "CEF:0|V|P|1|100|n|5|src=10.0.0.1\nCEF:0|V|P|1|100|n|5|src=10.0.0.2\n";
    size_t gz_len;
    unsigned char *gz = gzip_bytes(text, sizeof text - 1, &gz_len);

    /* Two gzip members one after the other, as `cat a.gz b.gz` makes. */
    unsigned char *twice = malloc(gz_len * 2);
    memcpy(twice, gz, gz_len);
    memcpy(twice + gz_len, gz, gz_len);

    char path[] = "/tmp/fh_reader_gzXXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, twice, gz_len * 2), (ssize_t)(gz_len * 2));
    close(fd);

    fh_test_table t;
    assert_int_equal(fh_test_table_read(&t, path, NULL, 0, NULL), FH_OK);
    assert_int_equal(t.status, FH_DONE);
    assert_int_equal(t.nrows, 4);
    assert_string_equal(fh_test_text(&t, 3, "SourceIP"), "10.0.0.2");
    assert_int_equal(t.lines[3], 4);
    fh_test_table_free(&t);
    unlink(path);
    free(twice);
    free(gz);
}

static void reader_truncated_gzip(void **state)
{
    const char text[] = "CEF:0|V|P|1|100|n|5|src=10.0.0.1\n";
    size_t gz_len;
    unsigned char *gz = gzip_bytes(text, sizeof text - 1, &gz_len);

    /* The input is small, so detection at open time already reaches the cut. */
    fh_test_table t;
    assert_int_equal(fh_test_table_read(&t, "cut.gz", gz, gz_len - 6, NULL), FH_ERR_COMPRESS);
    assert_string_equal(t.err.source, "cut.gz");
    assert_non_null(strstr(t.err.message, "ends early"));
    fh_test_table_free(&t);
    free(gz);
}

static void reader_stdin(void **state)
{
    const char text[] = "CEF:0|V|P|1|100|n|5|src=10.1.1.1 dpt=443\r\n"
                        "CEF:0|V|P|1|100|n|5|src=10.1.1.2 dpt=8443\r\n";
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    assert_int_equal(write(fds[1], text, sizeof text - 1), (ssize_t)(sizeof text - 1));
    close(fds[1]);
    int saved = dup(STDIN_FILENO);
    dup2(fds[0], STDIN_FILENO);
    close(fds[0]);

    fh_test_table t;
    fh_status st = fh_test_table_read(&t, "-", NULL, 0, NULL);
    dup2(saved, STDIN_FILENO);
    close(saved);

    assert_int_equal(st, FH_OK);
    assert_int_equal(t.status, FH_DONE);
    assert_int_equal(t.nrows, 2);
    /* The "\r" of each CRLF line ending is not part of the last value. */
    assert_int_equal(fh_test_cell(&t, 1, "DestinationPort")->u.i, 8443);
    assert_string_equal(fh_test_text(&t, 1, "SourceIP"), "10.1.1.2");
    fh_test_table_free(&t);
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void path_list_folder(void **state)
{
    char dir[] = "/tmp/fh_reader_dirXXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/sub", dir);
    assert_int_equal(mkdir(path, 0700), 0);
    const char *files[] = {"b.cef", "a.json", ".hidden", "sub/c.csv"};
    for (size_t i = 0; i < 4; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        write_text(path, "x\n");
    }

    const char *args[] = {dir, "-"};
    fh_path_list list;
    fh_error err;
    assert_int_equal(fh_path_list_expand(args, 2, &list, &err), FH_OK);
    assert_int_equal(list.count, 4);
    snprintf(path, sizeof path, "%s/a.json", dir);
    assert_string_equal(list.paths[0], path);
    snprintf(path, sizeof path, "%s/b.cef", dir);
    assert_string_equal(list.paths[1], path);
    snprintf(path, sizeof path, "%s/sub/c.csv", dir);
    assert_string_equal(list.paths[2], path);
    assert_string_equal(list.paths[3], "-");
    fh_path_list_free(&list);

    const char *missing[] = {"/nonexistent/fh/logs"};
    assert_int_equal(fh_path_list_expand(missing, 1, &list, &err), FH_ERR_NOT_FOUND);
    assert_string_equal(err.source, "/nonexistent/fh/logs");

    const char *rm[] = {"a.json", "b.cef", ".hidden", "sub/c.csv", "sub", ""};
    for (size_t i = 0; i < 6; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, rm[i]);
        remove(path);
    }
}

static void path_list_sample_folder(void **state)
{
    char *dir = shared("data/public/cef");
    const char *args[] = {dir};
    fh_path_list list;
    assert_int_equal(fh_path_list_expand(args, 1, &list, NULL), FH_OK);
    assert_int_equal(list.count, 15);
    assert_non_null(strstr(list.paths[0], "azure-sentinel_barracudaWAFCEF_first3.txt"));
    assert_non_null(strstr(list.paths[14], "jcustenborder_Message9005.json"));

    /* Every file of the folder opens and reads to the end. */
    for (size_t i = 0; i < list.count; i++) {
        fh_test_table t;
        assert_int_equal(fh_test_table_read(&t, list.paths[i], NULL, 0, NULL), FH_OK);
        assert_int_equal(t.status, FH_DONE);
        assert_true(t.nrows >= 1);
        fh_test_table_free(&t);
    }
    fh_path_list_free(&list);
    free(dir);
}

/* Three CEF lines whose second is one byte over the line limit. */
static char *long_line_input(size_t *len, const char *eol)
{
    size_t n = (size_t)FH_MAX_LINE_BYTES + 1;
    const char *head = "CEF:0|V|P|1|100|n|5|src=10.0.0.1";
    size_t cap = n + 256;
    char *text = malloc(cap);
    size_t used = (size_t)snprintf(text, cap, "%s%s", head, eol);
    memset(text + used, 'a', n);
    memcpy(text + used, head, strlen(head));
    used += n;
    used +=
        (size_t)snprintf(text + used, cap - used, "%sCEF:0|V|P|1|100|n|5|src=10.0.0.3%s", eol, eol);
    *len = used;
    return text;
}

static void reader_long_line_skipped(void **state)
{
    size_t len;
    char *text = long_line_input(&len, "\r\n");
    fh_test_table t;
    assert_int_equal(fh_test_table_read(&t, "long.cef", text, len, NULL), FH_OK);
    assert_int_equal(t.status, FH_DONE);
    assert_int_equal(t.nrows, 2);
    assert_string_equal(fh_test_text(&t, 1, "SourceIP"), "10.0.0.3");
    assert_int_equal(t.lines[1], 3);

    const fh_read_stats *stats = fh_reader_stats(t.reader);
    char reason[64];
    snprintf(reason, sizeof reason, "line longer than %d bytes", FH_MAX_LINE_BYTES);
    const fh_skip_reason *skip = find_reason(stats, reason);
    assert_non_null(skip);
    assert_int_equal(skip->count, 1);
    assert_int_equal(skip->lines[0], 2);
    assert_int_equal(stats->lines, 3);
    fh_test_table_free(&t);
    free(text);
}

static void reader_long_line_strict(void **state)
{
    size_t len;
    char *text = long_line_input(&len, "\n");
    fh_read_options options = {.strict = true};
    fh_test_table t;
    assert_int_equal(fh_test_table_read(&t, "long.cef", text, len, &options), FH_OK);
    assert_int_equal(t.status, FH_ERR_LIMIT);
    assert_int_equal(t.nrows, 0);
    assert_int_equal(t.err.line, 2);
    fh_test_table_free(&t);
    free(text);
}

/* A line of exactly the maximum length is read, not skipped. */
static void reader_line_at_limit(void **state)
{
    size_t n = (size_t)FH_MAX_LINE_BYTES;
    char *text = malloc(n + 2);
    const char *head = "CEF:0|V|P|1|100|n|5|src=10.0.0.9 msg=";
    memset(text, 'm', n);
    memcpy(text, head, strlen(head));
    text[n] = '\r';
    text[n + 1] = '\n';

    fh_test_table t;
    assert_int_equal(fh_test_table_read(&t, "limit.cef", text, n + 2, NULL), FH_OK);
    assert_int_equal(t.status, FH_DONE);
    assert_int_equal(t.nrows, 1);
    assert_string_equal(fh_test_text(&t, 0, "SourceIP"), "10.0.0.9");
    assert_int_equal(fh_reader_stats(t.reader)->rows_skipped, 0);
    fh_test_table_free(&t);
    free(text);
}

static void reader_bad_row_counted(void **state)
{
    const char text[] = "CEF:0|V|P|1|100|n|5|src=10.0.0.1\n"
                        "not a record\n"
                        "CEF:0|V|P|1|100|n|5|src=10.0.0.2\n";
    fh_test_table t;
    assert_int_equal(fh_test_table_read(&t, "bad.cef", text, sizeof text - 1, NULL), FH_OK);
    assert_int_equal(t.status, FH_DONE);
    assert_int_equal(t.nrows, 2);
    const fh_read_stats *stats = fh_reader_stats(t.reader);
    assert_int_equal(stats->rows_skipped, 1);
    assert_int_equal(stats->nreasons, 1);
    assert_int_equal(stats->reasons[0].lines[0], 2);
    fh_test_table_free(&t);
}

static void reader_bad_row_strict(void **state)
{
    const char text[] = "CEF:0|V|P|1|100|n|5|src=10.0.0.1\n"
                        "not a record\n"
                        "CEF:0|V|P|1|100|n|5|src=10.0.0.2\n";
    fh_read_options options = {.strict = true};
    fh_test_table t;
    assert_int_equal(fh_test_table_read(&t, "bad.cef", text, sizeof text - 1, &options), FH_OK);
    assert_int_equal(t.status, FH_ERR_PARSE);
    assert_string_equal(t.err.source, "bad.cef");
    assert_int_equal(t.err.line, 2);
    assert_non_null(strstr(t.err.message, "\"not a record\""));
    fh_test_table_free(&t);
}

static void reader_projection(void **state)
{
    const char text[] = "CEF:0|V|P|1|100|n|5|src=10.0.0.1 dst=10.9.9.9 dpt=443\n";
    const char *columns[] = {"SourceIP"};
    fh_read_options options = {.columns = columns, .ncolumns = 1};
    fh_test_table t;
    assert_int_equal(fh_test_table_read(&t, "p.cef", text, sizeof text - 1, &options), FH_OK);
    assert_int_equal(t.nrows, 1);
    assert_string_equal(fh_test_text(&t, 0, "SourceIP"), "10.0.0.1");
    assert_string_equal(fh_test_text(&t, 0, "DestinationIP"), "");
    assert_true(fh_test_cell(&t, 0, "DestinationPort")->is_null);
    fh_test_table_free(&t);
}

static bool keep_trend_micro(void *ctx, const char *line, size_t len)
{
    (*(int *)ctx)++;
    return memmem(line, len, "Trend Micro", 11) != NULL;
}

static void reader_line_filter(void **state)
{
    char *path = shared("data/public/cef/jc_cef.out");
    int calls = 0;
    fh_read_options options = {.line_filter = keep_trend_micro, .line_filter_ctx = &calls};
    fh_test_table t;
    assert_int_equal(fh_test_table_read(&t, path, NULL, 0, &options), FH_OK);
    assert_int_equal(t.status, FH_DONE);

    /* Four Trend Micro records; the filter is called on every non-empty line. */
    const fh_read_stats *stats = fh_reader_stats(t.reader);
    assert_int_equal(t.nrows, 4);
    assert_int_equal(calls, 14);
    assert_int_equal(stats->rows_filtered, 10);
    assert_string_equal(fh_test_text(&t, 0, "DeviceVendor"), "Trend Micro");
    fh_test_table_free(&t);
    free(path);
}

static void reader_unknown_format(void **state)
{
    const char text[] = "hello world\nsecond line\n";
    fh_test_table t;
    assert_int_equal(fh_test_table_read(&t, "notes.txt", text, sizeof text - 1, NULL),
                     FH_ERR_FORMAT);
    assert_string_equal(t.err.source, "notes.txt");
    fh_test_table_free(&t);
}

static void reader_empty_input(void **state)
{
    fh_read_options options = {.table = "DeviceNetworkEvents"};
    fh_test_table t;
    assert_int_equal(fh_test_table_read(&t, "empty.json", "", 0, &options), FH_OK);
    assert_int_equal(t.status, FH_DONE);
    assert_int_equal(t.nrows, 0);
    assert_string_equal(fh_reader_schema(t.reader)->name, "DeviceNetworkEvents");
    fh_test_table_free(&t);
}

static void reader_cef_other_table(void **state)
{
    const char text[] = "CEF:0|V|P|1|100|n|5|src=10.0.0.1\n";
    fh_read_options options = {.table = "DeviceNetworkEvents"};
    fh_test_table t;
    assert_int_equal(fh_test_table_read(&t, "x.cef", text, sizeof text - 1, &options),
                     FH_ERR_USAGE);
    assert_non_null(strstr(t.err.message, "CommonSecurityLog"));
    fh_test_table_free(&t);
}

static void reader_missing_file(void **state)
{
    fh_reader *reader;
    fh_error err;
    assert_int_equal(fh_reader_open("/nonexistent/fh/x.cef", NULL, &reader, &err),
                     FH_ERR_NOT_FOUND);
    assert_null(reader);
    assert_string_equal(err.source, "/nonexistent/fh/x.cef");
    fh_reader_close(NULL);
}

/* Uncompressed memory is read in place, so its lines, counts and bytes must equal those of
 * the same bytes read from a file, including a last line without a newline. */
static void reader_memory_equals_file(void **state)
{
    const char text[] = "CEF:0|V|P|1|100|n|5|src=10.0.0.1 msg=first\r\n"
                        "not a record\n"
                        "\n"
                        "CEF:0|V|P|1|100|n|5|src=10.0.0.2 msg=last";
    char path[] = "/tmp/fh_test_reader_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, sizeof text - 1), (ssize_t)(sizeof text - 1));
    close(fd);

    fh_test_table from_file, from_memory;
    assert_int_equal(fh_test_table_read(&from_file, path, NULL, 0, NULL), FH_OK);
    assert_int_equal(fh_test_table_read(&from_memory, "m.cef", text, sizeof text - 1, NULL), FH_OK);
    assert_int_equal(from_memory.status, FH_DONE);
    assert_int_equal(from_memory.nrows, 2);
    assert_int_equal(from_memory.nrows, from_file.nrows);
    assert_string_equal(fh_test_text(&from_memory, 0, "Message"), "first");
    assert_string_equal(fh_test_text(&from_memory, 1, "Message"), "last");
    assert_int_equal(from_memory.lines[1], 4);
    assert_int_equal(from_memory.lines[1], from_file.lines[1]);

    const fh_read_stats *file_stats = fh_reader_stats(from_file.reader);
    const fh_read_stats *memory_stats = fh_reader_stats(from_memory.reader);
    assert_int_equal(memory_stats->bytes, sizeof text - 1);
    assert_int_equal(memory_stats->bytes, file_stats->bytes);
    assert_int_equal(memory_stats->lines, file_stats->lines);
    assert_int_equal(memory_stats->rows_skipped, file_stats->rows_skipped);
    fh_test_table_free(&from_file);
    fh_test_table_free(&from_memory);
    unlink(path);
}

int main(void)
{
    FH_TEST_NEED_SHARED();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reader_cef_sample),          cmocka_unit_test(reader_cef_syslog_prefix),
        cmocka_unit_test(reader_gzip_zstd_same_rows), cmocka_unit_test(reader_gzip_file_misnamed),
        cmocka_unit_test(reader_truncated_gzip),      cmocka_unit_test(reader_stdin),
        cmocka_unit_test(path_list_folder),           cmocka_unit_test(path_list_sample_folder),
        cmocka_unit_test(reader_long_line_skipped),   cmocka_unit_test(reader_long_line_strict),
        cmocka_unit_test(reader_line_at_limit),       cmocka_unit_test(reader_bad_row_counted),
        cmocka_unit_test(reader_bad_row_strict),      cmocka_unit_test(reader_projection),
        cmocka_unit_test(reader_line_filter),         cmocka_unit_test(reader_unknown_format),
        cmocka_unit_test(reader_empty_input),         cmocka_unit_test(reader_cef_other_table),
        cmocka_unit_test(reader_missing_file),        cmocka_unit_test(reader_memory_equals_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
