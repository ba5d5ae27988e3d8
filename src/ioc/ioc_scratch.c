/*
 * Reused storage for the metadata of one imported record. An importer copies the record's
 * texts, tags and aliases here and hands the set an indicator whose strings borrow from the
 * scratch. fh_ioc_set_add then copies them into the set's pool. One buffer serves every
 * record, so a million-row feed costs no malloc per row for its metadata.
 */
#include <stdlib.h>
#include <string.h>

#include "foxhound/limits.h"
#include "ioc/ioc_internal.h"

void ioc_scratch_free(ioc_scratch *scratch)
{
    if (scratch == NULL)
        return;
    free(scratch->buf);
    memset(scratch, 0, sizeof *scratch);
}

fh_status ioc_scratch_begin(ioc_scratch *scratch, size_t bytes, fh_indicator *meta)
{
    if (bytes > scratch->cap) {
        size_t cap = bytes < 4096 ? 4096 : bytes;
        char *grown = malloc(cap);
        if (grown == NULL)
            return FH_ERR_NOMEM;
        free(scratch->buf);
        scratch->buf = grown;
        scratch->cap = cap;
    }
    scratch->used = 0;
    fh_indicator_init(meta);
    meta->borrowed = true;
    meta->tags = scratch->tags;
    meta->aliases = scratch->aliases;
    return FH_OK;
}

/* Copies n bytes and a NUL into the buffer. Returns the copy, or NULL when they do not fit. */
static char *scratch_copy(ioc_scratch *scratch, const char *s, size_t n)
{
    if (n >= scratch->cap - scratch->used)
        return NULL;
    char *copy = scratch->buf + scratch->used;
    memcpy(copy, s, n);
    copy[n] = '\0';
    scratch->used += n + 1;
    return copy;
}

fh_status ioc_scratch_text(ioc_scratch *scratch, char **dst, const char *s, size_t n)
{
    *dst = NULL;
    if (s == NULL || ioc_is_null_text(s, n))
        return FH_OK;
    ioc_trim(&s, &n);
    *dst = scratch_copy(scratch, s, n);
    return *dst == NULL ? FH_ERR_INTERNAL : FH_OK;
}

/*
 * Appends s to a list as list_add in ioc_meta.c does. Empty, null and repeated entries are
 * skipped, and an entry past FH_MAX_IOC_TAGS returns FH_ERR_LIMIT.
 */
static fh_status scratch_list_add(ioc_scratch *scratch, char **list, size_t *count, const char *s,
                                  size_t n)
{
    ioc_trim(&s, &n);
    if (ioc_is_null_text(s, n))
        return FH_OK;
    for (size_t i = 0; i < *count; i++)
        if (strlen(list[i]) == n && memcmp(list[i], s, n) == 0)
            return FH_OK;
    if (*count >= FH_MAX_IOC_TAGS)
        return FH_ERR_LIMIT;
    list[*count] = scratch_copy(scratch, s, n);
    if (list[*count] == NULL)
        return FH_ERR_INTERNAL;
    (*count)++;
    return FH_OK;
}

static fh_status scratch_list_joined(ioc_scratch *scratch, char **list, size_t *count,
                                     const char *s, size_t n, char sep)
{
    size_t start = 0;
    while (start <= n) {
        const char *end = start < n ? memchr(s + start, sep, n - start) : NULL;
        size_t stop = end == NULL ? n : (size_t)(end - s);
        fh_status st = scratch_list_add(scratch, list, count, s + start, stop - start);
        if (st != FH_OK)
            return st;
        start = stop + 1;
    }
    return FH_OK;
}

fh_status ioc_scratch_tag(ioc_scratch *scratch, fh_indicator *meta, const char *s, size_t n)
{
    return scratch_list_add(scratch, meta->tags, &meta->ntags, s, n);
}

fh_status ioc_scratch_alias(ioc_scratch *scratch, fh_indicator *meta, const char *s, size_t n)
{
    return scratch_list_add(scratch, meta->aliases, &meta->naliases, s, n);
}

fh_status ioc_scratch_tag_list(ioc_scratch *scratch, fh_indicator *meta, const char *s, size_t n,
                               char sep)
{
    return scratch_list_joined(scratch, meta->tags, &meta->ntags, s, n, sep);
}

fh_status ioc_scratch_alias_list(ioc_scratch *scratch, fh_indicator *meta, const char *s, size_t n,
                                 char sep)
{
    return scratch_list_joined(scratch, meta->aliases, &meta->naliases, s, n, sep);
}
