/*
** rng.h: the seeded PRNG (xoshiro256**) of the simulation and the quiz.
**
** The engine owns one rng and passes numbers down; nothing in sim/ reads a
** wall clock or an unseeded source, so the same seed gives the same run.
** The state is a plain value so that a snapshot can copy it.
*/
#ifndef rng_h
#define rng_h

#include <stdint.h>

typedef struct rng {
	uint64_t s[4];
} rng;

/* Seeds the state from one number (via splitmix64); any seed is fine. */
void rng_seed(rng *r, uint64_t seed);
uint64_t rng_next(rng *r);
/* Uniform in [0, n); n must be > 0. */
uint64_t rng_below(rng *r, uint64_t n);
/* Writes a 32-character lowercase hex id (as .NET's Guid.ToString("N")). */
void rng_guid_n(rng *r, char out[33]);
/* Writes a uuid v4 "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx" from entropy. */
void rng_uuid4(uint64_t entropy, char out[37]);

#endif
