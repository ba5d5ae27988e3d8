/*
 * The KQL engine: the table catalog (tables bound to log files or to row providers), the
 * statistics of every file read, and the prepare/next/destroy life of a query.
 *
 * A file is opened once when it is bound, to detect its table and learn its columns. A
 * table's schema is the union of its sources' columns in binding order. Queries then scan the
 * files again with only the columns they read (see kql_plan.c).
 */
#include <stdarg.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>

#include "foxhound/kql.h"
#include "foxhound/limits.h"
#include "foxhound/reader.h"
#include "kql/kql_exec.h"
#include "kql/kql_parse.h"

typedef struct kql_file {
    fh_kql_file_stats stats; /* path, table and detection are owned strings */
    fh_schema *schema;       /* columns the reader reported when the file was bound */
    char *spool_path;        /* for "-": the temporary copy of standard input that scans read */
} kql_file;

struct fh_kql_engine {
    fh_kql_options options;
    kql_table *tables;
    size_t ntables, tables_cap;
    kql_file *files;
    size_t nfiles, files_cap;
    bool stdin_bound; /* standard input can be read only once */
};

static int64_t wall_clock_ticks(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * FH_TICKS_PER_SECOND + ts.tv_nsec / 100;
}

/* options.threads sets the worker threads that read one file in chunks (kql_op_scan.c). */
fh_status fh_kql_engine_create(const fh_kql_options *options, fh_kql_engine **out, fh_error *err)
{
    *out = NULL;
    fh_kql_engine *engine = calloc(1, sizeof *engine);
    if (engine == NULL)
        return fh_error_set(err, FH_ERR_NOMEM, NULL, 0, 0, "out of memory creating the engine");
    if (options != NULL)
        engine->options = *options;
    *out = engine;
    return FH_OK;
}

static void table_free(kql_table *table)
{
    free(table->name);
    free(table->sources);
    fh_schema_destroy(table->schema);
}

void fh_kql_engine_destroy(fh_kql_engine *engine)
{
    if (engine == NULL)
        return;
    for (size_t i = 0; i < engine->ntables; i++)
        table_free(&engine->tables[i]);
    free(engine->tables);
    for (size_t i = 0; i < engine->nfiles; i++) {
        free((char *)engine->files[i].stats.path);
        free((char *)engine->files[i].stats.table);
        free((char *)engine->files[i].stats.detection);
        fh_schema_destroy(engine->files[i].schema);
        if (engine->files[i].spool_path != NULL) {
            unlink(engine->files[i].spool_path);
            free(engine->files[i].spool_path);
        }
    }
    free(engine->files);
    free(engine);
}

kql_table *kql_engine_table(fh_kql_engine *engine, const char *name, size_t len)
{
    for (size_t i = 0; i < engine->ntables; i++) {
        const char *t = engine->tables[i].name;
        if (strlen(t) == len && memcmp(t, name, len) == 0)
            return &engine->tables[i];
    }
    return NULL;
}

size_t kql_engine_table_count(const fh_kql_engine *engine)
{
    return engine->ntables;
}

kql_table *kql_engine_table_at(fh_kql_engine *engine, size_t index)
{
    return index < engine->ntables ? &engine->tables[index] : NULL;
}

const fh_kql_options *kql_engine_options(const fh_kql_engine *engine)
{
    return &engine->options;
}

const char *kql_engine_file_path(const fh_kql_engine *engine, size_t index)
{
    if (index >= engine->nfiles)
        return NULL;
    const kql_file *file = &engine->files[index];
    return file->spool_path != NULL ? file->spool_path : file->stats.path;
}

bool fh_kql_engine_has_table(const fh_kql_engine *engine, const char *table)
{
    for (size_t i = 0; i < engine->ntables; i++) {
        if (strcmp(engine->tables[i].name, table) == 0)
            return engine->tables[i].nsources > 0;
    }
    return false;
}

