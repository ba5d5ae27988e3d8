/*
 * Indicator exports as rule formats: the zeek and stix formats hand the indicators to the
 * writers of `foxhound ioc export` (ioc_export.h) and keep their output in memory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "foxhound/ioc_export.h"
#include "rule/rule_internal.h"

static int compare_indicators(const void *a, const void *b)
{
    const fh_indicator *x = *(const fh_indicator *const *)a;
    const fh_indicator *y = *(const fh_indicator *const *)b;
    if (x->type != y->type)
        return x->type < y->type ? -1 : 1;
    return strcmp(x->value, y->value);
}

/* Writes the indicators in type and value order, so the ip:port indicators of one address
 * are adjacent and the Zeek writer merges them into one ADDR line. */
static fh_status write_sorted(const rule_context *ctx, fh_ioc_writer *writer, fh_error *err)
{
    const fh_ioc_set *iocs = ctx->iocs;
    const fh_indicator **order = malloc((iocs->count ? iocs->count : 1) * sizeof *order);
    if (order == NULL)
        return rule_nomem(err, "an indicator export");
    for (size_t i = 0; i < iocs->count; i++)
        order[i] = &iocs->items[i];
    qsort(order, iocs->count, sizeof *order, compare_indicators);

    fh_status st = FH_OK;
    for (size_t i = 0; i < iocs->count && st == FH_OK; i++) {
        /* A record from a bare indicator: no source list and unknown database times. */
        fh_ioc_record record = {
            .ioc = *order[i], .created = FH_TIME_UNKNOWN, .modified = FH_TIME_UNKNOWN};
        st = fh_ioc_writer_write(writer, &record, err);
    }
    free(order);
    return st;
}

fh_status rule_export(const rule_context *ctx, int format, const char *name, fh_rule_output *out,
                      fh_error *err)
{
    char *text = NULL;
    size_t len = 0;
    FILE *stream = open_memstream(&text, &len);
    if (stream == NULL)
        return rule_nomem(err, name);

    fh_ioc_writer *writer = NULL;
    fh_status st = fh_ioc_writer_open((fh_ioc_export_format)format, stream, name, &writer, err);
    if (st == FH_OK)
        st = write_sorted(ctx, writer, err);
    if (st == FH_OK)
        st = fh_ioc_writer_finish(writer, err);
    if (st == FH_OK)
        out->rules = (size_t)fh_ioc_writer_count(writer);
    fh_ioc_writer_destroy(writer);
    if (fclose(stream) != 0 && st == FH_OK)
        st = rule_nomem(err, name);

    if (st == FH_OK) {
        fh_strbuf sb;
        fh_strbuf_init(&sb);
        fh_strbuf_append(&sb, text, len);
        st = rule_output_add(out, name, &sb, err);
    }
    free(text);
    return st;
}
