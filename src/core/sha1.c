/*
 * SHA-1 and version 5 UUIDs. foxhound uses them to give exported objects ids that stay the
 * same from one run to the next; SHA-1 is not used where collision resistance matters.
 */
#include <stdio.h>
#include <string.h>

#include "core/sha1.h"

static uint32_t rotl(uint32_t x, int n)
{
    return (x << n) | (x >> (32 - n));
}

static uint32_t load_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The round function and constant for round t (FIPS 180-4 section 4.1.1 and 4.2.1). */
static uint32_t round_mix(int t, uint32_t b, uint32_t c, uint32_t d)
{
    if (t < 20)
        return ((b & c) | (~b & d)) + 0x5a827999u;
    if (t < 40)
        return (b ^ c ^ d) + 0x6ed9eba1u;
    if (t < 60)
        return ((b & c) | (b & d) | (c & d)) + 0x8f1bbcdcu;
    return (b ^ c ^ d) + 0xca62c1d6u;
}

static void compress(uint32_t state[5], const uint8_t block[64])
{
    uint32_t w[80];
    for (int t = 0; t < 16; t++)
        w[t] = load_be32(block + 4 * t);
    for (int t = 16; t < 80; t++)
        w[t] = rotl(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1);

    uint32_t a = state[0], b = state[1], c = state[2], d = state[3], e = state[4];
    for (int t = 0; t < 80; t++) {
        uint32_t temp = rotl(a, 5) + round_mix(t, b, c, d) + e + w[t];
        e = d;
        d = c;
        c = rotl(b, 30);
        b = a;
        a = temp;
    }
    state[0] += a;
    state[1] += b;
    state[2] += c;
    state[3] += d;
    state[4] += e;
}

void fh_sha1_init(fh_sha1 *ctx)
{
    static const uint32_t initial[5] = {0x67452301u, 0xefcdab89u, 0x98badcfeu, 0x10325476u,
                                        0xc3d2e1f0u};
    memcpy(ctx->state, initial, sizeof initial);
    ctx->total_bytes = 0;
    ctx->block_used = 0;
}

void fh_sha1_update(fh_sha1 *ctx, const void *data, size_t len)
{
    const uint8_t *p = data;
    ctx->total_bytes += len;
    while (len > 0) {
        size_t take = sizeof ctx->block - ctx->block_used;
        if (take > len)
            take = len;
        memcpy(ctx->block + ctx->block_used, p, take);
        ctx->block_used += take;
        p += take;
        len -= take;
        if (ctx->block_used == sizeof ctx->block) {
            compress(ctx->state, ctx->block);
            ctx->block_used = 0;
        }
    }
}

void fh_sha1_final(fh_sha1 *ctx, uint8_t digest[FH_SHA1_DIGEST_BYTES])
{
    uint64_t bits = ctx->total_bytes * 8;
    uint8_t pad = 0x80;
    fh_sha1_update(ctx, &pad, 1);
    pad = 0;
    while (ctx->block_used != 56)
        fh_sha1_update(ctx, &pad, 1);

    uint8_t length[8];
    for (int i = 0; i < 8; i++)
        length[i] = (uint8_t)(bits >> (56 - 8 * i));
    fh_sha1_update(ctx, length, sizeof length);

    for (int i = 0; i < 5; i++) {
        digest[4 * i] = (uint8_t)(ctx->state[i] >> 24);
        digest[4 * i + 1] = (uint8_t)(ctx->state[i] >> 16);
        digest[4 * i + 2] = (uint8_t)(ctx->state[i] >> 8);
        digest[4 * i + 3] = (uint8_t)ctx->state[i];
    }
}

void fh_uuid_v5_finish(fh_sha1 *ctx, char out[37])
{
    uint8_t digest[FH_SHA1_DIGEST_BYTES];
    fh_sha1_final(ctx, digest);

    /* RFC 4122 section 4.3: version 5 in the high nibble of byte 6, variant 10 in byte 8. */
    digest[6] = (uint8_t)((digest[6] & 0x0f) | 0x50);
    digest[8] = (uint8_t)((digest[8] & 0x3f) | 0x80);

    char *p = out;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            *p++ = '-';
        p += sprintf(p, "%02x", digest[i]);
    }
}

void fh_uuid_v5(const uint8_t namespace_id[16], const char *name, size_t len, char out[37])
{
    fh_sha1 ctx;
    fh_sha1_init(&ctx);
    fh_sha1_update(&ctx, namespace_id, 16);
    fh_sha1_update(&ctx, name, len);
    fh_uuid_v5_finish(&ctx, out);
}
