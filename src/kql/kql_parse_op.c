/*
 * Tabular operators after `|`, and the tabular sources that start with a keyword (union,
 * print, datatable). Each operator fills one kql_operator with KQL's defaults spelled out.
 * Operator names with a hyphen (project-away, mv-expand) arrive as three tokens and are joined
 * when nothing separates them. A word that is not a supported operator is an error naming it.
 */
#include <stdio.h>
#include <string.h>

#include "foxhound/limits.h"
#include "kql/kql_parse_internal.h"

/* Maximum length of an operator name such as "project-reorder", in bytes, with its NUL. A
 * longer word is reported as an unknown operator under its first 31 bytes. */
#define MAX_OPERATOR_NAME 32

/* ---- shared pieces ---- */

/* Returns true when name is hint.* or one of the NULL-terminated option names. */
static bool is_option(const char *name, size_t len, const char *const *options)
{
    if (len > 5 && memcmp(name, "hint.", 5) == 0)
        return true;
    for (size_t i = 0; options[i] != NULL; i++) {
        if (strlen(options[i]) == len && memcmp(options[i], name, len) == 0)
            return true;
    }
    return false;
}

/*
 * Reads the name of an `option=value` before an operator's arguments, consuming it and the
 * '='. Only hint.* and the listed names count as options, so `summarize Name = count()` is
 * not one. Returns FH_DONE, consuming nothing, when the current tokens are not an option.
 */
static fh_status parse_option_name(kql_parser *p, const char *const *options, char *name,
                                   size_t size, kql_loc *loc)
{
    if (p->tok.kind != KQL_TOK_IDENT)
        return FH_DONE;
    kql_lexer copy = p->lex;
    kql_token next;
    if (kql_lex_next(&copy, &next, NULL) != FH_OK)
        return FH_DONE;

    /* hint.strategy=... is three tokens before the '='. */
    size_t len = p->tok.text.len;
    if (kql_parser_at_word(p, "hint") && next.kind == KQL_TOK_DOT) {
        kql_token sub;
        if (kql_lex_next(&copy, &sub, NULL) != FH_OK || sub.kind != KQL_TOK_IDENT ||
            kql_lex_next(&copy, &next, NULL) != FH_OK)
            return FH_DONE;
        len = sub.loc.offset + sub.text.len - p->tok.loc.offset;
    }
    if (next.kind != KQL_TOK_ASSIGN || len >= size || !is_option(p->tok.text.ptr, len, options))
        return FH_DONE;

    memcpy(name, p->tok.text.ptr, len);
    name[len] = '\0';
    *loc = p->tok.loc;
    while (p->tok.kind != KQL_TOK_ASSIGN)
        KQL_TRY(kql_parser_advance(p));
    return kql_parser_advance(p); /* = */
}

/* Consumes an option value (a word, number or string) and notes that it is ignored. */
static fh_status ignore_hint(kql_parser *p, const char *name, kql_loc loc, const char *op)
{
    if (p->tok.kind != KQL_TOK_IDENT && p->tok.kind != KQL_TOK_LONG &&
        p->tok.kind != KQL_TOK_STRING)
        return kql_parser_expected(p, "a value", "after the hint");
    KQL_TRY(kql_parser_note(p, loc,
                            "%s on %s is ignored: it tunes how Kusto distributes work and does "
                            "not change results",
                            name, op));
    return kql_parser_advance(p);
}

static fh_status unknown_option(kql_parser *p, const char *name, kql_loc loc, const char *op,
                                const char *known)
{
    return kql_parser_error_at(p, FH_ERR_UNSUPPORTED, loc,
                               "foxhound does not support the %s option '%s'; it supports %s", op,
                               name, known);
}

/* Handles one option whose name and '=' are consumed; target is the operator being filled. */
typedef fh_status (*option_handler)(kql_parser *p, const char *name, kql_loc loc, void *target);

/* Reads `option=value` pairs before an operator's arguments, passing each to handle. */
static fh_status parse_options(kql_parser *p, const char *const *options, option_handler handle,
                               void *target)
{
    char name[64];
    kql_loc loc;
    for (;;) {
        fh_status st = parse_option_name(p, options, name, sizeof name, &loc);
        if (st == FH_DONE)
            return FH_OK;
        KQL_TRY(st);
        KQL_TRY(handle(p, name, loc, target));
    }
}

/* Reads the word value of an option into a slice. */
static fh_status option_word(kql_parser *p, const char *option, kql_str *out)
{
    if (p->tok.kind != KQL_TOK_IDENT) {
        char context[96];
        snprintf(context, sizeof context, "after '%s='", option);
        return kql_parser_expected(p, "a word", context);
    }
    *out = p->tok.text;
    return kql_parser_advance(p);
}

/* Reads a column name or wildcard pattern such as Device*, *Id or ['a b']: identifiers and
 * '*' with nothing between them. */
