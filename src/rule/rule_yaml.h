/*
 * A thin layer over libyaml's emitter for the YAML rule formats (Sentinel, Sigma): one
 * document per buffer, block style, no line folding. libyaml chooses the quoting, so every
 * scalar reads back as the string that was written.
 */
#ifndef FOXHOUND_RULE_YAML_H
#define FOXHOUND_RULE_YAML_H

#include <regex.h>
#include <stdbool.h>
#include <yaml.h>

#include "core/strbuf.h"
#include "foxhound/error.h"

typedef struct rule_yaml {
    yaml_emitter_t emitter;
    fh_strbuf *out;
    bool failed;      /* an event was rejected; later calls do nothing */
    regex_t typed;    /* plain scalars that would read back as numbers, booleans or null */
    bool typed_ready; /* typed compiled; when false every scalar is quoted */
} rule_yaml;

/* Starts a stream and an implicit document that write into out. */
fh_status rule_yaml_begin(rule_yaml *y, fh_strbuf *out, fh_error *err);

/* Ends the document and the stream, frees the emitter, and reports any failure. */
fh_status rule_yaml_finish(rule_yaml *y, fh_error *err);

void rule_yaml_map_start(rule_yaml *y);
void rule_yaml_map_end(rule_yaml *y);
void rule_yaml_seq_start(rule_yaml *y, bool flow);
void rule_yaml_seq_end(rule_yaml *y);

/* A scalar in the style libyaml picks (plain when that reads back the same). */
void rule_yaml_scalar(rule_yaml *y, const char *text);

/* A scalar in literal block style ("|"), for queries and descriptions. */
void rule_yaml_literal(rule_yaml *y, const char *text);

/* A plain integer scalar. */
void rule_yaml_int(rule_yaml *y, long long value);

/* key: value, with value as rule_yaml_scalar writes it. */
void rule_yaml_pair(rule_yaml *y, const char *key, const char *value);

#endif
