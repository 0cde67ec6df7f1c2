/*
** qz.c: questions: names and strict parsing.  Views, answers and grading
** are in qz_answer.c, text in qz_text.c, banks in qz_bank.c.
**
** Parsing never stops at the first problem: every check records its error
** with jx_err() and parsing goes on, so an author sees all mistakes of a
** file at once.  A question with any error is discarded, and a bank with
** any error is discarded as a whole (no half-loaded banks).
*/
#include "quiz/qz_int.h"
#include "quiz/qcue.h"
#include "lib/xmem.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const qz_type_names[] = {
	"single", "multiple", "yesno", "matching", "ordering", "dropdown"
};
static const char *const qz_domain_names[] = {
	"cloud-concepts", "architecture-services", "management-governance"
};
static const char *const qz_domain_titles[] = {
	"Cloud concepts", "Azure architecture and services",
	"Azure management and governance"
};

const char *
qz_type_name(enum qz_type t)
{
	return qz_type_names[t];
}

const char *
qz_domain_name(enum qz_domain d)
{
	return d < QZ_NDOMAIN ? qz_domain_names[d] : "?";
}

const char *
qz_domain_title(enum qz_domain d)
{
	return d < QZ_NDOMAIN ? qz_domain_titles[d] : "?";
}

int
qz_domain_parse(const char *name)
{
	for (int i = 0; i < QZ_NDOMAIN; i++)
		if (strcmp(name, qz_domain_names[i]) == 0)
			return i;
	return -1;
}

static void
qz_list_free(qz_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->s[i]);
	free(l->s);
	l->s = NULL;
	l->n = 0;
}

/* Frees a list's array, and its strings unless they are borrowed. */
static void
qz_list_drop(qz_list *l, int borrowed)
{
	if (borrowed)
		l->n = 0;
	qz_list_free(l);
}

/*
** Reads an array of non-empty strings of min..max elements at key.  Returns
** 1 when present and valid, 0 when absent and optional, -1 on error.
*/
int
qz_strlist(jx_doc *d, const cJSON *obj, const char *objpath, const char *key,
    int required, size_t min, size_t max, int borrow, qz_list *out)
{
	const cJSON *a;
	char p[512], ep[512];
	int rc = jx_arr(d, obj, objpath, key, required, &a);
	if (rc <= 0)
		return rc;
	size_t n = (size_t)cJSON_GetArraySize(a);
	if (n < min || n > max) {
		jx_err(d, jx_path(p, sizeof p, objpath, key),
		    "needs %zu to %zu entries, has %zu", min, max, n);
		return -1;
	}
	int bad = 0;
	out->s = xcalloc(n, sizeof *out->s);
	out->n = 0;
	const cJSON *v;
	size_t i = 0;
	cJSON_ArrayForEach(v, a) {
		if (cJSON_IsString(v) && v->valuestring[0] != '\0') {
			out->s[out->n++] = borrow ? v->valuestring : xstrdup(v->valuestring);
			i++;
			continue;
		}
		jx_path(p, sizeof p, objpath, key);
		jx_pathi(ep, sizeof ep, p, i++);
		jx_err(d, ep, cJSON_IsString(v) ? "must not be empty" : "must be a string");
		bad = 1;
	}
	if (bad) {
		qz_list_drop(out, borrow);
		return -1;
	}
	return 1;
}

/* A whole JSON number, as every index in a question must be, of any
** size: 1e10 is whole, and then out of range (qz_inrange).  Decided
** without converting the double, which for 1e10 would be undefined. */
static int
qz_isint(const cJSON *v)
{
	long long x;
	return cJSON_IsNumber(v) &&
	    jx_whole(v->valuedouble, LLONG_MIN, LLONG_MAX, &x) != -1;
}

/* Whether the whole number v is an index below lim (compared as a double,
** so nothing is converted before it is known to fit). */
static int
qz_inrange(const cJSON *v, double lim)
{
	return v->valuedouble >= 0 && v->valuedouble < lim;
}

