/*
 * A recursive-descent reader for STIX 2.x patterns that produces disjunctive normal form.
 *
 * Grammar, as far as indicators need it (STIX 2.1 part 9, Patterning):
 *   observation := unit (("AND" | "OR") unit)*
 *   unit        := "[" comparison-expression "]" | "(" observation ")"
 *   comparison-expression := term (("AND" | "OR") term)*, AND binding tighter
 *   term        := "(" comparison-expression ")" | path ["NOT"] op literal
 *                | path ["NOT"] "IN" "(" literal ("," literal)* ")" | "EXISTS" path
 * OR concatenates alternatives; AND takes the cross product of both sides' alternatives.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "foxhound/limits.h"
#include "ioc/stix_pattern.h"

typedef enum tok_kind {
    TOK_END,
    TOK_LBRACKET,
    TOK_RBRACKET,
    TOK_LPAREN,
    TOK_RPAREN,
    TOK_COMMA,
    TOK_OP,     /* = != <> < <= > >= */
    TOK_WORD,   /* keyword: AND, OR, NOT, LIKE, ... */
    TOK_PATH,   /* object path: type:property... */
    TOK_STRING, /* '...', or a typed literal t'...' h'...' b'...' */
    TOK_NUMBER,
} tok_kind;

typedef struct token {
    tok_kind kind;
    const char *s;
    size_t n;
} token;

typedef struct parser {
    const char *p;
    size_t len, pos;
    token tok;
    stix_dnf *dnf;
    fh_error *err;
} parser;

/* A list of alternatives under construction, each a list of comparison positions. */
typedef struct alt_list {
    stix_alternative *items;
    size_t count;
} alt_list;

static fh_status syntax(parser *ps, const char *what)
{
    return fh_error_set(ps->err, FH_ERR_PARSE, NULL, 0, ps->pos + 1,
                        "STIX pattern is malformed at column %zu: %s", ps->pos + 1, what);
}

static bool is_word_char(char c)
{
    return isalnum((unsigned char)c) || c == '_' || c == '-';
}

/* Reads an object path after its "type:" start: properties, 'quoted' keys and [*] or [n]. */
static size_t scan_path(const char *p, size_t len, size_t i)
{
    while (i < len) {
        char c = p[i];
        bool index =
            c == '[' && i + 1 < len && (p[i + 1] == '*' || isdigit((unsigned char)p[i + 1]));
        if (is_word_char(c) || c == '.' || c == ':') {
            i++;
        } else if (c == '\'' || index) {
            const char *close = memchr(p + i + 1, c == '\'' ? '\'' : ']', len - i - 1);
            if (close == NULL)
                return i;
            i = (size_t)(close - p) + 1;
        } else {
            return i;
        }
    }
    return i;
}

/* Returns the end of a quoted string starting at i, or 0 when it is not closed. */
static size_t scan_string(const char *p, size_t len, size_t i)
{
    i++;
    while (i < len && p[i] != '\'')
        i += p[i] == '\\' && i + 1 < len ? 2 : 1;
    return i < len ? i + 1 : 0;
}

static size_t scan_word(parser *ps, size_t i, tok_kind *kind)
{
    const char *p = ps->p;
    size_t start = i;
    while (i < ps->len && is_word_char(p[i]))
        i++;
    if (i < ps->len && p[i] == ':') {
        *kind = TOK_PATH;
        return scan_path(p, ps->len, i);
    }
    bool typed = i - start == 1 && i < ps->len && p[i] == '\'' && strchr("thb", p[start]) != NULL;
    if (typed) {
        *kind = TOK_STRING;
        return scan_string(p, ps->len, i);
    }
    *kind = TOK_WORD;
    return i;
}

static size_t scan_number(const char *p, size_t len, size_t i)
{
    if (p[i] == '-' || p[i] == '+')
        i++;
    while (i < len && (isdigit((unsigned char)p[i]) || p[i] == '.'))
        i++;
    return i;
}

