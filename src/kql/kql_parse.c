/*
 * The parser's entry point and statement level: let statements, user functions, the final
 * tabular statement and the `|` chains, plus the token, error and list helpers that the
 * expression and operator files share. It is a recursive-descent parser over tokens read on
 * demand. Every recursion goes through kql_parser_enter, so hostile nesting ends in an
 * FH_ERR_LIMIT error instead of a stack overflow.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "foxhound/limits.h"
#include "kql/kql_parse.h"
#include "kql/kql_parse_internal.h"

/* ---- tokens and errors ---- */

fh_status kql_parser_advance(kql_parser *p)
{
    return kql_lex_next(&p->lex, &p->tok, p->err);
}

kql_token kql_parser_peek(const kql_parser *p)
{
    kql_lexer copy = p->lex;
    kql_token next;
    if (kql_lex_next(&copy, &next, NULL) != FH_OK)
        next.kind = KQL_TOK_EOF;
    return next;
}

bool kql_parser_at_word(const kql_parser *p, const char *word)
{
    return p->tok.kind == KQL_TOK_IDENT && kql_str_is(p->tok.text, word);
}

bool kql_tokens_adjacent(const kql_token *a, const kql_token *b)
{
    return a->loc.offset + a->text.len == b->loc.offset;
}

static fh_status vset_error(kql_parser *p, fh_status status, kql_loc loc, const char *fmt,
                            va_list ap)
{
    char message[FH_ERROR_MESSAGE_MAX];
    vsnprintf(message, sizeof message, fmt, ap);
    return fh_error_set(p->err, status, p->source, loc.line, loc.column, "%s", message);
}

fh_status kql_parser_error_at(kql_parser *p, fh_status status, kql_loc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fh_status st = vset_error(p, status, loc, fmt, ap);
    va_end(ap);
    return st;
}

/* Describes the current token for "found ..." in messages. */
static void describe_token(const kql_token *tok, char *buf, size_t size)
{
    if (tok->kind == KQL_TOK_EOF) {
        snprintf(buf, size, "the end of the query");
        return;
    }
    int len = tok->text.len > 40 ? 40 : (int)tok->text.len;
    const char *more = tok->text.len > 40 ? "..." : "";
    snprintf(buf, size, "'%.*s%s'", len, tok->text.ptr, more);
}

fh_status kql_parser_expected(kql_parser *p, const char *what, const char *context)
{
    char found[64];
    describe_token(&p->tok, found, sizeof found);
    return kql_parser_error_at(p, FH_ERR_PARSE, p->tok.loc, "expected %s%s%s, found %s", what,
                               context[0] ? " " : "", context, found);
}

fh_status kql_parser_expect(kql_parser *p, kql_token_kind kind, const char *context)
{
    if (p->tok.kind != kind)
        return kql_parser_expected(p, kql_token_kind_name(kind), context);
    return kql_parser_advance(p);
}

fh_status kql_parser_expect_word(kql_parser *p, const char *word, const char *context)
{
    if (!kql_parser_at_word(p, word)) {
        char what[64];
        snprintf(what, sizeof what, "'%s'", word);
        return kql_parser_expected(p, what, context);
    }
    return kql_parser_advance(p);
}

fh_status kql_parser_enter(kql_parser *p)
{
    if (p->depth >= FH_MAX_QUERY_DEPTH)
        return kql_parser_error_at(p, FH_ERR_LIMIT, p->tok.loc,
                                   "query nests deeper than %d levels here; split it with let "
                                   "statements",
                                   FH_MAX_QUERY_DEPTH);
    p->depth++;
    return FH_OK;
}

void kql_parser_leave(kql_parser *p)
{
    p->depth--;
}

fh_status kql_parser_push(kql_parser *p, void **array, size_t *count, size_t *cap, size_t elem_size,
                          const void *elem)
{
    if (*count == *cap) {
        size_t new_cap = *cap ? *cap * 2 : 4;
        char *grown = fh_arena_alloc(p->arena, new_cap * elem_size);
        if (grown == NULL)
            return FH_ERR_NOMEM;
        if (*count > 0)
            memcpy(grown, *array, *count * elem_size);
        *array = grown;
        *cap = new_cap;
    }
    memcpy((char *)*array + *count * elem_size, elem, elem_size);
    (*count)++;
    return FH_OK;
}

fh_status kql_parser_note(kql_parser *p, kql_loc loc, const char *fmt, ...)
{
    char message[FH_ERROR_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);

    kql_note note = {loc, fh_arena_strndup(p->arena, message, strlen(message))};
    if (note.message == NULL)
        return FH_ERR_NOMEM;
    return kql_parser_push(p, (void **)&p->notes, &p->nnotes, &p->notes_cap, sizeof note, &note);
}

