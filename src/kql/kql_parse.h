/*
 * The KQL parser: query text in, kql_query (kql_ast.h) out, or an fh_error with the line and
 * column of the first problem and what was expected there.
 */
#ifndef FOXHOUND_KQL_PARSE_H
#define FOXHOUND_KQL_PARSE_H

#include <stddef.h>

#include "foxhound/arena.h"
#include "foxhound/error.h"
#include "kql/kql_ast.h"

/*
 * Parses a query of len bytes (no NUL terminator needed) into a tree allocated in arena.
 * Errors name the source "<query>". Returns FH_OK, FH_ERR_PARSE for malformed text,
 * FH_ERR_UNSUPPORTED for valid KQL that foxhound does not run (an operator such as render),
 * FH_ERR_LIMIT when the text is longer than FH_MAX_QUERY_BYTES or nests deeper than
 * FH_MAX_QUERY_DEPTH, or FH_ERR_NOMEM. On error *out is NULL and the arena may hold partial
 * allocations that the caller's reset or destroy frees.
 */
fh_status kql_parse(const char *text, size_t len, fh_arena *arena, kql_query **out, fh_error *err);

/* Same as kql_parse, with source (a file name, say) naming the query in errors. */
fh_status kql_parse_source(const char *source, const char *text, size_t len, fh_arena *arena,
                           kql_query **out, fh_error *err);

/*
 * Renders an error about a query the way a compiler does:
 *
 *     SOURCE:LINE:COL: message
 *     the query line, tabs kept
 *            ^
 *
 * The caret sits under the error's column (columns count characters, a tab counting as one,
 * so the tabs copied into the caret line keep it aligned). Without a usable line the output is
 * the first line alone. Returns the length the full text needs, writing at most size bytes
 * including the NUL, like snprintf.
 */
size_t kql_error_render(const char *text, size_t len, const fh_error *err, char *buf, size_t size);

#endif
