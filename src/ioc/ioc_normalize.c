/*
 * Syntax checks and canonical forms for each indicator type.
 *
 * Every function takes an already refanged and trimmed value and either fills out->value
 * (and address, port, prefix_bits where they apply) or returns FH_ERR_INVALID with a reason a
 * person can act on. Nothing is widened: a CIDR with host bits set is rejected instead of
 * being rounded to its network, and a domain is never cut down to a parent.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "foxhound/limits.h"
#include "ioc/ioc_internal.h"

/* Room for any IPv6 text form with an embedded IPv4 part, plus a NUL. */
#define IPV6_TEXT_BYTES 64

/* Longest value quoted back in a reason, in bytes. */
#define REASON_VALUE_BYTES 80

static fh_status invalid(fh_error *err, const char *fmt, const char *s, size_t n)
{
    int shown = (int)(n > REASON_VALUE_BYTES ? REASON_VALUE_BYTES : n);
    return fh_error_set(err, FH_ERR_INVALID, NULL, 0, 0, fmt, shown, s);
}

static fh_status take_value(fh_indicator *out, fh_ioc_type type, const char *text)
{
    char *copy = strdup(text);
    if (copy == NULL)
        return FH_ERR_NOMEM;
    free(out->value);
    out->value = copy;
    out->type = type;
    return FH_OK;
}

bool ioc_is_hex(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isxdigit((unsigned char)s[i]))
            return false;
    return true;
}

/* Parses four decimal octets with no leading zeros; fills why on failure. */
static bool ipv4_octets(const char *s, size_t n, unsigned char oct[4], char *why, size_t whysz)
{
    size_t i = 0;
    for (int k = 0; k < 4; k++) {
        size_t start = i;
        unsigned value = 0;
        while (i < n && isdigit((unsigned char)s[i]) && i - start < 4) {
            value = value * 10 + (unsigned)(s[i] - '0');
            i++;
        }
        size_t digits = i - start;
        if (digits == 0 || digits > 3) {
            snprintf(why, whysz, "needs four decimal octets separated by dots");
            return false;
        }
        if (digits > 1 && s[start] == '0') {
            snprintf(why, whysz,
                     "has the octet '%.*s' with a leading zero, which some parsers read as octal",
                     (int)digits, s + start);
            return false;
        }
        if (value > 255) {
            snprintf(why, whysz, "has the octet %u, over 255", value);
            return false;
        }
        oct[k] = (unsigned char)value;
        if (k < 3) {
            if (i >= n || s[i] != '.') {
                snprintf(why, whysz, "needs four decimal octets separated by dots");
                return false;
            }
            i++;
        }
    }
    if (i != n) {
        snprintf(why, whysz, "has text after the fourth octet");
        return false;
    }
    return true;
}

fh_status ioc_norm_ipv4(const char *s, size_t n, fh_indicator *out, fh_error *err)
{
    unsigned char oct[4];
    char why[128];
    if (!ipv4_octets(s, n, oct, why, sizeof why)) {
        int shown = (int)(n > REASON_VALUE_BYTES ? REASON_VALUE_BYTES : n);
        return fh_error_set(err, FH_ERR_INVALID, NULL, 0, 0, "IPv4 address '%.*s' %s", shown, s,
                            why);
    }

    char text[16];
    snprintf(text, sizeof text, "%u.%u.%u.%u", oct[0], oct[1], oct[2], oct[3]);
    return take_value(out, FH_IOC_IPV4, text);
}

/* Parses IPv6 text (brackets and a zone id removed) into 16 bytes. */
static bool ipv6_bytes(const char *s, size_t n, unsigned char addr[16])
{
    if (n > 0 && s[0] == '[' && s[n - 1] == ']') {
        s++;
        n -= 2;
    }
    const char *zone = memchr(s, '%', n);
    if (zone != NULL)
        n = (size_t)(zone - s);
    if (n == 0 || n >= IPV6_TEXT_BYTES)
        return false;

    char text[IPV6_TEXT_BYTES];
    memcpy(text, s, n);
    text[n] = '\0';
    return inet_pton(AF_INET6, text, addr) == 1;
}

static bool ipv6_is_v4_mapped(const unsigned char addr[16])
{
    static const unsigned char prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    return memcmp(addr, prefix, sizeof prefix) == 0;
}

