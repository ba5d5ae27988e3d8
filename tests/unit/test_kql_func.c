/*
 * KQL scalar functions, table-driven. Most cases are the examples in Kusto's documentation
 * for each function (inputs and outputs as published); the rest pin edge cases. An argument
 * is written "type:text" and converted like a table cell; "null:type" is a typed null. The
 * result is compared as tostring() text, with "<null>" for a null value.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "foxhound/datetime.h"
#include "foxhound/value_ops.h"
#include "kql/kql_func.h"

typedef struct func_case {
    const char *name;
    const char *args[7];
    const char *type;     /* expected result type */
    const char *expected; /* tostring() text, or "<null>" */
} func_case;

static fh_arena arena;
static fh_error err;
static kql_func_ctx ctx;

static int setup(void **state)
{
    fh_arena_init(&arena);
    fh_error_clear(&err);
    ctx.arena = &arena;
    ctx.err = &err;
    ctx.regex_cache = NULL;
    /* now() is pinned to 2026-06-11T08:00:00Z for every test. */
    fh_datetime_parse("2026-06-11T08:00:00Z", 20, &ctx.now_ticks);
    return 0;
}

static int teardown(void **state)
{
    kql_func_ctx_release(&ctx);
    fh_arena_destroy(&arena);
    return 0;
}

static fh_value make_arg(const char *spec)
{
    const char *colon = strchr(spec, ':');
    assert_non_null(colon);
    fh_type type;
    if (strncmp(spec, "null", 4) == 0) {
        assert_int_equal(fh_type_from_name(colon + 1, strlen(colon + 1), &type), FH_OK);
        return fh_value_null(type);
    }
    assert_int_equal(fh_type_from_name(spec, (size_t)(colon - spec), &type), FH_OK);
    fh_value v;
    assert_int_equal(fh_value_from_text(type, colon + 1, strlen(colon + 1), &arena, &v), FH_OK);
    return v;
}

static void render(const fh_value *v, char *buf, size_t size)
{
    if (v->is_null) {
        snprintf(buf, size, "<null>");
        return;
    }
    const char *p;
    size_t len;
    assert_int_equal(fh_value_to_string(v, &arena, &p, &len), FH_OK);
    snprintf(buf, size, "%.*s", (int)len, p);
}

/* Plans and runs one case; a failure message names the function and the case index. */
static void run_case(const func_case *c, size_t index)
{
    fh_value args[7];
    fh_type types[7];
    bool literal[7];
    size_t n = 0;
    while (n < 7 && c->args[n] != NULL) {
        args[n] = make_arg(c->args[n]);
        types[n] = (fh_type)args[n].type;
        literal[n] = true;
        n++;
    }
    const kql_func_def *def = kql_func_lookup(c->name, strlen(c->name));
    if (def == NULL)
        fail_msg("case %zu: function %s is not registered", index, c->name);
    assert_true((int)n >= def->min_args);
    assert_true(def->max_args < 0 || (int)n <= def->max_args);

    fh_type planned;
    if (def->result_type(types, literal, args, n, &planned, &err) != FH_OK)
        fail_msg("case %zu %s: planning failed: %s", index, c->name, err.message);
    fh_value out;
    if (def->call(&ctx, args, n, &out) != FH_OK)
        fail_msg("case %zu %s: call failed: %s", index, c->name, err.message);

    char text[512];
    render(&out, text, sizeof text);
    if (strcmp(text, c->expected) != 0)
        fail_msg("case %zu %s: got \"%s\", expected \"%s\"", index, c->name, text, c->expected);
    if (strcmp(fh_type_name(planned), c->type) != 0 || out.type != planned)
        fail_msg("case %zu %s: planned type %s, value type %s, expected %s", index, c->name,
                 fh_type_name(planned), fh_type_name((fh_type)out.type), c->type);
}

static void run_cases(const func_case *cases, size_t count)
{
    for (size_t i = 0; i < count; i++)
        run_case(&cases[i], i);
}

#define RUN(cases) run_cases(cases, sizeof cases / sizeof cases[0])