/* Reads the next token into ps->tok; returns false on a lexical error. */
static bool advance(parser *ps)
{
    while (ps->pos < ps->len && isspace((unsigned char)ps->p[ps->pos]))
        ps->pos++;
    token *t = &ps->tok;
    t->s = ps->p + ps->pos;
    t->n = 0;
    if (ps->pos >= ps->len) {
        t->kind = TOK_END;
        return true;
    }

    static const char singles[] = "[](),";
    static const tok_kind single_kinds[] = {TOK_LBRACKET, TOK_RBRACKET, TOK_LPAREN, TOK_RPAREN,
                                            TOK_COMMA};
    char c = ps->p[ps->pos];
    const char *single = c != '\0' ? strchr(singles, c) : NULL;
    size_t end = ps->pos + 1;
    if (single != NULL) {
        t->kind = single_kinds[single - singles];
    } else if (c == '\'') {
        t->kind = TOK_STRING;
        end = scan_string(ps->p, ps->len, ps->pos);
    } else if (strchr("=!<>", c) != NULL) {
        t->kind = TOK_OP;
        if (end < ps->len && (ps->p[end] == '=' || (c == '<' && ps->p[end] == '>')))
            end++;
    } else if (isdigit((unsigned char)c) || c == '-' || c == '+') {
        t->kind = TOK_NUMBER;
        end = scan_number(ps->p, ps->len, ps->pos);
    } else if (isalpha((unsigned char)c) || c == '_') {
        end = scan_word(ps, ps->pos, &t->kind);
    } else {
        return false;
    }
    if (end == 0)
        return false;
    t->n = end - ps->pos;
    ps->pos = end;
    return true;
}

static bool tok_is_word(const parser *ps, const char *word)
{
    return ps->tok.kind == TOK_WORD && ps->tok.n == strlen(word) &&
           strncasecmp(ps->tok.s, word, ps->tok.n) == 0;
}

static void alt_list_clear(alt_list *list)
{
    for (size_t i = 0; i < list->count; i++)
        free(list->items[i].terms);
    free(list->items);
    list->items = NULL;
    list->count = 0;
}

static size_t alt_list_terms(const alt_list *list)
{
    size_t total = 0;
    for (size_t i = 0; i < list->count; i++)
        total += list->items[i].nterms;
    return total;
}

static fh_status too_complex(parser *ps)
{
    return fh_error_set(ps->err, FH_ERR_LIMIT, NULL, 0, 0,
                        "STIX pattern expands to more than %d comparisons "
                        "(FH_MAX_STIX_PATTERN_TERMS)",
                        FH_MAX_STIX_PATTERN_TERMS);
}

static fh_status nomem(parser *ps)
{
    return fh_error_set(ps->err, FH_ERR_NOMEM, NULL, 0, 0, "out of memory parsing a pattern");
}

/* Appends the alternatives of b to a (OR); b is emptied. */
static fh_status alt_or(parser *ps, alt_list *a, alt_list *b)
{
    if (alt_list_terms(a) + alt_list_terms(b) > FH_MAX_STIX_PATTERN_TERMS)
        return too_complex(ps);
    stix_alternative *grown = realloc(a->items, (a->count + b->count + 1) * sizeof *grown);
    if (grown == NULL)
        return nomem(ps);
    a->items = grown;
    memcpy(a->items + a->count, b->items, b->count * sizeof *b->items);
    a->count += b->count;
    free(b->items);
    b->items = NULL;
    b->count = 0;
    return FH_OK;
}

/* Joins two alternatives into a new one holding the terms of both. */
static bool alt_join(stix_alternative *out, const stix_alternative *x, const stix_alternative *y)
{
    out->nterms = x->nterms + y->nterms;
    out->terms = malloc((out->nterms + 1) * sizeof *out->terms);
    if (out->terms == NULL)
        return false;
    memcpy(out->terms, x->terms, x->nterms * sizeof *x->terms);
    memcpy(out->terms + x->nterms, y->terms, y->nterms * sizeof *y->terms);
    return true;
}

/* Replaces a with the cross product of a and b (AND); b is emptied. */
static fh_status alt_and(parser *ps, alt_list *a, alt_list *b)
{
    size_t count = a->count * b->count;
    size_t terms = alt_list_terms(a) * b->count + alt_list_terms(b) * a->count;
    if (terms > FH_MAX_STIX_PATTERN_TERMS)
        return too_complex(ps);
    alt_list product = {calloc(count + 1, sizeof(stix_alternative)), 0};
    if (product.items == NULL)
        return nomem(ps);
    for (size_t i = 0; i < a->count; i++) {
        for (size_t k = 0; k < b->count; k++) {
            if (!alt_join(&product.items[product.count], &a->items[i], &b->items[k])) {
                alt_list_clear(&product);
                return nomem(ps);
            }
            product.count++;
        }
    }
    alt_list_clear(a);
    alt_list_clear(b);
    *a = product;
    return FH_OK;
}

/* Copies a literal token, undoing \' and \\ in strings. */
static char *literal_text(const token *t, bool *is_string)
{
    const char *s = t->s;
    size_t n = t->n;
    *is_string = t->kind == TOK_STRING;
    if (*is_string) {
        const char *q = memchr(s, '\'', n);
        n -= (size_t)(q - s) + 2;
        s = q + 1;
    }
    char *out = malloc(n + 1);
    if (out == NULL)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (*is_string && s[i] == '\\' && i + 1 < n)
            i++;
        out[k++] = s[i];
    }
    out[k] = '\0';
    return out;
}

