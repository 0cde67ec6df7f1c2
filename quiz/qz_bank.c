/*
** qz_bank.c: question banks: files and folders loaded strictly, ids unique
** across them, nothing half-loaded; see qz.h.
*/
#include "quiz/qz_int.h"
#include "quiz/qol.h"
#include "lib/hash.h"
#include "lib/xmem.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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
			size_t h = (size_t)hash_key(b->q[L->slots[i] - 1]->id) & (ns - 1);
			while (slots[h])
				h = (h + 1) & (ns - 1);
			slots[h] = L->slots[i];
		}
		free(L->slots);
		L->slots = slots;
		L->nslots = ns;
	}
	const char *id = b->q[idx]->id;
	size_t h = (size_t)hash_key(id) & (L->nslots - 1);
	while (L->slots[h]) {
		if (strcmp(b->q[L->slots[h] - 1]->id, id) == 0)
			return (long)(L->slots[h] - 1);
		h = (h + 1) & (L->nslots - 1);
	}
	L->slots[h] = idx + 1;
	return -1;
}

/*
** A bank question's objective is one outline code (quiz/qol.h) and its
** domain is that code's domain.  Scenario questions are not held to it:
** their objectives are the scenario's.
*/
static void
qz_check_objective(jx_doc *d, const char *p, const qz_question *q)
{
	char op[512];
	jx_path(op, sizeof op, p, "objective");
	if (q->objective == NULL) {
		jx_err(d, op, "missing: a bank question needs its outline code, "
		    "such as \"2.3.3\" (docs/question-bank.md lists them)");
		return;
	}
	int li = qol_find(q->objective);
	if (li < 0) {
		jx_err(d, op, "\"%.40s\" is not an outline code (domain.area.line, "
		    "such as \"2.3.3\"; docs/question-bank.md lists them)",
		    q->objective);
		return;
	}
	int dom = qol_at((size_t)li)->domain;
	if (dom != (int)q->domain) {
		jx_path(op, sizeof op, p, "domain");
		jx_err(d, op, "\"%s\" does not match objective %s, a line of domain "
		    "%d (%s)", qz_domain_name(q->domain), q->objective, dom + 1,
		    qz_domain_name((enum qz_domain)dom));
	}
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
		qz_check_objective(d, p, q);
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
	/* and the id index, for qz_bank_find() */
	b->slots = L->slots;
	b->nslots = L->nslots;
	free(L->orig);
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
	free(b->slots);
	memset(b, 0, sizeof *b);
}

long
qz_bank_index(const qz_bank *b, const char *id)
{
	if (b->nslots == 0)
		return -1;
	for (size_t h = (size_t)hash_key(id) & (b->nslots - 1); b->slots[h];
	    h = (h + 1) & (b->nslots - 1))
		if (strcmp(b->q[b->slots[h] - 1]->id, id) == 0)
			return (long)(b->slots[h] - 1);
	return -1;
}

const qz_question *
qz_bank_find(const qz_bank *b, const char *id)
{
	long i = qz_bank_index(b, id);
	return i < 0 ? NULL : b->q[i];
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
