/* Entry point of the foxhound tool: dispatches to a subcommand. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} commands[] = {
    {"ioc", cmd_ioc, "import, list, count and export indicators in the indicator database"},
    {"hunt", cmd_hunt, "find indicators in logs and report every matching event"},
    {"query", cmd_query, "run a KQL query over log files"},
    {"rule", cmd_rule, "write detection rules from indicators"},
    {"schema", cmd_schema, "list the built-in tables or the columns of one"},
};

static void print_help(FILE *out)
{
    fprintf(out, "Usage: foxhound COMMAND [OPTIONS] [ARGS]\n\n"
                 "Hunts threat-intelligence indicators in security logs offline, with KQL.\n\n"
                 "Commands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\nRun 'foxhound COMMAND --help' for the options of a command.\n"
                 "Exit status: 0 success (hunt: no findings), 1 hunt found something,\n"
                 "2 invalid command line, 3 error.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        print_help(stderr);
        return CLI_EXIT_USAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0) {
        print_help(stdout);
        return CLI_EXIT_OK;
    }
    if (strcmp(name, "--version") == 0) {
        printf("foxhound %s\n", FH_VERSION);
        return CLI_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(name, commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    }
    fprintf(stderr, "foxhound: unknown command '%s'\nTry 'foxhound --help'.\n", name);
    return CLI_EXIT_USAGE;
}

int cli_report(const fh_error *err)
{
    char buf[FH_ERROR_SOURCE_MAX + FH_ERROR_MESSAGE_MAX + 64];
    fh_error_format(err, buf, sizeof buf);
    fputs("foxhound: ", stderr);
    cli_write_safe(stderr, buf, strlen(buf));
    fputc('\n', stderr);
    return err->status == FH_ERR_USAGE ? CLI_EXIT_USAGE : CLI_EXIT_ERROR;
}

void cli_report_as(const char *label, const fh_error *err)
{
    char buf[FH_ERROR_SOURCE_MAX + FH_ERROR_MESSAGE_MAX + 64];
    fh_error_format(err, buf, sizeof buf);
    fprintf(stderr, "foxhound: %s: ", label);
    cli_write_safe(stderr, buf, strlen(buf));
    fputc('\n', stderr);
}

int cli_usage_error(const char *command, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    fputs("foxhound: ", stderr);
    cli_write_safe(stderr, buf, strlen(buf));
    if (command != NULL)
        fprintf(stderr, "\nTry 'foxhound %s --help'.\n", command);
    else
        fputs("\nTry 'foxhound --help'.\n", stderr);
    return CLI_EXIT_USAGE;
}

void cli_write_safe(FILE *out, const char *ptr, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)ptr[i];
        if (c == '\n')
            fputs("\\n", out);
        else if (c == '\r')
            fputs("\\r", out);
        else if (c == '\t')
            fputs("\\t", out);
        else if (c < 0x20 || c == 0x7f)
            fprintf(out, "\\x%02x", c);
        else
            fputc(c, out);
    }
}

bool cli_use_color(FILE *stream)
{
    const char *no_color = getenv("NO_COLOR");
    if (no_color != NULL && no_color[0] != '\0')
        return false;
    return isatty(fileno(stream));
}