/* Reads `answer` as an array of n integers, each in [0, lim). */
static int
qz_intlist(jx_doc *d, const cJSON *a, const char *p, size_t n, int lim,
    int *out, const char *what)
{
	char ep[512];
	if (!cJSON_IsArray(a)) {
		jx_err(d, p, "must be an array of %s", what);
		return -1;
	}
	size_t have = (size_t)cJSON_GetArraySize(a);
	if (n != 0 && have != n) {
		jx_err(d, p, "needs %zu entries (one per %s), has %zu", n, what,
		    have);
		return -1;
	}
	if (have == 0 || have > QZ_MAXPART) {
		jx_err(d, p, "needs 1 to %d entries, has %zu", QZ_MAXPART, have);
		return -1;
	}
	int bad = 0;
	size_t i = 0;
	const cJSON *v;
	cJSON_ArrayForEach(v, a) {
		if (!qz_isint(v)) {
			jx_err(d, jx_pathi(ep, sizeof ep, p, i), "must be an integer");
			bad = 1;
		} else if (!qz_inrange(v, lim)) {
			jx_err(d, jx_pathi(ep, sizeof ep, p, i),
			    "index %.15g out of range (0 to %d)", v->valuedouble,
			    lim - 1);
			bad = 1;
		} else
			out[i] = v->valueint;
		i++;
	}
	return bad ? -1 : (int)have;
}

int
qz_has_dup(const int *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (v[i] == v[j])
				return 1;
	return 0;
}

/*
** Checks that the dropdown stem holds exactly {1}..{n}, each once.
*/
static void
qz_check_blanks(jx_doc *d, const char *jpath, const char *stem, size_t n)
{
	int seen[64] = { 0 };
	char p[512];
	jx_path(p, sizeof p, jpath, "stem");
	for (const char *s = stem; *s; s++) {
		if (*s != '{' || !isdigit((unsigned char)s[1]))
			continue;
		char *end;
		long k = strtol(s + 1, &end, 10);
		if (*end != '}')
			continue;
		if (k < 1 || (size_t)k > n) {
			jx_err(d, p, "blank {%ld} has no entry in blanks (%zu blank%s)",
			    k, n, n == 1 ? "" : "s");
			continue;
		}
		if (seen[k]++)
			jx_err(d, p, "blank {%ld} appears more than once", k);
	}
	for (size_t k = 1; k <= n && k < 64; k++)
		if (!seen[k])
			jx_err(d, p, "blank {%zu} is missing from the stem (blanks has %zu entries)",
			    k, n);
}

static const char *const qz_keys[] = {
	"id", "type", "stem", "explanation", "feedback", "topics", "domain",
	"objective", "difficulty", "scoring", "ref", "caseStudy", "options",
	"choose", "statements", "items", "targets", "blanks", "answer", "waive",
	NULL
};

/* Is name in the NULL-terminated list?  The first-byte test skips most
** string compares (this runs for every member of every question). */
static int
qz_in(const char *name, const char *const *list)
{
	for (; *list; list++)
		if ((*list)[0] == name[0] && strcmp(*list, name) == 0)
			return 1;
	return 0;
}

static int
qz_keys_known(const cJSON *obj)
{
	const cJSON *m;
	cJSON_ArrayForEach(m, obj)
		if (!qz_in(m->string, qz_keys))
			return 0;
	return 1;
}

