/* foxhound query: placeholder until the command is built. */
#include <stdio.h>

#include "cli.h"

int cmd_query(int argc, char **argv)
{
    fprintf(stderr, "foxhound: 'query' is not built yet\n");
    return CLI_EXIT_ERROR;
}