fh_status ioc_norm_ipv6(const char *s, size_t n, fh_indicator *out, fh_error *err)
{
    unsigned char addr[16];
    if (!ipv6_bytes(s, n, addr))
        return invalid(err, "IPv6 address '%.*s' is not valid", s, n);

    char text[IPV6_TEXT_BYTES];
    if (ipv6_is_v4_mapped(addr)) {
        /* ::ffff:a.b.c.d is the IPv4 address a.b.c.d as an IPv6 socket sees it. */
        snprintf(text, sizeof text, "%u.%u.%u.%u", addr[12], addr[13], addr[14], addr[15]);
        return take_value(out, FH_IOC_IPV4, text);
    }

    /* glibc's inet_ntop writes the RFC 5952 form: lowercase, longest zero run as "::". */
    if (inet_ntop(AF_INET6, addr, text, sizeof text) == NULL)
        return invalid(err, "IPv6 address '%.*s' cannot be formatted", s, n);
    return take_value(out, FH_IOC_IPV6, text);
}

static bool looks_ipv4(const char *s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]) && s[i] != '.')
            return false;
    return true;
}

/* Normalises a plain address, IPv4 when it has only digits and dots, IPv6 otherwise. */
static fh_status norm_ip(const char *s, size_t n, fh_indicator *out, fh_error *err)
{
    if (looks_ipv4(s, n))
        return ioc_norm_ipv4(s, n, out, err);
    if (memchr(s, ':', n) != NULL)
        return ioc_norm_ipv6(s, n, out, err);
    return invalid(err, "'%.*s' is not an IPv4 or IPv6 address", s, n);
}

bool ioc_parse_decimal(const char *s, size_t n, int max, int *out)
{
    if (n == 0 || n > 9)
        return false;
    int value = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return false;
        value = value * 10 + (s[i] - '0');
    }
    if (value > max)
        return false;
    *out = value;
    return true;
}

static bool parse_port(const char *s, size_t n, int *port)
{
    return ioc_parse_decimal(s, n, 65535, port) && *port >= 1;
}

/* Splits "ADDR:PORT" or "[ADDR]:PORT"; port_len is 0 when no port is written. */
static bool split_ip_port(const char *s, size_t n, size_t *addr_len, const char **port,
                          size_t *port_len)
{
    if (n > 0 && s[0] == '[') {
        const char *close = memchr(s, ']', n);
        if (close == NULL)
            return false;
        *addr_len = (size_t)(close - s) + 1;
        size_t rest = n - *addr_len;
        if (rest == 0) {
            *port = NULL;
            *port_len = 0;
            return true;
        }
        if (close[1] != ':')
            return false;
        *port = close + 2;
        *port_len = rest - 1;
        return true;
    }

    const char *colon = memchr(s, ':', n);
    if (colon == NULL) {
        *addr_len = n;
        *port = NULL;
        *port_len = 0;
        return true;
    }
    if (memchr(colon + 1, ':', n - (size_t)(colon - s) - 1) != NULL)
        return false; /* an unbracketed IPv6 address cannot carry a port */
    *addr_len = (size_t)(colon - s);
    *port = colon + 1;
    *port_len = n - *addr_len - 1;
    return true;
}

static fh_status set_address(fh_indicator *out)
{
    free(out->address);
    out->address = strdup(out->value);
    return out->address == NULL ? FH_ERR_NOMEM : FH_OK;
}

fh_status ioc_norm_ip_port(const char *s, size_t n, fh_indicator *out, fh_error *err)
{
    size_t addr_len = 0;
    const char *port_text = NULL;
    size_t port_len = 0;
    if (!split_ip_port(s, n, &addr_len, &port_text, &port_len))
        return invalid(err, "ip:port '%.*s' is not ADDR:PORT or [IPv6]:PORT", s, n);

    fh_status st = norm_ip(s, addr_len, out, err);
    if (st != FH_OK)
        return st;
    if (port_text == NULL)
        return FH_OK; /* no port written: the indicator is the address alone, any port */

    int port = 0;
    if (!parse_port(port_text, port_len, &port))
        return invalid(err, "ip:port '%.*s' has a port outside 1-65535", s, n);

    char text[IPV6_TEXT_BYTES + 8];
    if (out->type == FH_IOC_IPV6)
        snprintf(text, sizeof text, "[%s]:%d", out->value, port);
    else
        snprintf(text, sizeof text, "%s:%d", out->value, port);
    st = set_address(out);
    if (st != FH_OK)
        return st;
    out->port = (uint16_t)port;
    return take_value(out, FH_IOC_IP_PORT, text);
}

