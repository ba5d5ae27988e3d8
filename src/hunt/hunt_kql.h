/* Internal entry point of the hunting query generator. */
#ifndef FOXHOUND_HUNT_KQL_H
#define FOXHOUND_HUNT_KQL_H

#include "foxhound/hunt.h"

typedef enum hunt_kql_mode {
    HUNT_KQL_FINDINGS,   /* the deployable query: exclusions as `where not(...)` */
    HUNT_KQL_SUPPRESSED, /* only the rows exclusions remove, with a SuppressedBy column */
} hunt_kql_mode;

fh_status hunt_kql_generate(const fh_ioc_set *iocs, const char *table,
                            const fh_exclusion_set *exclusions, int64_t start, int64_t end,
                            hunt_kql_mode mode, char **kql, fh_error *err);

#endif
