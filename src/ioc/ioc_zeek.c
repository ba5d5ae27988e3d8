/*
 * Zeek Intelligence Framework file importer. The file is a Zeek input table: a "#fields"
 * line naming TAB-separated columns (indicator, indicator_type, meta.source, meta.desc,
 * meta.url, ...), then one indicator per line with exactly one TAB between fields and "-"
 * for an unset field. Other lines starting with '#' (#separator, #path, #open, ...) are
 * header lines.
 *
 * Intel::ADDR, SUBNET, DOMAIN, URL and FILE_HASH are imported. Zeek matches Intel::URL
 * against HTTP requests written without a scheme, so a URL without one gets "http://".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "foxhound/limits.h"
#include "ioc/ioc_internal.h"

enum { ZEEK_MAX_FIELDS = 32 };

typedef struct zeek_field {
    const char *s;
    size_t n;
} zeek_field;

typedef struct zeek_columns {
    int indicator, type, source, desc, url;
    size_t count;
} zeek_columns;

static size_t split_tabs(const char *s, size_t n, zeek_field *fields)
{
    size_t count = 0;
    size_t start = 0;
    for (size_t i = 0; i <= n && count < ZEEK_MAX_FIELDS; i++) {
        if (i < n && s[i] != '\t')
            continue;
        fields[count].s = s + start;
        fields[count].n = i - start;
        count++;
        start = i + 1;
    }
    return count;
}

static int find_column(const zeek_field *names, size_t count, const char *name)
{
    for (size_t i = 0; i < count; i++)
        if (names[i].n == strlen(name) && strncmp(names[i].s, name, names[i].n) == 0)
            return (int)i;
    return -1;
}

static fh_status read_fields_line(ioc_import *imp, unsigned long line, const char *s, size_t n,
                                  zeek_columns *c)
{
    zeek_field names[ZEEK_MAX_FIELDS];
    size_t count = split_tabs(s, n, names);
    /* The first name is "#fields" itself. */
    c->count = count - 1;
    c->indicator = find_column(names + 1, count - 1, "indicator");
    c->type = find_column(names + 1, count - 1, "indicator_type");
    c->source = find_column(names + 1, count - 1, "meta.source");
    c->desc = find_column(names + 1, count - 1, "meta.desc");
    c->url = find_column(names + 1, count - 1, "meta.url");
    if (c->indicator < 0 || c->type < 0)
        return fh_error_set(imp->err, FH_ERR_PARSE, imp->name, line, 1,
                            "Zeek intel #fields line has no %s column",
                            c->indicator < 0 ? "indicator" : "indicator_type");
    return FH_OK;
}

static bool type_is(const zeek_field *f, const char *name)
{
    return f->n == strlen(name) && strncmp(f->s, name, f->n) == 0;
}

static fh_status set_field(char **dst, const zeek_field *fields, int col)
{
    if (col < 0)
        return FH_OK;
    return ioc_set_text(dst, fields[col].s, fields[col].n);
}

/* Emits an Intel::URL, which Zeek writes without a scheme. */
static fh_status emit_url(ioc_import *imp, unsigned long line, const zeek_field *value,
                          const fh_indicator *meta)
{
    if (memmem(value->s, value->n, "://", 3) != NULL)
        return ioc_emit(imp, line, FH_IOC_URL, value->s, value->n, meta, NULL);
    char text[FH_MAX_INDICATOR_BYTES + 8];
    int n = snprintf(text, sizeof text, "http://%.*s", (int)value->n, value->s);
    return ioc_emit(imp, line, FH_IOC_URL, text, (size_t)n, meta, NULL);
}

static fh_status emit_typed(ioc_import *imp, unsigned long line, const zeek_field *type,
                            const zeek_field *value, const fh_indicator *meta)
{
    if (type_is(type, "Intel::ADDR") || type_is(type, "Intel::SUBNET"))
        return ioc_emit(imp, line, type_is(type, "Intel::ADDR") ? FH_IOC_IPV4 : FH_IOC_CIDR,
                        value->s, value->n, meta, NULL);
    if (type_is(type, "Intel::DOMAIN"))
        return ioc_emit(imp, line, FH_IOC_DOMAIN, value->s, value->n, meta, NULL);
    if (type_is(type, "Intel::URL"))
        return emit_url(imp, line, value, meta);
    if (type_is(type, "Intel::FILE_HASH")) {
        fh_ioc_type hash = value->n == 32   ? FH_IOC_MD5
                           : value->n == 40 ? FH_IOC_SHA1
                                            : FH_IOC_SHA256;
        return ioc_emit(imp, line, hash, value->s, value->n, meta, NULL);
    }
    char reason[96];
    snprintf(reason, sizeof reason, "Zeek indicator type %.*s is not hunted",
             (int)(type->n > 40 ? 40 : type->n), type->s);
    return fh_ioc_set_skip(imp->set, reason);
}

static fh_status zeek_row(ioc_import *imp, unsigned long line, const char *s, size_t n,
                          const zeek_columns *c)
{
    zeek_field fields[ZEEK_MAX_FIELDS];
    size_t count = split_tabs(s, n, fields);
    if (count != c->count) {
        char reason[96];
        snprintf(reason, sizeof reason, "line has %zu TAB-separated fields, #fields names %zu",
                 count, c->count);
        return ioc_reject(imp, line, s, n, reason);
    }

    fh_indicator meta;
    fh_indicator_init(&meta);
    fh_status st = ioc_set_text(&meta.source_feed, "zeek", 4);
    if (st == FH_OK)
        st = set_field(&meta.reporter, fields, c->source);
    if (st == FH_OK)
        st = set_field(&meta.description, fields, c->desc);
    if (st == FH_OK)
        st = set_field(&meta.reference, fields, c->url);
    if (st == FH_OK)
        st = emit_typed(imp, line, &fields[c->type], &fields[c->indicator], &meta);
    fh_indicator_clear(&meta);
    if (st == FH_ERR_NOMEM)
        return fh_error_set(imp->err, st, imp->name, line, 0, "out of memory");
    return st;
}

fh_status ioc_zeek(ioc_import *imp)
{
    zeek_columns columns = {.indicator = -1, .type = -1};
    bool have_fields = false;
    unsigned long line = 0;
    size_t pos = 0;

    const char *s;
    size_t n;
    while (ioc_next_line(imp->data, imp->len, &pos, &s, &n)) {
        line++;

        fh_status st = FH_OK;
        if (n >= 8 && memcmp(s, "#fields\t", 8) == 0) {
            st = read_fields_line(imp, line, s, n, &columns);
            have_fields = st == FH_OK;
        } else if (n == 0 || s[0] == '#') {
            continue;
        } else if (!have_fields) {
            st = fh_error_set(imp->err, FH_ERR_PARSE, imp->name, line, 1,
                              "Zeek intel data line before the #fields line");
        } else {
            st = zeek_row(imp, line, s, n, &columns);
        }
        if (st != FH_OK)
            return st;
    }
    return FH_OK;
}
