/*
 * Binding of tabular expressions: table names, let-bound tables and functions, datatable,
 * print, union, and each `| operator` of a pipeline, into the operators of kql_op_*.c.
 *
 * Output column rules follow Kusto.Language's binder:
 * - project and extend name an unnamed expression after its column (x, or the member name
 *   of d.x) and otherwise Column1, Column2, ...;
 * - extend replaces a column of the same name in place, so the column keeps its position and
 *   takes the new value and type. Kusto's documentation says the column moves to the end, but
 *   the Kusto.Language analyzer keeps the position, and foxhound follows the analyzer;
 * - summarize puts the `by` columns first, then the aggregates, named prefix_Argument
 *   (count_, dcount_X, set_X, max_X); arg_max(X, *) gives X first and then every other input
 *   column except X and the `by` columns; a repeated name gets 1, 2, ... appended;
 * - join and union name their columns as kql_op_join.c and kql_op_union.c describe.
 *
 * Every function here destroys what it was given on error and leaves *out NULL.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "foxhound/limits.h"
#include "kql/kql_agg.h"
#include "kql/kql_bind.h"

typedef struct column_list {
    fh_column *cols;
    size_t count, cap;
} column_list;

static fh_status nomem_at(const kql_binder *b, kql_loc loc, fh_error *err)
{
    return kql_bind_error(b, loc, err, FH_ERR_NOMEM, "out of memory binding the query");
}

static fh_status list_add(kql_binder *b, column_list *list, const char *name, fh_type type)
{
    if (list->count == list->cap) {
        size_t cap = list->cap ? list->cap * 2 : 16;
        fh_column *grown = fh_arena_alloc(b->arena, cap * sizeof *grown);
        if (grown == NULL)
            return FH_ERR_NOMEM;
        if (list->count > 0)
            memcpy(grown, list->cols, list->count * sizeof *grown);
        list->cols = grown;
        list->cap = cap;
    }
    list->cols[list->count++] = (fh_column){name, type};
    return FH_OK;
}

static long list_find(const column_list *list, const char *name)
{
    for (size_t i = 0; i < list->count; i++) {
        if (strcmp(list->cols[i].name, name) == 0)
            return (long)i;
    }
    return -1;
}

/* Glob match with '*' only, as project-away and union patterns use. */
static bool wildcard_match(const char *pattern, size_t plen, const char *name)
{
    if (plen == 0)
        return *name == '\0';
    if (*pattern == '*') {
        for (const char *p = name;; p++) {
            if (wildcard_match(pattern + 1, plen - 1, p))
                return true;
            if (*p == '\0')
                return false;
        }
    }
    return *name != '\0' && *pattern == *name && wildcard_match(pattern + 1, plen - 1, name + 1);
}

static fh_status finish(fh_status st, kql_op **op)
{
    if (st != FH_OK) {
        kql_op_destroy(*op);
        *op = NULL;
    }
    return st;
}

/* --- sources --------------------------------------------------------------------------------- */

static const char *suggest_table(kql_binder *b, kql_str name)
{
    fh_kql_engine *engine = b->query->engine;
    for (size_t i = 0; i < kql_engine_table_count(engine); i++) {
        const char *t = kql_engine_table_at(engine, i)->name;
        if (strlen(t) == name.len && strncasecmp(t, name.ptr, name.len) == 0)
            return t;
    }
    return NULL;
}

static fh_status bind_table_name(kql_binder *b, const kql_node *node, kql_scope *scope,
                                 kql_op **out, fh_error *err)
{
    kql_str name = node->u.name.text;
    const kql_entry *entry = kql_scope_find(scope, name);
    if (entry != NULL && entry->kind == KQL_ENTRY_TABULAR)
        return kql_bind_tabular(b, entry->node, entry->defined, out, err);
    if (entry != NULL)
        return kql_bind_error(b, node->loc, err, FH_ERR_TYPE, "'%.*s' is a %s, not a table",
                              (int)name.len, name.ptr,
                              entry->kind == KQL_ENTRY_SCALAR ? "scalar value" : "function");
    if (kql_engine_table(b->query->engine, name.ptr, name.len) == NULL) {
        const char *hint = suggest_table(b, name);
        if (hint != NULL)
            return kql_bind_error(b, node->loc, err, FH_ERR_NOT_FOUND,
                                  "unknown table '%.*s'; did you mean '%s'?", (int)name.len,
                                  name.ptr, hint);
        return kql_bind_error(b, node->loc, err, FH_ERR_NOT_FOUND,
                              "unknown table '%.*s': no log file or table is bound to it "
                              "(bind one with --table %.*s=PATH)",
                              (int)name.len, name.ptr, (int)name.len, name.ptr);
    }
    const char *table = kql_bind_strdup(b, name);
    if (table == NULL)
        return nomem_at(b, node->loc, err);
    return kql_op_scan_create(b->query, table, node->loc.line, node->loc.column, out, err);
}

/* Fits a constant to a column type: the same type, a null, a number widened (int to long or
 * real, long to real), or a long narrowed to int when it fits (literals such as 80 are long).
 * Returns false when it does not fit. */
static bool fit_number(fh_value *v, fh_type type)
{
    if (v->is_null || v->type == type)
        return true;
    if (v->type == FH_TYPE_LONG && type == FH_TYPE_INT && v->u.l >= INT32_MIN &&
        v->u.l <= INT32_MAX) {
        *v = fh_value_int((int32_t)v->u.l);
        return true;
    }
    if (v->type == FH_TYPE_INT && type == FH_TYPE_LONG) {
        *v = fh_value_long(v->u.i);
        return true;
    }
    if (v->type == FH_TYPE_INT && type == FH_TYPE_REAL) {
        *v = fh_value_real(v->u.i);
        return true;
    }
    if (v->type == FH_TYPE_LONG && type == FH_TYPE_REAL) {
        *v = fh_value_real((double)v->u.l);
        return true;
    }
    return false;
}

