/*
 * Logical and selection functions: iff/iif, case, coalesce, not, the empty and null tests,
 * max_of/min_of and gettype. Branches of different numeric types meet in a common type
 * (int and long give long, anything with real gives real).
 */
#include <math.h>
#include <string.h>

#include "foxhound/value_ops.h"
#include "kql/kql_func_impl.h"

/* Common type of two branch types; false when they do not meet. */
static bool common_type(fh_type a, fh_type b, fh_type *out)
{
    if (a == b) {
        *out = a;
        return true;
    }
    if (kql_type_is_number(a) && kql_type_is_number(b)) {
        *out = (a == FH_TYPE_REAL || b == FH_TYPE_REAL) ? FH_TYPE_REAL : FH_TYPE_LONG;
        return true;
    }
    return false;
}

/* Common type of types[first], types[first + step], ... up to the last index. */
static fh_status common_of(const char *fname, const fh_type *types, size_t first, size_t step,
                           size_t nargs, fh_type *out, fh_error *err)
{
    fh_type acc = types[first];
    for (size_t i = first + step; i < nargs; i += step) {
        if (!common_type(acc, types[i], &acc))
            return fh_error_set(err, FH_ERR_TYPE, NULL, 0, 0,
                                "%s() expects results of one type, got %s and %s", fname,
                                fh_type_name(acc), fh_type_name(types[i]));
    }
    *out = acc;
    return FH_OK;
}

/* Converts a number to the common numeric type; other values pass through. */
static fh_value to_common(const fh_value *v, fh_type type)
{
    if (v->type == type || !kql_type_is_number(type) || !kql_type_is_number(v->type))
        return *v;
    if (v->is_null)
        return fh_value_null(type);
    if (type == FH_TYPE_LONG)
        return fh_value_long(v->type == FH_TYPE_INT ? v->u.i : v->u.l);
    if (v->type == FH_TYPE_INT)
        return fh_value_real(v->u.i);
    return fh_value_real(v->type == FH_TYPE_LONG ? (double)v->u.l : v->u.r);
}

/* Runtime common type of the given values (same rule as planning). */
static fh_type runtime_common(const fh_value *args, size_t first, size_t step, size_t nargs)
{
    fh_type acc = (fh_type)args[first].type;
    for (size_t i = first + step; i < nargs; i += step)
        common_type(acc, (fh_type)args[i].type, &acc);
    return acc;
}

/* Reads a condition: true only for a non-null true bool (or dynamic true). */
static bool is_true(const fh_value *v)
{
    if (v->is_null)
        return false;
    if (v->type == FH_TYPE_BOOL)
        return v->u.b;
    return v->type == FH_TYPE_DYNAMIC && v->u.dyn != NULL && json_is_true(v->u.dyn);
}

static fh_status fn_iff(kql_func_ctx *ctx, const fh_value *args, size_t nargs, fh_value *out)
{
    fh_type type = runtime_common(args, 1, 1, 3);
    *out = to_common(is_true(&args[0]) ? &args[1] : &args[2], type);
    return FH_OK;
}

static fh_status type_iff(const fh_type *types, const bool *is_literal, const fh_value *literals,
                          size_t nargs, fh_type *out, fh_error *err)
{
    if (types[0] != FH_TYPE_BOOL && types[0] != FH_TYPE_DYNAMIC)
        return fh_error_set(err, FH_ERR_TYPE, NULL, 0, 0,
                            "iff() expects a bool as argument 1, got %s", fh_type_name(types[0]));
    return common_of("iff", types, 1, 1, nargs, out, err);
}

/* case(c1, v1, c2, v2, ..., else): the value after the first true condition. */
static fh_status fn_case(kql_func_ctx *ctx, const fh_value *args, size_t nargs, fh_value *out)
{
    fh_type type = runtime_common(args, 1, 2, nargs);
    common_type(type, (fh_type)args[nargs - 1].type, &type);
    for (size_t i = 0; i + 1 < nargs; i += 2) {
        if (is_true(&args[i])) {
            *out = to_common(&args[i + 1], type);
            return FH_OK;
        }
    }
    *out = to_common(&args[nargs - 1], type);
    return FH_OK;
}

