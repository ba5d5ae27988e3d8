/*
 * The planner's two shortcuts, applied after binding and skipped with no_shortcuts:
 *
 * Column pushdown: starting from the root with every output column needed, each operator says
 * which input columns it reads, down to the table sources, which then ask their readers to
 * decode only those columns.
 *
 * Literal prefilter: for a `where` directly over a file-bound table, derive a set of literals
 * such that every row the predicate keeps contains at least one of them in its raw line.
 * `col == "x"`, `col in ("x", "y")`, `col has "x"`, `col has_any (...)`, `col contains "x"`
 * give their literals (caseless for =~, in~, has, has_any, contains); `a and b` takes the
 * smaller set of either side, `a or b` needs both sides and unites them. Readers then skip
 * lines that contain none before parsing them, so the result is unchanged and only the work
 * shrinks. A literal that the raw line may hold in another form (CEF escapes '\\', '=' and
 * '|'; JSON escapes '"', '/' and may write any character as \uXXXX) disables the prefilter.
 * NOTE: a JSON log that spells plain ASCII letters or digits as \u00XX escapes could lose
 * rows under the prefilter; run with no_shortcuts to check.
 */
#include <stdlib.h>
#include <string.h>

#ifdef FH_HAVE_HYPERSCAN
#include <hs/hs.h>
#endif

#include "foxhound/limits.h"
#include "kql/kql_exec.h"

typedef struct literal {
    const char *ptr;
    size_t len;
    bool nocase;
} literal;

typedef struct literal_set {
    literal *items;
    size_t count;
    bool ok; /* false when the predicate gives no usable set */
} literal_set;

struct kql_prefilter {
    char **lits;
    size_t *lens;
    bool *nocase;
    size_t count;
#ifdef FH_HAVE_HYPERSCAN
    hs_database_t *db;
    hs_scratch_t *scratch;
#endif
};

/* --- literal derivation ---------------------------------------------------------------------- */

static bool literal_usable(const char *p, size_t len)
{
    if (len == 0)
        return false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c < 0x20 || c >= 0x7f || c == '\\' || c == '=' || c == '|' || c == '"' || c == '/')
            return false;
    }
    return true;
}

static void set_fail(literal_set *set)
{
    free(set->items);
    set->items = NULL;
    set->count = 0;
    set->ok = false;
}

static void set_add(literal_set *set, const char *p, size_t len, bool nocase)
{
    if (!set->ok)
        return;
    if (!literal_usable(p, len) || set->count >= FH_MAX_PREFILTER_LITERALS) {
        set_fail(set);
        return;
    }
    literal *grown = realloc(set->items, (set->count + 1) * sizeof *grown);
    if (grown == NULL) {
        set_fail(set);
        return;
    }
    set->items = grown;
    set->items[set->count++] = (literal){p, len, nocase};
}

/*
 * Columns that readers fill from something other than the line's own text: constants such as
 * Type ("CommonSecurityLog") and SourceSystem, and AdditionalExtensions, which the CEF reader
 * joins from several keys. A literal of these may be missing from a matching line.
 */
static const char *const derived_columns[] = {"Type", "SourceSystem", "TenantId", "MachineGroup",
                                              "AdditionalExtensions"};

static bool is_raw_string_column(const kql_expr *e, const fh_schema *schema)
{
    if (e->kind != KQL_EXPR_COLUMN || e->type != FH_TYPE_STRING)
        return false;
    const char *name = schema->cols[e->column_index].name;
    for (size_t i = 0; i < sizeof derived_columns / sizeof derived_columns[0]; i++) {
        if (strcmp(name, derived_columns[i]) == 0)
            return false;
    }
    return true;
}

static bool is_string_literal(const kql_expr *e)
{
    return e->kind == KQL_EXPR_LITERAL && e->literal.type == FH_TYPE_STRING;
}

static literal_set derive(const kql_expr *e, const fh_schema *schema);

static void add_set_items(literal_set *out, const kql_set *items, bool nocase)
{
    if (items == NULL || items->count == 0) {
        set_fail(out);
        return;
    }
    for (size_t i = 0; i < items->count && out->ok; i++) {
        const fh_value *v = &items->items[i];
        if (v->type != FH_TYPE_STRING)
            set_fail(out);
        else
            set_add(out, v->u.s.ptr, v->u.s.len, nocase);
    }
}

