/*
 * Helpers shared by the indicator model and the importers: value syntax checks, metadata
 * coercion (the "None", "" and null spellings of a missing value, "75%" confidences,
 * "... UTC" times) and the import context that each format parser fills.
 */
#ifndef FH_IOC_INTERNAL_H
#define FH_IOC_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "foxhound/error.h"
#include "foxhound/indicator.h"
#include "foxhound/ioc_import.h"
#include "foxhound/limits.h"

/* Maximum length of the raw value kept in a reject record, in bytes. */
#define IOC_REJECT_VALUE_BYTES 200

/* Value syntax (ioc_normalize.c). Each returns FH_ERR_INVALID with a reason in err. */
fh_status ioc_norm_ipv4(const char *s, size_t n, fh_indicator *out, fh_error *err);
fh_status ioc_norm_ipv6(const char *s, size_t n, fh_indicator *out, fh_error *err);
fh_status ioc_norm_ip_port(const char *s, size_t n, fh_indicator *out, fh_error *err);
fh_status ioc_norm_cidr(const char *s, size_t n, fh_indicator *out, fh_error *err);
fh_status ioc_norm_hash(fh_ioc_type type, const char *s, size_t n, fh_indicator *out,
                        fh_error *err);
fh_status ioc_norm_domain(const char *s, size_t n, fh_indicator *out, fh_error *err);
fh_status ioc_norm_url(const char *s, size_t n, fh_indicator *out, fh_error *err);

/* Normalises an IPv4 or IPv6 address, or a CIDR when the value has a '/'. */
fh_status ioc_norm_address(const char *s, size_t n, fh_indicator *out, fh_error *err);

/* Parses 1-9 decimal digits into 0-max; false for anything else. */
bool ioc_parse_decimal(const char *s, size_t n, int max, int *out);

/* True when every byte is a hex digit. */
bool ioc_is_hex(const char *s, size_t n);

/* Strings and metadata (ioc_meta.c). */

/* Returns the next line of data from *pos without "\n" or "\r\n"; false at the end. */
bool ioc_next_line(const char *data, size_t len, size_t *pos, const char **line, size_t *n);

char *ioc_strndup(const char *s, size_t n);

/* Replaces *dst with a copy of s (NULL or a null spelling clears it). */
fh_status ioc_set_text(char **dst, const char *s, size_t n);

/* True for the spellings of a missing value: "", "None", "none", "null", "-". */
bool ioc_is_null_text(const char *s, size_t n);

/*
 * Appends a tag or alias unless it is already there or empty. Returns FH_ERR_LIMIT past
 * FH_MAX_IOC_TAGS, which ioc_list_status turns into a counted skip.
 */
fh_status ioc_add_tag(fh_indicator *ioc, const char *s, size_t n);
fh_status ioc_add_alias(fh_indicator *ioc, const char *s, size_t n);

/* Splits a list joined by sep ("a,b,c") into tags or aliases. */
fh_status ioc_add_tag_list(fh_indicator *ioc, const char *s, size_t n, char sep);
fh_status ioc_add_alias_list(fh_indicator *ioc, const char *s, size_t n, char sep);

/* Parses "75", "75%" or " 75 " into 0-100; returns false when it is none of them. */
bool ioc_parse_confidence(const char *s, size_t n, int *out);

/*
 * Parses a feed time ("2026-06-11", "2022-01-07 16:29:58 UTC", RFC 3339) into ticks;
 * returns false when it does not parse. A null spelling gives FH_TIME_UNKNOWN and true.
 */
bool ioc_parse_time(const char *s, size_t n, int64_t *out);

/*
 * Converts the exact "YYYY-MM-DD HH:MM:SS" shape of ThreatFox exports to ticks without the
 * general parser. Returns false for any other text and for a date or time out of range, so
 * that ioc_parse_time hands those to fh_datetime_parse and its result and error stay the same.
 */
bool ioc_parse_time_fast(const char *s, size_t n, int64_t *out);

/* Trims ASCII white space from both ends of [*s, *s + *n). */
void ioc_trim(const char **s, size_t *n);

/*
 * Reused storage for one record's metadata (ioc_scratch.c), so that an importer fills an
 * indicator's strings without a malloc per record. The strings stay valid until the next
 * ioc_scratch_begin.
 */
typedef struct ioc_scratch {
    char *buf;
    size_t cap, used;
    char *tags[FH_MAX_IOC_TAGS];
    char *aliases[FH_MAX_IOC_TAGS];
} ioc_scratch;

/*
 * Empties the scratch, makes room for bytes of strings and points meta (re-initialised and
 * borrowed) at the scratch lists. bytes must cover every string and NUL the record adds.
 */
fh_status ioc_scratch_begin(ioc_scratch *scratch, size_t bytes, fh_indicator *meta);

/* Frees the buffer. Accepts NULL. */
void ioc_scratch_free(ioc_scratch *scratch);

/*
 * The scratch forms of ioc_set_text, ioc_add_tag, ioc_add_alias and the list splitters, with
 * the same trimming, null spellings, duplicate checks and FH_ERR_LIMIT past FH_MAX_IOC_TAGS.
 * They return FH_ERR_INTERNAL when the bytes given to ioc_scratch_begin run out.
 */
