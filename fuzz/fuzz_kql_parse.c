/*
 * Fuzz target for the KQL lexer and parser. Every input is parsed; a tree is printed as an
 * S-expression, and an error is rendered with its caret. An error other than out-of-memory
 * or a limit must carry a line and column inside the text, because users rely on the caret.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kql/kql_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_error(const char *text, size_t size, const fh_error *err)
{
    if (err->status == FH_ERR_PARSE || err->status == FH_ERR_UNSUPPORTED) {
        if (err->line == 0 || err->column == 0 || err->message[0] == '\0')
            abort();
    }
    char rendered[4096];
    size_t needed = kql_error_render(text, size, err, rendered, sizeof rendered);
    if (needed == 0 ||
        strlen(rendered) != (needed < sizeof rendered ? needed : sizeof rendered - 1))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    fh_arena arena;
    fh_arena_init(&arena);
    fh_error err;
    fh_error_clear(&err);

    kql_query *query = NULL;
    fh_status st = kql_parse(text, size, &arena, &query, &err);
    if (st == FH_OK) {
        if (query == NULL || query->body.result == NULL)
            abort();
        char *sexpr = kql_query_to_sexpr(query);
        if (sexpr == NULL)
            abort();
        free(sexpr);
    } else {
        if (query != NULL || err.status != st)
            abort();
        check_error(text, size, &err);
    }
    fh_arena_destroy(&arena);
    return 0;
}
