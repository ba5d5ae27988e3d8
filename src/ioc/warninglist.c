/*
 * MISP warninglists: loading a list and matching indicators against it.
 *
 * Matching follows PyMISPWarningLists: "string" is an exact, case-insensitive match (an
 * entry that starts with '.' also matches as a suffix); "substring" matches when an entry
 * occurs in the value; "hostname" takes the host of a domain or URL and matches the entry or
 * any name under it; "cidr" tests whether the address lies in a range, and non-address
 * entries fall back to an exact match; "regex" entries are PCRE with /delimiters/ and flags.
 * String and hostname entries are sorted for binary search, so large lists (top sites) stay
 * fast; cidr, substring and regex entries are scanned in order.
 */
#define PCRE2_CODE_UNIT_WIDTH 8

#include <arpa/inet.h>
#include <ctype.h>
#include <jansson.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/input.h"
#include "foxhound/limits.h"
#include "foxhound/warninglist.h"
#include "ioc/ioc_internal.h"

typedef enum wl_type { WL_STRING, WL_SUBSTRING, WL_HOSTNAME, WL_CIDR, WL_REGEX } wl_type;

typedef struct wl_range {
    int family;
    unsigned char network[16];
    int bits;
} wl_range;

struct fh_warninglist {
    char *name;
    wl_type type;
    unsigned types; /* bit per fh_ioc_type the list applies to */
    char **entries; /* lowercased; sorted for string and hostname lists */
    size_t nentries;
    wl_range *ranges; /* cidr lists */
    size_t nranges;
    pcre2_code **regexes;
    size_t nregexes;
    size_t unused; /* entries that could not be used */
};

static const struct {
    const char *name;
    wl_type type;
} wl_types[] = {
    {"string", WL_STRING}, {"substring", WL_SUBSTRING}, {"hostname", WL_HOSTNAME},
    {"cidr", WL_CIDR},     {"regex", WL_REGEX},
};

#define TYPE_BIT(t) (1u << (t))
#define ADDRESS_TYPES                                                                              \
    (TYPE_BIT(FH_IOC_IPV4) | TYPE_BIT(FH_IOC_IPV6) | TYPE_BIT(FH_IOC_IP_PORT) |                    \
     TYPE_BIT(FH_IOC_CIDR))

/* MISP attribute types in matching_attributes and the indicator types they cover. */
static const struct {
    const char *misp;
    unsigned types;
} attribute_types[] = {
    {"ip-src", ADDRESS_TYPES},
    {"ip-dst", ADDRESS_TYPES},
    {"ip-src|port", ADDRESS_TYPES},
    {"ip-dst|port", ADDRESS_TYPES},
    {"domain|ip", ADDRESS_TYPES | TYPE_BIT(FH_IOC_DOMAIN)},
    {"domain", TYPE_BIT(FH_IOC_DOMAIN)},
    {"hostname", TYPE_BIT(FH_IOC_DOMAIN)},
    {"hostname|port", TYPE_BIT(FH_IOC_DOMAIN)},
    {"url", TYPE_BIT(FH_IOC_URL)},
    {"uri", TYPE_BIT(FH_IOC_URL)},
    {"link", TYPE_BIT(FH_IOC_URL)},
    {"md5", TYPE_BIT(FH_IOC_MD5)},
    {"filename|md5", TYPE_BIT(FH_IOC_MD5)},
    {"sha1", TYPE_BIT(FH_IOC_SHA1)},
    {"filename|sha1", TYPE_BIT(FH_IOC_SHA1)},
    {"sha256", TYPE_BIT(FH_IOC_SHA256)},
    {"filename|sha256", TYPE_BIT(FH_IOC_SHA256)},
};

void fh_warninglist_destroy(fh_warninglist *list)
{
    if (list == NULL)
        return;
    for (size_t i = 0; i < list->nentries; i++)
        free(list->entries[i]);
    free(list->entries);
    free(list->ranges);
    for (size_t i = 0; i < list->nregexes; i++)
        pcre2_code_free(list->regexes[i]);
    free(list->regexes);
    free(list->name);
    free(list);
}

