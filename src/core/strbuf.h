/*
 * A growable byte string for building text (generated KQL, rule files, messages). It stays
 * NUL-terminated; after an allocation failure it keeps failing and reports FH_ERR_NOMEM once
 * at the end, so builders can append without checking every call.
 */
#ifndef FOXHOUND_STRBUF_H
#define FOXHOUND_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

#include "foxhound/error.h"

typedef struct fh_strbuf {
    char *data; /* NUL-terminated; NULL until the first append */
    size_t len;
    size_t cap;
    bool failed; /* an allocation failed; later appends do nothing */
} fh_strbuf;

void fh_strbuf_init(fh_strbuf *sb);
void fh_strbuf_free(fh_strbuf *sb);

void fh_strbuf_append(fh_strbuf *sb, const char *ptr, size_t len);
void fh_strbuf_puts(fh_strbuf *sb, const char *str);
void fh_strbuf_printf(fh_strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Appends a KQL string literal: the text in double quotes with \ and " and control
 * characters escaped. */
void fh_strbuf_kql_string(fh_strbuf *sb, const char *ptr, size_t len);

/* Returns FH_OK, or FH_ERR_NOMEM when any append failed. */
fh_status fh_strbuf_status(const fh_strbuf *sb);

/* Hands the string to the caller (who frees it) and resets the buffer; NULL after a failure. */
char *fh_strbuf_take(fh_strbuf *sb);

#endif
