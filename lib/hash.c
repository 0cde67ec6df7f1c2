/*
** hash.c: FNV-1a; see hash.h for the contract.
*/
#include "lib/hash.h"

uint64_t
hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}
