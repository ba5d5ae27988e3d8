/*
 * Name resolution and typing of scalar expressions: turns syntax-tree expressions into
 * compiled kql_expr trees whose names are column indexes, whose functions are looked up, and
 * whose types are known before any row is read.
 *
 * A name is looked up first among the columns of the row the expression runs on, then among
 * the let names in scope (innermost first). Let values that are scalar are evaluated once
 * here and become literals; tabular lets are kept as syntax and bound again at each use.
 * Let-bound functions are inlined at each call, their parameters bound to the argument
 * expressions. An `in` list's constant items (literals, dynamic arrays, a table's first
 * column) become one value set, hashed when it has more than a few items.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "foxhound/limits.h"
#include "kql/kql_agg.h"
#include "kql/kql_has_index.h"
#include "kql/kql_bind.h"
#include "kql/kql_parse.h"

/* --- scopes and helpers ---------------------------------------------------------------------- */

static bool str_eq(kql_str a, kql_str b)
{
    return a.len == b.len && memcmp(a.ptr, b.ptr, a.len) == 0;
}

const kql_entry *kql_scope_find(const kql_scope *scope, kql_str name)
{
    for (; scope != NULL; scope = scope->parent) {
        for (size_t i = scope->count; i > 0; i--) {
            if (str_eq(scope->entries[i - 1].name, name))
                return &scope->entries[i - 1];
        }
    }
    return NULL;
}

fh_status kql_scope_add(kql_binder *b, kql_scope *scope, const kql_entry *entry, fh_error *err)
{
    if (scope->count == scope->cap) {
        size_t cap = scope->cap ? scope->cap * 2 : 8;
        kql_entry *grown = fh_arena_alloc(b->arena, cap * sizeof *grown);
        if (grown == NULL)
            return fh_error_set(err, FH_ERR_NOMEM, b->query->source, 0, 0, "out of memory");
        if (scope->count > 0)
            memcpy(grown, scope->entries, scope->count * sizeof *grown);
        scope->entries = grown;
        scope->cap = cap;
    }
    scope->entries[scope->count++] = *entry;
    return FH_OK;
}

const char *kql_bind_strdup(kql_binder *b, kql_str s)
{
    return fh_arena_strndup(b->arena, s.ptr, s.len);
}