/* Zeroes the host bits of a network address and reports whether any were set. */
static bool clear_host_bits(unsigned char *addr, size_t bytes, int bits)
{
    bool had = false;
    for (size_t i = 0; i < bytes; i++) {
        int keep = bits - (int)i * 8;
        unsigned char mask = 0xff;
        if (keep <= 0)
            mask = 0;
        else if (keep < 8)
            mask = (unsigned char)(0xff << (8 - keep));
        if ((addr[i] & ~mask) != 0)
            had = true;
        addr[i] &= mask;
    }
    return had;
}

static bool parse_prefix(const char *s, size_t n, int max, int *bits)
{
    return !(n > 1 && s[0] == '0') && ioc_parse_decimal(s, n, max, bits);
}

fh_status ioc_norm_cidr(const char *s, size_t n, fh_indicator *out, fh_error *err)
{
    const char *slash = memchr(s, '/', n);
    if (slash == NULL)
        return invalid(err, "CIDR '%.*s' has no '/' prefix length", s, n);

    size_t addr_len = (size_t)(slash - s);
    fh_status st = norm_ip(s, addr_len, out, err);
    if (st != FH_OK)
        return st;

    bool v6 = out->type == FH_IOC_IPV6;
    int bits = 0;
    if (!parse_prefix(slash + 1, n - addr_len - 1, v6 ? 128 : 32, &bits))
        return invalid(err,
                       v6 ? "CIDR '%.*s' needs a prefix length of 0-128"
                          : "CIDR '%.*s' needs a prefix length of 0-32",
                       s, n);

    unsigned char addr[16];
    inet_pton(v6 ? AF_INET6 : AF_INET, out->value, addr);
    if (clear_host_bits(addr, v6 ? 16 : 4, bits)) {
        char network[IPV6_TEXT_BYTES];
        inet_ntop(v6 ? AF_INET6 : AF_INET, addr, network, sizeof network);
        int shown = (int)(n > REASON_VALUE_BYTES ? REASON_VALUE_BYTES : n);
        return fh_error_set(err, FH_ERR_INVALID, NULL, 0, 0,
                            "CIDR '%.*s' has host bits set; the network is %s/%d", shown, s,
                            network, bits);
    }

    char text[IPV6_TEXT_BYTES + 8];
    snprintf(text, sizeof text, "%s/%d", out->value, bits);
    st = set_address(out);
    if (st != FH_OK)
        return st;
    out->prefix_bits = (uint8_t)bits;
    return take_value(out, FH_IOC_CIDR, text);
}

fh_status ioc_norm_address(const char *s, size_t n, fh_indicator *out, fh_error *err)
{
    if (memchr(s, '/', n) != NULL)
        return ioc_norm_cidr(s, n, out, err);
    return norm_ip(s, n, out, err);
}

static size_t hash_digits(fh_ioc_type type)
{
    switch (type) {
    case FH_IOC_MD5:
        return 32;
    case FH_IOC_SHA1:
        return 40;
    default:
        return 64;
    }
}

fh_status ioc_norm_hash(fh_ioc_type type, const char *s, size_t n, fh_indicator *out, fh_error *err)
{
    const char *name = fh_ioc_type_name(type);
    for (size_t i = 0; i < n; i++) {
        if (!isxdigit((unsigned char)s[i])) {
            int shown = (int)(n > REASON_VALUE_BYTES ? REASON_VALUE_BYTES : n);
            return fh_error_set(err, FH_ERR_INVALID, NULL, 0, 0,
                                "%s '%.*s' has the non-hex character '%c' at position %zu", name,
                                shown, s, isprint((unsigned char)s[i]) ? s[i] : '?', i + 1);
        }
    }
    size_t want = hash_digits(type);
    if (n != want)
        return fh_error_set(err, FH_ERR_INVALID, NULL, 0, 0, "%s has %zu hex digits, expected %zu",
                            name, n, want);

    char text[65];
    for (size_t i = 0; i < n; i++)
        text[i] = (char)tolower((unsigned char)s[i]);
    text[n] = '\0';
    return take_value(out, type, text);
}

