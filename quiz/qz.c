/*
** qz.c: questions and banks: strict parsing, grading, plain text.
**
** Parsing never stops at the first problem: every check records its error
** with jx_err() and parsing goes on, so an author sees all mistakes of a
** file at once.  A question with any error is discarded, and a bank with
** any error is discarded as a whole (no half-loaded banks).
*/
#include "quiz/qz.h"
#include "lib/hash.h"
#include "lib/xmem.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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
static int
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

/* An integral JSON number, as every index in a question must be. */
static int
qz_isint(const cJSON *v)
{
	return cJSON_IsNumber(v) && v->valuedouble == (double)(int)v->valuedouble;
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
		} else if (v->valueint < 0 || v->valueint >= lim) {
			jx_err(d, jx_pathi(ep, sizeof ep, p, i),
			    "index %d out of range (0 to %d)", v->valueint, lim - 1);
			bad = 1;
		} else
			out[i] = v->valueint;
		i++;
	}
	return bad ? -1 : (int)have;
}

static int
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
	"choose", "statements", "items", "targets", "blanks", "answer", NULL
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
		} else if (a->valueint < 0 || (size_t)a->valueint >= q->list.n) {
			jx_err(d, p, "index %d out of range (0 to %zu)", a->valueint,
			    q->list.n - 1);
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
			} else if (v->valueint < 0 || (size_t)v->valueint >= q->blanks[i].n) {
				jx_err(d, jx_pathi(ep, sizeof ep, p, i),
				    "index %d out of range (blank %zu has options 0 to %zu)",
				    v->valueint, i + 1, q->blanks[i].n - 1);
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

static qz_question *
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

	const char *s;
	if (jx_str(d, obj, jpath, "id", 1, &s) == 1) {
		if (!jx_is_id(s))
			jx_err(d, jx_path(p, sizeof p, jpath, "id"),
			    "\"%s\" is not a valid id (lowercase letters, digits and '-')", s);
		q->id = qz_keep(q, s);
	}
	int typed = 0;
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
	if (jx_str(d, obj, jpath, "caseStudy", 0, &s) == 1) {
		if (!jx_is_id(s))
			jx_err(d, jx_path(p, sizeof p, jpath, "caseStudy"),
			    "\"%s\" is not a valid case study id", s);
		q->case_id = qz_keep(q, s);
	}
	long long ll;
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
	if (!typed)
		goto done;	/* the type decides everything below */

	const cJSON *m;
	cJSON_ArrayForEach(m, obj) {
		if (!qz_key_allowed(q->type, m->string))
			jx_err(d, jx_path(p, sizeof p, jpath, m->string),
			    "not used by a %s question", qz_type_names[q->type]);
	}
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
	case QZ_DROPDOWN: {
		const cJSON *b;
		if (jx_arr(d, obj, jpath, "blanks", 1, &b) != 1) {
			listed = -1;
			break;
		}
		char bp[512], ep[512];
		jx_path(bp, sizeof bp, jpath, "blanks");
		size_t n = (size_t)cJSON_GetArraySize(b);
		if (n < 1 || n > QZ_MAXPART) {
			jx_err(d, bp, "needs 1 to %d blanks, has %zu", QZ_MAXPART, n);
			listed = -1;
			break;
		}
		listed = 1;
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
		break;
	}
	}
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

/* --- views -------------------------------------------------------------- */

void
qz_view_identity(qz_view *v)
{
	for (int i = 0; i < QZ_MAXPART; i++) {
		v->perm[i] = (unsigned char)i;
		for (int j = 0; j < QZ_MAXPART; j++)
			v->bperm[i][j] = (unsigned char)j;
	}
}

static void
qz_shuffle(unsigned char *a, size_t n, rng *r)
{
	for (size_t i = n; i > 1; i--) {
		size_t j = (size_t)rng_below(r, i);
		unsigned char t = a[i - 1];
		a[i - 1] = a[j];
		a[j] = t;
	}
}

