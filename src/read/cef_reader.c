/*
 * One CEF record per line, with an optional syslog prefix, parsed into a CommonSecurityLog row
 * in a single pass over the line.
 *
 * Record shape:
 *   [prefix] CEF:Version|Vendor|Product|Version|Signature ID|Name|Severity|Extension
 * Header fields escape "|" and "\" with a backslash. The extension is space-separated
 * key=value pairs whose values may contain spaces, so a value ends where a run of spaces is
 * followed by a key and "=". Values escape "=", "\", newline (\n) and carriage return (\r).
 * Any other backslash stays as it is. An unescaped "=" that does not follow a space stays in
 * the value, which keeps URLs, base64 padding and JSON intact.
 *
 * Strings are copied into the arena only for wanted columns, and a value is unescaped only
 * when its scan saw an escape.
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "foxhound/datetime.h"
#include "foxhound/limits.h"
#include "read/cef_map.h"
#include "read/cef_reader.h"
#include "table/schema_builtin.h"

#define HEADER_FIELDS 6 /* vendor, product, version, signature ID, name, severity */

/* Maximum length of a numeric or date value, which is decoded through a stack copy. A longer
 * value is invalid, so its cell is null. */
#define NUMBER_TEXT_MAX 64

/* Maximum length of a syslog header timestamp, which is rebuilt before parsing. */
#define SYSLOG_TIME_MAX 64

typedef struct text_slice {
    const char *ptr;
    size_t len;
    bool escaped; /* the scan saw an escape sequence, so the text needs unescaping */
} text_slice;

typedef struct cef_parse {
    const bool *wanted;
    fh_value *row;
    fh_arena *arena;
    fh_error *err;

    char syslog_time[SYSLOG_TIME_MAX]; /* header timestamp, rebuilt with single spaces */
    size_t syslog_time_len;
    bool syslog_time_has_year;
    text_slice receipt_time; /* rt */
    text_slice start_time;   /* start */

    char *extra; /* AdditionalExtensions being built, in the arena */
    size_t extra_len;
    size_t extra_cap;
    size_t npairs;
} cef_parse;

static bool is_wanted(const cef_parse *p, int column)
{
    return p->wanted == NULL || p->wanted[column];
}

static fh_status fail(cef_parse *p, fh_status status, size_t offset, const char *message)
{
    return fh_error_set(p->err, status, NULL, 0, offset + 1, "%s", message);
}

/* ---- Unescaping ---------------------------------------------------------------------- */

/* Header fields: "\|" and "\\" lose their backslash; other backslashes stay. */
static size_t unescape_header(const char *src, size_t len, char *dst)
{
    size_t out = 0;
    for (size_t i = 0; i < len; i++) {
        if (src[i] == '\\' && i + 1 < len && (src[i + 1] == '|' || src[i + 1] == '\\'))
            i++;
        dst[out++] = src[i];
    }
    return out;
}

static bool is_extension_escape(char c)
{
    return c == '=' || c == '\\' || c == 'n' || c == 'r';
}

/* Extension values: "\=", "\\", "\n" and "\r" are decoded; other backslashes stay. */
static size_t unescape_extension(const char *src, size_t len, char *dst)
{
    size_t out = 0;
    for (size_t i = 0; i < len; i++) {
        char c = src[i];
        if (c == '\\' && i + 1 < len && is_extension_escape(src[i + 1])) {
            i++;
            c = src[i];
            if (c == 'n')
                c = '\n';
            else if (c == 'r')
                c = '\r';
        }
        dst[out++] = c;
    }
    return out;
}

/* ---- Typed cells ----------------------------------------------------------------------- */

static fh_status store_string(cef_parse *p, int column, text_slice text, bool header)
{
    char *copy = fh_arena_alloc(p->arena, text.len + 1);
    if (copy == NULL)
        return fail(p, FH_ERR_NOMEM, 0, "out of memory copying a CEF value");

    size_t len = text.len;
    if (!text.escaped)
        memcpy(copy, text.ptr, len);
    else if (header)
        len = unescape_header(text.ptr, text.len, copy);
    else
        len = unescape_extension(text.ptr, text.len, copy);
    copy[len] = '\0';
    p->row[column] = fh_value_string(copy, len);
    return FH_OK;
}

