/*
 * The reader object shared by the framework (reader.c), format and table detection
 * (detect.c), cell conversion (cell.c) and the JSON and CSV readers. The public interface is
 * foxhound/reader.h; nothing here is visible outside src/read.
 */
#ifndef FOXHOUND_READER_INTERNAL_H
#define FOXHOUND_READER_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "foxhound/reader.h"
#include "read/column_map.h"
#include "read/stream.h"

#define READER_DETECTION_MAX 640

/*
 * Column names in first-seen order, each with the type the input declares (an API response's
 * Schema) or FH_TYPE_COUNT when it declares none.
 */
typedef struct name_list {
    char **names;
    fh_type *types;
    size_t count, cap;
    column_map index; /* name -> position in names */
} name_list;

/* Adds a name unless the list has it; a type of FH_TYPE_COUNT means "not declared". */
fh_status name_list_add(name_list *list, const char *name, size_t len, fh_type type);
void name_list_free(name_list *list);

/*
 * A JSON line or document waiting in the read-ahead queue: its jansson tree, or, when value
 * is NULL, the line's text at offset in json_state.scan_text.
 */
typedef struct json_pending {
    json_t *value;
    size_t offset, len;
    uint64_t line;
} json_pending;

/* State of the JSON lines fast path (json_fast.c). */
typedef struct json_fast json_fast;

typedef struct json_state {
    bool whole_document;
    bool no_fast_path;    /* fh_read_options.no_json_fast_path */
    bool end_after_scan;  /* read no lines beyond the read-ahead queue */
    json_fast *fast;      /* made at the first line read */
    uint64_t fast_rows;   /* lines the fast path loaded, for tests */
    const char *shape;    /* "JSON lines", "a JSON array", ... for the detection sentence */
    char *category_table; /* table named by "category": "AdvancedHunting-<Table>" */
    json_t *value;        /* the document, or the current JSON line's value */
    json_t *records;      /* array being walked inside value; NULL when value is one record */
    size_t next_record;
    uint64_t value_line;   /* line of value (1 for a whole document) */
    bool value_taken;      /* value itself was handed out as a single record */
    json_pending *pending; /* read-ahead queue of JSON lines */
    size_t npending, next_pending;
    char *scan_text; /* text of the queued lines that have no tree, one after another */
    size_t scan_text_len, scan_text_cap;
} json_state;

typedef struct csv_state {
    long *field_column; /* schema column of each header field */
    size_t nfields;
    char *record; /* one record, possibly several physical lines */
    size_t record_len, record_cap;
    char *cell; /* one unquoted cell */
    size_t cell_cap;
} csv_state;

struct fh_reader {
    char *name;
    stream *in;
    bool strict;
    fh_line_filter line_filter;
    void *line_filter_ctx;
    const char *forced_table; /* options.table, copied */

    /* Line splitting over decompressed bytes. */
    char *buf;
    size_t buf_cap, buf_start, buf_end, buf_scan;
    bool buf_borrowed; /* buf is the caller's uncompressed data, read in place and not freed */
    bool eof;
    uint64_t line_no; /* number of the last line returned or skipped */

    fh_log_format format;
    char detection[READER_DETECTION_MAX];
    fh_schema *schema;  /* built-in columns first, then extra columns */
    size_t nbuiltin;    /* columns taken from the built-in schema */
    column_map columns; /* schema column by name */
    bool *wanted;       /* per schema column; all true when no projection was asked for */
    long timestamp_col; /* Timestamp and TimeGenerated, or -1 */
    long time_generated_col;

    json_state json;
    csv_state csv;
    fh_read_stats stats;
};

/*
 * Returns the next line without its terminator ("\n" or "\r\n") through line and len, valid
 * until the next call. Lines longer than FH_MAX_LINE_BYTES are skipped and counted (an error
 * in strict mode). Returns FH_OK, FH_DONE at the end of input, or an error.
 */
fh_status reader_next_line(fh_reader *r, const char **line, size_t *len, fh_error *err);

/*
 * Makes the line buffer hold at least want bytes after the current position, unless the input
 * is shorter, and points *data and *len at what it holds. Used for detection.
 */
fh_status reader_peek(fh_reader *r, size_t want, const char **data, size_t *len, fh_error *err);

/* Returns the offset in the (decompressed) input of the first line not yet returned. */
uint64_t reader_offset(const fh_reader *r);

/*
 * Opens a reader over one chunk of model's file (a JSON lines file read by model), cut at a
 * line start. The chunk's lines load into model's schema (see json_reader_open_like) with
 * options applied as fh_reader_open_memory applies them.
 */
fh_status reader_open_chunk(const fh_reader *model, const char *data, size_t len,
                            const fh_read_options *options, fh_reader **out, fh_error *err);

/* Reads the rest of the input into a malloc'd buffer, up to FH_MAX_JSON_DOCUMENT_BYTES. */
fh_status reader_read_rest(fh_reader *r, char **data, size_t *len, fh_error *err);

/*
 * Handles a bad row: in strict mode fills err with "reason: detail" at line and column and
 * returns FH_ERR_PARSE; otherwise counts the row as skipped under reason and returns FH_OK.
 */
