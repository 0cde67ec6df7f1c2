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

Question 1 of 5
For each statement, choose Yes or No.
  1. Azure regions contain one or more datacenters.
  2. Every region has availability zones.
  3. Region pairs are in the same geography.
Answer with one y or n per statement, e.g. y n y.
Your answer (? repeats the question, q stops):
> y y y
Partly right: 2 of 3 parts right, and each part earns its share, so 67%. The answer: y n y
  1. Yes: Azure regions contain one or more datacenters.
  2. No: Every region has availability zones.
  3. Yes: Region pairs are in the same geography.
Wrong: statement 2, you said Yes; it is No.
Why: Not every region has zones; pairs share a geography.
Outline 2.1.1 Regions, region pairs and sovereign regions (Azure architecture and services); topics: regions.
saved: t-yesno

Question 2 of 5
Scored all-or-nothing: choose Yes or No.
  1. Resource groups can be nested.
  2. A resource is in exactly one resource group.
Answer with one y or n per statement, e.g. y n y.
Your answer (? repeats the question, q stops):
> ?

Question 2 of 5
Scored all-or-nothing: choose Yes or No.
  1. Resource groups can be nested.
  2. A resource is in exactly one resource group.
Answer with one y or n per statement, e.g. y n y.
Your answer (? repeats the question, q stops):
> zz
Not an answer: type one y or n for each of the 2 statements, you gave 1.
Your answer (? repeats the question, q stops):
> y y
Not fully right: 1 of 2 parts right, but this question earns its point only when every part is right, so 0%. The answer: n y
  1. No: Resource groups can be nested.
  2. Yes: A resource is in exactly one resource group.
Wrong: statement 1, you said Yes; it is No.
Why: Resource groups cannot be nested; a resource belongs to one group.
Outline 3.2.2 Azure Policy (Azure management and governance); topics: governance.
saved: t-aon

Question 3 of 5
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
Outline 1.2.1 High availability and scalability (Cloud concepts); topics: benefits.
saved: t-multiple

Question 4 of 5
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
Outline 2.2.4 Application hosting options: web apps (App Service, incl. Mobile Apps backends, Notification Hubs, App Service plans), containers, VMs (Azure architecture and services); topics: offline-sync.
saved: t-ordering

Question 5 of 5
Azure Policy [1] resources; Azure RBAC [2] users.
  [1] a) bills  b) evaluates
  [2] a) authorizes  b) encrypts  c) deletes
Answer with one letter per blank, in order, e.g. b a.
Your answer (? repeats the question, q stops):
> b c
Partly right: 1 of 2 parts right, and each part earns its share, so 50%. The answer: b a
  [1] b) evaluates
  [2] a) authorizes
Wrong: blank 2, you chose c) deletes; it is a) authorizes.
Why: Policy evaluates resource properties; RBAC grants actions to identities.
Outline 3.2.2 Azure Policy (Azure management and governance); topics: governance.
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

Question 1 of 3
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
Outline 2.1.1 Regions, region pairs and sovereign regions (Azure architecture and services); topics: regions.
saved: t-yesno

Question 2 of 3
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
Outline 3.2.2 Azure Policy (Azure management and governance); topics: governance.
saved: t-aon

Question 3 of 3
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
Outline 3.2.2 Azure Policy (Azure management and governance); topics: governance.
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

flag
y y n
b d
go 1
y n y
go 4
prev
a
submit
y
EOF
expect_rc 0 $? "exam exit"
cat > "$TMPDIR/exam.want" <<'__END__'
Seed 3 (--seed 3 repeats this draw).
Mock exam: 4 questions in 45 minutes.
- Drawn as the AZ-900 outline weighs its domains: 1 on cloud concepts, 2 on Azure architecture and services, 1 on management and governance, spread over the outline's lines; exam-level questions only. Case-study questions come last, with their study.
- The clock starts when you press Enter; when time is up the exam is submitted with the answers given.
- No feedback until you submit: move back and forth, change answers, flag questions for review.
- Scoring: a question scored per part earns a point for each part right, any other a point when fully right; the score is 1 + round(999 x points / possible points), and 700 passes.
- The score is an estimate: Microsoft does not publish how it scales the real exam's points to 1-1000, and its questions are not these.
- You can abandon the exam at any time: it is then not scored, and no answer of it counts in your progress.
Press Enter to start the clock (q leaves without starting):
> 

