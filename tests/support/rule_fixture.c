/* Indicator sets, generation and golden files for the rule generator tests. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fh_test.h"
#include "foxhound/ioc_import.h"
#include "rule_fixture.h"

bool rule_fixture_load(const char *relative, fh_ioc_set *set)
{
    fh_ioc_set_init(set);
    char *path = fh_test_source_path(relative);
    fh_error err;
    fh_status st = fh_ioc_import_file(path, FH_IOC_FORMAT_AUTO, set, NULL, &err);
    if (st != FH_OK)
        fprintf(stderr, "importing %s failed: %s\n", path, err.message);
    free(path);
    return st == FH_OK;
}

bool rule_fixture_exclusions(const char *relative, fh_exclusion_set *set)
{
    memset(set, 0, sizeof *set);
    char *path = fh_test_source_path(relative);
    fh_error err;
    fh_status st = fh_exclusions_load(path, set, &err);
    if (st != FH_OK)
        fprintf(stderr, "loading %s failed: %s\n", path, err.message);
    free(path);
    return st == FH_OK;
}

bool rule_fixture_generate(const fh_ioc_set *set, fh_rule_format format,
                           const fh_exclusion_set *exclusions, fh_rule_output *out)
{
    fh_rule_options options;
    fh_rule_options_init(&options);
    options.exclusions = exclusions;
    fh_error err;
    fh_status st = fh_rule_generate(set, format, &options, out, &err);
    if (st != FH_OK)
        fprintf(stderr, "generating %s failed: %s\n", fh_rule_format_name(format), err.message);
    return st == FH_OK;
}

char *rule_fixture_join(const fh_rule_output *out)
{
    size_t n = 1;
    for (size_t i = 0; i < out->ndocuments; i++)
        n += out->files[i].len + strlen(out->separator);
    char *text = malloc(n);
    if (text == NULL)
        return NULL;
    size_t pos = 0;
    for (size_t i = 0; i < out->ndocuments; i++) {
        if (i > 0) {
            memcpy(text + pos, out->separator, strlen(out->separator));
            pos += strlen(out->separator);
        }
        memcpy(text + pos, out->files[i].text, out->files[i].len);
        pos += out->files[i].len;
    }
    text[pos] = '\0';
    return text;
}

static void print_difference(const char *relative, const char *want, size_t wlen, const char *got,
                             size_t glen)
{
    size_t line = 1, start = 0, i = 0;
    while (i < wlen && i < glen && want[i] == got[i]) {
        if (want[i] == '\n') {
            line++;
            start = i + 1;
        }
        i++;
    }
    const char *w = want + start, *g = got + start;
    int wn = (int)strcspn(w, "\n"), gn = (int)strcspn(g, "\n");
    fprintf(stderr, "%s:%zu differs\n  expected: %.*s\n  actual:   %.*s\n", relative, line,
            start < wlen ? wn : 0, start < wlen ? w : "", start < glen ? gn : 0,
            start < glen ? g : "");
}

bool rule_fixture_golden(const char *relative, const char *text, size_t len)
{
    char *path = fh_test_source_path(relative);
    const char *update = getenv("FH_UPDATE_GOLDEN");
    if (update != NULL && strcmp(update, "1") == 0) {
        FILE *f = fopen(path, "wb");
        bool ok = f != NULL && fwrite(text, 1, len, f) == len;
        ok = f != NULL && fclose(f) == 0 && ok;
        fprintf(stderr, "%s %s\n", ok ? "wrote" : "could not write", path);
        free(path);
        return ok;
    }
    size_t wlen = 0;
    char *want = fh_test_read_file(path, &wlen);
    free(path);
    if (want == NULL) {
        fprintf(stderr, "golden file %s is missing; run with FH_UPDATE_GOLDEN=1\n", relative);
        return false;
    }
    bool same = wlen == len && memcmp(want, text, len) == 0;
    if (!same)
        print_difference(relative, want, wlen, text, len);
    free(want);
    return same;
}

const fh_rule_file *rule_fixture_file(const fh_rule_output *out, const char *name)
{
    for (size_t i = 0; i < out->nfiles; i++) {
        if (strcmp(out->files[i].name, name) == 0)
            return &out->files[i];
    }
    return NULL;
}

yaml_node_t *rule_fixture_map_get(yaml_document_t *doc, yaml_node_t *map, const char *key)
{
    if (map == NULL || map->type != YAML_MAPPING_NODE)
        return NULL;
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = yaml_document_get_node(doc, p->key);
        if (k->type == YAML_SCALAR_NODE && strcmp((char *)k->data.scalar.value, key) == 0)
            return yaml_document_get_node(doc, p->value);
    }
    return NULL;
}

const char *rule_fixture_scalar(yaml_node_t *node)
{
    return node != NULL && node->type == YAML_SCALAR_NODE ? (const char *)node->data.scalar.value
                                                          : NULL;
}