/* Copies an extension value into buf, unescaped and NUL-terminated; false when too long. */
static bool copy_small(text_slice text, char *buf, size_t size, size_t *len)
{
    if (text.len >= size)
        return false;
    *len = text.escaped ? unescape_extension(text.ptr, text.len, buf) : text.len;
    if (!text.escaped)
        memcpy(buf, text.ptr, text.len);
    buf[*len] = '\0';
    return true;
}

/* Parses optional sign and decimal digits, with nothing else around them, into 64 bits. */
static bool parse_integer(text_slice text, int64_t *out)
{
    char buf[NUMBER_TEXT_MAX];
    const char *digits = text.ptr;
    size_t len = text.len;
    if (text.escaped && !copy_small(text, buf, sizeof buf, &len))
        return false;
    if (text.escaped)
        digits = buf;

    size_t i = 0;
    bool negative = len > 0 && digits[0] == '-';
    if (len > 0 && (digits[0] == '-' || digits[0] == '+'))
        i = 1;
    if (i == len)
        return false;

    uint64_t magnitude = 0;
    uint64_t limit = negative ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (; i < len; i++) {
        unsigned digit = (unsigned char)digits[i] - '0';
        if (digit > 9 || magnitude > (limit - digit) / 10)
            return false;
        magnitude = magnitude * 10 + digit;
    }
    *out = negative ? (int64_t)(0 - magnitude) : (int64_t)magnitude;
    return true;
}

/* Parses a decimal number such as "3.14", "-2" or "1e-3"; hex, inf and nan are invalid. */
static bool parse_real(text_slice text, double *out)
{
    char buf[NUMBER_TEXT_MAX];
    size_t len;
    if (!copy_small(text, buf, sizeof buf, &len) || len == 0)
        return false;
    if (strspn(buf, "0123456789+-.eE") != len)
        return false;

    char *end = NULL;
    double value = strtod(buf, &end);
    if (end != buf + len)
        return false;
    *out = value;
    return true;
}

/*
 * Parses a date value: epoch milliseconds (13 digits) or seconds (10 digits), the CEF forms
 * "MMM dd yyyy HH:mm:ss[.SSS] [zone]", ISO 8601 and the others fh_datetime_parse accepts. A
 * form without a year takes default_year, or is invalid when default_year is 0.
 */
static bool parse_time(text_slice text, int default_year, int64_t *ticks)
{
    char buf[NUMBER_TEXT_MAX];
    size_t len;
    if (!copy_small(text, buf, sizeof buf, &len) || len == 0)
        return false;
    return fh_datetime_parse_with_year(buf, len, default_year, ticks) == FH_OK;
}

static fh_status store_typed(cef_parse *p, int column, text_slice text)
{
    fh_value *cell = &p->row[column];
    int64_t integer;
    double real;

    switch ((fh_type)cell->type) {
    case FH_TYPE_STRING:
        return store_string(p, column, text, false);
    case FH_TYPE_INT:
        if (parse_integer(text, &integer) && integer >= INT32_MIN && integer <= INT32_MAX)
            *cell = fh_value_int((int32_t)integer);
        else
            *cell = fh_value_null(FH_TYPE_INT);
        return FH_OK;
    case FH_TYPE_LONG:
        if (parse_integer(text, &integer))
            *cell = fh_value_long(integer);
        else
            *cell = fh_value_null(FH_TYPE_LONG);
        return FH_OK;
    case FH_TYPE_REAL:
        if (parse_real(text, &real))
            *cell = fh_value_real(real);
        else
            *cell = fh_value_null(FH_TYPE_REAL);
        return FH_OK;
    case FH_TYPE_DATETIME:
        if (parse_time(text, 0, &integer))
            *cell = fh_value_datetime(integer);
        else
            *cell = fh_value_null(FH_TYPE_DATETIME);
        return FH_OK;
    default:
        return fail(p, FH_ERR_INTERNAL, 0, "CEF column has a type the reader cannot fill");
    }
}

