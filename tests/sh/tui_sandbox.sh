#!/bin/sh
# The sandbox: N devices and an empty todoitem table; 6 devices fit a
# 100x30 terminal, more scroll; insert through the form, push, edit.
. "$SRCDIR/tests/lib/tmux.sh"

t_start 100 30 $(t_env) "$SYNCLAB" sim --devices 6
t_wait 'step 0/0'
for d in A B C D E F; do
	t_wait "Device-$d . online"
done
t_wait 'Backend \(0 rows\)'

# Insert on Device-A through the form: id, text, complete.
t_keys i
t_wait 'Insert on Device-A: todoitem'
t_text 'r1'
t_keys Tab
t_text 'feed the cat'
t_keys Tab
t_text 'maybe'
t_keys Enter
t_wait 'is not true or false'
t_keys C-u
t_text 'no'
t_keys Enter
t_gone 'Insert on Device-A'
t_wait 'step 1/1'
t_wait 'r1 +- +feed the'
t_wait 'insert r1 pending, POST'
t_keys P
t_wait 'Device-A +POST /tables/todoitem +-> 201 Created'
t_wait 'r1 +MQ== +feed the.* +false'
# Edit the row: only the changed field is sent.
t_keys e
t_wait 'Edit on Device-A: todoitem/r1'
t_keys Tab
t_keys C-u
t_text 'true'
t_keys Enter
t_wait 'Device-A: update todoitem/r1 \{"complete":true\}'
# Device-B pulls it.
t_keys 2 u
t_wait 'Device-B +GET /tables/todoitem'
t_wait 'r1 +MQ== +feed the.* +false'
# Drop the next response of Device-A, then push: the response is lost.
t_keys 1 x
t_wait 'drop-resp'
t_keys P
t_wait '200 OK, response LOST'
# Leaving would lose what was done here: q asks first.
t_keys q
t_wait 'Leave this run\?'
t_keys n
t_gone 'Leave this run'
t_keys q
t_wait 'Leave this run\?'
t_keys y
t_wait '\[exit 0\]'
t_stop

# Nine devices: six show, the rest scroll into view with the focus.
t_start 100 30 $(t_env) "$SYNCLAB" sim --devices 9
t_wait 'devices 1-6 of 9'
t_gone 'Device-I'
t_keys 9
t_wait 'Device-I'
t_wait 'devices [4-7]-9 of 9'
t_keys q
t_wait '\[exit 0\]'
t_stop

# --client: the sandbox's devices pull as that SDK does (the Datasync
# toolkit: no filter on a first pull, $count=true, no $top).
t_start 100 30 $(t_env) "$SYNCLAB" sim --devices 1 --client datasync
t_wait 'step 0/0'
t_keys 1 u
t_wait 'Device-A +GET /tables/todoitem\?\$orderby=updatedAt&\$count=true'
t_keys q
t_wait 'Leave this run\?'
t_keys y
t_wait '\[exit 0\]'
