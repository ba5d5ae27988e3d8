/*
 * Datetime text: parsing the date forms that logs, feeds and KQL literals carry, and printing
 * datetimes as ISO 8601 in UTC. Dates use the proleptic Gregorian calendar, as Kusto does.
 * Each form has its own small parser over a cursor, and fh_datetime_parse picks the parser
 * from the first characters of the text.
 */
#include "foxhound/datetime.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "foxhound/value.h"

/* Read position in the text being parsed. */
typedef struct dt_cursor {
    const char *p;
    size_t len;
    size_t pos;
} dt_cursor;

/* Broken-down datetime as the text states it, before the zone offset is applied. */
typedef struct dt_fields {
    int year, month, day;
    int hour, minute, second;
    int64_t fraction;   /* ticks below one second, 0 to 9,999,999 */
    int offset_minutes; /* local time minus UTC */
    bool has_year;
} dt_fields;

static const char *const month_names[12] = {"january",   "february", "march",    "april",
                                            "may",       "june",     "july",     "august",
                                            "september", "october",  "november", "december"};

static const char *const weekday_names[7] = {"monday", "tuesday",  "wednesday", "thursday",
                                             "friday", "saturday", "sunday"};

/* Names of zones that have one fixed offset. Other abbreviations (IST, CET) are rejected
 * because they are ambiguous or change with the season. */
static const struct {
    const char *name;
    int offset_minutes;
} zone_names[] = {
    {"utc", 0},       {"gmt", 0},       {"ut", 0},        {"z", 0},
    {"est", -5 * 60}, {"edt", -4 * 60}, {"cst", -6 * 60}, {"cdt", -5 * 60},
    {"mst", -7 * 60}, {"mdt", -6 * 60}, {"pst", -8 * 60}, {"pdt", -7 * 60},
};

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static bool at_end(const dt_cursor *c)
{
    return c->pos >= c->len;
}

static char peek(const dt_cursor *c)
{
    return at_end(c) ? '\0' : c->p[c->pos];
}

static bool accept_char(dt_cursor *c, char ch)
{
    if (peek(c) != ch || at_end(c))
        return false;
    c->pos++;
    return true;
}

static size_t skip_spaces(dt_cursor *c)
{
    size_t start = c->pos;
    while (!at_end(c) && c->p[c->pos] == ' ')
        c->pos++;
    return c->pos - start;
}

/* Reads min_digits to max_digits decimal digits; fails when fewer are there. */
static bool read_number(dt_cursor *c, int min_digits, int max_digits, int *out)
{
    int value = 0;
    int n = 0;
    while (n < max_digits && is_digit(peek(c))) {
        value = value * 10 + (c->p[c->pos] - '0');
        c->pos++;
        n++;
    }
    *out = value;
    return n >= min_digits;
}

/* Counts the letters of the word at the cursor without consuming them. */
static size_t word_length(const dt_cursor *c)
{
    size_t n = 0;
    while (c->pos + n < c->len && is_alpha(c->p[c->pos + n]))
        n++;
    return n;
}

/* Matches a word of n letters against a name in full or as its first three letters. */
static bool word_matches(const char *word, size_t n, const char *name)
{
    size_t name_len = strlen(name);
    if (n != 3 && n != name_len)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (lower(word[i]) != name[i])
            return false;
    }
    return true;
}

/* Reads a name from a list, in full or as its first three letters; index is 0-based. */
static bool read_name(dt_cursor *c, const char *const *names, int count, int *index)
{
    size_t n = word_length(c);
    for (int i = 0; i < count; i++) {
        if (word_matches(c->p + c->pos, n, names[i])) {
            c->pos += n;
            *index = i;
            return true;
        }
    }
    return false;
}

/* Reads a month name ("Jun", "june") as a 1-based month. */
static bool read_month_name(dt_cursor *c, int *month)
{
    int index = 0;
    if (!read_name(c, month_names, 12, &index))
        return false;
    *month = index + 1;
    return true;
}

static bool read_weekday_name(dt_cursor *c)
{
    int index = 0;
    return read_name(c, weekday_names, 7, &index);
}

/* Reads a signed offset "+hh", "+hh:mm" or "+hhmm" as minutes. */
static bool read_numeric_offset(dt_cursor *c, int *minutes)
{
    int sign = 0;
    if (accept_char(c, '+'))
        sign = 1;
    else if (accept_char(c, '-'))
        sign = -1;
    else
        return false;

    int hours = 0;
    int mins = 0;
    if (!read_number(c, 2, 2, &hours))
        return false;
    bool colon = accept_char(c, ':');
    if (colon || is_digit(peek(c))) {
        if (!read_number(c, 2, 2, &mins))
            return false;
    }
    if (hours > 14 || mins > 59)
        return false;
    *minutes = sign * (hours * 60 + mins);
    return true;
}

