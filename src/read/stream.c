/*
 * Streaming input for the log readers. Raw bytes come from a file descriptor or a memory
 * buffer into a fixed input buffer, and gzip (zlib) or zstd (libzstd) decoders turn them into
 * the bytes that the line splitter reads. Nothing is read whole, so memory stays at one input
 * buffer of STREAM_CHUNK bytes plus the decoder's state, whatever the file size.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "read/stream.h"

#define STREAM_CHUNK (128 * 1024)

/* gzip (RFC 1952) and zstd (RFC 8878) magic numbers. */
static const unsigned char gzip_magic[2] = {0x1f, 0x8b};
static const unsigned char zstd_magic[4] = {0x28, 0xb5, 0x2f, 0xfd};

struct stream {
    char *name;
    int fd;                   /* -1 for a memory stream */
    bool owns_fd;             /* false for standard input */
    const unsigned char *mem; /* memory stream data */
    size_t mem_len, mem_pos;

    unsigned char *in; /* raw (possibly compressed) bytes not yet decoded */
    size_t in_pos, in_len;
    bool raw_eof;
    unsigned long long raw_offset; /* raw bytes consumed before in[0] */

    stream_compression compression;
    z_stream z;
    bool z_ready;
    ZSTD_DStream *zstd;
    bool frame_open; /* a gzip member or zstd frame has started and not ended */
};

const char *stream_compression_name(stream_compression compression)
{
    switch (compression) {
    case STREAM_GZIP:
        return "gzip";
    case STREAM_ZSTD:
        return "zstd";
    default:
        return "plain";
    }
}

stream_compression stream_compression_of(const stream *s)
{
    return s->compression;
}

const char *stream_name(const stream *s)
{
    return s->name;
}

/* Reads more raw bytes into the input buffer once it is used up. Sets raw_eof at the end. */
static fh_status raw_fill(stream *s, fh_error *err)
{
    if (s->in_pos < s->in_len || s->raw_eof)
        return FH_OK;
    s->raw_offset += s->in_len;
    s->in_pos = 0;
    s->in_len = 0;

    if (s->fd < 0) {
        size_t n = s->mem_len - s->mem_pos;
        if (n > STREAM_CHUNK)
            n = STREAM_CHUNK;
        memcpy(s->in, s->mem + s->mem_pos, n);
        s->mem_pos += n;
        s->in_len = n;
        s->raw_eof = n == 0;
        return FH_OK;
    }

    ssize_t n;
    do
        n = read(s->fd, s->in, STREAM_CHUNK);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return fh_error_set(err, FH_ERR_IO, s->name, 0, 0, "reading failed: %s", strerror(errno));
    s->in_len = (size_t)n;
    s->raw_eof = n == 0;
    return FH_OK;
}

/* Makes sure the input buffer starts with at least want bytes, unless the data is shorter. */
static fh_status raw_peek(stream *s, size_t want, fh_error *err)
{
    while (s->in_len < want && !s->raw_eof) {
        size_t room = STREAM_CHUNK - s->in_len;
        ssize_t n;
        if (s->fd < 0) {
            n = (ssize_t)(s->mem_len - s->mem_pos < room ? s->mem_len - s->mem_pos : room);
            memcpy(s->in + s->in_len, s->mem + s->mem_pos, (size_t)n);
            s->mem_pos += (size_t)n;
        } else {
            do
                n = read(s->fd, s->in + s->in_len, room);
            while (n < 0 && errno == EINTR);
            if (n < 0)
                return fh_error_set(err, FH_ERR_IO, s->name, 0, 0, "reading failed: %s",
                                    strerror(errno));
        }
        s->in_len += (size_t)n;
        if (n == 0)
            s->raw_eof = true;
    }
    return FH_OK;
}

static bool starts_with(const stream *s, const unsigned char *magic, size_t len)
{
    return s->in_len >= len && memcmp(s->in, magic, len) == 0;
}

