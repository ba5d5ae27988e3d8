/*
 * Containers that hold values across batches: value sets (for `in` lists, dcount and
 * make_set), row stores (for sort, join and materialized inputs) and key maps (for summarize,
 * distinct and join). Sizes are checked against FH_MAX_STATE_ROWS where rows are stored.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "foxhound/limits.h"
#include "kql/kql_exec.h"

/* --- value sets ----------------------------------------------------------------------------- */

void kql_set_init(kql_set *set, fh_arena *arena, bool nocase, bool hashed)
{
    memset(set, 0, sizeof *set);
    set->arena = arena;
    set->nocase = nocase;
    set->hashed = hashed;
}

static uint64_t set_hash(const kql_set *set, const fh_value *v)
{
    return set->nocase ? fh_value_hash_nocase(v) : fh_value_hash(v);
}

static bool set_equal(const kql_set *set, const fh_value *a, const fh_value *b)
{
    return set->nocase ? fh_value_equal_nocase(a, b) : fh_value_equal(a, b);
}

/* Rebuilds the hash index with room for twice the items. */
static fh_status set_reindex(kql_set *set)
{
    size_t nslots = 16;
    while (nslots < set->count * 2 + 2)
        nslots *= 2;
    uint32_t *slots = fh_arena_alloc(set->arena, nslots * sizeof *slots);
    if (slots == NULL)
        return FH_ERR_NOMEM;
    memset(slots, 0, nslots * sizeof *slots);
    for (size_t i = 0; i < set->count; i++) {
        size_t at = set_hash(set, &set->items[i]) & (nslots - 1);
        while (slots[at] != 0)
            at = (at + 1) & (nslots - 1);
        slots[at] = (uint32_t)(i + 1);
    }
    set->slots = slots;
    set->nslots = nslots;
    return FH_OK;
}

static long set_find(const kql_set *set, const fh_value *v)
{
    if (set->slots == NULL) {
        for (size_t i = 0; i < set->count; i++) {
            if (set_equal(set, &set->items[i], v))
                return (long)i;
        }
        return -1;
    }
    size_t at = set_hash(set, v) & (set->nslots - 1);
    while (set->slots[at] != 0) {
        size_t i = set->slots[at] - 1;
        if (set_equal(set, &set->items[i], v))
            return (long)i;
        at = (at + 1) & (set->nslots - 1);
    }
    return -1;
}

bool kql_set_contains(const kql_set *set, const fh_value *v)
{
    if (v->is_null)
        return false;
    return set_find(set, v) >= 0;
}

static fh_status set_grow(kql_set *set)
{
    size_t cap = set->cap ? set->cap * 2 : 8;
    fh_value *items = fh_arena_alloc(set->arena, cap * sizeof *items);
    if (items == NULL)
        return FH_ERR_NOMEM;
    if (set->count > 0)
        memcpy(items, set->items, set->count * sizeof *items);
    set->items = items;
    set->cap = cap;
    return FH_OK;
}

fh_status kql_set_add(kql_set *set, const fh_value *v, bool *added)
{
    if (added != NULL)
        *added = false;
    if (v->is_null || set_find(set, v) >= 0)
        return FH_OK;
    if (set->count >= FH_MAX_IN_LIST * 16ULL)
        return FH_ERR_LIMIT;
    if (set->count == set->cap && set_grow(set) != FH_OK)
        return FH_ERR_NOMEM;
    fh_status st = fh_value_copy(set->arena, &set->items[set->count], v);
    if (st != FH_OK)
        return st;
    set->count++;
    if (added != NULL)
        *added = true;

    if (!set->hashed || set->count <= KQL_SET_LINEAR_MAX)
        return FH_OK;
    if (set->slots == NULL || set->count * 2 > set->nslots)
        return set_reindex(set);
    size_t at = set_hash(set, v) & (set->nslots - 1);
    while (set->slots[at] != 0)
        at = (at + 1) & (set->nslots - 1);
    set->slots[at] = (uint32_t)set->count;
    return FH_OK;
}

