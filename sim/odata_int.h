/*
** odata_int.h: what the query compiler's files share; not for other
** modules.
**
** odata_lex.c cuts a $filter into tokens and owns the parser's error
** reporting; odata_parse.c builds a typed tree from the tokens (grammar,
** functions, operand types); odata.c writes SQL from the tree and holds
** the public entry points of $filter; odata_list.c compiles $orderby and
** $select, which are comma lists rather than expressions.
*/
#ifndef odata_int_h
#define odata_int_h

#include <stddef.h>
#include "lib/sb.h"
#include "sim/odata.h"

#define ODATA_MAX_DEPTH	64	/* nested parentheses, nots and calls */
#define ODATA_MAX_NODES	2000	/* a filter larger than this is refused */

typedef enum odata_tok {
	ODATA_T_END,
	ODATA_T_LPAREN,
	ODATA_T_RPAREN,
	ODATA_T_COMMA,
	ODATA_T_STRING,	/* 'text' */
	ODATA_T_NUMBER,
	ODATA_T_WORD,	/* identifier or keyword */
	ODATA_T_DATE,	/* datetime'...' or datetimeoffset'...' */
	ODATA_T_BAD
} odata_tok;

typedef struct odata_token {
	odata_tok	 kind;
	size_t		 pos;		/* byte offset of its first char */
	size_t		 len;		/* bytes of the source text */
	char		*text;		/* decoded string/date text (owned) */
} odata_token;

typedef enum odata_nkind {
	ODATA_N_LIT,
	ODATA_N_FIELD,
	ODATA_N_CMP,
	ODATA_N_AND,
	ODATA_N_OR,
	ODATA_N_NOT,
	ODATA_N_ARITH,
	ODATA_N_FUNC
} odata_nkind;

typedef enum odata_op {
	ODATA_OP_EQ, ODATA_OP_NE, ODATA_OP_GT, ODATA_OP_GE, ODATA_OP_LT,
	ODATA_OP_LE
} odata_op;

/* The arithmetic operators, in the order of odata_parse.c's word list. */
typedef enum odata_aop {
	ODATA_AOP_ADD, ODATA_AOP_SUB, ODATA_AOP_MUL, ODATA_AOP_DIV,
	ODATA_AOP_MOD
} odata_aop;

/* The functions, in the order of odata_parse.c's table. */
typedef enum odata_fn {
	ODATA_FN_STARTSWITH, ODATA_FN_ENDSWITH, ODATA_FN_SUBSTRINGOF,
	ODATA_FN_CONTAINS, ODATA_FN_TOLOWER, ODATA_FN_TOUPPER, ODATA_FN_LENGTH,
	ODATA_FN_INDEXOF, ODATA_FN_TRIM, ODATA_FN_CONCAT, ODATA_FN_SUBSTRING,
	ODATA_FN_YEAR, ODATA_FN_MONTH, ODATA_FN_DAY, ODATA_FN_HOUR,
	ODATA_FN_MINUTE, ODATA_FN_SECOND, ODATA_FN_ROUND, ODATA_FN_FLOOR,
	ODATA_FN_CEILING
} odata_fn;

#define ODATA_MAX_ARGS	3

typedef struct odata_node odata_node;
struct odata_node {
	odata_nkind	 kind;
	odata_type	 type;
	size_t		 pos;
	int		 op;		/* odata_op, odata_aop, odata_fn */
	int		 is_null;	/* ODATA_N_LIT: the literal null */
	int		 subms;		/* date literal: finer digits dropped */
	odata_param	 lit;		/* ODATA_N_LIT value */
	size_t		 field;		/* ODATA_N_FIELD index */
	int		 nargs;		/* ODATA_N_FUNC: arguments in args */
	odata_node	*a, *b;		/* operands; a function's first two
					   arguments */
	odata_node	*args[ODATA_MAX_ARGS];	/* a function's arguments */
};

typedef struct odata_parser {
	const char		*s;
	size_t			 n;
	size_t			 at;		/* next byte to lex */
	odata_token		 tok;		/* current token */
	const odata_field	*fields;
	size_t			 nfields;
	odata_node		**nodes;	/* every node, for freeing */
	size_t			 nnodes;
	int			 depth;
	int			 failed;
	sb			*err;
} odata_parser;

/* odata_lex.c */

/* The 1-based character position of byte offset off in s (UTF-8). */
size_t	odata_charpos(const char *s, size_t off);
/* Records the first failure of a parse: sets p->failed and replaces err's
** text with "at position N: " and the message.  Later calls do nothing. */
void	odata_fail(odata_parser *p, size_t pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The current token quoted and cut at 40 bytes, written into buf, for the
** "found ..." of a message; returns buf or a fixed text. */
const char *odata_found(odata_parser *p, char *buf, size_t n);
/* Moves to the next token (freeing the current one's text); a bad token
** fails the parse and becomes ODATA_T_BAD. */
void	odata_next(odata_parser *p);
/* Whether the current token is the word word exactly. */
int	odata_is(odata_parser *p, const char *word);
/* A zeroed node owned by p (freed by odata_parser_free), or NULL after
** failing when the filter has more than ODATA_MAX_NODES nodes. */
odata_node *odata_new(odata_parser *p, odata_nkind kind, size_t pos);
/* Frees every node and the current token of p. */
void	odata_parser_free(odata_parser *p);
/* "a string", "a number", ... for messages. */
const char *odata_tname(odata_type t);

/* odata_parse.c */

/* Parses a whole filter from p's current token: the tree's root, or NULL
** after failing (p->failed set, the message in p->err). */
odata_node *odata_parse(odata_parser *p);

#endif
