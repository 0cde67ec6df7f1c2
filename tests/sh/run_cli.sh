#!/bin/sh
# run_cli.sh: the headless commands run, check and list, end to end.
# Needs SYNCLAB, SRCDIR and TMPDIR (tests/run.sh sets them).
set -u
data="$SRCDIR/tests/data/scenarios"
fail() { echo "FAIL: $*"; exit 1; }

# run: exit 0 when every expectation holds, and the transcript shows the
# HTTP lines, the expectations and the checker.
"$SYNCLAB" run "$data/good.json" >"$TMPDIR/good.txt" 2>&1 || fail "good.json should pass"
grep -q 'PATCH /tables/todoitem/1  If-Match "MQ=="' "$TMPDIR/good.txt" || fail "no PATCH line"
grep -q -- '-> 200 OK' "$TMPDIR/good.txt" || fail "no status on the request line"
grep -q '✓ expect' "$TMPDIR/good.txt" || fail "no expectation marks"
grep -q 'final sync' "$TMPDIR/good.txt" || fail "no final sync"
grep -q 'everything looks good' "$TMPDIR/good.txt" || fail "no checker verdict"
grep -q 'small-good-q' "$TMPDIR/good.txt" || fail "the ask is not printed"

# A failing expectation: exit 1, the failure listed at the end.
"$SYNCLAB" run "$data/failing.json" >"$TMPDIR/fail.txt" 2>&1
[ $? -eq 1 ] || fail "failing.json should exit 1"
grep -q '1 expectation failed' "$TMPDIR/fail.txt" || fail "failure not summarised"
grep -q '✗ status 201 (found 200)' "$TMPDIR/fail.txt" || fail "failure not printed"

# Usage errors exit 2.
"$SYNCLAB" run >/dev/null 2>&1; [ $? -eq 2 ] || fail "run without a scenario should exit 2"
"$SYNCLAB" run "$data/good.json" --format xml >/dev/null 2>&1; [ $? -eq 2 ] || fail "bad --format should exit 2"
"$SYNCLAB" run "$data/good.json" --seed -3 >/dev/null 2>&1; [ $? -eq 2 ] || fail "bad --seed should exit 2"
"$SYNCLAB" run "$data/good.json" --bogus >/dev/null 2>&1; [ $? -eq 2 ] || fail "unknown option should exit 2"
"$SYNCLAB" run no-such-scenario >/dev/null 2>&1; [ $? -eq 2 ] || fail "unknown id should exit 2"
"$SYNCLAB" check >/dev/null 2>&1; [ $? -eq 2 ] || fail "check without paths should exit 2"
"$SYNCLAB" list extra >/dev/null 2>&1; [ $? -eq 2 ] || fail "list with an argument should exit 2"
# An invalid scenario exits 1 with its position.
"$SYNCLAB" run "$data/bad-device.json" >/dev/null 2>"$TMPDIR/err.txt"
[ $? -eq 1 ] || fail "an invalid scenario should exit 1"
grep -q 'bad-device.json:13:17: steps\[3\].device: unknown device "Tablet-C"' "$TMPDIR/err.txt" || fail "no position for the invalid scenario"

# jsonl: one object per line, each with step, t and type; requests and
# responses carry their fields.  Same seed, same bytes.
"$SYNCLAB" run "$data/good.json" --format jsonl >"$TMPDIR/a.jsonl" || fail "jsonl run"
"$SYNCLAB" run "$data/good.json" --format jsonl >"$TMPDIR/b.jsonl" || fail "jsonl run 2"
cmp -s "$TMPDIR/a.jsonl" "$TMPDIR/b.jsonl" || fail "two runs differ"
"$SYNCLAB" run "$data/good.json" --format jsonl --seed 12345 >"$TMPDIR/c.jsonl" || fail "jsonl run 3"
python3 - "$TMPDIR/a.jsonl" <<'PY' || fail "jsonl does not parse"
import json, sys
n = 0
kinds = set()
for line in open(sys.argv[1], encoding="utf-8"):
    e = json.loads(line)
    assert isinstance(e, dict)
    for k in ("step", "t", "type"):
        assert k in e, (k, e)
    if e["type"] == "request":
        for k in ("device", "method", "path", "headers", "body"):
            assert k in e, (k, e)
        assert isinstance(e["headers"], dict)
    if e["type"] == "response":
        for k in ("device", "status", "headers", "body"):
            assert k in e, (k, e)
    kinds.add(e["type"])
    n += 1
