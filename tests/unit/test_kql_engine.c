/*
 * Data-driven tests of the KQL engine. Every tests/kql/NAME.kql file contains cases separated by
 * a line "====". A case has sections, each started by a line beginning "-- ":
 *
 *   -- case NAME            optional name shown in failures
 *   -- now DATETIME         value of now(); default 2026-06-12T00:00:00Z
 *   -- table NAME           a CSV table follows: header "Col:type,..." (type defaults to
 *                           string), then rows; an empty cell is null (or "" for strings)
 *   -- file NAME PATH       binds a log file (PATH relative to the repository, or
 *                           $SHARED/... for the public sample data) to table NAME ("-" detects)
 *   -- query                the KQL text follows
 *   -- expect               the result as CSV follows: header (a "Name:type" cell also checks
 *                           the type), then the rows in result order; null renders as empty
 *   -- error                the rendered error follows (message line, query line, caret)
 *
 * Each case runs twice, with and without the planner's shortcuts (column pushdown, literal
 * prefilter, hashed `in` sets); both runs must give the expected output, and the same one.
 * docs/kql.md is read too: each ```kql block followed by a ```csv (or ```error) block is a
 * case, so the examples in the documentation cannot drift from the engine.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "fh_test.h"
#include "foxhound/datetime.h"
#include "foxhound/kql.h"
#include "foxhound/limits.h"
#include "foxhound/value_ops.h"

#define MAX_TABLES 8
#define MAX_FILES 8

/* --- growable text ------------------------------------------------------------------------------
 */

typedef struct text {
    char *ptr;
    size_t len, cap;
} text;

static void text_add(text *t, const char *p, size_t n)
{
    if (t->len + n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 256;
        while (cap < t->len + n + 1)
            cap *= 2;
        t->ptr = realloc(t->ptr, cap);
        assert_non_null(t->ptr);
        t->cap = cap;
    }
    memcpy(t->ptr + t->len, p, n);
    t->len += n;
    t->ptr[t->len] = '\0';
}

static void text_addf(text *t, const char *fmt, ...)
{
    char buf[4096];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    text_add(t, buf, n < (int)sizeof buf ? (size_t)n : sizeof buf - 1);
}

/* Drops trailing blank lines and spaces. */
static void text_trim(text *t)
{
    while (t->len > 0 &&
           (t->ptr[t->len - 1] == '\n' || t->ptr[t->len - 1] == ' ' || t->ptr[t->len - 1] == '\r'))
        t->ptr[--t->len] = '\0';
}

/* --- CSV ----------------------------------------------------------------------------------------
 */

typedef struct csv_row {
    char **cells;
    size_t count;
} csv_row;

typedef struct csv {
    csv_row *rows;
    size_t count;
} csv;

/* Parses RFC 4180 CSV (quoted cells may hold commas, quotes and newlines). */
static void csv_parse(const char *p, size_t len, csv *out)
{
    memset(out, 0, sizeof *out);
    size_t i = 0;
    while (i < len) {
        csv_row row = {0};
        for (;;) {
            text cell = {0};
            text_add(&cell, "", 0);
            if (i < len && p[i] == '"') {
                i++;
                while (i < len) {
                    if (p[i] == '"' && i + 1 < len && p[i + 1] == '"') {
                        text_add(&cell, "\"", 1);
                        i += 2;
                    } else if (p[i] == '"') {
                        i++;
                        break;
                    } else {
                        text_add(&cell, &p[i++], 1);
                    }
                }
            }
            while (i < len && p[i] != ',' && p[i] != '\n')
                text_add(&cell, &p[i++], 1);
            if (cell.len > 0 && cell.ptr[cell.len - 1] == '\r')
                cell.ptr[--cell.len] = '\0';
            row.cells = realloc(row.cells, (row.count + 1) * sizeof *row.cells);
            row.cells[row.count++] = cell.ptr;
            if (i < len && p[i] == ',') {
                i++;
                continue;
            }
            if (i < len)
                i++; /* newline */
            break;
        }
        out->rows = realloc(out->rows, (out->count + 1) * sizeof *out->rows);
        out->rows[out->count++] = row;
    }
}

