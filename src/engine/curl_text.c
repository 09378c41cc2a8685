/*
 * curl_text.c - libcurl result codes in our own words (see curl_text.h).
 *
 * The texts say what happened to the request from the user's side, in the
 * style of every s3src message (lowercase, no full stop). The codes a
 * transfer of ours can end with (connecting, TLS, sending, receiving, HTTP/2
 * and 3, timeouts, our own callbacks) each have an entry; the rest of
 * libcurl's codes (FTP, LDAP, TFTP...) cannot happen for an HTTPS request and
 * share the generic text.
 */
#include "curl_text.h"

#include <curl/curl.h>
#include <stdio.h>

static const char *const texts[CURL_LAST] = {
	[CURLE_UNSUPPORTED_PROTOCOL] = "the API URL's scheme is not supported (use https://)",
	[CURLE_FAILED_INIT] = "the HTTP library could not start the request",
	[CURLE_URL_MALFORMAT] = "the API URL is not a valid URL",
	[CURLE_NOT_BUILT_IN] = "the HTTP library lacks a feature this request needs",
	[CURLE_COULDNT_RESOLVE_PROXY] = "the proxy's host name could not be resolved",
	[CURLE_COULDNT_RESOLVE_HOST] = "the API's host name could not be resolved (DNS)",
	[CURLE_COULDNT_CONNECT] = "could not connect to the API (connection refused or unreachable)",
	[CURLE_WEIRD_SERVER_REPLY] = "the API's reply was not valid HTTP",
	[CURLE_HTTP2] = "the HTTP/2 connection failed",
	[CURLE_PARTIAL_FILE] = "the reply was cut off before its end",
	[CURLE_HTTP_RETURNED_ERROR] = "the API answered with an HTTP error",
	[CURLE_WRITE_ERROR] = "the reply could not be kept (larger than allowed, or out of memory)",
	[CURLE_UPLOAD_FAILED] = "the request body could not be sent",
	[CURLE_READ_ERROR] = "the request body could not be read",
	[CURLE_OUT_OF_MEMORY] = "out of memory while sending the request",
	[CURLE_OPERATION_TIMEDOUT] = "no complete reply in time (timed out)",
	[CURLE_RANGE_ERROR] = "the API did not accept the requested range",
	[CURLE_HTTP_POST_ERROR] = "the request body could not be prepared",
	[CURLE_SSL_CONNECT_ERROR] = "the TLS handshake with the API failed",
	[CURLE_FUNCTION_NOT_FOUND] = "the HTTP library lacks a function this request needs",
	[CURLE_ABORTED_BY_CALLBACK] = "the request was stopped by s3src",
	[CURLE_BAD_FUNCTION_ARGUMENT] = "internal error: the HTTP library refused a setting",
	[CURLE_INTERFACE_FAILED] = "the network interface asked for could not be used",
	[CURLE_TOO_MANY_REDIRECTS] = "the API redirected too many times",
	[CURLE_UNKNOWN_OPTION] = "internal error: the HTTP library does not know a setting",
	[CURLE_SETOPT_OPTION_SYNTAX] = "internal error: a setting of the HTTP library is malformed",
	[CURLE_GOT_NOTHING] = "the connection closed without a reply",
	[CURLE_SSL_ENGINE_NOTFOUND] = "the TLS engine asked for was not found",
	[CURLE_SSL_ENGINE_SETFAILED] = "the TLS engine could not be set up",
	[CURLE_SEND_ERROR] = "the connection failed while the request was being sent",
	[CURLE_RECV_ERROR] = "the connection was reset before the reply",
	[CURLE_SSL_CERTPROBLEM] = "the TLS client certificate could not be used",
	[CURLE_SSL_CIPHER] = "no TLS cipher in common with the API",
	[CURLE_PEER_FAILED_VERIFICATION] = "the API's TLS certificate was not accepted "
		"(not from a trusted authority, expired, or for another name; see --cacert)",
	[CURLE_BAD_CONTENT_ENCODING] = "the reply's content encoding could not be decoded",
	[CURLE_FILESIZE_EXCEEDED] = "the reply is larger than allowed",
	[CURLE_USE_SSL_FAILED] = "TLS was required but could not be used",
	/* a kept-alive connection that died before the reply: libcurl's own
	 * re-send is refused (no seek callback, see scheduling.md), so this is
	 * what the user sees of it, retried or not */
	[CURLE_SEND_FAIL_REWIND] = "the connection dropped before the reply",
	[CURLE_SSL_ENGINE_INITFAILED] = "the TLS engine could not be started",
	[CURLE_LOGIN_DENIED] = "the API refused the login",
	[CURLE_REMOTE_ACCESS_DENIED] = "the API refused access",
	[CURLE_SSL_CACERT_BADFILE] = "the certificate authority file (--cacert) could not be read",
	[CURLE_SSL_SHUTDOWN_FAILED] = "the TLS connection did not close cleanly",
	[CURLE_AGAIN] = "the connection was not ready; try again",
	[CURLE_SSL_CRL_BADFILE] = "the certificate revocation list could not be read",
	[CURLE_SSL_ISSUER_ERROR] = "the API's TLS certificate has an unexpected issuer",
	[CURLE_CHUNK_FAILED] = "a chunk of the reply could not be handled",
	[CURLE_NO_CONNECTION_AVAILABLE] = "no connection to the API was available",
	[CURLE_SSL_PINNEDPUBKEYNOTMATCH] = "the API's TLS key does not match the pinned key",
	[CURLE_SSL_INVALIDCERTSTATUS] = "the API's TLS certificate status is invalid",
	[CURLE_HTTP2_STREAM] = "the HTTP/2 stream was reset by the API or a proxy",
	[CURLE_RECURSIVE_API_CALL] = "internal error: the HTTP library was called from itself",
	[CURLE_AUTH_ERROR] = "authentication with the API or proxy failed",
	[CURLE_HTTP3] = "the HTTP/3 connection failed",
	[CURLE_QUIC_CONNECT_ERROR] = "the QUIC connection to the API failed",
	[CURLE_PROXY] = "the proxy refused or failed the connection",
	[CURLE_SSL_CLIENTCERT] = "the API asked for a TLS client certificate",
	[CURLE_UNRECOVERABLE_POLL] = "waiting on the network failed",
};

int curl_code_has_text(int code)
{
	return code > 0 && code < CURL_LAST && texts[code] != NULL;
}

const char *curl_code_text(int code)
{
	static char generic[64][80];   /* one per code below 64, built on first use */

	if (curl_code_has_text(code))
		return texts[code];
	if (code == CURLE_OK)
		return "no error";
	if (code > 0 && code < 64) {
		if (!generic[code][0])
			snprintf(generic[code], sizeof(generic[code]),
				 "the request failed in the HTTP library (code %d)", code);
		return generic[code];
	}
	return "the request failed in the HTTP library";
}
