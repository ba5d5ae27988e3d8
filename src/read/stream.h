/*
 * Byte streams that the log readers pull from: a file, standard input ("-") or a buffer in
 * memory, with gzip or zstd compression undone on the fly. Compression is recognised by the
 * magic bytes at the start of the data, whatever the file is called. Concatenated gzip members
 * and zstd frames are read one after another, as gzip -d and zstd -d do.
 */
#ifndef FOXHOUND_STREAM_H
#define FOXHOUND_STREAM_H

#include <stddef.h>

#include "foxhound/error.h"

typedef enum stream_compression {
    STREAM_PLAIN = 0,
    STREAM_GZIP,
    STREAM_ZSTD,
} stream_compression;

typedef struct stream stream;

/* Opens a file, or standard input when path is "-". Errors name the path. */
fh_status stream_open_file(const char *path, stream **out, fh_error *err);

/* Opens a stream over len bytes at data, which the caller keeps alive until stream_close. */
fh_status stream_open_memory(const char *name, const void *data, size_t len, stream **out,
                             fh_error *err);

/*
 * Reads up to cap decompressed bytes into buf and stores the count in *got. *got is 0 only at
 * the end of the data. A corrupt or truncated compressed stream is FH_ERR_COMPRESS.
 */
fh_status stream_read(stream *s, void *buf, size_t cap, size_t *got, fh_error *err);

/* Returns the compression found at open time. */
stream_compression stream_compression_of(const stream *s);

/* Returns "plain", "gzip" or "zstd". */
const char *stream_compression_name(stream_compression compression);

/* Returns the name given at open ("-" for standard input). */
const char *stream_name(const stream *s);

/* Closes the file (never standard input) and frees the stream. Accepts NULL. */
void stream_close(stream *s);

#endif