/* Returns the table of that name, adding an empty one when absent. */
static fh_status table_get_or_add(fh_kql_engine *engine, const char *name, kql_table **out,
                                  fh_error *err)
{
    size_t len = strlen(name);
    if (len == 0 || len > FH_MAX_NAME_BYTES)
        return fh_error_set(err, FH_ERR_USAGE, NULL, 0, 0,
                            "invalid table name '%.64s': it must have 1 to %d bytes", name,
                            FH_MAX_NAME_BYTES);
    kql_table *found = kql_engine_table(engine, name, len);
    if (found != NULL) {
        *out = found;
        return FH_OK;
    }
    if (engine->ntables == engine->tables_cap) {
        size_t cap = engine->tables_cap ? engine->tables_cap * 2 : 8;
        kql_table *grown = realloc(engine->tables, cap * sizeof *grown);
        if (grown == NULL)
            return fh_error_set(err, FH_ERR_NOMEM, NULL, 0, 0, "out of memory adding a table");
        engine->tables = grown;
        engine->tables_cap = cap;
    }
    kql_table *table = &engine->tables[engine->ntables];
    memset(table, 0, sizeof *table);
    table->name = strdup(name);
    if (table->name == NULL)
        return fh_error_set(err, FH_ERR_NOMEM, NULL, 0, 0, "out of memory adding a table");
    engine->ntables++;
    *out = table;
    return FH_OK;
}

static fh_status table_add_source(kql_table *table, const kql_table_source *source, fh_error *err)
{
    kql_table_source *grown =
        realloc(table->sources, (table->nsources + 1) * sizeof *table->sources);
    if (grown == NULL)
        return fh_error_set(err, FH_ERR_NOMEM, NULL, 0, 0, "out of memory binding a table");
    table->sources = grown;
    table->sources[table->nsources++] = *source;
    /* The union schema is rebuilt on next use. */
    fh_schema_destroy(table->schema);
    table->schema = NULL;
    return FH_OK;
}

static fh_status files_reserve(fh_kql_engine *engine, fh_error *err)
{
    if (engine->nfiles < engine->files_cap)
        return FH_OK;
    size_t cap = engine->files_cap ? engine->files_cap * 2 : 8;
    kql_file *grown = realloc(engine->files, cap * sizeof *grown);
    if (grown == NULL)
        return fh_error_set(err, FH_ERR_NOMEM, NULL, 0, 0, "out of memory binding a file");
    engine->files = grown;
    engine->files_cap = cap;
    return FH_OK;
}

/* Opens the file once to learn its table, detection sentence and columns. */
/*
 * Copies standard input to a temporary file, because every query scans its tables from the
 * start and a pipe can be read only once. The file is removed when the engine is destroyed.
 */
static fh_status spool_stdin(char **out, fh_error *err)
{
    const char *dir = getenv("TMPDIR");
    char *path = NULL;
    if (asprintf(&path, "%s/foxhound-stdin-XXXXXX", dir && *dir ? dir : "/tmp") < 0)
        return fh_error_set(err, FH_ERR_NOMEM, "-", 0, 0, "out of memory");
    int fd = mkstemp(path);
    if (fd < 0) {
        fh_error_set(err, FH_ERR_IO, "-", 0, 0,
                     "cannot create a temporary copy of standard input in %s: %s; set TMPDIR "
                     "to a writable folder",
                     path, strerror(errno));
        free(path);
        return FH_ERR_IO;
    }

    char buf[64 * 1024];
    fh_status st = FH_OK;
    for (;;) {
        ssize_t n = read(STDIN_FILENO, buf, sizeof buf);
        if (n == 0)
            break;
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 || write(fd, buf, (size_t)n) != n) {
            st = fh_error_set(err, FH_ERR_IO, "-", 0, 0, "copying standard input to %s failed: %s",
                              path, strerror(errno));
            break;
        }
    }
    if (close(fd) != 0 && st == FH_OK)
        st =
            fh_error_set(err, FH_ERR_IO, "-", 0, 0, "writing %s failed: %s", path, strerror(errno));
    if (st != FH_OK) {
        unlink(path);
        free(path);
        return st;
    }
    *out = path;
    return FH_OK;
}

