/*
 * Syntax tree helpers: node allocation, names of kinds, and the S-expression printer that the
 * parser tests compare against. The printer shows every field the evaluator reads, including
 * the defaults the parser filled in, so a test pins both the shape and the defaults.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "foxhound/datetime.h"
#include "kql/kql_ast.h"
#include "table/value_text.h"
#include "core/strbuf.h"
#include "kql/kql_lex.h"

kql_node *kql_node_new(fh_arena *arena, kql_node_kind kind, kql_loc loc)
{
    kql_node *node = fh_arena_alloc(arena, sizeof *node);
    if (node == NULL)
        return NULL;
    memset(node, 0, sizeof *node);
    node->kind = kind;
    node->loc = loc;
    return node;
}

bool kql_str_is(kql_str s, const char *word)
{
    size_t n = strlen(word);
    return s.len == n && memcmp(s.ptr, word, n) == 0;
}

const char *kql_node_kind_name(kql_node_kind kind)
{
    static const char *const names[KQL_NODE_KIND_COUNT] = {
        [KQL_NODE_LITERAL] = "literal",
        [KQL_NODE_NAME] = "name",
        [KQL_NODE_STAR] = "star",
        [KQL_NODE_UNARY] = "unary",
        [KQL_NODE_BINARY] = "binary",
        [KQL_NODE_IN] = "in",
        [KQL_NODE_BETWEEN] = "between",
        [KQL_NODE_CALL] = "call",
        [KQL_NODE_NAMED_ARG] = "named argument",
        [KQL_NODE_MEMBER] = "member",
        [KQL_NODE_INDEX] = "index",
        [KQL_NODE_TYPEOF] = "typeof",
        [KQL_NODE_PIPELINE] = "pipeline",
        [KQL_NODE_DATATABLE] = "datatable",
        [KQL_NODE_PRINT] = "print",
        [KQL_NODE_UNION] = "union",
        [KQL_NODE_FUNCTION] = "function",
    };
    if ((unsigned)kind >= KQL_NODE_KIND_COUNT)
        return "unknown";
    return names[kind];
}

const char *kql_operator_name(kql_operator_kind kind)
{
    static const char *const names[KQL_OPERATOR_KIND_COUNT] = {
        [KQL_OPERATOR_WHERE] = "where",
        [KQL_OPERATOR_PROJECT] = "project",
        [KQL_OPERATOR_PROJECT_AWAY] = "project-away",
        [KQL_OPERATOR_PROJECT_KEEP] = "project-keep",
        [KQL_OPERATOR_PROJECT_RENAME] = "project-rename",
        [KQL_OPERATOR_PROJECT_REORDER] = "project-reorder",
        [KQL_OPERATOR_EXTEND] = "extend",
        [KQL_OPERATOR_SUMMARIZE] = "summarize",
        [KQL_OPERATOR_SORT] = "sort",
        [KQL_OPERATOR_TOP] = "top",
        [KQL_OPERATOR_TAKE] = "take",
        [KQL_OPERATOR_DISTINCT] = "distinct",
        [KQL_OPERATOR_COUNT] = "count",
        [KQL_OPERATOR_UNION] = "union",
        [KQL_OPERATOR_JOIN] = "join",
        [KQL_OPERATOR_LOOKUP] = "lookup",
        [KQL_OPERATOR_MV_EXPAND] = "mv-expand",
        [KQL_OPERATOR_EVALUATE] = "evaluate",
        [KQL_OPERATOR_PARSE] = "parse",
        [KQL_OPERATOR_AS] = "as",
        [KQL_OPERATOR_GETSCHEMA] = "getschema",
        [KQL_OPERATOR_INVOKE] = "invoke",
        [KQL_OPERATOR_SERIALIZE] = "serialize",
    };
    if ((unsigned)kind >= KQL_OPERATOR_KIND_COUNT)
        return "unknown";
    return names[kind];
}

const char *kql_join_kind_name(kql_join_kind kind)
{
    static const char *const names[KQL_JOIN_KIND_COUNT] = {
        [KQL_JOIN_INNERUNIQUE] = "innerunique", [KQL_JOIN_INNER] = "inner",
        [KQL_JOIN_LEFTOUTER] = "leftouter",     [KQL_JOIN_RIGHTOUTER] = "rightouter",
        [KQL_JOIN_FULLOUTER] = "fullouter",     [KQL_JOIN_LEFTSEMI] = "leftsemi",
        [KQL_JOIN_LEFTANTI] = "leftanti",       [KQL_JOIN_RIGHTSEMI] = "rightsemi",
        [KQL_JOIN_RIGHTANTI] = "rightanti",
    };
    if ((unsigned)kind >= KQL_JOIN_KIND_COUNT)
        return "unknown";
    return names[kind];
}

const char *kql_in_op_name(kql_in_op op)
{
    switch (op) {
    case KQL_IN:
        return "in";
    case KQL_NOT_IN:
        return "!in";
    case KQL_IN_NOCASE:
        return "in~";
    case KQL_NOT_IN_NOCASE:
        return "!in~";
    case KQL_HAS_ANY:
        return "has_any";
    case KQL_HAS_ALL:
        return "has_all";
    }
    return "unknown";
}

/* ---- S-expression printer ---- */

