/*
** home.h: where synclab keeps a student's own files (the progress store,
** the completed-scenario marks), so that every module finds the same place.
*/
#ifndef home_h
#define home_h

#include <stddef.h>
#include <sys/types.h>
#include "lib/sb.h"

/* Writes the folder into buf: $SYNCLAB_HOME, else $XDG_DATA_HOME/synclab,
** else $HOME/.local/share/synclab (the first that is set and non-empty).
** Returns buf, or NULL when none of the three is set. */
char *home_dir(char *buf, size_t n);
/* mkdir -p of dir; the folders it creates get mode.  Returns 0, or -1 with
** "cannot create FOLDER: why" appended to err (which may be NULL). */
int home_mkdirs(const char *dir, mode_t mode, sb *err);

#endif
