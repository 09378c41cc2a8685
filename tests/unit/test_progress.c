/*
 * test_progress.c - the progress line's text: counts, rate, ETA, unknown total.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "progress.h"

static void test_format(void **state)
{
	(void)state;
	static const struct {
		struct progress_counts c;
		int64_t elapsed_ms;
		const char *want;
	} cases[] = {
		{ { 100, 400, 90, 10, 2, 200 }, 10000,
		  "100/400 rows  ok 90  failed 10  retrying 2  20.0 req/s  ETA 0:30" },
		{ { 400, 400, 400, 0, 0, 400 }, 4000,
		  "400/400 rows  ok 400  failed 0  retrying 0  100.0 req/s  ETA 0:00" },
		{ { 5, 0, 5, 0, 0, 5 }, 1000, "5 rows  ok 5  failed 0  retrying 0  5.0 req/s" },
		{ { 1, 7201, 1, 0, 0, 1 }, 1000,
		  "1/7201 rows  ok 1  failed 0  retrying 0  1.0 req/s  ETA 2:00:00" },
		/* an estimated total below what is done is raised to it */
		{ { 10, 8, 10, 0, 0, 10 }, 1000,
		  "10/10 rows  ok 10  failed 0  retrying 0  10.0 req/s  ETA 0:00" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char buf[256];
		progress_format(buf, sizeof(buf), &cases[i].c, cases[i].elapsed_ms);
		assert_string_equal(buf, cases[i].want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
