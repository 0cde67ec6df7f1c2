# tests/lib/serve.sh: for scripts that run `synclab serve` (and a reference
# server) in the background: wait for each to say its port, stop them at exit.
#
# Sourced by the tests/sh scripts that run `synclab serve` and by the
# serve benchmark and conformance scripts of tools/.  Nothing here sleeps
# for something to happen: the file is polled until a deadline
# (tests/lib/poll.sh, sourced here from $SRCDIR in tests, $src in tools/).
#
#   wait_port FILE SED [PID]   print the first line the sed script SED
#                              prints from FILE, polling for $SERVE_WAIT
#                              seconds; returns 1 at the deadline, 2 as
#                              soon as PID (when given) is gone without a
#                              port in FILE
#   SERVE_WAIT                 that deadline, 120 s unless set: both
#                              servers print their port only once the
#                              socket listens (and the reference once its
#                              tables exist), so the line is the readiness
#                              signal; on a loaded machine a Node server
#                              can take well over 30 s to get there, and
#                              a dead server is noticed at once anyway
#   SERVE_PORT_SED             the sed script for synclab serve's
#                              "listening on http://127.0.0.1:PORT" line
#   REF_PORT_SED               the same for the reference server's
#                              "listening on PORT" (tools/conformance)
#   serve_work                 for a script that runs two servers: a
#                              fresh folder $work, empty $spid and $rpid
#                              for their process ids, and serve_cleanup as
#                              the EXIT trap
#   serve_cleanup              stops the servers $spid and $rpid (either
#                              may be empty) and removes $work
#   serve_port OUT ERR PID     set $port from the output OUT of a synclab
#                              serve run as PID, or call the script's
#                              fail (with the text of ERR when it exited)

. "${SRCDIR:-$src}/tests/lib/poll.sh"

SERVE_WAIT=${SERVE_WAIT:-120}
SERVE_PORT_SED='s/^listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p'
REF_PORT_SED='s/^listening on \([0-9]*\)$/\1/p'

# 0 with the port in $_wp_p once the sed script $2 prints it from file
# $1; 2 when the process $3 (if given) is gone without it; else 1.
wait_port_check() {
	_wp_p=$(sed -n "$2" "$1" 2>/dev/null | head -1)
	[ -n "$_wp_p" ] && return 0
	if [ -n "${3:-}" ] && ! kill -0 "$3" 2>/dev/null; then
		return 2
	fi
	return 1
}

wait_port() {
	poll "$SERVE_WAIT" wait_port_check "$@" || return
	echo "$_wp_p"
}

serve_port() {
	port=$(wait_port "$1" "$SERVE_PORT_SED" "$3")
	case $? in
	0)	;;
	2)	fail "serve exited early: $(cat "$2")" ;;
	*)	fail "serve did not print its port within $SERVE_WAIT s" ;;
	esac
}

serve_work() {
	work=$(mktemp -d)
	spid=
	rpid=
	trap serve_cleanup EXIT
}

serve_cleanup() {
	[ -n "${spid:-}" ] && kill -TERM "$spid" 2>/dev/null
	[ -n "${rpid:-}" ] && kill -TERM "$rpid" 2>/dev/null
	rm -rf "$work"
}
