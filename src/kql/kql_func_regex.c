/*
 * String functions built on regular expressions: extract, extract_all, replace_regex and the
 * legacy replace, trim/trim_start/trim_end, and countof (which also counts plain text).
 * Patterns are compiled once per context through kql_regex_get.
 */
#include <string.h>

#include "foxhound/limits.h"
#include "foxhound/value_ops.h"
#include "kql/kql_func_impl.h"

/* A growing byte buffer in ctx->arena for rewritten strings. */
typedef struct text_buf {
    char *data;
    size_t len, cap;
} text_buf;

static fh_status buf_append(kql_func_ctx *ctx, const char *fname, text_buf *b, const char *s,
                            size_t n)
{
    if (n == 0)
        return FH_OK;
    if (b->len + n > FH_MAX_STRING_RESULT_BYTES)
        return fh_error_set(ctx->err, FH_ERR_LIMIT, NULL, 0, 0,
                            "%s(): result is over the limit of %d bytes "
                            "(FH_MAX_STRING_RESULT_BYTES)",
                            fname, FH_MAX_STRING_RESULT_BYTES);
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 64;
        while (cap < b->len + n)
            cap *= 2;
        char *grown = kql_alloc(ctx, cap);
        if (grown == NULL)
            return FH_ERR_NOMEM;
        if (b->len)
            memcpy(grown, b->data, b->len);
        b->data = grown;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    return FH_OK;
}

/* Appends rewrite with \0..\9 replaced by the captured groups of the current match. */
static fh_status append_rewrite(kql_func_ctx *ctx, const char *fname, text_buf *b,
                                const char *rewrite, size_t rlen, const char *subject,
                                const PCRE2_SIZE *ovector, int pairs)
{
    fh_status st = FH_OK;
    for (size_t i = 0; st == FH_OK && i < rlen; i++) {
        bool group_ref =
            rewrite[i] == '\\' && i + 1 < rlen && rewrite[i + 1] >= '0' && rewrite[i + 1] <= '9';
        if (!group_ref) {
            st = buf_append(ctx, fname, b, rewrite + i, 1);
            continue;
        }
        int g = rewrite[++i] - '0';
        if (g < pairs && ovector[2 * g] != PCRE2_UNSET)
            st = buf_append(ctx, fname, b, subject + ovector[2 * g],
                            ovector[2 * g + 1] - ovector[2 * g]);
    }
    return st;
}

/* Replaces every non-overlapping match of pattern in s with rewrite. */
static fh_status regex_replace(kql_func_ctx *ctx, const char *fname, const char *s, size_t len,
                               const char *pattern, size_t plen, const char *rewrite, size_t rlen,
                               fh_value *out)
{
    pcre2_code *code;
    pcre2_match_data *md;
    fh_status st = kql_regex_get(ctx, fname, pattern, plen, &code, &md);
    if (st != FH_OK)
        return st;

    text_buf b = {0};
    size_t from = 0, copied = 0;
    bool any = false;
    while (from <= len) {
        int rc = kql_regex_match(ctx, fname, code, md, s, len, from, &st);
        if (rc <= 0)
            break;
        const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        any = true;
        st = buf_append(ctx, fname, &b, s + copied, ov[0] - copied);
        if (st == FH_OK)
            st = append_rewrite(ctx, fname, &b, rewrite, rlen, s, ov, rc);
        if (st != FH_OK)
            return st;
        copied = ov[1];
        /* An empty match advances one byte so the loop always ends. */
        from = ov[1] > ov[0] ? ov[1] : ov[1] + 1;
    }
    if (st != FH_OK)
        return st;
    if (!any)
        return kql_result_string(out, s, len);
    st = buf_append(ctx, fname, &b, s + copied, len - copied);
    if (st != FH_OK)
        return st;
    return kql_result_string(out, b.data ? b.data : "", b.len);
}

static fh_status fn_replace_regex(kql_func_ctx *ctx, const fh_value *args, size_t nargs,
                                  fh_value *out)
{
    const char *s, *p, *r;
    size_t len, plen, rlen;
    fh_status st = kql_arg_string(ctx, "replace_regex", args, 0, &s, &len);
    if (st == FH_OK)
        st = kql_arg_string(ctx, "replace_regex", args, 1, &p, &plen);
    if (st == FH_OK)
        st = kql_arg_string(ctx, "replace_regex", args, 2, &r, &rlen);
    if (st != FH_OK)
        return st;
    return regex_replace(ctx, "replace_regex", s, len, p, plen, r, rlen, out);
}

