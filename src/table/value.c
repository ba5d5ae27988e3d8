/* Kusto type names and null values. */
#include <string.h>
#include <strings.h>

#include "foxhound/value.h"

static const char *const type_names[FH_TYPE_COUNT] = {
    [FH_TYPE_BOOL] = "bool",     [FH_TYPE_INT] = "int",           [FH_TYPE_LONG] = "long",
    [FH_TYPE_REAL] = "real",     [FH_TYPE_DATETIME] = "datetime", [FH_TYPE_TIMESPAN] = "timespan",
    [FH_TYPE_STRING] = "string", [FH_TYPE_DYNAMIC] = "dynamic",   [FH_TYPE_GUID] = "guid",
};

const char *fh_type_name(fh_type type)
{
    return (unsigned)type < FH_TYPE_COUNT ? type_names[type] : "unknown";
}

static const struct {
    const char *name;
    fh_type type;
} type_aliases[] = {
    {"bool", FH_TYPE_BOOL},         {"boolean", FH_TYPE_BOOL},  {"int", FH_TYPE_INT},
    {"long", FH_TYPE_LONG},         {"real", FH_TYPE_REAL},     {"double", FH_TYPE_REAL},
    {"datetime", FH_TYPE_DATETIME}, {"date", FH_TYPE_DATETIME}, {"timespan", FH_TYPE_TIMESPAN},
    {"time", FH_TYPE_TIMESPAN},     {"string", FH_TYPE_STRING}, {"dynamic", FH_TYPE_DYNAMIC},
    {"guid", FH_TYPE_GUID},         {"uuid", FH_TYPE_GUID},     {"uniqueid", FH_TYPE_GUID},
};

fh_status fh_type_from_name(const char *name, size_t len, fh_type *out)
{
    for (size_t i = 0; i < sizeof type_aliases / sizeof type_aliases[0]; i++) {
        if (strlen(type_aliases[i].name) == len && memcmp(type_aliases[i].name, name, len) == 0) {
            *out = type_aliases[i].type;
            return FH_OK;
        }
    }
    return FH_ERR_NOT_FOUND;
}
