/*
 * test_conn.c - the shared connection options: value ranges, URL normalisation,
 * the plain-http policy (pure, no network) and where the token comes from.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conn.h"

static void test_url_policy(void **state)
{
	(void)state;
	static const struct {
		const char *url;
		int insecure;
		int ok;
	} cases[] = {
		{ "https://acme.runpanther.net", 0, 1 },
		{ "https://10.1.2.3:8443/x", 0, 1 },
		{ "http://127.0.0.1:8080", 0, 1 },
		{ "http://127.255.0.9", 0, 1 },
		{ "http://localhost:9", 0, 1 },
		{ "http://LOCALHOST", 0, 1 },
		{ "http://[::1]:8080", 0, 1 },
		{ "http://[::ffff:127.0.0.1]:8080", 0, 1 },
		{ "http://128.0.0.1", 0, 0 },
		{ "http://10.0.0.1", 0, 0 },
		{ "http://localhost.evil.com", 0, 0 },
		{ "http://127.0.0.1.nip.io", 0, 0 },
		{ "http://[::2]", 0, 0 },
		{ "http://acme.runpanther.net", 0, 0 },
		{ "http://acme.runpanther.net", 1, 1 },
		{ "ftp://127.0.0.1", 0, 0 },
		{ "file:///etc/passwd", 1, 0 },
		{ "not a url", 0, 0 },
		{ "https://h/x?token=1", 0, 0 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char err[256] = "";
		int rc = url_policy_check(cases[i].url, cases[i].insecure, err, sizeof(err));
		if ((rc == 0) != cases[i].ok)
			fail_msg("url '%s' insecure=%d: got rc %d (%s)", cases[i].url, cases[i].insecure, rc, err);
		if (rc)
			assert_true(strlen(err) > 0);
	}
}

static void test_url_normalize(void **state)
{
	(void)state;
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "https://a.b", "https://a.b" },
		{ "https://a.b/", "https://a.b" },
		{ "https://a.b/public/graphql", "https://a.b" },
		{ "https://a.b/public/graphql/", "https://a.b" },
		{ "https://a.b/v1/", "https://a.b/v1" },
		{ "https://a.b/v1", "https://a.b/v1" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = api_url_normalize(cases[i].in);
		assert_string_equal(got, cases[i].out);
		free(got);
	}
}

static void test_ranges(void **state)
{
	(void)state;
	static const struct {
		int opt;
		const char *arg;
		int ok;
	} cases[] = {
		{ 'j', "1", 1 }, { 'j', "64", 1 }, { 'j', "0", 0 }, { 'j', "65", 0 }, { 'j', "8x", 0 },
		{ 'j', "", 0 },
		{ CONN_OPT_RATE, "0", 1 }, { CONN_OPT_RATE, "0.5", 1 }, { CONN_OPT_RATE, "-1", 0 },
		{ CONN_OPT_RATE, "nan", 0 }, { CONN_OPT_RATE, "inf", 0 },
		{ CONN_OPT_RATE, "0x10", 0 }, { CONN_OPT_RATE, "1.5e1", 1 },
		{ CONN_OPT_MAX_ATTEMPTS, "1", 1 }, { CONN_OPT_MAX_ATTEMPTS, "0", 0 },
		{ CONN_OPT_TIMEOUT, "0.5", 1 }, { CONN_OPT_TIMEOUT, "0", 0 }, { CONN_OPT_TIMEOUT, "abc", 0 },
		{ CONN_OPT_RETRY_MAX_TIME, "0", 1 }, { CONN_OPT_RETRY_MAX_TIME, "-3", 0 },
		{ CONN_OPT_TOKEN, "secret", 0 },
		{ CONN_OPT_INSECURE, NULL, 0 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct conn_opts o;
		conn_opts_init(&o);
		int rc = conn_opts_handle(&o, cases[i].opt, cases[i].arg);
		if ((rc == 1) != cases[i].ok)
			fail_msg("option %d '%s': got %d", cases[i].opt, cases[i].arg ? cases[i].arg : "", rc);
		conn_opts_release(&o);
	}
	struct conn_opts o;
	conn_opts_init(&o);
	assert_int_equal(conn_opts_handle(&o, 'x', "1"), 0); /* not ours */
	assert_int_equal(conn_opts_handle(&o, CONN_OPT_TIMEOUT, "1.5"), 1);
	assert_int_equal(o.timeout_ms, 1500);
	assert_int_equal(o.concurrency, 8);
	assert_int_equal(o.max_attempts, 5);
	conn_opts_release(&o);
}

static void test_token_sources(void **state)
{
	(void)state;
	struct conn_opts o;
	char path[] = "/tmp/s3src-test-token-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "  tok-from-file \n second line\n", 30), 30);
	close(fd);
	chmod(path, 0600);

	setenv("PANTHER_API_URL", "http://127.0.0.1:1/", 1);
	setenv("PANTHER_API_TOKEN", "tok-from-env", 1);

	conn_opts_init(&o);
	assert_int_equal(conn_opts_finish(&o), 0);
	assert_string_equal(o.token, "tok-from-env");
	assert_string_equal(o.api_url, "http://127.0.0.1:1");
	conn_opts_release(&o);

	conn_opts_init(&o);
	assert_int_equal(conn_opts_handle(&o, CONN_OPT_TOKEN_FILE, path), 1);
	assert_int_equal(conn_opts_finish(&o), 0);
	assert_string_equal(o.token, "tok-from-file");
	conn_opts_release(&o);

	unsetenv("PANTHER_API_TOKEN");
	conn_opts_init(&o);
	assert_int_equal(conn_opts_finish(&o), -1);
	conn_opts_release(&o);

	setenv("PANTHER_API_TOKEN", "has space", 1);
	conn_opts_init(&o);
	assert_int_equal(conn_opts_finish(&o), -1);
	conn_opts_release(&o);

	setenv("PANTHER_API_TOKEN", "t", 1);
	setenv("PANTHER_API_URL", "http://example.com", 1);
	conn_opts_init(&o);
	assert_int_equal(conn_opts_finish(&o), -1);
	conn_opts_release(&o);
	conn_opts_init(&o);
	conn_opts_handle(&o, CONN_OPT_INSECURE_HTTP, NULL);
	assert_int_equal(conn_opts_finish(&o), 0);
	conn_opts_release(&o);

	unsetenv("PANTHER_API_URL");
	conn_opts_init(&o);
	assert_int_equal(conn_opts_finish(&o), -1);
	conn_opts_release(&o);

	conn_opts_init(&o);
	conn_opts_handle(&o, CONN_OPT_API_URL, "https://x.example/public/graphql");
	conn_opts_handle(&o, CONN_OPT_TOKEN_FILE, "/nonexistent/token");
	assert_int_equal(conn_opts_finish(&o), -1);
	conn_opts_release(&o);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_url_policy),
		cmocka_unit_test(test_url_normalize),
		cmocka_unit_test(test_ranges),
		cmocka_unit_test(test_token_sources),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
