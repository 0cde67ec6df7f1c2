#!/bin/sh
# Resizing at any time: 80x24 keeps the essentials, 40x10 shows the
# "too small" screen (which still answers q), and back again.
. "$SRCDIR/tests/lib/tmux.sh"
scn="$SRCDIR/tests/data/scenarios/tui-manual.json"

t_start 80 24 $(t_env) LANG=C.UTF-8 "$SYNCLAB" sim "$scn"
t_wait 'step 0/6'
t_keys l l
t_wait 'step 2/6'
t_wait 'Backend \(1 rows\)'
t_wait '1 Alpha'
t_wait '2 Beta'
t_wait 'Timeline'
t_wait 'Beta +GET /tables/note.*-> 200 OK'
t_wait 'Step 2/6: Beta: pull'
t_wait 'l step +h back'
t_resize 40 10
t_wait 'Terminal too small'
t_wait 'This is 40x10'
t_resize 100 30
t_wait 'step 2/6'
t_gone 'Terminal too small'
t_wait 'Beta +GET /tables/note.*-> 200 OK'
# Keys work after the resize; q on the small screen goes back, which
# from the first screen (nothing of the student's own to lose) quits.
t_keys l
t_wait 'step 3/6'
t_resize 40 10
t_wait 'Terminal too small'
t_keys l
t_keys q
t_wait '\[exit 0\]'
