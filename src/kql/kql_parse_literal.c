/*
 * Literals: numbers, timespans, strings (adjacent ones concatenated), bool, typeof(T), and the
 * typed forms datetime(...), timespan(...)/time(...), int(...), long(...), real(...)/double(...),
 * bool(...), guid(...) and dynamic(...). Each becomes a KQL_NODE_LITERAL holding the converted
 * fh_value, so the evaluator never parses literal text. A dynamic literal becomes a jansson
 * value whose reference the arena holds. Datetime, timespan and guid values inside it are
 * stored as their text (fh_value_to_json), because JSON has no such types.
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "foxhound/datetime.h"
#include "foxhound/limits.h"
#include "foxhound/value_ops.h"
#include "kql/kql_parse_internal.h"

static fh_status make_literal(kql_parser *p, kql_loc loc, fh_value value, kql_node **out)
{
    KQL_TRY(kql_parser_node(p, KQL_NODE_LITERAL, loc, out));
    (*out)->u.literal.value = value;
    return FH_OK;
}

/* Sets a literal's text to the query text from its start up to the current token. */
static void set_literal_text(kql_parser *p, kql_node *node, size_t end_offset)
{
    node->u.literal.text.ptr = p->lex.text + node->loc.offset;
    node->u.literal.text.len = end_offset - node->loc.offset;
}

static size_t token_end(const kql_token *tok)
{
    return tok->loc.offset + tok->text.len;
}

/* ---- strings and numbers ---- */

static fh_status parse_strings(kql_parser *p, kql_node **out)
{
    kql_loc loc = p->tok.loc;
    kql_str value;
    KQL_TRY(kql_lex_string_value(&p->tok, p->arena, &value));
    size_t end = token_end(&p->tok);
    KQL_TRY(kql_parser_advance(p));

    while (p->tok.kind == KQL_TOK_STRING) {
        kql_str next;
        KQL_TRY(kql_lex_string_value(&p->tok, p->arena, &next));
        char *joined = fh_arena_alloc(p->arena, value.len + next.len + 1);
        if (joined == NULL)
            return FH_ERR_NOMEM;
        memcpy(joined, value.ptr, value.len);
        memcpy(joined + value.len, next.ptr, next.len);
        joined[value.len + next.len] = '\0';
        value.ptr = joined;
        value.len += next.len;
        end = token_end(&p->tok);
        KQL_TRY(kql_parser_advance(p));
    }

    KQL_TRY(make_literal(p, loc, fh_value_string(value.ptr, value.len), out));
    set_literal_text(p, *out, end);
    return FH_OK;
}

fh_status kql_parse_literal_token(kql_parser *p, kql_node **out)
{
    if (p->tok.kind == KQL_TOK_STRING)
        return parse_strings(p, out);

    fh_value value;
    if (p->tok.kind == KQL_TOK_LONG)
        value = fh_value_long(p->tok.num.l);
    else if (p->tok.kind == KQL_TOK_REAL)
        value = fh_value_real(p->tok.num.r);
    else
        value = fh_value_timespan(p->tok.num.ticks);
    KQL_TRY(make_literal(p, p->tok.loc, value, out));
    set_literal_text(p, *out, token_end(&p->tok));
    return kql_parser_advance(p);
}

kql_node *kql_fold_sign(kql_node *unary)
{
    kql_node *operand = unary->u.unary.operand;
    if (operand->kind != KQL_NODE_LITERAL || operand->u.literal.value.is_null)
        return unary;

    fh_value *v = &operand->u.literal.value;
    bool minus = unary->u.unary.op == KQL_UNARY_MINUS;
    switch (v->type) {
    case FH_TYPE_LONG:
        if (minus && v->u.l == INT64_MIN)
            return unary;
        v->u.l = minus ? -v->u.l : v->u.l;
        break;
    case FH_TYPE_REAL:
        v->u.r = minus ? -v->u.r : v->u.r;
        break;
    case FH_TYPE_TIMESPAN:
        if (minus && v->u.ticks == INT64_MIN)
            return unary;
        v->u.ticks = minus ? -v->u.ticks : v->u.ticks;
        break;
    default:
        return unary;
    }
    size_t shift = operand->loc.offset - unary->loc.offset;
    operand->u.literal.text.ptr -= shift;
    operand->u.literal.text.len += shift;
    operand->loc = unary->loc;
    return operand;
}

