/*
 * Status codes and the error value that every fallible libfoxhound function fills.
 *
 * A function returns an fh_status and, when it is not FH_OK, fills the caller's fh_error with
 * where the problem is (source name, line, column, both 1-based, 0 when unknown) and a message
 * a person can act on. The library never prints and never exits. Codes keep their numbers
 * forever: a code that goes out of use stays as a placeholder.
 */
#ifndef FOXHOUND_ERROR_H
#define FOXHOUND_ERROR_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum fh_status {
    FH_OK = 0,
    FH_DONE = 1,          /* an iterator has no more items; not an error */
    FH_ERR_NOMEM = 2,     /* an allocation failed */
    FH_ERR_IO = 3,        /* reading or writing a file failed */
    FH_ERR_NOT_FOUND = 4, /* a file, table, column or name does not exist */
    FH_ERR_USAGE = 5,     /* an argument or option is invalid */
    FH_ERR_PARSE = 6,     /* input text is malformed */
    FH_ERR_INVALID = 7,   /* a value is well-formed but not allowed (bad hash length, port) */
    FH_ERR_LIMIT = 8,     /* input goes over a cap in foxhound/limits.h */
    FH_ERR_UNSUPPORTED = 9, /* valid syntax or format that foxhound does not implement */
    FH_ERR_TYPE = 10,     /* a query combines values of types that do not fit */
    FH_ERR_DB = 11,       /* the SQLite indicator database failed */
    FH_ERR_FORMAT = 12,   /* the input format could not be detected */
    FH_ERR_INTERNAL = 13, /* an invariant failed; a bug in foxhound */
    FH_ERR_COMPRESS = 14, /* a gzip or zstd stream is corrupt or truncated */
    FH_STATUS_COUNT
} fh_status;

#define FH_ERROR_SOURCE_MAX 512
#define FH_ERROR_MESSAGE_MAX 1024

typedef struct fh_error {
    fh_status status;
    char source[FH_ERROR_SOURCE_MAX]; /* file name, "<query>", "-" for stdin; "" if none */
    unsigned long line;               /* 1-based; 0 when not about a line */
    unsigned long column;             /* 1-based; 0 when not about a column */
    char message[FH_ERROR_MESSAGE_MAX];
} fh_error;

/* Returns a short constant name for a status, such as "parse error". */
const char *fh_status_name(fh_status status);

/* Resets an error value to FH_OK with empty fields. Accepts NULL. */
void fh_error_clear(fh_error *err);

/*
 * Fills err (when not NULL) with the status, location and a printf-style message, and returns
 * the status so that a caller can write `return fh_error_set(err, ...)`.
 */
fh_status fh_error_set(fh_error *err, fh_status status, const char *source, unsigned long line,
                       unsigned long column, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/*
 * Formats an error as "SOURCE:LINE:COL: MESSAGE", leaving out the parts that are unknown.
 * Returns the length written, truncating to fit size like snprintf.
 */
size_t fh_error_format(const fh_error *err, char *buf, size_t size);

#ifdef __cplusplus
}
#endif

#endif
