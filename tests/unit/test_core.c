/* Error formatting, arena allocation and batch growth. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <string.h>

#include "foxhound/arena.h"
#include "foxhound/error.h"
#include "foxhound/table.h"

static void error_format_full_location(void **state)
{
    fh_error err;
    fh_error_clear(&err);
    fh_status st = fh_error_set(&err, FH_ERR_PARSE, "feed.csv", 12, 5, "bad %s", "hash");
    assert_int_equal(st, FH_ERR_PARSE);

    char buf[256];
    fh_error_format(&err, buf, sizeof buf);
    assert_string_equal(buf, "feed.csv:12:5: bad hash");
}

static void error_format_without_column(void **state)
{
    fh_error err;
    fh_error_set(&err, FH_ERR_INVALID, "feed.csv", 3, 0, "sha256 has 63 hex digits");
    char buf[256];
    fh_error_format(&err, buf, sizeof buf);
    assert_string_equal(buf, "feed.csv:3: sha256 has 63 hex digits");
}

static void arena_large_and_small(void **state)
{
    fh_arena arena;
    fh_arena_init(&arena);
    char *small = fh_arena_strndup(&arena, "abc", 3);
    assert_string_equal(small, "abc");

    char *big = fh_arena_alloc(&arena, 1 << 20);
    assert_non_null(big);
    memset(big, 'x', 1 << 20);

    fh_arena_reset(&arena);
    assert_int_equal(arena.bytes_used, 0);
    assert_non_null(fh_arena_alloc(&arena, 16));
    fh_arena_destroy(&arena);
}

static void arena_holds_json_reference(void **state)
{
    fh_arena arena;
    fh_arena_init(&arena);
    json_t *array = json_array();
    fh_value src = {.type = FH_TYPE_DYNAMIC};
    src.u.dyn = array;

    fh_value dst;
    assert_int_equal(fh_value_copy(&arena, &dst, &src), FH_OK);
    assert_int_equal(array->refcount, 2);
    json_decref(array);
    fh_arena_destroy(&arena); /* drops the last reference; LeakSanitizer checks it */
}

static void batch_append_sets_nulls(void **state)
{
    fh_column cols[] = {{"Name", FH_TYPE_STRING}, {"Port", FH_TYPE_INT}};
    fh_schema *schema;
    assert_int_equal(fh_schema_create("T", cols, 2, &schema, NULL), FH_OK);
    assert_int_equal(fh_schema_find(schema, "Port", 4), 1);
    assert_int_equal(fh_schema_find(schema, "port", 4), -1);

    fh_batch batch;
    fh_batch_init(&batch, schema, NULL);
    for (int i = 0; i < 1000; i++) {
        fh_value *row;
        assert_int_equal(fh_batch_append(&batch, &row, NULL), FH_OK);
        assert_false(row[0].is_null);
        assert_int_equal(row[0].u.s.len, 0);
        assert_true(row[1].is_null);
    }
    assert_int_equal(batch.nrows, 1000);
    fh_batch_destroy(&batch);
    fh_schema_destroy(schema);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(error_format_full_location),
        cmocka_unit_test(error_format_without_column),
        cmocka_unit_test(arena_large_and_small),
        cmocka_unit_test(arena_holds_json_reference),
        cmocka_unit_test(batch_append_sets_nulls),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
