/*
 * Special-purpose address ranges and the flagging pass over an indicator set.
 *
 * Feeds list private, documentation and other special-purpose addresses by mistake (a
 * sandbox's own network, an example copied from a report). Hunting for them matches internal
 * traffic, so such indicators are flagged with the range and the RFC that reserves it. The
 * ranges come from the IANA IPv4 and IPv6 special-purpose address registries (RFC 6890).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "foxhound/warninglist.h"
#include "ioc/ioc_internal.h"
#include "ioc/ioc_pool.h"

typedef struct special_range {
    const char *network;
    int bits;
    const char *reason;
} special_range;

static const special_range v4_ranges[] = {
    {"0.0.0.0", 8, "this-network range 0.0.0.0/8 (RFC 1122)"},
    {"10.0.0.0", 8, "private range 10.0.0.0/8 (RFC 1918)"},
    {"100.64.0.0", 10, "shared address range 100.64.0.0/10 (RFC 6598)"},
    {"127.0.0.0", 8, "loopback range 127.0.0.0/8 (RFC 1122)"},
    {"169.254.0.0", 16, "link-local range 169.254.0.0/16 (RFC 3927)"},
    {"172.16.0.0", 12, "private range 172.16.0.0/12 (RFC 1918)"},
    {"192.0.2.0", 24, "documentation range 192.0.2.0/24 (RFC 5737)"},
    {"192.168.0.0", 16, "private range 192.168.0.0/16 (RFC 1918)"},
    {"198.51.100.0", 24, "documentation range 198.51.100.0/24 (RFC 5737)"},
    {"203.0.113.0", 24, "documentation range 203.0.113.0/24 (RFC 5737)"},
    {"224.0.0.0", 4, "multicast range 224.0.0.0/4 (RFC 5771)"},
    {"240.0.0.0", 4, "reserved range 240.0.0.0/4 (RFC 1112)"},
};

static const special_range v6_ranges[] = {
    {"::", 128, "unspecified address :: (RFC 4291)"},
    {"::1", 128, "loopback address ::1 (RFC 4291)"},
    {"fc00::", 7, "unique local range fc00::/7 (RFC 4193)"},
    {"fe80::", 10, "link-local range fe80::/10 (RFC 4291)"},
    {"ff00::", 8, "multicast range ff00::/8 (RFC 4291)"},
    {"2001:db8::", 32, "documentation range 2001:db8::/32 (RFC 3849)"},
};

/* Reads the host of a URL value when it is an address ("http://[2001:db8::1]:80/x"). */
static bool url_address(const char *url, ioc_address *out)
{
    const char *host = strstr(url, "://");
    if (host == NULL)
        return false;
    host += 3;
    const char *at = NULL;
    for (const char *p = host; *p != '\0' && strchr("/?#", *p) == NULL; p++)
        if (*p == '@')
            at = p;
    if (at != NULL)
        host = at + 1;

    char text[64];
    size_t n = 0;
    if (host[0] == '[') {
        host++;
        while (host[n] != '\0' && host[n] != ']' && n + 1 < sizeof text)
            n++;
    } else {
        while (host[n] != '\0' && strchr(":/?#", host[n]) == NULL && n + 1 < sizeof text)
            n++;
    }
    memcpy(text, host, n);
    text[n] = '\0';
    out->bits = -1;
    out->family = strchr(text, ':') != NULL ? AF_INET6 : AF_INET;
    return inet_pton(out->family, text, out->bytes) == 1;
}

bool ioc_indicator_address(const fh_indicator *ioc, ioc_address *out)
{
    const char *text = ioc->value;
    out->bits = -1;
    switch (ioc->type) {
    case FH_IOC_IP_PORT:
        text = ioc->address;
        break;
    case FH_IOC_CIDR:
        text = ioc->address;
        out->bits = ioc->prefix_bits;
        break;
    case FH_IOC_URL:
        return url_address(ioc->value, out);
    case FH_IOC_IPV4:
    case FH_IOC_IPV6:
        break;
    default:
        return false;
    }
    if (text == NULL)
        return false;
    out->family = strchr(text, ':') != NULL ? AF_INET6 : AF_INET;
    return inet_pton(out->family, text, out->bytes) == 1;
}

