#!/bin/sh
# serve-db.sh: `synclab serve --scenario FILE --db FILE` seeds the
# scenario's rows once and keeps every change across a restart (stopped by
# SIGINT, then SIGTERM); an invalid scenario is refused with FILE:LINE:COL
# and exit 1.
set -u
fail() { echo "serve-db.sh: $*" >&2; exit 1; }
T=$TMPDIR
pid=
trap '[ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null' EXIT
. "$SRCDIR/tests/lib/serve.sh"
Z="ZUMO-API-VERSION: 2.0.0"
J="Content-Type: application/json"

cat >"$T/scn.json" <<'EOF'
{
  "id": "serve-db-test",
  "title": "Two seed rows",
  "summary": "A backend with one table and two rows.",
  "objectives": [ { "text": "Serve it.", "domain": "architecture-services" } ],
  "tables": [ { "name": "workorder",
                "columns": { "title": "string", "qty": "number", "done": "bool" },
                "softDelete": true } ],
  "devices": [ { "name": "Tablet-A" } ],
  "rows": { "workorder": [ { "id": "w1", "title": "Pump", "qty": 2, "done": false },
                           { "id": "w2", "title": "Valve", "qty": 1, "done": true } ] },
  "steps": []
}
EOF

# start: runs serve in the background and sets $pid and $base.
start() {
	: >"$T/out"
	"$SYNCLAB" serve --port 0 --scenario "$T/scn.json" --db "$T/data.db" \
	    >"$T/out" 2>"$T/err" &
	pid=$!
	serve_port "$T/out" "$T/err" "$pid"
	base="http://127.0.0.1:$port/tables/workorder"
}
# stop SIGNAL: a clean stop is exit 0 and a "stopped (SIGNAL)" line.
stop() {
	kill -s "$1" "$pid"
	wait "$pid"
	rc=$?
	pid=
	[ $rc -eq 0 ] || fail "exit status $rc after $1"
	grep -q "^stopped (SIG$1)" "$T/out" || fail "no stop line after $1"
}
get() { curl -s -H "$Z" "$@"; }

start
get "$base?\$orderby=id" | grep -q '"id":"w1".*"id":"w2"' || fail "seed rows missing"
code=$(curl -s -o /dev/null -w '%{http_code}' -X PATCH -H "$Z" -H "$J" -H 'If-Match: "MQ=="' \
    -d '{"qty":5}' "$base/w1")
[ "$code" = 200 ] || fail "update: $code"
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "$Z" -H "$J" \
    -d '{"id":"w3","title":"Filter","qty":3,"done":false}' "$base")
[ "$code" = 201 ] || fail "insert: $code"
code=$(curl -s -o /dev/null -w '%{http_code}' -X DELETE -H "$Z" "$base/w2")
[ "$code" = 200 ] || fail "delete: $code"
stop INT
[ -s "$T/data.db" ] || fail "no database file"

# Restart on the same file: the changes are there and the seed rows were
# not written again over them.
start
get "$base/w1" | grep -q '"qty":5,.*"version":"Mg=="' || fail "update lost: $(get "$base/w1")"
get "$base/w3" | grep -q '"title":"Filter"' || fail "insert lost"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "$Z" "$base/w2")
[ "$code" = 404 ] || fail "soft-deleted row came back: $code"
get "$base?__includeDeleted=true&\$filter=deleted%20eq%20true" | grep -q '"id":"w2"' ||
    fail "soft-deleted row lost"
stop TERM

# Invalid scenario: FILE:LINE:COL on stderr, exit 1, nothing served.
printf '{\n  "id": "x",\n  "tables": 3\n}\n' >"$T/bad.json"
"$SYNCLAB" serve --port 0 --scenario "$T/bad.json" >"$T/out" 2>"$T/err"
[ $? -eq 1 ] || fail "invalid scenario: want exit 1"
grep -q "bad.json:[0-9]*:[0-9]*:" "$T/err" || fail "no FILE:LINE:COL: $(cat "$T/err")"
grep -q listening "$T/out" && fail "served an invalid scenario"
exit 0
