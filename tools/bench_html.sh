#!/bin/sh
# bench_html.sh: for each shipped scenario, the size of its HTML page
# (synclab run --format html) and the time to replay the scenario and
# write the page, against the same replay writing the text transcript:
# the difference is what the page costs.  Best of 3 runs each.
src=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
best() {	# best FORMAT FILE SCENARIO: the fastest of 3 runs, in ms
	b=
	for k in 1 2 3; do
		t0=$(date +%s%N)
		"$SYNCLAB" run "$3" --format "$1" >"$2" 2>/dev/null
		t1=$(date +%s%N)
		ms=$(( (t1 - t0) / 1000000 ))
		if [ -z "$b" ] || [ "$ms" -lt "$b" ]; then b=$ms; fi
	done
	echo "$b"
}
total=0 max=0 n=0 tt=0 th=0
printf '  %-22s %8s %8s %8s\n' scenario bytes "html ms" "text ms"
for s in "$src"/scenarios/*.json; do
	id=$(basename "$s" .json)
	h=$(best html "$tmp/$id.html" "$s")
	t=$(best text "$tmp/$id.txt" "$s")
	bytes=$(wc -c <"$tmp/$id.html")
	printf '  %-22s %8d %8d %8d\n' "$id" "$bytes" "$h" "$t"
	total=$((total + bytes)); tt=$((tt + t)); th=$((th + h))
	[ "$bytes" -gt "$max" ] && max=$bytes
	n=$((n + 1))
done
echo "html pages: $n, $total bytes in all, largest $max bytes; $th ms for all pages against $tt ms for the transcripts"