fh_status ioc_scratch_text(ioc_scratch *scratch, char **dst, const char *s, size_t n);
fh_status ioc_scratch_tag(ioc_scratch *scratch, fh_indicator *meta, const char *s, size_t n);
fh_status ioc_scratch_alias(ioc_scratch *scratch, fh_indicator *meta, const char *s, size_t n);
fh_status ioc_scratch_tag_list(ioc_scratch *scratch, fh_indicator *meta, const char *s, size_t n,
                               char sep);
fh_status ioc_scratch_alias_list(ioc_scratch *scratch, fh_indicator *meta, const char *s, size_t n,
                                 char sep);

/* Import context: one document being read into one set. */
typedef struct ioc_import {
    const char *name; /* source name used in errors and rejects */
    const char *data;
    size_t len;
    fh_ioc_set *set;
    fh_error *err;
    bool locate_json;        /* rejects without a line get one from ioc_locate_line */
    const char *locate_key;  /* string to locate instead of the raw value (a STIX id) */
    const char *located_key; /* the key found last, and its line */
    unsigned long located_line;
    size_t locate_from; /* search start for ioc_locate_line, moves forward */
    size_t counted_pos; /* ioc_locate_line has counted newlines up to here */
    unsigned long counted_line;
    ioc_scratch scratch; /* metadata of the record being imported; freed by the caller */
} ioc_import;

/*
 * Normalises raw as type, copies the metadata of meta (which may be NULL) and adds the
 * result to the set. An invalid value becomes a reject at line with the reason, prefixed by
 * where ("data[3].ioc: ") when where is not NULL, and the call still returns FH_OK.
 */
fh_status ioc_emit(ioc_import *imp, unsigned long line, fh_ioc_type type, const char *raw,
                   size_t len, const fh_indicator *meta, const char *where);

/*
 * Records a reject; with line 0 in a JSON document the line is looked up with
 * ioc_locate_line (of locate_key when set, else of the raw value).
 */
fh_status ioc_reject(ioc_import *imp, unsigned long line, const char *raw, size_t len,
                     const char *reason);

/*
 * Returns the 1-based line of the next occurrence of value as a JSON string in the document,
 * searching forward from the last hit, or 0 when it is not found. Jansson keeps no
 * positions, so this is how JSON rejects get a line.
 */
unsigned long ioc_locate_line(ioc_import *imp, const char *value);

/*
 * Turns the status of ioc_add_tag and friends into the import's status: a tag over the cap
 * is counted as skipped, and running out of memory fills imp->err.
 */
fh_status ioc_list_status(ioc_import *imp, fh_status st);

/*
 * Makes room for count indicators (at most FH_MAX_INDICATORS) in items and the index, so
 * that a large import neither copies items nor rebuilds the index while it grows.
 */
fh_status ioc_set_reserve(fh_ioc_set *set, size_t count);

/* Moves everything from src into dst (items, rejects, skips); src is left empty. */
fh_status ioc_set_merge(fh_ioc_set *dst, fh_ioc_set *src, fh_error *err);

/* An address taken from an indicator (ioc_flag.c). */
typedef struct ioc_address {
    int family;              /* AF_INET or AF_INET6 */
    unsigned char bytes[16]; /* network byte order; IPv4 uses the first 4 */
    int bits;                /* prefix length of a CIDR, -1 for a single address */
} ioc_address;

/* Reads the address of an IPv4, IPv6, ip:port, CIDR or URL-with-address-host indicator. */
bool ioc_indicator_address(const fh_indicator *ioc, ioc_address *out);

/* True when addr (a single address or a CIDR) overlaps network/bits of the same family. */
bool ioc_address_in(const ioc_address *addr, int family, const unsigned char *network, int bits);

/* Format parsers (one file each). */
fh_status ioc_threatfox_json(ioc_import *imp, json_t *root);
fh_status ioc_threatfox_csv(ioc_import *imp);

/* Positions of the ThreatFox CSV export's columns in a row, -1 for a missing column. */
typedef struct ioc_tf_columns {
    int first_seen, id, value, ioc_type, threat_type, malware, alias, printable, last_seen;
    int confidence, compromised, reference, tags, reporter;
    size_t count;
} ioc_tf_columns;

/* A ThreatFox CSV import that reads its input in blocks of whole lines. */
typedef struct ioc_tf_csv {
    ioc_tf_columns columns;
    bool have_header;
    unsigned long line; /* lines read so far */
} ioc_tf_csv;

void ioc_threatfox_csv_begin(ioc_tf_csv *csv);

/*
 * Imports every line of data; only the last block of an input may end without a newline.
 * Lines are numbered on from the previous block.
 */
fh_status ioc_threatfox_csv_lines(ioc_import *imp, ioc_tf_csv *csv, const char *data, size_t len);
fh_status ioc_rulepage(ioc_import *imp);
fh_status ioc_stix(ioc_import *imp, json_t *root);
fh_status ioc_misp(ioc_import *imp, json_t *root);
fh_status ioc_zeek(ioc_import *imp);
fh_status ioc_text(ioc_import *imp);

/* Detects the JSON format from the structure of a parsed document. */
fh_ioc_format ioc_detect_json(json_t *root);

/* JSON helpers for importers: a string member or NULL (null and non-strings give NULL). */
const char *ioc_json_str(json_t *obj, const char *key);

/* Copies a string member into *dst when it is present and not a null spelling. */
fh_status ioc_json_text(json_t *obj, const char *key, char **dst);

#endif
