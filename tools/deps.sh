#!/bin/sh
# Installs the Debian packages synclab needs to build and test, when missing.
# As root it runs apt-get itself; otherwise it prints the exact command.
pkgs="build-essential clang libclang-rt-14-dev pkg-config libncurses-dev libsqlite3-dev libcjson-dev libcmocka-dev libmicrohttpd-dev libssl-dev tmux sqlite3 curl wrk valgrind jq groff-base man-db zsh fish libxml2-utils time"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
# Optional: a browser for the run pages' test (tests/sh/run_html.sh); the
# test says so and parses the pages instead when there is none.
if [ "$(id -u)" = 0 ] && ! command -v chromium >/dev/null 2>&1; then
	echo "deps: installing chromium (optional)"
	{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >/dev/null 2>&1 ||
	    echo "deps: chromium could not be installed; the run pages are parsed, not drawn" >&2
fi
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
