#!/bin/sh
# check_kind.sh: synclab check tells a question file (a top-level
# "questions" member) from a scenario by a scan of the top level that
# builds nothing, and falls back to a real parse when the scan cannot tell;
# either way each file reaches the checker of its kind.
cd "$TMPDIR" || exit 1
fail() { echo "FAIL: $1"; exit 1; }
bank=$(ls "$SRCDIR"/data/questions/*.json | head -1)

# A member named "questions" inside a nested value does not make a
# scenario a question file: the scenario loader reports the unknown key.
sed '0,/^{/s//{"x": {"questions": [1, "}"], "y": "\\"questions\\""},/' \
    "$SRCDIR/scenarios/first-sync.json" >nested.json
"$SYNCLAB" check nested.json >out1 2>&1
[ $? -eq 1 ] || fail "the scenario with an extra key passed: $(cat out1)"
grep -q '^nested\.json:1:[0-9]*: x: unknown key "x"' out1 ||
    fail "not reported by the scenario loader: $(cat out1)"

# The bank with the member name escaped: the scan gives up, the parse
# finds "questions", and the bank checks as it does unescaped.
sed '0,/"questions":/s//"quest\\u0069ons":/' "$bank" >escaped.json
grep -q 'quest\\u0069ons' escaped.json || fail "could not escape the key"
cp "$bank" plain.json
"$SYNCLAB" check plain.json >want 2>&1; want_rc=$?
"$SYNCLAB" check escaped.json >got 2>&1; got_rc=$?
[ "$got_rc" -eq "$want_rc" ] || fail "exit $got_rc, not $want_rc: $(cat got)"
sed 's/escaped\.json/plain.json/g' got | cmp -s - want ||
    fail "the escaped bank checks differently: $(diff want got)"

# A question file cut short is still a question file: the JSON error.
printf '{"questions": [' >short.json
"$SYNCLAB" check short.json >out3 2>&1
[ $? -eq 1 ] || fail "a cut file passed"
grep -q '^short\.json:1:16: unexpected end of file' out3 ||
    fail "no JSON error: $(cat out3)"

# A path that is no file says why: missing, or not a regular file.
"$SYNCLAB" check missing.json >out4 2>&1
[ $? -eq 1 ] || fail "a missing file passed"
grep -q '^missing\.json: cannot open: no such file or folder$' out4 ||
    fail "missing file: $(cat out4)"
"$SYNCLAB" check /dev/null >out5 2>&1
[ $? -eq 1 ] || fail "/dev/null passed"
grep -q '^/dev/null: cannot open: not a regular file or folder' out5 ||
    fail "/dev/null: $(cat out5)"
exit 0
