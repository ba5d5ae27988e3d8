/* STIX pattern text shared by the STIX export and the ThreatIntelIndicators table. */
#ifndef FOXHOUND_STIX_EXPORT_H
#define FOXHOUND_STIX_EXPORT_H

#include "core/strbuf.h"
#include "foxhound/indicator.h"

/* Appends the STIX 2.1 pattern of an indicator, such as "[ipv4-addr:value = '1.2.3.4']". */
void fh_ioc_stix_pattern(fh_strbuf *buf, const fh_indicator *ioc);

#endif
