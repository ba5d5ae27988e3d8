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

/* Ticks of 0001-01-01T00:00:00Z and of 9999-12-31T23:59:59.9999999Z, Kusto's datetime range. */
#define FH_DATETIME_MIN_TICKS (-621355968000000000LL)
#define FH_DATETIME_MAX_TICKS (2534023007999999999LL)

/* Buffer size that holds any text fh_datetime_format or fh_timespan_format writes, with NUL. */
#define FH_DATETIME_TEXT_MAX 40

/*
 * Parses a datetime and converts it to UTC ticks. Accepted forms, with leading and trailing
 * spaces ignored and month and zone names matched without regard to case:
 *   ISO 8601        "2026-06-11", "2026-06-11T08:20", "2026-06-11 08:20:03.1234567Z",
 *                   "2021-06-23 03:08:14.159814200+00:00", offsets "+02:00", "+0200", "+02"
 *   ThreatFox       "2026-06-11 08:20:03 UTC"
 *   RFC 822         "Sat, 13 Jun 2026 08:20:03 GMT", "13 Jun 26 08:20 +0200"
 *   RFC 850         "Saturday, 13-Jun-26 08:20:03 GMT"
 *   CEF             "Jun 13 2026 08:20:03.123 UTC", "Nov 19, 2014 18:21:13"
 *   portal export   "6/2/2021, 8:46:51.919 AM" (month/day/year, as the US-English portal)
 *   epoch           13 digits as milliseconds, 10 digits as seconds
 * Fractions keep their first 7 digits (100 ns) and drop the rest. Zone names are Z, UT, UTC,
 * GMT and the US zones EST, EDT, CST, CDT, MST, MDT, PST, PDT; "GMT+01:00" is an offset. A
 * form without a zone is UTC. A two-digit year yy is 20yy when yy < 50, else 19yy (the rule
 * of RFC 5322 section 4.3). The CEF form without a year ("Jun 13 08:20:03") is rejected here:
 * use fh_datetime_parse_with_year. Returns FH_ERR_PARSE when no form fits, and FH_ERR_INVALID
 * when a form fits but a field is out of range (month 13, 30 February, hour 24, a result
 * outside years 1 to 9999).
 */
fh_status fh_datetime_parse(const char *text, size_t len, int64_t *ticks);

/*
 * Parses like fh_datetime_parse, and also accepts the CEF forms without a year
 * ("MMM dd HH:mm:ss[.SSS] [zone]"), which take default_year. The caller picks the year (for
 * example from the file's date or a command-line option), so that a result never depends on
 * the clock of the machine that runs the parse.
 */
fh_status fh_datetime_parse_with_year(const char *text, size_t len, int default_year,
                                      int64_t *ticks);

/*
 * Writes "2026-06-11T08:20:03Z", with a fraction ".fffffff" trimmed of trailing zeros when it
 * is not zero ("2026-06-11T08:20:03.12Z"). foxhound prints this one form in tostring(), JSON,
 * CSV and tables, so output stays stable. Writes at most size bytes including a NUL, like
 * snprintf, and returns the length of the whole text (under FH_DATETIME_TEXT_MAX).
 */
size_t fh_datetime_format(int64_t ticks, char *buf, size_t size);

/*
 * Parses a timespan: Kusto literals ("1h", "1.5d", "30m", "100ms", "10tick", "-2days", with
 * every unit spelling Kusto accepts) and the "[-][d.]hh:mm[:ss[.fffffff]]" form, where a bare
 * whole number is days as in Kusto's timespan(2). A literal's fraction keeps 7 digits and the
 * result is truncated toward zero to whole ticks. Returns FH_ERR_PARSE when neither form fits,
 * FH_ERR_INVALID when a field is out of range (minutes 60), and FH_ERR_LIMIT when the value
 * does not fit in 64-bit ticks.
 */
fh_status fh_timespan_parse(const char *text, size_t len, int64_t *ticks);

/*
 * Writes a timespan as Kusto prints it (the .NET "c" format): "[-][d.]hh:mm:ss[.fffffff]",
 * with the fraction always 7 digits when it is not zero ("1.02:03:04.5000000"). Writes at most
 * size bytes including a NUL, like snprintf, and returns the length of the whole text.
 */
size_t fh_timespan_format(int64_t ticks, char *buf, size_t size);

#ifdef __cplusplus
}
#endif

#endif
