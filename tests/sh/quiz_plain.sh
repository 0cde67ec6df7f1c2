#!/bin/sh
# quiz_plain.sh: plain-mode sessions piped end to end (practice with a
# retry, a mock exam, a review, stats in three formats) on the small fixed
# bank tests/data/questions with fixed seeds and a fixed clock, each
# compared line by line with its expected transcript; then the store's
# location rules and the usage and bank errors.
set -u
: "${SYNCLAB:?}" "${SRCDIR:?}" "${TMPDIR:?}"
BANK="$SRCDIR/tests/data/questions"
export LC_ALL=C
unset XDG_DATA_HOME
export SYNCLAB_HOME="$TMPDIR/home/nested"
fails=0
check() {	# check NAME: compares $TMPDIR/NAME.got with $TMPDIR/NAME.want
	if diff -u "$TMPDIR/$1.want" "$TMPDIR/$1.got" >"$TMPDIR/$1.diff"; then
		echo "ok   $1"
	else
		echo "FAIL $1"; head -40 "$TMPDIR/$1.diff"; fails=$((fails + 1))
	fi
}
expect_rc() {	# expect_rc WANT GOT WHAT
	if [ "$1" = "$2" ]; then echo "ok   $3"; else
		echo "FAIL $3: exit $2, want $1"; fails=$((fails + 1)); fi
}

# --- practice: partial credit, ?, a malformed answer, retry the missed ---
SYNCLAB_NOW=2026-03-01T09:00:00Z "$SYNCLAB" quiz --bank "$BANK" --seed 7 --count 5 \
    >"$TMPDIR/practice.got" 2>&1 <<'EOF'
y y y
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
EOF
expect_rc 0 $? "practice exit"
cat > "$TMPDIR/practice.want" <<'__END__'
Seed 7 (--seed 7 repeats this draw).
Practice: 5 questions, domains mixed. Feedback after each answer.

Question 1 of 5 | Azure architecture and services | topics: regions
For each statement, choose Yes or No.
  1. Azure regions contain one or more datacenters.
  2. Every region has availability zones.
  3. Region pairs are in the same geography.
Answer with one y or n per statement, e.g. y n y.
Your answer (? repeats the question, q stops):
> y y y
Partly right: 2 of 3 parts (scored per part, 67%). The answer: y n y
  1. Yes: Azure regions contain one or more datacenters.
  2. No: Every region has availability zones.
  3. Yes: Region pairs are in the same geography.
Why: Not every region has zones; pairs share a geography.
saved: t-yesno

Question 2 of 5 | Azure management and governance | topics: governance
Scored all-or-nothing: choose Yes or No.
  1. Resource groups can be nested.
  2. A resource is in exactly one resource group.
Answer with one y or n per statement, e.g. y n y.
Your answer (? repeats the question, q stops):
> ?

Question 2 of 5 | Azure management and governance | topics: governance
Scored all-or-nothing: choose Yes or No.
  1. Resource groups can be nested.
  2. A resource is in exactly one resource group.
Answer with one y or n per statement, e.g. y n y.
Your answer (? repeats the question, q stops):
> zz
Not an answer: type one y or n for each of the 2 statements, you gave 1.
Your answer (? repeats the question, q stops):
> y y
Partly right: 1 of 2 parts (scored all-or-nothing, 0%). The answer: n y
  1. No: Resource groups can be nested.
  2. Yes: A resource is in exactly one resource group.
Why: Resource groups cannot be nested; a resource belongs to one group.
saved: t-aon

Question 3 of 5 | Cloud concepts | topics: benefits
Which two are benefits of the cloud?
  a) No need for security
  b) Elasticity
  c) Unlimited free storage
  d) High availability
Choose 2.
Answer with the letters you choose, separated by spaces, e.g. a c.
Your answer (? repeats the question, q stops):
> d b
Right. The answer: b d
  b) Elasticity
  d) High availability
Why: Availability and elasticity are benefits; storage costs money and security is shared.
saved: t-multiple

Question 4 of 5 | Azure architecture and services | topics: offline-sync
Put the steps of an offline push in order.
  a) Resolve conflicts on the server
  b) Insert into the local table
  c) Delete the local store
  d) Push the operations queue
