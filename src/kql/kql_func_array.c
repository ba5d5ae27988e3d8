/*
 * Dynamic array and property-bag functions: length, slice, concat, index_of, sort, the set
 * operations, pack_array, bag_pack/pack, bag_keys, zip and strcat_array. Results are new
 * jansson values whose references ctx->arena holds. A function that expects an array and gets
 * another dynamic value returns null, as Kusto does.
 */
#include <stdlib.h>
#include <string.h>

#include "foxhound/limits.h"
#include "foxhound/value_ops.h"
#include "kql/kql_func_impl.h"

/* Reads argument index as a JSON array; *array is NULL when it is not one. */
static fh_status arg_array(kql_func_ctx *ctx, const char *fname, const fh_value *args, size_t index,
                           json_t **array)
{
    fh_status st = kql_arg_dynamic(ctx, fname, args, index, array);
    if (st == FH_OK && *array != NULL && !json_is_array(*array))
        *array = NULL;
    return st;
}

static fh_status null_dynamic(fh_value *out)
{
    *out = fh_value_null(FH_TYPE_DYNAMIC);
    return FH_OK;
}

static fh_status fn_array_length(kql_func_ctx *ctx, const fh_value *args, size_t nargs,
                                 fh_value *out)
{
    json_t *array;
    fh_status st = arg_array(ctx, "array_length", args, 0, &array);
    if (st == FH_OK)
        *out = array ? fh_value_long((int64_t)json_array_size(array)) : fh_value_null(FH_TYPE_LONG);
    return st;
}

/* Resolves a possibly negative index against size (negative counts from the end). */
static int64_t resolve_index(int64_t index, size_t size)
{
    return index < 0 ? (int64_t)size + index : index;
}

/* array_slice(array, start, end): end is inclusive; both may count from the end. */
static fh_status fn_array_slice(kql_func_ctx *ctx, const fh_value *args, size_t nargs,
                                fh_value *out)
{
    json_t *array;
    int64_t start, end;
    bool start_null, end_null;
    fh_status st = arg_array(ctx, "array_slice", args, 0, &array);
    if (st == FH_OK)
        st = kql_arg_long(ctx, "array_slice", args, 1, &start, &start_null);
    if (st == FH_OK)
        st = kql_arg_long(ctx, "array_slice", args, 2, &end, &end_null);
    if (st != FH_OK)
        return st;
    if (array == NULL || start_null || end_null)
        return null_dynamic(out);

    size_t size = json_array_size(array);
    start = resolve_index(start, size);
    end = resolve_index(end, size);
    if (start < 0)
        start = 0;
    if (end >= (int64_t)size)
        end = (int64_t)size - 1;
    json_t *slice = json_array();
    for (int64_t i = start; slice != NULL && i <= end; i++) {
        if (json_array_append(slice, json_array_get(array, (size_t)i)) != 0) {
            json_decref(slice);
            slice = NULL;
        }
    }
    return kql_result_json(ctx, slice, out);
}

static fh_status fn_array_concat(kql_func_ctx *ctx, const fh_value *args, size_t nargs,
                                 fh_value *out)
{
    json_t *result = json_array();
    for (size_t i = 0; result != NULL && i < nargs; i++) {
        json_t *array;
        fh_status st = arg_array(ctx, "array_concat", args, i, &array);
        if (st != FH_OK || array == NULL) {
            json_decref(result);
            return st != FH_OK ? st : null_dynamic(out);
        }
        if (json_array_extend(result, array) != 0) {
            json_decref(result);
            result = NULL;
        }
    }
    return kql_result_json(ctx, result, out);
}

/* JSON form of a scalar argument for comparisons with array elements. */
static fh_status value_json(kql_func_ctx *ctx, const char *fname, const fh_value *v, json_t **json)
{
    *json = fh_value_to_json(v);
    return *json ? FH_OK : kql_nomem(ctx, fname);
}

/*
 * JSON equality where numbers compare by value (1 equals 1.0), so a long argument finds
 * an integer element and a real argument a real element.
 */
static bool json_same(const json_t *a, const json_t *b)
{
    if (json_is_number(a) && json_is_number(b))
        return json_number_value(a) == json_number_value(b);
    return json_equal(a, b);
}