static fh_status bind_datatable(kql_binder *b, const kql_node *node, kql_scope *scope, kql_op **out,
                                fh_error *err)
{
    size_t ncols = node->u.datatable.ncolumns;
    fh_column *cols = fh_arena_alloc(b->arena, (ncols + 1) * sizeof *cols);
    fh_value *row = fh_arena_alloc(b->arena, (ncols + 1) * sizeof *row);
    if (cols == NULL || row == NULL)
        return nomem_at(b, node->loc, err);
    for (size_t c = 0; c < ncols; c++) {
        cols[c].name = kql_bind_strdup(b, node->u.datatable.columns[c].name);
        cols[c].type = node->u.datatable.columns[c].type;
        if (cols[c].name == NULL)
            return nomem_at(b, node->loc, err);
    }
    kql_rows rows;
    kql_rows_init(&rows, ncols);
    fh_status st = FH_OK;
    for (size_t i = 0; st == FH_OK && ncols > 0 && i < node->u.datatable.nvalues; i++) {
        const kql_node *cell = node->u.datatable.values[i];
        size_t c = i % ncols;
        fh_value v;
        st = kql_bind_constant(b, cell, scope, &v, err);
        if (st == FH_OK && !fit_number(&v, cols[c].type))
            st = kql_bind_error(b, cell->loc, err, FH_ERR_TYPE,
                                "datatable column '%s' is %s, but this value is %s", cols[c].name,
                                fh_type_name(cols[c].type), fh_type_name(v.type));
        if (st == FH_OK)
            row[c] = v.is_null ? fh_value_null(cols[c].type) : v;
        if (st == FH_OK && c == ncols - 1)
            st = kql_rows_append(&rows, row, "datatable", err);
    }
    if (st != FH_OK) {
        kql_rows_destroy(&rows);
        return st;
    }
    return kql_op_rows_create(b->query, cols, ncols, &rows, node->loc.line, node->loc.column, out,
                              err);
}

static fh_status bind_print(kql_binder *b, const kql_node *node, kql_scope *scope, kql_op **out,
                            fh_error *err)
{
    size_t n = node->u.print.nitems;
    column_list list = {0};
    fh_value *row = fh_arena_alloc(b->arena, (n + 1) * sizeof *row);
    if (row == NULL)
        return nomem_at(b, node->loc, err);
    for (size_t i = 0; i < n; i++) {
        const kql_named_expr *item = &node->u.print.items[i];
        fh_status st = kql_bind_constant(b, item->expr, scope, &row[i], err);
        if (st != FH_OK)
            return st;
        char generated[32];
        snprintf(generated, sizeof generated, "print_%zu", i);
        const char *name = item->name.len > 0
                               ? kql_bind_strdup(b, item->name)
                               : kql_bind_strdup(b, (kql_str){generated, strlen(generated)});
        if (name == NULL || list_add(b, &list, name, row[i].type) != FH_OK)
            return nomem_at(b, node->loc, err);
    }
    kql_rows rows;
    kql_rows_init(&rows, n);
    fh_status st = kql_rows_append(&rows, row, "print", err);
    if (st != FH_OK) {
        kql_rows_destroy(&rows);
        return st;
    }
    return kql_op_rows_create(b->query, list.cols, n, &rows, node->loc.line, node->loc.column, out,
                              err);
}

/* --- union ----------------------------------------------------------------------------------- */

typedef struct union_inputs {
    kql_op **ops;
    const char **names;
    size_t count, cap;
} union_inputs;

static fh_status inputs_add(kql_binder *b, union_inputs *in, kql_op *op, const char *name)
{
    if (in->count == in->cap) {
        size_t cap = in->cap ? in->cap * 2 : 8;
        kql_op **ops = realloc(in->ops, cap * sizeof *ops);
        if (ops == NULL)
            return FH_ERR_NOMEM;
        in->ops = ops;
        const char **names = realloc(in->names, cap * sizeof *names);
        if (names == NULL)
            return FH_ERR_NOMEM;
        in->names = names;
        in->cap = cap;
    }
    in->ops[in->count] = op;
    in->names[in->count++] = name;
    return FH_OK;
}

static void inputs_free(union_inputs *in, bool destroy_ops)
{
    for (size_t i = 0; destroy_ops && i < in->count; i++)
        kql_op_destroy(in->ops[i]);
    free(in->ops);
    free(in->names);
}

static fh_status add_union_table(kql_binder *b, const kql_node *t, const kql_union *u,
                                 kql_scope *scope, size_t position, union_inputs *in, fh_error *err)
{
    fh_kql_engine *engine = b->query->engine;
    if (t->kind == KQL_NODE_NAME && t->u.name.is_pattern) {
        for (size_t i = 0; i < kql_engine_table_count(engine); i++) {
            kql_table *table = kql_engine_table_at(engine, i);
            if (!wildcard_match(t->u.name.text.ptr, t->u.name.text.len, table->name))
                continue;
            kql_op *op = NULL;
            fh_status st =
                kql_op_scan_create(b->query, table->name, t->loc.line, t->loc.column, &op, err);
            if (st == FH_OK && inputs_add(b, in, op, table->name) != FH_OK)
                st = nomem_at(b, t->loc, err);
            if (st != FH_OK) {
                kql_op_destroy(op);
                return st;
            }
        }
        return FH_OK;
    }
    kql_op *op = NULL;
    fh_status st = kql_bind_tabular(b, t, scope, &op, err);
    if (st != FH_OK) {
        bool missing = st == FH_ERR_NOT_FOUND && t->kind == KQL_NODE_NAME;
        return u->is_fuzzy && missing ? FH_OK : st;
    }
    char generated[40];
    snprintf(generated, sizeof generated, "union_arg%zu", position);
    const char *name = t->kind == KQL_NODE_NAME
                           ? kql_bind_strdup(b, t->u.name.text)
                           : kql_bind_strdup(b, (kql_str){generated, strlen(generated)});
    if (name == NULL || inputs_add(b, in, op, name) != FH_OK) {
        kql_op_destroy(op);
        return nomem_at(b, t->loc, err);
    }
    return FH_OK;
}

/* Outer: columns in first-seen order; a name with two types becomes name_type for each. */
static fh_status union_columns(kql_binder *b, const union_inputs *in, const kql_union *u,
                               column_list *list, fh_error *err, kql_loc loc)
{
    if (u->with_source.len > 0) {
        const char *name = kql_bind_strdup(b, u->with_source);
        if (name == NULL || list_add(b, list, name, FH_TYPE_STRING) != FH_OK)
            return nomem_at(b, loc, err);
    }
    for (size_t i = 0; i < in->count; i++) {
        const fh_schema *s = in->ops[i]->schema;
        for (size_t c = 0; c < s->ncols; c++) {
            bool in_all = true, clash = false;
            for (size_t j = 0; j < in->count; j++) {
                long k =
                    fh_schema_find(in->ops[j]->schema, s->cols[c].name, strlen(s->cols[c].name));
                if (k < 0)
                    in_all = false;
                else if (in->ops[j]->schema->cols[k].type != s->cols[c].type)
                    clash = true;
            }
            if (u->kind == KQL_UNION_INNER && (!in_all || clash))
                continue;
            const char *name = s->cols[c].name;
            if (clash) {
                size_t len = strlen(name) + 16;
                char *typed = fh_arena_alloc(b->arena, len);
                if (typed == NULL)
                    return nomem_at(b, loc, err);
                snprintf(typed, len, "%s_%s", name, fh_type_name(s->cols[c].type));
                name = typed;
            }
            if (list_find(list, name) < 0 && list_add(b, list, name, s->cols[c].type) != FH_OK)
                return nomem_at(b, loc, err);
        }
    }
    return FH_OK;
}

