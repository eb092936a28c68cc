/* sha256.h — SHA-256 (FIPS 180-4), small and dependency-free; used for token hashes,
 * check-in body fingerprints and directory ETags. */
#ifndef HUBD_SHA256_H
#define HUBD_SHA256_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SHA256_LEN 32

struct sha256 {
    uint32_t h[8];
    uint64_t total;
    uint8_t buf[64];
    size_t used;
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t len);
/* Writes the 32-byte digest to out; s must be re-initialised before reuse. */
void sha256_final(struct sha256 *s, uint8_t out[SHA256_LEN]);
/* One-shot digest of len bytes at data. */
void sha256(const void *data, size_t len, uint8_t out[SHA256_LEN]);

/* Writes 2*len lowercase hex digits and a NUL to out (which holds 2*len+1 bytes). */
void hex_encode(const uint8_t *bytes, size_t len, char *out);

/* Compares len bytes in time independent of their contents; true when equal. */
bool ct_equal(const uint8_t *a, const uint8_t *b, size_t len);

#endif
