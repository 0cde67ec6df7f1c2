/*
** scene-auth.c: who is signed in on each device, for the scene's device
** pane titles; see model.h.  The title is the one place a student sees
** the token's clock run: "ana 7h59m" counts down to "ana expired", and a
** device whose last table request got 401 says so.
*/
#include "ui/model.h"

#include <stdio.h>
#include <string.h>

void
ui_auth_fill(struct m_store *ms, dev *d, int has_auth, int64_t now_ms)
{
	dev_auth_info ai;
	ms->auth_shown = has_auth;
	if (!has_auth)
		return;
	dev_auth_get(d, &ai);
	ms->signed_in = ai.signed_in;
	ms->blocked = ai.blocked;
	snprintf(ms->user, sizeof ms->user, "%.31s", ai.user);
	ms->exp_in_ms = ai.exp_ms ? ai.exp_ms - now_ms : 0;
}

void
ui_auth_title(const struct m_store *s, int narrow, char *out, size_t n)
{
	out[0] = '\0';
	if (!s->auth_shown || n == 0)
		return;
	if (!s->signed_in) {
		snprintf(out, n, " %s%s", narrow ? "anon" : "signed out",
		    s->blocked ? " 401" : "");
		return;
	}
	char left[32];
	if (s->exp_in_ms <= 0)
		snprintf(left, sizeof left, "expired");
	else {
		long long m = (long long)(s->exp_in_ms / 60000);
		if (m >= 60)
			snprintf(left, sizeof left, "%lldh%02lldm", m / 60,
			    m % 60);
		else
			snprintf(left, sizeof left, "%lldm", m);
	}
	if (narrow)
		snprintf(out, n, " %.8s %s%s", s->user, left,
		    s->blocked ? " 401" : "");
	else
		snprintf(out, n, " %s token %s%s", s->user, left,
		    s->blocked ? " 401" : "");
}