static int64_t index_in(json_t *array, json_t *needle, size_t from)
{
    for (size_t i = from; i < json_array_size(array); i++) {
        if (json_same(json_array_get(array, i), needle))
            return (int64_t)i;
    }
    return -1;
}

static fh_status fn_array_index_of(kql_func_ctx *ctx, const fh_value *args, size_t nargs,
                                   fh_value *out)
{
    json_t *array, *needle;
    int64_t start = 0;
    bool start_null = false;
    fh_status st = arg_array(ctx, "array_index_of", args, 0, &array);
    if (st == FH_OK && nargs > 2)
        st = kql_arg_long(ctx, "array_index_of", args, 2, &start, &start_null);
    if (st != FH_OK)
        return st;
    if (array == NULL || start_null) {
        *out = fh_value_null(FH_TYPE_LONG);
        return FH_OK;
    }
    st = value_json(ctx, "array_index_of", &args[1], &needle);
    if (st != FH_OK)
        return st;
    start = resolve_index(start, json_array_size(array));
    *out = fh_value_long(index_in(array, needle, start < 0 ? 0 : (size_t)start));
    json_decref(needle);
    return FH_OK;
}

static fh_status fn_set_has_element(kql_func_ctx *ctx, const fh_value *args, size_t nargs,
                                    fh_value *out)
{
    json_t *array, *needle;
    fh_status st = arg_array(ctx, "set_has_element", args, 0, &array);
    if (st != FH_OK)
        return st;
    if (array == NULL) {
        *out = fh_value_null(FH_TYPE_BOOL);
        return FH_OK;
    }
    st = value_json(ctx, "set_has_element", &args[1], &needle);
    if (st != FH_OK)
        return st;
    *out = fh_value_bool(index_in(array, needle, 0) >= 0);
    json_decref(needle);
    return FH_OK;
}

static fh_status fn_pack_array(kql_func_ctx *ctx, const fh_value *args, size_t nargs, fh_value *out)
{
    json_t *array = json_array();
    for (size_t i = 0; array != NULL && i < nargs; i++) {
        if (json_array_append_new(array, fh_value_to_json(&args[i])) != 0) {
            json_decref(array);
            array = NULL;
        }
    }
    return kql_result_json(ctx, array, out);
}

/* bag_pack(key1, value1, key2, value2, ...): keys must be strings. */
static fh_status fn_bag_pack(kql_func_ctx *ctx, const fh_value *args, size_t nargs, fh_value *out)
{
    if (nargs % 2 != 0)
        return fh_error_set(ctx->err, FH_ERR_TYPE, NULL, 0, 0,
                            "bag_pack() expects key/value pairs, got %zu arguments", nargs);
    json_t *bag = json_object();
    for (size_t i = 0; bag != NULL && i < nargs; i += 2) {
        const char *key;
        size_t len;
        fh_status st = kql_arg_string(ctx, "bag_pack", args, i, &key, &len);
        if (st != FH_OK) {
            json_decref(bag);
            return st;
        }
        if (json_object_setn_new(bag, key, len, fh_value_to_json(&args[i + 1])) != 0) {
            json_decref(bag);
            bag = NULL;
        }
    }
    return kql_result_json(ctx, bag, out);
}

static fh_status type_bag_pack(const fh_type *types, const bool *is_literal,
                               const fh_value *literals, size_t nargs, fh_type *out, fh_error *err)
{
    *out = FH_TYPE_DYNAMIC;
    if (nargs % 2 != 0)
        return fh_error_set(err, FH_ERR_TYPE, NULL, 0, 0,
                            "bag_pack() expects key/value pairs, got %zu arguments", nargs);
    for (size_t i = 0; i < nargs; i += 2) {
        if (types[i] != FH_TYPE_STRING)
            return fh_error_set(err, FH_ERR_TYPE, NULL, 0, 0,
                                "bag_pack() expects a string key as argument %zu, got %s", i + 1,
                                fh_type_name(types[i]));
    }
    return FH_OK;
}

