/*
 * Timespan text: Kusto's timespan literals ("1.5h", "100ms", "10tick") and the .NET clock form
 * "[-][d.]hh:mm:ss[.fffffff]" that Kusto accepts and prints. A timespan is signed 100 ns ticks.
 */
#include "foxhound/datetime.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "foxhound/value.h"

/* One unit spelling and its length as a fraction of ticks: numerator / denominator. */
typedef struct ts_unit {
    const char *name;
    int64_t numerator;
    int64_t denominator;
} ts_unit;

/* Unit suffixes of Kusto timespan literals, in every spelling Kusto accepts. */
static const ts_unit units[] = {
    {"d", FH_TICKS_PER_DAY, 1},
    {"day", FH_TICKS_PER_DAY, 1},
    {"days", FH_TICKS_PER_DAY, 1},
    {"h", 3600 * FH_TICKS_PER_SECOND, 1},
    {"hr", 3600 * FH_TICKS_PER_SECOND, 1},
    {"hrs", 3600 * FH_TICKS_PER_SECOND, 1},
    {"hour", 3600 * FH_TICKS_PER_SECOND, 1},
    {"hours", 3600 * FH_TICKS_PER_SECOND, 1},
    {"m", 60 * FH_TICKS_PER_SECOND, 1},
    {"min", 60 * FH_TICKS_PER_SECOND, 1},
    {"minute", 60 * FH_TICKS_PER_SECOND, 1},
    {"minutes", 60 * FH_TICKS_PER_SECOND, 1},
    {"s", FH_TICKS_PER_SECOND, 1},
    {"sec", FH_TICKS_PER_SECOND, 1},
    {"second", FH_TICKS_PER_SECOND, 1},
    {"seconds", FH_TICKS_PER_SECOND, 1},
    {"ms", 10000, 1},
    {"milli", 10000, 1},
    {"millis", 10000, 1},
    {"millisec", 10000, 1},
    {"millisecond", 10000, 1},
    {"milliseconds", 10000, 1},
    {"micro", 10, 1},
    {"micros", 10, 1},
    {"microsec", 10, 1},
    {"microsecond", 10, 1},
    {"microseconds", 10, 1},
    {"nano", 1, 100},
    {"nanos", 1, 100},
    {"nanosec", 1, 100},
    {"nanosecond", 1, 100},
    {"nanoseconds", 1, 100},
    {"tick", 1, 1},
    {"ticks", 1, 1},
};

/* Max integer digits of a literal. Any 18 digits fit in int64, and a longer number is rejected
 * with FH_ERR_LIMIT even where a 19-digit count of ticks would fit. */
#define TS_MAX_INTEGER_DIGITS 18

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static const ts_unit *find_unit(const char *p, size_t len)
{
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (strlen(units[i].name) == len && memcmp(units[i].name, p, len) == 0)
            return &units[i];
    }
    return NULL;
}

/* Reads up to max_digits digits into an int64; returns how many were read. */
static size_t read_digits(const char *p, size_t len, size_t max_digits, int64_t *out)
{
    size_t n = 0;
    int64_t value = 0;
    while (n < len && n < max_digits && is_digit(p[n])) {
        value = value * 10 + (p[n] - '0');
        n++;
    }
    *out = value;
    return n;
}

/*
 * Parses "number unit" with an optional fraction: ticks = (whole + fraction) * numerator /
 * denominator, truncated toward zero. The fraction keeps 7 digits, so fraction * numerator
 * stays below 10^7 * 864 * 10^9, which fits in int64.
 */
static fh_status parse_literal(const char *p, size_t len, int64_t *ticks)
{
    int64_t whole = 0;
    size_t pos = read_digits(p, len, TS_MAX_INTEGER_DIGITS, &whole);
    if (pos == 0 || (pos < len && is_digit(p[pos])))
        return pos == 0 ? FH_ERR_PARSE : FH_ERR_LIMIT;

    int64_t fraction = 0;
    int64_t scale = 1;
    if (pos < len && p[pos] == '.') {
        pos++;
        size_t start = pos;
        while (pos < len && is_digit(p[pos])) {
            if (pos - start < 7) {
                fraction = fraction * 10 + (p[pos] - '0');
                scale *= 10;
            }
            pos++;
        }
        if (pos == start)
            return FH_ERR_PARSE;
    }

    const ts_unit *unit = find_unit(p + pos, len - pos);
    if (unit == NULL)
        return FH_ERR_PARSE;

    int64_t product = 0;
    if (__builtin_mul_overflow(whole, unit->numerator, &product))
        return FH_ERR_LIMIT;
    int64_t quotient = product / unit->denominator;
    int64_t remainder = product % unit->denominator;
    int64_t rest = (remainder * scale + fraction * unit->numerator) / (unit->denominator * scale);
    if (__builtin_add_overflow(quotient, rest, ticks))
        return FH_ERR_LIMIT;
    return FH_OK;
}

