#!/bin/sh
# Installs the Debian packages synclab needs to build and test, when missing.
# As root it runs apt-get itself; otherwise it prints the exact command.
pkgs="build-essential pkg-config libncurses-dev libsqlite3-dev libcjson-dev libcmocka-dev libmicrohttpd-dev tmux sqlite3 curl wrk valgrind jq groff-base man-db zsh fish libxml2-utils"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
	echo "deps: installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >/dev/null && apt-get install -y -qq $missing >/dev/null || {
		echo "deps: apt-get install$missing failed" >&2; exit 1; }
else
	echo "deps: missing Debian packages:$missing" >&2
	echo "deps: run: sudo apt-get install -y$missing" >&2
	exit 1
fi
