/*
 * String predicates on raw bytes: Kusto's term tests (has, hasprefix, hassuffix), substring
 * search (contains), and prefix and suffix tests. Case-insensitive forms fold ASCII letters
 * only, as Kusto's operators do. Nothing here allocates, so the prefilter and the evaluator
 * can call these once per row.
 */
#include <stdint.h>
#include <string.h>

#include "kql/kql_func_impl.h"

bool kql_bytes_equal_nocase(const char *a, const char *b, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (kql_ascii_lower((unsigned char)a[i]) != kql_ascii_lower((unsigned char)b[i]))
            return false;
    }
    return true;
}

static bool bytes_equal(const char *a, const char *b, size_t len, bool case_sensitive)
{
    if (case_sensitive)
        return memcmp(a, b, len) == 0;
    return kql_bytes_equal_nocase(a, b, len);
}

/* Next offset >= from where byte c occurs in either ASCII case, or SIZE_MAX. */
static size_t find_byte_nocase(const char *hay, size_t hay_len, unsigned char c, size_t from)
{
    unsigned char lower = kql_ascii_lower(c);
    unsigned char upper = (lower >= 'a' && lower <= 'z') ? (unsigned char)(lower - 32) : lower;
    const char *start = hay + from;
    size_t rest = hay_len - from;

    const char *lo = memchr(start, lower, rest);
    if (upper == lower)
        return lo ? (size_t)(lo - hay) : SIZE_MAX;

    /* The upper-case scan only needs to reach the lower-case hit. */
    size_t up_rest = lo ? (size_t)(lo - start) : rest;
    const char *up = memchr(start, upper, up_rest);
    const char *hit = up ? up : lo;
    return hit ? (size_t)(hit - hay) : SIZE_MAX;
}

static size_t find_nocase(const char *hay, size_t hay_len, const char *needle, size_t needle_len,
                          size_t from)
{
    while (from + needle_len <= hay_len) {
        size_t at = find_byte_nocase(hay, hay_len - needle_len + 1, (unsigned char)needle[0], from);
        if (at == SIZE_MAX)
            return SIZE_MAX;
        if (kql_bytes_equal_nocase(hay + at + 1, needle + 1, needle_len - 1))
            return at;
        from = at + 1;
    }
    return SIZE_MAX;
}

size_t kql_str_find(const char *hay, size_t hay_len, const char *needle, size_t needle_len,
                    size_t from, bool case_sensitive)
{
    if (from > hay_len || needle_len > hay_len - from)
        return SIZE_MAX;
    if (needle_len == 0)
        return from;
    if (!case_sensitive)
        return find_nocase(hay, hay_len, needle, needle_len, from);

    const char *hit = memmem(hay + from, hay_len - from, needle, needle_len);
    return hit ? (size_t)(hit - hay) : SIZE_MAX;
}

bool kql_str_contains(const char *hay, size_t hay_len, const char *needle, size_t needle_len,
                      bool case_sensitive)
{
    return kql_str_find(hay, hay_len, needle, needle_len, 0, case_sensitive) != SIZE_MAX;
}

bool kql_str_startswith(const char *hay, size_t hay_len, const char *needle, size_t needle_len,
                        bool case_sensitive)
{
    return needle_len <= hay_len && bytes_equal(hay, needle, needle_len, case_sensitive);
}

bool kql_str_endswith(const char *hay, size_t hay_len, const char *needle, size_t needle_len,
                      bool case_sensitive)
{
    return needle_len <= hay_len &&
           bytes_equal(hay + hay_len - needle_len, needle, needle_len, case_sensitive);
}

/*
 * A match at [at, at + len) starts a term when the needle's first byte is not a letter or
 * digit (the needle then brings its own boundary) or the byte before the match is not one.
 */
static bool starts_term(const char *hay, size_t at, const char *needle)
{
    if (!kql_ascii_is_alnum((unsigned char)needle[0]))
        return true;
    return at == 0 || !kql_ascii_is_alnum((unsigned char)hay[at - 1]);
}

static bool ends_term(const char *hay, size_t hay_len, size_t end, const char *needle,
                      size_t needle_len)
{
    if (!kql_ascii_is_alnum((unsigned char)needle[needle_len - 1]))
        return true;
    return end == hay_len || !kql_ascii_is_alnum((unsigned char)hay[end]);
}

/* Scans every occurrence of needle and tests the requested term boundaries. */
static bool find_term(const char *hay, size_t hay_len, const char *needle, size_t needle_len,
                      bool case_sensitive, bool need_start, bool need_end)
{
    if (needle_len == 0)
        return true;
    size_t from = 0;
    for (;;) {
        size_t at = kql_str_find(hay, hay_len, needle, needle_len, from, case_sensitive);
        if (at == SIZE_MAX)
            return false;
        bool start_ok = !need_start || starts_term(hay, at, needle);
        bool end_ok = !need_end || ends_term(hay, hay_len, at + needle_len, needle, needle_len);
        if (start_ok && end_ok)
            return true;
        from = at + 1;
    }
}

bool kql_str_has(const char *hay, size_t hay_len, const char *needle, size_t needle_len,
                 bool case_sensitive)
{
    return find_term(hay, hay_len, needle, needle_len, case_sensitive, true, true);
}

bool kql_str_hasprefix(const char *hay, size_t hay_len, const char *needle, size_t needle_len,
                       bool case_sensitive)
{
    return find_term(hay, hay_len, needle, needle_len, case_sensitive, true, false);
}

bool kql_str_hassuffix(const char *hay, size_t hay_len, const char *needle, size_t needle_len,
                       bool case_sensitive)
{
    return find_term(hay, hay_len, needle, needle_len, case_sensitive, false, true);
}
