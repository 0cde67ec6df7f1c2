#!/bin/sh
# tests/run.sh: runs every check of `make test` and ends with one line
# "N passed, N failed".
#
#   sh tests/run.sh BUILD [ASAN_BUILD [FUZZ_BUILD]]   everything
#   sh tests/run.sh --unit-only BUILD    the cmocka binaries of BUILD only
#
# Kinds of checks, each counted:
#   - every cmocka test case in BUILD/tests/test_* (and in ASAN_BUILD);
#   - every shipped scenario replayed headless (synclab run, expectations);
#   - the shipped question bank checked for answer cues (synclab check);
#   - the convergence property over the first 1000 generated scenarios
#     (BUILD/tests/prop; make soak runs 10,000);
#   - each libFuzzer harness of FUZZ_BUILD for FUZZ_SMOKE (5) seconds
#     (tests/fuzz/run.sh), so that a regression shows here;
#   - the shipped scenarios checked (synclab check: no answer given away);
#   - every tests/sh/*.sh script (exit 0 = pass); they get SYNCLAB (the
#     binary), SRCDIR (the tree) and TMPDIR (a fresh folder) in the
#     environment.
unit_only=0
if [ "$1" = "--unit-only" ]; then unit_only=1; shift; fi
build=$1
asan=$2
fuzz=$3
src=$(cd "$(dirname "$0")/.." && pwd)
pass=0
fail=0
failed_list=""
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT

ok()   { pass=$((pass + 1)); echo "ok    $1"; }
bad()  { fail=$((fail + 1)); failed_list="$failed_list $1"; echo "FAIL  $1"; }

run_unit() {
	for t in "$(cd "$1" && pwd)"/tests/test_*; do
		[ -x "$t" ] || continue
		name="$(basename "$t")$2"
		out="$log/$(basename "$t")$2.out"
		(cd "$src" && CMOCKA_MESSAGE_OUTPUT=stdout "$t") >"$out" 2>&1
		rc=$?
		p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$out" | awk '{s+=$1} END {print s+0}')
		f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$out" | awk '{s+=$1} END {print s+0}')
		pass=$((pass + p))
		fail=$((fail + f))
		if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
			fail=$((fail + 1))	# crashed or died outside a test case
		fi
		if [ "$rc" -ne 0 ]; then
			failed_list="$failed_list $name"
			echo "FAIL  $name ($p passed, $f failed, exit $rc)"
			sed 's/^/      /' "$out" | grep -v '^      \[ \(RUN\|      OK\) ' | tail -40
		else
			echo "ok    $name ($p tests)"
		fi
	done
}

run_unit "$build" ""
if [ "$unit_only" = 0 ]; then
	[ -n "$asan" ] && run_unit "$asan" " (asan+ubsan)"
	bin="$build/synclab"
	for s in "$src"/scenarios/*.json; do
		[ -f "$s" ] || continue
		name="scenario $(basename "$s" .json)"
		if "$bin" run "$s" >"$log/scn.out" 2>&1; then ok "$name"; else
			bad "$name"; tail -30 "$log/scn.out" | sed 's/^/      /'; fi
	done
	# The shipped bank has no unwaived answer cue (docs/question-format.md,
	# "Cue checks").
	# No shipped scenario gives the answer of a question away before it
	# is asked (docs/scenario-format.md, "Answer leaks").
	if "$bin" check "$src/scenarios" >"$log/leaks.out" 2>&1; then
		ok "scenario answer leaks (synclab check scenarios)"; else
		bad "scenario answer leaks (synclab check scenarios)"
		tail -30 "$log/leaks.out" | sed 's/^/      /'; fi
	if "$bin" check "$src/data/questions" >"$log/cues.out" 2>&1; then
		ok "bank cues (synclab check data/questions)"; else
		bad "bank cues (synclab check data/questions)"
		tail -30 "$log/cues.out" | sed 's/^/      /'; fi
	if [ -x "$build/tests/prop" ]; then
		if "$build/tests/prop" --seeds 1000 >"$log/prop.out" 2>&1; then
			ok "property: $(tail -1 "$log/prop.out")"; else
			bad "property (tests/prop --seeds 1000)"
			tail -30 "$log/prop.out" | sed 's/^/      /'; fi
	fi
	if [ -n "$fuzz" ]; then
		sh "$src/tests/fuzz/run.sh" "$fuzz" "${FUZZ_SMOKE:-5}" >"$log/fuzz.out" 2>&1
		while IFS= read -r line; do
			case $line in
			"ok    "*) ok "${line#ok    }" ;;
			"FAIL  "*) bad "${line#FAIL  }" ;;
			*) echo "$line" ;;
			esac
		done <"$log/fuzz.out"
	fi
	for t in "$src"/tests/sh/*.sh; do
		[ -f "$t" ] || continue
		name="sh $(basename "$t" .sh)"
		tmp=$(mktemp -d)
		if SYNCLAB="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")" SRCDIR="$src" \
		    TMPDIR="$tmp" sh "$t" >"$log/sh.out" 2>&1; then ok "$name"; else
			bad "$name"; tail -30 "$log/sh.out" | sed 's/^/      /'; fi
		rm -rf "$tmp"
	done
fi
[ -n "$failed_list" ] && echo "failed:$failed_list"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
