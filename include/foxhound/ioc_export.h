/*
 * Writing indicators for other tools: CSV for spreadsheets, JSON lines, a STIX 2.1 bundle and
 * a Zeek Intelligence Framework file.
 *
 * A writer takes records one at a time, so it works on a database query as well as on an
 * indicator set. Output is stable: the same indicators in the same order give the same bytes,
 * and STIX ids depend only on the indicator's type and value.
 */
#ifndef FOXHOUND_IOC_EXPORT_H
#define FOXHOUND_IOC_EXPORT_H

#include <stdint.h>
#include <stdio.h>

#include "foxhound/error.h"
#include "foxhound/indicator.h"
#include "foxhound/ioc_store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum fh_ioc_export_format {
    FH_IOC_EXPORT_CSV = 0, /* header row, RFC 4180 quoting, formula-injection escaping */
    FH_IOC_EXPORT_JSON,    /* JSON lines: one object per indicator, the same keys each time */
    FH_IOC_EXPORT_STIX,    /* STIX 2.1 bundle of indicator objects */
    FH_IOC_EXPORT_ZEEK,    /* Zeek intel file: TAB-separated, #fields header */
    FH_IOC_EXPORT_COUNT
} fh_ioc_export_format;

/* Returns "csv", "json", "stix" or "zeek". */
const char *fh_ioc_export_format_name(fh_ioc_export_format format);

/* Parses a format name; FH_ERR_USAGE names the accepted ones. */
fh_status fh_ioc_export_format_from_name(const char *name, fh_ioc_export_format *out,
                                         fh_error *err);

/* Size of a STIX indicator id: "indicator--" and 36 characters of UUID, with the NUL. */
#define FH_STIX_ID_SIZE 48

/*
 * Writes the STIX id of an indicator: "indicator--" and a version 5 UUID of
 * "TYPE:VALUE" in foxhound's namespace, so the id is the same in every run.
 */
void fh_ioc_stix_id(fh_ioc_type type, const char *value, char out[FH_STIX_ID_SIZE]);

typedef struct fh_ioc_writer fh_ioc_writer;

/*
 * Starts writing to out (not closed by the writer); out_name names it in errors. The header
 * (CSV row, STIX bundle start, Zeek #fields line) is written here.
 */
fh_status fh_ioc_writer_open(fh_ioc_export_format format, FILE *out, const char *out_name,
                             fh_ioc_writer **writer, fh_error *err);

/*
 * Writes one indicator. A record made from a bare fh_indicator may have no sources (the
 * indicator's source fields are used) and FH_TIME_UNKNOWN created and modified times (the
 * first seen time is used, else the Unix epoch).
 */
fh_status fh_ioc_writer_write(fh_ioc_writer *writer, const fh_ioc_record *record, fh_error *err);

/* Writes what follows the last indicator and checks that every write reached out. */
fh_status fh_ioc_writer_finish(fh_ioc_writer *writer, fh_error *err);

/* Indicators written so far. */
uint64_t fh_ioc_writer_count(const fh_ioc_writer *writer);

/* Frees a writer. Accepts NULL. */
void fh_ioc_writer_destroy(fh_ioc_writer *writer);

/* Writes every indicator of store that passes filter (NULL for all); *count gets how many. */
fh_status fh_ioc_export(fh_ioc_store *store, const fh_ioc_filter *filter,
                        fh_ioc_export_format format, FILE *out, const char *out_name,
                        uint64_t *count, fh_error *err);

#ifdef __cplusplus
}
#endif

#endif
