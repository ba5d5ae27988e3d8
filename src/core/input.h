/*
 * Whole-file input: reads a file or standard input into memory and undoes gzip or zstd
 * compression, detected by magic bytes whatever the file is called.
 */
#ifndef FH_CORE_INPUT_H
#define FH_CORE_INPUT_H

#include <stddef.h>

#include "foxhound/error.h"

/*
 * Reads path ("-" for standard input) into a malloc'd buffer with a NUL after the data, and
 * decompresses gzip (including concatenated members) and zstd. The result is capped at
 * FH_MAX_JSON_DOCUMENT_BYTES: a larger input is FH_ERR_LIMIT. Errors name the path: FH_ERR_IO
 * or FH_ERR_NOT_FOUND for reading, FH_ERR_COMPRESS for a corrupt or truncated stream.
 * On success the caller frees *data.
 */
fh_status fh_input_read_all(const char *path, char **data, size_t *len, fh_error *err);

/*
 * Decompresses a gzip or zstd buffer into a malloc'd buffer with a trailing NUL, or copies it
 * when it has neither magic. name is used in errors.
 */
fh_status fh_input_decode(const char *name, const char *raw, size_t raw_len, char **data,
                          size_t *len, fh_error *err);

#endif
