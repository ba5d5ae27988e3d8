/*
 * The KQL engine: tables bound to log files or to row providers, and queries that run over
 * them with Kusto's semantics.
 *
 * Rows stream through a query's pipeline in batches, and only summarize, sort, top, join and
 * distinct keep rows. When a query is prepared, the planner passes each file reader the
 * columns the query reads, and may derive a literal prefilter from `where` clauses. Both
 * shortcuts can be switched off with fh_kql_options.no_shortcuts, which must never change a
 * result.
 */
#ifndef FOXHOUND_KQL_H
#define FOXHOUND_KQL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "foxhound/error.h"
#include "foxhound/reader.h"
#include "foxhound/table.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fh_kql_options {
    int64_t now_ticks; /* value of now() for every query; a datetime in 100 ns ticks */
    bool no_shortcuts; /* disable column pushdown, prefilter and hash sets (self-check) */
    bool strict;       /* a bad log row is an error instead of a counted skip */
    int threads;       /* worker threads for scanning files; 0 picks the core count */
    /* Called after every batch a file scan reads, with the bytes (after decompression) and
     * rows read so far by that scan over all of its table's files; NULL for none. */
    void (*progress)(void *ctx, const char *table, uint64_t bytes, uint64_t rows);
    void *progress_ctx;
} fh_kql_options;

typedef struct fh_kql_engine fh_kql_engine;
typedef struct fh_kql_query fh_kql_query;

fh_status fh_kql_engine_create(const fh_kql_options *options, fh_kql_engine **out, fh_error *err);
void fh_kql_engine_destroy(fh_kql_engine *engine);

/*
 * Binds a log file to a table. With table NULL the table is detected from the file's content,
 * and fh_kql_file_stats.detection gives the reason. The chosen name is returned through
 * table_out (may be NULL). Several files may feed one table, read in the order bound.
 */
fh_status fh_kql_engine_add_file(fh_kql_engine *engine, const char *table, const char *path,
                                 const char **table_out, fh_error *err);

/*
 * A table whose rows come from code rather than a file, such as the indicator database or a
 * test table. open is called once per scan of the table. next fills the batch (cleared first)
 * and returns FH_OK, FH_DONE or an error. close ends the scan.
 */
typedef struct fh_kql_provider {
    const fh_schema *schema;
    void *ctx;
    fh_status (*open)(void *ctx, void **scan, fh_error *err);
    fh_status (*next)(void *ctx, void *scan, fh_batch *batch, fh_error *err);
    void (*close)(void *ctx, void *scan);
} fh_kql_provider;

fh_status fh_kql_engine_add_provider(fh_kql_engine *engine, const char *table,
                                     const fh_kql_provider *provider, fh_error *err);

/* Returns true when the table has at least one file or provider bound to it. */
bool fh_kql_engine_has_table(const fh_kql_engine *engine, const char *table);

/*
 * Parses and plans a query. source names the query in errors ("<query>" or a file name).
 * Errors carry line and column; fh_kql_render_error turns them into the caret form.
 */
fh_status fh_kql_prepare(fh_kql_engine *engine, const char *text, size_t len, const char *source,
                         fh_kql_query **out, fh_error *err);

/* The schema of the query's result; valid until the query is destroyed. */
const fh_schema *fh_kql_query_schema(const fh_kql_query *query);

/*
 * Produces the next batch of result rows. Returns FH_OK with rows in *batch (owned by the
 * query and valid until the next call), FH_DONE at the end, or an error.
 */
fh_status fh_kql_query_next(fh_kql_query *query, const fh_batch **batch, fh_error *err);

void fh_kql_query_destroy(fh_kql_query *query);

/* Size of fh_kql_file_stats.prefilter, including the terminating NUL. */
#define FH_KQL_PREFILTER_NOTE_MAX 192

/* Reading statistics of every file a query run has read so far, in binding order. */
typedef struct fh_kql_file_stats {
    const char *path;
    const char *table;
    const char *detection;
    fh_read_stats stats;
    /* The literal prefilter of the recorded scan, such as "prefilter: 12 literals" or
     * "no prefilter: more than 12000 distinct literals"; empty when the query gave none. */
    char prefilter[FH_KQL_PREFILTER_NOTE_MAX];
} fh_kql_file_stats;

size_t fh_kql_engine_file_count(const fh_kql_engine *engine);
const fh_kql_file_stats *fh_kql_engine_file_stats(const fh_kql_engine *engine, size_t index);

/*
 * Renders a query error as people expect to read it:
 *     SOURCE:LINE:COL: message
 *         the query line
 *                ^
 * Returns the length written, truncating like snprintf.
 */
size_t fh_kql_render_error(const char *text, size_t len, const fh_error *err, char *buf,
                           size_t size);

#ifdef __cplusplus
}
#endif

#endif
