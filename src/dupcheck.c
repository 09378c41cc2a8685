/*
 * dupcheck.c - the cross-file duplicate checks: a second create with the same
 * label, or a second row for the same integrationId. The only state that grows
 * with the file, so it keeps just a 64-bit hash and a line number per key
 * (see struct dupcheck for the layout). Two different
 * keys with the same 64-bit hash would be reported as duplicates; with
 * FNV-1a over a few hundred thousand keys the odds are about 1 in 10^9.
 */
#include "source_internal.h"

#include <stdlib.h>
#include <string.h>

/* Keys seen so far as a dense list (hash, line), grown with realloc (a large
 * block grows in place with mremap, and pages not yet written cost nothing),
 * plus an open-addressing index of slots, rebuilt at 4/5 full. A slot holds
 * the key's list position + 1 in its low 24 bits (0 = empty) and 8 bits of
 * its hash above them, so most probes that miss never touch the list. About
 * 12 bytes a key in the list and 5 in the index: 1.7 MB for 100,000 rows.
 * The index addresses 2^24 - 1 keys; later keys are not checked (a file of
 * more than 16 million sources is not a spreadsheet). */
#define POS_BITS 24
#define POS_MAX ((1u << POS_BITS) - 1)

struct dupcheck {
	uint64_t *hash;
	uint32_t *line;     /* capped at UINT32_MAX */
	size_t count, alloc;
	uint32_t *slots;
	size_t nslots;      /* power of two */
};

static uint32_t tag_of(uint64_t h)
{
	return (uint32_t)(h >> 56) << POS_BITS;
}

static uint64_t dup_hash(enum dup_kind kind, const char *key)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	h ^= (uint64_t)kind + 1;
	h *= 0x100000001b3ULL;
	for (const unsigned char *p = (const unsigned char *)key; *p; p++) {
		h ^= *p;
		h *= 0x100000001b3ULL;
	}
	/* final mix so the low bits (the slot) depend on every byte */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h ? h : 1;
}

struct dupcheck *dupcheck_new(void)
{
	struct dupcheck *dc = xcalloc(1, sizeof(*dc));
	dc->nslots = 1024;
	dc->slots = xcalloc(dc->nslots, sizeof(*dc->slots));
	return dc;
}

void dupcheck_free(struct dupcheck *dc)
{
	if (!dc)
		return;
	free(dc->hash);
	free(dc->line);
	free(dc->slots);
	free(dc);
}

/* The slot holding h, or the empty slot where it would go. */
static size_t find(const struct dupcheck *dc, uint64_t h)
{
	size_t mask = dc->nslots - 1, i = (size_t)h & mask;
	uint32_t tag = tag_of(h);

	for (uint32_t v; (v = dc->slots[i]); i = (i + 1) & mask)
		if ((v & ~POS_MAX) == tag && dc->hash[(v & POS_MAX) - 1] == h)
			break;
	return i;
}

static void index_rebuild(struct dupcheck *dc, size_t nslots)
{
	free(dc->slots);   /* first: the new index never coexists with the old */
	dc->nslots = nslots;
	dc->slots = xcalloc(dc->nslots, sizeof(*dc->slots));
	for (size_t k = 0; k < dc->count; k++)
		dc->slots[find(dc, dc->hash[k])] = (uint32_t)(k + 1) | tag_of(dc->hash[k]);
}

size_t dupcheck_add(struct dupcheck *dc, enum dup_kind kind, const char *key, size_t line)
{
	uint64_t h = dup_hash(kind, key);
	size_t i = find(dc, h);
	if (dc->slots[i])
		return dc->line[(dc->slots[i] & POS_MAX) - 1];
	if (dc->count >= POS_MAX)
		return 0;
	if (dc->count == dc->alloc) {
		dc->alloc = dc->alloc ? 2 * dc->alloc : 512;
		dc->hash = xrealloc(dc->hash, dc->alloc * sizeof(*dc->hash));
		dc->line = xrealloc(dc->line, dc->alloc * sizeof(*dc->line));
	}
	dc->hash[dc->count] = h;
	dc->line[dc->count] = line > UINT32_MAX ? UINT32_MAX : (uint32_t)line;
	dc->count++;
	if (5 * dc->count > 4 * dc->nslots)
		index_rebuild(dc, 2 * dc->nslots);
	else
		dc->slots[i] = (uint32_t)dc->count | tag_of(h);
	return 0;
}

size_t dupcheck_count(const struct dupcheck *dc)
{
	return dc->count;
}
