#!/bin/sh
# serve.sh: `synclab serve` over real HTTP with curl: the main statuses,
# hostile input kept away from SQL, 8 clients x 50 concurrent inserts with
# nothing lost, the request log, and a clean exit 0 on SIGTERM that lets a
# request in flight finish.
set -u
fail() { echo "serve.sh: $*" >&2; [ -f "$T/out" ] && tail -5 "$T/out" >&2; exit 1; }
T=$TMPDIR
pid=
trap '[ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null' EXIT
. "$SRCDIR/tests/lib/serve.sh"

# Usage errors exit 2 before anything is bound.
"$SYNCLAB" serve --port 70000 --table t:a=string >/dev/null 2>&1
[ $? -eq 2 ] || fail "--port 70000: want exit 2"
"$SYNCLAB" serve --table 't:a=varchar' >/dev/null 2>&1; [ $? -eq 2 ] || fail "bad type: want exit 2"
"$SYNCLAB" serve --table "t'x:a=string" >/dev/null 2>&1; [ $? -eq 2 ] || fail "bad name: want exit 2"

"$SYNCLAB" serve --port 0 --table todoitem:text=string,complete=bool,count=number \
    --soft-delete >"$T/out" 2>"$T/err" &
pid=$!
# Poll for the "listening on" line (the first line printed).
serve_port "$T/out" "$T/err" "$pid"
base="http://127.0.0.1:$port/tables/todoitem"
Z="ZUMO-API-VERSION: 2.0.0"
J="Content-Type: application/json"

# req WANT METHOD URL [curl args...]: checks the status; the body is in
# $T/body and the headers in $T/hdr.
req() {
	want=$1; m=$2; url=$3; shift 3
	got=$(curl -s -o "$T/body" -D "$T/hdr" -w '%{http_code}' -X "$m" "$@" "$url") ||
	    fail "$m $url: curl failed"
	[ "$got" = "$want" ] || fail "$m $url: status $got, want $want: $(head -c 300 "$T/body")"
}
etag() { sed -n 's/^[Ee][Tt]ag: *\([^[:space:]]*\).*/\1/p' "$T/hdr"; }

req 201 POST "$base" -H "$Z" -H "$J" -d '{"id":"a1","text":"milk","complete":false,"count":1}'
[ "$(etag)" = '"MQ=="' ] || fail "insert: ETag $(etag), want \"MQ==\""
grep -q '"version":"MQ=="' "$T/body" || fail "insert: no version in $(cat "$T/body")"
req 201 POST "$base" -H "$Z" -H "$J" -d '{"text":"generated id"}'
grep -Eq '"id":"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"' "$T/body" ||
    fail "insert without id: no uuid v4 in $(cat "$T/body")"
req 200 GET "$base/a1" -H "$Z"
grep -q '"text":"milk"' "$T/body" || fail "read: $(cat "$T/body")"
req 200 GET "$base/a1?ZUMO-API-VERSION=2.0.0"
req 404 GET "$base/nope" -H "$Z"
req 404 GET "http://127.0.0.1:$port/tables/nosuchtable" -H "$Z"
req 409 POST "$base" -H "$Z" -H "$J" -d '{"id":"a1","text":"again"}'
req 200 PATCH "$base/a1" -H "$Z" -H "$J" -H 'If-Match: "MQ=="' -d '{"text":"oat milk"}'
[ "$(etag)" = '"Mg=="' ] || fail "update: ETag $(etag), want \"Mg==\""
req 412 PATCH "$base/a1" -H "$Z" -H "$J" -H 'If-Match: "MQ=="' -d '{"text":"stale"}'
grep -q '"text":"oat milk"' "$T/body" || fail "412 body is not the server row: $(cat "$T/body")"
req 409 PATCH "$base/a1" -H "$Z" -H "$J" -d '{"text":"stale","version":"MQ=="}'
req 400 POST "$base" -H "$Z" -H "$J" -d '{"text": "unterminated'
grep -q '"error"' "$T/body" || fail "400 without a message: $(cat "$T/body")"
req 400 GET "$base"
req 405 PUT "$base" -H "$Z" -H "$J" -d '{"text":"put"}'
grep -qi '^Allow:' "$T/hdr" || fail "405 without Allow"
req 405 OPTIONS "$base" -H "$Z"
# 2 MiB: refused from its Content-Length before the body is read, then
# the same again as a chunked upload (no length known in advance).
head -c 2097152 /dev/zero | tr '\0' 'x' | sed 's/^/{"text":"/; s/$/"}/' >"$T/big.json"
req 413 POST "$base" -H "$Z" -H "$J" --data-binary @"$T/big.json"
req 413 POST "$base" -H "$Z" -H "$J" -H 'Transfer-Encoding: chunked' --data-binary @"$T/big.json"
# Just under the limit is fine.
head -c 1000000 /dev/zero | tr '\0' 'y' | sed 's/^/{"id":"big","text":"/; s/$/"}/' >"$T/ok.json"
req 201 POST "$base" -H "$Z" -H "$J" --data-binary @"$T/ok.json"
req 200 DELETE "$base/big" -H "$Z"
grep -q '"deleted":true' "$T/body" || fail "soft delete: $(head -c 200 "$T/body")"

