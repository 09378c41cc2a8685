/*
 * body.c - the exact request bodies (spec: "Request bodies hold exactly the
 * schema's fields") and the row fingerprint.
 *
 * body_build() turns validated values into a new JSON object holding only the
 * fields of CreateS3Source (POST) or ModifyS3Source (PUT): excludedPrefixes is
 * always an array, kmsKey and logStreamTypeOptions are left out when empty,
 * logStreamType is in its canonical spelling. Keys are inserted in schema
 * order, which is alphabetical order, and jansson keeps insertion order, so
 * the compact dump is already key-sorted without paying for JSON_SORT_KEYS:
 * the bytes on the wire are stable and the fingerprint of a row does not
 * depend on how its input was written. The fingerprint is libcrypto's SHA-256
 * of the action, the ID and a canonical encoding of the body.
 */
#include "source_internal.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"


/* The strings reaching body_build() were checked as UTF-8 already (by the
 * reader, by jansson's parser or at --set parsing), so they are wrapped
 * without a second check. */
static json_t *str(const char *s)
{
	return json_string_nocheck(s);
}

/* A list of strings for the body: the validated array itself, shared (a new
 * reference; nothing modifies it afterwards). */
static json_t *share(const json_t *a)
{
	return json_incref((json_t *)a);
}

json_t *body_build(enum action a, const struct body_fields *f)
{
	json_t *b = json_object();
	if (a == ACTION_CREATE)
		json_object_set_new_nocheck(b, "awsAccountId", str(f->aws_account_id));
	json_object_set_new_nocheck(b, "integrationLabel", str(f->integration_label));
	if (f->kms_key && *f->kms_key)
		json_object_set_new_nocheck(b, "kmsKey", str(f->kms_key));
	json_object_set_new_nocheck(b, "logProcessingRole", str(f->log_processing_role));
	json_object_set_new_nocheck(b, "logStreamType", str(f->log_stream_type));

	json_t *opts = json_object();
	if (f->json_array_envelope_field && *f->json_array_envelope_field)
		json_object_set_new_nocheck(opts, "jsonArrayEnvelopeField",
				    str(f->json_array_envelope_field));
	if (f->retain_envelope_fields >= 0)
		json_object_set_new_nocheck(opts, "retainEnvelopeFields",
				    json_boolean(f->retain_envelope_fields));
	if (f->xml_root_element && *f->xml_root_element)
		json_object_set_new_nocheck(opts, "xmlRootElement", str(f->xml_root_element));
	if (json_object_size(opts))
		json_object_set_new_nocheck(b, "logStreamTypeOptions", opts);
	else
		json_decref(opts);

	json_object_set_new_nocheck(b, "managedBucketNotifications",
			    json_boolean(f->managed_bucket_notifications));
	if (a == ACTION_CREATE)
		json_object_set_new_nocheck(b, "s3Bucket", str(f->s3_bucket));

	json_t *list = json_array();
	for (size_t i = 0; i < f->nmappings; i++) {
		const struct body_mapping *m = &f->mappings[i];
		json_t *o = json_object();
		json_object_set_new_nocheck(o, "excludedPrefixes",
				    m->excluded ? share(m->excluded) : json_array());
		json_object_set_new_nocheck(o, "logTypes", share(m->log_types));
		json_object_set_new_nocheck(o, "prefix", str(m->prefix ? m->prefix : ""));
		json_array_append_new(list, o);
	}
	json_object_set_new_nocheck(b, "s3PrefixLogTypes", list);
	return b;
}

char *source_body_dumps(const json_t *body)
{
	return json_dumps(body, SOURCE_BODY_DUMP_FLAGS);
}

/*
 * The digest input is "action\nid\n" followed by a canonical encoding of
 * the body tree, not its JSON text: every value is a type letter, then for a
 * string its length and bytes, for an array or object its size and members
 * (object members as key length, key, value, in the body's key order, which
 * is sorted by construction). Walking the tree costs a fraction of dumping
 * JSON (no escaping, no UTF-8 checks), and the encoding is unambiguous, so two
 * bodies have the same fingerprint exactly when they are the same JSON.
 */
/* Appends a tag letter (if any), the decimal n and ':'. */
static void put_len(struct strbuf *b, char tag, size_t n)
{
	char num[24];
	char *p = num + sizeof(num);
	*--p = ':';
	do {
		*--p = (char)('0' + n % 10);
		n /= 10;
	} while (n);
	if (tag)
		*--p = tag;
	strbuf_add(b, p, (size_t)(num + sizeof(num) - p));
}

static void encode(struct strbuf *b, const json_t *v)
{
	char num[40];
	int n;
	switch (json_typeof(v)) {
	case JSON_OBJECT: {
		const char *key;
		const json_t *val;
		put_len(b, 'o', json_object_size(v));
		json_object_foreach((json_t *)v, key, val) {
			size_t klen = strlen(key);
			put_len(b, 0, klen);
			strbuf_add(b, key, klen);
			encode(b, val);
		}
		break;
	}
	case JSON_ARRAY: {
		size_t i;
		const json_t *val;
		put_len(b, 'a', json_array_size(v));
		json_array_foreach((json_t *)v, i, val)
			encode(b, val);
		break;
	}
	case JSON_STRING:
		put_len(b, 's', json_string_length(v));
		strbuf_add(b, json_string_value(v), json_string_length(v));
		break;
	case JSON_INTEGER:
		n = snprintf(num, sizeof(num), "i%" JSON_INTEGER_FORMAT ";", json_integer_value(v));
		strbuf_add(b, num, (size_t)n);
		break;
	case JSON_REAL:
		n = snprintf(num, sizeof(num), "r%.17g;", json_real_value(v));
		strbuf_add(b, num, (size_t)n);
		break;
	case JSON_TRUE:
		strbuf_add(b, "t", 1);
		break;
	case JSON_FALSE:
		strbuf_add(b, "f", 1);
		break;
	case JSON_NULL:
		strbuf_add(b, "n", 1);
		break;
	}
}

void source_fingerprint(enum action a, const char *id, const json_t *body, char out[65])
{
	static struct strbuf b = STRBUF_INIT;   /* reused: no allocation per row */
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned int dlen = 0;
	static const char hex[] = "0123456789abcdef";
	const char *name = action_name(a);
	strbuf_reset(&b);
	strbuf_add(&b, name, strlen(name));
	strbuf_add(&b, "\n", 1);
	if (id)
		strbuf_add(&b, id, strlen(id));
	strbuf_add(&b, "\n", 1);
	if (body)
		encode(&b, body);
	/* The algorithm fetched once and one context reused: EVP_Digest() with
	 * EVP_sha256() fetches the algorithm and allocates a context on every
	 * call, which cost as much as the hash itself (both kept for the life of
	 * the process, reachable, never leaked). */
	static EVP_MD *md;
	static EVP_MD_CTX *ctx;
	if ((!md && !(md = EVP_MD_fetch(NULL, "SHA256", NULL))) ||
	    (!ctx && !(ctx = EVP_MD_CTX_new())) ||
	    !EVP_DigestInit_ex(ctx, md, NULL) || !EVP_DigestUpdate(ctx, b.buf, b.len) ||
	    !EVP_DigestFinal_ex(ctx, digest, &dlen) || dlen != 32)
		die("SHA-256 is not available from libcrypto");
	for (unsigned i = 0; i < 32; i++) {
		out[2 * i] = hex[digest[i] >> 4];
		out[2 * i + 1] = hex[digest[i] & 15];
	}
	out[64] = '\0';
	if (b.alloc > 65536)   /* do not keep a huge body's buffer around */
		strbuf_release(&b);
}
