/*
 * The JSON lines fast path: loads one line's object straight into a row of cells, and
 * collects the keys of the lines read ahead for the schema, without building a jansson tree.
 * Parsing every line into a jansson tree measured 80-85 MB/s on Defender DeviceNetworkEvents
 * and DeviceFileEvents streaming lines of about 1.8 KB, which is why this hot path is
 * hand-written. With it the same 80 MB files read at 500 and 820 MB/s. These numbers come from
 * bench/read_bench on a Release build with every column decoded, best of five runs on one core
 * of a 2-core machine that other jobs shared, so single runs varied by up to 2x.
 *
 * A line is loaded in two steps. The tokenizer validates the whole line as strict JSON and
 * records the members of the row object (the line's object, or "properties" for a Defender
 * streaming record) as slices of the line, counting and allocating nothing. Then the row is
 * loaded: each key's column is looked up and each wanted value is converted by the functions
 * the jansson path uses. Strings go through cell_from_text, and values that need a json_t are
 * parsed by jansson from their own bytes and go through json_reader_fill_cell.
 *
 * Rows, statistics and errors must equal the jansson path's for every input. So any line the
 * tokenizer does not accept exactly as jansson 2.14 does is handed back to the jansson path,
 * which then counts or reports it: invalid JSON or UTF-8, "\u0000", lone surrogates, integers
 * outside int64, reals that overflow, nesting deeper than FH_MAX_JSON_DEPTH, duplicate keys,
 * keys with escapes, more than FH_JSON_FAST_MAX_KEYS keys, "records" and "Results" containers,
 * and records of another Defender table.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "foxhound/value_ops.h"
#include "read/reader_internal.h"
#include "table/value_text.h"

#define CATEGORY_PREFIX "AdvancedHunting-"

/*
 * Maximum length of a real token that the fast path converts or checks with strtod. Without an
 * exponent, a real of at most this many characters is below DBL_MAX (about 1.8e308), so it
 * cannot overflow.
 */
#define REAL_TOKEN_MAX 300

typedef enum json_kind {
    KIND_STRING,
    KIND_INTEGER,
    KIND_REAL,
    KIND_TRUE,
    KIND_FALSE,
    KIND_NULL,
    KIND_OBJECT,
    KIND_ARRAY,
} json_kind;

/* One member of an object, as slices of the line. */
typedef struct json_member {
    const char *key; /* between the quotes, still escaped */
    size_t key_len;
    bool key_escaped;
    const char *raw; /* the value's JSON text, with the quotes of a string */
    size_t raw_len;
    json_kind kind;
    bool escaped;    /* a string value with backslash escapes */
    int64_t integer; /* value of KIND_INTEGER */
    long col;        /* schema column, or -1 for a key that is not a column */
} json_member;

typedef struct member_list {
    json_member *items;
    size_t count;
    bool filled; /* whether the object was found (for "properties") */
} member_list;

struct json_fast {
    member_list top;   /* members of the line's object */
    member_list props; /* members of its "properties" object */
    char *scratch;     /* buffer for one unescaped string */
    size_t scratch_cap;
    uint32_t *seen; /* per column: stamp of the last line that had its key */
    size_t ncols;
    uint32_t stamp;
    size_t *name_len;  /* per column: length of its name */
    long *hint;        /* per member position: the column found there last, or -1 */
    size_t *name_hint; /* per member position: the schema scan's name found there last */
};

typedef struct cursor {
    const unsigned char *p;
    size_t n, i;
} cursor;

/* Tokenizer */

/* Returns whether a string scan stops at a byte: '"', '\\', control and non-ASCII bytes. */
static inline bool string_stop(unsigned char ch)
{
    return (unsigned char)(ch - 0x20) >= 0x60 || ch == '"' || ch == '\\';
}

