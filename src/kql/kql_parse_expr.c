/*
 * Scalar expressions with Kusto's precedence, lowest first: or, and, the equality level
 * (== != <> in !in in~ !in~ has_any has_all between !between), relational (< <= > >=),
 * additive, multiplicative, string operators (=~ !~ has contains startswith endswith matches
 * regex like and their ! and _cs forms), unary + and -, then postfix member access, indexing
 * and calls. Equality and relational operators do not chain. That order is the one in the
 * Kusto.Language ANTLR grammar (grammar/Kql.g4 in microsoft/Kusto-Query-Language). It makes a
 * string operator bind tighter than arithmetic, so `x + y has "z"` is `x + (y has "z")`.
 *
 * Primaries are names, calls, literals (literals are in kql_parse_literal.c) and
 * parenthesized expressions, which may be tabular.
 */
#include <stdio.h>
#include <string.h>

#include "foxhound/limits.h"
#include "kql/kql_parse_internal.h"

/* and/or chains longer than this are built as balanced trees, so that a generated query with
 * thousands of `or` terms stays within FH_MAX_QUERY_DEPTH. Both operators are associative
 * under Kusto's null rules, so the result does not change. */
#define BALANCE_THRESHOLD 16

typedef enum level {
    LEVEL_OR,
    LEVEL_AND,
    LEVEL_EQUALITY,
    LEVEL_RELATIONAL,
    LEVEL_ADDITIVE,
    LEVEL_MULTIPLICATIVE,
    LEVEL_STRING,
    LEVEL_UNARY,
} level;

static fh_status parse_level(kql_parser *p, level lvl, kql_node **out);

static fh_status make_binary(kql_parser *p, kql_binop op, kql_loc loc, kql_node *left,
                             kql_node *right, kql_node **out)
{
    KQL_TRY(kql_parser_node(p, KQL_NODE_BINARY, loc, out));
    (*out)->u.binary.op = op;
    (*out)->u.binary.left = left;
    (*out)->u.binary.right = right;
    return FH_OK;
}

/* ---- and / or ---- */

typedef struct operand_list {
    kql_node **nodes;
    kql_loc *op_locs; /* op_locs[i] is the operator before nodes[i + 1] */
    size_t count, cap, locs_count, locs_cap;
} operand_list;

static fh_status build_balanced(kql_parser *p, kql_binop op, const operand_list *list, size_t lo,
                                size_t hi, kql_node **out)
{
    if (hi - lo == 1) {
        *out = list->nodes[lo];
        return FH_OK;
    }
    size_t mid = lo + (hi - lo) / 2;
    kql_node *left, *right;
    KQL_TRY(build_balanced(p, op, list, lo, mid, &left));
    KQL_TRY(build_balanced(p, op, list, mid, hi, &right));
    return make_binary(p, op, list->op_locs[mid - 1], left, right, out);
}

static fh_status build_chain(kql_parser *p, kql_binop op, const operand_list *list, kql_node **out)
{
    if (list->count > BALANCE_THRESHOLD)
        return build_balanced(p, op, list, 0, list->count, out);

    kql_node *node = list->nodes[0];
    for (size_t i = 1; i < list->count; i++)
        KQL_TRY(make_binary(p, op, list->op_locs[i - 1], node, list->nodes[i], &node));
    *out = node;
    return FH_OK;
}

/* Parses `operand (word operand)*` for and / or. */
static fh_status parse_logical(kql_parser *p, level lvl, kql_node **out)
{
    const char *word = lvl == LEVEL_OR ? "or" : "and";
    kql_binop op = lvl == LEVEL_OR ? KQL_OP_OR : KQL_OP_AND;
    operand_list list;
    memset(&list, 0, sizeof list);

    for (;;) {
        kql_node *operand;
        KQL_TRY(parse_level(p, (level)(lvl + 1), &operand));
        KQL_TRY(kql_parser_push(p, (void **)&list.nodes, &list.count, &list.cap, sizeof operand,
                                &operand));
        if (!kql_parser_at_word(p, word))
            break;
        KQL_TRY(kql_parser_push(p, (void **)&list.op_locs, &list.locs_count, &list.locs_cap,
                                sizeof(kql_loc), &p->tok.loc));
        KQL_TRY(kql_parser_advance(p));
    }
    return build_chain(p, op, &list, out);
}

