/*
 * Argument access, signature checks and result construction shared by every scalar function
 * family. Type errors name the function, the argument and both types, so a query author can
 * fix the call (usually with tostring() or a to*() conversion).
 */
#include <math.h>
#include <string.h>

#include "foxhound/value_ops.h"
#include "kql/kql_func_impl.h"

static const char *param_description(char kind)
{
    switch (kind) {
    case 's':
        return "a string";
    case 'n':
        return "a number (int, long or real)";
    case 'i':
        return "an integer (int or long)";
    case 'b':
        return "a bool";
    case 'd':
        return "a datetime";
    case 't':
        return "a timespan";
    case 'y':
        return "a dynamic";
    case 'S':
        return "a string or dynamic";
    default:
        return "a value";
    }
}

static bool param_accepts(char kind, fh_type type)
{
    switch (kind) {
    case 's':
        return type == FH_TYPE_STRING;
    case 'n':
        return kql_type_is_number(type);
    case 'i':
        return kql_type_is_integer(type);
    case 'b':
        return type == FH_TYPE_BOOL;
    case 'd':
        return type == FH_TYPE_DATETIME;
    case 't':
        return type == FH_TYPE_TIMESPAN;
    case 'y':
        return type == FH_TYPE_DYNAMIC;
    case 'S':
        return type == FH_TYPE_STRING || type == FH_TYPE_DYNAMIC;
    default:
        return true;
    }
}

static fh_status report_mismatch(fh_error *err, const char *fname, size_t index, size_t nargs,
                                 const char *expected, fh_type got)
{
    if (nargs == 1)
        return fh_error_set(err, FH_ERR_TYPE, NULL, 0, 0, "%s() expects %s argument, got %s", fname,
                            expected, fh_type_name(got));
    return fh_error_set(err, FH_ERR_TYPE, NULL, 0, 0, "%s() expects %s as argument %zu, got %s",
                        fname, expected, index + 1, fh_type_name(got));
}

fh_status kql_check_signature(const char *fname, const char *params, const fh_type *types,
                              size_t nargs, fh_error *err)
{
    size_t nparams = strlen(params);
    bool repeat = nparams > 0 && params[nparams - 1] == '*';
    if (repeat)
        nparams--;

    for (size_t i = 0; i < nargs; i++) {
        char kind;
        if (i < nparams)
            kind = params[i];
        else if (repeat && nparams > 0)
            kind = params[nparams - 1];
        else
            return fh_error_set(err, FH_ERR_TYPE, NULL, 0, 0,
                                "%s() takes at most %zu arguments, got %zu", fname, nparams, nargs);
        if (!param_accepts(kind, types[i]))
            return report_mismatch(err, fname, i, nargs, param_description(kind), types[i]);
    }
    return FH_OK;
}

fh_status kql_arg_type_error(kql_func_ctx *ctx, const char *fname, size_t index,
                             const char *expected, const fh_value *got)
{
    return fh_error_set(ctx->err, FH_ERR_TYPE, NULL, 0, 0,
                        "%s() expects %s as argument %zu, got %s", fname, expected, index + 1,
                        fh_type_name((fh_type)got->type));
}

fh_status kql_arg_string(kql_func_ctx *ctx, const char *fname, const fh_value *args, size_t index,
                         const char **ptr, size_t *len)
{
    const fh_value *v = &args[index];
    if (v->type != FH_TYPE_STRING)
        return kql_arg_type_error(ctx, fname, index, "a string", v);
    *ptr = v->u.s.ptr;
    *len = v->u.s.len;
    return FH_OK;
}

fh_status kql_arg_long(kql_func_ctx *ctx, const char *fname, const fh_value *args, size_t index,
                       int64_t *out, bool *is_null)
{
    const fh_value *v = &args[index];
    *out = 0;
    *is_null = v->is_null;
    switch (v->type) {
    case FH_TYPE_INT:
        *out = v->is_null ? 0 : v->u.i;
        return FH_OK;
    case FH_TYPE_LONG:
        *out = v->is_null ? 0 : v->u.l;
        return FH_OK;
    case FH_TYPE_REAL:
        if (v->is_null || !isfinite(v->u.r) || fabs(v->u.r) >= 9.2e18)
            *is_null = true;
        else
            *out = (int64_t)v->u.r;
        return FH_OK;
    default:
        return kql_arg_type_error(ctx, fname, index, "a number", v);
    }
}

