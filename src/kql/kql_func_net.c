/*
 * IP address functions: the IPv4 tests and conversions (ipv4_is_private, ipv4_is_in_range,
 * ipv4_is_in_any_range, ipv4_is_match, ipv4_compare, parse_ipv4, parse_ipv4_mask), the IPv6
 * comparisons (ipv6_compare, ipv6_is_match), and the text searches has_ipv4/has_any_ipv4.
 * Addresses may carry an IP-prefix ("192.168.1.1/24"); the comparisons use the shortest
 * prefix among the arguments. Text that is not an address gives null, as in Kusto.
 */
#include <arpa/inet.h>
#include <string.h>

#include "kql/kql_func_impl.h"

typedef struct ipv4_net {
    uint32_t addr;
    int prefix; /* 0..32 */
} ipv4_net;

static bool parse_decimal(const char *s, size_t len, size_t *i, unsigned max, unsigned *out)
{
    size_t start = *i;
    unsigned v = 0;
    while (*i < len && s[*i] >= '0' && s[*i] <= '9' && *i - start < 3) {
        v = v * 10 + (unsigned)(s[*i] - '0');
        (*i)++;
    }
    *out = v;
    return *i > start && v <= max && !(*i < len && s[*i] >= '0' && s[*i] <= '9');
}

/* Parses "a.b.c.d" with an optional "/prefix"; surrounding spaces are not accepted. */
static bool ipv4_parse(const char *s, size_t len, ipv4_net *out)
{
    size_t i = 0;
    uint32_t addr = 0;
    for (int part = 0; part < 4; part++) {
        unsigned octet;
        if (part > 0 && (i >= len || s[i++] != '.'))
            return false;
        if (!parse_decimal(s, len, &i, 255, &octet))
            return false;
        addr = addr << 8 | octet;
    }
    unsigned prefix = 32;
    if (i < len && s[i] == '/') {
        i++;
        if (!parse_decimal(s, len, &i, 32, &prefix))
            return false;
    }
    if (i != len)
        return false;
    out->addr = addr;
    out->prefix = (int)prefix;
    return true;
}

static uint32_t ipv4_mask(int prefix)
{
    return prefix <= 0 ? 0 : prefix >= 32 ? 0xFFFFFFFFu : ~(0xFFFFFFFFu >> prefix);
}

/* Reads argument index as an IPv4 network; *ok false when it is not one. */
static fh_status arg_ipv4(kql_func_ctx *ctx, const char *fname, const fh_value *args, size_t index,
                          ipv4_net *net, bool *ok)
{
    const char *s;
    size_t len;
    fh_status st = kql_arg_string(ctx, fname, args, index, &s, &len);
    *ok = st == FH_OK && ipv4_parse(s, len, net);
    return st;
}

/* Reads an optional prefix argument (0..max); *ok false when null or out of range. */
static fh_status arg_prefix(kql_func_ctx *ctx, const char *fname, const fh_value *args,
                            size_t nargs, size_t index, int max, int *prefix, bool *ok)
{
    *prefix = max;
    *ok = true;
    if (index >= nargs)
        return FH_OK;
    int64_t v;
    bool is_null;
    fh_status st = kql_arg_long(ctx, fname, args, index, &v, &is_null);
    *ok = st == FH_OK && !is_null && v >= 0 && v <= max;
    *prefix = *ok ? (int)v : max;
    return st;
}

static int min_int(int a, int b)
{
    return a < b ? a : b;
}

