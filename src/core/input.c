/*
 * Reading a whole input into memory, with gzip (zlib) and zstd undone. Feeds and exports
 * arrive compressed under any name (ThreatFox serves .gz, MISP feeds are often .zst), so the
 * format is taken from the magic bytes: 1f 8b for gzip, 28 b5 2f fd for zstd.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include "core/input.h"
#include "foxhound/limits.h"

#define READ_CHUNK (64 * 1024)

/* A growing output buffer that always keeps room for a NUL and never passes the cap. */
typedef struct out_buf {
    char *data;
    size_t len, cap;
} out_buf;

static fh_status out_reserve(out_buf *out, size_t more, const char *name, fh_error *err)
{
    if (out->len + more > (size_t)FH_MAX_JSON_DOCUMENT_BYTES)
        return fh_error_set(err, FH_ERR_LIMIT, name, 0, 0,
                            "input is larger than %lld bytes (FH_MAX_JSON_DOCUMENT_BYTES) once "
                            "decompressed; split it into smaller files",
                            (long long)FH_MAX_JSON_DOCUMENT_BYTES);
    if (out->len + more + 1 <= out->cap)
        return FH_OK;
    size_t cap = out->cap == 0 ? READ_CHUNK : out->cap;
    while (out->len + more + 1 > cap)
        cap *= 2;
    char *grown = realloc(out->data, cap);
    if (grown == NULL)
        return fh_error_set(err, FH_ERR_NOMEM, name, 0, 0, "out of memory reading the input");
    out->data = grown;
    out->cap = cap;
    return FH_OK;
}

static fh_status read_stream(FILE *fp, const char *name, out_buf *out, fh_error *err)
{
    for (;;) {
        fh_status st = out_reserve(out, READ_CHUNK, name, err);
        if (st != FH_OK)
            return st;
        size_t got = fread(out->data + out->len, 1, READ_CHUNK, fp);
        out->len += got;
        if (got < READ_CHUNK) {
            if (ferror(fp))
                return fh_error_set(err, FH_ERR_IO, name, 0, 0, "reading failed: %s",
                                    strerror(errno));
            return FH_OK;
        }
    }
}

static fh_status gzip_member(z_stream *zs, const char *name, out_buf *out, fh_error *err)
{
    for (;;) {
        fh_status st = out_reserve(out, READ_CHUNK, name, err);
        if (st != FH_OK)
            return st;
        zs->next_out = (Bytef *)out->data + out->len;
        zs->avail_out = READ_CHUNK;
        int rc = inflate(zs, Z_NO_FLUSH);
        out->len += READ_CHUNK - zs->avail_out;
        if (rc == Z_STREAM_END)
            return FH_OK;
        if (rc == Z_BUF_ERROR && zs->avail_in == 0)
            return fh_error_set(err, FH_ERR_COMPRESS, name, 0, 0,
                                "gzip stream is truncated; the file may be incomplete");
        if (rc != Z_OK && rc != Z_BUF_ERROR)
            return fh_error_set(err, FH_ERR_COMPRESS, name, 0, 0, "gzip stream is corrupt: %s",
                                zs->msg != NULL ? zs->msg : "inflate failed");
    }
}

static fh_status gunzip(const char *name, const unsigned char *raw, size_t len, out_buf *out,
                        fh_error *err)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (inflateInit2(&zs, 15 + 16) != Z_OK)
        return fh_error_set(err, FH_ERR_NOMEM, name, 0, 0, "cannot start the gzip decoder");

    fh_status st = FH_OK;
    size_t pos = 0;
    /* Concatenated members (as `cat a.gz b.gz` makes) decode as one stream. */
    while (st == FH_OK && pos < len) {
        size_t chunk = len - pos > UINT32_MAX ? UINT32_MAX : len - pos;
        zs.next_in = (Bytef *)raw + pos;
        zs.avail_in = (uInt)chunk;
        st = gzip_member(&zs, name, out, err);
        pos += chunk - zs.avail_in;
        if (st == FH_OK && pos < len && raw[pos] != 0x1f)
            break; /* trailing padding after the last member */
        inflateReset(&zs);
    }
    inflateEnd(&zs);
    return st;
}

