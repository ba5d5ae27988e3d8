/*
 * Conversion of cell text and JSON values to typed values, as readers do for each cell. Text
 * that is empty gives null; text that does not convert gives null and FH_ERR_INVALID, so the
 * reader can count it. Numbers take plain decimal forms only: no hex, no thousands separators.
 */
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "foxhound/datetime.h"
#include "foxhound/limits.h"
#include "foxhound/value_ops.h"
#include "table/value_text.h"

/* Max length of text for a real. The longest exact decimal form of a double has 767 digits. */
#define REAL_TEXT_MAX 800

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool equals_nocase(const char *text, size_t len, const char *word)
{
    if (strlen(word) != len)
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != word[i])
            return false;
    }
    return true;
}

/* Parses "[+-]digits" into an int64, rejecting overflow. */
static bool parse_long(const char *text, size_t len, int64_t *out)
{
    size_t i = 0;
    bool negative = false;
    if (i < len && (text[i] == '-' || text[i] == '+')) {
        negative = text[i] == '-';
        i++;
    }
    if (i == len)
        return false;

    /* Accumulates negatively so that INT64_MIN fits. */
    int64_t value = 0;
    for (; i < len; i++) {
        if (text[i] < '0' || text[i] > '9')
            return false;
        int digit = text[i] - '0';
        if (value < (INT64_MIN + digit) / 10)
            return false;
        value = value * 10 - digit;
    }
    if (!negative && value == INT64_MIN)
        return false;
    *out = negative ? value : -value;
    return true;
}

/* Parses a decimal real, or "NaN", "Infinity", "+Infinity", "-Infinity" (any case, and "inf"). */
static bool parse_real(const char *text, size_t len, double *out)
{
    bool negative = len > 0 && text[0] == '-';
    size_t skip = len > 0 && (text[0] == '-' || text[0] == '+') ? 1 : 0;
    if (equals_nocase(text, len, "nan")) {
        *out = NAN;
        return true;
    }
    if (equals_nocase(text + skip, len - skip, "infinity") ||
        equals_nocase(text + skip, len - skip, "inf")) {
        *out = negative ? -INFINITY : INFINITY;
        return true;
    }

    /* strtod also takes hex and "nan(...)" forms, so the characters are checked first. */
    bool digit_seen = false;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        digit_seen = digit_seen || (c >= '0' && c <= '9');
        if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-'))
            return false;
    }
    if (!digit_seen || len >= REAL_TEXT_MAX)
        return false;

    char copy[REAL_TEXT_MAX];
    memcpy(copy, text, len);
    copy[len] = '\0';
    char *end = NULL;
    *out = strtod(copy, &end);
    return end == copy + len;
}

static bool parse_bool(const char *text, size_t len, bool *out)
{
    if (equals_nocase(text, len, "true") || (len == 1 && text[0] == '1')) {
        *out = true;
        return true;
    }
    if (equals_nocase(text, len, "false") || (len == 1 && text[0] == '0')) {
        *out = false;
        return true;
    }
    return false;
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

fh_status fh_guid_parse(const char *text, size_t len, uint8_t out[16])
{
    if (len != 36)
        return FH_ERR_PARSE;
    size_t byte = 0;
    for (size_t i = 0; i < 36;) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (text[i] != '-')
                return FH_ERR_PARSE;
            i++;
            continue;
        }
        int high = hex_value(text[i]);
        int low = hex_value(text[i + 1]);
        if (high < 0 || low < 0)
            return FH_ERR_PARSE;
        out[byte++] = (uint8_t)(high << 4 | low);
        i += 2;
    }
    return FH_OK;
}

/* Returns the depth of nested arrays and objects (0 for a scalar), counting no further than
 * one past FH_MAX_JSON_DEPTH. */
static int json_depth(const json_t *json, int depth)
{
    if (depth > FH_MAX_JSON_DEPTH || !(json_is_array(json) || json_is_object(json)))
        return depth;
    int deepest = depth + 1;
    json_t *mutable_json = (json_t *)json; /* jansson's iteration API takes non-const */
    if (json_is_array(json)) {
        for (size_t i = 0; i < json_array_size(json); i++) {
            int d = json_depth(json_array_get(json, i), depth + 1);
            deepest = d > deepest ? d : deepest;
        }
        return deepest;
    }
    for (void *it = json_object_iter(mutable_json); it != NULL;
         it = json_object_iter_next(mutable_json, it)) {
        int d = json_depth(json_object_iter_value(it), depth + 1);
        deepest = d > deepest ? d : deepest;
    }
    return deepest;
}

/* Stores a new JSON reference as a dynamic value held by the arena; JSON null is null. */
static fh_status adopt_dynamic(json_t *json, fh_arena *arena, fh_value *out)
{
    if (json == NULL)
        return FH_ERR_NOMEM;
    if (json_is_null(json)) {
        json_decref(json);
        *out = fh_value_null(FH_TYPE_DYNAMIC);
        return FH_OK;
    }
    fh_status st = fh_arena_adopt_json(arena, json);
    if (st != FH_OK)
        return st;
    *out = fh_value_null(FH_TYPE_DYNAMIC);
    out->is_null = false;
    out->u.dyn = json;
    return FH_OK;
}

