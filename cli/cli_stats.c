/*
 * What was read from each log file, on standard error, shared by hunt and query: a note about
 * rows that could not be read, and the full statistics of --stats.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "foxhound/kql.h"

/* Says which files had rows that could not be read, so a gap in the data is never silent. */
void cli_print_skipped_rows(const fh_kql_engine *engine)
{
    for (size_t i = 0; i < fh_kql_engine_file_count(engine); i++) {
        const fh_kql_file_stats *fs = fh_kql_engine_file_stats(engine, i);
        const fh_read_stats *s = &fs->stats;
        if (s->rows_skipped == 0)
            continue;
        fputs("foxhound: ", stderr);
        cli_write_safe(stderr, fs->path, strlen(fs->path));
        fprintf(stderr, ": %llu row%s skipped", (unsigned long long)s->rows_skipped,
                s->rows_skipped == 1 ? "" : "s");
        if (s->nreasons > 0 && s->reasons[0].nlines > 0) {
            fputs(" (first: ", stderr);
            cli_write_safe(stderr, s->reasons[0].reason, strlen(s->reasons[0].reason));
            fprintf(stderr, ", line %llu)", (unsigned long long)s->reasons[0].lines[0]);
        }
        fputs("; --stats lists every reason\n", stderr);
    }
}

void cli_print_file_stats(const fh_kql_engine *engine)
{
    for (size_t i = 0; i < fh_kql_engine_file_count(engine); i++) {
        const fh_kql_file_stats *fs = fh_kql_engine_file_stats(engine, i);
        const fh_read_stats *s = &fs->stats;
        fputs("foxhound: ", stderr);
        cli_write_safe(stderr, fs->path, strlen(fs->path));
        fprintf(stderr,
                " (%s): %llu lines, %llu rows loaded, %llu filtered out by the prefilter, "
                "%llu skipped\n",
                fs->table, (unsigned long long)s->lines, (unsigned long long)s->rows_loaded,
                (unsigned long long)s->rows_filtered, (unsigned long long)s->rows_skipped);
        if (fs->prefilter[0] != '\0')
            fprintf(stderr, "foxhound:   %s\n", fs->prefilter);
        for (size_t r = 0; r < s->nreasons; r++) {
            fprintf(stderr, "foxhound:   skipped %llu: ", (unsigned long long)s->reasons[r].count);
            cli_write_safe(stderr, s->reasons[r].reason, strlen(s->reasons[r].reason));
            fputs(" (line", stderr);
            for (size_t l = 0; l < s->reasons[r].nlines; l++)
                fprintf(stderr, "%s%llu", l ? ", " : " ",
                        (unsigned long long)s->reasons[r].lines[l]);
            fputs(")\n", stderr);
        }
    }
}