static fh_status parse_pattern(kql_parser *p, const char *context, kql_str *out, bool *wildcard,
                               kql_loc *loc)
{
    *loc = p->tok.loc;
    *wildcard = false;
    if (p->tok.kind == KQL_TOK_LBRACKET)
        return kql_parse_name(p, context, out, NULL);
    if (p->tok.kind != KQL_TOK_STAR && !kql_parser_at_name(p))
        return kql_parser_expected(p, "a column name or pattern", context);

    kql_token first = p->tok, last = p->tok;
    for (;;) {
        *wildcard = *wildcard || p->tok.kind == KQL_TOK_STAR;
        last = p->tok;
        KQL_TRY(kql_parser_advance(p));
        bool joins = (p->tok.kind == KQL_TOK_STAR || p->tok.kind == KQL_TOK_IDENT) &&
                     kql_tokens_adjacent(&last, &p->tok);
        if (!joins)
            break;
    }
    out->ptr = first.text.ptr;
    out->len = last.loc.offset + last.text.len - first.loc.offset;
    return FH_OK;
}

/* ---- where, project family, extend ---- */

static fh_status parse_patterns(kql_parser *p, kql_operator *op, bool with_order)
{
    size_t cap = 0;
    for (;;) {
        kql_column_pattern item;
        memset(&item, 0, sizeof item);
        KQL_TRY(parse_pattern(p, "", &item.pattern, &item.has_wildcard, &item.loc));
        if (with_order && (kql_parser_at_word(p, "asc") || kql_parser_at_word(p, "desc"))) {
            item.order = kql_parser_at_word(p, "asc") ? KQL_SORT_ASC : KQL_SORT_DESC;
            KQL_TRY(kql_parser_advance(p));
        }
        KQL_TRY(kql_parser_push(p, (void **)&op->u.patterns.items, &op->u.patterns.nitems, &cap,
                                sizeof item, &item));
        if (p->tok.kind != KQL_TOK_COMMA)
            return FH_OK;
        KQL_TRY(kql_parser_advance(p));
    }
}

static fh_status parse_renames(kql_parser *p, kql_operator *op)
{
    size_t cap = 0;
    for (;;) {
        kql_rename item;
        memset(&item, 0, sizeof item);
        KQL_TRY(kql_parse_name(p, "for the new column name", &item.new_name, &item.loc));
        KQL_TRY(kql_parser_expect(p, KQL_TOK_ASSIGN,
                                  "after the new name, as in project-rename New = Old"));
        KQL_TRY(kql_parse_name(p, "for the column to rename", &item.old_name, NULL));
        KQL_TRY(kql_parser_push(p, (void **)&op->u.renames.items, &op->u.renames.nitems, &cap,
                                sizeof item, &item));
        if (p->tok.kind != KQL_TOK_COMMA)
            return FH_OK;
        KQL_TRY(kql_parser_advance(p));
    }
}

/* ---- summarize, sort, top, take, distinct ---- */

static const char *const no_options[] = {NULL};

/* Option handler for operators whose only options are hint.*; target is the operator name. */
static fh_status ignore_option(kql_parser *p, const char *name, kql_loc loc, void *target)
{
    return ignore_hint(p, name, loc, target);
}

static fh_status skip_hints(kql_parser *p, const char *op)
{
    return parse_options(p, no_options, ignore_option, (void *)op);
}

static fh_status parse_summarize(kql_parser *p, kql_operator *op)
{
    KQL_TRY(skip_hints(p, "summarize"));
    if (!kql_parser_at_word(p, "by"))
        KQL_TRY(kql_parse_named_list(p, &op->u.summarize.aggregates, &op->u.summarize.naggregates));
    if (!kql_parser_at_word(p, "by"))
        return FH_OK;
    KQL_TRY(kql_parser_advance(p));
    return kql_parse_named_list(p, &op->u.summarize.by, &op->u.summarize.nby);
}

static fh_status parse_sort_key(kql_parser *p, kql_sort_key *key)
{
    memset(key, 0, sizeof *key);
    key->loc = p->tok.loc;
    KQL_TRY(kql_parse_scalar(p, &key->expr));
    key->descending = true;
    if (kql_parser_at_word(p, "asc") || kql_parser_at_word(p, "desc")) {
        key->descending = kql_parser_at_word(p, "desc");
        KQL_TRY(kql_parser_advance(p));
    }
    key->nulls_first = !key->descending;
    if (!kql_parser_at_word(p, "nulls"))
        return FH_OK;
    KQL_TRY(kql_parser_advance(p));
    if (!kql_parser_at_word(p, "first") && !kql_parser_at_word(p, "last"))
        return kql_parser_expected(p, "'first' or 'last'", "after 'nulls'");
    key->nulls_first = kql_parser_at_word(p, "first");
    return kql_parser_advance(p);
}

