/*
 * Parallel scanning of one log file: worker threads parse line-aligned chunks of the file,
 * and the caller receives the batches in file order with the same line numbers and merged
 * statistics as a single fh_reader would give.
 *
 * Only an uncompressed regular CEF or JSON lines file splits into chunks. Anything else
 * (compressed input, standard input, whole JSON documents, CSV, a file smaller than two chunks,
 * threads <= 1) is read by one fh_reader in the calling thread, through the same interface.
 */
#ifndef FOXHOUND_SCAN_PARALLEL_H
#define FOXHOUND_SCAN_PARALLEL_H

#include <stdbool.h>
#include <stddef.h>

#include "foxhound/error.h"
#include "foxhound/reader.h"
#include "foxhound/table.h"

/*
 * Default chunk sizes. A file is cut into about SCAN_PARALLEL_CHUNKS_PER_THREAD chunks per
 * worker, each from SCAN_PARALLEL_CHUNK_BYTES to SCAN_PARALLEL_MAX_CHUNK_BYTES. Small files
 * so still spread over every worker. Large ones pay less often for opening a reader and for
 * mapping and dropping pages per chunk. On 1 GiB of CEF, 4 MiB chunks took a quarter less CPU
 * time than 1 MiB chunks for a prefiltered hunt. A chunk's rows are held
 * until the caller takes them, so a chunk of CEF with every column decoded (about 1,300 lines
 * per MiB, 164 cells per row) takes about 5 MiB of cells per MiB of input.
 */
#define SCAN_PARALLEL_CHUNK_BYTES (1024 * 1024)
#define SCAN_PARALLEL_MAX_CHUNK_BYTES (4 * 1024 * 1024)
#define SCAN_PARALLEL_CHUNKS_PER_THREAD 32

/* Chunks each worker may parse ahead of the caller; memory is bounded by this, not file size. */
#define SCAN_PARALLEL_WINDOW_PER_THREAD 2

typedef struct scan_parallel scan_parallel;

typedef struct scan_parallel_options {
    fh_read_options read; /* as for fh_reader_open; read.line_filter_ctx is used by one thread */
    int threads;          /* worker threads; 0 or 1 reads in the calling thread */
    size_t chunk_bytes;   /* target chunk size; 0 picks one from the file size */
    /*
     * A line filter runs in every worker at once, so each worker gets its own context from
     * filter_ctx_create(filter_arg), freed by filter_ctx_destroy. Without filter_ctx_create
     * the filter's context is read.line_filter_ctx, which must then be safe to share.
     */
    void *(*filter_ctx_create)(void *arg);
    void (*filter_ctx_destroy)(void *ctx);
    void *filter_arg;
} scan_parallel_options;

/* Opens path for scanning; the format and table are detected as fh_reader_open does. */
fh_status scan_parallel_open(const char *path, const scan_parallel_options *options,
                             scan_parallel **out, fh_error *err);

/* The schema of every batch, valid until close. */
const fh_schema *scan_parallel_schema(const scan_parallel *scan);

/* The reader that detected the format; fh_reader_format and fh_reader_detection apply. */
const fh_reader *scan_parallel_reader(const scan_parallel *scan);

/* True when the file is being read in chunks by worker threads. */
bool scan_parallel_is_parallel(const scan_parallel *scan);

/*
 * Fills batch (initialised with scan_parallel_schema) with the next rows in file order.
 * Returns FH_OK with at least one row, FH_DONE at the end, or the first error in file order.
 */
fh_status scan_parallel_next(scan_parallel *scan, fh_batch *batch, fh_error *err);

/* Statistics of the chunks delivered so far, merged in file order. */
const fh_read_stats *scan_parallel_stats(const scan_parallel *scan);

/* Stops the workers, closes the file and frees the scan. Accepts NULL. */
void scan_parallel_close(scan_parallel *scan);

#endif
