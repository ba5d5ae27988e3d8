/*
 * Date and time functions: now and ago, start and end of day/week/month/year, datetime_add,
 * datetime_diff, datetime_part, the calendar getters, week_of_year (ISO 8601),
 * format_datetime, format_timespan, make_datetime, make_timespan and the Unix time
 * conversions. Datetimes are UTC ticks since 1970; weeks start on Sunday, as in Kusto.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "kql/kql_func_impl.h"

#define TICKS_PER_MS 10000LL
#define TICKS_PER_MINUTE (60 * FH_TICKS_PER_SECOND)
#define TICKS_PER_HOUR (60 * TICKS_PER_MINUTE)

/* ---- calendar ---- */

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
int64_t kql_days_from_civil(int64_t year, int month, int day)
{
    year -= month <= 2;
    int64_t era = floor_div(year, 400);
    int64_t yoe = year - era * 400;
    int64_t doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void kql_civil_from_ticks(int64_t ticks, kql_civil *out)
{
    int64_t days = floor_div(ticks, FH_TICKS_PER_DAY);
    out->tod = ticks - days * FH_TICKS_PER_DAY;
    int64_t z = days + 719468;
    int64_t era = floor_div(z, 146097);
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    out->day = (int)(doy - (153 * mp + 2) / 5 + 1);
    out->month = (int)(mp < 10 ? mp + 3 : mp - 9);
    out->year = yoe + era * 400 + (out->month <= 2);
}

static bool is_leap(int64_t year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static int days_in_month(int64_t year, int month)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && is_leap(year) ? 29 : days[month - 1];
}

static int64_t ticks_from_civil(int64_t year, int month, int day)
{
    return kql_days_from_civil(year, month, day) * FH_TICKS_PER_DAY;
}

static int day_of_year(const kql_civil *c)
{
    return (int)(kql_days_from_civil(c->year, c->month, c->day) -
                 kql_days_from_civil(c->year, 1, 1)) +
           1;
}

/* 0 for Sunday .. 6 for Saturday. 1970-01-01 was a Thursday. */
static int weekday(int64_t ticks)
{
    int64_t days = floor_div(ticks, FH_TICKS_PER_DAY);
    return (int)(((days + 4) % 7 + 7) % 7);
}

/* ISO 8601 week number: weeks start on Monday and week 1 contains the first Thursday. */
static int iso_week(int64_t ticks)
{
    kql_civil c;
    kql_civil_from_ticks(ticks, &c);
    int iso_weekday = (weekday(ticks) + 6) % 7 + 1; /* Monday 1 .. Sunday 7 */
    int week = (day_of_year(&c) - iso_weekday + 10) / 7;
    if (week < 1) {
        int64_t dec31 = ticks_from_civil(c.year - 1, 12, 31);
        return iso_week(dec31);
    }
    if (week == 53) {
        int jan1 = weekday(ticks_from_civil(c.year + 1, 1, 1));
        /* The week belongs to next year when next year's week 1 starts within it. */
        if (jan1 >= 1 && jan1 <= 4)
            return 1;
    }
    return week;
}

static fh_value datetime_or_null(int64_t ticks, bool ok)
{
    if (!ok || ticks < KQL_DATETIME_MIN_TICKS || ticks > KQL_DATETIME_MAX_TICKS)
        return fh_value_null(FH_TYPE_DATETIME);
    return fh_value_datetime(ticks);
}

/* Adds months with the day clamped to the target month's length. */
static int64_t add_months(int64_t ticks, int64_t months, bool *ok)
{
    kql_civil c;
    kql_civil_from_ticks(ticks, &c);
    if (months > 120000 || months < -120000) {
        *ok = false;
        return 0;
    }
    int64_t index = c.year * 12 + (c.month - 1) + months;
    int64_t year = floor_div(index, 12);
    int month = (int)(index - year * 12) + 1;
    int day = c.day > days_in_month(year, month) ? days_in_month(year, month) : c.day;
    *ok = true;
    return ticks_from_civil(year, month, day) + c.tod;
}

/* ---- now, ago ---- */

static fh_status fn_now(kql_func_ctx *ctx, const fh_value *args, size_t nargs, fh_value *out)
{
    int64_t offset = 0, ticks = 0;
    if (nargs > 0 && !args[0].is_null && args[0].type == FH_TYPE_TIMESPAN)
        offset = args[0].u.ticks;
    bool ok = !__builtin_add_overflow(ctx->now_ticks, offset, &ticks);
    *out = datetime_or_null(ticks, ok);
    return FH_OK;
}

static fh_status fn_ago(kql_func_ctx *ctx, const fh_value *args, size_t nargs, fh_value *out)
{
    int64_t span, ticks = 0;
    bool is_null;
    fh_status st = kql_arg_ticks(ctx, "ago", args, 0, FH_TYPE_TIMESPAN, &span, &is_null);
    if (st != FH_OK)
        return st;
    bool ok = !is_null && !__builtin_sub_overflow(ctx->now_ticks, span, &ticks);
    *out = datetime_or_null(ticks, ok);
    return FH_OK;
}

/* ---- start and end of periods ---- */

enum period { PERIOD_DAY, PERIOD_WEEK, PERIOD_MONTH, PERIOD_YEAR };

static int64_t period_start(int64_t ticks, enum period p, int64_t offset, bool *ok)
{
    kql_civil c;
    *ok = true;
    switch (p) {
    case PERIOD_DAY:
        return floor_div(ticks, FH_TICKS_PER_DAY) * FH_TICKS_PER_DAY + offset * FH_TICKS_PER_DAY;
    case PERIOD_WEEK:
        return (floor_div(ticks, FH_TICKS_PER_DAY) - weekday(ticks) + offset * 7) *
               FH_TICKS_PER_DAY;
    case PERIOD_MONTH:
        kql_civil_from_ticks(ticks, &c);
        return add_months(ticks_from_civil(c.year, c.month, 1), offset, ok);
    default:
        kql_civil_from_ticks(ticks, &c);
        return add_months(ticks_from_civil(c.year, 1, 1), offset * 12, ok);
    }
}

static fh_status start_or_end(kql_func_ctx *ctx, const char *fname, const fh_value *args,
                              size_t nargs, enum period p, bool end, fh_value *out)
{
    int64_t ticks, offset = 0;
    bool is_null, offset_null = false, ok;
    fh_status st = kql_arg_ticks(ctx, fname, args, 0, FH_TYPE_DATETIME, &ticks, &is_null);
    if (st == FH_OK && nargs > 1)
        st = kql_arg_long(ctx, fname, args, 1, &offset, &offset_null);
    if (st != FH_OK)
        return st;
    if (is_null || offset_null || offset > 1000000 || offset < -1000000) {
        *out = fh_value_null(FH_TYPE_DATETIME);
        return FH_OK;
    }
    int64_t result = period_start(ticks, p, end ? offset + 1 : offset, &ok);
    *out = datetime_or_null(end ? result - 1 : result, ok);
    return FH_OK;
}

#define START_END_FN(name, period, is_end)                                                         \
    static fh_status fn_##name(kql_func_ctx *ctx, const fh_value *args, size_t nargs,              \
                               fh_value *out)                                                      \
    {                                                                                              \
        return start_or_end(ctx, #name, args, nargs, period, is_end, out);                         \
    }

START_END_FN(startofday, PERIOD_DAY, false)
START_END_FN(startofweek, PERIOD_WEEK, false)
START_END_FN(startofmonth, PERIOD_MONTH, false)
START_END_FN(startofyear, PERIOD_YEAR, false)
START_END_FN(endofday, PERIOD_DAY, true)
START_END_FN(endofweek, PERIOD_WEEK, true)
START_END_FN(endofmonth, PERIOD_MONTH, true)
START_END_FN(endofyear, PERIOD_YEAR, true)

/* ---- parts ---- */

enum part {
    PART_YEAR,
    PART_QUARTER,
    PART_MONTH,
    PART_WEEK,
    PART_DAY,
    PART_DAYOFYEAR,
    PART_HOUR,
    PART_MINUTE,
    PART_SECOND,
    PART_MILLISECOND,
    PART_MICROSECOND,
    PART_NANOSECOND,
    PART_INVALID
};

static enum part part_from_name(const char *s, size_t len)
{
    static const struct {
        const char *name;
        enum part part;
    } names[] = {
        {"year", PART_YEAR},
        {"quarter", PART_QUARTER},
        {"month", PART_MONTH},
        {"week", PART_WEEK},
        {"week_of_year", PART_WEEK},
        {"weekofyear", PART_WEEK},
        {"day", PART_DAY},
        {"dayofyear", PART_DAYOFYEAR},
        {"hour", PART_HOUR},
        {"minute", PART_MINUTE},
        {"second", PART_SECOND},
        {"millisecond", PART_MILLISECOND},
        {"microsecond", PART_MICROSECOND},
        {"nanosecond", PART_NANOSECOND},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strlen(names[i].name) == len && strncasecmp(names[i].name, s, len) == 0)
            return names[i].part;
    }
    return PART_INVALID;
}

