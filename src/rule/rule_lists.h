/*
 * Indicator values grouped the way the non-KQL formats (SPL, Sigma, Suricata) write them:
 * sorted, without duplicates, one list per kind.
 */
#ifndef FOXHOUND_RULE_LISTS_H
#define FOXHOUND_RULE_LISTS_H

#include <stddef.h>

#include "foxhound/error.h"
#include "foxhound/indicator.h"

typedef struct rule_list {
    const char **items; /* point into the indicator set */
    size_t count;
} rule_list;

typedef struct rule_lists {
    rule_list addresses;     /* IPv4 and IPv6 addresses, and the address of each ip:port */
    rule_list address_ports; /* ip:port values */
    rule_list ranges;        /* CIDR values */
    rule_list domains;
    rule_list urls;
    rule_list sha256, sha1, md5;
} rule_lists;

/* Fills the lists from the set. */
fh_status rule_lists_build(const fh_ioc_set *iocs, rule_lists *lists, fh_error *err);
void rule_lists_free(rule_lists *lists);

/* Number of network values (addresses, ranges, domains, URLs) and of hash values. */
size_t rule_lists_network(const rule_lists *lists);
size_t rule_lists_hashes(const rule_lists *lists);

#endif
