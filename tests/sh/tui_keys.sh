#!/bin/sh
# The less travelled keys of the scenario view, on a scenario with three
# tables: the table choice of an insert, cancelled forms, playback
# stopping at a question, the narration, finishing and un-finishing a run,
# pane cycling, the help overlay, the sequence diagram's scrolling, the
# inspector's history, a bad step number, reset.  Run under the sanitizers
# too, it proves that none of these leaks or crashes.
. "$SRCDIR/tests/lib/tmux.sh"
t_start 100 30 $(t_env) "$SYNCLAB" sim "$SRCDIR/tests/data/scenarios/tui-tables.json"
t_wait 'step 0/5'
# insert with a table choice, then cancel the form
t_keys i
t_wait 'Insert into which table'
t_keys j Enter
t_wait 'Insert on Ward-Tab: labresult'
t_keys Escape
t_gone 'Insert on'
t_keys i
t_wait 'Insert into which table'
t_keys Escape
t_gone 'Insert into'
# edit with no rows
t_keys e
t_wait 'has no rows'
# play, speed, pause
t_keys + + + +
t_wait 'one step every 100 ms'
t_keys Space
t_wait 'Predict'
t_wait 'step 3/5'
t_keys Escape
t_wait 'The step waits for your answer'
t_keys n
t_wait 'Narration'
t_keys Enter
t_keys F
t_wait 'Checker'
t_wait 'looks good|problems found'
t_keys Enter
t_wait 'FINISHED'
t_keys h
t_wait 'Back to before the final sync'
t_gone 'FINISHED'
t_keys Tab Tab Tab Tab Tab j j k
t_keys BTab
t_keys '?'
t_wait 'Keys: Scenario view'
t_keys x
t_keys S j j k End Home q
t_keys I
t_wait 'Store inspector'
t_text 'select * from __config'
t_keys Enter Right Right Left Down Up NPage PPage C-p C-n
t_text 'x'
t_keys C-w Escape
t_keys g
t_wait 'Go to step'
t_keys C-u
t_text '99'
t_keys Enter
t_wait 'A step number from 0 to 5'
t_keys Escape
t_keys 3 d
t_wait 'no rows|Fork the run'
t_keys n
t_keys r y
t_wait 'Reset to the start'
t_keys q
t_wait '\[exit 0\]'
