/*
 * Hash functions: hash() (xxHash64, which Kusto's documentation names), hash_md5(),
 * hash_sha1() and hash_sha256() (lowercase hex digests). The digests are implemented here
 * from their specifications (RFC 1321, FIPS 180-4, the xxHash spec) because OpenSSL is not a
 * dependency. Non-string inputs are hashed as their tostring() text.
 *
 * NOTE: Kusto hashes a non-string value's internal bytes, so hash(datetime(...)) here differs
 * from Kusto's; string inputs match.
 */
#include <string.h>

#include "kql/kql_func_impl.h"

static uint32_t rotl32(uint32_t x, int n)
{
    return (x << n) | (x >> (32 - n));
}

static uint32_t rotr32(uint32_t x, int n)
{
    return (x >> n) | (x << (32 - n));
}

static uint64_t rotl64(uint64_t x, int n)
{
    return (x << n) | (x >> (64 - n));
}

static uint32_t load_be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t load_le32(const unsigned char *p)
{
    return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static uint64_t load_le64(const unsigned char *p)
{
    return (uint64_t)load_le32(p + 4) << 32 | load_le32(p);
}

/*
 * Feeds the message and its Merkle-Damgard padding to block() 64 bytes at a time: a 0x80
 * byte, zeros, and the bit length in 8 bytes (big-endian, or little-endian for MD5).
 */
static void md_blocks(const unsigned char *msg, size_t len, bool big_endian_length,
                      void (*block)(void *state, const unsigned char *b), void *state)
{
    size_t full = len / 64 * 64;
    for (size_t i = 0; i < full; i += 64)
        block(state, msg + i);

    unsigned char tail[128] = {0};
    size_t rest = len - full;
    memcpy(tail, msg + full, rest);
    tail[rest] = 0x80;
    size_t tail_len = rest + 9 <= 64 ? 64 : 128;
    uint64_t bits = (uint64_t)len * 8;
    for (int i = 0; i < 8; i++) {
        int shift = big_endian_length ? 56 - 8 * i : 8 * i;
        tail[tail_len - 8 + i] = (unsigned char)(bits >> shift);
    }
    for (size_t i = 0; i < tail_len; i += 64)
        block(state, tail + i);
}

/* ---- SHA-256 (FIPS 180-4) ---- */

static const uint32_t sha256_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static void sha256_block(void *state, const unsigned char *b)
{
    uint32_t *h = state;
    uint32_t w[64];
    for (int i = 0; i < 16; i++)
        w[i] = load_be32(b + 4 * i);
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = rotr32(w[i - 15], 7) ^ rotr32(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = rotr32(w[i - 2], 17) ^ rotr32(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = h[0], bb = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (int i = 0; i < 64; i++) {
        uint32_t t1 = hh + (rotr32(e, 6) ^ rotr32(e, 11) ^ rotr32(e, 25)) + ((e & f) ^ (~e & g)) +
                      sha256_k[i] + w[i];
        uint32_t t2 =
            (rotr32(a, 2) ^ rotr32(a, 13) ^ rotr32(a, 22)) + ((a & bb) ^ (a & c) ^ (bb & c));
        hh = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = bb;
        bb = a;
        a = t1 + t2;
    }
    h[0] += a;
    h[1] += bb;
    h[2] += c;
    h[3] += d;
    h[4] += e;
    h[5] += f;
    h[6] += g;
    h[7] += hh;
}

/* ---- SHA-1 (FIPS 180-4) ---- */

static void sha1_block(void *state, const unsigned char *b)
{
    uint32_t *h = state;
    uint32_t w[80];
    for (int i = 0; i < 16; i++)
        w[i] = load_be32(b + 4 * i);
    for (int i = 16; i < 80; i++)
        w[i] = rotl32(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    uint32_t a = h[0], bb = h[1], c = h[2], d = h[3], e = h[4];
    for (int i = 0; i < 80; i++) {
        uint32_t f, k;
        if (i < 20) {
            f = (bb & c) | (~bb & d);
            k = 0x5A827999;
        } else if (i < 40) {
            f = bb ^ c ^ d;
            k = 0x6ED9EBA1;
        } else if (i < 60) {
            f = (bb & c) | (bb & d) | (c & d);
            k = 0x8F1BBCDC;
        } else {
            f = bb ^ c ^ d;
            k = 0xCA62C1D6;
        }
        uint32_t t = rotl32(a, 5) + f + e + k + w[i];
        e = d;
        d = c;
        c = rotl32(bb, 30);
        bb = a;
        a = t;
    }
    h[0] += a;
    h[1] += bb;
    h[2] += c;
    h[3] += d;
    h[4] += e;
}

/* ---- MD5 (RFC 1321) ---- */

static const uint32_t md5_k[64] = {
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
    0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
    0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
    0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
    0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
    0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
};

static const int md5_shift[16] = {7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21};

static void md5_block(void *state, const unsigned char *b)
{
    uint32_t *h = state;
    uint32_t m[16];
    for (int i = 0; i < 16; i++)
        m[i] = load_le32(b + 4 * i);
    uint32_t a = h[0], bb = h[1], c = h[2], d = h[3];
    for (int i = 0; i < 64; i++) {
        int round = i / 16;
        uint32_t f;
        int g;
        if (round == 0) {
            f = (bb & c) | (~bb & d);
            g = i;
        } else if (round == 1) {
            f = (d & bb) | (~d & c);
            g = (5 * i + 1) % 16;
        } else if (round == 2) {
            f = bb ^ c ^ d;
            g = (3 * i + 5) % 16;
        } else {
            f = c ^ (bb | ~d);
            g = (7 * i) % 16;
        }
        uint32_t next = bb + rotl32(a + f + md5_k[i] + m[g], md5_shift[round * 4 + i % 4]);
        a = d;
        d = c;
        c = bb;
        bb = next;
    }
    h[0] += a;
    h[1] += bb;
    h[2] += c;
    h[3] += d;
}

/* ---- xxHash64 ---- */

static const uint64_t xx_p1 = 0x9E3779B185EBCA87ULL, xx_p2 = 0xC2B2AE3D27D4EB4FULL,
                      xx_p3 = 0x165667B19E3779F9ULL, xx_p4 = 0x85EBCA77C2B2AE63ULL,
                      xx_p5 = 0x27D4EB2F165667C5ULL;

static uint64_t xx_round(uint64_t acc, uint64_t input)
{
    return rotl64(acc + input * xx_p2, 31) * xx_p1;
}

static uint64_t xx_merge(uint64_t acc, uint64_t val)
{
    return (acc ^ xx_round(0, val)) * xx_p1 + xx_p4;
}

static uint64_t xxhash64(const unsigned char *p, size_t len, uint64_t seed)
{
    const unsigned char *end = p + len;
    uint64_t h;
    if (len >= 32) {
        uint64_t v1 = seed + xx_p1 + xx_p2, v2 = seed + xx_p2, v3 = seed, v4 = seed - xx_p1;
        for (; end - p >= 32; p += 32) {
            v1 = xx_round(v1, load_le64(p));
            v2 = xx_round(v2, load_le64(p + 8));
            v3 = xx_round(v3, load_le64(p + 16));
            v4 = xx_round(v4, load_le64(p + 24));
        }
        h = rotl64(v1, 1) + rotl64(v2, 7) + rotl64(v3, 12) + rotl64(v4, 18);
        h = xx_merge(xx_merge(xx_merge(xx_merge(h, v1), v2), v3), v4);
    } else {
        h = seed + xx_p5;
    }
    h += (uint64_t)len;
    for (; end - p >= 8; p += 8)
        h = rotl64(h ^ xx_round(0, load_le64(p)), 27) * xx_p1 + xx_p4;
    if (end - p >= 4) {
        h = rotl64(h ^ (uint64_t)load_le32(p) * xx_p1, 23) * xx_p2 + xx_p3;
        p += 4;
    }
    for (; p < end; p++)
        h = rotl64(h ^ *p * xx_p5, 11) * xx_p1;
    h ^= h >> 33;
    h *= xx_p2;
    h ^= h >> 29;
    h *= xx_p3;
    h ^= h >> 32;
    return h;
}

/* ---- functions ---- */

static fh_status hex_result(kql_func_ctx *ctx, const unsigned char *digest, size_t n, fh_value *out)
{
    static const char digits[] = "0123456789abcdef";
    char *buf = kql_alloc(ctx, 2 * n);
    if (buf == NULL)
        return FH_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        buf[2 * i] = digits[digest[i] >> 4];
        buf[2 * i + 1] = digits[digest[i] & 15];
    }
    return kql_result_string(out, buf, 2 * n);
}

static void store_words(const uint32_t *h, size_t words, bool big_endian, unsigned char *out)
{
    for (size_t i = 0; i < words; i++) {
        for (int k = 0; k < 4; k++) {
            int shift = big_endian ? 24 - 8 * k : 8 * k;
            out[4 * i + (size_t)k] = (unsigned char)(h[i] >> shift);
        }
    }
}

/* A null non-string input hashes to "" (there is no text to hash). */
static fh_status digest_of(kql_func_ctx *ctx, const fh_value *arg, int algorithm, fh_value *out)
{
    const char *s;
    size_t len;
    if (arg->is_null)
        return kql_result_string(out, "", 0);
    fh_status st = kql_value_text(ctx, arg, &s, &len);
    if (st != FH_OK)
        return st;
    const unsigned char *msg = (const unsigned char *)s;
    unsigned char digest[32];
    if (algorithm == 256) {
        uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                         0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
        md_blocks(msg, len, true, sha256_block, h);
        store_words(h, 8, true, digest);
        return hex_result(ctx, digest, 32, out);
    }
    if (algorithm == 1) {
        uint32_t h[5] = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
        md_blocks(msg, len, true, sha1_block, h);
        store_words(h, 5, true, digest);
        return hex_result(ctx, digest, 20, out);
    }
    uint32_t h[4] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};
    md_blocks(msg, len, false, md5_block, h);
    store_words(h, 4, false, digest);
    return hex_result(ctx, digest, 16, out);
}

static fh_status fn_hash_sha256(kql_func_ctx *ctx, const fh_value *args, size_t nargs,
                                fh_value *out)
{
    return digest_of(ctx, &args[0], 256, out);
}

static fh_status fn_hash_sha1(kql_func_ctx *ctx, const fh_value *args, size_t nargs, fh_value *out)
{
    return digest_of(ctx, &args[0], 1, out);
}

static fh_status fn_hash_md5(kql_func_ctx *ctx, const fh_value *args, size_t nargs, fh_value *out)
{
    return digest_of(ctx, &args[0], 5, out);
}

/* hash(source[, mod]): xxHash64 of the text with seed 0, as a long; mod gives 0..mod-1. */
static fh_status fn_hash(kql_func_ctx *ctx, const fh_value *args, size_t nargs, fh_value *out)
{
    const char *s;
    size_t len;
    int64_t mod = 0;
    bool mod_null = false;
    fh_status st = kql_value_text(ctx, &args[0], &s, &len);
    if (st == FH_OK && nargs > 1)
        st = kql_arg_long(ctx, "hash", args, 1, &mod, &mod_null);
    if (st != FH_OK)
        return st;
    if (args[0].is_null || mod_null || (nargs > 1 && mod <= 0)) {
        *out = fh_value_null(FH_TYPE_LONG);
        return FH_OK;
    }
    uint64_t h = xxhash64((const unsigned char *)s, len, 0);
    *out = fh_value_long(nargs > 1 ? (int64_t)(h % (uint64_t)mod) : (int64_t)h);
    return FH_OK;
}

KQL_TYPE_FIXED(type_hash_sha256, "hash_sha256", "a", FH_TYPE_STRING)
KQL_TYPE_FIXED(type_hash_sha1, "hash_sha1", "a", FH_TYPE_STRING)
KQL_TYPE_FIXED(type_hash_md5, "hash_md5", "a", FH_TYPE_STRING)
KQL_TYPE_FIXED(type_hash, "hash", "ai", FH_TYPE_LONG)

static const kql_func_def defs[] = {
    {"hash_sha256", 1, 1, fn_hash_sha256, type_hash_sha256},
    {"hash_sha1", 1, 1, fn_hash_sha1, type_hash_sha1},
    {"hash_md5", 1, 1, fn_hash_md5, type_hash_md5},
    {"hash", 1, 2, fn_hash, type_hash},
};

const kql_func_family kql_func_hash = {defs, sizeof defs / sizeof defs[0]};
