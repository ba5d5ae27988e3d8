/*
 * libFuzzer target for the indicator writers. The input's lines fill one indicator: the first
 * byte picks the type and the port, then value, address, family, tags (comma-separated),
 * reference, flag, description, feed and feed id. Every format is written; the JSON lines and
 * the STIX bundle must parse as JSON whatever bytes the fields hold.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "foxhound/ioc_export.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FIELD_COUNT 10
#define TAGS_MAX 8

/* Splits buf at newlines into at most FIELD_COUNT fields; missing fields are NULL. */
static void split_fields(char *buf, char *fields[FIELD_COUNT])
{
    memset(fields, 0, FIELD_COUNT * sizeof *fields);
    char *p = buf;
    for (int i = 0; i < FIELD_COUNT && p != NULL; i++) {
        fields[i] = p;
        p = strchr(p, '\n');
        if (p != NULL)
            *p++ = '\0';
    }
}

static size_t split_tags(char *list, char *tags[TAGS_MAX])
{
    size_t count = 0;
    for (char *p = list; p != NULL && count < TAGS_MAX; count++) {
        tags[count] = p;
        p = strchr(p, ',');
        if (p != NULL)
            *p++ = '\0';
    }
    return count;
}

/* Writes the record in one format into a malloc'd string. */
static char *write_format(fh_ioc_export_format format, const fh_ioc_record *record)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    if (out == NULL)
        return NULL;
    fh_ioc_writer *writer = NULL;
    fh_error err;
    if (fh_ioc_writer_open(format, out, "fuzz", &writer, &err) == FH_OK) {
        if (fh_ioc_writer_write(writer, record, &err) == FH_OK)
            fh_ioc_writer_finish(writer, &err);
        fh_ioc_writer_destroy(writer);
    }
    fclose(out);
    return text;
}

/* Aborts when a JSON line or the STIX bundle does not parse, so libFuzzer reports it. */
static void check_json(fh_ioc_export_format format, const char *text)
{
    if (format != FH_IOC_EXPORT_JSON && format != FH_IOC_EXPORT_STIX)
        return;
    json_error_t jerr;
    json_t *doc =
        json_loads(text, format == FH_IOC_EXPORT_JSON ? JSON_DISABLE_EOF_CHECK : 0, &jerr);
    if (doc == NULL) {
        fprintf(stderr, "invalid %s output: %s\n%s\n", fh_ioc_export_format_name(format), jerr.text,
                text);
        abort();
    }
    json_decref(doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    char *buf = malloc(size - 1);
    if (buf == NULL)
        return 0;
    memcpy(buf, data + 2, size - 2);
    buf[size - 2] = '\0';

    char *fields[FIELD_COUNT];
    char *tags[TAGS_MAX];
    split_fields(buf, fields);
    fh_ioc_record record = {.created = FH_TIME_UNKNOWN, .modified = FH_TIME_UNKNOWN};
    fh_indicator *ioc = &record.ioc;
    fh_indicator_init(ioc);
    ioc->type = (fh_ioc_type)(data[0] % FH_IOC_TYPE_COUNT);
    ioc->port = data[1] * 257;
    ioc->confidence = data[1] % 2 ? data[1] % 101 : FH_CONFIDENCE_UNKNOWN;
    ioc->first_seen = data[0] % 2 ? (int64_t)data[1] * 1000000000000LL : FH_TIME_UNKNOWN;
    ioc->value = fields[0];
    ioc->address = fields[1];
    ioc->family = fields[2];
    ioc->ntags = split_tags(fields[3], tags);
    ioc->tags = tags;
    ioc->reference = fields[4];
    ioc->flag = fields[5];
    ioc->description = fields[6];
    ioc->source_feed = fields[7];
    ioc->source_id = fields[8];

    for (int f = 0; f < FH_IOC_EXPORT_COUNT; f++) {
        char *text = write_format((fh_ioc_export_format)f, &record);
        if (text != NULL)
            check_json((fh_ioc_export_format)f, text);
        free(text);
    }
    free(buf);
    return 0;
}
