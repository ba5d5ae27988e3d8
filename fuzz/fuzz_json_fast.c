/*
 * Fuzz target for the JSON lines fast path. The input is read twice, with the fast path and
 * with jansson only, and the target aborts when the batches, cells, line numbers, statistics
 * or errors differ.
 *
 * A fixed prefix comes before the input. A prefix of FH_JSON_SCAN_LINES lines makes the input
 * stream after the schema scan. A prefix of one line makes the input's keys join the schema
 * and its lines wait in the scan's queue. The first input byte picks the options (strict mode,
 * projection, a forced table, a line filter) and the prefix's shape and length.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "foxhound/reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The first prefix line names the keys that become columns, extra columns included. */
static const char flat_first[] =
    "{\"Timestamp\":\"2024-01-01T00:00:00Z\",\"DeviceName\":\"h\",\"RemoteIP\":\"10.0.0.1\","
    "\"RemotePort\":80,\"InitiatingProcessId\":7,\"IsInitiatingProcessRemoteSession\":true,"
    "\"AdditionalFields\":{\"k\":1},\"Extra\":[1],\"Note\":\"n\"}\n";
static const char defender_first[] =
    "{\"category\":\"AdvancedHunting-DeviceNetworkEvents\",\"properties\":{\"DeviceName\":\"h\","
    "\"RemotePort\":80,\"InitiatingProcessId\":7,\"Extra\":[1]}}\n";

static bool keep_odd_lengths(void *ctx, const char *line, size_t len)
{
    (void)ctx;
    (void)line;
    return len % 2 == 1;
}

static char *make_input(const uint8_t *data, size_t size, bool defender, bool short_prefix,
                        size_t *len)
{
    const char *first = defender ? defender_first : flat_first;
    size_t first_len = strlen(first);
    size_t prefix_len = first_len + (short_prefix ? 0 : 3 * (FH_JSON_SCAN_LINES - 1));
    char *input = malloc(prefix_len + size);
    if (input == NULL)
        abort();
    memcpy(input, first, first_len);
    for (size_t i = first_len; i < prefix_len; i += 3)
        memcpy(input + i, "{}\n", 3);
    memcpy(input + prefix_len, data, size);
    *len = prefix_len + size;
    return input;
}

static bool same_cell(const fh_value *a, const fh_value *b)
{
    if (a->type != b->type || a->is_null != b->is_null)
        return false;
    if (a->is_null)
        return true;
    switch ((fh_type)a->type) {
    case FH_TYPE_BOOL:
        return a->u.b == b->u.b;
    case FH_TYPE_INT:
        return a->u.i == b->u.i;
    case FH_TYPE_STRING:
        return a->u.s.len == b->u.s.len && memcmp(a->u.s.ptr, b->u.s.ptr, a->u.s.len) == 0;
    case FH_TYPE_GUID:
        return memcmp(a->u.guid, b->u.guid, 16) == 0;
    case FH_TYPE_DYNAMIC: {
        char *x = json_dumps(a->u.dyn, JSON_ENCODE_ANY | JSON_COMPACT);
        char *y = json_dumps(b->u.dyn, JSON_ENCODE_ANY | JSON_COMPACT);
        bool same = x != NULL && y != NULL && strcmp(x, y) == 0;
        free(x);
        free(y);
        return same;
    }
    default:
        /* long, real (bit for bit, so -0.0 differs from 0.0), datetime and timespan */
        return memcmp(&a->u.l, &b->u.l, sizeof a->u.l) == 0;
    }
}

static void check_same_schema(const fh_schema *a, const fh_schema *b)
{
    if (a->ncols != b->ncols)
        abort();
    for (size_t col = 0; col < a->ncols; col++)
        if (a->cols[col].type != b->cols[col].type || strcmp(a->cols[col].name, b->cols[col].name))
            abort();
}

static void check_same_batches(fh_reader *fast, fh_reader *tree)
{
    check_same_schema(fh_reader_schema(fast), fh_reader_schema(tree));
    fh_batch a, b;
    fh_batch_init(&a, fh_reader_schema(fast), NULL);
    fh_batch_init(&b, fh_reader_schema(tree), NULL);
    size_t ncols = fh_reader_schema(fast)->ncols;
    fh_status sa, sb;
    do {
        fh_error ea, eb;
        fh_error_clear(&ea);
        fh_error_clear(&eb);
        sa = fh_reader_next(fast, &a, &ea);
        sb = fh_reader_next(tree, &b, &eb);
        if (sa != sb || a.nrows != b.nrows || ea.line != eb.line || ea.column != eb.column ||
            strcmp(ea.message, eb.message) != 0)
            abort();
        for (size_t row = 0; row < a.nrows; row++) {
            if (a.line_numbers[row] != b.line_numbers[row])
                abort();
            for (size_t col = 0; col < ncols; col++)
                if (!same_cell(&fh_batch_row(&a, row)[col], &fh_batch_row(&b, row)[col]))
                    abort();
        }
    } while (sa == FH_OK);
    fh_batch_destroy(&a);
    fh_batch_destroy(&b);

    if (memcmp(fh_reader_stats(fast), fh_reader_stats(tree), sizeof(fh_read_stats)) != 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    static const char *const columns[3] = {"RemoteIP", "Timestamp", "Extra"};
    uint8_t flags = data[0];
    fh_read_options options = {.format = FH_LOG_JSON, .strict = flags & 1};
    if (flags & 2) {
        options.columns = columns;
        options.ncolumns = 3;
    }
    if (flags & 4)
        options.table = "DeviceFileEvents";
    if (flags & 8)
        options.line_filter = keep_odd_lengths;

    size_t len;
    char *input = make_input(data + 1, size - 1, flags & 16, flags & 32, &len);
    fh_reader *fast = NULL, *tree = NULL;
    fh_error fast_err, tree_err;
    fh_error_clear(&fast_err);
    fh_error_clear(&tree_err);
    fh_status fast_st = fh_reader_open_memory("fuzz", input, len, &options, &fast, &fast_err);
    options.no_json_fast_path = true;
    fh_status tree_st = fh_reader_open_memory("fuzz", input, len, &options, &tree, &tree_err);
    /* With the short prefix, a bad line in strict mode makes both opens fail alike. */
    if (fast_st != tree_st || fast_err.line != tree_err.line ||
        strcmp(fast_err.message, tree_err.message) != 0)
        abort();
    if (fast_st == FH_OK)
        check_same_batches(fast, tree);
    fh_reader_close(fast);
    fh_reader_close(tree);
    free(input);
    return 0;
}
