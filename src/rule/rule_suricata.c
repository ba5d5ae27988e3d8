/*
 * The suricata format: a rules file for Suricata 7 or later, and the files its rules load.
 *
 *   ip:port   alert tcp any any -> ADDR PORT
 *   address   alert ip any any -> ADDR any (CIDRs the same way)
 *   domain    dns.query, tls.sni and http.host, each with dotprefix and endswith so that
 *             the domain and its subdomains match and "notevil.com" does not
 *   URL       http.host exact and http.uri starting with the path and query; only http://
 *             URLs, because Suricata cannot see the path of an https:// request
 *   hash      filesha256, filesha1 or filemd5 with a list file, on HTTP file transfers
 *             (Suricata hashes files only when file extraction is set up to do so)
 *
 * When there are more domains than the dataset threshold, they go to a dataset file of base64
 * strings (the dataset "string" type) matched exactly by `dataset:isset` on dns.query and
 * tls.sni after to_lowercase, in place of three rules per domain.
 *
 * A SID is sid_base plus a hash of the rule's kind and value within FH_RULE_SID_SPAN, moved
 * to the next free number on a collision, so an indicator keeps its SID when others are added
 * or removed (unless it collided). rev is always 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "foxhound/limits.h"
#include "rule/rule_internal.h"
#include "rule/rule_lists.h"

typedef struct sid_table {
    uint32_t *used; /* open addressing set of offsets + 1 */
    size_t cap;
    size_t count;
} sid_table;

typedef struct suricata_writer {
    const rule_context *ctx;
    fh_strbuf rules;
    sid_table sids;
    fh_rule_output *out;
    size_t nrules;
} suricata_writer;

