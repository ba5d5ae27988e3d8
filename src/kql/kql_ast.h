/*
 * The syntax tree of a KQL query, as kql_parse builds it and the evaluator walks it.
 *
 * Every node, operator and list item lives in the fh_arena given to the parser, together with
 * a copy of the query text, so a tree stays valid until that arena is reset or destroyed.
 * Names are kql_str slices: a plain identifier points into the arena copy of the text, and a
 * bracketed name such as ['Source IP'] points at its decoded form in the arena. Lists are
 * arrays with a count. Every node and operator carries the 1-based line and column (in
 * characters, a tab counting as one) and the byte offset where it starts, for error messages.
 *
 * One node type serves scalar and tabular expressions, because KQL only distinguishes them by
 * name resolution: `x in (IPs)` may name a scalar, a dynamic array or a let-bound table, and
 * `let T = CommonSecurityLog;` may bind a table. The evaluator decides from the node kind and
 * what a name is bound to. Syntax that is only ever tabular gets its own kind (pipeline,
 * datatable, print, union).
 *
 * The parser resolves defaults that KQL fixes, so the evaluator sees them spelled out: sort
 * direction and null placement, join kind (innerunique), lookup kind (leftouter), union kind
 * (outer), mv-expand's bag expansion (bag).
 */
#ifndef FOXHOUND_KQL_AST_H
#define FOXHOUND_KQL_AST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "foxhound/arena.h"
#include "foxhound/error.h"
#include "foxhound/value.h"
#include "kql/kql_func.h"

/* A byte slice, not NUL-terminated unless a field's comment states it. */
typedef struct kql_str {
    const char *ptr;
    size_t len;
} kql_str;

/* A position in the query text. line and column are 1-based; offset is in bytes from 0. */
typedef struct kql_loc {
    unsigned long line;
    unsigned long column;
    size_t offset;
} kql_loc;

typedef struct kql_node kql_node;

typedef enum kql_node_kind {
    /* Scalar expressions. */
    KQL_NODE_LITERAL,   /* a constant of any type, including dynamic and typed nulls */
    KQL_NODE_NAME,      /* a column, let name or table name; may be a table pattern in union */
    KQL_NODE_STAR,      /* `*` as a call argument, as in arg_max(TimeGenerated, *) */
    KQL_NODE_UNARY,     /* -x, +x */
    KQL_NODE_BINARY,    /* arithmetic, comparison, string predicates, and, or */
    KQL_NODE_IN,        /* in, !in, in~, !in~, has_any, has_all with their item list */
    KQL_NODE_BETWEEN,   /* x between (lo .. hi), x !between (lo .. hi) */
    KQL_NODE_CALL,      /* f(args): scalar, aggregate, let-bound function, plugin */
    KQL_NODE_NAMED_ARG, /* name = expr inside a call's arguments (bag_unpack's columnsConflict) */
    KQL_NODE_MEMBER,    /* x.name */
    KQL_NODE_INDEX,     /* x[expr]: x["key"], x[0], x[-1] */
    KQL_NODE_TYPEOF,    /* typeof(long): a type given as an argument */
    /* Tabular expressions. */
    KQL_NODE_PIPELINE,  /* source | operator | operator ... */
    KQL_NODE_DATATABLE, /* datatable(a:string, b:long) [ ... ] */
    KQL_NODE_PRINT,     /* print [name =] expr, ... */
    KQL_NODE_UNION,     /* union [options] T1, T2 ... at the start of a tabular expression */
    /* Let-bound user function. */
    KQL_NODE_FUNCTION, /* (params) { body } */
    KQL_NODE_KIND_COUNT
} kql_node_kind;

typedef enum kql_unary_op {
    KQL_UNARY_MINUS,
    KQL_UNARY_PLUS,
} kql_unary_op;

/* The operator of a KQL_NODE_IN node. */
typedef enum kql_in_op {
    KQL_IN,            /* in: equals one item, case-sensitive */
    KQL_NOT_IN,        /* !in */
    KQL_IN_NOCASE,     /* in~ */
    KQL_NOT_IN_NOCASE, /* !in~ */
    KQL_HAS_ANY,       /* has_any: any item is a whole term */
    KQL_HAS_ALL,       /* has_all: every item is a whole term */
} kql_in_op;

