/*
 * Tokenizer for KQL query text. It reads bytes by position and length only, so the text needs
 * no NUL terminator, and it never reads past len. Columns count characters: UTF-8
 * continuation bytes do not advance the column, and a tab counts as one.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kql/kql_lex.h"

#define NANOS_PER_TICK 100

/* Maximum length of a number literal, in bytes. A long has at most 19 digits, and a real gains
 * no precision past 17 significant digits, so a longer literal is rejected. */
#define MAX_NUMBER_BYTES 64

void kql_lex_init(kql_lexer *lex, const char *source, const char *text, size_t len)
{
    lex->source = source;
    lex->text = text;
    lex->len = len;
    lex->pos = 0;
    lex->line = 1;
    lex->column = 1;
}

/* Returns the byte ahead positions after the current one, or -1 past the end. */
static int peek_at(const kql_lexer *lex, size_t ahead)
{
    if (ahead >= lex->len - lex->pos)
        return -1;
    return (unsigned char)lex->text[lex->pos + ahead];
}

static void advance(kql_lexer *lex, size_t count)
{
    for (size_t i = 0; i < count && lex->pos < lex->len; i++) {
        unsigned char c = (unsigned char)lex->text[lex->pos++];
        if (c == '\n') {
            lex->line++;
            lex->column = 1;
        } else if ((c & 0xC0) != 0x80) {
            lex->column++;
        }
    }
}

