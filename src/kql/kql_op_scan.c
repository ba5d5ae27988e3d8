/*
 * The table source operator: reads a table's files (through scan_parallel, with the columns
 * the query needs and the planner's line filter) and providers, one source after another, and
 * returns their rows in the table's schema.
 *
 * scan_parallel reads chunks of a large uncompressed CEF or JSON lines file in worker threads
 * and returns the rows in file order, so results do not depend on the thread count. A source
 * whose columns match the table's schema hands its batch through untouched; otherwise cells
 * are remapped by column name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "foxhound/limits.h"
#include "foxhound/reader.h"
#include "kql/kql_exec.h"
#include "read/scan_parallel.h"

typedef struct scan_op {
    kql_op base;
    kql_table *table;
    bool *need;               /* columns to decode; NULL decodes all */
    kql_prefilter *prefilter; /* owned; NULL when none */
    char prefilter_note[FH_KQL_PREFILTER_NOTE_MAX];
    size_t source;         /* next source to open */
    bool open;             /* a source is being read */
    scan_parallel *reader; /* current file, read by one or more threads */
    void *scan;            /* current provider scan */
    fh_batch in;           /* rows as the source gives them */
    const fh_schema *in_schema;
    long *map; /* table column -> source column, or -1 */
    bool identity;
    fh_batch out;         /* remapped rows */
    const char **columns; /* names passed to the reader */
    uint64_t done_bytes;  /* bytes and lines of the files already closed, for progress */
    uint64_t done_lines;
} scan_op;

static const kql_table_source *current_source(scan_op *s)
{
    return &s->table->sources[s->source];
}

/*
 * Worker threads for one file: options.threads, or the number of online cores when it is 0.
 * A file read by one thread (threads 1, compressed input, CSV) gives the same rows in the
 * same order as one read in chunks by several.
 */
static int scan_threads(const fh_kql_options *options)
{
    if (options->threads > 0)
        return options->threads;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    if (cores < 1)
        return 1;
    if (cores > FH_MAX_SCAN_THREADS)
        return FH_MAX_SCAN_THREADS;
    return (int)cores;
}

static fh_status open_file(scan_op *s, const kql_table_source *src, fh_error *err)
{
    if (s->prefilter != NULL &&
        !kql_prefilter_compile(s->prefilter, s->prefilter_note, sizeof s->prefilter_note)) {
        kql_prefilter_destroy(s->prefilter);
        s->prefilter = NULL;
    }
    fh_kql_engine *engine = s->base.query->engine;
    const fh_schema *schema = s->base.schema;
    size_t ncolumns = 0;
    if (s->need != NULL) {
        for (size_t i = 0; i < schema->ncols; i++) {
            if (s->need[i])
                s->columns[ncolumns++] = schema->cols[i].name;
        }
    }
    const fh_kql_options *options = kql_engine_options(engine);
    scan_parallel_options popts = {
        .read =
            {
                .format = FH_LOG_AUTO,
                .table = s->table->name,
                .columns = s->need != NULL ? s->columns : NULL,
                .ncolumns = ncolumns,
                .strict = options->strict,
                .line_filter = s->prefilter != NULL ? kql_prefilter_match : NULL,
                .line_filter_ctx = s->prefilter,
            },
        .threads = scan_threads(options),
        .filter_ctx_create = s->prefilter != NULL ? kql_prefilter_clone : NULL,
        .filter_ctx_destroy = kql_prefilter_clone_free,
        .filter_arg = s->prefilter,
    };
    return scan_parallel_open(kql_engine_file_path(engine, src->file_index), &popts, &s->reader,
                              err);
}

static fh_status open_source(scan_op *s, fh_error *err)
{
    const kql_table_source *src = current_source(s);
    fh_status st;
    if (src->is_file) {
        st = open_file(s, src, err);
    } else {
        s->scan = NULL;
        st = src->provider.open != NULL ? src->provider.open(src->provider.ctx, &s->scan, err)
                                        : FH_OK;
    }
    if (st != FH_OK)
        return st;
    const fh_schema *schema = src->is_file ? scan_parallel_schema(s->reader) : src->provider.schema;
    fh_batch_destroy(&s->in);
    st = fh_batch_init(&s->in, schema, err);
    s->in_schema = NULL;
    s->open = true;
    return st;
}