static fh_status parse_sort(kql_parser *p, kql_operator *op)
{
    KQL_TRY(kql_parser_expect_word(p, "by", "after order/sort"));
    size_t cap = 0;
    for (;;) {
        kql_sort_key key;
        KQL_TRY(parse_sort_key(p, &key));
        KQL_TRY(kql_parser_push(p, (void **)&op->u.sort.keys, &op->u.sort.nkeys, &cap, sizeof key,
                                &key));
        if (p->tok.kind != KQL_TOK_COMMA)
            return FH_OK;
        KQL_TRY(kql_parser_advance(p));
    }
}

static fh_status parse_top(kql_parser *p, kql_operator *op)
{
    KQL_TRY(kql_parse_scalar(p, &op->u.top.count));
    KQL_TRY(kql_parser_expect_word(p, "by", "after the row count, as in top 10 by Column"));
    return parse_sort_key(p, &op->u.top.key);
}

static fh_status parse_distinct(kql_parser *p, kql_operator *op)
{
    if (p->tok.kind == KQL_TOK_STAR) {
        op->u.distinct.all = true;
        return kql_parser_advance(p);
    }
    size_t cap = 0;
    for (;;) {
        kql_node *name;
        KQL_TRY(kql_parser_node(p, KQL_NODE_NAME, p->tok.loc, &name));
        KQL_TRY(kql_parse_name(p, "after distinct (or '*')", &name->u.name.text, NULL));
        KQL_TRY(kql_parser_push(p, (void **)&op->u.distinct.columns, &op->u.distinct.ncolumns, &cap,
                                sizeof name, &name));
        if (p->tok.kind != KQL_TOK_COMMA)
            return FH_OK;
        KQL_TRY(kql_parser_advance(p));
    }
}

/* ---- union ---- */

static fh_status parse_union_option(kql_parser *p, const char *name, kql_loc loc, void *target)
{
    kql_union *u = target;
    kql_str value = {NULL, 0};
    if (strcmp(name, "kind") == 0) {
        KQL_TRY(option_word(p, name, &value));
        if (!kql_str_is(value, "inner") && !kql_str_is(value, "outer"))
            return kql_parser_error_at(p, FH_ERR_PARSE, loc,
                                       "invalid union kind '%.*s'; expected inner or outer",
                                       (int)value.len, value.ptr);
        u->kind = kql_str_is(value, "inner") ? KQL_UNION_INNER : KQL_UNION_OUTER;
        return FH_OK;
    }
    if (strcmp(name, "withsource") == 0 || strcmp(name, "with_source") == 0)
        return kql_parse_name(p, "after 'withsource='", &u->with_source, NULL);
    if (strcmp(name, "isfuzzy") == 0) {
        KQL_TRY(option_word(p, name, &value));
        if (!kql_str_is(value, "true") && !kql_str_is(value, "false"))
            return kql_parser_error_at(p, FH_ERR_PARSE, loc,
                                       "invalid isfuzzy value '%.*s'; expected true or false",
                                       (int)value.len, value.ptr);
        u->is_fuzzy = kql_str_is(value, "true");
        return FH_OK;
    }
    if (strncmp(name, "hint.", 5) == 0)
        return ignore_hint(p, name, loc, "union");
    return unknown_option(p, name, loc, "union", "kind, withsource and isfuzzy");
}

static fh_status parse_union_table(kql_parser *p, kql_node **out)
{
    if (p->tok.kind == KQL_TOK_LPAREN)
        return kql_parse_parenthesized(p, "", out);

    KQL_TRY(kql_parser_node(p, KQL_NODE_NAME, p->tok.loc, out));
    kql_loc loc;
    return parse_pattern(p, "after union", &(*out)->u.name.text, &(*out)->u.name.is_pattern, &loc);
}

/* Parses union's options and tables; the current token follows the word union. */
static fh_status parse_union_body(kql_parser *p, kql_union *u)
{
    static const char *const options[] = {"kind", "withsource", "with_source", "isfuzzy", NULL};
    KQL_TRY(parse_options(p, options, parse_union_option, u));

    size_t cap = 0;
    for (;;) {
        kql_node *table;
        KQL_TRY(parse_union_table(p, &table));
        KQL_TRY(kql_parser_push(p, (void **)&u->tables, &u->ntables, &cap, sizeof table, &table));
        if (p->tok.kind != KQL_TOK_COMMA)
            return FH_OK;
        KQL_TRY(kql_parser_advance(p));
    }
}

/* ---- join and lookup ---- */

