/*
 * Exclusion files: YAML read with libyaml's document API into named, table-scoped KQL
 * predicates. Every problem is an error with the file, line and column of the offending
 * node, because a silently ignored exclusion would hide or flood findings.
 *
 * Accepted shape: a mapping with the key "exclusions" holding a sequence, or the sequence at
 * the top level. Each entry is a mapping with name, reason, tables (a sequence or a single
 * string) and where. Unknown keys are rejected so that a typo cannot disable a filter.
 */
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "core/input.h"
#include "foxhound/hunt.h"
#include "foxhound/limits.h"

#define MAX_EXCLUSIONS 10000

typedef struct parse_ctx {
    yaml_document_t *doc;
    const char *source;
    fh_error *err;
} parse_ctx;

static fh_status node_error(parse_ctx *ctx, const yaml_node_t *node, const char *what)
{
    return fh_error_set(ctx->err, FH_ERR_PARSE, ctx->source, node->start_mark.line + 1,
                        node->start_mark.column + 1, "%s", what);
}

static bool node_is_key(const yaml_node_t *node, const char *key)
{
    return node->type == YAML_SCALAR_NODE && strlen(key) == node->data.scalar.length &&
           memcmp(node->data.scalar.value, key, node->data.scalar.length) == 0;
}

static fh_status scalar_dup(parse_ctx *ctx, const yaml_node_t *node, const char *field, char **out)
{
    if (node->type != YAML_SCALAR_NODE) {
        char msg[128];
        snprintf(msg, sizeof msg, "'%s' must be a text value", field);
        return node_error(ctx, node, msg);
    }
    char *copy = strndup((const char *)node->data.scalar.value, node->data.scalar.length);
    if (copy == NULL)
        return fh_error_set(ctx->err, FH_ERR_NOMEM, ctx->source, 0, 0, "out of memory");
    free(*out);
    *out = copy;
    return FH_OK;
}

static bool known_table(const char *name)
{
    for (const char *const *t = fh_hunt_tables(); *t != NULL; t++) {
        if (strcmp(*t, name) == 0)
            return true;
    }
    return false;
}

static fh_status add_table(parse_ctx *ctx, fh_exclusion *ex, const yaml_node_t *node)
{
    char *name = NULL;
    fh_status st = scalar_dup(ctx, node, "tables", &name);
    if (st != FH_OK)
        return st;
    if (!known_table(name)) {
        fh_error_set(ctx->err, FH_ERR_INVALID, ctx->source, node->start_mark.line + 1,
                     node->start_mark.column + 1,
                     "unknown table '%s' in exclusion '%s'; hunted tables are "
                     "CommonSecurityLog, DeviceNetworkEvents, DeviceFileEvents and "
                     "DeviceProcessEvents",
                     name, ex->name ? ex->name : "?");
        free(name);
        return FH_ERR_INVALID;
    }
    char **grown = realloc(ex->tables, (ex->ntables + 1) * sizeof *grown);
    if (grown == NULL) {
        free(name);
        return fh_error_set(ctx->err, FH_ERR_NOMEM, ctx->source, 0, 0, "out of memory");
    }
    ex->tables = grown;
    ex->tables[ex->ntables++] = name;
    return FH_OK;
}

static fh_status read_tables(parse_ctx *ctx, fh_exclusion *ex, const yaml_node_t *node)
{
    if (node->type == YAML_SCALAR_NODE)
        return add_table(ctx, ex, node);
    if (node->type != YAML_SEQUENCE_NODE)
        return node_error(ctx, node, "'tables' must be a list of table names");

    for (yaml_node_item_t *item = node->data.sequence.items.start;
         item < node->data.sequence.items.top; item++) {
        fh_status st = add_table(ctx, ex, yaml_document_get_node(ctx->doc, *item));
        if (st != FH_OK)
            return st;
    }
    return FH_OK;
}

