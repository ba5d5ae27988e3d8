/*
 * Binary operators of KQL: arithmetic, comparison, string predicates, regex and `like`
 * matching, and the logical `and`/`or`, with Kusto's typing and null rules.
 *
 * Typing follows the numerical-operators page of the Kusto documentation: int and long
 * arithmetic gives long, anything with a real gives real, and the modulo of two numbers is
 * never negative (-14 % 12 is 10). Datetimes and timespans combine as time points and
 * durations. A dynamic operand of a comparison is converted to the other side's type first.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "foxhound/value_ops.h"
#include "kql/kql_func_impl.h"

static const char *const op_names[KQL_BINOP_COUNT] = {
    [KQL_OP_ADD] = "+",
    [KQL_OP_SUB] = "-",
    [KQL_OP_MUL] = "*",
    [KQL_OP_DIV] = "/",
    [KQL_OP_MOD] = "%",
    [KQL_OP_LT] = "<",
    [KQL_OP_LE] = "<=",
    [KQL_OP_GT] = ">",
    [KQL_OP_GE] = ">=",
    [KQL_OP_EQ] = "==",
    [KQL_OP_NE] = "!=",
    [KQL_OP_EQ_NOCASE] = "=~",
    [KQL_OP_NE_NOCASE] = "!~",
    [KQL_OP_HAS] = "has",
    [KQL_OP_NOT_HAS] = "!has",
    [KQL_OP_HAS_CS] = "has_cs",
    [KQL_OP_NOT_HAS_CS] = "!has_cs",
    [KQL_OP_HASPREFIX] = "hasprefix",
    [KQL_OP_NOT_HASPREFIX] = "!hasprefix",
    [KQL_OP_HASPREFIX_CS] = "hasprefix_cs",
    [KQL_OP_NOT_HASPREFIX_CS] = "!hasprefix_cs",
    [KQL_OP_HASSUFFIX] = "hassuffix",
    [KQL_OP_NOT_HASSUFFIX] = "!hassuffix",
    [KQL_OP_HASSUFFIX_CS] = "hassuffix_cs",
    [KQL_OP_NOT_HASSUFFIX_CS] = "!hassuffix_cs",
    [KQL_OP_CONTAINS] = "contains",
    [KQL_OP_NOT_CONTAINS] = "!contains",
    [KQL_OP_CONTAINS_CS] = "contains_cs",
    [KQL_OP_NOT_CONTAINS_CS] = "!contains_cs",
    [KQL_OP_STARTSWITH] = "startswith",
    [KQL_OP_NOT_STARTSWITH] = "!startswith",
    [KQL_OP_STARTSWITH_CS] = "startswith_cs",
    [KQL_OP_NOT_STARTSWITH_CS] = "!startswith_cs",
    [KQL_OP_ENDSWITH] = "endswith",
    [KQL_OP_NOT_ENDSWITH] = "!endswith",
    [KQL_OP_ENDSWITH_CS] = "endswith_cs",
    [KQL_OP_NOT_ENDSWITH_CS] = "!endswith_cs",
    [KQL_OP_MATCHES_REGEX] = "matches regex",
    [KQL_OP_LIKE] = "like",
    [KQL_OP_NOT_LIKE] = "notlike",
    [KQL_OP_LIKE_CS] = "likecs",
    [KQL_OP_NOT_LIKE_CS] = "notlikecs",
    [KQL_OP_AND] = "and",
    [KQL_OP_OR] = "or",
};

const char *kql_binop_name(kql_binop op)
{
    return (unsigned)op < KQL_BINOP_COUNT ? op_names[op] : "?";
}

static bool is_arithmetic(kql_binop op)
{
    return op <= KQL_OP_MOD;
}

static bool is_ordering(kql_binop op)
{
    return op >= KQL_OP_LT && op <= KQL_OP_GE;
}

static bool is_string_predicate(kql_binop op)
{
    return op >= KQL_OP_EQ_NOCASE && op <= KQL_OP_NOT_LIKE_CS;
}

static bool is_texty(fh_type t)
{
    return t == FH_TYPE_STRING || t == FH_TYPE_DYNAMIC;
}

/* ---- typing ---- */

