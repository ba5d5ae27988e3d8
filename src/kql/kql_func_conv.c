/*
 * Conversion functions: tostring, toint, tolong, toreal/todouble, tobool, todatetime,
 * totimespan, todynamic/parse_json and toguid. A value that does not convert gives null
 * (tostring never fails and gives "" for null), as Kusto's conversions do.
 */
#include <math.h>
#include <string.h>

#include "foxhound/value_ops.h"
#include "kql/kql_func_impl.h"

/* .NET ticks of 1970-01-01: tolong(datetime) returns ticks since 0001-01-01 as Kusto does. */
#define DOTNET_EPOCH_TICKS 621355968000000000LL

/* Converts text or a dynamic value with the reader's rules; failures become null. */
static fh_status convert_loose(kql_func_ctx *ctx, const char *fname, fh_type type,
                               const fh_value *v, fh_value *out)
{
    fh_status st;
    if (v->type == FH_TYPE_STRING)
        st = fh_value_from_text(type, v->u.s.ptr, v->u.s.len, ctx->arena, out);
    else if (v->type == FH_TYPE_DYNAMIC && !v->is_null && v->u.dyn != NULL)
        st = fh_value_from_json(type, v->u.dyn, ctx->arena, out);
    else
        st = FH_ERR_INVALID;

    if (st == FH_ERR_NOMEM)
        return kql_nomem(ctx, fname);
    if (st != FH_OK)
        *out = fh_value_null(type);
    return FH_OK;
}

static fh_status fn_tostring(kql_func_ctx *ctx, const fh_value *args, size_t nargs, fh_value *out)
{
    const char *ptr;
    size_t len;
    fh_status st = kql_value_text(ctx, &args[0], &ptr, &len);
    if (st != FH_OK)
        return st;
    return kql_result_string(out, ptr, len);
}

/* Converts a value to a 64-bit integer; *ok is false when it does not convert. */
static fh_status to_long(kql_func_ctx *ctx, const char *fname, const fh_value *v, int64_t *out,
                         bool *ok)
{
    *ok = !v->is_null;
    switch (v->type) {
    case FH_TYPE_BOOL:
        *out = v->u.b;
        return FH_OK;
    case FH_TYPE_INT:
        *out = v->u.i;
        return FH_OK;
    case FH_TYPE_LONG:
        *out = v->u.l;
        return FH_OK;
    case FH_TYPE_REAL:
        *ok = *ok && isfinite(v->u.r) && fabs(v->u.r) < 9.2e18;
        *out = *ok ? (int64_t)v->u.r : 0;
        return FH_OK;
    case FH_TYPE_DATETIME:
        *out = v->u.ticks + DOTNET_EPOCH_TICKS;
        return FH_OK;
    case FH_TYPE_TIMESPAN:
        *out = v->u.ticks;
        return FH_OK;
    default: {
        fh_value conv;
        fh_status st = convert_loose(ctx, fname, FH_TYPE_LONG, v, &conv);
        *ok = st == FH_OK && !conv.is_null;
        *out = *ok ? conv.u.l : 0;
        return st;
    }
    }
}

static fh_status fn_tolong(kql_func_ctx *ctx, const fh_value *args, size_t nargs, fh_value *out)
{
    int64_t n;
    bool ok;
    fh_status st = to_long(ctx, "tolong", &args[0], &n, &ok);
    *out = ok ? fh_value_long(n) : fh_value_null(FH_TYPE_LONG);
    return st;
}

static fh_status fn_toint(kql_func_ctx *ctx, const fh_value *args, size_t nargs, fh_value *out)
{
    int64_t n;
    bool ok;
    fh_status st = to_long(ctx, "toint", &args[0], &n, &ok);
    ok = ok && args[0].type != FH_TYPE_DATETIME && n >= INT32_MIN && n <= INT32_MAX;
    *out = ok ? fh_value_int((int32_t)n) : fh_value_null(FH_TYPE_INT);
    return st;
}

static fh_status fn_toreal(kql_func_ctx *ctx, const fh_value *args, size_t nargs, fh_value *out)
{
    const fh_value *v = &args[0];
    if (v->is_null) {
        *out = fh_value_null(FH_TYPE_REAL);
        return FH_OK;
    }
    switch (v->type) {
    case FH_TYPE_BOOL:
        *out = fh_value_real(v->u.b ? 1.0 : 0.0);
        return FH_OK;
    case FH_TYPE_INT:
        *out = fh_value_real(v->u.i);
        return FH_OK;
    case FH_TYPE_LONG:
        *out = fh_value_real((double)v->u.l);
        return FH_OK;
    case FH_TYPE_REAL:
        *out = *v;
        return FH_OK;
    case FH_TYPE_TIMESPAN:
        *out = fh_value_real((double)v->u.ticks);
        return FH_OK;
    default:
        return convert_loose(ctx, "toreal", FH_TYPE_REAL, v, out);
    }
}

