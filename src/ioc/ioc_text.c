/*
 * Plain and free text importer: one indicator per line (a blocklist, a hosts file) or
 * indicators inside prose (a report pasted from a blog), defanged or not.
 *
 * Each line is cut into white-space separated tokens, surrounding punctuation is dropped and
 * each token is refanged and typed on its own, never the line as a whole. A line with a
 * single token is a list entry: if it is not a valid indicator it is rejected with the
 * reason. In prose only tokens that look like indicators (a scheme, a defanging mark, a
 * dotted quad, a long hex string) are rejected when invalid, and other words are passed
 * over. Prose words that parse as domains but end in a common file extension
 * ("notepad.exe") are not taken unless they were defanged. Lines without any indicator are
 * counted as skipped.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "foxhound/limits.h"
#include "ioc/ioc_internal.h"

enum { TEXT_MAX_TOKENS = 4096 };

typedef struct text_token {
    const char *s;
    size_t n;
} text_token;

static const char skip_no_indicator[] = "text line without an indicator";

/* File extensions that prose mentions as file names; some are also top-level domains. */
static const char *const file_extensions[] = {
    "exe",  "dll", "sys",  "bat", "cmd",  "ps1", "vbs", "js",  "jar", "msi",  "lnk",  "txt",
    "log",  "doc", "docx", "xls", "xlsx", "pdf", "rtf", "tmp", "dat", "bin",  "ini",  "cfg",
    "json", "xml", "csv",  "yml", "yaml", "py",  "sh",  "php", "asp", "aspx", "html", "htm",
    "png",  "jpg", "gif",  "zip", "rar",  "7z",  "gz",  "tar", "iso", "img",  "so",   "hta",
    "scr",  "md",  "c",    "h",   "cpp",  "go",  "rs",  "elf", "apk", "dmg",  "pkg",  "lib",
};

static bool is_separator(char c)
{
    return isspace((unsigned char)c) || c == '"' || c == '\'' || c == '<' || c == '>' || c == '`';
}

static size_t split_tokens(const char *s, size_t n, text_token *tokens)
{
    size_t count = 0;
    size_t i = 0;
    while (i < n && count < TEXT_MAX_TOKENS) {
        while (i < n && is_separator(s[i]))
            i++;
        size_t start = i;
        while (i < n && !is_separator(s[i]))
            i++;
        if (i > start) {
            tokens[count].s = s + start;
            tokens[count].n = i - start;
            count++;
        }
    }
    return count;
}

static size_t count_char(const char *s, size_t n, char c)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += s[i] == c;
    return k;
}

/* Drops punctuation around a token, keeping brackets that belong to it ("[2001:db8::1]:53"). */
static void trim_punctuation(text_token *t)
{
    for (;;) {
        if (t->n == 0)
            return;
        char first = t->s[0];
        char last = t->s[t->n - 1];
        bool open_first = (first == '(' || first == '{') ||
                          (first == '[' && memmem(t->s, t->n, "]:", 2) == NULL && last != ']');
        if (open_first) {
            t->s++;
            t->n--;
        } else if (strchr(".,;:!?", last) != NULL && last != '\0') {
            t->n--;
        } else if ((last == ')' && count_char(t->s, t->n, '(') < count_char(t->s, t->n, ')')) ||
                   (last == ']' && count_char(t->s, t->n, '[') < count_char(t->s, t->n, ']')) ||
                   (last == '}' && count_char(t->s, t->n, '{') < count_char(t->s, t->n, '}'))) {
            t->n--;
        } else {
            return;
        }
    }
}

/* True when refanging changes the token, so the writer marked it as an indicator. */
static bool was_defanged(const text_token *t)
{
    char buf[FH_MAX_INDICATOR_BYTES];
    if (t->n >= sizeof buf)
        return false;
    size_t n = fh_refang(t->s, t->n, buf, sizeof buf);
    return n != t->n || memcmp(buf, t->s, n) != 0;
}

static bool looks_like_indicator(const text_token *t, bool defanged)
{
    if (defanged || memmem(t->s, t->n, "://", 3) != NULL)
        return true;
    if (t->n >= 30 && ioc_is_hex(t->s, t->n))
        return true;
    for (size_t i = 0; i < t->n; i++)
        if (!isdigit((unsigned char)t->s[i]) && strchr(".:/", t->s[i]) == NULL)
            return false;
    return count_char(t->s, t->n, '.') == 3; /* a dotted quad, maybe with a port or prefix */
}

