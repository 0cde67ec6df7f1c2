# tests/lib/tmux.sh: drive the real binary inside a private tmux server.
#
# Source it from a tests/sh/tui_*.sh script.  Every test gets its own
# server (-L test<pid>, no config file), killed on exit.  Screens are read
# with capture-pane and polled until a deadline (tests/lib/poll.sh): no
# test waits a fixed time for something to happen.
#
#   t_start W H CMD...   run CMD in a W x H window on a fresh server (its
#                        exit status is printed as "[exit N]" when it ends)
#   t_stop               end that server
#   t_keys KEY...        tmux send-keys (names like Enter, Escape, Left)
#   t_text STRING        type literal text
#   t_wait PATTERN [S]   wait until the screen matches the grep -E PATTERN
#                        (S: the deadline in seconds, fractions allowed;
#                        default $T_DEADLINE, 10)
#   t_gone PATTERN [S]   wait until it no longer matches
#   t_until WHAT CMD...  wait until CMD succeeds on the screen (its stdin)
#   t_screen             print the screen
#   t_resize W H         resize the window
#   t_fail MESSAGE       print the message and the screen, exit 1

. "$SRCDIR/tests/lib/poll.sh"

T_BASE=${T_SOCK:-test$$}
T_SOCK=$T_BASE
T_N=0
T_DEADLINE=${T_DEADLINE:-10}
# The sockets live in the test's own folder, which the runner removes.
TMUX_TMPDIR=${TMPDIR:-/tmp}
export TMUX_TMPDIR
# grep's '.' must match one character of the UTF-8 screen, not one byte.
LC_ALL=C.UTF-8
export LC_ALL

t_tmux() {
	tmux -L "$T_SOCK" -f /dev/null "$@"
}

# Every server this test started, by socket name.
t_cleanup() {
	_i=0
	while [ "$_i" -le "$T_N" ]; do
		tmux -L "$T_BASE-$_i" -f /dev/null kill-server >/dev/null 2>&1
		_i=$((_i + 1))
	done
}
trap t_cleanup EXIT
trap 't_cleanup; exit 1' INT TERM

# Ends the current server; the next t_start gets a fresh one.
t_stop() {
	t_tmux kill-server >/dev/null 2>&1
}

t_start() {
	_w=$1
	_h=$2
	shift 2
	T_N=$((T_N + 1))
	T_SOCK="$T_BASE-$T_N"
	# The shell keeps the pane open after the program ends, so that its
	# exit status and last words can be read.
	t_tmux new-session -d -s t -x "$_w" -y "$_h" \
	    sh -c '"$@"; echo "[exit $?]"; exec cat' sh "$@" ||
	    { echo "tmux would not start"; exit 1; }
	t_tmux set-option -t t status off >/dev/null
}

t_keys() {
	t_tmux send-keys -t t "$@"
}

t_text() {
	t_tmux send-keys -t t -l "$1"
}

t_screen() {
	t_tmux capture-pane -p -t t
}

t_fail() {
	echo "FAIL: $1"
	echo "---- screen ----"
	t_screen
	echo "----------------"
	exit 1
}

# 0 when the screen matches the grep -E PATTERN (MATCH 1) or does not
# (MATCH 0), else 1: t_match MATCH PATTERN.
t_match() {
	t_screen | grep -Eq -- "$2"
	[ $(($? == 0)) -eq "$1" ]
}

# Polls until the screen matches (MATCH 1) or does not (MATCH 0), or
# fails at the deadline saying what it waited for:
# t_poll MATCH PATTERN SECONDS WHAT.
t_poll() {
	poll "${3:-$T_DEADLINE}" t_match "$1" "$2" ||
	    t_fail "timed out waiting for $4"
}

t_wait() {
	t_poll 1 "$1" "$2" "/$1/"
}

t_gone() {
	t_poll 0 "$1" "$2" "/$1/ to go away"
}

# Polls until the screen, piped into CMD, makes CMD succeed; fails at the
# deadline saying WHAT: t_until WHAT CMD [ARG...].
t_until() {
	_tu_what=$1
	shift
	poll "$T_DEADLINE" t_piped "$@" || t_fail "timed out waiting for $_tu_what"
}

t_piped() {
	t_screen | "$@" >/dev/null 2>&1 && return 0
	return 1
}

t_resize() {
	t_tmux resize-window -t t -x "$1" -y "$2"
}

# The environment every TUI test runs the binary in: a fresh home for
# progress files, a UTF-8 locale unless the test says otherwise.
t_env() {
	mkdir -p "$TMPDIR/home"
	echo "env SYNCLAB_HOME=$TMPDIR/home HOME=$TMPDIR/home TERM=tmux-256color LC_ALL=C.UTF-8"
}
