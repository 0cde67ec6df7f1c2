#!/bin/sh
# tools/bench_hostile.sh: hostile and big input costs time linear in its
# size.  Each input below is generated at 1x, 4x and 16x its base size and
# checked (`synclab check`) or run (`synclab run`); the line shows the CPU
# seconds (user + system, the least of three runs: wall time on a shared
# machine measures the neighbours) at each size and the time ratio per 4x, which must stay under 6
# (linear is 4; quadratic would be 16).  Then each input once at the size
# where it was first found slow, and a valid 10 MB scenario, each of which
# must take under a second.  Run by `make bench` with
# $SYNCLAB set; exits 1 when a bound is broken.
#
#   unknown-device   N steps naming a device the scenario lacks (N errors)
#   seed-dup-id      N seed rows with one id (N - 1 errors)
#   unknown-keys     N unknown top-level keys
#   many-devices     N devices (one error: 1 to 16 devices)
#   big-object       a valid object of N keys (a value nobody reads)
#   colliding-keys   the same, its keys chosen so that all of them share the
#                    low 24 bits of FNV-1a (a fixed hash): each key is 17
#                    blocks of 4 letters, block j one of two that leave the
#                    hash's low 24 bits the same; 2^17 keys.  Under a fixed
#                    hash every key lands in one slot of the duplicate-key
#                    check's table; under the per-process keyed hash
#                    (lib/hash.h) they spread like any others
#   bad-answer       N questions with an answer index out of range
#   dup-question-id  N questions with one id
#   run-inserts      `synclab run` of N insert steps (valid)
set -u
bin=${SYNCLAB:?}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
head='"id":"h","title":"h","summary":"h","objectives":[{"text":"x y z","domain":"cloud-concepts"}],"tables":[{"name":"t","columns":{"a":"string"}}],"devices":[{"name":"A"}]'
q='"type":"single","stem":"Which one is it now?","options":["a one","b two","c three","d four"],"explanation":"because it is.","topics":["x"],"domain":"cloud-concepts","objective":"1.1.1"'

gen() {	# gen KIND N > file
	awk -v k="$1" -v n="$2" -v h="$head" -v q="$q" 'BEGIN {
	if (k == "unknown-device") {
		printf "{%s,\"steps\":[", h
		for (i = 0; i < n; i++) printf "%s\n{\"do\":\"push\",\"device\":\"Z%d\"}", i ? "," : "", i
		print "]}"
	} else if (k == "seed-dup-id") {
		printf "{%s,\"rows\":{\"t\":[", h
		for (i = 0; i < n; i++) printf "%s\n{\"id\":\"x\",\"a\":\"v\"}", i ? "," : ""
		print "]},\"steps\":[{\"do\":\"push\",\"device\":\"A\"}]}"
	} else if (k == "unknown-keys") {
		printf "{%s,\"steps\":[{\"do\":\"push\",\"device\":\"A\"}]", h
		for (i = 0; i < n; i++) printf ",\n\"k%d\":1", i
		print "}"
	} else if (k == "many-devices") {
		printf "{\"id\":\"h\",\"title\":\"h\",\"summary\":\"h\",\"tables\":[{\"name\":\"t\",\"columns\":{\"a\":\"string\"}}],\"devices\":["
		for (i = 0; i < n; i++) printf "%s\n{\"name\":\"D%d\"}", i ? "," : "", i
		print "],\"steps\":[{\"do\":\"push\",\"device\":\"D0\"}]}"
	} else if (k == "big-object") {
		printf "{%s,\"steps\":[{\"do\":\"push\",\"device\":\"A\"}],\"rows\":{\"t\":[{\"id\":\"r\",\"a\":{", h
		for (i = 0; i < n; i++) printf "%s\n\"k%d\":1", i ? "," : "", i
		print "}}]}}"
	} else if (k == "colliding-keys") {
		split("a1y8 b8xz auay a5ay a5ay a5ay a5ay a5ay a5ay a5ay a5ay a5ay a5ay a5ay a5ay a5ay a5ay", b0, " ")
		split("bpcr cqce b6ld bvld bvld bvld bvld bvld bvld bvld bvld bvld bvld bvld bvld bvld bvld", b1, " ")
		printf "{%s,\"steps\":[{\"do\":\"push\",\"device\":\"A\"}],\"rows\":{\"t\":[{\"id\":\"r\",\"a\":{", h
		for (i = 0; i < n; i++) {
			key = ""; x = i
			for (j = 1; j <= 17; j++) { key = key (x % 2 ? b1[j] : b0[j]); x = int(x / 2) }
			printf "%s\n\"%s\":1", i ? "," : "", key
		}
		print "}}]}}"
	} else if (k == "bad-answer") {
		printf "{\"bank\":\"hb\",\"title\":\"h\",\"questions\":["
		for (i = 0; i < n; i++) printf "%s\n{\"id\":\"q-%d\",%s,\"answer\":9}", i ? "," : "", i, q
		print "]}"
	} else if (k == "dup-question-id") {
		printf "{\"bank\":\"hb\",\"title\":\"h\",\"questions\":["
		for (i = 0; i < n; i++) printf "%s\n{\"id\":\"q-1\",%s,\"answer\":1}", i ? "," : "", q
		print "]}"
	} else if (k == "run-inserts") {
		printf "{%s,\"steps\":[", h
		for (i = 0; i < n; i++) printf "%s\n{\"do\":\"insert\",\"device\":\"A\",\"table\":\"t\",\"row\":{\"id\":\"r%d\",\"a\":\"v\"}}", i ? "," : "", i
		print "]}"
	} else if (k == "valid-10mb") {
		printf "{%s,\"rows\":{\"t\":[", h
		for (i = 0; i < n; i++) printf "%s\n{\"id\":\"r%d\",\"a\":\"a value of some length to fill the file %d\"}", i ? "," : "", i, i
		print "]},\"steps\":[{\"do\":\"push\",\"device\":\"A\"}]}"
	} }'
}

