/*
 * The kql format: the hunting query of every table the indicators apply to, exactly as
 * `foxhound hunt` runs it, exclusions included. One file per table ("TABLE.kql"); printed
 * together, the queries are separated by a blank line so a Kusto editor runs each on its own.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rule/rule_internal.h"

fh_status rule_kql(rule_context *ctx, fh_rule_output *out, fh_error *err)
{
    const char *const *tables = fh_hunt_tables();
    for (size_t i = 0; tables[i] != NULL; i++) {
        char *kql = NULL;
        fh_status st = rule_table_kql(ctx, ctx->iocs, tables[i], &kql, err);
        if (st == FH_ERR_NOT_FOUND)
            continue;
        if (st != FH_OK)
            return st;

        fh_strbuf sb;
        fh_strbuf_init(&sb);
        fh_strbuf_puts(&sb, kql);
        free(kql);
        char name[128];
        snprintf(name, sizeof name, "%s.kql", tables[i]);
        st = rule_output_add(out, name, &sb, err);
        if (st != FH_OK)
            return st;
        out->rules++;
    }

    out->separator = "\n";
    if (out->rules == 0)
        return fh_error_set(err, FH_ERR_NOT_FOUND, NULL, 0, 0,
                            "no indicator applies to a table that hunt queries");
    return FH_OK;
}
