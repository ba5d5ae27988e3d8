/*
 * Cell conversion for the JSON and CSV readers: text or a JSON value becomes a value of the
 * column's type through fh_value_from_text and fh_value_from_json. The literal text "null",
 * which exports write for missing values, is a null cell in a typed (non-string) column. Text
 * that does not convert is counted per column, or is an error in strict mode.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "foxhound/value_ops.h"
#include "read/reader_internal.h"

static fh_status invalid_value(fh_reader *r, fh_error *err, size_t col, const char *text,
                               size_t len, uint64_t line, unsigned long column)
{
    const fh_column *c = &r->schema->cols[col];
    int shown_len = len > 120 ? 120 : (int)len;
    if (r->strict)
        return fh_error_set(err, FH_ERR_INVALID, r->name, (unsigned long)line, column,
                            "invalid %s value for column %s: \"%.*s\"%s", fh_type_name(c->type),
                            c->name, shown_len, text, len > 120 ? "..." : "");

    char reason[FH_SKIP_REASON_MAX];
    snprintf(reason, sizeof reason, "invalid %s in column %s, loaded as null",
             fh_type_name(c->type), c->name);
    r->stats.values_invalid++;
    reader_count_value(r, line, reason);
    return FH_OK;
}

fh_status cell_from_text(fh_reader *r, fh_batch *batch, fh_value *row, size_t col, const char *text,
                         size_t len, uint64_t line, unsigned long column, fh_error *err)
{
    fh_type type = (fh_type)r->schema->cols[col].type;
    if (type != FH_TYPE_STRING && type != FH_TYPE_DYNAMIC && len == 4 &&
        memcmp(text, "null", 4) == 0)
        return FH_OK;

    fh_value value;
    fh_status st = fh_value_from_text(type, text, len, &batch->arena, &value);
    if (st == FH_OK) {
        row[col] = value;
        return FH_OK;
    }
    if (st != FH_ERR_INVALID)
        return fh_error_set(err, st, r->name, (unsigned long)line, column,
                            "out of memory converting a value");

    return invalid_value(r, err, col, text, len, line, column);
}

fh_status cell_from_json(fh_reader *r, fh_batch *batch, fh_value *row, size_t col, json_t *json,
                         uint64_t line, fh_error *err)
{
    fh_type type = (fh_type)r->schema->cols[col].type;
    if (json_is_string(json))
        return cell_from_text(r, batch, row, col, json_string_value(json), json_string_length(json),
                              line, 0, err);

    fh_value value;
    fh_status st = fh_value_from_json(type, json, &batch->arena, &value);
    if (st == FH_OK) {
        row[col] = value;
        return FH_OK;
    }
    if (st != FH_ERR_INVALID)
        return fh_error_set(err, st, r->name, (unsigned long)line, 0,
                            "out of memory converting a value");

    char *text = json_dumps(json, JSON_ENCODE_ANY | JSON_COMPACT);
    st = invalid_value(r, err, col, text != NULL ? text : "?", text != NULL ? strlen(text) : 1,
                       line, 0);
    free(text);
    return st;
}
