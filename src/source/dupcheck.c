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

/* Keys seen so far as a dense list in fixed chunks of 4096 keys that are never
 * moved (no realloc copy, no freed block left behind in the heap): each key's
 * 64-bit hash, and its line compactly. Keys arrive in file order, so lines only
 * grow: a chunk keeps the full line of every 64th key and, for the others, the
 * step from the previous key in one byte; a step of 255 or more is marked 255
 * and kept exactly in a small sorted overflow list (a source of 255 lines, or
 * 255 invalid rows in a row: rare). Lines are only read back to name the
 * earlier line of a duplicate, so walking up to 63 steps costs nothing.
 *
 * An open-addressing index of slots, rebuilt at 4/5 full (the old one freed
 * first), finds a key: a slot holds the key's position + 1 in its low 24 bits
 * (0 = empty) and 8 bits of its hash above them, so most probes that miss
 * never touch the list. About 9 bytes a key in the list and 5 in the index:
 * 1.4 MB for 100,000 rows. The index addresses 2^24 - 1 keys; later keys are
 * not checked (a file of more than 16 million sources is not a spreadsheet). */
#define POS_BITS 24
#define POS_MAX ((1u << POS_BITS) - 1)
#define CHUNK_BITS 12
#define CHUNK_KEYS (1u << CHUNK_BITS)
#define BASE_BITS 6
#define STEP_BIG 255

struct chunk {
	uint64_t hash[CHUNK_KEYS];
	uint32_t base[CHUNK_KEYS >> BASE_BITS];  /* line of every 64th key */
	uint8_t step[CHUNK_KEYS];                /* line - previous key's line */
};

struct line_exact {
	uint32_t pos;
	uint32_t line;
};

struct dupcheck {
	struct chunk **chunks;
	size_t nchunks;
	size_t count;
	uint32_t last_line;
	struct line_exact *big;  /* positions whose step is STEP_BIG, ascending */
	size_t nbig, big_alloc;
	uint32_t *slots;
	size_t nslots;      /* power of two */
};

static uint32_t tag_of(uint64_t h)
{
	return (uint32_t)(h >> 56) << POS_BITS;
}

static struct chunk *chunk_of(const struct dupcheck *dc, size_t pos)
{
	return dc->chunks[pos >> CHUNK_BITS];
}

static uint64_t hash_at(const struct dupcheck *dc, size_t pos)
{
	return chunk_of(dc, pos)->hash[pos & (CHUNK_KEYS - 1)];
}

static uint32_t big_line(const struct dupcheck *dc, size_t pos)
{
	size_t lo = 0, hi = dc->nbig;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (dc->big[mid].pos < pos)
			lo = mid + 1;
		else
			hi = mid;
	}
	return dc->big[lo].line;   /* present: every STEP_BIG has its entry */
}

static uint32_t line_at(const struct dupcheck *dc, size_t pos)
{
	const struct chunk *c = chunk_of(dc, pos);
	size_t k = pos & (CHUNK_KEYS - 1), first = k & ~(((size_t)1 << BASE_BITS) - 1);
	uint32_t line = c->base[k >> BASE_BITS];

	for (size_t i = first + 1; i <= k; i++)
		line = c->step[i] == STEP_BIG ? big_line(dc, pos - k + i) : line + c->step[i];
	return line;
}

static void line_put(struct dupcheck *dc, size_t pos, uint32_t line)
{
	struct chunk *c = chunk_of(dc, pos);
	size_t k = pos & (CHUNK_KEYS - 1);

	if ((k & (((size_t)1 << BASE_BITS) - 1)) == 0) {
		c->base[k >> BASE_BITS] = line;
		c->step[k] = 0;
	} else if (line - dc->last_line < STEP_BIG) {
		c->step[k] = (uint8_t)(line - dc->last_line);
	} else {
		c->step[k] = STEP_BIG;
		if (dc->nbig == dc->big_alloc) {
			dc->big_alloc = dc->big_alloc ? 2 * dc->big_alloc : 16;
			dc->big = xrealloc(dc->big, dc->big_alloc * sizeof(*dc->big));
		}
		dc->big[dc->nbig++] = (struct line_exact){ (uint32_t)pos, line };
	}
	dc->last_line = line;
}

static uint64_t dup_hash(enum dup_kind kind, const char *key)
{
	unsigned char k = (unsigned char)(kind + 1);
	uint64_t h = fnv1a_64(fnv1a_64(FNV1A_64_BASIS, &k, 1), key, strlen(key));
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
	for (size_t c = 0; c < dc->nchunks; c++)
		free(dc->chunks[c]);
	free(dc->chunks);
	free(dc->big);
	free(dc->slots);
	free(dc);
}

/* The slot holding h, or the empty slot where it would go. */
static size_t find(const struct dupcheck *dc, uint64_t h)
{
	size_t mask = dc->nslots - 1, i = (size_t)h & mask;
	uint32_t tag = tag_of(h);

	for (uint32_t v; (v = dc->slots[i]); i = (i + 1) & mask)
		if ((v & ~POS_MAX) == tag && hash_at(dc, (v & POS_MAX) - 1) == h)
			break;
	return i;
}

static void index_rebuild(struct dupcheck *dc, size_t nslots)
{
	free(dc->slots);   /* first: the new index never coexists with the old */
	dc->nslots = nslots;
	dc->slots = xcalloc(dc->nslots, sizeof(*dc->slots));
	for (size_t k = 0; k < dc->count; k++) {
		uint64_t h = hash_at(dc, k);
		dc->slots[find(dc, h)] = (uint32_t)(k + 1) | tag_of(h);
	}
}

size_t dupcheck_add(struct dupcheck *dc, enum dup_kind kind, const char *key, size_t line)
{
	uint64_t h = dup_hash(kind, key);
	size_t i = find(dc, h);
	if (dc->slots[i])
		return line_at(dc, (dc->slots[i] & POS_MAX) - 1);
	if (dc->count >= POS_MAX)
		return 0;
	if ((dc->count & (CHUNK_KEYS - 1)) == 0) {
		dc->chunks = xrealloc(dc->chunks, (dc->nchunks + 1) * sizeof(*dc->chunks));
		dc->chunks[dc->nchunks++] = xmalloc(sizeof(struct chunk));
	}
	chunk_of(dc, dc->count)->hash[dc->count & (CHUNK_KEYS - 1)] = h;
	line_put(dc, dc->count, line > UINT32_MAX ? UINT32_MAX : (uint32_t)line);
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
