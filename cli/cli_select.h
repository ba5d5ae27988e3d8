/*
 * Parsing of options shared by several commands: the indicator selection of `foxhound ioc`
 * and `foxhound rule`, and the scan threads of `foxhound query` and `foxhound hunt`.
 * Each parser returns CLI_EXIT_OK, or prints a usage error for command and returns
 * CLI_EXIT_USAGE.
 */
#ifndef FOXHOUND_CLI_SELECT_H
#define FOXHOUND_CLI_SELECT_H

#include <stdint.h>

/* Returns now in ticks: $SOURCE_DATE_EPOCH when set (for reproducible output), else the
 * clock. */
int64_t cli_now_ticks(void);

/* Adds the bit (1u << type) of each comma-separated type name in text to *types. */
int cli_parse_types(const char *command, const char *text, uint32_t *types);

/* Parses a whole number from 0 to 100. */
int cli_parse_confidence(const char *command, const char *text, int *out);

/* Parses a date or time, or an age ("30d", "12h") counted back from now. */
int cli_parse_since(const char *command, const char *text, int64_t *out);

/* Parses a worker thread count from 1 to FH_MAX_SCAN_THREADS. */
int cli_parse_threads(const char *command, const char *text, int *out);

#endif