fh_status kql_parser_node(kql_parser *p, kql_node_kind kind, kql_loc loc, kql_node **out)
{
    *out = kql_node_new(p->arena, kind, loc);
    return *out == NULL ? FH_ERR_NOMEM : FH_OK;
}

bool kql_parser_at_name(const kql_parser *p)
{
    if (p->tok.kind == KQL_TOK_IDENT)
        return p->tok.text.ptr[0] != '!' && p->tok.text.ptr[0] != '$';
    if (p->tok.kind == KQL_TOK_LBRACKET)
        return kql_parser_peek(p).kind == KQL_TOK_STRING;
    return false;
}

fh_status kql_parse_name(kql_parser *p, const char *context, kql_str *out, kql_loc *loc)
{
    kql_loc start = p->tok.loc;
    if (loc != NULL)
        *loc = start;
    if (!kql_parser_at_name(p))
        return kql_parser_expected(p, "a name", context);

    if (p->tok.kind == KQL_TOK_IDENT) {
        *out = p->tok.text;
        return kql_parser_advance(p);
    }
    KQL_TRY(kql_parser_advance(p)); /* '[' */
    KQL_TRY(kql_lex_string_value(&p->tok, p->arena, out));
    KQL_TRY(kql_parser_advance(p));
    if (out->len == 0)
        return kql_parser_error_at(p, FH_ERR_PARSE, start, "a bracketed name cannot be empty");
    if (out->len > FH_MAX_NAME_BYTES)
        return kql_parser_error_at(p, FH_ERR_LIMIT, start, "name is longer than %d bytes",
                                   FH_MAX_NAME_BYTES);
    return kql_parser_expect(p, KQL_TOK_RBRACKET, "to close the bracketed name");
}

/* ---- pipelines ---- */

/* Returns true for node kinds that can start a `|` chain. */
static bool is_tabular_source(const kql_node *node)
{
    switch (node->kind) {
    case KQL_NODE_NAME:
    case KQL_NODE_CALL:
    case KQL_NODE_PIPELINE:
    case KQL_NODE_DATATABLE:
    case KQL_NODE_PRINT:
    case KQL_NODE_UNION:
        return true;
    default:
        return false;
    }
}

static fh_status parse_pipe_chain(kql_parser *p, kql_node *source, kql_node **out)
{
    if (!is_tabular_source(source))
        return kql_parser_error_at(p, FH_ERR_PARSE, p->tok.loc,
                                   "expected a table before '|': a table name, a let name, a "
                                   "function call or a parenthesized query; found a %s",
                                   kql_node_kind_name(source->kind));

    kql_node *node;
    KQL_TRY(kql_parser_node(p, KQL_NODE_PIPELINE, source->loc, &node));
    node->u.pipeline.source = source;

    size_t cap = 0;
    while (p->tok.kind == KQL_TOK_PIPE) {
        KQL_TRY(kql_parser_advance(p));
        kql_operator op;
        memset(&op, 0, sizeof op);
        KQL_TRY(kql_parse_operator(p, &op));
        KQL_TRY(kql_parser_push(p, (void **)&node->u.pipeline.ops, &node->u.pipeline.nops, &cap,
                                sizeof op, &op));
    }
    *out = node;
    return FH_OK;
}

static fh_status parse_pipe_expr_inner(kql_parser *p, kql_node **out)
{
    kql_node *source = NULL;
    fh_status st = kql_parse_tabular_source(p, &source);
    if (st == FH_DONE)
        st = kql_parse_scalar(p, &source);
    if (st != FH_OK)
        return st;

    if (p->tok.kind != KQL_TOK_PIPE) {
        *out = source;
        return FH_OK;
    }
    return parse_pipe_chain(p, source, out);
}

fh_status kql_parse_pipe_expr(kql_parser *p, kql_node **out)
{
    KQL_TRY(kql_parser_enter(p));
    fh_status st = parse_pipe_expr_inner(p, out);
    kql_parser_leave(p);
    return st;
}

/* ---- functions ---- */

static fh_status parse_block(kql_parser *p, bool in_braces, kql_block *block);

/* Returns true when the current '(' starts a function definition: `()` then `{`, or a
 * parameter `name:` after the '('. */