static void func_string_docs(void **state)
{
    static const func_case cases[] = {
        {"split", {"string:aa_bb", "string:_"}, "dynamic", "[\"aa\",\"bb\"]"},
        {"split", {"string:aaa_bbb_ccc", "string:_", "int:1"}, "dynamic", "[\"bbb\"]"},
        {"split", {"string:", "string:_"}, "dynamic", "[\"\"]"},
        {"split", {"string:a__b", "string:_"}, "dynamic", "[\"a\",\"\",\"b\"]"},
        {"split", {"string:aabbcc", "string:bb"}, "dynamic", "[\"aa\",\"cc\"]"},
        {"substring", {"string:123456", "int:1"}, "string", "23456"},
        {"substring", {"string:123456", "int:2", "int:2"}, "string", "34"},
        {"substring", {"string:ABCD", "int:0", "int:2"}, "string", "AB"},
        {"substring", {"string:123456", "int:-2", "int:2"}, "string", "56"},
        {"indexof", {"string:abcdefg", "string:cde"}, "long", "2"},
        {"indexof", {"string:abcdefg", "string:cde", "int:1", "int:4"}, "long", "2"},
        {"indexof", {"string:abcdefg", "string:cde", "int:1", "int:2"}, "long", "-1"},
        {"indexof", {"string:abcdefg", "string:cde", "int:3", "int:4"}, "long", "-1"},
        {"indexof", {"string:abcdefg", "string:cde", "int:-5"}, "long", "2"},
        {"indexof", {"long:1234567", "long:5", "int:1", "int:4"}, "long", "4"},
        {"indexof", {"string:abcdefg", "string:cde", "int:2", "int:-1"}, "long", "2"},
        {"indexof",
         {"string:abcdefgabcdefg", "string:cde", "int:1", "int:10", "int:2"},
         "long",
         "9"},
        {"indexof",
         {"string:abcdefgabcdefg", "string:cde", "int:1", "int:-1", "int:3"},
         "long",
         "-1"},
        {"countof", {"string:aaa", "string:a"}, "long", "3"},
        {"countof", {"string:aaaa", "string:aa"}, "long", "3"},
        {"countof", {"string:ababa", "string:ab", "string:normal"}, "long", "2"},
        {"countof", {"string:ababa", "string:aba"}, "long", "2"},
        {"countof", {"string:ababa", "string:aba", "string:regex"}, "long", "1"},
        {"countof", {"string:abcabc", "string:a.c", "string:regex"}, "long", "2"},
        {"url_encode", {"string:https://www.bing.com/"}, "string", "https%3a%2f%2fwww.bing.com%2f"},
        {"url_decode", {"string:https%3a%2f%2fwww.bing.com%2f"}, "string", "https://www.bing.com/"},
        {"base64_encode_tostring", {"string:Kusto"}, "string", "S3VzdG8="},
        {"base64_decode_tostring", {"string:S3VzdG8="}, "string", "Kusto"},
        {"strrep", {"string:ABC", "int:2"}, "string", "ABCABC"},
        {"strrep", {"long:123", "int:3"}, "string", "123123123"},
        {"strrep", {"string:ABC", "int:2", "string:."}, "string", "ABC.ABC"},
        {"trim", {"string:--", "string:--https://bing.com--"}, "string", "https://bing.com"},
        {"trim_start", {"string:[^\\w]+", "string:-  Te st1// $"}, "string", "Te st1// $"},
        {"trim_end", {"string:[^\\w]+", "string:-  Te st1// $"}, "string", "-  Te st1"},
        {"strlen", {"string:hello"}, "long", "5"},
        {"strlen",
         {"string:\xe2\x92\xa6\xe2\x92\xb0\xe2\x92\xae\xe2\x92\xaf\xe2\x92\xaa"},
         "long",
         "5"},
    };
    RUN(cases);
}