/* ---- Syslog prefix --------------------------------------------------------------------- */

typedef struct token {
    const char *ptr;
    size_t len;
} token;

/* Returns the next space-separated token of [*pos, end), or an empty token at the end. */
static token next_token(const char **pos, const char *end)
{
    const char *s = *pos;
    while (s < end && *s == ' ')
        s++;
    const char *start = s;
    while (s < end && *s != ' ')
        s++;
    *pos = s;
    return (token){start, (size_t)(s - start)};
}

static bool all_digits(token t)
{
    if (t.len == 0)
        return false;
    for (size_t i = 0; i < t.len; i++) {
        if (t.ptr[i] < '0' || t.ptr[i] > '9')
            return false;
    }
    return true;
}

static bool token_is(token t, const char *text)
{
    return t.len == strlen(text) && memcmp(t.ptr, text, t.len) == 0;
}

static bool is_month(token t)
{
    static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    if (t.len != 3)
        return false;
    for (size_t i = 0; i < 36; i += 3) {
        if (memcmp(months + i, t.ptr, 3) == 0)
            return true;
    }
    return false;
}

/* Zone names seen after syslog times: "UTC", "IST", "+05:30", "GMT+00:00". */
static bool is_zone(token t)
{
    static const char *const names[] = {
        "UTC",  "GMT",  "UT",   "Z",    "EST",  "EDT",  "CST",  "CDT",  "MST", "MDT",  "PST", "PDT",
        "AKST", "AKDT", "HST",  "IST",  "CET",  "CEST", "EET",  "EEST", "WET", "WEST", "BST", "MSK",
        "JST",  "KST",  "AEST", "AEDT", "ACST", "AWST", "NZST", "NZDT", "SGT", "HKT",
    };
    if (t.len > 0 && (t.ptr[0] == '+' || t.ptr[0] == '-'))
        return true;
    if (t.len > 3 && (memcmp(t.ptr, "GMT", 3) == 0 || memcmp(t.ptr, "UTC", 3) == 0) &&
        (t.ptr[3] == '+' || t.ptr[3] == '-'))
        return true;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (token_is(t, names[i]))
            return true;
    }
    return false;
}

static void append_time_part(cef_parse *p, token t)
{
    if (p->syslog_time_len + t.len + 2 > sizeof p->syslog_time) {
        p->syslog_time_len = 0; /* too long to be a timestamp; leave it unparsed */
        return;
    }
    if (p->syslog_time_len > 0)
        p->syslog_time[p->syslog_time_len++] = ' ';
    memcpy(p->syslog_time + p->syslog_time_len, t.ptr, t.len);
    p->syslog_time_len += t.len;
    p->syslog_time[p->syslog_time_len] = '\0';
}

/*
 * Reads "Mmm d[d] [yyyy] hh:mm:ss[.fff] [zone]" starting at the month token, rebuilding it as
 * "Mmm dd [yyyy] hh:mm:ss[.fff] [zone]". Returns false when the tokens do not fit that shape.
 */
static bool read_bsd_time(cef_parse *p, token month, const char **pos, const char *end)
{
    token day = next_token(pos, end);
    if (!all_digits(day) || day.len > 2)
        return false;
    append_time_part(p, month);
    char padded[2] = {'0', day.ptr[0]};
    append_time_part(p, day.len == 2 ? day : (token){padded, 2});

    token t = next_token(pos, end);
    if (all_digits(t) && t.len == 4) {
        append_time_part(p, t);
        p->syslog_time_has_year = true;
        t = next_token(pos, end);
    }
    if (t.len < 8 || t.ptr[2] != ':')
        return false;
    append_time_part(p, t);

    /* A zone is taken only when a host token follows it. */
    const char *after_zone = *pos;
    token zone = next_token(&after_zone, end);
    token host = next_token(&(const char *){after_zone}, end);
    if (is_zone(zone) && host.len > 0) {
        append_time_part(p, zone);
        *pos = after_zone;
    }
    return true;
}