/* Reads a zone name, a numeric offset or a name followed by an offset ("GMT+01:00"). */
static bool read_zone(dt_cursor *c, int *minutes)
{
    size_t n = word_length(c);
    if (n == 0)
        return read_numeric_offset(c, minutes);

    for (size_t i = 0; i < sizeof zone_names / sizeof zone_names[0]; i++) {
        const char *name = zone_names[i].name;
        if (strlen(name) != n)
            continue;
        size_t k = 0;
        while (k < n && lower(c->p[c->pos + k]) == name[k])
            k++;
        if (k < n)
            continue;
        c->pos += n;
        *minutes = zone_names[i].offset_minutes;
        if (zone_names[i].offset_minutes == 0 && (peek(c) == '+' || peek(c) == '-'))
            return read_numeric_offset(c, minutes);
        return true;
    }
    return false;
}

/* Reads an optional zone after optional spaces, then requires the end of the text. */
static bool finish_with_zone(dt_cursor *c, dt_fields *f)
{
    skip_spaces(c);
    if (at_end(c))
        return true;
    if (!read_zone(c, &f->offset_minutes))
        return false;
    skip_spaces(c);
    return at_end(c);
}

/* Reads ".digits" (or ",digits"): the first 7 digits give ticks, the rest are dropped. */
static bool read_fraction(dt_cursor *c, int64_t *fraction)
{
    int64_t ticks = 0;
    int digits = 0;
    while (is_digit(peek(c))) {
        if (digits < 7) {
            ticks = ticks * 10 + (c->p[c->pos] - '0');
            digits++;
        }
        c->pos++;
    }
    if (digits == 0)
        return false;
    for (; digits < 7; digits++)
        ticks *= 10;
    *fraction = ticks;
    return true;
}

/* Reads "h:mm[:ss[.fffffff]]" with one- or two-digit hours. */
static bool read_time(dt_cursor *c, dt_fields *f)
{
    if (!read_number(c, 1, 2, &f->hour) || !accept_char(c, ':'))
        return false;
    if (!read_number(c, 2, 2, &f->minute))
        return false;
    if (!accept_char(c, ':'))
        return true;
    if (!read_number(c, 2, 2, &f->second))
        return false;
    if (accept_char(c, '.'))
        return read_fraction(c, &f->fraction);
    return true;
}

/* Two-digit years follow RFC 5322 section 4.3: 00-49 are 20xx, 50-99 are 19xx. */
static bool read_year(dt_cursor *c, int *year)
{
    size_t start = c->pos;
    if (!read_number(c, 2, 4, year))
        return false;
    size_t digits = c->pos - start;
    if (digits == 3)
        return false;
    if (digits == 2)
        *year += *year < 50 ? 2000 : 1900;
    return true;
}

/* ISO 8601: "yyyy-MM-dd[(T| )HH:mm[:ss[.f]][zone]]", zone directly after or after spaces. */
static bool parse_iso(dt_cursor *c, dt_fields *f)
{
    if (!read_number(c, 4, 4, &f->year) || !accept_char(c, '-'))
        return false;
    if (!read_number(c, 2, 2, &f->month) || !accept_char(c, '-'))
        return false;
    if (!read_number(c, 2, 2, &f->day))
        return false;
    f->has_year = true;
    if (at_end(c))
        return true;

    char sep = peek(c);
    if (sep != 'T' && sep != 't' && sep != ' ')
        return false;
    c->pos++;
    if (!read_number(c, 2, 2, &f->hour) || !accept_char(c, ':'))
        return false;
    if (!read_number(c, 2, 2, &f->minute))
        return false;
    if (accept_char(c, ':')) {
        if (!read_number(c, 2, 2, &f->second))
            return false;
        if ((accept_char(c, '.') || accept_char(c, ',')) && !read_fraction(c, &f->fraction))
            return false;
    }
    return finish_with_zone(c, f);
}