static void func_string_edges(void **state)
{
    static const func_case cases[] = {
        {"tolower", {"string:AbC-9"}, "string", "abc-9"},
        {"toupper", {"string:AbC-9"}, "string", "ABC-9"},
        {"strcat", {"string:hello", "string: ", "long:42"}, "string", "hello 42"},
        {"strcat_delim", {"string:-", "string:yes", "long:2", "string:no"}, "string", "yes-2-no"},
        {"reverse",
         {"string:ab\xc3\xa9"},
         "string",
         "\xc3\xa9"
         "ba"},
        {"reverse", {"string:"}, "string", ""},
        {"replace_string", {"string:a.b.c", "string:.", "string:::"}, "string", "a::b::c"},
        {"replace_string", {"string:abc", "string:", "string:x"}, "string", "abc"},
        {"replace_regex",
         {"string:Number was: 1", "string:was: (\\d+)", "string:is: \\1!"},
         "string",
         "Number is: 1!"},
        {"replace",
         {"string:\\[|\\]|\"", "string:", "string:[\"ipv4-addr\"]"},
         "string",
         "ipv4-addr"},
        {"extract", {"string:x=([0-9.]+)", "long:1", "string:hello x=45.6|wo"}, "string", "45.6"},
        {"extract",
         {"string:x=([0-9.]+)", "long:1", "string:hello x=45.6|wo", "string:real"},
         "real",
         "45.6"},
        {"extract",
         {"string:[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}", "long:0",
          "string:deny src=10.1.2.3 dst=8.8.8.8"},
         "string",
         "10.1.2.3"},
        {"extract", {"string:(z+)", "long:1", "string:abc"}, "string", ""},
        {"extract_all", {"string:(\\d+)", "string:a1b22c333"}, "dynamic", "[\"1\",\"22\",\"333\"]"},
        {"extract_all",
         {"string:(\\w)(\\d)", "string:a1 b2"},
         "dynamic",
         "[[\"a\",\"1\"],[\"b\",\"2\"]]"},
        {"extract_all", {"string:(\\d+)", "string:none"}, "dynamic", "<null>"},
        {"split", {"string:a.b.c", "string:.", "int:5"}, "dynamic", "[]"},
        {"url_decode", {"string:a+b%2"}, "string", "a b%2"},
        {"base64_decode_tostring", {"string:/w=="}, "string", ""},
        {"base64_decode_tostring", {"string:not base64!"}, "string", ""},
    };
    RUN(cases);
}

static void func_parse_url_path(void **state)
{
    static const func_case cases[] = {
        {"parse_url",
         {"string:scheme://username:password@host:1234/this/is/a/path?k1=v1&k2=v2#fragment"},
         "dynamic",
         "{\"Scheme\":\"scheme\",\"Host\":\"host\",\"Port\":\"1234\",\"Path\":\"/this/is/a/"
         "path\",\"Username\":\"username\",\"Password\":\"password\",\"Query "
         "Parameters\":{\"k1\":\"v1\",\"k2\":\"v2\"},\"Fragment\":\"fragment\"}"},
        {"parse_path",
         {"string:C:\\temp\\file.txt"},
         "dynamic",
         "{\"Scheme\":\"\",\"RootPath\":\"C:\",\"DirectoryPath\":\"C:\\\\temp\","
         "\"DirectoryName\":\"temp\",\"Filename\":\"file.txt\",\"Extension\":\"txt\","
         "\"AlternateDataStreamName\":\"\"}"},
        {"parse_path",
         {"string:temp\\file.txt"},
         "dynamic",
         "{\"Scheme\":\"\",\"RootPath\":\"\",\"DirectoryPath\":\"temp\",\"DirectoryName\":"
         "\"temp\",\"Filename\":\"file.txt\",\"Extension\":\"txt\","
         "\"AlternateDataStreamName\":\"\"}"},
        {"parse_path",
         {"string:file://C:/temp/file.txt:some.exe"},
         "dynamic",
         "{\"Scheme\":\"file\",\"RootPath\":\"C:\",\"DirectoryPath\":\"C:/temp\","
         "\"DirectoryName\":\"temp\",\"Filename\":\"file.txt\",\"Extension\":\"txt\","
         "\"AlternateDataStreamName\":\"some.exe\"}"},
        {"parse_path",
         {"string:\\\\shared\\users\\temp\\file.txt.gz"},
         "dynamic",
         "{\"Scheme\":\"\",\"RootPath\":\"\",\"DirectoryPath\":\"\\\\\\\\shared\\\\users\\\\"
         "temp\",\"DirectoryName\":\"temp\",\"Filename\":\"file.txt.gz\",\"Extension\":\"gz\","
         "\"AlternateDataStreamName\":\"\"}"},
        {"parse_path",
         {"string:/usr/lib/temp/file.txt"},
         "dynamic",
         "{\"Scheme\":\"\",\"RootPath\":\"\",\"DirectoryPath\":\"/usr/lib/temp\","
         "\"DirectoryName\":\"temp\",\"Filename\":\"file.txt\",\"Extension\":\"txt\","
         "\"AlternateDataStreamName\":\"\"}"},
    };
    RUN(cases);
}

