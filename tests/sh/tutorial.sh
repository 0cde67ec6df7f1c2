#!/bin/sh
# Follows docs/tutorial-first-scenario.md literally: every ```json block is
# saved as first.json in turn, and the ```sh block after it is run as
# written (synclab being the binary under test); every command must
# succeed.  The last stage must also show its question and every
# expectation held.
set -u
doc="$SRCDIR/docs/tutorial-first-scenario.md"
cd "$TMPDIR" || exit 1
synclab() { "$SYNCLAB" "$@"; }
n=0 fail=0
awk -v dir="$TMPDIR" '
	/^```json$/ { n++; f = sprintf("%s/stage%d.json", dir, n); inj = 1; next }
	/^```sh$/ { f = sprintf("%s/stage%d.sh", dir, n); ins = 1; next }
	/^```$/ { inj = 0; ins = 0; next }
	inj || ins { print > f }
' "$doc"
for j in "$TMPDIR"/stage*.json; do
	n=$((n + 1))
	cp "$TMPDIR/stage$n.json" first.json
	[ -f "$TMPDIR/stage$n.sh" ] || { echo "stage $n: no command"; fail=1; continue; }
	while IFS= read -r cmd; do
		[ -n "$cmd" ] || continue
		out=$(eval "$cmd" 2>&1)
		rc=$?
		if [ $rc -ne 0 ]; then
			echo "stage $n: \"$cmd\" exits $rc"
			printf '%s\n' "$out" | tail -20
			fail=1
		else
			echo "stage $n: $cmd: ok"
		fi
		case "$cmd" in *check*)
			printf '%s\n' "$out" | grep -q '^1 file ok$' || {
				echo "stage $n: check did not say 1 file ok"; fail=1; } ;;
		esac
	done < "$TMPDIR/stage$n.sh"
done
[ "$n" -eq 4 ] || { echo "expected 4 stages, found $n"; fail=1; }
out=$("$SYNCLAB" run first.json)
printf '%s\n' "$out" | grep -q 'first-push-version' || { echo "no question"; fail=1; }
printf '%s\n' "$out" | grep -q '✗' && { echo "an expectation failed"; fail=1; }
printf '%s\n' "$out" | grep -q 'everything looks good' || { echo "checker"; fail=1; }
exit $fail
