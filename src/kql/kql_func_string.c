/*
 * String functions without regular expressions: case mapping, concatenation, length and
 * substrings by character, search and replace of plain text, split, repetition, URL and
 * base64 coding, and the parse_url()/parse_path() splitters. Lengths and positions count
 * Unicode code points of the UTF-8 text, as Kusto counts characters.
 */
#include <string.h>

#include "foxhound/limits.h"
#include "foxhound/value_ops.h"
#include "kql/kql_func_impl.h"

/* ---- UTF-8 positions ---- */

static bool is_continuation(unsigned char c)
{
    return (c & 0xC0) == 0x80;
}

static size_t utf8_count(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += !is_continuation((unsigned char)s[i]);
    return n;
}

/* Byte offset of code point number index (clamped to len). */
static size_t utf8_offset(const char *s, size_t len, size_t index)
{
    size_t i = 0;
    while (i < len && index > 0) {
        i++;
        while (i < len && is_continuation((unsigned char)s[i]))
            i++;
        index--;
    }
    return i;
}

/* Index in code points of byte offset off. */
static size_t utf8_index(const char *s, size_t off)
{
    return utf8_count(s, off);
}

static fh_status check_result_size(kql_func_ctx *ctx, const char *fname, size_t len)
{
    if (len <= FH_MAX_STRING_RESULT_BYTES)
        return FH_OK;
    return fh_error_set(ctx->err, FH_ERR_LIMIT, NULL, 0, 0,
                        "%s(): result of %zu bytes is over the limit of %d bytes "
                        "(FH_MAX_STRING_RESULT_BYTES)",
                        fname, len, FH_MAX_STRING_RESULT_BYTES);
}

/* ---- case, length, reverse ---- */

/*
 * NOTE: tolower() and toupper() map ASCII letters only; Kusto maps all Unicode letters, so
 * "ÄBC" becomes "Äbc" here and "äbc" in Kusto.
 */
static fh_status map_case(kql_func_ctx *ctx, const char *fname, const fh_value *args, bool upper,
                          fh_value *out)
{
    const char *s;
    size_t len;
    fh_status st = kql_arg_string(ctx, fname, args, 0, &s, &len);
    if (st != FH_OK || len == 0)
        return st != FH_OK ? st : kql_result_string(out, "", 0);
    char *buf = kql_alloc(ctx, len);
    if (buf == NULL)
        return FH_ERR_NOMEM;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (upper && c >= 'a' && c <= 'z')
            c = (unsigned char)(c - 32);
        else if (!upper)
            c = kql_ascii_lower(c);
        buf[i] = (char)c;
    }
    return kql_result_string(out, buf, len);
}

static fh_status fn_tolower(kql_func_ctx *ctx, const fh_value *args, size_t nargs, fh_value *out)
{
    return map_case(ctx, "tolower", args, false, out);
}

static fh_status fn_toupper(kql_func_ctx *ctx, const fh_value *args, size_t nargs, fh_value *out)
{
    return map_case(ctx, "toupper", args, true, out);
}

static fh_status fn_strlen(kql_func_ctx *ctx, const fh_value *args, size_t nargs, fh_value *out)
{
    const char *s;
    size_t len;
    fh_status st = kql_arg_string(ctx, "strlen", args, 0, &s, &len);
    if (st == FH_OK)
        *out = fh_value_long((int64_t)utf8_count(s, len));
    return st;
}

static fh_status fn_reverse(kql_func_ctx *ctx, const fh_value *args, size_t nargs, fh_value *out)
{
    const char *s;
    size_t len;
    fh_status st = kql_value_text(ctx, &args[0], &s, &len);
    if (st != FH_OK || len == 0)
        return st != FH_OK ? st : kql_result_string(out, "", 0);
    char *buf = kql_alloc(ctx, len);
    if (buf == NULL)
        return FH_ERR_NOMEM;

    /* Copy whole code points from the end, so multi-byte characters stay intact. */
    size_t end = len, w = 0;
    while (end > 0) {
        size_t start = end - 1;
        while (start > 0 && is_continuation((unsigned char)s[start]))
            start--;
        memcpy(buf + w, s + start, end - start);
        w += end - start;
        end = start;
    }
    return kql_result_string(out, buf, len);
}