const char *fh_warninglist_name(const fh_warninglist *list)
{
    return list->name;
}

size_t fh_warninglist_size(const fh_warninglist *list)
{
    return list->nentries + list->nranges + list->nregexes;
}

size_t fh_warninglist_unused(const fh_warninglist *list)
{
    return list->unused;
}

static unsigned applicable_types(json_t *matching)
{
    if (!json_is_array(matching) || json_array_size(matching) == 0)
        return ~0u;
    unsigned types = 0;
    size_t i;
    json_t *item;
    json_array_foreach(matching, i, item)
    {
        const char *name = json_string_value(item);
        for (size_t k = 0; name != NULL && k < sizeof attribute_types / sizeof attribute_types[0];
             k++)
            if (strcmp(name, attribute_types[k].misp) == 0)
                types |= attribute_types[k].types;
    }
    return types;
}

static char *lower_copy(const char *s, size_t n)
{
    char *copy = ioc_strndup(s, n);
    for (size_t i = 0; copy != NULL && i < n; i++)
        copy[i] = (char)tolower((unsigned char)copy[i]);
    return copy;
}

static fh_status add_entry(fh_warninglist *list, const char *s, size_t n, size_t cap)
{
    if (list->type == WL_HOSTNAME) {
        while (n > 0 && s[0] == '.') {
            s++;
            n--;
        }
    }
    char *copy = lower_copy(s, n);
    if (copy == NULL)
        return FH_ERR_NOMEM;
    if (list->entries == NULL) {
        list->entries = malloc((cap + 1) * sizeof *list->entries);
        if (list->entries == NULL) {
            free(copy);
            return FH_ERR_NOMEM;
        }
    }
    list->entries[list->nentries++] = copy;
    return FH_OK;
}

/* Parses "a.b.c.d/n", "v6/n" or a bare address into a range; false for anything else. */
static bool parse_range(const char *s, size_t n, wl_range *range)
{
    char text[64];
    if (n == 0 || n >= sizeof text)
        return false;
    memcpy(text, s, n);
    text[n] = '\0';
    char *slash = strchr(text, '/');
    if (slash != NULL)
        *slash = '\0';
    range->family = strchr(text, ':') != NULL ? AF_INET6 : AF_INET;
    if (inet_pton(range->family, text, range->network) != 1)
        return false;
    int width = range->family == AF_INET ? 32 : 128;
    range->bits = width;
    return slash == NULL || (ioc_parse_decimal(slash + 1, strlen(slash + 1), width, &range->bits));
}

static fh_status add_range(fh_warninglist *list, const char *s, size_t n, size_t cap)
{
    wl_range range;
    if (!parse_range(s, n, &range))
        return add_entry(list, s, n, cap); /* exact match for entries that are not ranges */
    if (list->ranges == NULL) {
        list->ranges = malloc((cap + 1) * sizeof *list->ranges);
        if (list->ranges == NULL)
            return FH_ERR_NOMEM;
    }
    list->ranges[list->nranges++] = range;
    return FH_OK;
}

/* Compiles "/pattern/flags" (or a bare pattern); returns false when it does not compile. */
static bool compile_regex(const char *s, size_t n, pcre2_code **out)
{
    uint32_t options = PCRE2_UTF;
    if (n >= 2 && s[0] == '/') {
        const char *close = s + n - 1;
        while (close > s && *close != '/')
            close--;
        if (close == s)
            return false;
        for (const char *f = close + 1; f < s + n; f++)
            if (*f == 'i')
                options |= PCRE2_CASELESS;
        n = (size_t)(close - s) - 1;
        s++;
    }
    int code;
    PCRE2_SIZE offset;
    *out = pcre2_compile((PCRE2_SPTR)s, n, options, &code, &offset, NULL);
    return *out != NULL;
}