fh_status reader_reject(fh_reader *r, fh_error *err, uint64_t line, unsigned long column,
                        const char *reason, const char *detail_fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* Counts a row skipped for a reason that strict mode does not turn into an error. */
void reader_count_skip(fh_reader *r, uint64_t line, const char *reason);

/* Counts a value not loaded (stats.value_reasons), with the line where it happened. */
void reader_count_value(fh_reader *r, uint64_t line, const char *reason);

/* Returns whether the line filter keeps a raw line, counting the lines it drops. */
bool reader_keep_line(fh_reader *r, const char *line, size_t len);

/*
 * Appends an empty row to batch for source line and returns its cells. Rows are counted as
 * loaded by reader_finish_row.
 */
fh_status reader_start_row(fh_reader *r, fh_batch *batch, uint64_t line, fh_value **row,
                           fh_error *err);

/* Completes a row: fills Timestamp and TimeGenerated from each other and counts the row. */
void reader_finish_row(fh_reader *r, fh_value *row);

/* Drops the row that reader_start_row appended last (after a bad cell in strict mode). */
void reader_drop_row(fh_batch *batch);

/* Format and table detection (detect.c). */

/* Picks the format from the first bytes of the input unless options named one. */
fh_status detect_format(fh_reader *r, fh_error *err);

/*
 * Chooses the table for the given column names (or the forced or category table), builds the
 * reader's schema and column map, and writes the detection sentence. what names the input's
 * format and shape ("CSV", "JSON (JSON lines)") for that sentence.
 */
fh_status detect_table(fh_reader *r, const name_list *names, const char *category_table,
                       const char *what, fh_error *err);

/* Gives r the schema (a copy), column map and detection sentence of model. */
fh_status detect_copy_table(fh_reader *r, const fh_reader *model, fh_error *err);

/* Cell conversion shared by the JSON and CSV readers (cell.c). */

/*
 * Converts text into row[col] with the column's type. Text that does not convert leaves the
 * cell null and is counted in stats.values_invalid (an error in strict mode). column is the
 * 1-based byte column of the text in its line, for the error.
 */
fh_status cell_from_text(fh_reader *r, fh_batch *batch, fh_value *row, size_t col, const char *text,
                         size_t len, uint64_t line, unsigned long column, fh_error *err);

/* Converts a JSON value into row[col] the same way. */
fh_status cell_from_json(fh_reader *r, fh_batch *batch, fh_value *row, size_t col, json_t *value,
                         uint64_t line, fh_error *err);

/* JSON reader (json_reader.c). */
fh_status json_reader_open(fh_reader *r, fh_error *err);
fh_status json_reader_fill(fh_reader *r, fh_batch *batch, fh_error *err);
void json_reader_free(fh_reader *r);

/*
 * Prepares r to read one chunk of model's JSON lines file, cut at a line start: r takes
 * model's table, schema, column map and Defender category instead of scanning lines for keys,
 * so every chunk loads the same columns.
 */
fh_status json_reader_open_like(fh_reader *r, const fh_reader *model, fh_error *err);

/* Returns whether a JSON reader streams JSON lines (not a whole document). */
bool json_reader_is_lines(const fh_reader *r);

/* Makes a JSON lines reader end after the lines it read ahead when it opened. */
void json_reader_end_after_scan(fh_reader *r);

/*
 * Returns the table whose Defender records the reader loads, or NULL to load every record.
 * That is the requested table when it is a built-in one, else the first record's category
 * when no table was requested. A table the input defines itself loads every record. A record
 * whose category names another table is skipped and counted.
 */
const char *json_reader_kept_category(const fh_reader *r);

/* Counts a key that is not a column in fields_dropped, with the line where it was seen. */
void json_reader_count_dropped_key(fh_reader *r, const char *key, size_t len, uint64_t line);

/*
 * Loads the JSON value of a key into row[col] if the column is wanted and the value is not
 * null: an extra dynamic column keeps the JSON value, other columns go through cell_from_json.
 */
fh_status json_reader_fill_cell(fh_reader *r, fh_batch *batch, fh_value *row, size_t col,
                                json_t *value, uint64_t line, fh_error *err);

/* JSON lines fast path (json_fast.c). */

/*
 * Loads one JSON line (line line_no of the input) as a row of batch without a jansson tree,
 * and sets *loaded. When *loaded is false nothing was counted or added, and the line must go
 * through the jansson path. Returns FH_OK, or the error the jansson path would return for the
 * same line (strict mode, out of memory).
 */
fh_status json_fast_load_line(fh_reader *r, fh_batch *batch, const char *line, size_t len,
                              uint64_t line_no, bool *loaded, fh_error *err);

/*
 * Adds the keys of a JSON line's row object to names, in the order jansson keeps them, and
 * notes the first Defender category in r->json.category_table, as the jansson path does for
 * the same line. Sets *collected to false, adding nothing, for a line that the fast path
 * leaves to jansson (see json_fast_load_line). Returns FH_OK or FH_ERR_NOMEM.
 */
fh_status json_fast_collect_keys(fh_reader *r, const char *line, size_t len, name_list *names,
                                 bool *collected);

/* Frees the fast path's state. Accepts NULL. */
void json_fast_destroy(json_fast *fast);

/* CSV reader (csv_reader.c). */
fh_status csv_reader_open(fh_reader *r, fh_error *err);
fh_status csv_reader_fill(fh_reader *r, fh_batch *batch, fh_error *err);
void csv_reader_free(fh_reader *r);

#endif