/* Returns the position of the first byte from p[i] on where a string scan stops, or n. */
static size_t skip_plain(const unsigned char *p, size_t n, size_t i)
{
#if defined(__SSE2__)
    /* 16 bytes at a time. A signed compare with 0x20 catches both control bytes and bytes of
     * 0x80 and above, which are negative as signed chars. */
    const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\');
    const __m128i space = _mm_set1_epi8(0x20);
    while (n - i >= 16) {
        __m128i bytes = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
        __m128i stop = _mm_or_si128(_mm_cmpeq_epi8(bytes, quote), _mm_cmpeq_epi8(bytes, backslash));
        stop = _mm_or_si128(stop, _mm_cmplt_epi8(bytes, space));
        unsigned mask = (unsigned)_mm_movemask_epi8(stop);
        if (mask != 0)
            return i + (size_t)__builtin_ctz(mask);
        i += 16;
    }
#endif
    while (i < n && !string_stop(p[i]))
        i++;
    return i;
}

static void skip_space(cursor *c)
{
    while (c->i < c->n) {
        unsigned char ch = c->p[c->i];
        if (ch != ' ' && ch != '\t' && ch != '\n' && ch != '\r')
            return;
        c->i++;
    }
}

static bool expect_char(cursor *c, char ch)
{
    skip_space(c);
    if (c->i >= c->n || c->p[c->i] != (unsigned char)ch)
        return false;
    c->i++;
    skip_space(c);
    return true;
}

