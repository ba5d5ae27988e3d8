/*
 * Parallel scanning of one log file (see scan_parallel.h).
 *
 * A reader opened on the whole file detects the format, the table and the schema. When the
 * file can be split, it is mapped into memory and cut into chunks that end at a newline. Each
 * worker takes the next chunk, reads it with its own fh_reader_open_memory (format and table
 * forced to the detected ones) and keeps the chunk's batches. The caller takes the batches of
 * chunk 0, then chunk 1, and so on, so rows come in file order. At most
 * SCAN_PARALLEL_WINDOW_PER_THREAD chunks per worker are parsed ahead of the caller, which
 * bounds memory whatever the file size.
 *
 * A JSON lines file differs in two ways. The detecting reader has already read its first
 * FH_JSON_SCAN_LINES lines to collect the keys that become columns, so it delivers those rows
 * itself and chunks start after them. Each chunk reader then takes the detecting reader's
 * schema instead of scanning its own lines, so every chunk loads the same columns, counts the
 * same keys as dropped, and parses no line that a line filter drops.
 *
 * Line numbers in a chunk count from 1, so delivery adds the lines before the chunk.
 * Statistics are merged the same way, in file order, so skip reasons keep their first line
 * numbers as one reader would report them.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "foxhound/limits.h"
#include "read/reader_internal.h"
#include "read/scan_parallel.h"

typedef struct chunk {
    size_t start, end; /* byte range in the file */
    fh_batch *batches;
    size_t nbatches, cap;
    fh_read_stats stats;
    fh_status status; /* FH_OK, or the error that ended the chunk */
    fh_error err;
    bool done;
} chunk;

struct scan_parallel {
    fh_reader *reader; /* detection; also the whole scan when not parallel */
    const fh_schema *schema;
    scan_parallel_options options;
    fh_read_options chunk_options;
    bool shared_schema;          /* JSON lines: chunk readers take the detecting reader's schema */
    bool head;                   /* JSON lines: rows still come from the detecting reader */
    void *sequential_filter_ctx; /* made by filter_ctx_create for the sequential reader */

    /* Parallel mode only. */
    const char *map;
    size_t map_len;
    chunk *chunks;     /* a ring of window slots: chunk i sits in slot i % window */
    size_t nchunks;    /* chunks cut so far, each taken by a worker when cut */
    size_t planned_to; /* where the next chunk starts; map_len when all are cut */
    size_t chunk_bytes;
    size_t next_deliver; /* chunk the caller reads from */
    size_t next_batch;   /* batch within that chunk */
    uint64_t line_base;  /* lines in the chunks before next_deliver */
    size_t window;       /* chunks allowed ahead of next_deliver */
    size_t dropped_to;   /* page-aligned offset below which mapped pages were dropped */
    bool stopping;       /* workers take no more chunks */
    bool ended;          /* an error was returned; the scan delivers nothing more */
    fh_batch *spares;    /* cleared batches whose memory the workers reuse */
    size_t nspares;
    size_t spares_cap; /* at most this many are kept; more are freed */
    pthread_mutex_t lock;
    pthread_cond_t chunk_done;  /* a worker finished a chunk */
    pthread_cond_t chunk_freed; /* the caller finished a chunk */
    pthread_t *workers;
    int nworkers;
    fh_read_stats stats;
};

/* Merging statistics */

static void merge_reason(fh_skip_reason *reasons, size_t *n, const fh_skip_reason *from,
                         uint64_t line_base)
{
    size_t i = 0;
    while (i < *n && strcmp(reasons[i].reason, from->reason) != 0)
        i++;
    if (i == *n) {
        if (*n == FH_MAX_SKIP_REASONS) {
            /* The table is full: the last slot collects every further reason, as in reader.c. */
            i = *n - 1;
            snprintf(reasons[i].reason, sizeof reasons[i].reason, "other reasons");
        } else {
            memcpy(reasons[i].reason, from->reason, sizeof reasons[i].reason);
            reasons[i].count = 0;
            reasons[i].nlines = 0;
            (*n)++;
        }
    }
    fh_skip_reason *entry = &reasons[i];
    entry->count += from->count;
    for (size_t k = 0; k < from->nlines && entry->nlines < FH_SKIP_SAMPLE_LINES; k++)
        entry->lines[entry->nlines++] = from->lines[k] + line_base;
}

