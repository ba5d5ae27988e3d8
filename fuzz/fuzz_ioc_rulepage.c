/* Fuzz target for the rule page importer: markdown tables and KQL dynamic([...]) lists. */
#include "fuzz_ioc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_ioc_import(FH_IOC_FORMAT_RULEPAGE, data, size);
}
