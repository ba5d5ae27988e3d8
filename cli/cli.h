/*
 * The foxhound command-line tool: one function per subcommand, and the exit codes they share.
 * The CLI includes only the public headers under include/foxhound/.
 */
#ifndef FOXHOUND_CLI_H
#define FOXHOUND_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "foxhound/error.h"

/* Exit codes. An error never exits 0, so it cannot be mistaken for "no findings". */
enum {
    CLI_EXIT_OK = 0,       /* success; for hunt, no findings */
    CLI_EXIT_FINDINGS = 1, /* hunt: at least one finding */
    CLI_EXIT_USAGE = 2,    /* invalid command line */
    CLI_EXIT_ERROR = 3,    /* input, database or internal error */
};

int cmd_ioc(int argc, char **argv);
int cmd_hunt(int argc, char **argv);
int cmd_query(int argc, char **argv);
int cmd_rule(int argc, char **argv);
int cmd_schema(int argc, char **argv);

/* Prints "foxhound: MESSAGE" to stderr, with a location when err has one. Returns the exit code
 * for the status (CLI_EXIT_USAGE for FH_ERR_USAGE, else CLI_EXIT_ERROR). */
int cli_report(const fh_error *err);

/* Prints "foxhound: LABEL: MESSAGE" to stderr for a problem that does not stop the command,
 * such as a skipped file. */
void cli_report_as(const char *label, const fh_error *err);

/* Prints "foxhound: MESSAGE" and "Try 'foxhound COMMAND --help'." to stderr; returns
 * CLI_EXIT_USAGE. */
int cli_usage_error(const char *command, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Writes bytes to a stream with control characters escaped (\n, \t, \xHH), so log values
 * cannot move the cursor or change colours on a terminal. */
void cli_write_safe(FILE *out, const char *ptr, size_t len);

/* Prints one line per bound log file that had rows skipped as malformed, with the first reason
 * and line, and a pointer to --stats. Prints nothing for files without such rows. */
struct fh_kql_engine;
void cli_print_skipped_rows(const struct fh_kql_engine *engine);

/* Prints --stats for every file: lines, rows loaded, filtered and skipped, with the reasons. */
void cli_print_file_stats(const struct fh_kql_engine *engine);

/* True when colour may be used on the stream: a terminal and NO_COLOR unset or empty. */
bool cli_use_color(FILE *stream);

#endif
