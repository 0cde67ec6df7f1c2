/*
** qcue.c: the cue checker; see qcue.h and docs/question-format.md.
**
** Words: a word is a run of ASCII letters and digits, lower-cased (any
** other byte separates words).  A content word has 4 or more letters and
** is not a stop word; it is stemmed (plural endings removed) so that
** "policies" meets "policy".  An acronym of 2-3 capitals ("DNS", "VMs",
** "B2C") is a content word too: it is the most telling word a stem can
** share with its key.
*/
#include "quiz/qcue.h"
#include "lib/hash.h"
#include "lib/xmem.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define QCUE_NAME(e, n) n,
static const char *const qcue_names[] = { QCUE_RULES(QCUE_NAME) };
#undef QCUE_NAME

const char *
qcue_rule_name(enum qcue_rule r)
{
	return (unsigned)r < QCUE_NRULE ? qcue_names[r] : "?";
}

int
qcue_rule_parse(const char *name)
{
	for (int i = 0; i < QCUE_NRULE; i++)
		if (strcmp(qcue_names[i], name) == 0)
			return i;
	return -1;
}

unsigned
qcue_parse_waive(jx_doc *d, const cJSON *obj, const char *jpath)
{
	const cJSON *w;
	char p[512], ep[600];
	if (jx_obj(d, obj, jpath, "waive", 0, &w) != 1)
		return 0;
	jx_path(p, sizeof p, jpath, "waive");
	unsigned mask = 0;
	int bad = 0;
	const cJSON *m;
	if (cJSON_GetArraySize(w) == 0) {
		jx_err(d, p, "names no rule (leave it out, or give {\"RULE\": \"reason\"})");
		return 0;
	}
	cJSON_ArrayForEach(m, w) {
		snprintf(ep, sizeof ep, "%s.%s", p, m->string);
		int r = qcue_rule_parse(m->string);
		if (r < 0) {
			sb names = SB_INIT;
			for (int i = 0; i < QCUE_NRULE; i++)
				sb_addf(&names, "%s%s", i ? ", " : "", qcue_names[i]);
			jx_err(d, ep, "unknown cue rule \"%s\" (one of %s)",
			    m->string, sb_str(&names));
			sb_free(&names);
			bad = 1;
			continue;
		}
		const char *s = cJSON_IsString(m) ? m->valuestring : NULL;
		while (s && (*s == ' ' || *s == '\t'))
			s++;
		if (s == NULL || *s == '\0') {
			jx_err(d, ep, "must give the reason for waiving %s (a sentence)",
			    m->string);
			bad = 1;
			continue;
		}
		mask |= 1u << r;
	}
	return bad ? 0 : mask;
}

/* --- words ------------------------------------------------------------ */

/* The authors' prototype's stop words, and more words that any stem may
** use without telling anything about the answer. */
static const char *const qcue_stop[] = {
	"a", "an", "the", "and", "or", "of", "to", "in", "on", "for", "with",
	"by", "from", "at", "as", "is", "are", "be", "was", "were", "it",
	"its", "this", "that", "these", "those", "which", "what", "when",
	"where", "who", "whom", "whose", "how", "why", "can", "could",
	"should", "would", "will", "may", "might", "does", "do", "did", "not",
	"no", "yes", "your", "you", "they", "their", "them", "there", "than",
	"then", "into", "onto", "over", "under", "about", "azure", "microsoft",
	"service", "services", "use", "uses", "used", "using", "one", "two",
	"three", "each", "any", "some", "more", "most", "less", "least",
	"other", "another", "such", "same", "also", "only", "must", "company",
	"wants", "want", "need", "needs", "needed", "have", "has", "had",
	"what's",
	/* added: the words of instructions and plain connectives */
	"following", "statement", "statements", "true", "false", "correct",
	"best", "select", "choose", "option", "options", "answer", "question",
	"describe", "describes", "example", "been", "being", "here", "just",
	"very", "much", "many", "while", "because", "both", "either",
	"neither", "like", "four", "five", "every", "always", "never", "should",
	"shall", "within", "upon", "well", "makes", "make", "gets", "get",
	"done", "doing",
};

static const char **qcue_stop_sorted;
static size_t qcue_nstop;

static int
qcue_cmpstr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int
qcue_is_stop(const char *w)
{
	if (qcue_stop_sorted == NULL) {
		size_t n = sizeof qcue_stop / sizeof qcue_stop[0];
		const char **v = xcalloc(n, sizeof *v);
		memcpy(v, qcue_stop, n * sizeof *v);
		qsort(v, n, sizeof *v, qcue_cmpstr);
		qcue_stop_sorted = v;
		qcue_nstop = n;
	}
	return bsearch(&w, qcue_stop_sorted, qcue_nstop, sizeof *qcue_stop_sorted,
	    qcue_cmpstr) != NULL;
}