static uint64_t fnv1a(const char *a, const char *b)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (const char *s = a; *s != '\0'; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
    h = (h ^ '|') * 0x100000001b3ULL;
    for (const char *s = b; *s != '\0'; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
    return h;
}

static bool sid_used(const sid_table *t, uint32_t offset)
{
    size_t i = offset & (t->cap - 1);
    while (t->used[i] != 0) {
        if (t->used[i] == offset + 1)
            return true;
        i = (i + 1) & (t->cap - 1);
    }
    return false;
}

static void sid_insert(sid_table *t, uint32_t offset)
{
    size_t i = offset & (t->cap - 1);
    while (t->used[i] != 0)
        i = (i + 1) & (t->cap - 1);
    t->used[i] = offset + 1;
    t->count++;
}

static fh_status sid_next(suricata_writer *w, const char *kind, const char *value, uint32_t *sid,
                          fh_error *err)
{
    if (w->nrules >= FH_RULE_MAX_RULES)
        return fh_error_set(err, FH_ERR_LIMIT, NULL, 0, 0,
                            "the indicators need more than %d Suricata rules; select fewer "
                            "with --type, --min-confidence or --since",
                            FH_RULE_MAX_RULES);
    uint32_t offset = (uint32_t)(fnv1a(kind, value) % FH_RULE_SID_SPAN);
    while (sid_used(&w->sids, offset))
        offset = (offset + 1) % FH_RULE_SID_SPAN;
    sid_insert(&w->sids, offset);
    *sid = w->ctx->options->sid_base + offset;
    w->nrules++;
    return FH_OK;
}

/* Appends text for inside a quoted msg: '"', ';' and '\' escaped with a backslash. */
static void put_msg_text(fh_strbuf *sb, const char *text)
{
    for (const char *c = text; *c != '\0'; c++) {
        if (*c == '"' || *c == ';' || *c == '\\')
            fh_strbuf_puts(sb, "\\");
        if ((unsigned char)*c >= 0x20 && *c != 0x7f)
            fh_strbuf_append(sb, c, 1);
    }
}

/* Appends a content pattern: printable bytes as they are, '"', ';', '\', '|' and every
 * non-printable byte as |XX| hex. */
static void put_content(fh_strbuf *sb, const char *text)
{
    fh_strbuf_puts(sb, "content:\"");
    for (const unsigned char *c = (const unsigned char *)text; *c != '\0'; c++) {
        if (*c == '"' || *c == ';' || *c == '\\' || *c == '|' || *c < 0x20 || *c >= 0x7f)
            fh_strbuf_printf(sb, "|%02X|", *c);
        else
            fh_strbuf_append(sb, (const char *)c, 1);
    }
    fh_strbuf_puts(sb, "\";");
}

/* The indicator's first ThreatFox reference, for the reference option. */
static const fh_indicator *find_indicator(const rule_context *ctx, fh_ioc_type type,
                                          const char *value)
{
    return fh_ioc_set_find(ctx->iocs, type, value);
}

/*
 * reference:url,... from the indicator's ThreatFox id, else from its https:// reference when
 * that has no character the option cannot hold.
 */
static void put_reference(fh_strbuf *sb, const fh_indicator *ioc)
{
    if (ioc == NULL)
        return;
    if (ioc->source_feed != NULL && strcmp(ioc->source_feed, "threatfox") == 0 &&
        ioc->source_id != NULL && ioc->source_id[strspn(ioc->source_id, "0123456789")] == '\0')
        fh_strbuf_printf(sb, " reference:url,threatfox.abuse.ch/ioc/%s/;", ioc->source_id);
    else if (ioc->reference != NULL && strncmp(ioc->reference, "https://", 8) == 0 &&
             strpbrk(ioc->reference, ";\" \\") == NULL)
        fh_strbuf_printf(sb, " reference:url,%s;", ioc->reference + 8);
}

/* msg, reference, classtype, metadata, sid and rev: the options every rule ends with. */
static fh_status put_tail(suricata_writer *w, const char *kind, const char *what,
                          const fh_indicator *ioc, fh_error *err)
{
    fh_strbuf *sb = &w->rules;
    uint32_t sid = 0;
    fh_status st = sid_next(w, kind, what, &sid, err);
    if (st != FH_OK)
        return st;

    put_reference(sb, ioc);
    fh_strbuf_puts(sb, " classtype:trojan-activity; metadata:");
    fh_strbuf_puts(sb, "generator foxhound");
    if (ioc != NULL && ioc->threat_type != NULL && strpbrk(ioc->threat_type, ",;\"") == NULL)
        fh_strbuf_printf(sb, ", threat_type %s", ioc->threat_type);
    if (ioc != NULL && ioc->confidence != FH_CONFIDENCE_UNKNOWN)
        fh_strbuf_printf(sb, ", confidence %d", ioc->confidence);
    if (ioc != NULL && ioc->first_seen != FH_TIME_UNKNOWN) {
        char date[16];
        rule_date(ioc->first_seen, date, sizeof date);
        fh_strbuf_printf(sb, ", first_seen %s", date);
    }
    fh_strbuf_printf(sb, "; sid:%u; rev:1;)\n", sid);
    return FH_OK;
}

static void put_head(suricata_writer *w, const char *header, const char *what)
{
    fh_strbuf_printf(&w->rules, "alert %s (msg:\"", header);
    put_msg_text(&w->rules, w->ctx->facts.title);
    fh_strbuf_puts(&w->rules, " ");
    put_msg_text(&w->rules, what);
    fh_strbuf_puts(&w->rules, "\";");
}

static fh_status write_address_ports(suricata_writer *w, fh_error *err)
{
    const fh_ioc_set *iocs = w->ctx->iocs;
    for (size_t i = 0; i < iocs->count; i++) {
        const fh_indicator *ioc = &iocs->items[i];
        if (ioc->type != FH_IOC_IP_PORT)
            continue;
        char header[160], what[160];
        bool v6 = strchr(ioc->address, ':') != NULL;
        snprintf(header, sizeof header, "tcp any any -> %s%s%s %d", v6 ? "[" : "", ioc->address,
                 v6 ? "]" : "", ioc->port);
        snprintf(what, sizeof what, "ip:port %s", ioc->value);
        put_head(w, header, what);
        fh_strbuf_puts(&w->rules, " flow:to_server;");
        fh_status st = put_tail(w, "ip:port", ioc->value, ioc, err);
        if (st != FH_OK)
            return st;
    }
    return FH_OK;
}

static fh_status write_addresses(suricata_writer *w, fh_ioc_type type, fh_error *err)
{
    const fh_ioc_set *iocs = w->ctx->iocs;
    for (size_t i = 0; i < iocs->count; i++) {
        const fh_indicator *ioc = &iocs->items[i];
        if (ioc->type != type)
            continue;
        char header[160], what[160];
        bool v6 = strchr(ioc->value, ':') != NULL;
        snprintf(header, sizeof header, "ip any any -> %s%s%s any", v6 ? "[" : "", ioc->value,
                 v6 ? "]" : "");
        snprintf(what, sizeof what, "address %s", ioc->value);
        put_head(w, header, what);
        fh_status st = put_tail(w, fh_ioc_type_name(type), ioc->value, ioc, err);
        if (st != FH_OK)
            return st;
    }
    return FH_OK;
}

static fh_status write_domain_rules(suricata_writer *w, const rule_list *domains, fh_error *err)
{
    static const struct {
        const char *proto, *buffer, *label;
        bool nocase; /* http.host is lowercase already, and Suricata rejects nocase on it */
    } sensors[] = {{"dns", "dns.query", "DNS query", true},
                   {"tls", "tls.sni", "TLS SNI", true},
                   {"http", "http.host", "HTTP Host", false}};
    for (size_t i = 0; i < domains->count; i++) {
        const fh_indicator *ioc = find_indicator(w->ctx, FH_IOC_DOMAIN, domains->items[i]);
        for (size_t s = 0; s < 3; s++) {
            char header[64], what[FH_MAX_INDICATOR_BYTES + 32], pattern[FH_MAX_INDICATOR_BYTES + 2];
            snprintf(header, sizeof header, "%s $HOME_NET any -> any any", sensors[s].proto);
            snprintf(what, sizeof what, "%s %s", sensors[s].label, domains->items[i]);
            snprintf(pattern, sizeof pattern, ".%s", domains->items[i]);
            put_head(w, header, what);
            fh_strbuf_printf(&w->rules, " %s; dotprefix; ", sensors[s].buffer);
            put_content(&w->rules, pattern);
            fh_strbuf_puts(&w->rules, sensors[s].nocase ? " nocase; endswith;" : " endswith;");
            fh_status st = put_tail(w, sensors[s].buffer, domains->items[i], ioc, err);
            if (st != FH_OK)
                return st;
        }
    }
    return FH_OK;
}

static const char base64_digits[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void put_base64(fh_strbuf *sb, const char *text)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t n = strlen(text);
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)s[i] << 16;
        if (i + 1 < n)
            v |= (unsigned)s[i + 1] << 8;
        if (i + 2 < n)
            v |= s[i + 2];
        char quad[4] = {base64_digits[(v >> 18) & 63], base64_digits[(v >> 12) & 63],
                        i + 1 < n ? base64_digits[(v >> 6) & 63] : '=',
                        i + 2 < n ? base64_digits[v & 63] : '='};
        fh_strbuf_append(sb, quad, 4);
    }
}

