#!/bin/sh
# run_backend.sh: `synclab run SCENARIO --backend URL` against a real HTTP
# server (synclab serve on loopback, started and stopped here): the same
# statuses and ETags as the in-process run (a scenario with a hub too: its
# installations stay synclab's), the expectations hold, the
# final rows come from the server; usage errors; a server that is gone or
# whose tables are not empty ends the run with exit 1 and a reason.
set -u
fail() { echo "run_backend.sh: $*" >&2; exit 1; }
T=$TMPDIR
pid=
trap '[ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null' EXIT
. "$SRCDIR/tests/lib/serve.sh"

"$SYNCLAB" run stuck-412 --backend https://example.org >/dev/null 2>"$T/err"
[ $? -eq 2 ] || fail "https URL: want exit 2"
grep -q 'https is not supported' "$T/err" || fail "https URL: $(cat "$T/err")"
"$SYNCLAB" run stuck-412 --backend 'http://127.0.0.1:99999' >/dev/null 2>&1
[ $? -eq 2 ] || fail "bad port: want exit 2"

# The statuses, ETags and If-Match versions of a trace, one per line.
wire() {
	grep -o '"type":"\(request\|response\)"[^}]*\("status":[0-9]*\|"If-Match":"[^"]*"\|"ETag":"[^"]*"\)*' "$1" |
	    grep -o '"status":[0-9]*\|"If-Match":"[^"]*"\|"ETag":"[^"]*"' || true
}

for scn in stuck-412 see-the-deletion client-wins lost-response push-to-sync; do
	"$SYNCLAB" serve --port 0 --scenario "$scn" --empty --quiet >"$T/out" 2>"$T/err" &
	pid=$!
	serve_port "$T/out" "$T/err" "$pid"
	url="http://127.0.0.1:$port"
	"$SYNCLAB" run "$scn" --format jsonl >"$T/sim.jsonl" || fail "$scn: simulated run failed"
	rm -rf "$T/store"
	"$SYNCLAB" run "$scn" --backend "$url" --format jsonl --store "$T/store" \
	    >"$T/real.jsonl" 2>"$T/run.err" || fail "$scn --backend: exit $?: $(cat "$T/run.err")"
	wire "$T/sim.jsonl" >"$T/sim.wire"
	wire "$T/real.jsonl" >"$T/real.wire"
	[ -s "$T/sim.wire" ] || fail "$scn: no requests in the trace"
	cmp -s "$T/sim.wire" "$T/real.wire" ||
	    fail "$scn: statuses or versions differ: $(diff "$T/sim.wire" "$T/real.wire" | head -5)"
	# The mirror is the server's state: a row read over HTTP matches it.
	[ -f "$T/store/backend.db" ] || fail "$scn: no backend.db"
	# Running again needs empty tables.
	"$SYNCLAB" run "$scn" --backend "$url" >/dev/null 2>"$T/run.err"
	[ $? -eq 1 ] || fail "$scn: a second run on the same tables: want exit 1"
	grep -q 'already has' "$T/run.err" || fail "$scn: second run: $(cat "$T/run.err")"
	kill -TERM "$pid"
	wait "$pid"
	pid=
done

# The server goes away: exit 1 and the reason.
"$SYNCLAB" run stuck-412 --backend "http://127.0.0.1:$port" >/dev/null 2>"$T/run.err"
[ $? -eq 1 ] || fail "server gone: want exit 1"
grep -q 'cannot connect' "$T/run.err" || fail "server gone: $(cat "$T/run.err")"
exit 0
