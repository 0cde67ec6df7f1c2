/*
** cmd-new.c: synclab new scenario|bank ID, a commented starting file.
**
** The file is valid as written (synclab check passes it), so an author
** starts from something that runs and changes it a piece at a time; the
** "$comment" members (allowed in every object) say what each part is
** for and where its documentation is.  "$schema" points at the schema
** from the new file's folder, so an editor validates while the author
** types.
*/
#include "cli/cmd.h"
#include "lib/jx.h"
#include "lib/sb.h"
#include "lib/xmem.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int cmd_new_exec(int, char **);

const struct cmd_entry cmd_new_entry = { "new",
	"new scenario|bank ID [--output FILE]",
	"write a commented starting scenario or question file",
	"Writes ID.json (or --output FILE), a small valid scenario or question\n"
	"bank with a \"$comment\" on each part saying what it is for, and a\n"
	"\"$schema\" that lets editors validate the file while you type.  It\n"
	"never overwrites a file.  Check your changes with synclab check FILE;\n"
	"run a scenario with synclab run FILE, quiz on a bank with\n"
	"synclab quiz --bank FILE.\n"
	"\n"
	"  --output FILE  where to write (default: ./ID.json)\n"
	"\n"
	"The formats: docs/scenario-format.md, docs/question-format.md,\n"
	"synclab-scenario(5), synclab-questions(5).\n"
	"\n"
	"exit status: 0 written, 1 the file exists or cannot be written,\n"
	"2 a usage error.\n",
	cmd_new_exec };

static const char cmd_new_scenario[] =
"{\n"
"  \"$schema\": \"%s\",\n"
"  \"$comment\": \"A scenario: devices with their own SQLite stores, one App Service backend, and a script of steps. Each step says what happens (say) and what must be true after it (expect); synclab run replays it and checks every expect. Format: docs/scenario-format.md or man 5 synclab-scenario.\",\n"
"  \"id\": \"%s\",\n"
"  \"title\": \"One device: pull, insert offline, push\",\n"
"  \"summary\": \"A technician's tablet downloads the job list, goes offline, records a new job locally and pushes it once the network is back.\",\n"
"  \"objectives\": [\n"
"    { \"$comment\": \"What a student can explain after the run; domain is one of cloud-concepts, architecture-services, management-governance.\", \"text\": \"Explain why an insert made offline waits in the operations queue until a push.\", \"domain\": \"architecture-services\" }\n"
"  ],\n"
"  \"tables\": [\n"
"    { \"$comment\": \"A backend table; the system columns id, createdAt, updatedAt, version and deleted are added for you.\", \"name\": \"job\", \"columns\": { \"title\": \"string\", \"done\": \"bool\" } }\n"
"  ],\n"
"  \"devices\": [\n"
"    { \"name\": \"Tablet-A\", \"user\": \"ana\" }\n"
"  ],\n"
"  \"rows\": {\n"
"    \"job\": [ { \"id\": \"j1\", \"title\": \"Inspect pump\", \"done\": false } ]\n"
"  },\n"
"  \"steps\": [\n"
"    {\n"
"      \"$comment\": \"do names the action (pull, push, insert, update, delete, offline, online, ...); say is the narration; expect is checked after the step.\",\n"
"      \"do\": \"pull\", \"device\": \"Tablet-A\", \"table\": \"job\",\n"
"      \"say\": \"The tablet pulls the job list: GET /tables/job, 200, one row.\",\n"
"      \"expect\": { \"status\": 200, \"deviceRows\": { \"Tablet-A\": { \"job\": 1 } } }\n"
"    },\n"
"    {\n"
"      \"do\": \"offline\", \"device\": \"Tablet-A\",\n"
"      \"say\": \"The tablet loses its network.\",\n"
"      \"expect\": { \"requests\": 0 }\n"
"    },\n"
"    {\n"
"      \"do\": \"insert\", \"device\": \"Tablet-A\", \"table\": \"job\", \"row\": { \"id\": \"j2\", \"title\": \"Replace valve\", \"done\": false },\n"
"      \"say\": \"Ana records a new job. It is written to the local table and queued in __operations; nothing goes over the network.\",\n"
"      \"expect\": { \"requests\": 0, \"queue\": { \"Tablet-A\": 1 } }\n"
"    },\n"
"    {\n"
"      \"do\": \"online\", \"device\": \"Tablet-A\",\n"
"      \"say\": \"The network is back.\"\n"
"    },\n"
"    {\n"
"      \"do\": \"push\", \"device\": \"Tablet-A\",\n"
"      \"say\": \"The push sends the queued insert: POST /tables/job, 201 Created.\",\n"
"      \"expect\": { \"statuses\": [201], \"queue\": { \"Tablet-A\": 0 }, \"serverRows\": { \"job\": 2 } }\n"
"    }\n"
"  ]\n"
"}\n";