static bool arithmetic_type(kql_binop op, fh_type l, fh_type r, fh_type *out)
{
    bool dt_l = l == FH_TYPE_DATETIME, dt_r = r == FH_TYPE_DATETIME;
    bool ts_l = l == FH_TYPE_TIMESPAN, ts_r = r == FH_TYPE_TIMESPAN;

    if (kql_type_is_number(l) && kql_type_is_number(r)) {
        *out = (l == FH_TYPE_REAL || r == FH_TYPE_REAL) ? FH_TYPE_REAL : FH_TYPE_LONG;
        return true;
    }
    switch (op) {
    case KQL_OP_ADD:
        if ((dt_l && ts_r) || (ts_l && dt_r))
            *out = FH_TYPE_DATETIME;
        else if (ts_l && ts_r)
            *out = FH_TYPE_TIMESPAN;
        else
            return false;
        return true;
    case KQL_OP_SUB:
        if (dt_l && ts_r)
            *out = FH_TYPE_DATETIME;
        else if ((dt_l && dt_r) || (ts_l && ts_r))
            *out = FH_TYPE_TIMESPAN;
        else
            return false;
        return true;
    case KQL_OP_MUL:
        if ((ts_l && kql_type_is_number(r)) || (kql_type_is_number(l) && ts_r))
            *out = FH_TYPE_TIMESPAN;
        else
            return false;
        return true;
    case KQL_OP_DIV:
        if (ts_l && ts_r)
            *out = FH_TYPE_REAL;
        else if (ts_l && kql_type_is_number(r))
            *out = FH_TYPE_TIMESPAN;
        else
            return false;
        return true;
    case KQL_OP_MOD:
        if (ts_l && ts_r)
            *out = FH_TYPE_TIMESPAN;
        else
            return false;
        return true;
    default:
        return false;
    }
}

static bool comparable(kql_binop op, fh_type l, fh_type r)
{
    if (l == FH_TYPE_DYNAMIC || r == FH_TYPE_DYNAMIC)
        return true;
    if (kql_type_is_number(l) && kql_type_is_number(r))
        return true;
    if (l != r)
        return false;
    if (l == FH_TYPE_GUID)
        return op == KQL_OP_EQ || op == KQL_OP_NE;
    return true;
}

fh_status kql_binop_type(kql_binop op, fh_type left, fh_type right, fh_type *out, fh_error *err)
{
    bool ok;
    if (is_arithmetic(op)) {
        ok = arithmetic_type(op, left, right, out);
    } else if (is_ordering(op) || op == KQL_OP_EQ || op == KQL_OP_NE) {
        ok = comparable(op, left, right);
        *out = FH_TYPE_BOOL;
    } else if (is_string_predicate(op)) {
        ok = is_texty(left) && is_texty(right);
        *out = FH_TYPE_BOOL;
    } else if (op == KQL_OP_AND || op == KQL_OP_OR) {
        ok = (left == FH_TYPE_BOOL || left == FH_TYPE_DYNAMIC) &&
             (right == FH_TYPE_BOOL || right == FH_TYPE_DYNAMIC);
        *out = FH_TYPE_BOOL;
    } else {
        ok = false;
    }
    if (ok)
        return FH_OK;

    const char *hint = "";
    if (is_string_predicate(op))
        hint = "; convert the operand with tostring()";
    else if (op == KQL_OP_ADD && left == FH_TYPE_STRING && right == FH_TYPE_STRING)
        hint = "; join strings with strcat()";
    return fh_error_set(err, FH_ERR_TYPE, NULL, 0, 0,
                        "operator '%s' cannot be applied to %s and %s%s", kql_binop_name(op),
                        fh_type_name(left), fh_type_name(right), hint);
}

/* ---- arithmetic ---- */

static fh_value null_of(fh_type type)
{
    return fh_value_null(type);
}

static bool in_datetime_range(int64_t ticks)
{
    return ticks >= KQL_DATETIME_MIN_TICKS && ticks <= KQL_DATETIME_MAX_TICKS;
}

static double number_as_real(const fh_value *v)
{
    if (v->type == FH_TYPE_INT)
        return v->u.i;
    if (v->type == FH_TYPE_LONG)
        return (double)v->u.l;
    return v->u.r;
}

static int64_t number_as_long(const fh_value *v)
{
    return v->type == FH_TYPE_INT ? v->u.i : v->u.l;
}

/* Modulo that is never negative: 0 <= n % d < |d|. */
static int64_t floor_mod(int64_t n, int64_t d)
{
    if (d == -1)
        return 0; /* INT64_MIN % -1 overflows in C */
    int64_t m = n % d;
    if (m < 0)
        m += d < 0 ? -d : d;
    return m;
}

static double floor_mod_real(double n, double d)
{
    double m = fmod(n, d);
    if (m < 0)
        m += fabs(d);
    return m;
}