static bool is_ident_start(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static bool is_ident_char(int c)
{
    return is_ident_start(c) || is_digit(c);
}

static bool is_hex_digit(int c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static kql_loc current_loc(const kql_lexer *lex)
{
    kql_loc loc = {lex->line, lex->column, lex->pos};
    return loc;
}

static fh_status lex_error(const kql_lexer *lex, kql_loc loc, fh_error *err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static fh_status lex_error(const kql_lexer *lex, kql_loc loc, fh_error *err, const char *fmt, ...)
{
    char message[FH_ERROR_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    return fh_error_set(err, FH_ERR_PARSE, lex->source, loc.line, loc.column, "%s", message);
}

/* Skips whitespace and `//` comments. */
static void skip_space(kql_lexer *lex)
{
    for (;;) {
        int c = peek_at(lex, 0);
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
            advance(lex, 1);
        } else if (c == '/' && peek_at(lex, 1) == '/') {
            while (peek_at(lex, 0) != -1 && peek_at(lex, 0) != '\n')
                advance(lex, 1);
        } else {
            return;
        }
    }
}

/* ---- strings ---- */

/* Checks the escape sequence at the current backslash and returns its length in bytes. */
static fh_status check_escape(kql_lexer *lex, fh_error *err, size_t *length)
{
    kql_loc loc = current_loc(lex);
    int c = peek_at(lex, 1);
    switch (c) {
    case '"':
    case '\'':
    case '\\':
    case 'n':
    case 't':
    case 'r':
        *length = 2;
        return FH_OK;
    case 'u':
        for (size_t i = 2; i < 6; i++) {
            if (!is_hex_digit(peek_at(lex, i)))
                return lex_error(lex, loc, err,
                                 "invalid escape sequence: \\u needs four hexadecimal digits, "
                                 "as in \\u00e9");
        }
        *length = 6;
        return FH_OK;
    case -1:
        return lex_error(lex, loc, err, "unterminated string literal: the text ends after '\\'");
    default:
        return lex_error(lex, loc, err,
                         "invalid escape sequence '\\%c' in string literal; the escapes are "
                         "\\\" \\' \\\\ \\n \\t \\r \\uXXXX, or use a verbatim string @\"...\"",
                         c);
    }
}

/* Scans a quoted string whose opening quote is at the current position. */
static fh_status scan_quoted(kql_lexer *lex, kql_loc start, bool verbatim, fh_error *err)
{
    int quote = peek_at(lex, 0);
    advance(lex, 1);
    for (;;) {
        int c = peek_at(lex, 0);
        if (c == -1 || c == '\n' || c == '\r')
            return lex_error(lex, start, err,
                             "unterminated string literal: missing closing %c before the end "
                             "of the line",
                             quote);
        if (c == quote && verbatim && peek_at(lex, 1) == quote) {
            advance(lex, 2);
        } else if (c == quote) {
            advance(lex, 1);
            return FH_OK;
        } else if (c == '\\' && !verbatim) {
            size_t length = 0;
            fh_status st = check_escape(lex, err, &length);
            if (st != FH_OK)
                return st;
            advance(lex, length);
        } else {
            advance(lex, 1);
        }
    }
}

/* Scans a ```multi-line``` string; the opening backticks are at the current position. */
static fh_status scan_multiline(kql_lexer *lex, kql_loc start, fh_error *err)
{
    advance(lex, 3);
    for (;;) {
        int c = peek_at(lex, 0);
        if (c == -1)
            return lex_error(lex, start, err,
                             "unterminated multi-line string literal: missing closing ```");
        if (c == '`' && peek_at(lex, 1) == '`' && peek_at(lex, 2) == '`') {
            advance(lex, 3);
            return FH_OK;
        }
        advance(lex, 1);
    }
}

/* Returns how many prefix bytes (h, @, h@) come before the quote of a string, or 0 when the
 * current position does not start a string. */
static size_t string_prefix(const kql_lexer *lex)
{
    size_t i = 0;
    int c = peek_at(lex, 0);
    if (c == 'h' || c == 'H')
        i++;
    if (peek_at(lex, i) == '@')
        i++;
    c = peek_at(lex, i);
    if (i > 0 && (c == '"' || c == '\''))
        return i;
    return 0;
}

static bool starts_string(const kql_lexer *lex)
{
    int c = peek_at(lex, 0);
    if (c == '"' || c == '\'')
        return true;
    if (c == '`' && peek_at(lex, 1) == '`' && peek_at(lex, 2) == '`')
        return true;
    return string_prefix(lex) > 0;
}

static fh_status scan_string(kql_lexer *lex, fh_error *err)
{
    kql_loc start = current_loc(lex);
    if (peek_at(lex, 0) == '`')
        return scan_multiline(lex, start, err);

    size_t prefix = string_prefix(lex);
    bool verbatim = prefix > 0 && lex->text[lex->pos + prefix - 1] == '@';
    advance(lex, prefix);
    return scan_quoted(lex, start, verbatim, err);
}

static size_t put_utf8(char *out, unsigned long cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

static unsigned long hex4(const char *p)
{
    unsigned long value = 0;
    for (int i = 0; i < 4; i++) {
        int c = (unsigned char)p[i];
        int digit = is_digit(c) ? c - '0' : (c | 0x20) - 'a' + 10;
        value = value * 16 + (unsigned long)digit;
    }
    return value;
}

/*
 * Decodes the escapes of a checked quoted body into out, which has room for len bytes (no
 * escape grows). A \uD800-\uDBFF escape followed by a \uDC00-\uDFFF escape is one code point;
 * a lone surrogate becomes U+FFFD.
 */
static size_t decode_escaped(const char *p, size_t len, char *out)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if (p[i] != '\\') {
            out[n++] = p[i];
            continue;
        }
        char c = p[++i];
        if (c == 'n') {
            out[n++] = '\n';
        } else if (c == 't') {
            out[n++] = '\t';
        } else if (c == 'r') {
            out[n++] = '\r';
        } else if (c == 'u') {
            unsigned long cp = hex4(p + i + 1);
            i += 4;
            bool high = cp >= 0xD800 && cp <= 0xDBFF;
            if (high && i + 6 < len && p[i + 1] == '\\' && p[i + 2] == 'u') {
                unsigned long low = hex4(p + i + 3);
                if (low >= 0xDC00 && low <= 0xDFFF) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                    i += 6;
                }
            }
            if (cp >= 0xD800 && cp <= 0xDFFF)
                cp = 0xFFFD;
            n += put_utf8(out + n, cp);
        } else {
            out[n++] = c; /* \" \' \\ */
        }
    }
    return n;
}

/* Copies a verbatim body, turning each doubled quote into one. */
static size_t decode_verbatim(const char *p, size_t len, char quote, char *out)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        out[n++] = p[i];
        if (p[i] == quote)
            i++;
    }
    return n;
}

