#!/bin/sh
# serve_auth.sh: `synclab serve --auth` over real HTTP: 401 without a
# token, both sign-in flows through the simulated provider, per-user rows,
# /.auth/me, refresh, logout, a tampered token; and no non-loopback
# address without authentication.
set -u
fail() { echo "serve_auth.sh: $*" >&2; [ -f "$T/out" ] && tail -5 "$T/out" >&2; exit 1; }
T=$TMPDIR
pid=
trap '[ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null' EXIT
. "$SRCDIR/tests/lib/serve.sh"

"$SYNCLAB" serve --host 0.0.0.0 --table t:a=string >/dev/null 2>"$T/err"
[ $? -eq 2 ] || fail "0.0.0.0 without --auth: want exit 2"
grep -q 'refusing to serve 0.0.0.0 without authentication' "$T/err" ||
    fail "no refusal message"
"$SYNCLAB" serve --per-user o --table t:a=string >/dev/null 2>&1
[ $? -eq 2 ] || fail "--per-user without --auth: want exit 2"

"$SYNCLAB" serve --port 0 --seed 5 --auth --per-user owner \
    --table todo:text=string,owner=string >"$T/out" 2>"$T/err" &
pid=$!
serve_port "$T/out" "$T/err" "$pid"
grep -q '^authentication on: providers aad .*per user: owner' "$T/out" ||
    fail "no authentication line"
B="http://127.0.0.1:$port"
Z="ZUMO-API-VERSION: 2.0.0"
J="Content-Type: application/json"
req() {
	want=$1; shift
	got=$(curl -s -o "$T/body" -D "$T/hdr" -w '%{http_code}' "$@") ||
	    fail "$*: curl failed"
	[ "$got" = "$want" ] || fail "$*: status $got, want $want: $(head -c 300 "$T/body")"
}
token() { sed -n 's/.*"authenticationToken":"\([^"]*\)".*/\1/p' "$T/body"; }
location() { sed -n 's/^[Ll]ocation: *//p' "$T/hdr" | tr -d '\r'; }

req 401 -H "$Z" "$B/tables/todo"
grep -q 'You must be logged in' "$T/body" || fail "401 message"
# Client-directed, for ana.
req 200 "$B/.idp/google/token?user=ana"
cp "$T/body" "$T/gtok"
req 200 -H "$J" --data-binary @"$T/gtok" "$B/.auth/login/google"
A=$(token); [ -n "$A" ] || fail "no token for ana"
req 201 -H "$Z" -H "$J" -H "X-ZUMO-AUTH: $A" -d '{"id":"a1","text":"milk"}' "$B/tables/todo"
grep -q '"owner":"sid:' "$T/body" || fail "owner not filled"
# Server-directed, for ben.
req 302 "$B/.auth/login/aad"
loc=$(location); case $loc in /.idp/aad/authorize\?*) ;; *) fail "login location $loc";; esac
req 302 "$B$loc&user=ben"
loc=$(location); case $loc in /.auth/login/aad/callback\?*) ;; *) fail "idp location $loc";; esac
req 302 "$B$loc"
loc=$(location); case $loc in /.auth/login/done\#token=*) ;; *) fail "callback location $loc";; esac
Bt=$(printf '%s' "$loc" | sed 's/.*authenticationToken%22%3A%22\([^%]*\)%22.*/\1/')
[ -n "$Bt" ] || fail "no token for ben"
# Per-user rows: ben sees nothing of ana's, and her row reads 404.
req 200 -H "$Z" -H "X-ZUMO-AUTH: $Bt" "$B/tables/todo"
[ "$(cat "$T/body")" = "[]" ] || fail "ben sees $(cat "$T/body")"
req 404 -H "$Z" -H "X-ZUMO-AUTH: $Bt" "$B/tables/todo/a1"
req 404 -H "$Z" -H "$J" -H "X-ZUMO-AUTH: $Bt" -X PATCH -d '{"text":"x"}' "$B/tables/todo/a1"
req 200 -H "$Z" -H "X-ZUMO-AUTH: $A" "$B/tables/todo/a1"
# The token store, refresh, a tampered token, logout.
req 200 -H "X-ZUMO-AUTH: $A" "$B/.auth/me"
grep -q '"user_id":"ana"' "$T/body" || fail "/.auth/me: $(cat "$T/body")"
req 200 -H "X-ZUMO-AUTH: $A" "$B/.auth/refresh"
bad=$(printf '%s' "$A" | sed 's/\.\(.\)/.A\1/')
req 401 -H "$Z" -H "X-ZUMO-AUTH: $bad" "$B/tables/todo"
req 302 -H "X-ZUMO-AUTH: $A" "$B/.auth/logout"
req 403 -H "X-ZUMO-AUTH: $A" "$B/.auth/refresh"
kill -TERM "$pid"; wait "$pid"; pid=
exit 0
