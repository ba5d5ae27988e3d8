/* foxhound ioc: placeholder until the command is built. */
#include <stdio.h>

#include "cli.h"

int cmd_ioc(int argc, char **argv)
{
    fprintf(stderr, "foxhound: 'ioc' is not built yet\n");
    return CLI_EXIT_ERROR;
}
