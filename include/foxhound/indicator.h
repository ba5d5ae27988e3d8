/*
 * Threat-intelligence indicators: the model, normalisation, and a set that importers fill.
 *
 * Every value is stored in one canonical form so that the same indicator from two feeds is
 * one row: refanged, IPv4 dotted-decimal without leading zeros, IPv6 in RFC 5952 form, hashes
 * lowercase, domains lowercase without a trailing dot, URLs with scheme and host lowercase
 * and the rest kept as written. An ip:port is "ADDR:PORT" for IPv4 and "[ADDR]:PORT" for
 * IPv6; a CIDR is "ADDR/BITS" with the host bits zero.
 */
#ifndef FOXHOUND_INDICATOR_H
#define FOXHOUND_INDICATOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "foxhound/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum fh_ioc_type {
    FH_IOC_IPV4 = 0,
    FH_IOC_IPV6,
    FH_IOC_IP_PORT,
    FH_IOC_CIDR,
    FH_IOC_DOMAIN,
    FH_IOC_URL,
    FH_IOC_MD5,
    FH_IOC_SHA1,
    FH_IOC_SHA256,
    FH_IOC_TYPE_COUNT
} fh_ioc_type;

/* Returns the type's name as used in output and filters: "ipv4", "ip:port", "sha256", ... */
const char *fh_ioc_type_name(fh_ioc_type type);

/* Parses a type name, accepting foxhound's names and feed names ("sha256_hash", "ip-dst"). */
fh_status fh_ioc_type_from_name(const char *name, size_t len, fh_ioc_type *out);

/* Sentinel for an unknown confidence or time. */
#define FH_CONFIDENCE_UNKNOWN (-1)
#define FH_TIME_UNKNOWN INT64_MIN

/*
 * The small fields come first so that they share one 16-byte block: a set of a million
 * indicators contains a million of these, 144 bytes each on 64-bit targets.
 */
typedef struct fh_indicator {
    fh_ioc_type type;
    uint16_t port;       /* ip:port: 1-65535; otherwise 0 */
    uint8_t prefix_bits; /* CIDR: 0-32 or 0-128; otherwise 0 */
    bool borrowed;       /* the strings belong to someone else, usually an fh_ioc_set's pool,
                            so fh_indicator_clear frees none of them */
    int confidence;      /* 0-100, or FH_CONFIDENCE_UNKNOWN */
    char *value;         /* canonical form, see above */
    char *address;       /* ip:port and CIDR: the address part; otherwise NULL */
    char *family;        /* malware family as printed by the feed ("PureRAT"); NULL if none */
    char **aliases;      /* other family names */
    size_t naliases;
    char *threat_type;  /* "botnet_cc", "payload", "payload_delivery", ...; NULL if none */
    int64_t first_seen; /* 100 ns ticks since the Unix epoch (a datetime), or FH_TIME_UNKNOWN */
    int64_t last_seen;
    char **tags;
    size_t ntags;
    char *reference; /* link to a report */
    char *reporter;
    char *source_feed; /* "threatfox", "stix", "misp", "rulepage", "zeek", "text", ... */
    char *source_id;   /* the id in that feed, such as a ThreatFox ioc id */
    char *description; /* context from the feed: a MISP event title, a STIX name, a Zeek
                          meta.desc; NULL if none */
    char *flag;        /* why the value looks like a false positive (private range,
                          documentation range, warninglist name); NULL when not flagged */
} fh_indicator;

/*
 * Normalises a raw (possibly defanged) value of a known type into out->type, out->value,
 * out->address, out->port and out->prefix_bits. On failure returns FH_ERR_INVALID with a
 * reason such as "sha256 has 63 hex digits, expected 64" in err->message (source and line
 * are left for the caller). out->type may differ from type where feeds label loosely: IPV4
 * and IPV6 accept either family and a CIDR, an IPv4-mapped IPv6 address becomes IPV4, and an
 * IP_PORT without a port becomes the bare address (any port).
 */
fh_status fh_indicator_normalize(fh_ioc_type type, const char *raw, size_t len, fh_indicator *out,
                                 fh_error *err);

/* Guesses the type of a raw value and normalises it; FH_ERR_INVALID when it is none of them. */
fh_status fh_indicator_parse_any(const char *raw, size_t len, fh_indicator *out, fh_error *err);

/*
 * Refangs a defanged value ("hxxp", "[.]", "(.)", "[dot]", "[:]", "[at]", ...) into buf.
 * Returns the length written or, when buf is too small, the length needed.
 */