/* Portal CSV export: "M/d/yyyy[,] h:mm[:ss[.fff]] [AM|PM]". */
static bool parse_portal(dt_cursor *c, dt_fields *f)
{
    if (!read_number(c, 1, 2, &f->month) || !accept_char(c, '/'))
        return false;
    if (!read_number(c, 1, 2, &f->day) || !accept_char(c, '/'))
        return false;
    if (!read_number(c, 4, 4, &f->year))
        return false;
    f->has_year = true;
    accept_char(c, ',');
    if (skip_spaces(c) == 0 || !read_time(c, f))
        return false;

    skip_spaces(c);
    size_t n = word_length(c);
    if (n == 2) {
        char a = lower(c->p[c->pos]);
        char m = lower(c->p[c->pos + 1]);
        if ((a != 'a' && a != 'p') || m != 'm' || f->hour < 1 || f->hour > 12)
            return false;
        c->pos += 2;
        f->hour = f->hour % 12 + (a == 'p' ? 12 : 0);
    }
    return finish_with_zone(c, f);
}

/* RFC 822 after the weekday: "d Mon yy[yy] HH:mm[:ss] [zone]". */
static bool parse_rfc822_rest(dt_cursor *c, dt_fields *f)
{
    if (!read_number(c, 1, 2, &f->day) || skip_spaces(c) == 0)
        return false;
    if (!read_month_name(c, &f->month) || skip_spaces(c) == 0)
        return false;
    if (!read_year(c, &f->year) || skip_spaces(c) == 0)
        return false;
    f->has_year = true;
    return read_time(c, f) && finish_with_zone(c, f);
}

/* RFC 850 after the weekday: "dd-Mon-yy[yy] HH:mm[:ss] [zone]". */
static bool parse_rfc850_rest(dt_cursor *c, dt_fields *f)
{
    if (!read_number(c, 1, 2, &f->day) || !accept_char(c, '-'))
        return false;
    if (!read_month_name(c, &f->month) || !accept_char(c, '-'))
        return false;
    if (!read_year(c, &f->year) || skip_spaces(c) == 0)
        return false;
    f->has_year = true;
    return read_time(c, f) && finish_with_zone(c, f);
}

/* A date that starts with the day of the month: RFC 822 or RFC 850 without a weekday. */
static bool parse_day_first(dt_cursor *c, dt_fields *f)
{
    size_t start = c->pos;
    if (parse_rfc822_rest(c, f))
        return true;
    c->pos = start;
    memset(f, 0, sizeof *f);
    return parse_rfc850_rest(c, f);
}

/* CEF: "MMM dd[,] [yyyy ]HH:mm:ss[.SSS] [zone]". */
static bool parse_cef(dt_cursor *c, dt_fields *f)
{
    if (!read_month_name(c, &f->month) || skip_spaces(c) == 0)
        return false;
    if (!read_number(c, 1, 2, &f->day))
        return false;
    accept_char(c, ',');
    if (skip_spaces(c) == 0)
        return false;

    size_t start = c->pos;
    int year = 0;
    if (read_number(c, 4, 4, &year) && skip_spaces(c) > 0) {
        f->year = year;
        f->has_year = true;
    } else {
        c->pos = start;
    }
    return read_time(c, f) && finish_with_zone(c, f);
}

/* "Sat, 13 Jun 2026 ..." (RFC 822) or "Saturday, 13-Jun-26 ..." (RFC 850). */
static bool parse_weekday_first(dt_cursor *c, dt_fields *f)
{
    if (!read_weekday_name(c))
        return false;
    accept_char(c, ',');
    if (skip_spaces(c) == 0)
        return false;
    return parse_day_first(c, f);
}

/* Digits only: 13 digits are epoch milliseconds and 10 digits epoch seconds. */
static bool parse_epoch(const char *p, size_t len, int64_t *ticks)
{
    if (len != 10 && len != 13)
        return false;
    int64_t value = 0;
    for (size_t i = 0; i < len; i++) {
        if (!is_digit(p[i]))
            return false;
        value = value * 10 + (p[i] - '0');
    }
    *ticks = value * (len == 13 ? 10000 : FH_TICKS_PER_SECOND);
    return true;
}

static bool is_leap_year(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static int days_in_month(int year, int month)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && is_leap_year(year) ? 29 : days[month - 1];
}

/*
 * Days from 1970-01-01 to a civil date, for any year of the proleptic Gregorian calendar. The
 * calendar repeats every 400 years (146,097 days), and counting years from March puts the leap
 * day at the end of a year.
 */
static int64_t days_from_civil(int year, int month, int day)
{
    int64_t y = year - (month <= 2);
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t year_of_era = y - era * 400;
    int64_t shifted_month = month > 2 ? month - 3 : month + 9;
    int64_t day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
    int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * 146097 + day_of_era - 719468;
}

