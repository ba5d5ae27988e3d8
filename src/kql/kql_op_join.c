/*
 * join: reads the right side into memory, indexed by its key columns, then streams the left
 * side through it. Output rows are left columns then right columns (the binder renames a
 * right column whose name the left side already has), or one side only for the semi and
 * anti kinds. Keys compare like `==`: a null key matches nothing.
 *
 * innerunique, Kusto's default, keeps only the first left row of each key before joining;
 * every matching right row is kept. Right rows that matched no left row (rightouter,
 * fullouter, rightanti) and the right rows of rightsemi come after all left-driven rows, in
 * right-side order.
 */
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "kql/kql_exec.h"

typedef struct join_op {
    kql_op base;
    kql_join_kind kind;
    size_t *left_keys, *right_keys;
    size_t nkeys;
    kql_rows right;
    kql_keymap right_index;
    long *first;          /* per right key: first right row, -1 at end */
    long *next;           /* per right row: next row with the same key */
    bool *matched;        /* per right row */
    kql_keymap left_seen; /* innerunique */
    bool built;
    bool left_done;
    size_t tail; /* next right row to consider after the left side */
    fh_value *key;
    fh_batch out;
} join_op;

static size_t left_width(const join_op *j)
{
    return j->base.inputs[0]->schema->ncols;
}

static size_t right_width(const join_op *j)
{
    return j->base.inputs[1]->schema->ncols;
}

static bool key_has_null(const fh_value *key, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (key[i].is_null)
            return true;
    }
    return false;
}

static fh_status build_right(join_op *j, fh_error *err)
{
    fh_status st = kql_op_collect(j->base.inputs[1], &j->right, err);
    if (st != FH_OK)
        return kql_op_locate(&j->base, err, st);
    size_t n = j->right.nrows;
    j->next = malloc((n + 1) * sizeof *j->next);
    j->matched = calloc(n + 1, sizeof *j->matched);
    j->first = malloc((n + 1) * sizeof *j->first);
    long *last = malloc((n + 1) * sizeof *last);
    if (j->next == NULL || j->matched == NULL || j->first == NULL || last == NULL) {
        free(last);
        return kql_op_error(&j->base, err, FH_ERR_NOMEM, "out of memory");
    }
    for (size_t r = 0; r < n; r++) {
        const fh_value *row = kql_rows_at(&j->right, r);
        j->next[r] = -1;
        for (size_t k = 0; k < j->nkeys; k++)
            j->key[k] = row[j->right_keys[k]];
        if (key_has_null(j->key, j->nkeys))
            continue;
        size_t g;
        bool added;
        st = kql_keymap_find_or_add(&j->right_index, j->key, "join", &g, &added, err);
        if (st != FH_OK) {
            free(last);
            return kql_op_locate(&j->base, err, st);
        }
        if (added)
            j->first[g] = (long)r;
        else
            j->next[last[g]] = (long)r;
        last[g] = (long)r;
    }
    free(last);
    j->built = true;
    return FH_OK;
}

static bool emits_left_columns(kql_join_kind kind)
{
    return kind != KQL_JOIN_RIGHTSEMI && kind != KQL_JOIN_RIGHTANTI;
}

static bool emits_right_columns(kql_join_kind kind)
{
    return kind != KQL_JOIN_LEFTSEMI && kind != KQL_JOIN_LEFTANTI;
}

/* Appends an output row from a left row and a right row; either may be NULL (nulls). */
static fh_status emit(join_op *j, const fh_value *left, const fh_value *right, fh_error *err)
{
    fh_value *row;
    fh_status st = fh_batch_append(&j->out, &row, err);
    if (st != FH_OK)
        return st;
    size_t at = 0;
    if (emits_left_columns(j->kind)) {
        if (left != NULL)
            memcpy(row, left, left_width(j) * sizeof *row);
        at = left_width(j);
    }
    if (emits_right_columns(j->kind) && right != NULL)
        memcpy(row + at, right, right_width(j) * sizeof *row);
    return FH_OK;
}

