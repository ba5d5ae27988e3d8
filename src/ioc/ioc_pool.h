/*
 * The string pool of an indicator set. Every string of the indicators in a set lives in its
 * pool: values and ids are copied once, and metadata that repeats across indicators (family,
 * threat type, reporter, feed name, reference, tags and alias lists) is interned. So a million
 * indicators of twenty families store twenty family strings.
 */
#ifndef FH_IOC_POOL_H
#define FH_IOC_POOL_H

#include <stddef.h>
#include <stdint.h>

#include "foxhound/indicator.h"

/* Returns an empty pool, or NULL when memory runs out. */
fh_ioc_pool *ioc_pool_create(void);

/* Frees the pool and every string in it. Accepts NULL. */
void ioc_pool_destroy(fh_ioc_pool *pool);

/* Copies n bytes and a NUL into the pool. Returns the copy, or NULL when memory runs out. */
char *ioc_pool_copy(fh_ioc_pool *pool, const char *s, size_t n);

/* Returns the pool's copy of s, adding it on first use, or NULL when memory runs out. */
char *ioc_pool_intern(fh_ioc_pool *pool, const char *s, size_t n);

/*
 * Returns the pool's copy of a string list (each entry interned, the array shared by every
 * equal list), or NULL when memory runs out. n must be greater than 0.
 */
char **ioc_pool_intern_list(fh_ioc_pool *pool, char *const *items, size_t n);

/*
 * Moves the storage of src into dst so that strings of src stay valid for the life of dst,
 * then destroys src. The strings of src are not added to the intern tables of dst.
 */
void ioc_pool_adopt(fh_ioc_pool *dst, fh_ioc_pool *src);

/* Returns a 64-bit hash of n bytes for the pool and the set index. It is not cryptographic. */
uint64_t ioc_hash_bytes(const void *data, size_t n, uint64_t seed);

#endif
