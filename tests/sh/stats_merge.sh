#!/bin/sh
# stats_merge.sh: synclab stats --merge DIR, a grade book over the progress
# stores of a class.  Needs SYNCLAB, SRCDIR and TMPDIR.
set -u
fail() { echo "FAIL: $*"; exit 1; }
cd "$TMPDIR" || exit 1
bank="$SRCDIR/tests/data/questions/basic.json"
mkdir class
answers='y y y
?
zz
y y
d b
b d a
b c
y
y n y
n y
a b
'
printf %s "$answers" | SYNCLAB_NOW=2026-03-01T09:00:00Z "$SYNCLAB" quiz --plain --bank "$bank" \
    --seed 7 --count 5 --db class/ana.db >/dev/null 2>&1 || fail "ana's quiz"
printf %s "$answers" | SYNCLAB_NOW=2026-03-02T09:00:00Z "$SYNCLAB" quiz --plain --bank "$bank" \
    --seed 3 --count 5 --db class/ben.db >/dev/null 2>&1 || fail "ben's quiz"
export SYNCLAB_NOW=2026-03-03T09:00:00Z

# CSV: per student, per domain and per outline line, the same figures as
# each student's own stats.
"$SYNCLAB" stats --merge class --bank "$bank" --format csv >all.csv || fail "merge csv"
head -1 all.csv | grep -qx 'student,kind,name,attempts,right,percent,value' || fail "csv header: $(head -1 all.csv)"
for s in ana ben; do
	"$SYNCLAB" stats --db class/$s.db --bank "$bank" --format csv >one.csv || fail "stats of $s"
	for kind in total domain line; do
		grep "^$kind," one.csv | sed "s/^/$s,/" >want.txt
		[ -s want.txt ] || fail "$s has no $kind rows"
		grep "^$s,$kind," all.csv >got.txt
		cmp -s want.txt got.txt || fail "$s $kind rows differ: $(diff want.txt got.txt | head -4)"
	done
done
grep -q '^ana,domain,management-governance,' all.csv || fail "no domain row"
grep -q '^ben,line,[1-3]\.[0-9]*\.[0-9]*,' all.csv || fail "no outline line row"

# Text: one row per student; JSON: each student's stats.
"$SYNCLAB" stats --merge class --bank "$bank" >all.txt || fail "merge text"
grep -q '^ana  *8 ' all.txt || fail "ana's row: $(cat all.txt)"
grep -q '^2 students' all.txt || fail "no count: $(cat all.txt)"
"$SYNCLAB" stats --merge class --bank "$bank" --format json >all.json || fail "merge json"
jq -e '.students | length == 2 and .[0].student == "ana" and .[1].stats != null' all.json >/dev/null ||
    fail "json: $(head -c 300 all.json)"

# A file that is no store is reported, the others still printed: exit 1.
echo "not a database" >class/notes.db
"$SYNCLAB" stats --merge class --bank "$bank" --format csv >part.csv 2>err.txt
[ $? -eq 1 ] || fail "a bad store should exit 1"
grep -q 'notes.db: not a progress store' err.txt || fail "no word on the bad store: $(cat err.txt)"
grep -q '^ben,total,' part.csv || fail "the good stores are not printed"
mkdir empty
"$SYNCLAB" stats --merge empty >/dev/null 2>&1; [ $? -eq 1 ] || fail "an empty folder should exit 1"
"$SYNCLAB" quiz --merge class >/dev/null 2>&1; [ $? -eq 2 ] || fail "quiz takes no --merge"
echo "stats merge ok"