/* The legacy replace(regex, rewrite, text) takes its arguments in another order. */
static fh_status fn_replace(kql_func_ctx *ctx, const fh_value *args, size_t nargs, fh_value *out)
{
    const char *s, *p, *r;
    size_t len, plen, rlen;
    fh_status st = kql_arg_string(ctx, "replace", args, 0, &p, &plen);
    if (st == FH_OK)
        st = kql_arg_string(ctx, "replace", args, 1, &r, &rlen);
    if (st == FH_OK)
        st = kql_value_text(ctx, &args[2], &s, &len);
    if (st != FH_OK)
        return st;
    return regex_replace(ctx, "replace", s, len, p, plen, r, rlen, out);
}

/* ---- extract ---- */

/*
 * The evaluator passes typeof(T) as a string literal holding the type name; NULL names mean
 * string. Returns FH_ERR_TYPE for an unknown name.
 */
static fh_status extract_target(const fh_value *arg, fh_type *type, fh_error *err)
{
    *type = FH_TYPE_STRING;
    if (arg == NULL)
        return FH_OK;
    if (arg->type != FH_TYPE_STRING || fh_type_from_name(arg->u.s.ptr, arg->u.s.len, type) != FH_OK)
        return fh_error_set(err, FH_ERR_TYPE, NULL, 0, 0,
                            "extract() expects typeof(T) as argument 4, such as typeof(long)");
    return FH_OK;
}

static fh_status fn_extract(kql_func_ctx *ctx, const fh_value *args, size_t nargs, fh_value *out)
{
    const char *p, *s;
    size_t plen, len;
    int64_t group;
    bool group_null;
    fh_type type;
    fh_status st = kql_arg_string(ctx, "extract", args, 0, &p, &plen);
    if (st == FH_OK)
        st = kql_arg_long(ctx, "extract", args, 1, &group, &group_null);
    if (st == FH_OK)
        st = kql_value_text(ctx, &args[2], &s, &len);
    if (st == FH_OK)
        st = extract_target(nargs > 3 ? &args[3] : NULL, &type, ctx->err);
    if (st != FH_OK)
        return st;
    *out = fh_value_null(type);

    pcre2_code *code;
    pcre2_match_data *md;
    st = kql_regex_get(ctx, "extract", p, plen, &code, &md);
    if (st != FH_OK || group_null || group < 0)
        return st;
    int rc = kql_regex_match(ctx, "extract", code, md, s, len, 0, &st);
    if (rc <= 0 || group >= rc)
        return st;
    const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
    if (ov[2 * group] == PCRE2_UNSET)
        return FH_OK;
    const char *hit = s + ov[2 * group];
    size_t hit_len = ov[2 * group + 1] - ov[2 * group];
    if (type == FH_TYPE_STRING)
        return kql_result_string(out, hit, hit_len);
    st = fh_value_from_text(type, hit, hit_len, ctx->arena, out);
    if (st == FH_ERR_NOMEM)
        return kql_nomem(ctx, "extract");
    if (st != FH_OK)
        *out = fh_value_null(type);
    return FH_OK;
}

static fh_status type_extract(const fh_type *types, const bool *is_literal,
                              const fh_value *literals, size_t nargs, fh_type *out, fh_error *err)
{
    fh_status st = kql_check_signature("extract", "sias", types, nargs, err);
    if (st != FH_OK)
        return st;
    if (nargs > 3 && !is_literal[3])
        return fh_error_set(err, FH_ERR_TYPE, NULL, 0, 0,
                            "extract() expects a constant typeof(T) as argument 4");
    return extract_target(nargs > 3 ? &literals[3] : NULL, out, err);
}

/* Adds group g of the current match (or "" when it did not take part) to array. */
static int append_group(json_t *array, const char *s, const PCRE2_SIZE *ov, int64_t g)
{
    if (ov[2 * g] == PCRE2_UNSET)
        return json_array_append_new(array, json_string(""));
    return json_array_append_new(array,
                                 json_stringn_nocheck(s + ov[2 * g], ov[2 * g + 1] - ov[2 * g]));
}

