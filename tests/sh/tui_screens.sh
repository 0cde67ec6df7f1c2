#!/bin/sh
# tui_screens.sh: the golden screens.  Every case of tests/screens/cases is
# drawn headless (build/tests/screendump: the real screens on ncurses
# newterm(), fed the case's keys) and compared with tests/screens/NAME.txt:
# the text, the hardware cursor and the style of every cell, so colour,
# NO_COLOR and ASCII are each checked.  The captures of docs/screens/ and
# the screens embedded in README.md (after a "<!-- screen: NAME -->" line)
# must be the text of their case: a doc that drifts from the real screen
# fails here.  Every file of tests/screens/ and docs/screens/ needs a case.
#
# SCREENS_UPDATE=1 (`make screens`) writes all of them from the real
# screens instead of comparing.
set -f		# keys such as ? are not file patterns
dump="$(dirname "$SYNCLAB")/tests/screendump"
cases="$SRCDIR/tests/screens/cases"
BANK="$SRCDIR/tests/data/questions"
update=${SCREENS_UPDATE:-0}
unset NO_COLOR
fail=0
names=" "

bad() { echo "FAIL: $1"; fail=1; }

while IFS= read -r line; do
	case $line in ''|'#'*) continue ;; esac
	name=$(echo "${line%%|*}" | tr -d ' \t')
	args=${line#*|}
	names="$names$name "
	home="$TMPDIR/home-$name"
	mkdir -p "$home"
	DB="$name.db"		# relative: the progress screen shows it
	out="$TMPDIR/$name.txt"
	eval "set -- $args"
	if ! (cd "$TMPDIR" && SYNCLAB_HOME="$home" HOME="$home" \
	    XDG_DATA_HOME="$home" SYNCLAB_NOW=2026-03-01T09:00:00Z \
	    LC_ALL=C.UTF-8 "$dump" --datadir "$SRCDIR/scenarios" "$@") \
	    >"$out" 2>"$TMPDIR/err"
	then
		bad "$name: screendump failed: $(cat "$TMPDIR/err")"
		continue
	fi
	sed '/^--- cursor /,$d' "$out" >"$TMPDIR/$name.text"
	gold="$SRCDIR/tests/screens/$name.txt"
	doc="$SRCDIR/docs/screens/$name.txt"
	if [ "$update" = 1 ]; then
		cp "$out" "$gold"
		[ -f "$doc" ] && cp "$TMPDIR/$name.text" "$doc"
		continue
	fi
	if [ ! -f "$gold" ]; then
		bad "$name: no tests/screens/$name.txt (make screens writes it)"
	elif ! cmp -s "$gold" "$out"; then
		bad "$name: the screen is not tests/screens/$name.txt"
		diff -u "$gold" "$out" | head -40
	fi
	if [ -f "$doc" ] && ! cmp -s "$doc" "$TMPDIR/$name.text"; then
		bad "$name: docs/screens/$name.txt drifted from the real screen"
		diff -u "$doc" "$TMPDIR/$name.text" | head -40
	fi
done <"$cases"

# Files without a case are stale.
set +f
for f in "$SRCDIR"/tests/screens/*.txt "$SRCDIR"/docs/screens/*.txt; do
	[ -f "$f" ] || continue
	n=$(basename "$f" .txt)
	case $names in *" $n "*) ;; *) bad "${f#"$SRCDIR"/}: no case in tests/screens/cases" ;; esac
done

# Screens embedded in README.md: the fenced block after each marker,
# "<!-- screen: NAME -->" for the whole screen or
# "<!-- screen: NAME lines 2,21-28 -->" for those lines of it (an
# excerpt: line 1 is the screen's first line).
readme="$SRCDIR/README.md"
# Prints the lines of file $1 that the list $2 names ("" = all).
excerpt() {
	awk -v spec="$2" '
		BEGIN {
			n = split(spec, part, ",")
			for (i = 1; i <= n; i++) {
				if (split(part[i], r, "-") == 2) { lo[i] = r[1]; hi[i] = r[2] }
				else { lo[i] = part[i]; hi[i] = part[i] }
			}
		}
		{
			if (spec == "") { print; next }
			for (i = 1; i <= n; i++)
				if (NR >= lo[i] + 0 && NR <= hi[i] + 0) { print; next }
		}' "$1"
}
sed -n 's/^<!-- screen: \([a-z0-9-]*\)\( lines \([0-9,-]*\)\)\{0,1\} -->$/\1 \3/p' "$readme" \
    >"$TMPDIR/markers"
while read -r n spec; do
	marker="<!-- screen: $n${spec:+ lines $spec} -->"
	t="$TMPDIR/$n.text"
	if [ ! -f "$t" ]; then
		bad "README.md: no case for the screen $n"
		continue
	fi
	excerpt "$t" "$spec" >"$TMPDIR/want-$n"
	if [ "$update" = 1 ]; then
		awk -v m="$marker" -v f="$TMPDIR/want-$n" '
			skip && /^```$/ { skip = 0; print; next }
			skip { next }
			{ print }
			$0 == m { want = 1; next }
			want && /^```/ {
				while ((getline l < f) > 0) print l
				close(f); want = 0; skip = 1
			}' "$readme" >"$TMPDIR/readme" && cp "$TMPDIR/readme" "$readme"
		continue
	fi
	awk -v m="$marker" '
		on && /^```$/ { exit }
		on { print }
		$0 == m { want = 1; next }
		want && /^```/ { on = 1; want = 0 }' "$readme" >"$TMPDIR/readme-$n"
	if ! cmp -s "$TMPDIR/want-$n" "$TMPDIR/readme-$n"; then
		bad "README.md: the screen $n drifted from the real screen"
		diff -u "$TMPDIR/readme-$n" "$TMPDIR/want-$n" | head -40
	fi
done <"$TMPDIR/markers"
exit $fail
