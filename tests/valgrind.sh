#!/bin/sh
# tests/valgrind.sh BUILD: every unit test binary, two scenario replays and
# three walks through the terminal UI (drawn headless by
# BUILD/tests/screendump) under valgrind's memcheck; any leak or error
# fails.
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
# The UI: a scenario with a question, a manual conflict, the sequence
# diagram and the inspector; practice to its summary; an exam submitted.
vgt=$(mktemp -d)
sd="$(cd "$build" && pwd)/tests/screendump"
bank="$src/tests/data/questions"
walk() {
	name=$1
	shift
	if (cd "$vgt" && SYNCLAB_HOME="$vgt" HOME="$vgt" LC_ALL=C.UTF-8 \
	    SYNCLAB_NOW=2026-03-01T09:00:00Z $vg "$sd" \
	    --datadir "$src/scenarios" "$@") \
	    >/dev/null 2>"$build/vg.err"; then
		echo "ok    valgrind ui $name"
	else
		echo "FAIL  valgrind ui $name"; cat "$build/vg.err"; fail=1
	fi
}
walk healthcare sim healthcare -- l l l l y Space n Space n Enter Enter \
    l l l l l l l l l l a Enter Enter j j s Enter S q I "SELECT 1" Enter Esc
walk practice --bank "$bank" --db p.db --seed 7 --count 3 quiz -- \
    y n y Enter Enter q r q
walk exam --bank "$bank" --db p.db --seed 3 --count 9 exam -- \
    Enter Right Right Right y n y m Right r Esc s y
rm -rf "$vgt"
exit $fail
