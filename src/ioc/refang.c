/*
 * Refanging and defanging of indicator values.
 *
 * Reports write indicators "defanged" so that nobody clicks them: "hxxp://evil[.]com",
 * "80[.]76[.]49[.]194". fh_refang undoes the common conventions inside one value (one table
 * cell, one feed field, one token of free text), never across free prose. It rewrites a scheme
 * word only at the start of the value, so a path that contains "hxxp" keeps it. fh_defang
 * writes the display form that rule pages use.
 */
#include <ctype.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "foxhound/indicator.h"

typedef struct refang_rule {
    const char *from;
    const char *to;
} refang_rule;

/* Scheme words, matched case-insensitively at the start of a value before ':' or '['. */
static const refang_rule scheme_rules[] = {
    {"hxxps", "https"}, {"hxxp", "http"}, {"h__ps", "https"}, {"h__p", "http"}, {"h**ps", "https"},
    {"h**p", "http"},   {"fxps", "ftps"}, {"fxp", "ftp"},     {"ftx", "ftp"},
};

/*
 * Separators, matched case-insensitively anywhere in the value. Longer forms come first so
 * that "[://]" wins over "[:]" and "[.]" over "[.".
 */
static const refang_rule separator_rules[] = {
    {"[://]", "://"}, {"(://)", "://"}, {"[:]", ":"},   {"(:)", ":"},  {"[/]", "/"},
    {"(/)", "/"},     {"[@]", "@"},     {"(@)", "@"},   {"[at]", "@"}, {"(at)", "@"},
    {"{at}", "@"},    {"[.]", "."},     {"(.)", "."},   {"{.}", "."},  {"[dot]", "."},
    {"(dot)", "."},   {"{dot}", "."},   {" dot ", "."}, {"\\.", "."},  {"[-]", "-"},
    {"[.", "."},      {".]", "."},
};

/* Appends len bytes at *pos, writing only what fits in size; *pos counts the full length. */
static void put_bytes(char *buf, size_t size, size_t *pos, const char *src, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (*pos + 1 < size)
            buf[*pos] = src[i];
        (*pos)++;
    }
}

static bool match_at(const char *raw, size_t len, size_t i, const char *word)
{
    size_t n = strlen(word);
    return i + n <= len && strncasecmp(raw + i, word, n) == 0;
}

/* Matches a scheme word at the start and returns its rule, or NULL. */
static const refang_rule *match_scheme(const char *raw, size_t len)
{
    for (size_t r = 0; r < sizeof scheme_rules / sizeof scheme_rules[0]; r++) {
        size_t n = strlen(scheme_rules[r].from);
        if (match_at(raw, len, 0, scheme_rules[r].from) && n < len &&
            (raw[n] == ':' || raw[n] == '['))
            return &scheme_rules[r];
    }
    return NULL;
}

static const refang_rule *match_separator(const char *raw, size_t len, size_t i)
{
    /* Every separator rule starts with one of these bytes, so most bytes need no rule scan. */
    if (raw[i] == '\0' || strchr("[({ \\.", raw[i]) == NULL)
        return NULL;
    for (size_t r = 0; r < sizeof separator_rules / sizeof separator_rules[0]; r++)
        if (match_at(raw, len, i, separator_rules[r].from))
            return &separator_rules[r];
    return NULL;
}

size_t fh_refang(const char *raw, size_t len, char *buf, size_t size)
{
    size_t pos = 0;
    size_t i = 0;

    const refang_rule *scheme = match_scheme(raw, len);
    if (scheme != NULL) {
        put_bytes(buf, size, &pos, scheme->to, strlen(scheme->to));
        i = strlen(scheme->from);
    }

    while (i < len) {
        const refang_rule *sep = match_separator(raw, len, i);
        if (sep != NULL) {
            put_bytes(buf, size, &pos, sep->to, strlen(sep->to));
            i += strlen(sep->from);
            continue;
        }
        put_bytes(buf, size, &pos, raw + i, 1);
        i++;
    }

    if (size > 0)
        buf[pos < size ? pos : size - 1] = '\0';
    return pos;
}

/* Writes s with every '.' as "[.]". */
static void put_dotted(char *buf, size_t size, size_t *pos, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '.')
            put_bytes(buf, size, pos, "[.]", 3);
        else
            put_bytes(buf, size, pos, s + i, 1);
    }
}

/* Defangs a URL: the scheme word ("hxxp", "hxxps", "fxp") and the dots of the host. */
static void defang_url(char *buf, size_t size, size_t *pos, const char *value)
{
    size_t len = strlen(value);
    const char *sep = strstr(value, "://");
    if (sep == NULL) {
        put_dotted(buf, size, pos, value, len);
        return;
    }

    size_t scheme_len = (size_t)(sep - value);
    if (scheme_len == 4 && strncmp(value, "http", 4) == 0)
        put_bytes(buf, size, pos, "hxxp", 4);
    else if (scheme_len == 5 && strncmp(value, "https", 5) == 0)
        put_bytes(buf, size, pos, "hxxps", 5);
    else if (scheme_len == 3 && strncmp(value, "ftp", 3) == 0)
        put_bytes(buf, size, pos, "fxp", 3);
    else
        put_bytes(buf, size, pos, value, scheme_len);
    put_bytes(buf, size, pos, "://", 3);

    const char *host = sep + 3;
    size_t host_len = strcspn(host, "/?#");
    put_dotted(buf, size, pos, host, host_len);
    put_bytes(buf, size, pos, host + host_len, strlen(host + host_len));
}

size_t fh_defang(const char *value, fh_ioc_type type, char *buf, size_t size)
{
    size_t pos = 0;
    size_t len = strlen(value);

    switch (type) {
    case FH_IOC_IPV4:
    case FH_IOC_IP_PORT:
    case FH_IOC_CIDR:
    case FH_IOC_DOMAIN:
        /* IPv6 values have no dots outside an embedded IPv4 part, so they pass unchanged. */
        put_dotted(buf, size, &pos, value, len);
        break;
    case FH_IOC_URL:
        defang_url(buf, size, &pos, value);
        break;
    default:
        put_bytes(buf, size, &pos, value, len);
        break;
    }

    if (size > 0)
        buf[pos < size ? pos : size - 1] = '\0';
    return pos;
}