static void put(fh_strbuf *b, const char *s)
{
    fh_strbuf_puts(b, s);
}

static void put_str(fh_strbuf *b, kql_str s)
{
    fh_strbuf_append(b, s.ptr, s.len);
}

/* Writes a name bare when it is a plain identifier or pattern, else as ['...']. */
static void put_name(fh_strbuf *b, kql_str name)
{
    bool plain = name.len > 0;
    for (size_t i = 0; i < name.len && plain; i++) {
        unsigned char c = (unsigned char)name.ptr[i];
        plain = c == '_' || c == '*' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
                (c >= 'A' && c <= 'Z');
    }
    if (plain) {
        put_str(b, name);
        return;
    }
    put(b, "[");
    fh_strbuf_kql_string(b, name.ptr, name.len);
    put(b, "]");
}

static void put_literal(fh_strbuf *b, const fh_value *v)
{
    fh_type type = (fh_type)v->type;
    if (v->is_null) {
        fh_strbuf_printf(b, "(%s null)", fh_type_name(type));
        return;
    }

    char text[64];
    switch (type) {
    case FH_TYPE_BOOL:
        put(b, v->u.b ? "true" : "false");
        break;
    case FH_TYPE_INT:
        fh_strbuf_printf(b, "(int %d)", (int)v->u.i);
        break;
    case FH_TYPE_LONG:
        fh_strbuf_printf(b, "%lld", (long long)v->u.l);
        break;
    case FH_TYPE_REAL:
        fh_real_format(v->u.r, text);
        fh_strbuf_printf(b, "(real %s)", text);
        break;
    case FH_TYPE_DATETIME:
        fh_datetime_format(v->u.ticks, text, sizeof text);
        fh_strbuf_printf(b, "(datetime %s)", text);
        break;
    case FH_TYPE_TIMESPAN:
        fh_timespan_format(v->u.ticks, text, sizeof text);
        fh_strbuf_printf(b, "(timespan %s)", text);
        break;
    case FH_TYPE_STRING:
        fh_strbuf_kql_string(b, v->u.s.ptr, v->u.s.len);
        break;
    case FH_TYPE_DYNAMIC:
        put(b, "(dynamic ");
        fh_json_append(b, v->u.dyn);
        put(b, ")");
        break;
    case FH_TYPE_GUID:
        fh_guid_format(v->u.guid, text);
        fh_strbuf_printf(b, "(guid %s)", text);
        break;
    default:
        put(b, "(unknown-type)");
        break;
    }
}

static void put_node(fh_strbuf *b, const kql_node *node);
static void put_block(fh_strbuf *b, const kql_block *block);

static void put_nodes(fh_strbuf *b, kql_node *const *nodes, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        put(b, " ");
        put_node(b, nodes[i]);
    }
}

static void put_named(fh_strbuf *b, const kql_named_expr *items, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        put(b, " ");
        if (items[i].name.len == 0) {
            put_node(b, items[i].expr);
            continue;
        }
        put(b, "(= ");
        put_name(b, items[i].name);
        put(b, " ");
        put_node(b, items[i].expr);
        put(b, ")");
    }
}

static void put_columns(fh_strbuf *b, const kql_column_decl *columns, size_t count)
{
    put(b, "(");
    for (size_t i = 0; i < count; i++) {
        if (i > 0)
            put(b, " ");
        put(b, "(");
        put_name(b, columns[i].name);
        fh_strbuf_printf(b, " %s)", fh_type_name(columns[i].type));
    }
    put(b, ")");
}