static void func_conversion(void **state)
{
    static const func_case cases[] = {
        {"tostring", {"null:long"}, "string", ""},
        {"tostring", {"dynamic:{\"a\":1}"}, "string", "{\"a\":1}"},
        {"tolong", {"string:123"}, "long", "123"},
        {"tolong", {"string:abc"}, "long", "<null>"},
        {"tolong", {"datetime:1970-01-01"}, "long", "621355968000000000"},
        {"toint", {"real:2.9"}, "int", "2"},
        {"toint", {"long:5000000000"}, "int", "<null>"},
        {"toreal", {"string:1.5"}, "real", "1.5"},
        {"todouble", {"long:3"}, "real", "3"},
        {"tobool", {"string:true"}, "bool", "true"},
        {"tobool", {"long:0"}, "bool", "false"},
        {"todatetime", {"string:2015-12-24"}, "datetime", "2015-12-24T00:00:00Z"},
        {"todatetime", {"string:not a date"}, "datetime", "<null>"},
        {"totimespan", {"string:1.02:03:04"}, "timespan", "1.02:03:04"},
        {"parse_json", {"string:{\"a\":123}"}, "dynamic", "{\"a\":123}"},
        {"parse_json", {"string:not json"}, "dynamic", "not json"},
        {"toguid",
         {"string:74be27de-1e4e-49d9-b579-fe0b331d3642"},
         "guid",
         "74be27de-1e4e-49d9-b579-fe0b331d3642"},
    };
    RUN(cases);
}

static void func_logic(void **state)
{
    static const func_case cases[] = {
        {"iff", {"bool:true", "int:1", "long:2"}, "long", "1"},
        {"iff", {"null:bool", "string:yes", "string:no"}, "string", "no"},
        {"iif", {"bool:false", "real:1.5", "long:2"}, "real", "2"},
        {"case", {"bool:false", "string:a", "bool:true", "string:b", "string:c"}, "string", "b"},
        {"case", {"bool:false", "string:a", "string:else"}, "string", "else"},
        {"coalesce", {"null:long", "long:42", "long:33"}, "long", "42"},
        {"coalesce", {"string:", "string:x"}, "string", "x"},
        {"isempty", {"string:"}, "bool", "true"},
        {"isempty", {"null:long"}, "bool", "true"},
        {"isnotempty", {"string:a"}, "bool", "true"},
        {"isnull", {"string:"}, "bool", "false"},
        {"isnull", {"null:int"}, "bool", "true"},
        {"isnotnull", {"long:0"}, "bool", "true"},
        {"not", {"bool:true"}, "bool", "false"},
        {"not", {"null:bool"}, "bool", "<null>"},
        {"max_of", {"long:10", "long:1", "long:-3", "long:17"}, "long", "17"},
        {"min_of", {"long:10", "long:1", "long:-3", "long:17"}, "long", "-3"},
        {"max_of", {"null:long", "long:1"}, "long", "1"},
        {"gettype", {"string:a"}, "string", "string"},
        {"gettype", {"dynamic:[]"}, "string", "array"},
        {"gettype", {"dynamic:{}"}, "string", "dictionary"},
        {"gettype", {"long:1"}, "string", "long"},
    };
    RUN(cases);
}

