/*
** tagx.h: Notification Hubs tags and tag expressions.
**
** A tag is a string of 1 to 120 characters from A-Z a-z 0-9 and
** _ @ # . : - (Notification Hubs, "Routing and tag expressions").  The hub
** also makes tags of its own that a sender may name: $InstallationId:{ID}
** (the installation's id in braces).  A tag expression combines tags with
** && (and), || (or), ! (not) and parentheses; ! binds tighter than &&,
** which binds tighter than || (the documentation gives no precedence, so
** synclab takes C's; its examples always use parentheses).  An expression
** may name at most 20 tags when its only operator is ||, else at most 6.
**
** A compiled expression is a small program in postfix order; evaluating
** it against one installation's tags costs time linear in the expression.
*/
#ifndef tagx_h
#define tagx_h

#include <stddef.h>
#include "lib/sb.h"

#define TAGX_MAX_LEN		120	/* characters in one tag */
#define TAGX_MAX_OR_ONLY	20	/* tags in an expression of ||s only */
#define TAGX_MAX_MIXED		6	/* tags in any other expression */
#define TAGX_MAX_PER_INSTALL	60	/* tags on one installation */

/*
** 1 when s[0..n) is a tag a client or backend may set (the character set
** and length above), else 0 with a sentence replacing the text of why
** (why may be NULL).
** Reserved tags ($InstallationId:{...}) are not settable: 0 for them.
*/
int tagx_valid_tag(const char *s, size_t n, sb *why);

/* 1 when s is $InstallationId:{ID} with a non-empty ID of tag
** characters, the tag the hub adds to every installation. */
int tagx_is_installation_tag(const char *s, size_t n);

typedef struct tagx tagx;

/*
** Compiles a tag expression.  Returns a new expression the caller frees
** with tagx_free, or NULL with "column C: what is wrong" replacing the
** text of err (NULL: none kept; C is 1-based in expr): bad syntax, an
** empty or invalid tag, an unbalanced parenthesis, or too many tags for
** the kind of expression.  Time linear in the length of expr.
*/
tagx *tagx_parse(const char *expr, sb *err);
void tagx_free(tagx *x);

/* The number of tags the expression names (each occurrence counts), and
** 1 when || is its only operator. */
size_t tagx_ntags(const tagx *x);
int tagx_only_or(const tagx *x);
/* The i-th tag named, in the order written (borrowed). */
const char *tagx_tag(const tagx *x, size_t i);

/*
** Evaluates the expression against a set of tags (ntags strings; tags may
** be NULL when ntags is 0).  Returns 1 when it matches.  Tags compare
** byte for byte.
*/
int tagx_eval(const tagx *x, const char *const *tags, size_t ntags);

#endif
