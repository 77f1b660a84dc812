#!/usr/bin/env bash
# docs/cli.md and the man page docs/kafkac.1 document every flag of every
# `kafkac` subcommand: walks the command tree from `kafkac --help` (a
# command whose --help lists "Commands:" is a group), takes every long flag
# a leaf's --help defines (each option line's flag) and checks that it
# appears in the leaf's section of docs/cli.md (the "## " heading that
# names the command, e.g. "## topics" or "## perf produce / perf consume")
# and of the man page (its .SS heading, e.g. "kafkac topics"). Fails naming
# each missing flag (or section). Needs $BUILD/tools/kafkac (built when
# missing).
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
K=$BUILD/tools/kafkac
[ -x "$K" ] || make -s BUILD="$BUILD" tools >/dev/null
doc=docs/cli.md
man=docs/kafkac.1
pass=0 fail=0

# The subcommand names listed under "Commands:" in a group's --help.
subcommands() {
    awk '/^Commands:/ { on = 1; next } on && /^$/ { exit } on && /^  [^ ]/ { print $1 }'
}

# Prints "FILE: --flag" for each flag in $HELP missing from the section of
# command $1 in $doc and $man ("FILE: no section" when there is none).
missing_flags() {
    python3 -c '
import os, re, sys
doc, man, path = sys.argv[1:]
# The flags the option lines define: a line starting (after indentation and
# an optional short form, "-h, ") with a long flag. Flags named in prose
# ("written --flag=value") are not options.
flags = sorted(set(re.findall(r"^[ \t]*(?:-[A-Za-z0-9], )?(--[A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9])",
                              os.environ["HELP"], re.M)))

def section(text, heading, end):
    """From the first heading naming the command to the next end line."""
    for m in re.finditer(heading, text, re.M):
        if re.search(r"(^|[\s/`\x22])" + re.escape(path) + r"($|[\s/`\x22])", m.group(1)):
            nxt = re.compile(end, re.M).search(text, m.end())
            return text[m.end():nxt.start() if nxt else len(text)]
    return None

md = open(doc, encoding="utf-8").read()
# roff: "\-" is a hyphen, "\fB" and the like change fonts.
roff = re.sub(r"\\f[BIRP]", "", open(man, encoding="utf-8").read().replace("\\-", "-"))
for name, text in ((doc, section(md, r"^## (.*)$", r"^(## |<!-- section:)")),
                   (man, section(roff, r"^\.SS (.*)$", r"^\.S[HS] "))):
    if text is None:
        print("%s: no section for %s" % (name, path))
        continue
    for f in flags:
        if not re.search(re.escape(f) + r"(?![A-Za-z0-9._-])", text):
            print("%s: %s" % (name, f))
' "$doc" "$man" "$1"
}

# Checks leaf "$@" (e.g. perf produce).
check_leaf() {
    local path="$*" help missing
    if ! help=$("$K" "$@" --help 2>&1); then
        echo "FAIL kafkac $path --help exits non-zero"
        fail=$((fail + 1))
        return
    fi
    missing=$(HELP="$help" missing_flags "$path")
    if [ -z "$missing" ]; then
        echo "ok   kafkac $path: every --help flag is in $doc and $man"
        pass=$((pass + 1))
    else
        echo "FAIL kafkac $path: missing $(echo "$missing" | tr '\n' ' ')"
        fail=$((fail + 1))
    fi
}

# Walks the tree below "$@" (nothing: the top).
walk() {
    local help sub
    help=$("$K" "$@" --help 2>&1)
    if grep -q '^Commands:' <<<"$help"; then
        for sub in $(subcommands <<<"$help"); do walk "$@" "$sub"; done
    else
        check_leaf "$@"
    fi
}

walk
echo "cli docs: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
