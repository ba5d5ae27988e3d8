/*
 * Hunting: indicators turned into one KQL query per Sentinel table, run on the engine over
 * log files, with named exclusions and a coverage note for each table the indicators call for.
 *
 * The generated query is the deployable rule: `foxhound rule --format kql` prints the same
 * text, so what a user tests locally is what they deploy. Matching is exact and type-aware.
 * Addresses and CIDRs match IP columns, and an ip:port matches its address with the port
 * reported. Domains match the host and its subdomains only, and URLs match URL columns. Each
 * hash type matches its own column, case-insensitively.
 */
#ifndef FOXHOUND_HUNT_H
#define FOXHOUND_HUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "foxhound/error.h"
#include "foxhound/indicator.h"
#include "foxhound/kql.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A named false-positive filter: a KQL predicate over the columns of the listed tables. */
typedef struct fh_exclusion {
    char *name;
    char *reason;
    char **tables;
    size_t ntables;
    char *where;              /* KQL predicate */
    unsigned long line;       /* line of the entry in its file */
    unsigned long where_line; /* line where the predicate's text starts */
} fh_exclusion;

typedef struct fh_exclusion_set {
    fh_exclusion *items;
    size_t count;
    char *source; /* file name, for errors */
} fh_exclusion_set;

/*
 * Reads a YAML file of exclusions (see examples/exclusions.yaml) and checks each predicate
 * against the columns of every table it lists (fh_exclusions_check). Errors name the file and
 * line.
 */
fh_status fh_exclusions_load(const char *path, fh_exclusion_set *out, fh_error *err);

/* Parses exclusions without checking their predicates. */
fh_status fh_exclusions_parse(const char *source, const char *data, size_t len,
                              fh_exclusion_set *out, fh_error *err);
void fh_exclusions_free(fh_exclusion_set *set);

/*
 * Parses and binds each predicate over the built-in schema of each table it lists, so that a
 * syntax error or unknown column is reported at the exclusion, with its file and line, before
 * any query or rule is written.
 */
fh_status fh_exclusions_check(const fh_exclusion_set *set, fh_error *err);

/* True when the exclusion applies to the table. */
bool fh_exclusion_applies(const fh_exclusion *exclusion, const char *table);

/* Indicator selection; zero values select everything. */
typedef struct fh_hunt_filter {
    int min_confidence;       /* 0 for any */
    int64_t first_seen_since; /* FH_TIME_UNKNOWN for any */
    const char *family;       /* case-insensitive, aliases too; NULL for any */
    unsigned types;           /* bit (1u << fh_ioc_type); 0 for every type */
} fh_hunt_filter;

/* True when the indicator passes the filter. */
bool fh_hunt_filter_match(const fh_hunt_filter *filter, const fh_indicator *ioc);

/* The tables hunt generates queries for, in report order; the list ends with NULL. */
const char *const *fh_hunt_tables(void);

/* True when some indicator in the set can match rows of the table. */
bool fh_hunt_table_needed(const fh_ioc_set *iocs, const char *table);

/*
 * Writes the hunting query for one table into *kql, which the caller frees. Returns
 * FH_ERR_NOT_FOUND when no indicator in the set applies to the table. Exclusions that apply
 * to the table become `where not(...)` clauses. start and end bound the event time, and
 * FH_TIME_UNKNOWN leaves a side open.
 */
fh_status fh_hunt_generate_kql(const fh_ioc_set *iocs, const char *table,
                               const fh_exclusion_set *exclusions, int64_t start, int64_t end,
                               char **kql, fh_error *err);

typedef struct fh_finding {
    int64_t time;      /* event time (TimeGenerated or Timestamp) */
    const char *table; /* static table name */
    char *host;        /* Computer or DeviceName */
    char *matched_column;
    char *matched_value;
    const fh_indicator *indicator; /* points into the hunted indicator set */
    bool port_match;        /* ip:port indicators: the event's port on the indicator's side */
    bool before_first_seen; /* the event is older than the indicator's first seen */
    const fh_exclusion *suppressed_by; /* NULL for a finding that was not suppressed */
    char *details;                     /* JSON object of the table's context columns */
    uint32_t order;                    /* result position, for a stable sort */
} fh_finding;

typedef enum fh_coverage_kind {
    FH_COVERAGE_MISSING = 0, /* the indicators call for the table but no log feeds it */
    FH_COVERAGE_EMPTY,       /* logs feed the table but none of its rows is in the range */
} fh_coverage_kind;

typedef struct fh_coverage_note {
    const char *table;
    fh_coverage_kind kind;
    char message[256];
} fh_coverage_note;

typedef struct fh_hunt_table_report {
    const char *table;
    bool hunted; /* a query ran for this table */
    uint64_t findings;
    uint64_t suppressed;
} fh_hunt_table_report;

typedef struct fh_hunt_result {
    fh_finding *findings; /* newest first */
    size_t nfindings;
    fh_finding *suppressed; /* newest first */
    size_t nsuppressed;
    uint64_t *suppressed_per_exclusion; /* parallel to the exclusion set */
    fh_coverage_note *notes;
    size_t nnotes;
    fh_hunt_table_report tables[8];
    size_t ntables;
} fh_hunt_result;

typedef struct fh_hunt_options {
    int64_t start; /* FH_TIME_UNKNOWN for open ranges */
    int64_t end;
    int threads; /* 1 hunts one table after another; any other value hunts tables at once */
} fh_hunt_options;

/*
 * Runs the hunt over every table the engine has and the indicators call for, collects
 * findings (with indicator context) and suppressed findings, and writes coverage notes.
 */
fh_status fh_hunt_run(fh_kql_engine *engine, const fh_ioc_set *iocs,
                      const fh_exclusion_set *exclusions, const fh_hunt_options *options,
                      fh_hunt_result *out, fh_error *err);

void fh_hunt_result_free(fh_hunt_result *result);

#ifdef __cplusplus
}
#endif

#endif
