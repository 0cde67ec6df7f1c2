#!/bin/sh
# cli_manners.sh: "did you mean", synclab new, check --format json.
# Needs SYNCLAB, SRCDIR and TMPDIR (tests/run.sh sets them).
set -u
fail() { echo "FAIL: $*"; exit 1; }
cd "$TMPDIR" || exit 1

# A mistyped command or option: exit 2 and the closest name.
"$SYNCLAB" lsit >/dev/null 2>err.txt; [ $? -eq 2 ] || fail "lsit should exit 2"
grep -q 'did you mean "list"' err.txt || fail "no suggestion for lsit: $(cat err.txt)"
"$SYNCLAB" stast >/dev/null 2>err.txt; [ $? -eq 2 ] || fail "stast should exit 2"
grep -q 'did you mean "stats"' err.txt || fail "no suggestion for stast"
"$SYNCLAB" help rnu >/dev/null 2>err.txt; [ $? -eq 2 ] || fail "help rnu should exit 2"
grep -q 'did you mean "run"' err.txt || fail "no suggestion for help rnu"
"$SYNCLAB" --verison >/dev/null 2>err.txt; [ $? -eq 2 ] || fail "--verison should exit 2"
grep -q 'did you mean --version?' err.txt || fail "no suggestion for --verison"
"$SYNCLAB" xyzzyq >/dev/null 2>err.txt; [ $? -eq 2 ] || fail "xyzzyq should exit 2"
grep -q 'did you mean' err.txt && fail "a far-off word should get no suggestion"
"$SYNCLAB" run first-sync --fromat jsonl >/dev/null 2>err.txt; [ $? -eq 2 ] || fail "--fromat should exit 2"
grep -q 'did you mean --format?' err.txt || fail "no suggestion for --fromat: $(cat err.txt)"
"$SYNCLAB" quiz --cuont 3 >/dev/null 2>err.txt </dev/null; [ $? -eq 2 ] || fail "--cuont should exit 2"
grep -q 'did you mean --count?' err.txt || fail "no suggestion for --cuont"
# A unique abbreviation still works (getopt_long's rule), and a value
# that looks like an option is not taken for one.
"$SYNCLAB" run first-sync --form mermaid >out.txt 2>&1 || fail "--form should work"
grep -q sequenceDiagram out.txt || fail "--form mermaid printed no diagram"

# new: a valid, commented starting file with its $schema, never overwritten.
"$SYNCLAB" new scenario my-lab >/dev/null || fail "new scenario"
"$SYNCLAB" new bank my-bank >/dev/null || fail "new bank"
grep -q '"\$schema": ".*data/schema/scenario.schema.json"' my-lab.json || fail "no scenario \$schema"
grep -q '"\$schema": ".*data/schema/question.schema.json"' my-bank.json || fail "no bank \$schema"
grep -q '"\$comment"' my-lab.json || fail "no comments in the scenario"
grep -q '"\$comment"' my-bank.json || fail "no comments in the bank"
schema=$(sed -n 's/.*"\$schema": "\(.*\)",/\1/p' my-bank.json)
[ -f "$schema" ] || fail "the bank's \$schema $schema does not resolve from its folder"
"$SYNCLAB" check my-lab.json my-bank.json >out.txt || fail "new files do not check: $(cat out.txt)"
"$SYNCLAB" run my-lab.json >out.txt || fail "the new scenario does not run"
printf 'a\ny n\n' | "$SYNCLAB" quiz --plain --bank my-bank.json --db q.db --count 2 --seed 1 >out.txt 2>&1 ||
    fail "the new bank does not quiz: $(tail -3 out.txt)"
"$SYNCLAB" new bank my-bank >/dev/null 2>err.txt; [ $? -eq 1 ] || fail "overwriting should exit 1"
grep -q 'exists already' err.txt || fail "no word on the existing file"
mkdir -p sub/deeper
"$SYNCLAB" new scenario deep --output sub/deeper/x.json >/dev/null || fail "new --output"
schema=$(sed -n 's/.*"\$schema": "\(.*\)",/\1/p' sub/deeper/x.json)
(cd sub/deeper && [ -f "$schema" ]) || fail "\$schema from a sub folder does not resolve"
"$SYNCLAB" new scenario Bad_Id >/dev/null 2>&1; [ $? -eq 2 ] || fail "bad id should exit 2"
"$SYNCLAB" new thing x >/dev/null 2>&1; [ $? -eq 2 ] || fail "bad kind should exit 2"
# A $comment that is not a string is an error like any other.
sed 's/"\$comment": "A scenario[^"]*"/"$comment": 3/' my-lab.json >badc.json
"$SYNCLAB" check badc.json >out.txt; [ $? -eq 1 ] || fail "a numeric \$comment should fail"
grep -q 'badc.json:3:[0-9]*: \$comment: "\$comment" must be a string' out.txt || fail "no position for \$comment: $(cat out.txt)"

# check --format json: one object, counts and findings with positions.
printf '{"bank":"x","questions":[{"id":"A"}]}' >bad.json
"$SYNCLAB" check --format json bad.json >out.json; [ $? -eq 1 ] || fail "bad.json should exit 1"
jq -e '.ok == false and .errors == 6 and (.findings | length) == 6' out.json >/dev/null || fail "json counts: $(cat out.json)"
jq -e '.findings[0] | .kind == "error" and .file == "bad.json" and .line == 1 and .col == 32 and .path == "questions[0].id"' out.json >/dev/null ||
    fail "json finding: $(cat out.json)"
"$SYNCLAB" check --format json "$SRCDIR/tests/data/questions/cues" >out.json
[ $? -eq 1 ] || fail "the cue fixtures should exit 1"
jq -e '[.findings[] | select(.kind == "cue")] | length > 0 and all(.rule != null and .line > 0)' out.json >/dev/null ||
    fail "cue findings carry no rule: $(head -c 400 out.json)"
"$SYNCLAB" check --format=json "$SRCDIR/scenarios" >out.json || fail "shipped scenarios in json"
jq -e '.ok and .errors == 0 and (.findings == [])' out.json >/dev/null || fail "json ok: $(cat out.json)"
"$SYNCLAB" check --format yaml bad.json >/dev/null 2>&1; [ $? -eq 2 ] || fail "bad format should exit 2"
echo "cli manners ok"
