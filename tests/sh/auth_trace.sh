#!/bin/sh
# auth_trace.sh: the overnight-expiry scenario replayed headless shows, in
# its JSONL trace, the push's 401, the refresh request and the successful
# retry, and the checker loses no write; every identity scenario replays
# with all its expectations met.
set -u
fail() { echo "auth_trace.sh: $*" >&2; exit 1; }
T=$TMPDIR
"$SYNCLAB" run "$SRCDIR/scenarios/auth-overnight-expiry.json" --format jsonl \
    >"$T/trace.jsonl" || fail "run failed"
# Step 7 (steps count from 1) is the push of the next morning: its requests and responses in
# order, as "METHOD PATH" and status lines.
grep '"step":7,' "$T/trace.jsonl" | grep -E '"type":"(request|response)"' |
    sed -n 's/.*"type":"request".*"method":"\([A-Z]*\)".*"path":"\([^"?]*\).*/\1 \2/p;
	    s/.*"type":"response","device":"[^"]*","status":\([0-9]*\).*/\1/p' >"$T/seq"
printf '%s\n' "PATCH /tables/workorder/w1" 401 "GET /.auth/refresh" 200 \
    "PATCH /tables/workorder/w1" 200 "PATCH /tables/workorder/w2" 200 >"$T/want"
cmp -s "$T/seq" "$T/want" || { diff "$T/want" "$T/seq" >&2; fail "step 7: wrong exchange"; }
# The 401 request carried the (expired) token; the retry a new one.
grep '"step":7,' "$T/trace.jsonl" | grep '"type":"request"' |
    grep -o '"X-ZUMO-AUTH":"[^"]*"' | sort -u | wc -l | grep -qx 2 ||
    fail "the retry should carry a new X-ZUMO-AUTH token"
grep '"type":"check"' "$T/trace.jsonl" | grep -q '0 unexplained lost writes' ||
    fail "the checker reports a lost write"
grep '"type":"expect"' "$T/trace.jsonl" | grep -q '"ok":false' &&
    fail "an expectation failed"
for f in "$SRCDIR"/scenarios/auth-*.json; do
	"$SYNCLAB" run "$f" >"$T/out" 2>&1 || { tail -5 "$T/out" >&2; fail "$f"; }
	grep -q '✗' "$T/out" && fail "$f: an expectation failed"
done
exit 0
