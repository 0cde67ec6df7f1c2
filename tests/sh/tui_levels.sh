#!/bin/sh
# tui_levels.sh: scenarios as levels, and the help overlay, in a real
# terminal: the help overlay lists every key and scrolls; a one-key
# challenge shows its goal beside the current state ("goal vs yours")
# with par, counts the student's actions, and once solved offers the next
# scenario of the Learn order; N opens the next one at any time (asking
# first when the student's own actions would be lost).
. "$SRCDIR/tests/lib/tmux.sh"

# --- the help overlay: scrolls to its end at 80x24 ----------------------
t_start 80 24 $(t_env) "$SYNCLAB" sim both-edits
t_wait 'Goal: not yet \(G\)'
t_wait '^G goal  H hint'
t_keys '?'
t_wait 'Keys: Scenario view'
t_wait 'lines 1-[0-9]+ of [0-9]+'
t_gone 'redraw the screen'
t_keys G
t_wait 'Ctrl-L +redraw the screen'
t_gone 'run the next step'
t_keys k
t_wait 'lines [0-9]+-[0-9]+ of'
t_keys g
t_wait 'lines 1-'
t_keys q
t_gone 'Keys: Scenario view'
t_wait 'Goal: not yet \(G\)'
t_keys q
t_wait '\[exit 0\]'
t_stop

# --- goal vs yours, par, and the next scenario --------------------------
t_start 100 30 $(t_env) "$SYNCLAB" sim warmup-push
t_wait 'Challenge: send what is queued'
t_keys l
t_wait 'step 1/1'
t_keys G
t_wait 'Goal vs yours'
t_wait '\[  \] server todoitem/t9 text'
t_wait 'goal: Water the plants'
t_wait 'yours: \(no row\)'
t_wait '\[  \] Phone queue \(__operations\)'
t_wait '0 of 2 parts of the goal hold'
t_wait 'Your actions: 0\. Par: 1'
t_keys Enter
t_gone 'Goal vs yours'
t_keys P
t_wait 'Goal reached'
t_wait 'Your actions: 1\. Par: 1 \(at par or better\)'
t_wait 'Open the next one in Learn, "Offline edits and the operation queue"'
t_keys n
t_gone 'Goal reached'
t_wait 'Goal: reached \(G\)'
t_keys G
t_wait '\[ok\] server todoitem/t9 text'
t_wait '2 of 2 parts of the goal hold: the goal is reached'
t_keys Enter
grep -qx 'warmup-push' "$TMPDIR/home/completed-scenarios" ||
    t_fail "the solved challenge was not marked"
# N opens the next scenario of the Learn order in place of this one; the
# lessons and the challenges interleave.
t_keys N
t_wait '^ Offline edits and the operation queue'
t_keys N
t_wait '^ Challenge: get the offline edits to the server'
t_wait 'step 0/4'
# An action of the student's own: N and q now ask first.
t_keys l l l l o
t_wait 'Tablet . online'
t_keys N
t_wait 'Next scenario\?'
t_wait 'The actions you took in this run are lost'
t_keys n
t_gone 'Next scenario\?'
t_keys q
t_wait 'Leave this run\?'
t_keys y
t_wait '\[exit 0\]'
exit 0