Question 1 of 4
For each statement, choose Yes or No.
  1. Azure regions contain one or more datacenters.
  2. Every region has availability zones.
  3. Region pairs are in the same geography.
Answer with one y or n per statement, e.g. y n y.
Answer, or: next, prev, go N, flag, list, submit, abandon, ?, q (time left 45:00):
> flag
Question 1 flagged for review.
Answer, or: next, prev, go N, flag, list, submit, abandon, ?, q (time left 45:00):
> y y n
Answer to question 1 kept: y y n

Question 2 of 4
Which two are benefits of the cloud?
  a) No need for security
  b) High availability
  c) Elasticity
  d) Unlimited free storage
Choose 2.
Answer with the letters you choose, separated by spaces, e.g. a c.
Answer, or: next, prev, go N, flag, list, submit, abandon, ?, q (time left 45:00):
> b d
Answer to question 2 kept: b d

Question 3 of 4
Which tool estimates the cost of a planned deployment?
  a) Pricing calculator
  b) Azure Advisor
Answer with one letter, e.g. b.
Answer, or: next, prev, go N, flag, list, submit, abandon, ?, q (time left 45:00):
> go 1

Question 1 of 4 | flagged | your answer: y y n
For each statement, choose Yes or No.
  1. Azure regions contain one or more datacenters.
  2. Every region has availability zones.
  3. Region pairs are in the same geography.
Answer with one y or n per statement, e.g. y n y.
Answer, or: next, prev, go N, flag, list, submit, abandon, ?, q (time left 45:00):
> y n y
Answer to question 1 kept: y n y

Question 2 of 4 | your answer: b d
Which two are benefits of the cloud?
  a) No need for security
  b) High availability
  c) Elasticity
  d) Unlimited free storage
Choose 2.
Answer with the letters you choose, separated by spaces, e.g. a c.
Answer, or: next, prev, go N, flag, list, submit, abandon, ?, q (time left 45:00):
> go 4

Question 4 of 4
Case study: Field technicians
Technicians record meter readings on phones that are often offline.
Requirements:
  - Readings must never be lost.
  - Costs must stay low.
--
Which feature keeps the readings when a phone is offline?
  a) A bigger server
  b) A local store with offline sync
  c) Notification Hubs
Answer with one letter, e.g. b.
Answer, or: next, prev, go N, flag, list, submit, abandon, ?, q (time left 45:00):
> prev

Question 3 of 4
Which tool estimates the cost of a planned deployment?
  a) Pricing calculator
  b) Azure Advisor
Answer with one letter, e.g. b.
Answer, or: next, prev, go N, flag, list, submit, abandon, ?, q (time left 45:00):
> a
Answer to question 3 kept: a

Question 4 of 4
Case study: Field technicians
Technicians record meter readings on phones that are often offline.
Requirements:
  - Readings must never be lost.
  - Costs must stay low.
--
Which feature keeps the readings when a phone is offline?
  a) A bigger server
  b) A local store with offline sync
  c) Notification Hubs
Answer with one letter, e.g. b.
Answer, or: next, prev, go N, flag, list, submit, abandon, ?, q (time left 45:00):
> submit
1 unanswered, 1 flagged. Submit anyway? (y/n)
> y

Submitted.

