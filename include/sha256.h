/*
 * sha256.h - SHA-256 (FIPS 180-4), written for s3src because none of the
 * libraries it may use (libcurl, libcsv, jansson, zlib) exports a digest.
 * It serves the row fingerprints of the results file (--resume), so speed
 * matters more than generality: one streaming context, no allocation.
 */
#ifndef S3SRC_SHA256_H
#define S3SRC_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t h[8];
	uint64_t nbytes;      /* total bytes hashed so far */
	uint8_t buf[64];      /* a partial block */
	size_t nbuf;
};

void sha256_init(struct sha256 *c);
void sha256_update(struct sha256 *c, const void *data, size_t len);
/* Writes the 32-byte digest; c must be re-initialised before reuse. */
void sha256_final(struct sha256 *c, uint8_t out[32]);
/* Lowercase hex of a digest into out (65 bytes, NUL-terminated). */
void sha256_hex(const uint8_t digest[32], char out[65]);

#endif
