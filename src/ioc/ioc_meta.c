/*
 * Indicator metadata as feeds write it: missing values spelled "None", "", "-" or null,
 * confidences as "75" or "75%", times with a " UTC" suffix, tags as arrays or comma-joined
 * strings. Also the emit step that every importer ends with: normalise, attach metadata,
 * add to the set or record a reject.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "foxhound/datetime.h"
#include "foxhound/limits.h"
#include "foxhound/value.h"
#include "ioc/ioc_internal.h"

/* The white space of isspace in the C locale, without a locale lookup per byte. */
static bool is_ascii_space(char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

void ioc_trim(const char **s, size_t *n)
{
    while (*n > 0 && is_ascii_space((*s)[0])) {
        (*s)++;
        (*n)--;
    }
    while (*n > 0 && is_ascii_space((*s)[*n - 1]))
        (*n)--;
}

bool ioc_next_line(const char *data, size_t len, size_t *pos, const char **line, size_t *n)
{
    if (*pos >= len)
        return false;
    const char *start = data + *pos;
    const char *nl = memchr(start, '\n', len - *pos);
    size_t take = nl == NULL ? len - *pos : (size_t)(nl - start);
    *pos += take + (nl != NULL);
    if (take > 0 && start[take - 1] == '\r')
        take--;
    *line = start;
    *n = take;
    return true;
}

char *ioc_strndup(const char *s, size_t n)
{
    char *copy = malloc(n + 1);
    if (copy == NULL)
        return NULL;
    memcpy(copy, s, n);
    copy[n] = '\0';
    return copy;
}

bool ioc_is_null_text(const char *s, size_t n)
{
    ioc_trim(&s, &n);
    if (n == 0)
        return true;
    return (n == 4 && (strncmp(s, "None", 4) == 0 || strncmp(s, "none", 4) == 0 ||
                       strncmp(s, "null", 4) == 0)) ||
           (n == 1 && s[0] == '-');
}

fh_status ioc_set_text(char **dst, const char *s, size_t n)
{
    free(*dst);
    *dst = NULL;
    if (s == NULL || ioc_is_null_text(s, n))
        return FH_OK;
    ioc_trim(&s, &n);
    *dst = ioc_strndup(s, n);
    return *dst == NULL ? FH_ERR_NOMEM : FH_OK;
}

/* Appends to a string list unless the entry is empty, present already or over the cap. */
static fh_status list_add(char ***list, size_t *count, const char *s, size_t n)
{
    ioc_trim(&s, &n);
    if (ioc_is_null_text(s, n))
        return FH_OK;
    for (size_t i = 0; i < *count; i++)
        if (strlen((*list)[i]) == n && strncmp((*list)[i], s, n) == 0)
            return FH_OK;
    if (*count >= FH_MAX_IOC_TAGS)
        return FH_ERR_LIMIT;

    char **grown = realloc(*list, (*count + 1) * sizeof *grown);
    if (grown == NULL)
        return FH_ERR_NOMEM;
    *list = grown;
    grown[*count] = ioc_strndup(s, n);
    if (grown[*count] == NULL)
        return FH_ERR_NOMEM;
    (*count)++;
    return FH_OK;
}

fh_status ioc_add_tag(fh_indicator *ioc, const char *s, size_t n)
{
    return list_add(&ioc->tags, &ioc->ntags, s, n);
}

fh_status ioc_add_alias(fh_indicator *ioc, const char *s, size_t n)
{
    return list_add(&ioc->aliases, &ioc->naliases, s, n);
}

static fh_status list_add_joined(char ***list, size_t *count, const char *s, size_t n, char sep)
{
    size_t start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && s[i] != sep)
            continue;
        fh_status st = list_add(list, count, s + start, i - start);
        if (st != FH_OK)
            return st;
        start = i + 1;
    }
    return FH_OK;
}

fh_status ioc_add_tag_list(fh_indicator *ioc, const char *s, size_t n, char sep)
{
    return list_add_joined(&ioc->tags, &ioc->ntags, s, n, sep);
}