static void csv_free(csv *c)
{
    for (size_t r = 0; r < c->count; r++) {
        for (size_t k = 0; k < c->rows[r].count; k++)
            free(c->rows[r].cells[k]);
        free(c->rows[r].cells);
    }
    free(c->rows);
    memset(c, 0, sizeof *c);
}

static void csv_write_cell(text *t, const char *p, size_t n)
{
    bool quote = n == 0 ? false : (memchr(p, ',', n) || memchr(p, '"', n) || memchr(p, '\n', n));
    if (!quote) {
        text_add(t, p, n);
        return;
    }
    text_add(t, "\"", 1);
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '"')
            text_add(t, "\"", 1);
        text_add(t, &p[i], 1);
    }
    text_add(t, "\"", 1);
}

/* --- test tables through a provider -------------------------------------------------------------
 */

typedef struct test_table {
    char name[128];
    fh_schema *schema;
    csv data; /* rows after the header */
} test_table;

static fh_status table_open(void *ctx, void **scan, fh_error *err)
{
    size_t *next = calloc(1, sizeof *next);
    *scan = next;
    return next != NULL ? FH_OK : fh_error_set(err, FH_ERR_NOMEM, NULL, 0, 0, "out of memory");
}

static fh_status table_next(void *ctx, void *scan, fh_batch *batch, fh_error *err)
{
    test_table *t = ctx;
    size_t *next = scan;
    fh_batch_clear(batch);
    if (*next >= t->data.count)
        return FH_DONE;
    for (; *next < t->data.count && batch->nrows < FH_BATCH_ROWS; (*next)++) {
        const csv_row *src = &t->data.rows[*next];
        fh_value *row;
        fh_status st = fh_batch_append(batch, &row, err);
        if (st != FH_OK)
            return st;
        for (size_t c = 0; c < t->schema->ncols && c < src->count; c++) {
            fh_type type = t->schema->cols[c].type;
            st = fh_value_from_text(type, src->cells[c], strlen(src->cells[c]), &batch->arena,
                                    &row[c]);
            if (st != FH_OK)
                return fh_error_set(err, st, t->name, *next + 2, c + 1, "invalid %s cell '%s'",
                                    fh_type_name(type), src->cells[c]);
        }
    }
    return FH_OK;
}

static void table_close(void *ctx, void *scan)
{
    free(scan);
}

static void table_load(test_table *t, const char *name, const char *body, size_t len)
{
    snprintf(t->name, sizeof t->name, "%s", name);
    csv all;
    csv_parse(body, len, &all);
    assert_true(all.count >= 1);
    const csv_row *header = &all.rows[0];
    fh_column *cols = calloc(header->count + 1, sizeof *cols);
    for (size_t c = 0; c < header->count; c++) {
        char *colon = strchr(header->cells[c], ':');
        cols[c].type = FH_TYPE_STRING;
        if (colon != NULL) {
            *colon = '\0';
            assert_int_equal(fh_type_from_name(colon + 1, strlen(colon + 1), &cols[c].type), FH_OK);
        }
        cols[c].name = header->cells[c];
    }
    fh_error err;
    assert_int_equal(fh_schema_create(name, cols, header->count, &t->schema, &err), FH_OK);
    free(cols);
    /* The table keeps the data rows; the header row and the array go. */
    t->data.count = all.count - 1;
    t->data.rows = malloc((t->data.count + 1) * sizeof *t->data.rows);
    memcpy(t->data.rows, all.rows + 1, t->data.count * sizeof *t->data.rows);
    all.count = 1;
    csv_free(&all);
}

/* --- cases --------------------------------------------------------------------------------------
 */

typedef struct test_case {
    const char *file;
    unsigned long line;
    char name[160];
    text query, expect, error;
    bool has_expect, has_error;
    int64_t now_ticks;
    test_table tables[MAX_TABLES];
    size_t ntables;
    char files[MAX_FILES][2][512];
    size_t nfiles;
} test_case;

static void case_free(test_case *c)
{
    free(c->query.ptr);
    free(c->expect.ptr);
    free(c->error.ptr);
    for (size_t i = 0; i < c->ntables; i++) {
        fh_schema_destroy(c->tables[i].schema);
        csv_free(&c->tables[i].data);
    }
}

static char *resolve_path(const char *path)
{
    if (strncmp(path, "$SHARED/", 8) == 0)
        return fh_test_shared_path(path + 8);
    return fh_test_source_path(path);
}

