/*
** hash.h: string hashes.
**
** hash_key is for every in-memory table whose keys come from input (the
** duplicate-key check of the JSON loader, question ids, installation ids,
** cue words): SipHash-2-4 under a key drawn once per process from the
** kernel's random source, so nobody can write a file whose keys all land
** in one slot and make a linear-probing table quadratic.  Its values
** differ from one process to the next: a table that uses it must not let
** its slot order reach any output.
**
** hash_str is the fixed FNV-1a, for what must give the same number in
** every run (the simulation's derived seeds).  Not for keys an adversary
** may choose.
*/
#ifndef hash_h
#define hash_h

#include <stddef.h>
#include <stdint.h>

/* SipHash-2-4 of the bytes of s up to its NUL under the process key.
** Thread-safe; never fails (without the kernel's random source the key
** comes from the clocks, the process id and an address). */
uint64_t hash_key(const char *s);

/* SipHash-2-4 of the n bytes at p under the key (k0, k1): the reference
** algorithm (k0 is the first 8 key bytes, little-endian). */
uint64_t hash_sip(uint64_t k0, uint64_t k1, const void *p, size_t n);

/* 64-bit FNV-1a of the bytes of s up to its NUL: the same in every run. */
uint64_t hash_str(const char *s);

#endif
