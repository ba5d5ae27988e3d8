/*
 * Renders a query error with the offending line and a caret under the column, the way
 * compilers do. Columns count characters (UTF-8 code points), and tabs before the column are
 * copied into the caret line, so the caret lines up in a terminal whatever the tab width.
 */
#include <stdio.h>
#include <string.h>

#include "core/strbuf.h"
#include "kql/kql_parse.h"

/* Finds line number `line` (1-based) in text; false when the text has fewer lines. */
static bool find_line(const char *text, size_t len, unsigned long line, size_t *start, size_t *end)
{
    size_t pos = 0;
    for (unsigned long n = 1; n < line; n++) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        if (nl == NULL)
            return false;
        pos = (size_t)(nl - text) + 1;
    }
    const char *nl = memchr(text + pos, '\n', len - pos);
    size_t stop = nl ? (size_t)(nl - text) : len;
    if (stop > pos && text[stop - 1] == '\r')
        stop--;
    *start = pos;
    *end = stop;
    return true;
}

/* Appends the caret line: a tab for each tab and a space for each other character before
 * the column, then '^'. */
static void put_caret(fh_strbuf *sb, const char *line, size_t line_len, unsigned long column)
{
    unsigned long col = 1;
    for (size_t i = 0; i < line_len && col < column; i++) {
        unsigned char c = (unsigned char)line[i];
        if ((c & 0xC0) == 0x80)
            continue;
        fh_strbuf_append(sb, c == '\t' ? "\t" : " ", 1);
        col++;
    }
    fh_strbuf_append(sb, "^", 1);
}

size_t kql_error_render(const char *text, size_t len, const fh_error *err, char *buf, size_t size)
{
    char head[FH_ERROR_SOURCE_MAX + FH_ERROR_MESSAGE_MAX + 64];
    fh_error_format(err, head, sizeof head);

    fh_strbuf sb;
    fh_strbuf_init(&sb);
    fh_strbuf_puts(&sb, head);

    size_t start, end;
    if (text != NULL && err->line > 0 && find_line(text, len, err->line, &start, &end)) {
        fh_strbuf_append(&sb, "\n", 1);
        fh_strbuf_append(&sb, text + start, end - start);
        if (err->column > 0) {
            fh_strbuf_append(&sb, "\n", 1);
            put_caret(&sb, text + start, end - start, err->column);
        }
    }

    /* Without memory for the full text, fall back to the first line alone. */
    const char *result = fh_strbuf_status(&sb) == FH_OK ? sb.data : head;
    size_t needed = strlen(result);
    if (size > 0) {
        size_t n = needed < size - 1 ? needed : size - 1;
        memcpy(buf, result, n);
        buf[n] = '\0';
    }
    fh_strbuf_free(&sb);
    return needed;
}
