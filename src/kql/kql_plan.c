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
 * shrinks. The raw line may hold some bytes in another form: CEF escapes '\\', '=' and '|',
 * and JSON escapes '"', '/' and may write any character as \uXXXX. .NET's default JSON
 * encoder, which wrote real Defender exports, writes '&', '\'', '+', '<', '>' and '`' that way.
 * A literal with such a byte is therefore replaced by its longest part without one, such as
 * the host of a URL, and a literal with no such part of MIN_LITERAL_PART_BYTES disables the
 * prefilter. Hyperscan scans for the set, up to FH_MAX_PREFILTER_LITERALS distinct literals.
 * A larger set, or one that Hyperscan rejects, leaves the scan without a prefilter, and the
 * file statistics report why.
 * NOTE: a JSON log that spells plain ASCII letters or digits as \u00XX escapes could lose
 * rows under the prefilter; run with no_shortcuts to check.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef FH_HAVE_HYPERSCAN
#include <hs/hs.h>
#endif

#include "foxhound/limits.h"
#include "kql/kql_exec.h"
#include "kql/kql_func_impl.h"

typedef struct literal {
    const char *ptr;
    size_t len;
    bool nocase;
} literal;

typedef struct literal_set {
    literal *items;
    size_t count, cap;
    bool ok;       /* false when the predicate gives no usable set */
    bool too_many; /* failed because the set passed FH_MAX_PREFILTER_LITERALS */
} literal_set;

struct kql_prefilter {
    char **lits;
    size_t *lens;
    bool *nocase;
    size_t count;
    bool compiled; /* kql_prefilter_compile succeeded */
#ifdef FH_HAVE_HYPERSCAN
    hs_database_t *db;
    hs_scratch_t *scratch;
#endif
};

/* --- literal derivation ---------------------------------------------------------------------- */

/*
 * Shortest part of a literal used when the whole literal cannot be, such as the host of a URL
 * whose '/' a JSON writer may escape. A shorter part would pass most lines and only cost time.
 */
#define MIN_LITERAL_PART_BYTES 4

/* Shortest rest of a literal that trim_last_label keeps: a shorter word such as "roup" or
 * "mail" occurs in too many lines to be worth the trim. */
#define MIN_TRIMMED_PART_BYTES 6

/* True for a byte that every supported log format writes verbatim inside a string value. */
static bool byte_verbatim(unsigned char c)
{
    return c >= 0x20 && c < 0x7f && strchr("\\=|\"/&'+<>`", c) == NULL;
}

/*
 * Length of a part without its last label when that label is all letters, such as the
 * top-level domain of "cdn.example.net". Indicator domains share a few such suffixes and log
 * lines contain them often, so Hyperscan would check hundreds of literals wherever ".net"
 * appears, at about 300 MB/s with 3,000 domains instead of about 1.8 GB/s without the suffix.
 */
static size_t trim_last_label(const char *p, size_t len)
{
    size_t dot = len;
    while (dot > 0 && ((p[dot - 1] | 0x20) >= 'a' && (p[dot - 1] | 0x20) <= 'z'))
        dot--;
    if (dot == len || dot == 0 || p[dot - 1] != '.' || dot - 1 < MIN_TRIMMED_PART_BYTES)
        return len;
    return dot - 1;
}

/*
 * Finds the part of a literal that a raw line must contain verbatim when a value contains the
 * literal. That is the whole literal when every byte is written verbatim, else the longest run
 * of verbatim bytes that is not a URL scheme ("http:" before "//"). Either loses its last
 * alphabetic label (see trim_last_label). Returns false when no part is long enough to be
 * worth scanning for.
 */
