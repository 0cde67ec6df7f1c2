#!/bin/sh
# NO_COLOR and --no-color draw without colour (meaning stays in the text
# and in bold/reverse); LANG=C and --ascii draw with ASCII only.
. "$SRCDIR/tests/lib/tmux.sh"
scn="$SRCDIR/tests/data/scenarios/tui-manual.json"

colour_sgr() {
	# Any SGR that sets a foreground or background colour.
	t_tmux capture-pane -e -p -t t | grep -Eq '\[([0-9;]*;)?(3[0-7]|4[0-7]|38;|48;|9[0-7])[;m]'
}

# With colour: the control case, so the check below means something.
t_start 100 30 $(t_env) LANG=C.UTF-8 "$SYNCLAB" sim "$scn"
t_wait 'step 0/6'
t_keys l
t_wait 'step 1/6'
colour_sgr || t_fail "no colour in the default mode"
t_keys q
t_wait '\[exit 0\]'
t_stop

for how in "env NO_COLOR=1 $SYNCLAB sim" "$SYNCLAB sim --no-color"; do
	t_start 100 30 $(t_env) LANG=C.UTF-8 $how "$scn"
	t_wait 'step 0/6'
	t_keys l
	t_wait 'step 1/6'
	t_wait '\*n1 MQ== first draft 1'
	colour_sgr && t_fail "colour with: $how"
	# The focus and the changed cells still show: bold or reverse.
	t_tmux capture-pane -e -p -t t | grep -q '\[1m\|;1m\|\[7m\|;7m' ||
	    t_fail "no bold/reverse attributes with: $how"
	t_keys q
	t_wait '\[exit 0\]'
	t_stop
done

for how in "env LANG=C LC_ALL=C $SYNCLAB sim" "$SYNCLAB sim --ascii"; do
	t_start 100 30 $(t_env) $how "$scn"
	t_wait 'step 0/6'
	t_wait '^\+ Backend \(1 rows\) -+\+'
	t_wait '^\| +id '
	t_keys l
	t_wait '^> -- 1\. Alpha: pull'
	t_screen | grep -q '[─│┌┐└┘▶●]' && t_fail "UTF-8 glyphs with: $how"
	t_keys q
	t_wait '\[exit 0\]'
	t_stop
done
exit 0