static fh_status fn_ipv4_is_private(kql_func_ctx *ctx, const fh_value *args, size_t nargs,
                                    fh_value *out)
{
    static const struct {
        uint32_t net;
        int prefix;
    } blocks[] = {{0x0A000000u, 8}, {0xAC100000u, 12}, {0xC0A80000u, 16}};
    ipv4_net ip;
    bool ok;
    fh_status st = arg_ipv4(ctx, "ipv4_is_private", args, 0, &ip, &ok);
    if (st != FH_OK || !ok) {
        *out = fh_value_null(FH_TYPE_BOOL);
        return st;
    }
    bool private_net = false;
    for (size_t i = 0; i < 3; i++) {
        uint32_t mask = ipv4_mask(blocks[i].prefix);
        if (ip.prefix >= blocks[i].prefix && (ip.addr & mask) == blocks[i].net)
            private_net = true;
    }
    *out = fh_value_bool(private_net);
    return FH_OK;
}

static bool ipv4_in_range(const ipv4_net *ip, const ipv4_net *range)
{
    uint32_t mask = ipv4_mask(range->prefix);
    return ip->prefix >= range->prefix && (ip->addr & mask) == (range->addr & mask);
}

static fh_status fn_ipv4_is_in_range(kql_func_ctx *ctx, const fh_value *args, size_t nargs,
                                     fh_value *out)
{
    ipv4_net ip, range;
    bool ip_ok, range_ok;
    fh_status st = arg_ipv4(ctx, "ipv4_is_in_range", args, 0, &ip, &ip_ok);
    if (st == FH_OK)
        st = arg_ipv4(ctx, "ipv4_is_in_range", args, 1, &range, &range_ok);
    if (st != FH_OK)
        return st;
    *out =
        ip_ok && range_ok ? fh_value_bool(ipv4_in_range(&ip, &range)) : fh_value_null(FH_TYPE_BOOL);
    return FH_OK;
}

/* Tests one range text; returns 1 in range, 0 not, -1 not an address. */
static int range_test(const ipv4_net *ip, const char *s, size_t len)
{
    ipv4_net range;
    if (!ipv4_parse(s, len, &range))
        return -1;
    return ipv4_in_range(ip, &range) ? 1 : 0;
}

/* ipv4_is_in_any_range(ip, range1, range2, ...) or (ip, dynamic array of ranges). */
static fh_status fn_ipv4_is_in_any_range(kql_func_ctx *ctx, const fh_value *args, size_t nargs,
                                         fh_value *out)
{
    ipv4_net ip;
    bool ok;
    fh_status st = arg_ipv4(ctx, "ipv4_is_in_any_range", args, 0, &ip, &ok);
    if (st != FH_OK || !ok) {
        *out = fh_value_null(FH_TYPE_BOOL);
        return st;
    }
    bool found = false;
    for (size_t i = 1; i < nargs && !found; i++) {
        const fh_value *v = &args[i];
        if (v->type == FH_TYPE_STRING) {
            found = range_test(&ip, v->u.s.ptr, v->u.s.len) == 1;
        } else if (v->type == FH_TYPE_DYNAMIC && v->u.dyn != NULL && json_is_array(v->u.dyn)) {
            for (size_t k = 0; k < json_array_size(v->u.dyn) && !found; k++) {
                json_t *item = json_array_get(v->u.dyn, k);
                found = json_is_string(item) &&
                        range_test(&ip, json_string_value(item), json_string_length(item)) == 1;
            }
        } else if (v->type != FH_TYPE_DYNAMIC) {
            return kql_arg_type_error(ctx, "ipv4_is_in_any_range", i, "a string or dynamic", v);
        }
    }
    *out = fh_value_bool(found);
    return FH_OK;
}

/* Compares two IPv4 arguments under the combined prefix; *ok false when one is invalid. */
static fh_status ipv4_compare_args(kql_func_ctx *ctx, const char *fname, const fh_value *args,
                                   size_t nargs, int *cmp, bool *ok)
{
    ipv4_net a, b;
    bool a_ok, b_ok, p_ok;
    int prefix;
    fh_status st = arg_ipv4(ctx, fname, args, 0, &a, &a_ok);
    if (st == FH_OK)
        st = arg_ipv4(ctx, fname, args, 1, &b, &b_ok);
    if (st == FH_OK)
        st = arg_prefix(ctx, fname, args, nargs, 2, 32, &prefix, &p_ok);
    if (st != FH_OK)
        return st;
    *ok = a_ok && b_ok && p_ok;
    uint32_t mask = ipv4_mask(min_int(prefix, min_int(a.prefix, b.prefix)));
    uint32_t x = *ok ? a.addr & mask : 0, y = *ok ? b.addr & mask : 0;
    *cmp = (x > y) - (x < y);
    return FH_OK;
}

