/*
 * The indicator selection options that several commands share (--type, --min-confidence,
 * --since), and the current time as those commands take it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "cli_select.h"
#include "foxhound/datetime.h"
#include "foxhound/limits.h"
#include "foxhound/indicator.h"
#include "foxhound/value.h"

int64_t cli_now_ticks(void)
{
    const char *epoch = getenv("SOURCE_DATE_EPOCH");
    if (epoch != NULL && epoch[0] != '\0') {
        char *end = NULL;
        long long seconds = strtoll(epoch, &end, 10);
        if (*end == '\0' && seconds >= 0)
            return (int64_t)seconds * FH_TICKS_PER_SECOND;
    }
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * FH_TICKS_PER_SECOND + ts.tv_nsec / 100;
}

int cli_parse_types(const char *command, const char *text, uint32_t *types)
{
    const char *start = text;
    for (;;) {
        const char *comma = strchr(start, ',');
        size_t len = comma != NULL ? (size_t)(comma - start) : strlen(start);
        fh_ioc_type type;
        if (fh_ioc_type_from_name(start, len, &type) != FH_OK)
            return cli_usage_error(command,
                                   "invalid --type '%.*s'; use ipv4, ipv6, ip:port, cidr, "
                                   "domain, url, md5, sha1 or sha256",
                                   (int)len, start);
        *types |= 1u << type;
        if (comma == NULL)
            return CLI_EXIT_OK;
        start = comma + 1;
    }
}

int cli_parse_confidence(const char *command, const char *text, int *out)
{
    char *end = NULL;
    errno = 0;
    long value = strtol(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || value < 0 || value > 100)
        return cli_usage_error(
            command, "invalid --min-confidence '%s'; give a whole number from 0 to 100", text);
    *out = (int)value;
    return CLI_EXIT_OK;
}

int cli_parse_since(const char *command, const char *text, int64_t *out)
{
    size_t len = strlen(text);
    int64_t ticks = 0;
    if (fh_datetime_parse(text, len, &ticks) == FH_OK) {
        *out = ticks;
        return CLI_EXIT_OK;
    }
    if (fh_timespan_parse(text, len, &ticks) == FH_OK && ticks >= 0) {
        *out = cli_now_ticks() - ticks;
        return CLI_EXIT_OK;
    }
    return cli_usage_error(command,
                           "invalid --since '%s'; give a date such as 2026-06-11, a time such "
                           "as 2026-06-11T08:00:00Z or an age such as 30d",
                           text);
}

int cli_parse_threads(const char *command, const char *text, int *out)
{
    char *end = NULL;
    errno = 0;
    long value = strtol(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || value < 1 || value > FH_MAX_SCAN_THREADS)
        return cli_usage_error(command, "invalid --threads '%s'; give a whole number from 1 to %d",
                               text, FH_MAX_SCAN_THREADS);
    *out = (int)value;
    return CLI_EXIT_OK;
}
