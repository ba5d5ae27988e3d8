/*
 * The JSON lines fast path against the jansson path. Every input is read twice, with
 * fh_read_options.no_json_fast_path off and on. The rows (cell types, nulls and bytes), line
 * numbers, statistics with their reasons and line numbers, and errors must be equal.
 *
 * The reader reads the first FH_JSON_SCAN_LINES lines ahead to fix the schema, and the fast
 * path collects their keys and queues their text, or leaves them to jansson. Hand-written edge
 * lines are therefore read both inside that scan and after it, and sample files are repeated
 * until their lines reach past the scan.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fh_test.h"
#include "fh_test_table.h"
#include "foxhound/reader.h"
#include "read/reader_internal.h"
#include "table/value_text.h"

/* Maximum size, in bytes, that a sample file is repeated up to. */
#define SAMPLE_INPUT_MAX (4 * 1024 * 1024)

/* Lines before an edge line: the schema scan and a few lines for the fast path. */
#define FILLER_LINES (FH_JSON_SCAN_LINES + 4)

/* Reading */

typedef struct read_result {
    fh_status open_status, status;
    char error[FH_ERROR_MESSAGE_MAX + FH_ERROR_SOURCE_MAX + 64];
    char detection[READER_DETECTION_MAX];
    fh_strbuf rows; /* every row's line number and cells, rendered exactly */
    fh_read_stats stats;
    uint64_t fast_rows;
} read_result;

static void render_cell(fh_strbuf *t, const fh_value *v)
{
    fh_strbuf_printf(t, "|%d%c", v->type, v->is_null ? 'N' : ':');
    if (v->is_null)
        return;
    switch ((fh_type)v->type) {
    case FH_TYPE_BOOL:
        fh_strbuf_printf(t, "%d", v->u.b);
        break;
    case FH_TYPE_INT:
        fh_strbuf_printf(t, "%d", v->u.i);
        break;
    case FH_TYPE_LONG:
    case FH_TYPE_DATETIME:
    case FH_TYPE_TIMESPAN:
        fh_strbuf_printf(t, "%lld", (long long)v->u.l);
        break;
    case FH_TYPE_REAL:
        fh_strbuf_printf(t, "%a", v->u.r);
        break;
    case FH_TYPE_STRING:
        fh_strbuf_printf(t, "%zu:", v->u.s.len);
        fh_strbuf_append(t, v->u.s.ptr, v->u.s.len);
        break;
    case FH_TYPE_DYNAMIC: {
        char *json = json_dumps(v->u.dyn, JSON_ENCODE_ANY | JSON_COMPACT);
        assert_non_null(json);
        fh_strbuf_append(t, json, strlen(json));
        free(json);
        break;
    }
    case FH_TYPE_GUID:
        for (int i = 0; i < 16; i++)
            fh_strbuf_printf(t, "%02x", v->u.guid[i]);
        break;
    case FH_TYPE_COUNT:
        fail_msg("cell of type FH_TYPE_COUNT");
    }
}

static bool keep_odd_lengths(void *ctx, const char *line, size_t len)
{
    (void)ctx;
    (void)line;
    return len % 2 == 1;
}

/* The option sets every input is read with. */
enum { OPTION_SETS = 4 };

static fh_read_options option_set(int set_number)
{
    static const char *const columns[] = {"RemoteIP", "Timestamp", "AdditionalFields", "RemotePort",
                                          "DeviceName"};
    fh_read_options o = {.format = FH_LOG_JSON};
    switch (set_number) {
    case 1:
        o.strict = true;
        break;
    case 2:
        o.columns = columns;
        o.ncolumns = sizeof columns / sizeof columns[0];
        o.line_filter = keep_odd_lengths;
        break;
    case 3:
        o.table = "DeviceFileEvents";
        break;
    default:
        break;
    }
    return o;
}