static fh_status fn_bag_keys(kql_func_ctx *ctx, const fh_value *args, size_t nargs, fh_value *out)
{
    json_t *bag;
    fh_status st = kql_arg_dynamic(ctx, "bag_keys", args, 0, &bag);
    if (st != FH_OK)
        return st;
    if (bag == NULL || !json_is_object(bag))
        return null_dynamic(out);
    json_t *keys = json_array();
    const char *key;
    json_t *value;
    json_object_foreach(bag, key, value)
    {
        if (keys != NULL && json_array_append_new(keys, json_string(key)) != 0) {
            json_decref(keys);
            keys = NULL;
        }
    }
    return kql_result_json(ctx, keys, out);
}

/* ---- sort and sets ---- */

/* Orders JSON scalars: null last, then bools, numbers, strings, and others by type. */
static int json_rank(const json_t *j)
{
    if (json_is_null(j))
        return 9;
    if (json_is_boolean(j))
        return 1;
    if (json_is_number(j))
        return 2;
    if (json_is_string(j))
        return 3;
    return 4;
}

static int json_compare(const json_t *a, const json_t *b)
{
    int ra = json_rank(a), rb = json_rank(b);
    if (ra != rb)
        return ra - rb;
    if (ra == 1)
        return (int)json_is_true(a) - (int)json_is_true(b);
    if (ra == 2) {
        double x = json_number_value(a), y = json_number_value(b);
        return (x > y) - (x < y);
    }
    if (ra == 3) {
        size_t la = json_string_length(a), lb = json_string_length(b);
        int c = memcmp(json_string_value(a), json_string_value(b), la < lb ? la : lb);
        return c != 0 ? c : (la > lb) - (la < lb);
    }
    return 0;
}

static int compare_asc(const void *a, const void *b)
{
    return json_compare(*(json_t *const *)a, *(json_t *const *)b);
}

static int compare_desc(const void *a, const void *b)
{
    const json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
    /* Nulls stay last in both directions. */
    if (json_is_null(x) || json_is_null(y))
        return json_compare(x, y);
    return json_compare(y, x);
}

static fh_status sort_array(kql_func_ctx *ctx, const char *fname, const fh_value *args,
                            bool descending, fh_value *out)
{
    json_t *array;
    fh_status st = arg_array(ctx, fname, args, 0, &array);
    if (st != FH_OK || array == NULL)
        return st != FH_OK ? st : null_dynamic(out);
    size_t n = json_array_size(array);
    json_t **items = n ? malloc(n * sizeof *items) : NULL;
    if (n && items == NULL)
        return kql_nomem(ctx, fname);
    for (size_t i = 0; i < n; i++)
        items[i] = json_array_get(array, i);
    if (n)
        qsort(items, n, sizeof *items, descending ? compare_desc : compare_asc);
    json_t *sorted = json_array();
    for (size_t i = 0; sorted != NULL && i < n; i++) {
        if (json_array_append(sorted, items[i]) != 0) {
            json_decref(sorted);
            sorted = NULL;
        }
    }
    free(items);
    return kql_result_json(ctx, sorted, out);
}

static fh_status fn_array_sort_asc(kql_func_ctx *ctx, const fh_value *args, size_t nargs,
                                   fh_value *out)
{
    return sort_array(ctx, "array_sort_asc", args, false, out);
}

static fh_status fn_array_sort_desc(kql_func_ctx *ctx, const fh_value *args, size_t nargs,
                                    fh_value *out)
{
    return sort_array(ctx, "array_sort_desc", args, true, out);
}

/* Appends item to set unless an equal element is already there. */
static int set_add(json_t *set, json_t *item)
{
    if (index_in(set, item, 0) >= 0)
        return 0;
    return json_array_append(set, item);
}

enum set_op { SET_UNION, SET_INTERSECT, SET_DIFFERENCE };

/* Whether item from the first array belongs in the result of op over arrays 1..n-1. */
static bool set_keeps(enum set_op op, json_t *item, json_t *const *arrays, size_t n)
{
    for (size_t k = 1; k < n; k++) {
        bool found = index_in(arrays[k], item, 0) >= 0;
        if (op == SET_INTERSECT && !found)
            return false;
        if (op == SET_DIFFERENCE && found)
            return false;
    }
    return true;
}

/*
 * set_union, set_intersect and set_difference: distinct elements, in first-seen order.
 * Elements compare with JSON equality (numbers by value), by a linear scan per element.
 */