static fh_status join_kind_from_word(kql_parser *p, kql_str word, kql_loc loc, bool lookup,
                                     kql_join_kind *out)
{
    static const struct {
        const char *word;
        kql_join_kind kind;
    } kinds[] = {
        {"innerunique", KQL_JOIN_INNERUNIQUE}, {"inner", KQL_JOIN_INNER},
        {"leftouter", KQL_JOIN_LEFTOUTER},     {"rightouter", KQL_JOIN_RIGHTOUTER},
        {"fullouter", KQL_JOIN_FULLOUTER},     {"leftsemi", KQL_JOIN_LEFTSEMI},
        {"leftanti", KQL_JOIN_LEFTANTI},       {"anti", KQL_JOIN_LEFTANTI},
        {"leftantisemi", KQL_JOIN_LEFTANTI},   {"rightsemi", KQL_JOIN_RIGHTSEMI},
        {"rightanti", KQL_JOIN_RIGHTANTI},     {"rightantisemi", KQL_JOIN_RIGHTANTI},
    };
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        bool allowed =
            !lookup || kinds[i].kind == KQL_JOIN_INNER || kinds[i].kind == KQL_JOIN_LEFTOUTER;
        if (kql_str_is(word, kinds[i].word) && allowed) {
            *out = kinds[i].kind;
            return FH_OK;
        }
    }
    return kql_parser_error_at(p, FH_ERR_PARSE, loc,
                               lookup ? "invalid lookup kind '%.*s'; expected leftouter or inner"
                                      : "invalid join kind '%.*s'; expected innerunique, inner, "
                                        "leftouter, rightouter, fullouter, leftsemi, leftanti, "
                                        "rightsemi or rightanti",
                               (int)word.len, word.ptr);
}

/* Parses `$left.Name` or `$right.Name`, setting is_left. */
static fh_status parse_side_column(kql_parser *p, bool *is_left, kql_str *name)
{
    if (!kql_parser_at_word(p, "$left") && !kql_parser_at_word(p, "$right"))
        return kql_parser_expected(p, "$left.Column or $right.Column", "in the join condition");
    *is_left = kql_parser_at_word(p, "$left");
    KQL_TRY(kql_parser_advance(p));
    KQL_TRY(kql_parser_expect(p, KQL_TOK_DOT, "after $left or $right"));
    return kql_parse_name(p, "after '$left.' or '$right.'", name, NULL);
}

static fh_status parse_join_key(kql_parser *p, kql_join_key *key)
{
    memset(key, 0, sizeof *key);
    key->loc = p->tok.loc;
    if (p->tok.kind != KQL_TOK_IDENT || p->tok.text.ptr[0] != '$') {
        KQL_TRY(kql_parse_name(p, "after 'on'", &key->left, NULL));
        key->right = key->left;
        return FH_OK;
    }

    bool first_left, second_left;
    kql_str first, second;
    KQL_TRY(parse_side_column(p, &first_left, &first));
    KQL_TRY(kql_parser_expect(p, KQL_TOK_EQ, "in the join condition, as in $left.A == $right.B"));
    KQL_TRY(parse_side_column(p, &second_left, &second));
    if (first_left == second_left)
        return kql_parser_error_at(p, FH_ERR_PARSE, key->loc,
                                   "a join condition compares a $left column with a $right "
                                   "column, as in $left.A == $right.B");
    key->left = first_left ? first : second;
    key->right = first_left ? second : first;
    return FH_OK;
}

static fh_status parse_join_keys(kql_parser *p, kql_join *join)
{
    KQL_TRY(kql_parser_expect_word(p, "on", "after the right side of the join"));
    size_t cap = 0;
    for (;;) {
        kql_join_key key;
        KQL_TRY(parse_join_key(p, &key));
        KQL_TRY(kql_parser_push(p, (void **)&join->keys, &join->nkeys, &cap, sizeof key, &key));
        if (p->tok.kind != KQL_TOK_COMMA && !kql_parser_at_word(p, "and"))
            return FH_OK;
        KQL_TRY(kql_parser_advance(p));
    }
}

typedef struct join_target {
    kql_join *join;
    bool lookup;
} join_target;

static fh_status parse_join_option(kql_parser *p, const char *name, kql_loc loc, void *target)
{
    join_target *t = target;
    const char *op = t->lookup ? "lookup" : "join";
    if (strncmp(name, "hint.", 5) == 0)
        return ignore_hint(p, name, loc, op);
    if (strcmp(name, "kind") != 0)
        return unknown_option(p, name, loc, op, "kind and hint.*");

    kql_str word = {NULL, 0};
    KQL_TRY(option_word(p, "kind", &word));
    return join_kind_from_word(p, word, loc, t->lookup, &t->join->kind);
}

static fh_status parse_join(kql_parser *p, kql_join *join, bool lookup)
{
    static const char *const options[] = {"kind", NULL};
    join->kind = lookup ? KQL_JOIN_LEFTOUTER : KQL_JOIN_INNERUNIQUE;
    join_target target = {join, lookup};
    KQL_TRY(parse_options(p, options, parse_join_option, &target));

    if (p->tok.kind == KQL_TOK_LPAREN) {
        KQL_TRY(kql_parse_parenthesized(p, "", &join->right));
    } else {
        KQL_TRY(kql_parser_node(p, KQL_NODE_NAME, p->tok.loc, &join->right));
        KQL_TRY(kql_parse_name(p, "or '(' for the right side of the join",
                               &join->right->u.name.text, NULL));
    }
    return parse_join_keys(p, join);
}