static fh_status arg_part(kql_func_ctx *ctx, const char *fname, const fh_value *args,
                          enum part *part)
{
    const char *s;
    size_t len;
    fh_status st = kql_arg_string(ctx, fname, args, 0, &s, &len);
    if (st != FH_OK)
        return st;
    *part = part_from_name(s, len);
    if (*part != PART_INVALID)
        return FH_OK;
    return fh_error_set(ctx->err, FH_ERR_INVALID, NULL, 0, 0,
                        "%s(): period \"%.*s\" is invalid; use Year, Quarter, Month, Week, Day, "
                        "Hour, Minute, Second, Millisecond, Microsecond or Nanosecond",
                        fname, (int)(len > 64 ? 64 : len), s);
}

/* Ticks in one unit of a fixed-length part, or 0 for calendar parts. */
static int64_t part_ticks(enum part p)
{
    switch (p) {
    case PART_DAY:
        return FH_TICKS_PER_DAY;
    case PART_HOUR:
        return TICKS_PER_HOUR;
    case PART_MINUTE:
        return TICKS_PER_MINUTE;
    case PART_SECOND:
        return FH_TICKS_PER_SECOND;
    case PART_MILLISECOND:
        return TICKS_PER_MS;
    case PART_MICROSECOND:
        return 10;
    default:
        return 0;
    }
}