/* One row of extract_all: a single group gives a string, several give an array. */
static int append_match(json_t *result, const char *s, const PCRE2_SIZE *ov, int groups,
                        json_t *selected)
{
    size_t nsel = selected ? json_array_size(selected) : 0;
    if (groups == 0)
        return append_group(result, s, ov, 0);
    if (nsel == 0 && groups == 1)
        return append_group(result, s, ov, 1);
    json_t *row = json_array();
    if (row == NULL)
        return -1;
    size_t count = nsel ? nsel : (size_t)groups;
    for (size_t i = 0; i < count; i++) {
        int64_t g = nsel ? json_integer_value(json_array_get(selected, i)) : (int64_t)i + 1;
        if (g < 0 || g > groups) {
            json_decref(row);
            return -1;
        }
        if (append_group(row, s, ov, g) != 0) {
            json_decref(row);
            return -1;
        }
    }
    return json_array_append_new(result, row);
}

/* extract_all(regex, [captureGroups,] source): every match; null when there is none. */
static fh_status fn_extract_all(kql_func_ctx *ctx, const fh_value *args, size_t nargs,
                                fh_value *out)
{
    const char *p, *s;
    size_t plen, len;
    json_t *selected = NULL;
    fh_status st = kql_arg_string(ctx, "extract_all", args, 0, &p, &plen);
    if (st == FH_OK && nargs == 3)
        st = kql_arg_dynamic(ctx, "extract_all", args, 1, &selected);
    if (st == FH_OK)
        st = kql_value_text(ctx, &args[nargs - 1], &s, &len);
    pcre2_code *code;
    pcre2_match_data *md;
    if (st == FH_OK)
        st = kql_regex_get(ctx, "extract_all", p, plen, &code, &md);
    if (st != FH_OK)
        return st;
    *out = fh_value_null(FH_TYPE_DYNAMIC);

    uint32_t groups = 0;
    pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &groups);
    json_t *result = json_array();
    if (result == NULL)
        return kql_nomem(ctx, "extract_all");
    size_t from = 0;
    while (from <= len) {
        int rc = kql_regex_match(ctx, "extract_all", code, md, s, len, from, &st);
        if (rc <= 0)
            break;
        const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        if (append_match(result, s, ov, (int)groups, selected) != 0) {
            json_decref(result);
            return fh_error_set(ctx->err, FH_ERR_INVALID, NULL, 0, 0,
                                "extract_all(): capture group list names a group the pattern "
                                "does not have (it has %u)",
                                groups);
        }
        from = ov[1] > ov[0] ? ov[1] : ov[1] + 1;
    }
    if (st != FH_OK || json_array_size(result) == 0) {
        json_decref(result);
        return st;
    }
    return kql_result_json(ctx, result, out);
}

static fh_status type_extract_all(const fh_type *types, const bool *is_literal,
                                  const fh_value *literals, size_t nargs, fh_type *out,
                                  fh_error *err)
{
    *out = FH_TYPE_DYNAMIC;
    return kql_check_signature("extract_all", nargs == 3 ? "sya" : "sa", types, nargs, err);
}

/* ---- trim ---- */

/* Builds "^(?:re)+" or "(?:re)+$" in ctx->arena. */
static fh_status trim_pattern(kql_func_ctx *ctx, const char *re, size_t len, bool at_start,
                              const char **pattern, size_t *plen)
{
    const char *head = at_start ? "^(?:" : "(?:";
    const char *tail = at_start ? ")+" : ")+$";
    size_t hlen = strlen(head), tlen = strlen(tail);
    char *buf = kql_alloc(ctx, hlen + len + tlen);
    if (buf == NULL)
        return FH_ERR_NOMEM;
    memcpy(buf, head, hlen);
    if (len)
        memcpy(buf + hlen, re, len);
    memcpy(buf + hlen + len, tail, tlen);
    *pattern = buf;
    *plen = hlen + len + tlen;
    return FH_OK;
}

/* Removes the matches of re at the start and/or the end of s. */
static fh_status trim_side(kql_func_ctx *ctx, const char *fname, const char *re, size_t rlen,
                           bool at_start, const char **s, size_t *len)
{
    const char *p;
    size_t plen;
    pcre2_code *code;
    pcre2_match_data *md;
    fh_status st = trim_pattern(ctx, re, rlen, at_start, &p, &plen);
    if (st == FH_OK)
        st = kql_regex_get(ctx, fname, p, plen, &code, &md);
    if (st != FH_OK)
        return st;
    int rc = kql_regex_match(ctx, fname, code, md, *s, *len, 0, &st);
    if (rc <= 0)
        return st;
    const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
    if (at_start) {
        *s += ov[1];
        *len -= ov[1];
    } else {
        *len = ov[0];
    }
    return FH_OK;
}