static fh_status store_host(cef_parse *p, token host)
{
    if (host.len == 0 || token_is(host, "-") || !is_wanted(p, CSL_Computer))
        return FH_OK;
    return store_string(p, CSL_Computer, (text_slice){host.ptr, host.len, false}, false);
}

/*
 * Takes the time and host from the text before "CEF:". Shapes: RFC 5424
 * ("<PRI>1 TIMESTAMP HOST APP PROCID MSGID SD"), RFC 3164 ("<PRI>Mmm dd hh:mm:ss HOST TAG"),
 * the same with a year, fraction and zone, epoch milliseconds or an ISO 8601 time before the
 * host, or a bare host or tag. A prefix that fits none of them is ignored.
 */
static fh_status parse_prefix(cef_parse *p, const char *s, const char *end)
{
    if (s < end && *s == '<') {
        const char *close = memchr(s, '>', (size_t)(end - s));
        if (close != NULL && close - s <= 4)
            s = close + 1;
    }

    token first = next_token(&s, end);
    if (first.len == 0)
        return FH_OK;

    token time = {NULL, 0};
    if (token_is(first, "1") && s < end) {
        time = next_token(&s, end); /* RFC 5424 version 1 */
    } else if (is_month(first)) {
        if (!read_bsd_time(p, first, &s, end)) {
            p->syslog_time_len = 0;
            return FH_OK;
        }
    } else if ((all_digits(first) && first.len >= 9) ||
               (first.len >= 10 && first.ptr[4] == '-' && first.ptr[0] >= '0' &&
                first.ptr[0] <= '9')) {
        time = first; /* epoch milliseconds or ISO 8601 */
    } else {
        /* A bare host, unless the token is a tag such as "KSMG:". */
        if (first.ptr[first.len - 1] == ':')
            return FH_OK;
        return store_host(p, first);
    }

    if (time.len > 0 && !token_is(time, "-")) {
        append_time_part(p, time);
        p->syslog_time_has_year = true;
    }
    return store_host(p, next_token(&s, end));
}

/* ---- CEF marker and header --------------------------------------------------------------- */

/*
 * Returns the offset of "CEF:" followed by optional spaces, a version number and "|", or -1.
 * *header is set to the offset just after that "|".
 */
static long find_marker(const char *line, size_t len, size_t *header)
{
    const char *s = line;
    const char *end = line + len;
    while (s + 4 <= end) {
        const char *hit = memmem(s, (size_t)(end - s), "CEF:", 4);
        if (hit == NULL)
            return -1;
        const char *v = hit + 4;
        while (v < end && *v == ' ')
            v++;
        const char *digits = v;
        while (v < end && *v >= '0' && *v <= '9')
            v++;
        if (v > digits && v < end && *v == '|') {
            *header = (size_t)(v + 1 - line);
            return hit - line;
        }
        s = hit + 1;
    }
    return -1;
}

bool cef_reader_is_cef(const char *line, size_t len)
{
    size_t header;
    return find_marker(line, len, &header) >= 0;
}

static const int header_columns[HEADER_FIELDS] = {
    CSL_DeviceVendor,       CSL_DeviceProduct, CSL_DeviceVersion,
    CSL_DeviceEventClassID, CSL_Activity,      CSL_LogSeverity,
};

/*
 * Splits the six header fields after the version. The last (severity) may end the line
 * without a closing "|", as in a record with no extension. Sets *extension to the offset of
 * the extension, or len when there is none.
 */
