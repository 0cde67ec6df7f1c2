/*
** hash.h: the string hash of the in-memory id tables (the question loader's
** duplicate check, the checker's row maps).
*/
#ifndef hash_h
#define hash_h

#include <stdint.h>

/* 64-bit FNV-1a of the bytes of s up to its NUL.  Not for anything that an
** adversary may choose to collide: the tables it serves hold ids read from
** the user's own files. */
uint64_t hash_str(const char *s);

#endif