/* Absolute words (the prototype's list). */
static const char *const qcue_abs[] = {
	"only", "always", "never", "alone", "all", "none", "every", "must",
	"cannot", "guarantees", "guaranteed", "still", NULL
};

static int
qcue_is_abs(const char *w)
{
	for (const char *const *a = qcue_abs; *a; a++)
		if (strcmp(*a, w) == 0)
			return 1;
	return 0;
}

static int
qcue_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

static int
qcue_ends(const char *w, size_t n, const char *suf)
{
	size_t k = strlen(suf);
	return n >= k && memcmp(w + n - k, suf, k) == 0;
}

/* Removes a plural ending in place ("policies" -> "policy", "boxes" ->
** "box", "services" -> "service"); words of 4 letters or fewer, and
** endings that are not plurals ("access", "status", "analysis"), stay. */
static void
qcue_stem(char *w)
{
	size_t n = strlen(w);
	if (n <= 4)
		return;
	if (qcue_ends(w, n, "ies"))
		strcpy(w + n - 3, "y");
	else if (qcue_ends(w, n, "sses"))
		w[n - 2] = '\0';
	else if (qcue_ends(w, n, "ss") || qcue_ends(w, n, "us") ||
	    qcue_ends(w, n, "is"))
		return;
	else if (qcue_ends(w, n, "xes") || qcue_ends(w, n, "ches") ||
	    qcue_ends(w, n, "shes") || qcue_ends(w, n, "zes"))
		w[n - 2] = '\0';
	else if (w[n - 1] == 's')
		w[n - 1] = '\0';
}

/* A map of owned strings to numbers (a set when the numbers are unused):
** open addressing, grown at half full.  Words of a question use it as a
** set; the distractor sets of the bank map to the first question that
** had them. */
typedef struct qcue_set {
	char	**slot;
	size_t	 *val;
	size_t	  cap;		/* a power of two, or 0 */
	size_t	  n;
} qcue_set;

static void
qcue_set_free(qcue_set *s)
{
	for (size_t i = 0; i < s->cap; i++)
		free(s->slot[i]);
	free(s->slot);
	free(s->val);
	memset(s, 0, sizeof *s);
}

/* The slot of key, or -1. */
static long
qcue_set_find(const qcue_set *s, const char *key)
{
	if (s->cap == 0)
		return -1;
	for (size_t h = (size_t)hash_key(key) & (s->cap - 1); s->slot[h];
	    h = (h + 1) & (s->cap - 1))
		if (strcmp(s->slot[h], key) == 0)
			return (long)h;
	return -1;
}

static int
qcue_set_has(const qcue_set *s, const char *w)
{
	return qcue_set_find(s, w) >= 0;
}

/* Maps key (taken over) to val.  Returns the value already there (key is
** then freed), or -1 after inserting. */
static long
qcue_set_put(qcue_set *s, char *key, size_t val)
{
	long at = qcue_set_find(s, key);
	if (at >= 0) {
		free(key);
		return (long)s->val[at];
	}
	if (2 * (s->n + 1) > s->cap) {
		size_t nc = s->cap ? 2 * s->cap : 32;
		char **ns = xcalloc(nc, sizeof *ns);
		size_t *nv = xcalloc(nc, sizeof *nv);
		for (size_t i = 0; i < s->cap; i++) {
			if (s->slot[i] == NULL)
				continue;
			size_t h = (size_t)hash_key(s->slot[i]) & (nc - 1);
			while (ns[h])
				h = (h + 1) & (nc - 1);
			ns[h] = s->slot[i];
			nv[h] = s->val[i];
		}
		free(s->slot);
		free(s->val);
		s->slot = ns;
		s->val = nv;
		s->cap = nc;
	}
	size_t h = (size_t)hash_key(key) & (s->cap - 1);
	while (s->slot[h])
		h = (h + 1) & (s->cap - 1);
	s->slot[h] = key;
	s->val[h] = val;
	s->n++;
	return -1;
}

static void
qcue_set_add(qcue_set *s, const char *w)
{
	if (!qcue_set_has(s, w))
		qcue_set_put(s, xstrdup(w), 0);
}

