/*
** scn_cloud.h: the push and scale parts of a scenario
** (docs/scenario-format.md, "Push, plans and fleets").
**
** A scenario may declare a notification hub ("push"), an App Service plan
** under the backend ("plan"), a fleet of generated devices with a
** workload ("fleet"), and per device how it registers for push and what
** it does when a notification arrives (devices[].push).  Its script may
** then use the actions register, unregister, tag, send and scale, and
** its expectations the keys hub, notified, tags and plan.  The loader
** (scn.c) calls in here; the engine reads the result as plain data.
*/
#ifndef scn_cloud_h
#define scn_cloud_h

#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>
#include "lib/jx.h"
#include "sim/hub.h"
#include "sim/plan.h"
#include "sim/pns.h"
#include "sim/scn.h"

/* What a device does when a notification reaches it. */
typedef enum scn_notify {
	SCN_NOTIFY_NONE,	/* shows it (or nothing, if silent) */
	SCN_NOTIFY_PULL,	/* pulls the table the notification names */
	SCN_NOTIFY_SYNC		/* pushes its queue, then pulls every table */
} scn_notify;

typedef struct scn_push_dev {
	int		 set;		/* the device has a "push" object */
	pns_platform	 platform;
	char		*channel;	/* NULL: made up from the name */
	cJSON		*templates;	/* the Installations API's object */
	cJSON		*tags;		/* tags the app sends (the server
					   drops them) */
	scn_notify	 on_notify;
	int		 tile_queue;	/* WNS: tile queuing on */
} scn_push_dev;

typedef struct scn_fleet {
	long		 devices;	/* 1 to SCN_FLEET_MAX */
	char		*prefix;	/* device names: prefix-00001 */
	char		*pull;		/* the table each sync pulls */
	char		*push;		/* the table writes go to, or NULL */
	int		 writes;	/* inserts per sync */
	int64_t		 at_ms;		/* epoch ms of the first sync */
	int64_t		 spread_ms;	/* syncs spread over this much */
	int64_t		 every_ms;	/* then again every; 0: once */
	int64_t		 until_ms;	/* no sync starts after; 0: none */
} scn_fleet;

#define SCN_FLEET_MAX	100000

typedef struct scn_cloud {
	int		 hub;		/* 1: "push" declared a hub */
	hub_tier	 tier;
	long long	 pushes_used;	/* pushesThisMonth at the start */
	char		**sync_tables;	/* pushToSync: writes to these */
	size_t		 nsync;
	int		 plan;		/* 1: "plan" declared */
	char		*plan_tier;
	int		 instances;
	plan_autoscale	 autoscale;
	plan_cost	 cost;
	int		 fleet;		/* 1: "fleet" declared */
	scn_fleet	 fl;
	scn_push_dev	*dev;		/* one per scenario device */
	size_t		 ndev;
} scn_cloud;

/*
** Reads "push", "plan", "fleet" of root and "push" of every device (after
** the tables and devices were loaded into s).  Problems go to d as the
** loader's other errors.  Returns NULL when the scenario uses none.
*/
scn_cloud *scn_cloud_parse(jx_doc *d, const scn *s, const cJSON *root);
void scn_cloud_free(scn_cloud *c);

/* 1 for register, unregister, tag, send and scale. */
int scn_cloud_action(scn_action a);
/* The keys those actions take (NULL-terminated). */
const char *const *scn_cloud_keys(scn_action a);
/* Reads the arguments of such a step into st->row (a JSON object of the
** step's own keys); problems go to d. */
void scn_cloud_step(jx_doc *d, const scn *s, const char *path,
    const cJSON *obj, scn_step *st);
/* Checks the expectation keys hub, notified, tags and plan of e. */
void scn_cloud_expect(jx_doc *d, const scn *s, const char *path,
    const cJSON *e);
/* Parses an autoscale object (scenario or scale step) into as. */
void scn_cloud_autoscale(jx_doc *d, const char *path, const cJSON *o,
    plan_autoscale *as);

#endif
