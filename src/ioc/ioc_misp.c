/*
 * MISP event importer. Accepts one event ({"Event":{...}} or the bare event object), a list
 * of events, and the restSearch wrappers {"response":[{"Event":...}]} and
 * {"response":{"Attribute":[...]}}. Indicators come from Event.Attribute and from
 * Event.Object[].Attribute, where an ip-port object pairs its ip attributes with its
 * dst-port.
 *
 * Attributes of types foxhound does not hunt (filename, regkey, link, text, ...), deleted
 * attributes and attributes with to_ids false (context, not meant for detection) are counted
 * as skipped with the reason. The event title becomes the description, the event tags and
 * the attribute tags become tags, the event date is the first seen time unless the attribute
 * has its own first_seen, and the category becomes the threat type.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "foxhound/limits.h"
#include "ioc/ioc_internal.h"

/* How a MISP attribute type maps to foxhound indicators. */
typedef enum misp_kind {
    MISP_ADDRESS,      /* ip-dst, ip-src: IP or CIDR */
    MISP_ADDRESS_PORT, /* ip-dst|port, ip-src|port */
    MISP_DOMAIN,       /* domain, hostname */
    MISP_DOMAIN_PORT,  /* hostname|port: the name alone, because a domain carries no port */
    MISP_DOMAIN_IP,    /* domain|ip: both parts */
    MISP_URL,
    MISP_HASH,          /* md5, sha1, sha256 */
    MISP_FILENAME_HASH, /* filename|md5 and the like: the hash part */
    MISP_PORT,          /* port: only meaningful inside an ip-port object */
} misp_kind;

static const struct {
    const char *type;
    misp_kind kind;
    fh_ioc_type ioc;
} misp_types[] = {
    {"ip-dst", MISP_ADDRESS, FH_IOC_IPV4},
    {"ip-src", MISP_ADDRESS, FH_IOC_IPV4},
    {"ip-dst|port", MISP_ADDRESS_PORT, FH_IOC_IP_PORT},
    {"ip-src|port", MISP_ADDRESS_PORT, FH_IOC_IP_PORT},
    {"domain", MISP_DOMAIN, FH_IOC_DOMAIN},
    {"hostname", MISP_DOMAIN, FH_IOC_DOMAIN},
    {"hostname|port", MISP_DOMAIN_PORT, FH_IOC_DOMAIN},
    {"domain|ip", MISP_DOMAIN_IP, FH_IOC_DOMAIN},
    {"url", MISP_URL, FH_IOC_URL},
    {"md5", MISP_HASH, FH_IOC_MD5},
    {"sha1", MISP_HASH, FH_IOC_SHA1},
    {"sha256", MISP_HASH, FH_IOC_SHA256},
    {"filename|md5", MISP_FILENAME_HASH, FH_IOC_MD5},
    {"filename|sha1", MISP_FILENAME_HASH, FH_IOC_SHA1},
    {"filename|sha256", MISP_FILENAME_HASH, FH_IOC_SHA256},
    {"port", MISP_PORT, FH_IOC_IP_PORT},
};

/* Galaxies whose cluster names are malware families. */
static const char *const family_galaxies[] = {
    "misp-galaxy:malpedia=\"", "misp-galaxy:mitre-malware=\"", "misp-galaxy:ransomware=\"",
    "misp-galaxy:banker=\"",   "misp-galaxy:rat=\"",           "misp-galaxy:stealer=\"",
    "misp-galaxy:backdoor=\"", "misp-galaxy:botnet=\"",        "misp-galaxy:tool=\"",
};

static bool misp_type(const char *type, misp_kind *kind, fh_ioc_type *ioc)
{
    for (size_t i = 0; i < sizeof misp_types / sizeof misp_types[0]; i++) {
        if (strcmp(misp_types[i].type, type) == 0) {
            *kind = misp_types[i].kind;
            *ioc = misp_types[i].ioc;
            return true;
        }
    }
    return false;
}

