/*
** qx_int.h: what the readers and writers of the course formats share
** (qx.c, qx_gift.c, qx_aiken.c, qx_mxml.c, qx_xml.c); no other module
** uses it.
*/
#ifndef qx_int_h
#define qx_int_h

#include "quiz/qx.h"

#include <stddef.h>

/* A growable list of owned strings. */
typedef struct qx_strs {
	char	**v;
	size_t	  n;
} qx_strs;

void qx_strs_add(qx_strs *l, char *s);	/* takes s */
void qx_strs_free(qx_strs *l);

/*
** One question as a reader found it, in synclab's terms (the answer is
** shaped as qz_question.answer), before the defaults and the synclab
** comment are applied.  Everything is owned.
*/
typedef struct qx_q {
	size_t	 off;		/* where it starts in the text */
	char	*name;		/* the platform's title, or NULL */
	char	*meta;		/* the JSON of a synclab comment, or NULL */
	int	 type;		/* enum qz_type */
	char	*stem;
	char	*expl;		/* general feedback, or NULL */
	qx_strs	 list;		/* options, statements or items */
	qx_strs	 fb;		/* per option feedback ("" none), or empty */
	qx_strs	 targets;	/* matching */
	qx_strs	 blanks[QZ_MAXPART];	/* dropdown */
	size_t	 nblanks;
	int	*ans;
	size_t	 nans;
	int	 multi_weights;	/* multiple: right options had unequal weights */
} qx_q;

void qx_q_free(qx_q *q);
void qx_q_answer(qx_q *q, int v);	/* appends to the answer */
/* A matching pair read from a file (both taken): the target is added
** unless an earlier pair has it; an empty item makes it a spare target. */
void qx_q_pair(qx_q *q, char *item, char *target);
/* s with white space trimmed at both ends; s is freed, a new string
** returned. */
char *qx_trim(char *s);

/* The state of one import. */
typedef struct qx_ctx {
	const char		*name;	/* the file, for messages */
	const char		*text;
	size_t			 len;
	const qx_defaults	*def;
	sb			*errs;
	sb			*notes;
	int			 nerr;
	size_t			 seq;	/* the question being read, from 1 */
	/* The questions written so far, as JSON objects, and where each
	** came from (to place a loader error back in the source). */
	void			*arr;	/* cJSON array */
	size_t			*offs;
	size_t			 nq;
	qx_strs			 ids;	/* ids used, to keep them unique */
} qx_ctx;

/* Records an error at byte off of the text ("NAME:L:C: question N: ..."). */
void qx_err(qx_ctx *c, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Records a note the same way ("NAME:L:C: note: question N: ..."). */
void qx_note(qx_ctx *c, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Applies the synclab comment and the defaults to q, checks its counts
** and appends it to the output; q is freed either way. */
void qx_emit(qx_ctx *c, qx_q *q);

/* The readers: each calls qx_emit per question and qx_err per problem. */
void qx_gift_read(qx_ctx *c);
void qx_aiken_read(qx_ctx *c);
void qx_mxml_read(qx_ctx *c);

/* The writers: each returns the number of questions left out. */
size_t qx_gift_write(const qz_bank *b, sb *out, sb *notes);
size_t qx_aiken_write(const qz_bank *b, sb *out, sb *notes);
size_t qx_mxml_write(const qz_bank *b, sb *out, sb *notes);

/* Shared by the writers. */
/* The synclab comment's JSON for q: what the format has no place for. "as"
** names the synclab type when the question is written as another one. */
char *qx_meta_json(const qz_question *q, const char *as, int with_feedback);
/* A yes/no series or an ordering as matching (items, targets, the
** target of each item): yes/no targets "Yes", "No"; ordering targets the
** positions "1", "2", ... and "Not in the order" for left-out items. */
void qx_as_matching(const qz_question *q, qx_strs *targets, int *ans);
/* "12.5", "33.33333": a weight in percent as the formats write it. */
void qx_weight(sb *out, double pct);

/* HTML to plain text: tags removed (<br>, </p>, </div>, </li> become line
** breaks), entities decoded.  *marked is set when a tag other than those,
** <p>, <div>, <span>, <li>, <ul>, <ol> was dropped. */
char *qx_html_text(const char *s, int *marked);

#endif
