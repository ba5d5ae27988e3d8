/*
 * Kusto's scalar types and the value that carries one cell of a table.
 *
 * A value is plain data and owns nothing. Strings point into memory that lives in an fh_arena
 * (or in a reader's buffer for the life of one batch); a dynamic value points at a jansson
 * json_t whose reference is held by the arena the value was made in. Code that keeps a value
 * longer than its batch copies it with fh_value_copy into an arena of its own.
 *
 * Null: every type but string can be null (is_null set). A string is never null: a missing
 * string is "". A dynamic value holding JSON null has is_null set.
 */
#ifndef FOXHOUND_VALUE_H
#define FOXHOUND_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "foxhound/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum fh_type {
    FH_TYPE_BOOL = 0,
    FH_TYPE_INT,      /* 32-bit signed */
    FH_TYPE_LONG,     /* 64-bit signed */
    FH_TYPE_REAL,     /* IEEE double */
    FH_TYPE_DATETIME, /* 100 ns ticks since 1970-01-01T00:00:00Z, UTC */
    FH_TYPE_TIMESPAN, /* 100 ns ticks, signed */
    FH_TYPE_STRING,   /* UTF-8 bytes, never null */
    FH_TYPE_DYNAMIC,  /* a JSON value (jansson json_t) */
    FH_TYPE_GUID,     /* 16 bytes, kept in the RFC 4122 byte order of its text form */
    FH_TYPE_COUNT
} fh_type;

#define FH_TICKS_PER_SECOND 10000000LL
#define FH_TICKS_PER_DAY (86400LL * FH_TICKS_PER_SECOND)

typedef struct fh_value {
    uint8_t type; /* fh_type */
    bool is_null; /* never set for FH_TYPE_STRING */
    union {
        bool b;
        int32_t i;
        int64_t l;
        double r;
        int64_t ticks; /* datetime and timespan */
        struct {
            const char *ptr;
            size_t len;
        } s;
        struct json_t *dyn;
        uint8_t guid[16];
    } u;
} fh_value;

/* Returns the Kusto name of a type: "bool", "int", "long", "real", "datetime", ... */
const char *fh_type_name(fh_type type);

/* Looks up a Kusto type name, with its aliases ("boolean", "double", "date", "time", "uuid"). */
fh_status fh_type_from_name(const char *name, size_t len, fh_type *out);

/*
 * Returns a null value of a type (for strings, the empty string). Inline because readers
 * call it for most cells of every row.
 */
static inline fh_value fh_value_null(fh_type type)
{
    fh_value v = {.type = (uint8_t)type, .is_null = type != FH_TYPE_STRING};
    if (type == FH_TYPE_STRING)
        v.u.s.ptr = "";
    return v;
}

static inline fh_value fh_value_bool(bool b)
{
    fh_value v = {.type = FH_TYPE_BOOL};
    v.u.b = b;
    return v;
}

static inline fh_value fh_value_int(int32_t i)
{
    fh_value v = {.type = FH_TYPE_INT};
    v.u.i = i;
    return v;
}

static inline fh_value fh_value_long(int64_t l)
{
    fh_value v = {.type = FH_TYPE_LONG};
    v.u.l = l;
    return v;
}

static inline fh_value fh_value_real(double r)
{
    fh_value v = {.type = FH_TYPE_REAL};
    v.u.r = r;
    return v;
}

static inline fh_value fh_value_datetime(int64_t ticks)
{
    fh_value v = {.type = FH_TYPE_DATETIME};
    v.u.ticks = ticks;
    return v;
}

static inline fh_value fh_value_timespan(int64_t ticks)
{
    fh_value v = {.type = FH_TYPE_TIMESPAN};
    v.u.ticks = ticks;
    return v;
}

/* A string value that points at ptr; the caller keeps the bytes alive. */
static inline fh_value fh_value_string(const char *ptr, size_t len)
{
    fh_value v = {.type = FH_TYPE_STRING};
    v.u.s.ptr = len ? ptr : "";
    v.u.s.len = len;
    return v;
}

#ifdef __cplusplus
}
#endif

#endif
