/*
 * YAML output for the rule formats through libyaml's emitter (see rule_yaml.h).
 */
#include <regex.h>
#include <stdio.h>
#include <string.h>

#include "rule/rule_yaml.h"

/* Plain scalars that YAML 1.1 or 1.2 resolves to a number, a boolean or null. */
static const char typed_pattern[] =
    "^([-+]?(\\.[0-9]+|[0-9][0-9_]*(\\.[0-9_]*)?)([eE][-+]?[0-9]+)?"
    "|0x[0-9a-fA-F_]+|0o?[0-7_]+|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\\.[0-9_]*)?"
    "|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)"
    "|[Tt]rue|TRUE|[Ff]alse|FALSE|[Yy]es|YES|[Nn]o|NO|[Oo]n|ON|[Oo]ff|OFF|[yYnN]"
    "|[Nn]ull|NULL|~)$";

static int write_handler(void *data, unsigned char *buffer, size_t size)
{
    fh_strbuf_append(data, (const char *)buffer, size);
    return 1;
}

static void emit(rule_yaml *y, yaml_event_t *event, int prepared)
{
    if (y->failed)
        return;
    if (!prepared || !yaml_emitter_emit(&y->emitter, event))
        y->failed = true;
}

fh_status rule_yaml_begin(rule_yaml *y, fh_strbuf *out, fh_error *err)
{
    memset(y, 0, sizeof *y);
    y->out = out;
    if (!yaml_emitter_initialize(&y->emitter))
        return fh_error_set(err, FH_ERR_NOMEM, NULL, 0, 0, "out of memory starting YAML output");
    yaml_emitter_set_output(&y->emitter, write_handler, out);
    yaml_emitter_set_unicode(&y->emitter, 1);
    yaml_emitter_set_width(&y->emitter, -1);
    yaml_emitter_set_indent(&y->emitter, 2);
    y->typed_ready = regcomp(&y->typed, typed_pattern, REG_EXTENDED | REG_NOSUB) == 0;

    yaml_event_t event;
    emit(y, &event, yaml_stream_start_event_initialize(&event, YAML_UTF8_ENCODING));
    emit(y, &event, yaml_document_start_event_initialize(&event, NULL, NULL, NULL, 1));
    return FH_OK;
}

fh_status rule_yaml_finish(rule_yaml *y, fh_error *err)
{
    yaml_event_t event;
    emit(y, &event, yaml_document_end_event_initialize(&event, 1));
    emit(y, &event, yaml_stream_end_event_initialize(&event));
    if (!y->failed && !yaml_emitter_flush(&y->emitter))
        y->failed = true;

    char problem[160];
    snprintf(problem, sizeof problem, "%s",
             y->emitter.problem != NULL ? y->emitter.problem : "unknown problem");
    yaml_emitter_delete(&y->emitter);
    if (y->typed_ready)
        regfree(&y->typed);
    y->typed_ready = false;
    if (y->failed)
        return fh_error_set(err, FH_ERR_INTERNAL, NULL, 0, 0, "writing YAML failed: %s", problem);
    if (fh_strbuf_status(y->out) != FH_OK)
        return fh_error_set(err, FH_ERR_NOMEM, NULL, 0, 0, "out of memory writing YAML");
    return FH_OK;
}

void rule_yaml_map_start(rule_yaml *y)
{
    yaml_event_t event;
    emit(y, &event,
         yaml_mapping_start_event_initialize(&event, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE));
}

void rule_yaml_map_end(rule_yaml *y)
{
    yaml_event_t event;
    emit(y, &event, yaml_mapping_end_event_initialize(&event));
}

void rule_yaml_seq_start(rule_yaml *y, bool flow)
{
    yaml_event_t event;
    emit(y, &event,
         yaml_sequence_start_event_initialize(
             &event, NULL, NULL, 1, flow ? YAML_FLOW_SEQUENCE_STYLE : YAML_BLOCK_SEQUENCE_STYLE));
}

void rule_yaml_seq_end(rule_yaml *y)
{
    yaml_event_t event;
    emit(y, &event, yaml_sequence_end_event_initialize(&event));
}

static void scalar(rule_yaml *y, const char *text, yaml_scalar_style_t style, int plain_ok)
{
    yaml_event_t event;
    emit(y, &event,
         yaml_scalar_event_initialize(&event, NULL, NULL, (yaml_char_t *)text, (int)strlen(text),
                                      plain_ok, 1, style));
}

/* True when a plain scalar would not read back as a string; libyaml does not check this. */
static bool reads_as_non_string(const rule_yaml *y, const char *text)
{
    if (!y->typed_ready)
        return true; /* quoting everything is always correct */
    return text[0] == '\0' || regexec(&y->typed, text, 0, NULL, 0) == 0;
}

void rule_yaml_scalar(rule_yaml *y, const char *text)
{
    if (reads_as_non_string(y, text))
        scalar(y, text, YAML_DOUBLE_QUOTED_SCALAR_STYLE, 0);
    else
        scalar(y, text, YAML_ANY_SCALAR_STYLE, 1);
}

void rule_yaml_literal(rule_yaml *y, const char *text)
{
    scalar(y, text, YAML_LITERAL_SCALAR_STYLE, 0);
}

void rule_yaml_int(rule_yaml *y, long long value)
{
    char text[32];
    snprintf(text, sizeof text, "%lld", value);
    scalar(y, text, YAML_PLAIN_SCALAR_STYLE, 1);
}

void rule_yaml_pair(rule_yaml *y, const char *key, const char *value)
{
    rule_yaml_scalar(y, key);
    rule_yaml_scalar(y, value);
}