Put 3 of these in order (the others do not belong).
Answer with the letters in order, separated by spaces, e.g. c a b.
Your answer (? repeats the question, q stops):
> b d a
Right. The answer: b d a
  1. b) Insert into the local table
  2. d) Push the operations queue
  3. a) Resolve conflicts on the server
Why: The local change comes first, then push, then the server decides.
saved: t-ordering

Question 5 of 5 | Azure management and governance | topics: governance
Azure Policy [1] resources; Azure RBAC [2] users.
  [1] a) bills  b) evaluates
  [2] a) authorizes  b) encrypts  c) deletes
Answer with one letter per blank, in order, e.g. b a.
Your answer (? repeats the question, q stops):
> b c
Partly right: 1 of 2 parts (scored per part, 50%). The answer: b a
  [1] b) evaluates
  [2] a) authorizes
Why: Policy evaluates resource properties; RBAC grants actions to identities.
saved: t-dropdown

Summary
2 of 5 answered questions fully right; score 67%.
By domain (weakest first):
  Azure management and governance     33%  0 of 2 right
  Azure architecture and services     75%  1 of 2 right
  Cloud concepts                     100%  1 of 1 right
By topic (weakest first):
  governance                          33%  0 of 2 right
  regions                             67%  0 of 1 right
  benefits                           100%  1 of 1 right
  offline-sync                       100%  1 of 1 right

Retry the 3 you missed? (y/n)
> y
Retrying 3 questions.

Question 1 of 3 | Azure architecture and services | topics: regions
For each statement, choose Yes or No.
  1. Azure regions contain one or more datacenters.
  2. Every region has availability zones.
  3. Region pairs are in the same geography.
Answer with one y or n per statement, e.g. y n y.
Your answer (? repeats the question, q stops):
> y n y
Right. The answer: y n y
  1. Yes: Azure regions contain one or more datacenters.
  2. No: Every region has availability zones.
  3. Yes: Region pairs are in the same geography.
Why: Not every region has zones; pairs share a geography.
saved: t-yesno

Question 2 of 3 | Azure management and governance | topics: governance
Scored all-or-nothing: choose Yes or No.
  1. Resource groups can be nested.
  2. A resource is in exactly one resource group.
Answer with one y or n per statement, e.g. y n y.
Your answer (? repeats the question, q stops):
> n y
Right. The answer: n y
  1. No: Resource groups can be nested.
  2. Yes: A resource is in exactly one resource group.
Why: Resource groups cannot be nested; a resource belongs to one group.
saved: t-aon

Question 3 of 3 | Azure management and governance | topics: governance
Azure Policy [1] resources; Azure RBAC [2] users.
  [1] a) evaluates  b) bills
  [2] a) encrypts  b) authorizes  c) deletes
Answer with one letter per blank, in order, e.g. b a.
Your answer (? repeats the question, q stops):
> a b
Right. The answer: a b
  [1] a) evaluates
  [2] b) authorizes
Why: Policy evaluates resource properties; RBAC grants actions to identities.
saved: t-dropdown

Summary
3 of 3 answered questions fully right; score 100%.
By domain (weakest first):
  Azure architecture and services    100%  1 of 1 right
  Azure management and governance    100%  2 of 2 right
By topic (weakest first):
  governance                         100%  2 of 2 right
  regions                            100%  1 of 1 right
__END__
check practice

# --- mock exam: answer, flag, skip, go back, change, submit -------------
SYNCLAB_NOW=2026-03-01T09:30:00Z "$SYNCLAB" exam --bank "$BANK" --seed 3 --count 4 \
    >"$TMPDIR/exam.got" 2>&1 <<'EOF'
b d a
flag
a b
next
y n y
go 3
b b
prev
submit
y
EOF
expect_rc 0 $? "exam exit"
cat > "$TMPDIR/exam.want" <<'__END__'
Seed 3 (--seed 3 repeats this draw).
Mock exam: 4 questions, 45 minutes. No feedback until you submit;
you can move back and forth, change answers and flag questions.

Question 1 of 4 | Azure architecture and services | topics: offline-sync
Put the steps of an offline push in order.
  a) Resolve conflicts on the server
  b) Insert into the local table
  c) Delete the local store
  d) Push the operations queue
Put 3 of these in order (the others do not belong).
Answer with the letters in order, separated by spaces, e.g. c a b.
Answer, or: next, prev, go N, flag, list, submit, ?, q (time left 45:00):
> b d a
Answer to question 1 kept: b d a

