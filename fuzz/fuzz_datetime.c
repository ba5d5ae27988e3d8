/*
 * Fuzz target for datetime and timespan text. Every input goes to both parsers; an accepted
 * value must print and parse back to the same ticks, which checks the printers too.
 */
#include <stdint.h>
#include <stdlib.h>

#include "foxhound/datetime.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_datetime(int64_t ticks)
{
    if (ticks < FH_DATETIME_MIN_TICKS || ticks > FH_DATETIME_MAX_TICKS)
        abort();
    char buf[FH_DATETIME_TEXT_MAX];
    size_t n = fh_datetime_format(ticks, buf, sizeof buf);
    int64_t back = 0;
    if (n >= sizeof buf || fh_datetime_parse(buf, n, &back) != FH_OK || back != ticks)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    int64_t ticks = 0;

    if (fh_datetime_parse(text, size, &ticks) == FH_OK)
        check_datetime(ticks);
    if (fh_datetime_parse_with_year(text, size, 2024, &ticks) == FH_OK)
        check_datetime(ticks);

    if (fh_timespan_parse(text, size, &ticks) == FH_OK) {
        char buf[FH_DATETIME_TEXT_MAX];
        size_t n = fh_timespan_format(ticks, buf, sizeof buf);
        int64_t back = 0;
        if (n >= sizeof buf || fh_timespan_parse(buf, n, &back) != FH_OK || back != ticks)
            abort();
    }
    return 0;
}
