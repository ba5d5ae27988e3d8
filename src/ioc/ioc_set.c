/*
 * The indicator set that importers fill: indicators in input order, the rejected values with
 * their reasons, and the skipped entries counted by reason. A hash index over (type, value)
 * lets importers find an indicator that is already present without a scan.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "foxhound/limits.h"
#include "ioc/ioc_internal.h"
#include "ioc/ioc_pool.h"

void fh_ioc_set_init(fh_ioc_set *set)
{
    memset(set, 0, sizeof *set);
}

void fh_ioc_set_clear(fh_ioc_set *set)
{
    if (set == NULL)
        return;
    /* Items borrow their strings from the pool, so freeing the pool frees them all. */
    free(set->items);
    ioc_pool_destroy(set->pool);
    for (size_t i = 0; i < set->nrejects; i++) {
        free(set->rejects[i].source);
        free(set->rejects[i].value);
        free(set->rejects[i].reason);
    }
    free(set->rejects);
    for (size_t i = 0; i < set->nskips; i++)
        free(set->skips[i].reason);
    free(set->skips);
    free(set->index);
    fh_ioc_set_init(set);
}

/*
 * Returns the 32-bit hash of a key that the index stores and probes by. 32 bits address
 * every slot, because the index has at most 2 * FH_MAX_INDICATORS slots.
 */
static uint32_t key_hash(fh_ioc_type type, const char *value, size_t len)
{
    return (uint32_t)(ioc_hash_bytes(value, len, (uint64_t)type + 1) >> 32);
}

/* Returns the key hash of an indicator already in the set. */
static uint32_t item_hash(const fh_indicator *ioc)
{
    return key_hash(ioc->type, ioc->value, strlen(ioc->value));
}

/*
 * Returns the index slot of the item at pos: the key hash in the high 32 bits and pos + 1 in
 * the low 32 bits, so that 0 marks an empty slot.
 */
static uint64_t slot_make(uint32_t hash, size_t pos)
{
    return ((uint64_t)hash << 32) | (uint64_t)(pos + 1);
}

static uint32_t slot_hash(uint64_t slot)
{
    return (uint32_t)(slot >> 32);
}

static size_t slot_position(uint64_t slot)
{
    return (size_t)(slot & 0xffffffffULL) - 1;
}

static void index_put(uint64_t *index, size_t cap, uint32_t hash, size_t pos)
{
    size_t at = hash & (cap - 1);
    while (index[at] != 0)
        at = (at + 1) & (cap - 1);
    index[at] = slot_make(hash, pos);
}

/* Size of a transparent huge page on x86-64, and on arm64 kernels with 4 KiB base pages. */
#define HUGE_PAGE_BYTES ((size_t)2 * 1024 * 1024)

/*
 * Returns cap zeroed slots. An index of a few MiB or more is probed at random, so with 4 KiB
 * pages nearly every probe misses the TLB. Such an index is aligned to a huge page and marked
 * for transparent huge pages where the system offers them (a Linux madvise hint).
 */
static uint64_t *index_alloc(size_t cap)
{
    size_t bytes = cap * sizeof(uint64_t);
    if (bytes < HUGE_PAGE_BYTES || bytes % HUGE_PAGE_BYTES != 0)
        return calloc(cap, sizeof(uint64_t));
    uint64_t *index = aligned_alloc(HUGE_PAGE_BYTES, bytes);
    if (index == NULL)
        return NULL;
#ifdef MADV_HUGEPAGE
    (void)madvise(index, bytes, MADV_HUGEPAGE);
#endif
    memset(index, 0, bytes);
    return index;
}

/*
 * Keeps the index at most half full so that probes stay short. Each slot keeps the key's
 * hash, so growing re-inserts slots without reading the values again.
 */
static fh_status index_reserve(fh_ioc_set *set, size_t count)
{
    if (count * 2 <= set->index_cap)
        return FH_OK;
    size_t cap = set->index_cap == 0 ? 64 : set->index_cap;
    while (count * 2 > cap)
        cap *= 2;
    uint64_t *index = index_alloc(cap);
    if (index == NULL)
        return FH_ERR_NOMEM;
    for (size_t i = 0; i < set->index_cap; i++)
        if (set->index[i] != 0)
            index_put(index, cap, slot_hash(set->index[i]), slot_position(set->index[i]));
    free(set->index);
    set->index = index;
    set->index_cap = cap;
    return FH_OK;
}