/* ---- concatenation ---- */

/* Joins the text of values with delim between them, into ctx->arena. */
static fh_status join_values(kql_func_ctx *ctx, const char *fname, const fh_value *values,
                             size_t count, const char *delim, size_t delim_len, fh_value *out)
{
    const char *parts_inline[16];
    size_t lens_inline[16];
    if (count > 16)
        return fh_error_set(ctx->err, FH_ERR_LIMIT, NULL, 0, 0,
                            "%s() takes at most 16 values here, got %zu", fname, count);
    size_t total = 0;
    for (size_t i = 0; i < count; i++) {
        fh_status st = kql_value_text(ctx, &values[i], &parts_inline[i], &lens_inline[i]);
        if (st != FH_OK)
            return st;
        total += lens_inline[i] + (i ? delim_len : 0);
    }
    fh_status st = check_result_size(ctx, fname, total);
    if (st != FH_OK || total == 0)
        return st != FH_OK ? st : kql_result_string(out, "", 0);
    char *buf = kql_alloc(ctx, total);
    if (buf == NULL)
        return FH_ERR_NOMEM;
    size_t w = 0;
    for (size_t i = 0; i < count; i++) {
        if (i && delim_len) {
            memcpy(buf + w, delim, delim_len);
            w += delim_len;
        }
        if (lens_inline[i])
            memcpy(buf + w, parts_inline[i], lens_inline[i]);
        w += lens_inline[i];
    }
    return kql_result_string(out, buf, total);
}

/* strcat() takes 1 to 64 arguments; they are joined in groups of 16 to bound stack use. */
static fh_status fn_strcat(kql_func_ctx *ctx, const fh_value *args, size_t nargs, fh_value *out)
{
    fh_value acc = fh_value_string("", 0);
    for (size_t i = 0; i < nargs; i += 15) {
        fh_value group[16];
        size_t n = 0;
        group[n++] = acc;
        for (size_t j = i; j < nargs && n < 16; j++)
            group[n++] = args[j];
        fh_status st = join_values(ctx, "strcat", group, n, "", 0, &acc);
        if (st != FH_OK)
            return st;
    }
    *out = acc;
    return FH_OK;
}

static fh_status fn_strcat_delim(kql_func_ctx *ctx, const fh_value *args, size_t nargs,
                                 fh_value *out)
{
    const char *delim;
    size_t delim_len;
    fh_status st = kql_arg_string(ctx, "strcat_delim", args, 0, &delim, &delim_len);
    if (st != FH_OK)
        return st;
    fh_value acc = args[1];
    for (size_t i = 2; i < nargs; i += 15) {
        fh_value group[16];
        size_t n = 0;
        group[n++] = acc;
        for (size_t j = i; j < nargs && n < 16; j++)
            group[n++] = args[j];
        /* The accumulated text already has its delimiters; add one before each new part. */
        st = join_values(ctx, "strcat_delim", group, n, delim, delim_len, &acc);
        if (st != FH_OK)
            return st;
    }
    *out = acc;
    return FH_OK;
}

/* ---- substring, indexof, replace_string, countof, strrep ---- */

static fh_status fn_substring(kql_func_ctx *ctx, const fh_value *args, size_t nargs, fh_value *out)
{
    const char *s;
    size_t len;
    int64_t start, count = INT64_MAX;
    bool start_null, count_null = false;
    fh_status st = kql_arg_string(ctx, "substring", args, 0, &s, &len);
    if (st == FH_OK)
        st = kql_arg_long(ctx, "substring", args, 1, &start, &start_null);
    if (st == FH_OK && nargs > 2)
        st = kql_arg_long(ctx, "substring", args, 2, &count, &count_null);
    if (st != FH_OK)
        return st;
    if (start_null || count_null || count < 0)
        return kql_result_string(out, "", 0);

    int64_t chars = (int64_t)utf8_count(s, len);
    if (start < 0)
        start = chars + start < 0 ? 0 : chars + start;
    if (start >= chars)
        return kql_result_string(out, "", 0);
    int64_t end = count > chars - start ? chars : start + count;
    size_t from = utf8_offset(s, len, (size_t)start);
    size_t to = from + utf8_offset(s + from, len - from, (size_t)(end - start));
    return kql_result_string(out, s + from, to - from);
}