/*
 * NOTE: Kusto's documentation does not say what integer division or modulo by zero gives.
 * foxhound returns null, so one bad row does not abort a hunt; real division follows IEEE
 * (1.0 / 0 is +inf).
 */
static fh_value long_arith(kql_binop op, int64_t a, int64_t b)
{
    uint64_t ua = (uint64_t)a, ub = (uint64_t)b;
    /* Overflow wraps around in two's complement, as .NET's unchecked long arithmetic does. */
    switch (op) {
    case KQL_OP_ADD:
        return fh_value_long((int64_t)(ua + ub));
    case KQL_OP_SUB:
        return fh_value_long((int64_t)(ua - ub));
    case KQL_OP_MUL:
        return fh_value_long((int64_t)(ua * ub));
    case KQL_OP_DIV:
        if (b == 0)
            return null_of(FH_TYPE_LONG);
        if (a == INT64_MIN && b == -1)
            return fh_value_long(INT64_MIN);
        return fh_value_long(a / b);
    default:
        if (b == 0)
            return null_of(FH_TYPE_LONG);
        return fh_value_long(floor_mod(a, b));
    }
}

static fh_value real_arith(kql_binop op, double a, double b)
{
    switch (op) {
    case KQL_OP_ADD:
        return fh_value_real(a + b);
    case KQL_OP_SUB:
        return fh_value_real(a - b);
    case KQL_OP_MUL:
        return fh_value_real(a * b);
    case KQL_OP_DIV:
        return fh_value_real(a / b);
    default:
        return fh_value_real(floor_mod_real(a, b));
    }
}

static fh_value datetime_result(int64_t ticks, bool overflow)
{
    if (overflow || !in_datetime_range(ticks))
        return null_of(FH_TYPE_DATETIME);
    return fh_value_datetime(ticks);
}

static fh_value timespan_result(int64_t ticks, bool overflow)
{
    return overflow ? null_of(FH_TYPE_TIMESPAN) : fh_value_timespan(ticks);
}

/* A timespan scaled by a number; a real factor rounds to the nearest tick. */
static fh_value timespan_scale(int64_t ticks, const fh_value *factor, bool divide)
{
    if (factor->type == FH_TYPE_REAL || divide) {
        double f = number_as_real(factor);
        double r = divide ? (double)ticks / f : (double)ticks * f;
        if (!isfinite(r) || fabs(r) >= 9.2e18)
            return null_of(FH_TYPE_TIMESPAN);
        return fh_value_timespan((int64_t)llround(r));
    }
    int64_t result;
    bool overflow = __builtin_mul_overflow(ticks, number_as_long(factor), &result);
    return timespan_result(result, overflow);
}

static fh_value time_arith(kql_binop op, const fh_value *l, const fh_value *r, fh_type type)
{
    int64_t result = 0;
    bool overflow = false;
    bool ts_l = l->type == FH_TYPE_TIMESPAN, ts_r = r->type == FH_TYPE_TIMESPAN;

    switch (op) {
    case KQL_OP_ADD:
        overflow = __builtin_add_overflow(l->u.ticks, r->u.ticks, &result);
        break;
    case KQL_OP_SUB:
        overflow = __builtin_sub_overflow(l->u.ticks, r->u.ticks, &result);
        break;
    case KQL_OP_MUL:
        return ts_l ? timespan_scale(l->u.ticks, r, false) : timespan_scale(r->u.ticks, l, false);
    case KQL_OP_DIV:
        if (ts_l && ts_r)
            return r->u.ticks == 0 ? null_of(FH_TYPE_REAL)
                                   : fh_value_real((double)l->u.ticks / (double)r->u.ticks);
        return timespan_scale(l->u.ticks, r, true);
    default:
        if (r->u.ticks == 0)
            return null_of(FH_TYPE_TIMESPAN);
        return fh_value_timespan(floor_mod(l->u.ticks, r->u.ticks));
    }
    return type == FH_TYPE_DATETIME ? datetime_result(result, overflow)
                                    : timespan_result(result, overflow);
}

static fh_value eval_arithmetic(kql_binop op, const fh_value *l, const fh_value *r, fh_type type)
{
    if (l->is_null || r->is_null)
        return null_of(type);
    if (type == FH_TYPE_LONG)
        return long_arith(op, number_as_long(l), number_as_long(r));
    if (type == FH_TYPE_REAL && kql_type_is_number(l->type))
        return real_arith(op, number_as_real(l), number_as_real(r));
    return time_arith(op, l, r, type);
}