static void read_all(const char *data, size_t len, fh_read_options options, bool fast,
                     read_result *out)
{
    memset(out, 0, sizeof *out);
    fh_strbuf_init(&out->rows);
    options.no_json_fast_path = !fast;
    fh_error err;
    fh_error_clear(&err);
    fh_reader *reader = NULL;
    out->open_status = fh_reader_open_memory("input.json", data, len, &options, &reader, &err);
    if (out->open_status != FH_OK) {
        fh_error_format(&err, out->error, sizeof out->error);
        return;
    }
    snprintf(out->detection, sizeof out->detection, "%s", fh_reader_detection(reader));
    const fh_schema *schema = fh_reader_schema(reader);
    fh_batch batch;
    assert_int_equal(fh_batch_init(&batch, schema, &err), FH_OK);
    for (size_t c = 0; c < schema->ncols; c++)
        fh_strbuf_printf(&out->rows, "%s:%d,", schema->cols[c].name, schema->cols[c].type);

    /* After an error the batch still contains the rows finished before it. */
    do {
        out->status = fh_reader_next(reader, &batch, &err);
        for (size_t row = 0; row < batch.nrows; row++) {
            fh_strbuf_printf(&out->rows, "\n%llu", (unsigned long long)batch.line_numbers[row]);
            fh_value *cells = fh_batch_row(&batch, row);
            for (size_t c = 0; c < schema->ncols; c++)
                render_cell(&out->rows, &cells[c]);
        }
    } while (out->status == FH_OK);
    if (out->status != FH_DONE)
        fh_error_format(&err, out->error, sizeof out->error);
    assert_int_equal(fh_strbuf_status(&out->rows), FH_OK);
    out->stats = *fh_reader_stats(reader);
    out->fast_rows = reader->json.fast_rows;
    fh_batch_destroy(&batch);
    fh_reader_close(reader);
}

/* Comparing */

static void assert_rows_equal(const fh_strbuf *a, const fh_strbuf *b, const char *description)
{
    if (a->len == b->len && (a->len == 0 || memcmp(a->data, b->data, a->len) == 0))
        return;
    size_t i = 0;
    while (i < a->len && i < b->len && a->data[i] == b->data[i])
        i++;
    size_t from = i > 120 ? i - 120 : 0;
    fail_msg("%s: rows differ at byte %zu\njansson: %.240s\nfast:    %.240s", description, i,
             a->data ? a->data + from : "", b->data ? b->data + from : "");
}

static void assert_results_equal(const read_result *tree, const read_result *fast,
                                 const char *description)
{
    assert_int_equal(tree->open_status, fast->open_status);
    assert_int_equal(tree->status, fast->status);
    assert_string_equal(tree->error, fast->error);
    assert_string_equal(tree->detection, fast->detection);
    assert_rows_equal(&tree->rows, &fast->rows, description);

    fh_test_assert_stats_equal(&tree->stats, &fast->stats);
    assert_int_equal(tree->fast_rows, 0);
}

static void free_result(read_result *r)
{
    fh_strbuf_free(&r->rows);
}

/*
 * Reads data with the option sets first to last, with and without the fast path, and asserts
 * equal results. Returns the rows the fast path loaded with the first option set.
 */
static uint64_t compare_options(const char *data, size_t len, const char *description, int first,
                                int last)
{
    uint64_t fast_rows = 0;
    for (int set_number = first; set_number <= last; set_number++) {
        read_result tree, fast;
        read_all(data, len, option_set(set_number), false, &tree);
        read_all(data, len, option_set(set_number), true, &fast);
        char label[512];
        snprintf(label, sizeof label, "%s, option set %d", description, set_number);
        assert_results_equal(&tree, &fast, label);
        if (set_number == first)
            fast_rows = fast.fast_rows;
        free_result(&tree);
        free_result(&fast);
    }
    return fast_rows;
}

static uint64_t compare_paths(const char *data, size_t len, const char *description)
{
    return compare_options(data, len, description, 0, OPTION_SETS - 1);
}

/* Edge lines */

/* A line with every key of the edge lines that is a column, extra columns included. */
static void add_flat_full(fh_strbuf *t, int i)
{
    fh_strbuf_printf(t,
                     "{\"Timestamp\":\"2024-01-01T00:%02d:%02dZ\",\"DeviceName\":\"host%d\","
                     "\"RemoteIP\":\"10.0.%d.%d\",\"RemotePort\":%d,\"InitiatingProcessId\":%d,",
                     i / 60 % 60, i % 60, i, i / 256 % 256, i % 256, 1000 + i, 4000 + i);
    fh_strbuf_printf(
        t,
        "\"IsInitiatingProcessRemoteSession\":%s,\"AdditionalFields\":{\"k\":%d},"
        "\"ActionType\":\"ConnectionSuccess\",\"Extra\":{\"n\":[%d]},\"Note\":\"n%d\"}",
        i % 2 ? "true" : "false", i, i, i);
}

