/* Progress display for long scans; see cli_progress.c. */
#ifndef FOXHOUND_CLI_PROGRESS_H
#define FOXHOUND_CLI_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

typedef struct cli_progress {
    bool enabled;     /* standard error is a terminal */
    bool drawn;       /* a progress line is on screen */
    double started;   /* monotonic seconds */
    double last_draw; /* monotonic seconds */
} cli_progress;

void cli_progress_init(cli_progress *progress);

/* Matches fh_kql_options.progress; ctx is a cli_progress. */
void cli_progress_update(void *ctx, const char *table, uint64_t bytes, uint64_t lines);

/* Erases the progress line, if one was drawn. */
void cli_progress_finish(cli_progress *progress);

#endif