static int hex_digit(unsigned char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

/*
 * Returns the code unit of the "\uXXXX" escape at p[i] (the backslash), or -1 when p[i] does
 * not start such an escape with four hex digits.
 */
static long read_u_escape(const unsigned char *p, size_t n, size_t i)
{
    if (i + 6 > n || p[i] != '\\' || p[i + 1] != 'u')
        return -1;
    long value = 0;
    for (size_t k = 2; k < 6; k++) {
        int digit = hex_digit(p[i + k]);
        if (digit < 0)
            return -1;
        value = value * 16 + digit;
    }
    return value;
}

/*
 * Checks the escape at p[*i] (a backslash) and steps over it. jansson rejects "\u0000"
 * (without JSON_ALLOW_NUL) and surrogates that do not form a pair, so they are rejected here.
 */
static bool check_escape(const unsigned char *p, size_t n, size_t *i)
{
    if (*i + 1 >= n)
        return false;
    if (p[*i + 1] != '\0' && strchr("\"\\/bfnrt", p[*i + 1]) != NULL) {
        *i += 2;
        return true;
    }
    long unit = read_u_escape(p, n, *i);
    if (unit <= 0 || (unit >= 0xDC00 && unit <= 0xDFFF))
        return false;
    *i += 6;
    if (unit < 0xD800 || unit > 0xDBFF)
        return true;
    long low = read_u_escape(p, n, *i);
    if (low < 0xDC00 || low > 0xDFFF)
        return false;
    *i += 6;
    return true;
}

/*
 * Scans the string at the cursor (its opening quote). Sets text and len to its contents, still
 * escaped, and *escaped to whether it has a backslash escape.
 */
static bool scan_string(cursor *c, const char **text, size_t *len, bool *escaped)
{
    const unsigned char *p = c->p;
    size_t n = c->n, i = c->i + 1;
    *escaped = false;
    for (;;) {
        i = skip_plain(p, n, i);
        if (i >= n)
            return false;
        if (p[i] == '"')
            break;
        if (p[i] == '\\') {
            if (!check_escape(p, n, &i))
                return false;
            *escaped = true;
        } else {
            /* A control character, or UTF-8 that jansson rejects (truncated, overlong, a
             * surrogate or above U+10FFFF). */
            size_t seq = p[i] < 0x20 ? 0 : fh_utf8_sequence_length(p + i, n - i);
            if (seq == 0)
                return false;
            i += seq;
        }
    }
    *text = (const char *)p + c->i + 1;
    *len = i - c->i - 1;
    c->i = i + 1;
    return true;
}

static size_t scan_digits(cursor *c)
{
    size_t start = c->i;
    while (c->i < c->n && c->p[c->i] >= '0' && c->p[c->i] <= '9')
        c->i++;
    return c->i - start;
}

/*
 * Parses an integer token as jansson does with strtoll. Returns false when it is outside
 * int64.
 */
static bool integer_value(const char *text, size_t len, int64_t *out)
{
    fh_value value;
    if (fh_value_from_text(FH_TYPE_LONG, text, len, NULL, &value) != FH_OK)
        return false;
    *out = value.u.l;
    return true;
}

/* Converts a real token of at most REAL_TOKEN_MAX characters as jansson does (strtod). */
static double real_value(const char *text, size_t len)
{
    char copy[REAL_TOKEN_MAX + 1];
    memcpy(copy, text, len);
    copy[len] = '\0';
    return strtod(copy, NULL);
}

/*
 * Scans a number with JSON's grammar. Reals that jansson would reject as overflowing, and
 * integers outside int64, are rejected.
 */
static bool scan_number(cursor *c, json_member *m)
{
    size_t start = c->i;
    if (c->p[c->i] == '-')
        c->i++;
    if (c->i < c->n && c->p[c->i] == '0')
        c->i++;
    else if (scan_digits(c) == 0)
        return false;

    bool fraction = false, exponent = false;
    if (c->i < c->n && c->p[c->i] == '.') {
        c->i++;
        fraction = true;
        if (scan_digits(c) == 0)
            return false;
    }
    if (c->i < c->n && (c->p[c->i] == 'e' || c->p[c->i] == 'E')) {
        c->i++;
        exponent = true;
        if (c->i < c->n && (c->p[c->i] == '+' || c->p[c->i] == '-'))
            c->i++;
        if (scan_digits(c) == 0)
            return false;
    }

    const char *text = (const char *)c->p + start;
    size_t len = c->i - start;
    if (!fraction && !exponent) {
        m->kind = KIND_INTEGER;
        return integer_value(text, len, &m->integer);
    }
    m->kind = KIND_REAL;
    if (len > REAL_TOKEN_MAX)
        return false;
    return !exponent || !isinf(real_value(text, len));
}

static bool scan_word(cursor *c, const char *word, json_kind kind, json_member *m)
{
    size_t len = strlen(word);
    if (c->n - c->i < len || memcmp(c->p + c->i, word, len) != 0)
        return false;
    c->i += len;
    m->kind = kind;
    return true;
}

static bool key_is(const json_member *m, const char *name)
{
    return m->key_len == strlen(name) && memcmp(m->key, name, m->key_len) == 0;
}

/*
 * Steps over the ',' or the closing bracket that follows a member or element, and sets
 * *closed when it was the closing bracket. Returns false on any other byte.
 */
static bool scan_separator(cursor *c, char close, bool *closed)
{
    skip_space(c);
    if (c->i >= c->n)
        return false;
    unsigned char ch = c->p[c->i++];
    *closed = ch == (unsigned char)close;
    if (*closed)
        return true;
    if (ch != ',')
        return false;
    skip_space(c);
    return true;
}

static bool scan_value(cursor *c, int depth, json_member *m);

/*
 * Scans the object at the cursor, nested depth levels deep (the line's object is level 1).
 * Members are recorded in list when it is not NULL. When props is not NULL, the object value
 * of a "properties" key is scanned into props.
 */
static bool scan_object(cursor *c, int depth, member_list *list, member_list *props)
{
    if (depth > FH_MAX_JSON_DEPTH)
        return false;
    if (!expect_char(c, '{'))
        return false;
    if (c->i < c->n && c->p[c->i] == '}') {
        c->i++;
        return true;
    }
    for (;;) {
        json_member m;
        if (c->i >= c->n || c->p[c->i] != '"' ||
            !scan_string(c, &m.key, &m.key_len, &m.key_escaped))
            return false;
        if (!expect_char(c, ':') || c->i >= c->n)
            return false;

        size_t start = c->i;
        if (props != NULL && c->p[c->i] == '{' && key_is(&m, "properties")) {
            if (props->filled || !scan_object(c, depth + 1, props, NULL))
                return false;
            props->filled = true;
            m.kind = KIND_OBJECT;
            m.escaped = false;
        } else if (!scan_value(c, depth, &m)) {
            return false;
        }
        m.raw = (const char *)c->p + start;
        m.raw_len = c->i - start;
        if (list != NULL) {
            if (list->count == FH_JSON_FAST_MAX_KEYS)
                return false;
            list->items[list->count++] = m;
        }

        bool closed;
        if (!scan_separator(c, '}', &closed))
            return false;
        if (closed)
            return true;
    }
}

static bool scan_array(cursor *c, int depth)
{
    if (depth > FH_MAX_JSON_DEPTH)
        return false;
    c->i++;
    skip_space(c);
    if (c->i < c->n && c->p[c->i] == ']') {
        c->i++;
        return true;
    }
    for (;;) {
        json_member element;
        if (c->i >= c->n || !scan_value(c, depth, &element))
            return false;

        bool closed;
        if (!scan_separator(c, ']', &closed))
            return false;
        if (closed)
            return true;
    }
}

/* Scans one value at the cursor, inside a container nested depth levels deep. */
static bool scan_value(cursor *c, int depth, json_member *m)
{
    m->escaped = false;
    switch (c->p[c->i]) {
    case '"': {
        const char *text;
        size_t len;
        m->kind = KIND_STRING;
        return scan_string(c, &text, &len, &m->escaped);
    }
    case '{':
        m->kind = KIND_OBJECT;
        return scan_object(c, depth + 1, NULL, NULL);
    case '[':
        m->kind = KIND_ARRAY;
        return scan_array(c, depth + 1);
    case 't':
        return scan_word(c, "true", KIND_TRUE, m);
    case 'f':
        return scan_word(c, "false", KIND_FALSE, m);
    case 'n':
        return scan_word(c, "null", KIND_NULL, m);
    default:
        return scan_number(c, m);
    }
}

/* Validates a whole line and records the members of its object and of "properties". */
static bool tokenize_line(json_fast *f, const char *line, size_t len)
{
    f->top.count = f->props.count = 0;
    f->props.filled = false;
    cursor c = {(const unsigned char *)line, len, 0};
    skip_space(&c);
    if (!scan_object(&c, 1, &f->top, &f->props))
        return false;
    skip_space(&c);
    return c.i == c.n;
}

/* Choosing the row */

/*
 * Returns the members that make the row, as the jansson path's row_object chooses them:
 * "properties" for a Defender streaming record, else the line's object. For a streaming
 * record, *table and *table_len are the table named by "category", else *table is NULL.
 * Returns NULL, so that the jansson path handles the line, for a container of records and for
 * an escaped or repeated key that decides the shape.
 */
static member_list *find_row(json_fast *f, const char **table, size_t *table_len)
{
    *table = NULL;
    *table_len = 0;
    const json_member *category = NULL;
    int properties = 0;
    for (size_t i = 0; i < f->top.count; i++) {
        const json_member *m = &f->top.items[i];
        if (m->key_escaped || key_is(m, "records") || key_is(m, "Results") || key_is(m, "results"))
            return NULL;
        if (key_is(m, "category")) {
            if (category != NULL)
                return NULL;
            category = m;
        }
        properties += key_is(m, "properties");
    }
    if (properties > 1)
        return NULL;

    if (category == NULL || category->kind != KIND_STRING || !f->props.filled)
        return &f->top;
    if (category->escaped)
        return NULL;
    /* The category needs the prefix and at least one character after it. */
    size_t prefix = strlen(CATEGORY_PREFIX);
    if (category->raw_len < prefix + 3 || memcmp(category->raw + 1, CATEGORY_PREFIX, prefix) != 0)
        return &f->top;

    *table = category->raw + 1 + prefix;
    *table_len = category->raw_len - 2 - prefix;
    return &f->props;
}

/* Returns the row's members as find_row does, or NULL for a record of another Defender table. */
static member_list *choose_row(fh_reader *r, json_fast *f)
{
    const char *name;
    size_t name_len;
    member_list *row = find_row(f, &name, &name_len);
    const char *table = json_reader_kept_category(r);
    if (row == NULL || name == NULL || table == NULL)
        return row;
    if (strlen(table) != name_len || memcmp(table, name, name_len) != 0)
        return NULL;
    return row;
}

/*
 * Returns the column of a key, or -1. Lines of one file tend to list their keys in the same
 * order, so the column found at the same member position last time is tried first.
 */
static long find_column(fh_reader *r, json_fast *f, size_t position, const char *key, size_t len)
{
    long col = f->hint[position];
    if (col >= 0 && f->name_len[col] == len && memcmp(r->schema->cols[col].name, key, len) == 0)
        return col;
    col = column_map_get(&r->columns, key, len);
    f->hint[position] = col;
    return col;
}

/*
 * Looks up the column of every key. Returns false on an escaped or repeated key, so that the
 * jansson path loads the line. jansson keeps the last value of a repeated key at the place of
 * the first.
 */
static bool resolve_columns(fh_reader *r, json_fast *f, member_list *row)
{
    if (++f->stamp == 0) {
        memset(f->seen, 0, f->ncols * sizeof *f->seen);
        f->stamp = 1;
    }
    for (size_t i = 0; i < row->count; i++) {
        json_member *m = &row->items[i];
        if (m->key_escaped)
            return false;
        m->col = find_column(r, f, i, m->key, m->key_len);
        if (m->col >= 0) {
            if (f->seen[m->col] == f->stamp)
                return false;
            f->seen[m->col] = f->stamp;
            continue;
        }
        for (size_t k = 0; k < i; k++) {
            const json_member *other = &row->items[k];
            if (other->col < 0 && other->key_len == m->key_len &&
                memcmp(other->key, m->key, m->key_len) == 0)
                return false;
        }
    }
    return true;
}

/* Loading the row */

static void put_utf8(char *out, size_t *len, unsigned long code)
{
    if (code < 0x80) {
        out[(*len)++] = (char)code;
    } else if (code < 0x800) {
        out[(*len)++] = (char)(0xC0 | code >> 6);
        out[(*len)++] = (char)(0x80 | (code & 0x3F));
    } else if (code < 0x10000) {
        out[(*len)++] = (char)(0xE0 | code >> 12);
        out[(*len)++] = (char)(0x80 | (code >> 6 & 0x3F));
        out[(*len)++] = (char)(0x80 | (code & 0x3F));
    } else {
        out[(*len)++] = (char)(0xF0 | code >> 18);
        out[(*len)++] = (char)(0x80 | (code >> 12 & 0x3F));
        out[(*len)++] = (char)(0x80 | (code >> 6 & 0x3F));
        out[(*len)++] = (char)(0x80 | (code & 0x3F));
    }
}

/*
 * Decodes the escapes of a string that scan_string accepted into out, which must have room
 * for len bytes. Returns the decoded length.
 */
static size_t unescape(const char *text, size_t len, char *out)
{
    const unsigned char *p = (const unsigned char *)text;
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        if (p[i] != '\\') {
            out[n++] = (char)p[i++];
            continue;
        }
        char ch = (char)p[i + 1];
        if (ch != 'u') {
            static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
            out[n++] = to[strchr(from, ch) - from];
            i += 2;
            continue;
        }
        unsigned long code = (unsigned long)read_u_escape(p, len, i);
        i += 6;
        if (code >= 0xD800 && code <= 0xDBFF) {
            unsigned long low = (unsigned long)read_u_escape(p, len, i);
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
            i += 6;
        }
        put_utf8(out, &n, code);
    }
    return n;
}

