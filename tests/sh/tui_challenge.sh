#!/bin/sh
# Challenges: the goal is shown and checked after every step, hints come
# one at a time, the solution only after a confirmation, and a run that
# showed it never counts as solved.
. "$SRCDIR/tests/lib/tmux.sh"
scn="$SRCDIR/tests/data/scenarios/tui-goal.json"

t_start 100 30 $(t_env) "$SYNCLAB" sim "$scn"
t_wait 'Goal: The server holds todoitem g1 with the text done\.'
t_wait 'Goal: not yet \(G\)'
t_keys H
t_wait 'Hint 1: Insert the row on Solo first'
t_wait 'Press H again for the next hint'
t_gone 'Hint 2'
t_keys Enter H
t_wait 'Hint 2: Then push it'
t_wait 'That was the last hint'
t_keys Enter G
t_wait 'Goal vs yours'
t_wait '0 of [0-9]+ parts of the goal hold'
t_wait 'Your actions: 0\. Par: 2'
t_wait 'Hints shown: 2 of 2'
t_keys Enter

# Solve it: insert g1 (forks the one-step script), push.
t_keys i
t_wait 'Insert on Solo: todoitem'
t_text 'g1'
t_keys Tab
t_text 'done'
t_keys Enter
t_wait 'Fork the run\?'
t_keys y
t_wait 'step 1/1'
t_wait 'insert g1 pending, POST'
t_keys P
t_wait 'Goal reached'
t_wait 'marked as completed'
t_keys Enter
t_wait 'Goal: reached \(G\)'
grep -qx 'tui-goal' "$TMPDIR/home/completed-scenarios" ||
    t_fail "the solved challenge was not marked"
rm -f "$TMPDIR/home/completed-scenarios"

# Reset; the solution is shown only after a confirmation, and then the
# goal no longer counts.
t_keys r
t_wait 'Reset\?'
t_keys y
t_wait 'step 0/1'
t_wait 'Goal: not yet \(G\)'
t_keys v
t_wait 'Show the solution\?'
t_keys n
t_gone 'Show the solution'
t_gone 'Reference solution'
t_keys v
t_wait 'Show the solution\?'
t_keys y
t_wait 'Reference solution'
t_wait '1\. Solo: insert todoitem'
t_wait '2\. Solo: push'
t_keys Enter
t_keys i
t_wait 'Insert on Solo'
t_text 'g1'
t_keys Tab
t_text 'done'
t_keys Enter y
t_wait 'insert g1 pending, POST'
t_keys P
t_wait 'does not count as solved'
t_keys Enter q
t_wait '\[exit 0\]'
[ -f "$TMPDIR/home/completed-scenarios" ] &&
    t_fail "a run that showed the solution was marked completed"
exit 0
