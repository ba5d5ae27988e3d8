/* Fuzz target: exclusion files (YAML) of any content. */
#include <stddef.h>
#include <stdint.h>

#include "foxhound/hunt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fh_exclusion_set set;
    fh_error err;
    if (fh_exclusions_parse("fuzz", (const char *)data, size, &set, &err) == FH_OK)
        fh_exclusions_free(&set);
    return 0;
}