/* indexof(string, match[, start[, length[, occurrence]]]); non-string arguments become text. */
static fh_status fn_indexof(kql_func_ctx *ctx, const fh_value *args, size_t nargs, fh_value *out)
{
    const char *s, *m;
    size_t len, mlen;
    int64_t start = 0, length = -1, occurrence = 1;
    bool null_arg = false, is_null;
    fh_status st = kql_value_text(ctx, &args[0], &s, &len);
    if (st == FH_OK)
        st = kql_value_text(ctx, &args[1], &m, &mlen);
    for (size_t i = 2; st == FH_OK && i < nargs; i++) {
        int64_t *slot = &occurrence;
        if (i == 2)
            slot = &start;
        else if (i == 3)
            slot = &length;
        st = kql_arg_long(ctx, "indexof", args, i, slot, &is_null);
        null_arg = null_arg || is_null;
    }
    if (st != FH_OK)
        return st;

    int64_t chars = (int64_t)utf8_count(s, len);
    if (start < 0)
        start = chars + start < 0 ? 0 : chars + start;
    if (null_arg || occurrence < 0 || length < -1) {
        *out = fh_value_null(FH_TYPE_LONG);
        return FH_OK;
    }
    if (start > chars) {
        *out = fh_value_long(-1);
        return FH_OK;
    }
    size_t from = utf8_offset(s, len, (size_t)start);
    /*
     * Kusto's examples fit a window of length + 1 characters: indexof("abcdefg", "cde", 1, 2)
     * is -1 but indexof("abcdefgabcdefg", "cde", 1, 10, 2) is 9.
     */
    size_t limit = len;
    if (length >= 0)
        limit = from + utf8_offset(s + from, len - from, (size_t)length + 1);

    int64_t found = -1;
    for (int64_t k = 0; k < (occurrence ? occurrence : 1); k++) {
        size_t at = kql_str_find(s, limit, m, mlen, from, true);
        if (at == SIZE_MAX) {
            found = -1;
            break;
        }
        found = (int64_t)utf8_index(s, at);
        from = at + 1;
    }
    *out = fh_value_long(found);
    return FH_OK;
}

static fh_status fn_replace_string(kql_func_ctx *ctx, const fh_value *args, size_t nargs,
                                   fh_value *out)
{
    const char *s, *find, *with;
    size_t len, flen, wlen;
    fh_status st = kql_arg_string(ctx, "replace_string", args, 0, &s, &len);
    if (st == FH_OK)
        st = kql_arg_string(ctx, "replace_string", args, 1, &find, &flen);
    if (st == FH_OK)
        st = kql_arg_string(ctx, "replace_string", args, 2, &with, &wlen);
    if (st != FH_OK)
        return st;
    if (flen == 0)
        return kql_result_string(out, s, len);

    /* First pass counts matches to size the result; the second copies. */
    size_t matches = 0;
    for (size_t at = 0; (at = kql_str_find(s, len, find, flen, at, true)) != SIZE_MAX; at += flen)
        matches++;
    if (matches == 0)
        return kql_result_string(out, s, len);
    size_t total = len - matches * flen + matches * wlen;
    st = check_result_size(ctx, "replace_string", total);
    if (st != FH_OK || total == 0)
        return st != FH_OK ? st : kql_result_string(out, "", 0);
    char *buf = kql_alloc(ctx, total);
    if (buf == NULL)
        return FH_ERR_NOMEM;
    size_t r = 0, w = 0, at;
    while ((at = kql_str_find(s, len, find, flen, r, true)) != SIZE_MAX) {
        memcpy(buf + w, s + r, at - r);
        w += at - r;
        if (wlen)
            memcpy(buf + w, with, wlen);
        w += wlen;
        r = at + flen;
    }
    memcpy(buf + w, s + r, len - r);
    return kql_result_string(out, buf, total);
}

