#!/bin/sh
# lib_poll.sh: tests/lib/poll.sh: poll returns as soon as its command
# succeeds, gives up at a deadline with fractions of a second (not before
# it), and stops at once on a status of 2 or more.
. "$SRCDIR/tests/lib/poll.sh"
fail() { echo "lib_poll.sh: $*"; exit 1; }

n=0
third() { n=$((n + 1)); [ "$n" -ge 3 ]; }
POLL_EVERY=0.01 poll 5 third || fail "poll did not see the third call succeed"
[ "$n" -eq 3 ] || fail "poll called $n times, want 3"

t0=$(poll_now_ms)
POLL_EVERY=0.02 poll 0.3 false && fail "poll succeeded on false"
dt=$(( $(poll_now_ms) - t0 ))
[ "$dt" -ge 300 ] || fail "poll gave up after $dt ms, before its 0.3 s"
[ "$dt" -lt 1500 ] || fail "poll gave up after $dt ms, long after its 0.3 s"

never() { return 7; }
t0=$(poll_now_ms)
poll 5 never
rc=$?
[ "$rc" -eq 7 ] || fail "poll returned $rc for a command that said 7, want 7"
[ $(( $(poll_now_ms) - t0 )) -lt 1000 ] || fail "poll kept polling after 7"
exit 0
