/*
 * Evaluation of compiled expressions, one row at a time. The binder (kql_bind.c) has already
 * resolved names to column indexes, looked functions up and folded constant `in` lists into
 * value sets, so this file only walks the tree. Function results and computed strings go to
 * the arena of the function context the caller passes in.
 */
#include <jansson.h>
#include <string.h>
#include <stdio.h>

#include "foxhound/limits.h"
#include "kql/kql_has_index.h"
#include "kql/kql_exec.h"

static fh_status locate(const kql_expr *expr, const kql_eval *ev, fh_error *err, fh_status st)
{
    if (err != NULL && err->line == 0) {
        err->line = expr->line;
        err->column = expr->column;
        if (err->source[0] == '\0' && ev->source != NULL)
            snprintf(err->source, sizeof err->source, "%s", ev->source);
    }
    return st;
}

static fh_status eval_call(const kql_expr *expr, kql_eval *ev, fh_value *out, fh_error *err)
{
    for (size_t i = 0; i < expr->nargs; i++) {
        fh_status st = kql_expr_eval(expr->args[i], ev, &expr->argv[i], err);
        if (st != FH_OK)
            return st;
    }
    ev->fctx->err = err;
    fh_status st = expr->func->call(ev->fctx, expr->argv, expr->nargs, out);
    if (st != FH_OK) {
        if (err != NULL && err->status == FH_OK)
            fh_error_set(err, st, NULL, 0, 0, "%s() failed", expr->func->name);
        return locate(expr, ev, err, st);
    }
    return FH_OK;
}

static fh_status eval_binop(const kql_expr *expr, kql_eval *ev, fh_value *out, fh_error *err)
{
    fh_value left, right;
    fh_status st = kql_expr_eval(expr->args[0], ev, &left, err);
    if (st != FH_OK)
        return st;

    /* and/or decide from the left side alone when they can. */
    if (expr->op == KQL_OP_AND && !left.is_null && left.type == FH_TYPE_BOOL && !left.u.b) {
        *out = fh_value_bool(false);
        return FH_OK;
    }
    if (expr->op == KQL_OP_OR && !left.is_null && left.type == FH_TYPE_BOOL && left.u.b) {
        *out = fh_value_bool(true);
        return FH_OK;
    }

    st = kql_expr_eval(expr->args[1], ev, &right, err);
    if (st != FH_OK)
        return st;
    ev->fctx->err = err;
    st = kql_binop_eval(ev->fctx, expr->op, &left, &right, out);
    if (st != FH_OK) {
        if (err != NULL && err->status == FH_OK)
            fh_error_set(err, st, NULL, 0, 0, "operator '%s' failed", kql_binop_name(expr->op));
        return locate(expr, ev, err, st);
    }
    return FH_OK;
}

static fh_status eval_negate(const kql_expr *expr, kql_eval *ev, fh_value *out, fh_error *err)
{
    fh_status st = kql_expr_eval(expr->args[0], ev, out, err);
    if (st != FH_OK || out->is_null)
        return st;
    switch (out->type) {
    case FH_TYPE_INT:
        out->u.i = out->u.i == INT32_MIN ? INT32_MIN : -out->u.i;
        break;
    case FH_TYPE_LONG:
        out->u.l = out->u.l == INT64_MIN ? INT64_MIN : -out->u.l;
        break;
    case FH_TYPE_REAL:
        out->u.r = -out->u.r;
        break;
    case FH_TYPE_TIMESPAN:
        out->u.ticks = out->u.ticks == INT64_MIN ? INT64_MIN : -out->u.ticks;
        break;
    default:
        fh_error_set(err, FH_ERR_TYPE, NULL, 0, 0, "unary '-' cannot apply to a %s value",
                     fh_type_name(out->type));
        return locate(expr, ev, err, FH_ERR_TYPE);
    }
    return FH_OK;
}

/* Searches a dynamic value for v, flattening nested arrays. */
static bool json_contains(json_t *json, const fh_value *v, bool nocase, fh_arena *arena,
                          unsigned depth)
{
    if (depth > FH_MAX_JSON_DEPTH)
        return false;
    if (json_is_array(json)) {
        for (size_t i = 0; i < json_array_size(json); i++) {
            if (json_contains(json_array_get(json, i), v, nocase, arena, depth + 1))
                return true;
        }
        return false;
    }
    fh_value item;
    if (kql_value_from_json_element(json, arena, &item) != FH_OK)
        return false;
    return nocase ? fh_value_equal_nocase(&item, v) : fh_value_equal(&item, v);
}

/* Compares v with one runtime item of an `in` list (a scalar or a dynamic array). */
static bool in_item_matches(const fh_value *item, const fh_value *v, bool nocase, fh_arena *arena)
{
    if (item->type == FH_TYPE_DYNAMIC) {
        if (item->is_null || item->u.dyn == NULL)
            return false;
        return json_contains(item->u.dyn, v, nocase, arena, 0);
    }
    return nocase ? fh_value_equal_nocase(item, v) : fh_value_equal(item, v);
}

