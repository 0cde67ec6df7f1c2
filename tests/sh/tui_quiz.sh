#!/bin/sh
# tui_quiz.sh: the quiz screens in a real terminal (tmux, 100x30) on the
# small fixed bank, with fixed seeds and a fixed clock: one practice
# question answered with its feedback; a letter that answers at once
# with an Enter right behind it; a mock exam from its start screen with a
# flagged question that the review list shows flagged, then submit and the
# score screen; an exam left at the start screen and one abandoned; the
# progress screen (readiness, outline lines) from the command line
# (monochrome) and from Home.
T_SOCK=q$$
. "$SRCDIR/tests/lib/tmux.sh"
BANK="$SRCDIR/tests/data/questions"
NOW=SYNCLAB_NOW=2026-03-01T09:00:00Z

# --- practice: the seed puts the yes/no question first ------------------
t_start 100 30 $(t_env) $NOW "$SYNCLAB" quiz --bank "$BANK" --seed 7 \
    --count 3
t_wait '^ Practice .*Question 1 of 3'
t_wait 'For each statement, choose Yes or No\.'
t_wait '▶ 1\. \[ \? \] Azure regions contain one or more datacenters\.'
# Enter before every statement has an answer is refused, with the reason.
t_keys y Enter
t_wait 'Answer every statement with y or n \(1 of 3 answered\)'
t_keys n y
t_wait '3\. \[Yes\] Region pairs are in the same geography\.'
t_keys Enter
t_wait '✓ Right\. The answer: y n y'
t_wait '2\. \[No \] Every region has availability zones\. ✓ right'
t_wait 'Why: Not every region has zones; pairs share a geography\.'
t_wait '1 answered, 1 right'
t_wait 'Enter: the next question\.'
# q ends the practice: the summary counts the one answer.
t_keys q
t_wait '^ Practice summary'
t_wait '1 of 1 answered questions fully right; score 100%\.'
t_wait '✓ right +1\. For each statement'
t_keys q
t_wait '\[exit 0\]'
t_stop

# --- practice: a letter answers a single-choice question at once; an
# Enter that comes with it does not skip the feedback ---------------------
t_start 100 30 $(t_env) $NOW "$SYNCLAB" quiz --bank "$BANK" --topic pricing \
    --seed 3 --count 2
t_wait '^ Practice .*Question 1 of 2'
t_wait 'a letter \(or 1-8\) picks an option'
t_keys a Enter
t_wait 'That Enter came with the answer'
t_wait 'Why: '
t_wait 'Outline 3\.1\.2 The pricing calculator|Outline 1\.1\.4 Describe the consumption'
t_wait '^ Practice .*Question 1 of 2'
t_keys Enter
t_wait '^ Practice .*Question 2 of 2'
t_keys q
t_wait '^ Practice summary'
t_keys q
t_wait '\[exit 0\]'
t_stop

# --- mock exam: the start screen, flag, the review list, submit ---------
t_start 100 30 $(t_env) $NOW "$SYNCLAB" exam --bank "$BANK" --seed 3 \
    --count 9 --minutes 30