static fh_status type_case(const fh_type *types, const bool *is_literal, const fh_value *literals,
                           size_t nargs, fh_type *out, fh_error *err)
{
    if (nargs % 2 == 0)
        return fh_error_set(err, FH_ERR_TYPE, NULL, 0, 0,
                            "case() expects condition/value pairs and a final else value, got "
                            "%zu arguments",
                            nargs);
    for (size_t i = 0; i + 1 < nargs; i += 2) {
        if (types[i] != FH_TYPE_BOOL && types[i] != FH_TYPE_DYNAMIC)
            return fh_error_set(err, FH_ERR_TYPE, NULL, 0, 0,
                                "case() expects a bool as argument %zu, got %s", i + 1,
                                fh_type_name(types[i]));
    }
    fh_type values = FH_TYPE_DYNAMIC; /* set by common_of; initialised for GCC -O3 */
    fh_status st = common_of("case", types, 1, 2, nargs, &values, err);
    if (st == FH_OK && !common_type(values, types[nargs - 1], out))
        st = fh_error_set(err, FH_ERR_TYPE, NULL, 0, 0,
                          "case() expects results of one type, got %s and %s", fh_type_name(values),
                          fh_type_name(types[nargs - 1]));
    return st;
}

/* Empty means "" for strings, null for other types, and JSON null or "" for dynamic. */
static bool value_is_empty(const fh_value *v)
{
    if (v->type == FH_TYPE_STRING)
        return v->u.s.len == 0;
    if (v->is_null)
        return true;
    if (v->type == FH_TYPE_DYNAMIC)
        return v->u.dyn == NULL || json_is_null(v->u.dyn) ||
               (json_is_string(v->u.dyn) && json_string_length(v->u.dyn) == 0);
    return false;
}

static bool value_is_null(const fh_value *v)
{
    if (v->type == FH_TYPE_STRING)
        return false;
    if (v->type == FH_TYPE_DYNAMIC)
        return v->is_null || v->u.dyn == NULL || json_is_null(v->u.dyn);
    return v->is_null;
}

static fh_status fn_coalesce(kql_func_ctx *ctx, const fh_value *args, size_t nargs, fh_value *out)
{
    fh_type type = runtime_common(args, 0, 1, nargs);
    for (size_t i = 0; i < nargs; i++) {
        if (!value_is_empty(&args[i])) {
            *out = to_common(&args[i], type);
            return FH_OK;
        }
    }
    *out = to_common(&args[nargs - 1], type);
    return FH_OK;
}

static fh_status type_coalesce(const fh_type *types, const bool *is_literal,
                               const fh_value *literals, size_t nargs, fh_type *out, fh_error *err)
{
    return common_of("coalesce", types, 0, 1, nargs, out, err);
}

static fh_status fn_isempty(kql_func_ctx *ctx, const fh_value *args, size_t nargs, fh_value *out)
{
    *out = fh_value_bool(value_is_empty(&args[0]));
    return FH_OK;
}

static fh_status fn_isnotempty(kql_func_ctx *ctx, const fh_value *args, size_t nargs, fh_value *out)
{
    *out = fh_value_bool(!value_is_empty(&args[0]));
    return FH_OK;
}

static fh_status fn_isnull(kql_func_ctx *ctx, const fh_value *args, size_t nargs, fh_value *out)
{
    *out = fh_value_bool(value_is_null(&args[0]));
    return FH_OK;
}

static fh_status fn_isnotnull(kql_func_ctx *ctx, const fh_value *args, size_t nargs, fh_value *out)
{
    *out = fh_value_bool(!value_is_null(&args[0]));
    return FH_OK;
}

static fh_status fn_not(kql_func_ctx *ctx, const fh_value *args, size_t nargs, fh_value *out)
{
    const fh_value *v = &args[0];
    if (value_is_null(v)) {
        *out = fh_value_null(FH_TYPE_BOOL);
        return FH_OK;
    }
    if (v->type == FH_TYPE_DYNAMIC && json_is_boolean(v->u.dyn)) {
        *out = fh_value_bool(!json_is_true(v->u.dyn));
        return FH_OK;
    }
    if (v->type != FH_TYPE_BOOL)
        return kql_arg_type_error(ctx, "not", 0, "a bool", v);
    *out = fh_value_bool(!v->u.b);
    return FH_OK;
}