static void merge_stats(fh_read_stats *into, const fh_read_stats *from, uint64_t line_base)
{
    into->bytes += from->bytes;
    into->lines += from->lines;
    into->rows_loaded += from->rows_loaded;
    into->rows_filtered += from->rows_filtered;
    into->rows_skipped += from->rows_skipped;
    into->values_invalid += from->values_invalid;
    into->fields_dropped += from->fields_dropped;
    for (size_t i = 0; i < from->nreasons; i++)
        merge_reason(into->reasons, &into->nreasons, &from->reasons[i], line_base);
    for (size_t i = 0; i < from->nvalue_reasons; i++)
        merge_reason(into->value_reasons, &into->nvalue_reasons, &from->value_reasons[i],
                     line_base);
}

/* Takes the detecting reader's statistics, for the lines it delivered itself. */
static void copy_head_stats(scan_parallel *s)
{
    s->stats = *fh_reader_stats(s->reader);
    /* The reader has buffered bytes past its last line, which the chunks count. */
    s->stats.bytes = reader_offset(s->reader);
}

/* Schemas */

static bool same_columns(const fh_schema *a, const fh_schema *b)
{
    if (a->ncols != b->ncols)
        return false;
    for (size_t i = 0; i < a->ncols; i++) {
        if (a->cols[i].type != b->cols[i].type || strcmp(a->cols[i].name, b->cols[i].name) != 0)
            return false;
    }
    return true;
}

/*
 * Rewrites a batch made with a chunk reader's schema into the scan's schema. The cells point
 * into the batch's arena, so the arena moves with them. Columns the chunk lacks stay null.
 */
static fh_status adopt_batch(const fh_schema *schema, fh_batch *batch, fh_error *err)
{
    if (batch->schema == schema)
        return FH_OK;
    if (same_columns(batch->schema, schema)) {
        batch->schema = schema;
        return FH_OK;
    }

    fh_batch out;
    fh_status st = fh_batch_init(&out, schema, err);
    for (size_t row = 0; st == FH_OK && row < batch->nrows; row++) {
        fh_value *cells;
        st = fh_batch_append(&out, &cells, err);
        if (st != FH_OK)
            break;
        const fh_value *from = fh_batch_row(batch, row);
        for (size_t col = 0; col < schema->ncols; col++) {
            const char *name = schema->cols[col].name;
            long at = fh_schema_find(batch->schema, name, strlen(name));
            if (at >= 0 && batch->schema->cols[at].type == schema->cols[col].type)
                cells[col] = from[at];
        }
        out.line_numbers[row] = batch->line_numbers[row];
        out.file_index[row] = batch->file_index[row];
    }
    if (st != FH_OK) {
        fh_batch_destroy(&out);
        return st;
    }
    fh_arena moved = out.arena;
    out.arena = batch->arena;
    batch->arena = moved;
    fh_batch_destroy(batch);
    *batch = out;
    return FH_OK;
}

/*
 * Returns the slot of chunk i. Workers cut chunk i only after the caller finished chunk
 * i - window, so a slot is free when it is reused, and memory stays the same for any file
 * size: each slot carries statistics and an error of about 12 KB.
 */
static chunk *chunk_at(const scan_parallel *s, size_t i)
{
    return &s->chunks[i % s->window];
}

/* Spare batches */

/*
 * Takes a cleared batch from the spares when one with the schema's column count is kept,
 * else initialises a new one. Reusing the rows and arena blocks of delivered batches avoids
 * asking the kernel for fresh zeroed pages for every chunk, which took a quarter of the time
 * of a CEF scan that reads one column.
 */
static fh_status take_batch(scan_parallel *s, fh_batch *batch, const fh_schema *schema,
                            fh_error *err)
{
    bool reused = false;
    pthread_mutex_lock(&s->lock);
    if (s->nspares > 0 && s->spares[s->nspares - 1].schema->ncols == schema->ncols) {
        *batch = s->spares[--s->nspares];
        reused = true;
    }
    pthread_mutex_unlock(&s->lock);
    if (!reused)
        return fh_batch_init(batch, schema, err);
    batch->schema = schema;
    return FH_OK;
}