/* ---- equality level ---- */

static bool in_op_from_word(const kql_parser *p, kql_in_op *out)
{
    static const struct {
        const char *word;
        kql_in_op op;
    } words[] = {
        {"in", KQL_IN},           {"!in", KQL_NOT_IN},
        {"in~", KQL_IN_NOCASE},   {"!in~", KQL_NOT_IN_NOCASE},
        {"has_any", KQL_HAS_ANY}, {"has_all", KQL_HAS_ALL},
    };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        if (kql_parser_at_word(p, words[i].word)) {
            *out = words[i].op;
            return true;
        }
    }
    return false;
}

static fh_status parse_in(kql_parser *p, kql_in_op op, kql_node *left, kql_node **out)
{
    kql_node *node;
    KQL_TRY(kql_parser_node(p, KQL_NODE_IN, p->tok.loc, &node));
    node->u.in.op = op;
    node->u.in.left = left;
    const char *name = kql_in_op_name(op);
    KQL_TRY(kql_parser_advance(p));

    if (p->tok.kind != KQL_TOK_LPAREN)
        return kql_parser_error_at(p, FH_ERR_PARSE, p->tok.loc,
                                   "expected '(' after '%s': write %s (\"a\", \"b\") or %s "
                                   "(let_name)",
                                   name, name, name);
    KQL_TRY(kql_parser_advance(p));
    if (p->tok.kind == KQL_TOK_RPAREN)
        return kql_parser_error_at(p, FH_ERR_PARSE, p->tok.loc,
                                   "expected at least one value in the list after '%s'", name);

    size_t cap = 0;
    for (;;) {
        if (node->u.in.nitems >= FH_MAX_IN_LIST)
            return kql_parser_error_at(p, FH_ERR_LIMIT, p->tok.loc,
                                       "list after '%s' has more than %d values", name,
                                       FH_MAX_IN_LIST);
        kql_node *item;
        KQL_TRY(kql_parse_pipe_expr(p, &item));
        KQL_TRY(kql_parser_push(p, (void **)&node->u.in.items, &node->u.in.nitems, &cap,
                                sizeof item, &item));
        if (p->tok.kind != KQL_TOK_COMMA)
            break;
        KQL_TRY(kql_parser_advance(p));
    }
    if (p->tok.kind != KQL_TOK_RPAREN)
        return kql_parser_expected(p, "',' or ')'",
                                   op == KQL_HAS_ANY || op == KQL_HAS_ALL
                                       ? "after the has_any/has_all list"
                                       : "after the in-list");
    KQL_TRY(kql_parser_advance(p));
    *out = node;
    return FH_OK;
}

/* The bounds may be any relational expression (`between (1 + 1 .. 5)`), a superset of the
 * unary expressions that Kql.g4 allows there. */
static fh_status parse_between(kql_parser *p, bool negated, kql_node *left, kql_node **out)
{
    kql_node *node;
    KQL_TRY(kql_parser_node(p, KQL_NODE_BETWEEN, p->tok.loc, &node));
    node->u.between.negated = negated;
    node->u.between.left = left;
    KQL_TRY(kql_parser_advance(p));

    KQL_TRY(kql_parser_expect(p, KQL_TOK_LPAREN, "after 'between', as in between (low .. high)"));
    KQL_TRY(parse_level(p, LEVEL_RELATIONAL, &node->u.between.low));
    KQL_TRY(kql_parser_expect(p, KQL_TOK_DOTDOT, "between the two bounds of between"));
    KQL_TRY(parse_level(p, LEVEL_RELATIONAL, &node->u.between.high));
    KQL_TRY(kql_parser_expect(p, KQL_TOK_RPAREN, "after the bounds of between"));
    *out = node;
    return FH_OK;
}

