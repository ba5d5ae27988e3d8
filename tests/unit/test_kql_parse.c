/*
 * Parser tests. Most cases are data: every .txt file under tests/kql/parse contains cases like
 *
 *     == case name
 *     query text, any number of lines
 *     -- ast
 *     expected S-expression (whitespace-insensitive, may span lines)
 *
 * or, for a query that must fail, `-- error` followed by the rendered error exactly as a user
 * sees it: "<query>:LINE:COL: message", the query line and the caret line. Each file is one
 * cmocka test that reports every failing case with the file line where the case starts. The
 * C tests below check what S-expressions do not show: locations, notes, status codes and
 * limits.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fh_test.h"
#include "foxhound/limits.h"
#include "kql/kql_parse.h"

/* ---- case files ---- */

typedef struct parse_case {
    char name[128];
    int line; /* line of the "==" header in the file */
    char *query;
    char *expected;
    int expect_error;
} parse_case;

/* Collapses whitespace runs to one space and drops spaces next to parentheses. */
static char *normalize(const char *s)
{
    size_t len = strlen(s);
    char *out = malloc(len + 1);
    size_t n = 0;
    int pending_space = 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
            pending_space = 1;
            continue;
        }
        if (pending_space && n > 0 && out[n - 1] != '(' && c != ')')
            out[n++] = ' ';
        pending_space = 0;
        out[n++] = c;
    }
    out[n] = '\0';
    return out;
}

/* Removes trailing newlines, which separate cases in the file. */
static void trim_end(char *s)
{
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
        s[--n] = '\0';
}

static char *copy_range(const char *start, const char *end)
{
    size_t n = (size_t)(end - start);
    char *s = malloc(n + 1);
    memcpy(s, start, n);
    s[n] = '\0';
    return s;
}

/* Reads the next case from *cursor; returns 0 at the end of the file. */
static int next_case(const char **cursor, int *line, parse_case *c)
{
    const char *p = *cursor;
    while (*p != '\0' && strncmp(p, "== ", 3) != 0) {
        const char *nl = strchr(p, '\n');
        p = nl ? nl + 1 : p + strlen(p);
        (*line)++;
    }
    if (*p == '\0')
        return 0;

    memset(c, 0, sizeof *c);
    const char *nl = strchr(p, '\n');
    snprintf(c->name, sizeof c->name, "%.*s", (int)(nl - p - 3), p + 3);
    c->line = *line;
    p = nl + 1;
    (*line)++;

    const char *query_start = p;
    while (*p != '\0' && strncmp(p, "-- ast\n", 7) != 0 && strncmp(p, "-- error\n", 9) != 0) {
        nl = strchr(p, '\n');
        p = nl ? nl + 1 : p + strlen(p);
        (*line)++;
    }
    c->query = copy_range(query_start, p);
    trim_end(c->query);
    if (*p == '\0')
        return -1;

    c->expect_error = strncmp(p, "-- error", 8) == 0;
    p = strchr(p, '\n') + 1;
    (*line)++;
    const char *expected_start = p;
    while (*p != '\0' && strncmp(p, "== ", 3) != 0) {
        nl = strchr(p, '\n');
        p = nl ? nl + 1 : p + strlen(p);
        (*line)++;
    }
    c->expected = copy_range(expected_start, p);
    trim_end(c->expected);
    *cursor = p;
    return 1;
}

/* Runs one case; returns 0 when it passes, printing the difference otherwise. */
static int run_case(const char *file, const parse_case *c)
{
    fh_arena arena;
    fh_arena_init(&arena);
    fh_error err;
    fh_error_clear(&err);
    kql_query *query = NULL;
    fh_status st = kql_parse(c->query, strlen(c->query), &arena, &query, &err);

    char *got;
    if (st == FH_OK) {
        char *sexpr = kql_query_to_sexpr(query);
        got = c->expect_error ? sexpr : normalize(sexpr);
        if (!c->expect_error)
            free(sexpr);
    } else {
        char rendered[4096];
        kql_error_render(c->query, strlen(c->query), &err, rendered, sizeof rendered);
        got = strdup(rendered);
    }

    char *want = c->expect_error ? strdup(c->expected) : normalize(c->expected);
    int failed = (st == FH_OK) == c->expect_error || strcmp(got, want) != 0;
    if (failed)
        fprintf(stderr, "%s:%d: case '%s' failed\n  query:    %s\n  expected: %s\n  got:      %s\n",
                file, c->line, c->name, c->query, want, got);
    free(got);
    free(want);
    fh_arena_destroy(&arena);
    return failed;
}

