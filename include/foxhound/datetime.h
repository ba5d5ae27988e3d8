/*
 * Datetime and timespan text: parsing the forms that logs, feeds and KQL literals use, and
 * printing them the way Kusto does. A datetime is 100 ns ticks since 1970-01-01T00:00:00Z
 * (UTC); a timespan is signed 100 ns ticks.
 */
#ifndef FOXHOUND_DATETIME_H
#define FOXHOUND_DATETIME_H

#include <stddef.h>
#include <stdint.h>

#include "foxhound/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Parses a datetime: ISO 8601 ("2026-06-11", "2026-06-11T08:20:03.1234567Z", offsets such as
 * "+02:00", a space instead of "T"), RFC 822 and RFC 850 dates, the CEF forms
 * ("MMM dd yyyy HH:mm:ss[.SSS] [zone]", "MMM dd HH:mm:ss[.SSS] [zone]") and epoch
 * milliseconds as digits only. Returns FH_ERR_PARSE when none fits.
 */
fh_status fh_datetime_parse(const char *text, size_t len, int64_t *ticks);

/* Writes "2026-06-11T08:20:03Z", with ".fffffff" trimmed of trailing zeros when there is a
 * fraction. Returns the length written (at most 32 bytes are needed). */
size_t fh_datetime_format(int64_t ticks, char *buf, size_t size);

/*
 * Parses a timespan: Kusto literals ("1h", "1.5d", "30m", "100ms", "10tick") and the
 * "[-][d.]hh:mm:ss[.fffffff]" form. Returns FH_ERR_PARSE when neither fits.
 */
fh_status fh_timespan_parse(const char *text, size_t len, int64_t *ticks);

/* Writes a timespan as Kusto prints it: "[-][d.]hh:mm:ss[.fffffff]". Returns the length. */
size_t fh_timespan_format(int64_t ticks, char *buf, size_t size);

#ifdef __cplusplus
}
#endif

#endif