fh_status kql_lex_string_value(const kql_token *tok, fh_arena *arena, kql_str *out)
{
    const char *p = tok->text.ptr;
    size_t len = tok->text.len;
    char *buf = fh_arena_alloc(arena, len + 1);
    if (buf == NULL)
        return FH_ERR_NOMEM;

    size_t n;
    if (len >= 6 && p[0] == '`') {
        n = len - 6;
        memcpy(buf, p + 3, n);
    } else {
        size_t prefix = 0;
        while (p[prefix] != '"' && p[prefix] != '\'')
            prefix++;
        bool verbatim = prefix > 0 && p[prefix - 1] == '@';
        const char *body = p + prefix + 1;
        size_t body_len = len - prefix - 2;
        n = verbatim ? decode_verbatim(body, body_len, p[prefix], buf)
                     : decode_escaped(body, body_len, buf);
    }
    buf[n] = '\0';
    out->ptr = buf;
    out->len = n;
    return FH_OK;
}

/* ---- numbers ---- */

bool kql_lex_timespan_unit(const char *ptr, size_t len, int64_t *nanos_per_unit)
{
    static const struct {
        const char *word;
        int64_t nanos;
    } units[] = {
        {"d", 86400000000000LL},
        {"day", 86400000000000LL},
        {"days", 86400000000000LL},
        {"h", 3600000000000LL},
        {"hr", 3600000000000LL},
        {"hrs", 3600000000000LL},
        {"hour", 3600000000000LL},
        {"hours", 3600000000000LL},
        {"m", 60000000000LL},
        {"min", 60000000000LL},
        {"minute", 60000000000LL},
        {"minutes", 60000000000LL},
        {"s", 1000000000LL},
        {"sec", 1000000000LL},
        {"second", 1000000000LL},
        {"seconds", 1000000000LL},
        {"ms", 1000000LL},
        {"milli", 1000000LL},
        {"millis", 1000000LL},
        {"millisec", 1000000LL},
        {"millisecond", 1000000LL},
        {"milliseconds", 1000000LL},
        {"micro", 1000LL},
        {"micros", 1000LL},
        {"microsec", 1000LL},
        {"microsecond", 1000LL},
        {"microseconds", 1000LL},
        {"nano", 1LL},
        {"nanos", 1LL},
        {"nanosec", 1LL},
        {"nanosecond", 1LL},
        {"nanoseconds", 1LL},
        {"tick", NANOS_PER_TICK},
        {"ticks", NANOS_PER_TICK},
    };
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (strlen(units[i].word) == len && memcmp(units[i].word, ptr, len) == 0) {
            *nanos_per_unit = units[i].nanos;
            return true;
        }
    }
    return false;
}

/* Parses the decimal digits of an integer literal; false when it does not fit a long. */
static bool parse_decimal(const char *p, size_t len, int64_t *out)
{
    uint64_t value = 0;
    for (size_t i = 0; i < len; i++) {
        uint64_t digit = (uint64_t)(p[i] - '0');
        if (value > (UINT64_C(9223372036854775807) - digit) / 10)
            return false;
        value = value * 10 + digit;
    }
    *out = (int64_t)value;
    return true;
}

/*
 * Converts number text and a unit to ticks. Whole numbers are exact; a fraction goes through
 * a double and is rounded to the nearest tick. Nanosecond counts are truncated to ticks.
 */