/* Returns true when the current token is an operator of the equality level. */
static bool at_equality_op(const kql_parser *p)
{
    kql_in_op in_op;
    kql_token_kind k = p->tok.kind;
    return k == KQL_TOK_EQ || k == KQL_TOK_NE || k == KQL_TOK_LTGT || in_op_from_word(p, &in_op) ||
           kql_parser_at_word(p, "between") || kql_parser_at_word(p, "!between");
}

static fh_status parse_equality_op(kql_parser *p, kql_node *left, kql_node **out)
{
    kql_in_op in_op;
    if (in_op_from_word(p, &in_op))
        return parse_in(p, in_op, left, out);
    if (kql_parser_at_word(p, "between") || kql_parser_at_word(p, "!between"))
        return parse_between(p, p->tok.text.ptr[0] == '!', left, out);

    kql_loc loc = p->tok.loc;
    kql_binop op = p->tok.kind == KQL_TOK_EQ ? KQL_OP_EQ : KQL_OP_NE;
    KQL_TRY(kql_parser_advance(p));
    kql_node *right;
    KQL_TRY(parse_level(p, LEVEL_RELATIONAL, &right));
    return make_binary(p, op, loc, left, right, out);
}

static fh_status parse_equality(kql_parser *p, kql_node **out)
{
    kql_node *left;
    KQL_TRY(parse_level(p, LEVEL_RELATIONAL, &left));
    if (!at_equality_op(p)) {
        *out = left;
        return FH_OK;
    }
    KQL_TRY(parse_equality_op(p, left, out));
    if (at_equality_op(p))
        return kql_parser_error_at(p, FH_ERR_PARSE, p->tok.loc,
                                   "comparisons do not chain in KQL: add parentheses, as in "
                                   "(a == b) == c");
    return FH_OK;
}

/* ---- left-associative binary levels ---- */

static bool string_binop(const kql_parser *p, kql_binop *op, size_t *ntokens)
{
    *ntokens = 1;
    if (p->tok.kind == KQL_TOK_EQ_TILDE) {
        *op = KQL_OP_EQ_NOCASE;
        return true;
    }
    if (p->tok.kind == KQL_TOK_NE_TILDE) {
        *op = KQL_OP_NE_NOCASE;
        return true;
    }
    if (p->tok.kind != KQL_TOK_IDENT)
        return false;
    if (kql_parser_at_word(p, "matches")) {
        kql_token next = kql_parser_peek(p);
        if (next.kind != KQL_TOK_IDENT || !kql_str_is(next.text, "regex"))
            return false;
        *op = KQL_OP_MATCHES_REGEX;
        *ntokens = 2;
        return true;
    }
    if (!kql_lex_binop_from_spelling(p->tok.text, op))
        return false;
    return *op >= KQL_OP_EQ_NOCASE && *op <= KQL_OP_NOT_LIKE_CS;
}

/* Returns true when the current token is a binary operator of lvl (relational through
 * string), setting op and the number of tokens it spans. */
static bool binop_at(const kql_parser *p, level lvl, kql_binop *op, size_t *ntokens)
{
    *ntokens = 1;
    switch (lvl) {
    case LEVEL_RELATIONAL:
        switch (p->tok.kind) {
        case KQL_TOK_LT:
            *op = KQL_OP_LT;
            return true;
        case KQL_TOK_LE:
            *op = KQL_OP_LE;
            return true;
        case KQL_TOK_GT:
            *op = KQL_OP_GT;
            return true;
        case KQL_TOK_GE:
            *op = KQL_OP_GE;
            return true;
        default:
            return false;
        }
    case LEVEL_ADDITIVE:
        *op = p->tok.kind == KQL_TOK_PLUS ? KQL_OP_ADD : KQL_OP_SUB;
        return p->tok.kind == KQL_TOK_PLUS || p->tok.kind == KQL_TOK_MINUS;
    case LEVEL_MULTIPLICATIVE:
        *op = p->tok.kind == KQL_TOK_STAR    ? KQL_OP_MUL
              : p->tok.kind == KQL_TOK_SLASH ? KQL_OP_DIV
                                             : KQL_OP_MOD;
        return p->tok.kind == KQL_TOK_STAR || p->tok.kind == KQL_TOK_SLASH ||
               p->tok.kind == KQL_TOK_PERCENT;
    case LEVEL_STRING:
        return string_binop(p, op, ntokens);
    default:
        return false;
    }
}