static void parse_case_file(void **state)
{
    const char *path = *state;
    size_t len;
    char *text = fh_test_read_file(path, &len);
    assert_non_null(text);

    const char *cursor = text;
    int line = 1, failures = 0, cases = 0, got;
    parse_case c;
    while ((got = next_case(&cursor, &line, &c)) != 0) {
        if (got < 0) {
            fprintf(stderr, "%s:%d: case '%s' has no -- ast or -- error section\n", path, c.line,
                    c.name);
            failures++;
            free(c.query);
            break;
        }
        cases++;
        failures += run_case(path, &c);
        free(c.query);
        free(c.expected);
    }
    free(text);
    assert_true(cases > 0);
    assert_int_equal(failures, 0);
}

/* ---- C tests ---- */

static kql_query *parse_ok(fh_arena *arena, const char *text)
{
    fh_error err;
    fh_error_clear(&err);
    kql_query *query = NULL;
    fh_status st = kql_parse(text, strlen(text), arena, &query, &err);
    if (st != FH_OK)
        fprintf(stderr, "unexpected error: %s:%lu:%lu: %s\n", err.source, err.line, err.column,
                err.message);
    assert_int_equal(st, FH_OK);
    return query;
}

static void parse_node_locations(void **state)
{
    fh_arena arena;
    fh_arena_init(&arena);
    kql_query *q = parse_ok(&arena, "let x = 1h;\nT\n| where  A == 'b'");

    assert_int_equal(q->body.nlets, 1);
    assert_int_equal(q->body.lets[0].loc.line, 1);
    assert_int_equal(q->body.lets[0].loc.column, 1);

    kql_node *pipe = q->body.result;
    assert_int_equal(pipe->kind, KQL_NODE_PIPELINE);
    assert_int_equal(pipe->loc.line, 2);
    assert_int_equal(pipe->u.pipeline.ops[0].loc.line, 3);
    assert_int_equal(pipe->u.pipeline.ops[0].loc.column, 3);

    kql_node *eq = pipe->u.pipeline.ops[0].u.predicate;
    assert_int_equal(eq->kind, KQL_NODE_BINARY);
    assert_int_equal(eq->loc.line, 3);
    assert_int_equal(eq->loc.column, 12);
    assert_int_equal(eq->u.binary.right->loc.column, 15);
    assert_int_equal(eq->u.binary.right->loc.offset, 28);
    fh_arena_destroy(&arena);
}

static void parse_literal_values(void **state)
{
    fh_arena arena;
    fh_arena_init(&arena);
    kql_query *q = parse_ok(&arena, "print a = 1.5d, b = datetime(2026-06-11), c = int(-7), "
                                    "d = 'x' @'y''z' \"\\u00e9\"");
    kql_node *print = q->body.result;
    assert_int_equal(print->kind, KQL_NODE_PRINT);
    assert_int_equal(print->u.print.nitems, 4);

    const fh_value *a = &print->u.print.items[0].expr->u.literal.value;
    assert_int_equal(a->type, FH_TYPE_TIMESPAN);
    assert_int_equal(a->u.ticks, 36 * 3600 * FH_TICKS_PER_SECOND);

    const fh_value *b = &print->u.print.items[1].expr->u.literal.value;
    assert_int_equal(b->type, FH_TYPE_DATETIME);
    assert_int_equal(b->u.ticks, 1781136000LL * FH_TICKS_PER_SECOND);

    const fh_value *c = &print->u.print.items[2].expr->u.literal.value;
    assert_int_equal(c->type, FH_TYPE_INT);
    assert_int_equal(c->u.i, -7);

    const kql_node *d = print->u.print.items[3].expr;
    assert_int_equal(d->u.literal.value.type, FH_TYPE_STRING);
    assert_int_equal(d->u.literal.value.u.s.len, 6);
    assert_memory_equal(d->u.literal.value.u.s.ptr, "xy'z\xc3\xa9", 6);
    assert_int_equal(d->u.literal.text.len, strlen("'x' @'y''z' \"\\u00e9\""));
    fh_arena_destroy(&arena);
}

static void parse_join_hint_note(void **state)
{
    fh_arena arena;
    fh_arena_init(&arena);
    kql_query *q = parse_ok(&arena, "A | join hint.strategy=broadcast (B) on Id");
    assert_int_equal(q->nnotes, 1);
    assert_int_equal(q->notes[0].loc.column, 10);
    assert_string_equal(q->notes[0].message, "hint.strategy on join is ignored: it tunes how Kusto "
                                             "distributes work and does not change results");
    fh_arena_destroy(&arena);
}