assert n > 10
assert {"step", "request", "response", "expect", "check"} <= kinds, kinds
PY

# mermaid: a sequence diagram with the devices and the backend.
"$SYNCLAB" run "$data/good.json" --format mermaid >"$TMPDIR/m.txt" || fail "mermaid run"
head -1 "$TMPDIR/m.txt" | grep -qx 'sequenceDiagram' || fail "no sequenceDiagram"
grep -q 'participant d_Tablet_A as Tablet-A' "$TMPDIR/m.txt" || fail "no device participant"
grep -q 'd_Tablet_A->>Backend: PATCH /tables/todoitem/1' "$TMPDIR/m.txt" || fail "no request arrow"
grep -q 'Backend-->>d_Tablet_A: 200 OK' "$TMPDIR/m.txt" || fail "no response arrow"

# --answers: graded in the transcript; an unknown id is an error.
printf '{"small-good-q": "b"}' >"$TMPDIR/ans.json"
"$SYNCLAB" run "$data/good.json" --answers "$TMPDIR/ans.json" >"$TMPDIR/ans.txt" 2>&1 || fail "run with answers"
grep -q 'answer: b' "$TMPDIR/ans.txt" || fail "the answer is not shown"
printf '{"nope": "b"}' >"$TMPDIR/ans2.json"
"$SYNCLAB" run "$data/good.json" --answers "$TMPDIR/ans2.json" >/dev/null 2>"$TMPDIR/ans2.err"
[ $? -eq 1 ] || fail "an unknown ask id should exit 1"
grep -q 'no ask with id "nope"' "$TMPDIR/ans2.err" || fail "unknown ask id not named"

# --store: SQLite files that the sqlite3 shell (or Python's sqlite3) opens.
"$SYNCLAB" run "$data/good.json" --store "$TMPDIR/store" >/dev/null || fail "run with --store"
for f in backend Tablet-A Phone-B; do
	[ -f "$TMPDIR/store/$f.db" ] || fail "no $f.db"
done
if command -v sqlite3 >/dev/null 2>&1; then
	n=$(sqlite3 "$TMPDIR/store/backend.db" 'SELECT count(*) FROM todoitem') || fail "sqlite3 cannot open backend.db"
	[ "$n" = 1 ] || fail "backend.db has $n rows"
	sqlite3 "$TMPDIR/store/Phone-B.db" 'SELECT count(*) FROM __operations' >/dev/null || fail "no __operations"
else
	python3 - "$TMPDIR/store" <<'PY' || fail "the stores do not open"
import sqlite3, sys
d = sys.argv[1]
assert sqlite3.connect(d + "/backend.db").execute("SELECT count(*) FROM todoitem").fetchone()[0] == 1
sqlite3.connect(d + "/Phone-B.db").execute("SELECT count(*) FROM __operations").fetchone()
PY
fi

# check: positions for bad files, exit 1; a folder recursively; ok files.
"$SYNCLAB" check "$data/bad-syntax.json" >"$TMPDIR/c1.txt" 2>&1
[ $? -eq 1 ] || fail "check of a bad file should exit 1"
grep -q 'bad-syntax.json:6:3: ' "$TMPDIR/c1.txt" || fail "no FILE:LINE:COL"
"$SYNCLAB" check "$data/good.json" "$data/tui-goal.json" >"$TMPDIR/c2.txt" 2>&1 || fail "check of good files"
grep -qx '2 files ok' "$TMPDIR/c2.txt" || fail "no 'N files ok'"
# check runs a valid scenario too: an expectation that does not hold is
# an error at its step, and so is a solution that misses the goal.
"$SYNCLAB" check "$data/failing.json" >"$TMPDIR/c2b.txt" 2>&1
[ $? -eq 1 ] || fail "check of a scenario whose expect fails should exit 1"
grep -q 'failing.json:12:5: step 3 (push): at run time, status 201 (found 200)' \
    "$TMPDIR/c2b.txt" || fail "no position for the failing expectation"
