/* Fuzz target for the indicator importer of MISP events, composite attribute types and objects. */
#include "fuzz_ioc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_ioc_import(FH_IOC_FORMAT_MISP, data, size);
}
