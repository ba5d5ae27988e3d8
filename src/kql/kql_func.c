/*
 * The registry of KQL scalar functions. Each family file (conversion, string, array, logic,
 * math, network, time, hash) exports a table; the first lookup merges them into one array
 * sorted by name, and every lookup is a binary search over it.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "kql/kql_func_impl.h"

/* Upper bound on the number of registered functions; a build with more fails its unit test. */
#define REGISTRY_CAPACITY 512

static const kql_func_def *registry[REGISTRY_CAPACITY];
static size_t registry_count;
static pthread_once_t registry_once = PTHREAD_ONCE_INIT;

static const kql_func_family *const families[] = {
    &kql_func_conversion, &kql_func_string, &kql_func_string_regex,
    &kql_func_array,      &kql_func_logic,  &kql_func_math,
    &kql_func_network,    &kql_func_time,   &kql_func_hash,
};

static int compare_defs(const void *a, const void *b)
{
    const kql_func_def *x = *(const kql_func_def *const *)a;
    const kql_func_def *y = *(const kql_func_def *const *)b;
    return strcmp(x->name, y->name);
}

static void registry_build(void)
{
    for (size_t f = 0; f < sizeof families / sizeof families[0]; f++) {
        for (size_t i = 0; i < families[f]->count && registry_count < REGISTRY_CAPACITY; i++)
            registry[registry_count++] = &families[f]->defs[i];
    }
    qsort(registry, registry_count, sizeof registry[0], compare_defs);
}

/* Compares a registered name with (name, len) as strcmp would with a NUL-terminated copy. */
static int compare_name(const char *registered, const char *name, size_t len)
{
    int c = strncmp(registered, name, len);
    if (c != 0)
        return c;
    return registered[len] == '\0' ? 0 : 1;
}

const kql_func_def *kql_func_lookup(const char *name, size_t len)
{
    pthread_once(&registry_once, registry_build);
    if (memchr(name, '\0', len) != NULL)
        return NULL;

    size_t lo = 0, hi = registry_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = compare_name(registry[mid]->name, name, len);
        if (c == 0)
            return registry[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

size_t kql_func_count(void)
{
    pthread_once(&registry_once, registry_build);
    return registry_count;
}

const kql_func_def *kql_func_at(size_t index)
{
    pthread_once(&registry_once, registry_build);
    return index < registry_count ? registry[index] : NULL;
}
