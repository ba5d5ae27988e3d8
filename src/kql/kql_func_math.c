/*
 * Math functions: abs, sign, round, floor/bin, bin_at, ceiling, logarithms, exp, pow, sqrt,
 * isnan/isfinite/isinf. bin() and bin_at() also round datetimes and timespans down to a
 * multiple of a timespan; datetimes bin relative to 0001-01-01, as Kusto's do.
 */
#include <math.h>

#include "kql/kql_func_impl.h"

/* .NET ticks of 1970-01-01; datetime bins count from 0001-01-01. */
#define DOTNET_EPOCH_TICKS 621355968000000000LL

static double number_of(const fh_value *v)
{
    if (v->type == FH_TYPE_INT)
        return v->u.i;
    if (v->type == FH_TYPE_LONG)
        return (double)v->u.l;
    return v->u.r;
}

/* Applies f to one real argument; null in, null out. Non-finite inputs pass through. */
static fh_status real_unary(kql_func_ctx *ctx, const char *fname, const fh_value *args,
                            double (*f)(double), bool positive_only, fh_value *out)
{
    double x;
    bool is_null;
    fh_status st = kql_arg_real(ctx, fname, args, 0, &x, &is_null);
    if (st != FH_OK)
        return st;
    if (is_null || (positive_only && !(x > 0)))
        *out = fh_value_null(FH_TYPE_REAL);
    else
        *out = fh_value_real(f(x));
    return FH_OK;
}

static fh_status fn_log(kql_func_ctx *ctx, const fh_value *args, size_t nargs, fh_value *out)
{
    return real_unary(ctx, "log", args, log, true, out);
}

static fh_status fn_log10(kql_func_ctx *ctx, const fh_value *args, size_t nargs, fh_value *out)
{
    return real_unary(ctx, "log10", args, log10, true, out);
}

static fh_status fn_log2(kql_func_ctx *ctx, const fh_value *args, size_t nargs, fh_value *out)
{
    return real_unary(ctx, "log2", args, log2, true, out);
}

static fh_status fn_exp(kql_func_ctx *ctx, const fh_value *args, size_t nargs, fh_value *out)
{
    return real_unary(ctx, "exp", args, exp, false, out);
}

static fh_status fn_exp2(kql_func_ctx *ctx, const fh_value *args, size_t nargs, fh_value *out)
{
    return real_unary(ctx, "exp2", args, exp2, false, out);
}

static fh_status fn_exp10(kql_func_ctx *ctx, const fh_value *args, size_t nargs, fh_value *out)
{
    return real_unary(ctx, "exp10", args, exp10, false, out);
}

/* sqrt() of a negative number is null. */
static fh_status fn_sqrt(kql_func_ctx *ctx, const fh_value *args, size_t nargs, fh_value *out)
{
    double x;
    bool is_null;
    fh_status st = kql_arg_real(ctx, "sqrt", args, 0, &x, &is_null);
    if (st == FH_OK)
        *out = is_null || x < 0 ? fh_value_null(FH_TYPE_REAL) : fh_value_real(sqrt(x));
    return st;
}

static fh_status fn_pow(kql_func_ctx *ctx, const fh_value *args, size_t nargs, fh_value *out)
{
    double b, e;
    bool b_null, e_null;
    fh_status st = kql_arg_real(ctx, "pow", args, 0, &b, &b_null);
    if (st == FH_OK)
        st = kql_arg_real(ctx, "pow", args, 1, &e, &e_null);
    if (st == FH_OK)
        *out = b_null || e_null ? fh_value_null(FH_TYPE_REAL) : fh_value_real(pow(b, e));
    return st;
}

