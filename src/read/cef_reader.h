/*
 * CEF records (with an optional syslog prefix) parsed into CommonSecurityLog rows. The reader
 * framework in reader.c splits lines and calls cef_reader_parse_line for each one.
 */
#ifndef FOXHOUND_CEF_READER_H
#define FOXHOUND_CEF_READER_H

#include <stdbool.h>
#include <stddef.h>

#include "foxhound/arena.h"
#include "foxhound/error.h"
#include "foxhound/value.h"

/* Returns true when a line holds a "CEF:" marker at a place a CEF record can start. */
bool cef_reader_is_cef(const char *line, size_t len);

/*
 * Parses one line into row, which has one cell per CommonSecurityLog column (see
 * fh_schema_builtin("CommonSecurityLog")) already set to null. wanted[i] false means column i
 * need not be decoded (NULL decodes all). Strings are copied into arena. Returns FH_OK, or
 * FH_ERR_PARSE with a short reason in err->message (and the column in err->column) when the
 * line is not a CEF record.
 */
fh_status cef_reader_parse_line(const char *line, size_t len, const bool *wanted,
                                fh_value *row, fh_arena *arena, fh_error *err);

#endif
