/*
** cmd-fmt.c: import and export, questions to and from course platforms
** (GIFT, Aiken, Moodle XML; the quiz/qx module does the work).
*/
#include "cli/cmd.h"
#include "lib/jx.h"
#include "lib/sb.h"
#include "lib/xmem.h"
#include "quiz/qx.h"
#include "quiz/qz.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int cmd_import_exec(int, char **);
static int cmd_export_exec(int, char **);

const struct cmd_entry cmd_import_entry = { "import",
	"import FILE [--format gift|aiken|moodle-xml] [--objective CODE] "
	"[--bank ID] [--topic T] [--title T] [--difficulty N] [--output FILE]",
	"read GIFT, Aiken or Moodle XML questions into a question file",
	"Reads a file of questions from a course platform and writes a synclab\n"
	"question file (docs/question-format.md) on stdout or to --output.\n"
	"Multiple choice (one or several answers), true/false, matching,\n"
	"select-missing-words (dropdown) and ordering are read; a question of\n"
	"another type (short answer, numerical, essay ...) is refused with\n"
	"FILE:LINE:COL and why, and the others are still written.  Notes say\n"
	"what changed on the way (partial-credit weights, HTML, a missing\n"
	"explanation).  docs/formats.md says what each format carries.\n"
	"\n"
	"  --format F        gift, aiken or moodle-xml (default: from the\n"
	"                    file: XML, \"ANSWER:\" lines, else GIFT)\n"
	"  --objective CODE  the AZ-900 outline line of questions whose file\n"
	"                    does not say (e.g. 1.2.3; its first digit is\n"
	"                    the domain); files written by synclab export\n"
	"                    carry their own\n"
	"  --bank ID         the bank id (default: from the file name)\n"
	"  --topic T         the topic tag (default: the bank id)\n"
	"  --title T         the bank title\n"
	"  --difficulty N    1-3 for every question (default: none, i.e. 2)\n"
	"  --output FILE     write there (never over an existing file)\n"
	"\n"
	"exit status: 0 every question imported, 1 a question refused or the\n"
	"file malformed (the ones that map are still written), 2 a usage\n"
	"error.\n",
	cmd_import_exec };

const struct cmd_entry cmd_export_entry = { "export",
	"export BANK --format gift|aiken|moodle-xml [--output FILE]",
	"write a question bank as GIFT, Aiken or Moodle XML",
	"Writes the questions of BANK (a question file, a folder of them, or\n"
	"the id of a shipped bank file, e.g. storage-services) in a course\n"
	"platform's format, on stdout or to --output.  The explanation becomes\n"
	"the general feedback and per-option feedback stays with its option\n"
	"where the format has it.  What a format cannot hold is reported on\n"
	"stderr, question by question: Aiken holds single-answer questions\n"
	"only; GIFT has one blank per question; yes/no series and orderings\n"
	"become matching questions.  synclab import reads the files back to\n"
	"equal questions.\n"
	"\n"
	"  --format F     gift, aiken or moodle-xml\n"
	"  --output FILE  write there (never over an existing file)\n"
	"\n"
	"exit status: 0 written (notes or not), 1 an invalid bank or a write\n"
	"error, 2 a usage error.\n",
	cmd_export_exec };

/* Writes text to path (new file) or stdout.  Returns 0 or 1. */
static int
cmd_fmt_write(const char *cmd, const char *path, const char *text, size_t len)
{
	if (path == NULL) {
		if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0) {
			fprintf(stderr, "synclab: %s: stdout: %s\n", cmd,
			    strerror(errno));
			return 1;
		}
		return 0;
	}
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
	if (fd < 0) {
		fprintf(stderr, "synclab: %s: %s: %s\n", cmd, path,
		    errno == EEXIST ? "exists already (never overwritten)" :
		    strerror(errno));
		return 1;
	}
	size_t done = 0;
	while (done < len) {
		ssize_t w = write(fd, text + done, len - done);
		if (w <= 0) {
			fprintf(stderr, "synclab: %s: %s: %s\n", cmd, path,
			    strerror(errno));
			close(fd);
			unlink(path);
			return 1;
		}
		done += (size_t)w;
	}
	if (close(fd) != 0) {
		fprintf(stderr, "synclab: %s: %s: %s\n", cmd, path, strerror(errno));
		unlink(path);
		return 1;
	}
	return 0;
}

/* A bank id from a file name: the base name without its extension. */
static char *
cmd_fmt_bank_id(const char *path)
{
	const char *b = strrchr(path, '/');
	b = b ? b + 1 : path;
	char *id = qx_id_from(b, strcspn(b, "."));
	if (id[0] == '\0') {
		free(id);
		id = xstrdup("imported");
	}
	return id;
}

/* --format F: returns 0 with *fmt set, or the usage error's status. */
static int
cmd_fmt_format(const struct cmd_entry *ce, const char *arg, int *fmt)
{
	*fmt = qx_format_parse(arg);
	if (*fmt < 0)
		return cmd_usage_error(ce, "unknown format \"%s\" (gift, aiken "
		    "or moodle-xml)", arg);
	return 0;
}

