/*
 * The indicator set that importers fill: indicators in input order, the rejected values with
 * their reasons, and the skipped entries counted by reason. A hash index over (type, value)
 * lets importers find an indicator that is already present without a scan.
 */
#include <stdlib.h>
#include <string.h>

#include "foxhound/limits.h"
#include "ioc/ioc_internal.h"

void fh_ioc_set_init(fh_ioc_set *set)
{
    memset(set, 0, sizeof *set);
}

void fh_ioc_set_clear(fh_ioc_set *set)
{
    if (set == NULL)
        return;
    for (size_t i = 0; i < set->count; i++)
        fh_indicator_clear(&set->items[i]);
    free(set->items);
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

/* FNV-1a over the type and the value, then a finaliser. */
static size_t key_hash(fh_ioc_type type, const char *value)
{
    uint64_t h = 1469598103934665603ULL ^ (uint64_t)type;
    for (const unsigned char *p = (const unsigned char *)value; *p != '\0'; p++) {
        h ^= *p;
        h *= 1099511628211ULL;
    }
    /* FNV-1a mixes the low bits poorly; the MurmurHash3 finaliser spreads them for masking. */
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return (size_t)h;
}

static void index_put(size_t *index, size_t cap, const fh_ioc_set *set, size_t pos)
{
    const fh_indicator *ioc = &set->items[pos];
    size_t slot = key_hash(ioc->type, ioc->value) & (cap - 1);
    while (index[slot] != 0)
        slot = (slot + 1) & (cap - 1);
    index[slot] = pos + 1;
}

/* Keeps the index at most half full so that probes stay short. */
static fh_status index_reserve(fh_ioc_set *set, size_t count)
{
    if (count * 2 <= set->index_cap)
        return FH_OK;
    size_t cap = set->index_cap == 0 ? 64 : set->index_cap;
    while (count * 2 > cap)
        cap *= 2;
    size_t *index = calloc(cap, sizeof *index);
    if (index == NULL)
        return FH_ERR_NOMEM;
    for (size_t i = 0; i < set->count; i++)
        index_put(index, cap, set, i);
    free(set->index);
    set->index = index;
    set->index_cap = cap;
    return FH_OK;
}

const fh_indicator *fh_ioc_set_find(const fh_ioc_set *set, fh_ioc_type type, const char *value)
{
    if (set->index_cap == 0 || value == NULL)
        return NULL;
    size_t slot = key_hash(type, value) & (set->index_cap - 1);
    while (set->index[slot] != 0) {
        const fh_indicator *ioc = &set->items[set->index[slot] - 1];
        if (ioc->type == type && strcmp(ioc->value, value) == 0)
            return ioc;
        slot = (slot + 1) & (set->index_cap - 1);
    }
    return NULL;
}

fh_status fh_ioc_set_add(fh_ioc_set *set, fh_indicator *ioc, fh_error *err)
{
    if (ioc->value == NULL)
        return fh_error_set(err, FH_ERR_INTERNAL, NULL, 0, 0, "indicator without a value");
    if (set->count >= FH_MAX_INDICATORS)
        return fh_error_set(err, FH_ERR_LIMIT, NULL, 0, 0,
                            "more than %d indicators in one set (FH_MAX_INDICATORS)",
                            FH_MAX_INDICATORS);

    if (set->count == set->cap) {
        size_t cap = set->cap == 0 ? 64 : set->cap * 2;
        fh_indicator *items = realloc(set->items, cap * sizeof *items);
        if (items == NULL)
            return fh_error_set(err, FH_ERR_NOMEM, NULL, 0, 0, "out of memory adding indicators");
        set->items = items;
        set->cap = cap;
    }
    if (index_reserve(set, set->count + 1) != FH_OK)
        return fh_error_set(err, FH_ERR_NOMEM, NULL, 0, 0, "out of memory adding indicators");

    set->items[set->count] = *ioc;
    fh_indicator_init(ioc);
    index_put(set->index, set->index_cap, set, set->count);
    set->count++;
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

fh_status ioc_set_merge(fh_ioc_set *dst, fh_ioc_set *src, fh_error *err)
{
    fh_status st = FH_OK;
    for (size_t i = 0; i < src->count && st == FH_OK; i++)
        st = fh_ioc_set_add(dst, &src->items[i], err);
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