/*
 * Writes filler line i. Lines 0 and FILLER_LINES (the last line of an input) have every key,
 * and the others are short to keep the test fast.
 */
static void add_filler(fh_strbuf *t, bool defender, int i)
{
    if (defender)
        fh_strbuf_printf(t, "{\"time\":\"2024-01-01T00:00:00Z\","
                            "\"category\":\"AdvancedHunting-DeviceNetworkEvents\",\"properties\":");
    if (i == 0 || i == FILLER_LINES)
        add_flat_full(t, i);
    else
        fh_strbuf_printf(t, "{\"DeviceName\":\"h%d\",\"RemotePort\":%d}", i, i);
    fh_strbuf_printf(t, defender ? "}\n" : "\n");
}

/*
 * Lines after the filler. All are read together with every option set. Each is also read
 * alone, inside the schema scan with every option set and after it in strict mode, where the
 * first bad line ends the read.
 */
static const char *const edge_lines[] = {
    /* Escapes and Unicode. */
    "{\"DeviceName\":\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\te\",\"RemoteIP\":\"\\u00e9\\u4e2d\"}",
    "{\"DeviceName\":\"\\ud83d\\ude00 \\uD83D\\uDE00\",\"Note\":\"\\u0041\"}",
    "{\"DeviceName\":\"\\ud800\"}",
    "{\"DeviceName\":\"\\udc00\"}",
    "{\"DeviceName\":\"\\ud800\\u0041\"}",
    "{\"DeviceName\":\"\\ud800x\"}",
    "{\"DeviceName\":\"a\\u0000b\"}",
    "{\"DeviceName\":\"\\x41\"}",
    "{\"DeviceName\":\"\\u12g4\"}",
    "{\"DeviceName\":\"caf\xc3\xa9 \xe4\xb8\xad \xf0\x9f\x98\x80\"}",
    "{\"DeviceName\":\"\xc0\x80\"}",
    "{\"DeviceName\":\"\xed\xa0\x80\"}",
    "{\"DeviceName\":\"\xf4\x90\x80\x80\"}",
    "{\"DeviceName\":\"\xe4\xb8\"}",
    "{\"DeviceName\":\"\xff\"}",
    "{\"DeviceName\":\"tab\there\"}",
    /* Strings scanned 16 bytes at a time, with the byte to stop at past the first 16. */
    "{\"DeviceName\":\"0123456789abcdefghij\x01klm\"}",
    "{\"DeviceName\":\"0123456789abcdefghij\xffklm\"}",
    "{\"DeviceName\":\"0123456789abcdefghij\xc3\xa9klmnopqrstuvwxyz0123456789\\\\\"}",
    "{\"DeviceName\":\"0123456789abcdefghijklmnopqrstu\\\"vwxyz\\u00e9\", \"RemoteIP\":\"\"}",
    "{\"DeviceName\":\"del\x7f\"}",
    "{\"Device\\u004eame\":\"escaped key\"}",
    "{\"DeviceName\":\"x\",\"Extra\":\"\\u0041\\n\",\"Note\":[\"\\ud83d\\ude00\"]}",
    /* Repeated keys. */
    "{\"DeviceName\":\"a\",\"RemoteIP\":\"1.1.1.1\",\"DeviceName\":\"b\"}",
    "{\"NewKey\":1,\"NewKey\":2}",
    "{\"NewKey\":1,\"OtherKey\":2,\"NewKey\":3}",
    "{\"AdditionalFields\":{\"a\":1,\"a\":2}}",
    /* Keys that are not columns. */
    "{\"NewKey\":1,\"DeviceName\":\"h\"}",
    "{\"AKeyLongerThanSixtyCharactersAKeyLongerThanSixtyCharactersAKeyLongerThanSixty\":1}",
    /* Numbers. */
    "{\"RemotePort\":1e400}",
    "{\"RemotePort\":-1e400}",
    "{\"RemotePort\":1e-400,\"InitiatingProcessId\":1E+2}",
    "{\"RemotePort\":-0,\"InitiatingProcessId\":-0.0}",
    "{\"RemotePort\":1.0,\"InitiatingProcessId\":1.9}",
    "{\"RemotePort\":2147483647,\"InitiatingProcessId\":-1.5}",
    "{\"RemotePort\":2147483648,\"InitiatingProcessId\":1e19}",
    "{\"RemotePort\":-2147483649,\"InitiatingProcessId\":9223372036854775807}",
    "{\"InitiatingProcessId\":9223372036854775808}",
    "{\"InitiatingProcessId\":-9223372036854775808}",
    "{\"InitiatingProcessId\":-9223372036854775809}",
    "{\"InitiatingProcessId\":123456789012345678901234567890}",
    "{\"RemotePort\":01}",
    "{\"RemotePort\":1.}",
    "{\"RemotePort\":.5}",
    "{\"RemotePort\":-}",
    "{\"RemotePort\":1e}",
    "{\"RemotePort\":+1}",
    "{\"DeviceName\":123,\"RemoteIP\":-4.25e-3,\"Note\":1.5E300}",
    "{\"DeviceName\":0.1,\"RemoteIP\":100000000000000000000000.0}",
    "{\"IsInitiatingProcessRemoteSession\":1,\"RemotePort\":true,\"InitiatingProcessId\":false}",
    "{\"IsInitiatingProcessRemoteSession\":0.0}",
    "{\"IsInitiatingProcessRemoteSession\":\"true\"}",
    "{\"IsInitiatingProcessRemoteSession\":\"yes\"}",
    /* Nulls and wrong types. */
    "{\"RemoteIP\":null,\"Timestamp\":null,\"Extra\":null,\"NewKey\":null}",
    "{\"RemoteIP\":\"null\",\"Timestamp\":\"null\",\"RemotePort\":\"null\"}",
    "{\"RemotePort\":\"80\",\"InitiatingProcessId\":\" 42 \"}",
    "{\"RemotePort\":\"abc\"}",
    "{\"RemotePort\":[1],\"InitiatingProcessId\":{\"a\":1}}",
    "{\"Timestamp\":12345}",
    "{\"Timestamp\":1700000000,\"TimeGenerated\":1700000000000}",
    "{\"Timestamp\":\"2024-13-01T00:00:00Z\"}",
    "{\"DeviceName\":true,\"RemoteIP\":[1,\"a\",{\"b\":null}],\"ActionType\":{}}",
    "{\"AdditionalFields\":\"{\\\"a\\\":1}\"}",
    "{\"AdditionalFields\":\"not json\",\"Extra\":\"text\"}",
    "{\"AdditionalFields\":\"null\",\"Extra\":false,\"Note\":-7}",
    "{\"AdditionalFields\":[],\"Extra\":{},\"Note\":[[]]}",
    /* Nesting. */
    "{\"AdditionalFields\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
    "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}",
    "{\"AdditionalFields\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
    "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}",
    "{\"AdditionalFields\":\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
    "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\"}",
    /* Layout of the line. */
    "\xef\xbb\xbf{\"DeviceName\":\"bom\"}",
    "  {\"DeviceName\":\"spaces\"}  \t",
    "{ \"DeviceName\" : \"inner spaces\" , \"RemotePort\" : 5 }",
    "{\"DeviceName\":\"crlf\"}\r",
    "{\"DeviceName\":\"cr inside\"}\r\r",
    "",
    "   ",
    "{\"DeviceName\":\"garbage\"} x",
    "{\"DeviceName\":\"two\"}{\"DeviceName\":\"objects\"}",
    "{\"DeviceName\":\"truncated",
    "{\"DeviceName\":\"trailing comma\",}",
    "{\"DeviceName\" \"no colon\"}",
    "{}",
    "{\"DeviceName\":tru}",
    "{\"DeviceName\":nul}",
    "[{\"DeviceName\":\"array\"}]",
    "\"just a string\"",
    "42",
    "{\"records\":[{\"DeviceName\":\"r1\"},{\"DeviceName\":\"r2\"}]}",
    "{\"records\":\"not an array\",\"DeviceName\":\"r3\"}",
    "{\"Results\":[{\"DeviceName\":\"api\"}]}",
    "{\"results\":[5,{\"DeviceName\":\"api\"}]}",
    /* Defender streaming records. */
    "{\"category\":\"AdvancedHunting-DeviceNetworkEvents\",\"properties\":{\"DeviceName\":\"d1\"}}",
    "{\"properties\":{\"DeviceName\":\"d2\"},\"category\":\"AdvancedHunting-DeviceNetworkEvents\"}",
    "{\"category\":\"AdvancedHunting-DeviceFileEvents\",\"properties\":{\"DeviceName\":\"d3\"}}",
    "{\"category\":\"AdvancedHunting-\",\"properties\":{\"DeviceName\":\"d4\"}}",
    "{\"category\":\"Other\",\"properties\":{\"DeviceName\":\"d5\"}}",
    "{\"category\":\"AdvancedHunting-DeviceNetworkEvents\",\"properties\":[1]}",
    "{\"category\":5,\"properties\":{\"DeviceName\":\"d6\"}}",
    "{\"category\":\"AdvancedHunting-DeviceNetworkEvents\",\"properties\":{\"DeviceName\":\"d7\"},"
    "\"properties\":1}",
    "{\"category\":\"AdvancedHunting-DeviceNetworkEvents\",\"properties\":1,"
    "\"properties\":{\"DeviceName\":\"d8\"}}",
    "{\"category\":\"AdvancedHunting-DeviceNetworkEvents\",\"category\":\"x\","
    "\"properties\":{\"DeviceName\":\"d9\"}}",
    "{\"category\":\"AdvancedHunting-Device\\u004eetworkEvents\",\"properties\":{\"DeviceName\":"
    "\"d10\"}}",
    "{\"category\":\"AdvancedHunting-DeviceNetworkEvents\",\"properties\":{\"DeviceName\":\"d11\","
    "\"DeviceName\":\"d12\"}}",
    "{\"category\":\"AdvancedHunting-DeviceNetworkEvents\",\"properties\":{}}",
    "{\"category\":\"AdvancedHunting-DeviceNetworkEvents\",\"properties\":{\"Nested\":{"
    "\"properties\""
    ":{\"a\":1}},\"RemotePort\":\"x\"}}",
};

