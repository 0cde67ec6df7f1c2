/*
** model.h: the scenario view's copy of a run's state (model.c).
*/
#ifndef ui_model_h
#define ui_model_h

#include "ui/ui-int.h"

struct m_row {
	char		**cells;	/* one per column: id, version,
					   updatedAt, deleted, user columns */
	unsigned char	*chg;		/* 1: changed by the last step */
	int		 any;		/* some cell changed (or a new row) */
	int		 deleted;
};

struct m_table {
	char		*name;
	char		**cols;
	size_t		 ncols;
	struct m_row	*rows;
	size_t		 nrows;
};

/* One store: the backend (index 0) or a device. */
struct m_store {
	char		*name;
	struct m_table	*t;
	size_t		 nt;
	char		**ops;		/* "update todoitem/7 pending v1" */
	size_t		 nops;
	char		**errs;		/* "412 update todoitem/7" */
	size_t		 nerrs;
	sim_net		 net;		/* devices only */
	prof_kind	 client;	/* devices only: the client SDK */
	/* Devices only: the signed-in user (scene-auth.c fills it). */
	int		 auth_shown;	/* the scenario has sign-in at all */
	int		 signed_in, blocked;
	char		 user[32];
	int64_t		 exp_in_ms;	/* token expiry minus now */
	int		 net_changed, queue_changed;
	sb		 err;		/* a store that could not be read */
};

struct m_line {
	char		*text;
	char		*right;		/* "-> 412 Precondition Failed": kept
					   visible when text is cut, or NULL */
	int		 role;		/* enum ui_role */
	size_t		 step;
};

struct ui_model {
	size_t		 pos;
	struct m_store	*s;
	size_t		 ns;
	struct m_line	*tl;		/* the timeline */
	size_t		 ntl, captl;
	char		*narration;	/* of step pos-1 (or the summary) */
};

/* Reads the run as it stands; never fails (unreadable parts are noted in
** the store's err).  Free with ui_model_free. */
struct ui_model *ui_model_load(sim *r);
/* Marks the cells of m that differ from old (rows new to m: all cells). */
void ui_model_diff(struct ui_model *m, const struct ui_model *old);
void ui_model_free(struct ui_model *m);

/*
** scene-auth.c: identity in the scene.  ui_auth_fill copies a device's
** signed-in user and token expiry into its store (called by the model for
** each device when the run has authentication); ui_auth_title writes the
** part of the device pane's title that shows them ("ana 7h59m", "ana
** expired", "signed out", "401"), at most n bytes, shorter when narrow.
** The hook: scene-draw.c's device pane appends it to its title.
*/
void ui_auth_fill(struct m_store *ms, dev *d, int has_auth, int64_t now_ms);
void ui_auth_title(const struct m_store *s, int narrow, char *out, size_t n);

#endif