/* Renders a query's whole result as CSV text, or its error. Returns false on error. */
static bool run_case(const test_case *c, bool no_shortcuts, text *out, bool *skipped)
{
    fh_kql_options options = {.now_ticks = c->now_ticks, .no_shortcuts = no_shortcuts};
    fh_kql_engine *engine = NULL;
    fh_error err;
    fh_error_clear(&err);
    *skipped = false;
    assert_int_equal(fh_kql_engine_create(&options, &engine, &err), FH_OK);

    for (size_t i = 0; i < c->ntables; i++) {
        const test_table *t = &c->tables[i];
        fh_kql_provider provider = {t->schema, (void *)t, table_open, table_next, table_close};
        assert_int_equal(fh_kql_engine_add_provider(engine, t->name, &provider, &err), FH_OK);
    }
    for (size_t i = 0; i < c->nfiles; i++) {
        char *path = resolve_path(c->files[i][1]);
        if (path == NULL) {
            *skipped = true;
            fh_kql_engine_destroy(engine);
            return true;
        }
        const char *table = strcmp(c->files[i][0], "-") == 0 ? NULL : c->files[i][0];
        fh_status st = fh_kql_engine_add_file(engine, table, path, NULL, &err);
        free(path);
        if (st != FH_OK) {
            char buf[2048];
            fh_error_format(&err, buf, sizeof buf);
            text_addf(out, "binding %s failed: %s", c->files[i][1], buf);
            fh_kql_engine_destroy(engine);
            return false;
        }
    }

    fh_kql_query *query = NULL;
    fh_status st = fh_kql_prepare(engine, c->query.ptr, c->query.len, "<query>", &query, &err);
    const fh_batch *batch = NULL;
    if (st == FH_OK) {
        const fh_schema *schema = fh_kql_query_schema(query);
        for (size_t k = 0; k < schema->ncols; k++) {
            if (k > 0)
                text_add(out, ",", 1);
            text_addf(out, "%s:%s", schema->cols[k].name, fh_type_name(schema->cols[k].type));
        }
        text_add(out, "\n", 1);
        fh_arena arena;
        fh_arena_init(&arena);
        while ((st = fh_kql_query_next(query, &batch, &err)) == FH_OK) {
            for (size_t r = 0; r < batch->nrows; r++) {
                const fh_value *row = batch->cells + r * schema->ncols;
                for (size_t k = 0; k < schema->ncols; k++) {
                    const char *p = "";
                    size_t n = 0;
                    if (k > 0)
                        text_add(out, ",", 1);
                    assert_int_equal(fh_value_to_string(&row[k], &arena, &p, &n), FH_OK);
                    csv_write_cell(out, p, n);
                }
                text_add(out, "\n", 1);
            }
            fh_arena_reset(&arena);
        }
        fh_arena_destroy(&arena);
    }
    bool ok = st == FH_OK || st == FH_DONE;
    if (!ok) {
        char buf[8192];
        fh_kql_render_error(c->query.ptr, c->query.len, &err, buf, sizeof buf);
        out->len = 0;
        text_add(out, buf, strlen(buf));
    }
    fh_kql_query_destroy(query);
    fh_kql_engine_destroy(engine);
    text_trim(out);
    return ok;
}

/* Compares actual CSV (with name:type headers) with the expected CSV. */
static bool same_result(const char *actual, const text *expect, text *why)
{
    csv a, e;
    csv_parse(actual, strlen(actual), &a);
    csv_parse(expect->ptr ? expect->ptr : "", expect->len, &e);
    bool same = a.count == e.count;
    if (!same)
        text_addf(why, "expected %zu lines (header and rows), got %zu\n", e.count, a.count);
    for (size_t r = 0; same && r < a.count; r++) {
        if (a.rows[r].count != e.rows[r].count) {
            text_addf(why, "line %zu: expected %zu cells, got %zu\n", r + 1, e.rows[r].count,
                      a.rows[r].count);
            same = false;
            break;
        }
        for (size_t k = 0; k < a.rows[r].count; k++) {
            const char *want = e.rows[r].cells[k];
            const char *got = a.rows[r].cells[k];
            bool match = strcmp(want, got) == 0;
            if (!match && r == 0 && strchr(want, ':') == NULL) {
                const char *colon = strchr(got, ':');
                match = colon != NULL && (size_t)(colon - got) == strlen(want) &&
                        strncmp(want, got, strlen(want)) == 0;
            }
            if (!match) {
                text_addf(why, "line %zu cell %zu: expected '%s', got '%s'\n", r + 1, k + 1, want,
                          got);
                same = false;
            }
        }
    }
    csv_free(&a);
    csv_free(&e);
    return same;
}

