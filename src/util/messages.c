/*
 * messages.c - the table of every input-check message (see messages.h): its
 * name, the field it is reported on and its format, so the documentation can
 * be checked against what the code says (tests/unit/test_messages.c).
 */
#include "messages.h"

#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define M(id, field) { #id, field, id }

const struct message messages[] = {
	M(M_MISSING, ""),
	M(M_ACCOUNT_PADDED, "awsAccountId"),
	M(M_ACCOUNT_SCIENTIFIC, "awsAccountId"),
	M(M_ACCOUNT_DIGITS, "awsAccountId"),
	M(M_ACCOUNT_NOT_DIGITS, "awsAccountId"),
	M(M_LABEL_TOO_LONG, "integrationLabel"),
	M(M_LABEL_NON_ASCII, "integrationLabel"),
	M(M_LABEL_CONTROL, "integrationLabel"),
	M(M_LABEL_CHARACTER, "integrationLabel"),
	M(M_BUCKET_URL, "s3Bucket"),
	M(M_BUCKET_LENGTH, "s3Bucket"),
	M(M_BUCKET_UPPERCASE, "s3Bucket"),
	M(M_BUCKET_BAD_BYTE, "s3Bucket"),
	M(M_BUCKET_CHARACTER, "s3Bucket"),
	M(M_BUCKET_ENDS, "s3Bucket"),
	M(M_BUCKET_DOTS, "s3Bucket"),
	M(M_BUCKET_IP, "s3Bucket"),
	M(M_ROLE_NOT_ARN, "logProcessingRole"),
	M(M_ROLE_PARTITION, "logProcessingRole"),
	M(M_ROLE_REGION, "logProcessingRole"),
	M(M_ROLE_ACCOUNT, "logProcessingRole"),
	M(M_ROLE_NOT_ROLE, "logProcessingRole"),
	M(M_ROLE_NAME_CHARACTER, "logProcessingRole"),
	M(M_KMS_NOT_ARN, "kmsKey"),
	M(M_KMS_PARTITION, "kmsKey"),
	M(M_KMS_REGION, "kmsKey"),
	M(M_KMS_ACCOUNT, "kmsKey"),
	M(M_KMS_ALIAS, "kmsKey"),
	M(M_KMS_NOT_KEY, "kmsKey"),
	M(M_UNKNOWN_KEY_DID_YOU_MEAN, ""),
	M(M_UNKNOWN_KEY, ""),
	M(M_ENVELOPE_ONLY_JSONARRAY, "jsonArrayEnvelopeField"),
	M(M_XMLROOT_ONLY_XML, "xmlRootElement"),
	M(M_RETAIN_NOT_BOOLEAN, "retainEnvelopeFields"),
	M(M_RETAIN_ONLY_CLOUDWATCH, "retainEnvelopeFields"),
	M(M_NOT_STRING_ARRAY, ""),
	M(M_NOT_STRING_ITEM, ""),
	M(M_MAPPINGS_MISSING, "s3PrefixLogTypes"),
	M(M_MAPPINGS_MISSING_FLAT, "logTypes"),
	M(M_MAPPINGS_NOT_ARRAY, "s3PrefixLogTypes"),
	M(M_MAPPING_NOT_OBJECT, ""),
	M(M_NOT_STRING, ""),
	M(M_PREFIX_STAR, ""),
	M(M_PREFIX_TWICE, ""),
	M(M_PREFIX_EMPTY_TWICE, ""),
	M(M_LOGTYPES_MISSING, ""),
	M(M_LOGTYPE_NAME, ""),
	M(M_ACTION_UNKNOWN, "action"),
	M(M_ID_IGNORED, "integrationId"),
	M(M_ID_MISSING_MODE, "integrationId"),
	M(M_ID_MISSING, "integrationId"),
	M(M_ID_CLAIMED, "integrationId"),
	M(M_ID_LABEL_UNKNOWN, "integrationId"),
	M(M_CLEAR_REQUIRED, ""),
	M(M_OPTION_ROW_STREAM, ""),
	M(M_ROLE_OTHER_ACCOUNT, "logProcessingRole"),
	M(M_STREAM_UNKNOWN, "logStreamType"),
	M(M_NOTIFICATIONS_NOT_BOOLEAN, "managedBucketNotifications"),
	M(M_FIXED_FIELD, ""),
	M(M_MERGED_REQUIRED, ""),
	M(M_MERGED_OPTION, ""),
	M(M_MERGED_LOGTYPES, "logTypes"),
	M(M_MERGED_NOT_OBJECT, "integrationId"),
	M(M_LIST_BAD_JSON, ""),
	M(M_LIST_NOT_ARRAY, ""),
	M(M_LIST_NOT_STRINGS, ""),
	M(M_LIST_UTF8, ""),
	M(M_SET_UNCLOSED, ""),
	M(M_SET_TEMPLATE_FIELD, ""),
	M(M_SET_SYNTAX, ""),
	M(M_SET_FIELD, ""),
	M(M_SET_UTF8, ""),
	M(M_SET_TEMPLATE_EMPTY, ""),
	M(M_MAPPINGS_BAD_JSON, "s3PrefixLogTypes"),
	M(M_MAPPINGS_CELL_NOT_ARRAY, "s3PrefixLogTypes"),
	M(M_LIST_CELL, ""),
	M(M_MAPPINGS_BOTH_FORMS, "s3PrefixLogTypes"),
	M(M_PREFIX_LINES, "prefix"),
	M(M_PREFIX_SEPARATOR, "prefix"),
	M(M_NOT_BOOLEAN, ""),
	M(M_ACTION_NOT_STRING, ""),
	M(M_NUL, ""),
	M(M_OPTIONS_NOT_OBJECT, "logStreamTypeOptions"),
	M(M_MODE_UNKNOWN, ""),
	M(M_PREFIX_ALREADY_INGESTED, ""),
	M(M_LABEL_DUPLICATE, "integrationLabel"),
	M(M_ID_DUPLICATE, "integrationId"),
	M(M_CONTINUATION_FIRST, "prefix"),
	M(M_NO_OBJECT, "row"),
	M(M_COLUMN_SYNTAX, ""),
	M(M_COLUMN_FIELD, ""),
	M(M_COLUMN_NO_HEADER, ""),
	M(M_HEADER_TWICE, ""),
	M(M_HEADER_UNKNOWN, ""),
	M(M_HEADER_UNKNOWNS, ""),
	M(M_HEADER_DELIMITER, ""),
	M(M_JSON_DUPLICATE_KEY, ""),
	M(M_JSON_INVALID, ""),
	M(M_JSON_NOT_OBJECT, ""),
	M(M_ROW_TOO_MANY_CELLS, ""),
	M(M_STRAY_QUOTE, ""),
	M(M_UNTERMINATED_QUOTE, ""),
	M(M_UNNAMED_COLUMN_DATA, ""),
};