static fh_status start_decoder(stream *s, fh_error *err)
{
    fh_status st = raw_peek(s, sizeof zstd_magic, err);
    if (st != FH_OK)
        return st;

    if (starts_with(s, gzip_magic, sizeof gzip_magic)) {
        s->compression = STREAM_GZIP;
        /* 15 + 16: the largest window, and a gzip header and trailer rather than zlib's. */
        if (inflateInit2(&s->z, 15 + 16) != Z_OK)
            return fh_error_set(err, FH_ERR_NOMEM, s->name, 0, 0,
                                "out of memory starting the gzip decoder");
        s->z_ready = true;
    } else if (starts_with(s, zstd_magic, sizeof zstd_magic)) {
        s->compression = STREAM_ZSTD;
        s->zstd = ZSTD_createDStream();
        if (s->zstd == NULL)
            return fh_error_set(err, FH_ERR_NOMEM, s->name, 0, 0,
                                "out of memory starting the zstd decoder");
    }
    return FH_OK;
}

static fh_status stream_create(const char *name, stream **out, fh_error *err)
{
    stream *s = calloc(1, sizeof *s);
    if (s == NULL)
        return fh_error_set(err, FH_ERR_NOMEM, name, 0, 0, "out of memory opening the input");
    s->fd = -1;
    s->name = strdup(name);
    s->in = malloc(STREAM_CHUNK);
    if (s->name == NULL || s->in == NULL) {
        stream_close(s);
        return fh_error_set(err, FH_ERR_NOMEM, name, 0, 0, "out of memory opening the input");
    }
    *out = s;
    return FH_OK;
}

fh_status stream_open_file(const char *path, stream **out, fh_error *err)
{
    *out = NULL;
    stream *s = NULL;
    fh_status st = stream_create(path, &s, err);
    if (st != FH_OK)
        return st;

    if (strcmp(path, "-") == 0) {
        s->fd = STDIN_FILENO;
    } else {
        s->fd = open(path, O_RDONLY | O_CLOEXEC);
        if (s->fd < 0) {
            st = fh_error_set(err, errno == ENOENT ? FH_ERR_NOT_FOUND : FH_ERR_IO, path, 0, 0,
                              "cannot open the file: %s", strerror(errno));
            goto fail;
        }
        s->owns_fd = true;
    }

    st = start_decoder(s, err);
    if (st != FH_OK)
        goto fail;
    *out = s;
    return FH_OK;

fail:
    stream_close(s);
    return st;
}

fh_status stream_open_memory(const char *name, const void *data, size_t len, stream **out,
                             fh_error *err)
{
    *out = NULL;
    stream *s = NULL;
    fh_status st = stream_create(name, &s, err);
    if (st != FH_OK)
        return st;
    s->mem = data;
    s->mem_len = len;

    st = start_decoder(s, err);
    if (st != FH_OK) {
        stream_close(s);
        return st;
    }
    *out = s;
    return FH_OK;
}

static fh_status read_plain(stream *s, unsigned char *buf, size_t cap, size_t *got, fh_error *err)
{
    if (s->fd >= 0 && s->in_pos == s->in_len && !s->raw_eof) {
        /* Nothing is buffered, so the bytes go straight to the caller without a second copy. */
        ssize_t n;
        do
            n = read(s->fd, buf, cap);
        while (n < 0 && errno == EINTR);
        if (n < 0)
            return fh_error_set(err, FH_ERR_IO, s->name, 0, 0, "reading failed: %s",
                                strerror(errno));
        s->raw_offset += s->in_len + (size_t)n;
        s->in_pos = s->in_len = 0;
        s->raw_eof = n == 0;
        *got = (size_t)n;
        return FH_OK;
    }
    fh_status st = raw_fill(s, err);
    if (st != FH_OK)
        return st;
    size_t n = s->in_len - s->in_pos;
    if (n > cap)
        n = cap;
    memcpy(buf, s->in + s->in_pos, n);
    s->in_pos += n;
    *got = n;
    return FH_OK;
}

/* A new member or frame must begin with its magic; anything else after the first is an error. */
static fh_status check_next_member(stream *s, const unsigned char *magic, size_t len, fh_error *err)
{
    if (s->in_pos + len > s->in_len) {
        /* Move the tail to the front so that raw_peek can complete the magic. */
        size_t tail = s->in_len - s->in_pos;
        memmove(s->in, s->in + s->in_pos, tail);
        s->raw_offset += s->in_pos;
        s->in_pos = 0;
        s->in_len = tail;
        fh_status st = raw_peek(s, len, err);
        if (st != FH_OK)
            return st;
    }
    if (s->in_len - s->in_pos >= len && memcmp(s->in + s->in_pos, magic, len) == 0)
        return FH_OK;
    return fh_error_set(err, FH_ERR_COMPRESS, s->name, 0, 0,
                        "bytes after the end of the %s data at offset %llu are not %s data; "
                        "the file may be damaged",
                        stream_compression_name(s->compression), s->raw_offset + s->in_pos,
                        stream_compression_name(s->compression));
}

