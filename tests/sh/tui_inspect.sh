#!/bin/sh
# The store inspector: a read-only SQL prompt on the backend or a device.
. "$SRCDIR/tests/lib/tmux.sh"
scn="$SRCDIR/tests/data/scenarios/tui-manual.json"

t_start 100 30 $(t_env) LANG=C.UTF-8 "$SYNCLAB" sim "$scn"
t_wait 'step 0/6'
t_keys g C-u 3 Enter
t_wait 'step 3/6'
# Focus Alpha (device 1) and open its store.
t_keys 1 I
t_wait 'Store inspector: Alpha \(read-only\)'
# Before a query: this store's own tables, and a query to try.
t_wait 'Tables of this store: note \(the local copies\); __operations'
t_wait 'Try: SELECT \* FROM __operations'
t_text 'SELECT kind, state, tableName, itemId FROM __operations'
t_keys Enter
t_wait 'kind +state +tableName +itemId'
# The queue's enums show their names beside the numbers.
t_wait '1 update +0 pending +note +n1'
t_wait '^ 1 row'
# Writes are refused (the query runs on a read-only copy), and nothing
# breaks.
t_keys C-u
t_text 'DELETE FROM __operations'
t_keys Enter
t_wait 'Refused: the inspector is read-only \(no writes, DDL'
# A query without an end stops, and the prompt answers again.
t_keys C-u
t_text 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT count(*) FROM c'
t_keys Enter
t_wait 'Stopped: the query ran longer than 300 ms'
t_keys C-u
t_text "SELECT fts3_tokenizer('simple')"
t_keys Enter
t_wait 'Refused: the inspector is read-only \(the function fts3_tokenizer\(\) is'
t_keys C-u
t_text "UPDATE note SET text = 'x'"
t_keys Enter
t_wait 'Refused: the inspector is read-only'
t_keys C-u
t_text 'SELEKT 1'
t_keys Enter
t_wait 'Error: near "SELEKT": syntax error'
t_keys C-u
t_text 'SELECT count(*) AS n FROM __operations'
t_keys Enter
t_wait '^ n'
t_wait '^ 1 *$'
# A value wider than the screen scrolls sideways to its end.
t_keys C-u
t_text "SELECT 'start' || printf('%0150d', 0) || 'the-end' AS wide"
t_keys Enter
t_wait '^ start0000'
t_gone '0the-end'
t_keys Right Right Right Right Right Right Right Right Right Right
t_wait '0000the-end'
# Tab: the next store (Beta), then the backend.
t_keys Tab
t_wait 'Store inspector: Beta'
t_keys Tab
t_wait 'Store inspector: Backend'
t_keys C-u
t_text 'SELECT id, text FROM note'
t_keys Enter
t_wait 'n1 +first draft'
t_keys C-u
t_text 'DROP TABLE note'
t_keys Enter
t_wait 'Refused'
t_keys Escape
t_wait 'Timeline'
# The queue is still there: the refused DELETE changed nothing.
t_wait 'update n1 pending, If-Match MQ=='
t_keys q
t_wait '\[exit 0\]'