/* strrep(value, multiplier[, delimiter]); Kusto caps the multiplier at 1024. */
static fh_status fn_strrep(kql_func_ctx *ctx, const fh_value *args, size_t nargs, fh_value *out)
{
    const char *s, *delim = "";
    size_t len, dlen = 0;
    int64_t times;
    bool is_null;
    fh_status st = kql_value_text(ctx, &args[0], &s, &len);
    if (st == FH_OK)
        st = kql_arg_long(ctx, "strrep", args, 1, &times, &is_null);
    if (st == FH_OK && nargs > 2)
        st = kql_arg_string(ctx, "strrep", args, 2, &delim, &dlen);
    if (st != FH_OK)
        return st;
    if (is_null || times <= 0)
        return kql_result_string(out, "", 0);
    if (times > 1024)
        times = 1024;

    size_t total = (size_t)times * len + (size_t)(times - 1) * dlen;
    st = check_result_size(ctx, "strrep", total);
    if (st != FH_OK || total == 0)
        return st != FH_OK ? st : kql_result_string(out, "", 0);
    char *buf = kql_alloc(ctx, total);
    if (buf == NULL)
        return FH_ERR_NOMEM;
    size_t w = 0;
    for (int64_t i = 0; i < times; i++) {
        if (i && dlen) {
            memcpy(buf + w, delim, dlen);
            w += dlen;
        }
        memcpy(buf + w, s, len);
        w += len;
    }
    return kql_result_string(out, buf, total);
}

/* ---- split ---- */

static fh_status split_append(json_t *array, const char *s, size_t len)
{
    json_t *item = json_stringn_nocheck(s, len);
    if (item == NULL || json_array_append_new(array, item) != 0)
        return FH_ERR_NOMEM;
    return FH_OK;
}

/* split(source, delimiter[, index]): the pieces as a dynamic array; with index, one piece. */
static fh_status fn_split(kql_func_ctx *ctx, const fh_value *args, size_t nargs, fh_value *out)
{
    const char *s, *d;
    size_t len, dlen;
    int64_t want = -1;
    bool want_null = false;
    fh_status st = kql_arg_string(ctx, "split", args, 0, &s, &len);
    if (st == FH_OK)
        st = kql_arg_string(ctx, "split", args, 1, &d, &dlen);
    if (st == FH_OK && nargs > 2)
        st = kql_arg_long(ctx, "split", args, 2, &want, &want_null);
    if (st != FH_OK)
        return st;
    if (want_null || (nargs > 2 && want < 0)) {
        *out = fh_value_null(FH_TYPE_DYNAMIC);
        return FH_OK;
    }

    json_t *array = json_array();
    if (array == NULL)
        return kql_nomem(ctx, "split");
    size_t from = 0;
    int64_t index = 0;
    for (;;) {
        size_t at = dlen ? kql_str_find(s, len, d, dlen, from, true) : SIZE_MAX;
        size_t end = at == SIZE_MAX ? len : at;
        if (nargs < 3 || index == want)
            st = split_append(array, s + from, end - from);
        if (st != FH_OK || at == SIZE_MAX || (nargs > 2 && index == want))
            break;
        from = at + dlen;
        index++;
    }
    if (st != FH_OK) {
        json_decref(array);
        return kql_nomem(ctx, "split");
    }
    return kql_result_json(ctx, array, out);
}

/* ---- URL and base64 coding ---- */