static fh_status fn_tobool(kql_func_ctx *ctx, const fh_value *args, size_t nargs, fh_value *out)
{
    const fh_value *v = &args[0];
    if (v->is_null) {
        *out = fh_value_null(FH_TYPE_BOOL);
        return FH_OK;
    }
    switch (v->type) {
    case FH_TYPE_BOOL:
        *out = *v;
        return FH_OK;
    case FH_TYPE_INT:
        *out = fh_value_bool(v->u.i != 0);
        return FH_OK;
    case FH_TYPE_LONG:
        *out = fh_value_bool(v->u.l != 0);
        return FH_OK;
    case FH_TYPE_REAL:
        *out = fh_value_bool(v->u.r != 0);
        return FH_OK;
    case FH_TYPE_STRING:
    case FH_TYPE_DYNAMIC:
        return convert_loose(ctx, "tobool", FH_TYPE_BOOL, v, out);
    default:
        *out = fh_value_null(FH_TYPE_BOOL);
        return FH_OK;
    }
}

/* Conversions whose only sources are the type itself, text and dynamic. */
static fh_status convert_same_or_text(kql_func_ctx *ctx, const char *fname, fh_type type,
                                      const fh_value *v, fh_value *out)
{
    if (v->type == type) {
        *out = *v;
        return FH_OK;
    }
    if (v->type == FH_TYPE_STRING || v->type == FH_TYPE_DYNAMIC)
        return convert_loose(ctx, fname, type, v, out);
    *out = fh_value_null(type);
    return FH_OK;
}

static fh_status fn_todatetime(kql_func_ctx *ctx, const fh_value *args, size_t nargs, fh_value *out)
{
    return convert_same_or_text(ctx, "todatetime", FH_TYPE_DATETIME, &args[0], out);
}

static fh_status fn_totimespan(kql_func_ctx *ctx, const fh_value *args, size_t nargs, fh_value *out)
{
    return convert_same_or_text(ctx, "totimespan", FH_TYPE_TIMESPAN, &args[0], out);
}

static fh_status fn_toguid(kql_func_ctx *ctx, const fh_value *args, size_t nargs, fh_value *out)
{
    return convert_same_or_text(ctx, "toguid", FH_TYPE_GUID, &args[0], out);
}

/*
 * parse_json(): a string is parsed as JSON; text that is not valid JSON becomes a dynamic
 * string holding the text, as Kusto does. Other types become their JSON form.
 */
static fh_status fn_parse_json(kql_func_ctx *ctx, const fh_value *args, size_t nargs, fh_value *out)
{
    const fh_value *v = &args[0];
    if (v->type == FH_TYPE_DYNAMIC) {
        *out = *v;
        return FH_OK;
    }
    json_t *json;
    if (v->type == FH_TYPE_STRING) {
        if (v->u.s.len == 0) {
            *out = fh_value_null(FH_TYPE_DYNAMIC);
            return FH_OK;
        }
        json = json_loadb(v->u.s.ptr, v->u.s.len, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
        if (json == NULL)
            json = json_stringn(v->u.s.ptr, v->u.s.len);
    } else {
        json = fh_value_to_json(v);
    }
    return kql_result_json(ctx, json, out);
}

KQL_TYPE_FIXED(type_tostring, "tostring", "a", FH_TYPE_STRING)
KQL_TYPE_FIXED(type_toint, "toint", "a", FH_TYPE_INT)
KQL_TYPE_FIXED(type_tolong, "tolong", "a", FH_TYPE_LONG)
KQL_TYPE_FIXED(type_toreal, "toreal", "a", FH_TYPE_REAL)
KQL_TYPE_FIXED(type_todouble, "todouble", "a", FH_TYPE_REAL)
KQL_TYPE_FIXED(type_tobool, "tobool", "a", FH_TYPE_BOOL)
KQL_TYPE_FIXED(type_todatetime, "todatetime", "a", FH_TYPE_DATETIME)
KQL_TYPE_FIXED(type_totimespan, "totimespan", "a", FH_TYPE_TIMESPAN)
KQL_TYPE_FIXED(type_toguid, "toguid", "a", FH_TYPE_GUID)
KQL_TYPE_FIXED(type_parse_json, "parse_json", "a", FH_TYPE_DYNAMIC)
KQL_TYPE_FIXED(type_todynamic, "todynamic", "a", FH_TYPE_DYNAMIC)

static const kql_func_def defs[] = {
    {"tostring", 1, 1, fn_tostring, type_tostring},
    {"toint", 1, 1, fn_toint, type_toint},
    {"tolong", 1, 1, fn_tolong, type_tolong},
    {"toreal", 1, 1, fn_toreal, type_toreal},
    {"todouble", 1, 1, fn_toreal, type_todouble},
    {"tobool", 1, 1, fn_tobool, type_tobool},
    {"toboolean", 1, 1, fn_tobool, type_tobool},
    {"todatetime", 1, 1, fn_todatetime, type_todatetime},
    {"totimespan", 1, 1, fn_totimespan, type_totimespan},
    {"toguid", 1, 1, fn_toguid, type_toguid},
    {"parse_json", 1, 1, fn_parse_json, type_parse_json},
    {"todynamic", 1, 1, fn_parse_json, type_todynamic},
};

const kql_func_family kql_func_conversion = {defs, sizeof defs / sizeof defs[0]};