/* Parses "[d.]hh:mm[:ss[.fffffff]]", or a bare whole number of days. */
static fh_status parse_clock(const char *p, size_t len, int64_t *ticks)
{
    int64_t first = 0;
    size_t pos = read_digits(p, len, 8, &first);
    if (pos == 0)
        return FH_ERR_PARSE;
    if (pos == len)
        return __builtin_mul_overflow(first, FH_TICKS_PER_DAY, ticks) ? FH_ERR_LIMIT : FH_OK;

    int64_t days = 0;
    int64_t hours = first;
    if (p[pos] == '.') {
        days = first;
        size_t n = read_digits(p + pos + 1, len - pos - 1, 2, &hours);
        if (n == 0)
            return FH_ERR_PARSE;
        pos += 1 + n;
    } else if (pos > 2) {
        return FH_ERR_PARSE;
    }

    int64_t minutes = 0;
    int64_t seconds = 0;
    int64_t fraction = 0;
    if (pos >= len || p[pos] != ':' || read_digits(p + pos + 1, len - pos - 1, 2, &minutes) != 2)
        return FH_ERR_PARSE;
    pos += 3;
    if (pos < len && p[pos] == ':') {
        if (read_digits(p + pos + 1, len - pos - 1, 2, &seconds) != 2)
            return FH_ERR_PARSE;
        pos += 3;
        if (pos < len && p[pos] == '.') {
            size_t n = read_digits(p + pos + 1, len - pos - 1, 7, &fraction);
            if (n == 0)
                return FH_ERR_PARSE;
            for (size_t i = n; i < 7; i++)
                fraction *= 10;
            pos += 1 + n;
        }
    }
    if (pos != len)
        return FH_ERR_PARSE;
    if (hours > 23 || minutes > 59 || seconds > 59)
        return FH_ERR_INVALID;

    int64_t day_ticks = 0;
    int64_t clock_ticks = (hours * 3600 + minutes * 60 + seconds) * FH_TICKS_PER_SECOND + fraction;
    if (__builtin_mul_overflow(days, FH_TICKS_PER_DAY, &day_ticks) ||
        __builtin_add_overflow(day_ticks, clock_ticks, ticks))
        return FH_ERR_LIMIT;
    return FH_OK;
}

fh_status fh_timespan_parse(const char *text, size_t len, int64_t *ticks)
{
    while (len > 0 && text[0] == ' ') {
        text++;
        len--;
    }
    while (len > 0 && text[len - 1] == ' ')
        len--;

    bool negative = len > 0 && text[0] == '-';
    if (negative) {
        text++;
        len--;
    }
    if (len == 0)
        return FH_ERR_PARSE;

    bool clock = memchr(text, ':', len) != NULL;
    bool only_digits = true;
    for (size_t i = 0; i < len && only_digits; i++)
        only_digits = is_digit(text[i]);

    int64_t magnitude = 0;
    fh_status st = (clock || only_digits) ? parse_clock(text, len, &magnitude)
                                          : parse_literal(text, len, &magnitude);
    if (st != FH_OK)
        return st;
    *ticks = negative ? -magnitude : magnitude;
    return FH_OK;
}

size_t fh_timespan_format(int64_t ticks, char *buf, size_t size)
{
    /* Unsigned, so that the magnitude of INT64_MIN is exact. */
    uint64_t magnitude = ticks < 0 ? 0 - (uint64_t)ticks : (uint64_t)ticks;
    uint64_t per_second = (uint64_t)FH_TICKS_PER_SECOND;
    uint64_t days = magnitude / (uint64_t)FH_TICKS_PER_DAY;
    uint64_t seconds = magnitude / per_second % 86400;
    uint64_t fraction = magnitude % per_second;

    char day_text[24] = "";
    if (days > 0)
        snprintf(day_text, sizeof day_text, "%llu.", (unsigned long long)days);
    char frac_text[10] = "";
    if (fraction > 0)
        snprintf(frac_text, sizeof frac_text, ".%07llu", (unsigned long long)fraction);

    int n = snprintf(buf, size, "%s%s%02u:%02u:%02u%s", ticks < 0 ? "-" : "", day_text,
                     (unsigned)(seconds / 3600), (unsigned)(seconds / 60 % 60),
                     (unsigned)(seconds % 60), frac_text);
    return n < 0 ? 0 : (size_t)n;
}