typedef enum kql_sort_order {
    KQL_SORT_NONE, /* not given (project-reorder only) */
    KQL_SORT_ASC,
    KQL_SORT_DESC,
} kql_sort_order;

/* A `Name = expr` or a bare expr in project, extend, summarize, print and serialize. */
typedef struct kql_named_expr {
    kql_str name; /* empty when no name was written; the evaluator derives one */
    kql_node *expr;
    kql_loc loc;
} kql_named_expr;

/* A column name with a type, in datatable(...) and in tabular function parameters. */
typedef struct kql_column_decl {
    kql_str name;
    fh_type type;
    kql_loc loc;
} kql_column_decl;

/* A parameter of a let-bound function: `name:type [= default]` or `T:(*)` for a table. */
typedef struct kql_param {
    kql_str name;
    bool is_tabular;
    fh_type type;             /* scalar parameters only */
    kql_column_decl *columns; /* tabular parameters: required columns; none for (*) */
    size_t ncolumns;
    kql_node *default_value; /* NULL when the parameter has no default */
    kql_loc loc;
} kql_param;

/* A let statement: `let name = value;`. value is any expression or a KQL_NODE_FUNCTION. */
typedef struct kql_let {
    kql_str name;
    kql_node *value;
    kql_loc loc;
} kql_let;

/* A query or function body: let statements in order, then the expression they lead to. */
typedef struct kql_block {
    kql_let *lets;
    size_t nlets;
    kql_node *result; /* a query's result is tabular; a function's may be scalar */
} kql_block;

/* union's options and inputs, shared by the union source and the `| union` operator. */
typedef enum kql_union_kind {
    KQL_UNION_OUTER, /* the default: every column of every input */
    KQL_UNION_INNER, /* only the columns all inputs have */
} kql_union_kind;

typedef struct kql_union {
    kql_union_kind kind;
    kql_str with_source; /* column naming each row's input table; empty when not asked */
    bool is_fuzzy;       /* isfuzzy=true: a missing input table is not an error */
    kql_node **tables;   /* names (possibly patterns such as Device*), pipelines, sources */
    size_t ntables;
} kql_union;

/* Join kinds; aliases are folded (anti and leftantisemi are leftanti, rightantisemi is
 * rightanti). */
typedef enum kql_join_kind {
    KQL_JOIN_INNERUNIQUE,
    KQL_JOIN_INNER,
    KQL_JOIN_LEFTOUTER,
    KQL_JOIN_RIGHTOUTER,
    KQL_JOIN_FULLOUTER,
    KQL_JOIN_LEFTSEMI,
    KQL_JOIN_LEFTANTI,
    KQL_JOIN_RIGHTSEMI,
    KQL_JOIN_RIGHTANTI,
    KQL_JOIN_KIND_COUNT
} kql_join_kind;

/* One equality of a join condition: `on Col` gives left == right == Col, and
 * `$left.A == $right.B` gives left A, right B (the parser swaps a reversed pair). */
typedef struct kql_join_key {
    kql_str left;
    kql_str right;
    kql_loc loc;
} kql_join_key;

/* join and lookup. */
typedef struct kql_join {
    kql_join_kind kind;
    kql_node *right; /* the right-hand tabular expression */
    kql_join_key *keys;
    size_t nkeys;
} kql_join;

/* A sort key in order by, sort by or top. The parser fills in KQL's defaults: descending,
 * with nulls last when descending and first when ascending. */
typedef struct kql_sort_key {
    kql_node *expr;
    bool descending;
    bool nulls_first;
    kql_loc loc;
} kql_sort_key;

/* A column name or wildcard pattern in project-away, project-keep and project-reorder. */
typedef struct kql_column_pattern {
    kql_str pattern;
    bool has_wildcard;    /* pattern contains '*' */
    kql_sort_order order; /* project-reorder only: how to order the columns a wildcard matches */
    kql_loc loc;
} kql_column_pattern;

/* project-rename NewName = OldName. */
typedef struct kql_rename {
    kql_str new_name;
    kql_str old_name;
    kql_loc loc;
} kql_rename;

