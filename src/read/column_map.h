/*
 * A hash map from column names to column indexes, so that readers find the column of a JSON
 * key or CSV header field in constant time. Names are compared byte for byte, as Kusto compares
 * column names (case-sensitive).
 */
#ifndef FOXHOUND_COLUMN_MAP_H
#define FOXHOUND_COLUMN_MAP_H

#include <stddef.h>

#include "foxhound/error.h"

typedef struct column_map_entry {
    char *name; /* NUL-terminated copy; NULL marks an empty slot */
    size_t len;
    long index;
} column_map_entry;

typedef struct column_map {
    column_map_entry *slots;
    size_t nslots; /* a power of two, or 0 before the first insert */
    size_t count;
} column_map;

/*
 * Adds name with its index unless the map already has the name. Sets *added to whether it was
 * added (added may be NULL). Returns FH_OK or FH_ERR_NOMEM.
 */
fh_status column_map_put(column_map *map, const char *name, size_t len, long index, int *added);

/* Returns the index stored for name, or -1 when the map does not have it. */
long column_map_get(const column_map *map, const char *name, size_t len);

/* Frees the map's memory and leaves it empty. Accepts a map that was never filled. */
void column_map_free(column_map *map);

#endif
