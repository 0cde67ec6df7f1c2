#!/bin/sh
# A question met in a scenario becomes a review card, and review asks it:
# answer the first prediction of first-sync in the scenario view; when the
# card is due, plain review offers it, and the review screen asks it.
. "$SRCDIR/tests/lib/tmux.sh"

t_start 100 30 $(t_env) "$SYNCLAB" sim first-sync
t_wait 'step 0/'
t_keys l
t_wait 'Predict'
t_text 'a'
t_keys Enter
t_wait 'What happened'
got=$(sqlite3 "$TMPDIR/home/progress.db" "SELECT qid, source FROM attempt" 2>&1)
[ "$got" = "first-sync-seed-version|scenario:first-sync" ] ||
    t_fail "progress store holds: $got"
t_keys Enter
t_keys q
t_wait '\[exit 0\]'
t_stop

# Years later every card is due: plain review offers the scenario's card
# (q leaves it due) ...
out=$(printf 'q\n' | SYNCLAB_HOME="$TMPDIR/home" SYNCLAB_NOW=2030-01-01T09:00:00Z \
    "$SYNCLAB" review --plain 2>&1)
echo "$out" | grep -q '^Due now: 1\.' || t_fail "plain review: $out"
echo "$out" | grep -q 'The two seed rows were written once' ||
    t_fail "plain review does not ask the scenario card: $out"

# ... and so does the review screen.
t_start 100 30 $(t_env) SYNCLAB_NOW=2030-01-01T09:00:00Z "$SYNCLAB" review
t_wait 'Due now: 1\.'
t_keys Enter
t_wait 'Spaced review .*Card 1 of 1'
t_wait 'The two seed rows were written once and never changed'
t_keys a
t_wait 'Domain: Azure architecture and services; topics: offline-sync, versions\.'
t_keys q
t_wait 'Spaced review: summary'
t_wait '1 of 1 answered questions fully right'
t_keys q
t_wait '\[exit 0\]'
t_stop
exit 0