static fh_status union_maps(kql_binder *b, const union_inputs *in, const column_list *list,
                            long ***maps_out, kql_loc loc, fh_error *err)
{
    long **maps = fh_arena_alloc(b->arena, (in->count + 1) * sizeof *maps);
    if (maps == NULL)
        return nomem_at(b, loc, err);
    for (size_t i = 0; i < in->count; i++) {
        const fh_schema *s = in->ops[i]->schema;
        maps[i] = fh_arena_alloc(b->arena, (s->ncols + 1) * sizeof *maps[i]);
        if (maps[i] == NULL)
            return nomem_at(b, loc, err);
        for (size_t c = 0; c < s->ncols; c++) {
            long at = list_find(list, s->cols[c].name);
            if (at >= 0 && list->cols[at].type != s->cols[c].type)
                at = -1;
            if (at < 0) {
                char typed[FH_MAX_NAME_BYTES + 32];
                snprintf(typed, sizeof typed, "%s_%s", s->cols[c].name,
                         fh_type_name(s->cols[c].type));
                at = list_find(list, typed);
            }
            maps[i][c] = at;
        }
    }
    *maps_out = maps;
    return FH_OK;
}

static fh_status bind_union(kql_binder *b, const kql_union *u, kql_op *first, kql_loc loc,
                            kql_scope *scope, kql_op **out, fh_error *err)
{
    union_inputs in = {0};
    fh_status st = FH_OK;
    if (first != NULL && inputs_add(b, &in, first, "union_arg0") != FH_OK) {
        kql_op_destroy(first);
        st = nomem_at(b, loc, err);
    }
    for (size_t i = 0; st == FH_OK && i < u->ntables; i++)
        st = add_union_table(b, u->tables[i], u, scope, i + (first != NULL), &in, err);
    if (st == FH_OK && in.count == 0)
        st = kql_bind_error(b, loc, err, FH_ERR_NOT_FOUND, "union has no input tables");

    column_list list = {0};
    long **maps = NULL;
    if (st == FH_OK)
        st = union_columns(b, &in, u, &list, err, loc);
    if (st == FH_OK)
        st = union_maps(b, &in, &list, &maps, loc, err);
    if (st != FH_OK) {
        inputs_free(&in, true);
        return st;
    }
    long source_column = u->with_source.len > 0 ? 0 : -1;
    st = kql_op_union_create(b->query, in.ops, in.count, maps, in.names, source_column, list.cols,
                             list.count, loc.line, loc.column, out, err);
    inputs_free(&in, false);
    return finish(st, out);
}

/* --- project family ----------------------------------------------------------------------------
 */

static const char *generated_name(kql_binder *b, const column_list *list, size_t *counter)
{
    char buf[32];
    do {
        snprintf(buf, sizeof buf, "Column%zu", ++*counter);
    } while (list_find(list, buf) >= 0);
    return kql_bind_strdup(b, (kql_str){buf, strlen(buf)});
}

static const char *item_name(kql_binder *b, const kql_named_expr *item, const column_list *list,
                             size_t *counter)
{
    if (item->name.len > 0)
        return kql_bind_strdup(b, item->name);
    kql_str derived = kql_bind_result_name(item->expr);
    if (derived.len > 0)
        return kql_bind_strdup(b, derived);
    return generated_name(b, list, counter);
}

typedef struct map_builder {
    kql_map_column *cols;
    column_list names;
    size_t cap;
} map_builder;

static fh_status map_set(kql_binder *b, map_builder *m, const char *name, long source,
                         kql_expr *expr, fh_type type, bool replace)
{
    long at = replace ? list_find(&m->names, name) : -1;
    if (at >= 0) {
        m->cols[at] = (kql_map_column){name, source, expr};
        m->names.cols[at].type = type;
        return FH_OK;
    }
    if (m->names.count == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 16;
        kql_map_column *grown = fh_arena_alloc(b->arena, cap * sizeof *grown);
        if (grown == NULL)
            return FH_ERR_NOMEM;
        if (m->names.count > 0)
            memcpy(grown, m->cols, m->names.count * sizeof *grown);
        m->cols = grown;
        m->cap = cap;
    }
    m->cols[m->names.count] = (kql_map_column){name, source, expr};
    return list_add(b, &m->names, name, type);
}

static fh_status make_map(kql_binder *b, const char *op_name, kql_op *input, map_builder *m,
                          kql_loc loc, kql_op **out, fh_error *err)
{
    if (m->names.count > FH_MAX_COLUMNS) {
        kql_op_destroy(input);
        return kql_bind_error(b, loc, err, FH_ERR_LIMIT, "%s gives more than %d columns", op_name,
                              FH_MAX_COLUMNS);
    }
    fh_status st = kql_op_map_create(b->query, op_name, input, m->cols, m->names.count, loc.line,
                                     loc.column, out, err);
    return finish(st, out);
}

static fh_status bind_project(kql_binder *b, const kql_operator *o, kql_op *input, kql_scope *scope,
                              kql_op **out, fh_error *err)
{
    map_builder m = {0};
    size_t counter = 0;
    const fh_schema *schema = input->schema;
    fh_status st = FH_OK;
    for (size_t i = 0; st == FH_OK && i < o->u.columns.nitems; i++) {
        const kql_named_expr *item = &o->u.columns.items[i];
        const char *name = item_name(b, item, &m.names, &counter);
        kql_expr *e = NULL;
        if (name == NULL) {
            st = nomem_at(b, item->loc, err);
            break;
        }
        if (list_find(&m.names, name) >= 0) {
            st = kql_bind_error(b, item->loc, err, FH_ERR_INVALID,
                                "project names column '%s' twice", name);
            break;
        }
        st = kql_bind_expr(b, item->expr, schema, scope, &e, err);
        if (st != FH_OK)
            break;
        long source = e->kind == KQL_EXPR_COLUMN ? (long)e->column_index : -1;
        if (map_set(b, &m, name, source, source >= 0 ? NULL : e, e->type, false) != FH_OK)
            st = nomem_at(b, item->loc, err);
    }
    if (st != FH_OK) {
        kql_op_destroy(input);
        return st;
    }
    return make_map(b, "project", input, &m, o->loc, out, err);
}