static fh_status write_domain_dataset(suricata_writer *w, const rule_list *domains, fh_error *err)
{
    char name[160];
    snprintf(name, sizeof name, "%s-domains.lst", w->ctx->facts.slug);
    fh_strbuf data;
    fh_strbuf_init(&data);
    for (size_t i = 0; i < domains->count; i++) {
        put_base64(&data, domains->items[i]);
        fh_strbuf_puts(&data, "\n");
    }
    fh_status st = rule_output_add(w->out, name, &data, err);

    static const char *const sensors[][3] = {{"dns", "dns.query", "DNS query"},
                                             {"tls", "tls.sni", "TLS SNI"}};
    for (size_t s = 0; s < 2 && st == FH_OK; s++) {
        char header[64], what[96];
        snprintf(header, sizeof header, "%s $HOME_NET any -> any any", sensors[s][0]);
        snprintf(what, sizeof what, "%s in the domain dataset", sensors[s][2]);
        put_head(w, header, what);
        fh_strbuf_printf(&w->rules,
                         " %s; to_lowercase; dataset:isset,%s-domains,type string,load %s;",
                         sensors[s][1], w->ctx->facts.slug, name);
        st = put_tail(w, sensors[s][1], name, NULL, err);
    }
    return st;
}

/* Splits an http:// URL into host and the rest ("/" when empty); false for other schemes. */
static bool split_http_url(const char *url, char *host, size_t hsize, const char **path)
{
    if (strncmp(url, "http://", 7) != 0)
        return false;
    const char *h = url + 7;
    size_t n = strcspn(h, "/?#");
    size_t colon = strcspn(h, ":");
    size_t hn = colon < n ? colon : n;
    if (hn == 0 || hn >= hsize || strchr(h, '@') != NULL)
        return false;
    memcpy(host, h, hn);
    host[hn] = '\0';
    *path = h[n] == '\0' ? "/" : h + n;
    return true;
}

