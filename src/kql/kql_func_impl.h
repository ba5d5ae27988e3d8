/*
 * Helpers shared by the files that implement KQL scalar functions: argument access with type
 * checks, results built in the context's arena, signature checks for planning, the regex
 * cache, and the per-family tables that kql_func.c merges into one registry.
 */
#ifndef FOXHOUND_KQL_FUNC_IMPL_H
#define FOXHOUND_KQL_FUNC_IMPL_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <jansson.h>
#include <pcre2.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kql/kql_func.h"

/* Smallest and largest datetime Kusto accepts: 0001-01-01 and 9999-12-31T23:59:59.9999999. */
#define KQL_DATETIME_MIN_TICKS (-62135596800LL * FH_TICKS_PER_SECOND)
#define KQL_DATETIME_MAX_TICKS (253402300800LL * FH_TICKS_PER_SECOND - 1)

static inline bool kql_type_is_number(fh_type type)
{
    return type == FH_TYPE_INT || type == FH_TYPE_LONG || type == FH_TYPE_REAL;
}

static inline bool kql_type_is_integer(fh_type type)
{
    return type == FH_TYPE_INT || type == FH_TYPE_LONG;
}

static inline bool kql_ascii_is_alnum(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline unsigned char kql_ascii_lower(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

/* ASCII case-insensitive comparison of two byte ranges of the same length. */
bool kql_bytes_equal_nocase(const char *a, const char *b, size_t len);

/* Case-sensitive or ASCII case-insensitive prefix and suffix tests on raw bytes. */
bool kql_str_startswith(const char *hay, size_t hay_len, const char *needle, size_t needle_len,
                        bool case_sensitive);
bool kql_str_endswith(const char *hay, size_t hay_len, const char *needle, size_t needle_len,
                      bool case_sensitive);

/*
 * Returns the offset of the first occurrence of needle in hay at or after from, or SIZE_MAX
 * when there is none. An empty needle is found at from.
 */
size_t kql_str_find(const char *hay, size_t hay_len, const char *needle, size_t needle_len,
                    size_t from, bool case_sensitive);

/*
 * Signature check for planning. Each character of params is one parameter: 's' string,
 * 'n' int/long/real, 'i' int/long, 'b' bool, 'd' datetime, 't' timespan, 'y' dynamic,
 * 'a' any type, 'S' string or dynamic. A trailing '*' repeats the character before it for the
 * remaining arguments. Fills err with "fname() expects a T argument, got U" on a mismatch.
 */
fh_status kql_check_signature(const char *fname, const char *params, const fh_type *types,
                              size_t nargs, fh_error *err);

/* Defines a kql_type_fn named fn that checks params and always returns result. */
#define KQL_TYPE_FIXED(fn, fname, params, result)                                                  \
    static fh_status fn(const fh_type *types, const bool *is_literal, const fh_value *literals,    \
                        size_t nargs, fh_type *out, fh_error *err)                                 \
    {                                                                                              \
        (void)is_literal;                                                                          \
        (void)literals;                                                                            \
        *out = (result);                                                                           \
        return kql_check_signature((fname), (params), types, nargs, err);                          \
    }

/* Fills ctx->err with FH_ERR_TYPE: "fname() expects <expected> as argument N, got <type>". */
fh_status kql_arg_type_error(kql_func_ctx *ctx, const char *fname, size_t index,
                             const char *expected, const fh_value *got);

/* Reads a string argument; any other type is an FH_ERR_TYPE error naming the function. */
fh_status kql_arg_string(kql_func_ctx *ctx, const char *fname, const fh_value *args, size_t index,
                         const char **ptr, size_t *len);

/*
 * Reads a number argument as int64 (reals truncate toward zero) or as double. *is_null is set
 * for a null argument and the number is then 0.
 */
fh_status kql_arg_long(kql_func_ctx *ctx, const char *fname, const fh_value *args, size_t index,
                       int64_t *out, bool *is_null);
fh_status kql_arg_real(kql_func_ctx *ctx, const char *fname, const fh_value *args, size_t index,
                       double *out, bool *is_null);

/* Reads a datetime or timespan argument (want names which) as ticks. */
fh_status kql_arg_ticks(kql_func_ctx *ctx, const char *fname, const fh_value *args, size_t index,
                        fh_type want, int64_t *out, bool *is_null);

/* Reads a dynamic argument; *json is NULL for a null value. */
fh_status kql_arg_dynamic(kql_func_ctx *ctx, const char *fname, const fh_value *args, size_t index,
                          json_t **json);

/* Returns an arena buffer of size bytes, or NULL after filling ctx->err with FH_ERR_NOMEM. */
void *kql_alloc(kql_func_ctx *ctx, size_t size);

/* Makes a string result that points at len bytes already in ctx->arena (or static). */
fh_status kql_result_string(fh_value *out, const char *ptr, size_t len);

/* Copies len bytes into ctx->arena and makes a string result of them. */
fh_status kql_result_string_copy(kql_func_ctx *ctx, const char *ptr, size_t len, fh_value *out);

/* Makes a dynamic result that takes over json's reference (NULL json reports FH_ERR_NOMEM). */
fh_status kql_result_json(kql_func_ctx *ctx, json_t *json, fh_value *out);

/* Renders any value as tostring() does, into ctx->arena. */
fh_status kql_value_text(kql_func_ctx *ctx, const fh_value *v, const char **ptr, size_t *len);

/* Fills ctx->err with FH_ERR_NOMEM and returns it. */
fh_status kql_nomem(kql_func_ctx *ctx, const char *fname);

/*
 * Returns the compiled form of pattern from ctx->regex_cache, compiling and caching it on
 * first use (UTF mode, unanchored). match_data is sized for the pattern and reused between
 * calls, so a context serves one thread. An invalid pattern is FH_ERR_INVALID naming fname
 * and the PCRE2 message.
 */
fh_status kql_regex_get(kql_func_ctx *ctx, const char *fname, const char *pattern, size_t len,
                        pcre2_code **code, pcre2_match_data **match_data);

/*
 * Runs one match of code on subject from offset. Returns the number of captured pairs (>0)
 * on a match, 0 when there is none, and -1 after setting *st and ctx->err when PCRE2 fails
 * (FH_ERR_LIMIT when the match goes over FH_MAX_REGEX_MATCH_STEPS).
 */
int kql_regex_match(kql_func_ctx *ctx, const char *fname, pcre2_code *code,
                    pcre2_match_data *match_data, const char *subject, size_t len, size_t offset,
                    fh_status *st);

/* One family's functions: a table and its length, merged by kql_func.c. */
typedef struct kql_func_family {
    const kql_func_def *defs;
    size_t count;
} kql_func_family;

extern const kql_func_family kql_func_conversion;
extern const kql_func_family kql_func_string;
extern const kql_func_family kql_func_string_regex;
extern const kql_func_family kql_func_array;
extern const kql_func_family kql_func_logic;
extern const kql_func_family kql_func_math;
extern const kql_func_family kql_func_network;
extern const kql_func_family kql_func_time;
extern const kql_func_family kql_func_hash;

/* Datetime calendar helpers shared by the time functions and the operators. */
typedef struct kql_civil {
    int64_t year;
    int month;   /* 1..12 */
    int day;     /* 1..31 */
    int64_t tod; /* ticks since midnight */
} kql_civil;

void kql_civil_from_ticks(int64_t ticks, kql_civil *out);
int64_t kql_days_from_civil(int64_t year, int month, int day);

#endif