static fh_status add_tags(ioc_import *imp, json_t *owner, fh_indicator *meta)
{
    size_t i;
    json_t *tag;
    json_array_foreach(json_object_get(owner, "Tag"), i, tag)
    {
        const char *name = ioc_json_str(tag, "name");
        if (name == NULL)
            continue;
        fh_status st = ioc_list_status(imp, ioc_add_tag(meta, name, strlen(name)));
        if (st != FH_OK)
            return st;
    }
    return FH_OK;
}

/* Returns the cluster name when tag is a malware galaxy tag ("misp-galaxy:banker=\"Qakbot\""). */
static bool galaxy_family(const char *tag, const char **name, size_t *len)
{
    for (size_t i = 0; i < sizeof family_galaxies / sizeof family_galaxies[0]; i++) {
        size_t n = strlen(family_galaxies[i]);
        if (strncmp(tag, family_galaxies[i], n) != 0)
            continue;
        const char *end = strrchr(tag + n, '"');
        if (end == NULL)
            return false;
        *name = tag + n;
        *len = (size_t)(end - *name);
        return true;
    }
    return false;
}

/*
 * Sets the family when the event names exactly one malware galaxy cluster. With several
 * (an actor report naming its whole toolset) no single family applies to every attribute,
 * and the galaxy tags stay visible as tags.
 */
static fh_status event_family(fh_indicator *meta)
{
    const char *found = NULL;
    size_t found_len = 0;
    for (size_t i = 0; i < meta->ntags; i++) {
        const char *name;
        size_t len;
        if (!galaxy_family(meta->tags[i], &name, &len))
            continue;
        if (found != NULL && (len != found_len || strncmp(name, found, len) != 0))
            return FH_OK;
        found = name;
        found_len = len;
    }
    return found == NULL ? FH_OK : ioc_set_text(&meta->family, found, found_len);
}

/* The first "link" attribute is the report the event was built from. */
static const char *event_link(json_t *event)
{
    size_t i;
    json_t *attr;
    json_array_foreach(json_object_get(event, "Attribute"), i, attr)
    {
        const char *type = ioc_json_str(attr, "type");
        if (type != NULL && strcmp(type, "link") == 0)
            return ioc_json_str(attr, "value");
    }
    return NULL;
}

static fh_status event_meta(ioc_import *imp, json_t *event, fh_indicator *meta)
{
    const char *date = ioc_json_str(event, "date");
    const char *org = ioc_json_str(json_object_get(event, "Orgc"), "name");
    const char *link = event_link(event);
    fh_status st = ioc_set_text(&meta->source_feed, "misp", 4);
    if (st == FH_OK)
        st = ioc_json_text(event, "info", &meta->description);
    if (st == FH_OK && org != NULL)
        st = ioc_set_text(&meta->reporter, org, strlen(org));
    if (st == FH_OK && link != NULL)
        st = ioc_set_text(&meta->reference, link, strlen(link));
    if (st == FH_OK)
        st = add_tags(imp, event, meta);
    if (st == FH_OK)
        st = event_family(meta);
    if (st == FH_OK && date != NULL && !ioc_parse_time(date, strlen(date), &meta->first_seen))
        meta->first_seen = FH_TIME_UNKNOWN; /* NOTE: an unreadable event date is dropped */
    return st;
}

/* Copies the event context and adds the attribute's own fields. */
static fh_status attribute_meta(ioc_import *imp, json_t *attr, const fh_indicator *event,
                                fh_indicator *meta, char *why, size_t whysz)
{
    fh_status st = fh_indicator_copy(meta, event, imp->err);
    if (st == FH_OK)
        st = ioc_json_text(attr, "uuid", &meta->source_id);
    if (st == FH_OK)
        st = ioc_json_text(attr, "category", &meta->threat_type);
    if (st == FH_OK)
        st = add_tags(imp, attr, meta);
    if (st != FH_OK)
        return st;

    const char *first = ioc_json_str(attr, "first_seen");
    const char *last = ioc_json_str(attr, "last_seen");
    if (first != NULL && !ioc_parse_time(first, strlen(first), &meta->first_seen)) {
        snprintf(why, whysz, "first_seen '%.40s' is not a timestamp", first);
        return FH_ERR_INVALID;
    }
    if (last != NULL && !ioc_parse_time(last, strlen(last), &meta->last_seen)) {
        snprintf(why, whysz, "last_seen '%.40s' is not a timestamp", last);
        return FH_ERR_INVALID;
    }
    return FH_OK;
}