Result
Score: 715 of 1000 (PASS; 700 is needed to pass).
Points: 5.00 of 7 (71%), mapped as 1 + round(999 x 0.7143) = 715.
Microsoft does not publish how it scales raw points to 1-1000;
this mapping is a simple linear one, so treat the score as a guide.
3 answered, 1 unanswered, 1 flagged.
By domain (weakest first):
  Cloud concepts                      50%  0 of 1 right
  Azure architecture and services     75%  1 of 2 right
  Azure management and governance    100%  1 of 1 right
By topic (weakest first):
  offline-sync                         0%  0 of 1 right
  benefits                            50%  0 of 1 right
  cost-management                    100%  1 of 1 right
  pricing                            100%  1 of 1 right
  regions                            100%  1 of 1 right

Every question, your answer and the right one:

[1/4] t-yesno. Outline 2.1.1 Regions, region pairs and sovereign regions (Azure architecture and services); topics: regions.
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

[2/4] t-multiple. Outline 1.2.1 High availability and scalability (Cloud concepts); topics: benefits.
Which two are benefits of the cloud?
  a) No need for security
  b) High availability
  c) Elasticity
  d) Unlimited free storage
Choose 2.
Answer with the letters you choose, separated by spaces, e.g. a c.
Your answer: b d
Partly right: 1 of 2 parts right, and each part earns its share, so 50%. The answer: b c
  b) High availability
  c) Elasticity
Why: Availability and elasticity are benefits; storage costs money and security is shared.

[3/4] t-cost. Outline 3.1.2 The pricing calculator (and the TCO calculator) (Azure management and governance); topics: pricing, cost-management.
Which tool estimates the cost of a planned deployment?
  a) Pricing calculator
  b) Azure Advisor
Answer with one letter, e.g. b.
Your answer: a
Right. The answer: a
  a) Pricing calculator
Why: The pricing calculator estimates; Advisor recommends for what runs.

[4/4] t-case. Outline 2.2.4 Application hosting options: web apps (App Service, incl. Mobile Apps backends, Notification Hubs, App Service plans), containers, VMs (Azure architecture and services); topics: offline-sync.
Which feature keeps the readings when a phone is offline?
  a) A bigger server
  b) A local store with offline sync
  c) Notification Hubs
Answer with one letter, e.g. b.
Your answer: (none)
Not answered. The answer: b
  b) A local store with offline sync
Why: The local SQLite store keeps readings until the next push.
saved: exam 1
__END__
check exam

# --- a --domain with fewer questions than --count says so --------------
got=$(printf 'q\n' | SYNCLAB_NOW=2026-03-01T09:35:00Z "$SYNCLAB" quiz --bank "$BANK" \
    --domain cloud-concepts --count 10 --seed 1 --db "$TMPDIR/short.db" 2>&1 | sed -n 2,3p)
want='Practice: 3 questions. Feedback after each answer.
Only 3 questions match --domain cloud-concepts, fewer than the 10 asked for: all 3 are asked.'
if [ "$got" = "$want" ]; then echo "ok   --domain short of --count"; else
	echo "FAIL --domain short of --count: $got"; fails=$((fails + 1)); fi

# --- mock exam: leave at the start screen; abandon after an answer -----
SYNCLAB_NOW=2026-03-01T09:40:00Z "$SYNCLAB" exam --bank "$BANK" --seed 3 --count 4 \
    --db "$TMPDIR/ab.db" >"$TMPDIR/ab1.got" 2>&1 <<'EOF'
q
EOF
expect_rc 0 $? "exam left at the start"
grep -q '^Press Enter to start the clock (q leaves without starting):$' "$TMPDIR/ab1.got" ||
	{ echo "FAIL no start screen"; fails=$((fails + 1)); }
grep -q '^You left before starting: nothing was scored.$' "$TMPDIR/ab1.got" ||
	{ echo "FAIL leaving at the start"; fails=$((fails + 1)); }
SYNCLAB_NOW=2026-03-01T09:40:00Z "$SYNCLAB" exam --bank "$BANK" --seed 3 --count 4 \
    --db "$TMPDIR/ab.db" >"$TMPDIR/ab2.got" 2>&1 <<'EOF'

