/*
 * False-positive flags for indicators. An indicator is flagged, never dropped, when its
 * address lies in a private, loopback, link-local, multicast, reserved or documentation
 * range, or when its value is on a MISP warninglist that the caller loaded (known cloud
 * ranges, top sites, public resolvers, empty-file hashes). The flag text names the reason,
 * so that an analyst can see why a hit may be benign.
 *
 * Warninglists use the MISP format: a JSON object with "name", "description", "type"
 * (string, substring, hostname, cidr or regex), "list" and optional "matching_attributes"
 * (MISP attribute types the list applies to; absent means all).
 */
#ifndef FOXHOUND_WARNINGLIST_H
#define FOXHOUND_WARNINGLIST_H

#include <stdbool.h>
#include <stddef.h>

#include "foxhound/error.h"
#include "foxhound/indicator.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fh_warninglist fh_warninglist;

/*
 * Parses a warninglist document. source names it in errors. Entries that cannot be used
 * (an invalid CIDR, a regex that does not compile) are counted, see fh_warninglist_unused.
 * Returns FH_ERR_PARSE for invalid JSON (with line and column), FH_ERR_INVALID when a
 * required field is missing, FH_ERR_UNSUPPORTED for an unknown list type.
 */
fh_status fh_warninglist_parse(const char *source, const char *data, size_t len,
                               fh_warninglist **out, fh_error *err);

/* Reads a warninglist file (gzip and zstd undone) and parses it. */
fh_status fh_warninglist_load(const char *path, fh_warninglist **out, fh_error *err);

/* Frees a warninglist. Accepts NULL. */
void fh_warninglist_destroy(fh_warninglist *list);

/* Returns the list's name, such as "List of known Google domains". */
const char *fh_warninglist_name(const fh_warninglist *list);

/* Returns the number of entries in use and the number that could not be used. */
size_t fh_warninglist_size(const fh_warninglist *list);
size_t fh_warninglist_unused(const fh_warninglist *list);

/* Returns true when the indicator's value is on the list (and the list applies to its type). */
bool fh_warninglist_match(const fh_warninglist *list, const fh_indicator *ioc);

/*
 * Sets ioc->flag when the address is in a special-purpose range (IPv4, IPv6, ip:port, CIDR,
 * and URLs whose host is an address). The reason names the range, as in
 * "documentation range 192.0.2.0/24 (RFC 5737)". A flag already set is kept. Returns FH_OK
 * whether or not a flag was set, and sets *flagged (may be NULL) to whether it was. The flag
 * is a new malloc'd string, so ioc must own its strings: flag the items of a set with
 * fh_ioc_set_flag.
 */
fh_status fh_indicator_flag_ranges(fh_indicator *ioc, bool *flagged, fh_error *err);

/*
 * Flags every indicator of the set: special-purpose ranges first, then each list in order
 * ("warninglist: List of known Google domains"). *flagged (may be NULL) receives how many
 * indicators carry a flag afterwards.
 */
fh_status fh_ioc_set_flag(fh_ioc_set *set, fh_warninglist *const *lists, size_t nlists,
                          size_t *flagged, fh_error *err);

#ifdef __cplusplus
}
#endif

#endif
