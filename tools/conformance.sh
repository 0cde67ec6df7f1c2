#!/bin/sh
# tools/conformance.sh BUILD [--verbose]: `make conformance`.
#
# Installs the reference server (azure-mobile-apps 4.0.2 for Node with its
# sqlite provider) and the real JavaScript client SDK (azure-mobile-apps-
# client 2.0.1) into tools/conformance/node_modules when they are missing,
# then compares synclab with the reference in three ways, each server
# started fresh on loopback and stopped again:
#   1. requests: both servers get the request sequence of
#      tools/conformance/sequence.js (tables.json) and the answers are
#      compared (compare.js);
#   2. the real JS client: one offline scenario of two devices
#      (jsclient.js) against each server, compared step by step;
#   3. every shipped scenario: `synclab run` on the simulated backend and
#      `synclab run --backend` on the reference, compared step by step
#      (scenarios.js).  App Service's own parts (App Service
#      Authentication, the plan, the hub) stay synclab's in both runs and
#      the app behind them is the reference in the second (reference.js
#      configures its authenticated and per-user tables from the
#      scenario's "auth").
# Fails on any difference that docs/server-compat.md does not list.
set -u
build=${1:-build}
verbose=${2:-}
src=$(cd "$(dirname "$0")/.." && pwd)
dir=$src/tools/conformance
bin=$(cd "$build" 2>/dev/null && pwd)/synclab
tables=$dir/tables.json

if [ ! -x "$bin" ]; then
	echo "conformance: $build/synclab is missing (run make first)" >&2
	exit 1
fi
for tool in node npm; do
	if ! command -v $tool >/dev/null 2>&1; then
		echo "conformance: $tool is needed (Debian: apt-get install nodejs npm)" >&2
		exit 1
	fi
done
if [ ! -d "$dir/node_modules/azure-mobile-apps" ] ||
   [ ! -d "$dir/node_modules/azure-mobile-apps-client" ] ||
   [ ! -d "$dir/node_modules/xmlhttprequest" ] ||
   [ ! -f "$dir/node_modules/sqlite3/build/Release/node_sqlite3.node" ]; then
	echo "conformance: installing the reference server and the JS client into tools/conformance/node_modules"
	echo "conformance: (sqlite3 compiles from source: about 70 s)"
	# sqlite3 builds against the headers of the installed node; Debian's
	# nodejs keeps them under /usr/include/node.
	if [ -f /usr/include/node/node.h ]; then
		npm_config_nodedir=/usr
		export npm_config_nodedir
	fi
	(cd "$dir" && npm install --no-package-lock --no-audit --no-fund) || {
		echo "conformance: npm install failed" >&2
		exit 1
	}
fi

. "$src/tests/lib/serve.sh"
serve_work
trap 'exit 1' INT TERM
compat=$src/docs/server-compat.md
rc=0

# start_pair TABLES: synclab serve (--empty) and the reference with the
# tables of the scenario file TABLES; sets $sport and $rport.
start_pair() {
	"$bin" serve --port 0 --scenario "$1" --empty --quiet >"$work/synclab.out" 2>&1 &
	spid=$!
	start_ref "$1" || return 1
	sport=$(wait_port "$work/synclab.out" "$SERVE_PORT_SED" "$spid") || {
		echo "conformance: synclab serve did not start:" >&2
		cat "$work/synclab.out" >&2
		return 1
	}
}

# start_ref TABLES: the reference alone; sets $rport.
start_ref() {
	node "$dir/reference.js" 0 "$1" >"$work/reference.out" 2>&1 &
	rpid=$!
	rport=$(wait_port "$work/reference.out" "$REF_PORT_SED" "$rpid") || {
		echo "conformance: the reference server did not start:" >&2
		cat "$work/reference.out" >&2
		return 1
	}
}

# stop_ref / stop_pair: SIGTERM and wait; synclab serve must exit 0.
stop_ref() {
	kill -TERM "$rpid" 2>/dev/null
	wait "$rpid" 2>/dev/null
	rpid=
}
stop_pair() {
	stop_ref
	kill -TERM "$spid"
	wait "$spid"
	serve_rc=$?
	spid=
	if [ "$serve_rc" -ne 0 ]; then
		echo "conformance: synclab serve exited with status $serve_rc on SIGTERM" >&2
		cat "$work/synclab.out" >&2
		rc=1
	fi
}

# 1. The request sequence.
start_pair "$tables" || exit 1
echo "conformance: synclab on 127.0.0.1:$sport, azure-mobile-apps $(node -p "require('$dir/node_modules/azure-mobile-apps/package.json').version") on 127.0.0.1:$rport"
node "$dir/compare.js" "http://127.0.0.1:$sport" "http://127.0.0.1:$rport" \
    "$compat" $verbose || rc=1
stop_pair

# 2. The real JavaScript client, on fresh servers.
start_pair "$tables" || exit 1
echo "conformance: azure-mobile-apps-client $(node -p "require('$dir/node_modules/azure-mobile-apps-client/package.json').version") against both servers"
node "$dir/jsclient.js" "http://127.0.0.1:$sport" "http://127.0.0.1:$rport" \
    "$compat" $verbose || rc=1
stop_pair

# 3. Every shipped scenario, simulated and on the reference.
nscn=0
nbad=0
for scn in "$src"/scenarios/*.json; do
	id=$(basename "$scn" .json)
	nscn=$((nscn + 1))
	rm -rf "$work/sim" "$work/real"
	"$bin" run "$scn" --format jsonl --store "$work/sim" >"$work/sim.jsonl" 2>"$work/sim.err"
	start_ref "$scn" || exit 1
	"$bin" run "$scn" --format jsonl --store "$work/real" \
	    --backend "http://127.0.0.1:$rport" >"$work/real.jsonl" 2>"$work/real.err"
	stop_ref
	if grep -q 'stopped answering\|cannot\|seed row' "$work/real.err"; then
		echo "DIFF    scenario-$id: the run on the reference failed:"
		sed 's/^/        /' "$work/real.err"
		nbad=$((nbad + 1))
		rc=1
	elif ! node "$dir/scenarios.js" "$id" "$work/sim.jsonl" "$work/sim" \
	    "$work/real.jsonl" "$work/real" "$compat" $verbose; then
		nbad=$((nbad + 1))
		rc=1
	fi
done
echo "scenarios: $nscn of $nscn compared both ways, $nbad with an unlisted difference"

[ "$rc" -eq 0 ] && echo "conformance: PASS" || echo "conformance: FAIL"
exit $rc
