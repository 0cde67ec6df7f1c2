/*
** qx.h: questions in and out of course platforms (Moodle's GIFT, Aiken
** and Moodle XML).
**
** Import reads a file of one of those formats into a synclab question
** file (docs/question-format.md); export writes a loaded bank in one of
** them.  Neither ever drops anything silently: every question a format
** cannot hold, and every part of one it cannot carry (an explanation in
** Aiken, the weights of a partial-credit answer in synclab), is a note
** naming the question, and every malformed part of an input file is an
** error "FILE:LINE:COL: question N: what is wrong".  docs/formats.md says
** what each format carries.
**
** What the formats have no place for (the question's id, outline line,
** topics, difficulty, scoring; that a matching question is really a yes/no
** series or an ordering) travels in a comment the platforms ignore:
** "// synclab: {json}" before a GIFT question, an XML comment
** "<!-- synclab: {json} -->" inside a Moodle XML question.  A file that
** went through synclab and back therefore gives back equal questions.
*/
#ifndef qx_h
#define qx_h

#include "lib/sb.h"
#include "quiz/qz.h"

enum qx_format { QX_GIFT, QX_AIKEN, QX_MOODLE_XML, QX_NFORMAT };

/* "gift", "aiken", "moodle-xml". */
const char *qx_format_name(enum qx_format f);
/* Returns the format for its name, or -1. */
int qx_format_parse(const char *name);
/* Guesses the format of a file from its text: "<?xml" or "<quiz" is
** Moodle XML, a line "ANSWER: X" with no '{' anywhere is Aiken, else
** GIFT. */
enum qx_format qx_format_guess(const char *text, size_t len);

/* An id ([a-z0-9-]+, at most 48 characters) made of the first n bytes of
** s: letters and digits in lower case, every other run a '-'.  Returns a
** new string, "" when s has no letter or digit. */
char *qx_id_from(const char *s, size_t n);

/* What an imported question gets when its file does not say. */
typedef struct qx_defaults {
	const char	*bank;		/* the bank id (required) */
	const char	*title;		/* may be NULL */
	const char	*objective;	/* "1.2.3"; NULL: the file must say */
	const char	*topic;		/* NULL: the bank id */
	int		 difficulty;	/* 0: leave out (the default, 2) */
} qx_defaults;

/*
** Reads text (the file name is for messages) in format f and appends a
** synclab question file to out (JSON, 2-space indents).  Errors (a
** malformed question, a question of a type synclab has not, such as short
** answer) are appended to errs as "NAME:LINE:COL: what\n"; notes on what
** changed on the way (partial-credit weights, HTML markup) to notes as
** "NAME:LINE:COL: note: what\n".  The questions that map are written even
** when others are refused.  Returns the number of errors; *nq the number
** of questions written.  The result is checked with the bank loader, so
** what is written is a valid file whenever 0 is returned.
*/
int qx_import(enum qx_format f, const char *name, const char *text,
    size_t len, const qx_defaults *def, sb *out, size_t *nq, sb *errs,
    sb *notes);

/*
** Appends bank b in format f to out.  A question the format cannot hold
** is left out, and each part it cannot carry is left out, each with a
** note "ID: what" appended to notes.  Returns the number of questions
** left out.
*/
size_t qx_export(enum qx_format f, const qz_bank *b, sb *out, sb *notes);

#endif
