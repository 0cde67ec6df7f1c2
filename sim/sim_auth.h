/*
** sim_auth.h: identity in a run (sim.c's part of auth.h and dev_auth.c).
**
** From a scenario's "auth" section it builds the App Service
** Authentication of the backend, signs in the devices that start signed
** in (as if they had before the run), runs the identity steps and plays
** each device's on401 policy after a push or pull stopped on a 401.
** Everything it changes lives in the databases, so snapshots need nothing
** from it.
*/
#ifndef sim_auth_h
#define sim_auth_h

#include <stddef.h>
#include <stdint.h>
#include "lib/sb.h"
#include "sim/auth.h"
#include "sim/dev.h"
#include "sim/scn.h"
#include "sim/srv.h"

typedef struct sim_auth {
	auth		*a;		/* NULL: the scenario has no auth */
	dev_auth_cfg	*cfg;		/* one per device */
	size_t		 n;
} sim_auth;

/* Sets up identity for s on sv and its n devices at start_ms (epoch ms).
** With no "auth" section it does nothing.  0, or -1 with err. */
int sim_auth_open(sim_auth *sa, const scn *s, srv *sv, dev **devs, size_t n,
    int64_t start_ms, sb *err);
void sim_auth_close(sim_auth *sa);
/* Runs an identity step (scn_action_is_auth) on device di.  Returns 1
** when it failed locally (as sim_exec counts failures), else 0. */
int sim_auth_exec(sim_auth *sa, const scn_step *st, dev **devs, size_t di,
    sb *err);
/* After a push or pull of device di that did not complete: 1 when its
** policy got a new token and the caller should try once more. */
int sim_auth_retry(sim_auth *sa, dev *d, size_t di, sb *err);

#endif
