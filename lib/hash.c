/*
** hash.c: SipHash-2-4 with a per-process key, and FNV-1a; see hash.h for
** the contracts.
*/
#include "lib/hash.h"

#include <pthread.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#define HASH_ROTL(x, b)	(uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

static void
hash_round(uint64_t v[4])
{
	v[0] += v[1];
	v[1] = HASH_ROTL(v[1], 13);
	v[1] ^= v[0];
	v[0] = HASH_ROTL(v[0], 32);
	v[2] += v[3];
	v[3] = HASH_ROTL(v[3], 16);
	v[3] ^= v[2];
	v[0] += v[3];
	v[3] = HASH_ROTL(v[3], 21);
	v[3] ^= v[0];
	v[2] += v[1];
	v[1] = HASH_ROTL(v[1], 17);
	v[1] ^= v[2];
	v[2] = HASH_ROTL(v[2], 32);
}

/* The 8 bytes at p as a little-endian number (whatever the host's order,
** so the reference test vectors hold everywhere). */
static uint64_t
hash_le64(const unsigned char *p, size_t n)
{
	uint64_t m = 0;
	for (size_t i = 0; i < n; i++)
		m |= (uint64_t)p[i] << (8 * i);
	return m;
}

uint64_t
hash_sip(uint64_t k0, uint64_t k1, const void *p, size_t n)
{
	const unsigned char *in = p;
	uint64_t v[4] = {
		k0 ^ 0x736f6d6570736575ULL, k1 ^ 0x646f72616e646f6dULL,
		k0 ^ 0x6c7967656e657261ULL, k1 ^ 0x7465646279746573ULL,
	};
	size_t whole = n - n % 8;
	for (size_t i = 0; i < whole; i += 8) {
		uint64_t m = hash_le64(in + i, 8);
		v[3] ^= m;
		hash_round(v);
		hash_round(v);
		v[0] ^= m;
	}
	/* The last block: the bytes left, and the length's low byte on top. */
	uint64_t b = ((uint64_t)n << 56) | hash_le64(in + whole, n - whole);
	v[3] ^= b;
	hash_round(v);
	hash_round(v);
	v[0] ^= b;
	v[2] ^= 0xff;
	for (int i = 0; i < 4; i++)
		hash_round(v);
	return v[0] ^ v[1] ^ v[2] ^ v[3];
}

static uint64_t hash_k[2];
static pthread_once_t hash_once = PTHREAD_ONCE_INIT;

/* splitmix64: spreads the fallback's few varying bits over the key. */
static uint64_t
hash_mix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void
hash_init(void)
{
	unsigned char buf[16];
	if (getrandom(buf, sizeof buf, GRND_NONBLOCK) == (ssize_t)sizeof buf) {
		hash_k[0] = hash_le64(buf, 8);
		hash_k[1] = hash_le64(buf + 8, 8);
		return;
	}
	/* No entropy yet (early boot) or no getrandom: what differs between
	** processes and runs is enough to keep a file from being written
	** against the key in advance. */
	struct timespec a, b;
	clock_gettime(CLOCK_REALTIME, &a);
	clock_gettime(CLOCK_MONOTONIC, &b);
	uint64_t x = (uint64_t)a.tv_sec * 1000000000ULL + (uint64_t)a.tv_nsec;
	x ^= ((uint64_t)b.tv_nsec << 32) ^ (uint64_t)getpid();
	x ^= (uint64_t)(uintptr_t)&a;
	hash_k[0] = hash_mix(&x);
	hash_k[1] = hash_mix(&x);
}

uint64_t
hash_key(const char *s)
{
	pthread_once(&hash_once, hash_init);
	return hash_sip(hash_k[0], hash_k[1], s, strlen(s));
}

uint64_t
hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}