static bool timespan_ticks(const char *num, size_t num_len, bool is_whole, int64_t nanos,
                           int64_t *ticks)
{
    if (is_whole) {
        int64_t n;
        if (!parse_decimal(num, num_len, &n))
            return false;
        if (nanos < NANOS_PER_TICK) {
            *ticks = n / (NANOS_PER_TICK / nanos);
            return true;
        }
        int64_t per_unit = nanos / NANOS_PER_TICK;
        if (n > INT64_MAX / per_unit)
            return false;
        *ticks = n * per_unit;
        return true;
    }

    char buf[MAX_NUMBER_BYTES + 1];
    memcpy(buf, num, num_len);
    buf[num_len] = '\0';
    double value = strtod(buf, NULL) * (double)nanos / NANOS_PER_TICK;
    if (!(value < 9.2e18))
        return false;
    *ticks = llround(value);
    return true;
}

static fh_status finish_number(kql_lexer *lex, kql_token *tok, size_t num_len, bool is_whole,
                               fh_error *err)
{
    const char *num = lex->text + tok->loc.offset;
    size_t unit_len = 0;
    while (is_ident_char(peek_at(lex, unit_len)))
        unit_len++;

    if (unit_len > 0) {
        int64_t nanos;
        const char *unit = lex->text + lex->pos;
        if (!kql_lex_timespan_unit(unit, unit_len, &nanos))
            return lex_error(lex, tok->loc, err,
                             "invalid number '%.*s%.*s': '%.*s' is not a timespan unit (d, h, "
                             "m, s, ms, microsecond, tick, ...)",
                             (int)num_len, num, (int)unit_len, unit, (int)unit_len, unit);
        if (!timespan_ticks(num, num_len, is_whole, nanos, &tok->num.ticks))
            return lex_error(lex, tok->loc, err, "timespan literal '%.*s%.*s' is out of range",
                             (int)num_len, num, (int)unit_len, unit);
        advance(lex, unit_len);
        tok->kind = KQL_TOK_TIMESPAN;
        return FH_OK;
    }

    if (is_whole) {
        /* NOTE: an integer literal above the long range is rejected here. Whether Kusto
         * rejects it too or reads it as a real has not been checked. */
        tok->kind = KQL_TOK_LONG;
        if (!parse_decimal(num, num_len, &tok->num.l))
            return lex_error(lex, tok->loc, err,
                             "integer literal %.*s is out of range for long (at most "
                             "9223372036854775807); write it as a real, such as %.*s.0",
                             (int)num_len, num, (int)num_len, num);
        return FH_OK;
    }

    char buf[MAX_NUMBER_BYTES + 1];
    memcpy(buf, num, num_len);
    buf[num_len] = '\0';
    tok->kind = KQL_TOK_REAL;
    tok->num.r = strtod(buf, NULL);
    return FH_OK;
}

static fh_status scan_hex(kql_lexer *lex, kql_token *tok, fh_error *err)
{
    advance(lex, 2);
    uint64_t value = 0;
    size_t digits = 0;
    while (is_hex_digit(peek_at(lex, 0))) {
        int c = peek_at(lex, 0);
        int digit = is_digit(c) ? c - '0' : (c | 0x20) - 'a' + 10;
        if (value > (UINT64_MAX >> 4))
            return lex_error(lex, tok->loc, err,
                             "hexadecimal literal is longer than 16 digits, the size of a long");
        value = value * 16 + (uint64_t)digit;
        digits++;
        advance(lex, 1);
    }
    if (digits == 0 || is_ident_char(peek_at(lex, 0)))
        return lex_error(lex, tok->loc, err,
                         "invalid hexadecimal literal: expected digits 0-9 or a-f after '0x'");
    tok->kind = KQL_TOK_LONG;
    tok->num.l = (int64_t)value; /* 0xffffffffffffffff is -1, as in Kusto */
    return FH_OK;
}

/* Scans digits [. digits] [e [+-] digits] and an optional unit suffix. A '.' that is not
 * followed by a digit ends the number, so `1..5` lexes as 1, .., 5. */
