/*
 * Equality, ordering and hashing of values with Kusto's rules. Numbers compare across int,
 * long and real by exact value (long 2^53 + 1 differs from real 2^53). A dynamic value that
 * contains a scalar acts as that scalar, so dynamic "a" equals string "a" and dynamic 1 equals
 * long 1. Equal values always hash alike, which hash joins and summarize rely on.
 */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "foxhound/value_ops.h"

/* Order of kinds of values in fh_value_compare. All numeric types share one rank. */
enum value_rank {
    RANK_BOOL,
    RANK_NUMBER,
    RANK_DATETIME,
    RANK_TIMESPAN,
    RANK_STRING,
    RANK_GUID,
    RANK_CONTAINER,
};

/* 2^63 as a double, the first value above every int64. */
#define TWO_POW_63 9223372036854775808.0

/* Returns the scalar inside a dynamic value, or the value itself. */
static fh_value unwrap(const fh_value *v)
{
    if (v->type != FH_TYPE_DYNAMIC || v->is_null)
        return *v;
    const json_t *json = v->u.dyn;
    switch (json_typeof(json)) {
    case JSON_STRING:
        return fh_value_string(json_string_value(json), json_string_length(json));
    case JSON_INTEGER:
        return fh_value_long(json_integer_value(json));
    case JSON_REAL:
        return fh_value_real(json_real_value(json));
    case JSON_TRUE:
        return fh_value_bool(true);
    case JSON_FALSE:
        return fh_value_bool(false);
    case JSON_NULL:
        return fh_value_null(FH_TYPE_DYNAMIC);
    case JSON_OBJECT:
    case JSON_ARRAY:
        break;
    }
    return *v;
}

static enum value_rank rank_of(const fh_value *v)
{
    switch ((fh_type)v->type) {
    case FH_TYPE_BOOL:
        return RANK_BOOL;
    case FH_TYPE_INT:
    case FH_TYPE_LONG:
    case FH_TYPE_REAL:
        return RANK_NUMBER;
    case FH_TYPE_DATETIME:
        return RANK_DATETIME;
    case FH_TYPE_TIMESPAN:
        return RANK_TIMESPAN;
    case FH_TYPE_STRING:
        return RANK_STRING;
    case FH_TYPE_GUID:
        return RANK_GUID;
    case FH_TYPE_DYNAMIC:
    case FH_TYPE_COUNT:
        break;
    }
    return RANK_CONTAINER;
}

static bool is_null(const fh_value *v)
{
    return v->type != FH_TYPE_STRING && v->is_null;
}

static int sign_of(int64_t a, int64_t b)
{
    return (a > b) - (a < b);
}

/* Compares a long with a real exactly. NaN sorts below every number. */
static int compare_long_real(int64_t l, double r)
{
    if (isnan(r))
        return 1;
    if (r >= TWO_POW_63)
        return -1;
    if (r < -TWO_POW_63)
        return 1;
    int64_t whole = (int64_t)r;
    if (l != whole)
        return sign_of(l, whole);
    double fraction = r - (double)whole;
    return (fraction < 0) - (fraction > 0);
}

static int compare_reals(double a, double b)
{
    if (isnan(a) || isnan(b))
        return (int)!isnan(a) - (int)!isnan(b);
    return (a > b) - (a < b);
}

static int compare_numbers(const fh_value *a, const fh_value *b)
{
    bool a_real = a->type == FH_TYPE_REAL;
    bool b_real = b->type == FH_TYPE_REAL;
    int64_t a_long = a->type == FH_TYPE_INT ? a->u.i : a->u.l;
    int64_t b_long = b->type == FH_TYPE_INT ? b->u.i : b->u.l;

    if (a_real && b_real)
        return compare_reals(a->u.r, b->u.r);
    if (a_real)
        return -compare_long_real(b_long, a->u.r);
    if (b_real)
        return compare_long_real(a_long, b->u.r);
    return sign_of(a_long, b_long);
}

