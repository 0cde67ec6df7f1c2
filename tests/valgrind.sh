#!/bin/sh
# tests/valgrind.sh BUILD: every unit test binary and one scenario replay
# under valgrind's memcheck; any leak or error fails.
build=$1
src=$(cd "$(dirname "$0")/.." && pwd)
fail=0
vg="valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect"
for t in "$build"/tests/test_*; do
	[ -x "$t" ] || continue
	if SYNCLAB_PROPERTY_RUNS=50 $vg "$t" >/dev/null 2>"$build/vg.err"; then
		echo "ok    valgrind $(basename "$t")"
	else
		echo "FAIL  valgrind $(basename "$t")"; cat "$build/vg.err"; fail=1
	fi
done
for s in first-sync lost-response; do
	f="$src/scenarios/$s.json"
	[ -f "$f" ] || continue
	if $vg "$build/synclab" run "$f" >/dev/null 2>"$build/vg.err"; then
		echo "ok    valgrind run $s"
	else
		echo "FAIL  valgrind run $s"; cat "$build/vg.err"; fail=1
	fi
done
exit $fail
