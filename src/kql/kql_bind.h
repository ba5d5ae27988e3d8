/*
 * The binder's shared parts: scopes of let names, and binding of scalar expressions
 * (kql_bind.c) and tabular expressions (kql_bind_op.c) from the syntax tree into compiled
 * expressions and operators.
 */
#ifndef FOXHOUND_KQL_BIND_H
#define FOXHOUND_KQL_BIND_H

#include "kql/kql_ast.h"
#include "kql/kql_exec.h"

typedef enum kql_entry_kind {
    KQL_ENTRY_SCALAR,   /* a bound expression: a folded let value or a function argument */
    KQL_ENTRY_TABULAR,  /* a tabular expression, bound again at each use */
    KQL_ENTRY_FUNCTION, /* a let-bound function */
} kql_entry_kind;

typedef struct kql_scope kql_scope;

typedef struct kql_entry {
    kql_str name;
    kql_entry_kind kind;
    kql_expr *scalar;   /* KQL_ENTRY_SCALAR */
    kql_node *node;     /* KQL_ENTRY_TABULAR, KQL_ENTRY_FUNCTION */
    kql_scope *defined; /* scope the node is bound in */
} kql_entry;

struct kql_scope {
    kql_scope *parent;
    kql_entry *entries;
    size_t count, cap;
};

/* Everything binding needs; one per query. */
/* Entries of the set cache: `in` sets built from whole dynamic lists. */
#define KQL_BIND_SET_CACHE 32

/*
 * A set built for `x in (list)` or `x has_any (list)` where list is one dynamic value, such as
 * a let-bound array used in several places of a query. Sets are read-only once bound, so
 * every `in` of the same kind over the same array shares one.
 */
typedef struct kql_bound_set {
    const struct json_t *list;
    int op; /* the kql_in_op, which sets the case rule and whether a term index is built */
    struct kql_set *set;
    struct kql_has_index *has_index;
} kql_bound_set;

typedef struct kql_binder {
    fh_kql_query *query;
    fh_arena *arena;   /* the query arena */
    kql_func_ctx fold; /* evaluates constant expressions while binding */
    unsigned depth;
    kql_bound_set sets[KQL_BIND_SET_CACHE];
    size_t nsets;
} kql_binder;

/* Looks a name up through the scope chain (innermost first); NULL when absent. */
const kql_entry *kql_scope_find(const kql_scope *scope, kql_str name);
fh_status kql_scope_add(kql_binder *b, kql_scope *scope, const kql_entry *entry, fh_error *err);

/* Copies a slice into the query arena as a NUL-terminated string (NULL when out of memory). */
const char *kql_bind_strdup(kql_binder *b, kql_str s);

/* Fills err at a node's location and returns status. */
fh_status kql_bind_error(const kql_binder *b, kql_loc loc, fh_error *err, fh_status status,
                         const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Binds a scalar expression against the columns of schema (which may have none). */
fh_status kql_bind_expr(kql_binder *b, const kql_node *node, const fh_schema *schema,
                        kql_scope *scope, kql_expr **out, fh_error *err);

/* Binds an expression that must be constant and evaluates it. */
fh_status kql_bind_constant(kql_binder *b, const kql_node *node, kql_scope *scope, fh_value *out,
                            fh_error *err);

/* True when a node, in this scope, is a tabular expression rather than a scalar one. */
bool kql_bind_is_tabular(kql_binder *b, const kql_node *node, const kql_scope *scope);

/* Binds a tabular expression into an operator tree. */
fh_status kql_bind_tabular(kql_binder *b, const kql_node *node, kql_scope *scope, kql_op **out,
                           fh_error *err);

/* Binds a block's lets into a new scope under parent, then its result. */
fh_status kql_bind_lets(kql_binder *b, const kql_block *block, kql_scope *scope, fh_error *err);

/* The name a column reference or member chain gives its result ("" when none). */
kql_str kql_bind_result_name(const kql_node *node);

/* Finds a column by name; reports "unknown column 'X'; did you mean 'Y'?" when absent. */
fh_status kql_bind_column(const kql_binder *b, const fh_schema *schema, kql_str name, kql_loc loc,
                          size_t *index, fh_error *err);

/* Binds a let-bound function's parameters to a call's arguments in a new scope (*body), in
 * which the function's lets are bound too. */
fh_status kql_bind_user_call(kql_binder *b, const kql_node *call, const kql_entry *entry,
                             const fh_schema *schema, kql_scope *scope, kql_scope **body,
                             fh_error *err);

/* Binds `| summarize` over input (kql_bind_summarize.c). */
fh_status kql_bind_summarize(kql_binder *b, const kql_operator *o, kql_op *input, kql_scope *scope,
                             kql_op **out, fh_error *err);

#endif
