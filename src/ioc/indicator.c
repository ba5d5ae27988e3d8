/*
 * The indicator model: type names, the life cycle of fh_indicator, and the two entry points
 * that turn raw feed text into a canonical value (fh_indicator_normalize when the feed names
 * the type, fh_indicator_parse_any when it does not).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "foxhound/limits.h"
#include "ioc/ioc_internal.h"

static const char *const type_names[FH_IOC_TYPE_COUNT] = {
    [FH_IOC_IPV4] = "ipv4", [FH_IOC_IPV6] = "ipv6",     [FH_IOC_IP_PORT] = "ip:port",
    [FH_IOC_CIDR] = "cidr", [FH_IOC_DOMAIN] = "domain", [FH_IOC_URL] = "url",
    [FH_IOC_MD5] = "md5",   [FH_IOC_SHA1] = "sha1",     [FH_IOC_SHA256] = "sha256",
};

typedef struct type_alias {
    const char *name;
    fh_ioc_type type;
} type_alias;

/* Names that feeds use for the same types: ThreatFox, MISP, STIX, Zeek and common spellings. */
static const type_alias type_aliases[] = {
    {"ip", FH_IOC_IPV4},
    {"ip-dst", FH_IOC_IPV4},
    {"ip-src", FH_IOC_IPV4},
    {"ipv4-addr", FH_IOC_IPV4},
    {"ipv6-addr", FH_IOC_IPV6},
    {"ip-dst|port", FH_IOC_IP_PORT},
    {"ip-src|port", FH_IOC_IP_PORT},
    {"ipport", FH_IOC_IP_PORT},
    {"subnet", FH_IOC_CIDR},
    {"hostname", FH_IOC_DOMAIN},
    {"fqdn", FH_IOC_DOMAIN},
    {"domain-name", FH_IOC_DOMAIN},
    {"uri", FH_IOC_URL},
    {"md5_hash", FH_IOC_MD5},
    {"sha1_hash", FH_IOC_SHA1},
    {"sha-1", FH_IOC_SHA1},
    {"sha256_hash", FH_IOC_SHA256},
    {"sha-256", FH_IOC_SHA256},
};

const char *fh_ioc_type_name(fh_ioc_type type)
{
    if ((unsigned)type >= FH_IOC_TYPE_COUNT)
        return "unknown";
    return type_names[type];
}

static bool name_equals(const char *name, size_t len, const char *known)
{
    return strlen(known) == len && strncasecmp(name, known, len) == 0;
}

fh_status fh_ioc_type_from_name(const char *name, size_t len, fh_ioc_type *out)
{
    for (int t = 0; t < FH_IOC_TYPE_COUNT; t++) {
        if (name_equals(name, len, type_names[t])) {
            *out = (fh_ioc_type)t;
            return FH_OK;
        }
    }
    for (size_t i = 0; i < sizeof type_aliases / sizeof type_aliases[0]; i++) {
        if (name_equals(name, len, type_aliases[i].name)) {
            *out = type_aliases[i].type;
            return FH_OK;
        }
    }
    return FH_ERR_NOT_FOUND;
}

void fh_indicator_init(fh_indicator *ioc)
{
    memset(ioc, 0, sizeof *ioc);
    ioc->type = FH_IOC_IPV4;
    ioc->confidence = FH_CONFIDENCE_UNKNOWN;
    ioc->first_seen = FH_TIME_UNKNOWN;
    ioc->last_seen = FH_TIME_UNKNOWN;
}

static void free_list(char **list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(list[i]);
    free(list);
}

void fh_indicator_clear(fh_indicator *ioc)
{
    if (ioc == NULL)
        return;
    if (ioc->borrowed) {
        fh_indicator_init(ioc);
        return;
    }
    free(ioc->value);
    free(ioc->address);
    free(ioc->family);
    free_list(ioc->aliases, ioc->naliases);
    free(ioc->threat_type);
    free_list(ioc->tags, ioc->ntags);
    free(ioc->reference);
    free(ioc->reporter);
    free(ioc->source_feed);
    free(ioc->source_id);
    free(ioc->description);
    free(ioc->flag);
    fh_indicator_init(ioc);
}

/* Copies a string that may be NULL; returns false when memory runs out. */
static bool copy_text(char **dst, const char *src)
{
    *dst = NULL;
    if (src == NULL)
        return true;
    *dst = strdup(src);
    return *dst != NULL;
}

static bool copy_list(char ***dst, size_t *dst_n, char *const *src, size_t n)
{
    *dst = NULL;
    *dst_n = 0;
    if (n == 0)
        return true;
    *dst = calloc(n, sizeof **dst);
    if (*dst == NULL)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (!copy_text(&(*dst)[i], src[i]))
            return false;
        (*dst_n)++;
    }
    return true;
}