static fh_status grow_comparisons(parser *ps)
{
    stix_dnf *d = ps->dnf;
    if (d->ncomparisons >= FH_MAX_STIX_PATTERN_TERMS)
        return too_complex(ps);
    if (d->ncomparisons < d->comparisons_cap)
        return FH_OK;
    size_t cap = d->comparisons_cap == 0 ? 8 : d->comparisons_cap * 2;
    stix_comparison *grown = realloc(d->comparisons, cap * sizeof *grown);
    if (grown == NULL)
        return nomem(ps);
    d->comparisons = grown;
    d->comparisons_cap = cap;
    return FH_OK;
}

/* Adds one comparison and makes out a one-alternative list holding it. */
static fh_status add_comparison(parser *ps, const token *path, const char *op, const token *literal,
                                alt_list *out)
{
    fh_status st = grow_comparisons(ps);
    if (st != FH_OK)
        return st;
    stix_dnf *d = ps->dnf;
    stix_comparison *c = &d->comparisons[d->ncomparisons];
    memset(c, 0, sizeof *c);
    snprintf(c->path, sizeof c->path, "%.*s", (int)path->n, path->s);
    snprintf(c->op, sizeof c->op, "%s", op);
    if (literal != NULL) {
        c->literal = literal_text(literal, &c->is_string);
        if (c->literal == NULL)
            return nomem(ps);
    }
    d->ncomparisons++;

    out->items = calloc(1, sizeof *out->items);
    if (out->items == NULL)
        return nomem(ps);
    out->count = 1;
    out->items[0].terms = malloc(sizeof *out->items[0].terms);
    if (out->items[0].terms == NULL)
        return nomem(ps);
    out->items[0].terms[0] = d->ncomparisons - 1;
    out->items[0].nterms = 1;
    return FH_OK;
}

static bool is_literal(const parser *ps)
{
    return ps->tok.kind == TOK_STRING || ps->tok.kind == TOK_NUMBER || tok_is_word(ps, "true") ||
           tok_is_word(ps, "false");
}

/* Reads "IN (a, b, ...)" after the path: one alternative per value. */
static fh_status in_list(parser *ps, const token *path, bool negated, alt_list *out)
{
    if (!advance(ps) || ps->tok.kind != TOK_LPAREN)
        return syntax(ps, "expected '(' after IN");
    do {
        if (!advance(ps) || !is_literal(ps))
            return syntax(ps, "expected a literal in an IN list");
        token literal = ps->tok;
        alt_list one = {0};
        fh_status st = add_comparison(ps, path, negated ? "NOT IN" : "=", &literal, &one);
        if (st == FH_OK)
            st = alt_or(ps, out, &one);
        alt_list_clear(&one);
        if (st != FH_OK)
            return st;
        if (!advance(ps))
            return syntax(ps, "unreadable token");
    } while (ps->tok.kind == TOK_COMMA);
    if (ps->tok.kind != TOK_RPAREN)
        return syntax(ps, "expected ')' to close an IN list");
    return advance(ps) ? FH_OK : syntax(ps, "unreadable token");
}

static fh_status exists_term(parser *ps, alt_list *out)
{
    if (!advance(ps) || ps->tok.kind != TOK_PATH)
        return syntax(ps, "expected an object path after EXISTS");
    token path = ps->tok;
    fh_status st = add_comparison(ps, &path, "EXISTS", NULL, out);
    if (st == FH_OK && !advance(ps))
        return syntax(ps, "unreadable token");
    return st;
}

static fh_status comparison(parser *ps, alt_list *out)
{
    if (tok_is_word(ps, "EXISTS"))
        return exists_term(ps, out);
    if (ps->tok.kind != TOK_PATH)
        return syntax(ps, "expected an object path such as ipv4-addr:value");
    token path = ps->tok;
    if (!advance(ps))
        return syntax(ps, "unreadable token");

    bool negated = tok_is_word(ps, "NOT");
    if (negated && !advance(ps))
        return syntax(ps, "unreadable token");
    if (tok_is_word(ps, "IN"))
        return in_list(ps, &path, negated, out);

    if (ps->tok.kind != TOK_OP && ps->tok.kind != TOK_WORD)
        return syntax(ps, "expected a comparison operator");
    char op[STIX_OP_BYTES];
    snprintf(op, sizeof op, "%s%.*s", negated ? "NOT " : "", (int)ps->tok.n, ps->tok.s);
    if (!advance(ps) || !is_literal(ps))
        return syntax(ps, "expected a literal after the operator");
    token literal = ps->tok;
    fh_status st = add_comparison(ps, &path, op, &literal, out);
    if (st == FH_OK && !advance(ps))
        return syntax(ps, "unreadable token");
    return st;
}

