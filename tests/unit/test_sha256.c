/*
 * test_sha256.c - the SHA-256 used for fingerprints against the FIPS 180-2
 * example vectors (one block, two blocks, the 896-bit message, one million
 * 'a'), fed whole and in awkward chunk sizes across the 64-byte block edge.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sha256.h"

static const struct {
	const char *msg;
	const char *hex;
} vectors[] = {
	{ "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
	{ "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
	{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
	{ "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
	  "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1" },
};

static void hex_of(const void *p, size_t n, size_t chunk, char out[65])
{
	struct sha256 c;
	uint8_t d[32];
	sha256_init(&c);
	for (size_t off = 0; off < n; off += chunk)
		sha256_update(&c, (const char *)p + off, n - off < chunk ? n - off : chunk);
	sha256_final(&c, d);
	sha256_hex(d, out);
}

static void test_vectors(void **state)
{
	(void)state;
	static const size_t chunks[] = { 1, 3, 55, 56, 63, 64, 65, 1000 };
	for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		for (size_t k = 0; k < sizeof(chunks) / sizeof(chunks[0]); k++) {
			char hex[65];
			hex_of(vectors[i].msg, strlen(vectors[i].msg), chunks[k], hex);
			assert_string_equal(hex, vectors[i].hex);
		}
	}
}

static void test_million_a(void **state)
{
	(void)state;
	size_t n = 1000000;
	char *buf = malloc(n);
	memset(buf, 'a', n);
	char hex[65];
	hex_of(buf, n, 4096, hex);
	assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	hex_of(buf, n, 977, hex);
	assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	free(buf);
}

/* Lengths around the padding boundary (55/56/64 bytes) give distinct digests
 * and the same digest whole or byte by byte. */
static void test_padding_edges(void **state)
{
	(void)state;
	char buf[130], a[65], b[65], prev[65] = "";
	memset(buf, 'x', sizeof(buf));
	for (size_t n = 50; n < 130; n++) {
		hex_of(buf, n, n ? n : 1, a);
		hex_of(buf, n, 1, b);
		assert_string_equal(a, b);
		assert_string_not_equal(a, prev);
		memcpy(prev, a, sizeof(prev));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_million_a),
		cmocka_unit_test(test_padding_edges),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
