/*
 * Term lookup for has_any over a large constant list: instead of searching the text once per
 * item, the text's term-aligned substrings are looked up in the list's hash index.
 */
#ifndef FOXHOUND_KQL_HAS_INDEX_H
#define FOXHOUND_KQL_HAS_INDEX_H

#include <stdbool.h>
#include <stddef.h>

#include "foxhound/arena.h"
#include "foxhound/error.h"
#include "kql/kql_exec.h"

typedef struct kql_has_index {
    /* Items that are empty or start or end with a byte that is not a letter or digit. The
     * lookup cannot align them to terms, so they are tested one by one. */
    const fh_value **edge_items;
    size_t nedge;
    size_t max_len; /* maximum length of a string item, in bytes */
} kql_has_index;

/*
 * Builds the index for a hashed set of has_any items into *out (arena memory). Leaves *out
 * NULL when the set has no hash index, as with no_shortcuts, so has_any keeps its item loop.
 */
fh_status kql_has_index_build(const kql_set *set, fh_arena *arena, kql_has_index **out);

/* Returns true when some item of set is a whole term of text, ignoring ASCII case, as has. */
bool kql_has_index_any(const kql_set *set, const kql_has_index *index, const char *text,
                       size_t len);

#endif