void
qz_view_shuffle(const qz_question *q, rng *r, qz_view *v)
{
	qz_view_identity(v);
	switch (q->type) {
	case QZ_SINGLE:
	case QZ_MULTIPLE:
	case QZ_ORDERING:
		qz_shuffle(v->perm, q->list.n, r);
		break;
	case QZ_MATCHING:
		qz_shuffle(v->perm, q->targets.n, r);
		break;
	case QZ_DROPDOWN:
		for (size_t b = 0; b < q->nblanks; b++)
			qz_shuffle(v->bperm[b], q->blanks[b].n, r);
		break;
	case QZ_YESNO:
		break;
	}
}

int
qz_place(const unsigned char *perm, size_t n, int fi)
{
	for (size_t i = 0; i < n; i++)
		if (perm[i] == fi)
			return (int)i;
	return 0;
}

static const qz_view *
qz_view_or_identity(const qz_view *v, qz_view *tmp)
{
	if (v)
		return v;
	qz_view_identity(tmp);
	return tmp;
}

/* --- parsing answers ---------------------------------------------------- */

static size_t
qz_tokens(const char *text, char tok[][16], size_t max, int *toolong)
{
	size_t n = 0;
	*toolong = 0;
	const char *s = text;
	for (;;) {
		while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
			s++;
		if (*s == '\0')
			break;
		const char *b = s;
		while (*s && *s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
			s++;
		size_t len = (size_t)(s - b);
		if (n < max) {
			if (len >= 16) {
				*toolong = 1;
				len = 15;
			}
			for (size_t i = 0; i < len; i++)
				tok[n][i] = (char)tolower((unsigned char)b[i]);
			tok[n][len] = '\0';
		}
		n++;
	}
	return n;
}

/* A one-letter token naming a place in [0, n); -1 otherwise. */
static int
qz_letter(const char *t, size_t n)
{
	if (t[0] < 'a' || t[1] != '\0')
		return -1;
	int i = t[0] - 'a';
	return (size_t)i < n ? i : -1;
}

int
qz_parse_answer(const qz_question *q, const qz_view *view, const char *text,
    qz_resp *r, sb *why)
{
	char tok[QZ_MAXPART + 1][16];
	int toolong;
	qz_view idv;
	const qz_view *v = qz_view_or_identity(view, &idv);
	size_t n = qz_tokens(text, tok, QZ_MAXPART + 1, &toolong);
	size_t want;
	char last;
	memset(r, 0, sizeof *r);
	if (n == 0) {
		sb_addf(why, "no answer given: type %s", qz_syntax_hint(q));
		return -1;
	}
	switch (q->type) {
	case QZ_SINGLE:
		last = (char)('a' + q->list.n - 1);
		if (n != 1) {
			sb_addf(why, "type one letter only (a to %c)", last);
			return -1;
		}
		int i = qz_letter(tok[0], q->list.n);
		if (i < 0) {
			sb_addf(why, "\"%s\" is not an option: type one letter from a to %c",
			    tok[0], last);
			return -1;
		}
		r->v[0] = v->perm[i];
		r->n = 1;
		return 0;
	case QZ_MULTIPLE:
	case QZ_ORDERING:
		want = q->type == QZ_MULTIPLE ? (size_t)q->choose : q->nanswer;
		last = (char)('a' + q->list.n - 1);
		if (n == 1 && strlen(tok[0]) > 1 && !toolong) {
			sb_addf(why, "separate the letters with spaces (e.g. \"%c %c\")",
			    tok[0][0], tok[0][1]);
			return -1;
		}
		for (size_t k = 0; k < n && k <= QZ_MAXPART; k++) {
			int li = qz_letter(tok[k], q->list.n);
			if (li < 0) {
				sb_addf(why, "\"%s\" is not one of the letters a to %c",
				    tok[k], last);
				return -1;
			}
			if (k < QZ_MAXPART)
				r->v[k] = v->perm[li];
		}
		if (n != want) {
			sb_addf(why, "%s exactly %zu letters, you gave %zu",
			    q->type == QZ_MULTIPLE ? "choose" : "put in order", want, n);
			return -1;
		}
		r->n = n;
		if (qz_has_dup(r->v, n)) {
			sb_add(why, "a letter appears twice");
			return -1;
		}
		return 0;
	case QZ_YESNO:
		if (n != q->list.n) {
			sb_addf(why, "type one y or n for each of the %zu statements, you gave %zu",
			    q->list.n, n);
			return -1;
		}
		for (size_t k = 0; k < n; k++) {
			if (strcmp(tok[k], "y") == 0)
				r->v[k] = 1;
			else if (strcmp(tok[k], "n") == 0)
				r->v[k] = 0;
			else {
				sb_addf(why, "\"%s\" is not y or n (statement %zu)",
				    tok[k], k + 1);
				return -1;
			}
		}
		r->n = n;
		return 0;
	case QZ_MATCHING: {
		int seen[QZ_MAXPART] = { 0 };
		last = (char)('a' + q->targets.n - 1);
		if (n != q->list.n) {
			sb_addf(why, "match each of the %zu items (e.g. \"1b 2a\"), you gave %zu",
			    q->list.n, n);
			return -1;
		}
		for (size_t k = 0; k < n; k++) {
			const char *t = tok[k];
			char *end;
			long item = strtol(t, &end, 10);
			if (end == t || item < 1 || (size_t)item > q->list.n ||
			    qz_letter(end, q->targets.n) < 0) {
				sb_addf(why, "\"%s\" is not an item number (1 to %zu) followed by a letter (a to %c)",
				    t, q->list.n, last);
				return -1;
			}
			if (seen[item - 1]++) {
				sb_addf(why, "item %ld is matched twice", item);
				return -1;
			}
			r->v[item - 1] = v->perm[qz_letter(end, q->targets.n)];
		}
		r->n = n;
		return 0;
	}
	case QZ_DROPDOWN:
		if (n != q->nblanks) {
			sb_addf(why, "type one letter for each of the %zu blanks, you gave %zu",
			    q->nblanks, n);
			return -1;
		}
		for (size_t k = 0; k < n; k++) {
			int li = qz_letter(tok[k], q->blanks[k].n);
			if (li < 0) {
				sb_addf(why, "\"%s\" is not an option of blank %zu (a to %c)",
				    tok[k], k + 1, (char)('a' + q->blanks[k].n - 1));
				return -1;
			}
			r->v[k] = v->bperm[k][li];
		}
		r->n = n;
		return 0;
	}
	return -1;
}

/* --- grading ------------------------------------------------------------ */

void
qz_right_resp(const qz_question *q, qz_resp *r)
{
	memcpy(r->v, q->answer, sizeof r->v);
	r->n = q->nanswer;
}

void
qz_grade_resp(const qz_question *q, const qz_resp *r, qz_grade *g)
{
	g->points = 0;
	g->parts = (int)q->nanswer;
	switch (q->type) {
	case QZ_SINGLE:
		g->parts = 1;
		g->points = r->n == 1 && r->v[0] == q->answer[0];
		break;
	case QZ_MULTIPLE:
		/* One point per right choice among the N chosen. */
		for (size_t i = 0; i < r->n && i < QZ_MAXPART; i++)
			for (size_t j = 0; j < q->nanswer; j++)
				if (r->v[i] == q->answer[j])
					g->points++;
		if (r->n != q->nanswer)
			g->points = 0;	/* the wrong shape earns nothing */
		break;
	default:
		/* Every other type: one point per part in its right place. */
		if (r->n == q->nanswer)
			for (size_t i = 0; i < q->nanswer; i++)
				if (r->v[i] == q->answer[i])
					g->points++;
		break;
	}
	if (g->parts < 1)
		g->parts = 1;
	g->correct = g->points == g->parts;
	if (q->scoring == QZ_PER_PART)
		g->score = (double)g->points / g->parts;
	else
		g->score = g->correct ? 1.0 : 0.0;
}

int
qz_grade_plain(const qz_question *q, const char *answer, double *score,
    sb *feedback)
{
	qz_resp r;
	qz_grade g;
	if (qz_parse_answer(q, NULL, answer, &r, feedback) != 0)
		return -1;
	qz_grade_resp(q, &r, &g);
	*score = g.score;
	qz_format_verdict(q, &g, feedback);
	qz_resp right;
	qz_right_resp(q, &right);
	sb_add(feedback, " The answer: ");
	qz_format_resp(q, NULL, &right, feedback);
	return 0;
}

/* --- text --------------------------------------------------------------- */

const char *
qz_syntax_hint(const qz_question *q)
{
	switch (q->type) {
	case QZ_SINGLE:
		return "one letter, e.g. b";
	case QZ_MULTIPLE:
		return "the letters you choose, separated by spaces, e.g. a c";
	case QZ_YESNO:
		return "one y or n per statement, e.g. y n y";
	case QZ_MATCHING:
		return "each item number followed by a letter, e.g. 1b 2a 3c";
	case QZ_ORDERING:
		return "the letters in order, separated by spaces, e.g. c a b";
	case QZ_DROPDOWN:
		return "one letter per blank, in order, e.g. b a";
	}
	return "";
}

/* The stem with each dropdown {n} shown as [n]. */
static void
qz_add_stem(const qz_question *q, sb *out)
{
	if (q->type != QZ_DROPDOWN) {
		sb_add(out, q->stem);
		return;
	}
	for (const char *s = q->stem; *s; s++) {
		if (*s == '{' && isdigit((unsigned char)s[1])) {
			const char *e = s + 1;
			while (isdigit((unsigned char)*e))
				e++;
			if (*e == '}') {
				sb_addc(out, '[');
				sb_addn(out, s + 1, (size_t)(e - s - 1));
				sb_addc(out, ']');
				s = e;
				continue;
			}
		}
		sb_addc(out, *s);
	}
}

void
qz_format_view(const qz_question *q, const qz_view *view, sb *out)
{
	qz_view idv;
	const qz_view *v = qz_view_or_identity(view, &idv);
	qz_add_stem(q, out);
	sb_addc(out, '\n');
	switch (q->type) {
	case QZ_SINGLE:
	case QZ_MULTIPLE:
		for (size_t i = 0; i < q->list.n; i++)
			sb_addf(out, "  %c) %s\n", (char)('a' + i), q->list.s[v->perm[i]]);
		if (q->type == QZ_MULTIPLE)
			sb_addf(out, "Choose %d.\n", q->choose);
		break;
	case QZ_YESNO:
		for (size_t i = 0; i < q->list.n; i++)
			sb_addf(out, "  %zu. %s\n", i + 1, q->list.s[i]);
		break;
	case QZ_MATCHING:
		sb_add(out, "Items:\n");
		for (size_t i = 0; i < q->list.n; i++)
			sb_addf(out, "  %zu. %s\n", i + 1, q->list.s[i]);
		sb_add(out, "Targets (a target may fit several items or none):\n");
		for (size_t i = 0; i < q->targets.n; i++)
			sb_addf(out, "  %c) %s\n", (char)('a' + i),
			    q->targets.s[v->perm[i]]);
		break;
	case QZ_ORDERING:
		for (size_t i = 0; i < q->list.n; i++)
			sb_addf(out, "  %c) %s\n", (char)('a' + i), q->list.s[v->perm[i]]);
		if (q->nanswer < q->list.n)
			sb_addf(out, "Put %zu of these in order (the others do not belong).\n",
			    q->nanswer);
		else
			sb_addf(out, "Put all %zu in order.\n", q->nanswer);
		break;
	case QZ_DROPDOWN:
		for (size_t b = 0; b < q->nblanks; b++) {
			sb_addf(out, "  [%zu]", b + 1);
			for (size_t i = 0; i < q->blanks[b].n; i++)
				sb_addf(out, " %c) %s%s", (char)('a' + i),
				    q->blanks[b].s[v->bperm[b][i]],
				    i + 1 < q->blanks[b].n ? " " : "");
			sb_addc(out, '\n');
		}
		break;
	}
	sb_addf(out, "Answer with %s.\n", qz_syntax_hint(q));
}

void
qz_format_plain(const qz_question *q, sb *out)
{
	qz_format_view(q, NULL, out);
}

void
qz_format_resp(const qz_question *q, const qz_view *view, const qz_resp *r,
    sb *out)
{
	qz_view idv;
	const qz_view *v = qz_view_or_identity(view, &idv);
	switch (q->type) {
	case QZ_SINGLE:
		if (r->n == 1)
			sb_addc(out, (char)('a' + qz_place(v->perm, q->list.n, r->v[0])));
		break;
	case QZ_MULTIPLE: {
		/* Letters in display order, as the student would type them. */
		int on[QZ_MAXPART] = { 0 };
		for (size_t i = 0; i < r->n; i++)
			on[qz_place(v->perm, q->list.n, r->v[i])] = 1;
		int first = 1;
		for (size_t i = 0; i < q->list.n; i++)
			if (on[i]) {
				sb_addf(out, "%s%c", first ? "" : " ", (char)('a' + i));
				first = 0;
			}
		break;
	}
	case QZ_ORDERING:
		for (size_t i = 0; i < r->n; i++)
			sb_addf(out, "%s%c", i ? " " : "",
			    (char)('a' + qz_place(v->perm, q->list.n, r->v[i])));
		break;
	case QZ_YESNO:
		for (size_t i = 0; i < r->n; i++)
			sb_addf(out, "%s%c", i ? " " : "", r->v[i] ? 'y' : 'n');
		break;
	case QZ_MATCHING:
		for (size_t i = 0; i < r->n; i++)
			sb_addf(out, "%s%zu%c", i ? " " : "", i + 1,
			    (char)('a' + qz_place(v->perm, q->targets.n, r->v[i])));
		break;
	case QZ_DROPDOWN:
		for (size_t i = 0; i < r->n; i++)
			sb_addf(out, "%s%c", i ? " " : "",
			    (char)('a' + qz_place(v->bperm[i], q->blanks[i].n, r->v[i])));
		break;
	}
}

void
qz_format_resp_long(const qz_question *q, const qz_view *view,
    const qz_resp *r, const char *indent, sb *out)
{
	qz_view idv;
	const qz_view *v = qz_view_or_identity(view, &idv);
	switch (q->type) {
	case QZ_SINGLE:
	case QZ_MULTIPLE: {
		int on[QZ_MAXPART] = { 0 };
		for (size_t i = 0; i < r->n; i++)
			on[qz_place(v->perm, q->list.n, r->v[i])] = 1;
		for (size_t i = 0; i < q->list.n; i++)
			if (on[i])
				sb_addf(out, "%s%c) %s\n", indent, (char)('a' + i),
				    q->list.s[v->perm[i]]);
		break;
	}
	case QZ_ORDERING:
		for (size_t i = 0; i < r->n; i++)
			sb_addf(out, "%s%zu. %c) %s\n", indent, i + 1,
			    (char)('a' + qz_place(v->perm, q->list.n, r->v[i])),
			    q->list.s[r->v[i]]);
		break;
	case QZ_YESNO:
		for (size_t i = 0; i < r->n; i++)
			sb_addf(out, "%s%zu. %s: %s\n", indent, i + 1,
			    r->v[i] ? "Yes" : "No", q->list.s[i]);
		break;
	case QZ_MATCHING:
		for (size_t i = 0; i < r->n; i++)
			sb_addf(out, "%s%zu. %s -> %c) %s\n", indent, i + 1,
			    q->list.s[i],
			    (char)('a' + qz_place(v->perm, q->targets.n, r->v[i])),
			    q->targets.s[r->v[i]]);
		break;
	case QZ_DROPDOWN:
		for (size_t i = 0; i < r->n; i++)
			sb_addf(out, "%s[%zu] %c) %s\n", indent, i + 1,
			    (char)('a' + qz_place(v->bperm[i], q->blanks[i].n, r->v[i])),
			    q->blanks[i].s[r->v[i]]);
		break;
	}
}

void
qz_format_verdict(const qz_question *q, const qz_grade *g, sb *out)
{
	if (g->correct)
		sb_add(out, "Right.");
	else if (g->points > 0 && g->parts > 1)
		sb_addf(out, "Partly right: %d of %d parts (%s, %d%%).", g->points,
		    g->parts, q->scoring == QZ_PER_PART ? "scored per part" :
		    "scored all-or-nothing", (int)(g->score * 100.0 + 0.5));
	else
		sb_add(out, "Wrong.");
}

void
qz_format_feedback(const qz_question *q, const qz_view *v, const qz_resp *r,
    const qz_grade *g, sb *out)
{
	qz_resp right;
	qz_right_resp(q, &right);
	if (g) {
		qz_format_verdict(q, g, out);
		sb_addc(out, ' ');
	}
	sb_add(out, "The answer: ");
	qz_format_resp(q, v, &right, out);
	sb_addc(out, '\n');
	qz_format_resp_long(q, v, &right, "  ", out);
	if (q->feedback.n > 0 && r) {
		/* The author's note on each option the student chose (or, for
		** yes/no, on every statement answered wrongly). */
		qz_view idv;
		const qz_view *vv = qz_view_or_identity(v, &idv);
		for (size_t i = 0; i < r->n; i++) {
			size_t fi = (size_t)r->v[i];
			if (q->type == QZ_YESNO) {
				if (r->v[i] != q->answer[i])
					sb_addf(out, "Statement %zu: %s\n", i + 1,
					    q->feedback.s[i]);
			} else if (fi < q->feedback.n)
				sb_addf(out, "You chose %c: %s\n",
				    (char)('a' + qz_place(vv->perm, q->list.n, (int)fi)),
				    q->feedback.s[fi]);
		}
	}
	sb_addf(out, "Why: %s\n", q->explanation);
}

void
qz_format_case(const qz_case *cs, sb *out)
{
	sb_addf(out, "Case study: %s\n%s\n", cs->title, cs->text);
	if (cs->nreqs > 0) {
		sb_add(out, "Requirements:\n");
		for (size_t i = 0; i < cs->nreqs; i++)
			sb_addf(out, "  - %s\n", cs->reqs[i]);
	}
}

/* --- banks -------------------------------------------------------------- */

/* Where each question came from, kept while loading for messages. */
typedef struct qz_origin {
	size_t	 doc;
	size_t	 index;
} qz_origin;

typedef struct qz_loader {
	jx_doc		*docs;
	size_t		 ndocs;
	qz_origin	*orig;		/* parallel to bank->q */
	size_t		*slots;		/* hash of ids: index + 1, 0 empty */
	size_t		 nslots;
} qz_loader;

static void
qz_case_free(qz_case *c)
{
	if (c == NULL)
		return;
	free(c->id);
	free(c->title);
	free(c->text);
	for (size_t i = 0; i < c->nreqs; i++)
		free(c->reqs[i]);
	free(c->reqs);
	free(c);
}

/* Finds or inserts id; returns the index of an earlier question with the
** same id, or -1 after inserting idx. */
static long
qz_ids_put(qz_loader *L, qz_bank *b, size_t idx)
{
	if ((b->nq + 1) * 2 > L->nslots) {
		size_t ns = L->nslots ? L->nslots * 2 : 256;
		size_t *slots = xcalloc(ns, sizeof *slots);
		for (size_t i = 0; i < L->nslots; i++) {
			if (L->slots[i] == 0)
				continue;
			size_t h = (size_t)hash_str(b->q[L->slots[i] - 1]->id) & (ns - 1);
			while (slots[h])
				h = (h + 1) & (ns - 1);
			slots[h] = L->slots[i];
		}
		free(L->slots);
		L->slots = slots;
		L->nslots = ns;
	}
	const char *id = b->q[idx]->id;
	size_t h = (size_t)hash_str(id) & (L->nslots - 1);
	while (L->slots[h]) {
		if (strcmp(b->q[L->slots[h] - 1]->id, id) == 0)
			return (long)(L->slots[h] - 1);
		h = (h + 1) & (L->nslots - 1);
	}
	L->slots[h] = idx + 1;
	return -1;
}

static void
qz_load_doc(qz_loader *L, qz_bank *b, size_t di)
{
	static const char *const file_keys[] = {
		"$schema", "bank", "title", "caseStudies", "questions", NULL
	};
	static const char *const case_keys[] = {
		"id", "title", "text", "requirements", NULL
	};
	jx_doc *d = &L->docs[di];
	const cJSON *root = d->root;
	char p[512];
	if (!cJSON_IsObject(root)) {
		jx_err(d, "", "a question bank must be a JSON object");
		return;
	}
	jx_only(d, root, "", file_keys);
	const char *s;
	if (jx_str(d, root, "", "bank", 1, &s) == 1 && !jx_is_id(s))
		jx_err(d, "bank", "\"%s\" is not a valid bank name (lowercase letters, digits and '-')", s);
	jx_str(d, root, "", "title", 0, &s);

	size_t case0 = b->ncs;
	const cJSON *cs;
	if (jx_arr(d, root, "", "caseStudies", 0, &cs) == 1) {
		size_t i = 0;
		const cJSON *c;
		cJSON_ArrayForEach(c, cs) {
			jx_pathi(p, sizeof p, "caseStudies", i++);
			if (!cJSON_IsObject(c)) {
				jx_err(d, p, "a case study must be an object");
				continue;
			}
			jx_only(d, c, p, case_keys);
			qz_case *k = xcalloc(1, sizeof *k);
			const char *id = NULL, *title = NULL, *text = NULL;
			jx_str(d, c, p, "id", 1, &id);
			jx_str(d, c, p, "title", 1, &title);
			jx_str(d, c, p, "text", 1, &text);
			k->id = xstrdup(id ? id : "");
			k->title = xstrdup(title ? title : "");
			k->text = xstrdup(text ? text : "");
			if (id && !jx_is_id(id)) {
				char ip[512];
				jx_err(d, jx_path(ip, sizeof ip, p, "id"),
				    "\"%s\" is not a valid id", id);
			}
			for (size_t j = case0; id && j < b->ncs; j++)
				if (strcmp(b->cs[j]->id, id) == 0) {
					char ip[512];
					jx_err(d, jx_path(ip, sizeof ip, p, "id"),
					    "duplicate case study id \"%s\"", id);
				}
			qz_list reqs = { NULL, 0 };
			qz_strlist(d, c, p, "requirements", 0, 1, 32, 0, &reqs);
			k->reqs = reqs.s;
			k->nreqs = reqs.n;
			b->cs = xreallocarray(b->cs, b->ncs + 1, sizeof *b->cs);
			b->cs[b->ncs++] = k;
		}
	}

	const cJSON *qs;
	if (jx_arr(d, root, "", "questions", 1, &qs) != 1)
		return;
	size_t nqs = (size_t)cJSON_GetArraySize(qs);
	if (nqs == 0)
		jx_err(d, "questions", "a bank needs at least one question");
	/* Room for every question of the document at once. */
	b->q = xreallocarray(b->q, b->nq + nqs, sizeof *b->q);
	L->orig = xreallocarray(L->orig, b->nq + nqs, sizeof *L->orig);
	size_t i = 0;
	const cJSON *o;
	cJSON_ArrayForEach(o, qs) {
		jx_pathi(p, sizeof p, "questions", i);
		qz_question *q = qz_parse(d, o, p, 1);
		if (q == NULL) {
			i++;
			continue;
		}
		if (q->case_id) {
			for (size_t j = case0; j < b->ncs; j++)
				if (strcmp(b->cs[j]->id, q->case_id) == 0)
					q->cs = b->cs[j];
			if (q->cs == NULL) {
				char cp[512];
				jx_err(d, jx_path(cp, sizeof cp, p, "caseStudy"),
				    "unknown case study \"%s\" (not in this file's caseStudies)",
				    q->case_id);
			}
		}
		b->q[b->nq] = q;
		L->orig[b->nq].doc = di;
		L->orig[b->nq].index = i;
		long first = qz_ids_put(L, b, b->nq);
		b->nq++;
		if (first >= 0) {
			qz_origin *fo = &L->orig[first];
			char qp[512], fp[512], ip[512];
			int l = 0, c = 0;
			jx_pathi(qp, sizeof qp, "questions", fo->index);
			jx_path(fp, sizeof fp, qp, "id");
			jx_locate(&L->docs[fo->doc], fp, &l, &c);
			jx_err(d, jx_path(ip, sizeof ip, p, "id"),
			    "duplicate id \"%s\" (first at %s:%d:%d)", q->id,
			    L->docs[fo->doc].name, l, c);
		}
		i++;
	}
}

static int
qz_cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Expands folders into their *.json files, sorted. */
static void
qz_expand(const char *path, char ***files, size_t *n, sb *errs, int *nerr)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		sb_addf(errs, "%s: cannot open: %s\n", path, strerror(errno));
		(*nerr)++;
		return;
	}
	if (!S_ISDIR(st.st_mode)) {
		*files = xreallocarray(*files, *n + 1, sizeof **files);
		(*files)[(*n)++] = xstrdup(path);
		return;
	}
	DIR *dir = opendir(path);
	if (dir == NULL) {
		sb_addf(errs, "%s: cannot open: %s\n", path, strerror(errno));
		(*nerr)++;
		return;
	}
	size_t start = *n;
	struct dirent *e;
	while ((e = readdir(dir)) != NULL) {
		size_t len = strlen(e->d_name);
		if (e->d_name[0] == '.' || len < 6 ||
		    strcmp(e->d_name + len - 5, ".json") != 0)
			continue;
		*files = xreallocarray(*files, *n + 1, sizeof **files);
		(*files)[(*n)++] = xasprintf("%s/%s", path, e->d_name);
	}
	closedir(dir);
	qsort(*files + start, *n - start, sizeof **files, qz_cmpstr);
}

