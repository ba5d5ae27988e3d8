/*
 * Sorted, deduplicated value lists per indicator kind, for the SPL, Sigma and Suricata
 * writers (see rule_lists.h).
 */
#include <stdlib.h>
#include <string.h>

#include "rule/rule_internal.h"
#include "rule/rule_lists.h"

static int compare_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void finish(rule_list *list)
{
    if (list->count == 0)
        return;
    qsort(list->items, list->count, sizeof *list->items, compare_str);
    size_t out = 1;
    for (size_t i = 1; i < list->count; i++) {
        if (strcmp(list->items[i], list->items[out - 1]) != 0)
            list->items[out++] = list->items[i];
    }
    list->count = out;
}

static void push(rule_list *list, const char *value)
{
    list->items[list->count++] = value;
}

static void add(rule_lists *l, const fh_indicator *ioc)
{
    switch (ioc->type) {
    case FH_IOC_IPV4:
    case FH_IOC_IPV6:
        push(&l->addresses, ioc->value);
        break;
    case FH_IOC_IP_PORT:
        push(&l->addresses, ioc->address);
        push(&l->address_ports, ioc->value);
        break;
    case FH_IOC_CIDR:
        push(&l->ranges, ioc->value);
        break;
    case FH_IOC_DOMAIN:
        push(&l->domains, ioc->value);
        break;
    case FH_IOC_URL:
        push(&l->urls, ioc->value);
        break;
    case FH_IOC_SHA256:
        push(&l->sha256, ioc->value);
        break;
    case FH_IOC_SHA1:
        push(&l->sha1, ioc->value);
        break;
    case FH_IOC_MD5:
        push(&l->md5, ioc->value);
        break;
    default:
        break;
    }
}

#define RULE_LIST_COUNT 8

static rule_list *all_lists(rule_lists *l, size_t i)
{
    rule_list *lists[RULE_LIST_COUNT] = {&l->addresses, &l->address_ports, &l->ranges, &l->domains,
                                         &l->urls,      &l->sha256,        &l->sha1,   &l->md5};
    return lists[i];
}

fh_status rule_lists_build(const fh_ioc_set *iocs, rule_lists *lists, fh_error *err)
{
    memset(lists, 0, sizeof *lists);
    for (size_t i = 0; i < RULE_LIST_COUNT; i++) {
        rule_list *list = all_lists(lists, i);
        list->items = malloc((iocs->count ? iocs->count : 1) * sizeof *list->items);
        if (list->items == NULL) {
            rule_lists_free(lists);
            return rule_nomem(err, "indicator lists");
        }
    }
    for (size_t i = 0; i < iocs->count; i++)
        add(lists, &iocs->items[i]);
    for (size_t i = 0; i < RULE_LIST_COUNT; i++)
        finish(all_lists(lists, i));
    return FH_OK;
}

void rule_lists_free(rule_lists *lists)
{
    for (size_t i = 0; i < RULE_LIST_COUNT; i++)
        free(all_lists(lists, i)->items);
    memset(lists, 0, sizeof *lists);
}

size_t rule_lists_network(const rule_lists *l)
{
    return l->addresses.count + l->ranges.count + l->domains.count + l->urls.count;
}

size_t rule_lists_hashes(const rule_lists *l)
{
    return l->sha256.count + l->sha1.count + l->md5.count;
}