static fh_status comparison_or(parser *ps, alt_list *out);

static fh_status comparison_unit(parser *ps, alt_list *out)
{
    if (ps->tok.kind != TOK_LPAREN)
        return comparison(ps, out);
    if (!advance(ps))
        return syntax(ps, "unreadable token");
    fh_status st = comparison_or(ps, out);
    if (st != FH_OK)
        return st;
    if (ps->tok.kind != TOK_RPAREN)
        return syntax(ps, "expected ')'");
    return advance(ps) ? FH_OK : syntax(ps, "unreadable token");
}

/* Reads units joined by the keyword join; AND builds products, OR concatenates. */
static fh_status joined(parser *ps, alt_list *out, const char *join,
                        fh_status (*unit)(parser *, alt_list *))
{
    fh_status st = unit(ps, out);
    while (st == FH_OK && tok_is_word(ps, join)) {
        if (!advance(ps))
            return syntax(ps, "unreadable token");
        alt_list next = {0};
        st = unit(ps, &next);
        if (st == FH_OK)
            st = strcmp(join, "AND") == 0 ? alt_and(ps, out, &next) : alt_or(ps, out, &next);
        alt_list_clear(&next);
    }
    return st;
}

static fh_status comparison_and(parser *ps, alt_list *out)
{
    return joined(ps, out, "AND", comparison_unit);
}

static fh_status comparison_or(parser *ps, alt_list *out)
{
    return joined(ps, out, "OR", comparison_and);
}

static fh_status reject_qualifiers(parser *ps)
{
    static const char *const words[] = {"WITHIN", "REPEATS", "START", "FOLLOWEDBY"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (tok_is_word(ps, words[i]))
            return fh_error_set(ps->err, FH_ERR_UNSUPPORTED, NULL, 0, 0,
                                "STIX pattern uses %s, which describes a sequence of "
                                "observations, not indicator values",
                                words[i]);
    return FH_OK;
}

static fh_status observation(parser *ps, alt_list *out);

static fh_status observation_unit(parser *ps, alt_list *out)
{
    tok_kind open = ps->tok.kind;
    if (open != TOK_LBRACKET && open != TOK_LPAREN)
        return syntax(ps, "expected '[' to start an observation");
    if (!advance(ps))
        return syntax(ps, "unreadable token");
    fh_status st = open == TOK_LBRACKET ? comparison_or(ps, out) : observation(ps, out);
    if (st != FH_OK)
        return st;
    if (ps->tok.kind != (open == TOK_LBRACKET ? TOK_RBRACKET : TOK_RPAREN))
        return syntax(ps, open == TOK_LBRACKET ? "expected ']'" : "expected ')'");
    if (!advance(ps))
        return syntax(ps, "unreadable token");
    return reject_qualifiers(ps);
}

static fh_status observation_and(parser *ps, alt_list *out)
{
    return joined(ps, out, "AND", observation_unit);
}

static fh_status observation(parser *ps, alt_list *out)
{
    return joined(ps, out, "OR", observation_and);
}

fh_status stix_pattern_parse(const char *pattern, size_t len, stix_dnf *out, fh_error *err)
{
    parser ps = {.p = pattern, .len = len, .dnf = out, .err = err};
    alt_list alts = {0};
    fh_status st = advance(&ps) ? observation(&ps, &alts) : syntax(&ps, "unreadable token");
    if (st == FH_OK && ps.tok.kind != TOK_END)
        st = reject_qualifiers(&ps);
    if (st == FH_OK && ps.tok.kind != TOK_END)
        st = syntax(&ps, "unexpected text after the pattern");
    if (st != FH_OK) {
        alt_list_clear(&alts);
        stix_dnf_clear(out);
        return st;
    }
    out->alternatives = alts.items;
    out->nalternatives = alts.count;
    return FH_OK;
}

void stix_dnf_clear(stix_dnf *dnf)
{
    for (size_t i = 0; i < dnf->ncomparisons; i++)
        free(dnf->comparisons[i].literal);
    free(dnf->comparisons);
    for (size_t i = 0; i < dnf->nalternatives; i++)
        free(dnf->alternatives[i].terms);
    free(dnf->alternatives);
    memset(dnf, 0, sizeof *dnf);
}