/*
** Calls fn for each word of text: w lower-cased (at most 63 bytes kept),
** acro set when the word was written as an acronym (2-3 characters, a
** capital first, capitals or digits after it, two capitals at least, an
** optional plural "s": "DNS", "VMs", "B2C").
*/
static void
qcue_words(const char *text, void (*fn)(const char *w, int acro, void *arg),
    void *arg)
{
	const unsigned char *s = (const unsigned char *)text;
	char w[64];
	while (*s) {
		if (!qcue_alnum(*s)) {
			s++;
			continue;
		}
		const unsigned char *b = s;
		while (qcue_alnum(*s))
			s++;
		size_t n = (size_t)(s - b), k = n < sizeof w ? n : sizeof w - 1;
		size_t caps = 0;
		for (size_t i = 0; i < k; i++) {
			caps += b[i] >= 'A' && b[i] <= 'Z';
			w[i] = (char)(b[i] >= 'A' && b[i] <= 'Z' ? b[i] + 32 : b[i]);
		}
		w[k] = '\0';
		size_t core = n > 2 && b[n - 1] == 's' ? n - 1 : n;
		int acro = core >= 2 && core <= 3 && b[0] >= 'A' && b[0] <= 'Z' &&
		    caps >= 2;
		for (size_t i = 1; acro && i < core; i++)
			acro = (b[i] >= 'A' && b[i] <= 'Z') ||
			    (b[i] >= '0' && b[i] <= '9');
		if (acro && core < n)
			w[core] = '\0';	/* "VMs" is "vm" */
		fn(w, acro, arg);
	}
}

static void
qcue_add_content(const char *w, int acro, void *arg)
{
	char st[64];
	if (qcue_is_stop(w))
		return;
	if (!acro && strlen(w) < 4)
		return;
	snprintf(st, sizeof st, "%s", w);
	if (!acro)
		qcue_stem(st);
	qcue_set_add(arg, st);
}

/* Adds the content words of text to set. */
static void
qcue_content(const char *text, qcue_set *set)
{
	qcue_words(text, qcue_add_content, set);
}

static void
qcue_abs_word(const char *w, int acro, void *arg)
{
	(void)acro;
	if (qcue_is_abs(w))
		*(int *)arg = 1;
}

static int
qcue_has_abs(const char *text)
{
	int yes = 0;
	qcue_words(text, qcue_abs_word, &yes);
	return yes;
}

/* Characters, not bytes (UTF-8), as an author counts them. */
static size_t
qcue_len(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* --- the run ---------------------------------------------------------- */

typedef struct qcue_qinfo {
	size_t		 doc;		/* index into the bank's docs */
	size_t		 index;		/* in that file's questions */
	unsigned	 waive;		/* bits of waived rules */
} qcue_qinfo;

typedef struct qcue_pending {
	size_t		 doc;
	size_t		 ref;		/* reused-distractors: first item + 1 */
	char		*refpath;	/* its options' path */
	int		 refline, refcol;
	qcue_finding	 f;
} qcue_pending;

typedef struct qcue_ctx {
	const qz_bank	*b;
	qcue_report	*r;
	qcue_qinfo	*qi;		/* parallel to b->q */
	qcue_pending	*p;
	size_t		 np;
	/* reused-distractors: each set seen, to the first question with it */
	qcue_set	 dsets;
	/* case-leak: each case study's words, " w1 w2 ... ", by b->cs index,
	** and a hash of the case pointers (index + 1, 0 empty) */
	char		**cwords;
	size_t		*cslot;
	size_t		 ccap;
} qcue_ctx;

static void qcue_emit(qcue_ctx *c, size_t qi, enum qcue_rule rule,
    const char *sub, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Records a finding on question qi at its path + sub.  A per-question rule
** that the question waives is counted as waived instead; a bank rule has
** already left waiving questions out of its count. */
static void
qcue_emit(qcue_ctx *c, size_t qi, enum qcue_rule rule, const char *sub,
    const char *fmt, ...)
{
	int bank = rule == QCUE_YESNO_PATTERN || rule == QCUE_ABSOLUTE ||
	    rule == QCUE_LONGEST_RATE;
	if (!bank && (c->qi[qi].waive & (1u << rule))) {
		c->r->waived++;
		return;
	}
	va_list ap;
	char msg[1024];
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	c->p = xreallocarray(c->p, c->np + 1, sizeof *c->p);
	qcue_pending *pp = &c->p[c->np++];
	memset(pp, 0, sizeof *pp);
	pp->doc = c->qi[qi].doc;
	pp->f.rule = rule;
	pp->f.file = c->b->docs[pp->doc].name;
	pp->f.path = xasprintf("questions[%zu]%s", c->qi[qi].index, sub);
	pp->f.qid = c->b->q[qi]->id;
	pp->f.reason = xstrdup(msg);
}

/* Words of set a that are in b but not in c, sorted, as "'x', 'y'". */
static int
qcue_only_in(const qcue_set *a, const qcue_set *key, const qcue_set *wrong,
    sb *out)
{
	const char **v = xcalloc(a->n ? a->n : 1, sizeof *v);
	size_t n = 0;
	for (size_t i = 0; i < a->cap; i++)
		if (a->slot[i] && qcue_set_has(key, a->slot[i]) &&
		    !qcue_set_has(wrong, a->slot[i]))
			v[n++] = a->slot[i];
	qsort(v, n, sizeof *v, qcue_cmpstr);
	for (size_t i = 0; i < n; i++)
		sb_addf(out, "%s\"%s\"", i ? ", " : "", v[i]);
	free(v);
	return n > 0;
}

/* The normalized set of distractors: each trimmed and lower-cased, sorted,
** joined by a unit separator. */
static char *
qcue_dset(const qz_question *q, const int *key)
{
	char *v[QZ_MAXPART];
	size_t n = 0;
	for (size_t i = 0; i < q->list.n; i++) {
		if (key[i])
			continue;
		const char *s = q->list.s[i];
		while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
			s++;
		size_t len = strlen(s);
		while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' ||
		    s[len - 1] == '\n' || s[len - 1] == '\r'))
			len--;
		char *t = xstrndup(s, len);
		for (char *u = t; *u; u++)
			if (*u >= 'A' && *u <= 'Z')
				*u = (char)(*u + 32);
		v[n++] = t;
	}
	qsort(v, n, sizeof *v, qcue_cmpstr);
	sb k = SB_INIT;
	for (size_t i = 0; i < n; i++) {
		if (i)
			sb_addc(&k, '\x1f');
		sb_add(&k, v[i]);
		free(v[i]);
	}
	return sb_take(&k);
}