static int
qz_bank_finish(qz_bank *b, qz_loader *L, sb *errs, int nerr)
{
	for (size_t i = 0; i < L->ndocs; i++) {
		nerr += L->docs[i].nerr;
		sb_add(errs, sb_str(&L->docs[i].errs));
	}
	/* The bank keeps the documents: its questions borrow their text. */
	b->docs = L->docs;
	b->ndocs = L->ndocs;
	free(L->orig);
	free(L->slots);
	if (nerr > 0)
		qz_bank_free(b);
	return nerr;
}

int
qz_bank_load(qz_bank *b, const char *const *paths, size_t npaths, sb *errs)
{
	qz_loader L;
	char **files = NULL;
	size_t nfiles = 0;
	int nerr = 0;
	memset(b, 0, sizeof *b);
	memset(&L, 0, sizeof L);
	for (size_t i = 0; i < npaths; i++)
		qz_expand(paths[i], &files, &nfiles, errs, &nerr);
	L.docs = xcalloc(nfiles ? nfiles : 1, sizeof *L.docs);
	for (size_t i = 0; i < nfiles; i++) {
		L.ndocs++;
		if (jx_load_file(&L.docs[i], files[i]) == 0)
			qz_load_doc(&L, b, i);
		free(files[i]);
	}
	free(files);
	if (nfiles == 0 && nerr == 0) {
		sb_add(errs, npaths ? paths[0] : "(no path)");
		sb_add(errs, ": no question files (*.json) found\n");
		nerr++;
	}
	return qz_bank_finish(b, &L, errs, nerr);
}