/* Which type-specific keys each type takes. */
static int
qz_key_allowed(enum qz_type t, const char *key)
{
	static const char *const per[][4] = {
		[QZ_SINGLE] = { "options", "feedback", NULL, NULL },
		[QZ_MULTIPLE] = { "options", "choose", "feedback", NULL },
		[QZ_YESNO] = { "statements", "feedback", NULL, NULL },
		[QZ_MATCHING] = { "items", "targets", NULL, NULL },
		[QZ_ORDERING] = { "items", NULL, NULL, NULL },
		[QZ_DROPDOWN] = { "blanks", NULL, NULL, NULL },
	};
	static const char *const specific[] = {
		"options", "choose", "feedback", "statements", "items",
		"targets", "blanks", NULL
	};
	if (!qz_in(key, specific))
		return 1;
	for (int i = 0; i < 4 && per[t][i]; i++)
		if (strcmp(per[t][i], key) == 0)
			return 1;
	return 0;
}

static void
qz_parse_answer_json(jx_doc *d, const cJSON *obj, const char *jpath,
    qz_question *q, int *bad)
{
	char p[512];
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(obj, "answer");
	jx_path(p, sizeof p, jpath, "answer");
	if (a == NULL) {
		jx_err(d, p, "missing (required)");
		*bad = 1;
		return;
	}
	int rc;
	switch (q->type) {
	case QZ_SINGLE:
		if (!qz_isint(a)) {
			jx_err(d, p, "must be the index of the right option (an integer)");
			*bad = 1;
		} else if (!qz_inrange(a, (double)q->list.n)) {
			jx_err(d, p, "index %.15g out of range (0 to %zu)",
			    a->valuedouble, q->list.n - 1);
			*bad = 1;
		} else {
			q->answer[0] = a->valueint;
			q->nanswer = 1;
		}
		break;
	case QZ_MULTIPLE:
		rc = qz_intlist(d, a, p, 0, (int)q->list.n, q->answer, "option indices");
		if (rc < 0) {
			*bad = 1;
			break;
		}
		q->nanswer = (size_t)rc;
		if (qz_has_dup(q->answer, q->nanswer)) {
			jx_err(d, p, "the indices must be distinct");
			*bad = 1;
		}
		if (q->choose > 0 && (size_t)q->choose != q->nanswer) {
			jx_err(d, p, "has %zu indices but choose is %d", q->nanswer,
			    q->choose);
			*bad = 1;
		}
		break;
	case QZ_YESNO: {
		if (!cJSON_IsArray(a)) {
			jx_err(d, p, "must be an array of booleans");
			*bad = 1;
			break;
		}
		size_t n = (size_t)cJSON_GetArraySize(a);
		if (n != q->list.n) {
			jx_err(d, p, "needs %zu booleans (one per statement), has %zu",
			    q->list.n, n);
			*bad = 1;
			break;
		}
		size_t i = 0;
		const cJSON *v;
		cJSON_ArrayForEach(v, a) {
			char ep[512];
			if (!cJSON_IsBool(v)) {
				jx_err(d, jx_pathi(ep, sizeof ep, p, i),
				    "must be true (Yes) or false (No)");
				*bad = 1;
			} else
				q->answer[i] = cJSON_IsTrue(v) ? 1 : 0;
			i++;
		}
		q->nanswer = n;
		break;
	}
	case QZ_MATCHING:
		rc = qz_intlist(d, a, p, q->list.n, (int)q->targets.n, q->answer,
		    "item");
		if (rc < 0)
			*bad = 1;
		else
			q->nanswer = (size_t)rc;
		break;
	case QZ_ORDERING:
		rc = qz_intlist(d, a, p, 0, (int)q->list.n, q->answer, "item indices");
		if (rc < 0) {
			*bad = 1;
			break;
		}
		q->nanswer = (size_t)rc;
		if (qz_has_dup(q->answer, q->nanswer)) {
			jx_err(d, p, "the indices must be distinct");
			*bad = 1;
		} else if (q->nanswer < 2) {
			jx_err(d, p, "an order needs at least 2 items");
			*bad = 1;
		}
		break;
	case QZ_DROPDOWN: {
		if (!cJSON_IsArray(a) || (size_t)cJSON_GetArraySize(a) != q->nblanks) {
			jx_err(d, p, "needs an array of %zu option indices (one per blank)",
			    q->nblanks);
			*bad = 1;
			break;
		}
		size_t i = 0;
		const cJSON *v;
		cJSON_ArrayForEach(v, a) {
			char ep[512];
			if (!qz_isint(v)) {
				jx_err(d, jx_pathi(ep, sizeof ep, p, i), "must be an integer");
				*bad = 1;
			} else if (!qz_inrange(v, (double)q->blanks[i].n)) {
				jx_err(d, jx_pathi(ep, sizeof ep, p, i),
				    "index %.15g out of range (blank %zu has options 0 to %zu)",
				    v->valuedouble, i + 1, q->blanks[i].n - 1);
				*bad = 1;
			} else
				q->answer[i] = v->valueint;
			i++;
		}
		q->nanswer = q->nblanks;
		break;
	}
	}
}

