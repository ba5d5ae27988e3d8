/*
 * Fuzz target for cell conversion: the input converts to every column type. A converted
 * scalar must print with fh_value_to_string and convert back to an equal value with the same
 * hash, and a dynamic value must render as JSON.
 */
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "foxhound/value_ops.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_round_trip(fh_type type, const fh_value *v, fh_arena *arena)
{
    const char *text = NULL;
    size_t len = 0;
    if (fh_value_to_string(v, arena, &text, &len) != FH_OK)
        abort();
    if (type == FH_TYPE_STRING || type == FH_TYPE_DYNAMIC || v->is_null)
        return;
    if (type == FH_TYPE_REAL && isnan(v->u.r))
        return;

    fh_value back;
    if (fh_value_from_text(type, text, len, arena, &back) != FH_OK)
        abort();
    if (!fh_value_equal(v, &back) || fh_value_hash(v) != fh_value_hash(&back))
        abort();
    if (fh_value_compare(v, &back) != 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fh_arena arena;
    fh_arena_init(&arena);
    for (int t = 0; t < FH_TYPE_COUNT; t++) {
        fh_value v;
        fh_status st = fh_value_from_text((fh_type)t, (const char *)data, size, &arena, &v);
        if (st == FH_ERR_NOMEM)
            abort();
        if (st == FH_OK)
            check_round_trip((fh_type)t, &v, &arena);

        json_t *json = fh_value_to_json(&v);
        if (json == NULL)
            abort();
        json_decref(json);
    }
    fh_arena_destroy(&arena);
    return 0;
}