/* Writes "ADDR:PORT", or "[ADDR]:PORT" for IPv6, into buf. */
static void join_address_port(char *buf, size_t size, const char *addr, size_t addr_len,
                              const char *port)
{
    bool v6 = memchr(addr, ':', addr_len) != NULL;
    snprintf(buf, size, v6 ? "[%.*s]:%s" : "%.*s:%s", (int)addr_len, addr, port);
}

/* Emits the indicators of one attribute value by kind. port is an ip-port object's port. */
static fh_status emit_value(ioc_import *imp, misp_kind kind, fh_ioc_type ioc, const char *value,
                            const char *port, const fh_indicator *meta)
{
    size_t n = strlen(value);
    const char *bar = strchr(value, '|');
    size_t head = bar != NULL ? (size_t)(bar - value) : n;
    char text[FH_MAX_INDICATOR_BYTES];

    switch (kind) {
    case MISP_ADDRESS:
        if (port == NULL)
            return ioc_emit(imp, 0, FH_IOC_IPV4, value, n, meta, NULL);
        join_address_port(text, sizeof text, value, n, port);
        return ioc_emit(imp, 0, FH_IOC_IP_PORT, text, strlen(text), meta, NULL);
    case MISP_ADDRESS_PORT:
        if (bar == NULL)
            return ioc_emit(imp, 0, FH_IOC_IPV4, value, n, meta, NULL);
        join_address_port(text, sizeof text, value, head, bar + 1);
        return ioc_emit(imp, 0, FH_IOC_IP_PORT, text, strlen(text), meta, NULL);
    case MISP_DOMAIN_PORT:
    case MISP_DOMAIN:
        return ioc_emit(imp, 0, FH_IOC_DOMAIN, value, head, meta, NULL);
    case MISP_DOMAIN_IP: {
        fh_status st = ioc_emit(imp, 0, FH_IOC_DOMAIN, value, head, meta, NULL);
        if (st == FH_OK && bar != NULL)
            st = ioc_emit(imp, 0, FH_IOC_IPV4, bar + 1, strlen(bar + 1), meta, NULL);
        return st;
    }
    case MISP_FILENAME_HASH:
        /* Windows file names cannot contain '|', so the hash follows the first one. */
        if (bar == NULL)
            return ioc_reject(imp, 0, value, n, "filename|hash value has no '|'");
        return ioc_emit(imp, 0, ioc, bar + 1, strlen(bar + 1), meta, NULL);
    default:
        return ioc_emit(imp, 0, ioc, value, n, meta, NULL);
    }
}

static fh_status skip_type(ioc_import *imp, const char *type)
{
    char reason[128];
    snprintf(reason, sizeof reason, "MISP type '%.60s' is not hunted", type);
    return fh_ioc_set_skip(imp->set, reason);
}

