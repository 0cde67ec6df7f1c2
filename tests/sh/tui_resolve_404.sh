#!/bin/sh
# The resolve dialog for an update that met 404 (the row was deleted on
# the server) says so, previews no If-Match, and keeping the server's
# side discards the operation and the local row.
. "$SRCDIR/tests/lib/tmux.sh"
scn="$SRCDIR/tests/data/scenarios/tui-gone.json"

t_start 100 30 $(t_env) "$SYNCLAB" sim "$scn"
t_wait 'step 0/6'
t_keys g
t_wait 'Go to step'
t_keys BSpace 6 Enter
t_wait 'step 6/6'
t_keys 2 c
t_wait 'Conflict on Phone-B: item/i1 \(404 Not Found\)'
t_wait 'The server has no such row \(deleted there\): 404, not a'
t_gone 'both changed this row'
t_wait 'PATCH /tables/item/i1  \(no If-Match\)'
t_keys S
t_wait 'No request: the server has no such row'
t_keys Enter
t_wait 'Phone-B: resolve item/i1 "server"'
t_wait 'Resolved by hand: the server no longer has the row \(404\)'
t_gone 'rows 1 · queue 1'
# The student acted, so q asks before leaving the run.
t_keys q
t_wait 'Leave this run\?'
t_keys y
t_wait '\[exit 0\]'
exit 0