static void
qcue_join_word(const char *w, int acro, void *arg)
{
	(void)acro;
	sb_add(arg, w);
	sb_addc(arg, ' ');
}

/* " w1 w2 ... " of text (all words), and how many there are. */
static char *
qcue_phrase(const char *text)
{
	sb s = SB_INIT;
	sb_addc(&s, ' ');
	qcue_words(text, qcue_join_word, &s);
	return sb_take(&s);
}

static size_t
qcue_count_words(const char *phrase)
{
	size_t n = 0;
	for (const char *s = phrase; *s; s++)
		n += *s == ' ' && s[1] != '\0';
	return n;
}

static size_t
qcue_ptr_hash(const void *p, size_t cap)
{
	uint64_t x = (uint64_t)(uintptr_t)p;
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return (size_t)x & (cap - 1);
}

static void
qcue_case_map(qcue_ctx *c)
{
	const qz_bank *b = c->b;
	c->ccap = 16;
	while (c->ccap < 2 * b->ncs)
		c->ccap *= 2;
	c->cslot = xcalloc(c->ccap, sizeof *c->cslot);
	for (size_t j = 0; j < b->ncs; j++) {
		size_t h = qcue_ptr_hash(b->cs[j], c->ccap);
		while (c->cslot[h])
			h = (h + 1) & (c->ccap - 1);
		c->cslot[h] = j + 1;
	}
}

static const char *
qcue_case_words(qcue_ctx *c, const qz_case *cs)
{
	size_t j = SIZE_MAX;
	for (size_t h = qcue_ptr_hash(cs, c->ccap); c->cslot[h];
	    h = (h + 1) & (c->ccap - 1))
		if (c->b->cs[c->cslot[h] - 1] == cs) {
			j = c->cslot[h] - 1;
			break;
		}
	if (j == SIZE_MAX)
		return NULL;
	if (c->cwords[j] == NULL) {
		sb t = SB_INIT;
		sb_add(&t, cs->text);
		for (size_t i = 0; i < cs->nreqs; i++) {
			sb_addc(&t, ' ');
			sb_add(&t, cs->reqs[i]);
		}
		c->cwords[j] = qcue_phrase(sb_str(&t));
		sb_free(&t);
	}
	return c->cwords[j];
}