/* Imports one attribute; port is the dst-port of its ip-port object, or NULL. */
static fh_status misp_attribute(ioc_import *imp, json_t *attr, const fh_indicator *event,
                                const char *port)
{
    const char *type = ioc_json_str(attr, "type");
    const char *value = ioc_json_str(attr, "value");
    misp_kind kind;
    fh_ioc_type ioc;
    if (type == NULL || value == NULL)
        return fh_ioc_set_skip(imp->set, "MISP attribute without a type or value");
    if (json_is_true(json_object_get(attr, "deleted")))
        return fh_ioc_set_skip(imp->set, "MISP attribute is deleted");
    if (!misp_type(type, &kind, &ioc))
        return skip_type(imp, type);
    if (kind == MISP_PORT)
        return port != NULL ? FH_OK : skip_type(imp, type);
    if (json_is_false(json_object_get(attr, "to_ids")))
        return fh_ioc_set_skip(imp->set, "MISP attribute has to_ids false (context, not for "
                                         "detection)");

    fh_indicator meta;
    fh_indicator_init(&meta);
    char why[160] = "";
    imp->locate_key = ioc_json_str(attr, "uuid");
    fh_status st = attribute_meta(imp, attr, event, &meta, why, sizeof why);
    if (st == FH_ERR_INVALID)
        st = ioc_reject(imp, 0, value, strlen(value), why);
    else if (st == FH_OK)
        st = emit_value(imp, kind, ioc, value, port, &meta);
    imp->locate_key = NULL;
    fh_indicator_clear(&meta);
    return st;
}

/* Returns the value of the object's port attribute when the object is an ip-port object. */
static const char *object_port(json_t *object)
{
    const char *name = ioc_json_str(object, "name");
    if (name == NULL || strcmp(name, "ip-port") != 0)
        return NULL;
    size_t i;
    json_t *attr;
    json_array_foreach(json_object_get(object, "Attribute"), i, attr)
    {
        const char *relation = ioc_json_str(attr, "object_relation");
        if (relation != NULL && strcmp(relation, "dst-port") == 0 &&
            !json_is_true(json_object_get(attr, "deleted")))
            return ioc_json_str(attr, "value");
    }
    return NULL;
}

static fh_status attribute_list(ioc_import *imp, json_t *list, const fh_indicator *event,
                                const char *port)
{
    size_t i;
    json_t *attr;
    json_array_foreach(list, i, attr)
    {
        fh_status st = misp_attribute(imp, attr, event, port);
        if (st != FH_OK)
            return st;
    }
    return FH_OK;
}

static fh_status misp_event(ioc_import *imp, json_t *event)
{
    if (json_is_object(json_object_get(event, "Event")))
        event = json_object_get(event, "Event");

    fh_indicator meta;
    fh_indicator_init(&meta);
    fh_status st = event_meta(imp, event, &meta);
    if (st == FH_OK)
        st = attribute_list(imp, json_object_get(event, "Attribute"), &meta, NULL);

    size_t i;
    json_t *object;
    json_array_foreach(json_object_get(event, "Object"), i, object)
    {
        if (st != FH_OK)
            break;
        if (json_is_true(json_object_get(object, "deleted")))
            st = fh_ioc_set_skip(imp->set, "MISP object is deleted");
        else
            st = attribute_list(imp, json_object_get(object, "Attribute"), &meta,
                                object_port(object));
    }
    fh_indicator_clear(&meta);
    if (st == FH_ERR_NOMEM)
        return fh_error_set(imp->err, st, imp->name, 0, 0, "out of memory");
    return st;
}

static fh_status event_list(ioc_import *imp, json_t *list)
{
    size_t i;
    json_t *event;
    json_array_foreach(list, i, event)
    {
        fh_status st = misp_event(imp, event);
        if (st != FH_OK)
            return st;
    }
    return FH_OK;
}

fh_status ioc_misp(ioc_import *imp, json_t *root)
{
    if (json_is_array(root))
        return event_list(imp, root);
    json_t *response = json_object_get(root, "response");
    if (json_is_array(response))
        return event_list(imp, response);
    if (json_is_object(response)) {
        /* An attribute search result: attributes without their events. */
        fh_indicator meta;
        fh_indicator_init(&meta);
        fh_status st = ioc_set_text(&meta.source_feed, "misp", 4);
        if (st == FH_OK)
            st = attribute_list(imp, json_object_get(response, "Attribute"), &meta, NULL);
        fh_indicator_clear(&meta);
        return st;
    }
    if (!json_is_object(root))
        return fh_error_set(imp->err, FH_ERR_PARSE, imp->name, 1, 1,
                            "MISP document must be an event object or a list of events");
    return misp_event(imp, root);
}