static fh_status add_regex(fh_warninglist *list, const char *s, size_t n, size_t cap)
{
    pcre2_code *code;
    if (!compile_regex(s, n, &code)) {
        list->unused++;
        return FH_OK;
    }
    if (list->regexes == NULL) {
        list->regexes = malloc((cap + 1) * sizeof *list->regexes);
        if (list->regexes == NULL) {
            pcre2_code_free(code);
            return FH_ERR_NOMEM;
        }
    }
    list->regexes[list->nregexes++] = code;
    return FH_OK;
}

static int compare_entries(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static fh_status read_entries(fh_warninglist *list, json_t *items)
{
    size_t cap = json_array_size(items);
    size_t i;
    json_t *item;
    json_array_foreach(items, i, item)
    {
        const char *s = json_string_value(item);
        if (s == NULL || json_string_length(item) == 0) {
            list->unused++;
            continue;
        }
        size_t n = json_string_length(item);
        fh_status st = list->type == WL_CIDR    ? add_range(list, s, n, cap)
                       : list->type == WL_REGEX ? add_regex(list, s, n, cap)
                                                : add_entry(list, s, n, cap);
        if (st != FH_OK)
            return st;
    }
    if (list->nentries > 1)
        qsort(list->entries, list->nentries, sizeof *list->entries, compare_entries);
    return FH_OK;
}

static bool read_type(json_t *root, wl_type *type)
{
    json_t *value = json_object_get(root, "type");
    if (json_is_array(value)) /* an older schema wrote the type as a one-element array */
        value = json_array_get(value, 0);
    const char *name = json_string_value(value);
    for (size_t i = 0; name != NULL && i < sizeof wl_types / sizeof wl_types[0]; i++) {
        if (strcmp(name, wl_types[i].name) == 0) {
            *type = wl_types[i].type;
            return true;
        }
    }
    return false;
}

static fh_status build_list(const char *source, json_t *root, fh_warninglist *list, fh_error *err)
{
    const char *name = ioc_json_str(root, "name");
    json_t *items = json_object_get(root, "list");
    if (name == NULL || !json_is_array(items))
        return fh_error_set(err, FH_ERR_INVALID, source, 0, 0,
                            "warninglist has no %s; a MISP warninglist needs \"name\" and \"list\"",
                            name == NULL ? "\"name\" string" : "\"list\" array");
    if (json_array_size(items) > FH_MAX_WARNINGLIST_ENTRIES)
        return fh_error_set(err, FH_ERR_LIMIT, source, 0, 0,
                            "warninglist has %zu entries, over FH_MAX_WARNINGLIST_ENTRIES (%d)",
                            json_array_size(items), FH_MAX_WARNINGLIST_ENTRIES);
    if (!read_type(root, &list->type))
        return fh_error_set(err, FH_ERR_UNSUPPORTED, source, 0, 0,
                            "warninglist type is not string, substring, hostname, cidr or regex");

    list->name = strdup(name);
    list->types = applicable_types(json_object_get(root, "matching_attributes"));
    fh_status st = list->name == NULL ? FH_ERR_NOMEM : read_entries(list, items);
    if (st == FH_ERR_NOMEM)
        return fh_error_set(err, st, source, 0, 0, "out of memory loading the warninglist");
    return st;
}

fh_status fh_warninglist_parse(const char *source, const char *data, size_t len,
                               fh_warninglist **out, fh_error *err)
{
    json_error_t jerr;
    json_t *root = json_loadb(data, len, 0, &jerr);
    if (root == NULL)
        return fh_error_set(err, FH_ERR_PARSE, source,
                            (unsigned long)(jerr.line > 0 ? jerr.line : 0),
                            (unsigned long)(jerr.column > 0 ? jerr.column : 0),
                            "invalid JSON in the warninglist: %s", jerr.text);

    fh_warninglist *list = calloc(1, sizeof *list);
    fh_status st = list == NULL ? fh_error_set(err, FH_ERR_NOMEM, source, 0, 0, "out of memory")
                                : build_list(source, root, list, err);
    json_decref(root);
    if (st != FH_OK) {
        fh_warninglist_destroy(list);
        return st;
    }
    *out = list;
    return FH_OK;
}

fh_status fh_warninglist_load(const char *path, fh_warninglist **out, fh_error *err)
{
    char *data = NULL;
    size_t len = 0;
    fh_status st = fh_input_read_all(path, &data, &len, err);
    if (st == FH_OK)
        st = fh_warninglist_parse(path, data, len, out, err);
    free(data);
    return st;
}

static bool sorted_has(const fh_warninglist *list, const char *key)
{
    if (list->nentries == 0)
        return false;
    return bsearch(&key, list->entries, list->nentries, sizeof *list->entries, compare_entries) !=
           NULL;
}

/* True when name or a parent domain of it is listed (the name itself from start). */
static bool suffix_listed(const fh_warninglist *list, const char *name, bool keep_dot)
{
    if (sorted_has(list, name))
        return true;
    for (const char *dot = strchr(name, '.'); dot != NULL; dot = strchr(dot + 1, '.'))
        if (sorted_has(list, keep_dot ? dot : dot + 1))
            return true;
    return false;
}

/* Writes the lowercased host of a domain or URL indicator into buf; false when none. */
static bool indicator_host(const fh_indicator *ioc, char *buf, size_t size)
{
    const char *host = ioc->value;
    if (ioc->type == FH_IOC_URL) {
        host = strstr(ioc->value, "://");
        if (host == NULL)
            return false;
        host += 3;
        const char *at = strchr(host, '@');
        const char *end = host + strcspn(host, "/?#");
        if (at != NULL && at < end)
            host = at + 1;
    } else if (ioc->type != FH_IOC_DOMAIN) {
        return false;
    }
    size_t n = strcspn(host, ":/?#");
    if (host[0] == '[' || n == 0 || n >= size)
        return false;
    for (size_t i = 0; i < n; i++)
        buf[i] = (char)tolower((unsigned char)host[i]);
    buf[n] = '\0';
    return true;
}

static bool match_ranges(const fh_warninglist *list, const fh_indicator *ioc)
{
    ioc_address addr;
    if (!ioc_indicator_address(ioc, &addr))
        return false;
    for (size_t i = 0; i < list->nranges; i++) {
        const wl_range *r = &list->ranges[i];
        /* A CIDR indicator is listed when it lies inside the entry, not when it only overlaps. */
        if (addr.bits >= 0 && addr.bits < r->bits)
            continue;
        if (ioc_address_in(&addr, r->family, r->network, r->bits))
            return true;
    }
    return false;
}

static bool match_regexes(const fh_warninglist *list, const char *value)
{
    bool hit = false;
    for (size_t i = 0; i < list->nregexes && !hit; i++) {
        pcre2_match_data *md = pcre2_match_data_create_from_pattern(list->regexes[i], NULL);
        if (md == NULL)
            return false;
        hit = pcre2_match(list->regexes[i], (PCRE2_SPTR)value, strlen(value), 0, 0, md, NULL) >= 0;
        pcre2_match_data_free(md);
    }
    return hit;
}

static bool match_substrings(const fh_warninglist *list, const char *value)
{
    for (size_t i = 0; i < list->nentries; i++)
        if (strcasestr(value, list->entries[i]) != NULL)
            return true;
    return false;
}

bool fh_warninglist_match(const fh_warninglist *list, const fh_indicator *ioc)
{
    if (ioc->value == NULL || (list->types & TYPE_BIT(ioc->type)) == 0)
        return false;

    char lower[FH_MAX_INDICATOR_BYTES + 1];
    snprintf(lower, sizeof lower, "%s", ioc->value);
    for (char *p = lower; *p != '\0'; p++)
        *p = (char)tolower((unsigned char)*p);

    switch (list->type) {
    case WL_STRING:
        return suffix_listed(list, lower, true) ||
               (ioc->address != NULL && sorted_has(list, ioc->address));
    case WL_SUBSTRING:
        return match_substrings(list, lower);
    case WL_HOSTNAME: {
        char host[256];
        return indicator_host(ioc, host, sizeof host) && suffix_listed(list, host, false);
    }
    case WL_CIDR:
        return match_ranges(list, ioc) || sorted_has(list, lower);
    case WL_REGEX:
        return match_regexes(list, ioc->value);
    }
    return false;
}