/* single and multiple: long-key, n-longest, stem-word, topic-word,
** reused-distractors, case-leak, and the counts of the bank rules. */
static void
qcue_choice(qcue_ctx *c, size_t qi, size_t *rate_first, size_t *abs_first)
{
	const qz_question *q = c->b->q[qi];
	unsigned wv = c->qi[qi].waive;
	int key[QZ_MAXPART] = { 0 };
	size_t len[QZ_MAXPART];
	size_t nkey = 0, nwrong = 0;
	for (size_t i = 0; i < q->nanswer; i++)
		key[q->answer[i]] = 1;
	size_t maxwrong = 0, minkey = SIZE_MAX, maxkey = 0;
	for (size_t i = 0; i < q->list.n; i++) {
		len[i] = qcue_len(q->list.s[i]);
		if (key[i]) {
			nkey++;
			if (len[i] < minkey)
				minkey = len[i];
			if (len[i] > maxkey)
				maxkey = len[i];
		} else {
			nwrong++;
			if (len[i] > maxwrong)
				maxwrong = len[i];
		}
	}
	char sub[64];
	if (q->type == QZ_SINGLE) {
		size_t k = len[q->answer[0]];
		snprintf(sub, sizeof sub, ".options[%d]", q->answer[0]);
		if (!(wv & (1u << QCUE_LONGEST_RATE))) {
			c->r->st.singles++;
			c->r->st.chance_longest += 1.0 / (double)q->list.n;
			if (k > maxwrong) {
				c->r->st.key_longest++;
				if (*rate_first == SIZE_MAX)
					*rate_first = qi;
			}
		}
		if ((double)k >= QCUE_LONG_RATIO * (double)maxwrong &&
		    k >= maxwrong + QCUE_LONG_MARGIN)
			qcue_emit(c, qi, QCUE_LONG_KEY, sub,
			    "the key has %zu characters, the longest distractor %zu "
			    "(%.2fx and %zu more): the longest option gives it away",
			    k, maxwrong, maxwrong ? (double)k / (double)maxwrong : 0.0,
			    k - maxwrong);
	} else if (minkey > maxwrong)
		qcue_emit(c, qi, QCUE_N_LONGEST, ".answer",
		    "the %zu keyed options are the %zu longest (%zu characters or "
		    "more, every other option %zu or fewer)", nkey, nkey, minkey,
		    maxwrong);

	/* Absolute words on options. */
	if (!(wv & (1u << QCUE_ABSOLUTE)))
		for (size_t i = 0; i < q->list.n; i++) {
			c->r->st.options++;
			c->r->st.keyed += (size_t)key[i];
			if (!qcue_has_abs(q->list.s[i]))
				continue;
			if (key[i])
				c->r->st.abs_key++;
			else {
				c->r->st.abs_wrong++;
				if (abs_first[0] == SIZE_MAX) {
					abs_first[0] = qi;
					abs_first[1] = i;
				}
			}
		}

	/* Words: the stem's, the key's, the distractors'. */
	qcue_set stem = { 0 }, kw = { 0 }, ww = { 0 }, tw = { 0 };
	qcue_content(q->stem, &stem);
	for (size_t i = 0; i < q->list.n; i++)
		qcue_content(q->list.s[i], key[i] ? &kw : &ww);
	sb w = SB_INIT;
	if (qcue_only_in(&stem, &kw, &ww, &w))
		qcue_emit(c, qi, QCUE_STEM_WORD, ".stem",
		    "the stem and the key share %s, which no distractor has",
		    sb_str(&w));
	sb_reset(&w);
	for (size_t i = 0; i < q->topics.n; i++) {
		char *t = xstrdup(q->topics.s[i]);
		for (char *u = t; *u; u++)
			if (*u == '-')
				*u = ' ';
		qcue_content(t, &tw);
		free(t);
	}
	if (qcue_only_in(&tw, &kw, &ww, &w))
		qcue_emit(c, qi, QCUE_TOPIC_WORD, ".topics",
		    "the topic tags name %s, which only the key has", sb_str(&w));
	sb_free(&w);
	qcue_set_free(&stem);
	qcue_set_free(&kw);
	qcue_set_free(&ww);
	qcue_set_free(&tw);

	if (nwrong >= 2) {
		long first = qcue_set_put(&c->dsets, qcue_dset(q, key), qi);
		size_t before = c->np;
		if (first >= 0)
			qcue_emit(c, qi, QCUE_REUSED, ".options",
			    "the same distractors as %s", c->b->q[first]->id);
		if (c->np > before) {
			/* Its place is found with the others (qcue_locate). */
			c->p[before].ref = (size_t)first + 1;
			c->p[before].refpath = xasprintf("questions[%zu].options",
			    c->qi[first].index);
		}
	}

	const char *cw = q->cs ? qcue_case_words(c, q->cs) : NULL;
	for (size_t i = 0; cw && i < q->list.n; i++) {
		if (!key[i])
			continue;
		char *ph = qcue_phrase(q->list.s[i]);
		if (qcue_count_words(ph) >= 3 && strstr(cw, ph)) {
			snprintf(sub, sizeof sub, ".options[%zu]", i);
			qcue_emit(c, qi, QCUE_CASE_LEAK, sub,
			    "the case study %s says the key \"%s\" word for word",
			    q->cs->id, q->list.s[i]);
		}
		free(ph);
	}
}

/* The bank rules' state, gathered over the items. */
typedef struct qcue_bank {
	size_t	 rate_first;		/* first single whose key is longest */
	size_t	 abs_opt[2];		/* first wrong option with a word */
	size_t	 abs_yn[2];		/* first false statement with a word */
	size_t	 yn_mixed;		/* first set neither all Yes nor all No */
	size_t	 yn_first;		/* first set */
	size_t	 yn_yes_first;		/* first set with more Yes than No */
	size_t	 yn_no_first;		/* ... more No than Yes */
	size_t	 allyes, allno;
	double	 exp_allyes;		/* sum of 2^-k */
} qcue_bank;

