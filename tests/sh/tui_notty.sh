#!/bin/sh
# Without a terminal, synclab and synclab sim print one line pointing to
# `synclab run` and exit 2, instead of drawing escape codes into a pipe.
out="$TMPDIR/out"
for args in "" "sim" "sim first-sync"; do
	# shellcheck disable=SC2086
	"$SYNCLAB" $args </dev/null >"$out" 2>&1
	rc=$?
	[ "$rc" -eq 2 ] || { echo "synclab $args: exit $rc, not 2"; cat "$out"; exit 1; }
	[ "$(wc -l <"$out")" -eq 1 ] || { echo "synclab $args: not one line"; cat "$out"; exit 1; }
	grep -q 'synclab run' "$out" || { echo "synclab $args: no pointer to synclab run"; cat "$out"; exit 1; }
	grep -q "$(printf '\033')" "$out" && { echo "synclab $args: escape codes"; exit 1; }
done
# stdout a pipe, stdin a terminal-less file: the same.
"$SYNCLAB" sim first-sync </dev/null | cat >"$out" 2>&1
# Usage errors stay usage errors (exit 2 with a usage line).
"$SYNCLAB" sim --devices 99 </dev/null >"$out" 2>&1
rc=$?
[ "$rc" -eq 2 ] && grep -q '^usage: synclab sim' "$out" || { echo "bad --devices: exit $rc"; cat "$out"; exit 1; }
"$SYNCLAB" sim --bogus </dev/null >"$out" 2>&1
[ $? -eq 2 ] || { echo "unknown option: not exit 2"; exit 1; }
exit 0