static fh_status fn_abs(kql_func_ctx *ctx, const fh_value *args, size_t nargs, fh_value *out)
{
    const fh_value *v = &args[0];
    *out = *v;
    if (v->is_null)
        return FH_OK;
    switch (v->type) {
    case FH_TYPE_INT:
        *out = v->u.i == INT32_MIN ? fh_value_null(FH_TYPE_INT) : fh_value_int(abs(v->u.i));
        return FH_OK;
    case FH_TYPE_LONG:
        *out = v->u.l == INT64_MIN ? fh_value_null(FH_TYPE_LONG) : fh_value_long(llabs(v->u.l));
        return FH_OK;
    case FH_TYPE_REAL:
        out->u.r = fabs(v->u.r);
        return FH_OK;
    case FH_TYPE_TIMESPAN:
        *out = v->u.ticks == INT64_MIN ? fh_value_null(FH_TYPE_TIMESPAN)
                                       : fh_value_timespan(llabs(v->u.ticks));
        return FH_OK;
    default:
        return kql_arg_type_error(ctx, "abs", 0, "a number or timespan", v);
    }
}

static fh_status type_abs(const fh_type *types, const bool *is_literal, const fh_value *literals,
                          size_t nargs, fh_type *out, fh_error *err)
{
    *out = types[0];
    if (kql_type_is_number(types[0]) || types[0] == FH_TYPE_TIMESPAN)
        return FH_OK;
    return fh_error_set(err, FH_ERR_TYPE, NULL, 0, 0,
                        "abs() expects a number or timespan argument, got %s",
                        fh_type_name(types[0]));
}

static fh_status fn_sign(kql_func_ctx *ctx, const fh_value *args, size_t nargs, fh_value *out)
{
    double x;
    bool is_null;
    fh_status st = kql_arg_real(ctx, "sign", args, 0, &x, &is_null);
    if (st == FH_OK)
        *out = is_null ? fh_value_null(FH_TYPE_REAL) : fh_value_real((x > 0) - (x < 0));
    return st;
}

/*
 * round(x[, precision]) rounds half away from zero at 10^-precision: round(2.15, 1) is 2.2
 * and round(-50.55, -2) is -100, as in Kusto's documentation.
 */
static fh_status fn_round(kql_func_ctx *ctx, const fh_value *args, size_t nargs, fh_value *out)
{
    double x;
    int64_t digits = 0;
    bool x_null, d_null = false;
    fh_status st = kql_arg_real(ctx, "round", args, 0, &x, &x_null);
    if (st == FH_OK && nargs > 1)
        st = kql_arg_long(ctx, "round", args, 1, &digits, &d_null);
    if (st != FH_OK)
        return st;
    if (x_null || d_null) {
        *out = fh_value_null(FH_TYPE_REAL);
        return FH_OK;
    }
    if (digits > 15)
        digits = 15;
    if (digits < -15)
        digits = -15;
    double scale = pow(10.0, (double)digits);
    *out = fh_value_real(round(x * scale) / scale);
    return FH_OK;
}

static fh_status fn_ceiling(kql_func_ctx *ctx, const fh_value *args, size_t nargs, fh_value *out)
{
    const fh_value *v = &args[0];
    if (kql_type_is_integer(v->type)) {
        *out = *v;
        return FH_OK;
    }
    return real_unary(ctx, "ceiling", args, ceil, false, out);
}

static fh_status type_ceiling(const fh_type *types, const bool *is_literal,
                              const fh_value *literals, size_t nargs, fh_type *out, fh_error *err)
{
    *out = types[0];
    return kql_check_signature("ceiling", "n", types, nargs, err);
}

/* ---- bin ---- */

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        q--;
    return q;
}

/* Rounds value down to a multiple of size counted from origin; *ok false on overflow. */
/* The value of an int or long as a 64-bit integer. */
static int64_t integer_value(const fh_value *v)
{
    return v->type == FH_TYPE_INT ? v->u.i : v->u.l;
}

static int64_t bin_ticks(int64_t value, int64_t size, int64_t origin, bool *ok)
{
    int64_t shifted, binned, result;
    *ok = !__builtin_sub_overflow(value, origin, &shifted);
    if (!*ok)
        return 0;
    *ok = !__builtin_mul_overflow(floor_div(shifted, size), size, &binned) &&
          !__builtin_add_overflow(binned, origin, &result);
    return *ok ? result : 0;
}

