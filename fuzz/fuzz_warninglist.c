/*
 * Fuzz target for MISP warninglist parsing and matching: a list that parses is matched
 * against one indicator of each kind.
 */
#include <stdint.h>
#include <string.h>

#include "foxhound/warninglist.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct {
    fh_ioc_type type;
    const char *value;
} probes[] = {
    {FH_IOC_IPV4, "104.16.1.1"},
    {FH_IOC_IP_PORT, "[2606:4700::1111]:443"},
    {FH_IOC_CIDR, "10.0.0.0/16"},
    {FH_IOC_DOMAIN, "mail.google.com"},
    {FH_IOC_URL, "https://user@bit.ly:8443/x?y#z"},
    {FH_IOC_MD5, "d41d8cd98f00b204e9800998ecf8427e"},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fh_warninglist *list = NULL;
    if (fh_warninglist_parse("fuzz", (const char *)data, size, &list, NULL) != FH_OK)
        return 0;
    for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++) {
        fh_indicator ioc;
        fh_indicator_init(&ioc);
        if (fh_indicator_normalize(probes[i].type, probes[i].value, strlen(probes[i].value), &ioc,
                                   NULL) == FH_OK)
            (void)fh_warninglist_match(list, &ioc);
        fh_indicator_clear(&ioc);
    }
    fh_warninglist_destroy(list);
    return 0;
}