const size_t messages_count = ARRAY_SIZE(messages);
int message_matches(const char *format, const char *text)
{
	struct strbuf re = STRBUF_INIT;
	size_t tlen = strlen(text);
	int prefix = tlen >= 3 && !strcmp(text + tlen - 3, "...");

	strbuf_addch(&re, '^');
	for (const char *p = format; *p; p++) {
		if (*p == '%' && p[1] == '%') {
			strbuf_addch(&re, '%');
			p++;
		} else if (*p == '%') {
			/* flags, width, precision (".*" too), length, conversion */
			p++;
			while (*p && strchr("-+ #0123456789.*hlzjtL", *p))
				p++;
			strbuf_addstr(&re, ".*");
			if (!*p)
				break;
		} else if (strchr("\\^$.|?*+()[]{}", *p)) {
			strbuf_addch(&re, '\\');
			strbuf_addch(&re, *p);
		} else {
			strbuf_addch(&re, *p);
		}
	}
	char *want = xstrndup(text, prefix ? tlen - 3 : tlen);
	if (prefix) {
		/* "x, ..." shortens x: drop the blanks and separator before the dots */
		size_t n = strlen(want);
		while (n && (want[n - 1] == ' ' || want[n - 1] == ','))
			want[--n] = '\0';
	} else {
		strbuf_addch(&re, '$');
	}
	regex_t rx;
	int ok = 0;
	if (!regcomp(&rx, re.buf, REG_EXTENDED | REG_NOSUB)) {
		if (prefix) {
			/* the example is a start of the message: some prefix of the pattern
			 * must match it whole; try the pattern cut at every position */
			ok = !regexec(&rx, want, 0, NULL, 0);
			for (size_t cut = re.len; !ok && cut > 1; cut--) {
				struct strbuf part = STRBUF_INIT;
				strbuf_add(&part, re.buf, cut);
				strbuf_addch(&part, '$');
				regex_t rp;
				if (!regcomp(&rp, part.buf, REG_EXTENDED | REG_NOSUB)) {
					ok = !regexec(&rp, want, 0, NULL, 0);
					regfree(&rp);
				}
				strbuf_release(&part);
			}
		} else {
			ok = !regexec(&rx, want, 0, NULL, 0);
		}
		regfree(&rx);
	}
	free(want);
	strbuf_release(&re);
	return ok;
}
