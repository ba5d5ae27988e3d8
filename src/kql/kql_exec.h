/*
 * The inside of the KQL engine: compiled expressions, value sets, row stores, and the
 * pull-based operator pipeline that a prepared query runs.
 *
 * A query is a tree of operators. The consumer calls next() on the root; each operator pulls
 * batches from its inputs and returns one batch of its own at a time. Streaming operators
 * (where, project, take, union, mv-expand) return batches whose cells may point into their
 * input's batch, which is valid until the next pull. Stateful operators (summarize, sort, top,
 * distinct, join) copy what they keep into arenas of their own and count the rows they hold
 * against FH_MAX_STATE_ROWS.
 */
#ifndef FOXHOUND_KQL_EXEC_H
#define FOXHOUND_KQL_EXEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "foxhound/arena.h"
#include "foxhound/error.h"
#include "foxhound/kql.h"
#include "foxhound/table.h"
#include "foxhound/value_ops.h"
#include "kql/kql_ast.h"
#include "kql/kql_func.h"

typedef struct kql_op kql_op;
typedef struct kql_expr kql_expr;

/* --- value sets: `in` lists, dcount, make_set ------------------------------------------------ */

/* A list of values up to this size is searched linearly; a longer one gets a hash index. */
#define KQL_SET_LINEAR_MAX 8

/* All of a set's memory (items, index, copied strings) lives in its arena. */
typedef struct kql_set {
    fh_arena *arena; /* not owned */
    fh_value *items;
    size_t count, cap;
    uint32_t *slots; /* open addressing: item index + 1, 0 when empty */
    size_t nslots;
    bool nocase; /* compare strings ignoring ASCII case */
    bool hashed; /* build a hash index once count passes KQL_SET_LINEAR_MAX */
} kql_set;

void kql_set_init(kql_set *set, fh_arena *arena, bool nocase, bool hashed);

/* Adds a copy of v unless an equal item is present (null values are ignored). */
fh_status kql_set_add(kql_set *set, const fh_value *v, bool *added);

/* Adds v, or each element of v flattened when v is a dynamic array. */
fh_status kql_set_add_flat(kql_set *set, const fh_value *v);

bool kql_set_contains(const kql_set *set, const fh_value *v);

/* Converts one JSON element to the scalar value it contains (string, long, real, bool), or to a
 * dynamic value for arrays and objects. Strings are copied into arena. */
fh_status kql_value_from_json_element(struct json_t *json, fh_arena *arena, fh_value *out);

/* --- row stores and key maps --------------------------------------------------------------- */

/* Rows copied out of batches, held by a stateful operator. */
typedef struct kql_rows {
    size_t ncols;
    fh_value *cells;
    size_t nrows, cap;
    fh_arena arena;
} kql_rows;

void kql_rows_init(kql_rows *rows, size_t ncols);
void kql_rows_destroy(kql_rows *rows);

/* Appends a deep copy of row (ncols cells). op_name names the operator in the cap error. */
fh_status kql_rows_append(kql_rows *rows, const fh_value *row, const char *op_name, fh_error *err);

static inline fh_value *kql_rows_at(const kql_rows *rows, size_t index)
{
    return rows->cells + index * rows->ncols;
}

/*
 * Groups rows by a tuple of key values. Unlike `==`, two null keys of one type are the same
 * group, as summarize and distinct treat them.
 */
typedef struct kql_keymap {
    kql_rows keys;
    uint64_t *hashes;
    uint32_t *slots; /* key index + 1, 0 when empty */
    size_t nslots;
} kql_keymap;

void kql_keymap_init(kql_keymap *map, size_t nkeys);
void kql_keymap_destroy(kql_keymap *map);
uint64_t kql_key_hash(const fh_value *key, size_t n);
bool kql_key_equal(const fh_value *a, const fh_value *b, size_t n);

/* Finds the key's index, adding a copy when absent (*added is set to whether it did). */
fh_status kql_keymap_find_or_add(kql_keymap *map, const fh_value *key, const char *op_name,
                                 size_t *index, bool *added, fh_error *err);

