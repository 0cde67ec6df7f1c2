/*
** scn_int.h: what the scenario loader's files share; not for other
** modules.
**
** scn.c reads the document (tables, devices, policies, seed rows, the
** goal) and owns the scenario; scn_step.c reads steps and their expect
** objects, in a document or one at a time (the ad-hoc steps of the UI).
*/
#ifndef scn_int_h
#define scn_int_h

#include <stddef.h>
#include <cjson/cJSON.h>
#include "lib/jx.h"
#include "lib/sb.h"
#include "sim/scn.h"

/* The action named s: 0 and *out set, or -1 (no such action). */
int scn_action_parse(const char *s, scn_action *out);

/*
** The column name of t, or NULL with an error at path naming the columns
** there are; more is added after them (", and id": what else the place
** accepts).
*/
const tbl_col *scn_ref_col(jx_doc *d, const char *path, const scn_table *t,
    const char *name, const char *more);

/* Checks that a device name exists; records an error naming the devices. */
int scn_ref_device(jx_doc *d, const scn *s, const char *path, const char *name);

/* The table named name, or NULL with an error at path naming the tables
** there are. */
const scn_table *scn_ref_table(jx_doc *d, const scn *s, const char *path,
    const char *name);

/* A column value: its JSON type must fit the column (null always does). */
void scn_check_value(jx_doc *d, const char *path, const tbl_col *c,
    const cJSON *v);

/*
** A row object: every key a user column of t (or "id" when allow_id),
** values typed.  need_id: "id" is required.  nonempty: at least one column.
*/
void scn_check_row(jx_doc *d, const char *path, const scn_table *t,
    const cJSON *row, int allow_id, int need_id, int nonempty);

/* Splits "table/id" at the first '/'; returns the table definition or NULL
** (error recorded). */
const scn_table *scn_ref_row(jx_doc *d, const scn *s, const char *path,
    const char *key, const char **id);

/* Checks an expect object (every key and value); problems go to d. */
void scn_parse_expect(jx_doc *d, const scn *s, const char *path,
    const cJSON *e);

/* Reads the array arr of steps (at key) into *out (allocated here, owned
** by the caller), counting them in *n (0 on entry); problems go to d. */
void scn_parse_steps(jx_doc *d, const scn *s, const char *key, const cJSON *arr,
    scn_step **out, size_t *n);

#endif
