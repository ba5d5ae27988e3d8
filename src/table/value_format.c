/*
 * Rendering values as text and JSON: Kusto's tostring() forms, compact JSON for dynamic
 * values, and JSON string escaping that always yields valid UTF-8. The result writers use the
 * same functions, so a value prints the same way in every output format.
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "foxhound/datetime.h"
#include "foxhound/value_ops.h"
#include "table/value_text.h"

/* Splits the shortest round-trip "%e" text of a finite, non-zero double into its sign, its
 * significant digits without trailing zeros and its decimal exponent. */
static void shortest_digits(double r, bool *negative, char *digits, int *exponent)
{
    char sci[40];
    for (int precision = 1; precision <= 17; precision++) {
        snprintf(sci, sizeof sci, "%.*e", precision - 1, r);
        if (strtod(sci, NULL) == r)
            break;
    }

    const char *p = sci;
    *negative = *p == '-';
    if (*negative)
        p++;
    size_t n = 0;
    for (; *p != 'e'; p++) {
        if (*p != '.')
            digits[n++] = *p;
    }
    while (n > 1 && digits[n - 1] == '0')
        n--;
    digits[n] = '\0';
    *exponent = atoi(p + 1);
}

/*
 * NOTE: snprintf and strtod follow LC_NUMERIC, so this assumes the "C" locale, which a
 * program has unless it calls setlocale.
 */
size_t fh_real_format(double r, char *buf)
{
    if (isnan(r))
        return (size_t)snprintf(buf, FH_REAL_TEXT_MAX, "NaN");
    if (isinf(r))
        return (size_t)snprintf(buf, FH_REAL_TEXT_MAX, r < 0 ? "-Infinity" : "Infinity");
    if (r == 0)
        return (size_t)snprintf(buf, FH_REAL_TEXT_MAX, signbit(r) ? "-0" : "0");

    bool negative = false;
    char digits[24];
    int exponent = 0;
    shortest_digits(r, &negative, digits, &exponent);
    int n = (int)strlen(digits);

    char *out = buf;
    if (negative)
        *out++ = '-';
    if (exponent < -4 || exponent >= 15) {
        *out++ = digits[0];
        if (n > 1) {
            *out++ = '.';
            memcpy(out, digits + 1, (size_t)n - 1);
            out += n - 1;
        }
        out += sprintf(out, "E%c%02d", exponent < 0 ? '-' : '+', abs(exponent));
    } else if (exponent < 0) {
        *out++ = '0';
        *out++ = '.';
        for (int i = 0; i < -exponent - 1; i++)
            *out++ = '0';
        memcpy(out, digits, (size_t)n);
        out += n;
    } else {
        for (int i = 0; i <= exponent || i < n; i++) {
            if (i == exponent + 1)
                *out++ = '.';
            *out++ = i < n ? digits[i] : '0';
        }
    }
    *out = '\0';
    return (size_t)(out - buf);
}

void fh_guid_format(const uint8_t guid[16], char *buf)
{
    static const char hex[] = "0123456789abcdef";
    char *out = buf;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            *out++ = '-';
        *out++ = hex[guid[i] >> 4];
        *out++ = hex[guid[i] & 15];
    }
    *out = '\0';
}

size_t fh_utf8_sequence_length(const unsigned char *p, size_t len)
{
    unsigned char c = p[0];
    if (c < 0x80)
        return 1;

    size_t n = 0;
    unsigned char min_second = 0x80, max_second = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        min_second = c == 0xE0 ? 0xA0 : 0x80;
        max_second = c == 0xED ? 0x9F : 0xBF;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        min_second = c == 0xF0 ? 0x90 : 0x80;
        max_second = c == 0xF4 ? 0x8F : 0xBF;
    } else {
        return 0;
    }

    if (len < n || p[1] < min_second || p[1] > max_second)
        return 0;
    for (size_t i = 2; i < n; i++) {
        if (p[i] < 0x80 || p[i] > 0xBF)
            return 0;
    }
    return n;
}

static void append_escape(fh_strbuf *sb, unsigned char c)
{
    switch (c) {
    case '"':
        fh_strbuf_append(sb, "\\\"", 2);
        break;
    case '\\':
        fh_strbuf_append(sb, "\\\\", 2);
        break;
    case '\n':
        fh_strbuf_append(sb, "\\n", 2);
        break;
    case '\r':
        fh_strbuf_append(sb, "\\r", 2);
        break;
    case '\t':
        fh_strbuf_append(sb, "\\t", 2);
        break;
    case '\b':
        fh_strbuf_append(sb, "\\b", 2);
        break;
    case '\f':
        fh_strbuf_append(sb, "\\f", 2);
        break;
    default:
        fh_strbuf_printf(sb, "\\u%04x", c);
        break;
    }
}