/* A string of the document, copied unless the question borrows. */
static char *
qz_keep(const qz_question *q, const char *s)
{
	return q->borrowed ? (char *)s : xstrdup(s);
}

/* The members every question has, whatever its type.  Returns 1 when
** the type is known (q->type set). */
static int
qz_parse_common(jx_doc *d, const cJSON *obj, const char *jpath,
    qz_question *q)
{
	char p[512];
	int typed = 0;
	long long ll;
	const char *s;
	if (jx_str(d, obj, jpath, "id", 1, &s) == 1) {
		if (!jx_is_id(s))
			jx_err(d, jx_path(p, sizeof p, jpath, "id"),
			    "\"%s\" is not a valid id (lowercase letters, digits and '-')", s);
		q->id = qz_keep(q, s);
	}
	if (jx_str(d, obj, jpath, "type", 1, &s) == 1) {
		for (int i = 0; i < 6; i++)
			if (strcmp(s, qz_type_names[i]) == 0) {
				q->type = (enum qz_type)i;
				typed = 1;
			}
		if (!typed)
			jx_err(d, jx_path(p, sizeof p, jpath, "type"),
			    "unknown type \"%s\" (one of single, multiple, yesno, matching, ordering, dropdown)", s);
	}
	if (jx_str(d, obj, jpath, "stem", 1, &s) == 1) {
		if (*s == '\0')
			jx_err(d, jx_path(p, sizeof p, jpath, "stem"), "must not be empty");
		q->stem = qz_keep(q, s);
	}
	if (jx_str(d, obj, jpath, "explanation", 1, &s) == 1) {
		const char *t = s;
		while (isspace((unsigned char)*t))
			t++;
		if (*t == '\0')
			jx_err(d, jx_path(p, sizeof p, jpath, "explanation"),
			    "must explain the answer (it is empty)");
		q->explanation = qz_keep(q, s);
	}
	qz_strlist(d, obj, jpath, "topics", 1, 1, 16, q->borrowed, &q->topics);
	if (jx_str(d, obj, jpath, "domain", 1, &s) == 1) {
		int dm = qz_domain_parse(s);
		if (dm < 0)
			jx_err(d, jx_path(p, sizeof p, jpath, "domain"),
			    "unknown domain \"%s\" (one of cloud-concepts, architecture-services, management-governance)", s);
		else
			q->domain = (enum qz_domain)dm;
	}
	if (jx_str(d, obj, jpath, "objective", 0, &s) == 1)
		q->objective = qz_keep(q, s);
	if (jx_str(d, obj, jpath, "ref", 0, &s) == 1)
		q->ref = qz_keep(q, s);
	/* Waived cue rules: only `synclab check` reads them, but a bad
	** waiver (an unknown rule, no reason) is an error of the file. */
	qcue_parse_waive(d, obj, jpath);
	if (jx_str(d, obj, jpath, "caseStudy", 0, &s) == 1) {
		if (!jx_is_id(s))
			jx_err(d, jx_path(p, sizeof p, jpath, "caseStudy"),
			    "\"%s\" is not a valid case study id", s);
		q->case_id = qz_keep(q, s);
	}
	if (jx_int(d, obj, jpath, "difficulty", 0, 1, 3, &ll) == 1)
		q->difficulty = (int)ll;
	q->scoring = QZ_ALL_OR_NOTHING;
	if (typed && (q->type == QZ_YESNO || q->type == QZ_MATCHING ||
	    q->type == QZ_DROPDOWN))
		q->scoring = QZ_PER_PART;
	if (jx_str(d, obj, jpath, "scoring", 0, &s) == 1) {
		if (strcmp(s, "all-or-nothing") == 0)
			q->scoring = QZ_ALL_OR_NOTHING;
		else if (strcmp(s, "per-part") == 0)
			q->scoring = QZ_PER_PART;
		else
			jx_err(d, jx_path(p, sizeof p, jpath, "scoring"),
			    "unknown scoring \"%s\" (all-or-nothing or per-part)", s);
	}
	return typed;
}