/* Returns the key's index, or -1 when absent. */
long kql_keymap_find(const kql_keymap *map, const fh_value *key);

/* --- compiled expressions ------------------------------------------------------------------ */

typedef enum kql_expr_kind {
    KQL_EXPR_LITERAL,
    KQL_EXPR_COLUMN,
    KQL_EXPR_BINOP,   /* args[0] op args[1]; and/or short-circuit */
    KQL_EXPR_NEGATE,  /* -args[0] */
    KQL_EXPR_CALL,    /* func(args...) */
    KQL_EXPR_IN,      /* args[0] in (set items, args[1..]) */
    KQL_EXPR_HAS_ANY, /* args[0] has_any / has_all (set items, args[1..]) */
    KQL_EXPR_BETWEEN, /* args[0] between (args[1] .. args[2]) */
    KQL_EXPR_MEMBER,  /* args[0].name */
    KQL_EXPR_INDEX,   /* args[0][args[1]] */
} kql_expr_kind;

struct kql_expr {
    kql_expr_kind kind;
    fh_type type; /* result type */
    unsigned long line, column;
    fh_value literal;         /* LITERAL */
    size_t column_index;      /* COLUMN */
    kql_binop op;             /* BINOP */
    const kql_func_def *func; /* CALL */
    kql_expr **args;
    size_t nargs;
    fh_value *argv;                  /* CALL: argument values, reused for every row */
    kql_set *set;                    /* IN, HAS_ANY: the constant items */
    struct kql_has_index *has_index; /* HAS_ANY: term lookup in set; NULL for the item loop */
    bool negate;                     /* IN: !in; BETWEEN: !between */
    bool nocase;                     /* IN: in~ */
    bool all;                        /* HAS_ANY: has_all */
    const char *name;                /* MEMBER */
    size_t name_len;
};

typedef struct kql_eval {
    const fh_value *row; /* cells of the current row */
    kql_func_ctx *fctx;  /* results go to fctx->arena */
    const char *source;  /* query name for error locations */
} kql_eval;

/* Evaluates an expression for one row. Errors carry the expression's line and column. */
fh_status kql_expr_eval(const kql_expr *expr, kql_eval *ev, fh_value *out, fh_error *err);

/* Evaluates a predicate: true only when the result is a non-null true bool. */
fh_status kql_expr_test(const kql_expr *expr, kql_eval *ev, bool *out, fh_error *err);

/* Marks in need[] every input column the expression reads. */
void kql_expr_columns(const kql_expr *expr, bool *need);

/* True when the expression reads no column (it can be folded to a literal). */
bool kql_expr_is_constant(const kql_expr *expr);

/* --- the query and its operators ----------------------------------------------------------- */

typedef struct kql_op_vtable {
    const char *name; /* operator name for errors: "summarize", "join" */
    fh_status (*next)(kql_op *op, fh_batch **out, fh_error *err);
    /* Column pushdown: given which output columns are needed, mark inputs' needs. */
    void (*need)(kql_op *op, const bool *out_need);
    void (*destroy)(kql_op *op);
} kql_op_vtable;

struct kql_op {
    const kql_op_vtable *vt;
    fh_kql_query *query;
    fh_schema *schema; /* output schema, owned */
    kql_op **inputs;   /* owned */
    size_t ninputs;
    unsigned long line, column;
};

struct fh_kql_query {
    fh_kql_engine *engine;
    fh_arena arena; /* query text copy, AST, compiled expressions, constants */
    char source[FH_ERROR_SOURCE_MAX];
    const char *text;
    size_t text_len;
    int64_t now_ticks;
    bool shortcuts; /* column pushdown, prefilter, hashed `in` sets */
    kql_op *root;
    unsigned depth;        /* nesting while binding */
    size_t next_column_id; /* for generated names Column1, Column2 */
};