fh_status ioc_add_alias_list(fh_indicator *ioc, const char *s, size_t n, char sep)
{
    return list_add_joined(&ioc->aliases, &ioc->naliases, s, n, sep);
}

bool ioc_parse_confidence(const char *s, size_t n, int *out)
{
    ioc_trim(&s, &n);
    if (n > 0 && s[n - 1] == '%') {
        n--;
        ioc_trim(&s, &n);
    }
    return ioc_parse_decimal(s, n, 100, out);
}

/* Reads count ASCII digits; false when one is not a digit. */
static bool fixed_digits(const char *s, int count, int *out)
{
    int v = 0;
    for (int i = 0; i < count; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

/* Days from 1970-01-01 to a date of the proleptic Gregorian calendar (year 1 or later). */
static int64_t days_since_epoch(int year, int month, int day)
{
    int64_t y = year - (month <= 2);
    int64_t year_of_era = y % 400;
    int64_t era = y / 400;
    int64_t shifted_month = month > 2 ? month - 3 : month + 9;
    int64_t day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
    int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * 146097 + day_of_era - 719468;
}

bool ioc_parse_time_fast(const char *s, size_t n, int64_t *out)
{
    if (n != 19 || s[4] != '-' || s[7] != '-' || s[10] != ' ' || s[13] != ':' || s[16] != ':')
        return false;
    int year, month, day, hour, minute, second;
    if (!fixed_digits(s, 4, &year) || !fixed_digits(s + 5, 2, &month) ||
        !fixed_digits(s + 8, 2, &day) || !fixed_digits(s + 11, 2, &hour) ||
        !fixed_digits(s + 14, 2, &minute) || !fixed_digits(s + 17, 2, &second))
        return false;
    static const int month_days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (year < 1 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59)
        return false;
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    if (day > month_days[month - 1] + (month == 2 && leap))
        return false;
    int64_t seconds =
        days_since_epoch(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
    *out = seconds * FH_TICKS_PER_SECOND;
    return true;
}

bool ioc_parse_time(const char *s, size_t n, int64_t *out)
{
    if (s != NULL && ioc_parse_time_fast(s, n, out))
        return true;
    if (s == NULL || ioc_is_null_text(s, n)) {
        *out = FH_TIME_UNKNOWN;
        return true;
    }
    ioc_trim(&s, &n);
    /* ThreatFox API times end in the literal " UTC"; the time itself is UTC. */
    if (n > 4 && strncasecmp(s + n - 4, " UTC", 4) == 0)
        n -= 4;
    return fh_datetime_parse(s, n, out) == FH_OK;
}

/* Formats the reject reason, with the location inside the document when given. */
static void reject_reason(char *buf, size_t size, const char *where, const char *message)
{
    if (where != NULL)
        snprintf(buf, size, "%s: %s", where, message);
    else
        snprintf(buf, size, "%s", message);
}

static fh_status emit_result(ioc_import *imp, unsigned long line, fh_status st, fh_indicator *v,
                             const char *raw, size_t len, const fh_indicator *meta,
                             const char *where, const fh_error *why)
{
    if (st == FH_ERR_INVALID) {
        char reason[FH_ERROR_MESSAGE_MAX + 128];
        reject_reason(reason, sizeof reason, where, why->message);
        return ioc_reject(imp, line, raw, len, reason);
    }
    if (st != FH_OK)
        return fh_error_set(imp->err, st, imp->name, line, 0, "%s", why->message);

    /* A borrowed view of meta with the value of v: the set copies what it keeps. */
    fh_indicator full;
    if (meta != NULL)
        full = *meta;
    else
        fh_indicator_init(&full);
    full.borrowed = true;
    full.type = v->type;
    full.value = v->value;
    full.address = v->address;
    full.port = v->port;
    full.prefix_bits = v->prefix_bits;
    return fh_ioc_set_add(imp->set, &full, imp->err);
}

fh_status ioc_emit(ioc_import *imp, unsigned long line, fh_ioc_type type, const char *raw,
                   size_t len, const fh_indicator *meta, const char *where)
{
    fh_indicator v;
    fh_indicator_init(&v);
    fh_error why;
    fh_error_clear(&why);
    fh_status st = fh_indicator_normalize(type, raw, len, &v, &why);
    st = emit_result(imp, line, st, &v, raw, len, meta, where, &why);
    fh_indicator_clear(&v);
    return st;
}

/* Counts lines up to pos, continuing from the last count when pos is further on. */
static unsigned long line_of(ioc_import *imp, size_t pos)
{
    if (pos < imp->counted_pos || imp->counted_line == 0) {
        imp->counted_pos = 0;
        imp->counted_line = 1;
    }
    for (size_t i = imp->counted_pos; i < pos; i++)
        if (imp->data[i] == '\n')
            imp->counted_line++;
    imp->counted_pos = pos;
    return imp->counted_line;
}

fh_status ioc_reject(ioc_import *imp, unsigned long line, const char *raw, size_t len,
                     const char *reason)
{
    if (line == 0 && imp->locate_json && imp->locate_key != NULL) {
        /* Several rejects may come from one object: its key is looked up once. */
        if (imp->located_key != imp->locate_key) {
            imp->located_key = imp->locate_key;
            imp->located_line = ioc_locate_line(imp, imp->locate_key);
        }
        line = imp->located_line;
    } else if (line == 0 && imp->locate_json) {
        char *copy = ioc_strndup(raw, len);
        if (copy == NULL)
            return fh_error_set(imp->err, FH_ERR_NOMEM, imp->name, 0, 0, "out of memory");
        line = ioc_locate_line(imp, copy);
        free(copy);
    }
    fh_status st = fh_ioc_set_reject(imp->set, imp->name, line, raw, len, reason);
    if (st == FH_ERR_NOMEM)
        return fh_error_set(imp->err, st, imp->name, line, 0, "out of memory");
    return st;
}

unsigned long ioc_locate_line(ioc_import *imp, const char *value)
{
    size_t vlen = strlen(value);
    if (vlen == 0 || imp->locate_from >= imp->len)
        return 0;

    /* Look for the value between quotes, as a JSON string writes it when nothing is escaped. */
    const char *hay = imp->data + imp->locate_from;
    size_t left = imp->len - imp->locate_from;
    while (left > vlen + 1) {
        const char *hit = memmem(hay, left, value, vlen);
        if (hit == NULL)
            return 0;
        size_t pos = (size_t)(hit - imp->data);
        if (pos > 0 && imp->data[pos - 1] == '"' && pos + vlen < imp->len &&
            imp->data[pos + vlen] == '"') {
            imp->locate_from = pos + vlen;
            return line_of(imp, pos);
        }
        left -= (size_t)(hit - hay) + 1;
        hay = hit + 1;
    }
    return 0;
}

fh_status ioc_list_status(ioc_import *imp, fh_status st)
{
    if (st == FH_ERR_LIMIT) {
        char reason[96];
        snprintf(reason, sizeof reason, "tag or alias beyond the first %d of one indicator",
                 FH_MAX_IOC_TAGS);
        return fh_ioc_set_skip(imp->set, reason);
    }
    if (st == FH_ERR_NOMEM)
        return fh_error_set(imp->err, st, imp->name, 0, 0, "out of memory");
    return st;
}

const char *ioc_json_str(json_t *obj, const char *key)
{
    json_t *member = json_object_get(obj, key);
    return json_is_string(member) ? json_string_value(member) : NULL;
}

fh_status ioc_json_text(json_t *obj, const char *key, char **dst)
{
    json_t *member = json_object_get(obj, key);
    if (!json_is_string(member))
        return FH_OK;
    return ioc_set_text(dst, json_string_value(member), json_string_length(member));
}