/* ---- comparison ---- */

/* Converts a dynamic operand to the other operand's type so the two compare. */
static fh_status unwrap_dynamic(kql_func_ctx *ctx, const fh_value *v, fh_type want, fh_value *out)
{
    if (v->type != FH_TYPE_DYNAMIC || want == FH_TYPE_DYNAMIC) {
        *out = *v;
        return FH_OK;
    }
    if (v->is_null || v->u.dyn == NULL) {
        *out = null_of(want);
        if (want == FH_TYPE_STRING)
            out->is_null = true; /* a missing value, not "" */
        return FH_OK;
    }
    fh_status st = fh_value_from_json(want, v->u.dyn, ctx->arena, out);
    if (st == FH_ERR_NOMEM)
        return kql_nomem(ctx, "comparison");
    if (st != FH_OK) {
        *out = null_of(want);
        out->is_null = true;
    }
    return FH_OK;
}

static int compare_numbers(const fh_value *l, const fh_value *r)
{
    if (kql_type_is_integer(l->type) && kql_type_is_integer(r->type)) {
        int64_t a = number_as_long(l), b = number_as_long(r);
        return (a > b) - (a < b);
    }
    double a = number_as_real(l), b = number_as_real(r);
    return (a > b) - (a < b);
}

static int compare_strings(const fh_value *l, const fh_value *r)
{
    size_t n = l->u.s.len < r->u.s.len ? l->u.s.len : r->u.s.len;
    int c = n ? memcmp(l->u.s.ptr, r->u.s.ptr, n) : 0;
    if (c != 0)
        return c < 0 ? -1 : 1;
    return (l->u.s.len > r->u.s.len) - (l->u.s.len < r->u.s.len);
}

/* Orders two non-null values of comparable types; returns false when they do not order. */
static bool order_values(const fh_value *l, const fh_value *r, int *cmp)
{
    if (kql_type_is_number(l->type) && kql_type_is_number(r->type)) {
        if (l->type == FH_TYPE_REAL || r->type == FH_TYPE_REAL) {
            if (isnan(number_as_real(l)) || isnan(number_as_real(r)))
                return false;
        }
        *cmp = compare_numbers(l, r);
        return true;
    }
    if (l->type != r->type)
        return false;
    switch (l->type) {
    case FH_TYPE_DATETIME:
    case FH_TYPE_TIMESPAN:
        *cmp = (l->u.ticks > r->u.ticks) - (l->u.ticks < r->u.ticks);
        return true;
    case FH_TYPE_STRING:
        *cmp = compare_strings(l, r);
        return true;
    case FH_TYPE_BOOL:
        *cmp = (int)l->u.b - (int)r->u.b;
        return true;
    case FH_TYPE_GUID:
        *cmp = memcmp(l->u.guid, r->u.guid, 16);
        return true;
    default:
        return false;
    }
}

static bool ordering_holds(kql_binop op, int cmp)
{
    switch (op) {
    case KQL_OP_LT:
        return cmp < 0;
    case KQL_OP_LE:
        return cmp <= 0;
    case KQL_OP_GT:
        return cmp > 0;
    case KQL_OP_GE:
        return cmp >= 0;
    case KQL_OP_EQ:
        return cmp == 0;
    default:
        return cmp != 0;
    }
}

static fh_status eval_compare(kql_func_ctx *ctx, kql_binop op, const fh_value *left,
                              const fh_value *right, fh_value *out)
{
    fh_value l, r;
    fh_status st = unwrap_dynamic(ctx, left, (fh_type)right->type, &l);
    if (st == FH_OK)
        st = unwrap_dynamic(ctx, right, (fh_type)l.type, &r);
    if (st != FH_OK)
        return st;

    bool l_null = l.is_null, r_null = r.is_null;
    if (l_null || r_null) {
        *out = op == KQL_OP_NE ? fh_value_bool(true) : null_of(FH_TYPE_BOOL);
        return FH_OK;
    }
    if (l.type == FH_TYPE_DYNAMIC && r.type == FH_TYPE_DYNAMIC &&
        (op == KQL_OP_EQ || op == KQL_OP_NE)) {
        bool equal = fh_value_equal(&l, &r);
        *out = fh_value_bool(op == KQL_OP_EQ ? equal : !equal);
        return FH_OK;
    }
    int cmp;
    if (!order_values(&l, &r, &cmp)) {
        /* NaN and values that do not convert compare unequal and unordered. */
        *out = fh_value_bool(op == KQL_OP_NE);
        return FH_OK;
    }
    *out = fh_value_bool(ordering_holds(op, cmp));
    return FH_OK;
}

