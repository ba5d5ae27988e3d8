/*
 * STIX 2.0 and 2.1 importer. Reads the indicator objects of a bundle (or one bare indicator)
 * and turns each equality in their patterns into a foxhound indicator: ipv4-addr and
 * ipv6-addr values (a CIDR is kept as a CIDR), network-traffic dst_ref.value with dst_port as
 * ip:port, domain-name, url, and file hashes (MD5, SHA-1, SHA-256). OR-ed comparisons give
 * one indicator each. Everything else in a pattern (other operators, other object paths,
 * sequences) is counted as skipped with the reason.
 *
 * Context comes from the indicator (valid_from as first seen, confidence, labels as tags,
 * indicator_types as threat type, name as description), from the identity named by
 * created_by_ref (reporter) and from "indicates" relationships to malware or tool objects
 * (family and aliases).
 */
#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "foxhound/limits.h"
#include "ioc/ioc_internal.h"
#include "ioc/stix_pattern.h"

/* What one alternative of a pattern yields for network-traffic. */
typedef struct traffic {
    const char *address[8];
    size_t naddress;
    const char *port;
} traffic;

static bool path_is(const char *path, const char *want)
{
    return strcasecmp(path, want) == 0;
}

/* Maps a hash key ("'SHA-256'", "SHA256", "md5") to a type; false for other algorithms. */
static bool hash_key_type(const char *key, fh_ioc_type *type)
{
    char norm[32];
    size_t k = 0;
    for (const char *p = key; *p != '\0' && k + 1 < sizeof norm; p++)
        if (*p != '\'' && *p != '-' && *p != '"')
            norm[k++] = (char)tolower((unsigned char)*p);
    norm[k] = '\0';
    if (strcmp(norm, "md5") == 0)
        *type = FH_IOC_MD5;
    else if (strcmp(norm, "sha1") == 0)
        *type = FH_IOC_SHA1;
    else if (strcmp(norm, "sha256") == 0)
        *type = FH_IOC_SHA256;
    else
        return false;
    return true;
}

static fh_status skip_term(ioc_import *imp, const char *fmt, const char *what)
{
    char reason[256];
    snprintf(reason, sizeof reason, fmt, what);
    return fh_ioc_set_skip(imp->set, reason);
}

static bool is_equality(const stix_comparison *c, bool allow_subset)
{
    return strcmp(c->op, "=") == 0 || (allow_subset && strcasecmp(c->op, "ISSUBSET") == 0);
}

/* Emits one comparison that names a value by itself; network-traffic parts go to t. */
static fh_status stix_term(ioc_import *imp, const stix_comparison *c, const fh_indicator *meta,
                           traffic *t)
{
    const char *path = c->path;
    bool address = path_is(path, "ipv4-addr:value") || path_is(path, "ipv6-addr:value") ||
                   path_is(path, "network-traffic:src_ref.value") ||
                   path_is(path, "domain-name:resolves_to_refs[*].value");
    bool dst = path_is(path, "network-traffic:dst_ref.value");

    if (path_is(path, "network-traffic:dst_ref.type") ||
        path_is(path, "network-traffic:src_ref.type"))
        return FH_OK; /* names the address type, and the value itself is checked */
    if (!is_equality(c, address || dst))
        return skip_term(imp, "STIX operator '%s' is not an equality", c->op);
    if (c->literal == NULL)
        return skip_term(imp, "STIX comparison on %s has no value", path);

    size_t n = strlen(c->literal);
    if (dst && t->naddress == sizeof t->address / sizeof t->address[0])
        return fh_ioc_set_skip(imp->set, "STIX network-traffic address beyond the first 8 of "
                                         "one alternative");
    if (dst) {
        t->address[t->naddress++] = c->literal;
        return FH_OK;
    }
    if (path_is(path, "network-traffic:dst_port")) {
        t->port = c->literal;
        return FH_OK;
    }
    if (address)
        return ioc_emit(imp, 0, FH_IOC_IPV4, c->literal, n, meta, NULL);
    if (path_is(path, "domain-name:value"))
        return ioc_emit(imp, 0, FH_IOC_DOMAIN, c->literal, n, meta, NULL);
    if (path_is(path, "url:value"))
        return ioc_emit(imp, 0, FH_IOC_URL, c->literal, n, meta, NULL);
    if (strncasecmp(path, "file:hashes.", 12) == 0) {
        fh_ioc_type type;
        if (!hash_key_type(path + 12, &type))
            return skip_term(imp, "STIX hash %s is not an MD5, SHA-1 or SHA-256", path);
        return ioc_emit(imp, 0, type, c->literal, n, meta, NULL);
    }
    return skip_term(imp, "STIX object path %s is not hunted", path);
}

