/*
 * messages.h - every message the input checks can give, in one place: the
 * row checks (validate.c, row_map.c: "field: message", the row is invalid),
 * the header and option checks (header.c, row_map.c: exit 2) and the
 * reader's per-record errors (reader_csv.c, reader_jsonl.c).
 *
 * Each is a printf format behind an M_ name, so the compiler still checks
 * every call's arguments; src/util/messages.c lists them all in one table with
 * the field each belongs to, and tests/unit/test_messages.c checks that
 * every message example quoted in docs/input-format.md is one of them.
 * A new message goes here AND in that table (the test fails otherwise).
 */
#ifndef S3SRC_MESSAGES_H
#define S3SRC_MESSAGES_H

#include <stddef.h>

/* ---- row checks (validate.c) ---- */
#define M_MISSING "missing, %s needs it (fill the %s, or use --set)"
#define M_ACCOUNT_PADDED \
	"'%s' padded to '%s' (a spreadsheet dropped " \
	"the leading zeros)"
#define M_ACCOUNT_SCIENTIFIC \
	"'%s' is in scientific notation (the spreadsheet " \
	"rounded the number), format the column as text and export again"
#define M_ACCOUNT_DIGITS "'%s' has %zu digits, an AWS account ID has 12"
#define M_ACCOUNT_NOT_DIGITS "'%.64s' is not an AWS account ID, expected 12 digits"
#define M_LABEL_TOO_LONG "'%.64s' is %zu characters long, the limit is 32"
#define M_LABEL_NON_ASCII \
	"'%s' has a non-ASCII character, " \
	"use only letters, digits, spaces and hyphens"
#define M_LABEL_CONTROL \
	"'%s' has a control character, " \
	"use only letters, digits, spaces and hyphens"
#define M_LABEL_CHARACTER \
	"'%s' has '%c', use only letters, " \
	"digits, spaces and hyphens"
#define M_BUCKET_URL \
	"'%.80s' is not a bucket name, give the name only " \
	"(e.g. 'my-logs' for s3://my-logs/prefix)"
#define M_BUCKET_LENGTH "'%.80s' is %zu characters long, a bucket name has 3 to 63"
#define M_BUCKET_UPPERCASE "'%s' has uppercase letters, bucket names are lowercase"
#define M_BUCKET_BAD_BYTE \
	"'%s' has a character bucket names cannot have, use only " \
	"lowercase letters, digits, '.' and '-'"
#define M_BUCKET_CHARACTER \
	"'%s' has '%c', bucket names use only lowercase letters, " \
	"digits, '.' and '-'"
#define M_BUCKET_ENDS "'%s' must start and end with a letter or digit"
#define M_BUCKET_DOTS "'%s' has '..', which bucket names cannot have"
#define M_BUCKET_IP "'%s' is formatted as an IP address, which is not a bucket name"
#define M_ROLE_NOT_ARN "'%.128s' is not an IAM role ARN, %s"
#define M_ROLE_PARTITION \
	"'%.128s' has the partition '%s', expected aws, aws-cn or " \
	"aws-us-gov"
#define M_ROLE_REGION "'%.128s' has a region, IAM ARNs have none (%s)"
#define M_ROLE_ACCOUNT "'%.128s' has the account '%s', expected 12 digits (%s)"
#define M_ROLE_NOT_ROLE "'%.128s' does not name a role, %s"
#define M_ROLE_NAME_CHARACTER "'%.128s' has '%c' in the role name, which IAM does not allow"
#define M_KMS_NOT_ARN "'%.128s' is not a KMS key ARN, %s"
#define M_KMS_PARTITION \
	"'%.128s' has the partition '%s', expected aws, aws-cn or " \
	"aws-us-gov"
#define M_KMS_REGION "'%.128s' has the region '%s', expected one such as us-east-1"
#define M_KMS_ACCOUNT "'%.128s' has the account '%s', expected 12 digits"
#define M_KMS_ALIAS "'%.128s' is an alias, give the key's ARN (...:key/KEY-ID)"
#define M_KMS_NOT_KEY "'%.128s' does not name a key, %s"
#define M_UNKNOWN_KEY_DID_YOU_MEAN "unknown key (did you mean '%s'?)"
#define M_UNKNOWN_KEY "unknown key, remove it"
#define M_ENVELOPE_ONLY_JSONARRAY \
	"only applies to logStreamType JsonArray " \
	"(this source's is %s), clear it or change logStreamType"
#define M_XMLROOT_ONLY_XML \
	"only applies to logStreamType XML " \
	"(this source's is %s), clear it or change logStreamType"