/* ---- string predicates ---- */

/* Text of a string or dynamic operand; a dynamic null reads as "". */
static fh_status operand_text(kql_func_ctx *ctx, const fh_value *v, const char **ptr, size_t *len)
{
    if (v->type == FH_TYPE_DYNAMIC && (v->is_null || v->u.dyn == NULL)) {
        *ptr = "";
        *len = 0;
        return FH_OK;
    }
    if (v->type != FH_TYPE_STRING && v->type != FH_TYPE_DYNAMIC)
        return fh_error_set(ctx->err, FH_ERR_TYPE, NULL, 0, 0,
                            "a string operator got a %s operand; convert it with tostring()",
                            fh_type_name((fh_type)v->type));
    return kql_value_text(ctx, v, ptr, len);
}

/*
 * SQL-style pattern: '%' matches any run of bytes and '_' any one byte. The loop keeps the
 * position of the last '%' and retries from there, so it runs in O(len * pattern) at worst.
 */
static bool like_match(const char *s, size_t n, const char *p, size_t m, bool case_sensitive)
{
    size_t i = 0, j = 0, star_j = SIZE_MAX, star_i = 0;
    while (i < n) {
        if (j < m && p[j] == '%') {
            star_j = j++;
            star_i = i;
        } else if (j < m &&
                   (p[j] == '_' || (case_sensitive ? s[i] == p[j]
                                                   : kql_ascii_lower((unsigned char)s[i]) ==
                                                         kql_ascii_lower((unsigned char)p[j])))) {
            i++;
            j++;
        } else if (star_j != SIZE_MAX) {
            j = star_j + 1;
            i = ++star_i;
        } else {
            return false;
        }
    }
    while (j < m && p[j] == '%')
        j++;
    return j == m;
}

static fh_status eval_regex(kql_func_ctx *ctx, const char *s, size_t n, const char *p, size_t m,
                            bool *result)
{
    pcre2_code *code;
    pcre2_match_data *md;
    fh_status st = kql_regex_get(ctx, "matches regex", p, m, &code, &md);
    if (st != FH_OK)
        return st;
    int rc = kql_regex_match(ctx, "matches regex", code, md, s, n, 0, &st);
    *result = rc > 0;
    return st;
}

/* Positive form of a predicate; the caller negates the "!" forms. */
static fh_status string_predicate(kql_func_ctx *ctx, kql_binop op, const char *s, size_t n,
                                  const char *p, size_t m, bool *result)
{
    switch (op) {
    case KQL_OP_EQ_NOCASE:
    case KQL_OP_NE_NOCASE:
        *result = n == m && kql_bytes_equal_nocase(s, p, n);
        return FH_OK;
    case KQL_OP_HAS:
    case KQL_OP_NOT_HAS:
    case KQL_OP_HAS_CS:
    case KQL_OP_NOT_HAS_CS:
        *result = kql_str_has(s, n, p, m, op >= KQL_OP_HAS_CS);
        return FH_OK;
    case KQL_OP_HASPREFIX:
    case KQL_OP_NOT_HASPREFIX:
    case KQL_OP_HASPREFIX_CS:
    case KQL_OP_NOT_HASPREFIX_CS:
        *result = kql_str_hasprefix(s, n, p, m, op >= KQL_OP_HASPREFIX_CS);
        return FH_OK;
    case KQL_OP_HASSUFFIX:
    case KQL_OP_NOT_HASSUFFIX:
    case KQL_OP_HASSUFFIX_CS:
    case KQL_OP_NOT_HASSUFFIX_CS:
        *result = kql_str_hassuffix(s, n, p, m, op >= KQL_OP_HASSUFFIX_CS);
        return FH_OK;
    case KQL_OP_CONTAINS:
    case KQL_OP_NOT_CONTAINS:
    case KQL_OP_CONTAINS_CS:
    case KQL_OP_NOT_CONTAINS_CS:
        *result = kql_str_contains(s, n, p, m, op >= KQL_OP_CONTAINS_CS);
        return FH_OK;
    case KQL_OP_STARTSWITH:
    case KQL_OP_NOT_STARTSWITH:
    case KQL_OP_STARTSWITH_CS:
    case KQL_OP_NOT_STARTSWITH_CS:
        *result = kql_str_startswith(s, n, p, m, op >= KQL_OP_STARTSWITH_CS);
        return FH_OK;
    case KQL_OP_ENDSWITH:
    case KQL_OP_NOT_ENDSWITH:
    case KQL_OP_ENDSWITH_CS:
    case KQL_OP_NOT_ENDSWITH_CS:
        *result = kql_str_endswith(s, n, p, m, op >= KQL_OP_ENDSWITH_CS);
        return FH_OK;
    case KQL_OP_LIKE:
    case KQL_OP_NOT_LIKE:
    case KQL_OP_LIKE_CS:
    case KQL_OP_NOT_LIKE_CS:
        *result = like_match(s, n, p, m, op >= KQL_OP_LIKE_CS);
        return FH_OK;
    default:
        return eval_regex(ctx, s, n, p, m, result);
    }
}