static fh_status probe_file(fh_kql_engine *engine, const char *table, const char *path,
                            kql_file *file, fh_error *err)
{
    fh_read_options ropts = {
        .format = FH_LOG_AUTO, .table = table, .strict = engine->options.strict};
    fh_reader *reader = NULL;
    fh_status st = fh_reader_open(file->spool_path ? file->spool_path : path, &ropts, &reader, err);
    if (st != FH_OK)
        return st;

    const fh_schema *schema = fh_reader_schema(reader);
    const char *name = table != NULL ? table : schema->name;
    const char *detection = fh_reader_detection(reader);
    file->stats.path = strdup(path);
    file->stats.table = strdup(name != NULL ? name : "");
    file->stats.detection = strdup(detection != NULL ? detection : "");
    if (file->stats.path == NULL || file->stats.table == NULL || file->stats.detection == NULL)
        st = fh_error_set(err, FH_ERR_NOMEM, NULL, 0, 0, "out of memory binding a file");
    if (st == FH_OK)
        st = fh_schema_create(name, schema->cols, schema->ncols, &file->schema, err);
    fh_reader_close(reader);
    return st;
}

fh_status fh_kql_engine_add_file(fh_kql_engine *engine, const char *table, const char *path,
                                 const char **table_out, fh_error *err)
{
    fh_status st = files_reserve(engine, err);
    if (st != FH_OK)
        return st;

    kql_file *file = &engine->files[engine->nfiles];
    memset(file, 0, sizeof *file);
    if (strcmp(path, "-") == 0) {
        if (engine->stdin_bound)
            return fh_error_set(err, FH_ERR_USAGE, "-", 0, 0,
                                "standard input can be bound to one table only once");
        st = spool_stdin(&file->spool_path, err);
        if (st != FH_OK)
            return st;
        engine->stdin_bound = true;
    }
    st = probe_file(engine, table, path, file, err);
    if (st == FH_OK && file->stats.table[0] == '\0')
        st = fh_error_set(err, FH_ERR_FORMAT, path, 0, 0,
                          "could not tell which table the file holds; bind it with "
                          "--table NAME=PATH");
    if (st != FH_OK) {
        free((char *)file->stats.path);
        free((char *)file->stats.table);
        free((char *)file->stats.detection);
        fh_schema_destroy(file->schema);
        if (file->spool_path != NULL) {
            unlink(file->spool_path);
            free(file->spool_path);
        }
        return st;
    }
    engine->nfiles++;

    kql_table *t = NULL;
    st = table_get_or_add(engine, file->stats.table, &t, err);
    if (st != FH_OK)
        return st;
    kql_table_source source = {.is_file = true, .file_index = engine->nfiles - 1};
    st = table_add_source(t, &source, err);
    if (st == FH_OK && table_out != NULL)
        *table_out = t->name;
    return st;
}

fh_status fh_kql_engine_add_provider(fh_kql_engine *engine, const char *table,
                                     const fh_kql_provider *provider, fh_error *err)
{
    if (provider == NULL || provider->schema == NULL || provider->next == NULL)
        return fh_error_set(err, FH_ERR_USAGE, NULL, 0, 0,
                            "a table provider needs a schema and a next function");
    kql_table *t = NULL;
    fh_status st = table_get_or_add(engine, table, &t, err);
    if (st != FH_OK)
        return st;
    kql_table_source source = {.is_file = false, .provider = *provider};
    return table_add_source(t, &source, err);
}

/* Appends the columns of from that cols does not have yet. */
static fh_status schema_union_add(fh_column **cols, size_t *ncols, const fh_schema *from,
                                  const char *table, fh_error *err)
{
    for (size_t i = 0; i < from->ncols; i++) {
        bool present = false;
        for (size_t j = 0; j < *ncols && !present; j++)
            present = strcmp((*cols)[j].name, from->cols[i].name) == 0;
        if (present)
            continue;
        if (*ncols >= FH_MAX_COLUMNS)
            return fh_error_set(err, FH_ERR_LIMIT, NULL, 0, 0,
                                "table '%s' has more than %d columns across its files", table,
                                FH_MAX_COLUMNS);
        fh_column *grown = realloc(*cols, (*ncols + 1) * sizeof *grown);
        if (grown == NULL)
            return fh_error_set(err, FH_ERR_NOMEM, NULL, 0, 0, "out of memory building a schema");
        *cols = grown;
        (*cols)[(*ncols)++] = from->cols[i];
    }
    return FH_OK;
}

