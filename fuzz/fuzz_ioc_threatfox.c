/* Fuzz target for the ThreatFox importer: JSON (API response or export) and CSV. */
#include "fuzz_ioc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The first byte picks the variant so that one corpus covers both parsers. */
    if (size == 0)
        return 0;
    fh_ioc_format format =
        data[0] == '{' ? FH_IOC_FORMAT_THREATFOX_JSON : FH_IOC_FORMAT_THREATFOX_CSV;
    return fuzz_ioc_import(format, data, size);
}
