/*
 * The stix format: a STIX 2.1 bundle with one indicator object per indicator, written by the
 * same writer as `foxhound ioc export --format stix`, so ids are the same in both.
 */
#include <stdio.h>

#include "foxhound/ioc_export.h"
#include "rule/rule_internal.h"

fh_status rule_stix(rule_context *ctx, fh_rule_output *out, fh_error *err)
{
    char name[128];
    snprintf(name, sizeof name, "%s.stix.json", ctx->facts.slug);
    return rule_export(ctx, FH_IOC_EXPORT_STIX, name, out, err);
}