static fh_status fn_ipv4_is_match(kql_func_ctx *ctx, const fh_value *args, size_t nargs,
                                  fh_value *out)
{
    int cmp;
    bool ok;
    fh_status st = ipv4_compare_args(ctx, "ipv4_is_match", args, nargs, &cmp, &ok);
    *out = ok ? fh_value_bool(cmp == 0) : fh_value_null(FH_TYPE_BOOL);
    return st;
}

static fh_status fn_ipv4_compare(kql_func_ctx *ctx, const fh_value *args, size_t nargs,
                                 fh_value *out)
{
    int cmp;
    bool ok;
    fh_status st = ipv4_compare_args(ctx, "ipv4_compare", args, nargs, &cmp, &ok);
    *out = ok ? fh_value_long(cmp) : fh_value_null(FH_TYPE_LONG);
    return st;
}

/* parse_ipv4("192.1.168.2/24") is 3221334016: the prefix masks the host bits. */
static fh_status fn_parse_ipv4(kql_func_ctx *ctx, const fh_value *args, size_t nargs, fh_value *out)
{
    ipv4_net ip;
    bool ok;
    fh_status st = arg_ipv4(ctx, "parse_ipv4", args, 0, &ip, &ok);
    *out = ok ? fh_value_long(ip.addr & ipv4_mask(ip.prefix)) : fh_value_null(FH_TYPE_LONG);
    return st;
}

static fh_status fn_parse_ipv4_mask(kql_func_ctx *ctx, const fh_value *args, size_t nargs,
                                    fh_value *out)
{
    ipv4_net ip;
    bool ok, p_ok;
    int prefix;
    fh_status st = arg_ipv4(ctx, "parse_ipv4_mask", args, 0, &ip, &ok);
    if (st == FH_OK)
        st = arg_prefix(ctx, "parse_ipv4_mask", args, nargs, 1, 32, &prefix, &p_ok);
    if (st != FH_OK)
        return st;
    uint32_t mask = ipv4_mask(min_int(prefix, ip.prefix));
    *out = ok && p_ok ? fh_value_long(ip.addr & mask) : fh_value_null(FH_TYPE_LONG);
    return FH_OK;
}

/* ---- IPv6 ---- */

typedef struct ipv6_net {
    uint8_t addr[16];
    int prefix; /* 0..128 */
} ipv6_net;

/* Parses an IPv6 address or an IPv4 address (as ::ffff:a.b.c.d), with an optional prefix. */
static bool ipv6_parse(const char *s, size_t len, ipv6_net *out)
{
    char text[64];
    const char *slash = memchr(s, '/', len);
    size_t addr_len = slash ? (size_t)(slash - s) : len;
    if (addr_len == 0 || addr_len >= sizeof text)
        return false;
    memcpy(text, s, addr_len);
    text[addr_len] = '\0';

    bool is_v4 = false;
    if (inet_pton(AF_INET6, text, out->addr) != 1) {
        uint8_t v4[4];
        if (inet_pton(AF_INET, text, v4) != 1)
            return false;
        memset(out->addr, 0, 10);
        out->addr[10] = out->addr[11] = 0xFF;
        memcpy(out->addr + 12, v4, 4);
        is_v4 = true;
    }
    unsigned prefix = 128;
    if (slash) {
        size_t i = addr_len + 1;
        if (!parse_decimal(s, len, &i, is_v4 ? 32 : 128, &prefix) || i != len)
            return false;
        if (is_v4)
            prefix += 96;
    }
    out->prefix = (int)prefix;
    return true;
}

