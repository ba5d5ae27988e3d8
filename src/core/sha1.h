/*
 * SHA-1 (FIPS 180-4), used for name-based UUIDs (RFC 4122 version 5), never for security.
 */
#ifndef FOXHOUND_SHA1_H
#define FOXHOUND_SHA1_H

#include <stddef.h>
#include <stdint.h>

#define FH_SHA1_DIGEST_BYTES 20

typedef struct fh_sha1 {
    uint32_t state[5];
    uint64_t total_bytes;
    uint8_t block[64];
    size_t block_used;
} fh_sha1;

void fh_sha1_init(fh_sha1 *ctx);
void fh_sha1_update(fh_sha1 *ctx, const void *data, size_t len);
void fh_sha1_final(fh_sha1 *ctx, uint8_t digest[FH_SHA1_DIGEST_BYTES]);

/*
 * Writes the RFC 4122 version 5 UUID of name in namespace_id as 36 lowercase characters and a
 * NUL into out.
 */
void fh_uuid_v5(const uint8_t namespace_id[16], const char *name, size_t len, char out[37]);

/*
 * Finishes a version 5 UUID whose name was hashed in parts: ctx must have been initialised
 * and fed the 16 namespace bytes, then the name.
 */
void fh_uuid_v5_finish(fh_sha1 *ctx, char out[37]);

#endif