/* Returns the item that slot points to when that item has this key, else NULL. */
static const fh_indicator *slot_item(const fh_ioc_set *set, uint64_t slot, uint32_t hash,
                                     fh_ioc_type type, const char *value)
{
    size_t pos = slot_position(slot);
    if (slot_hash(slot) != hash || pos >= set->count)
        return NULL;
    const fh_indicator *ioc = &set->items[pos];
    return ioc->type == type && strcmp(ioc->value, value) == 0 ? ioc : NULL;
}

const fh_indicator *fh_ioc_set_find(const fh_ioc_set *set, fh_ioc_type type, const char *value)
{
    if (set->index_cap == 0 || value == NULL)
        return NULL;
    uint32_t hash = key_hash(type, value, strlen(value));
    size_t at = hash & (set->index_cap - 1);
    for (; set->index[at] != 0; at = (at + 1) & (set->index_cap - 1)) {
        const fh_indicator *ioc = slot_item(set, set->index[at], hash, type, value);
        if (ioc != NULL)
            return ioc;
    }
    /* Pending items come after every indexed one, so the first match is still the first. */
    for (size_t i = 0; i < set->npending; i++) {
        const fh_indicator *ioc = slot_item(set, set->pending[i], hash, type, value);
        if (ioc != NULL)
            return ioc;
    }
    return NULL;
}

size_t fh_ioc_set_retain(fh_ioc_set *set, bool (*keep)(const fh_indicator *ioc, void *ctx),
                         void *ctx)
{
    size_t retained = 0;
    for (size_t i = 0; i < set->count; i++) {
        if (keep(&set->items[i], ctx))
            set->items[retained++] = set->items[i];
        else
            fh_indicator_clear(&set->items[i]);
    }
    set->count = retained;
    set->npending = 0;
    if (set->index_cap > 0) {
        memset(set->index, 0, set->index_cap * sizeof *set->index);
        for (size_t i = 0; i < retained; i++)
            index_put(set->index, set->index_cap, item_hash(&set->items[i]), i);
    }
    return retained;
}

/*
 * Grows items by half its size when it is full. A doubling step would reserve 150 MB of
 * slack for a 150 MB array, and glibc moves large blocks with mremap instead of copying them.
 */
static fh_status items_reserve(fh_ioc_set *set)
{
    if (set->count < set->cap)
        return FH_OK;
    size_t cap = set->cap < 64 ? 64 : set->cap + set->cap / 2;
    if (cap > FH_MAX_INDICATORS)
        cap = FH_MAX_INDICATORS;
    fh_indicator *items = realloc(set->items, cap * sizeof *items);
    if (items == NULL)
        return FH_ERR_NOMEM;
    set->items = items;
    set->cap = cap;
    return FH_OK;
}

/*
 * Replaces *text, when it is set, with its pool copy (interned when intern is true). Returns
 * false when memory runs out.
 */
static bool pool_text(fh_ioc_pool *pool, char **text, bool intern)
{
    if (*text == NULL)
        return true;
    size_t n = strlen(*text);
    *text = intern ? ioc_pool_intern(pool, *text, n) : ioc_pool_copy(pool, *text, n);
    return *text != NULL;
}

static bool pool_list(fh_ioc_pool *pool, char ***list, size_t n)
{
    if (n == 0) {
        *list = NULL;
        return true;
    }
    *list = ioc_pool_intern_list(pool, *list, n);
    return *list != NULL;
}

/* Points the strings of item (a shallow copy of a caller's indicator) at pool copies. */
static bool pool_strings(fh_ioc_pool *pool, fh_indicator *item)
{
    item->borrowed = true;
    return pool_text(pool, &item->value, false) && pool_text(pool, &item->address, false) &&
           pool_text(pool, &item->source_id, false) && pool_text(pool, &item->family, true) &&
           pool_list(pool, &item->aliases, item->naliases) &&
           pool_text(pool, &item->threat_type, true) && pool_list(pool, &item->tags, item->ntags) &&
           pool_text(pool, &item->reference, true) && pool_text(pool, &item->reporter, true) &&
           pool_text(pool, &item->source_feed, true) && pool_text(pool, &item->description, true) &&
           pool_text(pool, &item->flag, true);
}