/* Checks one DNS label of a lowercased name; fills why on failure. */
static bool label_ok(const char *s, size_t n, char *why, size_t whysz)
{
    if (n == 0) {
        snprintf(why, whysz, "has an empty label");
        return false;
    }
    if (n > 63) {
        snprintf(why, whysz, "has a label of %zu bytes, over 63", n);
        return false;
    }
    if (s[0] == '-' || s[n - 1] == '-') {
        snprintf(why, whysz, "has a label that starts or ends with '-'");
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80) {
            /* TODO: convert IDN labels to punycode; until then the xn-- form is needed. */
            snprintf(why, whysz, "has non-ASCII characters; give the punycode (xn--) form");
            return false;
        }
        if (!isalnum(c) && c != '-' && c != '_') {
            snprintf(why, whysz, "has the character '%c', not allowed in a host name",
                     isprint(c) ? c : '?');
            return false;
        }
    }
    return true;
}

static size_t last_len(const char *s, size_t n)
{
    size_t k = 0;
    while (k < n && s[n - 1 - k] != '.')
        k++;
    return k;
}

/* Top-level labels are letters (two or more) or an IDN A-label ("xn--p1ai"). */
static bool top_label_ok(const char *s, size_t n, char *why, size_t whysz)
{
    bool letters = n >= 2;
    for (size_t i = 0; i < n; i++)
        if (!isalpha((unsigned char)s[i]))
            letters = false;
    if (letters || (n > 4 && strncmp(s, "xn--", 4) == 0))
        return true;
    snprintf(why, whysz, "has the top-level label '%.*s', which is not a domain suffix", (int)n, s);
    return false;
}

/* Checks a lowercased host name without a trailing dot; fills why on failure. */
static bool host_name_ok(const char *s, size_t n, char *why, size_t whysz)
{
    if (n > 253) {
        snprintf(why, whysz, "is %zu bytes long, over 253", n);
        return false;
    }
    if (n > 1 && s[0] == '*' && s[1] == '.') {
        snprintf(why, whysz, "is a wildcard; give the domain without '*.'");
        return false;
    }
    size_t labels = 0;
    size_t start = 0;
    bool last_numeric = true;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && s[i] != '.')
            continue;
        if (!label_ok(s + start, i - start, why, whysz))
            return false;
        last_numeric = true;
        for (size_t k = start; k < i; k++)
            if (!isdigit((unsigned char)s[k]))
                last_numeric = false;
        labels++;
        start = i + 1;
    }
    if (labels < 2) {
        snprintf(why, whysz, "has no dot; a domain needs at least two labels");
        return false;
    }
    if (last_numeric) {
        snprintf(why, whysz, "ends in a numeric label, so it is not a domain");
        return false;
    }
    size_t top = last_len(s, n);
    return top_label_ok(s + n - top, top, why, whysz);
}

/* Lowercases s into a new NUL-terminated buffer of n bytes. */
static char *lower_copy(const char *s, size_t n)
{
    char *copy = malloc(n + 1);
    if (copy == NULL)
        return NULL;
    for (size_t i = 0; i < n; i++)
        copy[i] = (char)tolower((unsigned char)s[i]);
    copy[n] = '\0';
    return copy;
}

fh_status ioc_norm_domain(const char *s, size_t n, fh_indicator *out, fh_error *err)
{
    size_t len = n;
    if (len > 1 && s[len - 1] == '.')
        len--; /* the root label, as DNS logs and zone files write it */

    char *name = lower_copy(s, len);
    if (name == NULL)
        return FH_ERR_NOMEM;

    char why[128];
    fh_status st = FH_OK;
    if (!host_name_ok(name, len, why, sizeof why)) {
        int shown = (int)(n > REASON_VALUE_BYTES ? REASON_VALUE_BYTES : n);
        st = fh_error_set(err, FH_ERR_INVALID, NULL, 0, 0, "domain '%.*s' %s", shown, s, why);
        goto done;
    }
    st = take_value(out, FH_IOC_DOMAIN, name);

done:
    free(name);
    return st;
}