/* Runs one case both ways; returns true when it passes, printing why when not. */
static bool check_case(const test_case *c)
{
    text results[2] = {{0}, {0}};
    bool ok[2];
    bool skipped = false;
    for (int mode = 0; mode < 2; mode++) {
        text_add(&results[mode], "", 0);
        ok[mode] = run_case(c, mode == 1, &results[mode], &skipped);
        if (skipped) {
            fprintf(stderr, "SKIP %s:%lu %s: public sample data not found\n", c->file, c->line,
                    c->name);
            free(results[0].ptr);
            free(results[1].ptr);
            return true;
        }
    }
    text why = {0};
    text_add(&why, "", 0);
    bool pass = true;
    if (strcmp(results[0].ptr, results[1].ptr) != 0) {
        text_addf(&why, "self-check: the result changes without shortcuts:\n%s\n--- vs ---\n%s\n",
                  results[0].ptr, results[1].ptr);
        pass = false;
    }
    if (c->has_error) {
        if (ok[0] || strcmp(results[0].ptr, c->error.ptr) != 0) {
            text_addf(&why, "expected error:\n%s\ngot:\n%s\n", c->error.ptr, results[0].ptr);
            pass = false;
        }
    } else if (!ok[0]) {
        text_addf(&why, "unexpected error:\n%s\n", results[0].ptr);
        pass = false;
    } else if (!same_result(results[0].ptr, &c->expect, &why)) {
        text_addf(&why, "actual result:\n%s\n", results[0].ptr);
        pass = false;
    }
    if (!pass)
        fprintf(stderr, "FAIL %s:%lu %s\n%s\n", c->file, c->line, c->name, why.ptr);
    free(why.ptr);
    free(results[0].ptr);
    free(results[1].ptr);
    return pass;
}

/* --- case files
 * ----------------------------------------------------------------------------------- */

typedef enum section { SEC_NONE, SEC_QUERY, SEC_TABLE, SEC_EXPECT, SEC_ERROR } section;

static void case_start(test_case *c, const char *file, unsigned long line)
{
    memset(c, 0, sizeof *c);
    c->file = file;
    c->line = line;
    assert_int_equal(fh_datetime_parse("2026-06-12T00:00:00Z", 20, &c->now_ticks), FH_OK);
}

static void finish_table(test_case *c, text *body, const char *name)
{
    assert_true(c->ntables < MAX_TABLES);
    table_load(&c->tables[c->ntables++], name, body->ptr ? body->ptr : "", body->len);
    body->len = 0;
}

/* Parses the header line of a section and returns the section it opens. */
static section open_section(test_case *c, const char *line, size_t len, char *table_name)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "%.*s", (int)len, line);
    if (strncmp(buf, "-- case ", 8) == 0) {
        snprintf(c->name, sizeof c->name, "%.150s", buf + 8);
        return SEC_NONE;
    }
    if (strncmp(buf, "-- now ", 7) == 0) {
        assert_int_equal(fh_datetime_parse(buf + 7, strlen(buf + 7), &c->now_ticks), FH_OK);
        return SEC_NONE;
    }
    if (strncmp(buf, "-- table ", 9) == 0) {
        snprintf(table_name, 128, "%.120s", buf + 9);
        return SEC_TABLE;
    }
    if (strncmp(buf, "-- file ", 8) == 0) {
        assert_true(c->nfiles < MAX_FILES);
        char *space = strchr(buf + 8, ' ');
        assert_non_null(space);
        *space = '\0';
        snprintf(c->files[c->nfiles][0], 512, "%.500s", buf + 8);
        snprintf(c->files[c->nfiles][1], 512, "%.500s", space + 1);
        c->nfiles++;
        return SEC_NONE;
    }
    if (strcmp(buf, "-- query") == 0)
        return SEC_QUERY;
    if (strcmp(buf, "-- expect") == 0) {
        c->has_expect = true;
        return SEC_EXPECT;
    }
    if (strcmp(buf, "-- error") == 0) {
        c->has_error = true;
        return SEC_ERROR;
    }
    fail_msg("unknown section line '%s'", buf);
    return SEC_NONE;
}

