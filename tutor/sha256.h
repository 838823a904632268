/* sha256: SHA-256 (FIPS 180-4), to fingerprint a lesson file's bytes in
 * transcripts. */
#ifndef TUTOR_SHA256_H
#define TUTOR_SHA256_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sha256 {
    uint32_t h[8];
    uint64_t len; /* bytes hashed so far */
    unsigned char block[64];
    size_t used; /* bytes waiting in block */
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t n);
void sha256_final(struct sha256 *s, unsigned char out[32]);
/* The digest of n bytes in one call. */
void sha256_digest(const void *data, size_t n, unsigned char out[32]);
/* Whether the processor's SHA instructions compute the rounds; and, for
 * the tests that compare both ways, a choice (true: where there are any). */
bool sha256_hardware(void);
void sha256_use_hardware(bool on);
/* out: 65 bytes, lower-case hex and a NUL. */
void sha256_hex(const unsigned char digest[32], char out[65]);

#endif