fh_status fh_indicator_copy(fh_indicator *dst, const fh_indicator *src, fh_error *err)
{
    fh_indicator_clear(dst);
    dst->borrowed = false;
    dst->type = src->type;
    dst->port = src->port;
    dst->prefix_bits = src->prefix_bits;
    dst->confidence = src->confidence;
    dst->first_seen = src->first_seen;
    dst->last_seen = src->last_seen;

    bool ok = copy_text(&dst->value, src->value) && copy_text(&dst->address, src->address) &&
              copy_text(&dst->family, src->family) &&
              copy_list(&dst->aliases, &dst->naliases, src->aliases, src->naliases) &&
              copy_text(&dst->threat_type, src->threat_type) &&
              copy_list(&dst->tags, &dst->ntags, src->tags, src->ntags) &&
              copy_text(&dst->reference, src->reference) &&
              copy_text(&dst->reporter, src->reporter) &&
              copy_text(&dst->source_feed, src->source_feed) &&
              copy_text(&dst->source_id, src->source_id) &&
              copy_text(&dst->description, src->description) && copy_text(&dst->flag, src->flag);
    if (!ok) {
        fh_indicator_clear(dst);
        return fh_error_set(err, FH_ERR_NOMEM, NULL, 0, 0, "out of memory copying an indicator");
    }
    return FH_OK;
}

/* Refangs and trims raw into a new buffer; *text_len receives the length. */
static fh_status refang_copy(const char *raw, size_t len, char **text, size_t *text_len,
                             fh_error *err)
{
    ioc_trim(&raw, &len);
    if (len == 0)
        return fh_error_set(err, FH_ERR_INVALID, NULL, 0, 0, "the value is empty");
    if (len > FH_MAX_INDICATOR_BYTES)
        return fh_error_set(err, FH_ERR_INVALID, NULL, 0, 0,
                            "the value is %zu bytes long, over the %d-byte limit", len,
                            FH_MAX_INDICATOR_BYTES);

    /* Refanging only ever shortens or keeps the length, so len + 1 bytes are enough. */
    char *buf = malloc(len + 1);
    if (buf == NULL)
        return fh_error_set(err, FH_ERR_NOMEM, NULL, 0, 0, "out of memory");
    size_t n = fh_refang(raw, len, buf, len + 1);
    const char *p = buf;
    ioc_trim(&p, &n);
    memmove(buf, p, n);
    buf[n] = '\0';
    *text = buf;
    *text_len = n;
    return FH_OK;
}

/*
 * Rejects refanged text that still holds defanging marks, which would never match a log.
 * URL paths may hold brackets legitimately, so for URLs only the scheme word is checked.
 */
static fh_status check_leftovers(const char *s, size_t n, fh_ioc_type type, fh_error *err)
{
    bool bracket = false;
    bool square_ok = type == FH_IOC_IP_PORT || type == FH_IOC_IPV6;
    for (size_t i = 0; i < n && type != FH_IOC_URL; i++)
        if (s[i] == '(' || s[i] == '{' || (s[i] == '[' && !square_ok))
            bracket = true;
    /* A second refang pass must change nothing, or the stored value would not be canonical. */
    char again[FH_MAX_INDICATOR_BYTES + 1];
    size_t again_len = fh_refang(s, n, again, sizeof again);
    bool nested = again_len != n || memcmp(again, s, n) != 0;
    if (bracket || nested || (n >= 3 && strncasecmp(s, "hxx", 3) == 0))
        return fh_error_set(err, FH_ERR_INVALID, NULL, 0, 0,
                            "'%.*s' still looks defanged after refanging", (int)(n > 80 ? 80 : n),
                            s);
    return FH_OK;
}

static fh_status normalize_text(fh_ioc_type type, const char *s, size_t n, fh_indicator *out,
                                fh_error *err)
{
    switch (type) {
    case FH_IOC_IPV4:
    case FH_IOC_IPV6:
        return ioc_norm_address(s, n, out, err);
    case FH_IOC_IP_PORT:
        return ioc_norm_ip_port(s, n, out, err);
    case FH_IOC_CIDR:
        return ioc_norm_cidr(s, n, out, err);
    case FH_IOC_DOMAIN:
        return ioc_norm_domain(s, n, out, err);
    case FH_IOC_URL:
        return ioc_norm_url(s, n, out, err);
    case FH_IOC_MD5:
    case FH_IOC_SHA1:
    case FH_IOC_SHA256:
        return ioc_norm_hash(type, s, n, out, err);
    default:
        return fh_error_set(err, FH_ERR_INVALID, NULL, 0, 0, "unknown indicator type %d",
                            (int)type);
    }
}

/* Drops the value fields so that a failed normalisation leaves no half-filled state. */
static void reset_value(fh_indicator *out)
{
    free(out->value);
    free(out->address);
    out->value = NULL;
    out->address = NULL;
    out->port = 0;
    out->prefix_bits = 0;
}

/*
 * Runs one normaliser on refanged text, after the leftover check when check is true. The
 * local error keeps err untouched on success and lets normalisers read their own message
 * back.
 */