/* Writes the canonical host of a URL into a new string: IP, [IPv6] or lowercase name. */
static fh_status url_host(const char *s, size_t n, char **host, fh_error *err)
{
    fh_indicator tmp;
    fh_indicator_init(&tmp);
    fh_status st = FH_OK;

    if (n > 0 && s[0] == '[') {
        st = ioc_norm_ipv6(s, n, &tmp, err);
        if (st == FH_OK && tmp.type == FH_IOC_IPV6) {
            size_t len = strlen(tmp.value) + 3;
            *host = malloc(len);
            if (*host == NULL)
                st = FH_ERR_NOMEM;
            else
                snprintf(*host, len, "[%s]", tmp.value);
            goto done;
        }
    } else if (looks_ipv4(s, n)) {
        st = ioc_norm_ipv4(s, n, &tmp, err);
    } else {
        st = ioc_norm_domain(s, n, &tmp, err);
    }
    if (st == FH_OK) {
        *host = tmp.value;
        tmp.value = NULL;
    }

done:
    fh_indicator_clear(&tmp);
    return st;
}

static bool scheme_ok(const char *s, size_t n)
{
    if (n == 0 || !isalpha((unsigned char)s[0]))
        return false;
    for (size_t i = 1; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!isalnum(c) && c != '+' && c != '-' && c != '.')
            return false;
    }
    return true;
}

/* Finds the end of the host in an authority: before ":port", or after "]" for IPv6. */
static size_t host_length(const char *s, size_t n)
{
    if (n > 0 && s[0] == '[') {
        const char *close = memchr(s, ']', n);
        return close == NULL ? n : (size_t)(close - s) + 1;
    }
    const char *colon = memchr(s, ':', n);
    return colon == NULL ? n : (size_t)(colon - s);
}

static fh_status url_invalid(fh_error *err, const char *s, size_t n, const char *why)
{
    int shown = (int)(n > REASON_VALUE_BYTES ? REASON_VALUE_BYTES : n);
    return fh_error_set(err, FH_ERR_INVALID, NULL, 0, 0, "URL '%.*s' %s", shown, s, why);
}

fh_status ioc_norm_url(const char *s, size_t n, fh_indicator *out, fh_error *err)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] <= ' ' || s[i] == 0x7f)
            return url_invalid(err, s, n, "contains white space or a control character");

    const char *sep = memmem(s, n, "://", 3);
    if (sep == NULL)
        return url_invalid(err, s, n, "has no scheme (such as http://)");
    size_t scheme_len = (size_t)(sep - s);
    if (!scheme_ok(s, scheme_len))
        return url_invalid(err, s, n, "has an invalid scheme");

    const char *auth = sep + 3;
    size_t rest_len = n - scheme_len - 3;
    size_t auth_len = 0;
    while (auth_len < rest_len && strchr("/?#", auth[auth_len]) == NULL)
        auth_len++;
    const char *at = NULL;
    for (size_t i = 0; i < auth_len; i++)
        if (auth[i] == '@')
            at = auth + i;
    const char *hostp = at == NULL ? auth : at + 1;
    size_t hostp_len = auth_len - (size_t)(hostp - auth);
    size_t host_len = host_length(hostp, hostp_len);
    if (host_len == 0)
        return url_invalid(err, s, n, "has no host");

    const char *port = hostp + host_len;
    size_t port_len = hostp_len - host_len;
    int port_value = 0;
    if (port_len > 0 && (port[0] != ':' || !parse_port(port + 1, port_len - 1, &port_value)))
        return url_invalid(err, s, n, "has a port outside 1-65535");

    char *host = NULL;
    fh_status st = url_host(hostp, host_len, &host, err);
    if (st == FH_ERR_INVALID) {
        char why[FH_ERROR_MESSAGE_MAX + 32];
        snprintf(why, sizeof why, "has an invalid host: %s", err->message);
        return url_invalid(err, s, n, why);
    }
    if (st != FH_OK)
        return st;

    size_t total = n + strlen(host) + 1;
    char *text = malloc(total);
    if (text == NULL) {
        free(host);
        return FH_ERR_NOMEM;
    }
    size_t pos = 0;
    for (size_t i = 0; i < scheme_len; i++)
        text[pos++] = (char)tolower((unsigned char)s[i]);
    memcpy(text + pos, "://", 3);
    pos += 3;
    memcpy(text + pos, auth, (size_t)(hostp - auth)); /* user info as written */
    pos += (size_t)(hostp - auth);
    memcpy(text + pos, host, strlen(host));
    pos += strlen(host);
    size_t tail = n - (size_t)(port - s);
    memcpy(text + pos, port, tail); /* port, path, query and fragment as written */
    pos += tail;
    text[pos] = '\0';

    st = take_value(out, FH_IOC_URL, text);
    free(text);
    free(host);
    return st;
}