/*
 * Queues the index slot of the item at pos and writes the oldest queued slot. The index is
 * far larger than the caches, so each write would wait for memory. Prefetching the slot
 * FH_IOC_SET_PENDING adds ahead of the write hides that wait.
 */
static void index_add(fh_ioc_set *set, uint32_t hash, size_t pos)
{
    __builtin_prefetch(&set->index[hash & (set->index_cap - 1)], 1);
    if (set->npending == FH_IOC_SET_PENDING) {
        uint64_t oldest = set->pending[0];
        index_put(set->index, set->index_cap, slot_hash(oldest), slot_position(oldest));
        memmove(set->pending, set->pending + 1, (FH_IOC_SET_PENDING - 1) * sizeof set->pending[0]);
        set->npending--;
    }
    set->pending[set->npending++] = slot_make(hash, pos);
}

/* Appends an item whose strings are already in the set's pool. */
static fh_status append_pooled(fh_ioc_set *set, const fh_indicator *item)
{
    if (items_reserve(set) != FH_OK || index_reserve(set, set->count + 1) != FH_OK)
        return FH_ERR_NOMEM;
    set->items[set->count] = *item;
    index_add(set, item_hash(item), set->count);
    set->count++;
    return FH_OK;
}

fh_status ioc_set_reserve(fh_ioc_set *set, size_t count)
{
    if (count > FH_MAX_INDICATORS)
        count = FH_MAX_INDICATORS;
    if (count > set->cap) {
        fh_indicator *items = realloc(set->items, count * sizeof *items);
        if (items == NULL)
            return FH_ERR_NOMEM;
        set->items = items;
        set->cap = count;
    }
    return index_reserve(set, count);
}

fh_status fh_ioc_set_add(fh_ioc_set *set, fh_indicator *ioc, fh_error *err)
{
    if (ioc->value == NULL)
        return fh_error_set(err, FH_ERR_INTERNAL, NULL, 0, 0, "indicator without a value");
    if (set->count >= FH_MAX_INDICATORS)
        return fh_error_set(err, FH_ERR_LIMIT, NULL, 0, 0,
                            "more than %d indicators in one set (FH_MAX_INDICATORS)",
                            FH_MAX_INDICATORS);
    if (set->pool == NULL && (set->pool = ioc_pool_create()) == NULL)
        return fh_error_set(err, FH_ERR_NOMEM, NULL, 0, 0, "out of memory adding indicators");

    fh_indicator item = *ioc;
    fh_status st = pool_strings(set->pool, &item) ? append_pooled(set, &item) : FH_ERR_NOMEM;
    if (st != FH_OK)
        return fh_error_set(err, st, NULL, 0, 0, "out of memory adding indicators");
    fh_indicator_clear(ioc);
    return FH_OK;
}

fh_status fh_ioc_set_reject(fh_ioc_set *set, const char *source, unsigned long line,
                            const char *value, size_t value_len, const char *reason)
{
    set->rejected_total++;
    if (set->nrejects >= FH_MAX_IOC_REJECTS_KEPT)
        return FH_OK;

    if (set->nrejects == set->rejects_cap) {
        size_t cap = set->rejects_cap == 0 ? 16 : set->rejects_cap * 2;
        fh_ioc_reject *grown = realloc(set->rejects, cap * sizeof *grown);
        if (grown == NULL)
            return FH_ERR_NOMEM;
        set->rejects = grown;
        set->rejects_cap = cap;
    }

    size_t shown = value_len > IOC_REJECT_VALUE_BYTES ? IOC_REJECT_VALUE_BYTES : value_len;
    fh_ioc_reject *r = &set->rejects[set->nrejects];
    r->source = strdup(source != NULL ? source : "");
    r->line = line;
    r->value = ioc_strndup(value != NULL ? value : "", value != NULL ? shown : 0);
    r->reason = strdup(reason);
    if (r->source == NULL || r->value == NULL || r->reason == NULL) {
        free(r->source);
        free(r->value);
        free(r->reason);
        return FH_ERR_NOMEM;
    }
    set->nrejects++;
    return FH_OK;
}