static fh_status normalize_in(fh_ioc_type type, const char *text, size_t n, bool check,
                              fh_indicator *out, fh_error *err)
{
    fh_error local;
    fh_error_clear(&local);
    reset_value(out);
    fh_status st = check ? check_leftovers(text, n, type, &local) : FH_OK;
    if (st == FH_OK)
        st = normalize_text(type, text, n, out, &local);
    if (st != FH_OK) {
        reset_value(out);
        if (st == FH_ERR_NOMEM)
            fh_error_set(&local, FH_ERR_NOMEM, NULL, 0, 0, "out of memory");
        if (err != NULL)
            *err = local;
    }
    return st;
}

static fh_status normalize_checked(fh_ioc_type type, const char *text, size_t n, fh_indicator *out,
                                   fh_error *err)
{
    return normalize_in(type, text, n, true, out, err);
}

/* Normalises text that is_plain_text accepted: check_leftovers would find nothing in it. */
static fh_status normalize_plain(fh_ioc_type type, const char *text, size_t n, fh_indicator *out,
                                 fh_error *err)
{
    return normalize_in(type, text, n, false, out, err);
}

/*
 * True when refanging and trimming would leave raw as it is and the leftover check would
 * pass, so normalisers may read raw in place. Every separator rule of fh_refang starts with
 * one of "[({ \\." and the only one starting with '.' is ".]". So text has nothing to
 * refang when it has none of "[]({\\", no white space or control byte and no scheme word
 * at the start. Most feed values (hashes, domains, ip:port) look like this.
 */
static bool is_plain_text(const char *raw, size_t len)
{
    if (len == 0 || len > FH_MAX_INDICATOR_BYTES)
        return false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)raw[i];
        if (c <= ' ' || c == 0x7f || c == '[' || c == ']' || c == '(' || c == '{' || c == '\\')
            return false;
    }
    /* "hxx", "h__", "h**", "fxp" and "ftx" may start a scheme word that refanging rewrites. */
    unsigned char first = (unsigned char)tolower((unsigned char)raw[0]);
    if (first != 'h' && first != 'f')
        return true;
    char again[16];
    size_t head = len < 8 ? len : 8;
    return fh_refang(raw, head, again, sizeof again) == head && memcmp(again, raw, head) == 0 &&
           !(len >= 3 && strncasecmp(raw, "hxx", 3) == 0);
}

fh_status fh_indicator_normalize(fh_ioc_type type, const char *raw, size_t len, fh_indicator *out,
                                 fh_error *err)
{
    if (is_plain_text(raw, len))
        return normalize_plain(type, raw, len, out, err);

    char *text = NULL;
    size_t n = 0;
    fh_status st = refang_copy(raw, len, &text, &n, err);
    if (st != FH_OK)
        return st;
    st = normalize_checked(type, text, n, out, err);
    free(text);
    return st;
}

static bool all_chars(const char *s, size_t n, const char *allowed)
{
    for (size_t i = 0; i < n; i++)
        if (strchr(allowed, s[i]) == NULL || s[i] == '\0')
            return false;
    return n > 0;
}

/* Picks the type that the shape of refanged text suggests. */
static fh_ioc_type guess_type(const char *s, size_t n)
{
    if (memmem(s, n, "://", 3) != NULL)
        return FH_IOC_URL;
    if (ioc_is_hex(s, n) && n == 32)
        return FH_IOC_MD5;
    if (ioc_is_hex(s, n) && n == 40)
        return FH_IOC_SHA1;
    if (ioc_is_hex(s, n) && n == 64)
        return FH_IOC_SHA256;
    if (s[0] == '[')
        return FH_IOC_IP_PORT;
    if (memchr(s, '/', n) != NULL)
        return FH_IOC_CIDR;
    if (all_chars(s, n, "0123456789."))
        return FH_IOC_IPV4;
    if (all_chars(s, n, "0123456789.:") && memchr(s, ':', n) == memrchr(s, ':', n))
        return FH_IOC_IP_PORT;
    if (memchr(s, ':', n) != NULL)
        return FH_IOC_IPV6;
    return FH_IOC_DOMAIN;
}

fh_status fh_indicator_parse_any(const char *raw, size_t len, fh_indicator *out, fh_error *err)
{
    char *text = NULL;
    size_t n = 0;
    fh_status st = refang_copy(raw, len, &text, &n, err);
    if (st != FH_OK)
        return st;

    fh_ioc_type type = guess_type(text, n);
    if (type == FH_IOC_DOMAIN && ioc_is_hex(text, n) && n >= 30)
        st = fh_error_set(err, FH_ERR_INVALID, NULL, 0, 0,
                          "hash has %zu hex digits; MD5 has 32, SHA-1 40 and SHA-256 64", n);
    else
        st = normalize_checked(type, text, n, out, err);
    free(text);
    return st;
}