fh_status kql_bind_error(const kql_binder *b, kql_loc loc, fh_error *err, fh_status status,
                         const char *fmt, ...)
{
    if (err == NULL)
        return status;
    char message[FH_ERROR_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    return fh_error_set(err, status, b->query->source, loc.line, loc.column, "%s", message);
}

static size_t edit_distance(const char *a, size_t la, const char *b, size_t lb)
{
    if (la > 64 || lb > 64)
        return 99;
    size_t row[65];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            size_t best = diag + cost;
            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

/* The column closest to name: same letters in another case first, else a small typo. */
static const char *suggest_column(const fh_schema *schema, kql_str name)
{
    const char *best = NULL;
    /* Typos allowed: none in a name of one or two characters, one up to five, two beyond. */
    size_t best_distance = 3;
    if (name.len < 6)
        best_distance = 2;
    if (name.len < 3)
        best_distance = 1;
    for (size_t i = 0; i < schema->ncols; i++) {
        const char *col = schema->cols[i].name;
        size_t len = strlen(col);
        if (len == name.len && strncasecmp(col, name.ptr, len) == 0)
            return col;
        size_t d = edit_distance(name.ptr, name.len, col, len);
        if (d < best_distance) {
            best = col;
            best_distance = d;
        }
    }
    return best;
}

fh_status kql_bind_column(const kql_binder *b, const fh_schema *schema, kql_str name, kql_loc loc,
                          size_t *index, fh_error *err)
{
    long i = fh_schema_find(schema, name.ptr, name.len);
    if (i >= 0) {
        *index = (size_t)i;
        return FH_OK;
    }
    const char *hint = suggest_column(schema, name);
    if (hint != NULL)
        return kql_bind_error(b, loc, err, FH_ERR_NOT_FOUND,
                              "unknown column '%.*s'; did you mean '%s'?", (int)name.len, name.ptr,
                              hint);
    return kql_bind_error(b, loc, err, FH_ERR_NOT_FOUND, "unknown column '%.*s'", (int)name.len,
                          name.ptr);
}

kql_str kql_bind_result_name(const kql_node *node)
{
    kql_str none = {"", 0};
    if (node == NULL)
        return none;
    if (node->kind == KQL_NODE_NAME)
        return node->u.name.text;
    if (node->kind == KQL_NODE_MEMBER)
        return node->u.member.name;
    return none;
}

/* --- expression nodes ------------------------------------------------------------------------ */

static kql_expr *expr_new(kql_binder *b, kql_expr_kind kind, kql_loc loc, size_t nargs)
{
    kql_expr *e = fh_arena_alloc(b->arena, sizeof *e);
    if (e == NULL)
        return NULL;
    memset(e, 0, sizeof *e);
    e->kind = kind;
    e->line = loc.line;
    e->column = loc.column;
    if (nargs > 0) {
        e->args = fh_arena_alloc(b->arena, nargs * sizeof *e->args);
        if (e->args == NULL)
            return NULL;
        memset(e->args, 0, nargs * sizeof *e->args);
    }
    e->nargs = nargs;
    return e;
}

static fh_status nomem(const kql_binder *b, kql_loc loc, fh_error *err)
{
    return kql_bind_error(b, loc, err, FH_ERR_NOMEM, "out of memory binding the query");
}

static kql_expr *literal_expr(kql_binder *b, kql_loc loc, const fh_value *v)
{
    kql_expr *e = expr_new(b, KQL_EXPR_LITERAL, loc, 0);
    if (e != NULL) {
        e->literal = *v;
        e->type = v->type;
    }
    return e;
}

/* Evaluates a constant expression now and replaces it by a literal. */
static fh_status fold(kql_binder *b, kql_expr **expr, fh_error *err)
{
    kql_expr *e = *expr;
    if (e->kind == KQL_EXPR_LITERAL || !kql_expr_is_constant(e))
        return FH_OK;
    fh_value v;
    kql_eval ev = {.row = NULL, .fctx = &b->fold, .source = b->query->source};
    b->fold.err = err;
    fh_status st = kql_expr_eval(e, &ev, &v, err);
    if (st != FH_OK)
        return st;
    /* Keep the declared type for a typed null. */
    if (v.is_null && v.type != e->type)
        v = fh_value_null(e->type);
    kql_expr *lit = literal_expr(b, (kql_loc){e->line, e->column, 0}, &v);
    if (lit == NULL)
        return nomem(b, (kql_loc){e->line, e->column, 0}, err);
    *expr = lit;
    return FH_OK;
}

static fh_status bind_name(kql_binder *b, const kql_node *node, const fh_schema *schema,
                           kql_scope *scope, kql_expr **out, fh_error *err)
{
    kql_str name = node->u.name.text;
    long col = fh_schema_find(schema, name.ptr, name.len);
    if (col >= 0) {
        kql_expr *e = expr_new(b, KQL_EXPR_COLUMN, node->loc, 0);
        if (e == NULL)
            return nomem(b, node->loc, err);
        e->column_index = (size_t)col;
        e->type = schema->cols[col].type;
        *out = e;
        return FH_OK;
    }
    const kql_entry *entry = kql_scope_find(scope, name);
    if (entry != NULL && entry->kind == KQL_ENTRY_SCALAR) {
        *out = entry->scalar;
        return FH_OK;
    }
    if (entry != NULL)
        return kql_bind_error(b, node->loc, err, FH_ERR_TYPE,
                              "'%.*s' is a %s, not a scalar value here", (int)name.len, name.ptr,
                              entry->kind == KQL_ENTRY_TABULAR ? "table" : "function");
    size_t unused;
    return kql_bind_column(b, schema, name, node->loc, &unused, err);
}

static fh_status bind_binary(kql_binder *b, const kql_node *node, const fh_schema *schema,
                             kql_scope *scope, kql_expr **out, fh_error *err)
{
    kql_expr *e = expr_new(b, KQL_EXPR_BINOP, node->loc, 2);
    if (e == NULL)
        return nomem(b, node->loc, err);
    fh_status st = kql_bind_expr(b, node->u.binary.left, schema, scope, &e->args[0], err);
    if (st == FH_OK)
        st = kql_bind_expr(b, node->u.binary.right, schema, scope, &e->args[1], err);
    if (st != FH_OK)
        return st;
    e->op = node->u.binary.op;
    st = kql_binop_type(e->op, e->args[0]->type, e->args[1]->type, &e->type, err);
    if (st != FH_OK)
        return kql_bind_error(b, node->loc, err, st, "%s", err->message);
    *out = e;
    return fold(b, out, err);
}

static fh_status bind_unary(kql_binder *b, const kql_node *node, const fh_schema *schema,
                            kql_scope *scope, kql_expr **out, fh_error *err)
{
    kql_expr *operand = NULL;
    fh_status st = kql_bind_expr(b, node->u.unary.operand, schema, scope, &operand, err);
    if (st != FH_OK)
        return st;
    if (node->u.unary.op == KQL_UNARY_PLUS) {
        *out = operand;
        return FH_OK;
    }
    switch (operand->type) {
    case FH_TYPE_INT:
    case FH_TYPE_LONG:
    case FH_TYPE_REAL:
    case FH_TYPE_TIMESPAN:
        break;
    default:
        return kql_bind_error(b, node->loc, err, FH_ERR_TYPE,
                              "unary '-' expects a number or timespan, got %s",
                              fh_type_name(operand->type));
    }
    kql_expr *e = expr_new(b, KQL_EXPR_NEGATE, node->loc, 1);
    if (e == NULL)
        return nomem(b, node->loc, err);
    e->args[0] = operand;
    e->type = operand->type;
    *out = e;
    return fold(b, out, err);
}

/* Runs a tabular item of an `in` list now and adds its first column's values to set. */
static fh_status add_tabular_items(kql_binder *b, const kql_node *item, kql_scope *scope,
                                   kql_set *set, fh_error *err)
{
    kql_op *op = NULL;
    fh_status st = kql_bind_tabular(b, item, scope, &op, err);
    if (st != FH_OK) {
        kql_op_destroy(op);
        return st;
    }
    if (op->schema->ncols == 0) {
        kql_op_destroy(op);
        return kql_bind_error(b, item->loc, err, FH_ERR_TYPE,
                              "the table in an 'in' list has no columns");
    }
    fh_batch *batch = NULL;
    while ((st = kql_op_next(op, &batch, err)) == FH_OK) {
        size_t ncols = batch->schema->ncols;
        for (size_t r = 0; r < batch->nrows && st == FH_OK; r++)
            st = kql_set_add_flat(set, &batch->cells[r * ncols]);
        if (st == FH_ERR_NOMEM || st == FH_ERR_LIMIT)
            st = kql_bind_error(b, item->loc, err, st, "the 'in' list is too large");
        if (st != FH_OK)
            break;
    }
    kql_op_destroy(op);
    return st == FH_DONE ? FH_OK : st;
}

/* Returns whether a bound item is a non-null dynamic constant, such as a let-bound array. */
static bool is_dynamic_constant(const kql_expr *x)
{
    return x->kind == KQL_EXPR_LITERAL && x->literal.type == FH_TYPE_DYNAMIC &&
           !x->literal.is_null && x->literal.u.dyn != NULL;
}

/* Returns the set an earlier `in` of the same kind built from the same constant, or NULL. */
static const kql_bound_set *find_bound_set(const kql_binder *b, const kql_expr *x, kql_in_op op)
{
    for (size_t i = 0; i < b->nsets; i++) {
        const kql_bound_set *c = &b->sets[i];
        if (c->list == x->literal.u.dyn && c->op == (int)op)
            return c;
    }
    return NULL;
}

/*
 * Binds one item of an `in` list into e. When the list is a single dynamic constant, *list
 * is set to it, and a set built earlier from the same constant replaces e's set.
 */
static fh_status bind_in_item(kql_binder *b, const kql_node *item, kql_in_op op,
                              const fh_schema *schema, kql_scope *scope, kql_expr *e,
                              size_t *nruntime, const kql_expr **list, fh_error *err)
{
    if (kql_bind_is_tabular(b, item, scope))
        return add_tabular_items(b, item, scope, e->set, err);
    kql_expr *x = NULL;
    fh_status st = kql_bind_expr(b, item, schema, scope, &x, err);
    if (st != FH_OK)
        return st;
    if (list != NULL && is_dynamic_constant(x)) {
        *list = x;
        const kql_bound_set *cached = find_bound_set(b, x, op);
        if (cached != NULL) {
            e->set = cached->set;
            e->has_index = cached->has_index;
            return FH_OK;
        }
    }
    if (x->kind == KQL_EXPR_LITERAL) {
        st = kql_set_add_flat(e->set, &x->literal);
        if (st != FH_OK)
            return kql_bind_error(b, item->loc, err, st, "the 'in' list is too large");
        return FH_OK;
    }
    e->args[1 + (*nruntime)++] = x;
    return FH_OK;
}

static fh_status bind_in(kql_binder *b, const kql_node *node, const fh_schema *schema,
                         kql_scope *scope, kql_expr **out, fh_error *err)
{
    kql_in_op op = node->u.in.op;
    bool has = op == KQL_HAS_ANY || op == KQL_HAS_ALL;
    size_t nitems = node->u.in.nitems;
    kql_expr *e = expr_new(b, has ? KQL_EXPR_HAS_ANY : KQL_EXPR_IN, node->loc, nitems + 1);
    kql_set *set = fh_arena_alloc(b->arena, sizeof *set);
    if (e == NULL || set == NULL)
        return nomem(b, node->loc, err);
    e->type = FH_TYPE_BOOL;
    e->negate = op == KQL_NOT_IN || op == KQL_NOT_IN_NOCASE;
    e->nocase = op == KQL_IN_NOCASE || op == KQL_NOT_IN_NOCASE || has;
    e->all = op == KQL_HAS_ALL;
    kql_set_init(set, b->arena, e->nocase, b->query->shortcuts);
    e->set = set;

    fh_status st = kql_bind_expr(b, node->u.in.left, schema, scope, &e->args[0], err);
    size_t nruntime = 0;
    const kql_expr *list = NULL; /* the one dynamic constant, when the list is only that */
    for (size_t i = 0; st == FH_OK && i < nitems; i++)
        st = bind_in_item(b, node->u.in.items[i], op, schema, scope, e, &nruntime,
                          nitems == 1 ? &list : NULL, err);
    if (st != FH_OK)
        return st;
    if (e->set != set) { /* shared with an earlier `in` over the same constant */
        e->nargs = 1;
        *out = e;
        return fold(b, out, err);
    }
    if (set->count > FH_MAX_IN_LIST)
        return kql_bind_error(b, node->loc, err, FH_ERR_LIMIT,
                              "the '%s' list has %zu items, more than the maximum of %d",
                              kql_in_op_name(op), set->count, FH_MAX_IN_LIST);
    if (op == KQL_HAS_ANY && kql_has_index_build(set, b->arena, &e->has_index) != FH_OK)
        return nomem(b, node->loc, err);
    if (list != NULL && b->nsets < KQL_BIND_SET_CACHE)
        b->sets[b->nsets++] = (kql_bound_set){list->literal.u.dyn, (int)op, set, e->has_index};
    e->nargs = 1 + nruntime;
    *out = e;
    return fold(b, out, err);
}

static fh_status bind_between(kql_binder *b, const kql_node *node, const fh_schema *schema,
                              kql_scope *scope, kql_expr **out, fh_error *err)
{
    kql_expr *e = expr_new(b, KQL_EXPR_BETWEEN, node->loc, 3);
    if (e == NULL)
        return nomem(b, node->loc, err);
    fh_status st = kql_bind_expr(b, node->u.between.left, schema, scope, &e->args[0], err);
    if (st == FH_OK)
        st = kql_bind_expr(b, node->u.between.low, schema, scope, &e->args[1], err);
    if (st == FH_OK)
        st = kql_bind_expr(b, node->u.between.high, schema, scope, &e->args[2], err);
    if (st != FH_OK)
        return st;
    fh_type t;
    st = kql_binop_type(KQL_OP_GE, e->args[0]->type, e->args[1]->type, &t, err);
    if (st != FH_OK)
        return kql_bind_error(b, node->loc, err, st, "between: %s", err->message);
    e->type = FH_TYPE_BOOL;
    e->negate = node->u.between.negated;
    *out = e;
    return fold(b, out, err);
}

static fh_status bind_member(kql_binder *b, const kql_node *node, const fh_schema *schema,
                             kql_scope *scope, kql_expr **out, fh_error *err)
{
    bool is_index = node->kind == KQL_NODE_INDEX;
    kql_expr *e =
        expr_new(b, is_index ? KQL_EXPR_INDEX : KQL_EXPR_MEMBER, node->loc, is_index ? 2 : 1);
    if (e == NULL)
        return nomem(b, node->loc, err);
    const kql_node *object = is_index ? node->u.index.object : node->u.member.object;
    fh_status st = kql_bind_expr(b, object, schema, scope, &e->args[0], err);
    if (st == FH_OK && is_index)
        st = kql_bind_expr(b, node->u.index.index, schema, scope, &e->args[1], err);
    if (st != FH_OK)
        return st;
    if (e->args[0]->type != FH_TYPE_DYNAMIC)
        return kql_bind_error(b, node->loc, err, FH_ERR_TYPE,
                              "member access needs a dynamic value, got %s",
                              fh_type_name(e->args[0]->type));
    if (!is_index) {
        e->name = node->u.member.name.ptr;
        e->name_len = node->u.member.name.len;
    }
    e->type = FH_TYPE_DYNAMIC;
    *out = e;
    return fold(b, out, err);
}

/* --- calls ----------------------------------------------------------------------------------- */

/* Binds a call argument; typeof(T) becomes a string literal holding the type name. */
static fh_status bind_arg(kql_binder *b, const kql_node *arg, const fh_schema *schema,
                          kql_scope *scope, kql_expr **out, fh_error *err)
{
    if (arg->kind == KQL_NODE_TYPEOF) {
        const char *name = fh_type_name(arg->u.type_of);
        fh_value v = fh_value_string(name, strlen(name));
        *out = literal_expr(b, arg->loc, &v);
        return *out != NULL ? FH_OK : nomem(b, arg->loc, err);
    }
    if (arg->kind == KQL_NODE_STAR)
        return kql_bind_error(b, arg->loc, err, FH_ERR_TYPE,
                              "'*' is only allowed in arg_max, arg_min and take_any");
    if (arg->kind == KQL_NODE_NAMED_ARG)
        return kql_bind_error(b, arg->loc, err, FH_ERR_TYPE,
                              "named argument '%.*s' is not allowed here",
                              (int)arg->u.named_arg.name.len, arg->u.named_arg.name.ptr);
    return kql_bind_expr(b, arg, schema, scope, out, err);
}

static fh_status bind_scalar_call(kql_binder *b, const kql_node *node, const kql_func_def *def,
                                  const fh_schema *schema, kql_scope *scope, kql_expr **out,
                                  fh_error *err)
{
    size_t nargs = node->u.call.nargs;
    kql_str name = node->u.call.name;
    if ((int)nargs < def->min_args || (def->max_args >= 0 && (int)nargs > def->max_args)) {
        if (def->min_args == def->max_args)
            return kql_bind_error(b, node->loc, err, FH_ERR_TYPE,
                                  "%.*s() expects %d argument%s, got %zu", (int)name.len, name.ptr,
                                  def->min_args, def->min_args == 1 ? "" : "s", nargs);
        return kql_bind_error(b, node->loc, err, FH_ERR_TYPE,
                              "%.*s() expects %d to %d arguments, got %zu", (int)name.len, name.ptr,
                              def->min_args, def->max_args, nargs);
    }
    kql_expr *e = expr_new(b, KQL_EXPR_CALL, node->loc, nargs);
    fh_type *types = fh_arena_alloc(b->arena, (nargs + 1) * sizeof *types);
    bool *is_literal = fh_arena_alloc(b->arena, (nargs + 1) * sizeof *is_literal);
    fh_value *literals = fh_arena_alloc(b->arena, (nargs + 1) * sizeof *literals);
    e->argv = fh_arena_alloc(b->arena, (nargs + 1) * sizeof *e->argv);
    if (e == NULL || types == NULL || is_literal == NULL || literals == NULL || e->argv == NULL)
        return nomem(b, node->loc, err);
    for (size_t i = 0; i < nargs; i++) {
        fh_status st = bind_arg(b, node->u.call.args[i], schema, scope, &e->args[i], err);
        if (st != FH_OK)
            return st;
        types[i] = e->args[i]->type;
        is_literal[i] = e->args[i]->kind == KQL_EXPR_LITERAL;
        literals[i] = is_literal[i] ? e->args[i]->literal : fh_value_null(types[i]);
    }
    e->func = def;
    fh_status st = def->result_type(types, is_literal, literals, nargs, &e->type, err);
    if (st != FH_OK)
        return kql_bind_error(b, node->loc, err, st, "%s", err->message);
    *out = e;
    return fold(b, out, err);
}

/* Inlines a let-bound function: parameters become scope entries bound to the arguments. */
fh_status kql_bind_user_call(kql_binder *b, const kql_node *node, const kql_entry *entry,
                             const fh_schema *schema, kql_scope *scope, kql_scope **body,
                             fh_error *err)
{
    const kql_node *fn = entry->node;
    size_t nargs = node->u.call.nargs, nparams = fn->u.function.nparams;
    if (nargs > nparams)
        return kql_bind_error(b, node->loc, err, FH_ERR_TYPE,
                              "function '%.*s' takes %zu argument%s, got %zu",
                              (int)node->u.call.name.len, node->u.call.name.ptr, nparams,
                              nparams == 1 ? "" : "s", nargs);
    kql_scope *inner = fh_arena_alloc(b->arena, sizeof *inner);
    if (inner == NULL)
        return nomem(b, node->loc, err);
    memset(inner, 0, sizeof *inner);
    inner->parent = entry->defined;
    for (size_t i = 0; i < nparams; i++) {
        const kql_param *p = &fn->u.function.params[i];
        const kql_node *arg = i < nargs ? node->u.call.args[i] : p->default_value;
        if (arg == NULL)
            return kql_bind_error(b, node->loc, err, FH_ERR_TYPE,
                                  "function '%.*s' needs a value for parameter '%.*s'",
                                  (int)node->u.call.name.len, node->u.call.name.ptr,
                                  (int)p->name.len, p->name.ptr);
        kql_entry param = {.name = p->name};
        fh_status st;
        if (p->is_tabular) {
            param.kind = KQL_ENTRY_TABULAR;
            param.node = (kql_node *)arg;
            param.defined = i < nargs ? scope : entry->defined;
        } else {
            param.kind = KQL_ENTRY_SCALAR;
            st = kql_bind_expr(b, arg, i < nargs ? schema : &(fh_schema){0},
                               i < nargs ? scope : entry->defined, &param.scalar, err);
            if (st != FH_OK)
                return st;
        }
        st = kql_scope_add(b, inner, &param, err);
        if (st != FH_OK)
            return st;
    }
    fh_status st = kql_bind_lets(b, &fn->u.function.body, inner, err);
    *body = inner;
    return st;
}

static fh_status bind_call(kql_binder *b, const kql_node *node, const fh_schema *schema,
                           kql_scope *scope, kql_expr **out, fh_error *err)
{
    kql_str name = node->u.call.name;
    const kql_entry *entry = kql_scope_find(scope, name);
    if (entry != NULL && entry->kind == KQL_ENTRY_FUNCTION) {
        kql_scope *inner = NULL;
        fh_status st = kql_bind_user_call(b, node, entry, schema, scope, &inner, err);
        if (st != FH_OK)
            return st;
        return kql_bind_expr(b, entry->node->u.function.body.result, schema, inner, out, err);
    }
    if (kql_str_is(name, "toscalar") && node->u.call.nargs == 1) {
        kql_op *op = NULL;
        fh_status st = kql_bind_tabular(b, node->u.call.args[0], scope, &op, err);
        fh_batch *batch = NULL;
        fh_value v = fh_value_null(FH_TYPE_DYNAMIC);
        if (st == FH_OK && op->schema->ncols > 0) {
            v = fh_value_null(op->schema->cols[0].type);
            st = kql_op_next(op, &batch, err);
            if (st == FH_OK)
                st = fh_value_copy(b->arena, &v, &batch->cells[0]);
            if (st == FH_DONE)
                st = FH_OK;
        }
        kql_op_destroy(op);
        if (st != FH_OK)
            return st;
        *out = literal_expr(b, node->loc, &v);
        return *out != NULL ? FH_OK : nomem(b, node->loc, err);
    }
    const kql_func_def *def = kql_func_lookup(name.ptr, name.len);
    if (def != NULL)
        return bind_scalar_call(b, node, def, schema, scope, out, err);

    kql_agg_kind kind;
    int min_args, max_args;
    if (kql_agg_lookup(name.ptr, name.len, &kind, &min_args, &max_args))
        return kql_bind_error(b, node->loc, err, FH_ERR_TYPE,
                              "aggregate function %.*s() is only allowed in summarize",
                              (int)name.len, name.ptr);
    return kql_bind_error(b, node->loc, err, FH_ERR_NOT_FOUND, "unknown function '%.*s'",
                          (int)name.len, name.ptr);
}

fh_status kql_bind_expr(kql_binder *b, const kql_node *node, const fh_schema *schema,
                        kql_scope *scope, kql_expr **out, fh_error *err)
{
    if (++b->depth > FH_MAX_QUERY_DEPTH) {
        b->depth--;
        return kql_bind_error(b, node->loc, err, FH_ERR_LIMIT,
                              "the query nests deeper than %d levels (a function that calls "
                              "itself?)",
                              FH_MAX_QUERY_DEPTH);
    }
    fh_status st;
    switch (node->kind) {
    case KQL_NODE_LITERAL:
        *out = literal_expr(b, node->loc, &node->u.literal.value);
        st = *out != NULL ? FH_OK : nomem(b, node->loc, err);
        break;
    case KQL_NODE_NAME:
        st = bind_name(b, node, schema, scope, out, err);
        break;
    case KQL_NODE_UNARY:
        st = bind_unary(b, node, schema, scope, out, err);
        break;
    case KQL_NODE_BINARY:
        st = bind_binary(b, node, schema, scope, out, err);
        break;
    case KQL_NODE_IN:
        st = bind_in(b, node, schema, scope, out, err);
        break;
    case KQL_NODE_BETWEEN:
        st = bind_between(b, node, schema, scope, out, err);
        break;
    case KQL_NODE_CALL:
        st = bind_call(b, node, schema, scope, out, err);
        break;
    case KQL_NODE_MEMBER:
    case KQL_NODE_INDEX:
        st = bind_member(b, node, schema, scope, out, err);
        break;
    default:
        st = bind_arg(b, node, schema, scope, out, err);
        if (st == FH_OK)
            st = kql_bind_error(b, node->loc, err, FH_ERR_TYPE, "a %s is not a scalar expression",
                                kql_node_kind_name(node->kind));
        break;
    }
    b->depth--;
    return st;
}

fh_status kql_bind_constant(kql_binder *b, const kql_node *node, kql_scope *scope, fh_value *out,
                            fh_error *err)
{
    fh_schema none = {0};
    kql_expr *e = NULL;
    fh_status st = kql_bind_expr(b, node, &none, scope, &e, err);
    if (st != FH_OK)
        return st;
    if (e->kind != KQL_EXPR_LITERAL)
        return kql_bind_error(b, node->loc, err, FH_ERR_TYPE, "expected a constant value");
    *out = e->literal;
    return FH_OK;
}

/* --- lets and the query ----------------------------------------------------------------------- */

bool kql_bind_is_tabular(kql_binder *b, const kql_node *node, const kql_scope *scope)
{
    switch (node->kind) {
    case KQL_NODE_PIPELINE:
    case KQL_NODE_DATATABLE:
    case KQL_NODE_PRINT:
    case KQL_NODE_UNION:
        return true;
    case KQL_NODE_NAME: {
        const kql_entry *entry = kql_scope_find(scope, node->u.name.text);
        if (entry != NULL)
            return entry->kind == KQL_ENTRY_TABULAR;
        return kql_engine_table(b->query->engine, node->u.name.text.ptr, node->u.name.text.len) !=
               NULL;
    }
    case KQL_NODE_CALL: {
        if (kql_str_is(node->u.call.name, "materialize"))
            return true;
        const kql_entry *entry = kql_scope_find(scope, node->u.call.name);
        if (entry == NULL || entry->kind != KQL_ENTRY_FUNCTION || b->depth > FH_MAX_QUERY_DEPTH)
            return false;
        b->depth++;
        bool tabular = kql_bind_is_tabular(b, entry->node->u.function.body.result, entry->defined);
        b->depth--;
        return tabular;
    }
    default:
        return false;
    }
}

static fh_status bind_let(kql_binder *b, const kql_let *let, kql_scope *scope, fh_error *err)
{
    kql_entry entry = {.name = let->name, .node = let->value, .defined = scope};
    if (let->value->kind == KQL_NODE_FUNCTION) {
        entry.kind = KQL_ENTRY_FUNCTION;
    } else if (kql_bind_is_tabular(b, let->value, scope)) {
        entry.kind = KQL_ENTRY_TABULAR;
    } else {
        entry.kind = KQL_ENTRY_SCALAR;
        fh_schema none = {0};
        fh_status st = kql_bind_expr(b, let->value, &none, scope, &entry.scalar, err);
        if (st != FH_OK)
            return st;
    }
    /* A let binds after its value, so `let x = x + 1` reads the outer x. */
    return kql_scope_add(b, scope, &entry, err);
}

fh_status kql_bind_lets(kql_binder *b, const kql_block *block, kql_scope *scope, fh_error *err)
{
    for (size_t i = 0; i < block->nlets; i++) {
        fh_status st = bind_let(b, &block->lets[i], scope, err);
        if (st != FH_OK)
            return st;
    }
    return FH_OK;
}

fh_status kql_bind_query(fh_kql_query *query, fh_error *err)
{
    kql_query *parsed = NULL;
    fh_status st =
        kql_parse_source(query->source, query->text, query->text_len, &query->arena, &parsed, err);
    if (st != FH_OK)
        return st;

    kql_binder b = {.query = query, .arena = &query->arena};
    b.fold.arena = &query->arena;
    b.fold.now_ticks = query->now_ticks;
    b.fold.err = err;
    kql_scope top = {0};
    st = kql_bind_lets(&b, &parsed->body, &top, err);
    if (st == FH_OK && parsed->body.result == NULL)
        st = fh_error_set(err, FH_ERR_PARSE, query->source, 1, 1,
                          "the query has no tabular expression after its let statements");
    if (st == FH_OK && !kql_bind_is_tabular(&b, parsed->body.result, &top))
        st = kql_bind_error(&b, parsed->body.result->loc, err, FH_ERR_TYPE,
                            "the query must end with a tabular expression, such as a table "
                            "name or a pipeline");
    if (st == FH_OK)
        st = kql_bind_tabular(&b, parsed->body.result, &top, &query->root, err);
    kql_func_ctx_release(&b.fold);
    return st;
}
