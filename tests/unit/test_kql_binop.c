/* Binary operators: null rules, and/or truth table, numeric promotion, time arithmetic. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <math.h>
#include <string.h>

#include "foxhound/datetime.h"
#include "kql/kql_func.h"

static fh_arena arena;
static fh_error err;
static kql_func_ctx ctx;

static int setup(void **state)
{
    fh_arena_init(&arena);
    ctx.arena = &arena;
    ctx.err = &err;
    return 0;
}

static int teardown(void **state)
{
    kql_func_ctx_release(&ctx);
    fh_arena_destroy(&arena);
    return 0;
}

static fh_value eval(kql_binop op, fh_value l, fh_value r)
{
    fh_value out;
    fh_type planned;
    assert_int_equal(kql_binop_type(op, (fh_type)l.type, (fh_type)r.type, &planned, &err), FH_OK);
    assert_int_equal(kql_binop_eval(&ctx, op, &l, &r, &out), FH_OK);
    assert_int_equal(out.type, planned);
    return out;
}

static fh_value str(const char *s)
{
    return fh_value_string(s, strlen(s));
}

static fh_value datetime_of(const char *text)
{
    int64_t ticks;
    assert_int_equal(fh_datetime_parse(text, strlen(text), &ticks), FH_OK);
    return fh_value_datetime(ticks);
}

#define HOUR (3600LL * FH_TICKS_PER_SECOND)

/* -1 for null, else 0 or 1. */
static int truth(fh_value v)
{
    assert_int_equal(v.type, FH_TYPE_BOOL);
    return v.is_null ? -1 : v.u.b;
}

static void binop_null_comparisons(void **state)
{
    fh_value null_int = fh_value_null(FH_TYPE_INT);
    assert_int_equal(truth(eval(KQL_OP_EQ, null_int, fh_value_int(5))), -1);
    assert_int_equal(truth(eval(KQL_OP_NE, null_int, fh_value_int(5))), 1);
    assert_int_equal(truth(eval(KQL_OP_GT, null_int, fh_value_int(3))), -1);
    assert_int_equal(truth(eval(KQL_OP_EQ, null_int, null_int)), -1);
    assert_true(eval(KQL_OP_ADD, null_int, fh_value_int(10)).is_null);
    assert_true(eval(KQL_OP_MUL, fh_value_long(10), fh_value_null(FH_TYPE_LONG)).is_null);
}

static void binop_and_or_truth_table(void **state)
{
    const fh_value t = fh_value_bool(true), f = fh_value_bool(false);
    const fh_value n = fh_value_null(FH_TYPE_BOOL);
    const fh_value vals[3] = {f, t, n};
    /* Rows: left false, true, null; columns: right false, true, null. */
    const int and_table[3][3] = {{0, 0, 0}, {0, 1, -1}, {0, -1, -1}};
    const int or_table[3][3] = {{0, 1, -1}, {1, 1, 1}, {-1, 1, -1}};
    for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 3; j++) {
            assert_int_equal(truth(eval(KQL_OP_AND, vals[i], vals[j])), and_table[i][j]);
            assert_int_equal(truth(eval(KQL_OP_OR, vals[i], vals[j])), or_table[i][j]);
        }
    }
}

