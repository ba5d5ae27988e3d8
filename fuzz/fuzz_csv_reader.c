/* Fuzz target for the CSV reader: header mapping, quoting and multi-line records. */
#include "reader_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const columns[3] = {"DeviceVendor", "TimeGenerated", "DestinationPort"};
    fuzz_reader(data, size, FH_LOG_CSV, columns, "CommonSecurityLog");
    return 0;
}
