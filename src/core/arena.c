/*
 * Bump allocation in chained blocks. A request larger than the block size gets a block of
 * its own, so any size works; reset keeps the blocks for the next batch.
 */
#include <jansson.h>
#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "foxhound/arena.h"

#define ARENA_BLOCK_BYTES (64 * 1024)

struct fh_arena_block {
    fh_arena_block *next;
    size_t size; /* usable bytes in data */
    size_t used;
    alignas(max_align_t) unsigned char data[];
};

void fh_arena_init(fh_arena *arena)
{
    memset(arena, 0, sizeof *arena);
}

static void release_json(fh_arena *arena)
{
    for (size_t i = 0; i < arena->njson; i++)
        json_decref(arena->json[i]);
    arena->njson = 0;
}

static void free_chain(fh_arena_block *block)
{
    while (block != NULL) {
        fh_arena_block *next = block->next;
        free(block);
        block = next;
    }
}

void fh_arena_destroy(fh_arena *arena)
{
    if (arena == NULL)
        return;
    release_json(arena);
    free(arena->json);
    free_chain(arena->head);
    free_chain(arena->spare);
    memset(arena, 0, sizeof *arena);
}

void fh_arena_reset(fh_arena *arena)
{
    release_json(arena);

    /* Keep standard-size blocks for reuse; oversized ones go back to the heap. */
    fh_arena_block *block = arena->head;
    while (block != NULL) {
        fh_arena_block *next = block->next;
        if (block->size == ARENA_BLOCK_BYTES) {
            block->used = 0;
            block->next = arena->spare;
            arena->spare = block;
        } else {
            free(block);
        }
        block = next;
    }
    arena->head = NULL;
    arena->bytes_used = 0;
}

static fh_arena_block *new_block(fh_arena *arena, size_t need)
{
    if (need <= ARENA_BLOCK_BYTES && arena->spare != NULL) {
        fh_arena_block *block = arena->spare;
        arena->spare = block->next;
        return block;
    }
    size_t size = need > ARENA_BLOCK_BYTES ? need : ARENA_BLOCK_BYTES;
    if (size > SIZE_MAX - sizeof(fh_arena_block))
        return NULL;
    fh_arena_block *block = malloc(sizeof(fh_arena_block) + size);
    if (block == NULL)
        return NULL;
    block->size = size;
    block->used = 0;
    return block;
}

void *fh_arena_alloc(fh_arena *arena, size_t size)
{
    const size_t align = alignof(max_align_t);
    if (size > SIZE_MAX - align)
        return NULL;
    size_t rounded = (size + align - 1) & ~(align - 1);
    if (rounded == 0)
        rounded = align;

    fh_arena_block *head = arena->head;
    if (head == NULL || head->size - head->used < rounded) {
        fh_arena_block *block = new_block(arena, rounded);
        if (block == NULL)
            return NULL;
        block->next = arena->head;
        arena->head = block;
        head = block;
    }
    void *p = head->data + head->used;
    head->used += rounded;
    arena->bytes_used += rounded;
    return p;
}

char *fh_arena_strndup(fh_arena *arena, const char *ptr, size_t len)
{
    if (len == SIZE_MAX)
        return NULL;
    char *copy = fh_arena_alloc(arena, len + 1);
    if (copy == NULL)
        return NULL;
    if (len > 0)
        memcpy(copy, ptr, len);
    copy[len] = '\0';
    return copy;
}

fh_status fh_arena_adopt_json(fh_arena *arena, json_t *json)
{
    if (json == NULL)
        return FH_OK;
    if (arena->njson == arena->json_cap) {
        size_t cap = arena->json_cap ? arena->json_cap * 2 : 64;
        json_t **grown = realloc(arena->json, cap * sizeof *grown);
        if (grown == NULL) {
            json_decref(json);
            return FH_ERR_NOMEM;
        }
        arena->json = grown;
        arena->json_cap = cap;
    }
    arena->json[arena->njson++] = json;
    return FH_OK;
}

fh_status fh_value_copy(fh_arena *arena, fh_value *dst, const fh_value *src)
{
    *dst = *src;
    if (src->type == FH_TYPE_STRING && src->u.s.len > 0) {
        char *copy = fh_arena_strndup(arena, src->u.s.ptr, src->u.s.len);
        if (copy == NULL)
            return FH_ERR_NOMEM;
        dst->u.s.ptr = copy;
    } else if (src->type == FH_TYPE_DYNAMIC && src->u.dyn != NULL) {
        return fh_arena_adopt_json(arena, json_incref(src->u.dyn));
    }
    return FH_OK;
}