static void func_math(void **state)
{
    static const func_case cases[] = {
        {"round", {"real:2.98765", "int:3"}, "real", "2.988"},
        {"round", {"real:2.15", "int:1"}, "real", "2.2"},
        {"round", {"real:2.15"}, "real", "2"},
        {"round", {"real:-50.55", "int:-2"}, "real", "-100"},
        {"round", {"real:21.5", "int:-1"}, "real", "20"},
        {"bin", {"real:4.5", "long:1"}, "real", "4"},
        {"bin", {"long:17", "long:5"}, "long", "15"},
        {"bin", {"long:-1", "long:5"}, "long", "-5"},
        {"bin", {"timespan:16.00:00:00", "timespan:7.00:00:00"}, "timespan", "14.00:00:00"},
        {"bin",
         {"datetime:1970-05-11 13:45:07", "timespan:1.00:00:00"},
         "datetime",
         "1970-05-11T00:00:00Z"},
        {"bin_at", {"real:6.5", "real:2.5", "long:7"}, "real", "4.5"},
        {"bin_at",
         {"datetime:2017-05-15 10:20:00", "timespan:1.00:00:00", "datetime:1970-01-01 12:00:00"},
         "datetime",
         "2017-05-14T12:00:00Z"},
        {"abs", {"long:-5"}, "long", "5"},
        {"abs", {"timespan:-01:00:00"}, "timespan", "01:00:00"},
        {"ceiling", {"real:1.1"}, "real", "2"},
        {"pow", {"long:2", "long:3"}, "real", "8"},
        {"sqrt", {"long:4"}, "real", "2"},
        {"sqrt", {"long:-1"}, "real", "<null>"},
        {"log10", {"long:100"}, "real", "2"},
        {"log", {"long:0"}, "real", "<null>"},
        {"isfinite", {"real:1.5"}, "bool", "true"},
    };
    RUN(cases);
}

static void func_array(void **state)
{
    static const func_case cases[] = {
        {"array_length", {"dynamic:[1,2,3]"}, "long", "3"},
        {"array_length", {"dynamic:{\"a\":1}"}, "long", "<null>"},
        {"array_slice", {"dynamic:[1,2,3]", "long:1", "long:2"}, "dynamic", "[2,3]"},
        {"array_slice", {"dynamic:[1,2,3,4,5]", "long:-3", "long:-2"}, "dynamic", "[3,4]"},
        {"array_slice",
         {"dynamic:[\"host\",\"corp\",\"example\"]", "long:1", "long:-1"},
         "dynamic",
         "[\"corp\",\"example\"]"},
        {"array_concat", {"dynamic:[1,2]", "dynamic:[3]"}, "dynamic", "[1,2,3]"},
        {"array_index_of", {"dynamic:[\"a\",\"b\"]", "string:b"}, "long", "1"},
        {"array_index_of", {"dynamic:[1,2]", "long:3"}, "long", "-1"},
        {"set_has_element", {"dynamic:[\"this\",\"is\",\"an\"]", "string:is"}, "bool", "true"},
        {"set_union",
         {"dynamic:[1,2,3]", "dynamic:[1,2]", "dynamic:[4,5,6]"},
         "dynamic",
         "[1,2,3,4,5,6]"},
        {"set_intersect",
         {"dynamic:[1,2,3]", "dynamic:[1,2]", "dynamic:[1,4,5]"},
         "dynamic",
         "[1]"},
        {"set_difference",
         {"dynamic:[1,2,3]", "dynamic:[1,2]", "dynamic:[4,5,6]"},
         "dynamic",
         "[3]"},
        {"array_sort_asc",
         {"dynamic:[null,\"blue\",\"yellow\",\"green\",null]"},
         "dynamic",
         "[\"blue\",\"green\",\"yellow\",null,null]"},
        {"array_sort_desc", {"dynamic:[3,null,1,2]"}, "dynamic", "[3,2,1,null]"},
        {"zip", {"dynamic:[1,3,5]", "dynamic:[2,4,6]"}, "dynamic", "[[1,2],[3,4],[5,6]]"},
        {"pack_array", {"long:1", "string:a"}, "dynamic", "[1,\"a\"]"},
        {"bag_pack",
         {"string:k", "long:1", "string:s", "string:v"},
         "dynamic",
         "{\"k\":1,\"s\":\"v\"}"},
        {"bag_keys", {"dynamic:{\"a\":1,\"b\":2}"}, "dynamic", "[\"a\",\"b\"]"},
        {"strcat_array", {"dynamic:[1,2,3]", "string:->"}, "string", "1->2->3"},
        {"strcat_array", {"dynamic:[\"corp\",\"example\"]", "string:."}, "string", "corp.example"},
    };
    RUN(cases);
}