static fh_status fn_datetime_add(kql_func_ctx *ctx, const fh_value *args, size_t nargs,
                                 fh_value *out)
{
    enum part p;
    int64_t amount, ticks, result = 0;
    bool amount_null, is_null, ok = true;
    fh_status st = arg_part(ctx, "datetime_add", args, &p);
    if (st == FH_OK)
        st = kql_arg_long(ctx, "datetime_add", args, 1, &amount, &amount_null);
    if (st == FH_OK)
        st = kql_arg_ticks(ctx, "datetime_add", args, 2, FH_TYPE_DATETIME, &ticks, &is_null);
    if (st != FH_OK)
        return st;
    if (amount_null || is_null) {
        *out = fh_value_null(FH_TYPE_DATETIME);
        return FH_OK;
    }
    int64_t delta;
    switch (p) {
    case PART_YEAR:
        result = add_months(ticks, amount * 12, &ok);
        break;
    case PART_QUARTER:
        result = add_months(ticks, amount * 3, &ok);
        break;
    case PART_MONTH:
        result = add_months(ticks, amount, &ok);
        break;
    case PART_WEEK:
        ok = !__builtin_mul_overflow(amount, 7 * FH_TICKS_PER_DAY, &delta) &&
             !__builtin_add_overflow(ticks, delta, &result);
        break;
    case PART_NANOSECOND:
        result = ticks + amount / 100;
        break;
    default:
        ok = !__builtin_mul_overflow(amount, part_ticks(p), &delta) &&
             !__builtin_add_overflow(ticks, delta, &result);
        break;
    }
    *out = datetime_or_null(result, ok);
    return FH_OK;
}

/* Index of the unit that contains ticks, so a difference of indexes counts boundaries. */
static int64_t unit_index(int64_t ticks, enum part p)
{
    kql_civil c;
    kql_civil_from_ticks(ticks, &c);
    switch (p) {
    case PART_YEAR:
        return c.year;
    case PART_QUARTER:
        return c.year * 4 + (c.month - 1) / 3;
    case PART_MONTH:
        return c.year * 12 + c.month - 1;
    case PART_WEEK:
        return floor_div(floor_div(ticks, FH_TICKS_PER_DAY) - weekday(ticks), 7);
    default:
        return floor_div(ticks, part_ticks(p));
    }
}

/*
 * datetime_diff(period, a, b) counts period boundaries between b and a, as Kusto's examples
 * show: datetime_diff('hour', 01:00, 23:59 the day before) is 2.
 */
