#!/bin/sh
# tests/fuzz/run.sh FUZZBUILD SECONDS [NAME...]: runs each libFuzzer
# harness FUZZBUILD/fuzz/fuzz_NAME (all of them when no NAME is given) for
# SECONDS seconds and prints one line per harness,
#
#     ok    fuzz NAME (N runs in S s)      or      FAIL  fuzz NAME ...
#
# then exits 1 when any failed.  Seeds: the shipped scenarios and question
# files and tests/fuzz/seeds/NAME; each harness grows its own corpus in
# FUZZBUILD/corpus/NAME, and a crashing input is written to
# FUZZBUILD/crashes/NAME-crash-HASH (replay it: FUZZBUILD/fuzz/fuzz_NAME
# FILE).  Nothing is written into the tree.
build=$1
secs=${2:-60}
shift 2 2>/dev/null
src=$(cd "$(dirname "$0")/../.." && pwd)
names=$*
if [ -z "$names" ]; then
	for b in "$build"/fuzz/fuzz_*; do
		[ -x "$b" ] && names="$names ${b##*/fuzz_}"
	done
fi
[ -n "$names" ] || { echo "FAIL  fuzz: no harness in $build/fuzz"; exit 1; }
mkdir -p "$build/crashes"
rc=0
for n in $names; do
	case $n in
	scn|run) seeds="$src/scenarios $src/tests/data/scenarios" ;;
	quiz)    seeds="$src/data/questions $src/tests/data/questions" ;;
	*)       seeds="$src/tests/fuzz/seeds/$n" ;;
	esac
	corpus="$build/corpus/$n"
	mkdir -p "$corpus"
	log="$build/fuzz-$n.log"
	# -timeout: one input taking 60 s is a finding (linear time on any
	# input; the shipped fleet scenario takes seconds under ASan on a
	# loaded machine); -rss_limit_mb likewise for memory.
	UBSAN_OPTIONS=print_stacktrace=1 \
	"$build/fuzz/fuzz_$n" -max_total_time="$secs" -timeout=60 \
	    -rss_limit_mb=2048 -print_final_stats=0 \
	    -artifact_prefix="$build/crashes/$n-" "$corpus" $seeds \
	    >"$log" 2>&1
	st=$?
	runs=$(sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\1 runs in \2 s/p' "$log" | tail -1)
	if [ $st -eq 0 ] && [ -n "$runs" ]; then
		echo "ok    fuzz $n ($runs)"
	else
		rc=1
		echo "FAIL  fuzz $n (exit $st; log $log)"
		grep -E 'ERROR|runtime error|fuzz_|Test unit written|SUMMARY' "$log" |
		    head -20 | sed 's/^/      /'
	fi
done
exit $rc