static fh_status load_string(fh_reader *r, json_fast *f, fh_batch *batch, fh_value *row,
                             const json_member *m, uint64_t line, fh_error *err)
{
    const char *text = m->raw + 1;
    size_t len = m->raw_len - 2;
    if (m->escaped) {
        if (f->scratch_cap < len) {
            char *grown = realloc(f->scratch, len);
            if (grown == NULL)
                return fh_error_set(err, FH_ERR_NOMEM, r->name, (unsigned long)line, 0,
                                    "out of memory decoding a JSON string");
            f->scratch = grown;
            f->scratch_cap = len;
        }
        len = unescape(text, len, f->scratch);
        text = f->scratch;
    }
    if (r->schema->cols[m->col].type != FH_TYPE_STRING)
        return cell_from_text(r, batch, row, (size_t)m->col, text, len, line, 0, err);

    /* A string column stores the text as is, as fh_value_from_text does. An empty string is
     * already the cell's initial value. */
    if (len == 0)
        return FH_OK;
    char *copy = fh_arena_strndup(&batch->arena, text, len);
    if (copy == NULL)
        return fh_error_set(err, FH_ERR_NOMEM, r->name, (unsigned long)line, 0,
                            "out of memory converting a value");
    row[m->col] = fh_value_string(copy, len);
    return FH_OK;
}

