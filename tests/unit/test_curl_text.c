/*
 * test_curl_text.c - libcurl's result codes in our words: every code a
 * transfer of the engine can end with has its own entry, and no code's text
 * is libcurl's own (curl_easy_strerror) or breaks the message style
 * (lowercase start, no full stop).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <curl/curl.h>
#include <string.h>

#include "curl_text.h"

/* What an HTTPS transfer with our options can end with: connecting, TLS,
 * sending and receiving, HTTP/2 and /3, timeouts, our write callback's cap,
 * the rewind that fails on a dropped reused connection, proxies, set-up. */
static const int engine_codes[] = {
	CURLE_UNSUPPORTED_PROTOCOL, CURLE_FAILED_INIT, CURLE_URL_MALFORMAT,
	CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_CONNECT,
	CURLE_WEIRD_SERVER_REPLY, CURLE_HTTP2, CURLE_PARTIAL_FILE, CURLE_WRITE_ERROR,
	CURLE_UPLOAD_FAILED, CURLE_READ_ERROR, CURLE_OUT_OF_MEMORY, CURLE_OPERATION_TIMEDOUT,
	CURLE_SSL_CONNECT_ERROR, CURLE_ABORTED_BY_CALLBACK, CURLE_BAD_FUNCTION_ARGUMENT,
	CURLE_TOO_MANY_REDIRECTS, CURLE_UNKNOWN_OPTION, CURLE_GOT_NOTHING, CURLE_SEND_ERROR,
	CURLE_RECV_ERROR, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER, CURLE_PEER_FAILED_VERIFICATION,
	CURLE_BAD_CONTENT_ENCODING, CURLE_FILESIZE_EXCEEDED, CURLE_SEND_FAIL_REWIND,
	CURLE_SSL_CACERT_BADFILE, CURLE_SSL_SHUTDOWN_FAILED, CURLE_AGAIN, CURLE_SSL_CRL_BADFILE,
	CURLE_SSL_ISSUER_ERROR, CURLE_HTTP2_STREAM, CURLE_RECURSIVE_API_CALL, CURLE_AUTH_ERROR,
	CURLE_HTTP3, CURLE_QUIC_CONNECT_ERROR, CURLE_PROXY, CURLE_SSL_CLIENTCERT,
	CURLE_UNRECOVERABLE_POLL, CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS,
};

static void test_engine_codes_have_entries(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(engine_codes) / sizeof(engine_codes[0]); i++)
		if (!curl_code_has_text(engine_codes[i]))
			fail_msg("CURLcode %d (%s) has no text of its own", engine_codes[i],
				 curl_easy_strerror((CURLcode)engine_codes[i]));
}

static void test_no_code_leaks_libcurl_text(void **state)
{
	(void)state;
	for (int c = 1; c < CURL_LAST + 5; c++) {
		const char *t = curl_code_text(c);
		assert_non_null(t);
		size_t n = strlen(t);
		assert_true(n > 0);
		if (c < CURL_LAST && !strcmp(t, curl_easy_strerror((CURLcode)c)))
			fail_msg("CURLcode %d: libcurl's own text '%s'", c, t);
		if (isupper((unsigned char)t[0]) && strncmp(t, "TLS", 3) && strncmp(t, "HTTP", 4) &&
		    strncmp(t, "QUIC", 4))
			fail_msg("CURLcode %d: '%s' starts with a capital", c, t);
		if (t[n - 1] == '.')
			fail_msg("CURLcode %d: '%s' ends with a full stop", c, t);
	}
	/* the two texts the issue names */
	assert_string_equal(curl_code_text(CURLE_RECV_ERROR), "the connection was reset before the reply");
	assert_string_equal(curl_code_text(CURLE_SEND_FAIL_REWIND),
			    "the connection dropped before the reply");
	assert_null(strstr(curl_code_text(CURLE_SEND_FAIL_REWIND), "rewind"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_engine_codes_have_entries),
		cmocka_unit_test(test_no_code_leaks_libcurl_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