/* The text a section's lines go to. */
static text *section_text(test_case *c, section sec)
{
    if (sec == SEC_QUERY)
        return &c->query;
    if (sec == SEC_EXPECT)
        return &c->expect;
    return &c->error;
}

/* Runs every case in a .kql file; returns the number that failed. */
static int run_file(const char *path, const char *display)
{
    size_t len = 0;
    char *data = fh_test_read_file(path, &len);
    assert_non_null(data);
    int failed = 0, total = 0;
    test_case c;
    case_start(&c, display, 1);
    section sec = SEC_NONE;
    char table_name[128] = "";
    text table_body = {0};
    unsigned long lineno = 0;
    const char *p = data, *end = data + len;
    while (p <= end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        lineno++;
        bool last = nl == NULL;
        bool separator = n == 4 && memcmp(p, "====", 4) == 0;
        if (sec == SEC_TABLE && (separator || last || (n >= 3 && memcmp(p, "-- ", 3) == 0))) {
            if (last && !separator && !(n >= 3 && memcmp(p, "-- ", 3) == 0)) {
                text_add(&table_body, p, n);
                text_add(&table_body, "\n", 1);
            }
            finish_table(&c, &table_body, table_name);
            sec = SEC_NONE;
        }
        if (separator || last) {
            if (last && !separator && sec != SEC_NONE) {
                text *t = section_text(&c, sec);
                text_add(t, p, n);
            }
            text_trim(&c.query);
            text_trim(&c.expect);
            text_trim(&c.error);
            if (c.query.len > 0) {
                total++;
                if (!check_case(&c))
                    failed++;
            }
            case_free(&c);
            case_start(&c, display, lineno + 1);
            sec = SEC_NONE;
            if (last)
                break;
        } else if (n >= 3 && memcmp(p, "-- ", 3) == 0) {
            sec = open_section(&c, p, n, table_name);
        } else if (sec == SEC_TABLE) {
            text_add(&table_body, p, n);
            text_add(&table_body, "\n", 1);
        } else if (sec != SEC_NONE) {
            text *t = section_text(&c, sec);
            text_add(t, p, n);
            text_add(t, "\n", 1);
        }
        p += n + 1;
    }
    case_free(&c);
    free(table_body.ptr);
    free(data);
    fprintf(stderr, "%s: %d cases, %d failed\n", display, total, failed);
    assert_true(total > 0);
    return failed;
}

/* --- documentation examples ----------------------------------------------------------------------
 */

/* Finds the next fenced block after p; sets its info word and body. */
static const char *next_fence(const char *p, const char *end, char *info, size_t info_size,
                              const char **body, size_t *body_len, unsigned long *line,
                              unsigned long *start_line)
{
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        (*line)++;
        if (n >= 3 && memcmp(p, "```", 3) == 0) {
            snprintf(info, info_size, "%.*s", (int)(n - 3), p + 3);
            *start_line = *line;
            const char *q = nl ? nl + 1 : end;
            *body = q;
            while (q < end) {
                const char *qn = memchr(q, '\n', (size_t)(end - q));
                size_t m = qn ? (size_t)(qn - q) : (size_t)(end - q);
                (*line)++;
                if (m >= 3 && memcmp(q, "```", 3) == 0) {
                    *body_len = (size_t)(q - *body);
                    return qn ? qn + 1 : end;
                }
                q = qn ? qn + 1 : end;
            }
            *body_len = (size_t)(end - *body);
            return end;
        }
        p = nl ? nl + 1 : end;
    }
    return NULL;
}