static int
cmd_import_exec(int argc, char **argv)
{
	const struct cmd_entry *ce = &cmd_import_entry;
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "objective", required_argument, NULL, 'o' },
		{ "bank", required_argument, NULL, 'b' },
		{ "topic", required_argument, NULL, 't' },
		{ "title", required_argument, NULL, 'T' },
		{ "difficulty", required_argument, NULL, 'd' },
		{ "output", required_argument, NULL, 'O' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	qx_defaults def;
	memset(&def, 0, sizeof def);
	int fmt = -1, opt;
	const char *out = NULL, *bank = NULL;
	unsigned long long v;
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'h':
			return cmd_help(ce);
		case 'f':
			if (cmd_fmt_format(ce, optarg, &fmt))
				return 2;
			break;
		case 'o':
			def.objective = optarg;
			break;
		case 'b':
			if (!jx_is_id(optarg))
				return cmd_usage_error(ce, "\"%s\" is not a valid "
				    "bank id (lowercase letters, digits and '-')",
				    optarg);
			bank = optarg;
			break;
		case 't':
			def.topic = optarg;
			break;
		case 'T':
			def.title = optarg;
			break;
		case 'd':
			if (cmd_parse_uint(optarg, 3, &v) != 0 || v == 0)
				return cmd_usage_error(ce, "--difficulty wants 1, 2 "
				    "or 3, not \"%s\"", optarg);
			def.difficulty = (int)v;
			break;
		case 'O':
			out = optarg;
			break;
		default:
			return cmd_usage_error(ce, "unknown option or missing "
			    "value: %s", argv[optind - 1]);
		}
	}
	if (optind != argc - 1)
		return cmd_usage_error(ce, optind >= argc ? "name the file to "
		    "import" : "import one file at a time");
	const char *path = argv[optind];
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		fprintf(stderr, "synclab: import: %s: %s\n", path, strerror(errno));
		return 1;
	}
	sb text = SB_INIT;
	int rd = sb_addfile(&text, f);
	fclose(f);
	if (rd != 0) {
		fprintf(stderr, "synclab: import: %s: cannot read\n", path);
		sb_free(&text);
		return 1;
	}
	if (memchr(sb_str(&text), '\0', text.len)) {
		fprintf(stderr, "%s:1:1: a NUL byte: this is not a text file\n", path);
		sb_free(&text);
		return 1;
	}
	if (fmt < 0)
		fmt = (int)qx_format_guess(sb_str(&text), text.len);
	char *bid = bank ? xstrdup(bank) : cmd_fmt_bank_id(path);
	def.bank = bid;
	sb res = SB_INIT, errs = SB_INIT, notes = SB_INIT;
	size_t nq = 0;
	int nerr = qx_import((enum qx_format)fmt, path, sb_str(&text), text.len,
	    &def, &res, &nq, &errs, &notes);
	fputs(sb_str(&notes), stderr);
	fputs(sb_str(&errs), stderr);
	int rc = nerr ? 1 : 0;
	if (nq > 0 && cmd_fmt_write("import", out, sb_str(&res), res.len))
		rc = 1;
	fprintf(stderr, "synclab: import: %zu question%s read as %s%s%s, "
	    "%d error%s\n", nq, nq == 1 ? "" : "s", qx_format_name((enum qx_format)fmt),
	    out && nq ? " into " : "", out && nq ? out : "", nerr,
	    nerr == 1 ? "" : "s");
	free(bid);
	sb_free(&text);
	sb_free(&res);
	sb_free(&errs);
	sb_free(&notes);
	return rc;
}

static int
cmd_export_exec(int argc, char **argv)
{
	const struct cmd_entry *ce = &cmd_export_entry;
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'O' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int fmt = -1, opt;
	const char *out = NULL;
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'h':
			return cmd_help(ce);
		case 'f':
			if (cmd_fmt_format(ce, optarg, &fmt))
				return 2;
			break;
		case 'O':
			out = optarg;
			break;
		default:
			return cmd_usage_error(ce, "unknown option or missing "
			    "value: %s", argv[optind - 1]);
		}
	}
	if (optind != argc - 1)
		return cmd_usage_error(ce, "name one bank (a file, a folder or a "
		    "shipped bank's id)");
	if (fmt < 0)
		return cmd_usage_error(ce, "--format gift, aiken or moodle-xml");
	const char *arg = argv[optind];
	struct stat st;
	char *path;
	if (stat(arg, &st) == 0)
		path = xstrdup(arg);
	else if (jx_is_id(arg))
		path = xasprintf("%s/%s.json", cmd_datadir("data/questions"), arg);
	else
		path = xstrdup(arg);
	if (stat(path, &st) != 0) {
		fprintf(stderr, "synclab: export: no bank \"%s\": not a file or "
		    "folder, nor a shipped bank's id\n", arg);
		free(path);
		return 2;
	}
	qz_bank b;
	sb errs = SB_INIT;
	const char *paths[1] = { path };
	if (qz_bank_load(&b, paths, 1, &errs) > 0) {
		fputs(sb_str(&errs), stderr);
		qz_bank_free(&b);
		sb_free(&errs);
		free(path);
		return 1;
	}
	sb res = SB_INIT, notes = SB_INIT;
	size_t left = qx_export((enum qx_format)fmt, &b, &res, &notes);
	fputs(sb_str(&notes), stderr);
	int rc = cmd_fmt_write("export", out, sb_str(&res), res.len);
	fprintf(stderr, "synclab: export: %zu of %zu question%s written as %s"
	    "%s%s\n", b.nq - left, b.nq, b.nq == 1 ? "" : "s",
	    qx_format_name((enum qx_format)fmt), out ? " to " : "", out ? out : "");
	qz_bank_free(&b);
	sb_free(&errs);
	sb_free(&res);
	sb_free(&notes);
	free(path);
	return rc;
}
