/* Fuzz target for the JSON reader: lines, arrays, Event Hub and API documents. */
#include "reader_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const columns[3] = {"RemoteIP", "Timestamp", "AdditionalFields"};
    fuzz_reader(data, size, FH_LOG_JSON, columns, "DeviceNetworkEvents");
    return 0;
}
