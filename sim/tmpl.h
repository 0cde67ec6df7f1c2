/*
** tmpl.h: Notification Hubs templates and their expression language.
**
** An installation may carry templates: a platform payload (JSON for APNs
** and FCM v1, XML for WNS) whose values hold expressions.  A template send
** gives properties (name -> string); the hub expands every template of
** every matching installation, one notification per template.  The
** language, as Notification Hubs documents it:
**
**   $(prop)     the property's text, "" when it is missing (names are
**               matched without regard to case)
**   $(prop,n)   the same, clipped to n characters
**   .(prop,n)   the same, clipped to n characters of which the last three
**               are "..." when it had to be clipped
**   %(prop)     the property's text percent-encoded (a URI component)
**   #(prop)     in a JSON template, a bare JSON number when the text is a
**               number (0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?, else
**               as $(prop)
**   'text' "text"   literals, inside braces only
**   {a + b + ...}   concatenation of expressions and literals
**
** Expressions may stand only in JSON string values, XML element text and
** XML attribute values, and synclab takes each such value to be either
** plain text, one expression, or one {...} concatenation: text mixed with
** an expression outside braces is refused (write {'Hi ' + $(name)}).
*/
#ifndef tmpl_h
#define tmpl_h

#include <stddef.h>
#include <cjson/cJSON.h>
#include "lib/sb.h"

/* 1 when the template body is JSON (its first non-blank character is
** '{' or '['), 0 when it is XML ('<'), -1 otherwise. */
int tmpl_kind(const char *body);

/*
** Checks a template body without properties: JSON that parses or XML
** whose tags close, and every value a valid expression.  Returns 0, or -1
** with a sentence in err.  Time linear in the body.
*/
int tmpl_check(const char *body, sb *err);

/*
** Expands body with props (a JSON object of strings or numbers; NULL: no
** properties) and appends the notification's payload to out.  Returns 0,
** or -1 with a sentence in err (out may then hold part of a payload).
** Time linear in the body and the output.
*/
int tmpl_expand(const char *body, const cJSON *props, sb *out, sb *err);

/* Evaluates one value (the text of a JSON string, XML text or attribute
** value) into out; *number is set to 1 when the value was a #() that gave
** a bare number.  Returns 0 or -1 with err.  Exposed for tests. */
int tmpl_value(const char *v, size_t n, const cJSON *props, int json, sb *out,
    int *number, sb *err);

#endif