static fh_status write_urls(suricata_writer *w, const rule_list *urls, fh_error *err)
{
    size_t skipped = 0;
    for (size_t i = 0; i < urls->count; i++) {
        char host[512];
        const char *path;
        if (!split_http_url(urls->items[i], host, sizeof host, &path)) {
            skipped++;
            continue;
        }
        const fh_indicator *ioc = find_indicator(w->ctx, FH_IOC_URL, urls->items[i]);
        char what[FH_MAX_INDICATOR_BYTES + 8];
        snprintf(what, sizeof what, "URL %s", urls->items[i]);
        put_head(w, "http $HOME_NET any -> any any", what);
        fh_strbuf_puts(&w->rules, " http.host; ");
        put_content(&w->rules, host);
        fh_strbuf_puts(&w->rules, " startswith; endswith; http.uri; ");
        /* The fragment never reaches the server. */
        char uri[FH_MAX_INDICATOR_BYTES];
        snprintf(uri, sizeof uri, "%.*s", (int)strcspn(path, "#"), path);
        put_content(&w->rules, uri[0] != '\0' ? uri : "/");
        fh_strbuf_puts(&w->rules, " startswith;");
        fh_status st = put_tail(w, "url", urls->items[i], ioc, err);
        if (st != FH_OK)
            return st;
    }
    rule_output_leave_out(w->out, skipped,
                          "Suricata sees no host and path of https:// and other non-HTTP URLs");
    return FH_OK;
}

static fh_status write_hash_list(suricata_writer *w, const rule_list *list, const char *keyword,
                                 const char *suffix, fh_error *err)
{
    if (list->count == 0)
        return FH_OK;
    char name[160], what[96];
    snprintf(name, sizeof name, "%s-%s.txt", w->ctx->facts.slug, suffix);
    fh_strbuf data;
    fh_strbuf_init(&data);
    for (size_t i = 0; i < list->count; i++)
        fh_strbuf_printf(&data, "%s\n", list->items[i]);
    fh_status st = rule_output_add(w->out, name, &data, err);
    if (st != FH_OK)
        return st;
    snprintf(what, sizeof what, "file %s in the list of %zu", suffix, list->count);
    put_head(w, "http any any -> any any", what);
    fh_strbuf_printf(&w->rules, " %s:%s;", keyword, name);
    return put_tail(w, keyword, name, NULL, err);
}

