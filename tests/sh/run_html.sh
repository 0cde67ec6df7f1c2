#!/bin/sh
# run_html.sh: synclab run --format html writes one self-contained page for
# every shipped scenario; each is parsed (well-formed XML with its SVG)
# and, where Debian's chromium is installed, loaded headless, where the
# page's script reports the diagram's laid-out size and message count.
# Needs SYNCLAB, SRCDIR and TMPDIR.
set -u
fail() { echo "FAIL: $*"; exit 1; }
cd "$TMPDIR" || exit 1
command -v xmllint >/dev/null 2>&1 || fail "xmllint is not installed (make deps installs libxml2-utils)"
n=0
for s in "$SRCDIR"/scenarios/*.json; do
	id=$(basename "$s" .json)
	"$SYNCLAB" run "$s" --format html >"$id.html" 2>"$id.err" || fail "$id: run --format html: $(cat "$id.err")"
	xmllint --noout "$id.html" 2>"$id.xml" || fail "$id: not well-formed: $(head -3 "$id.xml")"
	# Self-contained: no file or address is fetched.
	grep -Eq '<(link|img|iframe)|src=|url\(http|@import' "$id.html" && fail "$id: the page fetches something"
	for part in '<svg xmlns="http://www.w3.org/2000/svg" id="seq"' '<section id="story">' \
	    'Backend tables before the first step' 'Backend tables after the run' \
	    '<section id="checker">' '<script>'; do
		grep -qF "$part" "$id.html" || fail "$id: no $part"
	done
	msgs=$(grep -o '<line class="msg' "$id.html" | wc -l)
	cloud=$(grep -o '<line class="msg cloud' "$id.html" | wc -l)
	reqs=$("$SYNCLAB" run "$s" --format jsonl | grep -c '"type":"\(request\|response\)"')
	[ $((msgs - cloud)) -eq "$reqs" ] || fail "$id: $((msgs - cloud)) arrows for $reqs requests and responses"
	# The SVG alone parses as SVG.
	sed -n '/<svg /,/<\/svg>/p' "$id.html" >"$id.svg"
	xmllint --noout "$id.svg" || fail "$id: the SVG does not parse"
	echo "$id $msgs" >>pages.txt
	n=$((n + 1))
done
[ "$n" -ge 10 ] || fail "only $n scenarios"

browser=
for b in chromium chromium-browser; do
	command -v $b >/dev/null 2>&1 && { browser=$b; break; }
done
if [ -z "$browser" ]; then
	echo "chromium is not installed: the $n pages were checked with xmllint only, not in a browser"
	exit 0
fi
# Four at a time: each page loaded headless, its DOM dumped after load.
load() {
	"$browser" --headless --no-sandbox --disable-gpu --no-first-run \
	    --user-data-dir="$TMPDIR/profile-$1" --dump-dom "file://$TMPDIR/$1.html" \
	    >"$1.dom" 2>/dev/null
}
set -- $(cut -d' ' -f1 pages.txt)
while [ $# -gt 0 ]; do
	for k in 1 2 3 4; do
		[ $# -gt 0 ] || break
		load "$1" &
		shift
	done
	wait
done
while read -r id msgs; do
	got=$(sed -n 's/.*data-diagram="\([^"]*\)".*/\1/p' "$id.dom")
	echo "$got" | grep -Eq "^rendered [1-9][0-9]*x[1-9][0-9]* $msgs messages$" ||
	    fail "$id: the browser did not draw the diagram (data-diagram: \"$got\", $msgs arrows in the file)"
done <pages.txt
echo "$n pages drawn by $($browser --version 2>/dev/null | head -1)"
