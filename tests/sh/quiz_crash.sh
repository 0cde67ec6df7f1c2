#!/bin/sh
# quiz_crash.sh: a plain-mode practice session killed with SIGKILL at
# random points, 30 times, on one progress store.  After every kill:
# PRAGMA integrity_check is ok, every answer the session reported as saved
# ("saved: ID") is in the store in the same order, and at most one more
# answer (committed, killed before its line was printed) is there.  Then
# two sessions share the store at the same time.
set -u
: "${SYNCLAB:?}" "${SRCDIR:?}" "${TMPDIR:?}"
export LC_ALL=C
. "$SRCDIR/tests/lib/poll.sh"
DB="$TMPDIR/progress.db"
RUNS=30
N=300

# A generated bank of N single-choice questions, and N answers.
{
	printf '{"bank": "crash", "questions": [\n'
	i=1
	while [ $i -le $N ]; do
		case $((i % 3)) in
		0) d=cloud-concepts o=1.1.1 ;; 1) d=architecture-services o=2.1.1 ;;
		*) d=management-governance o=3.1.1 ;;
		esac
		[ $i -gt 1 ] && printf ',\n'
		printf '{"id": "c%d", "type": "single", "stem": "Question %d?", "options": ["yes", "no"], "answer": 0, "explanation": "Because.", "topics": ["t%d"], "domain": "%s", "objective": "%s"}' $i $i $((i % 7)) $d $o
		i=$((i + 1))
	done
	printf '\n]}\n'
} >"$TMPDIR/crash.json"
mkdir -p "$TMPDIR/bank"
mv "$TMPDIR/crash.json" "$TMPDIR/bank/"
i=0
while [ $i -lt $N ]; do echo a; i=$((i + 1)); done >"$TMPDIR/answers"

# 0 once the run $pid printed $want "saved:" lines into $out, or ended.
saved_or_gone() {
	n=$(grep -c '^saved: ' "$out" 2>/dev/null || true)
	[ "${n:-0}" -ge "$want" ] && return 0
	kill -0 "$pid" 2>/dev/null || return 0
	return 1
}

fails=0
run=1
while [ $run -le $RUNS ]; do
	# Each run has its own minute, so its attempts are told apart by time.
	now=$(printf '2026-03-01T00:%02d:00Z' "$run")
	# Kill after a random number of saved answers (0: at once, possibly
	# while the store is being created).
	want=$(awk -v s="$run" 'BEGIN { srand(s * 7919); print int(rand() * 60) }')
	out="$TMPDIR/run$run.out"
	SYNCLAB_NOW="$now" "$SYNCLAB" quiz --plain --db "$DB" --bank "$TMPDIR/bank" \
	    --seed "$run" --count $N <"$TMPDIR/answers" >"$out" 2>&1 &
	pid=$!
	if ! POLL_EVERY=0.01 poll 20 saved_or_gone; then
		echo "FAIL run $run: no progress before the deadline"; fails=$((fails + 1))
	fi
	kill -KILL $pid 2>/dev/null
	wait $pid 2>/dev/null

	ok=$(sqlite3 "$DB" "PRAGMA integrity_check" 2>&1)
	if [ "$ok" != "ok" ]; then
		echo "FAIL run $run: integrity_check: $ok"; fails=$((fails + 1))
	fi
	printed=$(sed -n 's/^saved: //p' "$out" | tr '\n' ' ')
	stored=$(sqlite3 "$DB" "SELECT qid FROM attempt WHERE at = strftime('%s', '$(echo "$now" | tr T ' ' | tr -d Z)') ORDER BY id" 2>/dev/null | tr '\n' ' ')
	np=$(echo "$printed" | wc -w)
	ns=$(echo "$stored" | wc -w)
	case "$stored" in
	"$printed"*) ;;
	*) echo "FAIL run $run: stored answers differ from the saved lines"; fails=$((fails + 1)) ;;
	esac
	if [ "$ns" -gt $((np + 1)) ]; then
		echo "FAIL run $run: $ns stored but only $np reported"; fails=$((fails + 1))
	fi
	echo "run $run: killed after $np saved (target $want), $ns stored"
	run=$((run + 1))
done

# Two sessions writing the same store at once both finish: the busy
# timeout makes each wait for the other's transaction.
before=$(sqlite3 "$DB" "SELECT count(*) FROM attempt")
SYNCLAB_NOW=2026-03-02T00:00:00Z "$SYNCLAB" quiz --plain --db "$DB" --bank "$TMPDIR/bank" \
    --seed 101 --count 100 <"$TMPDIR/answers" >"$TMPDIR/c1.out" 2>&1 &
p1=$!
SYNCLAB_NOW=2026-03-02T00:00:00Z "$SYNCLAB" quiz --plain --db "$DB" --bank "$TMPDIR/bank" \
    --seed 102 --count 100 <"$TMPDIR/answers" >"$TMPDIR/c2.out" 2>&1 &
p2=$!
wait $p1; r1=$?
wait $p2; r2=$?
after=$(sqlite3 "$DB" "SELECT count(*) FROM attempt")
if [ $r1 -ne 0 ] || [ $r2 -ne 0 ] || [ $((after - before)) -ne 200 ]; then
	echo "FAIL concurrent sessions: exits $r1 $r2, $((after - before)) stored of 200"
	tail -3 "$TMPDIR/c1.out" "$TMPDIR/c2.out"
	fails=$((fails + 1))
else
	echo "two concurrent sessions: 200 answers stored"
fi

# The store still works for everything after all that.
"$SYNCLAB" stats --db "$DB" >/dev/null || { echo "FAIL stats after the kills"; fails=$((fails + 1)); }
total=$(sqlite3 "$DB" "SELECT count(*) FROM attempt")
echo "$total answers stored over $RUNS killed sessions"
[ "$fails" -eq 0 ]
