/*
 * test_util.c - the helpers of util.c that carry a fact which is easy to get
 * wrong: FNV-1a's 64-bit offset basis and prime, checked against the
 * published test vectors (a mistyped basis still hashes, just differently,
 * so only the vectors catch it).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "util.h"

static void test_fnv1a_vectors(void **state)
{
	(void)state;
	static const struct { const char *in; uint64_t want; } v[] = {
		{ "", 0xcbf29ce484222325ULL },
		{ "a", 0xaf63dc4c8601ec8cULL },
		{ "foobar", 0x85944171f73967e8ULL },
	};
	for (size_t i = 0; i < ARRAY_SIZE(v); i++)
		assert_true(fnv1a_64(FNV1A_64_BASIS, v[i].in, strlen(v[i].in)) == v[i].want);
	/* fed in pieces, the same hash */
	uint64_t h = fnv1a_64(FNV1A_64_BASIS, "foo", 3);
	assert_true(fnv1a_64(h, "bar", 3) == 0x85944171f73967e8ULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fnv1a_vectors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