Question 2 of 4 | Cloud concepts | topics: benefits
Which two are benefits of the cloud?
  a) Unlimited free storage
  b) Elasticity
  c) High availability
  d) No need for security
Choose 2.
Answer with the letters you choose, separated by spaces, e.g. a c.
Answer, or: next, prev, go N, flag, list, submit, ?, q (time left 45:00):
> flag
Question 2 flagged for review.
Answer, or: next, prev, go N, flag, list, submit, ?, q (time left 45:00):
> a b
Answer to question 2 kept: a b

Question 3 of 4 | Azure management and governance | topics: governance
Azure Policy [1] resources; Azure RBAC [2] users.
  [1] a) evaluates  b) bills
  [2] a) authorizes  b) deletes  c) encrypts
Answer with one letter per blank, in order, e.g. b a.
Answer, or: next, prev, go N, flag, list, submit, ?, q (time left 45:00):
> next

Question 4 of 4 | Azure architecture and services | topics: regions
For each statement, choose Yes or No.
  1. Azure regions contain one or more datacenters.
  2. Every region has availability zones.
  3. Region pairs are in the same geography.
Answer with one y or n per statement, e.g. y n y.
Answer, or: next, prev, go N, flag, list, submit, ?, q (time left 45:00):
> y n y
Answer to question 4 kept: y n y
That was the last question. Review the list, then type submit.
    1  answered  
    2  answered    flagged
    3  unanswered
    4  answered    <- here
3 answered, 1 unanswered, 1 flagged.
Answer, or: next, prev, go N, flag, list, submit, ?, q (time left 45:00):
> go 3

Question 3 of 4 | Azure management and governance | topics: governance
Azure Policy [1] resources; Azure RBAC [2] users.
  [1] a) evaluates  b) bills
  [2] a) authorizes  b) deletes  c) encrypts
Answer with one letter per blank, in order, e.g. b a.
Answer, or: next, prev, go N, flag, list, submit, ?, q (time left 45:00):
> b b
Answer to question 3 kept: b b

Question 4 of 4 | Azure architecture and services | topics: regions | your answer: y n y
For each statement, choose Yes or No.
  1. Azure regions contain one or more datacenters.
  2. Every region has availability zones.
  3. Region pairs are in the same geography.
Answer with one y or n per statement, e.g. y n y.
Answer, or: next, prev, go N, flag, list, submit, ?, q (time left 45:00):
> prev

Question 3 of 4 | Azure management and governance | topics: governance | your answer: b b
Azure Policy [1] resources; Azure RBAC [2] users.
  [1] a) evaluates  b) bills
  [2] a) authorizes  b) deletes  c) encrypts
Answer with one letter per blank, in order, e.g. b a.
Answer, or: next, prev, go N, flag, list, submit, ?, q (time left 45:00):
> submit
0 unanswered, 1 flagged. Submit anyway? (y/n)
> y

Submitted.

Result
Score: 625 of 1000 (FAIL; 700 is needed to pass).
Points: 5.00 of 8 (63%), mapped as 1 + round(999 x 0.6250) = 625.
Microsoft does not publish how it scales raw points to 1-1000;
this mapping is a simple linear one, so treat the score as a guide.
4 answered, 0 unanswered, 1 flagged.
By domain (weakest first):
  Azure management and governance      0%  0 of 1 right
  Cloud concepts                      50%  0 of 1 right
  Azure architecture and services    100%  2 of 2 right
By topic (weakest first):
  governance                           0%  0 of 1 right
  benefits                            50%  0 of 1 right
  offline-sync                       100%  1 of 1 right
  regions                            100%  1 of 1 right

Every question, your answer and the right one:

[1/4] t-ordering (Azure architecture and services)
Put the steps of an offline push in order.
  a) Resolve conflicts on the server
  b) Insert into the local table
  c) Delete the local store
  d) Push the operations queue
Put 3 of these in order (the others do not belong).
Answer with the letters in order, separated by spaces, e.g. c a b.
Your answer: b d a
Right. The answer: b d a
  1. b) Insert into the local table
  2. d) Push the operations queue
  3. a) Resolve conflicts on the server
Why: The local change comes first, then push, then the server decides.

[2/4] t-multiple (Cloud concepts)
Which two are benefits of the cloud?
  a) Unlimited free storage
  b) Elasticity
  c) High availability
  d) No need for security