static bool has_file_extension(const char *value)
{
    const char *dot = strrchr(value, '.');
    if (dot == NULL)
        return false;
    for (size_t i = 0; i < sizeof file_extensions / sizeof file_extensions[0]; i++)
        if (strcasecmp(dot + 1, file_extensions[i]) == 0)
            return true;
    return false;
}

/* Handles one token; *found is set when it gave an indicator. */
static fh_status text_token_emit(ioc_import *imp, unsigned long line, text_token t, bool alone,
                                 const fh_indicator *meta, bool *found)
{
    trim_punctuation(&t);
    if (t.n < 4)
        return FH_OK;
    bool defanged = was_defanged(&t);

    fh_indicator v;
    fh_indicator_init(&v);
    fh_error why;
    fh_error_clear(&why);
    fh_status st = fh_indicator_parse_any(t.s, t.n, &v, &why);
    if (st == FH_ERR_INVALID) {
        st = FH_OK;
        if (alone || looks_like_indicator(&t, defanged))
            st = ioc_reject(imp, line, t.s, t.n, why.message);
    } else if (st == FH_OK) {
        bool file_name =
            v.type == FH_IOC_DOMAIN && !alone && !defanged && has_file_extension(v.value);
        if (!file_name) {
            st = ioc_emit(imp, line, v.type, v.value, strlen(v.value), meta, NULL);
            *found = true;
        }
    }
    fh_indicator_clear(&v);
    return st;
}

/* A hosts-file line ("0.0.0.0 evil.example") names the domain; the address is a placeholder. */
static bool is_hosts_placeholder(const text_token *tokens, size_t count)
{
    if (count < 2)
        return false;
    const text_token *t = &tokens[0];
    return (t->n == 7 && memcmp(t->s, "0.0.0.0", 7) == 0) ||
           (t->n == 9 && memcmp(t->s, "127.0.0.1", 9) == 0);
}

static fh_status text_line(ioc_import *imp, unsigned long line, const char *s, size_t n,
                           text_token *tokens, const fh_indicator *meta)
{
    ioc_trim(&s, &n);
    if (n == 0 || s[0] == '#')
        return FH_OK;
    if (n > FH_MAX_LINE_BYTES)
        return ioc_reject(imp, line, s, 80, "line is longer than FH_MAX_LINE_BYTES");

    size_t count = split_tokens(s, n, tokens);
    if (count == TEXT_MAX_TOKENS) {
        char reason[96];
        snprintf(reason, sizeof reason, "words beyond the first %d of a line are not read",
                 TEXT_MAX_TOKENS);
        fh_status st = fh_ioc_set_skip(imp->set, reason);
        if (st != FH_OK)
            return st;
    }
    size_t first = is_hosts_placeholder(tokens, count) ? 1 : 0;
    bool alone = count - first == 1;
    bool found = false;
    for (size_t i = first; i < count; i++) {
        fh_status st = text_token_emit(imp, line, tokens[i], alone, meta, &found);
        if (st != FH_OK)
            return st;
    }
    return found ? FH_OK : fh_ioc_set_skip(imp->set, skip_no_indicator);
}

fh_status ioc_text(ioc_import *imp)
{
    text_token *tokens = malloc(TEXT_MAX_TOKENS * sizeof *tokens);
    fh_indicator meta;
    fh_indicator_init(&meta);
    fh_status st = tokens == NULL ? FH_ERR_NOMEM : ioc_set_text(&meta.source_feed, "text", 4);
    unsigned long line = 0;
    size_t pos = 0;

    const char *s;
    size_t n;
    while (st == FH_OK && ioc_next_line(imp->data, imp->len, &pos, &s, &n)) {
        line++;
        st = text_line(imp, line, s, n, tokens, &meta);
    }
    if (st == FH_ERR_NOMEM)
        fh_error_set(imp->err, st, imp->name, line, 0, "out of memory");
    fh_indicator_clear(&meta);
    free(tokens);
    return st;
}
