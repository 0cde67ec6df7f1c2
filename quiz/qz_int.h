/*
** qz_int.h: what the files of the question module (qz.c, qz_answer.c,
** qz_text.c, qz_bank.c) share and no other module uses.
*/
#ifndef qz_int_h
#define qz_int_h

#include "quiz/qz.h"

/*
** Reads an array of non-empty strings of min..max elements at key of obj
** (whose path is objpath) into out, borrowing the strings from the tree
** when borrow is set.  Returns 1 when present and valid, 0 when absent and
** optional, -1 on error (recorded in d).
*/
int qz_strlist(jx_doc *d, const cJSON *obj, const char *objpath,
    const char *key, int required, size_t min, size_t max, int borrow,
    qz_list *out);
/* 1 when two of the n values are equal. */
int qz_has_dup(const int *v, size_t n);
/* qz_parse_question, with the question's strings borrowed from the tree
** (it must outlive the question) when borrow is set. */
qz_question *qz_parse(jx_doc *d, const cJSON *obj, const char *jpath,
    int borrow);
/* v, or the identity view written into tmp when v is NULL. */
const qz_view *qz_view_or_identity(const qz_view *v, qz_view *tmp);

#endif