static fh_ioc_skip *skip_slot(fh_ioc_set *set, const char *reason)
{
    for (size_t i = 0; i < set->nskips; i++)
        if (strcmp(set->skips[i].reason, reason) == 0)
            return &set->skips[i];
    return NULL;
}

/* Reason under which skips are counted once FH_MAX_IOC_SKIP_REASONS reasons exist. */
static const char other_reasons[] = "other reasons (too many distinct skip reasons to list)";

static fh_status skip_add(fh_ioc_set *set, const char *reason, uint64_t count)
{
    set->skipped_total += count;
    fh_ioc_skip *slot = skip_slot(set, reason);
    if (slot == NULL && set->nskips >= FH_MAX_IOC_SKIP_REASONS)
        slot = skip_slot(set, other_reasons);
    if (slot != NULL) {
        slot->count += count;
        return FH_OK;
    }

    if (set->nskips == set->skips_cap) {
        size_t cap = set->skips_cap == 0 ? 8 : set->skips_cap * 2;
        fh_ioc_skip *grown = realloc(set->skips, cap * sizeof *grown);
        if (grown == NULL)
            return FH_ERR_NOMEM;
        set->skips = grown;
        set->skips_cap = cap;
    }
    const char *text = set->nskips >= FH_MAX_IOC_SKIP_REASONS ? other_reasons : reason;
    set->skips[set->nskips].reason = strdup(text);
    if (set->skips[set->nskips].reason == NULL)
        return FH_ERR_NOMEM;
    set->skips[set->nskips].count = count;
    set->nskips++;
    return FH_OK;
}

fh_status fh_ioc_set_skip(fh_ioc_set *set, const char *reason)
{
    return skip_add(set, reason, 1);
}

uint64_t fh_ioc_set_skip_count(const fh_ioc_set *set, const char *reason)
{
    for (size_t i = 0; i < set->nskips; i++)
        if (strcmp(set->skips[i].reason, reason) == 0)
            return set->skips[i].count;
    return 0;
}

/* Returns whether a set contains no indicator and has counted no reject or skip. */
static bool set_is_empty(const fh_ioc_set *set)
{
    return set->count == 0 && set->nrejects == 0 && set->rejected_total == 0 && set->nskips == 0 &&
           set->skipped_total == 0;
}

/* Moves the items of src into dst. Their strings stay in place because the pools merge. */
static fh_status merge_items(fh_ioc_set *dst, fh_ioc_set *src)
{
    if (src->count == 0)
        return FH_OK;
    if (dst->count + src->count > FH_MAX_INDICATORS)
        return FH_ERR_LIMIT;
    if (dst->pool == NULL)
        dst->pool = src->pool;
    else
        ioc_pool_adopt(dst->pool, src->pool);
    src->pool = NULL;
    for (size_t i = 0; i < src->count; i++)
        if (append_pooled(dst, &src->items[i]) != FH_OK)
            return FH_ERR_NOMEM;
    src->count = 0;
    return FH_OK;
}

fh_status ioc_set_merge(fh_ioc_set *dst, fh_ioc_set *src, fh_error *err)
{
    if (set_is_empty(dst)) {
        /* The usual case, one document into a new set: hand over everything at once. */
        fh_ioc_set_clear(dst);
        *dst = *src;
        fh_ioc_set_init(src);
        return FH_OK;
    }

    fh_status st = merge_items(dst, src);
    if (st == FH_ERR_LIMIT) {
        fh_ioc_set_clear(src);
        return fh_error_set(err, st, NULL, 0, 0,
                            "more than %d indicators in one set (FH_MAX_INDICATORS)",
                            FH_MAX_INDICATORS);
    }
    for (size_t i = 0; i < src->nrejects && st == FH_OK; i++) {
        const fh_ioc_reject *r = &src->rejects[i];
        st = fh_ioc_set_reject(dst, r->source, r->line, r->value, strlen(r->value), r->reason);
        dst->rejected_total--; /* counted below with the rejects that were not kept */
    }
    if (st == FH_OK)
        dst->rejected_total += src->rejected_total;
    for (size_t i = 0; i < src->nskips && st == FH_OK; i++)
        st = skip_add(dst, src->skips[i].reason, src->skips[i].count);
    if (st == FH_ERR_NOMEM)
        fh_error_set(err, st, NULL, 0, 0, "out of memory merging indicator sets");
    fh_ioc_set_clear(src);
    return st;
}