static fh_status fn_datetime_diff(kql_func_ctx *ctx, const fh_value *args, size_t nargs,
                                  fh_value *out)
{
    enum part p;
    int64_t a, b;
    bool a_null, b_null;
    fh_status st = arg_part(ctx, "datetime_diff", args, &p);
    if (st == FH_OK)
        st = kql_arg_ticks(ctx, "datetime_diff", args, 1, FH_TYPE_DATETIME, &a, &a_null);
    if (st == FH_OK)
        st = kql_arg_ticks(ctx, "datetime_diff", args, 2, FH_TYPE_DATETIME, &b, &b_null);
    if (st != FH_OK)
        return st;
    if (a_null || b_null) {
        *out = fh_value_null(FH_TYPE_LONG);
        return FH_OK;
    }
    if (p == PART_NANOSECOND)
        *out = fh_value_long((a - b) * 100);
    else if (p == PART_DAYOFYEAR)
        *out = fh_value_long(unit_index(a, PART_DAY) - unit_index(b, PART_DAY));
    else
        *out = fh_value_long(unit_index(a, p) - unit_index(b, p));
    return FH_OK;
}

static int64_t part_of(int64_t ticks, enum part p)
{
    kql_civil c;
    kql_civil_from_ticks(ticks, &c);
    switch (p) {
    case PART_YEAR:
        return c.year;
    case PART_QUARTER:
        return (c.month - 1) / 3 + 1;
    case PART_MONTH:
        return c.month;
    case PART_WEEK:
        return iso_week(ticks);
    case PART_DAY:
        return c.day;
    case PART_DAYOFYEAR:
        return day_of_year(&c);
    case PART_HOUR:
        return c.tod / TICKS_PER_HOUR;
    case PART_MINUTE:
        return c.tod / TICKS_PER_MINUTE % 60;
    case PART_SECOND:
        return c.tod / FH_TICKS_PER_SECOND % 60;
    case PART_MILLISECOND:
        return c.tod % FH_TICKS_PER_SECOND / TICKS_PER_MS;
    case PART_MICROSECOND:
        return c.tod % FH_TICKS_PER_SECOND / 10;
    default:
        return c.tod % FH_TICKS_PER_SECOND * 100;
    }
}

static fh_status fn_datetime_part(kql_func_ctx *ctx, const fh_value *args, size_t nargs,
                                  fh_value *out)
{
    enum part p;
    int64_t ticks;
    bool is_null;
    fh_status st = arg_part(ctx, "datetime_part", args, &p);
    if (st == FH_OK)
        st = kql_arg_ticks(ctx, "datetime_part", args, 1, FH_TYPE_DATETIME, &ticks, &is_null);
    if (st == FH_OK)
        *out = is_null ? fh_value_null(FH_TYPE_INT) : fh_value_int((int32_t)part_of(ticks, p));
    return st;
}

/* One-argument getters that return an int part of a datetime. */
static fh_status getter(kql_func_ctx *ctx, const char *fname, const fh_value *args, enum part p,
                        fh_value *out)
{
    int64_t ticks;
    bool is_null;
    fh_status st = kql_arg_ticks(ctx, fname, args, 0, FH_TYPE_DATETIME, &ticks, &is_null);
    if (st == FH_OK)
        *out = is_null ? fh_value_null(FH_TYPE_INT) : fh_value_int((int32_t)part_of(ticks, p));
    return st;
}