/* Parses JSON text for a dynamic cell; text that is not JSON is kept as a JSON string. */
static fh_status dynamic_from_text(const char *text, size_t len, fh_arena *arena, fh_value *out)
{
    json_t *json = json_loadb(text, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
    if (json != NULL && json_depth(json, 0) > FH_MAX_JSON_DEPTH) {
        json_decref(json);
        return FH_ERR_LIMIT;
    }
    if (json == NULL) {
        fh_strbuf sb;
        fh_strbuf_init(&sb);
        fh_json_append_string(&sb, text, len);
        if (!sb.failed)
            json = json_loadb(sb.data, sb.len, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
        fh_strbuf_free(&sb);
    }
    return adopt_dynamic(json, arena, out);
}

/* Converts trimmed, non-empty text to a scalar type other than string and dynamic. */
static bool scalar_from_text(fh_type type, const char *text, size_t len, fh_value *out)
{
    int64_t l = 0;
    switch (type) {
    case FH_TYPE_BOOL:
        return parse_bool(text, len, &out->u.b);
    case FH_TYPE_INT:
        if (!parse_long(text, len, &l) || l < INT32_MIN || l > INT32_MAX)
            return false;
        out->u.i = (int32_t)l;
        return true;
    case FH_TYPE_LONG:
        return parse_long(text, len, &out->u.l);
    case FH_TYPE_REAL:
        return parse_real(text, len, &out->u.r);
    case FH_TYPE_DATETIME:
        return fh_datetime_parse(text, len, &out->u.ticks) == FH_OK;
    case FH_TYPE_TIMESPAN:
        return fh_timespan_parse(text, len, &out->u.ticks) == FH_OK;
    case FH_TYPE_GUID:
        return fh_guid_parse(text, len, out->u.guid) == FH_OK;
    case FH_TYPE_STRING:
    case FH_TYPE_DYNAMIC:
    case FH_TYPE_COUNT:
        break;
    }
    return false;
}

fh_status fh_value_from_text(fh_type type, const char *text, size_t len, fh_arena *arena,
                             fh_value *out)
{
    *out = fh_value_null(type);
    if (type == FH_TYPE_STRING) {
        if (len == 0)
            return FH_OK;
        char *copy = fh_arena_strndup(arena, text, len);
        if (copy == NULL)
            return FH_ERR_NOMEM;
        *out = fh_value_string(copy, len);
        return FH_OK;
    }

    while (len > 0 && is_space(text[0])) {
        text++;
        len--;
    }
    while (len > 0 && is_space(text[len - 1]))
        len--;
    if (len == 0)
        return FH_OK;
    if (type == FH_TYPE_DYNAMIC)
        return dynamic_from_text(text, len, arena, out);
    if ((unsigned)type >= FH_TYPE_COUNT)
        return FH_ERR_INVALID;

    fh_value converted = fh_value_null(type);
    converted.is_null = false;
    if (!scalar_from_text(type, text, len, &converted))
        return FH_ERR_INVALID;
    *out = converted;
    return FH_OK;
}

/* Converts a JSON number to a numeric column type. Reals go to int and long truncated toward
 * zero. */
static fh_status number_from_json(fh_type type, const json_t *json, fh_value *out)
{
    bool is_integer = json_is_integer(json);
    json_int_t integer = is_integer ? json_integer_value(json) : 0;
    double real = is_integer ? (double)integer : json_real_value(json);

    if (type == FH_TYPE_REAL) {
        *out = fh_value_real(real);
        return FH_OK;
    }
    if (!is_integer) {
        if (!isfinite(real) || real < -9223372036854775808.0 || real >= 9223372036854775808.0)
            return FH_ERR_INVALID;
        integer = (json_int_t)real;
    }
    if (type == FH_TYPE_LONG) {
        *out = fh_value_long(integer);
        return FH_OK;
    }
    if (integer < INT32_MIN || integer > INT32_MAX)
        return FH_ERR_INVALID;
    *out = fh_value_int((int32_t)integer);
    return FH_OK;
}

/*
 * Converts a JSON value through its compact JSON text: a string column keeps the text, a
 * datetime column reads 10 or 13 digits as epoch time, and a timespan column reads a whole
 * number as days.
 */
static fh_status convert_json_text(fh_type type, const json_t *json, fh_arena *arena, fh_value *out)
{
    fh_strbuf sb;
    fh_strbuf_init(&sb);
    fh_json_append(&sb, json);
    fh_status st = fh_strbuf_status(&sb);
    if (st == FH_OK)
        st = fh_value_from_text(type, sb.data, sb.len, arena, out);
    fh_strbuf_free(&sb);
    return st;
}

fh_status fh_value_from_json(fh_type type, json_t *json, fh_arena *arena, fh_value *out)
{
    *out = fh_value_null(type);
    if (json == NULL || json_is_null(json))
        return FH_OK;

    if (json_is_string(json))
        return fh_value_from_text(type, json_string_value(json), json_string_length(json), arena,
                                  out);
    if (type == FH_TYPE_DYNAMIC)
        return adopt_dynamic(json_incref(json), arena, out);
    if ((json_is_array(json) || json_is_object(json)) && type != FH_TYPE_STRING)
        return FH_ERR_INVALID;

    fh_status st = FH_OK;
    if (json_is_boolean(json) && type == FH_TYPE_BOOL)
        *out = fh_value_bool(json_is_true(json));
    else if (json_is_boolean(json) && (type == FH_TYPE_INT || type == FH_TYPE_LONG))
        *out = type == FH_TYPE_INT ? fh_value_int(json_is_true(json))
                                   : fh_value_long(json_is_true(json));
    else if (json_is_number(json) && type == FH_TYPE_BOOL)
        *out = fh_value_bool(json_number_value(json) != 0);
    else if (json_is_number(json) &&
             (type == FH_TYPE_INT || type == FH_TYPE_LONG || type == FH_TYPE_REAL))
        st = number_from_json(type, json, out);
    else
        st = convert_json_text(type, json, arena, out);

    if (st == FH_ERR_INVALID)
        *out = fh_value_null(type);
    return st;
}