/* Creates the common part of an operator (calloc'd size bytes) with an output schema. */
fh_status kql_op_new(fh_kql_query *query, const kql_op_vtable *vt, size_t size, unsigned long line,
                     unsigned long column, kql_op **out, fh_error *err);

/* Attaches an input (taking ownership). */
fh_status kql_op_add_input(kql_op *op, kql_op *input, fh_error *err);

/* Gives the operator its output schema, copied from cols. */
fh_status kql_op_set_schema(kql_op *op, const fh_column *cols, size_t ncols, fh_error *err);

/* Destroys an operator, its inputs and its schema. Accepts NULL. */
void kql_op_destroy(kql_op *op);

static inline fh_status kql_op_next(kql_op *op, fh_batch **out, fh_error *err)
{
    return op->vt->next(op, out, err);
}

/* Pushdown default: every input column is needed. */
void kql_op_need_all(kql_op *op, const bool *out_need);

/* Calls need() on an input with a fresh array; used by need() implementations. */
void kql_op_need_input(kql_op *input, const bool *in_need);

/* Fills an error with the operator's location. */
fh_status kql_op_error(const kql_op *op, fh_error *err, fh_status status, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Adds the operator's location to an error that has none; returns status. */
fh_status kql_op_locate(const kql_op *op, fh_error *err, fh_status status);

/* Prepares a per-operator function context whose results go to arena. */
void kql_op_func_ctx(const kql_op *op, kql_func_ctx *ctx, fh_arena *arena, fh_error *err);

/* --- operator constructors (one file per family) -------------------------------------------- */

/* kql_op_scan.c: rows of a table bound to files or providers. */
fh_status kql_op_scan_create(fh_kql_query *query, const char *table, unsigned long line,
                             unsigned long column, kql_op **out, fh_error *err);
/* True for a table source; a file scan reads only files (no providers). */
bool kql_op_is_scan(const kql_op *op);
bool kql_op_is_file_scan(const kql_op *op);
/* Starts column pushdown on a scan: no column needed until need() marks some. */
fh_status kql_op_scan_begin_need(kql_op *op);
/*
 * Gives the scan a line filter for its readers, taking ownership (NULL for none), and the
 * note on it that the file statistics report.
 */
struct kql_prefilter;
void kql_op_scan_set_prefilter(kql_op *op, struct kql_prefilter *prefilter, const char *note);

/* kql_op_rows.c: rows held in memory (datatable, provider copies, materialized inputs). */
fh_status kql_op_rows_create(fh_kql_query *query, const fh_column *cols, size_t ncols,
                             kql_rows *rows, unsigned long line, unsigned long column, kql_op **out,
                             fh_error *err);

/* Runs an operator to the end and copies its rows into rows (initialized by the caller). */
fh_status kql_op_collect(kql_op *op, kql_rows *rows, fh_error *err);

/* kql_op_where.c */
fh_status kql_op_where_create(fh_kql_query *query, kql_op *input, kql_expr *predicate,
                              unsigned long line, unsigned long column, kql_op **out,
                              fh_error *err);
kql_expr *kql_op_where_predicate(const kql_op *op);
bool kql_op_is_where(const kql_op *op);

/* kql_op_project.c: project, extend, project-away/keep/rename/reorder. Each output column is
 * an input column (source >= 0) or an expression. */
typedef struct kql_map_column {
    const char *name;
    long source; /* input column index, or -1 for expr */
    kql_expr *expr;
} kql_map_column;

fh_status kql_op_map_create(fh_kql_query *query, const char *op_name, kql_op *input,
                            const kql_map_column *cols, size_t ncols, unsigned long line,
                            unsigned long column, kql_op **out, fh_error *err);

/* kql_op_take.c */
fh_status kql_op_take_create(fh_kql_query *query, kql_op *input, int64_t limit, unsigned long line,
                             unsigned long column, kql_op **out, fh_error *err);

/* kql_op_sort.c: sort by keys; limit >= 0 makes it top. */
typedef struct kql_sort_spec {
    kql_expr *expr;
    bool desc;
    bool nulls_first;
} kql_sort_spec;

fh_status kql_op_sort_create(fh_kql_query *query, const char *op_name, kql_op *input,
                             const kql_sort_spec *keys, size_t nkeys, int64_t limit,
                             unsigned long line, unsigned long column, kql_op **out, fh_error *err);

/* kql_op_distinct.c: distinct over the listed input columns. */
fh_status kql_op_distinct_create(fh_kql_query *query, kql_op *input, const size_t *cols,
                                 size_t ncols, unsigned long line, unsigned long column,
                                 kql_op **out, fh_error *err);

/* kql_op_count.c */
fh_status kql_op_count_create(fh_kql_query *query, kql_op *input, unsigned long line,
                              unsigned long column, kql_op **out, fh_error *err);

/* kql_op_summarize.c and kql_agg.c */
typedef enum kql_agg_kind {
    KQL_AGG_COUNT,
    KQL_AGG_COUNTIF,
    KQL_AGG_DCOUNT,
    KQL_AGG_DCOUNTIF,
    KQL_AGG_SUM,
    KQL_AGG_SUMIF,
    KQL_AGG_AVG,
    KQL_AGG_AVGIF,
    KQL_AGG_MIN,
    KQL_AGG_MAX,
    KQL_AGG_MINIF,
    KQL_AGG_MAXIF,
    KQL_AGG_MAKE_SET,
    KQL_AGG_MAKE_SET_IF,
    KQL_AGG_MAKE_LIST,
    KQL_AGG_MAKE_LIST_IF,
    KQL_AGG_ARG_MAX,
    KQL_AGG_ARG_MIN,
    KQL_AGG_TAKE_ANY,
    KQL_AGG_PERCENTILE,
} kql_agg_kind;

typedef struct kql_agg_spec {
    kql_agg_kind kind;
    kql_expr *value;     /* the aggregated expression, or NULL for count() */
    kql_expr *predicate; /* the *if forms */
    int64_t max_size;    /* make_set/make_list cap */
    double percentile;   /* percentile(x, p) */
    /* arg_max/arg_min/take_any: extra returned expressions, each one output column */
    kql_expr **returned;
    size_t nreturned;
    size_t first_output; /* index of its first output column in the summarize schema */
    size_t noutputs;     /* output columns it fills */
} kql_agg_spec;

/* Returns the aggregate of that name, and its min/max argument counts, or false. */
bool kql_agg_lookup(const char *name, size_t len, kql_agg_kind *kind, int *min_args, int *max_args);
/* Result type of the aggregate's first output column. */
fh_type kql_agg_result_type(kql_agg_kind kind, fh_type value_type);
/* Kusto's name prefix for an unnamed aggregate ("count", "set", "max"). */
const char *kql_agg_name_prefix(kql_agg_kind kind);

fh_status kql_op_summarize_create(fh_kql_query *query, kql_op *input, kql_expr **by, size_t nby,
                                  kql_agg_spec *aggs, size_t naggs, const fh_column *cols,
                                  size_t ncols, unsigned long line, unsigned long column,
                                  kql_op **out, fh_error *err);

/* kql_op_union.c: input i's column j goes to output column map[i][j] (or -1: dropped). */
fh_status kql_op_union_create(fh_kql_query *query, kql_op **inputs, size_t ninputs, long **maps,
                              const char *const *source_names, long source_column,
                              const fh_column *cols, size_t ncols, unsigned long line,
                              unsigned long column, kql_op **out, fh_error *err);

/* kql_op_join.c */
fh_status kql_op_join_create(fh_kql_query *query, kql_join_kind kind, kql_op *left, kql_op *right,
                             const size_t *left_keys, const size_t *right_keys, size_t nkeys,
                             unsigned long line, unsigned long column, kql_op **out, fh_error *err);

/* kql_op_mvexpand.c: expands the listed columns; types[i] is the result type of each.
 * limit < 0 means no limit; index_name (or NULL) adds a with_itemindex column. */
fh_status kql_op_mvexpand_create(fh_kql_query *query, kql_op *input, const size_t *cols,
                                 const fh_type *types, size_t ncols, int64_t limit,
                                 bool bag_as_array, const char *index_name, unsigned long line,
                                 unsigned long column, kql_op **out, fh_error *err);

/* kql_op_parse.c: cols are the input columns followed by one column per COLUMN item. */
fh_status kql_op_parse_create(fh_kql_query *query, kql_op *input, kql_expr *source,
                              kql_parse_item *items, size_t nitems, bool relaxed,
                              const fh_column *cols, size_t ncols, unsigned long line,
                              unsigned long column, kql_op **out, fh_error *err);

/* kql_op_bagunpack.c: runs the input to the end, since the columns depend on the data. */
typedef enum kql_bag_conflict {
    KQL_BAG_CONFLICT_ERROR,
    KQL_BAG_CONFLICT_REPLACE_SOURCE,
    KQL_BAG_CONFLICT_KEEP_SOURCE,
} kql_bag_conflict;

fh_status kql_op_bagunpack_create(fh_kql_query *query, kql_op *input, size_t column,
                                  const char *prefix, kql_bag_conflict conflict, unsigned long line,
                                  unsigned long column_pos, kql_op **out, fh_error *err);

/* --- planner (kql_plan.c) and binder (kql_bind.c) ------------------------------------------ */

/* Applies column pushdown and the literal prefilter to a bound plan. */
fh_status kql_plan_optimize(fh_kql_query *query, fh_error *err);

typedef struct kql_prefilter kql_prefilter;

/*
 * Compiles the literals for scanning, once, when a scan first opens a file, so that the tables
 * of a hunt compile on their own threads. Returns false, with the reason in note, when the
 * scan must run without the prefilter.
 */
bool kql_prefilter_compile(kql_prefilter *prefilter, char *note, size_t note_size);

/* The line filter given to readers: true when the line contains one of the literals. */
bool kql_prefilter_match(void *ctx, const char *line, size_t len);
void kql_prefilter_destroy(kql_prefilter *prefilter);

/*
 * Makes a prefilter for one more scan thread: it shares the literals and the compiled
 * database of prefilter (which must outlive it) and has its own Hyperscan scratch space,
 * because one scratch serves one scan at a time. Returns NULL when memory runs out.
 */
void *kql_prefilter_clone(void *prefilter);
void kql_prefilter_clone_free(void *clone);

/* Parses and binds the query text into query->root. */
fh_status kql_bind_query(fh_kql_query *query, fh_error *err);

/* --- engine internals used by the scan operator (kql_engine.c) ------------------------------ */

typedef struct kql_table_source {
    bool is_file;
    size_t file_index;        /* into the engine's file list */
    fh_kql_provider provider; /* when !is_file */
} kql_table_source;

typedef struct kql_table {
    char *name;
    kql_table_source *sources;
    size_t nsources;
    fh_schema *schema; /* union of the sources' schemas, made when first needed */
} kql_table;

/* Returns the table of that name, or NULL. */
kql_table *kql_engine_table(fh_kql_engine *engine, const char *name, size_t len);
size_t kql_engine_table_count(const fh_kql_engine *engine);
kql_table *kql_engine_table_at(fh_kql_engine *engine, size_t index);

/* Returns the table's schema, opening its files once to learn their columns if needed. */
fh_status kql_engine_table_schema(fh_kql_engine *engine, kql_table *table, const fh_schema **out,
                                  fh_error *err);

const fh_kql_options *kql_engine_options(const fh_kql_engine *engine);
const char *kql_engine_file_path(const fh_kql_engine *engine, size_t index);
/* Records the reading statistics of a finished file scan and the note on its prefilter. */
void kql_engine_record_stats(fh_kql_engine *engine, size_t index, const char *detection,
                             const fh_read_stats *stats, const char *prefilter_note);

#endif