secs() {	# secs CMD FILE: CPU seconds (user + system), the least of 3 runs
	for i in 1 2 3; do
		/usr/bin/time -f '%U %S' -o "$tmp/time" "$bin" "$1" "$2" >/dev/null 2>&1
		tail -1 "$tmp/time"
	done | awk '{ t = $1 + $2; if (NR == 1 || t < m) m = t } END { printf "%.3f", m }'
}

bad=0
printf '%-16s %7s %8s %8s %8s %6s %6s\n' input "1x N" "1x s" "4x s" "16x s" "4x/1x" "16x/4x"
for spec in unknown-device:check:12000 seed-dup-id:check:12000 \
    unknown-keys:check:16000 many-devices:check:50000 big-object:check:50000 \
    colliding-keys:check:8000 \
    bad-answer:check:4000 dup-question-id:check:3000 run-inserts:run:500; do
	k=${spec%%:*}; rest=${spec#*:}; cmd=${rest%%:*}; n=${rest#*:}
	t=""
	for m in 1 4 16; do
		gen "$k" $((n * m)) >"$tmp/$k-$m.json"
		t="$t $(secs "$cmd" "$tmp/$k-$m.json")"
	done
	echo "$k $n $t" | awk '{
		r1 = $4 / ($3 > 0.05 ? $3 : 0.05); r2 = $5 / ($4 > 0.05 ? $4 : 0.05)
		printf "%-16s %7d %8.3f %8.3f %8.3f %6.1f %6.1f%s\n", $1, $2, $3, $4, $5, r1, r2,
		    (r1 >= 6 && $4 > 0.1) || (r2 >= 6 && $5 > 0.1) ? "  NOT LINEAR" : "" }' |
	    tee "$tmp/line"
	grep -q "NOT LINEAR" "$tmp/line" && bad=1
done
# The inputs at the sizes where they were first found slow (and the
# colliding keys at their most): each must answer within a second.
printf '%-16s %7s %8s  (each once, at the size first found slow; bound: 1 s)\n' input N s
for spec in unknown-device:check:8000 seed-dup-id:check:6000 \
    unknown-keys:check:8000 many-devices:check:100000 big-object:check:50000 \
    colliding-keys:check:131072 bad-answer:check:4000 \
    dup-question-id:check:3000 run-inserts:run:4000; do
	k=${spec%%:*}; rest=${spec#*:}; cmd=${rest%%:*}; n=${rest#*:}
	gen "$k" "$n" >"$tmp/$k-once.json"
	t=$(secs "$cmd" "$tmp/$k-once.json")
	echo "$k $n $t" | awk '{ printf "%-16s %7d %8.3f s%s\n", $1, $2, $3,
	    ($3 >= 1) ? "  OVER 1 s" : "" }' | tee "$tmp/line"
	grep -q "OVER" "$tmp/line" && bad=1
done
gen valid-10mb 140000 >"$tmp/big.json"
size=$(wc -c <"$tmp/big.json")
t=$(secs check "$tmp/big.json")
echo "valid scenario of $size bytes: synclab check in $t s (bound: 1 s)"
echo "$t" | awk '{ exit !($1 >= 1) }' && bad=1
exit $bad
