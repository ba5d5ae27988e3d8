/*
 * A bump allocator for values that share one lifetime: the cells of a batch of rows, the
 * strings of a parsed query, the state of a stateful operator. Allocation is a pointer bump;
 * everything is freed at once by fh_arena_reset or fh_arena_destroy. An arena also holds the
 * references to jansson values that its dynamic cells point at, and drops them on reset.
 */
#ifndef FOXHOUND_ARENA_H
#define FOXHOUND_ARENA_H

#include <stddef.h>

#include "foxhound/value.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fh_arena_block fh_arena_block;

typedef struct fh_arena {
    fh_arena_block *head;    /* block being filled */
    fh_arena_block *spare;   /* blocks kept by reset for reuse */
    struct json_t **json;    /* references released on reset */
    size_t njson, json_cap;
    size_t bytes_used;       /* bytes handed out since the last reset */
} fh_arena;

/* Prepares an empty arena. No memory is taken until the first allocation. */
void fh_arena_init(fh_arena *arena);

/* Frees every block and drops every held JSON reference. Accepts NULL. */
void fh_arena_destroy(fh_arena *arena);

/* Releases all allocations at once, keeping blocks for reuse. */
void fh_arena_reset(fh_arena *arena);

/* Returns size bytes aligned for any type, or NULL when memory runs out. */
void *fh_arena_alloc(fh_arena *arena, size_t size);

/* Copies len bytes and a terminating NUL into the arena; NULL when memory runs out. */
char *fh_arena_strndup(fh_arena *arena, const char *ptr, size_t len);

/* Makes the arena hold one reference to json (taking it over from the caller). */
fh_status fh_arena_adopt_json(fh_arena *arena, struct json_t *json);

/*
 * Copies src into dst so that dst lives as long as arena: string bytes are copied and a
 * dynamic value gains a reference held by arena.
 */
fh_status fh_value_copy(fh_arena *arena, fh_value *dst, const fh_value *src);

#ifdef __cplusplus
}
#endif

#endif
