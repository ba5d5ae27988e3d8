/* Options of `foxhound ioc` and its list and stats commands, shared by cmd_ioc.c and
 * cmd_ioc_show.c. */
#ifndef FOXHOUND_CMD_IOC_H
#define FOXHOUND_CMD_IOC_H

#include <stdbool.h>

#include "foxhound/ioc_store.h"

typedef struct ioc_options {
    const char *db_path; /* --db PATH; NULL for FOXHOUND_DB or the default path */
    fh_ioc_filter filter;
    const char *format;        /* --format as given; NULL when absent */
    const char *output;        /* -o FILE; NULL for standard output */
    const char **warninglists; /* import: --warninglist files (malloc'd array) */
    size_t nwarninglists;
} ioc_options;

/* foxhound ioc list: prints the indicators that pass the filters. Returns an exit code. */
int ioc_list(fh_ioc_store *store, const ioc_options *options);

/* foxhound ioc stats: prints counts by type and by family. Returns an exit code. */
int ioc_stats(fh_ioc_store *store, const ioc_options *options);

#endif