#define GETTER_FN(name, part)                                                                      \
    static fh_status fn_##name(kql_func_ctx *ctx, const fh_value *args, size_t nargs,              \
                               fh_value *out)                                                      \
    {                                                                                              \
        return getter(ctx, #name, args, part, out);                                                \
    }

GETTER_FN(getyear, PART_YEAR)
GETTER_FN(getmonth, PART_MONTH)
GETTER_FN(monthofyear, PART_MONTH)
GETTER_FN(dayofmonth, PART_DAY)
GETTER_FN(dayofyear, PART_DAYOFYEAR)
GETTER_FN(hourofday, PART_HOUR)
GETTER_FN(week_of_year, PART_WEEK)

/* dayofweek(): days since the preceding Sunday, as a timespan. */
static fh_status fn_dayofweek(kql_func_ctx *ctx, const fh_value *args, size_t nargs, fh_value *out)
{
    int64_t ticks;
    bool is_null;
    fh_status st = kql_arg_ticks(ctx, "dayofweek", args, 0, FH_TYPE_DATETIME, &ticks, &is_null);
    if (st == FH_OK)
        *out = is_null ? fh_value_null(FH_TYPE_TIMESPAN)
                       : fh_value_timespan(weekday(ticks) * FH_TICKS_PER_DAY);
    return st;
}

/* ---- formatting ---- */

static bool format_delimiter(char c)
{
    return strchr(" /-:,._[]", c) != NULL;
}

/* Appends value zero-padded to width digits (at most 20), stopping at cap. */
static size_t put_number(char *buf, size_t w, size_t cap, int64_t value, int width)
{
    char tmp[32];
    if (width > 20)
        width = 20;
    int n = snprintf(tmp, sizeof tmp, "%0*lld", width, (long long)value);
    if (n < 0 || n >= (int)sizeof tmp)
        return w;
    for (int i = 0; i < n && w < cap; i++)
        buf[w++] = tmp[i];
    return w;
}

/* Appends the first count digits of the 7-digit fraction; 'F' drops trailing zeros. */
static size_t put_fraction(char *buf, size_t w, size_t cap, int64_t fraction, int count,
                           bool optional)
{
    char digits[8];
    snprintf(digits, sizeof digits, "%07lld", (long long)fraction);
    int n = count > 7 ? 7 : count;
    if (optional) {
        while (n > 0 && digits[n - 1] == '0')
            n--;
    }
    for (int i = 0; i < n && w < cap; i++)
        buf[w++] = digits[i];
    return w;
}

typedef struct time_fields {
    int64_t year, month, day, days, hour, minute, second, fraction;
} time_fields;

/* Writes one run of a repeated format letter; returns false for an unknown letter. */
static bool put_run(char *buf, size_t *w, size_t cap, char letter, int run, const time_fields *t,
                    bool is_datetime)
{
    switch (letter) {
    case 'd':
        *w = put_number(buf, *w, cap, is_datetime ? t->day : t->days, run);
        return true;
    case 'f':
    case 'F':
        *w = put_fraction(buf, *w, cap, t->fraction, run, letter == 'F');
        return true;
    case 'h':
        if (!is_datetime)
            *w = put_number(buf, *w, cap, t->hour, run);
        else
            *w = put_number(buf, *w, cap, t->hour % 12 == 0 ? 12 : t->hour % 12, run);
        return true;
    case 'H':
        *w = put_number(buf, *w, cap, t->hour, run);
        return true;
    case 'm':
        *w = put_number(buf, *w, cap, t->minute, run);
        return true;
    case 'M':
        *w = put_number(buf, *w, cap, t->month, run);
        return is_datetime;
    case 's':
        *w = put_number(buf, *w, cap, t->second, run);
        return true;
    case 'y':
        *w = put_number(buf, *w, cap, run <= 2 ? t->year % 100 : t->year, run);
        return is_datetime;
    case 't':
        if (*w + 2 <= cap) {
            memcpy(buf + *w, t->hour < 12 ? "AM" : "PM", 2);
            *w += 2;
        }
        return is_datetime;
    default:
        return false;
    }
}

static fh_status format_fields(kql_func_ctx *ctx, const char *fname, const char *fmt, size_t flen,
                               const time_fields *t, bool is_datetime, fh_value *out)
{
    size_t cap = flen * 20 + 32; /* an element writes at most 20 digits */
    char *buf = kql_alloc(ctx, cap);
    if (buf == NULL)
        return FH_ERR_NOMEM;
    size_t w = 0;
    for (size_t i = 0; i < flen;) {
        char c = fmt[i];
        size_t run = 1;
        while (i + run < flen && fmt[i + run] == c)
            run++;
        if (format_delimiter(c)) {
            for (size_t k = 0; k < run && w < cap; k++)
                buf[w++] = c;
        } else if (!put_run(buf, &w, cap, c, (int)run, t, is_datetime)) {
            return fh_error_set(ctx->err, FH_ERR_INVALID, NULL, 0, 0,
                                "%s(): format element '%c' at offset %zu is not supported", fname,
                                c, i);
        }
        i += run;
    }
    return kql_result_string(out, buf, w);
}

static fh_status fn_format_datetime(kql_func_ctx *ctx, const fh_value *args, size_t nargs,
                                    fh_value *out)
{
    int64_t ticks;
    bool is_null;
    const char *fmt;
    size_t flen;
    fh_status st =
        kql_arg_ticks(ctx, "format_datetime", args, 0, FH_TYPE_DATETIME, &ticks, &is_null);
    if (st == FH_OK)
        st = kql_arg_string(ctx, "format_datetime", args, 1, &fmt, &flen);
    if (st != FH_OK || is_null)
        return st != FH_OK ? st : kql_result_string(out, "", 0);
    kql_civil c;
    kql_civil_from_ticks(ticks, &c);
    time_fields t = {
        .year = c.year,
        .month = c.month,
        .day = c.day,
        .hour = c.tod / TICKS_PER_HOUR,
        .minute = c.tod / TICKS_PER_MINUTE % 60,
        .second = c.tod / FH_TICKS_PER_SECOND % 60,
        .fraction = c.tod % FH_TICKS_PER_SECOND,
    };
    return format_fields(ctx, "format_datetime", fmt, flen, &t, true, out);
}

/* A negative timespan gets a leading '-' and formats its magnitude. */
static fh_status fn_format_timespan(kql_func_ctx *ctx, const fh_value *args, size_t nargs,
                                    fh_value *out)
{
    int64_t ticks;
    bool is_null;
    const char *fmt;
    size_t flen;
    fh_status st =
        kql_arg_ticks(ctx, "format_timespan", args, 0, FH_TYPE_TIMESPAN, &ticks, &is_null);
    if (st == FH_OK)
        st = kql_arg_string(ctx, "format_timespan", args, 1, &fmt, &flen);
    if (st != FH_OK || is_null)
        return st != FH_OK ? st : kql_result_string(out, "", 0);
    bool negative = ticks < 0;
    uint64_t mag = negative ? (uint64_t)0 - (uint64_t)ticks : (uint64_t)ticks;
    time_fields t = {
        .days = (int64_t)(mag / FH_TICKS_PER_DAY),
        .hour = (int64_t)(mag / TICKS_PER_HOUR % 24),
        .minute = (int64_t)(mag / TICKS_PER_MINUTE % 60),
        .second = (int64_t)(mag / FH_TICKS_PER_SECOND % 60),
        .fraction = (int64_t)(mag % FH_TICKS_PER_SECOND),
    };
    st = format_fields(ctx, "format_timespan", fmt, flen, &t, false, out);
    if (st != FH_OK || !negative)
        return st;
    char *signed_text = kql_alloc(ctx, out->u.s.len + 1);
    if (signed_text == NULL)
        return FH_ERR_NOMEM;
    signed_text[0] = '-';
    memcpy(signed_text + 1, out->u.s.ptr, out->u.s.len);
    return kql_result_string(out, signed_text, out->u.s.len + 1);
}

/* ---- construction ---- */

/* make_datetime(year, month, day[, hour, minute, second]); second may have a fraction. */
static fh_status fn_make_datetime(kql_func_ctx *ctx, const fh_value *args, size_t nargs,
                                  fh_value *out)
{
    int64_t parts[5] = {0};
    double second = 0;
    bool is_null = false;
    *out = fh_value_null(FH_TYPE_DATETIME);
    for (size_t i = 0; i < nargs && i < 5; i++) {
        bool n;
        fh_status st = kql_arg_long(ctx, "make_datetime", args, i, &parts[i], &n);
        if (st != FH_OK)
            return st;
        is_null = is_null || n;
    }
    if (nargs > 5) {
        bool n;
        fh_status st = kql_arg_real(ctx, "make_datetime", args, 5, &second, &n);
        if (st != FH_OK)
            return st;
        is_null = is_null || n;
    }
    bool valid = !is_null && parts[0] >= 1 && parts[0] <= 9999 && parts[1] >= 1 && parts[1] <= 12 &&
                 parts[2] >= 1 && parts[2] <= days_in_month(parts[0], (int)parts[1]) &&
                 parts[3] >= 0 && parts[3] < 24 && parts[4] >= 0 && parts[4] < 60 && second >= 0 &&
                 second < 60;
    if (!valid)
        return FH_OK;
    int64_t ticks = ticks_from_civil(parts[0], (int)parts[1], (int)parts[2]) +
                    parts[3] * TICKS_PER_HOUR + parts[4] * TICKS_PER_MINUTE +
                    (int64_t)llround(second * FH_TICKS_PER_SECOND);
    *out = datetime_or_null(ticks, true);
    return FH_OK;
}

/*
 * make_timespan(hour, minute), (hour, minute, second) or (day, hour, minute, second); the
 * seconds may have a fraction.
 */
static fh_status fn_make_timespan(kql_func_ctx *ctx, const fh_value *args, size_t nargs,
                                  fh_value *out)
{
    static const int64_t unit_2[] = {TICKS_PER_HOUR, TICKS_PER_MINUTE};
    static const int64_t unit_3[] = {TICKS_PER_HOUR, TICKS_PER_MINUTE, FH_TICKS_PER_SECOND};
    static const int64_t unit_4[] = {FH_TICKS_PER_DAY, TICKS_PER_HOUR, TICKS_PER_MINUTE,
                                     FH_TICKS_PER_SECOND};
    const int64_t *units = unit_4;
    if (nargs == 2)
        units = unit_2;
    else if (nargs == 3)
        units = unit_3;
    double total = 0;
    for (size_t i = 0; i < nargs; i++) {
        double v;
        bool is_null;
        fh_status st = kql_arg_real(ctx, "make_timespan", args, i, &v, &is_null);
        if (st != FH_OK)
            return st;
        if (is_null) {
            *out = fh_value_null(FH_TYPE_TIMESPAN);
            return FH_OK;
        }
        total += v * (double)units[i];
    }
    bool ok = isfinite(total) && fabs(total) < 9.2e18;
    *out = ok ? fh_value_timespan((int64_t)llround(total)) : fh_value_null(FH_TYPE_TIMESPAN);
    return FH_OK;
}

static fh_status unixtime(kql_func_ctx *ctx, const char *fname, const fh_value *args,
                          double ticks_per_unit, fh_value *out)
{
    double v;
    bool is_null;
    fh_status st = kql_arg_real(ctx, fname, args, 0, &v, &is_null);
    if (st != FH_OK)
        return st;
    double ticks = v * ticks_per_unit;
    bool ok = !is_null && isfinite(ticks) && fabs(ticks) < 9.2e18;
    *out = datetime_or_null(ok ? (int64_t)llround(ticks) : 0, ok);
    return FH_OK;
}

static fh_status fn_unixtime_seconds(kql_func_ctx *ctx, const fh_value *args, size_t nargs,
                                     fh_value *out)
{
    return unixtime(ctx, "unixtime_seconds_todatetime", args, 1e7, out);
}

static fh_status fn_unixtime_milliseconds(kql_func_ctx *ctx, const fh_value *args, size_t nargs,
                                          fh_value *out)
{
    return unixtime(ctx, "unixtime_milliseconds_todatetime", args, 1e4, out);
}

static fh_status fn_unixtime_microseconds(kql_func_ctx *ctx, const fh_value *args, size_t nargs,
                                          fh_value *out)
{
    return unixtime(ctx, "unixtime_microseconds_todatetime", args, 10, out);
}

static fh_status fn_unixtime_nanoseconds(kql_func_ctx *ctx, const fh_value *args, size_t nargs,
                                         fh_value *out)
{
    return unixtime(ctx, "unixtime_nanoseconds_todatetime", args, 0.01, out);
}

KQL_TYPE_FIXED(type_now, "now", "t", FH_TYPE_DATETIME)
KQL_TYPE_FIXED(type_ago, "ago", "t", FH_TYPE_DATETIME)
KQL_TYPE_FIXED(type_startofday, "startofday", "di", FH_TYPE_DATETIME)
KQL_TYPE_FIXED(type_startofweek, "startofweek", "di", FH_TYPE_DATETIME)
KQL_TYPE_FIXED(type_startofmonth, "startofmonth", "di", FH_TYPE_DATETIME)
KQL_TYPE_FIXED(type_startofyear, "startofyear", "di", FH_TYPE_DATETIME)
KQL_TYPE_FIXED(type_endofday, "endofday", "di", FH_TYPE_DATETIME)
KQL_TYPE_FIXED(type_endofweek, "endofweek", "di", FH_TYPE_DATETIME)
KQL_TYPE_FIXED(type_endofmonth, "endofmonth", "di", FH_TYPE_DATETIME)
KQL_TYPE_FIXED(type_endofyear, "endofyear", "di", FH_TYPE_DATETIME)
KQL_TYPE_FIXED(type_datetime_add, "datetime_add", "sid", FH_TYPE_DATETIME)
KQL_TYPE_FIXED(type_datetime_diff, "datetime_diff", "sdd", FH_TYPE_LONG)
KQL_TYPE_FIXED(type_datetime_part, "datetime_part", "sd", FH_TYPE_INT)
KQL_TYPE_FIXED(type_getyear, "getyear", "d", FH_TYPE_INT)
KQL_TYPE_FIXED(type_getmonth, "getmonth", "d", FH_TYPE_INT)
KQL_TYPE_FIXED(type_monthofyear, "monthofyear", "d", FH_TYPE_INT)
KQL_TYPE_FIXED(type_dayofmonth, "dayofmonth", "d", FH_TYPE_INT)
KQL_TYPE_FIXED(type_dayofyear, "dayofyear", "d", FH_TYPE_INT)
KQL_TYPE_FIXED(type_hourofday, "hourofday", "d", FH_TYPE_INT)
KQL_TYPE_FIXED(type_week_of_year, "week_of_year", "d", FH_TYPE_INT)
KQL_TYPE_FIXED(type_dayofweek, "dayofweek", "d", FH_TYPE_TIMESPAN)
KQL_TYPE_FIXED(type_format_datetime, "format_datetime", "ds", FH_TYPE_STRING)
KQL_TYPE_FIXED(type_format_timespan, "format_timespan", "ts", FH_TYPE_STRING)
KQL_TYPE_FIXED(type_make_datetime, "make_datetime", "iiiiin", FH_TYPE_DATETIME)
KQL_TYPE_FIXED(type_make_timespan, "make_timespan", "nnnn", FH_TYPE_TIMESPAN)
KQL_TYPE_FIXED(type_unixtime_seconds, "unixtime_seconds_todatetime", "n", FH_TYPE_DATETIME)
KQL_TYPE_FIXED(type_unixtime_milliseconds, "unixtime_milliseconds_todatetime", "n",
               FH_TYPE_DATETIME)
KQL_TYPE_FIXED(type_unixtime_microseconds, "unixtime_microseconds_todatetime", "n",
               FH_TYPE_DATETIME)
KQL_TYPE_FIXED(type_unixtime_nanoseconds, "unixtime_nanoseconds_todatetime", "n", FH_TYPE_DATETIME)

static const kql_func_def defs[] = {
    {"now", 0, 1, fn_now, type_now},
    {"ago", 1, 1, fn_ago, type_ago},
    {"startofday", 1, 2, fn_startofday, type_startofday},
    {"startofweek", 1, 2, fn_startofweek, type_startofweek},
    {"startofmonth", 1, 2, fn_startofmonth, type_startofmonth},
    {"startofyear", 1, 2, fn_startofyear, type_startofyear},
    {"endofday", 1, 2, fn_endofday, type_endofday},
    {"endofweek", 1, 2, fn_endofweek, type_endofweek},
    {"endofmonth", 1, 2, fn_endofmonth, type_endofmonth},
    {"endofyear", 1, 2, fn_endofyear, type_endofyear},
    {"datetime_add", 3, 3, fn_datetime_add, type_datetime_add},
    {"datetime_diff", 3, 3, fn_datetime_diff, type_datetime_diff},
    {"datetime_part", 2, 2, fn_datetime_part, type_datetime_part},
    {"getyear", 1, 1, fn_getyear, type_getyear},
    {"getmonth", 1, 1, fn_getmonth, type_getmonth},
    {"monthofyear", 1, 1, fn_monthofyear, type_monthofyear},
    {"dayofmonth", 1, 1, fn_dayofmonth, type_dayofmonth},
    {"dayofyear", 1, 1, fn_dayofyear, type_dayofyear},
    {"hourofday", 1, 1, fn_hourofday, type_hourofday},
    {"week_of_year", 1, 1, fn_week_of_year, type_week_of_year},
    {"dayofweek", 1, 1, fn_dayofweek, type_dayofweek},
    {"format_datetime", 2, 2, fn_format_datetime, type_format_datetime},
    {"format_timespan", 2, 2, fn_format_timespan, type_format_timespan},
    {"make_datetime", 3, 6, fn_make_datetime, type_make_datetime},
    {"make_timespan", 2, 4, fn_make_timespan, type_make_timespan},
    {"unixtime_seconds_todatetime", 1, 1, fn_unixtime_seconds, type_unixtime_seconds},
    {"unixtime_milliseconds_todatetime", 1, 1, fn_unixtime_milliseconds,
     type_unixtime_milliseconds},
    {"unixtime_microseconds_todatetime", 1, 1, fn_unixtime_microseconds,
     type_unixtime_microseconds},
    {"unixtime_nanoseconds_todatetime", 1, 1, fn_unixtime_nanoseconds, type_unixtime_nanoseconds},
};

const kql_func_family kql_func_time = {defs, sizeof defs / sizeof defs[0]};