static fh_status scan_number(kql_lexer *lex, kql_token *tok, fh_error *err)
{
    if (peek_at(lex, 0) == '0' && (peek_at(lex, 1) == 'x' || peek_at(lex, 1) == 'X'))
        return scan_hex(lex, tok, err);

    size_t start = lex->pos;
    bool is_whole = true;
    while (is_digit(peek_at(lex, 0)))
        advance(lex, 1);
    if (peek_at(lex, 0) == '.' && is_digit(peek_at(lex, 1))) {
        is_whole = false;
        advance(lex, 1);
        while (is_digit(peek_at(lex, 0)))
            advance(lex, 1);
    }
    int e = peek_at(lex, 0);
    int after_e = peek_at(lex, 1);
    bool signed_exponent = (after_e == '+' || after_e == '-') && is_digit(peek_at(lex, 2));
    if ((e == 'e' || e == 'E') && (is_digit(after_e) || signed_exponent)) {
        is_whole = false;
        advance(lex, signed_exponent ? 2 : 1);
        while (is_digit(peek_at(lex, 0)))
            advance(lex, 1);
    }

    size_t num_len = lex->pos - start;
    if (num_len > MAX_NUMBER_BYTES)
        return lex_error(lex, tok->loc, err, "number literal is longer than %d characters",
                         MAX_NUMBER_BYTES);
    return finish_number(lex, tok, num_len, is_whole, err);
}

/* ---- identifiers and punctuation ---- */

/* Scans a word, with a leading '!' or '$' already consumed by the caller, and joins the '~'
 * of in~ and !in~. */
static void scan_word(kql_lexer *lex, size_t start)
{
    while (is_ident_char(peek_at(lex, 0)))
        advance(lex, 1);
    size_t len = lex->pos - start;
    const char *word = lex->text + start;
    bool is_in =
        (len == 2 && memcmp(word, "in", 2) == 0) || (len == 3 && memcmp(word, "!in", 3) == 0);
    if (is_in && peek_at(lex, 0) == '~')
        advance(lex, 1);
}

typedef struct punct {
    const char *text;
    kql_token_kind kind;
} punct;

/* Longer spellings first, so that "==" wins over "=". */
static const punct puncts[] = {
    {"==", KQL_TOK_EQ},       {"!=", KQL_TOK_NE},      {"<>", KQL_TOK_LTGT},
    {"<=", KQL_TOK_LE},       {">=", KQL_TOK_GE},      {"=~", KQL_TOK_EQ_TILDE},
    {"!~", KQL_TOK_NE_TILDE}, {"..", KQL_TOK_DOTDOT},  {"|", KQL_TOK_PIPE},
    {";", KQL_TOK_SEMICOLON}, {",", KQL_TOK_COMMA},    {"(", KQL_TOK_LPAREN},
    {")", KQL_TOK_RPAREN},    {"[", KQL_TOK_LBRACKET}, {"]", KQL_TOK_RBRACKET},
    {"{", KQL_TOK_LBRACE},    {"}", KQL_TOK_RBRACE},   {".", KQL_TOK_DOT},
    {"=", KQL_TOK_ASSIGN},    {"<", KQL_TOK_LT},       {">", KQL_TOK_GT},
    {"+", KQL_TOK_PLUS},      {"-", KQL_TOK_MINUS},    {"*", KQL_TOK_STAR},
    {"/", KQL_TOK_SLASH},     {"%", KQL_TOK_PERCENT},  {":", KQL_TOK_COLON},
};

static bool scan_punct(kql_lexer *lex, kql_token *tok)
{
    for (size_t i = 0; i < sizeof puncts / sizeof puncts[0]; i++) {
        size_t n = strlen(puncts[i].text);
        if (n > lex->len - lex->pos || memcmp(lex->text + lex->pos, puncts[i].text, n) != 0)
            continue;
        tok->kind = puncts[i].kind;
        advance(lex, n);
        return true;
    }
    return false;
}