fh_status kql_arg_real(kql_func_ctx *ctx, const char *fname, const fh_value *args, size_t index,
                       double *out, bool *is_null)
{
    const fh_value *v = &args[index];
    *out = 0;
    *is_null = v->is_null;
    if (v->is_null && kql_type_is_number(v->type))
        return FH_OK;
    switch (v->type) {
    case FH_TYPE_INT:
        *out = v->u.i;
        return FH_OK;
    case FH_TYPE_LONG:
        *out = (double)v->u.l;
        return FH_OK;
    case FH_TYPE_REAL:
        *out = v->u.r;
        return FH_OK;
    default:
        return kql_arg_type_error(ctx, fname, index, "a number", v);
    }
}

fh_status kql_arg_ticks(kql_func_ctx *ctx, const char *fname, const fh_value *args, size_t index,
                        fh_type want, int64_t *out, bool *is_null)
{
    const fh_value *v = &args[index];
    if (v->type != want)
        return kql_arg_type_error(ctx, fname, index,
                                  want == FH_TYPE_DATETIME ? "a datetime" : "a timespan", v);
    *is_null = v->is_null;
    *out = v->is_null ? 0 : v->u.ticks;
    return FH_OK;
}

fh_status kql_arg_dynamic(kql_func_ctx *ctx, const char *fname, const fh_value *args, size_t index,
                          json_t **json)
{
    const fh_value *v = &args[index];
    if (v->type != FH_TYPE_DYNAMIC)
        return kql_arg_type_error(ctx, fname, index, "a dynamic", v);
    *json = v->is_null ? NULL : v->u.dyn;
    return FH_OK;
}

fh_status kql_nomem(kql_func_ctx *ctx, const char *fname)
{
    return fh_error_set(ctx->err, FH_ERR_NOMEM, NULL, 0, 0, "%s(): out of memory", fname);
}

void *kql_alloc(kql_func_ctx *ctx, size_t size)
{
    void *p = fh_arena_alloc(ctx->arena, size);
    if (p == NULL)
        fh_error_set(ctx->err, FH_ERR_NOMEM, NULL, 0, 0,
                     "out of memory allocating %zu bytes for a function result", size);
    return p;
}

fh_status kql_result_string(fh_value *out, const char *ptr, size_t len)
{
    *out = fh_value_string(ptr, len);
    return FH_OK;
}

fh_status kql_result_string_copy(kql_func_ctx *ctx, const char *ptr, size_t len, fh_value *out)
{
    if (len == 0)
        return kql_result_string(out, "", 0);
    char *copy = kql_alloc(ctx, len);
    if (copy == NULL)
        return FH_ERR_NOMEM;
    memcpy(copy, ptr, len);
    return kql_result_string(out, copy, len);
}

fh_status kql_result_json(kql_func_ctx *ctx, json_t *json, fh_value *out)
{
    if (json == NULL)
        return fh_error_set(ctx->err, FH_ERR_NOMEM, NULL, 0, 0,
                            "out of memory building a dynamic result");
    fh_status st = fh_arena_adopt_json(ctx->arena, json);
    if (st != FH_OK)
        return fh_error_set(ctx->err, st, NULL, 0, 0, "out of memory building a dynamic result");
    out->type = FH_TYPE_DYNAMIC;
    out->is_null = json_is_null(json);
    out->u.dyn = json;
    return FH_OK;
}

fh_status kql_value_text(kql_func_ctx *ctx, const fh_value *v, const char **ptr, size_t *len)
{
    if (v->type == FH_TYPE_STRING) {
        *ptr = v->u.s.ptr;
        *len = v->u.s.len;
        return FH_OK;
    }
    fh_status st = fh_value_to_string(v, ctx->arena, ptr, len);
    if (st != FH_OK)
        return fh_error_set(ctx->err, st, NULL, 0, 0, "converting a %s value to a string failed",
                            fh_type_name((fh_type)v->type));
    return FH_OK;
}