static fh_value bin_value(const fh_value *v, const fh_value *size, const fh_value *fixed)
{
    fh_type type = (fh_type)v->type;
    if (type == FH_TYPE_INT)
        type = FH_TYPE_LONG;
    if (v->is_null || size->is_null || (fixed && fixed->is_null))
        return fh_value_null(type);

    if (type == FH_TYPE_DATETIME || type == FH_TYPE_TIMESPAN) {
        int64_t origin = fixed                      ? fixed->u.ticks
                         : type == FH_TYPE_DATETIME ? -DOTNET_EPOCH_TICKS
                                                    : 0;
        bool ok = size->type == FH_TYPE_TIMESPAN && size->u.ticks > 0;
        int64_t ticks = ok ? bin_ticks(v->u.ticks, size->u.ticks, origin, &ok) : 0;
        if (!ok)
            return fh_value_null(type);
        return type == FH_TYPE_DATETIME ? fh_value_datetime(ticks) : fh_value_timespan(ticks);
    }
    if (type == FH_TYPE_LONG && kql_type_is_integer(size->type)) {
        int64_t step = integer_value(size);
        int64_t origin = fixed != NULL ? integer_value(fixed) : 0;
        bool ok = step > 0;
        int64_t n = 0;
        if (ok)
            n = bin_ticks(integer_value(v), step, origin, &ok);
        return ok ? fh_value_long(n) : fh_value_null(FH_TYPE_LONG);
    }
    double x = number_of(v), step = number_of(size), origin = fixed ? number_of(fixed) : 0;
    if (!(step > 0))
        return fh_value_null(FH_TYPE_REAL);
    return fh_value_real(floor((x - origin) / step) * step + origin);
}

static fh_status fn_bin(kql_func_ctx *ctx, const fh_value *args, size_t nargs, fh_value *out)
{
    *out = bin_value(&args[0], &args[1], NULL);
    return FH_OK;
}

static fh_status fn_bin_at(kql_func_ctx *ctx, const fh_value *args, size_t nargs, fh_value *out)
{
    *out = bin_value(&args[0], &args[1], &args[2]);
    return FH_OK;
}

static fh_status bin_type(const char *fname, const fh_type *types, size_t nargs, fh_type *out,
                          fh_error *err)
{
    fh_type v = types[0], size = types[1];
    bool ok;
    if (v == FH_TYPE_DATETIME || v == FH_TYPE_TIMESPAN) {
        ok = size == FH_TYPE_TIMESPAN && (nargs < 3 || types[2] == v);
        *out = v;
    } else if (kql_type_is_number(v)) {
        ok = kql_type_is_number(size) && (nargs < 3 || kql_type_is_number(types[2]));
        bool integral = kql_type_is_integer(v) && kql_type_is_integer(size) &&
                        (nargs < 3 || kql_type_is_integer(types[2]));
        *out = integral ? FH_TYPE_LONG : FH_TYPE_REAL;
    } else {
        ok = false;
    }
    if (ok)
        return FH_OK;
    return fh_error_set(err, FH_ERR_TYPE, NULL, 0, 0,
                        "%s() expects a number with a number bin size, or a datetime or "
                        "timespan with a timespan bin size; got %s and %s",
                        fname, fh_type_name(v), fh_type_name(size));
}

static fh_status type_bin(const fh_type *types, const bool *is_literal, const fh_value *literals,
                          size_t nargs, fh_type *out, fh_error *err)
{
    return bin_type("bin", types, nargs, out, err);
}

static fh_status type_floor(const fh_type *types, const bool *is_literal, const fh_value *literals,
                            size_t nargs, fh_type *out, fh_error *err)
{
    return bin_type("floor", types, nargs, out, err);
}

