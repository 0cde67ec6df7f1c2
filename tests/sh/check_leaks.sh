#!/bin/sh
# check_leaks.sh: synclab check rejects a scenario that gives the answer
# of a question away before asking it (sim/leak.c), with FILE:LINE:COL at
# the option, and exit status 1; the shipped scenarios pass.
cd "$TMPDIR" || exit 1
fail() { echo "FAIL: $1"; exit 1; }

# The summary states the keyed option of the first question word for word.
sed 's/and sends as base64\./and sends as base64: 1 is MQ==./' \
    "$SRCDIR/scenarios/first-sync.json" >leak1.json
cmp -s leak1.json "$SRCDIR/scenarios/first-sync.json" &&
    fail "the test could not plant the leak"
"$SYNCLAB" check leak1.json >out1 2>&1
[ $? -eq 1 ] || fail "a leak did not fail the check: $(cat out1)"
grep -Eq '^leak1\.json:[0-9]+:[0-9]+: steps\[0\]\.ask: the answer "MQ==" is given away before the question' out1 ||
    fail "no FILE:LINE:COL message: $(cat out1)"
# The position is the option in the file.
pos=$(sed -n 's/^leak1\.json:\([0-9]*\):\([0-9]*\):.*/\1 \2/p' out1)
set -- $pos
line=$(sed -n "${1}p" leak1.json)
[ "$(echo "$line" | cut -c"$2"-"$(($2 + 5))")" = '"MQ=="' ] ||
    fail "the position $1:$2 is not the option: $line"

# A paraphrase in an earlier say leaks too: three quarters of the words
# of a long option in one sentence.
sed 's/"The courier.s phone downloads delivery d1\."/"The courier\x27s phone downloads delivery d1. Later, a pull pushes the dirty table first, and that push fails with 412."/' \
    "$SRCDIR/scenarios/unstick-queue.json" >leak2.json
"$SYNCLAB" check leak2.json >out2 2>&1
[ $? -eq 1 ] || fail "a paraphrased leak did not fail the check: $(cat out2)"
grep -q 'steps\[6\]\.ask: the answer "The pull pushes the dirty table first' out2 ||
    fail "the paraphrase was not named: $(cat out2)"

# Every shipped scenario passes.
"$SYNCLAB" check "$SRCDIR/scenarios" >out3 2>&1 ||
    fail "a shipped scenario leaks: $(cat out3)"
exit 0
