/*
 * The indicator database: an SQLite file that keeps indicators from every import, merged on
 * (type, value), with queries, counts and Sentinel's ThreatIntelligenceIndicator table on top.
 *
 * An import is one transaction. A value already in the database is merged, never duplicated:
 * the earliest first seen and the latest last seen win, tags, aliases and sources (feed and
 * id) are united, the first family and false-positive flag stay, and the highest confidence
 * wins. A failed import rolls back and leaves the file as it was.
 */
#ifndef FOXHOUND_IOC_STORE_H
#define FOXHOUND_IOC_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "foxhound/error.h"
#include "foxhound/indicator.h"
#include "foxhound/table.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Schema version kept in PRAGMA user_version. */
#define FH_IOC_STORE_SCHEMA_VERSION 1

typedef struct fh_ioc_store fh_ioc_store;

/* Flags for fh_ioc_store_open. */
enum {
    FH_IOC_STORE_READONLY = 1 << 0, /* open an existing file without writing to it */
    FH_IOC_STORE_MKDIRS = 1 << 1,   /* create missing parent folders (mode 0700) */
};

/*
 * Finds the database path: $FOXHOUND_DB when set, else $XDG_DATA_HOME/foxhound/indicators.db,
 * else ~/.local/share/foxhound/indicators.db. Sets *is_default to false for $FOXHOUND_DB (may
 * be NULL). Returns a malloc'd string in *out, or FH_ERR_NOT_FOUND when neither
 * XDG_DATA_HOME nor HOME is set.
 */
fh_status fh_ioc_store_default_path(char **out, bool *is_default, fh_error *err);

/*
 * Opens a database, creating the file and its schema unless FH_IOC_STORE_READONLY is given.
 * A missing file opened read-only is FH_ERR_NOT_FOUND; a file that is not a foxhound database
 * or has a newer schema version is FH_ERR_DB.
 */
fh_status fh_ioc_store_open(const char *path, unsigned flags, fh_ioc_store **out, fh_error *err);

/* Closes the database and frees the handle. Accepts NULL. */
void fh_ioc_store_close(fh_ioc_store *store);

/* Path given to fh_ioc_store_open. */
const char *fh_ioc_store_path(const fh_ioc_store *store);

/* Result of one import. Every indicator in the set is accepted or merged. */
typedef struct fh_ioc_import_counts {
    uint64_t accepted; /* values new to the database */
    uint64_t merged;   /* values already present, or repeated within the set */
    uint64_t flagged;  /* accepted or merged indicators flagged as likely false positives
                          after the import, by this set or earlier */
    uint64_t rejected; /* the set's rejected_total: values the importer could not use */
    uint64_t skipped;  /* the set's skipped_total: entries of types foxhound does not hunt */
} fh_ioc_import_counts;

/*
 * Imports a set in one transaction. now is the import time in ticks: it becomes the created
 * time of new indicators and the modified time of indicators that the merge changed. On any
 * error the transaction is rolled back and counts is zeroed.
 */
fh_status fh_ioc_store_import(fh_ioc_store *store, const fh_ioc_set *set, int64_t now,
                              fh_ioc_import_counts *counts, fh_error *err);

/* Which indicators a query returns by their false-positive flag. */
typedef enum fh_ioc_flag_filter {
    FH_IOC_FLAG_ANY = 0,
    FH_IOC_FLAG_ONLY, /* flagged indicators only */
    FH_IOC_FLAG_NONE, /* unflagged indicators only */
} fh_ioc_flag_filter;

/* Conditions a query applies together. fh_ioc_filter_init sets "everything". */
typedef struct fh_ioc_filter {
    uint32_t types;     /* bit (1u << fh_ioc_type) per type to keep; 0 keeps all */
    const char *family; /* family or alias, ASCII case-insensitive; NULL for any */
    int min_confidence; /* 0-100; FH_CONFIDENCE_UNKNOWN for no minimum. Indicators of
                           unknown confidence fail any minimum. */
    int64_t since;      /* first seen at or after (ticks); FH_TIME_UNKNOWN for any.
                           Indicators of unknown first seen fail it. */
    fh_ioc_flag_filter flag;
} fh_ioc_filter;

void fh_ioc_filter_init(fh_ioc_filter *filter);

/* One source of an indicator: the feed and the indicator's id there ("" when none). */
typedef struct fh_ioc_source {
    char *feed;
    char *id;
} fh_ioc_source;

/*
 * An indicator as the database keeps it. ioc.source_feed and ioc.source_id hold the first
 * source; sources lists all of them in the order they were added.
 */
