/*
 * The scalar side of the KQL engine: built-in functions, binary operators and string
 * predicates, evaluated on fh_value. The evaluator looks a function up by name, checks its
 * argument count, gets its result type when planning, and calls it once per row.
 */
#ifndef FOXHOUND_KQL_FUNC_H
#define FOXHOUND_KQL_FUNC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "foxhound/arena.h"
#include "foxhound/error.h"
#include "foxhound/value.h"

typedef struct kql_func_ctx {
    fh_arena *arena;   /* results' strings and JSON references live here */
    int64_t now_ticks; /* now() for the whole query run */
    fh_error *err;     /* filled when a function fails (FH_ERR_TYPE, FH_ERR_INVALID) */
    struct kql_regex_cache *regex_cache; /* compiled patterns; NULL until the first regex */
} kql_func_ctx;

typedef fh_status (*kql_scalar_fn)(kql_func_ctx *ctx, const fh_value *args, size_t nargs,
                                   fh_value *out);

/*
 * Result type from argument types, used to build output schemas before any row is seen.
 * Returns FH_ERR_TYPE with a message naming the function and the argument when the types do
 * not fit. arg_is_literal/literals give the constant arguments (for typeof() or a unit
 * name); literals[i] is meaningful only when arg_is_literal[i] is true.
 */
typedef fh_status (*kql_type_fn)(const fh_type *arg_types, const bool *arg_is_literal,
                                 const fh_value *literals, size_t nargs, fh_type *out,
                                 fh_error *err);

typedef struct kql_func_def {
    const char *name;
    int min_args;
    int max_args; /* -1 for any number */
    kql_scalar_fn call;
    kql_type_fn result_type;
} kql_func_def;

/* Returns the scalar function of that (case-sensitive) name, or NULL. */
const kql_func_def *kql_func_lookup(const char *name, size_t len);

/* Number of registered functions, and the one at index in name order (NULL past the end). */
size_t kql_func_count(void);
const kql_func_def *kql_func_at(size_t index);

/* Binary operators and predicates, by the spelling the parser stores. */
typedef enum kql_binop {
    KQL_OP_ADD,
    KQL_OP_SUB,
    KQL_OP_MUL,
    KQL_OP_DIV,
    KQL_OP_MOD,
    KQL_OP_LT,
    KQL_OP_LE,
    KQL_OP_GT,
    KQL_OP_GE,
    KQL_OP_EQ,
    KQL_OP_NE, /* == != (and <>) */
    KQL_OP_EQ_NOCASE,
    KQL_OP_NE_NOCASE, /* =~ !~ */
    KQL_OP_HAS,
    KQL_OP_NOT_HAS,
    KQL_OP_HAS_CS,
    KQL_OP_NOT_HAS_CS,
    KQL_OP_HASPREFIX,
    KQL_OP_NOT_HASPREFIX,
    KQL_OP_HASPREFIX_CS,
    KQL_OP_NOT_HASPREFIX_CS,
    KQL_OP_HASSUFFIX,
    KQL_OP_NOT_HASSUFFIX,
    KQL_OP_HASSUFFIX_CS,
    KQL_OP_NOT_HASSUFFIX_CS,
    KQL_OP_CONTAINS,
    KQL_OP_NOT_CONTAINS,
    KQL_OP_CONTAINS_CS,
    KQL_OP_NOT_CONTAINS_CS,
    KQL_OP_STARTSWITH,
    KQL_OP_NOT_STARTSWITH,
    KQL_OP_STARTSWITH_CS,
    KQL_OP_NOT_STARTSWITH_CS,
    KQL_OP_ENDSWITH,
    KQL_OP_NOT_ENDSWITH,
    KQL_OP_ENDSWITH_CS,
    KQL_OP_NOT_ENDSWITH_CS,
    KQL_OP_MATCHES_REGEX,
    KQL_OP_LIKE,
    KQL_OP_NOT_LIKE,
    KQL_OP_LIKE_CS,
    KQL_OP_NOT_LIKE_CS,
    KQL_OP_AND,
    KQL_OP_OR,
    KQL_BINOP_COUNT
} kql_binop;

/* Returns the operator's KQL spelling ("has", "!contains_cs", ...). */
const char *kql_binop_name(kql_binop op);

/* Result type of a binary operator, or FH_ERR_TYPE naming the operator and both types. */
fh_status kql_binop_type(kql_binop op, fh_type left, fh_type right, fh_type *out, fh_error *err);

/*
 * Evaluates a binary operator with Kusto's null rules: arithmetic and comparison with a null
 * operand give null (except != and !~, which give true); `false and null` is false and
 * `true or null` is true, other and/or with null give null. Regex patterns are compiled with
 * PCRE2 once per pattern text and cached in ctx->regex_cache, so one context serves one thread.
 */
fh_status kql_binop_eval(kql_func_ctx *ctx, kql_binop op, const fh_value *left,
                         const fh_value *right, fh_value *out);

/*
 * String predicates on raw bytes, shared by the operators above, `has_any`/`has_all`, and
 * the prefilter. A term is a maximal run of ASCII letters and digits. has() is true when
 * needle occurs with no letter or digit right before it (when the needle starts with a letter
 * or digit) and none right after it (when the needle ends with one), so "10.1.2.3" and
 * "reason=tcp-rst" work as needles. An empty needle is found in any string.
 * hasprefix() checks only the start boundary and hassuffix() only the end one.
 */
bool kql_str_has(const char *hay, size_t hay_len, const char *needle, size_t needle_len,
                 bool case_sensitive);
bool kql_str_hasprefix(const char *hay, size_t hay_len, const char *needle, size_t needle_len,
                       bool case_sensitive);
bool kql_str_hassuffix(const char *hay, size_t hay_len, const char *needle, size_t needle_len,
                       bool case_sensitive);
bool kql_str_contains(const char *hay, size_t hay_len, const char *needle, size_t needle_len,
                      bool case_sensitive);

/* Frees the context's cached compiled regular expressions. Accepts a context with none. */
void kql_func_ctx_release(kql_func_ctx *ctx);

#endif