static const char cmd_new_bank[] =
"{\n"
"  \"$schema\": \"%s\",\n"
"  \"$comment\": \"A question bank: synclab quiz --bank FILE drills it. Every question needs an id (never change it: progress is kept by id), a type, a stem, the answer, an explanation, topics, a domain and an objective (an AZ-900 outline line such as 1.2.3). Format: docs/question-format.md or man 5 synclab-questions.\",\n"
"  \"bank\": \"%s\",\n"
"  \"title\": \"A new question bank\",\n"
"  \"questions\": [\n"
"    {\n"
"      \"$comment\": \"A single-answer question: answer is the index of the right option, counting from 0. feedback (optional) has one sentence per option.\",\n"
"      \"id\": \"%s-1\",\n"
"      \"type\": \"single\",\n"
"      \"stem\": \"Which cloud model runs on infrastructure shared by many organizations and owned by a provider?\",\n"
"      \"options\": [\"Public cloud\", \"Private cloud\", \"On-premises datacenter\"],\n"
"      \"answer\": 0,\n"
"      \"feedback\": [\"Right: the provider owns and shares it.\", \"A private cloud serves one organization.\", \"An on-premises datacenter is owned by the organization itself.\"],\n"
"      \"explanation\": \"In a public cloud the provider owns the hardware and many customers share it; a private cloud serves one organization.\",\n"
"      \"topics\": [\"cloud-models\"],\n"
"      \"domain\": \"cloud-concepts\",\n"
"      \"objective\": \"1.1.3\"\n"
"    },\n"
"    {\n"
"      \"$comment\": \"A yes/no series: one boolean per statement, true = Yes. Other types: multiple, matching, ordering, dropdown.\",\n"
"      \"id\": \"%s-2\",\n"
"      \"type\": \"yesno\",\n"
"      \"stem\": \"For each statement, choose Yes or No.\",\n"
"      \"statements\": [\"A hybrid cloud combines public and private clouds.\", \"A private cloud can only run in the organization's own building.\"],\n"
"      \"answer\": [true, false],\n"
"      \"explanation\": \"Hybrid means public and private together. A private cloud may be hosted by a third party; what makes it private is that one organization uses it.\",\n"
"      \"topics\": [\"cloud-models\"],\n"
"      \"domain\": \"cloud-concepts\",\n"
"      \"objective\": \"1.1.3\"\n"
"    }\n"
"  ]\n"
"}\n";

/* The path of target relative to the folder from (both absolute). */
static char *
cmd_new_relpath(const char *from, const char *target)
{
	size_t common = 0, i = 0;
	for (;; i++) {
		if ((from[i] == '\0' || from[i] == '/') &&
		    (target[i] == '/' || target[i] == '\0'))
			common = i;
		if (from[i] == '\0' || from[i] != target[i])
			break;
	}
	sb r = SB_INIT;
	for (const char *p = from + common; *p; p++)
		if (*p == '/')
			sb_add(&r, "../");
	const char *rest = target + common;
	if (*rest == '/')
		rest++;
	sb_add(&r, rest);
	return sb_take(&r);
}

static int
cmd_new_exec(int argc, char **argv)
{
	const struct cmd_entry *ce = &cmd_new_entry;
	const char *kind = NULL, *id = NULL, *out = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
			return cmd_help(ce);
		if (strcmp(argv[i], "--output") == 0 || strcmp(argv[i], "-o") == 0) {
			if (i + 1 >= argc)
				return cmd_usage_error(ce, "--output wants a file");
			out = argv[++i];
		} else if (strncmp(argv[i], "--output=", 9) == 0)
			out = argv[i] + 9;
		else if (argv[i][0] == '-')
			return cmd_usage_error(ce, "unknown option \"%s\"", argv[i]);
		else if (kind == NULL)
			kind = argv[i];
		else if (id == NULL)
			id = argv[i];
		else
			return cmd_usage_error(ce, "too many arguments");
	}
	if (kind == NULL || id == NULL)
		return cmd_usage_error(ce, "name what to write and its id");
	int scenario = strcmp(kind, "scenario") == 0;
	if (!scenario && strcmp(kind, "bank") != 0)
		return cmd_usage_error(ce, "\"%s\" is not scenario or bank", kind);
	if (!jx_is_id(id) || strlen(id) > 64)
		return cmd_usage_error(ce, "\"%s\" is not a valid id (lowercase "
		    "letters, digits and '-', at most 64)", id);
	char *path = out ? xstrdup(out) : xasprintf("%s.json", id);

	/* The schema, as a path from the new file's folder. */
	char schema_abs[PATH_MAX], dir_abs[PATH_MAX];
	const char *schema_src = cmd_datadir(scenario ?
	    "data/schema/scenario.schema.json" : "data/schema/question.schema.json");
	char *dir = xstrdup(path);
	char *slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	char *schema;
	if (realpath(schema_src, schema_abs) &&
	    realpath(slash ? (*dir ? dir : "/") : ".", dir_abs))
		schema = cmd_new_relpath(dir_abs, schema_abs);
	else
		schema = xstrdup(schema_src);
	free(dir);

	sb text = SB_INIT;
	if (scenario)
		sb_addf(&text, cmd_new_scenario, schema, id);
	else
		sb_addf(&text, cmd_new_bank, schema, id, id, id);
	free(schema);

	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
	if (fd < 0) {
		fprintf(stderr, "synclab: new: %s: %s\n", path,
		    errno == EEXIST ? "exists already (never overwritten)" :
		    strerror(errno));
		free(path);
		sb_free(&text);
		return 1;
	}
	size_t done = 0;
	while (done < text.len) {
		ssize_t w = write(fd, text.s + done, text.len - done);
		if (w <= 0) {
			fprintf(stderr, "synclab: new: %s: %s\n", path,
			    strerror(errno));
			close(fd);
			unlink(path);
			free(path);
			sb_free(&text);
			return 1;
		}
		done += (size_t)w;
	}
	if (close(fd) != 0) {
		fprintf(stderr, "synclab: new: %s: %s\n", path, strerror(errno));
		unlink(path);
		free(path);
		sb_free(&text);
		return 1;
	}
	printf("wrote %s: check it with synclab check %s\n", path, path);
	free(path);
	sb_free(&text);
	return 0;
}