y n y
abandon
n
abandon
y
EOF
expect_rc 0 $? "exam abandoned"
grep -q '^Exam abandoned: not scored.$' "$TMPDIR/ab2.got" ||
	{ echo "FAIL abandon"; fails=$((fails + 1)); }
grep -q '^Score' "$TMPDIR/ab2.got" && { echo "FAIL an abandoned exam was scored"; fails=$((fails + 1)); }
got=$(sqlite3 "$TMPDIR/ab.db" "SELECT count(*) FROM exam WHERE abandoned = 1 AND scaled IS NULL; SELECT count(*) FROM attempt;" | tr '\n' ' ')
if [ "$got" = "2 0 " ]; then echo "ok   abandoned exams stored"; else
	echo "FAIL abandoned exams stored: $got"; fails=$((fails + 1)); fi
"$SYNCLAB" stats --bank "$BANK" --db "$TMPDIR/ab.db" | grep -q '^  (2 abandoned, not scored)$' ||
	{ echo "FAIL stats: abandoned exams"; fails=$((fails + 1)); }

# --- review an hour later: Easy, a wrong answer (Again), Good, q --------
printf 'n y\ne\nb a\ny n y\n\nq\n' | SYNCLAB_NOW=2026-03-01T10:00:00Z \
    "$SYNCLAB" review --bank "$BANK" --seed 5 >"$TMPDIR/review.got" 2>&1
expect_rc 0 $? "review exit"
cat > "$TMPDIR/review.want" <<'__END__'
Due now: 6. Later today (UTC): 0.
Review: 6 cards due. A wrong answer counts as Again; after a right one,
rate how well you knew it.

Question 1 of 6
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
Outline 3.2.2 Azure Policy (Azure management and governance); topics: governance.
How well did you know it? h hard, g good (default), e easy:
> e
saved: t-aon (next in 4d)

Question 2 of 6
Azure Policy [1] resources; Azure RBAC [2] users.
  [1] a) evaluates  b) bills
  [2] a) encrypts  b) deletes  c) authorizes
Answer with one letter per blank, in order, e.g. b a.
Your answer (? repeats the question, q stops):
> b a
Wrong. The answer: a c
  [1] a) evaluates
  [2] c) authorizes
Wrong: blank 1, you chose b) bills; it is a) evaluates.
Wrong: blank 2, you chose a) encrypts; it is c) authorizes.
Why: Policy evaluates resource properties; RBAC grants actions to identities.
Outline 3.2.2 Azure Policy (Azure management and governance); topics: governance.
saved: t-dropdown (next in 1m)

Question 3 of 6
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
Outline 2.1.1 Regions, region pairs and sovereign regions (Azure architecture and services); topics: regions.
How well did you know it? h hard, g good (default), e easy:
> 
saved: t-yesno (next in 10m)

Question 4 of 6
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
3 not answered.
By domain (weakest first):
  Azure management and governance     33%  1 of 2 right
  Azure architecture and services    100%  1 of 1 right
By topic (weakest first):
  governance                          33%  1 of 2 right
  regions                            100%  1 of 1 right
__END__
check review

# --- stats ---------------------------------------------------------------
SYNCLAB_NOW=2026-03-01T10:05:00Z "$SYNCLAB" stats --bank "$BANK" >"$TMPDIR/stats.got" 2>&1
cat > "$TMPDIR/stats.want" <<'__END__'
Attempts: 14, fully right: 9, score 76%.

By domain (weakest first)            tries  right  score
  Azure management and governance        7      4   64%
  Cloud concepts                         2      1   75%
  Azure architecture and services        5      4   93%

By topic (weakest first)             tries  right  score
  governance                             6      3   58%
  benefits                               2      1   75%
  regions                                4      3   92%
  cost-management                        1      1  100%
  offline-sync                           1      1  100%
  pricing                                1      1  100%