/* Parses the value's own bytes with jansson and loads it as the jansson path does. */
static fh_status load_through_jansson(fh_reader *r, fh_batch *batch, fh_value *row,
                                      const json_member *m, uint64_t line, fh_error *err)
{
    json_error_t jerr;
    json_t *value = json_loadb(m->raw, m->raw_len, JSON_DECODE_ANY, &jerr);
    if (value == NULL) {
        fh_status st =
            json_error_code(&jerr) == json_error_out_of_memory ? FH_ERR_NOMEM : FH_ERR_INTERNAL;
        return fh_error_set(err, st, r->name, (unsigned long)line, 0,
                            "parsing a JSON value of %zu bytes failed: %s", m->raw_len, jerr.text);
    }
    fh_status st = json_reader_fill_cell(r, batch, row, (size_t)m->col, value, line, err);
    json_decref(value);
    return st;
}

/*
 * Converts an integer for a long or int column, or true or false for a bool column, as
 * fh_value_from_json does. Returns false for every other case (an int out of range, a real,
 * a number for a string column), which load_through_jansson converts.
 */
static bool load_scalar(fh_type type, const json_member *m, fh_value *cell)
{
    switch (m->kind) {
    case KIND_INTEGER:
        if (type == FH_TYPE_LONG)
            *cell = fh_value_long(m->integer);
        else if (type == FH_TYPE_INT && m->integer >= INT32_MIN && m->integer <= INT32_MAX)
            *cell = fh_value_int((int32_t)m->integer);
        else
            return false;
        return true;
    case KIND_TRUE:
    case KIND_FALSE:
        if (type != FH_TYPE_BOOL)
            return false;
        *cell = fh_value_bool(m->kind == KIND_TRUE);
        return true;
    default:
        return false;
    }
}

