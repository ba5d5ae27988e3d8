/* foxhound rule: placeholder until the command is built. */
#include <stdio.h>

#include "cli.h"

int cmd_rule(int argc, char **argv)
{
    fprintf(stderr, "foxhound: 'rule' is not built yet\n");
    return CLI_EXIT_ERROR;
}