static int run_docs(const char *path)
{
    size_t len = 0;
    char *data = fh_test_read_file(path, &len);
    if (data == NULL) {
        fprintf(stderr, "docs/kql.md not found\n");
        return 1;
    }
    int failed = 0, total = 0;
    const char *p = data, *end = data + len;
    unsigned long line = 0, start = 0;
    char info[64];
    const char *body;
    size_t body_len;
    test_case c;
    bool pending = false;
    while ((p = next_fence(p, end, info, sizeof info, &body, &body_len, &line, &start)) != NULL) {
        if (strcmp(info, "kql") == 0) {
            if (pending) {
                fprintf(stderr,
                        "FAIL docs/kql.md:%lu: a kql example has no csv or error "
                        "block after it\n",
                        c.line);
                failed++;
                case_free(&c);
            }
            case_start(&c, "docs/kql.md", start);
            snprintf(c.name, sizeof c.name, "documentation example");
            text_add(&c.query, body, body_len);
            text_trim(&c.query);
            pending = true;
        } else if (pending && (strcmp(info, "csv") == 0 || strcmp(info, "error") == 0)) {
            text *t = strcmp(info, "csv") == 0 ? &c.expect : &c.error;
            *(strcmp(info, "csv") == 0 ? &c.has_expect : &c.has_error) = true;
            text_add(t, body, body_len);
            text_trim(t);
            total++;
            if (!check_case(&c))
                failed++;
            case_free(&c);
            pending = false;
        }
    }
    if (pending) {
        fprintf(stderr, "FAIL docs/kql.md:%lu: a kql example has no csv block after it\n", c.line);
        failed++;
        case_free(&c);
    }
    free(data);
    fprintf(stderr, "docs/kql.md: %d examples, %d failed\n", total, failed);
    assert_true(total > 0);
    return failed;
}

/* --- cmocka
 * --------------------------------------------------------------------------------------- */

static void test_case_files(void **state)
{
    char *dir_path = fh_test_source_path("tests/kql");
    DIR *dir = opendir(dir_path);
    assert_non_null(dir);
    char *names[256];
    size_t count = 0;
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL && count < 256) {
        size_t n = strlen(entry->d_name);
        if (n > 4 && strcmp(entry->d_name + n - 4, ".kql") == 0)
            names[count++] = strdup(entry->d_name);
    }
    closedir(dir);
    assert_true(count > 0);
    int failed = 0;
    for (size_t i = 0; i < count; i++) {
        char rel[600];
        snprintf(rel, sizeof rel, "tests/kql/%s", names[i]);
        char *path = fh_test_source_path(rel);
        failed += run_file(path, rel);
        free(path);
        free(names[i]);
    }
    free(dir_path);
    assert_int_equal(failed, 0);
}

static void test_docs_examples(void **state)
{
    char *path = fh_test_source_path("docs/kql.md");
    int failed = run_docs(path);
    free(path);
    assert_int_equal(failed, 0);
}

/* The public API around a query: binding, table lookup, schema, statistics, errors. */
static void test_engine_api(void **state)
{
    fh_kql_options options = {0};
    assert_int_equal(fh_datetime_parse("2026-06-14T12:00:00Z", 20, &options.now_ticks), FH_OK);
    fh_kql_engine *engine = NULL;
    fh_error err;
    fh_error_clear(&err);
    assert_int_equal(fh_kql_engine_create(&options, &engine, &err), FH_OK);

    char *path = fh_test_source_path("tests/data/kql/firewall.cef");
    const char *table = NULL;
    assert_int_equal(fh_kql_engine_add_file(engine, NULL, path, &table, &err), FH_OK);
    assert_string_equal(table, "CommonSecurityLog");
    assert_true(fh_kql_engine_has_table(engine, "CommonSecurityLog"));
    assert_false(fh_kql_engine_has_table(engine, "DeviceFileEvents"));
    assert_int_equal(fh_kql_engine_file_count(engine), 1);

    const char *query_text = "CommonSecurityLog | where DestinationIP == \"80.76.49.194\" "
                             "| project DestinationPort";
    fh_kql_query *query = NULL;
    assert_int_equal(
        fh_kql_prepare(engine, query_text, strlen(query_text), "<query>", &query, &err), FH_OK);
    const fh_schema *schema = fh_kql_query_schema(query);
    assert_int_equal(schema->ncols, 1);
    assert_string_equal(schema->cols[0].name, "DestinationPort");
    assert_int_equal(schema->cols[0].type, FH_TYPE_INT);

    const fh_batch *batch = NULL;
    size_t rows = 0;
    fh_status st;
    while ((st = fh_kql_query_next(query, &batch, &err)) == FH_OK)
        rows += batch->nrows;
    assert_int_equal(st, FH_DONE);
    assert_int_equal(rows, 2);

    /* Eight lines: the prefilter skips the three without the address, and the five it keeps
     * are parsed, so the one bad line never reaches the CEF parser. */
    const fh_kql_file_stats *stats = fh_kql_engine_file_stats(engine, 0);
    assert_non_null(stats);
    assert_string_equal(stats->table, "CommonSecurityLog");
    assert_int_equal(stats->stats.lines, 8);
    assert_int_equal(stats->stats.rows_filtered, 3);
    assert_int_equal(stats->stats.rows_loaded, 5);
    assert_null(fh_kql_engine_file_stats(engine, 1));
    fh_kql_query_destroy(query);

    const char *bad = "CommonSecurityLog\n| where Nope > 1";
    assert_int_equal(fh_kql_prepare(engine, bad, strlen(bad), "<query>", &query, &err),
                     FH_ERR_NOT_FOUND);
    assert_null(query);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, 9);
    char rendered[512];
    fh_kql_render_error(bad, strlen(bad), &err, rendered, sizeof rendered);
    assert_string_equal(rendered, "<query>:2:9: unknown column 'Nope'\n| where Nope > 1\n"
                                  "        ^");

    fh_kql_engine_destroy(engine);
    fh_kql_engine_destroy(NULL);
    fh_kql_query_destroy(NULL);
    free(path);
}