static void
qcue_yesno(qcue_ctx *c, size_t qi, qcue_bank *bk)
{
	const qz_question *q = c->b->q[qi];
	unsigned wv = c->qi[qi].waive;
	qcue_stats *st = &c->r->st;
	size_t k = q->list.n, no = 0;
	for (size_t i = 0; i < k; i++)
		no += q->answer[i] == 0;
	if (!(wv & (1u << QCUE_YESNO_PATTERN))) {
		st->yesno++;
		if (k < 7)
			st->nocount[k][no]++;
		st->statements += k;
		st->yes += k - no;
		st->chance_uniform += 2.0 * ldexp(1.0, -(int)k);
		bk->exp_allyes += ldexp(1.0, -(int)k);
		if (no == 0 || no == k) {
			st->uniform++;
			bk->allyes += no == 0;
			bk->allno += no == k;
		} else if (bk->yn_mixed == SIZE_MAX)
			bk->yn_mixed = qi;
		if (bk->yn_first == SIZE_MAX)
			bk->yn_first = qi;
		if (2 * no < k && bk->yn_yes_first == SIZE_MAX)
			bk->yn_yes_first = qi;
		if (2 * no > k && bk->yn_no_first == SIZE_MAX)
			bk->yn_no_first = qi;
	}
	if (!(wv & (1u << QCUE_ABSOLUTE)))
		for (size_t i = 0; i < k; i++) {
			if (!qcue_has_abs(q->list.s[i]))
				continue;
			if (q->answer[i])
				st->abs_true++;
			else {
				st->abs_false++;
				if (bk->abs_yn[0] == SIZE_MAX) {
					bk->abs_yn[0] = qi;
					bk->abs_yn[1] = i;
				}
			}
		}
}

static int
qcue_pct(double x)
{
	return (int)lround(100.0 * x);
}

/* The bank rules, each pointing at a representative item. */
static void
qcue_bank_rules(qcue_ctx *c, const qcue_bank *bk)
{
	const qcue_stats *st = &c->r->st;
	char sub[64];
	if (st->singles >= QCUE_RATE_MIN && bk->rate_first != SIZE_MAX) {
		double rate = (double)st->key_longest / (double)st->singles;
		double chance = st->chance_longest / (double)st->singles;
		if (rate > chance + QCUE_RATE_EXCESS) {
			snprintf(sub, sizeof sub, ".options[%d]",
			    c->b->q[bk->rate_first]->answer[0]);
			qcue_emit(c, bk->rate_first, QCUE_LONGEST_RATE, sub,
			    "the key is the strictly longest option in %zu of %zu "
			    "single items (%d%%; chance %d%%, the limit %d%%): "
			    "picking the longest option pays (this item is the first)",
			    st->key_longest, st->singles, qcue_pct(rate),
			    qcue_pct(chance), qcue_pct(chance + QCUE_RATE_EXCESS));
		}
	}
	int uniform_low = 0;
	if (st->chance_uniform >= QCUE_YN_MIN_UNIFORM &&
	    (double)st->uniform < st->chance_uniform / 2 &&
	    bk->yn_mixed != SIZE_MAX) {
		uniform_low = 1;
		qcue_emit(c, bk->yn_mixed, QCUE_YESNO_PATTERN, ".answer",
		    "only %zu of %zu yes/no sets are all Yes or all No, chance "
		    "gives %.1f: a student who is sure of all statements but one "
		    "can guess the last (this set is the first mixed one)",
		    st->uniform, st->yesno, st->chance_uniform);
	}
	if (!uniform_low && bk->yn_first != SIZE_MAX &&
	    bk->exp_allyes >= QCUE_YN_MIN_UNIFORM &&
	    (bk->allyes == 0 || bk->allno == 0)) {
		qcue_emit(c, bk->yn_first, QCUE_YESNO_PATTERN, ".answer",
		    "no yes/no set is all %s although chance gives %.1f such "
		    "sets of %zu: a student learns never to answer all %s",
		    bk->allyes == 0 ? "Yes" : "No", bk->exp_allyes, st->yesno,
		    bk->allyes == 0 ? "Yes" : "No");
	}
	if (st->statements >= QCUE_YN_MIN_STATEMENTS) {
		double share = (double)st->yes / (double)st->statements;
		size_t at = share > QCUE_YN_SHARE_HI ? bk->yn_yes_first :
		    share < QCUE_YN_SHARE_LO ? bk->yn_no_first : SIZE_MAX;
		if (at != SIZE_MAX) {
			qcue_emit(c, at, QCUE_YESNO_PATTERN, ".answer",
			    "%d%% of the %zu yes/no statements are Yes (outside "
			    "%d%%-%d%%): answering %s to everything pays",
			    qcue_pct(share), st->statements,
			    qcue_pct(QCUE_YN_SHARE_LO), qcue_pct(QCUE_YN_SHARE_HI),
			    share > QCUE_YN_SHARE_HI ? "Yes" : "No");
		}
	}
	size_t na = st->abs_true + st->abs_false;
	double base = st->statements ? (double)st->yes / (double)st->statements : 0;
	if (na >= QCUE_ABS_MIN && bk->abs_yn[0] != SIZE_MAX &&
	    (double)st->abs_true / (double)na < base / 2) {
		snprintf(sub, sizeof sub, ".statements[%zu]", bk->abs_yn[1]);
		qcue_emit(c, bk->abs_yn[0], QCUE_ABSOLUTE, sub,
		    "%zu of the %zu yes/no statements with an absolute word "
		    "(only, always, never, all ...) are false, against %d%% false "
		    "overall: the word marks the No (this is the first)",
		    st->abs_false, na, qcue_pct(1.0 - base));
	}
	na = st->abs_key + st->abs_wrong;
	base = st->options ? (double)st->keyed / (double)st->options : 0;
	if (na >= QCUE_ABS_MIN && bk->abs_opt[0] != SIZE_MAX &&
	    (double)st->abs_key / (double)na < base / 2) {
		snprintf(sub, sizeof sub, ".options[%zu]", bk->abs_opt[1]);
		qcue_emit(c, bk->abs_opt[0], QCUE_ABSOLUTE, sub,
		    "only %zu of the %zu options with an absolute word (only, "
		    "always, never, all ...) are keyed, against %d%% of all "
		    "options: the word marks a wrong option (this is the first)",
		    st->abs_key, na, qcue_pct(base));
	}
}

