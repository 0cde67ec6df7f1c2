#!/bin/sh
# serve_push.sh: `synclab serve` answers the Mobile Apps push routes with
# curl: PUT /push/installations/{id} (204; the hub refuses a bad platform
# with 400; the API version is checked first), DELETE (204), and the
# device quota of a Free hub is not the backend's to hide.
set -u
fail() { echo "serve_push.sh: $*" >&2; [ -f "$T/out" ] && tail -5 "$T/out" >&2; exit 1; }
T=$TMPDIR
pid=
trap '[ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null' EXIT
. "$SRCDIR/tests/lib/serve.sh"

"$SYNCLAB" serve --table t:a=string --hub gold >/dev/null 2>&1
[ $? -eq 2 ] || fail "--hub gold: want exit 2"

"$SYNCLAB" serve --port 0 --table todoitem:text=string --hub basic \
    >"$T/out" 2>"$T/err" &
pid=$!
serve_port "$T/out" "$T/err" "$pid"
grep -q 'push: /push/installations, Basic hub' "$T/out" ||
    fail "the first line does not name the hub: $(head -1 "$T/out")"
base="http://127.0.0.1:$port/push/installations"
Z="ZUMO-API-VERSION: 2.0.0"
J="Content-Type: application/json"
req() {
	want=$1; m=$2; url=$3; shift 3
	got=$(curl -s -o "$T/body" -w '%{http_code}' -X "$m" "$@" "$url") ||
	    fail "$m $url: curl failed"
	[ "$got" = "$want" ] || fail "$m $url: status $got, want $want: $(head -c 300 "$T/body")"
}

req 204 PUT "$base/0b1c2d3e-4f50-4a1b-8c2d-3e4f5a6b7c8d" -H "$Z" -H "$J" \
    -d '{"pushChannel":"a1b2c3","platform":"apns","tags":["vip"]}'
req 204 PUT "$base/0b1c2d3e-4f50-4a1b-8c2d-3e4f5a6b7c8d" -H "$Z" -H "$J" \
    -d '{"pushChannel":"a1b2c3","platform":"apns","templates":{"t":{"body":"{\"aps\":{\"alert\":\"$(msg)\"}}"}}}'
req 400 PUT "$base/x1" -H "$Z" -H "$J" -d '{"pushChannel":"c","platform":"gcm"}'
grep -q 'legacy API' "$T/body" || fail "gcm: the reason is missing: $(cat "$T/body")"
req 400 PUT "$base/x1" -H "$Z" -H "$J" -d '{"pushChannel":"c","platform":"wns","templates":{"t":{"body":"<toast>$(a</toast>"}}}'
req 400 PUT "$base/x1" -H "$J" -d '{"pushChannel":"c","platform":"wns"}'
req 404 GET "$base/0b1c2d3e-4f50-4a1b-8c2d-3e4f5a6b7c8d" -H "$Z"
req 204 DELETE "$base/0b1c2d3e-4f50-4a1b-8c2d-3e4f5a6b7c8d" -H "$Z"
req 204 DELETE "$base/never-there" -H "$Z"
# The table routes still answer as before.
req 201 POST "http://127.0.0.1:$port/tables/todoitem" -H "$Z" -H "$J" -d '{"id":"a","text":"x"}'
grep -q ' PUT /push/installations/0b1c2d3e-4f50-4a1b-8c2d-3e4f5a6b7c8d .*204' "$T/out" ||
    fail "the log has no PUT line: $(cat "$T/out")"
kill -TERM "$pid"
wait "$pid"; rc=$?
pid=
[ "$rc" -eq 0 ] || fail "exit status $rc after SIGTERM"
