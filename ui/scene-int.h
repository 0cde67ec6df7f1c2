/*
** scene-int.h: what the files of the scenario view share: scene.c (its
** state, stepping and keys), scene-draw.c (drawing) and scene-act.c (the
** student's actions on a device).  The rest of ui/ sees the view through
** ui-int.h.
*/
#ifndef ui_scene_int_h
#define ui_scene_int_h

#include "ui/model.h"

/* scene.c */
/* The view's keys: the key bar and the help overlay. */
extern const struct ui_key ui_scene_keys[];
/* The selected device (index), or -1 when there are none. */
int ui_scene_dev(const struct ui_scene *sc);
/* Milliseconds between two steps while playing; 0 when paused. */
int ui_scene_tick_ms(const struct ui_scene *sc);

/* scene-draw.c */
/* The draw function of ui_scene_screen. */
void ui_scene_draw(struct ui_app *a, void *st);
/* The rows of every table of a store. */
size_t ui_scene_nrows(const struct m_store *s);

/* scene-cloud.c: the hub, plan and fleet of a scenario that has them. */
/* Lines of the strip between the panes and the timeline (0: none). */
int ui_cloud_height(const struct ui_app *a, struct ui_scene *sc);
void ui_cloud_draw(struct ui_app *a, struct ui_scene *sc, int y, int h);
/* The last line of device di's pane: what its platform service did. */
void ui_cloud_device(struct ui_app *a, struct ui_scene *sc, int di, int y,
    int x, int h, int w);
/* The key C (scale the plan): 1 when it handled ch. */
int ui_cloud_key(struct ui_app *a, struct ui_scene *sc, int ch);

/* scene-act.c */
/* The keys that act on device di (i, e, Enter, d, c, o, P, u, s, x, X):
** 1 when ch was one of them (the action ran, or its form or
** confirmation opened), 0 otherwise. */
int ui_scene_act_key(struct ui_app *a, struct ui_scene *sc, int di, int ch);

#endif
