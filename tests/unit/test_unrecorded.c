/*
 * test_unrecorded.c - the stderr fallback of the results file: only rows
 * that changed something matter; with results on a file nothing is kept;
 * on a pipe the change records of the last two pipes' worth of bytes are
 * kept (older ones dropped, so memory stays bounded), nothing is repeated
 * while the reader is there, and all kept ones are repeated once when it has
 * gone.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>
#include <cmocka.h>

#include "unrecorded.h"

static struct result row(size_t n, enum outcome o)
{
	struct result r = { .row = n, .line = n + 1, .action = ACTION_CREATE, .outcome = o,
			    .id = "00000000-0000-4000-8000-000000000001", .label = "x" };
	return r;
}

static void test_matters(void **state)
{
	(void)state;
	struct result r = row(1, OUTCOME_CREATED);
	assert_true(unrecorded_matters(&r));
	r.outcome = OUTCOME_DELETED;
	assert_true(unrecorded_matters(&r));
	r.outcome = OUTCOME_MODIFIED;
	assert_true(unrecorded_matters(&r));
	r.outcome = OUTCOME_FAILED;
	assert_false(unrecorded_matters(&r));
	r.outcome = OUTCOME_EXPORTED;
	assert_false(unrecorded_matters(&r));

	struct unrecorded u;
	unrecorded_init(&u, -1);
	unrecorded_lost(&u, &r);              /* exported: not printed */
	r.outcome = OUTCOME_CREATED;
	unrecorded_lost(&u, &r);
	assert_int_equal(u.printed, 1);
	unrecorded_written(&u, &r, 100);      /* a file: nothing kept */
	assert_int_equal(u.n, 0);
	assert_int_equal(unrecorded_check_pipe(&u, 1), 0);
	unrecorded_release(&u);
}

static void test_pipe_window(void **state)
{
	(void)state;
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	struct unrecorded u;
	unrecorded_init(&u, fds[1]);
	assert_true(u.cap > 0);

	uint64_t end = 0;
	for (size_t i = 1; i <= 10000; i++) {
		struct result r = row(i, i % 2 ? OUTCOME_CREATED : OUTCOME_FAILED);
		end += 100;
		unrecorded_written(&u, &r, end);
	}
	/* only change rows, only within two pipes' worth of bytes */
	assert_true(u.n > 0);
	assert_true(u.n <= (size_t)(2 * u.cap / 100 / 2 + 2));
	/* the reader is there: nothing repeated */
	assert_int_equal(unrecorded_check_pipe(&u, 0), 0);
	assert_int_equal(u.printed, 0);
	/* the reader has gone: everything kept is repeated, once */
	close(fds[0]);
	size_t kept = u.n;
	assert_int_equal(unrecorded_check_pipe(&u, 0), 1);
	assert_int_equal(u.printed, kept);
	assert_int_equal(unrecorded_check_pipe(&u, 0), 0);
	assert_int_equal(u.printed, kept);
	unrecorded_release(&u);
	close(fds[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matters),
		cmocka_unit_test(test_pipe_window),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
