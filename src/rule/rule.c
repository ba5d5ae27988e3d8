/*
 * Rule generation: format and severity names, indicator selection, the facts every format
 * states about the indicators, and dispatch to the generator of each format.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/sha1.h"
#include "foxhound/datetime.h"
#include "foxhound/limits.h"
#include "rule/rule_internal.h"

static const char *const format_names[FH_RULE_FORMAT_COUNT] = {
    [FH_RULE_MARKDOWN] = "markdown", [FH_RULE_KQL] = "kql",     [FH_RULE_SENTINEL] = "sentinel",
    [FH_RULE_SPL] = "spl",           [FH_RULE_SIGMA] = "sigma", [FH_RULE_SURICATA] = "suricata",
    [FH_RULE_ZEEK] = "zeek",         [FH_RULE_STIX] = "stix",
};

static const rule_generator generators[FH_RULE_FORMAT_COUNT] = {
    [FH_RULE_MARKDOWN] = rule_markdown, [FH_RULE_KQL] = rule_kql,
    [FH_RULE_SENTINEL] = rule_sentinel, [FH_RULE_SPL] = rule_spl,
    [FH_RULE_SIGMA] = rule_sigma,       [FH_RULE_SURICATA] = rule_suricata,
    [FH_RULE_ZEEK] = rule_zeek,         [FH_RULE_STIX] = rule_stix,
};

static const char *const severity_names[] = {"Informational", "Low", "Medium", "High"};

/* Namespace of foxhound's rule ids: uuid5(NAMESPACE_URL, "foxhound:rule"), that is
 * 0c5607f9-db07-5088-bc98-8f5fa77c1675, fixed so that ids never change between releases. */
static const uint8_t rule_namespace[16] = {0x0c, 0x56, 0x07, 0xf9, 0xdb, 0x07, 0x50, 0x88,
                                           0xbc, 0x98, 0x8f, 0x5f, 0xa7, 0x7c, 0x16, 0x75};

const char *fh_rule_format_name(fh_rule_format format)
{
    return format < FH_RULE_FORMAT_COUNT ? format_names[format] : "unknown";
}

fh_status fh_rule_format_from_name(const char *name, fh_rule_format *out, fh_error *err)
{
    for (int f = 0; f < FH_RULE_FORMAT_COUNT; f++) {
        if (strcmp(name, format_names[f]) == 0) {
            *out = (fh_rule_format)f;
            return FH_OK;
        }
    }
    return fh_error_set(err, FH_ERR_USAGE, NULL, 0, 0,
                        "invalid rule format '%s'; expected markdown, kql, sentinel, spl, "
                        "sigma, suricata, zeek or stix",
                        name);
}

const char *fh_rule_severity_name(fh_rule_severity severity)
{
    return severity <= FH_SEVERITY_HIGH ? severity_names[severity] : "Medium";
}

fh_status fh_rule_severity_from_name(const char *name, fh_rule_severity *out, fh_error *err)
{
    for (int s = 0; s <= FH_SEVERITY_HIGH; s++) {
        if (strcasecmp(name, severity_names[s]) == 0) {
            *out = (fh_rule_severity)s;
            return FH_OK;
        }
    }
    return fh_error_set(err, FH_ERR_USAGE, NULL, 0, 0,
                        "invalid severity '%s'; expected Informational, Low, Medium or High", name);
}

void fh_rule_options_init(fh_rule_options *options)
{
    memset(options, 0, sizeof *options);
    options->severity = FH_SEVERITY_MEDIUM;
    options->sid_base = FH_RULE_SID_BASE_DEFAULT;
    options->dataset_threshold = FH_RULE_DATASET_THRESHOLD;
}

fh_status fh_rule_select(const fh_ioc_set *in, const fh_hunt_filter *filter, fh_ioc_set *out,
                         fh_error *err)
{
    for (size_t i = 0; i < in->count; i++) {
        if (!fh_hunt_filter_match(filter, &in->items[i]))
            continue;
        if (fh_ioc_set_find(out, in->items[i].type, in->items[i].value) != NULL)
            continue;
        fh_indicator copy;
        fh_indicator_init(&copy);
        fh_status st = fh_indicator_copy(&copy, &in->items[i], err);
        if (st == FH_OK)
            st = fh_ioc_set_add(out, &copy, err);
        fh_indicator_clear(&copy);
        if (st != FH_OK)
            return st;
    }
    return FH_OK;
}

const char *rule_threatfox_type(fh_ioc_type type)
{
    switch (type) {
    case FH_IOC_IPV4:
    case FH_IOC_IPV6:
        return "ip";
    case FH_IOC_IP_PORT:
        return "ip:port";
    case FH_IOC_CIDR:
        return "cidr";
    case FH_IOC_DOMAIN:
        return "domain";
    case FH_IOC_URL:
        return "url";
    case FH_IOC_MD5:
        return "md5_hash";
    case FH_IOC_SHA1:
        return "sha1_hash";
    case FH_IOC_SHA256:
        return "sha256_hash";
    default:
        return "unknown";
    }
}