static int compare_bytes(const char *a, size_t a_len, const char *b, size_t b_len, bool fold)
{
    size_t n = a_len < b_len ? a_len : b_len;
    for (size_t i = 0; i < n; i++) {
        unsigned char x = (unsigned char)a[i];
        unsigned char y = (unsigned char)b[i];
        if (fold) {
            x = (x >= 'A' && x <= 'Z') ? (unsigned char)(x + 32) : x;
            y = (y >= 'A' && y <= 'Z') ? (unsigned char)(y + 32) : y;
        }
        if (x != y)
            return x < y ? -1 : 1;
    }
    return sign_of((int64_t)a_len, (int64_t)b_len);
}

/*
 * Compares two arrays or objects by their canonical JSON text (compact, sorted keys), which is
 * equal exactly when json_equal holds. NOTE: when memory for the text runs out, the two
 * values compare by address, so a sort stays safe but its order is then arbitrary.
 */
static int compare_containers(const json_t *a, const json_t *b)
{
    if (json_equal(a, b))
        return 0;
    size_t flags = JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY;
    char *a_text = json_dumps(a, flags);
    char *b_text = json_dumps(b, flags);
    int result = 0;
    if (a_text != NULL && b_text != NULL)
        result = strcmp(a_text, b_text);
    if (result == 0)
        result = (a > b) - (a < b);
    free(a_text);
    free(b_text);
    return result;
}

/* Compares two non-null unwrapped values of the same rank. */
static int compare_same_rank(const fh_value *a, const fh_value *b, enum value_rank rank, bool fold)
{
    switch (rank) {
    case RANK_BOOL:
        return (int)a->u.b - (int)b->u.b;
    case RANK_NUMBER:
        return compare_numbers(a, b);
    case RANK_DATETIME:
    case RANK_TIMESPAN:
        return sign_of(a->u.ticks, b->u.ticks);
    case RANK_STRING:
        return compare_bytes(a->u.s.ptr, a->u.s.len, b->u.s.ptr, b->u.s.len, fold);
    case RANK_GUID:
        return memcmp(a->u.guid, b->u.guid, 16);
    case RANK_CONTAINER:
        break;
    }
    return compare_containers(a->u.dyn, b->u.dyn);
}

static int compare_values(const fh_value *a_in, const fh_value *b_in, bool fold)
{
    fh_value a = unwrap(a_in);
    fh_value b = unwrap(b_in);
    if (is_null(&a) || is_null(&b))
        return (int)!is_null(&a) - (int)!is_null(&b);

    enum value_rank a_rank = rank_of(&a);
    enum value_rank b_rank = rank_of(&b);
    if (a_rank != b_rank)
        return a_rank < b_rank ? -1 : 1;
    return compare_same_rank(&a, &b, a_rank, fold);
}

int fh_value_compare(const fh_value *a, const fh_value *b)
{
    return compare_values(a, b, false);
}

static bool equal_values(const fh_value *a_in, const fh_value *b_in, bool fold)
{
    fh_value a = unwrap(a_in);
    fh_value b = unwrap(b_in);
    if (is_null(&a) || is_null(&b))
        return false;
    if ((a.type == FH_TYPE_REAL && isnan(a.u.r)) || (b.type == FH_TYPE_REAL && isnan(b.u.r)))
        return false;

    enum value_rank rank = rank_of(&a);
    if (rank != rank_of(&b))
        return false;
    if (rank == RANK_CONTAINER)
        return json_equal(a.u.dyn, b.u.dyn);
    return compare_same_rank(&a, &b, rank, fold) == 0;
}

bool fh_value_equal(const fh_value *a, const fh_value *b)
{
    return equal_values(a, b, false);
}

bool fh_value_equal_nocase(const fh_value *a, const fh_value *b)
{
    return equal_values(a, b, true);
}

/* Hashing: a multiply-rotate pass over 8-byte words, then the splitmix64 finaliser, which
 * spreads every input bit over the whole result. */
#define HASH_MULTIPLIER 0x9E3779B97F4A7C15ULL