static void put_union(fh_strbuf *b, const kql_union *u)
{
    put(b, u->kind == KQL_UNION_INNER ? "(union inner" : "(union outer");
    if (u->with_source.len > 0) {
        put(b, " (withsource ");
        put_name(b, u->with_source);
        put(b, ")");
    }
    if (u->is_fuzzy)
        put(b, " isfuzzy");
    put_nodes(b, u->tables, u->ntables);
    put(b, ")");
}

static void put_sort_key(fh_strbuf *b, const kql_sort_key *key)
{
    put(b, key->descending ? "(desc " : "(asc ");
    put_node(b, key->expr);
    put(b, key->nulls_first ? " nulls-first)" : " nulls-last)");
}

static void put_join(fh_strbuf *b, const char *op, const kql_join *join)
{
    fh_strbuf_printf(b, "(%s %s ", op, kql_join_kind_name(join->kind));
    put_node(b, join->right);
    put(b, " (on");
    for (size_t i = 0; i < join->nkeys; i++) {
        const kql_join_key *key = &join->keys[i];
        put(b, " ");
        if (key->left.len == key->right.len &&
            memcmp(key->left.ptr, key->right.ptr, key->left.len) == 0) {
            put_name(b, key->left);
            continue;
        }
        put(b, "(");
        put_name(b, key->left);
        put(b, " ");
        put_name(b, key->right);
        put(b, ")");
    }
    put(b, "))");
}

static void put_patterns(fh_strbuf *b, const kql_column_pattern *items, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        put(b, " ");
        if (items[i].order == KQL_SORT_NONE) {
            put_name(b, items[i].pattern);
            continue;
        }
        put(b, items[i].order == KQL_SORT_ASC ? "(asc " : "(desc ");
        put_name(b, items[i].pattern);
        put(b, ")");
    }
}

static void put_mv_expand(fh_strbuf *b, const kql_mv_expand *mv)
{
    put(b, mv->bag_expansion == KQL_BAG_EXPANSION_ARRAY ? "(mv-expand array" : "(mv-expand bag");
    if (mv->item_index.len > 0) {
        put(b, " (itemindex ");
        put_name(b, mv->item_index);
        put(b, ")");
    }
    for (size_t i = 0; i < mv->ncolumns; i++) {
        const kql_expand_column *col = &mv->columns[i];
        put(b, " ");
        if (col->has_type)
            fh_strbuf_printf(b, "(to %s ", fh_type_name(col->to_type));
        if (col->name.len > 0) {
            put(b, "(= ");
            put_name(b, col->name);
            put(b, " ");
        }
        put_node(b, col->expr);
        if (col->name.len > 0)
            put(b, ")");
        if (col->has_type)
            put(b, ")");
    }
    if (mv->limit != NULL) {
        put(b, " (limit ");
        put_node(b, mv->limit);
        put(b, ")");
    }
    put(b, ")");
}

static void put_parse(fh_strbuf *b, const kql_parse_spec *spec)
{
    static const char *const kinds[] = {"simple", "regex", "relaxed"};
    fh_strbuf_printf(b, "(parse %s ", kinds[spec->kind]);
    put_node(b, spec->source);
    for (size_t i = 0; i < spec->nitems; i++) {
        const kql_parse_item *item = &spec->items[i];
        put(b, " ");
        if (item->kind == KQL_PARSE_ITEM_STAR) {
            put(b, "*");
        } else if (item->kind == KQL_PARSE_ITEM_TEXT) {
            fh_strbuf_kql_string(b, item->text.ptr, item->text.len);
        } else {
            put(b, "(");
            put_name(b, item->text);
            fh_strbuf_printf(b, " %s)", fh_type_name(item->type));
        }
    }
    put(b, ")");
}