/* ---- mv-expand ---- */

static fh_status parse_expand_column(kql_parser *p, kql_expand_column *col)
{
    kql_named_expr named;
    KQL_TRY(kql_parse_named_expr(p, &named));
    memset(col, 0, sizeof *col);
    col->name = named.name;
    col->expr = named.expr;
    col->loc = named.loc;
    if (!kql_parser_at_word(p, "to"))
        return FH_OK;

    KQL_TRY(kql_parser_advance(p));
    KQL_TRY(kql_parser_expect_word(p, "typeof", "after 'to', as in to typeof(long)"));
    KQL_TRY(kql_parser_expect(p, KQL_TOK_LPAREN, "after 'typeof'"));
    col->has_type = true;
    KQL_TRY(kql_parse_type(p, &col->to_type));
    return kql_parser_expect(p, KQL_TOK_RPAREN, "to close typeof(...)");
}

static fh_status parse_mv_expand_option(kql_parser *p, const char *name, kql_loc loc, void *target)
{
    kql_mv_expand *mv = target;
    if (strcmp(name, "bagexpansion") == 0) {
        kql_str value = {NULL, 0};
        KQL_TRY(option_word(p, name, &value));
        if (!kql_str_is(value, "bag") && !kql_str_is(value, "array"))
            return kql_parser_error_at(p, FH_ERR_PARSE, loc,
                                       "invalid bagexpansion '%.*s'; expected bag or array",
                                       (int)value.len, value.ptr);
        mv->bag_expansion =
            kql_str_is(value, "array") ? KQL_BAG_EXPANSION_ARRAY : KQL_BAG_EXPANSION_BAG;
        return FH_OK;
    }
    if (strcmp(name, "with_itemindex") == 0)
        return kql_parse_name(p, "after 'with_itemindex='", &mv->item_index, NULL);
    if (strncmp(name, "hint.", 5) == 0 || strcmp(name, "kind") == 0)
        return ignore_hint(p, name, loc, "mv-expand");
    return unknown_option(p, name, loc, "mv-expand", "bagexpansion and with_itemindex");
}

static fh_status parse_mv_expand(kql_parser *p, kql_mv_expand *mv)
{
    static const char *const options[] = {"bagexpansion", "with_itemindex", "kind", NULL};
    KQL_TRY(parse_options(p, options, parse_mv_expand_option, mv));

    size_t cap = 0;
    for (;;) {
        kql_expand_column col;
        KQL_TRY(parse_expand_column(p, &col));
        KQL_TRY(kql_parser_push(p, (void **)&mv->columns, &mv->ncolumns, &cap, sizeof col, &col));
        if (p->tok.kind != KQL_TOK_COMMA)
            break;
        KQL_TRY(kql_parser_advance(p));
    }
    if (!kql_parser_at_word(p, "limit"))
        return FH_OK;
    KQL_TRY(kql_parser_advance(p));
    return kql_parse_scalar(p, &mv->limit);
}

/* ---- evaluate, parse, as, invoke ---- */

static fh_status parse_evaluate(kql_parser *p, kql_operator *op)
{
    KQL_TRY(skip_hints(p, "evaluate"));
    kql_token plugin = p->tok;
    if (plugin.kind != KQL_TOK_IDENT)
        return kql_parser_expected(p, "a plugin name", "after 'evaluate'");
    if (!kql_str_is(plugin.text, "bag_unpack"))
        return kql_parser_error_at(p, FH_ERR_UNSUPPORTED, plugin.loc,
                                   "foxhound does not support the evaluate plugin '%.*s'; it "
                                   "supports bag_unpack",
                                   (int)plugin.text.len, plugin.text.ptr);
    KQL_TRY(kql_parse_scalar(p, &op->u.plugin));
    if (op->u.plugin->kind != KQL_NODE_CALL)
        return kql_parser_error_at(p, FH_ERR_PARSE, plugin.loc,
                                   "expected '(' after bag_unpack; write "
                                   "evaluate bag_unpack(Column)");
    return FH_OK;
}

static bool at_operator_end(const kql_parser *p)
{
    kql_token_kind k = p->tok.kind;
    return k == KQL_TOK_PIPE || k == KQL_TOK_SEMICOLON || k == KQL_TOK_RPAREN ||
           k == KQL_TOK_RBRACE || k == KQL_TOK_EOF;
}

static fh_status parse_parse_item(kql_parser *p, kql_parse_item *item)
{
    memset(item, 0, sizeof *item);
    item->loc = p->tok.loc;
    item->type = FH_TYPE_STRING;
    if (p->tok.kind == KQL_TOK_STAR) {
        item->kind = KQL_PARSE_ITEM_STAR;
        return kql_parser_advance(p);
    }
    if (p->tok.kind == KQL_TOK_STRING) {
        item->kind = KQL_PARSE_ITEM_TEXT;
        KQL_TRY(kql_lex_string_value(&p->tok, p->arena, &item->text));
        return kql_parser_advance(p);
    }
    item->kind = KQL_PARSE_ITEM_COLUMN;
    KQL_TRY(kql_parse_name(p, "or a string or '*' in the parse pattern", &item->text, NULL));
    if (p->tok.kind != KQL_TOK_COLON)
        return FH_OK;
    KQL_TRY(kql_parser_advance(p));
    return kql_parse_type(p, &item->type);
}