static void func_network(void **state)
{
    static const func_case cases[] = {
        {"ipv4_is_private", {"string:192.168.1.1/24"}, "bool", "true"},
        {"ipv4_is_private", {"string:10.1.2.3"}, "bool", "true"},
        {"ipv4_is_private", {"string:172.31.255.255"}, "bool", "true"},
        {"ipv4_is_private", {"string:172.32.0.1"}, "bool", "false"},
        {"ipv4_is_private", {"string:127.0.0.1"}, "bool", "false"},
        {"ipv4_is_private", {"string:2001:db8::1"}, "bool", "<null>"},
        {"ipv4_is_match", {"string:192.168.1.1/24", "string:192.168.1.255"}, "bool", "true"},
        {"ipv4_is_match", {"string:192.168.1.1/30", "string:192.168.1.255/24"}, "bool", "true"},
        {"ipv4_is_match", {"string:192.168.1.1", "string:192.168.1.0", "long:31"}, "bool", "true"},
        {"ipv4_is_match", {"string:192.168.1.1", "string:192.168.1.2"}, "bool", "false"},
        {"ipv4_compare", {"string:192.168.1.1", "string:192.168.1.255"}, "long", "-1"},
        {"ipv4_compare", {"string:192.168.1.1/24", "string:192.168.1.255/24"}, "long", "0"},
        {"ipv4_is_in_range", {"string:192.168.1.1", "string:192.168.1.255/24"}, "bool", "true"},
        {"ipv4_is_in_range", {"string:192.168.2.1", "string:192.168.1.0/24"}, "bool", "false"},
        {"ipv4_is_in_any_range",
         {"string:10.0.0.255", "dynamic:[\"127.0.0.1\",\"10.0.0.0/8\"]"},
         "bool",
         "true"},
        {"parse_ipv4", {"string:127.0.0.1"}, "long", "2130706433"},
        {"parse_ipv4", {"string:192.1.168.2/24"}, "long", "3221334016"},
        {"parse_ipv4", {"string:256.1.1.1"}, "long", "<null>"},
        {"parse_ipv4_mask", {"string:192.1.168.2", "long:24"}, "long", "3221334016"},
        {"ipv6_compare", {"string:::ffff:7f00:1", "string:127.0.0.1"}, "long", "0"},
        {"ipv6_is_match",
         {"string:fe80::85d:e82c:9446:7994/127", "string:fe80::85d:e82c:9446:7995/127"},
         "bool",
         "true"},
        {"has_ipv4",
         {"string:05:04:54 127.0.0.1 GET /favicon.ico 404", "string:127.0.0.1"},
         "bool",
         "true"},
        {"has_ipv4",
         {"string:05:04:54 127.0.0.256 GET /favicon.ico 404", "string:127.0.0.256"},
         "bool",
         "false"},
        {"has_ipv4",
         {"string:05:04:54127.0.0.1 GET /favicon.ico 404", "string:127.0.0.1"},
         "bool",
         "false"},
        {"has_any_ipv4",
         {"string:src 10.1.1.115 dst", "string:10.1.1.11", "string:10.1.1.115"},
         "bool",
         "true"},
    };
    RUN(cases);
}