static fh_status parse_header(cef_parse *p, const char *line, size_t len, size_t start,
                              size_t *extension)
{
    size_t i = start;
    for (int field = 0; field < HEADER_FIELDS; field++) {
        size_t field_start = i;
        bool escaped = false;
        while (i < len && line[i] != '|') {
            if (line[i] == '\\' && i + 1 < len && (line[i + 1] == '|' || line[i + 1] == '\\')) {
                escaped = true;
                i++;
            }
            i++;
        }
        bool last = field == HEADER_FIELDS - 1;
        if (i == len && !last) {
            return fh_error_set(p->err, FH_ERR_PARSE, NULL, 0, i + 1,
                                "CEF header ends after %d of 7 fields; a record needs "
                                "version, vendor, product, version, signature ID, name "
                                "and severity",
                                field + 2);
        }
        int column = header_columns[field];
        if (is_wanted(p, column)) {
            text_slice text = {line + field_start, i - field_start, escaped};
            fh_status st = store_string(p, column, text, true);
            if (st != FH_OK)
                return st;
        }
        if (i < len)
            i++; /* the closing "|" */
    }
    *extension = i;
    return FH_OK;
}

/* ---- Extension ----------------------------------------------------------------------------- */

static bool is_word_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static bool is_dotted_part_char(char c)
{
    return c != '.' && c != '=' && c != ' ' && c != '\t' && c != '|' && c != '\\' && c != '[' &&
           c != ']';
}

/* A key found in the extension, and where its value starts. */
typedef struct extension_key {
    const char *ptr; /* NULL when there is no further key */
    size_t len;
    const char *value; /* just after the "=" */
} extension_key;

/*
 * Matches a key and its "=" at s: word characters, then ".part" groups (such as
 * "ad.Authorization" or "Auth.NAS-Port"), then an optional "[n]" index, then optional spaces
 * before "=".
 */
static bool match_key(const char *s, const char *end, extension_key *key)
{
    const char *k = s;
    while (k < end && is_word_char(*k))
        k++;
    if (k == s)
        return false;

    while (k + 1 < end && *k == '.' && is_dotted_part_char(k[1])) {
        k++;
        while (k < end && is_dotted_part_char(*k))
            k++;
    }
    if (k < end && *k == '[') {
        const char *d = k + 1;
        while (d < end && *d >= '0' && *d <= '9')
            d++;
        if (d > k + 1 && d < end && *d == ']')
            k = d + 1;
    }
    size_t len = (size_t)(k - s);

    while (k < end && *k == ' ')
        k++;
    if (k == end || *k != '=')
        return false;
    *key = (extension_key){s, len, k + 1};
    return true;
}

/*
 * Scans a value from s: it ends where a run of spaces is followed by a key and "=", or at the
 * end of the line. The space run before the next key is not part of the value. Sets *next to
 * the next key, whose ptr is NULL at the end of the line.
 */
static text_slice scan_value(const char *s, const char *end, extension_key *next)
{
    text_slice value = {s, 0, false};
    const char *i = s;
    for (;;) {
        while (i < end && *i != ' ' && *i != '\\')
            i++;
        if (i == end)
            break;
        if (*i == '\\') {
            if (i + 1 < end && is_extension_escape(i[1])) {
                value.escaped = true;
                i++;
            }
            i++;
            continue;
        }

        const char *run_end = i;
        while (run_end < end && *run_end == ' ')
            run_end++;
        if (run_end == end)
            break;
        if (match_key(run_end, end, next)) {
            value.len = (size_t)(i - s);
            return value;
        }
        i = run_end;
    }
    value.len = (size_t)(i - s);
    next->ptr = NULL;
    return value;
}

static fh_status reserve_extra(cef_parse *p, size_t need_total)
{
    if (p->extra != NULL)
        return FH_OK;
    p->extra = fh_arena_alloc(p->arena, need_total + 1);
    if (p->extra == NULL)
        return fail(p, FH_ERR_NOMEM, 0, "out of memory building AdditionalExtensions");
    p->extra_cap = need_total + 1;
    return FH_OK;
}

