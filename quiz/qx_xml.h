/*
** qx_xml.h: a small XML reader for Moodle XML (part of the qx module).
**
** It reads elements, attributes, text, CDATA, comments and the five
** named entities and character references, keeping the byte offset of
** every node so that errors name the line and column.  A DOCTYPE is
** refused (no entity definitions, so no entity expansion); nesting
** deeper than QX_XML_DEPTH is refused.  Time and memory are linear in
** the input.
*/
#ifndef qx_xml_h
#define qx_xml_h

#include <stddef.h>
#include "lib/sb.h"

#define QX_XML_DEPTH 64

typedef struct qx_xattr {
	char	*name;
	char	*value;
} qx_xattr;

typedef struct qx_xnode qx_xnode;
struct qx_xnode {
	char		*name;		/* element name; NULL for text, "!--" for a comment */
	char		*text;		/* text, CDATA or comment content */
	qx_xattr	*attrs;
	size_t		 nattrs;
	qx_xnode	**kids;
	size_t		 nkids;
	size_t		 off;		/* where it starts in the input */
};

/* Parses text.  Returns the document's root element, or NULL with the
** first error in *err_off and err (one line, no newline).  Free with
** qx_xml_free(). */
qx_xnode *qx_xml_parse(const char *text, size_t len, size_t *err_off, sb *err);
void qx_xml_free(qx_xnode *n);
/* The first child element named name, or NULL. */
const qx_xnode *qx_xml_child(const qx_xnode *n, const char *name);
/* The value of an attribute, or NULL. */
const char *qx_xml_attr(const qx_xnode *n, const char *name);
/* The text directly inside n (text and CDATA children joined); a new
** string. */
char *qx_xml_text(const qx_xnode *n);
/* Moodle's <name><text>...</text></name> shape: the text of the "text"
** child of the child named name; NULL when there is no such child. */
char *qx_xml_textof(const qx_xnode *n, const char *name);
/* Appends s with &, <, > (and " when attr) escaped. */
void qx_xml_esc(sb *o, const char *s, int attr);

#endif