/* Emits the network-traffic addresses of one alternative, with the port when there is one. */
static fh_status stix_traffic(ioc_import *imp, const traffic *t, const fh_indicator *meta)
{
    if (t->naddress == 0 && t->port != NULL)
        return fh_ioc_set_skip(imp->set, "STIX network-traffic:dst_port without an address");
    for (size_t i = 0; i < t->naddress; i++) {
        const char *addr = t->address[i];
        char text[FH_MAX_INDICATOR_BYTES];
        if (t->port == NULL)
            snprintf(text, sizeof text, "%s", addr);
        else if (strchr(addr, ':') != NULL)
            snprintf(text, sizeof text, "[%s]:%s", addr, t->port);
        else
            snprintf(text, sizeof text, "%s:%s", addr, t->port);
        fh_ioc_type type = t->port == NULL ? FH_IOC_IPV4 : FH_IOC_IP_PORT;
        fh_status st = ioc_emit(imp, 0, type, text, strlen(text), meta, NULL);
        if (st != FH_OK)
            return st;
    }
    return FH_OK;
}

static fh_status stix_pattern(ioc_import *imp, const char *pattern, const fh_indicator *meta)
{
    stix_dnf dnf = {0};
    fh_error why;
    fh_error_clear(&why);
    fh_status st = stix_pattern_parse(pattern, strlen(pattern), &dnf, &why);
    if (st == FH_ERR_UNSUPPORTED)
        return fh_ioc_set_skip(imp->set, why.message);
    if (st == FH_ERR_PARSE || st == FH_ERR_LIMIT)
        return ioc_reject(imp, 0, pattern, strlen(pattern), why.message);
    if (st != FH_OK)
        return fh_error_set(imp->err, st, imp->name, 0, 0, "%s", why.message);

    for (size_t a = 0; a < dnf.nalternatives && st == FH_OK; a++) {
        const stix_alternative *alt = &dnf.alternatives[a];
        traffic t = {0};
        for (size_t i = 0; i < alt->nterms && st == FH_OK; i++)
            st = stix_term(imp, &dnf.comparisons[alt->terms[i]], meta, &t);
        if (st == FH_OK)
            st = stix_traffic(imp, &t, meta);
    }
    stix_dnf_clear(&dnf);
    return st;
}

/* Names of objects that other objects point at: identities and malware or tools. */
static const char *object_name(json_t *objects_by_id, const char *id)
{
    return id == NULL ? NULL : ioc_json_str(json_object_get(objects_by_id, id), "name");
}

/* Adds the names of malware and tools the indicator indicates as family and aliases. */
static fh_status stix_family(ioc_import *imp, json_t *indicates, json_t *by_id, const char *id,
                             fh_indicator *meta)
{
    size_t i;
    json_t *target;
    json_array_foreach(json_object_get(indicates, id), i, target)
    {
        const char *dst = json_string_value(target);
        if (strncmp(dst, "malware--", 9) != 0 && strncmp(dst, "tool--", 6) != 0)
            continue;
        const char *name = object_name(by_id, dst);
        if (name == NULL)
            continue;
        fh_status st = meta->family == NULL
                           ? ioc_set_text(&meta->family, name, strlen(name))
                           : ioc_list_status(imp, ioc_add_alias(meta, name, strlen(name)));
        if (st != FH_OK)
            return st;
    }
    return FH_OK;
}

