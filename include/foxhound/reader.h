/*
 * Log readers: CEF syslog, JSON (lines, arrays, Event Hub and advanced hunting shapes) and CSV
 * files turned into rows of a Sentinel or Defender table.
 *
 * A reader opens one file (or "-" for stdin), undoes gzip or zstd found by magic bytes, picks
 * the format and table from the content unless told, and fills batches. It decodes only the
 * columns named in the options; the others stay null (strings empty). Every line or record is
 * counted: read, loaded, filtered by the line filter, or skipped with a reason.
 */
#ifndef FOXHOUND_READER_H
#define FOXHOUND_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "foxhound/error.h"
#include "foxhound/limits.h"
#include "foxhound/table.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum fh_log_format {
    FH_LOG_AUTO = 0,
    FH_LOG_CEF,
    FH_LOG_JSON,
    FH_LOG_CSV,
} fh_log_format;

/* Returns "cef", "json", "csv" or "auto". */
const char *fh_log_format_name(fh_log_format format);

/*
 * Decides from a line's raw bytes whether it could hold a match; returning false skips the
 * line before it is parsed. Used by the literal prefilter; results must not depend on it.
 */
typedef bool (*fh_line_filter)(void *ctx, const char *line, size_t len);

typedef struct fh_read_options {
    fh_log_format format;       /* FH_LOG_AUTO to detect from content */
    const char *table;          /* table name to use; NULL to detect from content */
    const char *const *columns; /* columns to decode; NULL decodes every column */
    size_t ncolumns;
    bool strict;                /* a bad row is an error instead of a counted skip */
    fh_line_filter line_filter; /* NULL keeps every line */
    void *line_filter_ctx;
    /*
     * Parse every JSON line into a jansson tree instead of the hand-written fast path. The
     * rows and statistics are the same either way, which differential tests check, so the
     * query engine's no_shortcuts does not set this.
     */
    bool no_json_fast_path;
} fh_read_options;

#define FH_SKIP_REASON_MAX 160
#define FH_MAX_SKIP_REASONS 32

typedef struct fh_skip_reason {
    char reason[FH_SKIP_REASON_MAX]; /* such as "not a CEF record" */
    uint64_t count;
    uint64_t lines[FH_SKIP_SAMPLE_LINES]; /* first line numbers where it happened */
    size_t nlines;
} fh_skip_reason;

typedef struct fh_read_stats {
    uint64_t bytes;         /* bytes read after decompression */
    uint64_t lines;         /* physical lines seen, including those of a whole JSON document */
    uint64_t rows_loaded;   /* rows handed to the caller */
    uint64_t rows_filtered; /* lines the line filter skipped */
    uint64_t rows_skipped;  /* bad or empty records, by reason below */
    fh_skip_reason reasons[FH_MAX_SKIP_REASONS];
    size_t nreasons;
    /*
     * Data not loaded from rows that did load: cells whose text does not convert to the
     * column type (loaded as null), and JSON keys first seen after the schema was fixed.
     */
    uint64_t values_invalid;
    uint64_t fields_dropped;
    fh_skip_reason value_reasons[FH_MAX_SKIP_REASONS];
    size_t nvalue_reasons;
} fh_read_stats;

typedef struct fh_reader fh_reader;

/* Opens a file, or standard input when path is "-". */
fh_status fh_reader_open(const char *path, const fh_read_options *options, fh_reader **out,
                         fh_error *err);

/*
 * Opens a reader over bytes in memory (which may be compressed); name is used in errors. The
 * bytes must stay valid and unchanged until the reader is closed, because uncompressed ones
 * are read in place.
 */
fh_status fh_reader_open_memory(const char *name, const void *data, size_t len,
                                const fh_read_options *options, fh_reader **out, fh_error *err);

/*
 * The schema rows come in, fixed when open returns and valid until close: the chosen table's
 * built-in columns, then columns that the table does not have, in first-seen order (dynamic
 * unless the input declares a type). JSON keys are collected from the first FH_JSON_SCAN_LINES
 * lines of JSON lines, or from every record of a whole document. A key first seen later is
 * not loaded but counted in fields_dropped.
 */
const fh_schema *fh_reader_schema(const fh_reader *reader);

/* The format in use, and a sentence on why it and the table were chosen. */
fh_log_format fh_reader_format(const fh_reader *reader);
const char *fh_reader_detection(const fh_reader *reader);

/*
 * Clears batch and fills it with up to FH_BATCH_ROWS rows. Returns FH_OK with at least one
 * row, FH_DONE at the end of input, or an error.
 */
fh_status fh_reader_next(fh_reader *reader, fh_batch *batch, fh_error *err);

const fh_read_stats *fh_reader_stats(const fh_reader *reader);

/* Closes the file and frees the reader. Accepts NULL. */
void fh_reader_close(fh_reader *reader);

/*
 * Expands paths: files stay as given, folders are walked recursively (sorted by name, hidden
 * entries skipped), "-" is kept. The list is freed with fh_path_list_free.
 */
typedef struct fh_path_list {
    char **paths;
    size_t count;
} fh_path_list;

fh_status fh_path_list_expand(const char *const *paths, size_t count, fh_path_list *out,
                              fh_error *err);
void fh_path_list_free(fh_path_list *list);

#ifdef __cplusplus
}
#endif

#endif