static fh_status eval_in(const kql_expr *expr, kql_eval *ev, fh_value *out, fh_error *err)
{
    fh_value v;
    fh_status st = kql_expr_eval(expr->args[0], ev, &v, err);
    if (st != FH_OK)
        return st;
    bool found = false;
    if (!v.is_null) {
        found = expr->set != NULL && kql_set_contains(expr->set, &v);
        for (size_t i = 1; i < expr->nargs && !found; i++) {
            fh_value item;
            st = kql_expr_eval(expr->args[i], ev, &item, err);
            if (st != FH_OK)
                return st;
            found = in_item_matches(&item, &v, expr->nocase, ev->fctx->arena);
        }
    }
    /* A null is in no list, so `!in` is true for it. */
    *out = fh_value_bool(expr->negate ? !found : found);
    return FH_OK;
}

static bool has_term(const fh_value *hay, const fh_value *term)
{
    if (term->type != FH_TYPE_STRING)
        return false;
    return kql_str_has(hay->u.s.ptr, hay->u.s.len, term->u.s.ptr, term->u.s.len, false);
}

/* Appends the string items of a dynamic array (flattened) to a temporary set. */
static fh_status collect_terms(kql_set *terms, const fh_value *item)
{
    if (item->type == FH_TYPE_STRING || item->type == FH_TYPE_DYNAMIC)
        return kql_set_add_flat(terms, item);
    return FH_OK;
}

static fh_status eval_has_any(const kql_expr *expr, kql_eval *ev, fh_value *out, fh_error *err)
{
    fh_value hay, text;
    fh_status st = kql_expr_eval(expr->args[0], ev, &hay, err);
    if (st != FH_OK)
        return st;
    /* has_any/has_all look for terms in the text form of the left side. */
    text = hay;
    if (hay.type != FH_TYPE_STRING) {
        const char *p;
        size_t n;
        if (fh_value_to_string(&hay, ev->fctx->arena, &p, &n) != FH_OK)
            return fh_error_set(err, FH_ERR_NOMEM, NULL, 0, 0, "out of memory in has_any");
        text = fh_value_string(p, n);
    }

    kql_set runtime;
    kql_set_init(&runtime, ev->fctx->arena, true, false);
    for (size_t i = 1; i < expr->nargs; i++) {
        fh_value item;
        st = kql_expr_eval(expr->args[i], ev, &item, err);
        if (st == FH_OK)
            st = collect_terms(&runtime, &item);
        if (st != FH_OK)
            return st;
    }

    const kql_set *sets[2] = {expr->set, &runtime};
    size_t total = 0, hits = 0;
    size_t first_set = 0;
    if (expr->has_index != NULL && text.type == FH_TYPE_STRING) {
        if (kql_has_index_any(expr->set, expr->has_index, text.u.s.ptr, text.u.s.len)) {
            *out = fh_value_bool(true);
            return FH_OK;
        }
        first_set = 1; /* the constant items are done; the runtime ones remain */
    }
    for (size_t s = first_set; s < 2; s++) {
        if (sets[s] == NULL)
            continue;
        for (size_t i = 0; i < sets[s]->count; i++) {
            total++;
            if (has_term(&text, &sets[s]->items[i])) {
                hits++;
                if (!expr->all) {
                    *out = fh_value_bool(true);
                    return FH_OK;
                }
            } else if (expr->all) {
                *out = fh_value_bool(false);
                return FH_OK;
            }
        }
    }
    *out = fh_value_bool(expr->all ? hits == total : false);
    return FH_OK;
}

static fh_status eval_between(const kql_expr *expr, kql_eval *ev, fh_value *out, fh_error *err)
{
    fh_value v, lo, hi, ge, le;
    fh_status st = kql_expr_eval(expr->args[0], ev, &v, err);
    if (st == FH_OK)
        st = kql_expr_eval(expr->args[1], ev, &lo, err);
    if (st == FH_OK)
        st = kql_expr_eval(expr->args[2], ev, &hi, err);
    if (st != FH_OK)
        return st;

    /* `datetime between (d .. 1d)` means d .. d + 1d. */
    if (lo.type == FH_TYPE_DATETIME && hi.type == FH_TYPE_TIMESPAN) {
        fh_value end;
        ev->fctx->err = err;
        st = kql_binop_eval(ev->fctx, KQL_OP_ADD, &lo, &hi, &end);
        if (st != FH_OK)
            return locate(expr, ev, err, st);
        hi = end;
    }
    ev->fctx->err = err;
    st = kql_binop_eval(ev->fctx, KQL_OP_GE, &v, &lo, &ge);
    if (st == FH_OK)
        st = kql_binop_eval(ev->fctx, KQL_OP_LE, &v, &hi, &le);
    if (st != FH_OK)
        return locate(expr, ev, err, st);
    if (ge.is_null || le.is_null) {
        *out = fh_value_null(FH_TYPE_BOOL);
        return FH_OK;
    }
    bool inside = ge.u.b && le.u.b;
    *out = fh_value_bool(expr->negate ? !inside : inside);
    return FH_OK;
}

