/*
 * A sorted index over indicator keys, searched by binary search. Per finding the work is a
 * few searches: the value, then the host and each parent domain of a URL or host name. It
 * does not grow with the size of the indicator set, except for CIDR indicators. Those are
 * tested one by one because a range has no single key.
 *
 * Entries sort by a hash of the lowercase key first, so that sorting a million indicators
 * compares integers and not strings. Entries with the same key still sit next to each other.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hunt/hunt_lookup.h"

/* FNV-1a over the lowercase bytes, so that keys equal but for case hash alike. */
static uint64_t key_hash(const char *key, size_t len)
{
    uint64_t h = 14695981039346656037ULL;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)key[i];
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c + ('a' - 'A'));
        h = (h ^ c) * 1099511628211ULL;
    }
    return h;
}

static int compare_entries(const void *a, const void *b)
{
    const hunt_index_entry *x = a, *y = b;
    if (x->hash != y->hash)
        return x->hash < y->hash ? -1 : 1;
    int c = strcasecmp(x->key, y->key);
    if (c != 0)
        return c;
    return strcmp(x->ioc->value, y->ioc->value);
}

fh_status hunt_index_build(const fh_ioc_set *iocs, hunt_index *index, fh_error *err)
{
    memset(index, 0, sizeof *index);
    size_t n = iocs->count ? iocs->count : 1;
    index->entries = malloc(n * sizeof *index->entries);
    index->ranges = malloc(n * sizeof *index->ranges);
    if (index->entries == NULL || index->ranges == NULL) {
        hunt_index_free(index);
        return fh_error_set(err, FH_ERR_NOMEM, NULL, 0, 0, "out of memory indexing indicators");
    }
    for (size_t i = 0; i < iocs->count; i++) {
        const fh_indicator *ioc = &iocs->items[i];
        if (ioc->type == FH_IOC_CIDR) {
            index->ranges[index->nranges++] = ioc;
            continue;
        }
        const char *key = ioc->type == FH_IOC_IP_PORT ? ioc->address : ioc->value;
        index->entries[index->count++] = (hunt_index_entry){key_hash(key, strlen(key)), key, ioc};
    }
    qsort(index->entries, index->count, sizeof *index->entries, compare_entries);
    return FH_OK;
}

void hunt_index_free(hunt_index *index)
{
    free(index->entries);
    free(index->ranges);
    memset(index, 0, sizeof *index);
}

/* Compares an entry with the key (hash, key[0..len)) in the index's order, ignoring values. */
static int compare_key(const hunt_index_entry *e, uint64_t hash, const char *key, size_t len)
{
    if (e->hash != hash)
        return e->hash < hash ? -1 : 1;
    int c = strncasecmp(e->key, key, len);
    if (c == 0 && e->key[len] != '\0')
        c = 1;
    return c;
}

/* Returns the first entry whose key equals key (caseless), or NULL. */
static const hunt_index_entry *find_first(const hunt_index *index, const char *key, size_t len)
{
    uint64_t hash = key_hash(key, len);
    size_t lo = 0, hi = index->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (compare_key(&index->entries[mid], hash, key, len) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < index->count && compare_key(&index->entries[lo], hash, key, len) == 0)
        return &index->entries[lo];
    return NULL;
}

/* Among entries with the same key, prefers the ip:port whose port matched, then a plain
 * address, then the first. */
static const fh_indicator *pick(const hunt_index *index, const hunt_index_entry *first, int port)
{
    const hunt_index_entry *end = index->entries + index->count;
    const fh_indicator *plain = NULL;
    for (const hunt_index_entry *e = first; e < end && strcasecmp(e->key, first->key) == 0; e++) {
        if (e->ioc->type == FH_IOC_IP_PORT && e->ioc->port == port)
            return e->ioc;
        if (plain == NULL && e->ioc->type != FH_IOC_IP_PORT)
            plain = e->ioc;
    }
    return plain != NULL ? plain : first->ioc;
}

static const fh_indicator *match_key(const hunt_index *index, const char *key, size_t len, int port)
{
    const hunt_index_entry *e = find_first(index, key, len);
    return e != NULL ? pick(index, e, port) : NULL;
}

static bool cidr_contains(const fh_indicator *range, const char *value)
{
    unsigned char net[16], addr[16];
    int family = strchr(range->address ? range->address : range->value, ':') ? AF_INET6 : AF_INET;
    char prefix[64];
    const char *slash = strchr(range->value, '/');
    size_t n = slash ? (size_t)(slash - range->value) : strlen(range->value);
    if (n >= sizeof prefix)
        return false;
    memcpy(prefix, range->value, n);
    prefix[n] = '\0';
    if (inet_pton(family, prefix, net) != 1 || inet_pton(family, value, addr) != 1)
        return false;

    int bits = range->prefix_bits;
    for (int i = 0; bits > 0; i++, bits -= 8) {
        unsigned char mask = bits >= 8 ? 0xff : (unsigned char)(0xff << (8 - bits));
        if ((net[i] & mask) != (addr[i] & mask))
            return false;
    }
    return true;
}

/* The host part of a URL or of "host[:port][/path]". */
static void url_host(const char *value, const char **host, size_t *len)
{
    const char *p = strstr(value, "://");
    p = p ? p + 3 : value;
    const char *at = NULL;
    const char *end = p;
    while (*end != '\0' && *end != '/' && *end != '?' && *end != '#') {
        if (*end == '@')
            at = end;
        end++;
    }
    if (at != NULL)
        p = at + 1;
    const char *colon = memchr(p, ':', (size_t)(end - p));
    if (colon != NULL && *p != '[')
        end = colon;
    *host = p;
    *len = (size_t)(end - p);
}

static const fh_indicator *match_domain(const hunt_index *index, const char *host, size_t len)
{
    while (len > 0 && host[len - 1] == '.')
        len--;
    for (;;) {
        const fh_indicator *ioc = match_key(index, host, len, -1);
        if (ioc != NULL && ioc->type == FH_IOC_DOMAIN)
            return ioc;
        const char *dot = memchr(host, '.', len);
        if (dot == NULL)
            return NULL;
        len -= (size_t)(dot + 1 - host);
        host = dot + 1;
    }
}

const fh_indicator *hunt_index_match(const hunt_index *index, const char *value, int port)
{
    const fh_indicator *ioc = match_key(index, value, strlen(value), port);
    if (ioc != NULL)
        return ioc;

    for (size_t i = 0; i < index->nranges; i++) {
        if (cidr_contains(index->ranges[i], value))
            return index->ranges[i];
    }

    const char *host;
    size_t len;
    url_host(value, &host, &len);
    return match_domain(index, host, len);
}
