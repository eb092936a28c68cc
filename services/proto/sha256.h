/* sha256.h — SHA-256 through OpenSSL's libcrypto (EVP), for token hashes, check-in
 * fingerprints and directory ETags; and the two byte helpers that go with digests. */
#ifndef PROTO_SHA256_H
#define PROTO_SHA256_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SHA256_LEN 32

/* A digest in progress. Opaque state owned by libcrypto: every sha256_init must be matched
 * by one sha256_final, which frees it. */
struct sha256 {
    void *ctx; /* EVP_MD_CTX */
};

/* Starts a digest. 0, or -1 when libcrypto cannot (out of memory); s then holds nothing and
 * sha256_update/sha256_final are harmless no-ops that fail. */
int sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t len);
/* Writes the 32-byte digest to out and frees s's state. 0, or -1 (out zeroed) when any step
 * failed. */
int sha256_final(struct sha256 *s, uint8_t out[SHA256_LEN]);
/* One-shot digest of len bytes at data. 0, or -1 with out zeroed. */
int sha256(const void *data, size_t len, uint8_t out[SHA256_LEN]);

/* Writes 2*len lowercase hex digits and a NUL to out (which holds 2*len+1 bytes). */
void hex_encode(const uint8_t *bytes, size_t len, char *out);

/* Compares len bytes in time independent of their contents; true when equal. */
bool ct_equal(const uint8_t *a, const uint8_t *b, size_t len);

#endif