Choose 2.
Answer with the letters you choose, separated by spaces, e.g. a c.
Your answer: a b
Partly right: 1 of 2 parts (scored per part, 50%). The answer: b c
  b) Elasticity
  c) High availability
Why: Availability and elasticity are benefits; storage costs money and security is shared.

[3/4] t-dropdown (Azure management and governance)
Azure Policy [1] resources; Azure RBAC [2] users.
  [1] a) evaluates  b) bills
  [2] a) authorizes  b) deletes  c) encrypts
Answer with one letter per blank, in order, e.g. b a.
Your answer: b b
Wrong. The answer: a a
  [1] a) evaluates
  [2] a) authorizes
Why: Policy evaluates resource properties; RBAC grants actions to identities.

[4/4] t-yesno (Azure architecture and services)
For each statement, choose Yes or No.
  1. Azure regions contain one or more datacenters.
  2. Every region has availability zones.
  3. Region pairs are in the same geography.
Answer with one y or n per statement, e.g. y n y.
Your answer: y n y
Right. The answer: y n y
  1. Yes: Azure regions contain one or more datacenters.
  2. No: Every region has availability zones.
  3. Yes: Region pairs are in the same geography.
Why: Not every region has zones; pairs share a geography.
saved: exam 1
__END__
check exam

# --- review an hour later: Easy, a wrong answer (Again), Good, q --------
printf 'n y\ne\nb a\ny n y\n\nq\n' | SYNCLAB_NOW=2026-03-01T10:00:00Z \
    "$SYNCLAB" review --bank "$BANK" --seed 5 >"$TMPDIR/review.got" 2>&1
expect_rc 0 $? "review exit"
cat > "$TMPDIR/review.want" <<'__END__'
Due now: 5. Later today (UTC): 0.
Review: 5 cards due. A wrong answer counts as Again; after a right one,
rate how well you knew it.

Question 1 of 5 | Azure management and governance | topics: governance
Scored all-or-nothing: choose Yes or No.
  1. Resource groups can be nested.
  2. A resource is in exactly one resource group.
Answer with one y or n per statement, e.g. y n y.
Your answer (? repeats the question, q stops):
> n y
Right. The answer: n y
  1. No: Resource groups can be nested.
  2. Yes: A resource is in exactly one resource group.
Why: Resource groups cannot be nested; a resource belongs to one group.
How well did you know it? h hard, g good (default), e easy:
> e
saved: t-aon (next in 4d)

Question 2 of 5 | Azure management and governance | topics: governance
Azure Policy [1] resources; Azure RBAC [2] users.
  [1] a) evaluates  b) bills
  [2] a) encrypts  b) deletes  c) authorizes
Answer with one letter per blank, in order, e.g. b a.
Your answer (? repeats the question, q stops):
> b a
Wrong. The answer: a c
  [1] a) evaluates
  [2] c) authorizes
Why: Policy evaluates resource properties; RBAC grants actions to identities.
saved: t-dropdown (next in 1m)

Question 3 of 5 | Azure architecture and services | topics: regions
For each statement, choose Yes or No.
  1. Azure regions contain one or more datacenters.
  2. Every region has availability zones.
  3. Region pairs are in the same geography.
Answer with one y or n per statement, e.g. y n y.
Your answer (? repeats the question, q stops):
> y n y
Right. The answer: y n y
  1. Yes: Azure regions contain one or more datacenters.
  2. No: Every region has availability zones.
  3. Yes: Region pairs are in the same geography.
Why: Not every region has zones; pairs share a geography.
How well did you know it? h hard, g good (default), e easy:
> 
saved: t-yesno (next in 10m)

Question 4 of 5 | Cloud concepts | topics: benefits
Which two are benefits of the cloud?
  a) High availability
  b) Elasticity
  c) No need for security
  d) Unlimited free storage
Choose 2.
Answer with the letters you choose, separated by spaces, e.g. a c.
Your answer (? repeats the question, q stops):
> q

Summary
2 of 3 answered questions fully right; score 67%.
2 not answered.
By domain (weakest first):
  Azure management and governance     33%  1 of 2 right
  Azure architecture and services    100%  1 of 1 right
By topic (weakest first):
  governance                          33%  1 of 2 right
  regions                            100%  1 of 1 right
__END__
check review