/* Clears a batch the caller is done with and keeps it as a spare, or frees it. */
static void recycle_batch(scan_parallel *s, fh_batch *batch)
{
    if (batch->schema == NULL) {
        fh_batch_destroy(batch);
        return;
    }
    fh_batch_clear(batch);
    pthread_mutex_lock(&s->lock);
    bool stored = s->nspares < s->spares_cap;
    if (stored)
        s->spares[s->nspares++] = *batch;
    pthread_mutex_unlock(&s->lock);
    if (stored)
        memset(batch, 0, sizeof *batch);
    else
        fh_batch_destroy(batch);
}

/* Workers */

static fh_status chunk_push_batch(chunk *c, fh_batch **slot, fh_error *err)
{
    if (c->nbatches == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 8;
        fh_batch *batches = realloc(c->batches, cap * sizeof *batches);
        if (batches == NULL)
            return fh_error_set(err, FH_ERR_NOMEM, NULL, 0, 0, "out of memory scanning a chunk");
        c->batches = batches;
        c->cap = cap;
    }
    *slot = &c->batches[c->nbatches];
    return FH_OK;
}

/* Reads one chunk into c->batches; the result goes to c->status and c->err. */
static void read_chunk(scan_parallel *s, chunk *c, void *filter_ctx)
{
    fh_read_options options = s->chunk_options;
    if (options.line_filter != NULL)
        options.line_filter_ctx = filter_ctx;
    fh_reader *reader = NULL;
    fh_error *err = &c->err;
    const char *data = s->map + c->start;
    size_t len = c->end - c->start;
    fh_status st = s->shared_schema
                       ? reader_open_chunk(s->reader, data, len, &options, &reader, err)
                       : fh_reader_open_memory(s->reader->name, data, len, &options, &reader, err);
    while (st == FH_OK) {
        fh_batch *batch = NULL;
        st = chunk_push_batch(c, &batch, err);
        if (st != FH_OK)
            break;
        st = take_batch(s, batch, fh_reader_schema(reader), err);
        if (st != FH_OK)
            break;
        st = fh_reader_next(reader, batch, err);
        if (st == FH_OK)
            st = adopt_batch(s->schema, batch, err);
        if (st != FH_OK) {
            fh_batch_destroy(batch);
            break;
        }
        c->nbatches++;
    }
    if (reader != NULL)
        c->stats = *fh_reader_stats(reader);
    fh_reader_close(reader);
    c->status = st == FH_DONE ? FH_OK : st;
}

/* Returns the end of the chunk that starts at start: after a newline, or the file's end. */
static size_t chunk_end(const scan_parallel *s, size_t start, size_t chunk_bytes)
{
    if (s->map_len - start <= chunk_bytes)
        return s->map_len;
    size_t from = start + chunk_bytes;
    const char *newline = memchr(s->map + from, '\n', s->map_len - from);
    if (newline == NULL)
        return s->map_len;
    return (size_t)(newline - s->map) + 1;
}

static void *worker_main(void *arg)
{
    scan_parallel *s = arg;
    void *filter_ctx = s->chunk_options.line_filter_ctx;
    if (s->options.filter_ctx_create != NULL)
        filter_ctx = s->options.filter_ctx_create(s->options.filter_arg);

    pthread_mutex_lock(&s->lock);
    for (;;) {
        while (!s->stopping && s->planned_to < s->map_len &&
               s->nchunks >= s->next_deliver + s->window)
            pthread_cond_wait(&s->chunk_freed, &s->lock);
        if (s->stopping || s->planned_to >= s->map_len)
            break;
        /* Chunks are cut as they are taken, so only pages about to be parsed get mapped. */
        chunk *c = chunk_at(s, s->nchunks++);
        memset(c, 0, sizeof *c);
        c->start = s->planned_to;
        c->end = chunk_end(s, c->start, s->chunk_bytes);
        s->planned_to = c->end;
        pthread_cond_broadcast(&s->chunk_done);
        pthread_mutex_unlock(&s->lock);

        if (filter_ctx == NULL && s->options.filter_ctx_create != NULL) {
            c->status = fh_error_set(&c->err, FH_ERR_NOMEM, NULL, 0, 0,
                                     "out of memory making a line filter for a worker");
        } else {
            read_chunk(s, c, filter_ctx);
        }

        pthread_mutex_lock(&s->lock);
        c->done = true;
        pthread_cond_broadcast(&s->chunk_done);
    }
    pthread_mutex_unlock(&s->lock);

    if (s->options.filter_ctx_create != NULL && s->options.filter_ctx_destroy != NULL &&
        filter_ctx != NULL)
        s->options.filter_ctx_destroy(filter_ctx);
    return NULL;
}