/* True when the first bits of a and b agree. */
static bool prefix_equal(const unsigned char *a, const unsigned char *b, int bits)
{
    int whole = bits / 8;
    if (memcmp(a, b, (size_t)whole) != 0)
        return false;
    int rest = bits % 8;
    if (rest == 0)
        return true;
    unsigned char mask = (unsigned char)(0xff << (8 - rest));
    return (a[whole] & mask) == (b[whole] & mask);
}

bool ioc_address_in(const ioc_address *addr, int family, const unsigned char *network, int bits)
{
    if (addr->family != family)
        return false;
    int width = family == AF_INET ? 32 : 128;
    int own = addr->bits < 0 ? width : addr->bits;
    /* A CIDR overlaps the range when the shorter of the two prefixes agrees. */
    return prefix_equal(addr->bytes, network, own < bits ? own : bits);
}

static const char *special_reason(const ioc_address *addr)
{
    const special_range *ranges = addr->family == AF_INET ? v4_ranges : v6_ranges;
    size_t count = addr->family == AF_INET ? sizeof v4_ranges / sizeof v4_ranges[0]
                                           : sizeof v6_ranges / sizeof v6_ranges[0];
    for (size_t i = 0; i < count; i++) {
        unsigned char network[16];
        inet_pton(addr->family, ranges[i].network, network);
        if (ioc_address_in(addr, addr->family, network, ranges[i].bits))
            return ranges[i].reason;
    }
    return NULL;
}

static fh_status set_flag(fh_indicator *ioc, const char *reason, fh_error *err)
{
    ioc->flag = strdup(reason);
    if (ioc->flag == NULL)
        return fh_error_set(err, FH_ERR_NOMEM, NULL, 0, 0, "out of memory flagging indicators");
    return FH_OK;
}

/* Returns the special-range reason for an unflagged indicator with an address, or NULL. */
static const char *range_reason(const fh_indicator *ioc)
{
    ioc_address addr;
    if (ioc->flag != NULL || !ioc_indicator_address(ioc, &addr))
        return NULL;
    return special_reason(&addr);
}

fh_status fh_indicator_flag_ranges(fh_indicator *ioc, bool *flagged, fh_error *err)
{
    const char *reason = range_reason(ioc);
    if (flagged != NULL)
        *flagged = reason != NULL;
    return reason == NULL ? FH_OK : set_flag(ioc, reason, err);
}

/* Writes "warninglist: NAME" for the first list that matches, or returns false. */
static bool list_reason(const fh_indicator *ioc, fh_warninglist *const *lists, size_t nlists,
                        char *reason, size_t size)
{
    for (size_t i = 0; i < nlists; i++) {
        if (fh_warninglist_match(lists[i], ioc)) {
            snprintf(reason, size, "warninglist: %s", fh_warninglist_name(lists[i]));
            return true;
        }
    }
    return false;
}

fh_status fh_ioc_set_flag(fh_ioc_set *set, fh_warninglist *const *lists, size_t nlists,
                          size_t *flagged, fh_error *err)
{
    size_t count = 0;
    for (size_t i = 0; i < set->count; i++) {
        fh_indicator *ioc = &set->items[i];
        char text[512];
        const char *reason = range_reason(ioc);
        if (reason == NULL && ioc->flag == NULL &&
            list_reason(ioc, lists, nlists, text, sizeof text))
            reason = text;
        /* Items borrow their strings from the set, so the flag goes into the set's pool. */
        if (reason != NULL &&
            (ioc->flag = ioc_pool_intern(set->pool, reason, strlen(reason))) == NULL)
            return fh_error_set(err, FH_ERR_NOMEM, NULL, 0, 0, "out of memory flagging indicators");
        count += ioc->flag != NULL;
    }
    if (flagged != NULL)
        *flagged = count;
    return FH_OK;
}