/* max_of()/min_of() ignore null arguments; all null gives null. */
static fh_status extreme_of(kql_func_ctx *ctx, const fh_value *args, size_t nargs, bool want_max,
                            fh_value *out)
{
    fh_type type = runtime_common(args, 0, 1, nargs);
    *out = fh_value_null(type);
    bool have = false;
    for (size_t i = 0; i < nargs; i++) {
        fh_value v = to_common(&args[i], type);
        if (value_is_null(&v))
            continue;
        int c = have ? fh_value_compare(&v, out) : 0;
        if (!have || (want_max ? c > 0 : c < 0))
            *out = v;
        have = true;
    }
    return FH_OK;
}

static fh_status fn_max_of(kql_func_ctx *ctx, const fh_value *args, size_t nargs, fh_value *out)
{
    return extreme_of(ctx, args, nargs, true, out);
}

static fh_status fn_min_of(kql_func_ctx *ctx, const fh_value *args, size_t nargs, fh_value *out)
{
    return extreme_of(ctx, args, nargs, false, out);
}

static fh_status type_max_of(const fh_type *types, const bool *is_literal, const fh_value *literals,
                             size_t nargs, fh_type *out, fh_error *err)
{
    return common_of("max_of", types, 0, 1, nargs, out, err);
}

static fh_status type_min_of(const fh_type *types, const bool *is_literal, const fh_value *literals,
                             size_t nargs, fh_type *out, fh_error *err)
{
    return common_of("min_of", types, 0, 1, nargs, out, err);
}

/* gettype(): the Kusto type name; a dynamic value reports what it holds. */
static const char *json_type_name(const json_t *json)
{
    switch (json_typeof(json)) {
    case JSON_OBJECT:
        return "dictionary";
    case JSON_ARRAY:
        return "array";
    case JSON_STRING:
        return "string";
    case JSON_INTEGER:
        return "long";
    case JSON_REAL:
        return "real";
    case JSON_TRUE:
    case JSON_FALSE:
        return "bool";
    default:
        return "null";
    }
}

static fh_status fn_gettype(kql_func_ctx *ctx, const fh_value *args, size_t nargs, fh_value *out)
{
    const fh_value *v = &args[0];
    const char *name;
    if (v->type == FH_TYPE_DYNAMIC)
        name = v->u.dyn == NULL ? "null" : json_type_name(v->u.dyn);
    else
        name = fh_type_name((fh_type)v->type);
    return kql_result_string(out, name, strlen(name));
}

KQL_TYPE_FIXED(type_isempty, "isempty", "a", FH_TYPE_BOOL)
KQL_TYPE_FIXED(type_isnotempty, "isnotempty", "a", FH_TYPE_BOOL)
KQL_TYPE_FIXED(type_isnull, "isnull", "a", FH_TYPE_BOOL)
KQL_TYPE_FIXED(type_isnotnull, "isnotnull", "a", FH_TYPE_BOOL)
KQL_TYPE_FIXED(type_gettype, "gettype", "a", FH_TYPE_STRING)

static fh_status type_not(const fh_type *types, const bool *is_literal, const fh_value *literals,
                          size_t nargs, fh_type *out, fh_error *err)
{
    *out = FH_TYPE_BOOL;
    if (types[0] == FH_TYPE_BOOL || types[0] == FH_TYPE_DYNAMIC)
        return FH_OK;
    return fh_error_set(err, FH_ERR_TYPE, NULL, 0, 0, "not() expects a bool argument, got %s",
                        fh_type_name(types[0]));
}

static const kql_func_def defs[] = {
    {"iff", 3, 3, fn_iff, type_iff},
    {"iif", 3, 3, fn_iff, type_iff},
    {"case", 3, -1, fn_case, type_case},
    {"coalesce", 2, 64, fn_coalesce, type_coalesce},
    {"isempty", 1, 1, fn_isempty, type_isempty},
    {"isnotempty", 1, 1, fn_isnotempty, type_isnotempty},
    {"notempty", 1, 1, fn_isnotempty, type_isnotempty},
    {"isnull", 1, 1, fn_isnull, type_isnull},
    {"isnotnull", 1, 1, fn_isnotnull, type_isnotnull},
    {"notnull", 1, 1, fn_isnotnull, type_isnotnull},
    {"not", 1, 1, fn_not, type_not},
    {"max_of", 1, 64, fn_max_of, type_max_of},
    {"min_of", 1, 64, fn_min_of, type_min_of},
    {"gettype", 1, 1, fn_gettype, type_gettype},
};

const kql_func_family kql_func_logic = {defs, sizeof defs / sizeof defs[0]};
