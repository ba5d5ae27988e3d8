/*
 * Per-table facts for hunting: the time and host columns, the columns that contain addresses,
 * URLs, host names and hashes, and the context columns a finding shows.
 */
#ifndef FOXHOUND_HUNT_TABLES_H
#define FOXHOUND_HUNT_TABLES_H

#include <stdbool.h>

typedef struct hunt_ip_column {
    const char *ip;   /* column holding an address */
    const char *port; /* the port on the same side of the connection */
} hunt_ip_column;

typedef struct hunt_table {
    const char *name;
    const char *time_column;
    const char *host_column;
    const char *connector; /* the Sentinel data connector or export that fills the table */
    hunt_ip_column ips[2];
    const char *url_column;      /* full URLs; NULL when none */
    const char *hostname_column; /* bare host names; NULL when none */
    bool url_column_may_be_host; /* the URL column sometimes contains a bare host name */
    bool hashes;                 /* SHA256, SHA1 and MD5 columns */
    const char *context;         /* comma-separated columns shown with each finding */
} hunt_table;

/* Returns the table's description, or NULL when hunt does not know the table. */
const hunt_table *hunt_table_find(const char *name);

/* The known tables in report order, with their count. */
const hunt_table *hunt_table_all(size_t *count);

#endif