static fh_status parse_parse_option(kql_parser *p, const char *name, kql_loc loc, void *target)
{
    kql_parse_spec *spec = target;
    if (strcmp(name, "kind") != 0)
        return unknown_option(p, name, loc, "parse", "kind");

    kql_str value = {NULL, 0};
    KQL_TRY(option_word(p, "kind", &value));
    if (kql_str_is(value, "regex"))
        spec->kind = KQL_PARSE_REGEX;
    else if (kql_str_is(value, "relaxed"))
        spec->kind = KQL_PARSE_RELAXED;
    else if (kql_str_is(value, "simple"))
        spec->kind = KQL_PARSE_SIMPLE;
    else
        return kql_parser_error_at(p, FH_ERR_PARSE, loc,
                                   "invalid parse kind '%.*s'; expected simple, regex or relaxed",
                                   (int)value.len, value.ptr);
    return FH_OK;
}

static fh_status parse_parse(kql_parser *p, kql_parse_spec *spec)
{
    static const char *const options[] = {"kind", NULL};
    KQL_TRY(parse_options(p, options, parse_parse_option, spec));

    KQL_TRY(kql_parse_scalar(p, &spec->source));
    KQL_TRY(kql_parser_expect_word(p, "with", "after the parsed expression"));
    size_t cap = 0;
    while (!at_operator_end(p)) {
        kql_parse_item item;
        KQL_TRY(parse_parse_item(p, &item));
        KQL_TRY(kql_parser_push(p, (void **)&spec->items, &spec->nitems, &cap, sizeof item, &item));
    }
    if (spec->nitems == 0)
        return kql_parser_expected(p, "a pattern", "after 'with'");
    return FH_OK;
}

static fh_status parse_as(kql_parser *p, kql_operator *op)
{
    KQL_TRY(skip_hints(p, "as"));
    return kql_parse_name(p, "after 'as'", &op->u.as_name, NULL);
}

static fh_status parse_invoke(kql_parser *p, kql_operator *op)
{
    kql_loc loc = p->tok.loc;
    KQL_TRY(kql_parse_scalar(p, &op->u.invoke));
    if (op->u.invoke->kind != KQL_NODE_CALL)
        return kql_parser_error_at(p, FH_ERR_PARSE, loc,
                                   "expected a function call after 'invoke', as in invoke "
                                   "MyFunction()");
    return FH_OK;
}

static fh_status parse_serialize(kql_parser *p, kql_operator *op)
{
    if (at_operator_end(p))
        return FH_OK;
    return kql_parse_named_list(p, &op->u.columns.items, &op->u.columns.nitems);
}

/* ---- operator dispatch ---- */

/* Reads an operator name, joining `project` `-` `away` when no space separates them. A name
 * longer than the buffer is cut, and then matches no operator. */
static fh_status read_operator_name(kql_parser *p, char *name, size_t size)
{
    if (p->tok.kind != KQL_TOK_IDENT)
        return kql_parser_expected(p, "an operator name", "after '|'");

    const char *start = p->tok.text.ptr;
    kql_token last = p->tok;
    for (;;) {
        KQL_TRY(kql_parser_advance(p));
        if (p->tok.kind != KQL_TOK_MINUS || !kql_tokens_adjacent(&last, &p->tok))
            break;
        kql_token next = kql_parser_peek(p);
        if (next.kind != KQL_TOK_IDENT || !kql_tokens_adjacent(&p->tok, &next))
            break;
        KQL_TRY(kql_parser_advance(p)); /* '-' */
        last = p->tok;
    }

    size_t len = (size_t)(last.text.ptr + last.text.len - start);
    if (len >= size)
        len = size - 1;
    memcpy(name, start, len);
    name[len] = '\0';
    return FH_OK;
}

static fh_status parse_named_columns(kql_parser *p, kql_operator *op)
{
    return kql_parse_named_list(p, &op->u.columns.items, &op->u.columns.nitems);
}

static fh_status parse_where(kql_parser *p, kql_operator *op)
{
    return kql_parse_scalar(p, &op->u.predicate);
}

static fh_status parse_take(kql_parser *p, kql_operator *op)
{
    return kql_parse_scalar(p, &op->u.take_count);
}

static fh_status parse_no_arguments(kql_parser *p, kql_operator *op)
{
    return FH_OK;
}

static fh_status parse_project_away(kql_parser *p, kql_operator *op)
{
    return parse_patterns(p, op, false);
}

static fh_status parse_project_reorder(kql_parser *p, kql_operator *op)
{
    return parse_patterns(p, op, true);
}