static void parse_unsupported_status(void **state)
{
    fh_arena arena;
    fh_arena_init(&arena);
    fh_error err;
    kql_query *q = NULL;
    const char *text = "T | render timechart";
    assert_int_equal(kql_parse(text, strlen(text), &arena, &q, &err), FH_ERR_UNSUPPORTED);
    assert_null(q);
    assert_string_equal(err.source, "<query>");
    assert_int_equal(err.column, 5);
    fh_arena_destroy(&arena);
}

static void parse_source_name(void **state)
{
    fh_arena arena;
    fh_arena_init(&arena);
    fh_error err;
    kql_query *q = NULL;
    const char *text = "T | where";
    fh_status st = kql_parse_source("hunt.kql", text, strlen(text), &arena, &q, &err);
    assert_int_equal(st, FH_ERR_PARSE);
    assert_string_equal(err.source, "hunt.kql");
    assert_int_equal(err.line, 1);
    assert_int_equal(err.column, 10);
    fh_arena_destroy(&arena);
}

/* A query nested past FH_MAX_QUERY_DEPTH fails with FH_ERR_LIMIT rather than overflowing the
 * stack; one level less parses. */
static void parse_depth_limit(void **state)
{
    size_t depth = FH_MAX_QUERY_DEPTH + 10;
    char *text = malloc(depth * 2 + 16);
    size_t n = 0;
    n += (size_t)sprintf(text, "print ");
    for (size_t i = 0; i < depth; i++)
        text[n++] = '(';
    text[n++] = '1';
    for (size_t i = 0; i < depth; i++)
        text[n++] = ')';

    fh_arena arena;
    fh_arena_init(&arena);
    fh_error err;
    kql_query *q = NULL;
    assert_int_equal(kql_parse(text, n, &arena, &q, &err), FH_ERR_LIMIT);
    assert_non_null(strstr(err.message, "nests deeper"));
    free(text);
    fh_arena_destroy(&arena);
}

/* A long `or` chain, as generated hunts write, parses as a balanced tree within the cap. */
static void parse_long_or_chain(void **state)
{
    size_t terms = 5000;
    char *text = malloc(terms * 16 + 32);
    size_t n = (size_t)sprintf(text, "T | where ");
    for (size_t i = 0; i < terms; i++)
        n += (size_t)sprintf(text + n, "%sx == %zu", i ? " or " : "", i);

    fh_arena arena;
    fh_arena_init(&arena);
    kql_query *q = parse_ok(&arena, text);
    const kql_node *pred = q->body.result->u.pipeline.ops[0].u.predicate;
    assert_int_equal(pred->kind, KQL_NODE_BINARY);
    assert_int_equal(pred->u.binary.op, KQL_OP_OR);
    free(text);
    fh_arena_destroy(&arena);
}

/* A dynamic literal may nest FH_MAX_JSON_DEPTH levels, like JSON from any other input. */
static void parse_dynamic_depth_limit(void **state)
{
    char text[512];
    int depth = FH_MAX_JSON_DEPTH;
    int n = sprintf(text, "print dynamic(");
    for (int i = 0; i < depth; i++)
        text[n++] = '[';
    for (int i = 0; i < depth; i++)
        text[n++] = ']';
    n += sprintf(text + n, ")");

    fh_arena arena;
    fh_arena_init(&arena);
    fh_error err;
    kql_query *q = NULL;
    assert_int_equal(kql_parse(text, (size_t)n, &arena, &q, &err), FH_OK);

    memmove(text + 15, text + 14, (size_t)n - 14);
    text[14] = '[';
    memmove(text + n + 1, text + n, 1);
    text[n] = ']';
    text[n + 2] = '\0';
    assert_int_equal(kql_parse(text, (size_t)n + 2, &arena, &q, &err), FH_ERR_LIMIT);
    assert_int_equal(err.column, 15 + FH_MAX_JSON_DEPTH);
    fh_arena_destroy(&arena);
}

static void parse_dynamic_invalid_key(void **state)
{
    const char *text = "print dynamic({\"\xff\": 1})";
    fh_arena arena;
    fh_arena_init(&arena);
    fh_error err;
    kql_query *q = NULL;
    assert_int_equal(kql_parse(text, strlen(text), &arena, &q, &err), FH_ERR_PARSE);
    assert_int_equal(err.column, 16);
    assert_string_equal(err.message,
                        "invalid property name in the dynamic literal: it is not valid UTF-8");
    fh_arena_destroy(&arena);
}

