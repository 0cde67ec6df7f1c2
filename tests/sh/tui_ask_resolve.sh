#!/bin/sh
# Predict then observe (an ask stops the run until it is answered) and a
# manual conflict resolved field by field through the dialog.
. "$SRCDIR/tests/lib/tmux.sh"
scn="$SRCDIR/tests/data/scenarios/tui-manual.json"

t_start 100 30 $(t_env) LANG=C.UTF-8 "$SYNCLAB" sim "$scn"
t_wait 'step 0/6'
t_keys g
t_wait 'Go to step'
t_keys C-u 5 Enter
t_wait 'step 5/6'
t_wait 'asks you to predict first'

# The ask: shown before the step runs; a bad answer is refused.
t_keys l
t_wait 'Predict: what will happen\?'
t_wait '1\. The server answers 412 Precondition Failed'
t_wait 'one y or n per statement'
t_text 'x'
t_keys Enter
t_wait 'step 5/6'
t_text ''
t_keys C-u
t_text 'y n'
t_keys Enter
t_wait 'What happened'
t_wait 'Your answer: y n +\(right, score 100%\)'
t_wait 'Alpha +PATCH /tables/note/n1 +If-Match "MQ==" +-> 412 Precondition Failed'
t_wait 'Why: Alpha.s If-Match names version 1'
# The answer went to the quiz progress store, under the scenario.
got=$(sqlite3 "$TMPDIR/home/progress.db" \
    "SELECT qid, correct, source FROM attempt" 2>&1)
[ "$got" = "tui-manual-push|1|scenario:tui-manual" ] ||
    t_fail "progress store holds: $got"
t_keys Enter

# The manual conflict dialog opens by itself.
t_wait 'Conflict on Alpha: note/n1 \(412 Precondition Failed\)'
t_wait 'field +base +local \(device\) +server +keep'
t_wait '\*text +first draft +alpha text +first draft +\[local\]'
t_wait '\*prio +1 +1 +5 +\[local\]'
t_wait 'PATCH /tables/note/n1 +If-Match "Mg=="'
t_wait '"text":"alpha text","prio":1'
# Keep the server's priority: the request changes with it.
t_keys j s
t_wait '\*prio +1 +1 +5 +\[server\]'
t_wait '"text":"alpha text","prio":5'
# All server: no request at all.
t_keys S
t_wait 'No request: the operation is cancelled'
t_keys L j s
t_wait '"text":"alpha text","prio":5'
t_keys Enter
t_gone 'Conflict on Alpha'
t_wait 'Alpha: resolve note/n1 \{"text":"local","prio":"server"\}'
t_wait 'update n1 pending, If-Match Mg=='
t_keys 1 P
t_wait 'Alpha +PATCH /tables/note/n1 +If-Match "Mg==" +-> 200 OK'
t_wait 'n1 +Mw== +alpha text +5'

# Esc leaves a conflict for later; c reopens it.
t_keys r
t_wait 'Reset\?'
t_keys y
t_wait 'step 0/6'
t_keys g C-u 5 Enter
t_wait 'step 5/6'
t_keys l
t_wait 'Predict'
t_keys C-u
t_text 'n n'
t_keys Enter
t_wait 'Your answer: n n +\(partly right'
t_keys Enter
t_wait 'Conflict on Alpha'
t_keys Escape
t_gone 'Conflict on Alpha'
t_wait 'c reopens it'
t_keys 1 c
t_wait 'Conflict on Alpha'
t_keys Escape
t_keys q
t_wait '\[exit 0\]'