int
qz_bank_load_text(qz_bank *b, const char *name, const char *text, sb *errs)
{
	qz_loader L;
	memset(b, 0, sizeof *b);
	memset(&L, 0, sizeof L);
	L.docs = xcalloc(1, sizeof *L.docs);
	L.ndocs = 1;
	if (jx_load_text(&L.docs[0], name, text, strlen(text)) == 0)
		qz_load_doc(&L, b, 0);
	return qz_bank_finish(b, &L, errs, 0);
}

void
qz_bank_free(qz_bank *b)
{
	for (size_t i = 0; i < b->nq; i++)
		qz_question_free(b->q[i]);
	free(b->q);
	for (size_t i = 0; i < b->ncs; i++)
		qz_case_free(b->cs[i]);
	free(b->cs);
	for (size_t i = 0; i < b->ndocs; i++)
		jx_free(&b->docs[i]);
	free(b->docs);
	memset(b, 0, sizeof *b);
}

const qz_question *
qz_bank_find(const qz_bank *b, const char *id)
{
	for (size_t i = 0; i < b->nq; i++)
		if (strcmp(b->q[i]->id, id) == 0)
			return b->q[i];
	return NULL;
}

int
qz_check_file(const char *path, sb *errs)
{
	qz_bank b;
	const char *paths[1] = { path };
	int n = qz_bank_load(&b, paths, 1, errs);
	qz_bank_free(&b);
	return n;
}