/* Opening */

/* True when the file starts with the gzip or zstd magic bytes. */
static bool looks_compressed(const char *data, size_t len)
{
    if (len >= 2 && (unsigned char)data[0] == 0x1f && (unsigned char)data[1] == 0x8b)
        return true;
    return len >= 4 && memcmp(data, "\x28\xb5\x2f\xfd", 4) == 0;
}

/* Decides from the detection reader and the file whether chunks can be read in parallel. */
static bool can_split(const scan_parallel *s, const struct stat *info, size_t chunk_bytes)
{
    if (s->options.threads <= 1 || !S_ISREG(info->st_mode))
        return false;
    if ((size_t)info->st_size < 2 * chunk_bytes)
        return false;
    return fh_reader_format(s->reader) == FH_LOG_CEF || json_reader_is_lines(s->reader);
}

static fh_status map_file(scan_parallel *s, const char *path, const struct stat *info,
                          fh_error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return fh_error_set(err, FH_ERR_IO, path, 0, 0, "cannot open the file to scan it: %s",
                            strerror(errno));
    void *map = mmap(NULL, (size_t)info->st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (map == MAP_FAILED)
        return fh_error_set(err, FH_ERR_IO, path, 0, 0, "cannot map the file into memory: %s",
                            strerror(errno));
    s->map = map;
    s->map_len = (size_t)info->st_size;
    return FH_OK;
}

static fh_status start_workers(scan_parallel *s, fh_error *err)
{
    s->workers = calloc((size_t)s->options.threads, sizeof *s->workers);
    if (s->workers == NULL)
        return fh_error_set(err, FH_ERR_NOMEM, NULL, 0, 0, "out of memory starting workers");
    for (int i = 0; i < s->options.threads; i++) {
        if (pthread_create(&s->workers[i], NULL, worker_main, s) != 0)
            return fh_error_set(err, FH_ERR_NOMEM, NULL, 0, 0,
                                "cannot start scan worker thread %d of %d", i + 1,
                                s->options.threads);
        s->nworkers++;
    }
    return FH_OK;
}

/* Returns the default chunk size for a file of size bytes read by threads workers. */
static size_t default_chunk_bytes(uint64_t size, int threads)
{
    uint64_t bytes =
        size / ((uint64_t)(threads > 0 ? threads : 1) * SCAN_PARALLEL_CHUNKS_PER_THREAD);
    if (bytes < SCAN_PARALLEL_CHUNK_BYTES)
        return SCAN_PARALLEL_CHUNK_BYTES;
    if (bytes > SCAN_PARALLEL_MAX_CHUNK_BYTES)
        return SCAN_PARALLEL_MAX_CHUNK_BYTES;
    return (size_t)bytes;
}

static fh_status open_parallel(scan_parallel *s, const char *path, const struct stat *info,
                               size_t chunk_bytes, fh_error *err)
{
    fh_status st = map_file(s, path, info, err);
    if (st != FH_OK)
        return st;
    if (looks_compressed(s->map, s->map_len)) {
        munmap((void *)s->map, s->map_len);
        s->map = NULL;
        return FH_DONE; /* not splittable: the caller keeps reading sequentially */
    }
    s->window = (size_t)s->options.threads * SCAN_PARALLEL_WINDOW_PER_THREAD;
    s->chunks = calloc(s->window, sizeof *s->chunks);
    /* A chunk of a wide table fills about two batches, so this covers the window twice. */
    s->spares_cap = 4 * s->window;
    s->spares = calloc(s->spares_cap, sizeof *s->spares);
    if (s->spares == NULL || s->chunks == NULL)
        return fh_error_set(err, FH_ERR_NOMEM, NULL, 0, 0, "out of memory planning chunks");
    s->chunk_bytes = chunk_bytes;

    s->chunk_options = s->options.read;
    s->chunk_options.format = fh_reader_format(s->reader);
    if (json_reader_is_lines(s->reader)) {
        /* The table the caller forced, if any, still decides which Defender categories load. */
        s->shared_schema = s->head = true;
        json_reader_end_after_scan(s->reader);
        s->planned_to = reader_offset(s->reader);
        copy_head_stats(s);
    } else {
        s->chunk_options.table = s->schema->name;
    }
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->chunk_done, NULL);
    pthread_cond_init(&s->chunk_freed, NULL);
    return start_workers(s, err);
}