static void binop_numeric_promotion(void **state)
{
    fh_value v = eval(KQL_OP_ADD, fh_value_int(1), fh_value_int(2));
    assert_int_equal(v.type, FH_TYPE_LONG);
    assert_int_equal(v.u.l, 3);

    v = eval(KQL_OP_DIV, fh_value_int(1), fh_value_int(2));
    assert_int_equal(v.type, FH_TYPE_LONG);
    assert_int_equal(v.u.l, 0);

    v = eval(KQL_OP_DIV, fh_value_real(1.0), fh_value_int(2));
    assert_int_equal(v.type, FH_TYPE_REAL);
    assert_true(v.u.r == 0.5);

    /* Kusto's modulo is never negative: -14 % 12 == 10 and 14 % -12 == 2. */
    assert_int_equal(eval(KQL_OP_MOD, fh_value_long(14), fh_value_long(12)).u.l, 2);
    assert_int_equal(eval(KQL_OP_MOD, fh_value_long(-14), fh_value_long(12)).u.l, 10);
    assert_int_equal(eval(KQL_OP_MOD, fh_value_long(14), fh_value_long(-12)).u.l, 2);
    assert_int_equal(eval(KQL_OP_MOD, fh_value_long(-14), fh_value_long(-12)).u.l, 10);

    assert_true(eval(KQL_OP_DIV, fh_value_long(1), fh_value_long(0)).is_null);
    assert_true(eval(KQL_OP_MOD, fh_value_long(1), fh_value_long(0)).is_null);
    assert_true(isinf(eval(KQL_OP_DIV, fh_value_real(1), fh_value_long(0)).u.r));
    assert_int_equal(eval(KQL_OP_DIV, fh_value_long(INT64_MIN), fh_value_long(-1)).u.l, INT64_MIN);

    assert_int_equal(truth(eval(KQL_OP_EQ, fh_value_int(1), fh_value_real(1.0))), 1);
    assert_int_equal(truth(eval(KQL_OP_LT, fh_value_long(2), fh_value_real(2.5))), 1);
    assert_int_equal(truth(eval(KQL_OP_NE, fh_value_real(NAN), fh_value_real(NAN))), 1);
}

static void binop_datetime_arithmetic(void **state)
{
    fh_value dt = datetime_of("2026-06-11T08:00:00Z");
    fh_value hour = fh_value_timespan(HOUR);

    fh_value later = eval(KQL_OP_ADD, dt, hour);
    assert_int_equal(later.type, FH_TYPE_DATETIME);
    assert_int_equal(later.u.ticks, datetime_of("2026-06-11T09:00:00Z").u.ticks);
    assert_int_equal(eval(KQL_OP_ADD, hour, dt).u.ticks, later.u.ticks);

    fh_value earlier = eval(KQL_OP_SUB, dt, hour);
    assert_int_equal(earlier.u.ticks, datetime_of("2026-06-11T07:00:00Z").u.ticks);

    fh_value span = eval(KQL_OP_SUB, later, earlier);
    assert_int_equal(span.type, FH_TYPE_TIMESPAN);
    assert_int_equal(span.u.ticks, 2 * HOUR);

    fh_value ratio = eval(KQL_OP_DIV, fh_value_timespan(10 * 60 * FH_TICKS_PER_SECOND),
                          fh_value_timespan(FH_TICKS_PER_SECOND));
    assert_int_equal(ratio.type, FH_TYPE_REAL);
    assert_true(ratio.u.r == 600.0);

    assert_int_equal(
        eval(KQL_OP_MUL, fh_value_timespan(FH_TICKS_PER_SECOND), fh_value_int(5)).u.ticks,
        5 * FH_TICKS_PER_SECOND);
    assert_int_equal(eval(KQL_OP_DIV, hour, fh_value_long(4)).u.ticks, HOUR / 4);
    assert_int_equal(truth(eval(KQL_OP_LT, earlier, later)), 1);
    assert_int_equal(truth(eval(KQL_OP_GT, fh_value_timespan(10 * 60 * FH_TICKS_PER_SECOND),
                                fh_value_timespan(FH_TICKS_PER_SECOND))),
                     1);

    /* Past 9999-12-31 a datetime becomes null instead of wrapping. */
    fh_value end = datetime_of("9999-12-31T23:00:00Z");
    assert_true(eval(KQL_OP_ADD, end, fh_value_timespan(2 * HOUR)).is_null);
}