#define M_RETAIN_NOT_BOOLEAN "'%.40s' is not a boolean, use true or false"
#define M_RETAIN_ONLY_CLOUDWATCH \
	"only applies to logStreamType " \
	"CloudWatchLogs (this source's is %s), clear it or change logStreamType"
#define M_NOT_STRING_ARRAY "must be an array of strings"
#define M_NOT_STRING_ITEM "must be an array of strings (item %zu is not a string)"
#define M_MAPPINGS_MISSING \
	"missing, %s needs at least one mapping " \
	"{\"prefix\", \"logTypes\"}"
#define M_MAPPINGS_MISSING_FLAT \
	"missing, %s needs at least one mapping " \
	"(fill prefix and logTypes, or s3PrefixLogTypes)"
#define M_MAPPINGS_NOT_ARRAY \
	"must be an array of " \
	"{\"prefix\", \"logTypes\", \"excludedPrefixes\"}"
#define M_MAPPING_NOT_OBJECT \
	"must be an object " \
	"{\"prefix\", \"logTypes\", \"excludedPrefixes\"}"
#define M_NOT_STRING "must be a string"
#define M_PREFIX_STAR "'%s' has '*', which is only allowed in excludedPrefixes"
#define M_PREFIX_TWICE \
	"'%s' appears twice in this source (also " \
	"line %zu), merge its log types into one mapping"
#define M_PREFIX_EMPTY_TWICE \
	"the empty prefix (whole bucket) appears " \
	"twice in this source (also line %zu), merge its log types " \
	"into one mapping"
#define M_LOGTYPES_MISSING \
	"missing, each mapping needs at least one log type " \
	"such as AWS.CloudTrail"
#define M_LOGTYPE_NAME \
	"'%.80s' is not a log type name, expected " \
	"Namespace.Name such as AWS.CloudTrail or Custom.MyLogs"
#define M_ACTION_UNKNOWN \
	"'%.32s' is not an action, use create or modify " \
	"(or leave it empty for --mode)"
#define M_ID_IGNORED "'%s' is ignored, the row's action is create"
#define M_ID_MISSING_MODE "missing, --mode modify needs it on every row"
#define M_ID_MISSING "missing, a modify needs the ID of the source to change"
#define M_ID_CLAIMED \
	"'%s' (the source labelled '%s') is modified by line %zu already, " \
	"use one row per source"
#define M_ID_LABEL_UNKNOWN "missing, and no S3 source is labelled '%s' (--match label)"
#define M_CLEAR_REQUIRED \
	"'#N/A' clears optional fields only and a source must have %s " \
	"(leave the %s empty to keep the server's value)"
#define M_OPTION_ROW_STREAM \
	"only applies to logStreamType %s (this row sets %s), " \
	"clear it or change logStreamType"
#define M_ROLE_OTHER_ACCOUNT \
	"the role's account %s differs from " \
	"awsAccountId %s (fine if the role is meant to be in another account)"
#define M_STREAM_UNKNOWN \
	"'%.64s' is not a stream type, use Auto, JSON, " \
	"JsonArray, Lines, XML or CloudWatchLogs"
#define M_NOTIFICATIONS_NOT_BOOLEAN \
	"'%.40s' is not a boolean, " \
	"use true or false"

/* ---- a modify merged with the server's source (merge.c) ---- */
#define M_FIXED_FIELD "cannot change %s from '%s' to '%s'; create a new source"
#define M_MERGED_REQUIRED \
	"the source on the server has none and the row " \
	"gives none; give it in the row"
#define M_MERGED_OPTION \
	"only applies to logStreamType %s (this source's would " \
	"be %s), clear it with '#N/A' or change logStreamType"
#define M_MERGED_LOGTYPES \
	"missing for prefix '%s', which the source on the server " \
	"does not have: give its log types"
#define M_MERGED_NOT_OBJECT "the API returned a source that is not a JSON object"

/* ---- cells, --set, duplicates (row_map.c) ---- */
#define M_LIST_BAD_JSON "starts with '[' but is not a JSON array (%s at column %d)"
#define M_LIST_NOT_ARRAY "starts with '[' but is not a JSON array"
#define M_LIST_NOT_STRINGS "the JSON array must hold only strings (item %zu is not one)"
#define M_LIST_UTF8 "is not valid UTF-8"
#define M_SET_UNCLOSED "--set '%s': '{' without a closing '}'"
#define M_SET_TEMPLATE_FIELD "--set '%s': unknown field '{%s}' in the template%s%s%s"
#define M_SET_SYNTAX "--set '%s': expected FIELD=VALUE"
#define M_SET_FIELD "--set '%s': unknown field '%s'%s%s%s"
#define M_SET_UTF8 "--set '%s': the value is not valid UTF-8"
#define M_SET_TEMPLATE_EMPTY "the --set template needs '%s', which is empty in this row"
#define M_MAPPINGS_BAD_JSON \
	"not valid JSON (%s at column %d), expected an " \
	"array of {\"prefix\", \"logTypes\", \"excludedPrefixes\"}"