static int ipv6_compare_prefix(const uint8_t *a, const uint8_t *b, int prefix)
{
    for (int bit = 0; bit < prefix; bit += 8) {
        int take = prefix - bit >= 8 ? 8 : prefix - bit;
        uint8_t mask = (uint8_t)(0xFF << (8 - take));
        uint8_t x = a[bit / 8] & mask, y = b[bit / 8] & mask;
        if (x != y)
            return x < y ? -1 : 1;
    }
    return 0;
}

static fh_status ipv6_compare_args(kql_func_ctx *ctx, const char *fname, const fh_value *args,
                                   size_t nargs, int *cmp, bool *ok)
{
    const char *s1, *s2;
    size_t l1, l2;
    int prefix;
    bool p_ok;
    ipv6_net a, b;
    fh_status st = kql_arg_string(ctx, fname, args, 0, &s1, &l1);
    if (st == FH_OK)
        st = kql_arg_string(ctx, fname, args, 1, &s2, &l2);
    if (st == FH_OK)
        st = arg_prefix(ctx, fname, args, nargs, 2, 128, &prefix, &p_ok);
    if (st != FH_OK)
        return st;
    *ok = p_ok && ipv6_parse(s1, l1, &a) && ipv6_parse(s2, l2, &b);
    *cmp =
        *ok ? ipv6_compare_prefix(a.addr, b.addr, min_int(prefix, min_int(a.prefix, b.prefix))) : 0;
    return FH_OK;
}

static fh_status fn_ipv6_compare(kql_func_ctx *ctx, const fh_value *args, size_t nargs,
                                 fh_value *out)
{
    int cmp;
    bool ok;
    fh_status st = ipv6_compare_args(ctx, "ipv6_compare", args, nargs, &cmp, &ok);
    *out = ok ? fh_value_long(cmp) : fh_value_null(FH_TYPE_LONG);
    return st;
}

static fh_status fn_ipv6_is_match(kql_func_ctx *ctx, const fh_value *args, size_t nargs,
                                  fh_value *out)
{
    int cmp;
    bool ok;
    fh_status st = ipv6_compare_args(ctx, "ipv6_is_match", args, nargs, &cmp, &ok);
    *out = ok ? fh_value_bool(cmp == 0) : fh_value_null(FH_TYPE_BOOL);
    return st;
}

/* ---- text search ---- */

/* An address in text must have no letter or digit right before or after it. */
static bool text_has_ipv4(const char *s, size_t len, const char *ip, size_t ip_len)
{
    ipv4_net net;
    if (!ipv4_parse(ip, ip_len, &net) || net.prefix != 32)
        return false;
    size_t from = 0, at;
    while ((at = kql_str_find(s, len, ip, ip_len, from, true)) != SIZE_MAX) {
        bool before = at == 0 || !kql_ascii_is_alnum((unsigned char)s[at - 1]);
        size_t end = at + ip_len;
        bool after = end == len || !kql_ascii_is_alnum((unsigned char)s[end]);
        if (before && after)
            return true;
        from = at + 1;
    }
    return false;
}

static fh_status fn_has_ipv4(kql_func_ctx *ctx, const fh_value *args, size_t nargs, fh_value *out)
{
    const char *s, *ip;
    size_t len, ip_len;
    fh_status st = kql_arg_string(ctx, "has_ipv4", args, 0, &s, &len);
    if (st == FH_OK)
        st = kql_arg_string(ctx, "has_ipv4", args, 1, &ip, &ip_len);
    if (st == FH_OK)
        *out = fh_value_bool(text_has_ipv4(s, len, ip, ip_len));
    return st;
}

