/* Status names and the fh_error helpers that every module reports through. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "foxhound/error.h"

static const char *const status_names[FH_STATUS_COUNT] = {
    [FH_OK] = "ok",
    [FH_DONE] = "done",
    [FH_ERR_NOMEM] = "out of memory",
    [FH_ERR_IO] = "I/O error",
    [FH_ERR_NOT_FOUND] = "not found",
    [FH_ERR_USAGE] = "usage error",
    [FH_ERR_PARSE] = "parse error",
    [FH_ERR_INVALID] = "invalid value",
    [FH_ERR_LIMIT] = "limit exceeded",
    [FH_ERR_UNSUPPORTED] = "unsupported",
    [FH_ERR_TYPE] = "type error",
    [FH_ERR_DB] = "database error",
    [FH_ERR_FORMAT] = "unknown format",
    [FH_ERR_INTERNAL] = "internal error",
    [FH_ERR_COMPRESS] = "decompression error",
};

const char *fh_status_name(fh_status status)
{
    if ((unsigned)status >= FH_STATUS_COUNT || status_names[status] == NULL)
        return "unknown status";
    return status_names[status];
}

void fh_error_clear(fh_error *err)
{
    if (err == NULL)
        return;
    err->status = FH_OK;
    err->source[0] = '\0';
    err->line = 0;
    err->column = 0;
    err->message[0] = '\0';
}

fh_status fh_error_set(fh_error *err, fh_status status, const char *source, unsigned long line,
                       unsigned long column, const char *fmt, ...)
{
    if (err == NULL)
        return status;

    err->status = status;
    snprintf(err->source, sizeof err->source, "%s", source ? source : "");
    err->line = line;
    err->column = column;

    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return status;
}

size_t fh_error_format(const fh_error *err, char *buf, size_t size)
{
    int n;
    if (err->source[0] != '\0' && err->line > 0 && err->column > 0)
        n = snprintf(buf, size, "%s:%lu:%lu: %s", err->source, err->line, err->column,
                     err->message);
    else if (err->source[0] != '\0' && err->line > 0)
        n = snprintf(buf, size, "%s:%lu: %s", err->source, err->line, err->message);
    else if (err->source[0] != '\0')
        n = snprintf(buf, size, "%s: %s", err->source, err->message);
    else
        n = snprintf(buf, size, "%s", err->message);
    return n < 0 ? 0 : (size_t)n;
}