/*
 * Parses `operand (op operand)*` left-associatively. Each link of the chain counts as one
 * nesting level, because the tree gets one level deeper per operator.
 */
static fh_status parse_left_assoc(kql_parser *p, level lvl, kql_node **out)
{
    kql_node *node;
    KQL_TRY(parse_level(p, (level)(lvl + 1), &node));

    unsigned links = 0;
    fh_status st = FH_OK;
    kql_binop op;
    size_t ntokens;
    while (st == FH_OK && binop_at(p, lvl, &op, &ntokens)) {
        st = kql_parser_enter(p);
        if (st != FH_OK)
            break;
        links++;
        kql_loc loc = p->tok.loc;
        for (size_t i = 0; i < ntokens && st == FH_OK; i++)
            st = kql_parser_advance(p);
        kql_node *right = NULL;
        if (st == FH_OK)
            st = parse_level(p, (level)(lvl + 1), &right);
        if (st == FH_OK)
            st = make_binary(p, op, loc, node, right, &node);
    }
    p->depth -= links;
    *out = node;
    return st;
}

/* Parses `operand [< <= > >= operand]`; a second comparison needs parentheses. */
static fh_status parse_relational(kql_parser *p, kql_node **out)
{
    kql_node *left;
    kql_binop op;
    size_t ntokens;
    KQL_TRY(parse_level(p, LEVEL_ADDITIVE, &left));
    if (!binop_at(p, LEVEL_RELATIONAL, &op, &ntokens)) {
        *out = left;
        return FH_OK;
    }

    kql_loc loc = p->tok.loc;
    KQL_TRY(kql_parser_advance(p));
    kql_node *right;
    KQL_TRY(parse_level(p, LEVEL_ADDITIVE, &right));
    KQL_TRY(make_binary(p, op, loc, left, right, out));
    if (binop_at(p, LEVEL_RELATIONAL, &op, &ntokens))
        return kql_parser_error_at(p, FH_ERR_PARSE, p->tok.loc,
                                   "comparisons do not chain in KQL: add parentheses, as in "
                                   "(a < b) < c");
    return FH_OK;
}

/* ---- unary and postfix ---- */

static fh_status parse_primary(kql_parser *p, kql_node **out);

static fh_status parse_postfix(kql_parser *p, kql_node **out)
{
    kql_node *node;
    KQL_TRY(parse_primary(p, &node));

    unsigned links = 0;
    fh_status st = FH_OK;
    while (st == FH_OK && (p->tok.kind == KQL_TOK_DOT || p->tok.kind == KQL_TOK_LBRACKET)) {
        st = kql_parser_enter(p);
        if (st != FH_OK)
            break;
        links++;
        kql_node *access;
        st = kql_parser_node(p, p->tok.kind == KQL_TOK_DOT ? KQL_NODE_MEMBER : KQL_NODE_INDEX,
                             p->tok.loc, &access);
        if (st == FH_OK)
            st = kql_parser_advance(p);
        if (st == FH_OK && access->kind == KQL_NODE_MEMBER) {
            access->u.member.object = node;
            st = kql_parse_name(p, "after '.'", &access->u.member.name, NULL);
        } else if (st == FH_OK) {
            access->u.index.object = node;
            st = kql_parse_scalar(p, &access->u.index.index);
            if (st == FH_OK)
                st = kql_parser_expect(p, KQL_TOK_RBRACKET, "to close the index");
        }
        node = access;
    }
    p->depth -= links;
    *out = node;
    return st;
}

static fh_status parse_unary(kql_parser *p, kql_node **out)
{
    if (p->tok.kind != KQL_TOK_MINUS && p->tok.kind != KQL_TOK_PLUS)
        return parse_postfix(p, out);

    kql_node *node;
    KQL_TRY(kql_parser_node(p, KQL_NODE_UNARY, p->tok.loc, &node));
    node->u.unary.op = p->tok.kind == KQL_TOK_MINUS ? KQL_UNARY_MINUS : KQL_UNARY_PLUS;
    KQL_TRY(kql_parser_advance(p));

    KQL_TRY(kql_parser_enter(p));
    fh_status st = parse_unary(p, &node->u.unary.operand);
    kql_parser_leave(p);
    if (st != FH_OK)
        return st;
    *out = kql_fold_sign(node);
    return FH_OK;
}