static int hex_value(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = kql_ascii_lower(c);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/*
 * url_encode() follows .NET's HttpUtility.UrlEncode, which Kusto's documented example
 * matches ("https://www.bing.com/" -> "https%3a%2f%2fwww.bing.com%2f"): letters, digits and
 * -_.!*() stay, a space becomes '+', other bytes become lowercase %xx.
 */
static bool url_safe(unsigned char c)
{
    return kql_ascii_is_alnum(c) || strchr("-_.!*()", c) != NULL;
}

static fh_status fn_url_encode(kql_func_ctx *ctx, const fh_value *args, size_t nargs, fh_value *out)
{
    static const char digits[] = "0123456789abcdef";
    const char *s;
    size_t len;
    fh_status st = kql_arg_string(ctx, "url_encode", args, 0, &s, &len);
    if (st != FH_OK || len == 0)
        return st != FH_OK ? st : kql_result_string(out, "", 0);
    char *buf = kql_alloc(ctx, len * 3);
    if (buf == NULL)
        return FH_ERR_NOMEM;
    size_t w = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (url_safe(c) && c != 0) {
            buf[w++] = (char)c;
        } else if (c == ' ') {
            buf[w++] = '+';
        } else {
            buf[w++] = '%';
            buf[w++] = digits[c >> 4];
            buf[w++] = digits[c & 15];
        }
    }
    return kql_result_string(out, buf, w);
}

/* Decodes %xx and '+'; a '%' not followed by two hex digits stays as it is. */
static fh_status fn_url_decode(kql_func_ctx *ctx, const fh_value *args, size_t nargs, fh_value *out)
{
    const char *s;
    size_t len;
    fh_status st = kql_arg_string(ctx, "url_decode", args, 0, &s, &len);
    if (st != FH_OK || len == 0)
        return st != FH_OK ? st : kql_result_string(out, "", 0);
    char *buf = kql_alloc(ctx, len);
    if (buf == NULL)
        return FH_ERR_NOMEM;
    size_t w = 0;
    for (size_t i = 0; i < len; i++) {
        int hi = i + 2 < len ? hex_value((unsigned char)s[i + 1]) : -1;
        int lo = i + 2 < len ? hex_value((unsigned char)s[i + 2]) : -1;
        if (s[i] == '%' && hi >= 0 && lo >= 0) {
            buf[w++] = (char)(hi * 16 + lo);
            i += 2;
        } else {
            buf[w++] = s[i] == '+' ? ' ' : s[i];
        }
    }
    return kql_result_string(out, buf, w);
}

static const char base64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static fh_status fn_base64_encode(kql_func_ctx *ctx, const fh_value *args, size_t nargs,
                                  fh_value *out)
{
    const unsigned char *s;
    size_t len;
    fh_status st = kql_arg_string(ctx, "base64_encode_tostring", args, 0, (const char **)&s, &len);
    if (st != FH_OK || len == 0)
        return st != FH_OK ? st : kql_result_string(out, "", 0);
    size_t total = (len + 2) / 3 * 4;
    char *buf = kql_alloc(ctx, total);
    if (buf == NULL)
        return FH_ERR_NOMEM;
    size_t w = 0;
    for (size_t i = 0; i < len; i += 3) {
        uint32_t chunk = (uint32_t)s[i] << 16;
        if (i + 1 < len)
            chunk |= (uint32_t)s[i + 1] << 8;
        if (i + 2 < len)
            chunk |= s[i + 2];
        buf[w++] = base64_alphabet[(chunk >> 18) & 63];
        buf[w++] = base64_alphabet[(chunk >> 12) & 63];
        buf[w++] = i + 1 < len ? base64_alphabet[(chunk >> 6) & 63] : '=';
        buf[w++] = i + 2 < len ? base64_alphabet[chunk & 63] : '=';
    }
    return kql_result_string(out, buf, total);
}

static int base64_value(unsigned char c)
{
    const char *p = c ? strchr(base64_alphabet, c) : NULL;
    return p ? (int)(p - base64_alphabet) : -1;
}

/* Returns false when s is not well-formed UTF-8 (lead and continuation bytes only). */
static bool utf8_valid(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        unsigned char c = s[i++];
        size_t follow;
        if (c < 0x80)
            follow = 0;
        else if ((c & 0xE0) == 0xC0)
            follow = 1;
        else if ((c & 0xF0) == 0xE0)
            follow = 2;
        else if ((c & 0xF8) == 0xF0)
            follow = 3;
        else
            return false;
        for (size_t k = 0; k < follow; k++, i++) {
            if (i >= len || !is_continuation(s[i]))
                return false;
        }
    }
    return true;
}