/*
 * Appends "key=value" to AdditionalExtensions, ";"-separated, with the value unescaped, as
 * Sentinel stores keys it has no column for. The buffer is sized once from the rest of the
 * extension, which is never shorter than what is appended from it.
 */
static fh_status append_extra(cef_parse *p, const char *key, size_t key_len, text_slice value,
                              size_t rest_len)
{
    fh_status st = reserve_extra(p, rest_len + 1);
    if (st != FH_OK)
        return st;
    if (p->extra_len + key_len + value.len + 2 > p->extra_cap)
        return fail(p, FH_ERR_INTERNAL, 0, "AdditionalExtensions buffer too small");

    char *out = p->extra + p->extra_len;
    if (p->extra_len > 0)
        *out++ = ';';
    memcpy(out, key, key_len);
    out += key_len;
    if (key_len > 0)
        *out++ = '=';
    out += value.escaped ? unescape_extension(value.ptr, value.len, out)
                         : (memcpy(out, value.ptr, value.len), value.len);
    *out = '\0';
    p->extra_len = (size_t)(out - p->extra);
    return FH_OK;
}

static fh_status store_external_id(cef_parse *p, const cef_key *key, text_slice value)
{
    if (is_wanted(p, key->column2)) {
        fh_status st = store_string(p, key->column2, value, false);
        if (st != FH_OK)
            return st;
    }
    if (is_wanted(p, key->column))
        return store_typed(p, key->column, value);
    return FH_OK;
}

/* cnN fills the int column when the number fits 32 bits and the long column always. */
static fh_status store_custom_number(cef_parse *p, const cef_key *key, text_slice value)
{
    if (is_wanted(p, key->column)) {
        fh_status st = store_typed(p, key->column, value);
        if (st != FH_OK)
            return st;
    }
    if (is_wanted(p, key->column2))
        return store_typed(p, key->column2, value);
    return FH_OK;
}

static fh_status store_pair(cef_parse *p, const char *key, size_t key_len, text_slice value,
                            size_t rest_len)
{
    const cef_key *mapped = cef_map_lookup(key, key_len);
    if (mapped == NULL) {
        if (!is_wanted(p, CSL_AdditionalExtensions))
            return FH_OK;
        return append_extra(p, key, key_len, value, rest_len);
    }

    switch ((cef_key_kind)mapped->kind) {
    case CEF_KEY_EXTERNAL_ID:
        return store_external_id(p, mapped, value);
    case CEF_KEY_CUSTOM_NUMBER:
        return store_custom_number(p, mapped, value);
    case CEF_KEY_RECEIPT_TIME:
        p->receipt_time = value;
        break;
    case CEF_KEY_START_TIME:
        p->start_time = value;
        break;
    case CEF_KEY_COLUMN:
        break;
    }
    if (!is_wanted(p, mapped->column))
        return FH_OK;
    return store_typed(p, mapped->column, value);
}

static fh_status parse_extension(cef_parse *p, const char *line, size_t len, size_t start)
{
    const char *end = line + len;
    const char *s = line + start;
    while (s < end && *s == ' ')
        s++;
    if (s == end)
        return FH_OK;

    /* Text before the first key is kept in AdditionalExtensions rather than dropped. */
    extension_key key;
    if (!match_key(s, end, &key)) {
        text_slice orphan = scan_value(s, end, &key);
        if (is_wanted(p, CSL_AdditionalExtensions)) {
            fh_status st = append_extra(p, s, 0, orphan, (size_t)(end - s));
            if (st != FH_OK)
                return st;
        }
    }

    while (key.ptr != NULL) {
        if (++p->npairs > FH_MAX_CEF_EXTENSIONS) {
            return fh_error_set(p->err, FH_ERR_LIMIT, NULL, 0, (size_t)(key.ptr - line) + 1,
                                "CEF record has more than %d extension pairs "
                                "(FH_MAX_CEF_EXTENSIONS)",
                                FH_MAX_CEF_EXTENSIONS);
        }
        extension_key next;
        text_slice value = scan_value(key.value, end, &next);
        fh_status st = store_pair(p, key.ptr, key.len, value, (size_t)(end - key.ptr));
        if (st != FH_OK)
            return st;
        key = next;
    }
    return FH_OK;
}