static fh_status join_left_row(join_op *j, const fh_value *left, fh_error *err)
{
    for (size_t k = 0; k < j->nkeys; k++)
        j->key[k] = left[j->left_keys[k]];
    long g = key_has_null(j->key, j->nkeys) ? -1 : kql_keymap_find(&j->right_index, j->key);

    if (j->kind == KQL_JOIN_INNERUNIQUE && g >= 0) {
        size_t index;
        bool added;
        fh_status st = kql_keymap_find_or_add(&j->left_seen, j->key, "join", &index, &added, err);
        if (st != FH_OK)
            return kql_op_locate(&j->base, err, st);
        if (!added)
            return FH_OK; /* a later left row with a key already joined */
    }

    switch (j->kind) {
    case KQL_JOIN_LEFTSEMI:
        return g >= 0 ? emit(j, left, NULL, err) : FH_OK;
    case KQL_JOIN_LEFTANTI:
        return g < 0 ? emit(j, left, NULL, err) : FH_OK;
    case KQL_JOIN_LEFTOUTER:
    case KQL_JOIN_FULLOUTER:
        if (g < 0)
            return emit(j, left, NULL, err);
        break;
    default:
        break;
    }
    if (g < 0)
        return FH_OK;
    bool emit_pairs = j->kind != KQL_JOIN_RIGHTSEMI && j->kind != KQL_JOIN_RIGHTANTI;
    for (long r = j->first[g]; r >= 0; r = j->next[r]) {
        j->matched[r] = true;
        if (emit_pairs) {
            fh_status st = emit(j, left, kql_rows_at(&j->right, (size_t)r), err);
            if (st != FH_OK)
                return st;
        }
    }
    return FH_OK;
}

/* After the left side: right rows that the kind keeps on their own. */
static fh_status emit_tail(join_op *j, fh_error *err)
{
    bool want_matched = j->kind == KQL_JOIN_RIGHTSEMI;
    bool want_unmatched = j->kind == KQL_JOIN_RIGHTOUTER || j->kind == KQL_JOIN_FULLOUTER ||
                          j->kind == KQL_JOIN_RIGHTANTI;
    while (j->tail < j->right.nrows && j->out.nrows < FH_BATCH_ROWS) {
        size_t r = j->tail++;
        bool keep = j->matched[r] ? want_matched : want_unmatched;
        if (!keep)
            continue;
        fh_status st = emit(j, NULL, kql_rows_at(&j->right, r), err);
        if (st != FH_OK)
            return st;
    }
    return FH_OK;
}

static fh_status join_next(kql_op *op, fh_batch **out, fh_error *err)
{
    join_op *j = (join_op *)op;
    fh_status st;
    if (!j->built && (st = build_right(j, err)) != FH_OK)
        return st;
    while (!j->left_done) {
        fh_batch *in = NULL;
        st = kql_op_next(op->inputs[0], &in, err);
        if (st == FH_DONE) {
            j->left_done = true;
            break;
        }
        if (st != FH_OK)
            return st;
        fh_batch_clear(&j->out);
        size_t width = in->schema->ncols;
        for (size_t r = 0; r < in->nrows; r++) {
            st = join_left_row(j, in->cells + r * width, err);
            if (st != FH_OK)
                return st;
        }
        if (j->out.nrows > 0) {
            *out = &j->out;
            return FH_OK;
        }
    }
    fh_batch_clear(&j->out);
    st = emit_tail(j, err);
    if (st != FH_OK)
        return st;
    if (j->out.nrows == 0)
        return FH_DONE;
    *out = &j->out;
    return FH_OK;
}

static void join_need(kql_op *op, const bool *out_need)
{
    join_op *j = (join_op *)op;
    size_t lw = left_width(j), rw = right_width(j);
    bool left[lw + 1], right[rw + 1];
    size_t at = 0;
    for (size_t c = 0; c < lw; c++)
        left[c] = emits_left_columns(j->kind) ? out_need[at++] : false;
    for (size_t c = 0; c < rw; c++)
        right[c] = emits_right_columns(j->kind) ? out_need[at++] : false;
    for (size_t k = 0; k < j->nkeys; k++) {
        left[j->left_keys[k]] = true;
        right[j->right_keys[k]] = true;
    }
    kql_op_need_input(op->inputs[0], left);
    kql_op_need_input(op->inputs[1], right);
}