/* The blanks of a dropdown question, each an array of 2 to 6 option
** strings.  1 when they are usable, -1 when not (errors recorded). */
static int
qz_parse_blanks(jx_doc *d, const cJSON *obj, const char *jpath,
    qz_question *q)
{
	const cJSON *b;
	if (jx_arr(d, obj, jpath, "blanks", 1, &b) != 1)
		return -1;
	char bp[512], ep[512];
	jx_path(bp, sizeof bp, jpath, "blanks");
	size_t n = (size_t)cJSON_GetArraySize(b);
	if (n < 1 || n > QZ_MAXPART) {
		jx_err(d, bp, "needs 1 to %d blanks, has %zu", QZ_MAXPART, n);
		return -1;
	}
	int listed = 1;
	size_t i = 0;
	const cJSON *v;
	cJSON_ArrayForEach(v, b) {
		/* A blank is an array element, not a member that
		** qz_strlist could read by key: its options are
		** checked here. */
		jx_pathi(ep, sizeof ep, bp, i);
		if (!cJSON_IsArray(v)) {
			jx_err(d, ep, "must be an array of 2 to 6 option strings");
			listed = -1;
		} else {
			size_t k = (size_t)cJSON_GetArraySize(v);
			if (k < 2 || k > 6) {
				jx_err(d, ep, "needs 2 to 6 options, has %zu", k);
				listed = -1;
			}
			q->blanks[i].s = xcalloc(k ? k : 1, sizeof(char *));
			const cJSON *o;
			size_t j = 0;
			cJSON_ArrayForEach(o, v) {
				char op[512];
				if (!cJSON_IsString(o) || o->valuestring[0] == '\0') {
					jx_err(d, jx_pathi(op, sizeof op, ep, j),
					    "must be a non-empty string");
					listed = -1;
				} else if (q->blanks[i].n < QZ_MAXPART)
					q->blanks[i].s[q->blanks[i].n++] =
					    qz_keep(q, o->valuestring);
				j++;
			}
		}
		i++;
	}
	q->nblanks = n;
	if (q->stem)
		qz_check_blanks(d, jpath, q->stem, n);
	return listed;
}

