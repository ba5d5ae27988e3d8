/*
 * Operations on values that readers, the query engine and writers share: conversion from
 * text, equality, ordering and hashing with Kusto's rules, and rendering as text or JSON.
 */
#ifndef FOXHOUND_VALUE_OPS_H
#define FOXHOUND_VALUE_OPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "foxhound/arena.h"
#include "foxhound/error.h"
#include "foxhound/value.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Converts text to a value of a column type, as a reader does for a cell: empty or invalid
 * text gives null (strings keep the text; dynamic parses JSON and keeps invalid JSON as a
 * string; guid accepts the 36-character form). Strings are copied into arena. Returns FH_OK,
 * FH_ERR_INVALID when the text is not empty but does not convert (out is then null), or
 * FH_ERR_NOMEM.
 */
fh_status fh_value_from_text(fh_type type, const char *text, size_t len, fh_arena *arena,
                             fh_value *out);

/*
 * Converts a jansson value to a column type: JSON strings go through fh_value_from_text,
 * numbers and booleans convert directly, arrays and objects become dynamic (or their JSON text
 * for a string column). The arena takes a reference where needed.
 */
fh_status fh_value_from_json(fh_type type, struct json_t *json, fh_arena *arena, fh_value *out);

/*
 * Kusto equality: false when either side is null or NaN. Numbers compare across int, long and
 * real by exact value, strings compare bytes (case-sensitive), and arrays and objects compare
 * as JSON. A dynamic value that contains a scalar compares as that scalar (dynamic "a" equals
 * string "a"). Values of other different types are not equal.
 */
bool fh_value_equal(const fh_value *a, const fh_value *b);

/* Case-insensitive (ASCII) string equality; other types as fh_value_equal. */
bool fh_value_equal_nocase(const fh_value *a, const fh_value *b);

/*
 * Total order for sorting and grouping: returns <0, 0 or >0. Nulls sort before every value of
 * any type, and NaN before every other number. Numbers compare across int, long and real;
 * otherwise values of different types order as bool, number, datetime, timespan, string, guid,
 * then arrays and objects. Strings compare as bytes, and arrays and objects by their compact
 * JSON text with sorted keys.
 */
int fh_value_compare(const fh_value *a, const fh_value *b);

/* Hash consistent with fh_value_equal (int 1, long 1 and real 1.0 hash alike). Nulls hash to a
 * fixed value. fh_value_hash_nocase folds ASCII case of strings. */
uint64_t fh_value_hash(const fh_value *v);
uint64_t fh_value_hash_nocase(const fh_value *v);

/*
 * Renders a value as Kusto's tostring() does: null is "", datetimes ISO 8601 with "Z" (as
 * fh_datetime_format), timespans "[-][d.]hh:mm:ss[.fffffff]", reals in shortest round-trip form
 * ("0.1", "1E+20", "NaN"), dynamic as compact JSON (a dynamic string without quotes), bools
 * "true"/"false", guids in lowercase. A string value is returned as it is, without a copy;
 * every other result is in arena.
 */
fh_status fh_value_to_string(const fh_value *v, fh_arena *arena, const char **ptr, size_t *len);

/*
 * Converts a value to a new jansson value for JSON output: null as JSON null, datetimes and
 * timespans as strings, numbers as numbers, dynamic as itself (a new reference). Returns NULL
 * when memory runs out.
 */
struct json_t *fh_value_to_json(const fh_value *v);

/* Parses a 36-character guid; FH_ERR_PARSE when the text is not one. */
fh_status fh_guid_parse(const char *text, size_t len, uint8_t out[16]);

#ifdef __cplusplus
}
#endif

#endif
