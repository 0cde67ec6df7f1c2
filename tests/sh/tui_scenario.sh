#!/bin/sh
# The scenario view at 100x30: panes, stepping forward and back, acting on
# a device after stepping back (a fork, confirmed), the sequence diagram.
. "$SRCDIR/tests/lib/tmux.sh"
scn="$SRCDIR/tests/data/scenarios/tui-manual.json"

t_start 100 30 $(t_env) LANG=C.UTF-8 "$SYNCLAB" sim "$scn"
t_wait 'TUI test: a manual conflict .*step 0/6'
t_wait 'Backend \(1 rows\)'
t_wait 'n1 +MQ== +09:00:00.000 +first draft +1'
t_wait '1 Alpha . online 10ms'
t_wait '2 Beta . online 10ms'
t_wait '\(no requests yet\)'
t_wait 'Next: Alpha: pull'

# One step: Alpha's pull appears in the timeline and in its pane.
t_keys l
t_wait 'step 1/6'
t_wait 'Alpha +GET /tables/note\?.*-> 200 OK'
t_wait '^. -- 1\. Alpha: pull'
t_wait '\*n1 MQ== first draft 1'
t_wait 'Step 1/6: Alpha: pull'
t_wait 'Alpha downloads the note'

t_keys l
t_wait 'step 2/6'
t_wait 'Beta +GET /tables/note'

# Back: instant, the timeline shrinks to step 1 again.
t_keys h
t_wait 'step 1/6'
t_gone 'Beta +GET'
t_keys Left
t_wait 'step 0/6'
t_wait '\(no requests yet\)'

# Acting now forks the run: confirmed first, then said.
t_keys l
t_wait 'step 1/6'
t_keys o
t_wait 'Fork the run\?'
t_wait '5 more step'
t_keys n
t_gone 'Fork the run\?'
t_wait '1 Alpha . online'
t_keys o
t_wait 'Fork the run\?'
t_keys y
t_wait 'Alpha . OFFLINE'
t_wait 'FORKED'
t_wait 'step 2/2'
t_wait 'the remaining 5 steps of the script are discarded'
# Offline, with nothing queued, a push sends nothing: its step is the
# last line of the timeline, no request follows it.
t_keys P
t_wait 'step 3/3'
push_ends_timeline() {
	grep -A1 -E '^. -- 3\. Alpha: push *$' |
	    grep -qF 'Step 3/3 (yours): Alpha: push'
}
t_until 'no request after the push step' push_ends_timeline
# ... and the narration says why, rather than nothing.
t_wait "Alpha's queue \\(__operations\\) was empty: the client had nothing"
# Toggle back online; no fork question at the end of the script.
t_keys o
t_wait 'Alpha . online'
t_gone 'Fork the run'

# The sequence diagram: columns and arrows, the current step marked.
t_keys S
t_wait 'Sequence diagram +step 4/4'
t_wait 'Alpha +Beta +Backend'
t_wait 'GET /tables/note'
t_wait '200 OK'
t_wait '^.4 +4\. Alpha: online'
t_keys q
t_wait 'Timeline'

# A click (xterm mouse report: press and release at column 21, row 6)
# focuses the pane under it: the backend.
t_wait '\[1 Alpha'
t_tmux send-keys -t t -l "$(printf '\033[M 5&\033[M#5&')"
t_wait '\[Backend \(1 rows\)\]'
t_gone '\[1 Alpha'

# ? lists the keys of the screen; any key closes it.
t_keys '?'
t_wait 'Keys: Scenario view'
t_wait 'drop the device.s next response'
t_keys Escape
t_gone 'Keys: Scenario view'

# The run holds actions of the student's own: q asks before losing them.
t_keys q
t_wait 'Leave this run\?'
t_keys y
t_wait '\[exit 0\]'