static bool at_function(const kql_parser *p)
{
    if (p->tok.kind != KQL_TOK_LPAREN)
        return false;
    kql_lexer copy = p->lex;
    kql_token first, second;
    if (kql_lex_next(&copy, &first, NULL) != FH_OK || kql_lex_next(&copy, &second, NULL) != FH_OK)
        return false;
    if (first.kind == KQL_TOK_RPAREN)
        return second.kind == KQL_TOK_LBRACE;
    return (first.kind == KQL_TOK_IDENT || first.kind == KQL_TOK_LBRACKET) &&
           (second.kind == KQL_TOK_COLON || second.kind == KQL_TOK_STRING);
}

/* Parses the column list of a tabular parameter: `(*)` or `(a:string, b:long)`. */
static fh_status parse_tabular_param(kql_parser *p, kql_param *param)
{
    param->is_tabular = true;
    KQL_TRY(kql_parser_advance(p)); /* '(' */
    if (p->tok.kind == KQL_TOK_STAR) {
        KQL_TRY(kql_parser_advance(p));
        return kql_parser_expect(p, KQL_TOK_RPAREN, "after '(*' in a tabular parameter");
    }

    size_t cap = 0;
    for (;;) {
        kql_column_decl col;
        memset(&col, 0, sizeof col);
        KQL_TRY(kql_parse_name(p, "for a column of the tabular parameter", &col.name, &col.loc));
        KQL_TRY(kql_parser_expect(p, KQL_TOK_COLON, "after the column name"));
        KQL_TRY(kql_parse_type(p, &col.type));
        KQL_TRY(
            kql_parser_push(p, (void **)&param->columns, &param->ncolumns, &cap, sizeof col, &col));
        if (p->tok.kind != KQL_TOK_COMMA)
            break;
        KQL_TRY(kql_parser_advance(p));
    }
    return kql_parser_expect(p, KQL_TOK_RPAREN, "after the columns of the tabular parameter");
}

static fh_status parse_param(kql_parser *p, kql_param *param)
{
    KQL_TRY(kql_parse_name(p, "for a function parameter", &param->name, &param->loc));
    KQL_TRY(kql_parser_expect(p, KQL_TOK_COLON, "and a type after the parameter name"));
    if (p->tok.kind == KQL_TOK_LPAREN)
        return parse_tabular_param(p, param);

    KQL_TRY(kql_parse_type(p, &param->type));
    if (p->tok.kind != KQL_TOK_ASSIGN)
        return FH_OK;
    KQL_TRY(kql_parser_advance(p));
    return kql_parse_scalar(p, &param->default_value);
}

static fh_status parse_function(kql_parser *p, kql_node **out)
{
    kql_node *node;
    KQL_TRY(kql_parser_node(p, KQL_NODE_FUNCTION, p->tok.loc, &node));
    KQL_TRY(kql_parser_advance(p)); /* '(' */

    size_t cap = 0;
    while (p->tok.kind != KQL_TOK_RPAREN) {
        kql_param param;
        memset(&param, 0, sizeof param);
        KQL_TRY(parse_param(p, &param));
        KQL_TRY(kql_parser_push(p, (void **)&node->u.function.params, &node->u.function.nparams,
                                &cap, sizeof param, &param));
        if (p->tok.kind != KQL_TOK_COMMA)
            break;
        KQL_TRY(kql_parser_advance(p));
    }
    KQL_TRY(kql_parser_expect(p, KQL_TOK_RPAREN, "after the function parameters"));
    KQL_TRY(kql_parser_expect(p, KQL_TOK_LBRACE, "to start the function body"));
    KQL_TRY(kql_parser_enter(p));
    fh_status st = parse_block(p, true, &node->u.function.body);
    kql_parser_leave(p);
    if (st != FH_OK)
        return st;
    KQL_TRY(kql_parser_expect(p, KQL_TOK_RBRACE, "to close the function body"));
    *out = node;
    return FH_OK;
}

/* ---- statements ---- */

static fh_status parse_let(kql_parser *p, kql_let *let)
{
    let->loc = p->tok.loc;
    KQL_TRY(kql_parser_advance(p)); /* let */
    KQL_TRY(kql_parse_name(p, "after 'let'", &let->name, NULL));
    KQL_TRY(kql_parser_expect(p, KQL_TOK_ASSIGN, "after the let name"));

    /* `let name = view () { ... }` defines a function; foxhound treats it as an ordinary one. */
    if (kql_parser_at_word(p, "view") && kql_parser_peek(p).kind == KQL_TOK_LPAREN)
        KQL_TRY(kql_parser_advance(p));
    if (at_function(p))
        return parse_function(p, &let->value);
    return kql_parse_pipe_expr(p, &let->value);
}