void fh_json_append_string(fh_strbuf *sb, const char *ptr, size_t len)
{
    const unsigned char *p = (const unsigned char *)ptr;
    fh_strbuf_append(sb, "\"", 1);
    size_t i = 0;
    while (i < len) {
        /* Copies the longest run that needs no escaping in one append. */
        size_t run = 0;
        while (i + run < len && p[i + run] >= 0x20 && p[i + run] < 0x80 && p[i + run] != '"' &&
               p[i + run] != '\\')
            run++;
        fh_strbuf_append(sb, ptr + i, run);
        i += run;
        if (i >= len)
            break;

        if (p[i] < 0x20 || p[i] == '"' || p[i] == '\\') {
            append_escape(sb, p[i]);
            i++;
            continue;
        }
        size_t n = fh_utf8_sequence_length(p + i, len - i);
        if (n == 0) {
            fh_strbuf_append(sb, "\xEF\xBF\xBD", 3);
            i++;
        } else {
            fh_strbuf_append(sb, ptr + i, n);
            i += n;
        }
    }
    fh_strbuf_append(sb, "\"", 1);
}

static void append_real_json(fh_strbuf *sb, double r)
{
    char text[FH_REAL_TEXT_MAX];
    size_t n = fh_real_format(r, text);
    if (isfinite(r)) {
        fh_strbuf_append(sb, text, n);
        return;
    }
    fh_json_append_string(sb, text, n);
}

static void append_container(fh_strbuf *sb, const json_t *json)
{
    json_t *mutable_json = (json_t *)json; /* jansson's iteration API takes non-const */
    if (json_is_array(json)) {
        fh_strbuf_append(sb, "[", 1);
        for (size_t i = 0; i < json_array_size(json); i++) {
            if (i > 0)
                fh_strbuf_append(sb, ",", 1);
            fh_json_append(sb, json_array_get(json, i));
        }
        fh_strbuf_append(sb, "]", 1);
        return;
    }

    fh_strbuf_append(sb, "{", 1);
    bool first = true;
    for (void *it = json_object_iter(mutable_json); it != NULL;
         it = json_object_iter_next(mutable_json, it)) {
        if (!first)
            fh_strbuf_append(sb, ",", 1);
        first = false;
        fh_json_append_string(sb, json_object_iter_key(it), json_object_iter_key_len(it));
        fh_strbuf_append(sb, ":", 1);
        fh_json_append(sb, json_object_iter_value(it));
    }
    fh_strbuf_append(sb, "}", 1);
}

void fh_json_append(fh_strbuf *sb, const json_t *json)
{
    switch (json == NULL ? JSON_NULL : json_typeof(json)) {
    case JSON_OBJECT:
    case JSON_ARRAY:
        append_container(sb, json);
        break;
    case JSON_STRING:
        fh_json_append_string(sb, json_string_value(json), json_string_length(json));
        break;
    case JSON_INTEGER:
        fh_strbuf_printf(sb, "%" JSON_INTEGER_FORMAT, json_integer_value(json));
        break;
    case JSON_REAL:
        append_real_json(sb, json_real_value(json));
        break;
    case JSON_TRUE:
        fh_strbuf_append(sb, "true", 4);
        break;
    case JSON_FALSE:
        fh_strbuf_append(sb, "false", 5);
        break;
    case JSON_NULL:
        fh_strbuf_append(sb, "null", 4);
        break;
    }
}

void fh_value_append_text(fh_strbuf *sb, const fh_value *v)
{
    char text[FH_DATETIME_TEXT_MAX];
    if (v->type == FH_TYPE_STRING) {
        fh_strbuf_append(sb, v->u.s.ptr, v->u.s.len);
        return;
    }
    if (v->is_null)
        return;

    switch ((fh_type)v->type) {
    case FH_TYPE_BOOL:
        fh_strbuf_puts(sb, v->u.b ? "true" : "false");
        break;
    case FH_TYPE_INT:
        fh_strbuf_printf(sb, "%d", (int)v->u.i);
        break;
    case FH_TYPE_LONG:
        fh_strbuf_printf(sb, "%lld", (long long)v->u.l);
        break;
    case FH_TYPE_REAL:
        fh_strbuf_append(sb, text, fh_real_format(v->u.r, text));
        break;
    case FH_TYPE_DATETIME:
        fh_strbuf_append(sb, text, fh_datetime_format(v->u.ticks, text, sizeof text));
        break;
    case FH_TYPE_TIMESPAN:
        fh_strbuf_append(sb, text, fh_timespan_format(v->u.ticks, text, sizeof text));
        break;
    case FH_TYPE_DYNAMIC:
        if (json_is_string(v->u.dyn))
            fh_strbuf_append(sb, json_string_value(v->u.dyn), json_string_length(v->u.dyn));
        else
            fh_json_append(sb, v->u.dyn);
        break;
    case FH_TYPE_GUID:
        fh_guid_format(v->u.guid, text);
        fh_strbuf_append(sb, text, 36);
        break;
    case FH_TYPE_STRING:
    case FH_TYPE_COUNT:
        break;
    }
}

