#!/bin/sh
# tests/tools/c-string.sh FUNC HEADER FILE: prints a C file whose FUNC()
# returns FILE's text (src/remote/'s probe script or awk program) as one
# constant string; the Makefile writes it to $(BUILD)/gen/. Whole-line
# comments (# ...) are left out: they would only cost bytes on the wire.
# Refuses a single quote outside comments: the text is sent inside single
# quotes.
set -eu
[ $# -eq 3 ] || { echo "usage: c-string.sh FUNC HEADER FILE" >&2; exit 2; }
if sed '/^[[:space:]]*#/d' "$3" | grep "'" >&2; then
	echo "c-string: $3 holds a single quote (it is sent inside them)" >&2
	exit 1
fi
printf '/* generated from %s by tests/tools/c-string.sh: edit that file */\n' "$3"
printf '#include "%s"\n\nstatic const char text[] =\n' "$2"
# escape \ and ", break trigraphs (??x), one literal a line
sed -e '/^[[:space:]]*#/d' -e 's/\\/\\\\/g' -e 's/"/\\"/g' \
    -e 's/??/?\\?/g' -e 's/^/\t"/' -e 's/$/\\n"/' "$3"
printf ';\n\nconst char *\n%s(void)\n{\n\treturn text;\n}\n' "$1"