/* ---- typed literals whose body is raw text ---- */

static bool raw_is_null(const kql_token *raw)
{
    return kql_str_is(raw->text, "null");
}

static fh_status convert_datetime(kql_parser *p, const kql_token *raw, fh_value *out)
{
    *out = fh_value_null(FH_TYPE_DATETIME);
    if (raw_is_null(raw))
        return FH_OK;
    int64_t ticks;
    if (fh_datetime_parse(raw->text.ptr, raw->text.len, &ticks) != FH_OK)
        return kql_parser_error_at(p, FH_ERR_PARSE, raw->loc,
                                   "invalid datetime literal '%.*s'; write ISO 8601, as in "
                                   "datetime(2026-06-11T08:20:03Z)",
                                   (int)raw->text.len, raw->text.ptr);
    *out = fh_value_datetime(ticks);
    return FH_OK;
}

/* Reads the short forms of a timespan body: a number of days ("2", "1.5") or a number with a
 * unit ("1h", "100ms"). Returns false when the body is neither. */
static bool short_timespan(const kql_parser *p, kql_str text, int64_t *ticks)
{
    kql_lexer sub;
    kql_lex_init(&sub, p->source, text.ptr, text.len);
    kql_token num, end;
    if (kql_lex_next(&sub, &num, NULL) != FH_OK || kql_lex_next(&sub, &end, NULL) != FH_OK ||
        end.kind != KQL_TOK_EOF)
        return false;

    if (num.kind == KQL_TOK_TIMESPAN) {
        *ticks = num.num.ticks;
        return true;
    }
    double days = num.kind == KQL_TOK_LONG ? (double)num.num.l : num.num.r;
    if ((num.kind != KQL_TOK_LONG && num.kind != KQL_TOK_REAL) || !(fabs(days) < 1e7))
        return false;
    *ticks = llround(days * (double)FH_TICKS_PER_DAY);
    return true;
}

static fh_status convert_timespan(kql_parser *p, const kql_token *raw, fh_value *out)
{
    *out = fh_value_null(FH_TYPE_TIMESPAN);
    if (raw_is_null(raw))
        return FH_OK;

    kql_str text = raw->text;
    bool negative = text.len > 0 && text.ptr[0] == '-';
    kql_str unsigned_text = {text.ptr + negative, text.len - negative};
    int64_t ticks;
    if (short_timespan(p, unsigned_text, &ticks)) {
        *out = fh_value_timespan(negative ? -ticks : ticks);
        return FH_OK;
    }
    if (fh_timespan_parse(text.ptr, text.len, &ticks) == FH_OK) {
        *out = fh_value_timespan(ticks);
        return FH_OK;
    }
    return kql_parser_error_at(p, FH_ERR_PARSE, raw->loc,
                               "invalid timespan literal '%.*s'; write a number of days as in "
                               "timespan(2), a unit as in timespan(1h), or timespan(1.02:03:04)",
                               (int)text.len, text.ptr);
}

static fh_status convert_guid(kql_parser *p, const kql_token *raw, fh_value *out)
{
    *out = fh_value_null(FH_TYPE_GUID);
    if (raw_is_null(raw))
        return FH_OK;
    fh_value v = {.type = FH_TYPE_GUID};
    if (fh_guid_parse(raw->text.ptr, raw->text.len, v.u.guid) != FH_OK)
        return kql_parser_error_at(p, FH_ERR_PARSE, raw->loc,
                                   "invalid guid literal '%.*s'; write 36 characters, as in "
                                   "guid(74be27de-1e4e-49d9-b579-fe0b331d3642)",
                                   (int)raw->text.len, raw->text.ptr);
    *out = v;
    return FH_OK;
}