#define EDGE_COUNT (sizeof edge_lines / sizeof edge_lines[0])

/* Writes filler_lines filler lines, the given lines, and one last flat line with every key. */
static void make_input(fh_strbuf *t, bool defender, int filler_lines, const char *const *lines,
                       size_t nlines)
{
    t->len = 0;
    for (int i = 0; i < filler_lines; i++)
        add_filler(t, defender, i);
    for (size_t i = 0; i < nlines; i++) {
        fh_strbuf_append(t, lines[i], strlen(lines[i]));
        fh_strbuf_append(t, "\n", 1);
    }
    add_filler(t, false, FILLER_LINES);
}

/*
 * Reads each edge line alone after filler_lines filler lines with the option sets first to
 * last, then all edge lines together with every option set. The filler lines before the edge
 * lines are valid, so the fast path loads each of them with the first option set.
 */
static void compare_edge_lines(int filler_lines, int first, int last)
{
    fh_strbuf input;
    fh_strbuf_init(&input);
    for (int defender = 0; defender < 2; defender++) {
        for (size_t i = 0; i < EDGE_COUNT; i++) {
            make_input(&input, defender, filler_lines, &edge_lines[i], 1);
            char description[160];
            snprintf(description, sizeof description, "edge line %zu after %d lines (%s filler)", i,
                     filler_lines, defender ? "Defender" : "flat");
            assert_true(compare_options(input.data, input.len, description, first, last) >=
                        (uint64_t)filler_lines);
        }
        make_input(&input, defender, filler_lines, edge_lines, EDGE_COUNT);
        assert_true(compare_paths(input.data, input.len, "all edge lines") >=
                    (uint64_t)filler_lines + 1);
    }
    fh_strbuf_free(&input);
}

