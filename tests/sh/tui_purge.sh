#!/bin/sh
# U purges a local table of the selected device: straight away when the
# device has nothing queued, after a confirmation (a forced purge) when it
# has; then a pull brings back only the server's live rows.
. "$SRCDIR/tests/lib/tmux.sh"
scn="$SRCDIR/tests/data/scenarios/tui-purge.json"

t_start 100 30 $(t_env) "$SYNCLAB" sim "$scn"
t_wait 'step 0/4'
t_keys g
t_wait 'Go to step'
t_keys BSpace 4 Enter
t_wait 'step 4/4'
t_wait 'Goal: not yet \(G\)'
# Phone-B still has i2, which the server deleted for good.  Queue a delete
# of i1 there, so that the purge has to be forced.
t_keys 2 d
t_wait 'delete i1 pending'
t_keys U
t_wait 'Forced purge\?'
t_wait 'a forced purge deletes'
t_keys n
t_gone 'Forced purge\?'
t_keys U
t_wait 'Forced purge\?'
t_keys y
t_wait '6\. Phone-B: purge item \(force\)'
t_wait 'Purged item: every local row is gone'
t_wait 'rows 0 · queue 0'
t_keys u
t_wait 'Goal reached'
t_keys Enter
t_wait 'Goal: reached \(G\)'
# With nothing queued, U purges at once, without forcing.
t_keys U
t_wait 'Step 8/8 \(yours\): Phone-B: purge item ─'
t_gone 'Forced purge\?'
# The goal was reached, so nothing is lost: q leaves at once.
t_keys q
t_wait '\[exit 0\]'
exit 0
