/*
 * The per-context cache of compiled regular expressions used by `matches regex`, extract(),
 * replace_regex() and the other regex functions. A query usually has a handful of constant
 * patterns, so the cache is a short list searched in order. When it is full, the oldest entry
 * is replaced.
 *
 * NOTE: Kusto uses RE2 syntax and PCRE2 compiles it here. The two agree on the common subset
 * (classes, quantifiers, groups, alternation, \d \w \s, named groups), but RE2-only syntax
 * such as \C or \pN is rejected or read differently by PCRE2.
 */
#include <stdlib.h>
#include <string.h>

#include "foxhound/limits.h"
#include "kql/kql_func_impl.h"

typedef struct regex_entry {
    char *pattern;
    size_t len;
    pcre2_code *code;
    pcre2_match_data *match_data;
} regex_entry;

struct kql_regex_cache {
    regex_entry entries[FH_MAX_REGEX_CACHE];
    size_t count;
    size_t next_victim; /* entry replaced when the cache is full */
    pcre2_match_context *match_context;
};

static void entry_free(regex_entry *entry)
{
    free(entry->pattern);
    pcre2_match_data_free(entry->match_data);
    pcre2_code_free(entry->code);
    memset(entry, 0, sizeof *entry);
}

void kql_func_ctx_release(kql_func_ctx *ctx)
{
    if (ctx == NULL || ctx->regex_cache == NULL)
        return;
    struct kql_regex_cache *cache = ctx->regex_cache;
    for (size_t i = 0; i < cache->count; i++)
        entry_free(&cache->entries[i]);
    pcre2_match_context_free(cache->match_context);
    free(cache);
    ctx->regex_cache = NULL;
}

static fh_status cache_create(kql_func_ctx *ctx, const char *fname)
{
    struct kql_regex_cache *cache = calloc(1, sizeof *cache);
    if (cache == NULL)
        return kql_nomem(ctx, fname);
    cache->match_context = pcre2_match_context_create(NULL);
    if (cache->match_context == NULL) {
        free(cache);
        return kql_nomem(ctx, fname);
    }
    pcre2_set_match_limit(cache->match_context, FH_MAX_REGEX_MATCH_STEPS);
    ctx->regex_cache = cache;
    return FH_OK;
}

static fh_status compile_entry(kql_func_ctx *ctx, const char *fname, const char *pattern,
                               size_t len, regex_entry *entry)
{
    int code_error = 0;
    PCRE2_SIZE offset = 0;
    uint32_t options = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF;
    pcre2_code *code = pcre2_compile((PCRE2_SPTR)pattern, len, options, &code_error, &offset, NULL);
    if (code == NULL) {
        PCRE2_UCHAR message[256];
        pcre2_get_error_message(code_error, message, sizeof message);
        return fh_error_set(ctx->err, FH_ERR_INVALID, NULL, 0, 0,
                            "%s(): invalid regular expression \"%.*s\" at offset %zu: %s; "
                            "fix the pattern (RE2 syntax)",
                            fname, (int)(len > 200 ? 200 : len), pattern, (size_t)offset,
                            (const char *)message);
    }
    /* JIT is an optimization only: a platform without it still matches, more slowly. */
    (void)pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);

    pcre2_match_data *match_data = pcre2_match_data_create_from_pattern(code, NULL);
    char *copy = malloc(len + 1);
    if (match_data == NULL || copy == NULL) {
        pcre2_match_data_free(match_data);
        pcre2_code_free(code);
        free(copy);
        return kql_nomem(ctx, fname);
    }
    if (len > 0)
        memcpy(copy, pattern, len);
    copy[len] = '\0';
    entry->pattern = copy;
    entry->len = len;
    entry->code = code;
    entry->match_data = match_data;
    return FH_OK;
}

static regex_entry *cache_find(struct kql_regex_cache *cache, const char *pattern, size_t len)
{
    for (size_t i = 0; i < cache->count; i++) {
        regex_entry *entry = &cache->entries[i];
        if (entry->len == len && memcmp(entry->pattern, pattern, len) == 0)
            return entry;
    }
    return NULL;
}

static regex_entry *cache_slot(struct kql_regex_cache *cache)
{
    if (cache->count < FH_MAX_REGEX_CACHE)
        return &cache->entries[cache->count];
    regex_entry *victim = &cache->entries[cache->next_victim];
    cache->next_victim = (cache->next_victim + 1) % FH_MAX_REGEX_CACHE;
    entry_free(victim);
    return victim;
}

fh_status kql_regex_get(kql_func_ctx *ctx, const char *fname, const char *pattern, size_t len,
                        pcre2_code **code, pcre2_match_data **match_data)
{
    if (len > FH_MAX_REGEX_BYTES)
        return fh_error_set(ctx->err, FH_ERR_LIMIT, NULL, 0, 0,
                            "%s(): regular expression of %zu bytes is over the limit of %d "
                            "bytes (FH_MAX_REGEX_BYTES)",
                            fname, len, FH_MAX_REGEX_BYTES);
    if (ctx->regex_cache == NULL) {
        fh_status st = cache_create(ctx, fname);
        if (st != FH_OK)
            return st;
    }
    struct kql_regex_cache *cache = ctx->regex_cache;
    regex_entry *entry = cache_find(cache, pattern, len);
    if (entry == NULL) {
        regex_entry fresh = {0};
        fh_status st = compile_entry(ctx, fname, pattern, len, &fresh);
        if (st != FH_OK)
            return st;
        entry = cache_slot(cache);
        *entry = fresh;
        if (cache->count < FH_MAX_REGEX_CACHE)
            cache->count++;
    }
    *code = entry->code;
    *match_data = entry->match_data;
    return FH_OK;
}

/* Runs one match; returns >0 on a match, 0 on none, or an error status through *st. */
int kql_regex_match(kql_func_ctx *ctx, const char *fname, pcre2_code *code,
                    pcre2_match_data *match_data, const char *subject, size_t len, size_t offset,
                    fh_status *st)
{
    *st = FH_OK;
    int rc = pcre2_match(code, (PCRE2_SPTR)subject, len, offset, 0, match_data,
                         ctx->regex_cache->match_context);
    if (rc >= 0)
        return rc == 0 ? 1 : rc;
    if (rc == PCRE2_ERROR_NOMATCH)
        return 0;

    PCRE2_UCHAR message[256];
    pcre2_get_error_message(rc, message, sizeof message);
    bool over_limit = rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
                      rc == PCRE2_ERROR_HEAPLIMIT || rc == PCRE2_ERROR_JIT_STACKLIMIT;
    if (over_limit)
        *st = fh_error_set(ctx->err, FH_ERR_LIMIT, NULL, 0, 0,
                           "%s(): regular expression match failed: %s; simplify the pattern "
                           "(the cap is FH_MAX_REGEX_MATCH_STEPS)",
                           fname, (const char *)message);
    else
        *st =
            fh_error_set(ctx->err, FH_ERR_INVALID, NULL, 0, 0,
                         "%s(): regular expression match failed: %s", fname, (const char *)message);
    return -1;
}
