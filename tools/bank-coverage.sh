#!/bin/sh
# tools/bank-coverage.sh: regenerates the coverage table by outline line in
# docs/question-bank.md (between its coverage-by-line markers) from the
# shipped bank.  Run it from the tree after changing data/questions:
#
#   make -j2 && sh tools/bank-coverage.sh [BUILD/synclab]
#
# tests/test_bank.c fails when the page and the bank disagree.
set -eu
cd "$(dirname "$0")/.."
bin=${1:-build/synclab}
doc=docs/question-bank.md
table=$(mktemp)
trap 'rm -f "$table" "$table.md"' EXIT
if ! "$bin" check --coverage data/questions >"$table"; then
	cat "$table" >&2
	exit 1
fi
grep -q '^<!-- coverage-by-line:begin' "$doc" &&
    grep -q '^<!-- coverage-by-line:end' "$doc" || {
	echo "$doc: the coverage-by-line markers are missing" >&2
	exit 1
}
awk -v table="$table" '
	/^<!-- coverage-by-line:begin/ { print; while ((getline l < table) > 0) print l; skip = 1; next }
	/^<!-- coverage-by-line:end/ { skip = 0 }
	!skip { print }
' "$doc" >"$table.md"
cat "$table.md" >"$doc"
echo "$doc: coverage table updated"