static fh_status read_field(parse_ctx *ctx, fh_exclusion *ex, const yaml_node_t *key,
                            const yaml_node_t *value)
{
    if (node_is_key(key, "name"))
        return scalar_dup(ctx, value, "name", &ex->name);
    if (node_is_key(key, "reason"))
        return scalar_dup(ctx, value, "reason", &ex->reason);
    if (node_is_key(key, "where")) {
        /* A block scalar (| or >) starts on the line after its indicator. */
        bool block = value->type == YAML_SCALAR_NODE &&
                     (value->data.scalar.style == YAML_LITERAL_SCALAR_STYLE ||
                      value->data.scalar.style == YAML_FOLDED_SCALAR_STYLE);
        ex->where_line = value->start_mark.line + (block ? 2 : 1);
        return scalar_dup(ctx, value, "where", &ex->where);
    }
    if (node_is_key(key, "tables"))
        return read_tables(ctx, ex, value);

    char msg[FH_MAX_NAME_BYTES + 96];
    int n = key->type == YAML_SCALAR_NODE ? (int)key->data.scalar.length : 1;
    const char *text = key->type == YAML_SCALAR_NODE ? (const char *)key->data.scalar.value : "?";
    if (n > FH_MAX_NAME_BYTES)
        n = FH_MAX_NAME_BYTES;
    snprintf(msg, sizeof msg, "unknown key '%.*s'; an exclusion has name, reason, tables and where",
             n, text);
    return node_error(ctx, key, msg);
}

static fh_status check_entry(parse_ctx *ctx, const fh_exclusion *ex, const yaml_node_t *node)
{
    const char *missing = ex->name == NULL     ? "name"
                          : ex->reason == NULL ? "reason"
                          : ex->tables == NULL ? "tables"
                          : ex->where == NULL  ? "where"
                                               : NULL;
    if (missing != NULL) {
        char msg[160];
        snprintf(msg, sizeof msg, "exclusion '%s' has no '%s'", ex->name ? ex->name : "?", missing);
        return node_error(ctx, node, msg);
    }
    for (const char *p = ex->name; *p != '\0'; p++) {
        if (!(p[0] == '-' || p[0] == '_' || p[0] == '.' || (p[0] >= '0' && p[0] <= '9') ||
              (p[0] >= 'a' && p[0] <= 'z') || (p[0] >= 'A' && p[0] <= 'Z')))
            return node_error(ctx, node,
                              "an exclusion name may contain only letters, digits, '-', '_' "
                              "and '.'");
    }
    if (ex->name[0] == '\0' || strlen(ex->name) > FH_MAX_NAME_BYTES)
        return node_error(ctx, node, "an exclusion name must have 1 to 256 characters");
    if (strspn(ex->where, " \t\r\n") == strlen(ex->where))
        return node_error(ctx, node, "'where' is empty");
    return FH_OK;
}

static void exclusion_free(fh_exclusion *ex)
{
    free(ex->name);
    free(ex->reason);
    free(ex->where);
    for (size_t i = 0; i < ex->ntables; i++)
        free(ex->tables[i]);
    free(ex->tables);
    memset(ex, 0, sizeof *ex);
}

static fh_status read_entry(parse_ctx *ctx, const yaml_node_t *node, fh_exclusion *ex)
{
    if (node->type != YAML_MAPPING_NODE)
        return node_error(ctx, node,
                          "each exclusion must be a mapping with name, reason, "
                          "tables and where");
    ex->line = node->start_mark.line + 1;
    for (yaml_node_pair_t *pair = node->data.mapping.pairs.start;
         pair < node->data.mapping.pairs.top; pair++) {
        fh_status st = read_field(ctx, ex, yaml_document_get_node(ctx->doc, pair->key),
                                  yaml_document_get_node(ctx->doc, pair->value));
        if (st != FH_OK)
            return st;
    }
    return check_entry(ctx, ex, node);
}

static const yaml_node_t *find_list(parse_ctx *ctx, const yaml_node_t *root)
{
    if (root->type == YAML_SEQUENCE_NODE)
        return root;
    if (root->type != YAML_MAPPING_NODE)
        return NULL;
    for (yaml_node_pair_t *pair = root->data.mapping.pairs.start;
         pair < root->data.mapping.pairs.top; pair++) {
        const yaml_node_t *key = yaml_document_get_node(ctx->doc, pair->key);
        if (node_is_key(key, "exclusions"))
            return yaml_document_get_node(ctx->doc, pair->value);
    }
    return NULL;
}

