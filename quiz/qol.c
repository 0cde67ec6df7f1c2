/*
** qol.c: the skills outline table; see qol.h.
*/
#include "quiz/qol.h"

#include <string.h>

#define QOL_STR_(x) #x
#define QOL_STR(x) QOL_STR_(x)
#define QOL_LINE(d, a, l, t) \
	{ QOL_STR(d) "." QOL_STR(a) "." QOL_STR(l), t, (d) - 1, a, l },
static const qol_line qol_lines[] = { QOL_LINES(QOL_LINE) };
#define QOL_N (sizeof qol_lines / sizeof qol_lines[0])

typedef struct qol_area {
	int		 domain;
	int		 area;
	const char	*title;
} qol_area;
#define QOL_AREA(d, a, t) { (d) - 1, a, t },
static const qol_area qol_areas[] = { QOL_AREAS(QOL_AREA) };

typedef struct qol_dom {
	const char	*title;
	int		 min, max;
} qol_dom;
#define QOL_DOM(d, t, lo, hi) [(d) - 1] = { t, lo, hi },
static const qol_dom qol_doms[QOL_NDOMAIN] = { QOL_DOMAINS(QOL_DOM) };

size_t
qol_count(void)
{
	return QOL_N;
}

const qol_line *
qol_at(size_t i)
{
	return i < QOL_N ? &qol_lines[i] : NULL;
}

int
qol_find(const char *code)
{
	if (code == NULL)
		return -1;
	/* 54 short strings: a scan is as fast as anything cleverer. */
	for (size_t i = 0; i < QOL_N; i++)
		if (strcmp(qol_lines[i].code, code) == 0)
			return (int)i;
	return -1;
}

const char *
qol_area_title(int d, int area)
{
	for (size_t i = 0; i < sizeof qol_areas / sizeof qol_areas[0]; i++)
		if (qol_areas[i].domain == d && qol_areas[i].area == area)
			return qol_areas[i].title;
	return NULL;
}

const char *
qol_domain_title(int d)
{
	return d >= 0 && d < QOL_NDOMAIN ? qol_doms[d].title : "?";
}

int
qol_domain_min(int d)
{
	return d >= 0 && d < QOL_NDOMAIN ? qol_doms[d].min : 0;
}

int
qol_domain_max(int d)
{
	return d >= 0 && d < QOL_NDOMAIN ? qol_doms[d].max : 0;
}

size_t
qol_domain_lines(int d)
{
	size_t n = 0;
	for (size_t i = 0; i < QOL_N; i++)
		n += qol_lines[i].domain == d;
	return n;
}