static void binop_string_predicates(void **state)
{
    fh_value msg = str("Failed password for root from 203.0.113.7 port 22");
    assert_int_equal(truth(eval(KQL_OP_HAS, msg, str("PASSWORD"))), 1);
    assert_int_equal(truth(eval(KQL_OP_HAS_CS, msg, str("PASSWORD"))), 0);
    assert_int_equal(truth(eval(KQL_OP_NOT_HAS, msg, str("pass"))), 1);
    assert_int_equal(truth(eval(KQL_OP_CONTAINS, msg, str("PASS"))), 1);
    assert_int_equal(truth(eval(KQL_OP_NOT_CONTAINS_CS, msg, str("PASS"))), 1);
    assert_int_equal(truth(eval(KQL_OP_STARTSWITH, msg, str("failed"))), 1);
    assert_int_equal(truth(eval(KQL_OP_STARTSWITH_CS, msg, str("failed"))), 0);
    assert_int_equal(truth(eval(KQL_OP_ENDSWITH, msg, str("PORT 22"))), 1);
    assert_int_equal(truth(eval(KQL_OP_HASPREFIX, msg, str("pass"))), 1);
    assert_int_equal(truth(eval(KQL_OP_HASSUFFIX, msg, str("word"))), 1);
    assert_int_equal(truth(eval(KQL_OP_EQ_NOCASE, str("ABC"), str("abc"))), 1);
    assert_int_equal(truth(eval(KQL_OP_NE_NOCASE, str("aBc"), str("xyz"))), 1);
    assert_int_equal(truth(eval(KQL_OP_EQ, str("abc"), str("ABC"))), 0);
    assert_int_equal(truth(eval(KQL_OP_MATCHES_REGEX, msg, str("from \\d+\\.\\d+"))), 1);
    assert_int_equal(truth(eval(KQL_OP_MATCHES_REGEX, msg, str("^port"))), 0);
    assert_int_equal(truth(eval(KQL_OP_LIKE, msg, str("failed%root%"))), 1);
    assert_int_equal(truth(eval(KQL_OP_LIKE_CS, msg, str("failed%"))), 0);
    assert_int_equal(truth(eval(KQL_OP_NOT_LIKE, msg, str("%port __"))), 0);
}

static void binop_dynamic_operand(void **state)
{
    json_t *json = json_string("8.8.8.8");
    fh_value dyn = {.type = FH_TYPE_DYNAMIC};
    dyn.u.dyn = json;
    assert_int_equal(truth(eval(KQL_OP_EQ, dyn, str("8.8.8.8"))), 1);
    assert_int_equal(truth(eval(KQL_OP_HAS, dyn, str("8.8"))), 1);
    json_decref(json);

    json = json_integer(443);
    dyn.u.dyn = json;
    assert_int_equal(truth(eval(KQL_OP_EQ, dyn, fh_value_long(443))), 1);
    assert_int_equal(truth(eval(KQL_OP_GT, fh_value_int(500), dyn)), 1);
    json_decref(json);
}

static void binop_type_errors(void **state)
{
    fh_type out;
    assert_int_equal(kql_binop_type(KQL_OP_ADD, FH_TYPE_STRING, FH_TYPE_STRING, &out, &err),
                     FH_ERR_TYPE);
    assert_string_equal(err.message, "operator '+' cannot be applied to string and string; join "
                                     "strings with strcat()");
    assert_int_equal(kql_binop_type(KQL_OP_HAS, FH_TYPE_LONG, FH_TYPE_STRING, &out, &err),
                     FH_ERR_TYPE);
    assert_string_equal(err.message, "operator 'has' cannot be applied to long and string; "
                                     "convert the operand with tostring()");
    assert_int_equal(kql_binop_type(KQL_OP_SUB, FH_TYPE_TIMESPAN, FH_TYPE_DATETIME, &out, &err),
                     FH_ERR_TYPE);
    assert_int_equal(kql_binop_type(KQL_OP_LT, FH_TYPE_STRING, FH_TYPE_LONG, &out, &err),
                     FH_ERR_TYPE);
    assert_string_equal(kql_binop_name(KQL_OP_NOT_HASPREFIX_CS), "!hasprefix_cs");
    assert_string_equal(kql_binop_name(KQL_OP_MATCHES_REGEX), "matches regex");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(binop_null_comparisons),  cmocka_unit_test(binop_and_or_truth_table),
        cmocka_unit_test(binop_numeric_promotion), cmocka_unit_test(binop_datetime_arithmetic),
        cmocka_unit_test(binop_string_predicates), cmocka_unit_test(binop_dynamic_operand),
        cmocka_unit_test(binop_type_errors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