static void write_header(suricata_writer *w)
{
    const rule_facts *f = &w->ctx->facts;
    fh_strbuf_printf(&w->rules, "# %s: %zu indicators (", f->title, f->total);
    rule_type_list(f, &w->rules);
    fh_strbuf_puts(&w->rules, ")");
    if (f->first_seen_min != FH_TIME_UNKNOWN) {
        fh_strbuf_puts(&w->rules, ", first seen ");
        rule_first_seen_phrase(f, &w->rules);
    }
    fh_strbuf_puts(&w->rules, ".\n# Needs Suricata 7 or later.");
    if (f->per_type[FH_IOC_MD5] + f->per_type[FH_IOC_SHA1] + f->per_type[FH_IOC_SHA256] > 0)
        fh_strbuf_puts(&w->rules, " The hash rules need Suricata to hash files "
                                  "(see File Extraction in its user guide).");
    fh_strbuf_puts(&w->rules, "\n");
}

static fh_status write_all(suricata_writer *w, const rule_lists *l, fh_error *err)
{
    write_header(w);
    fh_status st = write_address_ports(w, err);
    if (st == FH_OK)
        st = write_addresses(w, FH_IOC_IPV4, err);
    if (st == FH_OK)
        st = write_addresses(w, FH_IOC_IPV6, err);
    if (st == FH_OK)
        st = write_addresses(w, FH_IOC_CIDR, err);
    if (st == FH_OK && l->domains.count > w->ctx->options->dataset_threshold)
        st = write_domain_dataset(w, &l->domains, err);
    else if (st == FH_OK)
        st = write_domain_rules(w, &l->domains, err);
    if (st == FH_OK)
        st = write_urls(w, &l->urls, err);
    if (st == FH_OK)
        st = write_hash_list(w, &l->sha256, "filesha256", "sha256", err);
    if (st == FH_OK)
        st = write_hash_list(w, &l->sha1, "filesha1", "sha1", err);
    if (st == FH_OK)
        st = write_hash_list(w, &l->md5, "filemd5", "md5", err);
    return st;
}

fh_status rule_suricata(rule_context *ctx, fh_rule_output *out, fh_error *err)
{
    if ((uint64_t)ctx->options->sid_base + FH_RULE_SID_SPAN > UINT32_MAX)
        return fh_error_set(err, FH_ERR_USAGE, NULL, 0, 0,
                            "SID base %u leaves no room for %d SIDs below 4294967295",
                            ctx->options->sid_base, FH_RULE_SID_SPAN);

    suricata_writer w = {.ctx = ctx, .out = out};
    fh_strbuf_init(&w.rules);
    w.sids.cap = 1;
    while (w.sids.cap < 2 * (size_t)FH_RULE_MAX_RULES)
        w.sids.cap <<= 1;
    w.sids.used = calloc(w.sids.cap, sizeof *w.sids.used);
    rule_lists lists;
    fh_status st = w.sids.used != NULL ? rule_lists_build(ctx->iocs, &lists, err)
                                       : rule_nomem(err, "Suricata rules");
    if (st == FH_OK) {
        st = write_all(&w, &lists, err);
        rule_lists_free(&lists);
    }
    free(w.sids.used);

    if (st == FH_OK && w.nrules == 0)
        st = fh_error_set(err, FH_ERR_NOT_FOUND, NULL, 0, 0,
                          "no indicator can be written as a Suricata rule");
    if (st != FH_OK) {
        fh_strbuf_free(&w.rules);
        return st;
    }

    /* The rules file goes first: it is the document, the lists it loads follow it. */
    char name[160];
    snprintf(name, sizeof name, "%s.rules", ctx->facts.slug);
    size_t support = out->nfiles;
    st = rule_output_add(out, name, &w.rules, err);
    if (st != FH_OK)
        return st;
    fh_rule_file rules_file = out->files[support];
    memmove(out->files + 1, out->files, support * sizeof *out->files);
    out->files[0] = rules_file;
    out->ndocuments = 1;
    out->rules = w.nrules;
    return FH_OK;
}
