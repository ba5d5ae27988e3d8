/*
 * String pool of an indicator set: bump allocation in chained chunks plus two open-addressing
 * intern tables, one for strings and one for string lists. Strings are not freed one by one.
 * The whole pool is freed with its set.
 */
#include <stdalign.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "ioc/ioc_pool.h"

/*
 * Chunk size. It is above glibc's default mmap threshold of 128 KiB, so malloc usually maps
 * each chunk on its own. It is still small next to the strings of a big set.
 */
#define POOL_CHUNK_BYTES (256 * 1024)

typedef struct pool_chunk {
    struct pool_chunk *next;
    size_t size; /* usable bytes in data */
    size_t used;
    alignas(max_align_t) char data[];
} pool_chunk;

typedef struct intern_slot {
    uint64_t hash;
    size_t len;
    char *text; /* NULL for an empty slot */
} intern_slot;

typedef struct list_slot {
    uint64_t hash;
    size_t n;
    char **items; /* NULL for an empty slot */
} list_slot;

struct fh_ioc_pool {
    pool_chunk *chunks; /* chunk list, headed by the chunk being filled */
    intern_slot *strings;
    size_t nstrings, strings_cap;
    list_slot *lists;
    size_t nlists, lists_cap;
};

uint64_t ioc_hash_bytes(const void *data, size_t n, uint64_t seed)
{
    const unsigned char *p = data;
    uint64_t h = seed ^ (n * 0x9e3779b97f4a7c15ULL);
    while (n >= 8) {
        uint64_t word;
        memcpy(&word, p, 8);
        h = (h ^ word) * 0xbf58476d1ce4e5b9ULL;
        h ^= h >> 31;
        p += 8;
        n -= 8;
    }
    uint64_t tail = 0;
    memcpy(&tail, p, n);
    h = (h ^ tail) * 0x94d049bb133111ebULL;
    /* MurmurHash3 finaliser, so that the low bits used for masking depend on every byte. */
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

fh_ioc_pool *ioc_pool_create(void)
{
    return calloc(1, sizeof(fh_ioc_pool));
}

static void free_chunks(pool_chunk *chunk)
{
    while (chunk != NULL) {
        pool_chunk *next = chunk->next;
        free(chunk);
        chunk = next;
    }
}

void ioc_pool_destroy(fh_ioc_pool *pool)
{
    if (pool == NULL)
        return;
    free_chunks(pool->chunks);
    free(pool->strings);
    free(pool->lists);
    free(pool);
}

/*
 * Allocates size bytes aligned to align (a power of two) from the pool. Returns NULL when
 * memory runs out.
 */
static void *pool_alloc(fh_ioc_pool *pool, size_t size, size_t align)
{
    pool_chunk *head = pool->chunks;
    if (head != NULL) {
        size_t start = (head->used + align - 1) & ~(align - 1);
        if (start <= head->size && head->size - start >= size) {
            head->used = start + size;
            return head->data + start;
        }
    }

    /* A request over a quarter chunk gets a chunk of its own behind the one being filled. */
    bool own = size > POOL_CHUNK_BYTES / 4;
    size_t chunk_size = own ? size : POOL_CHUNK_BYTES;
    if (chunk_size > SIZE_MAX - sizeof(pool_chunk))
        return NULL;
    pool_chunk *chunk = malloc(sizeof(pool_chunk) + chunk_size);
    if (chunk == NULL)
        return NULL;
    chunk->size = chunk_size;
    chunk->used = size;
    if (own && head != NULL) {
        chunk->next = head->next;
        head->next = chunk;
    } else {
        chunk->next = head;
        pool->chunks = chunk;
    }
    return chunk->data;
}

char *ioc_pool_copy(fh_ioc_pool *pool, const char *s, size_t n)
{
    if (n == SIZE_MAX)
        return NULL;
    char *copy = pool_alloc(pool, n + 1, 1);
    if (copy == NULL)
        return NULL;
    if (n > 0)
        memcpy(copy, s, n);
    copy[n] = '\0';
    return copy;
}

/*
 * Keeps the string table at most half full by doubling it and re-inserting the used slots by
 * hash. Returns false when memory runs out.
 */
static bool grow_strings(fh_ioc_pool *pool)
{
    if ((pool->nstrings + 1) * 2 <= pool->strings_cap)
        return true;
    size_t cap = pool->strings_cap == 0 ? 64 : pool->strings_cap * 2;
    intern_slot *grown = calloc(cap, sizeof *grown);
    if (grown == NULL)
        return false;
    for (size_t i = 0; i < pool->strings_cap; i++) {
        if (pool->strings[i].text == NULL)
            continue;
        size_t at = (size_t)pool->strings[i].hash & (cap - 1);
        while (grown[at].text != NULL)
            at = (at + 1) & (cap - 1);
        grown[at] = pool->strings[i];
    }
    free(pool->strings);
    pool->strings = grown;
    pool->strings_cap = cap;
    return true;
}

/* Keeps the list table at most half full, as grow_strings does for the string table. */
static bool grow_lists(fh_ioc_pool *pool)
{
    if ((pool->nlists + 1) * 2 <= pool->lists_cap)
        return true;
    size_t cap = pool->lists_cap == 0 ? 64 : pool->lists_cap * 2;
    list_slot *grown = calloc(cap, sizeof *grown);
    if (grown == NULL)
        return false;
    for (size_t i = 0; i < pool->lists_cap; i++) {
        if (pool->lists[i].items == NULL)
            continue;
        size_t at = (size_t)pool->lists[i].hash & (cap - 1);
        while (grown[at].items != NULL)
            at = (at + 1) & (cap - 1);
        grown[at] = pool->lists[i];
    }
    free(pool->lists);
    pool->lists = grown;
    pool->lists_cap = cap;
    return true;
}

char *ioc_pool_intern(fh_ioc_pool *pool, const char *s, size_t n)
{
    if (!grow_strings(pool))
        return NULL;

    uint64_t hash = ioc_hash_bytes(s, n, 0);
    size_t mask = pool->strings_cap - 1;
    size_t at = (size_t)hash & mask;
    for (; pool->strings[at].text != NULL; at = (at + 1) & mask) {
        const intern_slot *slot = &pool->strings[at];
        if (slot->hash == hash && slot->len == n && memcmp(slot->text, s, n) == 0)
            return slot->text;
    }
    char *copy = ioc_pool_copy(pool, s, n);
    if (copy == NULL)
        return NULL;
    pool->strings[at] = (intern_slot){.hash = hash, .len = n, .text = copy};
    pool->nstrings++;
    return copy;
}

/*
 * Returns the pool's list equal to interned[0..n), adding a copy on first use. Returns NULL
 * when memory runs out.
 */
static char **find_list(fh_ioc_pool *pool, char **interned, size_t n)
{
    if (!grow_lists(pool))
        return NULL;
    uint64_t hash = ioc_hash_bytes(interned, n * sizeof interned[0], 1);
    size_t mask = pool->lists_cap - 1;
    size_t at = (size_t)hash & mask;
    for (; pool->lists[at].items != NULL; at = (at + 1) & mask) {
        const list_slot *slot = &pool->lists[at];
        if (slot->hash == hash && slot->n == n &&
            memcmp(slot->items, interned, n * sizeof interned[0]) == 0)
            return slot->items;
    }
    char **copy = pool_alloc(pool, n * sizeof *copy, alignof(char *));
    if (copy == NULL)
        return NULL;
    memcpy(copy, interned, n * sizeof *copy);
    pool->lists[at] = (list_slot){.hash = hash, .n = n, .items = copy};
    pool->nlists++;
    return copy;
}

char **ioc_pool_intern_list(fh_ioc_pool *pool, char *const *items, size_t n)
{
    /* Interned entries make two lists equal exactly when their pointers are equal. */
    char *small[32];
    char **interned = n <= 32 ? small : malloc(n * sizeof *interned);
    if (n == 0 || interned == NULL)
        return NULL;
    char **result = NULL;
    size_t i = 0;
    for (; i < n; i++) {
        interned[i] = ioc_pool_intern(pool, items[i], strlen(items[i]));
        if (interned[i] == NULL)
            break;
    }
    if (i == n)
        result = find_list(pool, interned, n);
    if (interned != small)
        free(interned);
    return result;
}

void ioc_pool_adopt(fh_ioc_pool *dst, fh_ioc_pool *src)
{
    if (src == NULL)
        return;
    /* Keep the chunk being filled in dst at the head and chain the chunks of src behind it. */
    pool_chunk **tail = dst->chunks != NULL ? &dst->chunks->next : &dst->chunks;
    pool_chunk *rest = *tail;
    *tail = src->chunks;
    while (*tail != NULL)
        tail = &(*tail)->next;
    *tail = rest;
    src->chunks = NULL;
    ioc_pool_destroy(src);
}
