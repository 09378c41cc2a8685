/*
 * test_diag.c - the diagnostic list (diag.c): records kept as given (a text
 * holding "; " stays one record), counted and looked up by severity and
 * field, rendered as "field: text; field: text" per severity, truncated and
 * moved without leaking.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include "diag.h"

static void test_count_has_render(void **state)
{
	(void)state;
	struct diag_list l = DIAG_LIST_INIT;
	assert_null(diag_render_new(&l, DIAG_ERROR));
	diag_warn(&l, "integrationId", "'%s' is ignored", "a; b; c");
	diag_error(&l, "s3Bucket", "too short");
	diag_add_text(&l, DIAG_ERROR, NULL, "line 3: invalid UTF-8");
	diag_error(&l, "prefix (line 4)", "appears twice");
	assert_int_equal(diag_count(&l, DIAG_WARNING), 1);
	assert_int_equal(diag_count(&l, DIAG_ERROR), 3);
	assert_true(diag_has(&l, DIAG_WARNING, "integrationId"));
	assert_false(diag_has(&l, DIAG_ERROR, "integrationId"));
	assert_false(diag_has(&l, DIAG_WARNING, "b"));
	assert_false(diag_has(&l, DIAG_ERROR, "prefix"));
	assert_true(diag_has(&l, DIAG_ERROR, "prefix (line 4)"));

	char *w = diag_render_new(&l, DIAG_WARNING);
	char *e = diag_render_new(&l, DIAG_ERROR);
	assert_string_equal(w, "integrationId: 'a; b; c' is ignored");
	assert_string_equal(e, "s3Bucket: too short; line 3: invalid UTF-8; prefix (line 4): appears twice");
	free(w);
	free(e);

	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, "before");
	diag_render(&l, DIAG_WARNING, &sb);
	assert_string_equal(sb.buf, "before; integrationId: 'a; b; c' is ignored");
	strbuf_release(&sb);
	diag_list_release(&l);
	assert_int_equal(l.n, 0);
}

static void test_truncate_and_move(void **state)
{
	(void)state;
	struct diag_list a, b;
	diag_list_init(&a);
	diag_list_init(&b);
	diag_error(&a, "x", "one");
	size_t mark = a.n;
	for (int i = 0; i < 9; i++)
		diag_warn(&a, "y", "scratch %d", i);
	diag_list_truncate(&a, mark);
	assert_int_equal(a.n, 1);
	assert_int_equal(diag_count(&a, DIAG_WARNING), 0);

	diag_warn(&b, "z", "two");
	diag_list_move(&b, &a);
	assert_int_equal(a.n, 0);
	assert_null(a.v);
	char *e = diag_render_new(&b, DIAG_ERROR);
	assert_string_equal(e, "x: one");
	free(e);
	assert_int_equal(b.n, 2);
	diag_list_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_count_has_render),
		cmocka_unit_test(test_truncate_and_move),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
