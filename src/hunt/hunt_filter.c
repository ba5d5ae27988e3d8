/*
 * Indicator selection for hunts and rules: the filter of fh_hunt_filter. It sits apart from
 * hunt.c so that code which selects indicators does not pull in the query engine.
 */
#include <strings.h>

#include "foxhound/hunt.h"

bool fh_hunt_filter_match(const fh_hunt_filter *filter, const fh_indicator *ioc)
{
    if (filter == NULL)
        return true;
    if (filter->types != 0 && (filter->types & (1u << ioc->type)) == 0)
        return false;
    if (filter->min_confidence > 0 &&
        (ioc->confidence == FH_CONFIDENCE_UNKNOWN || ioc->confidence < filter->min_confidence))
        return false;
    if (filter->first_seen_since != FH_TIME_UNKNOWN &&
        (ioc->first_seen == FH_TIME_UNKNOWN || ioc->first_seen < filter->first_seen_since))
        return false;
    if (filter->family == NULL)
        return true;
    if (ioc->family != NULL && strcasecmp(ioc->family, filter->family) == 0)
        return true;
    for (size_t i = 0; i < ioc->naliases; i++) {
        if (strcasecmp(ioc->aliases[i], filter->family) == 0)
            return true;
    }
    return false;
}