static fh_status trim_common(kql_func_ctx *ctx, const char *fname, const fh_value *args, bool start,
                             bool end, fh_value *out)
{
    const char *re, *s;
    size_t rlen, len;
    fh_status st = kql_arg_string(ctx, fname, args, 0, &re, &rlen);
    if (st == FH_OK)
        st = kql_value_text(ctx, &args[1], &s, &len);
    if (st == FH_OK && start)
        st = trim_side(ctx, fname, re, rlen, true, &s, &len);
    if (st == FH_OK && end)
        st = trim_side(ctx, fname, re, rlen, false, &s, &len);
    if (st != FH_OK)
        return st;
    return kql_result_string(out, s, len);
}

static fh_status fn_trim(kql_func_ctx *ctx, const fh_value *args, size_t nargs, fh_value *out)
{
    return trim_common(ctx, "trim", args, true, true, out);
}

static fh_status fn_trim_start(kql_func_ctx *ctx, const fh_value *args, size_t nargs, fh_value *out)
{
    return trim_common(ctx, "trim_start", args, true, false, out);
}

static fh_status fn_trim_end(kql_func_ctx *ctx, const fh_value *args, size_t nargs, fh_value *out)
{
    return trim_common(ctx, "trim_end", args, false, true, out);
}

/* ---- countof ---- */

/* Plain matches may overlap ("aaaa" has 3 of "aa"); regex matches do not. */
static fh_status fn_countof(kql_func_ctx *ctx, const fh_value *args, size_t nargs, fh_value *out)
{
    const char *s, *search, *kind = "normal";
    size_t len, slen, klen = 6;
    fh_status st = kql_arg_string(ctx, "countof", args, 0, &s, &len);
    if (st == FH_OK)
        st = kql_arg_string(ctx, "countof", args, 1, &search, &slen);
    if (st == FH_OK && nargs > 2)
        st = kql_arg_string(ctx, "countof", args, 2, &kind, &klen);
    if (st != FH_OK)
        return st;

    int64_t count = 0;
    if (klen == 6 && memcmp(kind, "normal", 6) == 0) {
        for (size_t at = 0; slen && (at = kql_str_find(s, len, search, slen, at, true)) != SIZE_MAX;
             at++)
            count++;
    } else if (klen == 5 && memcmp(kind, "regex", 5) == 0) {
        pcre2_code *code;
        pcre2_match_data *md;
        st = kql_regex_get(ctx, "countof", search, slen, &code, &md);
        size_t from = 0;
        while (st == FH_OK && from <= len &&
               kql_regex_match(ctx, "countof", code, md, s, len, from, &st) > 0) {
            const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
            count++;
            from = ov[1] > ov[0] ? ov[1] : ov[1] + 1;
        }
        if (st != FH_OK)
            return st;
    } else {
        return fh_error_set(ctx->err, FH_ERR_INVALID, NULL, 0, 0,
                            "countof(): kind \"%.*s\" is invalid; use \"normal\" or \"regex\"",
                            (int)klen, kind);
    }
    *out = fh_value_long(count);
    return FH_OK;
}

KQL_TYPE_FIXED(type_replace_regex, "replace_regex", "sss", FH_TYPE_STRING)
KQL_TYPE_FIXED(type_replace, "replace", "ssa", FH_TYPE_STRING)
KQL_TYPE_FIXED(type_trim, "trim", "sa", FH_TYPE_STRING)
KQL_TYPE_FIXED(type_trim_start, "trim_start", "sa", FH_TYPE_STRING)
KQL_TYPE_FIXED(type_trim_end, "trim_end", "sa", FH_TYPE_STRING)
KQL_TYPE_FIXED(type_countof, "countof", "sss", FH_TYPE_LONG)

static const kql_func_def defs[] = {
    {"replace_regex", 3, 3, fn_replace_regex, type_replace_regex},
    {"replace", 3, 3, fn_replace, type_replace},
    {"extract", 3, 4, fn_extract, type_extract},
    {"extract_all", 2, 3, fn_extract_all, type_extract_all},
    {"trim", 2, 2, fn_trim, type_trim},
    {"trim_start", 2, 2, fn_trim_start, type_trim_start},
    {"trim_end", 2, 2, fn_trim_end, type_trim_end},
    {"countof", 2, 3, fn_countof, type_countof},
};

const kql_func_family kql_func_string_regex = {defs, sizeof defs / sizeof defs[0]};
