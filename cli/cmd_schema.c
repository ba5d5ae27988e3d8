/* foxhound schema: placeholder until the command is built. */
#include <stdio.h>

#include "cli.h"

int cmd_schema(int argc, char **argv)
{
    fprintf(stderr, "foxhound: 'schema' is not built yet\n");
    return CLI_EXIT_ERROR;
}