/* --- literal prefilter ---------------------------------------------------------------------- */

typedef struct prefilter_run {
    size_t rows;
    fh_read_stats stats;
    char note[FH_KQL_PREFILTER_NOTE_MAX];
} prefilter_run;

/* Runs a query over one log file in a fresh engine and returns its rows and file statistics. */
static prefilter_run run_prefiltered(const char *path, const char *query_text)
{
    fh_kql_options options = {0};
    fh_kql_engine *engine = NULL;
    fh_error err;
    fh_error_clear(&err);
    assert_int_equal(fh_kql_engine_create(&options, &engine, &err), FH_OK);
    assert_int_equal(fh_kql_engine_add_file(engine, NULL, path, NULL, &err), FH_OK);

    fh_kql_query *query = NULL;
    fh_status st = fh_kql_prepare(engine, query_text, strlen(query_text), "<query>", &query, &err);
    if (st != FH_OK)
        fail_msg("prepare failed: %s", err.message);
    prefilter_run run = {0};
    const fh_batch *batch = NULL;
    while ((st = fh_kql_query_next(query, &batch, &err)) == FH_OK)
        run.rows += batch->nrows;
    assert_int_equal(st, FH_DONE);

    const fh_kql_file_stats *stats = fh_kql_engine_file_stats(engine, 0);
    run.stats = stats->stats;
    snprintf(run.note, sizeof run.note, "%s", stats->prefilter);
    fh_kql_query_destroy(query);
    fh_kql_engine_destroy(engine);
    return run;
}

/* Query over DestinationIP and SourceIP with one list of count distinct addresses: the one in
 * the file and count - 1 from 198.18.0.0/15, which it does not contain. */
static char *address_list_query(size_t count)
{
    text t = {0};
    text_addf(&t, "let l = dynamic([\"80.76.49.194\"");
    for (size_t i = 1; i < count; i++)
        text_addf(&t, ", \"198.%zu.%zu.%zu\"", 18 + i / 65536, i / 256 % 256, i % 256);
    text_addf(&t, "]); CommonSecurityLog | where DestinationIP in (l) or SourceIP in (l)");
    return t.ptr;
}

/* The list is repeated on two columns, so the set contains each literal twice before
 * deduplication; FH_MAX_PREFILTER_LITERALS distinct ones still get a prefilter. */
static void test_prefilter_at_cap(void **state)
{
    char *path = fh_test_source_path("tests/data/kql/firewall.cef");
    char *query = address_list_query(FH_MAX_PREFILTER_LITERALS);
    prefilter_run run = run_prefiltered(path, query);

    char expected[FH_KQL_PREFILTER_NOTE_MAX];
    snprintf(expected, sizeof expected, "prefilter: %d literals", FH_MAX_PREFILTER_LITERALS);
    assert_string_equal(run.note, expected);
    /* Lines 1, 4 and 7 hold the address in dst or src. The prefilter also keeps line 2
     * (180.76.49.194) and line 3 (the address in msg), and drops the other three. */
    assert_int_equal(run.rows, 3);
    assert_int_equal(run.stats.lines, 8);
    assert_int_equal(run.stats.rows_filtered, 3);
    assert_int_equal(run.stats.rows_loaded, 5);
    free(query);
    free(path);
}