typedef enum kql_bag_expansion {
    KQL_BAG_EXPANSION_BAG,   /* a property bag expands to one {key: value} bag per row */
    KQL_BAG_EXPANSION_ARRAY, /* a property bag expands to one [key, value] array per row */
} kql_bag_expansion;

/* One column of mv-expand: `[name =] expr [to typeof(type)]`. */
typedef struct kql_expand_column {
    kql_str name; /* empty when no name was written */
    kql_node *expr;
    bool has_type;
    fh_type to_type;
    kql_loc loc;
} kql_expand_column;

typedef struct kql_mv_expand {
    kql_bag_expansion bag_expansion;
    kql_str item_index; /* with_itemindex=Name; empty when not asked */
    kql_expand_column *columns;
    size_t ncolumns;
    kql_node *limit; /* NULL when no `limit N` */
} kql_mv_expand;

/* parse [kind=simple|regex|relaxed] expr with * "text" Column:type ... */
typedef enum kql_parse_kind {
    KQL_PARSE_SIMPLE,
    KQL_PARSE_REGEX,
    KQL_PARSE_RELAXED,
} kql_parse_kind;

typedef enum kql_parse_item_kind {
    KQL_PARSE_ITEM_TEXT,   /* a string literal that must appear (a regex with kind=regex) */
    KQL_PARSE_ITEM_STAR,   /* `*`: skip any text */
    KQL_PARSE_ITEM_COLUMN, /* a column to extract, string unless typed */
} kql_parse_item_kind;

typedef struct kql_parse_item {
    kql_parse_item_kind kind;
    kql_str text; /* the decoded literal or the column name */
    fh_type type; /* FH_TYPE_STRING unless `Column:type` was written */
    kql_loc loc;
} kql_parse_item;

typedef struct kql_parse_spec {
    kql_parse_kind kind;
    kql_node *source; /* the expression whose text is parsed */
    kql_parse_item *items;
    size_t nitems;
} kql_parse_spec;

typedef enum kql_operator_kind {
    KQL_OPERATOR_WHERE, /* where and its synonym filter */
    KQL_OPERATOR_PROJECT,
    KQL_OPERATOR_PROJECT_AWAY,
    KQL_OPERATOR_PROJECT_KEEP,
    KQL_OPERATOR_PROJECT_RENAME,
    KQL_OPERATOR_PROJECT_REORDER,
    KQL_OPERATOR_EXTEND,
    KQL_OPERATOR_SUMMARIZE,
    KQL_OPERATOR_SORT, /* order by and sort by */
    KQL_OPERATOR_TOP,
    KQL_OPERATOR_TAKE, /* take and limit */
    KQL_OPERATOR_DISTINCT,
    KQL_OPERATOR_COUNT,
    KQL_OPERATOR_UNION,
    KQL_OPERATOR_JOIN,
    KQL_OPERATOR_LOOKUP,
    KQL_OPERATOR_MV_EXPAND,
    KQL_OPERATOR_EVALUATE,
    KQL_OPERATOR_PARSE,
    KQL_OPERATOR_AS,
    KQL_OPERATOR_GETSCHEMA,
    KQL_OPERATOR_INVOKE,
    KQL_OPERATOR_SERIALIZE,
    KQL_OPERATOR_KIND_COUNT
} kql_operator_kind;

/* One `| operator` of a pipeline. */
typedef struct kql_operator {
    kql_operator_kind kind;
    kql_loc loc; /* where the operator's name starts */
    union {
        kql_node *predicate; /* where */
        struct {
            kql_named_expr *items;
            size_t nitems;
        } columns; /* project, extend, serialize */
        struct {
            kql_column_pattern *items;
            size_t nitems;
        } patterns; /* project-away, project-keep, project-reorder */
        struct {
            kql_rename *items;
            size_t nitems;
        } renames; /* project-rename */
        struct {
            kql_named_expr *aggregates;
            size_t naggregates;
            kql_named_expr *by;
            size_t nby;
        } summarize;
        struct {
            kql_sort_key *keys;
            size_t nkeys;
        } sort;
        struct {
            kql_node *count;
            kql_sort_key key;
        } top;
        kql_node *take_count; /* take, limit */
        struct {
            bool all;           /* distinct * */
            kql_node **columns; /* NAME nodes when not all */
            size_t ncolumns;
        } distinct;
        kql_union union_; /* the pipeline's input is the first table, before tables[0] */
        kql_join join;    /* join and lookup */
        kql_mv_expand mv_expand;
        kql_node *plugin; /* evaluate: a KQL_NODE_CALL of the plugin (bag_unpack) */
        kql_parse_spec parse;
        kql_str as_name;  /* as */
        kql_node *invoke; /* invoke: a KQL_NODE_CALL of a let-bound function */
    } u;
} kql_operator;