static void close_source(scan_op *s)
{
    if (!s->open)
        return;
    const kql_table_source *src = current_source(s);
    if (src->is_file) {
        fh_kql_engine *engine = s->base.query->engine;
        const fh_read_stats *stats = scan_parallel_stats(s->reader);
        s->done_bytes += stats->bytes;
        s->done_lines += stats->lines;
        kql_engine_record_stats(engine, src->file_index,
                                fh_reader_detection(scan_parallel_reader(s->reader)), stats,
                                s->prefilter_note);
        scan_parallel_close(s->reader);
        s->reader = NULL;
    } else if (src->provider.close != NULL) {
        src->provider.close(src->provider.ctx, s->scan);
    }
    s->scan = NULL;
    s->open = false;
}

/*
 * Maps the table's columns to the source batch's columns by name.
 * NOTE: a column that a reader adds after the file was probed (a JSON key first seen deep in
 * the file) has no place in the table's schema and is not returned.
 */
static void build_map(scan_op *s, const fh_schema *in_schema)
{
    const fh_schema *schema = s->base.schema;
    s->identity = in_schema->ncols == schema->ncols;
    for (size_t i = 0; i < schema->ncols; i++) {
        const char *name = schema->cols[i].name;
        long j = fh_schema_find(in_schema, name, strlen(name));
        if (j >= 0 && in_schema->cols[j].type != schema->cols[i].type)
            j = -1; /* NOTE: a column typed differently in one file reads as null there */
        s->map[i] = j;
        if (j != (long)i)
            s->identity = false;
    }
    s->in_schema = in_schema;
}

static fh_status remap(scan_op *s, fh_error *err)
{
    fh_batch_clear(&s->out);
    const size_t in_cols = s->in.schema->ncols;
    const size_t ncols = s->base.schema->ncols;
    for (size_t r = 0; r < s->in.nrows; r++) {
        fh_value *row;
        fh_status st = fh_batch_append(&s->out, &row, err);
        if (st != FH_OK)
            return st;
        const fh_value *src = s->in.cells + r * in_cols;
        for (size_t c = 0; c < ncols; c++) {
            if (s->map[c] >= 0)
                row[c] = src[s->map[c]];
        }
        s->out.line_numbers[r] = s->in.line_numbers != NULL ? s->in.line_numbers[r] : 0;
    }
    return FH_OK;
}

static fh_status read_source(scan_op *s, fh_error *err)
{
    const kql_table_source *src = current_source(s);
    if (src->is_file)
        return scan_parallel_next(s->reader, &s->in, err);
    fh_batch_clear(&s->in);
    s->in.schema = src->provider.schema;
    return src->provider.next(src->provider.ctx, s->scan, &s->in, err);
}

static void report_progress(scan_op *s)
{
    const fh_kql_options *options = kql_engine_options(s->base.query->engine);
    if (options->progress == NULL || s->reader == NULL)
        return;
    const fh_read_stats *stats = scan_parallel_stats(s->reader);
    options->progress(options->progress_ctx, s->table->name, s->done_bytes + stats->bytes,
                      s->done_lines + stats->lines);
}

static fh_status scan_next(kql_op *op, fh_batch **out, fh_error *err)
{
    scan_op *s = (scan_op *)op;
    while (s->source < s->table->nsources) {
        fh_status st = FH_OK;
        if (!s->open)
            st = open_source(s, err);
        if (st == FH_OK)
            st = read_source(s, err);
        if (st == FH_DONE) {
            close_source(s);
            s->source++;
            continue;
        }
        if (st != FH_OK)
            return st;
        report_progress(s);
        if (s->in.nrows == 0)
            continue;
        if (s->in.schema != s->in_schema)
            build_map(s, s->in.schema);
        if (s->identity) {
            *out = &s->in;
            return FH_OK;
        }
        st = remap(s, err);
        if (st != FH_OK)
            return st;
        *out = &s->out;
        return FH_OK;
    }
    return FH_DONE;
}

