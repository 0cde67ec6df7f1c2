#!/bin/sh
# A device's client SDK in the scenario view: its pane title names it when
# it is not the legacy .NET client, and its push stops where that SDK
# stops (js-push-stops: the JavaScript phone's push() rejects at a 404).
. "$SRCDIR/tests/lib/tmux.sh"

t_start 100 30 $(t_env) LANG=C.UTF-8 "$SYNCLAB" sim js-push-stops
t_wait 'step 0/12'
t_wait '1 Phone-Net . online 20ms'
t_wait '2 Phone-JS js . online 20ms'
t_gone 'Phone-Net (js|datasync|net-legacy)'

# Step to the .NET phone's push: 404 recorded, the next update goes on.
for i in 1 2 3 4 5 6 7 8 9 10; do
	t_keys l
	t_wait "step $i/12"
done
t_wait 'Phone-Net +PATCH /tables/job/j2.*-> 200 OK'

# The JavaScript phone's push, predicted first: one PATCH, 404, and
# nothing after it.
t_keys l
t_wait 'Predict: what will happen\?'
t_text 'b'
t_keys Enter
t_wait 'What happened'
t_wait 'Your answer: b +\(right'
t_keys Enter
t_wait 'step 11/12'
t_wait 'Phone-JS +PATCH /tables/job/j1.*-> 404'
t_gone 'Phone-JS +PATCH /tables/job/j2'
t_wait 'rows 2 . queue 2 . errors 1'
t_keys q
t_wait '\[exit 0\]'
