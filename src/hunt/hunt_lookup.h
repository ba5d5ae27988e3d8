/*
 * Finding an event's indicator again after the query matched it: the query says which
 * column and value matched, and this index returns the indicator with its context, preferring
 * an ip:port whose port matched.
 */
#ifndef FOXHOUND_HUNT_LOOKUP_H
#define FOXHOUND_HUNT_LOOKUP_H

#include <stddef.h>
#include <stdint.h>

#include "foxhound/error.h"
#include "foxhound/indicator.h"

typedef struct hunt_index_entry {
    uint64_t hash;   /* of the key in lowercase */
    const char *key; /* address for ip:port and plain addresses, else the value */
    const fh_indicator *ioc;
} hunt_index_entry;

typedef struct hunt_index {
    hunt_index_entry *entries; /* sorted by hash, then by key (caseless), then by value */
    size_t count;
    const fh_indicator **ranges; /* CIDR indicators, scanned in order */
    size_t nranges;
} hunt_index;

fh_status hunt_index_build(const fh_ioc_set *iocs, hunt_index *index, fh_error *err);
void hunt_index_free(hunt_index *index);

/*
 * Returns the indicator that explains a match of value in a column, or NULL. port is the
 * event's port on the indicator's side, or -1 when unknown.
 */
const fh_indicator *hunt_index_match(const hunt_index *index, const char *value, int port);

#endif
