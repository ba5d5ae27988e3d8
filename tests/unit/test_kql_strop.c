/* String predicates on raw bytes: term boundaries for has*, substring search, case folding. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "kql/kql_func.h"

static bool has(const char *hay, const char *needle)
{
    return kql_str_has(hay, strlen(hay), needle, strlen(needle), false);
}

static bool has_cs(const char *hay, const char *needle)
{
    return kql_str_has(hay, strlen(hay), needle, strlen(needle), true);
}

static bool contains(const char *hay, const char *needle)
{
    return kql_str_contains(hay, strlen(hay), needle, strlen(needle), false);
}

static bool hasprefix(const char *hay, const char *needle)
{
    return kql_str_hasprefix(hay, strlen(hay), needle, strlen(needle), false);
}

static bool hassuffix(const char *hay, const char *needle)
{
    return kql_str_hassuffix(hay, strlen(hay), needle, strlen(needle), false);
}

/* The example string from Kusto's string-operator page. */
static const char *const sample =
    "Kusto: ad67d136-c1db-4f9f-88ef-d94f3b6b0b5a;KustoExplorerQueryRun";

static void strop_has_whole_terms(void **state)
{
    assert_true(has(sample, "KustoExplorerQueryRun"));
    assert_false(has(sample, "Explorer"));
    assert_true(contains(sample, "Explorer"));
    assert_true(has(sample, "c1db"));
    assert_true(has(sample, "kusto"));
    assert_false(has(sample, "c1d"));
    assert_true(has("North America", "america"));
}

static void strop_has_punctuated_needle(void **state)
{
    const char *cef = "CEF:0|Palo Alto|PAN-OS|10.1|deny|src=10.1.2.3 dst=8.8.8.8 reason=tcp-rst";
    assert_true(has(cef, "10.1.2.3"));
    /* Terms end at '.', so a shorter dotted prefix still matches, as in Kusto. */
    assert_true(has(cef, "10.1.2"));
    assert_false(has(cef, "10.1.2.33"));
    assert_false(has("src=110.1.2.3", "10.1.2.3"));
    assert_false(has("src=10.1.2.34", "10.1.2.3"));
    assert_true(has(cef, "reason=tcp-rst"));
    assert_true(has(cef, "=tcp"));
    assert_true(has(cef, "tcp-"));
    assert_false(has(cef, "eason"));
}

static void strop_has_empty_needle(void **state)
{
    assert_true(has("anything", ""));
    assert_true(has("", ""));
    assert_false(has("", "a"));
    assert_true(contains("", ""));
}

static void strop_case_folding(void **state)
{
    assert_true(has("ERROR: Connection", "connection"));
    assert_false(has_cs("ERROR: Connection", "connection"));
    assert_true(has_cs("ERROR: Connection", "Connection"));
    assert_true(contains("FabriKam", "BRik"));
    assert_false(kql_str_contains("FabriKam", 8, "BRik", 4, true));
    assert_true(kql_str_contains("FabriKam", 8, "Kam", 3, true));
    /* Non-ASCII bytes are compared as they are. */
    assert_false(contains("\xc3\x84"
                          "BC",
                          "\xc3\xa4"
                          "bc"));
}

static void strop_prefix_suffix(void **state)
{
    assert_true(hasprefix("North America", "lat") == false);
    assert_true(hasprefix("North America", "amer"));
    assert_true(hassuffix("North America", "ica"));
    assert_false(hassuffix("North America", "Amer"));
    assert_true(hasprefix(sample, "Explo") == false);
    assert_true(hassuffix(sample, "QueryRun"));
}

static void strop_bounds_not_terminated(void **state)
{
    /* The haystack is not NUL-terminated: the search stops at its length. */
    char buf[8] = {'a', 'b', 'c', 'X', 'Y', 'Z', 'Q', 'Q'};
    assert_false(kql_str_contains(buf, 3, "cX", 2, true));
    assert_true(kql_str_contains(buf, 4, "cX", 2, true));
    assert_false(kql_str_has(buf, 3, "abcx", 4, false));
    assert_true(kql_str_has(buf, 3, "ABC", 3, false));
}

static void strop_repeated_candidates(void **state)
{
    assert_true(has("aaaa aaab", "aaab"));
    assert_true(contains("aAaAaAb", "aab"));
    assert_false(has("ab1ab2ab", "ab"));
    assert_true(has("ab1ab2 ab", "ab"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(strop_has_whole_terms),     cmocka_unit_test(strop_has_punctuated_needle),
        cmocka_unit_test(strop_has_empty_needle),    cmocka_unit_test(strop_case_folding),
        cmocka_unit_test(strop_prefix_suffix),       cmocka_unit_test(strop_bounds_not_terminated),
        cmocka_unit_test(strop_repeated_candidates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