/* The lists of a typed question (options, statements, items, targets,
** blanks) and choose.  1 when the lists are usable, else 0 or -1. */
static int
qz_parse_lists(jx_doc *d, const cJSON *obj, const char *jpath,
    qz_question *q)
{
	char p[512];
	long long ll;
	int listed = 0;
	switch (q->type) {
	case QZ_SINGLE:
		listed = qz_strlist(d, obj, jpath, "options", 1, 2, 8, q->borrowed, &q->list);
		break;
	case QZ_MULTIPLE:
		listed = qz_strlist(d, obj, jpath, "options", 1, 3, 8, q->borrowed, &q->list);
		if (jx_int(d, obj, jpath, "choose", 1, 2, 8, &ll) == 1) {
			q->choose = (int)ll;
			if (listed == 1 && (size_t)ll >= q->list.n) {
				jx_err(d, jx_path(p, sizeof p, jpath, "choose"),
				    "choose %lld of %zu options leaves nothing to decide",
				    ll, q->list.n);
			}
		}
		break;
	case QZ_YESNO:
		listed = qz_strlist(d, obj, jpath, "statements", 1, 2, 6, q->borrowed, &q->list);
		break;
	case QZ_MATCHING:
		listed = qz_strlist(d, obj, jpath, "items", 1, 2, 8, q->borrowed, &q->list);
		if (qz_strlist(d, obj, jpath, "targets", 1, 2, 8, q->borrowed, &q->targets) != 1)
			listed = -1;
		break;
	case QZ_ORDERING:
		listed = qz_strlist(d, obj, jpath, "items", 1, 3, 8, q->borrowed, &q->list);
		break;
	case QZ_DROPDOWN:
		listed = qz_parse_blanks(d, obj, jpath, q);
		break;
	}
	return listed;
}

qz_question *
qz_parse(jx_doc *d, const cJSON *obj, const char *jpath, int borrow)
{
	char p[512];
	int bad = 0;
	int before = d->nerr;
	if (!cJSON_IsObject(obj)) {
		jx_err(d, jpath, "a question must be an object");
		return NULL;
	}
	if (!qz_keys_known(obj))
		jx_only(d, obj, jpath, qz_keys);	/* records each unknown key */
	qz_question *q = xcalloc(1, sizeof *q);
	q->difficulty = 2;
	q->borrowed = borrow;

	int typed = qz_parse_common(d, obj, jpath, q);
	if (!typed)
		goto done;	/* the type decides everything below */

	const cJSON *m;
	cJSON_ArrayForEach(m, obj) {
		if (!qz_key_allowed(q->type, m->string))
			jx_err(d, jx_path(p, sizeof p, jpath, m->string),
			    "not used by a %s question", qz_type_names[q->type]);
	}
	int listed = qz_parse_lists(d, obj, jpath, q);
	if (listed == 1)
		qz_parse_answer_json(d, obj, jpath, q, &bad);

	/* Per-option feedback must line up with what it comments on. */
	if (q->type == QZ_SINGLE || q->type == QZ_MULTIPLE || q->type == QZ_YESNO) {
		int rc = qz_strlist(d, obj, jpath, "feedback", 0, 1, 8, q->borrowed, &q->feedback);
		if (rc == 1 && listed == 1 && q->feedback.n != q->list.n)
			jx_err(d, jx_path(p, sizeof p, jpath, "feedback"),
			    "has %zu entries but the question has %zu %s", q->feedback.n,
			    q->list.n, q->type == QZ_YESNO ? "statements" : "options");
	}
done:
	if (bad || d->nerr != before) {
		qz_question_free(q);
		return NULL;
	}
	return q;
}

qz_question *
qz_parse_question(jx_doc *d, const cJSON *obj, const char *jpath)
{
	return qz_parse(d, obj, jpath, 0);
}

void
qz_question_free(qz_question *q)
{
	if (q == NULL)
		return;
	if (!q->borrowed) {
		free(q->id);
		free(q->stem);
		free(q->explanation);
		free(q->objective);
		free(q->ref);
		free(q->case_id);
	}
	qz_list_drop(&q->feedback, q->borrowed);
	qz_list_drop(&q->topics, q->borrowed);
	qz_list_drop(&q->list, q->borrowed);
	qz_list_drop(&q->targets, q->borrowed);
	for (size_t i = 0; i < QZ_MAXPART; i++)
		qz_list_drop(&q->blanks[i], q->borrowed);
	free(q);
}

const char *
qz_question_id(const qz_question *q)
{
	return q->id;
}

const char *
qz_question_explanation(const qz_question *q)
{
	return q->explanation;
}