/* Invalid base64, or bytes that are not UTF-8 text, give "" (Kusto gives null). */
static fh_status fn_base64_decode(kql_func_ctx *ctx, const fh_value *args, size_t nargs,
                                  fh_value *out)
{
    const char *s;
    size_t len;
    fh_status st = kql_arg_string(ctx, "base64_decode_tostring", args, 0, &s, &len);
    if (st != FH_OK || len == 0)
        return st != FH_OK ? st : kql_result_string(out, "", 0);
    unsigned char *buf = (unsigned char *)kql_alloc(ctx, len);
    if (buf == NULL)
        return FH_ERR_NOMEM;
    uint32_t acc = 0;
    int bits = 0;
    size_t w = 0, pad = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '=') {
            pad++;
            continue;
        }
        int v = base64_value((unsigned char)s[i]);
        if (v < 0 || pad > 0)
            return kql_result_string(out, "", 0);
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            buf[w++] = (unsigned char)(acc >> bits);
        }
    }
    if (pad > 2 || !utf8_valid(buf, w))
        return kql_result_string(out, "", 0);
    return kql_result_string(out, (const char *)buf, w);
}

/* ---- parse_url, parse_path ---- */

static int object_set_text(json_t *obj, const char *key, const char *s, size_t len)
{
    return json_object_set_new(obj, key, json_stringn_nocheck(s, len));
}

/* Splits the query "k1=v1&k2=v2" into an object of strings. */
static json_t *parse_query(const char *s, size_t len)
{
    json_t *obj = json_object();
    size_t i = 0;
    while (obj != NULL && i < len) {
        const char *amp = memchr(s + i, '&', len - i);
        size_t end = amp ? (size_t)(amp - s) : len;
        const char *eq = memchr(s + i, '=', end - i);
        size_t key_end = eq ? (size_t)(eq - s) : end;
        char key[256];
        size_t klen = key_end - i < sizeof key - 1 ? key_end - i : sizeof key - 1;
        memcpy(key, s + i, klen);
        key[klen] = '\0';
        if (klen > 0 && memchr(key, '\0', klen) == NULL)
            json_object_set_new(
                obj, key, eq ? json_stringn_nocheck(eq + 1, end - key_end - 1) : json_string(""));
        i = end + 1;
    }
    return obj;
}

/*
 * parse_url(): splits "scheme://user:password@host:port/path?query#fragment". Text that is
 * not an absolute URL gives an object of empty parts.
 * NOTE: "Path" keeps its leading '/', as .NET's Uri.AbsolutePath does; the current Kusto
 * documentation example prints the path without it.
 */