/* Copies each string of an array member into tags, or joins them into *joined. */
static fh_status string_array(ioc_import *imp, json_t *obj, const char *key, fh_indicator *meta,
                              char **joined)
{
    json_t *list = json_object_get(obj, key);
    size_t i;
    json_t *item;
    json_array_foreach(list, i, item)
    {
        if (!json_is_string(item))
            continue;
        const char *s = json_string_value(item);
        fh_status st;
        if (joined == NULL) {
            st = ioc_list_status(imp, ioc_add_tag(meta, s, strlen(s)));
        } else if (*joined == NULL) {
            st = ioc_set_text(joined, s, strlen(s));
        } else {
            continue; /* the first indicator type is the threat type */
        }
        if (st != FH_OK)
            return st;
    }
    return FH_OK;
}

static const char *first_reference_url(json_t *indicator)
{
    json_t *refs = json_object_get(indicator, "external_references");
    size_t i;
    json_t *ref;
    json_array_foreach(refs, i, ref)
    {
        const char *url = ioc_json_str(ref, "url");
        if (url != NULL)
            return url;
    }
    return NULL;
}

/* Fills the context of one indicator object; *why gets a reason when a field is invalid. */
static fh_status stix_meta(ioc_import *imp, json_t *ind, json_t *indicates, json_t *by_id,
                           fh_indicator *meta, char *why, size_t whysz)
{
    const char *id = ioc_json_str(ind, "id");
    const char *reporter = object_name(by_id, ioc_json_str(ind, "created_by_ref"));
    const char *url = first_reference_url(ind);
    fh_status st = ioc_set_text(&meta->source_feed, "stix", 4);
    if (st == FH_OK)
        st = ioc_json_text(ind, "id", &meta->source_id);
    if (st == FH_OK)
        st = ioc_json_text(ind, "name", &meta->description);
    if (st == FH_OK && reporter != NULL)
        st = ioc_set_text(&meta->reporter, reporter, strlen(reporter));
    if (st == FH_OK && url != NULL)
        st = ioc_set_text(&meta->reference, url, strlen(url));
    if (st == FH_OK)
        st = string_array(imp, ind, "labels", meta, NULL);
    if (st == FH_OK)
        st = string_array(imp, ind, "indicator_types", meta, &meta->threat_type);
    if (st == FH_OK && id != NULL)
        st = stix_family(imp, indicates, by_id, id, meta);
    if (st != FH_OK)
        return st;

    const char *from = ioc_json_str(ind, "valid_from");
    if (from != NULL && !ioc_parse_time(from, strlen(from), &meta->first_seen)) {
        snprintf(why, whysz, "valid_from '%.40s' is not a timestamp", from);
        return FH_ERR_INVALID;
    }
    json_t *conf = json_object_get(ind, "confidence");
    if (json_is_integer(conf) && json_integer_value(conf) >= 0 && json_integer_value(conf) <= 100)
        meta->confidence = (int)json_integer_value(conf);
    else if (conf != NULL && !json_is_null(conf)) {
        snprintf(why, whysz, "confidence is not an integer from 0 to 100");
        return FH_ERR_INVALID;
    }
    return FH_OK;
}