# --- stats ---------------------------------------------------------------
SYNCLAB_NOW=2026-03-01T10:05:00Z "$SYNCLAB" stats >"$TMPDIR/stats.got" 2>&1
cat > "$TMPDIR/stats.want" <<'__END__'
Attempts: 15, fully right: 9, score 71%.

By domain (weakest first)            tries  right  score
  Azure management and governance        7      3   50%
  Cloud concepts                         2      1   75%
  Azure architecture and services        6      5   94%

By topic (weakest first)             tries  right  score
  governance                             7      3   50%
  benefits                               2      1   75%
  regions                                4      3   92%
  offline-sync                           2      2  100%

Last 14 days, 2026-02-16 to 2026-03-01 (score per day; blank = no attempts):
               *
  2026-03-01   15  71% ##############################

Review cards: 5 (0 leeches suspended). Due in the next 7 days:
  2026-03-01 (today)      4
  2026-03-02              0
  2026-03-03              0
  2026-03-04              0
  2026-03-05              1
  2026-03-06              0
  2026-03-07              0

Mock exams:
  2026-03-01   625/1000  fail  (4 questions)
__END__
check stats
SYNCLAB_NOW=2026-03-01T10:05:00Z "$SYNCLAB" stats --format csv >"$TMPDIR/csv.got" 2>&1
cat > "$TMPDIR/csv.want" <<'__END__'
kind,name,attempts,right,percent,value
total,all,15,9,71,
domain,cloud-concepts,2,1,75,
domain,architecture-services,6,5,94,
domain,management-governance,7,3,50,
topic,governance,7,3,50,
topic,benefits,2,1,75,
topic,regions,4,3,92,
topic,offline-sync,2,2,100,
day,2026-02-16,0,0,0,
day,2026-02-17,0,0,0,
day,2026-02-18,0,0,0,
day,2026-02-19,0,0,0,
day,2026-02-20,0,0,0,
day,2026-02-21,0,0,0,
day,2026-02-22,0,0,0,
day,2026-02-23,0,0,0,
day,2026-02-24,0,0,0,
day,2026-02-25,0,0,0,
day,2026-02-26,0,0,0,
day,2026-02-27,0,0,0,
day,2026-02-28,0,0,0,
day,2026-03-01,15,9,71,
due,2026-03-01,,,,4
due,2026-03-02,,,,0
due,2026-03-03,,,,0
due,2026-03-04,,,,0
due,2026-03-05,,,,1
due,2026-03-06,,,,0
due,2026-03-07,,,,0
exam,2026-03-01,4,,,625
__END__
check csv
SYNCLAB_NOW=2026-03-01T10:05:00Z "$SYNCLAB" stats --format json >"$TMPDIR/json.got" 2>&1
cat > "$TMPDIR/json.want" <<'__END__'
{"attempts":15,"right":9,"score":0.7111,"domains":[{"name":"cloud-concepts","attempts":2,"right":1,"score":0.7500},{"name":"architecture-services","attempts":6,"right":5,"score":0.9444},{"name":"management-governance","attempts":7,"right":3,"score":0.5000}],"topics":[{"name":"governance","attempts":7,"right":3,"score":0.5000},{"name":"benefits","attempts":2,"right":1,"score":0.7500},{"name":"regions","attempts":4,"right":3,"score":0.9167},{"name":"offline-sync","attempts":2,"right":2,"score":1.0000}],"days":[{"name":"2026-02-16","attempts":0,"right":0,"score":0.0000},{"name":"2026-02-17","attempts":0,"right":0,"score":0.0000},{"name":"2026-02-18","attempts":0,"right":0,"score":0.0000},{"name":"2026-02-19","attempts":0,"right":0,"score":0.0000},{"name":"2026-02-20","attempts":0,"right":0,"score":0.0000},{"name":"2026-02-21","attempts":0,"right":0,"score":0.0000},{"name":"2026-02-22","attempts":0,"right":0,"score":0.0000},{"name":"2026-02-23","attempts":0,"right":0,"score":0.0000},{"name":"2026-02-24","attempts":0,"right":0,"score":0.0000},{"name":"2026-02-25","attempts":0,"right":0,"score":0.0000},{"name":"2026-02-26","attempts":0,"right":0,"score":0.0000},{"name":"2026-02-27","attempts":0,"right":0,"score":0.0000},{"name":"2026-02-28","attempts":0,"right":0,"score":0.0000},{"name":"2026-03-01","attempts":15,"right":9,"score":0.7111}],"cards":5,"leeches":0,"forecast":[{"day":"2026-03-01","due":4},{"day":"2026-03-02","due":0},{"day":"2026-03-03","due":0},{"day":"2026-03-04","due":0},{"day":"2026-03-05","due":1},{"day":"2026-03-06","due":0},{"day":"2026-03-07","due":0}],"exams":[{"id":1,"day":"2026-03-01","questions":4,"scaled":625,"passed":false}]}
__END__
check json

