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

#include <stdio.h>
#include <string.h>
#include <unistd.h>

/*
** Makes the source tree the working directory when the current one does
** not hold probe (a path relative to the tree): tests read tests/data, and
** a test binary started elsewhere finds the tree above itself
** (BUILD/tests/test_x).  Returns 0 when probe is readable afterwards, -1
** when no tree holding it was found (the directory is then unchanged).
*/
static inline int
tu_to_tree(const char *probe)
{
	char exe[4096], path[4200];
	ssize_t n;
	if (access(probe, R_OK) == 0)
		return 0;
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0)
		return -1;
	exe[n] = '\0';
	for (int up = 0; up < 6; up++) {
		char *slash = strrchr(exe, '/');
		if (slash == NULL)
			return -1;
		*slash = '\0';
		if (snprintf(path, sizeof path, "%s/%s", exe, probe) >=
		    (int)sizeof path)
			return -1;
		if (access(path, R_OK) == 0) {
			if (chdir(exe) != 0) {
				perror(exe);
				return -1;
			}
			return 0;
		}
	}
	return -1;
}

#endif
