#!/bin/sh
# A step that takes long keeps the scenario view responsive: the 8:00
# storm with 60,000 fleet devices, whose first wait takes seconds of
# computing, runs in slices while the keys are answered.  The help
# overlay opens over the running step (and lists C, scaling the plan),
# the step is still running after it closes, another key says so, h stops
# the step and puts the run back before it, and q leaves during a step.
. "$SRCDIR/tests/lib/tmux.sh"
scn="${TMPDIR:-/tmp}/storm-60000.json"
sed 's/"devices": 10000,/"devices": 60000,/' "$SRCDIR/tools/storm-10000.json" >"$scn"
grep -q '"devices": 60000,' "$scn" || { echo "no fleet size to change"; exit 1; }

t_start 100 30 $(t_env) LANG=C.UTF-8 "$SYNCLAB" sim "$scn"
t_wait 'step 0/3'
t_keys l
t_wait 'Step 1/3 running: wait 600000 ms'
t_wait 'RUNNING'
t_wait "Running: the fleet's clock is at 08:0[0-9]:[0-9]{2} of 08:09:00"
t_wait 'Its 60,000 devices have finished'
# ? opens the help while the step runs; it lists every key, C included.
t_keys '?'
t_wait 'Keys: Scenario view'
t_wait 'while a step is running, stop it'
t_keys End
t_wait 'C +scale the plan'
t_keys Escape
t_gone 'Keys: Scenario view'
# Still the same step, still running: the key did not wait for it.
t_wait 'Step 1/3 running'
t_keys i
t_wait 'Step 1 is still running: h stops it'
t_keys h
t_wait 'Step 1 stopped: the run is back to before it'
t_gone 'RUNNING'
t_wait 'step 0/3'
t_wait 'Next: wait 600000 ms'
# q leaves in the middle of a step.
t_keys l
t_wait 'Step 1/3 running'
t_keys q
t_wait '\[exit 0\]'
t_stop
