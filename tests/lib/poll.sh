# tests/lib/poll.sh: wait for something by polling it until a deadline;
# nothing in the tests sleeps a fixed time for something to happen.
#
# Sourced by tests/lib/tmux.sh, tests/lib/serve.sh, the tests/sh scripts
# that wait for a process, and the tools/ scripts that start servers.
#
#   poll SECONDS CMD [ARG...]
#       runs CMD (a command or a shell function, in this shell) every
#       $POLL_EVERY seconds until it returns 0; returns 0 then.  Returns 1
#       when SECONDS have passed first.  A CMD that returns 2 or more says
#       that what it waits for can no longer happen: poll returns that
#       status at once (mind grep, which returns 2 for a file that is not
#       there yet: poll a function that returns 0 or 1).  SECONDS and
#       POLL_EVERY may have fractions (0.5, 2.25); the clock is read in
#       milliseconds.
#   poll_now_ms
#       prints the time in milliseconds since the epoch.
#
#   POLL_EVERY   the interval in seconds (default 0.05)

POLL_EVERY=${POLL_EVERY:-0.05}

poll_now_ms() {
	_pn=$(date +%s%3N)
	case $_pn in
	*N)	echo "$(( $(date +%s) * 1000 ))" ;;	# no %N: whole seconds
	*)	echo "$_pn" ;;
	esac
}

poll() {
	_pl_end=$(( $(poll_now_ms) + $(awk -v s="$1" 'BEGIN { printf "%d", s * 1000 }') ))
	shift
	while :; do
		"$@"
		_pl_rc=$?
		[ "$_pl_rc" -eq 1 ] || return "$_pl_rc"
		[ "$(poll_now_ms)" -lt "$_pl_end" ] || return 1
		sleep "$POLL_EVERY"
	done
}