static literal_set derive_and_or(const kql_expr *e, const fh_schema *schema)
{
    literal_set a = derive(e->args[0], schema);
    literal_set b = derive(e->args[1], schema);
    if (e->op == KQL_OP_AND) {
        /* Either side alone bounds the matches; keep the smaller set. */
        if (!a.ok || (b.ok && b.count < a.count)) {
            set_fail(&a);
            return b;
        }
        set_fail(&b);
        return a;
    }
    if (!a.ok || !b.ok) {
        set_fail(&a);
        set_fail(&b);
        return a;
    }
    for (size_t i = 0; i < b.count && a.ok; i++)
        set_add(&a, b.items[i].ptr, b.items[i].len, b.items[i].nocase);
    set_fail(&b);
    return a;
}

static literal_set derive_binop(const kql_expr *e, const fh_schema *schema)
{
    literal_set out = {NULL, 0, true};
    if (e->op == KQL_OP_AND || e->op == KQL_OP_OR)
        return derive_and_or(e, schema);

    const kql_expr *col = e->args[0], *lit = e->args[1];
    bool symmetric = e->op == KQL_OP_EQ || e->op == KQL_OP_EQ_NOCASE;
    if (symmetric && is_string_literal(col) && is_raw_string_column(lit, schema)) {
        const kql_expr *t = col;
        col = lit;
        lit = t;
    }
    if (!is_raw_string_column(col, schema) || !is_string_literal(lit)) {
        set_fail(&out);
        return out;
    }
    bool nocase;
    switch (e->op) {
    case KQL_OP_EQ:
    case KQL_OP_HAS_CS:
    case KQL_OP_CONTAINS_CS:
        nocase = false;
        break;
    case KQL_OP_EQ_NOCASE:
    case KQL_OP_HAS:
    case KQL_OP_CONTAINS:
        nocase = true;
        break;
    default:
        set_fail(&out);
        return out;
    }
    set_add(&out, lit->literal.u.s.ptr, lit->literal.u.s.len, nocase);
    return out;
}

static literal_set derive(const kql_expr *e, const fh_schema *schema)
{
    literal_set out = {NULL, 0, true};
    switch (e->kind) {
    case KQL_EXPR_BINOP:
        return derive_binop(e, schema);
    case KQL_EXPR_IN:
        if (e->negate || e->nargs != 1 || !is_raw_string_column(e->args[0], schema))
            set_fail(&out);
        else
            add_set_items(&out, e->set, e->nocase);
        return out;
    case KQL_EXPR_HAS_ANY:
        if (e->nargs != 1 || !is_raw_string_column(e->args[0], schema) || e->set == NULL ||
            e->set->count == 0) {
            set_fail(&out);
        } else if (e->all) {
            /* Every term must be present, so any one of them is a valid filter. */
            const fh_value *v = &e->set->items[0];
            if (v->type == FH_TYPE_STRING)
                set_add(&out, v->u.s.ptr, v->u.s.len, true);
            else
                set_fail(&out);
        } else {
            add_set_items(&out, e->set, true);
        }
        return out;
    default:
        set_fail(&out);
        return out;
    }
}

/* --- the prefilter ---------------------------------------------------------------------------- */

void kql_prefilter_destroy(kql_prefilter *prefilter)
{
    if (prefilter == NULL)
        return;
    for (size_t i = 0; i < prefilter->count; i++)
        free(prefilter->lits[i]);
    free(prefilter->lits);
    free(prefilter->lens);
    free(prefilter->nocase);
#ifdef FH_HAVE_HYPERSCAN
    hs_free_scratch(prefilter->scratch);
    hs_free_database(prefilter->db);
#endif
    free(prefilter);
}

#ifdef FH_HAVE_HYPERSCAN
static bool compile_hyperscan(kql_prefilter *p)
{
    unsigned *flags = calloc(p->count, sizeof *flags);
    unsigned *ids = calloc(p->count, sizeof *ids);
    bool ok = flags != NULL && ids != NULL;
    for (size_t i = 0; ok && i < p->count; i++) {
        flags[i] = HS_FLAG_SINGLEMATCH | (p->nocase[i] ? HS_FLAG_CASELESS : 0);
        ids[i] = (unsigned)i;
    }
    hs_compile_error_t *compile_err = NULL;
    if (ok &&
        hs_compile_lit_multi((const char *const *)p->lits, flags, ids, p->lens, (unsigned)p->count,
                             HS_MODE_BLOCK, NULL, &p->db, &compile_err) != HS_SUCCESS) {
        hs_free_compile_error(compile_err);
        p->db = NULL;
        ok = false;
    }
    if (ok && hs_alloc_scratch(p->db, &p->scratch) != HS_SUCCESS)
        ok = false;
    free(flags);
    free(ids);
    return ok;
}