/* Information the parser recorded without failing, such as a join hint it ignores. */
typedef struct kql_note {
    kql_loc loc;
    const char *message; /* NUL-terminated, in the arena */
} kql_note;

struct kql_node {
    kql_node_kind kind;
    kql_loc loc;
    union {
        struct {
            fh_value value; /* strings decoded into the arena; dynamic values are held by it */
            kql_str text;   /* the literal as written in the query */
        } literal;
        struct {
            kql_str text;
            bool is_pattern; /* union table name containing '*' */
        } name;
        struct {
            kql_unary_op op;
            kql_node *operand;
        } unary;
        struct {
            kql_binop op; /* includes KQL_OP_AND and KQL_OP_OR */
            kql_node *left;
            kql_node *right;
        } binary;
        struct {
            kql_in_op op;
            kql_node *left;
            kql_node **items; /* scalars, dynamic arrays, or one tabular expression or name */
            size_t nitems;
        } in;
        struct {
            bool negated; /* !between */
            kql_node *left;
            kql_node *low;
            kql_node *high;
        } between;
        struct {
            kql_str name;
            kql_node **args;
            size_t nargs;
        } call;
        struct {
            kql_str name;
            kql_node *value;
        } named_arg;
        struct {
            kql_node *object;
            kql_str name;
        } member;
        struct {
            kql_node *object;
            kql_node *index;
        } index;
        fh_type type_of; /* typeof */
        struct {
            kql_node *source;
            kql_operator *ops;
            size_t nops;
        } pipeline;
        struct {
            kql_column_decl *columns;
            size_t ncolumns;
            kql_node **values; /* row-major; a multiple of ncolumns, checked by the parser */
            size_t nvalues;
        } datatable;
        struct {
            kql_named_expr *items;
            size_t nitems;
        } print;
        kql_union union_;
        struct {
            kql_param *params;
            size_t nparams;
            kql_block body;
        } function;
    } u;
};

/* A parsed query: let statements and the final tabular expression. */
typedef struct kql_query {
    const char *source; /* the name used in errors: "<query>" or a file name */
    const char *text;   /* the arena's NUL-terminated copy of the query text */
    size_t len;
    kql_block body;
    kql_note *notes;
    size_t nnotes;
} kql_query;

/* Allocates a zeroed node of a kind at a location; NULL when memory runs out. */
kql_node *kql_node_new(fh_arena *arena, kql_node_kind kind, kql_loc loc);

/* Returns the name of a node kind ("literal", "pipeline", ...). */
const char *kql_node_kind_name(kql_node_kind kind);

/* Returns an operator's KQL spelling ("where", "project-away", "mv-expand", ...). */
const char *kql_operator_name(kql_operator_kind kind);

/* Returns a join kind's KQL spelling ("innerunique", "leftanti", ...). */
const char *kql_join_kind_name(kql_join_kind kind);

/* Returns the spelling of an in-family operator ("in", "!in~", "has_any", ...). */
const char *kql_in_op_name(kql_in_op op);

/* Returns true when s equals the NUL-terminated word (case-sensitive, like KQL names). */
bool kql_str_is(kql_str s, const char *word);

/*
 * Renders a query or a node as a compact one-line S-expression for tests and debugging, for
 * example (block (pipe CommonSecurityLog (where (== SourceIP "1.2.3.4")))). Returns a malloc'd
 * NUL-terminated string that the caller frees, or NULL when memory runs out.
 */
char *kql_query_to_sexpr(const kql_query *query);
char *kql_node_to_sexpr(const kql_node *node);

#endif