static fh_status parse_union_op(kql_parser *p, kql_operator *op)
{
    return parse_union_body(p, &op->u.union_);
}

static fh_status parse_join_op(kql_parser *p, kql_operator *op)
{
    return parse_join(p, &op->u.join, false);
}

static fh_status parse_lookup_op(kql_parser *p, kql_operator *op)
{
    return parse_join(p, &op->u.join, true);
}

static fh_status parse_mv_expand_op(kql_parser *p, kql_operator *op)
{
    return parse_mv_expand(p, &op->u.mv_expand);
}

static fh_status parse_parse_op(kql_parser *p, kql_operator *op)
{
    return parse_parse(p, &op->u.parse);
}

static fh_status parse_rename_op(kql_parser *p, kql_operator *op)
{
    return parse_renames(p, op);
}

typedef fh_status (*operator_parser)(kql_parser *p, kql_operator *op);

static const struct {
    const char *name;
    kql_operator_kind kind;
    operator_parser parse;
} operators[] = {
    {"where", KQL_OPERATOR_WHERE, parse_where},
    {"filter", KQL_OPERATOR_WHERE, parse_where},
    {"project", KQL_OPERATOR_PROJECT, parse_named_columns},
    {"project-away", KQL_OPERATOR_PROJECT_AWAY, parse_project_away},
    {"project-keep", KQL_OPERATOR_PROJECT_KEEP, parse_project_away},
    {"project-rename", KQL_OPERATOR_PROJECT_RENAME, parse_rename_op},
    {"project-reorder", KQL_OPERATOR_PROJECT_REORDER, parse_project_reorder},
    {"extend", KQL_OPERATOR_EXTEND, parse_named_columns},
    {"summarize", KQL_OPERATOR_SUMMARIZE, parse_summarize},
    {"order", KQL_OPERATOR_SORT, parse_sort},
    {"sort", KQL_OPERATOR_SORT, parse_sort},
    {"top", KQL_OPERATOR_TOP, parse_top},
    {"take", KQL_OPERATOR_TAKE, parse_take},
    {"limit", KQL_OPERATOR_TAKE, parse_take},
    {"distinct", KQL_OPERATOR_DISTINCT, parse_distinct},
    {"count", KQL_OPERATOR_COUNT, parse_no_arguments},
    {"union", KQL_OPERATOR_UNION, parse_union_op},
    {"join", KQL_OPERATOR_JOIN, parse_join_op},
    {"lookup", KQL_OPERATOR_LOOKUP, parse_lookup_op},
    {"mv-expand", KQL_OPERATOR_MV_EXPAND, parse_mv_expand_op},
    {"evaluate", KQL_OPERATOR_EVALUATE, parse_evaluate},
    {"parse", KQL_OPERATOR_PARSE, parse_parse_op},
    {"as", KQL_OPERATOR_AS, parse_as},
    {"getschema", KQL_OPERATOR_GETSCHEMA, parse_no_arguments},
    {"invoke", KQL_OPERATOR_INVOKE, parse_invoke},
    {"serialize", KQL_OPERATOR_SERIALIZE, parse_serialize},
};

/* Tabular operators of KQL that foxhound does not run. */
static bool is_known_unsupported(const char *name)
{
    static const char *const names[] = {
        "render",
        "make-series",
        "top-nested",
        "top-hitters",
        "mv-apply",
        "sample",
        "sample-distinct",
        "partition",
        "scan",
        "fork",
        "facet",
        "find",
        "search",
        "reduce",
        "parse-where",
        "parse-kv",
        "range",
        "externaldata",
        "consume",
        "project-smart",
        "extend-smart",
        "make-graph",
        "graph-match",
        "lookup-smart",
        "execute-and-cache",
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcmp(names[i], name) == 0)
            return true;
    }
    return false;
}

fh_status kql_parse_operator(kql_parser *p, kql_operator *op)
{
    char name[MAX_OPERATOR_NAME];
    kql_loc loc = p->tok.loc;
    KQL_TRY(read_operator_name(p, name, sizeof name));
    op->loc = loc;

    for (size_t i = 0; i < sizeof operators / sizeof operators[0]; i++) {
        if (strcmp(operators[i].name, name) == 0) {
            op->kind = operators[i].kind;
            return operators[i].parse(p, op);
        }
    }
    if (strcmp(name, "render") == 0)
        return kql_parser_error_at(p, FH_ERR_UNSUPPORTED, loc,
                                   "foxhound does not support the 'render' operator, which only "
                                   "draws a chart; remove it to get the rows");
    if (is_known_unsupported(name))
        return kql_parser_error_at(p, FH_ERR_UNSUPPORTED, loc,
                                   "foxhound does not support the '%s' operator", name);
    return kql_parser_error_at(p, FH_ERR_UNSUPPORTED, loc,
                               "unknown operator '%s' after '|'; foxhound does not support it. "
                               "Supported: where, project, project-away, project-keep, "
                               "project-rename, project-reorder, extend, summarize, order by, "
                               "sort by, top, take, limit, distinct, count, union, join, lookup, "
                               "mv-expand, evaluate bag_unpack, parse, as, getschema, invoke, "
                               "serialize",
                               name);
}

