/* sha256.c — SHA-256 over libcrypto's EVP interface. */
#include "proto/sha256.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <string.h>

int sha256_init(struct sha256 *s)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    s->ctx = NULL;
    if (!ctx)
        return -1;
    if (EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
        EVP_MD_CTX_free(ctx);
        return -1;
    }
    s->ctx = ctx;
    return 0;
}

void sha256_update(struct sha256 *s, const void *data, size_t len)
{
    if (s->ctx && EVP_DigestUpdate(s->ctx, data, len) != 1) {
        EVP_MD_CTX_free(s->ctx);
        s->ctx = NULL;
    }
}

int sha256_final(struct sha256 *s, uint8_t out[SHA256_LEN])
{
    unsigned int n = 0;
    int ok = s->ctx && EVP_DigestFinal_ex(s->ctx, out, &n) == 1 && n == SHA256_LEN;
    EVP_MD_CTX_free(s->ctx);
    s->ctx = NULL;
    if (!ok)
        memset(out, 0, SHA256_LEN);
    return ok ? 0 : -1;
}

int sha256(const void *data, size_t len, uint8_t out[SHA256_LEN])
{
    unsigned int n = 0;
    if (EVP_Digest(data, len, out, &n, EVP_sha256(), NULL) == 1 && n == SHA256_LEN)
        return 0;
    memset(out, 0, SHA256_LEN);
    return -1;
}

void hex_encode(const uint8_t *bytes, size_t len, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < len; i++) {
        out[2 * i] = digits[bytes[i] >> 4];
        out[2 * i + 1] = digits[bytes[i] & 15];
    }
    out[2 * len] = '\0';
}

bool ct_equal(const uint8_t *a, const uint8_t *b, size_t len)
{
    return CRYPTO_memcmp(a, b, len) == 0;
}
