/* Lexer tests: token kinds and text, locations, numbers and timespans, string decoding, and
 * the errors the lexer reports itself. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "kql/kql_lex.h"

#define MAX_TOKENS 64

typedef struct lexed {
    kql_token tokens[MAX_TOKENS];
    size_t count;
    fh_status status;
    fh_error err;
    char *text; /* malloc'd copy of exactly len bytes, so ASan catches an over-read */
} lexed;

/* Lexes all of text (without its NUL) into out, up to and including EOF or an error. */
static void lex_all(const char *text, lexed *out)
{
    size_t len = strlen(text);
    memset(out, 0, sizeof *out);
    out->text = malloc(len ? len : 1);
    memcpy(out->text, text, len);

    kql_lexer lex;
    kql_lex_init(&lex, "<query>", out->text, len);
    while (out->count < MAX_TOKENS) {
        kql_token *tok = &out->tokens[out->count];
        out->status = kql_lex_next(&lex, tok, &out->err);
        if (out->status != FH_OK)
            return;
        out->count++;
        if (tok->kind == KQL_TOK_EOF)
            return;
    }
}

static void assert_token(const kql_token *tok, kql_token_kind kind, const char *text)
{
    assert_int_equal(tok->kind, kind);
    assert_int_equal(tok->text.len, strlen(text));
    assert_memory_equal(tok->text.ptr, text, tok->text.len);
}

static void lex_operators_and_words(void **state)
{
    lexed l;
    lex_all("T|where a!=b and c !has 'x' or d in~ (1) and e !in~ (2) and $left.f =~ g !~ h", &l);
    assert_int_equal(l.status, FH_OK);
    const struct {
        kql_token_kind kind;
        const char *text;
    } want[] = {
        {KQL_TOK_IDENT, "T"},    {KQL_TOK_PIPE, "|"},      {KQL_TOK_IDENT, "where"},
        {KQL_TOK_IDENT, "a"},    {KQL_TOK_NE, "!="},       {KQL_TOK_IDENT, "b"},
        {KQL_TOK_IDENT, "and"},  {KQL_TOK_IDENT, "c"},     {KQL_TOK_IDENT, "!has"},
        {KQL_TOK_STRING, "'x'"}, {KQL_TOK_IDENT, "or"},    {KQL_TOK_IDENT, "d"},
        {KQL_TOK_IDENT, "in~"},  {KQL_TOK_LPAREN, "("},    {KQL_TOK_LONG, "1"},
        {KQL_TOK_RPAREN, ")"},   {KQL_TOK_IDENT, "and"},   {KQL_TOK_IDENT, "e"},
        {KQL_TOK_IDENT, "!in~"}, {KQL_TOK_LPAREN, "("},    {KQL_TOK_LONG, "2"},
        {KQL_TOK_RPAREN, ")"},   {KQL_TOK_IDENT, "and"},   {KQL_TOK_IDENT, "$left"},
        {KQL_TOK_DOT, "."},      {KQL_TOK_IDENT, "f"},     {KQL_TOK_EQ_TILDE, "=~"},
        {KQL_TOK_IDENT, "g"},    {KQL_TOK_NE_TILDE, "!~"}, {KQL_TOK_IDENT, "h"},
        {KQL_TOK_EOF, ""},
    };
    assert_int_equal(l.count, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < l.count; i++)
        assert_token(&l.tokens[i], want[i].kind, want[i].text);
    free(l.text);
}

static void lex_punctuation(void **state)
{
    lexed l;
    lex_all("== = <> <= >= < > .. . ; , [ ] { } + - * / % :", &l);
    assert_int_equal(l.status, FH_OK);
    const kql_token_kind want[] = {
        KQL_TOK_EQ,    KQL_TOK_ASSIGN,   KQL_TOK_LTGT,     KQL_TOK_LE,     KQL_TOK_GE,
        KQL_TOK_LT,    KQL_TOK_GT,       KQL_TOK_DOTDOT,   KQL_TOK_DOT,    KQL_TOK_SEMICOLON,
        KQL_TOK_COMMA, KQL_TOK_LBRACKET, KQL_TOK_RBRACKET, KQL_TOK_LBRACE, KQL_TOK_RBRACE,
        KQL_TOK_PLUS,  KQL_TOK_MINUS,    KQL_TOK_STAR,     KQL_TOK_SLASH,  KQL_TOK_PERCENT,
        KQL_TOK_COLON, KQL_TOK_EOF,
    };
    assert_int_equal(l.count, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < l.count; i++)
        assert_int_equal(l.tokens[i].kind, want[i]);
    free(l.text);
}

