#!/bin/sh
# formats.sh: import a GIFT file, quiz on it in plain mode, export it
# again; the other formats end to end.  Needs SYNCLAB, SRCDIR and TMPDIR.
set -u
fail() { echo "FAIL: $*"; exit 1; }
cd "$TMPDIR" || exit 1
ex="$SRCDIR/tests/data/formats"

# Two questions written as Moodle's documentation writes them.
cat >course.gift <<'GIFT'
// From a course page.
::capitals::Match the following countries with their corresponding capitals. {
    =Canada -> Ottawa
    =Italy  -> Rome
    =Japan  -> Tokyo
    ####It's good to know the capitals
}

::tomb::Who's buried in Grant's tomb?{~Grant ~Jefferson =no one####Grant and his wife lie in the tomb, entombed rather than buried.}
GIFT
"$SYNCLAB" import course.gift --objective 1.1.1 --title Course --output course.json 2>err.txt ||
    fail "import: $(cat err.txt)"
grep -q '2 questions read as gift into course.json, 0 errors' err.txt || fail "no summary: $(cat err.txt)"
"$SYNCLAB" check --no-cues course.json >/dev/null || fail "the imported file does not check"

# Quiz on it in plain mode: the right answers are graded right and the
# general feedback is the explanation.
printf '1b 2c 3a\nc\n' >answers.txt
"$SYNCLAB" quiz --plain --bank course.json --count 2 --seed 3 --db q.db <answers.txt >quiz.txt 2>&1 ||
    fail "quiz on the import: $(tail -5 quiz.txt)"
grep -q "Who's buried in Grant's tomb?" quiz.txt || fail "the question is not asked"
grep -q "Why: It's good to know the capitals" quiz.txt || fail "no explanation from the general feedback"
[ "$(grep -c '^Right\.' quiz.txt)" -eq 2 ] || fail "the right answers are not right: $(cat quiz.txt)"

# Export it again, and read that back: the same file.
"$SYNCLAB" export course.json --format gift --output again.gift 2>/dev/null || fail "export"
grep -q '=Canada -> Ottawa' again.gift || fail "no matching pair in the export"
grep -q "####It's good to know the capitals" again.gift || fail "no general feedback in the export"
"$SYNCLAB" import again.gift --bank course --title Course --output again.json 2>/dev/null ||
    fail "import of the export"
cmp -s course.json again.json || fail "the round trip changed the file: $(diff course.json again.json | head)"

# Refused types: exit 1 with FILE:LINE:COL, and the rest still written.
"$SYNCLAB" import "$ex/moodle-examples.gift" --objective 1.1.1 --output ex.json 2>err.txt
[ $? -eq 1 ] || fail "refused questions should exit 1"
grep -q 'moodle-examples.gift:18:31: question 5: a short-answer question' err.txt || fail "no position for short answer: $(cat err.txt)"
[ -s ex.json ] || fail "the questions that map were not written"
"$SYNCLAB" import "$ex/moodle-examples.xml" --objective 3.1.1 >xml.json 2>err.txt
[ $? -eq 1 ] || fail "the XML examples hold refused types"
grep -q 'moodle-examples.xml:70:3: question 6: type "shortanswer"' err.txt || fail "no position in the XML: $(cat err.txt)"
"$SYNCLAB" import "$ex/moodle-examples.aiken" --objective 2.1.1 >aiken.json 2>err.txt || fail "aiken import: $(cat err.txt)"
grep -q 'read as aiken' err.txt || fail "aiken not recognised"

# The shipped bank out in every format, what is left out said.
"$SYNCLAB" export storage-services --format moodle-xml >bank.xml 2>err.txt || fail "export xml"
xmllint --noout bank.xml || fail "the Moodle XML is not well-formed"
"$SYNCLAB" export "$SRCDIR/data/questions" --format aiken >bank.aiken 2>err.txt || fail "export aiken"
grep -q ': left out: Aiken holds single-answer questions only' err.txt || fail "aiken did not report what it left out"
grep -q 'the explanation, id, topics' err.txt || fail "aiken did not report what it cannot carry"
"$SYNCLAB" export "$SRCDIR/data/questions" --format gift >bank.gift 2>err.txt || fail "export gift"
"$SYNCLAB" import bank.gift >bank.json 2>err.txt || fail "gift round trip of the bank: $(head -5 err.txt)"

# Usage errors.
"$SYNCLAB" export course.json >/dev/null 2>&1; [ $? -eq 2 ] || fail "export without --format should exit 2"
"$SYNCLAB" export course.json --format docx >/dev/null 2>&1; [ $? -eq 2 ] || fail "unknown format should exit 2"
"$SYNCLAB" import >/dev/null 2>&1; [ $? -eq 2 ] || fail "import without a file should exit 2"
"$SYNCLAB" import course.gift --output course.json >/dev/null 2>&1; [ $? -eq 1 ] || fail "import over a file should exit 1"
echo "formats ok"