static bool literal_part(const char *p, size_t len, size_t *part_start, size_t *part_len)
{
    size_t best_start = 0, best_len = 0;
    size_t i = 0;
    while (i < len) {
        while (i < len && !byte_verbatim((unsigned char)p[i]))
            i++;
        size_t run = i;
        while (i < len && byte_verbatim((unsigned char)p[i]))
            i++;
        bool scheme =
            i - run > 0 && p[i - 1] == ':' && len - i >= 2 && p[i] == '/' && p[i + 1] == '/';
        if (!scheme && i - run > best_len) {
            best_start = run;
            best_len = i - run;
        }
    }
    *part_start = best_start;
    *part_len = trim_last_label(p + best_start, best_len);
    if (best_len == len)
        return len > 0;
    return best_len >= MIN_LITERAL_PART_BYTES;
}

static void set_fail(literal_set *set)
{
    free(set->items);
    set->items = NULL;
    set->count = 0;
    set->cap = 0;
    set->ok = false;
}

/* Orders literals so that equal ones are adjacent and a caseless one leads its group. */
static int compare_literals(const void *a, const void *b)
{
    const literal *x = a, *y = b;
    size_t n = x->len < y->len ? x->len : y->len;
    for (size_t i = 0; i < n; i++) {
        int cx = kql_ascii_lower((unsigned char)x->ptr[i]);
        int cy = kql_ascii_lower((unsigned char)y->ptr[i]);
        if (cx != cy)
            return cx - cy;
    }
    if (x->len != y->len)
        return x->len < y->len ? -1 : 1;
    if (x->nocase != y->nocase)
        return x->nocase ? -1 : 1;
    return memcmp(x->ptr, y->ptr, n);
}

/* Sorts the set and drops literals that an earlier one already finds. */
static void set_compact(literal_set *set)
{
    if (set->count < 2)
        return;
    qsort(set->items, set->count, sizeof *set->items, compare_literals);
    size_t unique = 1;
    for (size_t i = 1; i < set->count; i++) {
        const literal *prev = &set->items[unique - 1], *cur = &set->items[i];
        bool duplicate = false;
        if (prev->len == cur->len && prev->nocase)
            duplicate = kql_bytes_equal_nocase(prev->ptr, cur->ptr, cur->len);
        else if (prev->len == cur->len && !cur->nocase)
            duplicate = memcmp(prev->ptr, cur->ptr, cur->len) == 0;
        if (!duplicate)
            set->items[unique++] = *cur;
    }
    set->count = unique;
}

/*
 * Adds a literal. A predicate over several columns often repeats one list, so a full array of
 * at least twice FH_MAX_PREFILTER_LITERALS entries is compacted before it grows. The set fails
 * when its distinct literals still pass FH_MAX_PREFILTER_LITERALS.
 */
static void set_add(literal_set *set, const char *p, size_t len, bool nocase)
{
    if (!set->ok)
        return;
    size_t part_start, part_len;
    if (!literal_part(p, len, &part_start, &part_len)) {
        set_fail(set);
        return;
    }
    if (set->count == set->cap && set->count >= 2 * (size_t)FH_MAX_PREFILTER_LITERALS) {
        set_compact(set);
        if (set->count > FH_MAX_PREFILTER_LITERALS) {
            set_fail(set);
            set->too_many = true;
            return;
        }
    }
    if (set->count == set->cap) {
        size_t cap = set->cap ? set->cap * 2 : 16;
        literal *grown = realloc(set->items, cap * sizeof *grown);
        if (grown == NULL) {
            set_fail(set);
            return;
        }
        set->items = grown;
        set->cap = cap;
    }
    set->items[set->count++] = (literal){p + part_start, part_len, nocase};
}

/* Compacts a finished set and fails it when it has more literals than the prefilter takes. */
static void set_finish(literal_set *set)
{
    if (!set->ok)
        return;
    set_compact(set);
    if (set->count > FH_MAX_PREFILTER_LITERALS) {
        set_fail(set);
        set->too_many = true;
    }
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
            if (!b.ok)
                b.too_many = b.too_many || a.too_many;
            set_fail(&a);
            return b;
        }
        set_fail(&b);
        return a;
    }
    if (!a.ok || !b.ok) {
        bool too_many = a.too_many || b.too_many;
        set_fail(&a);
        set_fail(&b);
        a.too_many = too_many;
        return a;
    }
    for (size_t i = 0; i < b.count && a.ok; i++)
        set_add(&a, b.items[i].ptr, b.items[i].len, b.items[i].nocase);
    set_fail(&b);
    return a;
}

