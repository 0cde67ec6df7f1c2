#!/bin/sh
# cli_doc.sh: the man pages render without warnings, the completion scripts
# pass their shells' syntax check and complete, every command and option of
# the command table is documented and completed, every getopt option in
# cli/ is in its command's help, and make install puts it all where
# Debian expects it.  Needs SYNCLAB, SRCDIR and TMPDIR.
set -u
fail() { echo "FAIL: $*"; exit 1; }
cd "$TMPDIR" || exit 1
for tool in groff man bash zsh fish; do
	command -v $tool >/dev/null 2>&1 || fail "$tool is not installed (make deps installs it)"
done
bindir=$(dirname "$SYNCLAB")
PATH="$bindir:$PATH"
export PATH

# Man pages: groff -ww and man -l, not a single warning.
"$SYNCLAB" __man >synclab.1 || fail "synclab __man"
for p in synclab.1 "$SRCDIR/docs/man/synclab-scenario.5" "$SRCDIR/docs/man/synclab-questions.5"; do
	groff -ww -Tutf8 -man -z "$p" 2>warn.txt
	[ -s warn.txt ] && fail "groff warns on $p: $(head -3 warn.txt)"
	MANWIDTH=80 man -l "$p" >page.txt 2>warn.txt
	[ -s warn.txt ] && fail "man -l warns on $p: $(head -3 warn.txt)"
	[ -s page.txt ] || fail "man -l rendered nothing for $p"
done

# Completion scripts: syntax.
comp="$SRCDIR/completions"
bash -n "$comp/synclab.bash" || fail "bash -n"
zsh -n "$comp/_synclab" || fail "zsh -n"
fish -n "$comp/synclab.fish" || fail "fish -n"

bash_complete() {	# bash_complete CWORD WORD...
	cw=$1; shift
	bash -c '. "$0"; COMP_WORDS=("$@"); COMP_CWORD='"$cw"'; _synclab; printf "%s\n" "${COMPREPLY[@]}"' \
	    "$comp/synclab.bash" "$@"
}

# Every command of the table: in the man page, completed by bash and fish.
cmds=$("$SYNCLAB" __complete 1 synclab '' | grep -v '^help$')
[ "$(echo "$cmds" | wc -l)" -ge 10 ] || fail "too few commands: $cmds"
for c in $cmds; do
	grep -q "^\.SS \"$c\"" synclab.1 || fail "command $c not in synclab(1)"
	pre=$(printf %s "$c" | cut -c1-2)
	bash_complete 1 synclab "$pre" | grep -qx "$c" || fail "bash does not complete $c from $pre"
	fish -c ". $comp/synclab.fish; complete -C 'synclab $pre'" | cut -f1 | grep -qx "$c" ||
	    fail "fish does not complete $c from $pre"
	# Every option of the command: in the man page and completed.
	opts=$("$SYNCLAB" __complete 2 synclab "$c" --)
	for o in $opts; do
		esc=$(printf %s "$o" | sed 's/-/\\\\-/g')
		grep -q -- "$esc" synclab.1 || fail "$c $o not in synclab(1)"
		bash_complete 2 synclab "$c" "$o" | grep -qx -- "$o" || fail "bash does not complete $c $o"
	done
	echo "$c: $(echo $opts)" >>opts.txt
done
# zsh, driven with stubs for its completion builtins.
out=$(zsh -c 'compadd() { shift; print -l -- ${(P)1} }; _files() { print FILES }
	words=(synclab ex); CURRENT=2; . "$0"' "$comp/_synclab")
echo "$out" | grep -qx exam || fail "zsh does not complete exam: $out"
echo "$out" | grep -qx export || fail "zsh does not complete export: $out"

# Values, ids and banks.
bash_complete 3 synclab run --format '' | grep -qx jsonl || fail "no --format values"
bash_complete 2 synclab run first- | grep -qx first-sync || fail "no scenario ids"
bash_complete 2 synclab export storage- | grep -qx storage-services || fail "no bank ids"
bash_complete 2 synclab new '' | grep -qx bank || fail "no new scenario|bank"
[ -z "$(bash_complete 2 synclab import '')" ] || fail "a file argument should leave it to the shell"

# Every getopt long option in cli/ is an option of a command of its file
# (the help is where the table documents options).
for f in "$SRCDIR"/cli/cmd-*.c; do
	names=$(awk '/^(static )?const struct cmd_entry [a-z_]+ = \{/ { grab = 1 }
	    grab && match($0, /"[a-z][a-z-]*"/) { print substr($0, RSTART + 1, RLENGTH - 2); grab = 0 }' "$f")
	[ -n "$names" ] || continue
	longs=$(sed -n 's/^[[:space:]]*{ *"\([a-z][a-z0-9-]*\)", *\(no\|required\|optional\)_argument.*/\1/p' "$f")
	for o in $longs; do
		found=0
		for c in $names; do
			"$SYNCLAB" __complete 2 synclab "$c" "--$o" | grep -qx -- "--$o" && found=1
		done
		[ $found = 1 ] || fail "--$o of $(basename "$f") is in no help of its commands ($names)"
	done
done

# make install DESTDIR=... PREFIX=/usr: Debian's places.
root="$TMPDIR/root"
make -s -C "$SRCDIR" install DESTDIR="$root" PREFIX=/usr BUILD="$(cd "$bindir" && pwd)" >install.txt 2>&1 ||
    fail "make install: $(tail -5 install.txt)"
for p in usr/bin/synclab usr/share/man/man1/synclab.1 usr/share/man/man5/synclab-scenario.5 \
    usr/share/man/man5/synclab-questions.5 usr/share/bash-completion/completions/synclab \
    usr/share/zsh/vendor-completions/_synclab usr/share/fish/vendor_completions.d/synclab.fish \
    usr/share/synclab/scenarios/first-sync.json usr/share/synclab/data/questions/storage-services.json \
    usr/share/synclab/data/schema/question.schema.json; do
	[ -f "$root/$p" ] || fail "make install did not write /$p"
done
MANWIDTH=80 man -l "$root/usr/share/man/man1/synclab.1" 2>&1 >/dev/null | grep . && fail "installed synclab(1) warns"
echo "cli doc ok"