/* ---- Row completion ------------------------------------------------------------------------ */

/*
 * Guesses the year of a syslog time that has none. It is the current UTC year, or the year
 * before when the date would then lie more than two days in the future, so that December logs
 * read in January stay in December.
 */
static bool parse_yearless_time(text_slice text, int64_t *ticks)
{
    time_t now = time(NULL);
    struct tm utc;
    if (gmtime_r(&now, &utc) == NULL)
        return false;
    int year = utc.tm_year + 1900;
    if (!parse_time(text, year, ticks))
        return false;

    int64_t now_ticks = (int64_t)now * FH_TICKS_PER_SECOND;
    if (*ticks > now_ticks + 2 * FH_TICKS_PER_DAY)
        return parse_time(text, year - 1, ticks);
    return true;
}

/*
 * TimeGenerated comes from the syslog header time when that has a year, else from rt, else
 * from start, else from a header time without a year (RFC 3164). A year-less time needs its
 * year guessed, which puts old logs in the wrong year, while rt and start carry a full date.
 * NOTE: a zone name other than UTC, GMT and the US zones (such as "IST", which names three
 * different offsets) makes the header time invalid, so rt or start is used instead.
 */
static void resolve_time_generated(cef_parse *p)
{
    int64_t ticks;
    text_slice header_time = {p->syslog_time, p->syslog_time_len, false};
    bool have_header = p->syslog_time_len > 0;

    if (have_header && p->syslog_time_has_year && parse_time(header_time, 0, &ticks))
        goto found;
    if (p->receipt_time.ptr != NULL && parse_time(p->receipt_time, 0, &ticks))
        goto found;
    if (p->start_time.ptr != NULL && parse_time(p->start_time, 0, &ticks))
        goto found;
    if (have_header && !p->syslog_time_has_year && parse_yearless_time(header_time, &ticks))
        goto found;
    return;

found:
    p->row[CSL_TimeGenerated] = fh_value_datetime(ticks);
}

static void store_constants(cef_parse *p)
{
    if (is_wanted(p, CSL_SourceSystem))
        p->row[CSL_SourceSystem] = fh_value_string("OpsManager", strlen("OpsManager"));
    if (is_wanted(p, CSL_Type))
        p->row[CSL_Type] = fh_value_string("CommonSecurityLog", strlen("CommonSecurityLog"));
    if (p->extra != NULL)
        p->row[CSL_AdditionalExtensions] = fh_value_string(p->extra, p->extra_len);
}

/* NOTE: RemoteIP, RemotePort and SimplifiedDeviceAction, which Sentinel derives from other
 * columns, and the threat-intelligence enrichment columns stay empty. */
fh_status cef_reader_parse_line(const char *line, size_t len, const bool *wanted, fh_value *row,
                                fh_arena *arena, fh_error *err)
{
    while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r' || line[len - 1] == ' '))
        len--;

    size_t header;
    long marker = find_marker(line, len, &header);
    if (marker < 0)
        return fh_error_set(err, FH_ERR_PARSE, NULL, 0, 1,
                            "not a CEF record: no \"CEF:<version>|\" marker");

    cef_parse p = {.wanted = wanted, .row = row, .arena = arena, .err = err};
    fh_status st = parse_prefix(&p, line, line + marker);
    if (st != FH_OK)
        return st;

    size_t extension = len;
    st = parse_header(&p, line, len, header, &extension);
    if (st != FH_OK)
        return st;
    st = parse_extension(&p, line, len, extension);
    if (st != FH_OK)
        return st;

    if (is_wanted(&p, CSL_TimeGenerated))
        resolve_time_generated(&p);
    store_constants(&p);
    return FH_OK;
}
