#!/bin/sh
# The Home screen: the menu, the Learn list in teaching order with
# completion marks, "coming soon" screens, search, opening a scenario.
. "$SRCDIR/tests/lib/tmux.sh"

# A private data folder: two scenarios, so the list and the marks are
# known exactly.
data="$TMPDIR/data"
mkdir -p "$data/scenarios"
cp "$SRCDIR/tests/data/scenarios/tui-tiny.json" "$SRCDIR/tests/data/scenarios/tui-manual.json" \
    "$data/scenarios/"
# The question bank sits next to the scenarios, as in the tree.
ln -s "$SRCDIR/data" "$data/data"

t_start 100 30 $(t_env) SYNCLAB_DATA="$data" "$SYNCLAB"
t_wait 'Learn how mobile offline sync really works'
for item in Learn Sandbox Quiz Exam Review Progress Help Quit; do
	t_wait "│. $item"
done
# Teaching order: tui-tiny has order 1, tui-manual none (last).
t_wait ' 1\. TUI test: two small steps'
t_wait ' 2\. TUI test: a manual conflict'
t_wait 'One device inserts a row and pushes it'

# Help is a screen of its own; the menu opens screens by name.
t_keys j j j j j j
t_wait 'How synclab works'
t_keys Enter
t_wait 'synclab simulates Azure Mobile Apps offline sync'
t_keys q
t_wait 'How synclab works'
t_keys k k k k k k
t_wait 'Scenarios \([0-9]+ done of 2\)'

# Search narrows the list.
t_keys /
t_wait 'Search scenarios'
t_text 'manual'
t_keys Enter
t_wait 'Scenarios matching "manual" \(1\)'
t_gone 'two small steps'
t_keys /
t_keys C-u Enter
t_wait 'Scenarios \([0-9]+ done of 2\)'

# Open the first scenario, run it to the end: it is marked completed.
t_keys Enter
t_keys Enter
t_wait 'TUI test: two small steps .*step 0/2'
t_keys l
t_wait 'step 1/2'
t_keys l
t_wait 'step 2/2'
t_wait 'Solo +POST /tables/todoitem +-> 201 Created'
t_wait 'marked as completed'
t_keys q
t_wait 'Scenarios \([0-9]+ done of 2\)'
t_wait '(✓|v) +1\. TUI test: two small steps +done'
grep -qx 'tui-tiny' "$TMPDIR/home/completed-scenarios" ||
    t_fail "the mark was not stored in \$SYNCLAB_HOME/completed-scenarios"

# The sandbox from the menu.
t_keys h
t_keys s
t_wait 'Sandbox|Device-A'
t_wait '1 Device-A'
t_wait '3 Device-C'
t_keys q
t_wait 'An empty todoitem table and three devices'
# The quiz screens open from the menu too.
t_keys j
t_wait 'Practice AZ-900 questions'
t_keys Enter
t_wait 'Question 1 of'
t_stop