static int on_match(unsigned id, unsigned long long from, unsigned long long to, unsigned flags,
                    void *ctx)
{
    *(bool *)ctx = true;
    return 1; /* one literal is enough: stop scanning */
}
#endif

bool kql_prefilter_match(void *ctx, const char *line, size_t len)
{
    kql_prefilter *p = ctx;
#ifdef FH_HAVE_HYPERSCAN
    if (p->db != NULL && len <= UINT32_MAX) {
        bool found = false;
        hs_error_t rc = hs_scan(p->db, line, (unsigned)len, 0, p->scratch, on_match, &found);
        if (rc == HS_SUCCESS || rc == HS_SCAN_TERMINATED)
            return found;
        return true; /* a scan failure keeps the line: the exact check decides */
    }
#endif
    for (size_t i = 0; i < p->count; i++) {
        if (kql_str_contains(line, len, p->lits[i], p->lens[i], !p->nocase[i]))
            return true;
    }
    return false;
}

void *kql_prefilter_clone(void *prefilter)
{
    kql_prefilter *p = prefilter;
    kql_prefilter *clone = malloc(sizeof *clone);
    if (clone == NULL)
        return NULL;
    *clone = *p;
#ifdef FH_HAVE_HYPERSCAN
    clone->scratch = NULL;
    if (p->db != NULL && hs_clone_scratch(p->scratch, &clone->scratch) != HS_SUCCESS) {
        free(clone);
        return NULL;
    }
#endif
    return clone;
}

void kql_prefilter_clone_free(void *clone)
{
    if (clone == NULL)
        return;
#ifdef FH_HAVE_HYPERSCAN
    hs_free_scratch(((kql_prefilter *)clone)->scratch);
#endif
    free(clone);
}

static kql_prefilter *prefilter_create(const literal_set *set)
{
    kql_prefilter *p = calloc(1, sizeof *p);
    if (p == NULL)
        return NULL;
    p->lits = calloc(set->count, sizeof *p->lits);
    p->lens = calloc(set->count, sizeof *p->lens);
    p->nocase = calloc(set->count, sizeof *p->nocase);
    if (p->lits == NULL || p->lens == NULL || p->nocase == NULL) {
        kql_prefilter_destroy(p);
        return NULL;
    }
    for (size_t i = 0; i < set->count; i++) {
        p->lits[i] = strndup(set->items[i].ptr, set->items[i].len);
        if (p->lits[i] == NULL) {
            kql_prefilter_destroy(p);
            return NULL;
        }
        p->count = i + 1;
        p->lens[i] = set->items[i].len;
        p->nocase[i] = set->items[i].nocase;
    }
#ifdef FH_HAVE_HYPERSCAN
    if (!compile_hyperscan(p)) {
        /* The memmem search below gives the same results, only slower. */
        hs_free_scratch(p->scratch);
        hs_free_database(p->db);
        p->scratch = NULL;
        p->db = NULL;
    }
#endif
    return p;
}

/* --- plan walks ---------------------------------------------------------------------------------
 */

static fh_status begin_pushdown(kql_op *op)
{
    if (kql_op_is_scan(op))
        return kql_op_scan_begin_need(op);
    for (size_t i = 0; i < op->ninputs; i++) {
        fh_status st = begin_pushdown(op->inputs[i]);
        if (st != FH_OK)
            return st;
    }
    return FH_OK;
}

static void add_prefilters(kql_op *op)
{
    if (kql_op_is_where(op) && op->ninputs == 1 && kql_op_is_file_scan(op->inputs[0])) {
        literal_set set = derive(kql_op_where_predicate(op), op->inputs[0]->schema);
        if (set.ok && set.count > 0) {
            kql_prefilter *p = prefilter_create(&set);
            if (p != NULL)
                kql_op_scan_set_prefilter(op->inputs[0], p);
        }
        set_fail(&set);
    }
    for (size_t i = 0; i < op->ninputs; i++)
        add_prefilters(op->inputs[i]);
}

fh_status kql_plan_optimize(fh_kql_query *query, fh_error *err)
{
    kql_op *root = query->root;
    if (begin_pushdown(root) != FH_OK)
        return fh_error_set(err, FH_ERR_NOMEM, query->source, 0, 0,
                            "out of memory planning the query");
    bool *all = calloc(root->schema->ncols + 1, sizeof *all);
    if (all == NULL)
        return fh_error_set(err, FH_ERR_NOMEM, query->source, 0, 0,
                            "out of memory planning the query");
    for (size_t i = 0; i < root->schema->ncols; i++)
        all[i] = true;
    root->vt->need(root, all);
    free(all);

    add_prefilters(root);
    return FH_OK;
}