fh_status kql_value_from_json_element(json_t *json, fh_arena *arena, fh_value *out)
{
    switch (json_typeof(json)) {
    case JSON_STRING: {
        size_t len = json_string_length(json);
        char *copy = fh_arena_strndup(arena, json_string_value(json), len);
        if (copy == NULL)
            return FH_ERR_NOMEM;
        *out = fh_value_string(copy, len);
        return FH_OK;
    }
    case JSON_INTEGER:
        *out = fh_value_long((int64_t)json_integer_value(json));
        return FH_OK;
    case JSON_REAL:
        *out = fh_value_real(json_real_value(json));
        return FH_OK;
    case JSON_TRUE:
    case JSON_FALSE:
        *out = fh_value_bool(json_is_true(json));
        return FH_OK;
    case JSON_NULL:
        *out = fh_value_null(FH_TYPE_DYNAMIC);
        return FH_OK;
    default:
        break;
    }
    *out = fh_value_null(FH_TYPE_DYNAMIC);
    out->is_null = false;
    out->u.dyn = json_incref(json);
    return fh_arena_adopt_json(arena, json);
}

static fh_status set_add_json(kql_set *set, json_t *json, unsigned depth)
{
    if (depth > FH_MAX_JSON_DEPTH)
        return FH_ERR_LIMIT;
    if (json_is_array(json)) {
        for (size_t i = 0; i < json_array_size(json); i++) {
            fh_status st = set_add_json(set, json_array_get(json, i), depth + 1);
            if (st != FH_OK)
                return st;
        }
        return FH_OK;
    }
    /* kql_set_add copies what it keeps, so a string is read in place and copied once. */
    if (json_is_string(json)) {
        fh_value v = fh_value_string(json_string_value(json), json_string_length(json));
        return kql_set_add(set, &v, NULL);
    }
    fh_value v;
    fh_status st = kql_value_from_json_element(json, set->arena, &v);
    if (st != FH_OK)
        return st;
    return kql_set_add(set, &v, NULL);
}

fh_status kql_set_add_flat(kql_set *set, const fh_value *v)
{
    if (v->type == FH_TYPE_DYNAMIC && !v->is_null && v->u.dyn != NULL)
        return set_add_json(set, v->u.dyn, 0);
    return kql_set_add(set, v, NULL);
}

/* --- row stores ----------------------------------------------------------------------------- */

void kql_rows_init(kql_rows *rows, size_t ncols)
{
    memset(rows, 0, sizeof *rows);
    rows->ncols = ncols;
    fh_arena_init(&rows->arena);
}

void kql_rows_destroy(kql_rows *rows)
{
    if (rows == NULL)
        return;
    free(rows->cells);
    fh_arena_destroy(&rows->arena);
    memset(rows, 0, sizeof *rows);
}

static fh_status rows_grow(kql_rows *rows, const char *op_name, fh_error *err)
{
    if ((long long)rows->nrows >= FH_MAX_STATE_ROWS)
        return fh_error_set(err, FH_ERR_LIMIT, NULL, 0, 0,
                            "'%s' would hold more than %lld rows (FH_MAX_STATE_ROWS); filter "
                            "the input first",
                            op_name, (long long)FH_MAX_STATE_ROWS);
    size_t cap = rows->cap ? rows->cap * 2 : 64;
    size_t width = rows->ncols ? rows->ncols : 1;
    fh_value *cells = realloc(rows->cells, cap * width * sizeof *cells);
    if (cells == NULL)
        return fh_error_set(err, FH_ERR_NOMEM, NULL, 0, 0, "out of memory in '%s'", op_name);
    rows->cells = cells;
    rows->cap = cap;
    return FH_OK;
}

fh_status kql_rows_append(kql_rows *rows, const fh_value *row, const char *op_name, fh_error *err)
{
    if (rows->nrows == rows->cap) {
        fh_status st = rows_grow(rows, op_name, err);
        if (st != FH_OK)
            return st;
    }
    fh_value *dst = rows->cells + rows->nrows * rows->ncols;
    for (size_t i = 0; i < rows->ncols; i++) {
        if (fh_value_copy(&rows->arena, &dst[i], &row[i]) != FH_OK)
            return fh_error_set(err, FH_ERR_NOMEM, NULL, 0, 0, "out of memory in '%s'", op_name);
    }
    rows->nrows++;
    return FH_OK;
}