/* ---- typed literals whose body is tokens ---- */

/* Reads an optional sign and a number token; sets is_null for the word null and names for
 * nan and inf when allow_special is set. */
typedef struct number_body {
    bool is_null;
    bool is_real;
    int64_t l;
    double r;
} number_body;

static fh_status parse_number_body(kql_parser *p, const char *type, bool allow_special,
                                   number_body *out)
{
    memset(out, 0, sizeof *out);
    if (kql_parser_at_word(p, "null")) {
        out->is_null = true;
        return kql_parser_advance(p);
    }

    bool negative = false;
    if (p->tok.kind == KQL_TOK_MINUS || p->tok.kind == KQL_TOK_PLUS) {
        negative = p->tok.kind == KQL_TOK_MINUS;
        KQL_TRY(kql_parser_advance(p));
    }
    if (allow_special && (kql_parser_at_word(p, "nan") || kql_parser_at_word(p, "inf"))) {
        out->is_real = true;
        out->r = kql_parser_at_word(p, "nan") ? NAN : INFINITY;
    } else if (p->tok.kind == KQL_TOK_LONG) {
        out->l = p->tok.num.l;
        out->r = (double)p->tok.num.l;
    } else if (p->tok.kind == KQL_TOK_REAL && allow_special) {
        out->is_real = true;
        out->r = p->tok.num.r;
    } else {
        char context[64];
        snprintf(context, sizeof context, "inside %s(...)", type);
        return kql_parser_expected(p, allow_special ? "a number or null" : "an integer or null",
                                   context);
    }
    if (negative) {
        out->l = -out->l;
        out->r = -out->r;
    }
    return kql_parser_advance(p);
}

static fh_status parse_int_body(kql_parser *p, fh_type type, fh_value *out)
{
    kql_loc loc = p->tok.loc;
    number_body body;
    KQL_TRY(parse_number_body(p, fh_type_name(type), false, &body));
    if (body.is_null) {
        *out = fh_value_null(type);
        return FH_OK;
    }
    if (type == FH_TYPE_LONG) {
        *out = fh_value_long(body.l);
        return FH_OK;
    }
    if (body.l < INT32_MIN || body.l > INT32_MAX)
        return kql_parser_error_at(p, FH_ERR_PARSE, loc,
                                   "int literal %lld is out of range for int (32 bits); use "
                                   "long(...)",
                                   (long long)body.l);
    *out = fh_value_int((int32_t)body.l);
    return FH_OK;
}

static fh_status parse_real_body(kql_parser *p, fh_value *out)
{
    number_body body;
    KQL_TRY(parse_number_body(p, "real", true, &body));
    *out = body.is_null ? fh_value_null(FH_TYPE_REAL) : fh_value_real(body.r);
    return FH_OK;
}

static fh_status parse_bool_body(kql_parser *p, fh_value *out)
{
    if (kql_parser_at_word(p, "null"))
        *out = fh_value_null(FH_TYPE_BOOL);
    else if (kql_parser_at_word(p, "true"))
        *out = fh_value_bool(true);
    else if (kql_parser_at_word(p, "false"))
        *out = fh_value_bool(false);
    else
        return kql_parser_expected(p, "true, false or null", "inside bool(...)");
    return kql_parser_advance(p);
}

/* ---- dynamic ---- */

static fh_status parse_json_value(kql_parser *p, json_t **out);