static fh_status set_operation(kql_func_ctx *ctx, const char *fname, const fh_value *args,
                               size_t nargs, enum set_op op, fh_value *out)
{
    json_t *arrays[64];
    if (nargs > 64)
        return fh_error_set(ctx->err, FH_ERR_LIMIT, NULL, 0, 0,
                            "%s() takes at most 64 arrays, got %zu", fname, nargs);
    for (size_t i = 0; i < nargs; i++) {
        fh_status st = arg_array(ctx, fname, args, i, &arrays[i]);
        if (st != FH_OK || arrays[i] == NULL)
            return st != FH_OK ? st : null_dynamic(out);
    }
    json_t *result = json_array();
    size_t sources = op == SET_UNION ? nargs : 1;
    for (size_t k = 0; result != NULL && k < sources; k++) {
        for (size_t i = 0; result != NULL && i < json_array_size(arrays[k]); i++) {
            json_t *item = json_array_get(arrays[k], i);
            if (op != SET_UNION && !set_keeps(op, item, arrays, nargs))
                continue;
            if (set_add(result, item) != 0) {
                json_decref(result);
                result = NULL;
            }
        }
    }
    return kql_result_json(ctx, result, out);
}

static fh_status fn_set_union(kql_func_ctx *ctx, const fh_value *args, size_t nargs, fh_value *out)
{
    return set_operation(ctx, "set_union", args, nargs, SET_UNION, out);
}

static fh_status fn_set_intersect(kql_func_ctx *ctx, const fh_value *args, size_t nargs,
                                  fh_value *out)
{
    return set_operation(ctx, "set_intersect", args, nargs, SET_INTERSECT, out);
}

static fh_status fn_set_difference(kql_func_ctx *ctx, const fh_value *args, size_t nargs,
                                   fh_value *out)
{
    return set_operation(ctx, "set_difference", args, nargs, SET_DIFFERENCE, out);
}

/* zip(a1, a2, ...): [[a1[0], a2[0], ...], ...], as long as the longest; gaps are null. */
static fh_status fn_zip(kql_func_ctx *ctx, const fh_value *args, size_t nargs, fh_value *out)
{
    json_t *arrays[16];
    size_t longest = 0;
    if (nargs > 16)
        return fh_error_set(ctx->err, FH_ERR_LIMIT, NULL, 0, 0,
                            "zip() takes at most 16 arrays, got %zu", nargs);
    for (size_t i = 0; i < nargs; i++) {
        fh_status st = arg_array(ctx, "zip", args, i, &arrays[i]);
        if (st != FH_OK || arrays[i] == NULL)
            return st != FH_OK ? st : null_dynamic(out);
        if (json_array_size(arrays[i]) > longest)
            longest = json_array_size(arrays[i]);
    }
    json_t *result = json_array();
    for (size_t row = 0; result != NULL && row < longest; row++) {
        json_t *tuple = json_array();
        for (size_t i = 0; tuple != NULL && i < nargs; i++) {
            json_t *item = json_array_get(arrays[i], row);
            if (json_array_append_new(tuple, item ? json_incref(item) : json_null()) != 0) {
                json_decref(tuple);
                tuple = NULL;
            }
        }
        if (json_array_append_new(result, tuple) != 0) {
            json_decref(result);
            result = NULL;
        }
    }
    return kql_result_json(ctx, result, out);
}