static fh_status stix_indicator(ioc_import *imp, json_t *ind, json_t *indicates, json_t *by_id)
{
    const char *pattern_type = ioc_json_str(ind, "pattern_type");
    const char *pattern = ioc_json_str(ind, "pattern");
    if (json_is_true(json_object_get(ind, "revoked")))
        return fh_ioc_set_skip(imp->set, "STIX indicator is revoked");
    if (pattern_type != NULL && strcmp(pattern_type, "stix") != 0)
        return skip_term(imp, "STIX pattern_type '%s' is not a STIX pattern", pattern_type);
    const char *id = ioc_json_str(ind, "id");
    imp->locate_key = id;
    if (pattern == NULL) {
        fh_status st = ioc_reject(imp, 0, id != NULL ? id : "", id != NULL ? strlen(id) : 0,
                                  "STIX indicator has no pattern");
        imp->locate_key = NULL;
        return st;
    }

    fh_indicator meta;
    fh_indicator_init(&meta);
    char why[160] = "";
    fh_status st = stix_meta(imp, ind, indicates, by_id, &meta, why, sizeof why);
    if (st == FH_ERR_INVALID)
        st = ioc_reject(imp, 0, pattern, strlen(pattern), why);
    else if (st == FH_OK)
        st = stix_pattern(imp, pattern, &meta);
    imp->locate_key = NULL;
    fh_indicator_clear(&meta);
    if (st == FH_ERR_NOMEM)
        return fh_error_set(imp->err, st, imp->name, 0, 0, "out of memory");
    return st;
}

/* Maps each object id to its object so that references resolve without a scan. */
static bool index_by_id(json_t *objects, json_t *by_id)
{
    size_t i;
    json_t *obj;
    json_array_foreach(objects, i, obj)
    {
        const char *id = ioc_json_str(obj, "id");
        if (id != NULL && json_object_set(by_id, id, obj) != 0)
            return false;
    }
    return true;
}

/* Maps each indicator id to the ids its "indicates" relationships point at. */
static bool index_indicates(json_t *objects, json_t *indicates)
{
    size_t i;
    json_t *obj;
    json_array_foreach(objects, i, obj)
    {
        const char *type = ioc_json_str(obj, "type");
        const char *rel = ioc_json_str(obj, "relationship_type");
        const char *src = ioc_json_str(obj, "source_ref");
        json_t *dst = json_object_get(obj, "target_ref");
        if (type == NULL || strcmp(type, "relationship") != 0 || rel == NULL ||
            strcmp(rel, "indicates") != 0 || src == NULL || !json_is_string(dst))
            continue;
        json_t *list = json_object_get(indicates, src);
        if (list == NULL) {
            list = json_array();
            if (json_object_set_new(indicates, src, list) != 0)
                return false;
        }
        if (json_array_append(list, dst) != 0)
            return false;
    }
    return true;
}

fh_status ioc_stix(ioc_import *imp, json_t *root)
{
    json_t *objects = json_object_get(root, "objects");
    json_t *single = NULL;
    if (!json_is_array(objects)) {
        const char *type = ioc_json_str(root, "type");
        if (type == NULL || strcmp(type, "indicator") != 0)
            return fh_error_set(imp->err, FH_ERR_PARSE, imp->name, 1, 1,
                                "STIX document has no \"objects\" array and is not an indicator");
        single = json_array();
        if (single == NULL || json_array_append(single, root) != 0) {
            json_decref(single);
            return fh_error_set(imp->err, FH_ERR_NOMEM, imp->name, 0, 0, "out of memory");
        }
        objects = single;
    }

    json_t *by_id = json_object();
    json_t *indicates = json_object();
    fh_status st = FH_OK;
    if (by_id == NULL || indicates == NULL || !index_by_id(objects, by_id) ||
        !index_indicates(objects, indicates))
        st = fh_error_set(imp->err, FH_ERR_NOMEM, imp->name, 0, 0, "out of memory");
    size_t i;
    json_t *obj;
    json_array_foreach(objects, i, obj)
    {
        const char *type = ioc_json_str(obj, "type");
        if (st != FH_OK)
            break;
        if (type != NULL && strcmp(type, "indicator") == 0)
            st = stix_indicator(imp, obj, indicates, by_id);
    }
    json_decref(indicates);
    json_decref(by_id);
    json_decref(single);
    return st;
}
