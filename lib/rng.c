/*
** rng.c: xoshiro256** seeded through splitmix64; see rng.h.
*/
#include "lib/rng.h"

#include <stdio.h>

static uint64_t
rng_splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t
rng_rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

void
rng_seed(rng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		r->s[i] = rng_splitmix(&seed);
}

uint64_t
rng_next(rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rng_rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rng_rotl(s[3], 45);
	return result;
}

uint64_t
rng_below(rng *r, uint64_t n)
{
	/* Rejection sampling keeps the result exactly uniform. */
	uint64_t limit = UINT64_MAX - UINT64_MAX % n;
	uint64_t x;
	do
		x = rng_next(r);
	while (x >= limit);
	return x % n;
}

void
rng_guid_n(rng *r, char out[33])
{
	uint64_t a = rng_next(r), b = rng_next(r);
	snprintf(out, 33, "%016llx%016llx", (unsigned long long)a,
	    (unsigned long long)b);
}

void
rng_uuid4(uint64_t entropy, char out[37])
{
	uint64_t x = entropy;
	uint64_t a = rng_splitmix(&x), b = rng_splitmix(&x);
	a = (a & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;
	b = (b & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;
	snprintf(out, 37, "%08llx-%04llx-%04llx-%04llx-%012llx",
	    (unsigned long long)(a >> 32), (unsigned long long)((a >> 16) & 0xffff),
	    (unsigned long long)(a & 0xffff), (unsigned long long)(b >> 48),
	    (unsigned long long)(b & 0xffffffffffffULL));
}