sed 's/"do": "push", "device": "Solo" }/"do": "wait", "ms": 1 }/' \
    "$data/tui-goal.json" >"$TMPDIR/badsol.json"
"$SYNCLAB" check "$TMPDIR/badsol.json" >"$TMPDIR/c2c.txt" 2>&1
[ $? -eq 1 ] || fail "check of a solution that misses its goal should exit 1"
grep -q 'badsol.json:[0-9]*:[0-9]*: solution: .* the goal .* is not reached' \
    "$TMPDIR/c2c.txt" || { cat "$TMPDIR/c2c.txt"; fail "no error for the solution"; }
# A delta rule on a string column and an ask with a misspelt key.
python3 - "$SRCDIR/scenarios" "$TMPDIR" <<'PY' || fail "cannot write the bad scenarios"
import json, sys
src, out = sys.argv[1], sys.argv[2]
d = json.load(open(src + "/retail-inventory.json"))
d["tables"][1]["fields"] = {"item": "delta"}
json.dump(d, open(out + "/deltastr.json", "w"), indent=1)
d = json.load(open(src + "/see-the-deletion.json"))
d["steps"][4]["ask"]["anwser"] = 1
json.dump(d, open(out + "/badask.json", "w"), indent=1)
PY
"$SYNCLAB" check "$TMPDIR/deltastr.json" >"$TMPDIR/c2d.txt" 2>&1
[ $? -eq 1 ] || fail "check of a delta on a string column should exit 1"
grep -q 'deltastr.json:[0-9]*:[0-9]*: tables\[1\]\.fields\.item: delta adds numbers, and column "item" is a string column' \
    "$TMPDIR/c2d.txt" || { cat "$TMPDIR/c2d.txt"; fail "no error for delta on a string"; }
"$SYNCLAB" check "$TMPDIR/badask.json" >"$TMPDIR/c2e.txt" 2>&1
[ $? -eq 1 ] || fail "check of an ask with a bad key should exit 1"
grep -q 'badask.json:[0-9]*:[0-9]*: steps\[4\]\.ask\.anwser: unknown key "anwser"' \
    "$TMPDIR/c2e.txt" || { cat "$TMPDIR/c2e.txt"; fail "no error for the ask key"; }
mkdir -p "$TMPDIR/tree/sub"
cp "$data/good.json" "$TMPDIR/tree/"
cp "$data/bad-keys.json" "$TMPDIR/tree/sub/"
"$SYNCLAB" check "$TMPDIR/tree" >"$TMPDIR/c3.txt" 2>&1
[ $? -eq 1 ] || fail "check of a folder with a bad file should exit 1"
grep -q 'sub/bad-keys.json:3:12: titel: unknown key "titel"' "$TMPDIR/c3.txt" || fail "the folder was not searched"
# A question file goes to the question checker.
qfile="$SRCDIR/tests/data/questions/basic.json"
if [ -f "$qfile" ]; then
	"$SYNCLAB" check --no-cues "$qfile" >"$TMPDIR/c4.txt" 2>&1 || fail "check of a question file: $(cat "$TMPDIR/c4.txt")"
	# Ids are unique across banks checked together: the same bank under
	# another name repeats every id, reported with both places.
	mkdir -p "$TMPDIR/banks"
	cp "$qfile" "$TMPDIR/banks/a.json"
	sed 's/"bank": *"[^"]*"/"bank": "copy"/' "$qfile" >"$TMPDIR/banks/b.json"
	"$SYNCLAB" check "$TMPDIR/banks" >"$TMPDIR/c6.txt" 2>&1
	[ $? -eq 1 ] || fail "a repeated question id across files should exit 1"
	grep -q 'b.json:[0-9]*:[0-9]*: questions\[0\].id: duplicate id ".*" (first at .*a.json:[0-9]*:[0-9]*)' \
	    "$TMPDIR/c6.txt" || fail "no cross-file duplicate id: $(head -3 "$TMPDIR/c6.txt")"