Readiness for the real exam (an estimate from your answers; see docs/quiz.md):
  Overall: not enough answers yet (6 of 30 questions).
  Cloud concepts: not enough answers yet (1 of 8 questions).
  Azure architecture and services: not enough answers yet (2 of 8 questions).
  Azure management and governance: not enough answers yet (3 of 8 questions).

By outline line (weakest first)              tries  right  score  estimate
  3.2.2  Azure Policy                            6      3    58%       52%
  3.1.2  The pricing calculator (and the TCO cal     1      1   100%       71%
  1.2.1  High availability and scalability       2      1    75%       72%
  2.1.1  Regions, region pairs and sovereign reg     4      3    92%       82%
  2.2.4  Application hosting options: web apps (     1      1   100%       84%
  (51 outline lines not practised yet)

Last 14 days, 2026-02-16 to 2026-03-01 (score per day; blank = no attempts):
               *
  2026-03-01   14  76% ##############################

Review cards: 6 (0 leeches suspended). Due in the next 7 days:
  2026-03-01 (today)      5
  2026-03-02              0
  2026-03-03              0
  2026-03-04              0
  2026-03-05              1
  2026-03-06              0
  2026-03-07              0

Mock exams:
  2026-03-01   715/1000  pass  (4 questions)
__END__
check stats
SYNCLAB_NOW=2026-03-01T10:05:00Z "$SYNCLAB" stats --bank "$BANK" --format csv >"$TMPDIR/csv.got" 2>&1
cat > "$TMPDIR/csv.want" <<'__END__'
kind,name,attempts,right,percent,value
total,all,14,9,76,
domain,cloud-concepts,2,1,75,
domain,architecture-services,5,4,93,
domain,management-governance,7,4,64,
topic,governance,6,3,58,
topic,benefits,2,1,75,
topic,regions,4,3,92,
topic,cost-management,1,1,100,
topic,offline-sync,1,1,100,
topic,pricing,1,1,100,
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
day,2026-03-01,14,9,76,
due,2026-03-01,,,,5
due,2026-03-02,,,,0
due,2026-03-03,,,,0
due,2026-03-04,,,,0
due,2026-03-05,,,,1
due,2026-03-06,,,,0
due,2026-03-07,,,,0
exam,2026-03-01,4,,,715
ready,all,6,,,
ready,cloud-concepts,1,,,
ready,architecture-services,2,,,
ready,management-governance,3,,,
line,3.2.2,6,3,58,52
line,3.1.2,1,1,100,71
line,1.2.1,2,1,75,72
line,2.1.1,4,3,92,82
line,2.2.4,1,1,100,84
__END__
check csv
SYNCLAB_NOW=2026-03-01T10:05:00Z "$SYNCLAB" stats --bank "$BANK" --format json >"$TMPDIR/json.got" 2>&1
cat > "$TMPDIR/json.want" <<'__END__'
{"attempts":14,"right":9,"score":0.7619,"domains":[{"name":"cloud-concepts","attempts":2,"right":1,"score":0.7500},{"name":"architecture-services","attempts":5,"right":4,"score":0.9333},{"name":"management-governance","attempts":7,"right":4,"score":0.6429}],"topics":[{"name":"governance","attempts":6,"right":3,"score":0.5833},{"name":"benefits","attempts":2,"right":1,"score":0.7500},{"name":"regions","attempts":4,"right":3,"score":0.9167},{"name":"cost-management","attempts":1,"right":1,"score":1.0000},{"name":"offline-sync","attempts":1,"right":1,"score":1.0000},{"name":"pricing","attempts":1,"right":1,"score":1.0000}],"readiness":{"overall":{"enough":false,"questions":6,"needed":30,"pass":null,"expected":null,"low":null,"high":null},"domains":[{"name":"cloud-concepts","estimate":{"enough":false,"questions":1,"needed":8,"pass":null,"expected":null,"low":null,"high":null}},{"name":"architecture-services","estimate":{"enough":false,"questions":2,"needed":8,"pass":null,"expected":null,"low":null,"high":null}},{"name":"management-governance","estimate":{"enough":false,"questions":3,"needed":8,"pass":null,"expected":null,"low":null,"high":null}}]},"outline":[{"code":"3.2.2","title":"Azure Policy","domain":"management-governance","attempts":6,"right":3,"score":0.5833,"estimate":0.5238},{"code":"3.1.2","title":"The pricing calculator (and the TCO calculator)","domain":"management-governance","attempts":1,"right":1,"score":1.0000,"estimate":0.7142},{"code":"1.2.1","title":"High availability and scalability","domain":"cloud-concepts","attempts":2,"right":1,"score":0.7500,"estimate":0.7242},{"code":"2.1.1","title":"Regions, region pairs and sovereign regions","domain":"architecture-services","attempts":4,"right":3,"score":0.9167,"estimate":0.8181},{"code":"2.2.4","title":"Application hosting options: web apps (App Service, incl. Mobile Apps backends, Notification Hubs, App Service plans), containers, VMs","domain":"architecture-services","attempts":1,"right":1,"score":1.0000,"estimate":0.8382}],"unpractised":51,"days":[{"name":"2026-02-16","attempts":0,"right":0,"score":0.0000},{"name":"2026-02-17","attempts":0,"right":0,"score":0.0000},{"name":"2026-02-18","attempts":0,"right":0,"score":0.0000},{"name":"2026-02-19","attempts":0,"right":0,"score":0.0000},{"name":"2026-02-20","attempts":0,"right":0,"score":0.0000},{"name":"2026-02-21","attempts":0,"right":0,"score":0.0000},{"name":"2026-02-22","attempts":0,"right":0,"score":0.0000},{"name":"2026-02-23","attempts":0,"right":0,"score":0.0000},{"name":"2026-02-24","attempts":0,"right":0,"score":0.0000},{"name":"2026-02-25","attempts":0,"right":0,"score":0.0000},{"name":"2026-02-26","attempts":0,"right":0,"score":0.0000},{"name":"2026-02-27","attempts":0,"right":0,"score":0.0000},{"name":"2026-02-28","attempts":0,"right":0,"score":0.0000},{"name":"2026-03-01","attempts":14,"right":9,"score":0.7619}],"cards":6,"leeches":0,"forecast":[{"day":"2026-03-01","due":5},{"day":"2026-03-02","due":0},{"day":"2026-03-03","due":0},{"day":"2026-03-04","due":0},{"day":"2026-03-05","due":1},{"day":"2026-03-06","due":0},{"day":"2026-03-07","due":0}],"exams":[{"id":1,"day":"2026-03-01","questions":4,"scaled":715,"passed":true}],"abandoned":0}
__END__
check json

# --- the store: where it is, WAL, the schema version, every answer -------
DB="$SYNCLAB_HOME/progress.db"
[ -f "$DB" ] || { echo "FAIL no store at $DB"; fails=$((fails + 1)); }
got=$(sqlite3 "$DB" "PRAGMA journal_mode; PRAGMA user_version; SELECT count(*) FROM attempt; SELECT count(*) FROM card; SELECT source FROM attempt GROUP BY source ORDER BY source;" | tr '\n' ' ')
if [ "$got" = "wal 2 14 6 exam:1 practice review " ]; then echo "ok   store"; else
	echo "FAIL store: $got"; fails=$((fails + 1)); fi

# At 10:00:30 three cards are due (never answered in the review), and the
# one answered wrong at 10:00 comes due at 10:01, later today.
printf 'q\n' | SYNCLAB_NOW=2026-03-01T10:00:30Z "$SYNCLAB" review --bank "$BANK" >"$TMPDIR/r2.got" 2>&1
if head -1 "$TMPDIR/r2.got" | grep -qx "Due now: 3. Later today (UTC): 2."; then echo "ok   due line"; else
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