size_t fh_refang(const char *raw, size_t len, char *buf, size_t size);

/* Defangs a canonical value for display in a rule page ("80[.]76[.]49[.]194:56003"). */
size_t fh_defang(const char *value, fh_ioc_type type, char *buf, size_t size);

/* Sets every field to empty or unknown. */
void fh_indicator_init(fh_indicator *ioc);

/* Frees the strings an indicator owns (none when borrowed) and re-initialises it. Accepts NULL. */
void fh_indicator_clear(fh_indicator *ioc);

/* Deep-copies src into dst (which must be initialised or cleared); dst owns its copies. */
fh_status fh_indicator_copy(fh_indicator *dst, const fh_indicator *src, fh_error *err);

/* One rejected input value, kept so that an import can report what it did not take. */
typedef struct fh_ioc_reject {
    char *source;       /* file name */
    unsigned long line; /* 1-based, 0 if unknown */
    char *value;        /* the raw value, truncated to a readable length */
    char *reason;
} fh_ioc_reject;

/* A reason for skipping input entries, with how many were skipped for it. */
typedef struct fh_ioc_skip {
    char *reason; /* "MISP type 'regkey|value' is not hunted", "STIX operator LIKE" */
    uint64_t count;
} fh_ioc_skip;

/* Newest items of a set whose index slots are written later (see fh_ioc_set.pending). */
#define FH_IOC_SET_PENDING 8

/* Storage for the strings of a set's indicators, private to the set. */
typedef struct fh_ioc_pool fh_ioc_pool;

/*
 * Indicators in input order. Every string of items[i] lives in the set's pool (items are
 * borrowed), so the strings stay valid until fh_ioc_set_clear and must not be freed or
 * modified by callers. fh_ioc_set_find only finds items at the positions where
 * fh_ioc_set_add put them, so drop items with fh_ioc_set_retain rather than by moving them.
 */
typedef struct fh_ioc_set {
    fh_indicator *items;
    size_t count, cap;
    fh_ioc_reject *rejects;
    size_t nrejects, rejects_cap;
    uint64_t rejected_total; /* may exceed nrejects: only the first rejects are kept */
    uint64_t skipped_total;  /* entries of types foxhound does not hunt (email, filename) */
    fh_ioc_skip *skips;      /* skipped_total broken down by reason, in first-seen order */
    size_t nskips, skips_cap;
    fh_ioc_pool *pool; /* the strings of items; NULL until the first add */
    uint64_t *index;   /* open-addressing hash of (type, value): a 32-bit hash of the key in
                          the high half of a slot, items position + 1 in the low half, 0 when
                          the slot is empty */
    size_t index_cap;  /* slots in index: 0 or a power of two */
    uint64_t pending[FH_IOC_SET_PENDING]; /* index slots of the newest items, written to the
                                             index a few adds later so that the slot is
                                             prefetched first; fh_ioc_set_find checks them */
    size_t npending;
} fh_ioc_set;

void fh_ioc_set_init(fh_ioc_set *set);
void fh_ioc_set_clear(fh_ioc_set *set);

/* Returns the first indicator with this type and canonical value, or NULL. */
const fh_indicator *fh_ioc_set_find(const fh_ioc_set *set, fh_ioc_type type, const char *value);

/*
 * Keeps the indicators for which keep(ioc, ctx) returns true, in their order, drops the
 * others and rebuilds the index so that fh_ioc_set_find finds the kept ones. Returns how many
 * were kept.
 */
size_t fh_ioc_set_retain(fh_ioc_set *set, bool (*keep)(const fh_indicator *ioc, void *ctx),
                         void *ctx);

/*
 * Appends an indicator. Its strings are copied into the set's pool (repeated metadata is
 * stored once), then ioc is cleared: the strings it owns are freed and it is re-initialised.
 */
fh_status fh_ioc_set_add(fh_ioc_set *set, fh_indicator *ioc, fh_error *err);

/* Records a rejected value with its reason. */
fh_status fh_ioc_set_reject(fh_ioc_set *set, const char *source, unsigned long line,
                            const char *value, size_t value_len, const char *reason);

/* Counts one skipped input entry under reason (skipped_total and the per-reason count). */
fh_status fh_ioc_set_skip(fh_ioc_set *set, const char *reason);

/* Returns the count recorded for reason, 0 when it was never used. */
uint64_t fh_ioc_set_skip_count(const fh_ioc_set *set, const char *reason);

#ifdef __cplusplus
}
#endif

#endif
