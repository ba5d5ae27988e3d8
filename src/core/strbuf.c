/* Growable NUL-terminated strings with sticky allocation failure. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"

void fh_strbuf_init(fh_strbuf *sb)
{
    memset(sb, 0, sizeof *sb);
}

void fh_strbuf_free(fh_strbuf *sb)
{
    free(sb->data);
    fh_strbuf_init(sb);
}

static bool reserve(fh_strbuf *sb, size_t extra)
{
    if (sb->failed)
        return false;
    if (extra > ((size_t)-1) / 2 - sb->len) {
        sb->failed = true;
        return false;
    }
    size_t need = sb->len + extra + 1;
    if (need <= sb->cap)
        return true;
    size_t cap = sb->cap ? sb->cap : 256;
    while (cap < need)
        cap *= 2;
    char *grown = realloc(sb->data, cap);
    if (grown == NULL) {
        sb->failed = true;
        return false;
    }
    sb->data = grown;
    sb->cap = cap;
    return true;
}

void fh_strbuf_append(fh_strbuf *sb, const char *ptr, size_t len)
{
    if (!reserve(sb, len))
        return;
    if (len > 0)
        memcpy(sb->data + sb->len, ptr, len);
    sb->len += len;
    sb->data[sb->len] = '\0';
}

void fh_strbuf_puts(fh_strbuf *sb, const char *str)
{
    fh_strbuf_append(sb, str, strlen(str));
}

void fh_strbuf_printf(fh_strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !reserve(sb, (size_t)n))
        return;

    va_start(ap, fmt);
    vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sb->len += (size_t)n;
}

void fh_strbuf_kql_string(fh_strbuf *sb, const char *ptr, size_t len)
{
    fh_strbuf_append(sb, "\"", 1);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)ptr[i];
        if (c == '"' || c == '\\') {
            char esc[2] = {'\\', (char)c};
            fh_strbuf_append(sb, esc, 2);
        } else if (c == '\n') {
            fh_strbuf_append(sb, "\\n", 2);
        } else if (c == '\r') {
            fh_strbuf_append(sb, "\\r", 2);
        } else if (c == '\t') {
            fh_strbuf_append(sb, "\\t", 2);
        } else if (c < 0x20 || c == 0x7f) {
            fh_strbuf_printf(sb, "\\u%04x", c);
        } else {
            fh_strbuf_append(sb, ptr + i, 1);
        }
    }
    fh_strbuf_append(sb, "\"", 1);
}

fh_status fh_strbuf_status(const fh_strbuf *sb)
{
    return sb->failed ? FH_ERR_NOMEM : FH_OK;
}

char *fh_strbuf_take(fh_strbuf *sb)
{
    if (sb->failed) {
        fh_strbuf_free(sb);
        return NULL;
    }
    char *data = sb->data;
    if (data == NULL)
        data = calloc(1, 1);
    fh_strbuf_init(sb);
    return data;
}
