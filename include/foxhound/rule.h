/*
 * Detection content from indicators: a rule page in markdown, the hunting KQL, Microsoft
 * Sentinel analytic rules, Splunk searches, Sigma rules, Suricata rules, a Zeek intel file and
 * a STIX 2.1 bundle.
 *
 * Every KQL text a generator writes (the kql and sentinel formats, and the queries on a rule
 * page) comes from fh_hunt_generate_kql, so a rule behaves as `foxhound hunt` did on the
 * same indicators. Output is stable: the same indicators and options give the same bytes,
 * and rule ids are name-based UUIDs of the family, table and part number.
 */
#ifndef FOXHOUND_RULE_H
#define FOXHOUND_RULE_H

#include <stddef.h>
#include <stdint.h>

#include "foxhound/error.h"
#include "foxhound/hunt.h"
#include "foxhound/indicator.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum fh_rule_format {
    FH_RULE_MARKDOWN = 0, /* rule page: summary, indicator table, queries, false positives */
    FH_RULE_KQL,          /* the hunting query of every table, as hunt runs it */
    FH_RULE_SENTINEL,     /* Sentinel scheduled analytic rules, one YAML document each */
    FH_RULE_SPL,          /* Splunk searches, one per table */
    FH_RULE_SIGMA,        /* Sigma rules, one per table */
    FH_RULE_SURICATA,     /* Suricata rules, with dataset and hash list files when needed */
    FH_RULE_ZEEK,         /* Zeek Intelligence Framework file */
    FH_RULE_STIX,         /* STIX 2.1 bundle of indicator objects */
    FH_RULE_FORMAT_COUNT
} fh_rule_format;

/* Returns the format's name as the CLI spells it: "markdown", "kql", "sentinel", ... */
const char *fh_rule_format_name(fh_rule_format format);

/* Parses a format name; FH_ERR_USAGE lists the accepted names. */
fh_status fh_rule_format_from_name(const char *name, fh_rule_format *out, fh_error *err);

/* Alert severity, with Sentinel's names. Sigma levels map to low, low, medium and high. */
typedef enum fh_rule_severity {
    FH_SEVERITY_INFORMATIONAL = 0,
    FH_SEVERITY_LOW,
    FH_SEVERITY_MEDIUM,
    FH_SEVERITY_HIGH,
} fh_rule_severity;

/* Returns "Informational", "Low", "Medium" or "High". */
const char *fh_rule_severity_name(fh_rule_severity severity);

/* Parses a severity name, ignoring case; FH_ERR_USAGE lists the accepted names. */
fh_status fh_rule_severity_from_name(const char *name, fh_rule_severity *out, fh_error *err);

/* First Suricata SID when the caller gives none: the start of the local-use range. */
#define FH_RULE_SID_BASE_DEFAULT 9000000u

typedef struct fh_rule_options {
    const char *family; /* malware family that names the rules; NULL takes the family every
                           indicator shares, else "multiple families" */
    const fh_exclusion_set *exclusions; /* appended to KQL and listed as false positives;
                                           NULL for none */
    fh_rule_severity severity;          /* default FH_SEVERITY_MEDIUM */
    uint32_t sid_base;                  /* Suricata: first SID */
    size_t dataset_threshold; /* Suricata: a list longer than this goes to a dataset file */
} fh_rule_options;

/* Sets the defaults: no family, no exclusions, Medium, SID base 9000000, and the dataset
 * threshold FH_RULE_DATASET_THRESHOLD from limits.h. */
void fh_rule_options_init(fh_rule_options *options);

/* One generated file. */
typedef struct fh_rule_file {
    char *name; /* file name without a folder, such as "PureRAT-CommonSecurityLog.yaml" */
    char *text;
    size_t len;
} fh_rule_file;

typedef struct fh_rule_output {
    fh_rule_file *files; /* documents first, then the support files they load */
    size_t nfiles;
    size_t ndocuments;         /* files[0 .. ndocuments) are documents; the rest are support files
                                  (Suricata datasets and hash lists) that must sit beside them */
    const char *separator;     /* written between documents sent to one stream */
    size_t rules;              /* rules, queries or intel entries written */
    size_t split_tables;       /* Sentinel: tables whose query was split into parts to fit */
    size_t indicators;         /* indicators in the input */
    size_t left_out;           /* indicators the format cannot express (counted, not written) */
    char left_out_reason[160]; /* why, when left_out > 0 */
} fh_rule_output;

/*
 * Writes the rules of one format for every indicator in iocs (select them first with
 * fh_rule_select). FH_ERR_NOT_FOUND when no indicator can be expressed in the format or the
 * set is empty. out is filled on success and must be freed with fh_rule_output_free.
 */
fh_status fh_rule_generate(const fh_ioc_set *iocs, fh_rule_format format,
                           const fh_rule_options *options, fh_rule_output *out, fh_error *err);

/* Frees the files of an output and zeroes it. Accepts NULL. */
void fh_rule_output_free(fh_rule_output *out);

/* Copies the indicators of in that pass filter (NULL for all) into out, which must be
 * initialised. */
fh_status fh_rule_select(const fh_ioc_set *in, const fh_hunt_filter *filter, fh_ioc_set *out,
                         fh_error *err);

#ifdef __cplusplus
}
#endif

#endif