static void put_operator(fh_strbuf *b, const kql_operator *op)
{
    const char *name = kql_operator_name(op->kind);
    switch (op->kind) {
    case KQL_OPERATOR_WHERE:
        put(b, "(where ");
        put_node(b, op->u.predicate);
        break;
    case KQL_OPERATOR_PROJECT:
    case KQL_OPERATOR_EXTEND:
    case KQL_OPERATOR_SERIALIZE:
        fh_strbuf_printf(b, "(%s", name);
        put_named(b, op->u.columns.items, op->u.columns.nitems);
        break;
    case KQL_OPERATOR_PROJECT_AWAY:
    case KQL_OPERATOR_PROJECT_KEEP:
    case KQL_OPERATOR_PROJECT_REORDER:
        fh_strbuf_printf(b, "(%s", name);
        put_patterns(b, op->u.patterns.items, op->u.patterns.nitems);
        break;
    case KQL_OPERATOR_PROJECT_RENAME:
        put(b, "(project-rename");
        for (size_t i = 0; i < op->u.renames.nitems; i++) {
            put(b, " (= ");
            put_name(b, op->u.renames.items[i].new_name);
            put(b, " ");
            put_name(b, op->u.renames.items[i].old_name);
            put(b, ")");
        }
        break;
    case KQL_OPERATOR_SUMMARIZE:
        put(b, "(summarize");
        put_named(b, op->u.summarize.aggregates, op->u.summarize.naggregates);
        if (op->u.summarize.nby > 0) {
            put(b, " (by");
            put_named(b, op->u.summarize.by, op->u.summarize.nby);
            put(b, ")");
        }
        break;
    case KQL_OPERATOR_SORT:
        put(b, "(sort");
        for (size_t i = 0; i < op->u.sort.nkeys; i++) {
            put(b, " ");
            put_sort_key(b, &op->u.sort.keys[i]);
        }
        break;
    case KQL_OPERATOR_TOP:
        put(b, "(top ");
        put_node(b, op->u.top.count);
        put(b, " ");
        put_sort_key(b, &op->u.top.key);
        break;
    case KQL_OPERATOR_TAKE:
        put(b, "(take ");
        put_node(b, op->u.take_count);
        break;
    case KQL_OPERATOR_DISTINCT:
        put(b, "(distinct");
        if (op->u.distinct.all)
            put(b, " *");
        put_nodes(b, op->u.distinct.columns, op->u.distinct.ncolumns);
        break;
    case KQL_OPERATOR_UNION:
        put_union(b, &op->u.union_);
        return;
    case KQL_OPERATOR_JOIN:
    case KQL_OPERATOR_LOOKUP:
        put_join(b, name, &op->u.join);
        return;
    case KQL_OPERATOR_MV_EXPAND:
        put_mv_expand(b, &op->u.mv_expand);
        return;
    case KQL_OPERATOR_PARSE:
        put_parse(b, &op->u.parse);
        return;
    case KQL_OPERATOR_EVALUATE:
        put(b, "(evaluate ");
        put_node(b, op->u.plugin);
        break;
    case KQL_OPERATOR_INVOKE:
        put(b, "(invoke ");
        put_node(b, op->u.invoke);
        break;
    case KQL_OPERATOR_AS:
        put(b, "(as ");
        put_name(b, op->u.as_name);
        break;
    case KQL_OPERATOR_COUNT:
    case KQL_OPERATOR_GETSCHEMA:
    default:
        fh_strbuf_printf(b, "(%s", name);
        break;
    }
    put(b, ")");
}

static void put_function(fh_strbuf *b, const kql_node *node)
{
    put(b, "(function (params");
    for (size_t i = 0; i < node->u.function.nparams; i++) {
        const kql_param *param = &node->u.function.params[i];
        put(b, " (");
        put_name(b, param->name);
        put(b, " ");
        if (param->is_tabular && param->ncolumns == 0)
            put(b, "(*)");
        else if (param->is_tabular)
            put_columns(b, param->columns, param->ncolumns);
        else
            put(b, fh_type_name(param->type));
        if (param->default_value != NULL) {
            put(b, " ");
            put_node(b, param->default_value);
        }
        put(b, ")");
    }
    put(b, ") ");
    put_block(b, &node->u.function.body);
    put(b, ")");
}

static void put_datatable(fh_strbuf *b, const kql_node *node)
{
    put(b, "(datatable ");
    put_columns(b, node->u.datatable.columns, node->u.datatable.ncolumns);
    put_nodes(b, node->u.datatable.values, node->u.datatable.nvalues);
    put(b, ")");
}