static literal_set derive_binop(const kql_expr *e, const fh_schema *schema)
{
    literal_set out = {.ok = true};
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
    literal_set out = {.ok = true};
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
/*
 * Compiles the literals into one Hyperscan database, or writes the reason for failure to note.
 * NOTE: no test makes Hyperscan reject a literal set, so that fallback is checked by reading.
 */
static bool compile_hyperscan(kql_prefilter *p, char *note, size_t note_size)
{
    unsigned *flags = calloc(p->count, sizeof *flags);
    unsigned *ids = calloc(p->count, sizeof *ids);
    bool ok = flags != NULL && ids != NULL;
    if (!ok)
        snprintf(note, note_size, "no prefilter: out of memory compiling %zu literals", p->count);
    for (size_t i = 0; ok && i < p->count; i++) {
        flags[i] = HS_FLAG_SINGLEMATCH | (p->nocase[i] ? HS_FLAG_CASELESS : 0);
        ids[i] = (unsigned)i;
    }
    hs_compile_error_t *compile_err = NULL;
    if (ok &&
        hs_compile_lit_multi((const char *const *)p->lits, flags, ids, p->lens, (unsigned)p->count,
                             HS_MODE_BLOCK, NULL, &p->db, &compile_err) != HS_SUCCESS) {
        snprintf(note, note_size, "no prefilter: Hyperscan rejected the %zu literals (%s)",
                 p->count, compile_err != NULL ? compile_err->message : "no reason given");
        hs_free_compile_error(compile_err);
        p->db = NULL;
        ok = false;
    }
    if (ok && hs_alloc_scratch(p->db, &p->scratch) != HS_SUCCESS) {
        snprintf(note, note_size, "no prefilter: Hyperscan could not allocate scratch space");
        ok = false;
    }
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

static kql_prefilter *prefilter_copy(const literal_set *set)
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
    return p;
}

/* Copies a finished literal set into a prefilter that kql_prefilter_compile completes. */
static kql_prefilter *prefilter_create(const literal_set *set, char *note, size_t note_size)
{
    kql_prefilter *p = prefilter_copy(set);
    if (p == NULL) {
        snprintf(note, note_size, "no prefilter: out of memory copying %zu literals", set->count);
        return NULL;
    }
    snprintf(note, note_size, "prefilter: %zu literal%s", p->count, p->count == 1 ? "" : "s");
    return p;
}

bool kql_prefilter_compile(kql_prefilter *prefilter, char *note, size_t note_size)
{
    if (prefilter->compiled)
        return true;
#ifdef FH_HAVE_HYPERSCAN
    if (!compile_hyperscan(prefilter, note, note_size))
        return false;
#else
    /* NOTE: the build and tests always have Hyperscan, so this branch is not compiled there. */
    if (prefilter->count > FH_MAX_PREFILTER_LITERALS_PLAIN) {
        snprintf(note, note_size,
                 "no prefilter: %zu literals, more than the maximum of %d without Hyperscan",
                 prefilter->count, FH_MAX_PREFILTER_LITERALS_PLAIN);
        return false;
    }
#endif
    prefilter->compiled = true;
    return true;
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
        set_finish(&set);
        char note[FH_KQL_PREFILTER_NOTE_MAX] = "";
        kql_prefilter *p = NULL;
        if (set.ok && set.count > 0)
            p = prefilter_create(&set, note, sizeof note);
        else if (set.too_many)
            snprintf(note, sizeof note, "no prefilter: more than %d distinct literals",
                     FH_MAX_PREFILTER_LITERALS);
        if (p != NULL || note[0] != '\0')
            kql_op_scan_set_prefilter(op->inputs[0], p, note);
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