static fh_status json_to_dynamic(json_t *json, kql_eval *ev, fh_value *out)
{
    *out = fh_value_null(FH_TYPE_DYNAMIC);
    if (json == NULL || json_is_null(json))
        return FH_OK;
    out->is_null = false;
    out->u.dyn = json_incref(json);
    return fh_arena_adopt_json(ev->fctx->arena, json);
}

static fh_status eval_member(const kql_expr *expr, kql_eval *ev, fh_value *out, fh_error *err)
{
    fh_value base;
    fh_status st = kql_expr_eval(expr->args[0], ev, &base, err);
    if (st != FH_OK)
        return st;
    json_t *found = NULL;
    if (base.type == FH_TYPE_DYNAMIC && !base.is_null && json_is_object(base.u.dyn))
        found = json_object_getn(base.u.dyn, expr->name, expr->name_len);
    return json_to_dynamic(found, ev, out);
}

static fh_status eval_index(const kql_expr *expr, kql_eval *ev, fh_value *out, fh_error *err)
{
    fh_value base, index;
    fh_status st = kql_expr_eval(expr->args[0], ev, &base, err);
    if (st == FH_OK)
        st = kql_expr_eval(expr->args[1], ev, &index, err);
    if (st != FH_OK)
        return st;
    json_t *found = NULL;
    if (base.type != FH_TYPE_DYNAMIC || base.is_null || index.is_null)
        return json_to_dynamic(NULL, ev, out);

    if (index.type == FH_TYPE_STRING && json_is_object(base.u.dyn)) {
        found = json_object_getn(base.u.dyn, index.u.s.ptr, index.u.s.len);
    } else if (json_is_array(base.u.dyn) &&
               (index.type == FH_TYPE_INT || index.type == FH_TYPE_LONG)) {
        int64_t i = index.type == FH_TYPE_INT ? index.u.i : index.u.l;
        int64_t n = (int64_t)json_array_size(base.u.dyn);
        if (i < 0)
            i += n; /* arr[-1] is the last element */
        if (i >= 0 && i < n)
            found = json_array_get(base.u.dyn, (size_t)i);
    }
    return json_to_dynamic(found, ev, out);
}

fh_status kql_expr_eval(const kql_expr *expr, kql_eval *ev, fh_value *out, fh_error *err)
{
    switch (expr->kind) {
    case KQL_EXPR_LITERAL:
        *out = expr->literal;
        return FH_OK;
    case KQL_EXPR_COLUMN:
        *out = ev->row[expr->column_index];
        return FH_OK;
    case KQL_EXPR_BINOP:
        return eval_binop(expr, ev, out, err);
    case KQL_EXPR_NEGATE:
        return eval_negate(expr, ev, out, err);
    case KQL_EXPR_CALL:
        return eval_call(expr, ev, out, err);
    case KQL_EXPR_IN:
        return eval_in(expr, ev, out, err);
    case KQL_EXPR_HAS_ANY:
        return eval_has_any(expr, ev, out, err);
    case KQL_EXPR_BETWEEN:
        return eval_between(expr, ev, out, err);
    case KQL_EXPR_MEMBER:
        return eval_member(expr, ev, out, err);
    case KQL_EXPR_INDEX:
        return eval_index(expr, ev, out, err);
    }
    return fh_error_set(err, FH_ERR_INTERNAL, ev->source, expr->line, expr->column,
                        "unknown expression kind %d", (int)expr->kind);
}

fh_status kql_expr_test(const kql_expr *expr, kql_eval *ev, bool *out, fh_error *err)
{
    fh_value v;
    fh_status st = kql_expr_eval(expr, ev, &v, err);
    *out = st == FH_OK && v.type == FH_TYPE_BOOL && !v.is_null && v.u.b;
    return st;
}

void kql_expr_columns(const kql_expr *expr, bool *need)
{
    if (expr == NULL)
        return;
    if (expr->kind == KQL_EXPR_COLUMN)
        need[expr->column_index] = true;
    for (size_t i = 0; i < expr->nargs; i++)
        kql_expr_columns(expr->args[i], need);
}

bool kql_expr_is_constant(const kql_expr *expr)
{
    if (expr->kind == KQL_EXPR_COLUMN)
        return false;
    for (size_t i = 0; i < expr->nargs; i++) {
        if (!kql_expr_is_constant(expr->args[i]))
            return false;
    }
    return true;
}
