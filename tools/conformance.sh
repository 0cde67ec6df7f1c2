#!/bin/sh
# tools/conformance.sh BUILD [--verbose]: `make conformance`.
#
# Installs the reference server (azure-mobile-apps 4.0.2 for Node with its
# sqlite provider) into tools/conformance/node_modules when it is missing,
# starts it and `BUILD/synclab serve` on loopback with the same tables
# (tools/conformance/tables.json), sends both the request sequence of
# tools/conformance/sequence.js and compares the answers.  Fails on any
# difference that docs/server-compat.md does not list.
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
   [ ! -f "$dir/node_modules/sqlite3/build/Release/node_sqlite3.node" ]; then
	echo "conformance: installing the reference server into tools/conformance/node_modules"
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

"$bin" serve --port 0 --scenario "$tables" --quiet >"$work/synclab.out" 2>&1 &
spid=$!
node "$dir/reference.js" 0 "$tables" >"$work/reference.out" 2>&1 &
rpid=$!
sport=$(wait_port "$work/synclab.out" "$SERVE_PORT_SED") || {
	echo "conformance: synclab serve did not start:" >&2
	cat "$work/synclab.out" >&2
	exit 1
}
rport=$(wait_port "$work/reference.out" "$REF_PORT_SED") || {
	echo "conformance: the reference server did not start:" >&2
	cat "$work/reference.out" >&2
	exit 1
}
echo "conformance: synclab on 127.0.0.1:$sport, azure-mobile-apps $(node -p "require('$dir/node_modules/azure-mobile-apps/package.json').version") on 127.0.0.1:$rport"

node "$dir/compare.js" "http://127.0.0.1:$sport" "http://127.0.0.1:$rport" \
    "$src/docs/server-compat.md" $verbose
rc=$?

# Both servers must stop cleanly too.
kill -TERM "$spid"
wait "$spid"
serve_rc=$?
spid=
kill -TERM "$rpid"
wait "$rpid" 2>/dev/null
rpid=
if [ "$serve_rc" -ne 0 ]; then
	echo "conformance: synclab serve exited with status $serve_rc on SIGTERM" >&2
	cat "$work/synclab.out" >&2
	rc=1
fi
[ "$rc" -eq 0 ] && echo "conformance: PASS" || echo "conformance: FAIL"
exit $rc
