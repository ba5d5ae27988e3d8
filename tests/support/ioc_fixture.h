/*
 * Indicator sets written by hand, temporary databases and captured exports for the tests of
 * the indicator database, its exports and the ThreatIntelligenceIndicator table.
 */
#ifndef FH_IOC_FIXTURE_H
#define FH_IOC_FIXTURE_H

#include "foxhound/indicator.h"
#include "foxhound/ioc_export.h"
#include "foxhound/ioc_store.h"

/* One indicator in test form. Lists are comma-separated; times are ISO 8601 or NULL. */
typedef struct ioc_spec {
    fh_ioc_type type;
    const char *value;
    const char *address; /* ip:port and CIDR */
    int port;
    const char *family;
    const char *aliases;
    const char *threat_type;
    int confidence; /* give FH_CONFIDENCE_UNKNOWN explicitly for "unknown" */
    const char *first_seen;
    const char *last_seen;
    const char *tags;
    const char *feed;
    const char *feed_id;
    const char *reference;
    const char *description;
    const char *flag;
} ioc_spec;

/* Parses an ISO 8601 time into ticks; FH_TIME_UNKNOWN for NULL. Fails the test if invalid. */
int64_t fixture_time(const char *text);

/* Appends the indicator described by spec to set. */
void fixture_add(fh_ioc_set *set, const ioc_spec *spec);

/* The six PureRAT indicators of the ThreatFox rule page: three ip:port C2 addresses and
 * three SHA-256 payload hashes, first seen 2026-06-11 with confidence 75. */
void fixture_rule_page_set(fh_ioc_set *set);

/* Creates a fresh folder under TMPDIR (or /tmp); remove it with fixture_remove_dir. */
char *fixture_temp_dir(void);
void fixture_remove_dir(char *dir);

/* Returns a malloc'd DIR/NAME. */
char *fixture_path(const char *dir, const char *name);

/* Opens (creating) DIR/NAME and fails the test when that fails. */
fh_ioc_store *fixture_open_store(const char *dir, const char *name);

/* Imports set with import time now, failing the test on error. */
fh_ioc_import_counts fixture_import(fh_ioc_store *store, const fh_ioc_set *set, int64_t now);

/* Exports with filter (NULL for all) into a malloc'd string, failing the test on error. */
char *fixture_export(fh_ioc_store *store, const fh_ioc_filter *filter, fh_ioc_export_format format);

/* Reads every indicator that passes filter into set (deep copies). Returns the count. */
size_t fixture_query(fh_ioc_store *store, const fh_ioc_filter *filter, fh_ioc_set *set);

/* Finds the indicator with this value in set, or NULL. */
const fh_indicator *fixture_find(const fh_ioc_set *set, const char *value);

/* True when the comma-separated names equal the list exactly, in order. */
int fixture_names_equal(char *const *names, size_t count, const char *expected);

#endif
