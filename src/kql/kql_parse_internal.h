/*
 * State and helpers shared by the parser's files: kql_parse.c (statements, tokens, errors),
 * kql_parse_expr.c (scalar expressions), kql_parse_literal.c (literals) and kql_parse_op.c
 * (tabular operators).
 * Not part of any public interface.
 */
#ifndef FOXHOUND_KQL_PARSE_INTERNAL_H
#define FOXHOUND_KQL_PARSE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "foxhound/arena.h"
#include "foxhound/error.h"
#include "kql/kql_ast.h"
#include "kql/kql_lex.h"

typedef struct kql_parser {
    kql_lexer lex;
    kql_token tok; /* the current token, not yet consumed */
    fh_arena *arena;
    fh_error *err;
    const char *source;
    unsigned depth;      /* nesting of the expression being parsed, capped by FH_MAX_QUERY_DEPTH */
    unsigned json_depth; /* nesting inside a dynamic literal, capped by FH_MAX_JSON_DEPTH */
    kql_note *notes;
    size_t nnotes, notes_cap;
} kql_parser;

/* Status-propagating step: returns from the calling function when expr is not FH_OK. */
#define KQL_TRY(expr)                                                                              \
    do {                                                                                           \
        fh_status kql_try_status_ = (expr);                                                        \
        if (kql_try_status_ != FH_OK)                                                              \
            return kql_try_status_;                                                                \
    } while (0)

/* ---- kql_parse.c: tokens, errors, lists ---- */

/* Consumes the current token and reads the next. */
fh_status kql_parser_advance(kql_parser *p);

/* Reads the token after the current one without consuming anything (an error reads as EOF). */
kql_token kql_parser_peek(const kql_parser *p);

/* Returns true when the current token is the identifier word. */
bool kql_parser_at_word(const kql_parser *p, const char *word);

/* Returns true when b starts right where a ends, with no space or comment between. */
bool kql_tokens_adjacent(const kql_token *a, const kql_token *b);

/* Fills the error with FH_ERR_PARSE (or the given status) at loc and returns it. */
fh_status kql_parser_error_at(kql_parser *p, fh_status status, kql_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Reports "expected WHAT CONTEXT, found TOKEN" at the current token. */
fh_status kql_parser_expected(kql_parser *p, const char *what, const char *context);

/* Consumes a token of a kind or reports what was expected (context completes the message:
 * "after the in-list"). */
fh_status kql_parser_expect(kql_parser *p, kql_token_kind kind, const char *context);

/* Consumes the identifier word or reports it as expected. */
fh_status kql_parser_expect_word(kql_parser *p, const char *word, const char *context);

/* Enters one nesting level, failing with FH_ERR_LIMIT past FH_MAX_QUERY_DEPTH. */
fh_status kql_parser_enter(kql_parser *p);
void kql_parser_leave(kql_parser *p);

/* Records a note (a hint ignored, say) at loc; the message is copied into the arena. */
fh_status kql_parser_note(kql_parser *p, kql_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Appends one element of elem_size bytes to an arena array, growing it by doubling. */
fh_status kql_parser_push(kql_parser *p, void **array, size_t *count, size_t *cap, size_t elem_size,
                          const void *elem);

/* Allocates a node or reports FH_ERR_NOMEM. */
fh_status kql_parser_node(kql_parser *p, kql_node_kind kind, kql_loc loc, kql_node **out);

/* Reads a name: an identifier, or a bracketed ['name'] / ["name"]. */
fh_status kql_parse_name(kql_parser *p, const char *context, kql_str *out, kql_loc *loc);

/* Returns true when the current token starts a name (identifier or '[' string). */
bool kql_parser_at_name(const kql_parser *p);

/* ---- kql_parse.c: statements ---- */

/* Parses an expression that may continue with `| operator ...`: a tabular expression, or a
 * scalar one when no pipe follows. */
fh_status kql_parse_pipe_expr(kql_parser *p, kql_node **out);

/* ---- kql_parse_expr.c ---- */

/* Parses a scalar expression (no pipe), from `or` down to primaries. */
fh_status kql_parse_scalar(kql_parser *p, kql_node **out);

/* Parses `[Name =] expr`, or just expr; the name is taken only when '=' follows it. */
fh_status kql_parse_named_expr(kql_parser *p, kql_named_expr *out);

/* Parses a comma-separated list of named expressions (at least one). */
fh_status kql_parse_named_list(kql_parser *p, kql_named_expr **items, size_t *count);

/* Parses a type name (string, long, datetime, ...) into an fh_type. */
fh_status kql_parse_type(kql_parser *p, fh_type *out);

/* Parses `(` pipe_expr `)` and returns the inner expression. */
fh_status kql_parse_parenthesized(kql_parser *p, const char *context, kql_node **out);

/* ---- kql_parse_literal.c ---- */

/* Parses a literal that starts with a word: true, false, typeof(T), and the typed forms
 * datetime(...), timespan(...), int(...), dynamic(...) and the like. Returns FH_DONE, having
 * consumed nothing, when the current word starts none of them. */
fh_status kql_parse_literal_word(kql_parser *p, kql_node **out);

/* Parses a number, timespan or string token; adjacent string literals are concatenated. */
fh_status kql_parse_literal_token(kql_parser *p, kql_node **out);

/* Folds a unary minus or plus over a number or timespan literal into the literal. Returns the
 * literal, or the unary node unchanged when its operand is not a numeric literal. */
kql_node *kql_fold_sign(kql_node *unary);

/* ---- kql_parse_op.c ---- */

/* Parses one tabular operator after its '|' into op. */
fh_status kql_parse_operator(kql_parser *p, kql_operator *op);

/* Parses the source forms that start with a keyword: union, print, datatable. Returns
 * FH_DONE when the current token starts none of them. */
fh_status kql_parse_tabular_source(kql_parser *p, kql_node **out);

#endif