static fh_status scan_token(kql_lexer *lex, kql_token *tok, fh_error *err)
{
    int c = peek_at(lex, 0);
    size_t start = lex->pos;

    if (starts_string(lex)) {
        tok->kind = KQL_TOK_STRING;
        return scan_string(lex, err);
    }
    if (is_digit(c))
        return scan_number(lex, tok, err);
    if (is_ident_start(c) || ((c == '$' || c == '!') && is_ident_start(peek_at(lex, 1)))) {
        advance(lex, 1);
        scan_word(lex, start);
        tok->kind = KQL_TOK_IDENT;
        return FH_OK;
    }
    if (scan_punct(lex, tok))
        return FH_OK;

    if (c == '!')
        return lex_error(lex, tok->loc, err,
                         "unexpected '!': KQL negates with not(...), != or a !word operator "
                         "such as !has");
    if (c >= 0x20 && c < 0x7f)
        return lex_error(lex, tok->loc, err, "unexpected character '%c'", c);
    return lex_error(lex, tok->loc, err,
                     "unexpected byte 0x%02x outside a string literal; names use ASCII letters, "
                     "digits and '_', or ['...'] for other characters",
                     (unsigned)c);
}

fh_status kql_lex_next(kql_lexer *lex, kql_token *tok, fh_error *err)
{
    skip_space(lex);
    memset(tok, 0, sizeof *tok);
    tok->loc = current_loc(lex);
    if (lex->pos >= lex->len) {
        tok->kind = KQL_TOK_EOF;
        tok->text.ptr = lex->text + lex->len;
        return FH_OK;
    }

    fh_status st = scan_token(lex, tok, err);
    tok->text.ptr = lex->text + tok->loc.offset;
    tok->text.len = lex->pos - tok->loc.offset;
    return st;
}

fh_status kql_lex_raw_until_paren(kql_lexer *lex, kql_token *tok, fh_error *err)
{
    memset(tok, 0, sizeof *tok);
    tok->kind = KQL_TOK_STRING;
    while (peek_at(lex, 0) == ' ' || peek_at(lex, 0) == '\t')
        advance(lex, 1);
    tok->loc = current_loc(lex);

    size_t end = 0;
    while (peek_at(lex, end) != ')') {
        int c = peek_at(lex, end);
        if (c == -1 || c == '\n')
            return lex_error(lex, tok->loc, err, "expected ')' to close the literal");
        end++;
    }
    size_t trimmed = end;
    while (trimmed > 0 && (peek_at(lex, trimmed - 1) == ' ' || peek_at(lex, trimmed - 1) == '\t'))
        trimmed--;
    tok->text.ptr = lex->text + lex->pos;
    tok->text.len = trimmed;
    advance(lex, end);
    return FH_OK;
}

const char *kql_token_kind_name(kql_token_kind kind)
{
    static const char *const names[KQL_TOK_KIND_COUNT] = {
        [KQL_TOK_EOF] = "the end of the query",
        [KQL_TOK_IDENT] = "a name",
        [KQL_TOK_STRING] = "a string literal",
        [KQL_TOK_LONG] = "a number",
        [KQL_TOK_REAL] = "a number",
        [KQL_TOK_TIMESPAN] = "a timespan literal",
        [KQL_TOK_PIPE] = "'|'",
        [KQL_TOK_SEMICOLON] = "';'",
        [KQL_TOK_COMMA] = "','",
        [KQL_TOK_LPAREN] = "'('",
        [KQL_TOK_RPAREN] = "')'",
        [KQL_TOK_LBRACKET] = "'['",
        [KQL_TOK_RBRACKET] = "']'",
        [KQL_TOK_LBRACE] = "'{'",
        [KQL_TOK_RBRACE] = "'}'",
        [KQL_TOK_DOT] = "'.'",
        [KQL_TOK_DOTDOT] = "'..'",
        [KQL_TOK_ASSIGN] = "'='",
        [KQL_TOK_EQ] = "'=='",
        [KQL_TOK_NE] = "'!='",
        [KQL_TOK_LTGT] = "'<>'",
        [KQL_TOK_LT] = "'<'",
        [KQL_TOK_LE] = "'<='",
        [KQL_TOK_GT] = "'>'",
        [KQL_TOK_GE] = "'>='",
        [KQL_TOK_EQ_TILDE] = "'=~'",
        [KQL_TOK_NE_TILDE] = "'!~'",
        [KQL_TOK_PLUS] = "'+'",
        [KQL_TOK_MINUS] = "'-'",
        [KQL_TOK_STAR] = "'*'",
        [KQL_TOK_SLASH] = "'/'",
        [KQL_TOK_PERCENT] = "'%'",
        [KQL_TOK_COLON] = "':'",
    };
    if ((unsigned)kind >= KQL_TOK_KIND_COUNT)
        return "a token";
    return names[kind];
}