/* Inverse of days_from_civil. */
static void civil_from_days(int64_t days, int *year, int *month, int *day)
{
    days += 719468;
    int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    int64_t day_of_era = days - era * 146097;
    int64_t year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
    int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    int64_t shifted_month = (5 * day_of_year + 2) / 153;
    *day = (int)(day_of_year - (153 * shifted_month + 2) / 5 + 1);
    *month = (int)(shifted_month < 10 ? shifted_month + 3 : shifted_month - 9);
    *year = (int)(year_of_era + era * 400 + (*month <= 2));
}

/* Checks every field's range and converts to UTC ticks. */
static fh_status fields_to_ticks(const dt_fields *f, int64_t *ticks)
{
    if (f->year < 1 || f->year > 9999 || f->month < 1 || f->month > 12)
        return FH_ERR_INVALID;
    if (f->day < 1 || f->day > days_in_month(f->year, f->month))
        return FH_ERR_INVALID;
    if (f->hour > 23 || f->minute > 59 || f->second > 59)
        return FH_ERR_INVALID;

    int64_t seconds = days_from_civil(f->year, f->month, f->day) * 86400 + f->hour * 3600 +
                      f->minute * 60 + f->second - (int64_t)f->offset_minutes * 60;
    int64_t result = seconds * FH_TICKS_PER_SECOND + f->fraction;
    if (result < FH_DATETIME_MIN_TICKS || result > FH_DATETIME_MAX_TICKS)
        return FH_ERR_INVALID;
    *ticks = result;
    return FH_OK;
}

/* Runs the parser that the first characters point to. */
static bool parse_any(dt_cursor *c, dt_fields *f)
{
    size_t digits = 0;
    while (c->pos + digits < c->len && is_digit(c->p[c->pos + digits]))
        digits++;
    char after = c->pos + digits < c->len ? c->p[c->pos + digits] : '\0';

    if (digits == 4 && after == '-')
        return parse_iso(c, f);
    if ((digits == 1 || digits == 2) && after == '/')
        return parse_portal(c, f);
    if (digits == 1 || digits == 2)
        return parse_day_first(c, f);
    if (digits > 0)
        return false;

    size_t start = c->pos;
    if (parse_cef(c, f))
        return true;
    c->pos = start;
    memset(f, 0, sizeof *f);
    return parse_weekday_first(c, f);
}

fh_status fh_datetime_parse_with_year(const char *text, size_t len, int default_year,
                                      int64_t *ticks)
{
    while (len > 0 && text[0] == ' ') {
        text++;
        len--;
    }
    while (len > 0 && text[len - 1] == ' ')
        len--;
    if (len == 0)
        return FH_ERR_PARSE;
    if (parse_epoch(text, len, ticks))
        return FH_OK;

    dt_cursor c = {.p = text, .len = len, .pos = 0};
    dt_fields f;
    memset(&f, 0, sizeof f);
    if (!parse_any(&c, &f))
        return FH_ERR_PARSE;
    if (!f.has_year) {
        if (default_year == 0)
            return FH_ERR_PARSE;
        f.year = default_year;
    }
    return fields_to_ticks(&f, ticks);
}

fh_status fh_datetime_parse(const char *text, size_t len, int64_t *ticks)
{
    return fh_datetime_parse_with_year(text, len, 0, ticks);
}

/* Floor division, so that times before 1970 fall on the right day. */
static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

size_t fh_datetime_format(int64_t ticks, char *buf, size_t size)
{
    int64_t days = floor_div(ticks, FH_TICKS_PER_DAY);
    int64_t in_day = ticks % FH_TICKS_PER_DAY;
    if (in_day < 0)
        in_day += FH_TICKS_PER_DAY;
    int64_t seconds = in_day / FH_TICKS_PER_SECOND;
    int64_t fraction = in_day % FH_TICKS_PER_SECOND;
    int year = 0, month = 0, day = 0;
    civil_from_days(days, &year, &month, &day);

    char frac_text[9] = "";
    if (fraction != 0) {
        int digits = 7;
        while (fraction % 10 == 0) {
            fraction /= 10;
            digits--;
        }
        snprintf(frac_text, sizeof frac_text, ".%0*lld", digits, (long long)fraction);
    }

    int n =
        snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d%sZ", year, month, day,
                 (int)(seconds / 3600), (int)(seconds / 60 % 60), (int)(seconds % 60), frac_text);
    return n < 0 ? 0 : (size_t)n;
}