static fh_status load_member(fh_reader *r, json_fast *f, fh_batch *batch, fh_value *row,
                             const json_member *m, uint64_t line, fh_error *err)
{
    size_t col = (size_t)m->col;
    fh_type type = r->schema->cols[col].type;
    bool extra_dynamic = col >= r->nbuiltin && type == FH_TYPE_DYNAMIC;
    if (!extra_dynamic && m->kind == KIND_STRING)
        return load_string(r, f, batch, row, m, line, err);
    if (!extra_dynamic && load_scalar(type, m, &row[col]))
        return FH_OK;
    return load_through_jansson(r, batch, row, m, line, err);
}

static fh_status load_row(fh_reader *r, json_fast *f, fh_batch *batch, const member_list *members,
                          uint64_t line, fh_error *err)
{
    fh_value *row;
    fh_status st = reader_start_row(r, batch, line, &row, err);
    if (st != FH_OK)
        return st;
    for (size_t i = 0; i < members->count; i++) {
        const json_member *m = &members->items[i];
        if (m->col < 0) {
            json_reader_count_dropped_key(r, m->key, m->key_len, line);
            continue;
        }
        if (!r->wanted[m->col] || m->kind == KIND_NULL)
            continue;
        st = load_member(r, f, batch, row, m, line, err);
        if (st != FH_OK) {
            reader_drop_row(batch);
            return st;
        }
    }
    reader_finish_row(r, row);
    return FH_OK;
}

/* State */

/*
 * Returns r's fast path state. The first call allocates it with room for the tokenizer's
 * members.
 */
static json_fast *fast_state(fh_reader *r)
{
    if (r->json.fast != NULL)
        return r->json.fast;
    json_fast *f = calloc(1, sizeof *f);
    if (f == NULL)
        return NULL;
    f->top.items = malloc(FH_JSON_FAST_MAX_KEYS * sizeof *f->top.items);
    f->props.items = malloc(FH_JSON_FAST_MAX_KEYS * sizeof *f->props.items);
    f->hint = malloc(FH_JSON_FAST_MAX_KEYS * sizeof *f->hint);
    f->name_hint = calloc(FH_JSON_FAST_MAX_KEYS, sizeof *f->name_hint);
    if (f->top.items == NULL || f->props.items == NULL || f->hint == NULL || f->name_hint == NULL) {
        json_fast_destroy(f);
        return NULL;
    }
    for (size_t i = 0; i < FH_JSON_FAST_MAX_KEYS; i++)
        f->hint[i] = -1;
    r->json.fast = f;
    return f;
}

