/*
 * STIX 2.x patterning, read far enough to pull indicators out of a pattern. A pattern is
 * parsed into disjunctive normal form: a list of alternatives (split at OR, and at IN lists),
 * each a list of comparisons that hold together (joined by AND). Each comparison keeps its
 * object path, operator and literal. Patterns with FOLLOWEDBY or a qualifier (WITHIN,
 * REPEATS, START/STOP) describe sequences of observations, not values, and are reported as
 * unsupported.
 */
#ifndef FH_STIX_PATTERN_H
#define FH_STIX_PATTERN_H

#include <stdbool.h>
#include <stddef.h>

#include "foxhound/error.h"

/* Maximum length of a kept object path or operator, in bytes. */
#define STIX_PATH_BYTES 160
#define STIX_OP_BYTES 24

typedef struct stix_comparison {
    char path[STIX_PATH_BYTES]; /* "ipv4-addr:value", "file:hashes.'SHA-256'" */
    char op[STIX_OP_BYTES];     /* "=", "!=", "LIKE", "ISSUBSET", "NOT =" ... */
    char *literal;              /* string contents with escapes undone, or number text */
    bool is_string;             /* the literal was quoted ('...'), not a number */
} stix_comparison;

typedef struct stix_alternative {
    size_t *terms; /* positions in stix_dnf.comparisons */
    size_t nterms;
} stix_alternative;

typedef struct stix_dnf {
    stix_comparison *comparisons;
    size_t ncomparisons, comparisons_cap;
    stix_alternative *alternatives;
    size_t nalternatives;
} stix_dnf;

/*
 * Parses pattern into out (which must be zeroed). Returns FH_ERR_PARSE for malformed text,
 * FH_ERR_UNSUPPORTED for sequences and qualifiers, FH_ERR_LIMIT when the alternatives would
 * hold more than FH_MAX_STIX_PATTERN_TERMS comparisons. err->message names the problem.
 */
fh_status stix_pattern_parse(const char *pattern, size_t len, stix_dnf *out, fh_error *err);

/* Frees what stix_pattern_parse allocated and zeroes dnf. */
void stix_dnf_clear(stix_dnf *dnf);

#endif