/*
 * Makes compressed input available for the decoder. Sets *more to false at a clean end of the
 * data, after the last member or frame. Input that ends inside one is a truncated file.
 */
static fh_status next_compressed(stream *s, const unsigned char *magic, size_t magic_len,
                                 bool *more, fh_error *err)
{
    *more = false;
    fh_status st = raw_fill(s, err);
    if (st != FH_OK)
        return st;
    if (s->in_pos == s->in_len) {
        if (s->frame_open)
            return fh_error_set(err, FH_ERR_COMPRESS, s->name, 0, 0,
                                "the %s data ends early; the file is truncated",
                                stream_compression_name(s->compression));
        return FH_OK;
    }
    if (!s->frame_open) {
        st = check_next_member(s, magic, magic_len, err);
        if (st != FH_OK)
            return st;
        s->frame_open = true;
    }
    *more = true;
    return FH_OK;
}

static fh_status read_gzip(stream *s, unsigned char *buf, size_t cap, size_t *got, fh_error *err)
{
    *got = 0;
    while (*got == 0) {
        bool more;
        fh_status st = next_compressed(s, gzip_magic, sizeof gzip_magic, &more, err);
        if (st != FH_OK || !more)
            return st;

        s->z.next_in = s->in + s->in_pos;
        s->z.avail_in = (uInt)(s->in_len - s->in_pos);
        s->z.next_out = buf;
        s->z.avail_out = (uInt)cap;
        int rc = inflate(&s->z, Z_NO_FLUSH);
        s->in_pos = s->in_len - s->z.avail_in;
        *got = cap - s->z.avail_out;

        if (rc == Z_STREAM_END) {
            s->frame_open = false;
            inflateReset(&s->z);
        } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
            return fh_error_set(err, FH_ERR_COMPRESS, s->name, 0, 0,
                                "the gzip data is corrupt near offset %llu: %s",
                                s->raw_offset + s->in_pos, s->z.msg ? s->z.msg : "inflate failed");
        }
    }
    return FH_OK;
}

static fh_status read_zstd(stream *s, unsigned char *buf, size_t cap, size_t *got, fh_error *err)
{
    *got = 0;
    while (*got == 0) {
        bool more;
        fh_status st = next_compressed(s, zstd_magic, sizeof zstd_magic, &more, err);
        if (st != FH_OK || !more)
            return st;

        ZSTD_inBuffer input = {s->in, s->in_len, s->in_pos};
        ZSTD_outBuffer output = {buf, cap, 0};
        size_t rc = ZSTD_decompressStream(s->zstd, &output, &input);
        s->in_pos = input.pos;
        *got = output.pos;
        if (ZSTD_isError(rc))
            return fh_error_set(err, FH_ERR_COMPRESS, s->name, 0, 0,
                                "the zstd data is corrupt near offset %llu: %s",
                                s->raw_offset + s->in_pos, ZSTD_getErrorName(rc));
        if (rc == 0)
            s->frame_open = false;
    }
    return FH_OK;
}

fh_status stream_read(stream *s, void *buf, size_t cap, size_t *got, fh_error *err)
{
    *got = 0;
    if (cap == 0)
        return FH_OK;
    /* zlib counts in uInt; a smaller request is simply filled less. */
    if (cap > STREAM_CHUNK * 64)
        cap = STREAM_CHUNK * 64;

    switch (s->compression) {
    case STREAM_GZIP:
        return read_gzip(s, buf, cap, got, err);
    case STREAM_ZSTD:
        return read_zstd(s, buf, cap, got, err);
    default:
        return read_plain(s, buf, cap, got, err);
    }
}

void stream_close(stream *s)
{
    if (s == NULL)
        return;
    if (s->z_ready)
        inflateEnd(&s->z);
    ZSTD_freeDStream(s->zstd);
    if (s->owns_fd && s->fd >= 0)
        close(s->fd);
    free(s->in);
    free(s->name);
    free(s);
}