fh_status scan_parallel_open(const char *path, const scan_parallel_options *options,
                             scan_parallel **out, fh_error *err)
{
    *out = NULL;
    scan_parallel *s = calloc(1, sizeof *s);
    if (s == NULL)
        return fh_error_set(err, FH_ERR_NOMEM, NULL, 0, 0, "out of memory opening a scan");
    s->options = *options;

    fh_read_options read = options->read;
    if (options->filter_ctx_create != NULL && read.line_filter != NULL) {
        s->sequential_filter_ctx = options->filter_ctx_create(options->filter_arg);
        if (s->sequential_filter_ctx == NULL) {
            free(s);
            return fh_error_set(err, FH_ERR_NOMEM, NULL, 0, 0,
                                "out of memory making a line filter");
        }
        read.line_filter_ctx = s->sequential_filter_ctx;
    }
    fh_status st = fh_reader_open(path, &read, &s->reader, err);
    if (st == FH_OK) {
        s->schema = fh_reader_schema(s->reader);
        struct stat info;
        if (strcmp(path, "-") != 0 && stat(path, &info) == 0) {
            size_t chunk_bytes =
                options->chunk_bytes != 0
                    ? options->chunk_bytes
                    : default_chunk_bytes((uint64_t)info.st_size, options->threads);
            if (can_split(s, &info, chunk_bytes)) {
                st = open_parallel(s, path, &info, chunk_bytes, err);
                if (st == FH_DONE)
                    st = FH_OK;
            }
        }
    }
    if (st != FH_OK) {
        scan_parallel_close(s);
        return st;
    }
    *out = s;
    return FH_OK;
}

/* Reading */

const fh_schema *scan_parallel_schema(const scan_parallel *scan)
{
    return scan->schema;
}

const fh_reader *scan_parallel_reader(const scan_parallel *scan)
{
    return scan->reader;
}

bool scan_parallel_is_parallel(const scan_parallel *scan)
{
    return scan->map != NULL;
}

const fh_read_stats *scan_parallel_stats(const scan_parallel *scan)
{
    return scan->map != NULL ? &scan->stats : fh_reader_stats(scan->reader);
}

/*
 * Frees a delivered chunk's batches, drops its pages from the mapping, and lets the workers
 * run one chunk further ahead. Mapped pages count as the process's resident memory until
 * dropped, so without this the peak would grow with the file size.
 */
static void finish_chunk(scan_parallel *s, chunk *c)
{
    /* Every byte before c->end is parsed, but a worker may still read the page of c->end. */
    long page = sysconf(_SC_PAGESIZE);
    size_t page_bytes = page > 0 ? (size_t)page : 1;
    size_t keep_from = c->end == s->map_len ? s->map_len : c->end / page_bytes * page_bytes;
    if (page > 0 && keep_from > s->dropped_to) {
        madvise((void *)(s->map + s->dropped_to), keep_from - s->dropped_to, MADV_DONTNEED);
        s->dropped_to = keep_from;
    }
    for (size_t i = s->next_batch; i < c->nbatches; i++)
        recycle_batch(s, &c->batches[i]);
    free(c->batches);
    c->batches = NULL;
    c->nbatches = 0;
    s->next_batch = 0;
    pthread_mutex_lock(&s->lock);
    s->next_deliver++;
    pthread_cond_broadcast(&s->chunk_freed);
    pthread_mutex_unlock(&s->lock);
}

/* Hands batch the storage of the chunk's next batch, adding the chunk's line offset. */
static void deliver_batch(scan_parallel *s, chunk *c, fh_batch *batch)
{
    fh_batch *from = &c->batches[s->next_batch++];
    for (size_t row = 0; row < from->nrows; row++) {
        if (from->line_numbers[row] != 0)
            from->line_numbers[row] += s->line_base;
    }
    fh_batch old = *batch;
    *batch = *from;
    *from = old;
    recycle_batch(s, from);
}