static fh_status parse_json_array(kql_parser *p, json_t **out)
{
    json_t *array = json_array();
    if (array == NULL)
        return FH_ERR_NOMEM;
    fh_status st = kql_parser_advance(p); /* '[' */

    while (st == FH_OK && p->tok.kind != KQL_TOK_RBRACKET) {
        json_t *item = NULL;
        if (json_array_size(array) >= FH_MAX_IN_LIST)
            st = kql_parser_error_at(p, FH_ERR_LIMIT, p->tok.loc,
                                     "dynamic array has more than %d items", FH_MAX_IN_LIST);
        if (st == FH_OK)
            st = parse_json_value(p, &item);
        if (st == FH_OK && json_array_append_new(array, item) != 0)
            st = FH_ERR_NOMEM;
        if (st != FH_OK || p->tok.kind != KQL_TOK_COMMA)
            break;
        st = kql_parser_advance(p);
    }
    if (st == FH_OK)
        st = kql_parser_expect(p, KQL_TOK_RBRACKET, "after the items of the dynamic array");
    if (st != FH_OK) {
        json_decref(array);
        return st;
    }
    *out = array;
    return FH_OK;
}

static fh_status parse_json_key(kql_parser *p, kql_str *key)
{
    if (p->tok.kind == KQL_TOK_STRING)
        KQL_TRY(kql_lex_string_value(&p->tok, p->arena, key));
    else if (p->tok.kind == KQL_TOK_IDENT)
        *key = p->tok.text;
    else
        return kql_parser_expected(p, "a property name in quotes", "in the dynamic bag");
    KQL_TRY(kql_parser_advance(p));
    return kql_parser_expect(p, KQL_TOK_COLON, "after the property name");
}

static fh_status parse_json_object(kql_parser *p, json_t **out)
{
    json_t *object = json_object();
    if (object == NULL)
        return FH_ERR_NOMEM;
    fh_status st = kql_parser_advance(p); /* '{' */

    while (st == FH_OK && p->tok.kind != KQL_TOK_RBRACE) {
        kql_str key;
        kql_loc key_loc = p->tok.loc;
        json_t *value = NULL;
        st = parse_json_key(p, &key);
        if (st == FH_OK)
            st = parse_json_value(p, &value);
        /* jansson rejects a key that is not valid UTF-8 (and frees value either way). */
        if (st == FH_OK && json_object_setn_new(object, key.ptr, key.len, value) != 0)
            st = kql_parser_error_at(p, FH_ERR_PARSE, key_loc,
                                     "invalid property name in the dynamic literal: it is not "
                                     "valid UTF-8");
        if (st != FH_OK || p->tok.kind != KQL_TOK_COMMA)
            break;
        st = kql_parser_advance(p);
    }
    if (st == FH_OK)
        st = kql_parser_expect(p, KQL_TOK_RBRACE, "after the properties of the dynamic bag");
    if (st != FH_OK) {
        json_decref(object);
        return st;
    }
    *out = object;
    return FH_OK;
}

/* Parses a scalar inside dynamic(...) through the expression literals, allowing a sign. */
static fh_status parse_json_scalar(kql_parser *p, json_t **out)
{
    kql_node *node = NULL;
    fh_status st;
    if (p->tok.kind == KQL_TOK_IDENT && kql_parser_at_word(p, "null")) {
        *out = json_null();
        return kql_parser_advance(p);
    }
    if (p->tok.kind == KQL_TOK_IDENT) {
        st = kql_parse_literal_word(p, &node);
        if (st == FH_DONE)
            return kql_parser_expected(p, "a value", "in the dynamic literal");
    } else if (p->tok.kind == KQL_TOK_MINUS || p->tok.kind == KQL_TOK_PLUS) {
        kql_node *unary;
        KQL_TRY(kql_parser_node(p, KQL_NODE_UNARY, p->tok.loc, &unary));
        unary->u.unary.op = p->tok.kind == KQL_TOK_MINUS ? KQL_UNARY_MINUS : KQL_UNARY_PLUS;
        KQL_TRY(kql_parser_advance(p));
        if (p->tok.kind != KQL_TOK_LONG && p->tok.kind != KQL_TOK_REAL &&
            p->tok.kind != KQL_TOK_TIMESPAN)
            return kql_parser_expected(p, "a number after the sign", "in the dynamic literal");
        KQL_TRY(kql_parse_literal_token(p, &unary->u.unary.operand));
        node = kql_fold_sign(unary);
        st = FH_OK;
    } else {
        st = kql_parse_literal_token(p, &node);
    }
    if (st != FH_OK)
        return st;
    if (node->kind != KQL_NODE_LITERAL)
        return kql_parser_error_at(p, FH_ERR_PARSE, node->loc,
                                   "expected a value in the dynamic literal");
    *out = fh_value_to_json(&node->u.literal.value);
    return *out == NULL ? FH_ERR_NOMEM : FH_OK;
}