/* --- key maps ------------------------------------------------------------------------------- */

void kql_keymap_init(kql_keymap *map, size_t nkeys)
{
    memset(map, 0, sizeof *map);
    kql_rows_init(&map->keys, nkeys);
}

void kql_keymap_destroy(kql_keymap *map)
{
    if (map == NULL)
        return;
    kql_rows_destroy(&map->keys);
    free(map->hashes);
    free(map->slots);
    memset(map, 0, sizeof *map);
}

uint64_t kql_key_hash(const fh_value *key, size_t n)
{
    uint64_t h = 0x9e3779b97f4a7c15ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= fh_value_hash(&key[i]) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    }
    return h;
}

bool kql_key_equal(const fh_value *a, const fh_value *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (a[i].is_null || b[i].is_null) {
            if (!(a[i].is_null && b[i].is_null))
                return false;
            continue;
        }
        if (!fh_value_equal(&a[i], &b[i]))
            return false;
    }
    return true;
}

static fh_status keymap_rehash(kql_keymap *map)
{
    size_t nslots = map->nslots ? map->nslots * 2 : 64;
    uint32_t *slots = calloc(nslots, sizeof *slots);
    if (slots == NULL)
        return FH_ERR_NOMEM;
    for (size_t i = 0; i < map->keys.nrows; i++) {
        size_t at = map->hashes[i] & (nslots - 1);
        while (slots[at] != 0)
            at = (at + 1) & (nslots - 1);
        slots[at] = (uint32_t)(i + 1);
    }
    free(map->slots);
    map->slots = slots;
    map->nslots = nslots;
    return FH_OK;
}

static long keymap_lookup(const kql_keymap *map, const fh_value *key, uint64_t h)
{
    if (map->nslots == 0)
        return -1;
    size_t at = h & (map->nslots - 1);
    while (map->slots[at] != 0) {
        size_t i = map->slots[at] - 1;
        if (map->hashes[i] == h && kql_key_equal(kql_rows_at(&map->keys, i), key, map->keys.ncols))
            return (long)i;
        at = (at + 1) & (map->nslots - 1);
    }
    return -1;
}

long kql_keymap_find(const kql_keymap *map, const fh_value *key)
{
    return keymap_lookup(map, key, kql_key_hash(key, map->keys.ncols));
}

fh_status kql_keymap_find_or_add(kql_keymap *map, const fh_value *key, const char *op_name,
                                 size_t *index, bool *added, fh_error *err)
{
    uint64_t h = kql_key_hash(key, map->keys.ncols);
    long found = keymap_lookup(map, key, h);
    *added = false;
    if (found >= 0) {
        *index = (size_t)found;
        return FH_OK;
    }
    if (map->keys.nrows >= UINT32_MAX - 1)
        return fh_error_set(err, FH_ERR_LIMIT, NULL, 0, 0, "'%s' has too many groups", op_name);
    fh_status st = kql_rows_append(&map->keys, key, op_name, err);
    if (st != FH_OK)
        return st;
    size_t i = map->keys.nrows - 1;
    uint64_t *hashes = realloc(map->hashes, map->keys.cap * sizeof *hashes);
    if (hashes == NULL)
        return fh_error_set(err, FH_ERR_NOMEM, NULL, 0, 0, "out of memory in '%s'", op_name);
    map->hashes = hashes;
    map->hashes[i] = h;
    if (map->keys.nrows * 2 > map->nslots) {
        if (keymap_rehash(map) != FH_OK)
            return fh_error_set(err, FH_ERR_NOMEM, NULL, 0, 0, "out of memory in '%s'", op_name);
    } else {
        size_t at = h & (map->nslots - 1);
        while (map->slots[at] != 0)
            at = (at + 1) & (map->nslots - 1);
        map->slots[at] = (uint32_t)(i + 1);
    }
    *index = i;
    *added = true;
    return FH_OK;
}