static void put_in(fh_strbuf *b, const kql_node *node)
{
    fh_strbuf_printf(b, "(%s ", kql_in_op_name(node->u.in.op));
    put_node(b, node->u.in.left);
    put_nodes(b, node->u.in.items, node->u.in.nitems);
    put(b, ")");
}

static void put_between(fh_strbuf *b, const kql_node *node)
{
    put(b, node->u.between.negated ? "(!between " : "(between ");
    put_node(b, node->u.between.left);
    put(b, " ");
    put_node(b, node->u.between.low);
    put(b, " ");
    put_node(b, node->u.between.high);
    put(b, ")");
}

static void put_pipeline(fh_strbuf *b, const kql_node *node)
{
    put(b, "(pipe ");
    put_node(b, node->u.pipeline.source);
    for (size_t i = 0; i < node->u.pipeline.nops; i++) {
        put(b, " ");
        put_operator(b, &node->u.pipeline.ops[i]);
    }
    put(b, ")");
}

static void put_node(fh_strbuf *b, const kql_node *node)
{
    if (node == NULL) {
        put(b, "<null>");
        return;
    }
    switch (node->kind) {
    case KQL_NODE_LITERAL:
        put_literal(b, &node->u.literal.value);
        break;
    case KQL_NODE_NAME:
        put_name(b, node->u.name.text);
        break;
    case KQL_NODE_STAR:
        put(b, "*");
        break;
    case KQL_NODE_UNARY:
        put(b, node->u.unary.op == KQL_UNARY_MINUS ? "(- " : "(+ ");
        put_node(b, node->u.unary.operand);
        put(b, ")");
        break;
    case KQL_NODE_BINARY:
        fh_strbuf_printf(b, "(%s ", kql_lex_binop_spelling(node->u.binary.op));
        put_node(b, node->u.binary.left);
        put(b, " ");
        put_node(b, node->u.binary.right);
        put(b, ")");
        break;
    case KQL_NODE_IN:
        put_in(b, node);
        break;
    case KQL_NODE_BETWEEN:
        put_between(b, node);
        break;
    case KQL_NODE_CALL:
        put(b, "(call ");
        put_name(b, node->u.call.name);
        put_nodes(b, node->u.call.args, node->u.call.nargs);
        put(b, ")");
        break;
    case KQL_NODE_NAMED_ARG:
        put(b, "(= ");
        put_name(b, node->u.named_arg.name);
        put(b, " ");
        put_node(b, node->u.named_arg.value);
        put(b, ")");
        break;
    case KQL_NODE_MEMBER:
        put(b, "(. ");
        put_node(b, node->u.member.object);
        put(b, " ");
        put_name(b, node->u.member.name);
        put(b, ")");
        break;
    case KQL_NODE_INDEX:
        put(b, "([] ");
        put_node(b, node->u.index.object);
        put(b, " ");
        put_node(b, node->u.index.index);
        put(b, ")");
        break;
    case KQL_NODE_TYPEOF:
        fh_strbuf_printf(b, "(typeof %s)", fh_type_name(node->u.type_of));
        break;
    case KQL_NODE_PIPELINE:
        put_pipeline(b, node);
        break;
    case KQL_NODE_DATATABLE:
        put_datatable(b, node);
        break;
    case KQL_NODE_PRINT:
        put(b, "(print");
        put_named(b, node->u.print.items, node->u.print.nitems);
        put(b, ")");
        break;
    case KQL_NODE_UNION:
        put_union(b, &node->u.union_);
        break;
    case KQL_NODE_FUNCTION:
        put_function(b, node);
        break;
    default:
        put(b, "<unknown>");
        break;
    }
}

static void put_block(fh_strbuf *b, const kql_block *block)
{
    put(b, "(block");
    for (size_t i = 0; i < block->nlets; i++) {
        put(b, " (let ");
        put_name(b, block->lets[i].name);
        put(b, " ");
        put_node(b, block->lets[i].value);
        put(b, ")");
    }
    put(b, " ");
    put_node(b, block->result);
    put(b, ")");
}

char *kql_query_to_sexpr(const kql_query *query)
{
    fh_strbuf b;
    fh_strbuf_init(&b);
    put_block(&b, &query->body);
    return fh_strbuf_take(&b);
}

char *kql_node_to_sexpr(const kql_node *node)
{
    fh_strbuf b;
    fh_strbuf_init(&b);
    put_node(&b, node);
    return fh_strbuf_take(&b);
}