static void lex_locations(void **state)
{
    lexed l;
    /* "é" is two bytes and one column; a tab is one column; comments are skipped. */
    lex_all("// note\n\t\"é\" x\n  y", &l);
    assert_int_equal(l.status, FH_OK);
    assert_int_equal(l.count, 4);

    assert_int_equal(l.tokens[0].loc.line, 2);
    assert_int_equal(l.tokens[0].loc.column, 2);
    assert_int_equal(l.tokens[0].loc.offset, 9);

    assert_int_equal(l.tokens[1].loc.line, 2);
    assert_int_equal(l.tokens[1].loc.column, 6);
    assert_int_equal(l.tokens[1].loc.offset, 14);

    assert_int_equal(l.tokens[2].loc.line, 3);
    assert_int_equal(l.tokens[2].loc.column, 3);
    assert_int_equal(l.tokens[3].kind, KQL_TOK_EOF);
    free(l.text);
}

static void lex_numbers(void **state)
{
    lexed l;
    lex_all("42 0x1F 1.5 1e3 2.5E-2 9223372036854775807 1..5", &l);
    assert_int_equal(l.status, FH_OK);
    assert_int_equal(l.tokens[0].kind, KQL_TOK_LONG);
    assert_int_equal(l.tokens[0].num.l, 42);
    assert_int_equal(l.tokens[1].kind, KQL_TOK_LONG);
    assert_int_equal(l.tokens[1].num.l, 31);
    assert_int_equal(l.tokens[2].kind, KQL_TOK_REAL);
    assert_true(l.tokens[2].num.r == 1.5);
    assert_int_equal(l.tokens[3].kind, KQL_TOK_REAL);
    assert_true(l.tokens[3].num.r == 1000.0);
    assert_true(l.tokens[4].num.r == 0.025);
    assert_int_equal(l.tokens[5].num.l, INT64_MAX);
    /* 1..5 is 1, .., 5: a '.' without a digit after it ends the number. */
    assert_token(&l.tokens[6], KQL_TOK_LONG, "1");
    assert_token(&l.tokens[7], KQL_TOK_DOTDOT, "..");
    assert_token(&l.tokens[8], KQL_TOK_LONG, "5");
    free(l.text);
}