/* Waits until the next chunk in file order is parsed; false when there is none. */
static bool wait_for_chunk(scan_parallel *s)
{
    pthread_mutex_lock(&s->lock);
    bool ready = false;
    for (;;) {
        if (s->next_deliver < s->nchunks && chunk_at(s, s->next_deliver)->done) {
            ready = true;
            break;
        }
        if (s->next_deliver >= s->nchunks && s->planned_to >= s->map_len)
            break;
        pthread_cond_wait(&s->chunk_done, &s->lock);
    }
    pthread_mutex_unlock(&s->lock);
    return ready;
}

/* Tells the workers to stop after their current chunk. */
static void stop_workers(scan_parallel *s)
{
    pthread_mutex_lock(&s->lock);
    s->stopping = true;
    pthread_cond_broadcast(&s->chunk_freed);
    pthread_mutex_unlock(&s->lock);
}

/*
 * Delivers the rows of the lines that the detecting reader of a JSON lines file read ahead.
 * Returns FH_DONE when they are used up; the chunks follow.
 */
static fh_status next_head_batch(scan_parallel *s, fh_batch *batch, fh_error *err)
{
    fh_status st = fh_reader_next(s->reader, batch, err);
    copy_head_stats(s);
    if (st == FH_OK)
        return FH_OK;
    s->head = false;
    if (st == FH_DONE) {
        s->line_base = s->stats.lines;
    } else {
        s->ended = true; /* an error ends the scan, as with one reader */
        stop_workers(s);
    }
    return st;
}

fh_status scan_parallel_next(scan_parallel *s, fh_batch *batch, fh_error *err)
{
    if (s->map == NULL)
        return fh_reader_next(s->reader, batch, err);
    if (batch->schema != s->schema)
        return fh_error_set(err, FH_ERR_USAGE, s->reader->name, 0, 0,
                            "the batch was not made for this scan's schema; initialise it "
                            "with scan_parallel_schema()");
    fh_batch_clear(batch);
    if (s->head) {
        fh_status st = next_head_batch(s, batch, err);
        if (st != FH_DONE)
            return st;
    }

    while (!s->ended) {
        if (!wait_for_chunk(s))
            break;
        chunk *c = chunk_at(s, s->next_deliver);

        if (s->next_batch < c->nbatches) {
            deliver_batch(s, c, batch);
            return FH_OK;
        }
        /* The chunk is used up: its statistics and error join the file's, in order. */
        merge_stats(&s->stats, &c->stats, s->line_base);
        if (c->status != FH_OK) {
            *err = c->err;
            if (err->line != 0)
                err->line += s->line_base;
            fh_status st = c->status;
            finish_chunk(s, c);
            s->ended = true; /* an error ends the scan, as with one reader */
            stop_workers(s);
            return st;
        }
        s->line_base += c->stats.lines;
        finish_chunk(s, c);
    }
    return FH_DONE;
}

void scan_parallel_close(scan_parallel *s)
{
    if (s == NULL)
        return;
    if (s->nworkers > 0 || s->workers != NULL) {
        stop_workers(s);
        for (int i = 0; i < s->nworkers; i++)
            pthread_join(s->workers[i], NULL);
        free(s->workers);
    }
    if (s->chunks != NULL) {
        for (size_t i = 0; i < s->window; i++) {
            for (size_t b = 0; b < s->chunks[i].nbatches; b++)
                fh_batch_destroy(&s->chunks[i].batches[b]);
            free(s->chunks[i].batches);
        }
        free(s->chunks);
        pthread_mutex_destroy(&s->lock);
        pthread_cond_destroy(&s->chunk_done);
        pthread_cond_destroy(&s->chunk_freed);
    }
    for (size_t i = 0; i < s->nspares; i++)
        fh_batch_destroy(&s->spares[i]);
    free(s->spares);
    if (s->map != NULL)
        munmap((void *)s->map, s->map_len);
    fh_reader_close(s->reader);
    if (s->sequential_filter_ctx != NULL && s->options.filter_ctx_destroy != NULL)
        s->options.filter_ctx_destroy(s->sequential_filter_ctx);
    free(s);
}