/* strcat_array(array, delimiter): elements as text (strings without quotes). */
static fh_status fn_strcat_array(kql_func_ctx *ctx, const fh_value *args, size_t nargs,
                                 fh_value *out)
{
    json_t *array;
    const char *delim;
    size_t dlen;
    fh_status st = arg_array(ctx, "strcat_array", args, 0, &array);
    if (st == FH_OK)
        st = kql_arg_string(ctx, "strcat_array", args, 1, &delim, &dlen);
    if (st != FH_OK || array == NULL)
        return st != FH_OK ? st : kql_result_string(out, "", 0);

    size_t n = json_array_size(array), total = 0;
    const char **parts = n ? kql_alloc(ctx, n * sizeof *parts) : NULL;
    size_t *lens = n ? kql_alloc(ctx, n * sizeof *lens) : NULL;
    if (n && (parts == NULL || lens == NULL))
        return FH_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        fh_value item = {.type = FH_TYPE_DYNAMIC};
        item.u.dyn = json_array_get(array, i);
        item.is_null = json_is_null(item.u.dyn);
        st = kql_value_text(ctx, &item, &parts[i], &lens[i]);
        if (st != FH_OK)
            return st;
        total += lens[i] + (i ? dlen : 0);
    }
    if (total > FH_MAX_STRING_RESULT_BYTES)
        return fh_error_set(ctx->err, FH_ERR_LIMIT, NULL, 0, 0,
                            "strcat_array(): result of %zu bytes is over the limit of %d bytes "
                            "(FH_MAX_STRING_RESULT_BYTES)",
                            total, FH_MAX_STRING_RESULT_BYTES);
    char *buf = total ? kql_alloc(ctx, total) : NULL;
    if (total && buf == NULL)
        return FH_ERR_NOMEM;
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        if (i && dlen) {
            memcpy(buf + w, delim, dlen);
            w += dlen;
        }
        if (lens[i])
            memcpy(buf + w, parts[i], lens[i]);
        w += lens[i];
    }
    return kql_result_string(out, buf ? buf : "", total);
}

KQL_TYPE_FIXED(type_array_length, "array_length", "y", FH_TYPE_LONG)
KQL_TYPE_FIXED(type_array_slice, "array_slice", "yii", FH_TYPE_DYNAMIC)
KQL_TYPE_FIXED(type_array_concat, "array_concat", "y*", FH_TYPE_DYNAMIC)
KQL_TYPE_FIXED(type_array_index_of, "array_index_of", "yai", FH_TYPE_LONG)
KQL_TYPE_FIXED(type_set_has_element, "set_has_element", "ya", FH_TYPE_BOOL)
KQL_TYPE_FIXED(type_pack_array, "pack_array", "a*", FH_TYPE_DYNAMIC)
KQL_TYPE_FIXED(type_bag_keys, "bag_keys", "y", FH_TYPE_DYNAMIC)
KQL_TYPE_FIXED(type_array_sort_asc, "array_sort_asc", "y", FH_TYPE_DYNAMIC)
KQL_TYPE_FIXED(type_array_sort_desc, "array_sort_desc", "y", FH_TYPE_DYNAMIC)
KQL_TYPE_FIXED(type_set_union, "set_union", "y*", FH_TYPE_DYNAMIC)
KQL_TYPE_FIXED(type_set_intersect, "set_intersect", "y*", FH_TYPE_DYNAMIC)
KQL_TYPE_FIXED(type_set_difference, "set_difference", "y*", FH_TYPE_DYNAMIC)
KQL_TYPE_FIXED(type_zip, "zip", "y*", FH_TYPE_DYNAMIC)
KQL_TYPE_FIXED(type_strcat_array, "strcat_array", "ys", FH_TYPE_STRING)

static const kql_func_def defs[] = {
    {"array_length", 1, 1, fn_array_length, type_array_length},
    {"array_slice", 3, 3, fn_array_slice, type_array_slice},
    {"array_concat", 1, 64, fn_array_concat, type_array_concat},
    {"array_index_of", 2, 3, fn_array_index_of, type_array_index_of},
    {"set_has_element", 2, 2, fn_set_has_element, type_set_has_element},
    {"pack_array", 1, 64, fn_pack_array, type_pack_array},
    {"bag_pack", 2, 64, fn_bag_pack, type_bag_pack},
    {"pack", 2, 64, fn_bag_pack, type_bag_pack},
    {"bag_keys", 1, 1, fn_bag_keys, type_bag_keys},
    {"array_sort_asc", 1, 1, fn_array_sort_asc, type_array_sort_asc},
    {"array_sort_desc", 1, 1, fn_array_sort_desc, type_array_sort_desc},
    {"set_union", 2, 64, fn_set_union, type_set_union},
    {"set_intersect", 2, 64, fn_set_intersect, type_set_intersect},
    {"set_difference", 2, 64, fn_set_difference, type_set_difference},
    {"zip", 2, 16, fn_zip, type_zip},
    {"strcat_array", 2, 2, fn_strcat_array, type_strcat_array},
};

const kql_func_family kql_func_array = {defs, sizeof defs / sizeof defs[0]};
