/*
 * has_any over a large constant list in time that does not grow with the list.
 *
 * `has` matches an item at a position where the item's first byte starts a term (when that
 * byte is a letter or digit) and its last byte ends one. So an item that starts and ends with
 * a letter or digit can only match a substring that runs from a term start to a term end. The
 * lookup walks every term start, extends to every term end within the longest item's length,
 * and looks each substring up in the set's caseless hash index. Items that start or end with
 * another byte are few (such as ".example.com" or "/gate.php") and are tested with
 * kql_str_has. For a text of T terms this costs at most T * T lookups, whatever the list size.
 */
#include <string.h>

#include "kql/kql_func.h"
#include "kql/kql_func_impl.h"
#include "kql/kql_has_index.h"

static bool has_edge_byte(const fh_value *item)
{
    size_t len = item->u.s.len;
    return len == 0 || !kql_ascii_is_alnum((unsigned char)item->u.s.ptr[0]) ||
           !kql_ascii_is_alnum((unsigned char)item->u.s.ptr[len - 1]);
}

fh_status kql_has_index_build(const kql_set *set, fh_arena *arena, kql_has_index **out)
{
    *out = NULL;
    if (set->nslots == 0 || !set->nocase)
        return FH_OK;
    kql_has_index *index = fh_arena_alloc(arena, sizeof *index);
    if (index == NULL)
        return FH_ERR_NOMEM;
    memset(index, 0, sizeof *index);

    size_t nedge = 0;
    for (size_t i = 0; i < set->count; i++) {
        const fh_value *item = &set->items[i];
        if (item->type != FH_TYPE_STRING)
            continue;
        if (item->u.s.len > index->max_len)
            index->max_len = item->u.s.len;
        nedge += has_edge_byte(item);
    }
    if (nedge > 0) {
        index->edge_items = fh_arena_alloc(arena, nedge * sizeof *index->edge_items);
        if (index->edge_items == NULL)
            return FH_ERR_NOMEM;
        for (size_t i = 0; i < set->count; i++) {
            const fh_value *item = &set->items[i];
            if (item->type == FH_TYPE_STRING && has_edge_byte(item))
                index->edge_items[index->nedge++] = item;
        }
    }
    *out = index;
    return FH_OK;
}

static bool is_term_start(const char *text, size_t at)
{
    return kql_ascii_is_alnum((unsigned char)text[at]) &&
           (at == 0 || !kql_ascii_is_alnum((unsigned char)text[at - 1]));
}

static bool is_term_end(const char *text, size_t len, size_t end)
{
    return kql_ascii_is_alnum((unsigned char)text[end - 1]) &&
           (end == len || !kql_ascii_is_alnum((unsigned char)text[end]));
}

bool kql_has_index_any(const kql_set *set, const kql_has_index *index, const char *text, size_t len)
{
    for (size_t start = 0; start < len; start++) {
        if (!is_term_start(text, start))
            continue;
        size_t limit = len - start < index->max_len ? len : start + index->max_len;
        for (size_t end = start + 1; end <= limit; end++) {
            if (!is_term_end(text, len, end))
                continue;
            fh_value candidate = fh_value_string(text + start, end - start);
            if (kql_set_contains(set, &candidate))
                return true;
        }
    }
    for (size_t i = 0; i < index->nedge; i++) {
        const fh_value *item = index->edge_items[i];
        if (kql_str_has(text, len, item->u.s.ptr, item->u.s.len, false))
            return true;
    }
    return false;
}