static void join_destroy(kql_op *op)
{
    join_op *j = (join_op *)op;
    kql_rows_destroy(&j->right);
    kql_keymap_destroy(&j->right_index);
    kql_keymap_destroy(&j->left_seen);
    free(j->first);
    free(j->next);
    free(j->matched);
    free(j->left_keys);
    free(j->right_keys);
    free(j->key);
    fh_batch_destroy(&j->out);
}

static const kql_op_vtable join_vtable = {"join", join_next, join_need, join_destroy};

/* Output columns: left then right, a clashing right name suffixed 1, 2, ... until unique. */
static fh_status join_schema(kql_op *op, kql_join_kind kind, fh_error *err)
{
    const fh_schema *l = op->inputs[0]->schema, *r = op->inputs[1]->schema;
    fh_column *cols = calloc(l->ncols + r->ncols + 1, sizeof *cols);
    char **names = calloc(r->ncols + 1, sizeof *names);
    size_t n = 0;
    fh_status st = FH_OK;
    if (cols == NULL || names == NULL)
        st = kql_op_error(op, err, FH_ERR_NOMEM, "out of memory");
    for (size_t c = 0; st == FH_OK && emits_left_columns(kind) && c < l->ncols; c++)
        cols[n++] = l->cols[c];
    size_t left_n = n;
    for (size_t c = 0; st == FH_OK && emits_right_columns(kind) && c < r->ncols; c++) {
        const char *name = r->cols[c].name;
        size_t len = strlen(name);
        names[c] = malloc(len + 24);
        if (names[c] == NULL) {
            st = kql_op_error(op, err, FH_ERR_NOMEM, "out of memory");
            break;
        }
        strcpy(names[c], name);
        for (unsigned suffix = 1;; suffix++) {
            bool clash = false;
            for (size_t k = 0; k < n && !clash; k++)
                clash = strcmp(cols[k].name, names[c]) == 0;
            if (!clash || left_n == 0)
                break;
            snprintf(names[c], len + 24, "%s%u", name, suffix);
        }
        cols[n].name = names[c];
        cols[n++].type = r->cols[c].type;
    }
    if (st == FH_OK)
        st = kql_op_set_schema(op, cols, n, err);
    for (size_t c = 0; names != NULL && c < r->ncols; c++)
        free(names[c]);
    free(names);
    free(cols);
    return st;
}

fh_status kql_op_join_create(fh_kql_query *query, kql_join_kind kind, kql_op *left, kql_op *right,
                             const size_t *left_keys, const size_t *right_keys, size_t nkeys,
                             unsigned long line, unsigned long column, kql_op **out, fh_error *err)
{
    fh_status st = kql_op_new(query, &join_vtable, sizeof(join_op), line, column, out, err);
    if (st != FH_OK) {
        kql_op_destroy(left);
        kql_op_destroy(right);
        return st;
    }
    join_op *j = (join_op *)*out;
    j->kind = kind;
    st = kql_op_add_input(*out, left, err);
    if (st != FH_OK) {
        kql_op_destroy(right);
        return st;
    }
    st = kql_op_add_input(*out, right, err);
    if (st != FH_OK)
        return st;
    j->left_keys = calloc(nkeys + 1, sizeof *j->left_keys);
    j->right_keys = calloc(nkeys + 1, sizeof *j->right_keys);
    j->key = calloc(nkeys + 1, sizeof *j->key);
    if (j->left_keys == NULL || j->right_keys == NULL || j->key == NULL)
        return kql_op_error(*out, err, FH_ERR_NOMEM, "out of memory");
    memcpy(j->left_keys, left_keys, nkeys * sizeof *left_keys);
    memcpy(j->right_keys, right_keys, nkeys * sizeof *right_keys);
    j->nkeys = nkeys;
    kql_rows_init(&j->right, right->schema->ncols);
    kql_keymap_init(&j->right_index, nkeys);
    kql_keymap_init(&j->left_seen, nkeys);
    st = join_schema(*out, kind, err);
    if (st == FH_OK)
        st = fh_batch_init(&j->out, (*out)->schema, err);
    return st;
}