/* ---- operator spellings ---- */

static const struct {
    const char *spelling;
    kql_binop op;
} binops[] = {
    {"+", KQL_OP_ADD},
    {"-", KQL_OP_SUB},
    {"*", KQL_OP_MUL},
    {"/", KQL_OP_DIV},
    {"%", KQL_OP_MOD},
    {"<", KQL_OP_LT},
    {"<=", KQL_OP_LE},
    {">", KQL_OP_GT},
    {">=", KQL_OP_GE},
    {"==", KQL_OP_EQ},
    {"!=", KQL_OP_NE},
    {"<>", KQL_OP_NE},
    {"=~", KQL_OP_EQ_NOCASE},
    {"!~", KQL_OP_NE_NOCASE},
    {"has", KQL_OP_HAS},
    {"!has", KQL_OP_NOT_HAS},
    {"has_cs", KQL_OP_HAS_CS},
    {"!has_cs", KQL_OP_NOT_HAS_CS},
    {"hasprefix", KQL_OP_HASPREFIX},
    {"!hasprefix", KQL_OP_NOT_HASPREFIX},
    {"hasprefix_cs", KQL_OP_HASPREFIX_CS},
    {"!hasprefix_cs", KQL_OP_NOT_HASPREFIX_CS},
    {"hassuffix", KQL_OP_HASSUFFIX},
    {"!hassuffix", KQL_OP_NOT_HASSUFFIX},
    {"hassuffix_cs", KQL_OP_HASSUFFIX_CS},
    {"!hassuffix_cs", KQL_OP_NOT_HASSUFFIX_CS},
    {"contains", KQL_OP_CONTAINS},
    {"!contains", KQL_OP_NOT_CONTAINS},
    {"contains_cs", KQL_OP_CONTAINS_CS},
    {"!contains_cs", KQL_OP_NOT_CONTAINS_CS},
    {"startswith", KQL_OP_STARTSWITH},
    {"!startswith", KQL_OP_NOT_STARTSWITH},
    {"startswith_cs", KQL_OP_STARTSWITH_CS},
    {"!startswith_cs", KQL_OP_NOT_STARTSWITH_CS},
    {"endswith", KQL_OP_ENDSWITH},
    {"!endswith", KQL_OP_NOT_ENDSWITH},
    {"endswith_cs", KQL_OP_ENDSWITH_CS},
    {"!endswith_cs", KQL_OP_NOT_ENDSWITH_CS},
    {"matches regex", KQL_OP_MATCHES_REGEX},
    {"like", KQL_OP_LIKE},
    {"!like", KQL_OP_NOT_LIKE},
    {"like_cs", KQL_OP_LIKE_CS},
    {"!like_cs", KQL_OP_NOT_LIKE_CS},
    {"and", KQL_OP_AND},
    {"or", KQL_OP_OR},
};

bool kql_lex_binop_from_spelling(kql_str spelling, kql_binop *out)
{
    for (size_t i = 0; i < sizeof binops / sizeof binops[0]; i++) {
        if (kql_str_is(spelling, binops[i].spelling)) {
            *out = binops[i].op;
            return true;
        }
    }
    return false;
}

const char *kql_lex_binop_spelling(kql_binop op)
{
    for (size_t i = 0; i < sizeof binops / sizeof binops[0]; i++) {
        if (binops[i].op == op)
            return binops[i].spelling;
    }
    return "?";
}