/* The waive bits of a question object, read without checking (the loader
** has checked them). */
static unsigned
qcue_waive_bits(const cJSON *obj)
{
	const cJSON *w = cJSON_GetObjectItemCaseSensitive(obj, "waive");
	unsigned mask = 0;
	const cJSON *m;
	if (!cJSON_IsObject(w))
		return 0;
	cJSON_ArrayForEach(m, w) {
		int r = qcue_rule_parse(m->string);
		if (r >= 0)
			mask |= 1u << r;
	}
	return mask;
}

/* Where each question of b sits: the bank loads its documents in order
** and every question of a valid document, so the k-th question is the
** k-th element over the documents' `questions` arrays. */
static void
qcue_map(qcue_ctx *c)
{
	const qz_bank *b = c->b;
	size_t k = 0;
	for (size_t d = 0; d < b->ndocs; d++) {
		const cJSON *qs = cJSON_GetObjectItemCaseSensitive(b->docs[d].root,
		    "questions");
		const cJSON *o;
		size_t i = 0;
		cJSON_ArrayForEach(o, qs) {
			if (k >= b->nq)
				return;
			c->qi[k].doc = d;
			c->qi[k].index = i++;
			c->qi[k].waive = qcue_waive_bits(o);
			k++;
		}
	}
}

/* Fills in every finding's line and column (and the place of the first
** item a reused distractor set came from): one pass per document that
** has any.  Entry 2i is finding i, entry 2i+1 its reference. */
static void
qcue_locate(qcue_ctx *c)
{
	const qz_bank *b = c->b;
	size_t cap = 2 * c->np + 1;
	const char **paths = xcalloc(cap, sizeof *paths);
	size_t *which = xcalloc(cap, sizeof *which);
	int *lines = xcalloc(cap, sizeof *lines);
	int *cols = xcalloc(cap, sizeof *cols);
	size_t *start = xcalloc(b->ndocs + 1, sizeof *start);
	/* Bucket the entries by document (a counting sort, so the cost stays
	** linear however many documents there are). */
	for (size_t i = 0; i < c->np; i++) {
		start[c->p[i].doc + 1]++;
		if (c->p[i].ref)
			start[c->qi[c->p[i].ref - 1].doc + 1]++;
	}
	for (size_t d = 0; d < b->ndocs; d++)
		start[d + 1] += start[d];
	size_t *fill = xcalloc(b->ndocs + 1, sizeof *fill);
	memcpy(fill, start, (b->ndocs + 1) * sizeof *fill);
	for (size_t i = 0; i < c->np; i++) {
		size_t k = fill[c->p[i].doc]++;
		which[k] = 2 * i;
		paths[k] = c->p[i].f.path;
		if (c->p[i].ref) {
			k = fill[c->qi[c->p[i].ref - 1].doc]++;
			which[k] = 2 * i + 1;
			paths[k] = c->p[i].refpath;
		}
	}
	for (size_t d = 0; d < b->ndocs; d++) {
		size_t n = start[d + 1] - start[d];
		if (n == 0)
			continue;
		jx_locate_many(&b->docs[d], paths + start[d], n, lines + start[d],
		    cols + start[d]);
	}
	for (size_t k = 0; k < start[b->ndocs]; k++) {
		qcue_pending *pp = &c->p[which[k] / 2];
		if (which[k] % 2 == 0) {
			pp->f.line = lines[k];
			pp->f.col = cols[k];
		} else {
			pp->refline = lines[k];
			pp->refcol = cols[k];
		}
	}
	for (size_t i = 0; i < c->np; i++) {
		qcue_pending *pp = &c->p[i];
		if (!pp->ref)
			continue;
		char *r = xasprintf("%s (%s:%d:%d)", pp->f.reason,
		    b->docs[c->qi[pp->ref - 1].doc].name, pp->refline, pp->refcol);
		free(pp->f.reason);
		pp->f.reason = r;
		free(pp->refpath);
	}
	free(start);
	free(fill);
	free(paths);
	free(which);
	free(lines);
	free(cols);
}

