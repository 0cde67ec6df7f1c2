#!/bin/sh
# The scenario view of a push and plan scenario at 100x30: the plan and
# hub lines, a device's notification line, the push events in the
# timeline, the sequence diagram's hub columns, and the C key scaling the
# plan (a refused change explained, an accepted one run as a step).
. "$SRCDIR/tests/lib/tmux.sh"

t_start 100 30 $(t_env) LANG=C.UTF-8 "$SYNCLAB" sim push-apns-offline
t_wait 'An iPhone offline for three notifications .*step 0/6'
t_wait 'Hub +Free tier · 0 installations \(of 500\)'
t_keys l
t_wait 'step 1/6'
t_wait 'PUT /push/installations/.*204'
t_wait 'Hub +Free tier · 1 installation \(of 500\)'
t_wait 'APNs: got 0 · held 0 · dropped 0'
t_keys l l
t_wait 'step 3/6'
t_wait 'APNs: got 0 · held 1 · dropped 0'
# Step 4 asks first: answer it, then the step runs.
t_keys l
t_wait 'How many of the two alerts does APNs hold'
t_text b
t_keys Enter
t_wait 'step 4/6'
t_keys Escape
t_gone 'How many of the two alerts'
t_keys S
t_wait 'Sequence diagram'
t_wait 'Hub +APNs/FCM/WNS'
t_wait 'POST messages: 200'
t_wait 'iPhone: replaced'
t_keys q
t_wait 'step [45]/6'
t_stop

# A plan: the C key.
t_start 100 30 $(t_env) LANG=C.UTF-8 "$SYNCLAB" sim plan-free-cpu
t_wait 'Plan +F1 Free · 1 instance · CPU 0\.0/3 min per 5 min'
t_wait 'C scale'
t_keys C
t_wait 'Scale the plan'
t_text 3
t_keys Enter
t_wait 'Do "scale \{"instances":3\}" now'
t_keys y
t_wait 'cannot scale out'
t_wait 'step 1/1'
t_keys Escape
t_wait 'Plan +F1'
t_keys C
t_wait 'Scale the plan'
t_text S1
t_keys Enter
t_wait 'Plan +S1 Standard · 1 instance'
t_wait 'step 2/2'
t_stop
