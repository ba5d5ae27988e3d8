/*
 * The KQL lexer: splits query text into tokens on demand, skipping whitespace and `//`
 * comments, and tracks the line and column of each token.
 *
 * Keywords are not token kinds, because KQL keywords are contextual (`count` is an operator, a
 * function and a valid column name), so the parser compares identifier text. The lexer joins
 * `!` to a following word (`!has`, `!contains_cs`, `!between`) and `~` to `in` and `!in`.
 * String literals are checked completely when lexed (termination, escapes), so decoding one
 * later cannot fail for any reason but memory.
 */
#ifndef FOXHOUND_KQL_LEX_H
#define FOXHOUND_KQL_LEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "foxhound/arena.h"
#include "foxhound/error.h"
#include "kql/kql_ast.h"

typedef enum kql_token_kind {
    KQL_TOK_EOF,
    KQL_TOK_IDENT,    /* name or keyword, also $left and the joined !word and in~ forms */
    KQL_TOK_STRING,   /* any string literal form; decode with kql_lex_string_value */
    KQL_TOK_LONG,     /* decimal or 0x hexadecimal integer, type long as in Kusto */
    KQL_TOK_REAL,     /* number with a fraction or an exponent */
    KQL_TOK_TIMESPAN, /* number with a unit suffix: 1h, 1.5d, 100ms, 10tick */
    KQL_TOK_PIPE,     /* | */
    KQL_TOK_SEMICOLON,
    KQL_TOK_COMMA,
    KQL_TOK_LPAREN,
    KQL_TOK_RPAREN,
    KQL_TOK_LBRACKET,
    KQL_TOK_RBRACKET,
    KQL_TOK_LBRACE,
    KQL_TOK_RBRACE,
    KQL_TOK_DOT,
    KQL_TOK_DOTDOT, /* .. in between (a .. b) */
    KQL_TOK_ASSIGN, /* = */
    KQL_TOK_EQ,     /* == */
    KQL_TOK_NE,     /* != */
    KQL_TOK_LTGT,   /* <> */
    KQL_TOK_LT,
    KQL_TOK_LE,
    KQL_TOK_GT,
    KQL_TOK_GE,
    KQL_TOK_EQ_TILDE, /* =~ */
    KQL_TOK_NE_TILDE, /* !~ */
    KQL_TOK_PLUS,
    KQL_TOK_MINUS,
    KQL_TOK_STAR,
    KQL_TOK_SLASH,
    KQL_TOK_PERCENT,
    KQL_TOK_COLON,
    KQL_TOK_KIND_COUNT
} kql_token_kind;

typedef struct kql_token {
    kql_token_kind kind;
    kql_str text; /* the token as written */
    kql_loc loc;
    union {
        int64_t l;     /* KQL_TOK_LONG */
        double r;      /* KQL_TOK_REAL */
        int64_t ticks; /* KQL_TOK_TIMESPAN, in 100 ns ticks */
    } num;
} kql_token;

typedef struct kql_lexer {
    const char *source; /* names the query in errors */
    const char *text;
    size_t len;
    size_t pos;
    unsigned long line;
    unsigned long column;
} kql_lexer;

void kql_lex_init(kql_lexer *lex, const char *source, const char *text, size_t len);

/*
 * Reads the next token. At the end of the text it returns FH_OK with KQL_TOK_EOF, again on
 * every later call. Returns FH_ERR_PARSE with the location of the bad character, string or
 * number otherwise.
 */
fh_status kql_lex_next(kql_lexer *lex, kql_token *tok, fh_error *err);

/*
 * Reads the raw text from the current position up to (not including) the next ')', trimmed of
 * spaces and tabs, as the body of datetime(...), timespan(...) and guid(...), whose contents
 * are not tokens. Returns FH_ERR_PARSE at the opening position when no ')' follows on the
 * same line.
 */
fh_status kql_lex_raw_until_paren(kql_lexer *lex, kql_token *tok, fh_error *err);

/* Decodes a KQL_TOK_STRING token into arena (escapes applied, quotes removed). */
fh_status kql_lex_string_value(const kql_token *tok, fh_arena *arena, kql_str *out);

/* Returns a description of a token kind for messages: "')'", "a string literal", ... */
const char *kql_token_kind_name(kql_token_kind kind);

/* Looks up a binary operator by spelling: a word (has, !contains_cs, and "matches regex" with
 * one space, which the parser reads as two tokens) or a symbol (==, =~). */
bool kql_lex_binop_from_spelling(kql_str spelling, kql_binop *out);

/* Returns the KQL spelling of a binary operator ("==", "has", "!startswith_cs", "and"). */
const char *kql_lex_binop_spelling(kql_binop op);

/* Looks up a timespan unit suffix ("h", "hours", "ms", "tick", "nanos") and stores the unit's
 * length in nanoseconds. Returns false when the word is not a unit. */
bool kql_lex_timespan_unit(const char *ptr, size_t len, int64_t *nanos_per_unit);

#endif
