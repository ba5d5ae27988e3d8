/*
 * Fuzzes the string predicates and the string and regex functions. The first byte picks the
 * operation. The rest splits at the first newline into a subject and a needle or pattern, and
 * patterns are cut to 256 bytes. Every call must return a status without crashing, and the
 * predicates must agree with their negated operators.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kql/kql_func.h"

#define MAX_PATTERN 256

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static fh_arena arena;
static fh_error err;
static kql_func_ctx ctx = {.arena = &arena, .err = &err};

static void call_function(const char *name, const fh_value *args, size_t nargs)
{
    const kql_func_def *def = kql_func_lookup(name, strlen(name));
    if (def == NULL)
        abort();
    fh_value out;
    fh_status st = def->call(&ctx, args, nargs, &out);
    if (st == FH_OK && out.type == FH_TYPE_STRING && out.u.s.len > 0 && out.u.s.ptr == NULL)
        abort();
}

static void check_predicates(const char *s, size_t n, const char *p, size_t m)
{
    fh_value left = fh_value_string(s, n), right = fh_value_string(p, m);
    static const kql_binop pairs[][2] = {
        {KQL_OP_HAS, KQL_OP_NOT_HAS},
        {KQL_OP_HASPREFIX_CS, KQL_OP_NOT_HASPREFIX_CS},
        {KQL_OP_HASSUFFIX, KQL_OP_NOT_HASSUFFIX},
        {KQL_OP_CONTAINS, KQL_OP_NOT_CONTAINS},
        {KQL_OP_STARTSWITH_CS, KQL_OP_NOT_STARTSWITH_CS},
        {KQL_OP_LIKE, KQL_OP_NOT_LIKE},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        fh_value yes, no;
        if (kql_binop_eval(&ctx, pairs[i][0], &left, &right, &yes) != FH_OK ||
            kql_binop_eval(&ctx, pairs[i][1], &left, &right, &no) != FH_OK)
            abort();
        if (yes.u.b == no.u.b)
            abort();
    }
    /* A term match is always a substring match. */
    if (kql_str_has(s, n, p, m, false) && !kql_str_contains(s, n, p, m, false))
        abort();
}

static void run_regex(const char *s, size_t n, const char *p, size_t m, uint8_t selector)
{
    fh_value subject = fh_value_string(s, n), pattern = fh_value_string(p, m);
    fh_value group = fh_value_long(selector % 3);
    fh_value rewrite = fh_value_string("<\\1>", 4);
    fh_value out;

    kql_binop_eval(&ctx, KQL_OP_MATCHES_REGEX, &subject, &pattern, &out);
    fh_value extract_args[3] = {pattern, group, subject};
    call_function("extract", extract_args, 3);
    fh_value all_args[2] = {pattern, subject};
    call_function("extract_all", all_args, 2);
    fh_value replace_args[3] = {subject, pattern, rewrite};
    call_function("replace_regex", replace_args, 3);
    call_function("trim", all_args, 2);
    fh_value count_args[3] = {subject, pattern, fh_value_string("regex", 5)};
    call_function("countof", count_args, 3);
}

static void run_strings(const char *s, size_t n, const char *p, size_t m, uint8_t selector)
{
    fh_value subject = fh_value_string(s, n), needle = fh_value_string(p, m);
    fh_value pair[2] = {subject, needle};
    call_function("split", pair, 2);
    call_function("indexof", pair, 2);
    call_function("countof", pair, 2);
    fh_value sub[3] = {subject, fh_value_long((int8_t)selector), fh_value_long(selector % 7)};
    call_function("substring", sub, 3);
    fh_value replace_args[3] = {subject, needle, needle};
    call_function("replace_string", replace_args, 3);
    const char *unary[] = {
        "parse_url",  "parse_path", "url_decode", "url_encode", "base64_decode_tostring",
        "reverse",    "strlen",     "tolower",    "parse_json", "ipv4_is_private",
        "parse_ipv4", "hash_sha256"};
    for (size_t i = 0; i < sizeof unary / sizeof unary[0]; i++)
        call_function(unary[i], &subject, 1);
    call_function("has_ipv4", pair, 2);
    call_function("ipv6_compare", pair, 2);
    fh_value fmt[2] = {fh_value_datetime((int64_t)selector * 86400LL * 10000000LL * 97), needle};
    call_function("format_datetime", fmt, 2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t selector = data[0];
    const char *text = (const char *)data + 1;
    size_t len = size - 1;
    const char *newline = memchr(text, '\n', len);
    size_t n = newline ? (size_t)(newline - text) : len;
    const char *p = newline ? newline + 1 : "";
    size_t m = newline ? len - n - 1 : 0;
    if (m > MAX_PATTERN)
        m = MAX_PATTERN;

    check_predicates(text, n, p, m);
    if (selector & 1)
        run_regex(text, n, p, m, selector);
    else
        run_strings(text, n, p, m, selector);
    fh_arena_reset(&arena);
    return 0;
}
