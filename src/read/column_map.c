/* Open addressing with linear probing over FNV-1a hashes; the table is kept at most half full. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "read/column_map.h"

static uint64_t hash_name(const char *name, size_t len)
{
    uint64_t h = 14695981039346656037ULL;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)name[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static column_map_entry *find_slot(column_map_entry *slots, size_t nslots, const char *name,
                                   size_t len)
{
    size_t mask = nslots - 1;
    size_t i = (size_t)hash_name(name, len) & mask;
    while (slots[i].name != NULL) {
        if (slots[i].len == len && memcmp(slots[i].name, name, len) == 0)
            return &slots[i];
        i = (i + 1) & mask;
    }
    return &slots[i];
}

static int grow(column_map *map)
{
    size_t nslots = map->nslots ? map->nslots * 2 : 64;
    column_map_entry *slots = calloc(nslots, sizeof *slots);
    if (slots == NULL)
        return -1;
    for (size_t i = 0; i < map->nslots; i++) {
        column_map_entry *old = &map->slots[i];
        if (old->name != NULL)
            *find_slot(slots, nslots, old->name, old->len) = *old;
    }
    free(map->slots);
    map->slots = slots;
    map->nslots = nslots;
    return 0;
}

fh_status column_map_put(column_map *map, const char *name, size_t len, long index, int *added)
{
    if (added != NULL)
        *added = 0;
    if ((map->count + 1) * 2 > map->nslots && grow(map) != 0)
        return FH_ERR_NOMEM;

    column_map_entry *slot = find_slot(map->slots, map->nslots, name, len);
    if (slot->name != NULL)
        return FH_OK;
    slot->name = malloc(len + 1);
    if (slot->name == NULL)
        return FH_ERR_NOMEM;
    memcpy(slot->name, name, len);
    slot->name[len] = '\0';
    slot->len = len;
    slot->index = index;
    map->count++;
    if (added != NULL)
        *added = 1;
    return FH_OK;
}

long column_map_get(const column_map *map, const char *name, size_t len)
{
    if (map->nslots == 0)
        return -1;
    const column_map_entry *slot = find_slot(map->slots, map->nslots, name, len);
    return slot->name != NULL ? slot->index : -1;
}

void column_map_free(column_map *map)
{
    for (size_t i = 0; i < map->nslots; i++)
        free(map->slots[i].name);
    free(map->slots);
    memset(map, 0, sizeof *map);
}