static void test_prefilter_over_cap(void **state)
{
    char *path = fh_test_source_path("tests/data/kql/firewall.cef");
    char *query = address_list_query(FH_MAX_PREFILTER_LITERALS + 1);
    prefilter_run run = run_prefiltered(path, query);

    char expected[FH_KQL_PREFILTER_NOTE_MAX];
    snprintf(expected, sizeof expected, "no prefilter: more than %d distinct literals",
             FH_MAX_PREFILTER_LITERALS);
    assert_string_equal(run.note, expected);
    assert_int_equal(run.rows, 3);
    assert_int_equal(run.stats.rows_filtered, 0);
    assert_int_equal(run.stats.rows_loaded, 7);
    assert_int_equal(run.stats.rows_skipped, 1);
    free(query);
    free(path);
}

/* =~ and has compare ignoring case, so their literals must match any case in the raw line;
 * == must not drop the line either, but keeps only the exact spelling. */
static void test_prefilter_caseless(void **state)
{
    char *path = fh_test_source_path("tests/data/kql/firewall.cef");

    prefilter_run run =
        run_prefiltered(path, "CommonSecurityLog | where SourceHostName =~ 'ws-fin-07'");
    assert_string_equal(run.note, "prefilter: 1 literal");
    assert_int_equal(run.rows, 1);
    assert_int_equal(run.stats.rows_loaded, 1);
    assert_int_equal(run.stats.rows_filtered, 7);

    run = run_prefiltered(path, "CommonSecurityLog | where DeviceAction has 'DENY'");
    assert_int_equal(run.rows, 1);
    assert_int_equal(run.stats.rows_loaded, 1);

    run = run_prefiltered(path, "CommonSecurityLog | where SourceHostName in~ ('WS-hr-02', "
                                "'ws-fin-07', 'Ws-Fin-07')");
    assert_string_equal(run.note, "prefilter: 2 literals");
    assert_int_equal(run.rows, 2);

    run = run_prefiltered(path, "CommonSecurityLog | where SourceHostName == 'ws-fin-07'");
    assert_int_equal(run.rows, 0);
    assert_int_equal(run.stats.rows_filtered, 8);

    run = run_prefiltered(path, "CommonSecurityLog | where SourceHostName == 'WS-FIN-07'");
    assert_int_equal(run.rows, 1);
    free(path);
}

/* A URL contains '/' (escaped by some JSON writers) and here '=' (escaped as "\=" in CEF), so
 * the prefilter scans for its host and the exact check still finds the row. */
static void test_prefilter_url_part(void **state)
{
    char path[] = "/tmp/fh_test_prefilter_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const char lines[] =
        "CEF:0|Vendor|Proxy|1.0|100|web|3|src=10.0.0.1 "
        "request=http://evil.example/gate.php?id\\=7\n"
        "CEF:0|Vendor|Proxy|1.0|100|web|3|src=10.0.0.2 "
        "request=http://good.example/gate.php?id\\=7\n"
        "CEF:0|Vendor|Proxy|1.0|100|web|3|src=10.0.0.3 request=http://evil.example/other\n";
    assert_int_equal(write(fd, lines, sizeof lines - 1), (ssize_t)(sizeof lines - 1));
    close(fd);

    prefilter_run run = run_prefiltered(
        path, "CommonSecurityLog | where RequestURL =~ 'http://EVIL.example/gate.php?id=7'");
    assert_string_equal(run.note, "prefilter: 1 literal");
    assert_int_equal(run.rows, 1);
    assert_int_equal(run.stats.rows_filtered, 1);
    assert_int_equal(run.stats.rows_loaded, 2);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_case_files),         cmocka_unit_test(test_docs_examples),
        cmocka_unit_test(test_engine_api),         cmocka_unit_test(test_prefilter_at_cap),
        cmocka_unit_test(test_prefilter_over_cap), cmocka_unit_test(test_prefilter_caseless),
        cmocka_unit_test(test_prefilter_url_part),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