fi
# The shipped bank is valid (its cue check runs as a step of its own).
"$SYNCLAB" check --no-cues "$SRCDIR/scenarios" "$SRCDIR/data/questions" >"$TMPDIR/c7.txt" 2>&1 || fail "shipped content invalid: $(cat "$TMPDIR/c7.txt")"
# Cues: each finding is FILE:LINE:COL: path: rule: reason, exit 1; a clean
# bank passes; --stats gives the bank figures.
cues="$SRCDIR/tests/data/questions/cues"
"$SYNCLAB" check "$cues/cued.json" >"$TMPDIR/c8.txt" 2>&1
[ $? -eq 1 ] || fail "cued items should exit 1"
grep -q '^.*cued.json:18:33: questions\[0\].options\[2\]: long-key: the key has 71 characters' "$TMPDIR/c8.txt" ||
	fail "no long-key finding: $(cat "$TMPDIR/c8.txt")"
grep -qx '9 cue findings (0 waived)' "$TMPDIR/c8.txt" || fail "no cue count: $(tail -1 "$TMPDIR/c8.txt")"
"$SYNCLAB" check --stats "$cues/clean.json" >"$TMPDIR/c9.txt" 2>&1 || fail "clean items: $(cat "$TMPDIR/c9.txt")"
grep -q '^single items: 7, key strictly longest in ' "$TMPDIR/c9.txt" || fail "no --stats figures"
grep -qx '1 file ok' "$TMPDIR/c9.txt" || fail "clean items: no '1 file ok'"
"$SYNCLAB" check --no-cues "$cues/cued.json" >/dev/null 2>&1 || fail "--no-cues still reports cues"
# --coverage: only the table by outline line.
"$SYNCLAB" check --coverage "$SRCDIR/tests/data/questions/basic.json" >"$TMPDIR/c10.txt" 2>&1 ||
	fail "check --coverage: $(cat "$TMPDIR/c10.txt")"
head -1 "$TMPDIR/c10.txt" | grep -q '^| line | title | questions | exam-level | single ' ||
	fail "check --coverage: no table header"
grep -q '^| 2\.2\.4 | .* | 2 | 2 | 1 | 0 | 0 | 0 | 1 | 0 |$' "$TMPDIR/c10.txt" ||
	fail "check --coverage: the 2.2.4 row: $(grep '2\.2\.4' "$TMPDIR/c10.txt")"
grep -q '^| all | the whole bank | 9 | 9 |' "$TMPDIR/c10.txt" || fail "check --coverage: no total"
"$SYNCLAB" check "$SRCDIR/scenarios" >"$TMPDIR/c5.txt" 2>&1 || fail "shipped scenarios invalid: $(cat "$TMPDIR/c5.txt")"

# list: the shipped scenarios, in order, id first.
"$SYNCLAB" list >"$TMPDIR/list.txt" 2>&1 || fail "list"
n=$(ls "$SRCDIR"/scenarios/*.json | wc -l)
[ "$(wc -l <"$TMPDIR/list.txt")" -eq "$n" ] || fail "list shows $(wc -l <"$TMPDIR/list.txt") of $n scenarios"
head -1 "$TMPDIR/list.txt" | grep -q '^first-sync ' || fail "first-sync is not first"
# A shipped scenario runs by its id.
"$SYNCLAB" run first-sync >/dev/null 2>&1 || fail "run first-sync by id"
"$SYNCLAB" help run | grep -q -- '--answers FILE' || fail "no full help"
exit 0