/* ---- sources ---- */

static fh_status parse_union_source(kql_parser *p, kql_node **out)
{
    KQL_TRY(kql_parser_node(p, KQL_NODE_UNION, p->tok.loc, out));
    KQL_TRY(kql_parser_advance(p));
    return parse_union_body(p, &(*out)->u.union_);
}

static fh_status parse_print(kql_parser *p, kql_node **out)
{
    KQL_TRY(kql_parser_node(p, KQL_NODE_PRINT, p->tok.loc, out));
    KQL_TRY(kql_parser_advance(p));
    return kql_parse_named_list(p, &(*out)->u.print.items, &(*out)->u.print.nitems);
}

static fh_status parse_datatable_columns(kql_parser *p, kql_node *node)
{
    KQL_TRY(kql_parser_expect(p, KQL_TOK_LPAREN, "after 'datatable'"));
    size_t cap = 0;
    for (;;) {
        kql_column_decl col;
        memset(&col, 0, sizeof col);
        KQL_TRY(kql_parse_name(p, "for a datatable column", &col.name, &col.loc));
        KQL_TRY(kql_parser_expect(p, KQL_TOK_COLON, "and a type after the column name"));
        KQL_TRY(kql_parse_type(p, &col.type));
        KQL_TRY(kql_parser_push(p, (void **)&node->u.datatable.columns, &node->u.datatable.ncolumns,
                                &cap, sizeof col, &col));
        if (node->u.datatable.ncolumns > FH_MAX_COLUMNS)
            return kql_parser_error_at(p, FH_ERR_LIMIT, col.loc,
                                       "datatable has more than %d columns", FH_MAX_COLUMNS);
        if (p->tok.kind != KQL_TOK_COMMA)
            break;
        KQL_TRY(kql_parser_advance(p));
    }
    return kql_parser_expect(p, KQL_TOK_RPAREN, "after the datatable columns");
}

static fh_status parse_datatable_values(kql_parser *p, kql_node *node)
{
    KQL_TRY(kql_parser_expect(p, KQL_TOK_LBRACKET, "before the datatable values"));
    size_t cap = 0;
    while (p->tok.kind != KQL_TOK_RBRACKET) {
        if (node->u.datatable.nvalues >= FH_MAX_IN_LIST)
            return kql_parser_error_at(p, FH_ERR_LIMIT, p->tok.loc,
                                       "datatable has more than %d values", FH_MAX_IN_LIST);
        kql_node *value;
        KQL_TRY(kql_parse_scalar(p, &value));
        KQL_TRY(kql_parser_push(p, (void **)&node->u.datatable.values, &node->u.datatable.nvalues,
                                &cap, sizeof value, &value));
        if (p->tok.kind != KQL_TOK_COMMA)
            break;
        KQL_TRY(kql_parser_advance(p));
    }
    kql_loc end = p->tok.loc;
    KQL_TRY(kql_parser_expect(p, KQL_TOK_RBRACKET, "after the datatable values"));

    size_t ncolumns = node->u.datatable.ncolumns;
    if (node->u.datatable.nvalues % ncolumns != 0)
        return kql_parser_error_at(p, FH_ERR_PARSE, end,
                                   "datatable has %zu values, not a multiple of its %zu columns",
                                   node->u.datatable.nvalues, ncolumns);
    return FH_OK;
}

static fh_status parse_datatable(kql_parser *p, kql_node **out)
{
    KQL_TRY(kql_parser_node(p, KQL_NODE_DATATABLE, p->tok.loc, out));
    KQL_TRY(kql_parser_advance(p));
    KQL_TRY(parse_datatable_columns(p, *out));
    return parse_datatable_values(p, *out);
}

fh_status kql_parse_tabular_source(kql_parser *p, kql_node **out)
{
    if (kql_parser_at_word(p, "union"))
        return parse_union_source(p, out);
    if (kql_parser_at_word(p, "print"))
        return parse_print(p, out);
    if (kql_parser_at_word(p, "datatable") && kql_parser_peek(p).kind == KQL_TOK_LPAREN)
        return parse_datatable(p, out);
    bool source_word = kql_parser_at_word(p, "range") || kql_parser_at_word(p, "find") ||
                       kql_parser_at_word(p, "search") || kql_parser_at_word(p, "externaldata");
    if (source_word && kql_parser_peek(p).kind == KQL_TOK_IDENT)
        return kql_parser_error_at(p, FH_ERR_UNSUPPORTED, p->tok.loc,
                                   "foxhound does not support the '%.*s' operator",
                                   (int)p->tok.text.len, p->tok.text.ptr);
    return FH_DONE;
}