# --- the store: where it is, WAL, the schema version, every answer -------
DB="$SYNCLAB_HOME/progress.db"
[ -f "$DB" ] || { echo "FAIL no store at $DB"; fails=$((fails + 1)); }
got=$(sqlite3 "$DB" "PRAGMA journal_mode; PRAGMA user_version; SELECT count(*) FROM attempt; SELECT count(*) FROM card; SELECT source FROM attempt GROUP BY source ORDER BY source;" | tr '\n' ' ')
if [ "$got" = "wal 1 15 5 exam:1 practice review " ]; then echo "ok   store"; else
	echo "FAIL store: $got"; fails=$((fails + 1)); fi

# At 10:00:30 two cards are due (never answered in the review), and the
# one answered wrong at 10:00 comes due at 10:01, later today.
printf 'q\n' | SYNCLAB_NOW=2026-03-01T10:00:30Z "$SYNCLAB" review --bank "$BANK" >"$TMPDIR/r2.got" 2>&1
if head -1 "$TMPDIR/r2.got" | grep -qx "Due now: 2. Later today (UTC): 2."; then echo "ok   due line"; else
	echo "FAIL due line: $(head -1 "$TMPDIR/r2.got")"; fails=$((fails + 1)); fi

# XDG_DATA_HOME, then HOME, when SYNCLAB_HOME is unset; --db wins.
(unset SYNCLAB_HOME; XDG_DATA_HOME="$TMPDIR/xdg" "$SYNCLAB" stats >/dev/null)
[ -f "$TMPDIR/xdg/synclab/progress.db" ] && echo "ok   xdg" || { echo "FAIL xdg"; fails=$((fails + 1)); }
(unset SYNCLAB_HOME; HOME="$TMPDIR/h" "$SYNCLAB" stats >/dev/null)
[ -f "$TMPDIR/h/.local/share/synclab/progress.db" ] && echo "ok   home" || { echo "FAIL home"; fails=$((fails + 1)); }
"$SYNCLAB" stats --db "$TMPDIR/other/p.db" >/dev/null
[ -f "$TMPDIR/other/p.db" ] && echo "ok   --db" || { echo "FAIL --db"; fails=$((fails + 1)); }

# --- usage errors (2) and an invalid bank (1) ----------------------------
"$SYNCLAB" quiz --count 0 </dev/null >/dev/null 2>"$TMPDIR/err"; expect_rc 2 $? "quiz --count 0"
grep -q "^usage: synclab quiz " "$TMPDIR/err" || { echo "FAIL no usage line"; fails=$((fails + 1)); }
"$SYNCLAB" exam --topic x </dev/null >/dev/null 2>&1; expect_rc 2 $? "exam --topic"
"$SYNCLAB" stats --format xml >/dev/null 2>&1; expect_rc 2 $? "stats --format xml"
"$SYNCLAB" quiz --domain clouds </dev/null >/dev/null 2>&1; expect_rc 2 $? "quiz --domain clouds"
mkdir -p "$TMPDIR/bad"
printf '{"bank": "x",\n "questions": [{"id": "a", "type": "single"}]}\n' >"$TMPDIR/bad/b.json"
"$SYNCLAB" quiz --bank "$TMPDIR/bad" </dev/null >/dev/null 2>"$TMPDIR/err"; expect_rc 1 $? "invalid bank"
if grep -q "^$TMPDIR/bad/b.json:2:16: questions\[0\]: missing required \"stem\"$" "$TMPDIR/err"; then
	echo "ok   bank error"; else echo "FAIL bank error:"; cat "$TMPDIR/err"; fails=$((fails + 1)); fi
printf 'q\n' | "$SYNCLAB" quiz --bank "$BANK" --topic no-such-topic >/dev/null 2>"$TMPDIR/err"
expect_rc 1 $? "no matching questions"

[ "$fails" -eq 0 ]
