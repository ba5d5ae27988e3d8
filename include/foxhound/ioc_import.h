/*
 * Indicator importers: ThreatFox (API JSON, export JSON, CSV), detection rule pages, STIX 2.1
 * bundles, MISP events, Zeek intel files and free text with defanged values. The format is
 * detected from the content unless the caller names it.
 */
#ifndef FOXHOUND_IOC_IMPORT_H
#define FOXHOUND_IOC_IMPORT_H

#include <stddef.h>

#include "foxhound/error.h"
#include "foxhound/indicator.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum fh_ioc_format {
    FH_IOC_FORMAT_AUTO = 0,
    FH_IOC_FORMAT_THREATFOX_JSON, /* API response or export keyed by id */
    FH_IOC_FORMAT_THREATFOX_CSV,
    FH_IOC_FORMAT_RULEPAGE, /* markdown-ish rule page with an indicator table and KQL */
    FH_IOC_FORMAT_STIX,
    FH_IOC_FORMAT_MISP,
    FH_IOC_FORMAT_ZEEK,
    FH_IOC_FORMAT_TEXT, /* one or more indicators per line, defanged or not */
    FH_IOC_FORMAT_COUNT
} fh_ioc_format;

/* Returns "threatfox-json", "threatfox-csv", "rulepage", "stix", "misp", "zeek", "text". */
const char *fh_ioc_format_name(fh_ioc_format format);
fh_status fh_ioc_format_from_name(const char *name, fh_ioc_format *out);

/*
 * Detects the format of a document from its content: a JSON document is parsed and
 * recognised by its structure; text by markers in its first 64 KiB (a "#fields" line, the
 * ThreatFox CSV header, "Malware Family:" or a Type/Value table). Returns FH_IOC_FORMAT_AUTO
 * for JSON that is invalid or of no known shape, and FH_IOC_FORMAT_TEXT for other text.
 */
fh_ioc_format fh_ioc_format_detect(const char *data, size_t len);

/*
 * Imports indicators from a document in memory into set. Bad values are recorded in the
 * set's rejects with name and line (in JSON the line of the value or of its object, 0 when
 * it cannot be found) and do not stop the import. Entries that cannot be hunted are counted
 * in the set's skips by reason; a document that cannot be
 * read at all (truncated JSON, CSV without the needed columns) is an error that names the
 * file, line and column, and leaves set as it was. format_used (may be NULL) receives the
 * format that was detected or given.
 */
fh_status fh_ioc_import_memory(const char *name, const char *data, size_t len, fh_ioc_format format,
                               fh_ioc_set *set, fh_ioc_format *format_used, fh_error *err);

/* Reads a file (or "-" for stdin; gzip and zstd undone) and imports it like the above. */
fh_status fh_ioc_import_file(const char *path, fh_ioc_format format, fh_ioc_set *set,
                             fh_ioc_format *format_used, fh_error *err);

#ifdef __cplusplus
}
#endif

#endif