static fh_status parse_json_inner(kql_parser *p, json_t **out)
{
    switch (p->tok.kind) {
    case KQL_TOK_LBRACKET:
        return parse_json_array(p, out);
    case KQL_TOK_LBRACE:
        return parse_json_object(p, out);
    case KQL_TOK_STRING:
    case KQL_TOK_LONG:
    case KQL_TOK_REAL:
    case KQL_TOK_TIMESPAN:
    case KQL_TOK_IDENT:
    case KQL_TOK_MINUS:
    case KQL_TOK_PLUS:
        return parse_json_scalar(p, out);
    default:
        return kql_parser_expected(p,
                                   "a value ([...], {...}, a number, a string, true, false "
                                   "or null)",
                                   "in the dynamic literal");
    }
}

static fh_status parse_json_value(kql_parser *p, json_t **out)
{
    if (p->json_depth >= FH_MAX_JSON_DEPTH)
        return kql_parser_error_at(p, FH_ERR_LIMIT, p->tok.loc,
                                   "dynamic literal nests deeper than %d levels",
                                   FH_MAX_JSON_DEPTH);
    KQL_TRY(kql_parser_enter(p));
    p->json_depth++;
    fh_status st = parse_json_inner(p, out);
    p->json_depth--;
    kql_parser_leave(p);
    return st;
}

static fh_status parse_dynamic_body(kql_parser *p, fh_value *out)
{
    json_t *json = NULL;
    KQL_TRY(parse_json_value(p, &json));
    if (json_is_null(json)) {
        json_decref(json);
        *out = fh_value_null(FH_TYPE_DYNAMIC);
        return FH_OK;
    }
    KQL_TRY(fh_arena_adopt_json(p->arena, json));
    fh_value v = {.type = FH_TYPE_DYNAMIC};
    v.u.dyn = json;
    *out = v;
    return FH_OK;
}

/* ---- dispatch ---- */

typedef enum literal_form {
    FORM_DATETIME,
    FORM_TIMESPAN,
    FORM_GUID,
    FORM_INT,
    FORM_LONG,
    FORM_REAL,
    FORM_BOOL,
    FORM_DYNAMIC,
} literal_form;

static const struct {
    const char *word;
    literal_form form;
} typed_words[] = {
    {"datetime", FORM_DATETIME}, {"date", FORM_DATETIME},   {"timespan", FORM_TIMESPAN},
    {"time", FORM_TIMESPAN},     {"guid", FORM_GUID},       {"uuid", FORM_GUID},
    {"uniqueid", FORM_GUID},     {"int", FORM_INT},         {"long", FORM_LONG},
    {"real", FORM_REAL},         {"double", FORM_REAL},     {"bool", FORM_BOOL},
    {"boolean", FORM_BOOL},      {"dynamic", FORM_DYNAMIC},
};

static fh_status parse_raw_body(kql_parser *p, literal_form form, fh_value *out)
{
    kql_token raw;
    KQL_TRY(kql_lex_raw_until_paren(&p->lex, &raw, p->err));
    if (form == FORM_DATETIME)
        KQL_TRY(convert_datetime(p, &raw, out));
    else if (form == FORM_TIMESPAN)
        KQL_TRY(convert_timespan(p, &raw, out));
    else
        KQL_TRY(convert_guid(p, &raw, out));
    return kql_parser_advance(p);
}

