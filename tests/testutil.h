/*
** testutil.h: what every cmocka test includes.
*/
#ifndef testutil_h
#define testutil_h

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#endif