static bool is_negated(kql_binop op)
{
    switch (op) {
    case KQL_OP_NE_NOCASE:
    case KQL_OP_NOT_HAS:
    case KQL_OP_NOT_HAS_CS:
    case KQL_OP_NOT_HASPREFIX:
    case KQL_OP_NOT_HASPREFIX_CS:
    case KQL_OP_NOT_HASSUFFIX:
    case KQL_OP_NOT_HASSUFFIX_CS:
    case KQL_OP_NOT_CONTAINS:
    case KQL_OP_NOT_CONTAINS_CS:
    case KQL_OP_NOT_STARTSWITH:
    case KQL_OP_NOT_STARTSWITH_CS:
    case KQL_OP_NOT_ENDSWITH:
    case KQL_OP_NOT_ENDSWITH_CS:
    case KQL_OP_NOT_LIKE:
    case KQL_OP_NOT_LIKE_CS:
        return true;
    default:
        return false;
    }
}

static fh_status eval_string(kql_func_ctx *ctx, kql_binop op, const fh_value *left,
                             const fh_value *right, fh_value *out)
{
    const char *s, *p;
    size_t n, m;
    fh_status st = operand_text(ctx, left, &s, &n);
    if (st == FH_OK)
        st = operand_text(ctx, right, &p, &m);
    bool result = false;
    if (st == FH_OK)
        st = string_predicate(ctx, op, s, n, p, m, &result);
    if (st != FH_OK)
        return st;
    *out = fh_value_bool(is_negated(op) ? !result : result);
    return FH_OK;
}

/* ---- logic ---- */

/* Reads a bool operand: 1 true, 0 false, -1 null. */
static int truth_of(kql_func_ctx *ctx, const fh_value *v, fh_status *st)
{
    *st = FH_OK;
    if (v->is_null)
        return -1;
    if (v->type == FH_TYPE_BOOL)
        return v->u.b ? 1 : 0;
    if (v->type == FH_TYPE_DYNAMIC && v->u.dyn != NULL) {
        if (json_is_boolean(v->u.dyn))
            return json_is_true(v->u.dyn) ? 1 : 0;
        return -1;
    }
    *st = fh_error_set(ctx->err, FH_ERR_TYPE, NULL, 0, 0,
                       "'and'/'or' expects bool operands, got %s", fh_type_name((fh_type)v->type));
    return -1;
}

static fh_status eval_logic(kql_func_ctx *ctx, kql_binop op, const fh_value *left,
                            const fh_value *right, fh_value *out)
{
    fh_status st;
    int a = truth_of(ctx, left, &st);
    if (st != FH_OK)
        return st;
    int b = truth_of(ctx, right, &st);
    if (st != FH_OK)
        return st;

    /* The deciding value wins over null: false for 'and', true for 'or'. */
    int decider = op == KQL_OP_AND ? 0 : 1;
    if (a == decider || b == decider)
        *out = fh_value_bool(decider == 1);
    else if (a < 0 || b < 0)
        *out = null_of(FH_TYPE_BOOL);
    else
        *out = fh_value_bool(decider != 1);
    return FH_OK;
}

fh_status kql_binop_eval(kql_func_ctx *ctx, kql_binop op, const fh_value *left,
                         const fh_value *right, fh_value *out)
{
    if (op == KQL_OP_AND || op == KQL_OP_OR)
        return eval_logic(ctx, op, left, right, out);
    if (is_string_predicate(op))
        return eval_string(ctx, op, left, right, out);
    if (!is_arithmetic(op))
        return eval_compare(ctx, op, left, right, out);

    fh_type type;
    fh_status st = kql_binop_type(op, (fh_type)left->type, (fh_type)right->type, &type, ctx->err);
    if (st != FH_OK)
        return st;
    *out = eval_arithmetic(op, left, right, type);
    return FH_OK;
}