static fh_status check_unique(parse_ctx *ctx, const fh_exclusion_set *set)
{
    for (size_t i = 0; i < set->count; i++) {
        for (size_t j = 0; j < i; j++) {
            if (strcmp(set->items[i].name, set->items[j].name) == 0)
                return fh_error_set(ctx->err, FH_ERR_INVALID, ctx->source, set->items[i].line, 0,
                                    "exclusion name '%s' is used twice (first on line %lu)",
                                    set->items[i].name, set->items[j].line);
        }
    }
    return FH_OK;
}

static fh_status read_list(parse_ctx *ctx, const yaml_node_t *list, fh_exclusion_set *set)
{
    size_t n = (size_t)(list->data.sequence.items.top - list->data.sequence.items.start);
    if (n > MAX_EXCLUSIONS)
        return fh_error_set(ctx->err, FH_ERR_LIMIT, ctx->source, 0, 0,
                            "%zu exclusions is more than the limit of %d", n, MAX_EXCLUSIONS);
    set->items = calloc(n ? n : 1, sizeof *set->items);
    if (set->items == NULL)
        return fh_error_set(ctx->err, FH_ERR_NOMEM, ctx->source, 0, 0, "out of memory");

    for (size_t i = 0; i < n; i++) {
        const yaml_node_t *entry =
            yaml_document_get_node(ctx->doc, list->data.sequence.items.start[i]);
        set->count = i + 1;
        fh_status st = read_entry(ctx, entry, &set->items[i]);
        if (st != FH_OK)
            return st;
    }
    return check_unique(ctx, set);
}

static fh_status load_document(parse_ctx *ctx, yaml_parser_t *parser, fh_exclusion_set *set)
{
    if (!yaml_parser_load(parser, ctx->doc))
        return fh_error_set(ctx->err, FH_ERR_PARSE, ctx->source, parser->problem_mark.line + 1,
                            parser->problem_mark.column + 1, "invalid YAML: %s",
                            parser->problem ? parser->problem : "unknown");

    const yaml_node_t *root = yaml_document_get_root_node(ctx->doc);
    if (root == NULL)
        return FH_OK; /* an empty file has no exclusions */
    const yaml_node_t *list = find_list(ctx, root);
    if (list == NULL || list->type != YAML_SEQUENCE_NODE)
        return node_error(ctx, root,
                          "expected a list of exclusions, or a mapping whose key "
                          "'exclusions' holds that list");
    return read_list(ctx, list, set);
}

fh_status fh_exclusions_parse(const char *source, const char *data, size_t len,
                              fh_exclusion_set *out, fh_error *err)
{
    memset(out, 0, sizeof *out);
    out->source = strdup(source ? source : "<exclusions>");
    if (out->source == NULL)
        return fh_error_set(err, FH_ERR_NOMEM, source, 0, 0, "out of memory");

    yaml_parser_t parser;
    yaml_document_t doc;
    if (!yaml_parser_initialize(&parser)) {
        fh_exclusions_free(out);
        return fh_error_set(err, FH_ERR_NOMEM, source, 0, 0, "out of memory");
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);

    parse_ctx ctx = {.doc = &doc, .source = out->source, .err = err};
    memset(&doc, 0, sizeof doc);
    fh_status st = load_document(&ctx, &parser, out);
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    if (st != FH_OK)
        fh_exclusions_free(out);
    return st;
}

fh_status fh_exclusions_load(const char *path, fh_exclusion_set *out, fh_error *err)
{
    char *data = NULL;
    size_t len = 0;
    memset(out, 0, sizeof *out);
    fh_status st = fh_input_read_all(path, &data, &len, err);
    if (st != FH_OK)
        return st;
    st = fh_exclusions_parse(path, data, len, out, err);
    free(data);
    if (st == FH_OK)
        st = fh_exclusions_check(out, err);
    if (st != FH_OK)
        fh_exclusions_free(out);
    return st;
}

void fh_exclusions_free(fh_exclusion_set *set)
{
    if (set == NULL)
        return;
    for (size_t i = 0; i < set->count; i++)
        exclusion_free(&set->items[i]);
    free(set->items);
    free(set->source);
    memset(set, 0, sizeof *set);
}

bool fh_exclusion_applies(const fh_exclusion *exclusion, const char *table)
{
    for (size_t i = 0; i < exclusion->ntables; i++) {
        if (strcmp(exclusion->tables[i], table) == 0)
            return true;
    }
    return false;
}