/* Each edge line in strict mode, streamed after the schema scan. */
static void json_fast_edge_lines(void **state)
{
    (void)state;
    compare_edge_lines(FILLER_LINES, 1, 1);
}

/* The edge lines inside the schema scan: their keys make columns and the filter drops some. */
static void json_fast_edge_lines_in_scan(void **state)
{
    (void)state;
    compare_edge_lines(1, 0, OPTION_SETS - 1);
}

/* Reads one edge line after the flat filler with the fast path. */
static void read_edge_line(const char *line, read_result *out)
{
    fh_strbuf input;
    fh_strbuf_init(&input);
    make_input(&input, false, FILLER_LINES, &line, 1);
    read_all(input.data, input.len, option_set(0), true, out);
    fh_strbuf_free(&input);
    assert_int_equal(out->status, FH_DONE);
    /* Every filler line, queued in the scan or streamed, the edge line and the last line. */
    assert_int_equal(out->fast_rows, FILLER_LINES + 2);
}

/* The fast path decodes values itself, so a few are checked by their expected bytes. */
static void json_fast_decoded_values(void **state)
{
    (void)state;
    read_result r;
    read_edge_line(edge_lines[0], &r);
    assert_non_null(strstr(r.rows.data, "|6:13:a\"b\\c/d\b\f\n\r\te|"));
    assert_non_null(strstr(r.rows.data, "|6:5:\xc3\xa9\xe4\xb8\xad|"));
    free_result(&r);

    read_edge_line(edge_lines[1], &r);
    assert_non_null(strstr(r.rows.data, "|6:9:\xf0\x9f\x98\x80 \xf0\x9f\x98\x80|"));
    assert_non_null(strstr(r.rows.data, "\"A\""));
    free_result(&r);

    read_edge_line("{\"RemotePort\":-0,\"InitiatingProcessId\":-9223372036854775808}", &r);
    assert_non_null(strstr(r.rows.data, "|1:0|"));
    assert_non_null(strstr(r.rows.data, "|2:-9223372036854775808|"));
    free_result(&r);
}