#define M_MAPPINGS_CELL_NOT_ARRAY \
	"expected a JSON array of " \
	"{\"prefix\", \"logTypes\", \"excludedPrefixes\"}"
#define M_LIST_CELL "the cell %s"
#define M_MAPPINGS_BOTH_FORMS \
	"this row has both s3PrefixLogTypes and " \
	"prefix/logTypes/excludedPrefixes, use one form per row"
#define M_PREFIX_LINES \
	"the cell holds %zu lines, sent as %zu mappings (%s) " \
	"with the same logTypes and excludedPrefixes"
#define M_PREFIX_SEPARATOR \
	"'%.*s' holds '%c' and is sent as one prefix; to give " \
	"several, put one per line in the cell or use continuation rows"
#define M_NOT_BOOLEAN "must be true or false"
#define M_ACTION_NOT_STRING "must be a string, \"create\" or \"modify\""
#define M_NUL "must not contain a NUL character"
#define M_OPTIONS_NOT_OBJECT "must be an object"
#define M_MODE_UNKNOWN "unknown --mode, use auto, create or modify"
#define M_PREFIX_ALREADY_INGESTED \
	"s3://%s/%.200s in account %s is already ingested by the " \
	"source on line %zu, two sources would ingest the same objects twice"
#define M_LABEL_DUPLICATE \
	"'%s' is already created by line %zu, " \
	"labels must be unique"
#define M_ID_DUPLICATE \
	"'%s' already appears on line %zu, " \
	"use one row per source"
#define M_CONTINUATION_FIRST \
	"a continuation row (only prefix, logTypes or " \
	"excludedPrefixes) needs a source row before it: give this row the " \
	"source's integrationId (modify) or its other columns (create)"
#define M_NO_OBJECT "no JSON object"

/* ---- the header and --column (header.c) ---- */
#define M_COLUMN_SYNTAX \
	"--column '%s': expected 'HEADER=FIELD', e.g. " \
	"--column 'Log Bucket=s3Bucket'"
#define M_COLUMN_FIELD "--column '%s': unknown field '%s'%s%s%s"
#define M_COLUMN_NO_HEADER "--column '%s': the header has no column '%s'"
#define M_HEADER_TWICE \
	"columns '%s' and '%s' both name the field '%s'; keep one " \
	"(skip the other with --ignore-column)"
#define M_HEADER_UNKNOWN \
	"unknown column %s; rename it, map it with --column " \
	"'%s=FIELD', or skip it with%s"
#define M_HEADER_DELIMITER \
	"unknown column '%.64s' (is the file '%s'-separated? pass --delimiter '%s')"
#define M_HEADER_UNKNOWNS \
	"%zu unknown columns: %s; rename them, map them with " \
	"--column 'HEADER=FIELD', or skip them with%s"

/* ---- reader, per record (reader_jsonl.c, reader_csv.c) ---- */
#define M_JSON_DUPLICATE_KEY "duplicate key '%s'"
#define M_JSON_INVALID "invalid JSON at column %d: %s"
#define M_JSON_NOT_OBJECT "not a JSON object but %s"

#define M_ROW_TOO_MANY_CELLS "row has %zu cells, the header has %zu"
#define M_STRAY_QUOTE \
	"%s: stray quote on line %zu (a '\"' inside an unquoted cell or text " \
	"after a closing quote): quote the whole cell and double its quotes"
#define M_UNTERMINATED_QUOTE \
	"unterminated quoted cell (opened on line %zu, still open at the end " \
	"of the file on line %zu): close the quote"
/* a cell under a column whose header is empty (row_map.c; source.c: exit 2) */
#define M_UNNAMED_COLUMN_DATA \
	"column %zu (%s) has no name in the header but holds '%.*s%s'; " \
	"name the column (e.g. kmsKey) or empty its cells"

struct message {
	const char *id;     /* the macro's name, e.g. "M_LABEL_TOO_LONG" */
	const char *field;  /* the field it is reported on; "" when it varies */
	const char *format; /* the printf format */
};

/* The table of every message above (messages.c). */
extern const struct message messages[];
extern const size_t messages_count;

/* 1 if text is what format can produce: each conversion (%s, %zu, %.*s, ...)
 * stands for any text; a text ending in "..." only needs to match its start
 * (a shortened example). */
int message_matches(const char *format, const char *text);

#endif