static void parse_length_limit(void **state)
{
    fh_arena arena;
    fh_arena_init(&arena);
    fh_error err;
    kql_query *q = NULL;
    /* The text is never read past the length check, so a short buffer is enough. */
    assert_int_equal(kql_parse("T", (size_t)FH_MAX_QUERY_BYTES + 1, &arena, &q, &err),
                     FH_ERR_LIMIT);
    assert_int_equal(err.line, 0);
    fh_arena_destroy(&arena);
}

static void parse_no_nul_needed(void **state)
{
    /* The buffer continues past len with text that would be a syntax error if read. */
    const char text[] = "T | take 5)))";
    fh_arena arena;
    fh_arena_init(&arena);
    fh_error err;
    kql_query *q = NULL;
    assert_int_equal(kql_parse(text, 10, &arena, &q, &err), FH_OK);
    assert_int_equal(q->len, 10);
    fh_arena_destroy(&arena);
}

static void render_caret_with_tabs(void **state)
{
    const char *text = "T\n\t| where\tx ==";
    fh_error err;
    fh_error_set(&err, FH_ERR_PARSE, "<query>", 2, 14, "expected an expression");
    char buf[256];
    size_t n = kql_error_render(text, strlen(text), &err, buf, sizeof buf);
    assert_string_equal(buf, "<query>:2:14: expected an expression\n"
                             "\t| where\tx ==\n"
                             "\t       \t    ^");
    assert_int_equal(n, strlen(buf));

    char small[8];
    size_t needed = kql_error_render(text, strlen(text), &err, small, sizeof small);
    assert_int_equal(needed, n);
    assert_string_equal(small, "<query>");
}

static void render_without_line(void **state)
{
    fh_error err;
    fh_error_set(&err, FH_ERR_LIMIT, "<query>", 0, 0, "query too long");
    char buf[128];
    kql_error_render("T", 1, &err, buf, sizeof buf);
    assert_string_equal(buf, "<query>: query too long");
}

/* ---- main ---- */

static int collect_case_files(char ***paths, size_t *count)
{
    char *dir_path = fh_test_source_path("tests/kql/parse");
    DIR *dir = opendir(dir_path);
    if (dir == NULL) {
        fprintf(stderr, "cannot open %s\n", dir_path);
        free(dir_path);
        return -1;
    }
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL) {
        size_t len = strlen(entry->d_name);
        if (len < 5 || strcmp(entry->d_name + len - 4, ".txt") != 0)
            continue;
        *paths = realloc(*paths, (*count + 1) * sizeof **paths);
        size_t size = strlen(dir_path) + len + 2;
        (*paths)[*count] = malloc(size);
        snprintf((*paths)[*count], size, "%s/%s", dir_path, entry->d_name);
        (*count)++;
    }
    closedir(dir);
    free(dir_path);
    return 0;
}

int main(void)
{
    char **paths = NULL;
    size_t nfiles = 0;
    if (collect_case_files(&paths, &nfiles) != 0 || nfiles == 0)
        return 1;

    static const struct CMUnitTest fixed[] = {
        cmocka_unit_test(parse_node_locations),      cmocka_unit_test(parse_literal_values),
        cmocka_unit_test(parse_join_hint_note),      cmocka_unit_test(parse_unsupported_status),
        cmocka_unit_test(parse_source_name),         cmocka_unit_test(parse_depth_limit),
        cmocka_unit_test(parse_long_or_chain),       cmocka_unit_test(parse_length_limit),
        cmocka_unit_test(parse_no_nul_needed),       cmocka_unit_test(parse_dynamic_depth_limit),
        cmocka_unit_test(parse_dynamic_invalid_key), cmocka_unit_test(render_caret_with_tabs),
        cmocka_unit_test(render_without_line),
    };
    size_t nfixed = sizeof fixed / sizeof fixed[0];
    struct CMUnitTest *tests = calloc(nfixed + nfiles, sizeof *tests);
    memcpy(tests, fixed, sizeof fixed);
    for (size_t i = 0; i < nfiles; i++) {
        tests[nfixed + i].name = strrchr(paths[i], '/') + 1;
        tests[nfixed + i].test_func = parse_case_file;
        tests[nfixed + i].initial_state = paths[i];
    }

    int failed = _cmocka_run_group_tests("kql_parse", tests, nfixed + nfiles, NULL, NULL);
    for (size_t i = 0; i < nfiles; i++)
        free(paths[i]);
    free(paths);
    free(tests);
    return failed;
}