fh_status kql_engine_table_schema(fh_kql_engine *engine, kql_table *table, const fh_schema **out,
                                  fh_error *err)
{
    if (table->schema != NULL) {
        *out = table->schema;
        return FH_OK;
    }
    fh_column *cols = NULL;
    size_t ncols = 0;
    fh_status st = FH_OK;
    for (size_t i = 0; i < table->nsources && st == FH_OK; i++) {
        const kql_table_source *src = &table->sources[i];
        const fh_schema *schema =
            src->is_file ? engine->files[src->file_index].schema : src->provider.schema;
        st = schema_union_add(&cols, &ncols, schema, table->name, err);
    }
    if (st == FH_OK)
        st = fh_schema_create(table->name, cols, ncols, &table->schema, err);
    free(cols);
    *out = table->schema;
    return st;
}

void kql_engine_record_stats(fh_kql_engine *engine, size_t index, const char *detection,
                             const fh_read_stats *stats, const char *prefilter_note)
{
    if (index >= engine->nfiles)
        return;
    /* The first scan that read the most lines is kept: a short scan (a take, a later probe of the
     * same file) must not hide the counts of the full one.
     * NOTE: a table scanned fully twice (a self-join) reports one of the scans. */
    fh_kql_file_stats *recorded = &engine->files[index].stats;
    if (stats->lines > recorded->stats.lines) {
        recorded->stats = *stats;
        snprintf(recorded->prefilter, sizeof recorded->prefilter, "%s", prefilter_note);
    }
    (void)detection;
}

size_t fh_kql_engine_file_count(const fh_kql_engine *engine)
{
    return engine->nfiles;
}

const fh_kql_file_stats *fh_kql_engine_file_stats(const fh_kql_engine *engine, size_t index)
{
    return index < engine->nfiles ? &engine->files[index].stats : NULL;
}

/* --- queries -------------------------------------------------------------------------------- */

fh_status fh_kql_prepare(fh_kql_engine *engine, const char *text, size_t len, const char *source,
                         fh_kql_query **out, fh_error *err)
{
    *out = NULL;
    const char *name = source != NULL ? source : "<query>";
    if (len > FH_MAX_QUERY_BYTES)
        return fh_error_set(err, FH_ERR_LIMIT, name, 0, 0,
                            "the query has %zu bytes, more than the maximum of %d", len,
                            FH_MAX_QUERY_BYTES);

    fh_kql_query *query = calloc(1, sizeof *query);
    if (query == NULL)
        return fh_error_set(err, FH_ERR_NOMEM, name, 0, 0, "out of memory preparing the query");
    query->engine = engine;
    fh_arena_init(&query->arena);
    snprintf(query->source, sizeof query->source, "%s", name);
    query->now_ticks =
        engine->options.now_ticks != 0 ? engine->options.now_ticks : wall_clock_ticks();
    query->shortcuts = !engine->options.no_shortcuts;

    fh_status st = FH_OK;
    char *copy = fh_arena_strndup(&query->arena, text, len);
    if (copy == NULL)
        st = fh_error_set(err, FH_ERR_NOMEM, name, 0, 0, "out of memory preparing the query");
    query->text = copy;
    query->text_len = len;
    if (st == FH_OK)
        st = kql_bind_query(query, err);
    if (st == FH_OK && query->shortcuts)
        st = kql_plan_optimize(query, err);
    if (st != FH_OK) {
        fh_kql_query_destroy(query);
        return st;
    }
    *out = query;
    return FH_OK;
}

const fh_schema *fh_kql_query_schema(const fh_kql_query *query)
{
    return query->root->schema;
}

fh_status fh_kql_query_next(fh_kql_query *query, const fh_batch **batch, fh_error *err)
{
    fh_batch *out = NULL;
    *batch = NULL;
    fh_status st = kql_op_next(query->root, &out, err);
    if (st == FH_OK)
        *batch = out;
    return st;
}

void fh_kql_query_destroy(fh_kql_query *query)
{
    if (query == NULL)
        return;
    kql_op_destroy(query->root);
    fh_arena_destroy(&query->arena);
    free(query);
}

size_t fh_kql_render_error(const char *text, size_t len, const fh_error *err, char *buf,
                           size_t size)
{
    return kql_error_render(text, len, err, buf, size);
}
