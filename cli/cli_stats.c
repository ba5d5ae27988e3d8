/* Notes on standard error about log rows that could not be read, shared by hunt and query. */
#include <stdio.h>

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
        fprintf(stderr, "foxhound: %s: %llu row%s skipped", fs->path,
                (unsigned long long)s->rows_skipped, s->rows_skipped == 1 ? "" : "s");
        if (s->nreasons > 0 && s->reasons[0].nlines > 0)
            fprintf(stderr, " (first: %s, line %llu)", s->reasons[0].reason,
                    (unsigned long long)s->reasons[0].lines[0]);
        fputs("; --stats lists every reason\n", stderr);
    }
}