t_wait '^ Mock exam .*30:00, not started'
t_wait 'Mock exam: 9 questions in 30 minutes\.'
t_wait '3 on cloud concepts, 3 on Azure architecture'
t_wait 'The score is an estimate'
t_wait 'Press Enter to start the clock; q leaves without starting\.'
t_wait 'Enter start +q leave'
t_keys Enter
t_wait '^ Mock exam  Question 1 of 9 .*Time left 30:00'
t_wait 'not answered \| 0 answered, 9 unanswered, 0 flagged'
t_gone 'Azure architecture and services'
t_keys b d c
t_wait 'answer kept: b d c \| 1 answered, 8 unanswered, 0 flagged'
t_keys m
t_wait 'Question 1 flagged for review'
t_wait '^ FLAGGED  answer kept: b d c'
t_keys Right
t_wait 'Mock exam  Question 2 of 9'
# Too small, then back: the exam is still there.  q on the small screen
# means back, so the exam asks before it ends, and n keeps it.
t_resize 50 12
t_wait 'Terminal too small'
t_keys q
t_wait 'End and submit the exam\?'
t_keys n
t_gone 'End and submit the exam'
t_wait 'Terminal too small'
t_resize 100 30
t_wait 'Mock exam  Question 2 of 9'
t_wait 'answer kept|not answered'
t_keys r
t_wait 'Mock exam  Review list .*Time left 30:00'
t_wait '1 answered, 8 unanswered, 1 flagged\.  Showing: all'
t_wait '^│ +1  answered +FLAGGED +Put the steps'
t_wait '2  unanswered +<- Which model'
t_keys f
t_wait 'Showing: flagged only'
t_gone '2  unanswered'
t_keys Enter
t_wait 'Mock exam  Question 1 of 9'
t_keys s
t_wait 'Submit the exam\?'
t_wait '1 answered, 8 unanswered, 1 flagged\.'
t_keys y
t_wait '^ Mock exam result .*68 / 1000  FAIL'
# 1 of 15 points: 1 + round(999 x 1/15) = 68.
t_wait 'Score 68 of 1000: FAIL +\(700 is needed to pass\)'
t_wait 'Points: 1\.00 of 15 \(7%\)'
t_wait 'By domain \(weakest first\)'
t_wait 'Azure architecture and services .* 20% +1 of 3 right'
# The questions one by one: ] jumps to the first.
t_keys ']'
t_wait '^  \[1/9\] 2\.2\.4 Azure architecture and services +✓ right +\(flagged\)'
t_keys ']'
t_wait '^  \[2/9\] 1\.1\.4 Cloud concepts +✗ not answered'
t_wait '✗ Not answered\. The answer: c'
t_keys q
t_wait '\[exit 0\]'
t_stop

# --- mock exam: leave from the start screen; abandon with x -------------
t_start 100 30 $(t_env) $NOW "$SYNCLAB" exam --bank "$BANK" --seed 4 \
    --count 9
t_wait 'Before you start'
t_keys q
t_wait '\[exit 0\]'
t_stop
t_start 100 30 $(t_env) $NOW "$SYNCLAB" exam --bank "$BANK" --seed 5 \
    --count 9
t_wait 'Before you start'
t_keys Enter
t_wait 'Mock exam  Question 1 of 9'
t_wait 'x abandon'
t_keys x
t_wait 'Abandon the exam\?'
t_wait 'An abandoned exam is not scored'
t_keys n
t_gone 'Abandon the exam\?'
t_keys x y
t_wait '\[exit 0\]'
t_stop
got=$(sqlite3 "$TMPDIR/home/progress.db" \
    "SELECT count(*) FROM exam WHERE abandoned = 1 AND scaled IS NULL" 2>&1)
[ "$got" = 2 ] || t_fail "abandoned exams in the store: $got"

# --- progress: from the command line, without colour --------------------
t_start 100 30 $(t_env) $NOW NO_COLOR=1 "$SYNCLAB" stats --bank "$BANK"
t_wait '^ Progress '
t_wait '3 attempts, 3 fully right'
t_wait 'Readiness for the real exam'
t_wait 'Overall +not enough answers yet \(3 of 30 questions\)'
t_wait 'Outline lines, weakest first'
t_wait 'Accuracy per domain \(weakest first\)'
t_keys G
t_wait 'Accuracy trend'
t_wait '2026-03-01 +3 .*100% score'
t_tmux capture-pane -e -p -t t |
    grep -Eq '\[([0-9;]*;)?(3[0-7]|4[0-7]|38;|48;)[0-9;]*m' &&
    t_fail "colour with NO_COLOR=1"
t_keys G
t_wait 'Mock exams \(700 of 1000 passes\)'
t_wait '#1 +2026-03-01 09:00 +9 questions +68 .*✗ FAIL'
t_keys q
t_wait '\[exit 0\]'
t_stop

# --- progress from Home (the sixth entry) --------------------------------
t_start 100 30 $(t_env) $NOW "$SYNCLAB"
t_wait 'Learn how mobile offline sync really works'
t_keys j j j j j Enter
t_wait '^ Progress '
t_wait '3 attempts, 3 fully right'
t_keys q
t_wait 'Learn how mobile offline sync really works'
t_keys q
t_wait '\[exit 0\]'
t_stop
exit 0