static void func_time(void **state)
{
    static const func_case cases[] = {
        {"datetime_diff",
         {"string:year", "datetime:2017-01-01", "datetime:2000-12-31"},
         "long",
         "17"},
        {"datetime_diff",
         {"string:quarter", "datetime:2017-07-01", "datetime:2017-03-30"},
         "long",
         "2"},
        {"datetime_diff",
         {"string:month", "datetime:2017-01-01", "datetime:2015-12-30"},
         "long",
         "13"},
        {"datetime_diff",
         {"string:week", "datetime:2017-10-29 00:00", "datetime:2017-09-30 23:59"},
         "long",
         "5"},
        {"datetime_diff",
         {"string:day", "datetime:2017-10-29 00:00", "datetime:2017-09-30 23:59"},
         "long",
         "29"},
        {"datetime_diff",
         {"string:hour", "datetime:2017-10-31 01:00", "datetime:2017-10-30 23:59"},
         "long",
         "2"},
        {"datetime_diff",
         {"string:minute", "datetime:2017-10-30 23:05:01", "datetime:2017-10-30 23:00:59"},
         "long",
         "5"},
        {"datetime_diff",
         {"string:second", "datetime:2017-10-30 23:00:10.100", "datetime:2017-10-30 23:00:00.900"},
         "long",
         "10"},
        {"datetime_diff",
         {"string:millisecond", "datetime:2017-10-30 23:00:00.200100",
          "datetime:2017-10-30 23:00:00.100900"},
         "long",
         "100"},
        {"datetime_diff",
         {"string:microsecond", "datetime:2017-10-30 23:00:00.1009001",
          "datetime:2017-10-30 23:00:00.1008009"},
         "long",
         "100"},
        {"datetime_diff",
         {"string:nanosecond", "datetime:2017-10-30 23:00:00.0000000",
          "datetime:2017-10-30 23:00:00.0000007"},
         "long",
         "-700"},
        {"format_datetime",
         {"datetime:2017-01-29 09:00:05", "string:yy-MM-dd [HH:mm:ss]"},
         "string",
         "17-01-29 [09:00:05]"},
        {"format_datetime",
         {"datetime:2017-01-29 09:00:05", "string:yyyy-M-dd [H:mm:ss]"},
         "string",
         "2017-1-29 [9:00:05]"},
        {"format_datetime",
         {"datetime:2017-01-29 09:00:05", "string:yy-MM-dd [hh:mm:ss tt]"},
         "string",
         "17-01-29 [09:00:05 AM]"},
        {"format_timespan",
         {"timespan:29.09:00:05.12345", "string:dd.hh:mm:ss [FF]"},
         "string",
         "29.09:00:05 [12]"},
        {"format_timespan",
         {"timespan:29.09:00:05.12345", "string:ddd.h:mm:ss [fffffff]"},
         "string",
         "029.9:00:05 [1234500]"},
        {"week_of_year", {"datetime:2020-12-31"}, "int", "53"},
        {"week_of_year", {"datetime:2020-06-15"}, "int", "25"},
        {"week_of_year", {"datetime:1970-01-01"}, "int", "1"},
        {"week_of_year", {"datetime:2000-01-01"}, "int", "52"},
        {"dayofweek", {"datetime:1947-11-30 10:00:05"}, "timespan", "00:00:00"},
        {"dayofweek", {"datetime:1970-05-11"}, "timespan", "1.00:00:00"},
        {"startofweek", {"datetime:2017-01-01 10:10:17"}, "datetime", "2017-01-01T00:00:00Z"},
        {"startofmonth",
         {"datetime:2017-01-01 10:10:17", "long:-1"},
         "datetime",
         "2016-12-01T00:00:00Z"},
        {"startofyear",
         {"datetime:2017-05-01 10:10:17", "long:1"},
         "datetime",
         "2018-01-01T00:00:00Z"},
        {"endofday",
         {"datetime:2017-01-01 10:10:17", "long:1"},
         "datetime",
         "2017-01-02T23:59:59.9999999Z"},
        {"endofmonth", {"datetime:2016-02-10"}, "datetime", "2016-02-29T23:59:59.9999999Z"},
        {"datetime_add",
         {"string:month", "long:1", "datetime:2017-01-31"},
         "datetime",
         "2017-02-28T00:00:00Z"},
        {"datetime_add",
         {"string:Hour", "long:-2", "datetime:2017-01-01"},
         "datetime",
         "2016-12-31T22:00:00Z"},
        {"datetime_part",
         {"string:week_of_year", "datetime:2017-10-30 01:02:03.7654321"},
         "int",
         "44"},
        {"datetime_part",
         {"string:dayOfYear", "datetime:2017-10-30 01:02:03.7654321"},
         "int",
         "303"},
        {"datetime_part",
         {"string:microsecond", "datetime:2017-10-30 01:02:03.7654321"},
         "int",
         "765432"},
        {"datetime_part",
         {"string:nanosecond", "datetime:2017-10-30 01:02:03.7654321"},
         "int",
         "765432100"},
        {"getyear", {"datetime:2017-10-30"}, "int", "2017"},
        {"monthofyear", {"datetime:2015-12-14"}, "int", "12"},
        {"dayofmonth", {"datetime:2015-12-14"}, "int", "14"},
        {"dayofyear", {"datetime:2015-12-14"}, "int", "348"},
        {"hourofday", {"datetime:2015-12-14 18:54:00"}, "int", "18"},
        {"make_datetime",
         {"long:2017", "long:10", "long:1", "long:12", "long:10"},
         "datetime",
         "2017-10-01T12:10:00Z"},
        {"make_datetime", {"long:2017", "long:2", "long:30"}, "datetime", "<null>"},
        {"make_timespan",
         {"long:1", "long:12", "long:30", "real:55.123"},
         "timespan",
         "1.12:30:55.1230000"},
        {"unixtime_seconds_todatetime", {"long:1546300800"}, "datetime", "2019-01-01T00:00:00Z"},
        {"unixtime_milliseconds_todatetime",
         {"long:1546300800123"},
         "datetime",
         "2019-01-01T00:00:00.123Z"},
        {"now", {NULL}, "datetime", "2026-06-11T08:00:00Z"},
        {"ago", {"timespan:01:00:00"}, "datetime", "2026-06-11T07:00:00Z"},
    };
    RUN(cases);
}

