/*
 * A sorted index over indicator keys, searched with bsearch. Per finding the work is a few
 * binary searches (the value, then the host and each parent domain of a URL or host name),
 * so it does not grow with the size of the indicator set except for CIDR indicators, which
 * are tested one by one because a range has no single key.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hunt/hunt_lookup.h"

static int compare_entries(const void *a, const void *b)
{
    const hunt_index_entry *x = a, *y = b;
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
        index->entries[index->count++] = (hunt_index_entry){key, ioc};
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

/* Returns the first entry whose key equals key (caseless), or NULL. */
static const hunt_index_entry *find_first(const hunt_index *index, const char *key, size_t len)
{
    size_t lo = 0, hi = index->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *k = index->entries[mid].key;
        int c = strncasecmp(k, key, len);
        if (c == 0 && k[len] != '\0')
            c = 1;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < index->count) {
        const char *k = index->entries[lo].key;
        if (strncasecmp(k, key, len) == 0 && k[len] == '\0')
            return &index->entries[lo];
    }
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