static fh_status parse_level(kql_parser *p, level lvl, kql_node **out)
{
    switch (lvl) {
    case LEVEL_OR:
    case LEVEL_AND:
        return parse_logical(p, lvl, out);
    case LEVEL_EQUALITY:
        return parse_equality(p, out);
    case LEVEL_RELATIONAL:
        return parse_relational(p, out);
    case LEVEL_ADDITIVE:
    case LEVEL_MULTIPLICATIVE:
    case LEVEL_STRING:
        return parse_left_assoc(p, lvl, out);
    case LEVEL_UNARY:
    default:
        return parse_unary(p, out);
    }
}

fh_status kql_parse_scalar(kql_parser *p, kql_node **out)
{
    return parse_level(p, LEVEL_OR, out);
}

/* ---- calls ---- */

/* Returns true when the current tokens read `name =` (but not `name ==`). */
static bool at_name_assign(const kql_parser *p)
{
    kql_lexer copy = p->lex;
    kql_token next;
    if (p->tok.kind == KQL_TOK_IDENT) {
        if (kql_lex_next(&copy, &next, NULL) != FH_OK)
            return false;
        return next.kind == KQL_TOK_ASSIGN;
    }
    if (p->tok.kind != KQL_TOK_LBRACKET)
        return false;
    for (int i = 0; i < 3; i++) {
        if (kql_lex_next(&copy, &next, NULL) != FH_OK)
            return false;
    }
    return next.kind == KQL_TOK_ASSIGN;
}

static fh_status parse_call_arg(kql_parser *p, kql_node **out)
{
    if (p->tok.kind == KQL_TOK_IDENT && p->tok.text.ptr[0] != '!' && at_name_assign(p)) {
        KQL_TRY(kql_parser_node(p, KQL_NODE_NAMED_ARG, p->tok.loc, out));
        (*out)->u.named_arg.name = p->tok.text;
        KQL_TRY(kql_parser_advance(p)); /* name */
        KQL_TRY(kql_parser_advance(p)); /* = */
        return kql_parse_scalar(p, &(*out)->u.named_arg.value);
    }
    return kql_parse_pipe_expr(p, out);
}

static fh_status parse_call(kql_parser *p, kql_str name, kql_loc loc, kql_node **out)
{
    kql_node *node;
    KQL_TRY(kql_parser_node(p, KQL_NODE_CALL, loc, &node));
    node->u.call.name = name;
    KQL_TRY(kql_parser_advance(p)); /* '(' */

    size_t cap = 0;
    while (p->tok.kind != KQL_TOK_RPAREN) {
        kql_node *arg;
        KQL_TRY(parse_call_arg(p, &arg));
        KQL_TRY(kql_parser_push(p, (void **)&node->u.call.args, &node->u.call.nargs, &cap,
                                sizeof arg, &arg));
        if (p->tok.kind != KQL_TOK_COMMA)
            break;
        KQL_TRY(kql_parser_advance(p));
    }
    if (p->tok.kind != KQL_TOK_RPAREN) {
        char context[FH_MAX_NAME_BYTES + 64];
        snprintf(context, sizeof context, "after the arguments of %.*s", (int)name.len, name.ptr);
        return kql_parser_expected(p, "',' or ')'", context);
    }
    KQL_TRY(kql_parser_advance(p));
    *out = node;
    return FH_OK;
}

/* ---- primaries ---- */

fh_status kql_parse_parenthesized(kql_parser *p, const char *context, kql_node **out)
{
    KQL_TRY(kql_parser_expect(p, KQL_TOK_LPAREN, context));
    KQL_TRY(kql_parse_pipe_expr(p, out));
    return kql_parser_expect(p, KQL_TOK_RPAREN, "to close the parenthesized expression");
}

