#!/bin/sh
# The modules depend in one direction: lib <- quiz <- sim <- (ui, net) <- cli.
# A file may include project headers only from its own module and from the
# modules on its left; this lists every include that breaks the rule.
cd "$SRCDIR" || exit 1
allowed() {
	case $1 in
	lib) echo "lib" ;;
	quiz) echo "lib quiz" ;;
	sim) echo "lib quiz sim" ;;
	ui) echo "lib quiz sim ui" ;;
	net) echo "lib quiz sim net" ;;
	cli) echo "lib quiz sim ui net cli" ;;
	esac
}
bad=0
for m in lib quiz sim ui net cli; do
	ok=$(allowed $m)
	for f in "$m"/*.[ch]; do
		[ -f "$f" ] || continue
		for inc in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([a-z]*\)\/.*/\1/p' "$f"); do
			case " $ok " in
			*" $inc "*) ;;
			*) echo "$f includes from $inc/, which $m/ may not use"
			   bad=1 ;;
			esac
		done
	done
done
exit $bad