/* Collects the names an expression reads, to see whether it uses an earlier extend item. */
static bool reads_name(const kql_node *node, const column_list *defined, size_t from)
{
    if (node == NULL)
        return false;
    switch (node->kind) {
    case KQL_NODE_NAME:
        for (size_t i = from; i < defined->count; i++) {
            if (kql_str_is(node->u.name.text, defined->cols[i].name))
                return true;
        }
        return false;
    case KQL_NODE_UNARY:
        return reads_name(node->u.unary.operand, defined, from);
    case KQL_NODE_BINARY:
        return reads_name(node->u.binary.left, defined, from) ||
               reads_name(node->u.binary.right, defined, from);
    case KQL_NODE_IN:
        for (size_t i = 0; i < node->u.in.nitems; i++) {
            if (reads_name(node->u.in.items[i], defined, from))
                return true;
        }
        return reads_name(node->u.in.left, defined, from);
    case KQL_NODE_BETWEEN:
        return reads_name(node->u.between.left, defined, from) ||
               reads_name(node->u.between.low, defined, from) ||
               reads_name(node->u.between.high, defined, from);
    case KQL_NODE_CALL:
        for (size_t i = 0; i < node->u.call.nargs; i++) {
            if (reads_name(node->u.call.args[i], defined, from))
                return true;
        }
        return false;
    case KQL_NODE_MEMBER:
        return reads_name(node->u.member.object, defined, from);
    case KQL_NODE_INDEX:
        return reads_name(node->u.index.object, defined, from) ||
               reads_name(node->u.index.index, defined, from);
    default:
        return false;
    }
}

static fh_status start_extend(kql_binder *b, const kql_op *input, map_builder *m)
{
    memset(m, 0, sizeof *m);
    const fh_schema *s = input->schema;
    for (size_t c = 0; c < s->ncols; c++) {
        if (map_set(b, m, s->cols[c].name, (long)c, NULL, s->cols[c].type, false) != FH_OK)
            return FH_ERR_NOMEM;
    }
    return FH_OK;
}

/*
 * extend: every input column, then each item (replacing a same-named column in place). An
 * item that reads a column defined earlier in the same extend starts a second operator, which
 * reads the new value of that column.
 */
static fh_status bind_extend(kql_binder *b, const kql_operator *o, kql_op *input, kql_scope *scope,
                             const char *op_name, kql_op **out, fh_error *err)
{
    map_builder m;
    size_t counter = 0;
    column_list defined = {0};
    size_t group_start = 0;
    fh_status st = start_extend(b, input, &m) == FH_OK ? FH_OK : nomem_at(b, o->loc, err);
    for (size_t i = 0; st == FH_OK && i < o->u.columns.nitems; i++) {
        const kql_named_expr *item = &o->u.columns.items[i];
        if (reads_name(item->expr, &defined, group_start)) {
            kql_op *next = NULL;
            st = make_map(b, op_name, input, &m, o->loc, &next, err);
            input = next;
            if (st != FH_OK)
                return st;
            group_start = defined.count;
            if (start_extend(b, input, &m) != FH_OK)
                st = nomem_at(b, item->loc, err);
        }
        const char *name = item_name(b, item, &m.names, &counter);
        kql_expr *e = NULL;
        if (st == FH_OK && name == NULL)
            st = nomem_at(b, item->loc, err);
        if (st == FH_OK)
            st = kql_bind_expr(b, item->expr, input->schema, scope, &e, err);
        if (st == FH_OK && (map_set(b, &m, name, -1, e, e->type, true) != FH_OK ||
                            list_add(b, &defined, name, e->type) != FH_OK))
            st = nomem_at(b, item->loc, err);
    }
    if (st != FH_OK) {
        kql_op_destroy(input);
        return st;
    }
    return make_map(b, op_name, input, &m, o->loc, out, err);
}

static bool pattern_matches(const kql_column_pattern *p, const char *name)
{
    if (!p->has_wildcard)
        return p->pattern.len == strlen(name) && memcmp(p->pattern.ptr, name, p->pattern.len) == 0;
    return wildcard_match(p->pattern.ptr, p->pattern.len, name);
}

/* Checks that every pattern without a wildcard names an existing column. */
static fh_status check_patterns(kql_binder *b, const kql_operator *o, const fh_schema *s,
                                fh_error *err)
{
    for (size_t i = 0; i < o->u.patterns.nitems; i++) {
        const kql_column_pattern *p = &o->u.patterns.items[i];
        size_t unused;
        if (!p->has_wildcard) {
            fh_status st = kql_bind_column(b, s, p->pattern, p->loc, &unused, err);
            if (st != FH_OK)
                return st;
        }
    }
    return FH_OK;
}

static fh_status bind_away_keep(kql_binder *b, const kql_operator *o, kql_op *input, kql_op **out,
                                fh_error *err)
{
    bool keep = o->kind == KQL_OPERATOR_PROJECT_KEEP;
    const fh_schema *s = input->schema;
    map_builder m = {0};
    fh_status st = check_patterns(b, o, s, err);
    for (size_t c = 0; st == FH_OK && c < s->ncols; c++) {
        bool matched = false;
        for (size_t i = 0; i < o->u.patterns.nitems && !matched; i++)
            matched = pattern_matches(&o->u.patterns.items[i], s->cols[c].name);
        if (matched != keep)
            continue;
        if (map_set(b, &m, s->cols[c].name, (long)c, NULL, s->cols[c].type, false) != FH_OK)
            st = nomem_at(b, o->loc, err);
    }
    if (st != FH_OK) {
        kql_op_destroy(input);
        return st;
    }
    return make_map(b, kql_operator_name(o->kind), input, &m, o->loc, out, err);
}

