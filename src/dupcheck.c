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

/* Keys seen so far as a dense list (hash, line) plus an index of slot ->
 * list position + 1 (0 = empty), open addressing, load at most 1/2. Growing
 * the index needs only the list, so the old index is freed first: about 9
 * bytes a key at the peak (e.g. 5 MB for 200,000 rows). */
struct dupcheck {
	uint64_t *hash;
	uint32_t *line;     /* capped at UINT32_MAX */
	size_t count, alloc;
	uint32_t *slots;
	size_t nslots;      /* power of two */
};

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
	while (dc->slots[i] && dc->hash[dc->slots[i] - 1] != h)
		i = (i + 1) & mask;
	return i;
}

size_t dupcheck_add(struct dupcheck *dc, enum dup_kind kind, const char *key, size_t line)
{
	uint64_t h = dup_hash(kind, key);
	size_t i = find(dc, h);
	if (dc->slots[i])
		return dc->line[dc->slots[i] - 1];
	if (dc->count == dc->alloc) {
		dc->alloc = dc->alloc ? 2 * dc->alloc : 512;
		dc->hash = xrealloc(dc->hash, dc->alloc * sizeof(*dc->hash));
		dc->line = xrealloc(dc->line, dc->alloc * sizeof(*dc->line));
	}
	dc->hash[dc->count] = h;
	dc->line[dc->count] = line > UINT32_MAX ? UINT32_MAX : (uint32_t)line;
	dc->count++;
	if (2 * dc->count > dc->nslots) {
		free(dc->slots);
		dc->nslots *= 2;
		dc->slots = xcalloc(dc->nslots, sizeof(*dc->slots));
		for (size_t k = 0; k < dc->count; k++)
			dc->slots[find(dc, dc->hash[k])] = (uint32_t)(k + 1);
	} else {
		dc->slots[i] = (uint32_t)dc->count;
	}
	return 0;
}

size_t dupcheck_count(const struct dupcheck *dc)
{
	return dc->count;
}