static void lex_timespans(void **state)
{
    const struct {
        const char *text;
        int64_t ticks;
    } cases[] = {
        {"1d", 864000000000LL},    {"2days", 1728000000000LL}, {"1h", 36000000000LL},
        {"3hrs", 108000000000LL},  {"5m", 3000000000LL},       {"2minutes", 1200000000LL},
        {"30s", 300000000LL},      {"1second", 10000000LL},    {"100ms", 1000000LL},
        {"7millis", 70000LL},      {"2micro", 20LL},           {"3microseconds", 30LL},
        {"250nanos", 2LL},         {"10tick", 10LL},           {"1ticks", 1LL},
        {"1.5d", 1296000000000LL}, {"0.1s", 1000000LL},        {"1.5h", 54000000000LL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lexed l;
        lex_all(cases[i].text, &l);
        assert_int_equal(l.status, FH_OK);
        assert_int_equal(l.tokens[0].kind, KQL_TOK_TIMESPAN);
        assert_int_equal(l.tokens[0].num.ticks, cases[i].ticks);
        assert_int_equal(l.tokens[1].kind, KQL_TOK_EOF);
        free(l.text);
    }
}

static void assert_decodes(const char *literal, const char *want, size_t want_len)
{
    lexed l;
    lex_all(literal, &l);
    assert_int_equal(l.status, FH_OK);
    assert_int_equal(l.tokens[0].kind, KQL_TOK_STRING);
    assert_int_equal(l.tokens[0].text.len, strlen(literal));

    fh_arena arena;
    fh_arena_init(&arena);
    kql_str value;
    assert_int_equal(kql_lex_string_value(&l.tokens[0], &arena, &value), FH_OK);
    assert_int_equal(value.len, want_len);
    assert_memory_equal(value.ptr, want, want_len);
    fh_arena_destroy(&arena);
    free(l.text);
}

static void lex_string_forms(void **state)
{
    assert_decodes("\"a\\\"b\\\\c\\n\\t\\r\"", "a\"b\\c\n\t\r", 8);
    assert_decodes("'it\\'s \"q\"'", "it's \"q\"", 8);
    assert_decodes("\"\\u00e9\\u20AC\"", "\xc3\xa9\xe2\x82\xac", 5);
    assert_decodes("\"\\ud83d\\ude00\"", "\xf0\x9f\x98\x80", 4);
    assert_decodes("\"\\ud800x\"", "\xef\xbf\xbdx", 4);
    assert_decodes("@\"c:\\dir\\\"\"\"", "c:\\dir\\\"", 8);
    assert_decodes("@'it''s'", "it's", 4);
    assert_decodes("h\"secret\"", "secret", 6);
    assert_decodes("H@'c:\\k'", "c:\\k", 4);
    assert_decodes("```a\nb\\n```", "a\nb\\n", 5);
    assert_decodes("\"\"", "", 0);
}

static void lex_h_is_a_name_without_quote(void **state)
{
    lexed l;
    lex_all("h hash @x", &l);
    assert_token(&l.tokens[0], KQL_TOK_IDENT, "h");
    assert_token(&l.tokens[1], KQL_TOK_IDENT, "hash");
    /* '@' not followed by a quote is not a token. */
    assert_int_equal(l.status, FH_ERR_PARSE);
    assert_int_equal(l.err.column, 8);
    free(l.text);
}

static void assert_lex_error(const char *text, unsigned long column, const char *fragment)
{
    lexed l;
    lex_all(text, &l);
    assert_int_equal(l.status, FH_ERR_PARSE);
    assert_int_equal(l.err.line, 1);
    assert_int_equal(l.err.column, column);
    if (strstr(l.err.message, fragment) == NULL)
        fail_msg("message \"%s\" lacks \"%s\"", l.err.message, fragment);
    free(l.text);
}

static void lex_errors(void **state)
{
    assert_lex_error("x \"abc", 3, "unterminated string literal");
    assert_lex_error("x 'a\nb'", 3, "unterminated string literal");
    assert_lex_error("'a\\qb'", 3, "invalid escape sequence '\\q'");
    assert_lex_error("\"\\u12\"", 2, "four hexadecimal digits");
    assert_lex_error("```abc", 1, "missing closing ```");
    assert_lex_error("12abc", 1, "'abc' is not a timespan unit");
    assert_lex_error("0x", 1, "invalid hexadecimal literal");
    assert_lex_error("0x10000000000000000", 1, "longer than 16 digits");
    assert_lex_error("99999999999999999999", 1, "out of range for long");
    assert_lex_error("a ! b", 3, "unexpected '!'");
    assert_lex_error("a # b", 3, "unexpected character '#'");
    assert_lex_error("a \x01", 3, "unexpected byte 0x01");
}

static void lex_raw_body(void **state)
{
    const char *text = "datetime( 2026-06-11 08:20:03 ) x";
    kql_lexer lex;
    kql_lex_init(&lex, "<query>", text, strlen(text));
    kql_token tok;
    fh_error err;
    assert_int_equal(kql_lex_next(&lex, &tok, &err), FH_OK);
    assert_int_equal(kql_lex_next(&lex, &tok, &err), FH_OK);
    assert_int_equal(tok.kind, KQL_TOK_LPAREN);

    assert_int_equal(kql_lex_raw_until_paren(&lex, &tok, &err), FH_OK);
    assert_token(&tok, KQL_TOK_STRING, "2026-06-11 08:20:03");
    assert_int_equal(tok.loc.column, 11);
    assert_int_equal(kql_lex_next(&lex, &tok, &err), FH_OK);
    assert_int_equal(tok.kind, KQL_TOK_RPAREN);

    kql_lex_init(&lex, "<query>", "guid(abc", 8);
    kql_lex_next(&lex, &tok, &err);
    kql_lex_next(&lex, &tok, &err);
    assert_int_equal(kql_lex_raw_until_paren(&lex, &tok, &err), FH_ERR_PARSE);
    assert_int_equal(err.column, 6);
}

static void lex_binop_spellings(void **state)
{
    kql_binop op;
    kql_str has_cs = {"!has_cs", 7};
    assert_true(kql_lex_binop_from_spelling(has_cs, &op));
    assert_int_equal(op, KQL_OP_NOT_HAS_CS);
    assert_string_equal(kql_lex_binop_spelling(KQL_OP_NOT_HAS_CS), "!has_cs");

    kql_str ltgt = {"<>", 2};
    assert_true(kql_lex_binop_from_spelling(ltgt, &op));
    assert_int_equal(op, KQL_OP_NE);
    assert_string_equal(kql_lex_binop_spelling(KQL_OP_NE), "!=");

    kql_str unknown = {"hasnt", 5};
    assert_false(kql_lex_binop_from_spelling(unknown, &op));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lex_operators_and_words),
        cmocka_unit_test(lex_punctuation),
        cmocka_unit_test(lex_locations),
        cmocka_unit_test(lex_numbers),
        cmocka_unit_test(lex_timespans),
        cmocka_unit_test(lex_string_forms),
        cmocka_unit_test(lex_h_is_a_name_without_quote),
        cmocka_unit_test(lex_errors),
        cmocka_unit_test(lex_raw_body),
        cmocka_unit_test(lex_binop_spellings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