static fh_status bind_rename(kql_binder *b, const kql_operator *o, kql_op *input, kql_op **out,
                             fh_error *err)
{
    const fh_schema *s = input->schema;
    map_builder m = {0};
    fh_status st = FH_OK;
    const char **names = fh_arena_alloc(b->arena, (s->ncols + 1) * sizeof *names);
    if (names == NULL)
        st = nomem_at(b, o->loc, err);
    for (size_t c = 0; st == FH_OK && c < s->ncols; c++)
        names[c] = s->cols[c].name;
    for (size_t i = 0; st == FH_OK && i < o->u.renames.nitems; i++) {
        const kql_rename *r = &o->u.renames.items[i];
        size_t at;
        st = kql_bind_column(b, s, r->old_name, r->loc, &at, err);
        if (st == FH_OK && (names[at] = kql_bind_strdup(b, r->new_name)) == NULL)
            st = nomem_at(b, r->loc, err);
    }
    for (size_t c = 0; st == FH_OK && c < s->ncols; c++) {
        if (list_find(&m.names, names[c]) >= 0)
            st = kql_bind_error(b, o->loc, err, FH_ERR_INVALID,
                                "project-rename gives two columns the name '%s'", names[c]);
        else if (map_set(b, &m, names[c], (long)c, NULL, s->cols[c].type, false) != FH_OK)
            st = nomem_at(b, o->loc, err);
    }
    if (st != FH_OK) {
        kql_op_destroy(input);
        return st;
    }
    return make_map(b, "project-rename", input, &m, o->loc, out, err);
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static fh_status bind_reorder(kql_binder *b, const kql_operator *o, kql_op *input, kql_op **out,
                              fh_error *err)
{
    const fh_schema *s = input->schema;
    map_builder m = {0};
    fh_status st = check_patterns(b, o, s, err);
    const char **matched = fh_arena_alloc(b->arena, (s->ncols + 1) * sizeof *matched);
    if (st == FH_OK && matched == NULL)
        st = nomem_at(b, o->loc, err);
    for (size_t i = 0; st == FH_OK && i < o->u.patterns.nitems; i++) {
        const kql_column_pattern *p = &o->u.patterns.items[i];
        size_t n = 0;
        for (size_t c = 0; c < s->ncols; c++) {
            if (pattern_matches(p, s->cols[c].name) && list_find(&m.names, s->cols[c].name) < 0)
                matched[n++] = s->cols[c].name;
        }
        if (p->order != KQL_SORT_NONE)
            qsort(matched, n, sizeof *matched, compare_names);
        for (size_t k = 0; k < n && st == FH_OK; k++) {
            const char *name = p->order == KQL_SORT_DESC ? matched[n - 1 - k] : matched[k];
            long c = fh_schema_find(s, name, strlen(name));
            if (map_set(b, &m, name, c, NULL, s->cols[c].type, false) != FH_OK)
                st = nomem_at(b, o->loc, err);
        }
    }
    for (size_t c = 0; st == FH_OK && c < s->ncols; c++) {
        if (list_find(&m.names, s->cols[c].name) >= 0)
            continue;
        if (map_set(b, &m, s->cols[c].name, (long)c, NULL, s->cols[c].type, false) != FH_OK)
            st = nomem_at(b, o->loc, err);
    }
    if (st != FH_OK) {
        kql_op_destroy(input);
        return st;
    }
    return make_map(b, "project-reorder", input, &m, o->loc, out, err);
}

/* --- simple operators
 * ----------------------------------------------------------------------------- */

static fh_status bind_count_value(kql_binder *b, const kql_node *node, kql_scope *scope,
                                  const char *what, int64_t *n, fh_error *err)
{
    fh_value v;
    fh_status st = kql_bind_constant(b, node, scope, &v, err);
    if (st != FH_OK)
        return st;
    if (v.is_null || (v.type != FH_TYPE_INT && v.type != FH_TYPE_LONG))
        return kql_bind_error(b, node->loc, err, FH_ERR_TYPE, "%s expects a whole number", what);
    *n = v.type == FH_TYPE_INT ? v.u.i : v.u.l;
    if (*n < 0)
        return kql_bind_error(b, node->loc, err, FH_ERR_INVALID,
                              "%s expects a count of 0 or more, got %lld", what, (long long)*n);
    return FH_OK;
}

static fh_status bind_where(kql_binder *b, const kql_operator *o, kql_op *input, kql_scope *scope,
                            kql_op **out, fh_error *err)
{
    kql_expr *pred = NULL;
    fh_status st = kql_bind_expr(b, o->u.predicate, input->schema, scope, &pred, err);
    if (st == FH_OK && pred->type != FH_TYPE_BOOL)
        st = kql_bind_error(b, o->u.predicate->loc, err, FH_ERR_TYPE,
                            "where expects a bool predicate, got %s", fh_type_name(pred->type));
    if (st != FH_OK) {
        kql_op_destroy(input);
        return st;
    }
    st = kql_op_where_create(b->query, input, pred, o->loc.line, o->loc.column, out, err);
    return finish(st, out);
}

static fh_status bind_sort(kql_binder *b, const kql_operator *o, kql_op *input, kql_scope *scope,
                           kql_op **out, fh_error *err)
{
    bool top = o->kind == KQL_OPERATOR_TOP;
    const kql_sort_key *keys = top ? &o->u.top.key : o->u.sort.keys;
    size_t nkeys = top ? 1 : o->u.sort.nkeys;
    int64_t limit = -1;
    kql_sort_spec *specs = fh_arena_alloc(b->arena, (nkeys + 1) * sizeof *specs);
    fh_status st = specs != NULL ? FH_OK : nomem_at(b, o->loc, err);
    if (st == FH_OK && top)
        st = bind_count_value(b, o->u.top.count, scope, "top", &limit, err);
    for (size_t k = 0; st == FH_OK && k < nkeys; k++) {
        specs[k].desc = keys[k].descending;
        specs[k].nulls_first = keys[k].nulls_first;
        st = kql_bind_expr(b, keys[k].expr, input->schema, scope, &specs[k].expr, err);
    }
    if (st != FH_OK) {
        kql_op_destroy(input);
        return st;
    }
    st = kql_op_sort_create(b->query, top ? "top" : "sort", input, specs, nkeys, limit, o->loc.line,
                            o->loc.column, out, err);
    return finish(st, out);
}

static fh_status bind_distinct(kql_binder *b, const kql_operator *o, kql_op *input, kql_op **out,
                               fh_error *err)
{
    const fh_schema *s = input->schema;
    size_t n = o->u.distinct.all ? s->ncols : o->u.distinct.ncolumns;
    size_t *cols = fh_arena_alloc(b->arena, (n + 1) * sizeof *cols);
    fh_status st = cols != NULL ? FH_OK : nomem_at(b, o->loc, err);
    for (size_t i = 0; st == FH_OK && i < n; i++) {
        if (o->u.distinct.all) {
            cols[i] = i;
            continue;
        }
        const kql_node *c = o->u.distinct.columns[i];
        if (c->kind != KQL_NODE_NAME)
            st = kql_bind_error(b, c->loc, err, FH_ERR_UNSUPPORTED,
                                "distinct takes column names; compute expressions with extend "
                                "first");
        else
            st = kql_bind_column(b, s, c->u.name.text, c->loc, &cols[i], err);
    }
    if (st != FH_OK) {
        kql_op_destroy(input);
        return st;
    }
    st = kql_op_distinct_create(b->query, input, cols, n, o->loc.line, o->loc.column, out, err);
    return finish(st, out);
}

/* --- join ----------------------------------------------------------------------------------------
 */

static bool key_types_fit(fh_type a, fh_type b)
{
    bool na = a == FH_TYPE_INT || a == FH_TYPE_LONG || a == FH_TYPE_REAL;
    bool nb = b == FH_TYPE_INT || b == FH_TYPE_LONG || b == FH_TYPE_REAL;
    return a == b || (na && nb);
}

static fh_status join_keys(kql_binder *b, const kql_join *j, const kql_op *left,
                           const kql_op *right, size_t *lk, size_t *rk, fh_error *err)
{
    for (size_t k = 0; k < j->nkeys; k++) {
        const kql_join_key *key = &j->keys[k];
        fh_status st = kql_bind_column(b, left->schema, key->left, key->loc, &lk[k], err);
        if (st == FH_OK)
            st = kql_bind_column(b, right->schema, key->right, key->loc, &rk[k], err);
        if (st != FH_OK)
            return st;
        fh_type lt = left->schema->cols[lk[k]].type, rt = right->schema->cols[rk[k]].type;
        if (!key_types_fit(lt, rt))
            return kql_bind_error(b, key->loc, err, FH_ERR_TYPE,
                                  "join keys '%.*s' (%s) and '%.*s' (%s) have different types",
                                  (int)key->left.len, key->left.ptr, fh_type_name(lt),
                                  (int)key->right.len, key->right.ptr, fh_type_name(rt));
    }
    return FH_OK;
}

/* lookup: a join that leaves the right side's key columns out of the result. */
static fh_status drop_right_keys(kql_binder *b, const kql_operator *o, kql_op *joined,
                                 size_t left_cols, const size_t *rk, size_t nkeys, kql_op **out,
                                 fh_error *err)
{
    map_builder m = {0};
    const fh_schema *s = joined->schema;
    for (size_t c = 0; c < s->ncols; c++) {
        bool is_key = false;
        for (size_t k = 0; k < nkeys && !is_key; k++)
            is_key = c >= left_cols && c - left_cols == rk[k];
        if (is_key)
            continue;
        if (map_set(b, &m, s->cols[c].name, (long)c, NULL, s->cols[c].type, false) != FH_OK) {
            kql_op_destroy(joined);
            return nomem_at(b, o->loc, err);
        }
    }
    return make_map(b, "lookup", joined, &m, o->loc, out, err);
}

static fh_status bind_join(kql_binder *b, const kql_operator *o, kql_op *left, kql_scope *scope,
                           kql_op **out, fh_error *err)
{
    const kql_join *j = &o->u.join;
    kql_op *right = NULL;
    fh_status st = kql_bind_tabular(b, j->right, scope, &right, err);
    size_t *lk = fh_arena_alloc(b->arena, (j->nkeys + 1) * sizeof *lk);
    size_t *rk = fh_arena_alloc(b->arena, (j->nkeys + 1) * sizeof *rk);
    if (st == FH_OK && (lk == NULL || rk == NULL))
        st = nomem_at(b, o->loc, err);
    if (st == FH_OK && j->nkeys == 0)
        st = kql_bind_error(b, o->loc, err, FH_ERR_PARSE, "join needs an 'on' condition");
    if (st == FH_OK)
        st = join_keys(b, j, left, right, lk, rk, err);
    if (st != FH_OK) {
        kql_op_destroy(left);
        kql_op_destroy(right);
        return st;
    }
    size_t left_cols = left->schema->ncols;
    kql_op *joined = NULL;
    st = kql_op_join_create(b->query, j->kind, left, right, lk, rk, j->nkeys, o->loc.line,
                            o->loc.column, &joined, err);
    if (st != FH_OK)
        return finish(st, &joined);
    if (o->kind == KQL_OPERATOR_LOOKUP)
        return drop_right_keys(b, o, joined, left_cols, rk, j->nkeys, out, err);
    *out = joined;
    return FH_OK;
}

/* --- mv-expand and evaluate
 * ----------------------------------------------------------------------- */

static fh_status bind_mv_expand(kql_binder *b, const kql_operator *o, kql_op *input,
                                kql_scope *scope, kql_op **out, fh_error *err)
{
    const kql_mv_expand *mv = &o->u.mv_expand;
    size_t n = mv->ncolumns;
    size_t *cols = fh_arena_alloc(b->arena, (n + 1) * sizeof *cols);
    fh_type *types = fh_arena_alloc(b->arena, (n + 1) * sizeof *types);
    int64_t limit = -1;
    fh_status st = cols != NULL && types != NULL ? FH_OK : nomem_at(b, o->loc, err);
    if (st == FH_OK && mv->limit != NULL)
        st = bind_count_value(b, mv->limit, scope, "mv-expand limit", &limit, err);

    /* Computed or renamed columns are added by an extend first. */
    map_builder m;
    bool needs_extend = false;
    size_t counter = 0;
    if (st == FH_OK && start_extend(b, input, &m) != FH_OK)
        st = nomem_at(b, o->loc, err);
    for (size_t i = 0; st == FH_OK && i < n; i++) {
        const kql_expand_column *c = &mv->columns[i];
        types[i] = c->has_type ? c->to_type : FH_TYPE_DYNAMIC;
        if (c->name.len == 0 && c->expr->kind == KQL_NODE_NAME) {
            st = kql_bind_column(b, input->schema, c->expr->u.name.text, c->loc, &cols[i], err);
            continue;
        }
        kql_named_expr item = {c->name, c->expr, c->loc};
        const char *name = item_name(b, &item, &m.names, &counter);
        kql_expr *e = NULL;
        if (name == NULL)
            st = nomem_at(b, c->loc, err);
        if (st == FH_OK)
            st = kql_bind_expr(b, c->expr, input->schema, scope, &e, err);
        if (st == FH_OK && map_set(b, &m, name, -1, e, e->type, true) != FH_OK)
            st = nomem_at(b, c->loc, err);
        if (st == FH_OK)
            cols[i] = (size_t)list_find(&m.names, name);
        needs_extend = true;
    }
    if (st != FH_OK) {
        kql_op_destroy(input);
        return st;
    }
    if (needs_extend) {
        kql_op *extended = NULL;
        st = make_map(b, "mv-expand", input, &m, o->loc, &extended, err);
        if (st != FH_OK)
            return st;
        input = extended;
    }
    const char *index_name = mv->item_index.len > 0 ? kql_bind_strdup(b, mv->item_index) : NULL;
    st = kql_op_mvexpand_create(b->query, input, cols, types, n, limit,
                                mv->bag_expansion == KQL_BAG_EXPANSION_ARRAY, index_name,
                                o->loc.line, o->loc.column, out, err);
    return finish(st, out);
}

static fh_status bag_unpack_options(kql_binder *b, const kql_node *call, kql_scope *scope,
                                    const char **prefix, kql_bag_conflict *conflict, fh_error *err)
{
    *prefix = "";
    *conflict = KQL_BAG_CONFLICT_ERROR;
    for (size_t i = 1; i < call->u.call.nargs; i++) {
        const kql_node *arg = call->u.call.args[i];
        bool named = arg->kind == KQL_NODE_NAMED_ARG;
        fh_value v;
        fh_status st = kql_bind_constant(b, named ? arg->u.named_arg.value : arg, scope, &v, err);
        if (st != FH_OK)
            return st;
        if (v.type != FH_TYPE_STRING)
            return kql_bind_error(b, arg->loc, err, FH_ERR_TYPE,
                                  "bag_unpack expects string options");
        if (!named) {
            *prefix = kql_bind_strdup(b, (kql_str){v.u.s.ptr, v.u.s.len});
            continue;
        }
        kql_str value = {v.u.s.ptr, v.u.s.len};
        if (!kql_str_is(arg->u.named_arg.name, "columnsConflict"))
            return kql_bind_error(b, arg->loc, err, FH_ERR_UNSUPPORTED,
                                  "bag_unpack has no option '%.*s'", (int)arg->u.named_arg.name.len,
                                  arg->u.named_arg.name.ptr);
        if (kql_str_is(value, "error"))
            *conflict = KQL_BAG_CONFLICT_ERROR;
        else if (kql_str_is(value, "replace_source"))
            *conflict = KQL_BAG_CONFLICT_REPLACE_SOURCE;
        else if (kql_str_is(value, "keep_source"))
            *conflict = KQL_BAG_CONFLICT_KEEP_SOURCE;
        else
            return kql_bind_error(b, arg->loc, err, FH_ERR_INVALID,
                                  "columnsConflict must be 'error', 'replace_source' or "
                                  "'keep_source'");
    }
    return *prefix != NULL ? FH_OK : nomem_at(b, call->loc, err);
}

static fh_status bind_evaluate(kql_binder *b, const kql_operator *o, kql_op *input,
                               kql_scope *scope, kql_op **out, fh_error *err)
{
    const kql_node *call = o->u.plugin;
    fh_status st = FH_OK;
    if (call == NULL || call->kind != KQL_NODE_CALL || !kql_str_is(call->u.call.name, "bag_unpack"))
        st = kql_bind_error(b, o->loc, err, FH_ERR_UNSUPPORTED,
                            "foxhound supports only the bag_unpack plugin of evaluate");
    else if (call->u.call.nargs < 1 || call->u.call.args[0]->kind != KQL_NODE_NAME)
        st = kql_bind_error(b, call->loc, err, FH_ERR_TYPE,
                            "bag_unpack expects a dynamic column as its first argument");
    size_t column = 0;
    const char *prefix = NULL;
    kql_bag_conflict conflict = KQL_BAG_CONFLICT_ERROR;
    if (st == FH_OK)
        st = kql_bind_column(b, input->schema, call->u.call.args[0]->u.name.text,
                             call->u.call.args[0]->loc, &column, err);
    if (st == FH_OK && input->schema->cols[column].type != FH_TYPE_DYNAMIC)
        st = kql_bind_error(b, call->u.call.args[0]->loc, err, FH_ERR_TYPE,
                            "bag_unpack expects a dynamic column, '%s' is %s",
                            input->schema->cols[column].name,
                            fh_type_name(input->schema->cols[column].type));
    if (st == FH_OK)
        st = bag_unpack_options(b, call, scope, &prefix, &conflict, err);
    if (st != FH_OK) {
        kql_op_destroy(input);
        return st;
    }
    return kql_op_bagunpack_create(b->query, input, column, prefix, conflict, o->loc.line,
                                   o->loc.column, out, err);
}

/* parse kind=simple|relaxed: the input columns, then one column per pattern column. */
static fh_status bind_parse(kql_binder *b, const kql_operator *o, kql_op *input, kql_scope *scope,
                            kql_op **out, fh_error *err)
{
    const kql_parse_spec *spec = &o->u.parse;
    map_builder m;
    kql_expr *source = NULL;
    fh_status st = FH_OK;
    if (spec->kind == KQL_PARSE_REGEX)
        st = kql_bind_error(b, o->loc, err, FH_ERR_UNSUPPORTED,
                            "foxhound runs parse kind=simple and kind=relaxed, not kind=regex; "
                            "use extract() instead");
    if (st == FH_OK)
        st = kql_bind_expr(b, spec->source, input->schema, scope, &source, err);
    if (st == FH_OK && start_extend(b, input, &m) != FH_OK)
        st = nomem_at(b, o->loc, err);
    for (size_t i = 0; st == FH_OK && i < spec->nitems; i++) {
        const kql_parse_item *item = &spec->items[i];
        if (item->kind != KQL_PARSE_ITEM_COLUMN)
            continue;
        bool follows_column = i > 0 && spec->items[i - 1].kind == KQL_PARSE_ITEM_COLUMN;
        const char *name = kql_bind_strdup(b, item->text);
        if (follows_column)
            st = kql_bind_error(b, item->loc, err, FH_ERR_INVALID,
                                "parse: column '%s' follows another column without a string "
                                "between them",
                                name != NULL ? name : "");
        else if (name == NULL)
            st = nomem_at(b, item->loc, err);
        else if (list_find(&m.names, name) >= 0)
            st = kql_bind_error(b, item->loc, err, FH_ERR_INVALID,
                                "parse: the input already has a column named '%s'", name);
        else if (map_set(b, &m, name, -1, NULL, item->type, false) != FH_OK)
            st = nomem_at(b, item->loc, err);
    }
    if (st != FH_OK) {
        kql_op_destroy(input);
        return st;
    }
    st = kql_op_parse_create(b->query, input, source, spec->items, spec->nitems,
                             spec->kind == KQL_PARSE_RELAXED, m.names.cols, m.names.count,
                             o->loc.line, o->loc.column, out, err);
    return finish(st, out);
}

/* getschema: one row per input column. */
static fh_status bind_getschema(kql_binder *b, const kql_operator *o, kql_op *input, kql_op **out,
                                fh_error *err)
{
    static const fh_column cols[] = {{"ColumnName", FH_TYPE_STRING},
                                     {"ColumnOrdinal", FH_TYPE_INT},
                                     {"DataType", FH_TYPE_STRING},
                                     {"ColumnType", FH_TYPE_STRING}};
    static const char *const net_types[FH_TYPE_COUNT] = {
        "System.SByte",    "System.Int32",  "System.Int64",  "System.Double", "System.DateTime",
        "System.TimeSpan", "System.String", "System.Object", "System.Guid"};
    kql_rows rows;
    kql_rows_init(&rows, 4);
    const fh_schema *s = input->schema;
    fh_status st = FH_OK;
    for (size_t c = 0; st == FH_OK && c < s->ncols; c++) {
        const char *type = fh_type_name(s->cols[c].type);
        fh_value row[4] = {
            fh_value_string(s->cols[c].name, strlen(s->cols[c].name)), fh_value_int((int32_t)c),
            fh_value_string(net_types[s->cols[c].type], strlen(net_types[s->cols[c].type])),
            fh_value_string(type, strlen(type))};
        st = kql_rows_append(&rows, row, "getschema", err);
    }
    kql_op_destroy(input);
    if (st != FH_OK) {
        kql_rows_destroy(&rows);
        return st;
    }
    return kql_op_rows_create(b->query, cols, 4, &rows, o->loc.line, o->loc.column, out, err);
}

/* --- pipelines ----------------------------------------------------------------------------------
 */

static fh_status bind_operator(kql_binder *b, const kql_operator *o, kql_op *input,
                               kql_scope *scope, kql_op **out, fh_error *err)
{
    *out = NULL;
    switch (o->kind) {
    case KQL_OPERATOR_WHERE:
        return bind_where(b, o, input, scope, out, err);
    case KQL_OPERATOR_PROJECT:
        return bind_project(b, o, input, scope, out, err);
    case KQL_OPERATOR_EXTEND:
        return bind_extend(b, o, input, scope, "extend", out, err);
    case KQL_OPERATOR_SERIALIZE:
        return bind_extend(b, o, input, scope, "serialize", out, err);
    case KQL_OPERATOR_PROJECT_AWAY:
    case KQL_OPERATOR_PROJECT_KEEP:
        return bind_away_keep(b, o, input, out, err);
    case KQL_OPERATOR_PROJECT_RENAME:
        return bind_rename(b, o, input, out, err);
    case KQL_OPERATOR_PROJECT_REORDER:
        return bind_reorder(b, o, input, out, err);
    case KQL_OPERATOR_SUMMARIZE:
        return kql_bind_summarize(b, o, input, scope, out, err);
    case KQL_OPERATOR_SORT:
    case KQL_OPERATOR_TOP:
        return bind_sort(b, o, input, scope, out, err);
    case KQL_OPERATOR_TAKE: {
        int64_t n = 0;
        fh_status st = bind_count_value(b, o->u.take_count, scope, "take", &n, err);
        if (st != FH_OK) {
            kql_op_destroy(input);
            return st;
        }
        st = kql_op_take_create(b->query, input, n, o->loc.line, o->loc.column, out, err);
        return finish(st, out);
    }
    case KQL_OPERATOR_DISTINCT:
        return bind_distinct(b, o, input, out, err);
    case KQL_OPERATOR_COUNT:
        return finish(kql_op_count_create(b->query, input, o->loc.line, o->loc.column, out, err),
                      out);
    case KQL_OPERATOR_UNION:
        return bind_union(b, &o->u.union_, input, o->loc, scope, out, err);
    case KQL_OPERATOR_JOIN:
    case KQL_OPERATOR_LOOKUP:
        return bind_join(b, o, input, scope, out, err);
    case KQL_OPERATOR_MV_EXPAND:
        return bind_mv_expand(b, o, input, scope, out, err);
    case KQL_OPERATOR_EVALUATE:
        return bind_evaluate(b, o, input, scope, out, err);
    case KQL_OPERATOR_PARSE:
        return bind_parse(b, o, input, scope, out, err);
    case KQL_OPERATOR_GETSCHEMA:
        return bind_getschema(b, o, input, out, err);
    case KQL_OPERATOR_AS:
        *out = input; /* NOTE: the name given by `as` cannot be referenced later */
        return FH_OK;
    default:
        kql_op_destroy(input);
        return kql_bind_error(b, o->loc, err, FH_ERR_UNSUPPORTED,
                              "foxhound does not run the '%s' operator yet",
                              kql_operator_name(o->kind));
    }
}

static fh_status bind_pipeline(kql_binder *b, const kql_node *node, kql_scope *scope, kql_op **out,
                               fh_error *err)
{
    kql_op *op = NULL;
    fh_status st = kql_bind_tabular(b, node->u.pipeline.source, scope, &op, err);
    for (size_t i = 0; st == FH_OK && i < node->u.pipeline.nops; i++) {
        kql_op *next = NULL;
        st = bind_operator(b, &node->u.pipeline.ops[i], op, scope, &next, err);
        op = next;
    }
    *out = op;
    return finish(st, out);
}

static fh_status bind_tabular_call(kql_binder *b, const kql_node *node, kql_scope *scope,
                                   kql_op **out, fh_error *err)
{
    kql_str name = node->u.call.name;
    if (kql_str_is(name, "materialize") && node->u.call.nargs == 1)
        return kql_bind_tabular(b, node->u.call.args[0], scope, out, err);
    const kql_entry *entry = kql_scope_find(scope, name);
    if (entry == NULL || entry->kind != KQL_ENTRY_FUNCTION)
        return kql_bind_error(b, node->loc, err, FH_ERR_NOT_FOUND,
                              "'%.*s' is not a table or a function that returns one", (int)name.len,
                              name.ptr);
    kql_scope *inner = NULL;
    fh_schema none = {0};
    fh_status st = kql_bind_user_call(b, node, entry, &none, scope, &inner, err);
    if (st != FH_OK)
        return st;
    return kql_bind_tabular(b, entry->node->u.function.body.result, inner, out, err);
}

fh_status kql_bind_tabular(kql_binder *b, const kql_node *node, kql_scope *scope, kql_op **out,
                           fh_error *err)
{
    *out = NULL;
    if (++b->depth > FH_MAX_QUERY_DEPTH) {
        b->depth--;
        return kql_bind_error(b, node->loc, err, FH_ERR_LIMIT,
                              "the query nests deeper than %d levels", FH_MAX_QUERY_DEPTH);
    }
    fh_status st;
    switch (node->kind) {
    case KQL_NODE_PIPELINE:
        st = bind_pipeline(b, node, scope, out, err);
        break;
    case KQL_NODE_NAME:
        st = bind_table_name(b, node, scope, out, err);
        break;
    case KQL_NODE_DATATABLE:
        st = bind_datatable(b, node, scope, out, err);
        break;
    case KQL_NODE_PRINT:
        st = bind_print(b, node, scope, out, err);
        break;
    case KQL_NODE_UNION:
        st = bind_union(b, &node->u.union_, NULL, node->loc, scope, out, err);
        break;
    case KQL_NODE_CALL:
        st = bind_tabular_call(b, node, scope, out, err);
        break;
    default:
        st = kql_bind_error(b, node->loc, err, FH_ERR_TYPE,
                            "expected a tabular expression, found a %s",
                            kql_node_kind_name(node->kind));
        break;
    }
    b->depth--;
    return finish(st, out);
}
