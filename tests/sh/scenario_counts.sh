#!/bin/sh
# The checker's counts for every shipped scenario, as its lesson states
# them (docs/scenarios.md): converged or not, unexplained lost writes,
# edits overwritten unseen, edits discarded by a recorded decision, and
# operations still queued after the final sync.  A scenario missing from
# the table fails, so a new one must state its counts here.
set -u
fail=0
# id converged lost overwritten discarded queued
table='
both-edits           no  0 0 0 1
client-wins          yes 0 1 0 0
clock-skew           yes 0 1 0 0
counter-overwrite    yes 0 2 0 0
datasync-settles-later yes 0 2 0 0
edit-deleted-row     yes 0 0 1 0
field-service        yes 0 1 0 0
first-sync           yes 0 0 0 0
healthcare           yes 0 0 0 0
incremental-pull     yes 0 0 0 0
js-lost-insert       yes 0 0 1 0
js-push-stops        no  0 0 0 3
last-writer-wins     yes 0 1 0 0
lost-response        yes 0 0 0 0
offline-queue        yes 0 0 0 0
page-by-link         yes 0 0 0 0
page-race            no  0 0 0 0
pull-while-dirty     no  0 0 0 1
queue-collapse       yes 0 0 0 0
retail-inventory     yes 0 0 1 0
same-millisecond     no  0 0 0 0
see-the-deletion     no  0 0 0 0
server-wins          yes 0 0 1 0
soft-vs-hard-delete  no  0 0 0 0
stuck-412            no  0 0 0 1
unstick-queue        no  0 0 0 1
plan-cheapest-tier   yes 0 0 0 0
plan-free-cpu        yes 0 0 0 0
plan-storm           yes 0 0 0 0
push-apns-offline    yes 0 0 0 0
push-fcm-collapse    yes 0 0 0 0
push-quota           yes 0 0 0 0
push-scheduled       yes 0 0 0 0
push-fcm-overflow    yes 0 0 0 0
push-tags            yes 0 0 0 0
push-templates       yes 0 0 0 0
push-to-sync         yes 0 0 0 0
auth-facebook-no-refresh yes 0 0 0 0
auth-overnight-expiry yes 0 0 0 0
auth-per-user-rows   yes 0 0 1 0
auth-signout-queue   yes 0 0 0 0
auth-stolen-token    yes 0 0 0 0
auth-two-flows       yes 0 0 0 0
catch-up-pull        yes 0 0 0 0
client-wins-careful  yes 0 0 0 1
collapse-to-nothing  yes 0 0 0 0
count-both-sales     yes 0 0 0 2
last-writer-order    yes 0 0 0 2
lost-request         yes 0 0 0 0
lost-response-insert no  0 0 0 1
own-write-412        no  0 0 0 1
server-wins-insist   yes 0 0 1 0
spread-a-deletion    yes 0 0 0 0
three-way-merge      no  0 0 0 2
warmup-offline       yes 0 0 0 1
warmup-push          yes 0 0 0 0
'
for f in "$SRCDIR"/scenarios/*.json; do
	id=$(basename "$f" .json)
	want=$(printf '%s\n' "$table" | awk -v id="$id" '$1 == id { print $2, $3, $4, $5, $6 }')
	if [ -z "$want" ]; then
		echo "FAIL $id: no line in the table of tests/sh/scenario_counts.sh"
		fail=1
		continue
	fi
	v=$("$SYNCLAB" run "$f" --format text | grep 'verdict')
	case "$v" in *"NOT converged"*) conv=no ;; *) conv=yes ;; esac
	got=$(printf '%s\n' "$v" | sed -E 's/.* ([0-9]+) unexplained lost writes?, [0-9]+ superseded \(([0-9]+) overwritten unseen\), ([0-9]+) discarded by a recorded decision, ([0-9]+) operations? still queued.*/\1 \2 \3 \4/')
	if [ "$conv $got" != "$want" ]; then
		echo "FAIL $id: want \"$want\", the checker says \"$conv $got\""
		echo "     $v"
		fail=1
	else
		echo "ok   $id: $conv $got"
	fi
done
exit $fail
