/*
 * Text forms of values shared by value_format.c and the result writers: reals, guids, JSON
 * strings and JSON documents. Everything appends to an fh_strbuf, whose sticky failure flag
 * reports a failed allocation at the end.
 */
#ifndef FOXHOUND_VALUE_TEXT_H
#define FOXHOUND_VALUE_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "core/strbuf.h"
#include "foxhound/value.h"

struct json_t;

/* Buffer size for any text fh_real_format writes, with NUL. */
#define FH_REAL_TEXT_MAX 32

/*
 * Writes a real in the shortest form that parses back to the same double. Exponents -4 to 14
 * use fixed notation ("0.0001", "123456") and others use "1E+15" or "1E-05". NaN and
 * infinities are "NaN", "Infinity" and "-Infinity". Returns the length, and buf must have
 * FH_REAL_TEXT_MAX bytes. NOTE: this layout is meant to match .NET's double formatting, which
 * Kusto uses, but it has not been checked against Kusto's own output.
 */
size_t fh_real_format(double r, char *buf);

/* Writes a guid as 36 lowercase hex digits and dashes; buf must have 37 bytes. */
void fh_guid_format(const uint8_t guid[16], char *buf);

/* Returns the length of the valid UTF-8 sequence at p (1 to 4), or 0 when it is invalid:
 * truncated, overlong, a surrogate or above U+10FFFF. len must be at least 1. */
size_t fh_utf8_sequence_length(const unsigned char *p, size_t len);

/*
 * Appends a JSON string literal (RFC 8259): quotes, \" and \\, control characters as \n, \t,
 * \r, \b, \f or \u00XX, and each invalid UTF-8 byte as U+FFFD, so the output is valid UTF-8.
 */
void fh_json_append_string(fh_strbuf *sb, const char *ptr, size_t len);

/* Appends a jansson value as compact JSON, keys in stored order and reals by fh_real_format
 * (NaN and infinities, which JSON cannot hold, as strings). */
void fh_json_append(fh_strbuf *sb, const struct json_t *json);

/* Appends a value as one JSON value: null, true/false, a number, or a string for datetimes,
 * timespans, strings and guids; dynamic values as their JSON. */
void fh_json_append_value(fh_strbuf *sb, const fh_value *v);

/* Appends a value as Kusto's tostring() renders it (see fh_value_to_string). */
void fh_value_append_text(fh_strbuf *sb, const fh_value *v);

#endif