static void func_hash(void **state)
{
    static const func_case cases[] = {
        {"hash", {"string:World"}, "long", "1846988464401551951"},
        {"hash", {"string:World", "long:100"}, "long", "51"},
        {"hash_sha256",
         {"string:abc"},
         "string",
         "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
        {"hash_sha256",
         {"string:abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"},
         "string",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
        {"hash_sha256",
         {"string:"},
         "string",
         "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
        {"hash_sha1", {"string:abc"}, "string", "a9993e364706816aba3e25717850c26c9cd0d89d"},
        {"hash_md5", {"string:abc"}, "string", "900150983cd24fb0d6963f7d28e17f72"},
        {"hash_md5",
         {"string:The quick brown fox jumps over the lazy dog"},
         "string",
         "9e107d9d372bb6826bd81d3542a419d6"},
    };
    RUN(cases);
}

static void func_type_errors(void **state)
{
    const kql_func_def *def = kql_func_lookup("tolower", 7);
    assert_non_null(def);
    fh_type types[3] = {FH_TYPE_LONG};
    bool literal[3] = {false};
    fh_value literals[3];
    fh_type out;
    assert_int_equal(def->result_type(types, literal, literals, 1, &out, &err), FH_ERR_TYPE);
    assert_string_equal(err.message, "tolower() expects a string argument, got long");

    def = kql_func_lookup("split", 5);
    types[0] = FH_TYPE_STRING;
    types[1] = FH_TYPE_DATETIME;
    assert_int_equal(def->result_type(types, literal, literals, 2, &out, &err), FH_ERR_TYPE);
    assert_string_equal(err.message, "split() expects a string as argument 2, got datetime");

    def = kql_func_lookup("iff", 3);
    types[0] = FH_TYPE_BOOL;
    types[1] = FH_TYPE_STRING;
    types[2] = FH_TYPE_LONG;
    assert_int_equal(def->result_type(types, literal, literals, 3, &out, &err), FH_ERR_TYPE);
    assert_string_equal(err.message, "iff() expects results of one type, got string and long");
}

static void func_registry_sorted(void **state)
{
    size_t count = kql_func_count();
    assert_true(count >= 130);
    for (size_t i = 1; i < count; i++)
        assert_true(strcmp(kql_func_at(i - 1)->name, kql_func_at(i)->name) < 0);
    assert_null(kql_func_lookup("tolowe", 6));
    assert_null(kql_func_lookup("ToLower", 7));
    assert_non_null(kql_func_lookup("tolower(", 7));
}

static void func_regex_invalid(void **state)
{
    const kql_func_def *def = kql_func_lookup("extract", 7);
    fh_value args[3] = {fh_value_string("(unclosed", 9), fh_value_long(1),
                        fh_value_string("text", 4)};
    fh_value out;
    assert_int_equal(def->call(&ctx, args, 3, &out), FH_ERR_INVALID);
    assert_non_null(strstr(err.message, "invalid regular expression \"(unclosed\""));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(func_string_docs),    cmocka_unit_test(func_string_edges),
        cmocka_unit_test(func_parse_url_path), cmocka_unit_test(func_conversion),
        cmocka_unit_test(func_logic),          cmocka_unit_test(func_math),
        cmocka_unit_test(func_array),          cmocka_unit_test(func_network),
        cmocka_unit_test(func_time),           cmocka_unit_test(func_hash),
        cmocka_unit_test(func_type_errors),    cmocka_unit_test(func_registry_sorted),
        cmocka_unit_test(func_regex_invalid),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