static fh_status type_bin_at(const fh_type *types, const bool *is_literal, const fh_value *literals,
                             size_t nargs, fh_type *out, fh_error *err)
{
    return bin_type("bin_at", types, nargs, out, err);
}

/* ---- classification ---- */

static fh_status classify(kql_func_ctx *ctx, const char *fname, const fh_value *args, int which,
                          fh_value *out)
{
    double x;
    bool is_null;
    fh_status st = kql_arg_real(ctx, fname, args, 0, &x, &is_null);
    if (st != FH_OK)
        return st;
    if (is_null)
        *out = fh_value_null(FH_TYPE_BOOL);
    else if (which == 0)
        *out = fh_value_bool(isnan(x));
    else if (which == 1)
        *out = fh_value_bool(isfinite(x));
    else
        *out = fh_value_bool(isinf(x));
    return FH_OK;
}

static fh_status fn_isnan(kql_func_ctx *ctx, const fh_value *args, size_t nargs, fh_value *out)
{
    return classify(ctx, "isnan", args, 0, out);
}

static fh_status fn_isfinite(kql_func_ctx *ctx, const fh_value *args, size_t nargs, fh_value *out)
{
    return classify(ctx, "isfinite", args, 1, out);
}

static fh_status fn_isinf(kql_func_ctx *ctx, const fh_value *args, size_t nargs, fh_value *out)
{
    return classify(ctx, "isinf", args, 2, out);
}

KQL_TYPE_FIXED(type_log, "log", "n", FH_TYPE_REAL)
KQL_TYPE_FIXED(type_log10, "log10", "n", FH_TYPE_REAL)
KQL_TYPE_FIXED(type_log2, "log2", "n", FH_TYPE_REAL)
KQL_TYPE_FIXED(type_exp, "exp", "n", FH_TYPE_REAL)
KQL_TYPE_FIXED(type_exp2, "exp2", "n", FH_TYPE_REAL)
KQL_TYPE_FIXED(type_exp10, "exp10", "n", FH_TYPE_REAL)
KQL_TYPE_FIXED(type_sqrt, "sqrt", "n", FH_TYPE_REAL)
KQL_TYPE_FIXED(type_pow, "pow", "nn", FH_TYPE_REAL)
KQL_TYPE_FIXED(type_sign, "sign", "n", FH_TYPE_REAL)
KQL_TYPE_FIXED(type_round, "round", "ni", FH_TYPE_REAL)
KQL_TYPE_FIXED(type_isnan, "isnan", "n", FH_TYPE_BOOL)
KQL_TYPE_FIXED(type_isfinite, "isfinite", "n", FH_TYPE_BOOL)
KQL_TYPE_FIXED(type_isinf, "isinf", "n", FH_TYPE_BOOL)

static const kql_func_def defs[] = {
    {"abs", 1, 1, fn_abs, type_abs},
    {"sign", 1, 1, fn_sign, type_sign},
    {"round", 1, 2, fn_round, type_round},
    {"ceiling", 1, 1, fn_ceiling, type_ceiling},
    {"floor", 2, 2, fn_bin, type_floor},
    {"bin", 2, 2, fn_bin, type_bin},
    {"bin_at", 3, 3, fn_bin_at, type_bin_at},
    {"log", 1, 1, fn_log, type_log},
    {"log10", 1, 1, fn_log10, type_log10},
    {"log2", 1, 1, fn_log2, type_log2},
    {"exp", 1, 1, fn_exp, type_exp},
    {"exp2", 1, 1, fn_exp2, type_exp2},
    {"exp10", 1, 1, fn_exp10, type_exp10},
    {"pow", 2, 2, fn_pow, type_pow},
    {"sqrt", 1, 1, fn_sqrt, type_sqrt},
    {"isnan", 1, 1, fn_isnan, type_isnan},
    {"isfinite", 1, 1, fn_isfinite, type_isfinite},
    {"isinf", 1, 1, fn_isinf, type_isinf},
};

const kql_func_family kql_func_math = {defs, sizeof defs / sizeof defs[0]};