/* has_any_ipv4(source, ip1, ip2, ...) or (source, dynamic array of addresses). */
static fh_status fn_has_any_ipv4(kql_func_ctx *ctx, const fh_value *args, size_t nargs,
                                 fh_value *out)
{
    const char *s;
    size_t len;
    fh_status st = kql_arg_string(ctx, "has_any_ipv4", args, 0, &s, &len);
    if (st != FH_OK)
        return st;
    bool found = false;
    for (size_t i = 1; i < nargs && !found; i++) {
        const fh_value *v = &args[i];
        if (v->type == FH_TYPE_STRING) {
            found = text_has_ipv4(s, len, v->u.s.ptr, v->u.s.len);
        } else if (v->type == FH_TYPE_DYNAMIC && v->u.dyn != NULL && json_is_array(v->u.dyn)) {
            for (size_t k = 0; k < json_array_size(v->u.dyn) && !found; k++) {
                json_t *item = json_array_get(v->u.dyn, k);
                found = json_is_string(item) &&
                        text_has_ipv4(s, len, json_string_value(item), json_string_length(item));
            }
        } else if (v->type != FH_TYPE_DYNAMIC) {
            return kql_arg_type_error(ctx, "has_any_ipv4", i, "a string or dynamic", v);
        }
    }
    *out = fh_value_bool(found);
    return FH_OK;
}

KQL_TYPE_FIXED(type_ipv4_is_private, "ipv4_is_private", "s", FH_TYPE_BOOL)
KQL_TYPE_FIXED(type_ipv4_is_in_range, "ipv4_is_in_range", "ss", FH_TYPE_BOOL)
KQL_TYPE_FIXED(type_ipv4_is_in_any_range, "ipv4_is_in_any_range", "sS*", FH_TYPE_BOOL)
KQL_TYPE_FIXED(type_ipv4_is_match, "ipv4_is_match", "ssi", FH_TYPE_BOOL)
KQL_TYPE_FIXED(type_ipv4_compare, "ipv4_compare", "ssi", FH_TYPE_LONG)
KQL_TYPE_FIXED(type_parse_ipv4, "parse_ipv4", "s", FH_TYPE_LONG)
KQL_TYPE_FIXED(type_parse_ipv4_mask, "parse_ipv4_mask", "si", FH_TYPE_LONG)
KQL_TYPE_FIXED(type_ipv6_compare, "ipv6_compare", "ssi", FH_TYPE_LONG)
KQL_TYPE_FIXED(type_ipv6_is_match, "ipv6_is_match", "ssi", FH_TYPE_BOOL)
KQL_TYPE_FIXED(type_has_ipv4, "has_ipv4", "ss", FH_TYPE_BOOL)
KQL_TYPE_FIXED(type_has_any_ipv4, "has_any_ipv4", "sS*", FH_TYPE_BOOL)

static const kql_func_def defs[] = {
    {"ipv4_is_private", 1, 1, fn_ipv4_is_private, type_ipv4_is_private},
    {"ipv4_is_in_range", 2, 2, fn_ipv4_is_in_range, type_ipv4_is_in_range},
    {"ipv4_is_in_any_range", 2, -1, fn_ipv4_is_in_any_range, type_ipv4_is_in_any_range},
    {"ipv4_is_match", 2, 3, fn_ipv4_is_match, type_ipv4_is_match},
    {"ipv4_compare", 2, 3, fn_ipv4_compare, type_ipv4_compare},
    {"parse_ipv4", 1, 1, fn_parse_ipv4, type_parse_ipv4},
    {"parse_ipv4_mask", 2, 2, fn_parse_ipv4_mask, type_parse_ipv4_mask},
    {"ipv6_compare", 2, 3, fn_ipv6_compare, type_ipv6_compare},
    {"ipv6_is_match", 2, 3, fn_ipv6_is_match, type_ipv6_is_match},
    {"has_ipv4", 2, 2, fn_has_ipv4, type_has_ipv4},
    {"has_any_ipv4", 2, -1, fn_has_any_ipv4, type_has_any_ipv4},
};

const kql_func_family kql_func_network = {defs, sizeof defs / sizeof defs[0]};