enum hash_tag {
    TAG_NULL = 1,
    TAG_BOOL,
    TAG_NUMBER,
    TAG_REAL,
    TAG_DATETIME,
    TAG_TIMESPAN,
    TAG_STRING,
    TAG_GUID,
    TAG_CONTAINER,
};

static uint64_t finalize(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xBF58476D1CE4E5B9ULL;
    x ^= x >> 27;
    x *= 0x94D049BB133111EBULL;
    x ^= x >> 31;
    return x;
}

static uint64_t hash_word(enum hash_tag tag, uint64_t word)
{
    return finalize(word ^ ((uint64_t)tag * HASH_MULTIPLIER));
}

static uint64_t fold_word(uint64_t word)
{
    unsigned char bytes[8];
    memcpy(bytes, &word, 8);
    for (int i = 0; i < 8; i++) {
        if (bytes[i] >= 'A' && bytes[i] <= 'Z')
            bytes[i] = (unsigned char)(bytes[i] + 32);
    }
    memcpy(&word, bytes, 8);
    return word;
}

static uint64_t hash_bytes(enum hash_tag tag, const void *ptr, size_t len, bool fold)
{
    const unsigned char *p = ptr;
    uint64_t h = ((uint64_t)tag * HASH_MULTIPLIER) ^ ((uint64_t)len * 0xC2B2AE3D27D4EB4FULL);
    while (len > 0) {
        uint64_t word = 0;
        size_t n = len < 8 ? len : 8;
        memcpy(&word, p, n);
        if (fold)
            word = fold_word(word);
        h = (h ^ word) * HASH_MULTIPLIER;
        h = (h << 29) | (h >> 35);
        p += n;
        len -= n;
    }
    return finalize(h);
}

/* Hashes a number so that int 1, long 1 and real 1.0 agree: whole reals in int64 range hash as
 * that integer, and -0.0 as 0. */
static uint64_t hash_number(const fh_value *v)
{
    if (v->type != FH_TYPE_REAL)
        return hash_word(TAG_NUMBER, (uint64_t)(v->type == FH_TYPE_INT ? v->u.i : v->u.l));
    double r = v->u.r;
    if (r >= -TWO_POW_63 && r < TWO_POW_63 && r == trunc(r))
        return hash_word(TAG_NUMBER, (uint64_t)(int64_t)r);
    uint64_t bits = 0;
    memcpy(&bits, &r, sizeof bits);
    return hash_word(TAG_REAL, isnan(r) ? 0 : bits);
}

/* Hashes an array or object by its canonical JSON text, matching compare_containers. */
static uint64_t hash_container(const json_t *json)
{
    char *text = json_dumps(json, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
    if (text == NULL)
        return hash_word(TAG_CONTAINER, (uint64_t)json_typeof(json));
    uint64_t h = hash_bytes(TAG_CONTAINER, text, strlen(text), false);
    free(text);
    return h;
}

static uint64_t hash_value(const fh_value *v_in, bool fold)
{
    fh_value v = unwrap(v_in);
    if (is_null(&v))
        return hash_word(TAG_NULL, 0);

    switch (rank_of(&v)) {
    case RANK_BOOL:
        return hash_word(TAG_BOOL, v.u.b);
    case RANK_NUMBER:
        return hash_number(&v);
    case RANK_DATETIME:
        return hash_word(TAG_DATETIME, (uint64_t)v.u.ticks);
    case RANK_TIMESPAN:
        return hash_word(TAG_TIMESPAN, (uint64_t)v.u.ticks);
    case RANK_STRING:
        return hash_bytes(TAG_STRING, v.u.s.ptr, v.u.s.len, fold);
    case RANK_GUID:
        return hash_bytes(TAG_GUID, v.u.guid, 16, false);
    case RANK_CONTAINER:
        break;
    }
    return hash_container(v.u.dyn);
}

uint64_t fh_value_hash(const fh_value *v)
{
    return hash_value(v, false);
}

uint64_t fh_value_hash_nocase(const fh_value *v)
{
    return hash_value(v, true);
}