static void scan_need(kql_op *op, const bool *out_need)
{
    scan_op *s = (scan_op *)op;
    size_t ncols = op->schema->ncols;
    if (s->need == NULL)
        return;
    for (size_t i = 0; i < ncols; i++)
        s->need[i] = s->need[i] || out_need[i];
}

static void scan_destroy(kql_op *op)
{
    scan_op *s = (scan_op *)op;
    if (s->table != NULL && s->source < s->table->nsources)
        close_source(s);
    fh_batch_destroy(&s->in);
    fh_batch_destroy(&s->out);
    free(s->map);
    free(s->need);
    free(s->columns);
    kql_prefilter_destroy(s->prefilter);
}

static const kql_op_vtable scan_vtable = {"table", scan_next, scan_need, scan_destroy};

fh_status kql_op_scan_create(fh_kql_query *query, const char *table, unsigned long line,
                             unsigned long column, kql_op **out, fh_error *err)
{
    kql_op *op = NULL;
    fh_status st = kql_op_new(query, &scan_vtable, sizeof(scan_op), line, column, &op, err);
    if (st != FH_OK)
        return st;
    scan_op *s = (scan_op *)op;
    *out = op;
    s->table = kql_engine_table(query->engine, table, strlen(table));
    if (s->table == NULL)
        return kql_op_error(op, err, FH_ERR_NOT_FOUND, "no table named '%s'", table);

    const fh_schema *schema = NULL;
    st = kql_engine_table_schema(query->engine, s->table, &schema, err);
    if (st == FH_OK)
        st = kql_op_set_schema(op, schema->cols, schema->ncols, err);
    if (st != FH_OK)
        return st;
    size_t ncols = schema->ncols;
    s->map = calloc(ncols + 1, sizeof *s->map);
    s->columns = calloc(ncols + 1, sizeof *s->columns);
    if (s->map == NULL || s->columns == NULL)
        return kql_op_error(op, err, FH_ERR_NOMEM, "out of memory");
    fh_batch_init(&s->in, op->schema, err);
    return fh_batch_init(&s->out, op->schema, err);
}

bool kql_op_is_file_scan(const kql_op *op)
{
    if (op->vt != &scan_vtable)
        return false;
    const scan_op *s = (const scan_op *)op;
    for (size_t i = 0; i < s->table->nsources; i++) {
        if (!s->table->sources[i].is_file)
            return false;
    }
    return s->table->nsources > 0;
}

bool kql_op_is_scan(const kql_op *op)
{
    return op->vt == &scan_vtable;
}

fh_status kql_op_scan_begin_need(kql_op *op)
{
    scan_op *s = (scan_op *)op;
    free(s->need);
    s->need = calloc(op->schema->ncols + 1, sizeof *s->need);
    return s->need != NULL ? FH_OK : FH_ERR_NOMEM;
}

void kql_op_scan_set_prefilter(kql_op *op, kql_prefilter *prefilter, const char *note)
{
    scan_op *s = (scan_op *)op;
    kql_prefilter_destroy(s->prefilter);
    snprintf(s->prefilter_note, sizeof s->prefilter_note, "%s", note);
    /* Strict mode must parse every line to reject a malformed one, so it reads without the
     * prefilter, which would skip such a line unseen when it holds none of the literals. */
    if (prefilter != NULL && kql_engine_options(op->query->engine)->strict) {
        kql_prefilter_destroy(prefilter);
        prefilter = NULL;
        snprintf(s->prefilter_note, sizeof s->prefilter_note,
                 "no prefilter: strict mode parses every line");
    }
    s->prefilter = prefilter;
}
