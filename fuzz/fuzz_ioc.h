/*
 * Shared body of the indicator importer fuzz targets. Each target forces one format through
 * fh_ioc_import_memory and then checks an invariant: every imported value is canonical, so
 * normalising it again as its own type must give the same text.
 */
#ifndef FUZZ_IOC_H
#define FUZZ_IOC_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "foxhound/ioc_import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_check_canonical(const fh_indicator *ioc)
{
    fh_indicator again;
    fh_indicator_init(&again);
    if (fh_indicator_normalize(ioc->type, ioc->value, strlen(ioc->value), &again, NULL) != FH_OK)
        abort();
    if (again.type != ioc->type || strcmp(again.value, ioc->value) != 0)
        abort();
    fh_indicator_clear(&again);
}

static int fuzz_ioc_import(fh_ioc_format format, const uint8_t *data, size_t size)
{
    fh_ioc_set set;
    fh_ioc_set_init(&set);
    fh_error err;
    fh_status st = fh_ioc_import_memory("fuzz", (const char *)data, size, format, &set, NULL, &err);
    if (st != FH_OK && set.count != 0)
        abort(); /* a failed import leaves the set as it was */
    for (size_t i = 0; i < set.count; i++)
        fuzz_check_canonical(&set.items[i]);
    if (set.nrejects > set.rejected_total)
        abort();
    fh_ioc_set_clear(&set);
    return 0;
}

#endif