bool rule_is_hash(fh_ioc_type type)
{
    return type == FH_IOC_MD5 || type == FH_IOC_SHA1 || type == FH_IOC_SHA256;
}

void rule_date(int64_t ticks, char *buf, size_t size)
{
    char text[FH_DATETIME_TEXT_MAX];
    fh_datetime_format(ticks, text, sizeof text);
    snprintf(buf, size, "%.10s", text);
}

void rule_type_list(const rule_facts *facts, fh_strbuf *sb)
{
    /* ThreatFox type names, so ipv4 and ipv6 share "ip" and are counted together. */
    const char *names[FH_IOC_TYPE_COUNT];
    size_t counts[FH_IOC_TYPE_COUNT];
    size_t n = 0;
    for (int t = 0; t < FH_IOC_TYPE_COUNT; t++) {
        if (facts->per_type[t] == 0)
            continue;
        const char *name = rule_threatfox_type((fh_ioc_type)t);
        size_t k = 0;
        while (k < n && strcmp(names[k], name) != 0)
            k++;
        if (k == n) {
            names[n] = name;
            counts[n++] = 0;
        }
        counts[k] += facts->per_type[t];
    }

    bool printed[FH_IOC_TYPE_COUNT] = {false};
    for (size_t round = 0; round < n; round++) {
        size_t best = n;
        for (size_t k = 0; k < n; k++) {
            if (!printed[k] && (best == n || counts[k] > counts[best]))
                best = k;
        }
        printed[best] = true;
        fh_strbuf_printf(sb, "%s%s", round > 0 ? ", " : "", names[best]);
    }
}

void rule_first_seen_phrase(const rule_facts *facts, fh_strbuf *sb)
{
    if (facts->first_seen_min == FH_TIME_UNKNOWN)
        return;
    char a[16], b[16];
    rule_date(facts->first_seen_min, a, sizeof a);
    rule_date(facts->first_seen_max, b, sizeof b);
    if (strcmp(a, b) == 0)
        fh_strbuf_puts(sb, a);
    else
        fh_strbuf_printf(sb, "between %s and %s", a, b);
}

static const char *common_family(const fh_ioc_set *iocs)
{
    const char *family = NULL;
    for (size_t i = 0; i < iocs->count; i++) {
        const char *f = iocs->items[i].family;
        if (f == NULL)
            continue;
        if (family == NULL)
            family = f;
        else if (strcasecmp(family, f) != 0)
            return "multiple families";
    }
    return family != NULL ? family : "unattributed";
}

static bool from_threatfox(const fh_ioc_set *iocs)
{
    for (size_t i = 0; i < iocs->count; i++) {
        const char *feed = iocs->items[i].source_feed;
        if (feed == NULL || (strcmp(feed, "threatfox") != 0 && strcmp(feed, "rulepage") != 0))
            return false;
    }
    return true;
}

static void make_slug(const char *family, char *slug, size_t size)
{
    size_t n = 0;
    for (const char *c = family; *c != '\0' && n + 1 < size; c++) {
        unsigned char ch = (unsigned char)*c;
        if (isalnum(ch) || ch == '-' || ch == '_')
            slug[n++] = (char)ch;
        else if (n > 0 && slug[n - 1] != '-')
            slug[n++] = '-';
    }
    while (n > 0 && slug[n - 1] == '-')
        n--;
    if (n == 0)
        n = (size_t)snprintf(slug, size, "indicators");
    slug[n] = '\0';
}

static fh_status count_threat(rule_facts *facts, const char *threat)
{
    const char *name = threat != NULL ? threat : "unknown";
    for (size_t k = 0; k < facts->nthreats; k++) {
        if (strcmp(facts->threats[k].name, name) == 0) {
            facts->threats[k].count++;
            return FH_OK;
        }
    }
    rule_threat_count *grown =
        realloc(facts->threats, (facts->nthreats + 1) * sizeof *facts->threats);
    if (grown == NULL)
        return FH_ERR_NOMEM;
    facts->threats = grown;
    facts->threats[facts->nthreats++] = (rule_threat_count){name, 1};
    return FH_OK;
}

static void count_times(rule_facts *facts, const fh_indicator *ioc)
{
    if (ioc->first_seen != FH_TIME_UNKNOWN) {
        if (facts->first_seen_min == FH_TIME_UNKNOWN || ioc->first_seen < facts->first_seen_min)
            facts->first_seen_min = ioc->first_seen;
        if (facts->first_seen_max == FH_TIME_UNKNOWN || ioc->first_seen > facts->first_seen_max)
            facts->first_seen_max = ioc->first_seen;
    }
    if (ioc->confidence != FH_CONFIDENCE_UNKNOWN) {
        if (facts->confidence_min == FH_CONFIDENCE_UNKNOWN ||
            ioc->confidence < facts->confidence_min)
            facts->confidence_min = ioc->confidence;
        if (ioc->confidence > facts->confidence_max)
            facts->confidence_max = ioc->confidence;
    }
}