/* Files */

static uint64_t compare_file(const char *path)
{
    size_t len = 0;
    char *data = fh_test_read_file(path, &len);
    assert_non_null(data);
    size_t lines = len > 0 && data[len - 1] != '\n';
    for (size_t i = 0; i < len; i++)
        lines += data[i] == '\n';
    if (lines == 0)
        lines = 1;

    /* Repeat the file until one whole copy comes after the schema scan. */
    size_t copies = (FH_JSON_SCAN_LINES + lines) / lines + 1;
    if (copies * (len + 1) > SAMPLE_INPUT_MAX)
        copies = SAMPLE_INPUT_MAX / (len + 1) > 2 ? SAMPLE_INPUT_MAX / (len + 1) : 2;
    fh_strbuf input;
    fh_strbuf_init(&input);
    for (size_t i = 0; i < copies; i++) {
        fh_strbuf_append(&input, data, len);
        if (len > 0 && data[len - 1] != '\n')
            fh_strbuf_append(&input, "\n", 1);
    }
    uint64_t fast_rows = compare_paths(input.data, input.len, path);
    fh_strbuf_free(&input);
    free(data);
    return fast_rows;
}

static bool is_json_name(const char *name)
{
    size_t n = strlen(name);
    return (n > 5 && strcmp(name + n - 5, ".json") == 0) ||
           (n > 6 && strcmp(name + n - 6, ".jsonl") == 0) ||
           (n > 7 && strcmp(name + n - 7, ".ndjson") == 0);
}

/* Compares every JSON file under a folder, recursively. Returns the number of files. */
static int compare_folder(const char *folder, uint64_t *fast_rows)
{
    DIR *dir = opendir(folder);
    assert_non_null(dir);
    int files = 0;
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL) {
        if (entry->d_name[0] == '.')
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", folder, entry->d_name);
        struct stat st;
        assert_int_equal(stat(path, &st), 0);
        if (S_ISDIR(st.st_mode)) {
            files += compare_folder(path, fast_rows);
        } else if (is_json_name(entry->d_name)) {
            *fast_rows += compare_file(path);
            files++;
        }
    }
    closedir(dir);
    return files;
}

static void json_fast_example_logs(void **state)
{
    (void)state;
    char *folder = fh_test_source_path("examples/logs");
    uint64_t fast_rows = 0;
    assert_true(compare_folder(folder, &fast_rows) >= 2);
    assert_true(fast_rows > 0);
    free(folder);
}

static void json_fast_public_samples(void **state)
{
    (void)state;
    char *folder = fh_test_shared_path("data/public");
    if (folder == NULL) {
        fprintf(stderr, "SKIP: public sample data folder not found (set FH_SHARED_DIR)\n");
        skip();
    }
    uint64_t fast_rows = 0;
    assert_true(compare_folder(folder, &fast_rows) >= 10);
    assert_true(fast_rows > 0);
    free(folder);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(json_fast_edge_lines),     cmocka_unit_test(json_fast_edge_lines_in_scan),
        cmocka_unit_test(json_fast_decoded_values), cmocka_unit_test(json_fast_example_logs),
        cmocka_unit_test(json_fast_public_samples),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