void
qcue_check(const qz_bank *b, qcue_report *r)
{
	qcue_ctx c;
	qcue_bank bk;
	memset(r, 0, sizeof *r);
	memset(&c, 0, sizeof c);
	c.b = b;
	c.r = r;
	c.qi = xcalloc(b->nq ? b->nq : 1, sizeof *c.qi);
	c.cwords = xcalloc(b->ncs ? b->ncs : 1, sizeof *c.cwords);
	qcue_case_map(&c);
	qcue_map(&c);
	bk.rate_first = bk.yn_mixed = bk.yn_first = SIZE_MAX;
	bk.yn_yes_first = bk.yn_no_first = SIZE_MAX;
	bk.abs_opt[0] = bk.abs_yn[0] = SIZE_MAX;
	bk.abs_opt[1] = bk.abs_yn[1] = 0;
	bk.allyes = bk.allno = 0;
	bk.exp_allyes = 0;
	for (size_t i = 0; i < b->nq; i++) {
		const qz_question *q = b->q[i];
		if (q->type == QZ_SINGLE || q->type == QZ_MULTIPLE)
			qcue_choice(&c, i, &bk.rate_first, bk.abs_opt);
		else if (q->type == QZ_YESNO)
			qcue_yesno(&c, i, &bk);
	}
	qcue_bank_rules(&c, &bk);
	qcue_locate(&c);
	r->f = xcalloc(c.np ? c.np : 1, sizeof *r->f);
	for (size_t i = 0; i < c.np; i++)
		r->f[i] = c.p[i].f;
	r->n = c.np;
	free(c.p);
	free(c.qi);
	qcue_set_free(&c.dsets);
	for (size_t i = 0; i < b->ncs; i++)
		free(c.cwords[i]);
	free(c.cwords);
	free(c.cslot);
}

void
qcue_report_free(qcue_report *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->f[i].path);
		free(r->f[i].reason);
	}
	free(r->f);
	memset(r, 0, sizeof *r);
}

void
qcue_format(const qcue_report *r, sb *out)
{
	for (size_t i = 0; i < r->n; i++) {
		const qcue_finding *f = &r->f[i];
		sb_addf(out, "%s:%d:%d: %s: %s: %s\n", f->file, f->line, f->col,
		    f->path, qcue_rule_name(f->rule), f->reason);
	}
}

void
qcue_format_stats(const qcue_report *r, sb *out)
{
	const qcue_stats *st = &r->st;
	sb_addf(out, "single items: %zu, key strictly longest in %zu (%d%%; "
	    "chance %d%%)\n", st->singles, st->key_longest,
	    st->singles ? qcue_pct((double)st->key_longest / (double)st->singles) : 0,
	    st->singles ? qcue_pct(st->chance_longest / (double)st->singles) : 0);
	sb_addf(out, "yes/no sets: %zu, all Yes or all No %zu (chance %.1f), "
	    "Yes %zu of %zu statements\n", st->yesno, st->uniform,
	    st->chance_uniform, st->yes, st->statements);
	sb_add(out, "yes/no sets by statements and No answers:");
	for (int k = 0; k < 7; k++)
		for (int n = 0; n <= k; n++)
			if (st->nocount[k][n])
				sb_addf(out, " %d:%d=%zu", k, n, st->nocount[k][n]);
	sb_addc(out, '\n');
	sb_addf(out, "absolute words: yes/no true %zu false %zu; options keyed "
	    "%zu wrong %zu (keyed overall %zu of %zu)\n", st->abs_true,
	    st->abs_false, st->abs_key, st->abs_wrong, st->keyed, st->options);
	sb_addf(out, "%zu finding%s, %zu waived\n", r->n, r->n == 1 ? "" : "s",
	    r->waived);
}
