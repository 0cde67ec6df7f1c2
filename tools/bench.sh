#!/bin/sh
# tools/bench.sh BUILD: runs every benchmark and prints its figures.
build=$1
src=$(cd "$(dirname "$0")/.." && pwd)
echo "machine: $(uname -m), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1)"
for b in "$build"/tools/bench_*; do
	[ -x "$b" ] || continue
	echo "== $(basename "$b")"
	(cd "$src" && "$b" "$build/synclab") || echo "$(basename "$b"): FAILED"
done
for s in "$src"/tools/bench_*.sh; do
	[ -f "$s" ] || continue
	echo "== $(basename "$s" .sh)"
	SYNCLAB="$build/synclab" sh "$s" || echo "$(basename "$s"): FAILED"
done