typedef struct fh_ioc_record {
    fh_indicator ioc;
    fh_ioc_source *sources;
    size_t nsources;
    int64_t created;  /* when this database first stored the indicator (ticks) */
    int64_t modified; /* when an import last changed it (ticks) */
} fh_ioc_record;

typedef struct fh_ioc_cursor fh_ioc_cursor;

/* Starts a query. Rows come ordered by type name, then value. */
fh_status fh_ioc_store_query(fh_ioc_store *store, const fh_ioc_filter *filter, fh_ioc_cursor **out,
                             fh_error *err);

/*
 * Moves to the next indicator. Returns FH_OK with *record pointing at memory the cursor owns
 * until the next call, FH_DONE after the last one, or an error.
 */
fh_status fh_ioc_cursor_next(fh_ioc_cursor *cursor, const fh_ioc_record **record, fh_error *err);

/* Ends a query. Accepts NULL. */
void fh_ioc_cursor_close(fh_ioc_cursor *cursor);

/*
 * Appends copies of the indicators that pass filter (NULL for all) to set, for hunts and rules
 * that work on a set. Each copy names its first source; the other sources are not copied.
 * Fails with FH_ERR_LIMIT when set would hold more than FH_MAX_INDICATORS.
 */
fh_status fh_ioc_store_load(fh_ioc_store *store, const fh_ioc_filter *filter, fh_ioc_set *set,
                            fh_error *err);

/* Indicator counts of one family, as a rule page's "IOC Summary" shows them. */
typedef struct fh_ioc_family_stats {
    char *family; /* as first stored; NULL for indicators without a family */
    uint64_t total;
    uint64_t by_type[FH_IOC_TYPE_COUNT];
} fh_ioc_family_stats;

typedef struct fh_ioc_stats {
    uint64_t total;
    uint64_t flagged;
    uint64_t by_type[FH_IOC_TYPE_COUNT];
    fh_ioc_family_stats *families; /* most indicators first, then by name */
    size_t nfamilies;
} fh_ioc_stats;

/* Counts the indicators that pass filter (NULL for all). Free with fh_ioc_stats_clear. */
fh_status fh_ioc_store_stats(fh_ioc_store *store, const fh_ioc_filter *filter, fh_ioc_stats *stats,
                             fh_error *err);

/* Frees the family list and zeroes the counts. Accepts NULL. */
void fh_ioc_stats_clear(fh_ioc_stats *stats);

/*
 * Sentinel's legacy ThreatIntelligenceIndicator table over the database: one row per
 * indicator, with the columns and types of Sentinel's table. See ti_table.c for how each
 * column is filled.
 */

/* Days after an indicator's last seen time at which its ExpirationDateTime falls. */
#define FH_TI_EXPIRY_DAYS 90

/* The table's schema, named "ThreatIntelligenceIndicator". */
const fh_schema *fh_ti_table_schema(void);

typedef struct fh_ti_table fh_ti_table;

/* Starts reading the indicators that pass filter (NULL for all) as table rows. */
fh_status fh_ti_table_open(fh_ioc_store *store, const fh_ioc_filter *filter, fh_ti_table **out,
                           fh_error *err);

/*
 * Clears batch (initialised with fh_ti_table_schema) and fills it with up to FH_BATCH_ROWS
 * rows. Returns FH_OK with at least one row, FH_DONE when no rows remain, or an error.
 */
fh_status fh_ti_table_next(fh_ti_table *table, fh_batch *batch, fh_error *err);

/* Ends the read. Accepts NULL. */
void fh_ti_table_close(fh_ti_table *table);

/*
 * Sentinel's newer STIX-based ThreatIntelIndicators table over the database: one row per
 * indicator with its STIX pattern, ObservableKey and ObservableValue. See ti_stix_table.c.
 */
const fh_schema *fh_ti_stix_table_schema(void);

typedef struct fh_ti_stix_table fh_ti_stix_table;

fh_status fh_ti_stix_table_open(fh_ioc_store *store, const fh_ioc_filter *filter,
                                fh_ti_stix_table **out, fh_error *err);

/* Clears batch and fills it with up to FH_BATCH_ROWS rows; FH_DONE when none remain. */
fh_status fh_ti_stix_table_next(fh_ti_stix_table *table, fh_batch *batch, fh_error *err);

/* Ends the scan. Accepts NULL. */
void fh_ti_stix_table_close(fh_ti_stix_table *table);

#ifdef __cplusplus
}
#endif

#endif