# Hostile input stays data: quotes in ids, filters and column names.
evil="x'); DROP TABLE todoitem; --"
req 201 POST "$base" -H "$Z" -H "$J" -d "{\"id\":\"$evil\",\"text\":\"\\\"; DELETE FROM todoitem; --\"}"
req 200 GET "$base/x%27%29%3B%20DROP%20TABLE%20todoitem%3B%20--" -H "$Z"
grep -q 'DROP TABLE' "$T/body" || fail "evil id did not round-trip: $(cat "$T/body")"
req 200 GET "$base?\$filter=text%20eq%20%27a%27%27%20or%201%3D1%20--%27" -H "$Z"
[ "$(cat "$T/body")" = "[]" ] || fail "quoted filter matched rows: $(cat "$T/body")"
req 400 GET "$base?\$filter=text%20eq%20%27a%27%3B%20DROP%20TABLE%20todoitem" -H "$Z"
req 400 GET "$base?\$orderby=id%3B%20DROP%20TABLE%20todoitem" -H "$Z"
req 400 GET "$base?\$select=id,%22text%22" -H "$Z"
req 400 POST "$base" -H "$Z" -H "$J" -d '{"id":"c1","te\"xt":"x"}'
req 404 GET "http://127.0.0.1:$port/tables/todoitem%22%3B%20DROP%20TABLE%20todoitem%3B--" -H "$Z"
req 404 GET "http://127.0.0.1:$port/tables/sqlite_master" -H "$Z"
req 200 GET "$base?\$inlinecount=allpages&\$top=1" -H "$Z"
grep -q '"count":3' "$T/body" || fail "rows after hostile input: $(cat "$T/body")"

# 8 clients x 50 inserts at once, each client one curl with 50 requests on
# a keep-alive connection; every insert must be answered 201 and counted.
c=0
while [ $c -lt 8 ]; do
	n=0
	: >"$T/client$c.cfg"
	while [ $n -lt 50 ]; do
		[ $n -gt 0 ] && echo next >>"$T/client$c.cfg"
		cat >>"$T/client$c.cfg" <<EOF
url = "$base"
request = "POST"
header = "$Z"
header = "$J"
data = "{\"id\":\"c$c-$n\",\"text\":\"client $c\",\"count\":$n}"
output = "/dev/null"
write-out = "%{http_code}\\n"
EOF
		n=$((n + 1))
	done
	curl -s -K "$T/client$c.cfg" >"$T/client$c.codes" &
	eval "cpid$c=\$!"
	c=$((c + 1))
done
c=0
while [ $c -lt 8 ]; do
	eval "wait \$cpid$c" || fail "client $c: curl failed"
	c=$((c + 1))
done
created=$(cat "$T"/client*.codes | grep -c '^201$')
[ "$created" -eq 400 ] || fail "concurrent inserts: $created of 400 answered 201: $(sort "$T"/client*.codes | uniq -c)"
req 200 GET "$base?\$inlinecount=allpages&\$top=1&\$filter=startswith(text,%27client%20%27)" -H "$Z"
grep -q '"count":400' "$T/body" || fail "after concurrent inserts: $(cat "$T/body")"
c=0
while [ $c -lt 8 ]; do
	req 200 GET "$base?\$inlinecount=allpages&\$top=0&\$filter=text%20eq%20%27client%20$c%27" -H "$Z"
	grep -q '"count":50' "$T/body" || fail "client $c rows: $(cat "$T/body")"
	c=$((c + 1))
done

# One flushed log line per request: method, target, if-match, status.
grep -q ' PATCH /tables/todoitem/a1 if-match="MQ==" 412 ' "$T/out" || fail "no 412 log line"
grep -q ' POST /tables/todoitem if-match=- 413 ' "$T/out" || fail "no 413 log line"
[ "$(grep -c ' POST /tables/todoitem if-match=- 201 ' "$T/out")" -ge 400 ] || fail "log lines missing"

# SIGTERM while a slow upload is in flight: the request still completes.
# The server has taken the request once curl sees "100 Continue" (sent
# when the headers are accepted), so that line in curl's trace is the
# signal to stop; the body then trickles in for about two seconds.
head -c 300000 /dev/zero | tr '\0' 's' | sed 's/^/{"id":"slow","text":"/; s/$/"}/' >"$T/slow.json"
curl -s -o "$T/slow.body" -w '%{http_code}' --limit-rate 150k --trace-ascii "$T/trace" \
    -H "$Z" -H "$J" -H 'Expect: 100-continue' --data-binary @"$T/slow.json" \
    "$base" >"$T/slow.code" &
cpid=$!
continued() {
	grep -q 'HTTP/1.1 100 Continue' "$T/trace" 2>/dev/null && return 0
	return 1
}
poll 20 continued || fail "the slow upload never started"
kill -TERM "$pid"
wait "$cpid"
[ "$(cat "$T/slow.code")" = 201 ] || fail "in-flight request: $(cat "$T/slow.code") $(head -c 200 "$T/slow.body")"
wait "$pid"
rc=$?
pid=
[ $rc -eq 0 ] || fail "exit status $rc after SIGTERM, want 0"
grep -q '^stopped (SIGTERM)' "$T/out" || fail "no stop line"
[ -s "$T/err" ] && fail "unexpected stderr: $(head -5 "$T/err")"

# No --table and no --scenario: the sandbox's todoitem, as the README's
# `synclab serve --port 8080` example expects.
"$SYNCLAB" serve --port 0 --quiet >"$T/out" 2>"$T/err" &
pid=$!
serve_port "$T/out" "$T/err" "$pid"
grep -q 'tables: todoitem (soft delete)' "$T/out" || fail "default tables: $(head -1 "$T/out")"
base="http://127.0.0.1:$port/tables/todoitem"
req 201 POST "$base" -H "$Z" -H "$J" -d '{"id":"d1","text":"default","complete":true}'
req 200 GET "$base/d1" -H "$Z"
grep -q '"complete":true' "$T/body" || fail "default table read: $(cat "$T/body")"
kill -TERM "$pid"
wait "$pid"
rc=$?
pid=
[ $rc -eq 0 ] || fail "default tables: exit status $rc after SIGTERM, want 0"
exit 0
