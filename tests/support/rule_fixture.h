/*
 * Helpers for the rule generator tests: indicator sets read from the repository's example
 * files, generation in one call, and golden-file comparison. Set FH_UPDATE_GOLDEN=1 to
 * rewrite the golden files from the current output (then review the diff before committing).
 */
#ifndef FH_RULE_FIXTURE_H
#define FH_RULE_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <yaml.h>

#include "foxhound/hunt.h"
#include "foxhound/rule.h"

/* Imports a file under the project root into set (initialised here); false on failure. */
bool rule_fixture_load(const char *relative, fh_ioc_set *set);

/* Loads an exclusions file under the project root; false on failure. */
bool rule_fixture_exclusions(const char *relative, fh_exclusion_set *set);

/* Generates one format with default options, except exclusions (may be NULL). */
bool rule_fixture_generate(const fh_ioc_set *set, fh_rule_format format,
                           const fh_exclusion_set *exclusions, fh_rule_output *out);

/* Returns the documents of out joined by its separator (malloc'd). */
char *rule_fixture_join(const fh_rule_output *out);

/*
 * Compares text with the golden file under the project root and prints the first line that
 * differs. With FH_UPDATE_GOLDEN=1 in the environment, writes text to the file instead.
 */
bool rule_fixture_golden(const char *relative, const char *text, size_t len);

/* Returns the value of key in a YAML mapping node, or NULL. */
yaml_node_t *rule_fixture_map_get(yaml_document_t *doc, yaml_node_t *map, const char *key);

/* Returns the text of a scalar node, or NULL for another node or NULL. */
const char *rule_fixture_scalar(yaml_node_t *node);

/* Returns the file of out with that name, or NULL. */
const fh_rule_file *rule_fixture_file(const fh_rule_output *out, const char *name);

#endif