static fh_status fn_parse_url(kql_func_ctx *ctx, const fh_value *args, size_t nargs, fh_value *out)
{
    const char *s;
    size_t len;
    fh_status st = kql_arg_string(ctx, "parse_url", args, 0, &s, &len);
    if (st != FH_OK)
        return st;
    const char *empty = "";
    const char *scheme = empty, *user = empty, *pass = empty, *host = empty, *port = empty;
    const char *path = empty, *fragment = empty;
    size_t scheme_len = 0, user_len = 0, pass_len = 0, host_len = 0, port_len = 0;
    size_t path_len = 0, fragment_len = 0, query_at = 0, query_len = 0;

    size_t sep = kql_str_find(s, len, "://", 3, 0, true);
    if (sep != SIZE_MAX && sep > 0) {
        scheme = s;
        scheme_len = sep;
        size_t i = sep + 3;
        size_t auth_end = i;
        while (auth_end < len && !strchr("/?#", s[auth_end]))
            auth_end++;
        const char *at = memrchr(s + i, '@', auth_end - i);
        if (at != NULL) {
            const char *colon = memchr(s + i, ':', (size_t)(at - s) - i);
            user = s + i;
            user_len = colon ? (size_t)(colon - user) : (size_t)(at - user);
            if (colon) {
                pass = colon + 1;
                pass_len = (size_t)(at - pass);
            }
            i = (size_t)(at - s) + 1;
        }
        const char *colon = memrchr(s + i, ':', auth_end - i);
        if (colon != NULL && memchr(colon, ']', (size_t)(s + auth_end - colon)) == NULL) {
            port = colon + 1;
            port_len = (size_t)(s + auth_end - port);
            host_len = (size_t)(colon - (s + i));
        } else {
            host_len = auth_end - i;
        }
        host = s + i;
        size_t p = auth_end;
        while (p < len && s[p] != '?' && s[p] != '#')
            p++;
        path = s + auth_end;
        path_len = p - auth_end;
        if (p < len && s[p] == '?') {
            size_t q = p + 1;
            while (p < len && s[p] != '#')
                p++;
            query_at = q;
            query_len = p - q;
        }
        if (p < len && s[p] == '#') {
            fragment = s + p + 1;
            fragment_len = len - p - 1;
        }
    }

    json_t *obj = json_object();
    if (obj == NULL)
        return kql_nomem(ctx, "parse_url");
    int rc = object_set_text(obj, "Scheme", scheme, scheme_len);
    rc |= object_set_text(obj, "Host", host, host_len);
    rc |= object_set_text(obj, "Port", port, port_len);
    rc |= object_set_text(obj, "Path", path, path_len);
    rc |= object_set_text(obj, "Username", user, user_len);
    rc |= object_set_text(obj, "Password", pass, pass_len);
    rc |= json_object_set_new(obj, "Query Parameters", parse_query(s + query_at, query_len));
    rc |= object_set_text(obj, "Fragment", fragment, fragment_len);
    if (rc != 0) {
        json_decref(obj);
        return kql_nomem(ctx, "parse_url");
    }
    return kql_result_json(ctx, obj, out);
}

static bool is_slash(char c)
{
    return c == '/' || c == '\\';
}

/* Length of a drive root "C:" at s (after a "\\?\" long-path prefix), or 0. */
static size_t drive_root(const char *s, size_t len, size_t *at)
{
    size_t i = 0;
    if (len >= 4 && memcmp(s, "\\\\?\\", 4) == 0)
        i = 4;
    *at = i;
    bool letter = i + 1 < len && ((s[i] | 32) >= 'a' && (s[i] | 32) <= 'z');
    return letter && s[i + 1] == ':' ? 2 : 0;
}

static fh_status fn_parse_path(kql_func_ctx *ctx, const fh_value *args, size_t nargs, fh_value *out)
{
    const char *s;
    size_t len;
    fh_status st = kql_arg_string(ctx, "parse_path", args, 0, &s, &len);
    if (st != FH_OK)
        return st;

    const char *scheme = s;
    size_t scheme_len = 0;
    size_t sep = kql_str_find(s, len, "://", 3, 0, true);
    if (sep != SIZE_MAX && sep > 0) {
        scheme_len = sep;
        s += sep + 3;
        len -= sep + 3;
    }
    size_t last = len;
    for (size_t i = len; i > 0; i--) {
        if (is_slash(s[i - 1])) {
            last = i - 1;
            break;
        }
    }
    size_t dir_len = last == len ? 0 : last;
    const char *file = last == len ? s : s + last + 1;
    size_t file_len = (size_t)(s + len - file);

    /* An alternate data stream follows a ':' in the file name. */
    const char *ads = memchr(file, ':', file_len);
    size_t ads_len = ads ? (size_t)(file + file_len - ads - 1) : 0;
    if (ads) {
        file_len = (size_t)(ads - file);
        ads++;
    }
    const char *dot = memrchr(file, '.', file_len);
    const char *ext = dot ? dot + 1 : "";
    size_t ext_len = dot ? (size_t)(file + file_len - ext) : 0;

    size_t dir_name_start = dir_len;
    while (dir_name_start > 0 && !is_slash(s[dir_name_start - 1]))
        dir_name_start--;
    size_t root_at;
    size_t root_len = drive_root(s, len, &root_at);

    json_t *obj = json_object();
    if (obj == NULL)
        return kql_nomem(ctx, "parse_path");
    int rc = object_set_text(obj, "Scheme", scheme, scheme_len);
    rc |= object_set_text(obj, "RootPath", s + root_at, root_len);
    rc |= object_set_text(obj, "DirectoryPath", s, dir_len);
    rc |= object_set_text(obj, "DirectoryName", s + dir_name_start, dir_len - dir_name_start);
    rc |= object_set_text(obj, "Filename", file, file_len);
    rc |= object_set_text(obj, "Extension", ext, ext_len);
    rc |= object_set_text(obj, "AlternateDataStreamName", ads ? ads : "", ads_len);
    if (rc != 0) {
        json_decref(obj);
        return kql_nomem(ctx, "parse_path");
    }
    return kql_result_json(ctx, obj, out);
}