static fh_status unzstd(const char *name, const unsigned char *raw, size_t len, out_buf *out,
                        fh_error *err)
{
    ZSTD_DStream *ds = ZSTD_createDStream();
    if (ds == NULL)
        return fh_error_set(err, FH_ERR_NOMEM, name, 0, 0, "cannot start the zstd decoder");

    ZSTD_inBuffer in = {raw, len, 0};
    fh_status st = FH_OK;
    size_t rc = 1;
    while (st == FH_OK && (in.pos < in.size || rc != 0)) {
        st = out_reserve(out, READ_CHUNK, name, err);
        if (st != FH_OK)
            break;
        ZSTD_outBuffer ob = {out->data + out->len, READ_CHUNK, 0};
        size_t before = in.pos;
        rc = ZSTD_decompressStream(ds, &ob, &in);
        out->len += ob.pos;
        if (ZSTD_isError(rc)) {
            st = fh_error_set(err, FH_ERR_COMPRESS, name, 0, 0, "zstd stream is corrupt: %s",
                              ZSTD_getErrorName(rc));
        } else if (rc != 0 && in.pos == in.size && before == in.pos && ob.pos == 0) {
            st = fh_error_set(err, FH_ERR_COMPRESS, name, 0, 0,
                              "zstd stream is truncated; the file may be incomplete");
        }
    }
    ZSTD_freeDStream(ds);
    return st;
}

static bool is_compressed(const unsigned char *u, size_t len)
{
    return (len >= 2 && u[0] == 0x1f && u[1] == 0x8b) ||
           (len >= 4 && u[0] == 0x28 && u[1] == 0xb5 && u[2] == 0x2f && u[3] == 0xfd);
}

fh_status fh_input_decode(const char *name, const char *raw, size_t raw_len, char **data,
                          size_t *len, fh_error *err)
{
    const unsigned char *u = (const unsigned char *)raw;
    out_buf out = {0};
    fh_status st;

    if (raw_len >= 2 && u[0] == 0x1f && u[1] == 0x8b) {
        st = gunzip(name, u, raw_len, &out, err);
    } else if (raw_len >= 4 && u[0] == 0x28 && u[1] == 0xb5 && u[2] == 0x2f && u[3] == 0xfd) {
        st = unzstd(name, u, raw_len, &out, err);
    } else {
        st = out_reserve(&out, raw_len, name, err);
        if (st == FH_OK && raw_len > 0) {
            memcpy(out.data, raw, raw_len);
            out.len = raw_len;
        }
    }
    if (st == FH_OK && out.data == NULL)
        st = out_reserve(&out, 0, name, err);
    if (st != FH_OK) {
        free(out.data);
        return st;
    }
    out.data[out.len] = '\0';
    *data = out.data;
    *len = out.len;
    return FH_OK;
}

fh_status fh_input_read_all(const char *path, char **data, size_t *len, fh_error *err)
{
    bool is_stdin = strcmp(path, "-") == 0;
    FILE *fp = is_stdin ? stdin : fopen(path, "rb");
    if (fp == NULL)
        return fh_error_set(err, errno == ENOENT ? FH_ERR_NOT_FOUND : FH_ERR_IO, path, 0, 0,
                            "cannot open the file: %s", strerror(errno));

    out_buf raw = {0};
    fh_status st = read_stream(fp, path, &raw, err);
    if (!is_stdin)
        fclose(fp);
    if (st != FH_OK) {
        free(raw.data);
        return st;
    }

    if (is_compressed((const unsigned char *)raw.data, raw.len)) {
        st = fh_input_decode(path, raw.data, raw.len, data, len, err);
        free(raw.data);
        return st;
    }
    /* Plain input is handed over as read; read_stream always leaves room for the NUL. */
    raw.data[raw.len] = '\0';
    *data = raw.data;
    *len = raw.len;
    return FH_OK;
}
