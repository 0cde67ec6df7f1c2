#!/bin/sh
# tools/bench_serve.sh: requests per second of `synclab serve` under a mixed
# load from several loopback clients (wrk), and of the reference server
# (azure-mobile-apps 4.0.2, sqlite, in memory) under the same load in the
# same run when tools/conformance/node_modules is installed; the ratio is
# synclab / reference.  Run by `make bench` with $SYNCLAB set.
#
# The load, per 10 requests: 7 reads by id, 1 list ($filter, $orderby,
# $top=10), 2 updates (PATCH without If-Match, so every one succeeds) over
# 200 seeded rows of the todoitem table of tools/conformance/tables.json.
#
# synclab runs twice, with --quiet and with its request log on.
#
#   BENCH_SECONDS (default 5), BENCH_CONNS (default 16), BENCH_THREADS
#   (default 2) change the run.
set -u
src=$(cd "$(dirname "$0")/.." && pwd)
conf=$src/tools/conformance
tables=$conf/tables.json
secs=${BENCH_SECONDS:-5}
conns=${BENCH_CONNS:-16}
threads=${BENCH_THREADS:-2}
bin=${SYNCLAB:?SYNCLAB must name the synclab binary}

if ! command -v wrk >/dev/null 2>&1; then
	echo "bench_serve: wrk is not installed (Debian package wrk)" >&2
	exit 1
fi
. "$src/tests/lib/serve.sh"
serve_work

cat >"$work/mix.lua" <<'EOF'
-- 7 reads by id, 1 list, 2 updates in every 10 requests.
local hdr = { ["ZUMO-API-VERSION"] = "2.0.0" }
local hdrj = { ["ZUMO-API-VERSION"] = "2.0.0", ["Content-Type"] = "application/json" }
local n = 0
request = function()
	n = n + 1
	local id = string.format("b%03d", math.random(0, 199))
	local r = n % 10
	if r < 7 then
		return wrk.format("GET", "/tables/todoitem/" .. id, hdr)
	elseif r < 8 then
		return wrk.format("GET",
		    "/tables/todoitem?$filter=count%20ge%20100&$orderby=id&$top=10", hdr)
	end
	return wrk.format("PATCH", "/tables/todoitem/" .. id, hdrj,
	    '{"count":' .. (n % 200) .. ',"complete":' .. tostring(n % 2 == 0) .. '}')
end
EOF

# The 200 seed rows, as one curl run on one connection.
i=0
: >"$work/seed.cfg"
while [ $i -lt 200 ]; do
	[ $i -gt 0 ] && echo next >>"$work/seed.cfg"
	id=$(printf 'b%03d' $i)
	cat >>"$work/seed.cfg" <<EOF
request = "POST"
header = "ZUMO-API-VERSION: 2.0.0"
header = "Content-Type: application/json"
data = "{\"id\":\"$id\",\"text\":\"bench row $i\",\"complete\":false,\"count\":$i}"
output = "/dev/null"
write-out = "%{http_code}\\n"
EOF
	i=$((i + 1))
done

# load NAME PORT: seeds, runs wrk, prints a summary line; sets $rps.
load() {
	base="http://127.0.0.1:$2"
	sed "s|^request = \"POST\"|url = \"$base/tables/todoitem\"\nrequest = \"POST\"|" \
	    "$work/seed.cfg" >"$work/seed-$1.cfg"
	ok=$(curl -s -K "$work/seed-$1.cfg" | grep -c '^201$')
	if [ "$ok" -ne 200 ]; then
		echo "bench_serve: $1: only $ok of 200 seed rows were created" >&2
		return 1
	fi
	wrk -t"$threads" -c"$conns" -d"${secs}s" --latency -s "$work/mix.lua" \
	    "$base" >"$work/wrk-$1.out" 2>&1 || { cat "$work/wrk-$1.out" >&2; return 1; }
	rps=$(sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$work/wrk-$1.out")
	p50=$(sed -n 's/^ *50% *\([0-9.]*[a-z]*\).*/\1/p' "$work/wrk-$1.out")
	p99=$(sed -n 's/^ *99% *\([0-9.]*[a-z]*\).*/\1/p' "$work/wrk-$1.out")
	bad=$(sed -n 's/^ *Non-2xx or 3xx responses: *\([0-9]*\).*/\1/p' "$work/wrk-$1.out")
	errs=$(sed -n 's/^ *Socket errors: *\(.*\)$/\1/p' "$work/wrk-$1.out")
	echo "$1: ${rps} requests/s, latency p50 ${p50} p99 ${p99}, non-2xx ${bad:-0}${errs:+, socket errors $errs}"
}

echo "load: ${secs} s, $threads wrk threads, $conns keep-alive connections;" \
    "70% read by id, 10% list (\$filter, \$orderby, \$top=10), 20% PATCH"
"$bin" serve --port 0 --scenario "$tables" --quiet >"$work/synclab.out" 2>&1 &
spid=$!
sport=$(wait_port "$work/synclab.out" "$SERVE_PORT_SED") || {
	echo "bench_serve: synclab serve did not start" >&2; cat "$work/synclab.out" >&2; exit 1; }
load "synclab serve --quiet" "$sport" || exit 1
ours=$rps
kill -TERM "$spid"; wait "$spid"; spid=

# The same with the request log on (written to a file, flushed per line).
"$bin" serve --port 0 --scenario "$tables" >"$work/synclab-log.out" 2>&1 &
spid=$!
sport=$(wait_port "$work/synclab-log.out" "$SERVE_PORT_SED") || {
	echo "bench_serve: synclab serve did not start" >&2; exit 1; }
load "synclab serve (logging)" "$sport" || exit 1
kill -TERM "$spid"; wait "$spid"; spid=

if [ -d "$conf/node_modules/azure-mobile-apps" ] && command -v node >/dev/null 2>&1; then
	node "$conf/reference.js" 0 "$tables" >"$work/reference.out" 2>&1 &
	rpid=$!
	rport=$(wait_port "$work/reference.out" "$REF_PORT_SED") || {
		echo "bench_serve: the reference server did not start" >&2
		cat "$work/reference.out" >&2; exit 1; }
	load "azure-mobile-apps 4.0.2 (node $(node --version))" "$rport" || exit 1
	kill -TERM "$rpid"; wait "$rpid" 2>/dev/null; rpid=
	echo "ratio synclab (--quiet)/reference: $(awk -v a="$ours" -v b="$rps" 'BEGIN { printf "%.1f", a / b }')"
else
	echo "reference: not installed (make conformance installs it); no ratio"
fi