/* Statement keywords of KQL that foxhound does not run. */
static bool unsupported_statement(const kql_parser *p)
{
    static const char *const words[] = {"set", "declare", "alias", "pattern", "restrict"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        if (kql_parser_at_word(p, words[i]) && kql_parser_peek(p).kind == KQL_TOK_IDENT)
            return true;
    }
    return false;
}

static bool at_block_end(const kql_parser *p, bool in_braces)
{
    return p->tok.kind == KQL_TOK_EOF || (in_braces && p->tok.kind == KQL_TOK_RBRACE);
}

static fh_status parse_statement(kql_parser *p, bool in_braces, kql_block *block, size_t *lets_cap)
{
    if (kql_parser_at_word(p, "let")) {
        kql_let let;
        memset(&let, 0, sizeof let);
        KQL_TRY(parse_let(p, &let));
        return kql_parser_push(p, (void **)&block->lets, &block->nlets, lets_cap, sizeof let, &let);
    }
    if (unsupported_statement(p))
        return kql_parser_error_at(p, FH_ERR_UNSUPPORTED, p->tok.loc,
                                   "foxhound does not support the '%.*s' statement; only let "
                                   "statements and one tabular expression are run",
                                   (int)p->tok.text.len, p->tok.text.ptr);
    if (block->result != NULL && in_braces)
        return kql_parser_expected(p, "'}'", "to close the function body");
    if (block->result != NULL)
        return kql_parser_error_at(p, FH_ERR_UNSUPPORTED, p->tok.loc,
                                   "a second tabular statement; foxhound runs one tabular "
                                   "expression per query, after its let statements");
    return kql_parse_pipe_expr(p, &block->result);
}

/* Parses statements separated by ';' until the end of the text or, in a function body, '}'. */
static fh_status parse_block(kql_parser *p, bool in_braces, kql_block *block)
{
    size_t lets_cap = 0;
    while (!at_block_end(p, in_braces)) {
        if (p->tok.kind == KQL_TOK_SEMICOLON) {
            KQL_TRY(kql_parser_advance(p));
            continue;
        }
        KQL_TRY(parse_statement(p, in_braces, block, &lets_cap));
        if (!at_block_end(p, in_braces) && p->tok.kind != KQL_TOK_SEMICOLON)
            return kql_parser_expected(p, "';' or '|'", "after the statement");
    }
    if (block->result == NULL)
        return kql_parser_error_at(p, FH_ERR_PARSE, p->tok.loc,
                                   in_braces ? "expected an expression at the end of the function "
                                               "body"
                                             : "expected a tabular expression after the let "
                                               "statements; a query ends with one, such as "
                                               "CommonSecurityLog | take 10");
    return FH_OK;
}

/* ---- entry points ---- */

static fh_status parse_text(kql_parser *p, const char *text, size_t len, kql_query *query)
{
    char *copy = fh_arena_strndup(p->arena, text, len);
    if (copy == NULL)
        return FH_ERR_NOMEM;
    query->text = copy;
    query->len = len;

    kql_lex_init(&p->lex, p->source, copy, len);
    KQL_TRY(kql_parser_advance(p));
    KQL_TRY(parse_block(p, false, &query->body));
    query->notes = p->notes;
    query->nnotes = p->nnotes;
    return FH_OK;
}

fh_status kql_parse_source(const char *source, const char *text, size_t len, fh_arena *arena,
                           kql_query **out, fh_error *err)
{
    *out = NULL;
    if (source == NULL)
        source = "<query>";
    if (len > FH_MAX_QUERY_BYTES)
        return fh_error_set(err, FH_ERR_LIMIT, source, 0, 0,
                            "query is %zu bytes, over the limit of %d bytes", len,
                            FH_MAX_QUERY_BYTES);

    kql_query *query = fh_arena_alloc(arena, sizeof *query);
    char *source_copy = fh_arena_strndup(arena, source, strlen(source));
    if (query == NULL || source_copy == NULL)
        return fh_error_set(err, FH_ERR_NOMEM, source, 0, 0, "out of memory parsing the query");
    memset(query, 0, sizeof *query);
    query->source = source_copy;

    kql_parser p;
    memset(&p, 0, sizeof p);
    p.arena = arena;
    p.err = err;
    p.source = source_copy;
    fh_status st = parse_text(&p, text, len, query);
    if (st == FH_ERR_NOMEM)
        return fh_error_set(err, FH_ERR_NOMEM, source, 0, 0, "out of memory parsing the query");
    if (st != FH_OK)
        return st;
    *out = query;
    return FH_OK;
}

fh_status kql_parse(const char *text, size_t len, fh_arena *arena, kql_query **out, fh_error *err)
{
    return kql_parse_source(NULL, text, len, arena, out, err);
}