static fh_status parse_identifier(kql_parser *p, kql_node **out)
{
    kql_token tok = p->tok;
    const char *first = tok.text.ptr;
    if (first[0] == '$')
        return kql_parser_error_at(p, FH_ERR_PARSE, tok.loc,
                                   "'%.*s' is only valid in a join's on clause, as in on "
                                   "$left.A == $right.B",
                                   (int)tok.text.len, first);
    if (first[0] == '!' || kql_str_is(tok.text, "and") || kql_str_is(tok.text, "or"))
        return kql_parser_expected(p, "an expression", "");

    fh_status st = kql_parse_literal_word(p, out);
    if (st != FH_DONE)
        return st;

    if (kql_parser_peek(p).kind == KQL_TOK_LPAREN) {
        KQL_TRY(kql_parser_advance(p));
        return parse_call(p, tok.text, tok.loc, out);
    }
    KQL_TRY(kql_parser_node(p, KQL_NODE_NAME, tok.loc, out));
    (*out)->u.name.text = tok.text;
    return kql_parser_advance(p);
}

static fh_status parse_primary(kql_parser *p, kql_node **out)
{
    switch (p->tok.kind) {
    case KQL_TOK_IDENT:
        return parse_identifier(p, out);
    case KQL_TOK_LONG:
    case KQL_TOK_REAL:
    case KQL_TOK_TIMESPAN:
    case KQL_TOK_STRING:
        return kql_parse_literal_token(p, out);
    case KQL_TOK_LPAREN:
        return kql_parse_parenthesized(p, "", out);
    case KQL_TOK_STAR:
        KQL_TRY(kql_parser_node(p, KQL_NODE_STAR, p->tok.loc, out));
        return kql_parser_advance(p);
    case KQL_TOK_LBRACKET:
        if (kql_parser_at_name(p)) {
            KQL_TRY(kql_parser_node(p, KQL_NODE_NAME, p->tok.loc, out));
            return kql_parse_name(p, "", &(*out)->u.name.text, NULL);
        }
        return kql_parser_expected(p, "an expression", "(a name in brackets is ['name'])");
    default:
        return kql_parser_expected(p, "an expression", "");
    }
}

/* ---- named expressions and types ---- */

fh_status kql_parse_named_expr(kql_parser *p, kql_named_expr *out)
{
    memset(out, 0, sizeof *out);
    out->loc = p->tok.loc;
    if (kql_parser_at_name(p) && at_name_assign(p)) {
        KQL_TRY(kql_parse_name(p, "", &out->name, NULL));
        KQL_TRY(kql_parser_advance(p)); /* = */
    }
    return kql_parse_scalar(p, &out->expr);
}

fh_status kql_parse_named_list(kql_parser *p, kql_named_expr **items, size_t *count)
{
    size_t cap = 0;
    *items = NULL;
    *count = 0;
    for (;;) {
        kql_named_expr item;
        KQL_TRY(kql_parse_named_expr(p, &item));
        KQL_TRY(kql_parser_push(p, (void **)items, count, &cap, sizeof item, &item));
        if (p->tok.kind != KQL_TOK_COMMA)
            return FH_OK;
        KQL_TRY(kql_parser_advance(p));
    }
}

fh_status kql_parse_type(kql_parser *p, fh_type *out)
{
    if (p->tok.kind != KQL_TOK_IDENT)
        return kql_parser_expected(p, "a type name (string, long, datetime, ...)", "");
    if (kql_parser_at_word(p, "decimal"))
        return kql_parser_error_at(p, FH_ERR_UNSUPPORTED, p->tok.loc,
                                   "foxhound does not support the decimal type; use real");
    if (fh_type_from_name(p->tok.text.ptr, p->tok.text.len, out) != FH_OK)
        return kql_parser_error_at(p, FH_ERR_PARSE, p->tok.loc,
                                   "unknown type '%.*s'; the types are bool, int, long, real, "
                                   "datetime, timespan, string, dynamic and guid",
                                   (int)p->tok.text.len, p->tok.text.ptr);
    return kql_parser_advance(p);
}