static fh_status facts_build(const fh_ioc_set *iocs, const fh_rule_options *options,
                             rule_facts *facts, fh_error *err)
{
    memset(facts, 0, sizeof *facts);
    facts->first_seen_min = facts->first_seen_max = FH_TIME_UNKNOWN;
    facts->confidence_min = facts->confidence_max = FH_CONFIDENCE_UNKNOWN;
    facts->family = options->family != NULL ? options->family : common_family(iocs);
    facts->source = from_threatfox(iocs) ? "ThreatFox" : "Threat intel";
    snprintf(facts->title, sizeof facts->title, "%s: %s IOCs", facts->source, facts->family);
    make_slug(facts->family, facts->slug, sizeof facts->slug);

    for (size_t i = 0; i < iocs->count; i++) {
        const fh_indicator *ioc = &iocs->items[i];
        facts->total++;
        facts->per_type[ioc->type]++;
        count_times(facts, ioc);
        if (count_threat(facts, ioc->threat_type) != FH_OK)
            return rule_nomem(err, "indicator facts");
    }
    return FH_OK;
}

fh_status rule_table_kql(const rule_context *ctx, const fh_ioc_set *iocs, const char *table,
                         char **kql, fh_error *err)
{
    return fh_hunt_generate_kql(iocs, table, ctx->options->exclusions, FH_TIME_UNKNOWN,
                                FH_TIME_UNKNOWN, kql, err);
}

void rule_uuid(const rule_facts *facts, const char *table, unsigned part, char out[37])
{
    char name[FH_MAX_NAME_BYTES * 2];
    int n = snprintf(name, sizeof name, "%s|%s|%u", facts->family, table, part);
    size_t len = n < 0 ? 0 : (size_t)n >= sizeof name ? sizeof name - 1 : (size_t)n;
    fh_uuid_v5(rule_namespace, name, len, out);
}

fh_status rule_nomem(fh_error *err, const char *what)
{
    return fh_error_set(err, FH_ERR_NOMEM, NULL, 0, 0, "out of memory writing %s", what);
}

fh_status rule_output_add(fh_rule_output *out, const char *name, fh_strbuf *text, fh_error *err)
{
    if (fh_strbuf_status(text) != FH_OK) {
        fh_strbuf_free(text);
        return rule_nomem(err, name);
    }
    fh_rule_file *grown = realloc(out->files, (out->nfiles + 1) * sizeof *out->files);
    char *copy = strdup(name);
    if (grown != NULL)
        out->files = grown;
    if (grown == NULL || copy == NULL) {
        free(copy);
        fh_strbuf_free(text);
        return rule_nomem(err, name);
    }
    fh_rule_file *file = &out->files[out->nfiles++];
    file->name = copy;
    file->len = text->len;
    file->text = fh_strbuf_take(text);
    if (file->text == NULL) {
        /* An empty buffer has no allocation yet; an empty file is still a file. */
        file->text = calloc(1, 1);
        if (file->text == NULL)
            return rule_nomem(err, name);
    }
    return FH_OK;
}

void rule_output_leave_out(fh_rule_output *out, size_t n, const char *reason)
{
    if (n == 0)
        return;
    if (out->left_out == 0)
        snprintf(out->left_out_reason, sizeof out->left_out_reason, "%s", reason);
    out->left_out += n;
}

void fh_rule_output_free(fh_rule_output *out)
{
    if (out == NULL)
        return;
    for (size_t i = 0; i < out->nfiles; i++) {
        free(out->files[i].name);
        free(out->files[i].text);
    }
    free(out->files);
    memset(out, 0, sizeof *out);
}

fh_status fh_rule_generate(const fh_ioc_set *iocs, fh_rule_format format,
                           const fh_rule_options *options, fh_rule_output *out, fh_error *err)
{
    memset(out, 0, sizeof *out);
    if (format >= FH_RULE_FORMAT_COUNT)
        return fh_error_set(err, FH_ERR_USAGE, NULL, 0, 0, "invalid rule format %d", (int)format);
    if (iocs->count == 0)
        return fh_error_set(err, FH_ERR_NOT_FOUND, NULL, 0, 0,
                            "no indicators to write rules for; check the indicator files and "
                            "the selection options");

    fh_rule_options defaults;
    if (options == NULL) {
        fh_rule_options_init(&defaults);
        options = &defaults;
    }
    rule_context ctx = {.iocs = iocs, .options = options};
    fh_status st = facts_build(iocs, options, &ctx.facts, err);
    out->indicators = iocs->count;
    out->separator = "";
    if (st == FH_OK)
        st = generators[format](&ctx, out, err);
    if (st == FH_OK && out->ndocuments == 0)
        out->ndocuments = out->nfiles;
    free(ctx.facts.threats);
    if (st != FH_OK)
        fh_rule_output_free(out);
    return st;
}