/* Allocates the per-column arrays of f for the schema, once the schema is fixed. */
static bool bind_schema(json_fast *f, const fh_schema *schema)
{
    if (f->name_len != NULL)
        return true;
    size_t ncols = schema->ncols;
    f->seen = calloc(ncols ? ncols : 1, sizeof *f->seen);
    f->name_len = malloc((ncols ? ncols : 1) * sizeof *f->name_len);
    if (f->seen == NULL || f->name_len == NULL) {
        free(f->seen);
        free(f->name_len);
        f->seen = NULL;
        f->name_len = NULL;
        return false;
    }
    f->ncols = ncols;
    for (size_t i = 0; i < ncols; i++)
        f->name_len[i] = strlen(schema->cols[i].name);
    return true;
}

void json_fast_destroy(json_fast *f)
{
    if (f == NULL)
        return;
    free(f->top.items);
    free(f->props.items);
    free(f->scratch);
    free(f->seen);
    free(f->name_len);
    free(f->hint);
    free(f->name_hint);
    free(f);
}

fh_status json_fast_load_line(fh_reader *r, fh_batch *batch, const char *line, size_t len,
                              uint64_t line_no, bool *loaded, fh_error *err)
{
    *loaded = false;
    json_fast *f = fast_state(r);
    if (f == NULL || !bind_schema(f, r->schema))
        return fh_error_set(err, FH_ERR_NOMEM, r->name, 0, 0, "out of memory");
    if (!tokenize_line(f, line, len))
        return FH_OK;
    member_list *row = choose_row(r, f);
    if (row == NULL || !resolve_columns(r, f, row))
        return FH_OK;
    *loaded = true;
    r->json.fast_rows++;
    return load_row(r, f, batch, row, line_no, err);
}

/*
 * Adds the key at a member position to names unless it is already there. Lines of one file
 * tend to list their keys in the same order, so the name found at the same position last time
 * is compared first, before the lookup in name_list_add.
 */
static fh_status add_name(json_fast *f, name_list *names, size_t position, const char *key,
                          size_t len)
{
    size_t hint = f->name_hint[position];
    if (hint < names->count && strncmp(names->names[hint], key, len) == 0 &&
        names->names[hint][len] == '\0')
        return FH_OK;
    fh_status st = name_list_add(names, key, len, FH_TYPE_COUNT);
    if (st != FH_OK)
        return st;
    long found = column_map_get(&names->index, key, len);
    f->name_hint[position] = found >= 0 ? (size_t)found : 0;
    return FH_OK;
}

fh_status json_fast_collect_keys(fh_reader *r, const char *line, size_t len, name_list *names,
                                 bool *collected)
{
    *collected = false;
    json_fast *f = fast_state(r);
    if (f == NULL)
        return FH_ERR_NOMEM;
    if (!tokenize_line(f, line, len))
        return FH_OK;
    const char *table;
    size_t table_len;
    member_list *row = find_row(f, &table, &table_len);
    if (row == NULL)
        return FH_OK;
    for (size_t i = 0; i < row->count; i++)
        if (row->items[i].key_escaped)
            return FH_OK;

    /* Repeated keys need no check, because name_list_add adds each name once and the jansson
     * path also makes one column of a repeated key. */
    for (size_t i = 0; i < row->count; i++) {
        fh_status st = add_name(f, names, i, row->items[i].key, row->items[i].key_len);
        if (st != FH_OK)
            return st;
    }
    if (table != NULL && r->json.category_table == NULL) {
        r->json.category_table = strndup(table, table_len);
        if (r->json.category_table == NULL)
            return FH_ERR_NOMEM;
    }
    *collected = true;
    return FH_OK;
}