void fh_json_append_value(fh_strbuf *sb, const fh_value *v)
{
    if (v->type != FH_TYPE_STRING && v->is_null) {
        fh_strbuf_append(sb, "null", 4);
        return;
    }
    switch ((fh_type)v->type) {
    case FH_TYPE_BOOL:
    case FH_TYPE_INT:
    case FH_TYPE_LONG:
        fh_value_append_text(sb, v);
        break;
    case FH_TYPE_REAL:
        append_real_json(sb, v->u.r);
        break;
    case FH_TYPE_DYNAMIC:
        fh_json_append(sb, v->u.dyn);
        break;
    case FH_TYPE_STRING:
        fh_json_append_string(sb, v->u.s.ptr, v->u.s.len);
        break;
    case FH_TYPE_DATETIME:
    case FH_TYPE_TIMESPAN:
    case FH_TYPE_GUID:
    case FH_TYPE_COUNT: {
        fh_strbuf text;
        fh_strbuf_init(&text);
        fh_value_append_text(&text, v);
        fh_strbuf_append(sb, "\"", 1);
        fh_strbuf_append(sb, text.data ? text.data : "", text.len);
        fh_strbuf_append(sb, "\"", 1);
        if (text.failed)
            sb->failed = true;
        fh_strbuf_free(&text);
        break;
    }
    }
}

fh_status fh_value_to_string(const fh_value *v, fh_arena *arena, const char **ptr, size_t *len)
{
    if (v->type == FH_TYPE_STRING) {
        *ptr = v->u.s.ptr;
        *len = v->u.s.len;
        return FH_OK;
    }

    fh_strbuf sb;
    fh_strbuf_init(&sb);
    fh_value_append_text(&sb, v);
    fh_status st = fh_strbuf_status(&sb);
    char *copy = st == FH_OK ? fh_arena_strndup(arena, sb.data ? sb.data : "", sb.len) : NULL;
    if (st == FH_OK && copy == NULL)
        st = FH_ERR_NOMEM;
    if (st == FH_OK) {
        *ptr = copy;
        *len = sb.len;
    }
    fh_strbuf_free(&sb);
    return st;
}

/* Makes a JSON string from bytes that may not be valid UTF-8, replacing invalid bytes. */
static json_t *json_string_from_bytes(const char *ptr, size_t len)
{
    json_t *json = json_stringn(ptr, len);
    if (json != NULL)
        return json;

    fh_strbuf sb;
    fh_strbuf_init(&sb);
    fh_json_append_string(&sb, ptr, len);
    json = sb.failed ? NULL : json_loadb(sb.data, sb.len, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
    fh_strbuf_free(&sb);
    return json;
}

json_t *fh_value_to_json(const fh_value *v)
{
    if (v->type != FH_TYPE_STRING && v->is_null)
        return json_null();

    switch ((fh_type)v->type) {
    case FH_TYPE_BOOL:
        return json_boolean(v->u.b);
    case FH_TYPE_INT:
        return json_integer(v->u.i);
    case FH_TYPE_LONG:
        return json_integer(v->u.l);
    case FH_TYPE_REAL:
        if (isfinite(v->u.r))
            return json_real(v->u.r);
        break;
    case FH_TYPE_DYNAMIC:
        return json_incref(v->u.dyn);
    case FH_TYPE_STRING:
        return json_string_from_bytes(v->u.s.ptr, v->u.s.len);
    case FH_TYPE_DATETIME:
    case FH_TYPE_TIMESPAN:
    case FH_TYPE_GUID:
    case FH_TYPE_COUNT:
        break;
    }

    fh_strbuf sb;
    fh_strbuf_init(&sb);
    fh_value_append_text(&sb, v);
    json_t *json = sb.failed ? NULL : json_stringn(sb.data ? sb.data : "", sb.len);
    fh_strbuf_free(&sb);
    return json;
}
