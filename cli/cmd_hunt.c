/* foxhound hunt: placeholder until the command is built. */
#include <stdio.h>

#include "cli.h"

int cmd_hunt(int argc, char **argv)
{
    fprintf(stderr, "foxhound: 'hunt' is not built yet\n");
    return CLI_EXIT_ERROR;
}
