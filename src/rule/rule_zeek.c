/*
 * The zeek format: a Zeek Intelligence Framework file (a #fields header and TAB-separated
 * lines with Intel::ADDR, SUBNET, DOMAIN, URL and FILE_HASH types), written by the same
 * writer as `foxhound ioc export --format zeek`. Zeek's ADDR type has no port, so the
 * ip:port indicators of one address become one line that lists the ports in meta.desc.
 */
#include <stdio.h>

#include "foxhound/ioc_export.h"
#include "rule/rule_internal.h"

fh_status rule_zeek(rule_context *ctx, fh_rule_output *out, fh_error *err)
{
    char name[128];
    snprintf(name, sizeof name, "%s.intel", ctx->facts.slug);
    return rule_export(ctx, FH_IOC_EXPORT_ZEEK, name, out, err);
}
