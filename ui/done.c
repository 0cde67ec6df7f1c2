/*
** done.c: which scenarios the student has completed.
**
** A plain text file, one scenario id per line, in $SYNCLAB_HOME when set,
** else $XDG_DATA_HOME/synclab, else ~/.local/share/synclab.  A plain file
** rather than the quiz progress database keeps the UI independent of the
** quiz store; ids are [a-z0-9-]+ (scenario format), so a line never needs
** quoting.  A mark that cannot be written is still kept for the session.
*/
#include "ui/ui-int.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/home.h"
#include "lib/xmem.h"

static char	 done_dir[PATH_MAX];
static char	 done_file[PATH_MAX + 32];
/* Ids marked in this session (also when the file could not be written). */
static char	**done_session;
static size_t	 done_nsession;
static unsigned	 done_gen;

unsigned
ui_done_generation(void)
{
	return done_gen;
}

static const char *
done_folder(void)
{
	if (home_dir(done_dir, sizeof done_dir) == NULL)
		snprintf(done_dir, sizeof done_dir, ".synclab");
	return done_dir;
}

const char *
ui_done_path(void)
{
	snprintf(done_file, sizeof done_file, "%s/completed-scenarios",
	    done_folder());
	return done_file;
}

int
ui_done_has(const char *id)
{
	for (size_t i = 0; i < done_nsession; i++)
		if (strcmp(done_session[i], id) == 0)
			return 1;
	FILE *f = fopen(ui_done_path(), "r");
	if (f == NULL)
		return 0;
	char line[256];
	int found = 0;
	while (!found && fgets(line, sizeof line, f)) {
		line[strcspn(line, "\r\n")] = '\0';
		found = strcmp(line, id) == 0;
	}
	fclose(f);
	return found;
}

int
ui_done_mark(const char *id)
{
	if (ui_done_has(id))
		return 0;
	done_session = xreallocarray(done_session, done_nsession + 1,
	    sizeof *done_session);
	done_session[done_nsession++] = xstrdup(id);
	done_gen++;
	char dir[PATH_MAX];
	snprintf(dir, sizeof dir, "%s", done_folder());
	if (home_mkdirs(dir, 0755, NULL) != 0)
		return -1;
	FILE *f = fopen(ui_done_path(), "a");
	if (f == NULL)
		return -1;
	fprintf(f, "%s\n", id);
	return fclose(f) == 0 ? 0 : -1;
}
