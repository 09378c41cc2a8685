/*
 * faults.c - fake-panther's fault decisions, seeded and repeatable.
 *
 * Each API request gets a sequence number when it arrives. Its fate is a pure
 * function of (seed, sequence number): a splitmix64 generator keyed by both
 * draws one number u in [0,1) and the configured rates are laid end to end on
 * [0,1) in a fixed order (hang, reset, throttle, fail, ghost, bad reply), so
 * each kind happens with exactly its own rate and the rates must sum to at most
 * 1. Further draws pick the 5xx status and the latency jitter. No state, no
 * lock: concurrent requests decide independently, and a run that sends its
 * requests in the same order with the same seed sees the same faults.
 */
#include "fake.h"

#include <string.h>

uint64_t splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

/* A uniform double in [0,1) from the top 53 bits. */
static double draw_unit(uint64_t *state)
{
	return (double)(splitmix64(state) >> 11) * (1.0 / 9007199254740992.0);
}

void faults_decide(const struct fault_config *cfg, uint64_t seed, uint64_t seq,
		   int is_write, struct fault_decision *out)
{
	static const int fail_codes[] = { 500, 502, 503, 504 };
	uint64_t state = seed * 0xD1B54A32D192ED03ULL ^ (seq + 1) * 0x9E3779B97F4A7C15ULL;
	const struct { double rate; enum fault kind; } bands[] = {
		{ cfg->hang, FAULT_HANG },
		{ cfg->reset, FAULT_RESET },
		{ cfg->throttle, FAULT_THROTTLE },
		{ cfg->fail, FAULT_FAIL },
		{ cfg->ghost, FAULT_GHOST },
		{ cfg->bad_reply, FAULT_BAD_REPLY },
	};
	double u, edge = 0;
	size_t i;

	splitmix64(&state); /* one warm-up step so nearby keys diverge */
	u = draw_unit(&state);
	out->kind = FAULT_NONE;
	for (i = 0; i < sizeof(bands) / sizeof(bands[0]); i++) {
		edge += bands[i].rate;
		if (u < edge) {
			out->kind = bands[i].kind;
			break;
		}
	}
	if (out->kind == FAULT_GHOST && !is_write)
		out->kind = FAULT_NONE;
	out->fail_status = fail_codes[splitmix64(&state) % 4];

	out->delay_ms = cfg->latency_ms;
	if (cfg->latency_jitter_ms > 0) {
		uint64_t span = 2 * (uint64_t)cfg->latency_jitter_ms + 1;
		out->delay_ms += (int)(splitmix64(&state) % span) - cfg->latency_jitter_ms;
	}
	if (out->delay_ms < 0 || out->kind == FAULT_HANG)
		out->delay_ms = 0;
}

const char *faults_check(const struct fault_config *cfg)
{
	const double rates[] = { cfg->hang, cfg->reset, cfg->throttle, cfg->fail,
				 cfg->ghost, cfg->bad_reply };
	double sum = 0;
	size_t i;

	for (i = 0; i < sizeof(rates) / sizeof(rates[0]); i++) {
		if (!(rates[i] >= 0 && rates[i] <= 1))
			return "a rate must be between 0 and 1";
		sum += rates[i];
	}
	if (sum > 1 + 1e-9)
		return "the fault rates add up to more than 1";
	if (cfg->latency_ms < 0 || cfg->latency_jitter_ms < 0)
		return "latency must not be negative";
	if (cfg->retry_after_s < 0)
		return "retry-after must not be negative";
	if (cfg->hang_max_ms <= 0)
		return "hang-max-ms must be positive";
	return NULL;
}

static const char *const bad_reply_names[] = {
	[BAD_REPLY_HTML] = "html",
	[BAD_REPLY_GARBAGE] = "garbage",
	[BAD_REPLY_HUGE] = "huge",
	[BAD_REPLY_TRUNCATED] = "truncated",
	[BAD_REPLY_NOID] = "noid",
	[BAD_REPLY_STATUS200] = "status200",
	[BAD_REPLY_OTHERID] = "otherid",
};

int bad_reply_parse(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(bad_reply_names) / sizeof(bad_reply_names[0]); i++)
		if (!strcmp(name, bad_reply_names[i]))
			return (int)i;
	return -1;
}

const char *fault_name(enum fault f)
{
	switch (f) {
	case FAULT_NONE: return "none";
	case FAULT_HANG: return "hang";
	case FAULT_RESET: return "reset";
	case FAULT_THROTTLE: return "throttle";
	case FAULT_FAIL: return "fail";
	case FAULT_GHOST: return "ghost";
	case FAULT_BAD_REPLY: return "bad-reply";
	}
	return "?";
}