KQL_TYPE_FIXED(type_tolower, "tolower", "s", FH_TYPE_STRING)
KQL_TYPE_FIXED(type_toupper, "toupper", "s", FH_TYPE_STRING)
KQL_TYPE_FIXED(type_strlen, "strlen", "s", FH_TYPE_LONG)
KQL_TYPE_FIXED(type_reverse, "reverse", "a", FH_TYPE_STRING)
KQL_TYPE_FIXED(type_strcat, "strcat", "a*", FH_TYPE_STRING)
KQL_TYPE_FIXED(type_strcat_delim, "strcat_delim", "sa*", FH_TYPE_STRING)
KQL_TYPE_FIXED(type_substring, "substring", "sii", FH_TYPE_STRING)
KQL_TYPE_FIXED(type_indexof, "indexof", "aaiii", FH_TYPE_LONG)
KQL_TYPE_FIXED(type_replace_string, "replace_string", "sss", FH_TYPE_STRING)
KQL_TYPE_FIXED(type_strrep, "strrep", "ais", FH_TYPE_STRING)
KQL_TYPE_FIXED(type_split, "split", "ssi", FH_TYPE_DYNAMIC)
KQL_TYPE_FIXED(type_url_encode, "url_encode", "s", FH_TYPE_STRING)
KQL_TYPE_FIXED(type_url_encode_component, "url_encode_component", "s", FH_TYPE_STRING)
KQL_TYPE_FIXED(type_url_decode, "url_decode", "s", FH_TYPE_STRING)
KQL_TYPE_FIXED(type_base64_encode, "base64_encode_tostring", "s", FH_TYPE_STRING)
KQL_TYPE_FIXED(type_base64_decode, "base64_decode_tostring", "s", FH_TYPE_STRING)
KQL_TYPE_FIXED(type_parse_url, "parse_url", "s", FH_TYPE_DYNAMIC)
KQL_TYPE_FIXED(type_parse_path, "parse_path", "s", FH_TYPE_DYNAMIC)

static const kql_func_def defs[] = {
    {"tolower", 1, 1, fn_tolower, type_tolower},
    {"toupper", 1, 1, fn_toupper, type_toupper},
    {"strlen", 1, 1, fn_strlen, type_strlen},
    {"reverse", 1, 1, fn_reverse, type_reverse},
    {"strcat", 1, 64, fn_strcat, type_strcat},
    {"strcat_delim", 3, 65, fn_strcat_delim, type_strcat_delim},
    {"substring", 2, 3, fn_substring, type_substring},
    {"indexof", 2, 5, fn_indexof, type_indexof},
    {"replace_string", 3, 3, fn_replace_string, type_replace_string},
    {"strrep", 2, 3, fn_strrep, type_strrep},
    {"split", 2, 3, fn_split, type_split},
    {"url_encode", 1, 1, fn_url_encode, type_url_encode},
    {"url_encode_component", 1, 1, fn_url_encode, type_url_encode_component},
    {"url_decode", 1, 1, fn_url_decode, type_url_decode},
    {"base64_encode_tostring", 1, 1, fn_base64_encode, type_base64_encode},
    {"base64_decode_tostring", 1, 1, fn_base64_decode, type_base64_decode},
    {"parse_url", 1, 1, fn_parse_url, type_parse_url},
    {"parse_path", 1, 1, fn_parse_path, type_parse_path},
};

const kql_func_family kql_func_string = {defs, sizeof defs / sizeof defs[0]};
