/*
 * Shared parts of the rule generators: the facts a rule states (family, counts, dates), the
 * hunting query per table, stable ids and file names, and the list of output files.
 */
#ifndef FOXHOUND_RULE_INTERNAL_H
#define FOXHOUND_RULE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/strbuf.h"
#include "foxhound/rule.h"

/* One threat type ("botnet_cc") and how many indicators carry it. */
typedef struct rule_threat_count {
    const char *name; /* points into the indicator set; "unknown" when none */
    size_t count;
} rule_threat_count;

/* Facts about the indicator set that titles and descriptions state. */
typedef struct rule_facts {
    const char *family; /* the rule's family: given, shared by all, or "multiple families" */
    const char *source; /* "ThreatFox" when every indicator came from it, else "Threat intel" */
    char title[320];    /* "ThreatFox: PureRAT IOCs" */
    char slug[96];      /* family for file names: letters, digits, '-', '_' */
    size_t total;
    size_t per_type[FH_IOC_TYPE_COUNT];
    rule_threat_count *threats; /* in first-seen order */
    size_t nthreats;
    int64_t first_seen_min, first_seen_max; /* FH_TIME_UNKNOWN when no indicator has one */
    int confidence_min, confidence_max;     /* FH_CONFIDENCE_UNKNOWN when none has one */
} rule_facts;

/* The inputs of one generator run. */
typedef struct rule_context {
    const fh_ioc_set *iocs;
    const fh_rule_options *options;
    rule_facts facts;
} rule_context;

typedef fh_status (*rule_generator)(rule_context *ctx, fh_rule_output *out, fh_error *err);

fh_status rule_markdown(rule_context *ctx, fh_rule_output *out, fh_error *err);
fh_status rule_kql(rule_context *ctx, fh_rule_output *out, fh_error *err);
fh_status rule_sentinel(rule_context *ctx, fh_rule_output *out, fh_error *err);
fh_status rule_spl(rule_context *ctx, fh_rule_output *out, fh_error *err);
fh_status rule_sigma(rule_context *ctx, fh_rule_output *out, fh_error *err);
fh_status rule_suricata(rule_context *ctx, fh_rule_output *out, fh_error *err);
fh_status rule_zeek(rule_context *ctx, fh_rule_output *out, fh_error *err);
fh_status rule_stix(rule_context *ctx, fh_rule_output *out, fh_error *err);

/* ThreatFox's name for an indicator type: "ip:port", "sha256_hash", ...; "ip" for plain
 * addresses and "cidr" for ranges, which ThreatFox does not list. */
const char *rule_threatfox_type(fh_ioc_type type);

/* Appends the indicator types present, most frequent first: "ip:port, sha256_hash". */
void rule_type_list(const rule_facts *facts, fh_strbuf *sb);

/* Appends "2026-06-11" or "between 2026-06-01 and 2026-06-11"; nothing when unknown. */
void rule_first_seen_phrase(const rule_facts *facts, fh_strbuf *sb);

/* Writes a date as YYYY-MM-DD into buf (at least 11 bytes). */
void rule_date(int64_t ticks, char *buf, size_t size);

/* True when the indicator is a hash (md5, sha1, sha256). */
bool rule_is_hash(fh_ioc_type type);

/*
 * Writes the hunting query of one table for iocs (fh_hunt_generate_kql with the options'
 * exclusions and no time bounds). FH_ERR_NOT_FOUND when no indicator applies to the table.
 */
fh_status rule_table_kql(const rule_context *ctx, const fh_ioc_set *iocs, const char *table,
                         char **kql, fh_error *err);

/*
 * Writes every indicator, in type and value order, through the indicator export writer of
 * format (an fh_ioc_export_format) into one file named name. Used by the zeek and stix
 * formats, so that `rule` and `ioc export` write the same bytes.
 */
fh_status rule_export(const rule_context *ctx, int format, const char *name, fh_rule_output *out,
                      fh_error *err);

/* Writes the RFC 4122 version 5 UUID of "family|table|part" in foxhound's rule namespace. */
void rule_uuid(const rule_facts *facts, const char *table, unsigned part, char out[37]);

/* Appends a file that takes over the buffer's text; FH_ERR_NOMEM when the buffer failed. */
fh_status rule_output_add(fh_rule_output *out, const char *name, fh_strbuf *text, fh_error *err);

/* Counts n indicators as left out with reason (the first reason given is kept). */
void rule_output_leave_out(fh_rule_output *out, size_t n, const char *reason);

/* Returns FH_ERR_NOMEM through err with a message naming what was being written. */
fh_status rule_nomem(fh_error *err, const char *what);

#endif