static fh_status parse_typed_body(kql_parser *p, literal_form form, fh_value *out)
{
    switch (form) {
    case FORM_DATETIME:
    case FORM_TIMESPAN:
    case FORM_GUID:
        return parse_raw_body(p, form, out);
    case FORM_INT:
        KQL_TRY(kql_parser_advance(p));
        return parse_int_body(p, FH_TYPE_INT, out);
    case FORM_LONG:
        KQL_TRY(kql_parser_advance(p));
        return parse_int_body(p, FH_TYPE_LONG, out);
    case FORM_REAL:
        KQL_TRY(kql_parser_advance(p));
        return parse_real_body(p, out);
    case FORM_BOOL:
        KQL_TRY(kql_parser_advance(p));
        return parse_bool_body(p, out);
    case FORM_DYNAMIC:
    default:
        KQL_TRY(kql_parser_advance(p));
        return parse_dynamic_body(p, out);
    }
}

/* Parses WORD(body) with the current token on WORD and '(' next. */
static fh_status parse_typed(kql_parser *p, literal_form form, kql_node **out)
{
    kql_token word = p->tok;
    KQL_TRY(kql_parser_advance(p)); /* the word; '(' is now current */

    fh_value value;
    KQL_TRY(parse_typed_body(p, form, &value));
    if (p->tok.kind != KQL_TOK_RPAREN) {
        char context[64];
        snprintf(context, sizeof context, "to close %.*s(...)", (int)word.text.len, word.text.ptr);
        return kql_parser_expected(p, "')'", context);
    }
    KQL_TRY(make_literal(p, word.loc, value, out));
    set_literal_text(p, *out, token_end(&p->tok));
    return kql_parser_advance(p);
}

static fh_status parse_typeof(kql_parser *p, kql_node **out)
{
    KQL_TRY(kql_parser_node(p, KQL_NODE_TYPEOF, p->tok.loc, out));
    KQL_TRY(kql_parser_advance(p)); /* typeof */
    KQL_TRY(kql_parser_advance(p)); /* ( */
    KQL_TRY(kql_parse_type(p, &(*out)->u.type_of));
    return kql_parser_expect(p, KQL_TOK_RPAREN, "to close typeof(...)");
}

static bool bool_word(const kql_parser *p, bool *value)
{
    static const char *const trues[] = {"true", "True", "TRUE"};
    static const char *const falses[] = {"false", "False", "FALSE"};
    for (size_t i = 0; i < 3; i++) {
        if (kql_parser_at_word(p, trues[i]) || kql_parser_at_word(p, falses[i])) {
            *value = kql_parser_at_word(p, trues[i]);
            return true;
        }
    }
    return false;
}

fh_status kql_parse_literal_word(kql_parser *p, kql_node **out)
{
    bool b;
    if (bool_word(p, &b)) {
        KQL_TRY(make_literal(p, p->tok.loc, fh_value_bool(b), out));
        set_literal_text(p, *out, token_end(&p->tok));
        return kql_parser_advance(p);
    }
    if (kql_parser_peek(p).kind != KQL_TOK_LPAREN)
        return FH_DONE;

    if (kql_parser_at_word(p, "typeof"))
        return parse_typeof(p, out);
    if (kql_parser_at_word(p, "decimal"))
        return kql_parser_error_at(p, FH_ERR_UNSUPPORTED, p->tok.loc,
                                   "foxhound does not support the decimal type; use real(...)");
    for (size_t i = 0; i < sizeof typed_words / sizeof typed_words[0]; i++) {
        if (kql_parser_at_word(p, typed_words[i].word))
            return parse_typed(p, typed_words[i].form, out);
    }
    return FH_DONE;
}
