/* Fuzz target for the indicator importer of STIX 2.x bundles and their patterns. */
#include "fuzz_ioc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_ioc_import(FH_IOC_FORMAT_STIX, data, size);
}
