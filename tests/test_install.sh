#!/bin/bash
# test_install.sh - a fresh `cmake --install` into a temporary prefix gives a
# working kitsch: the binary runs (--help, --version, analyze), the man page
# renders with `man -l` and passes `mandoc -Tlint`, and documents every
# command and every feature of the registry, the bash completion loads (also
# through bash-completion's own loader) and completes commands, options and
# values, and the data files (JSON Schema, lexicon, profiles) are in place.
set -u
K=${KITSCH:?set KITSCH to the kitsch binary}
SRC=${KS_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
B=${KS_BUILD:?set KS_BUILD to the build folder}
. "$SRC/tests/scale_lib.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
check() {
    local what=$1
    shift
    if "$@"; then echo "ok: $what"; else echo "FAILED: $what"; fail=1; fi
}

if [ ! -e "$B/tools/kitsch.1" ] || [ ! -e "$B/tools/kitsch.schema.json" ]; then
    echo "FAILED: $B/tools/kitsch.1 or kitsch.schema.json missing: build the default target (cmake --build $B)"
    exit 1
fi
P=$T/prefix
cmake --install "$B" --prefix "$P" > "$T/install.log" 2>&1
check "cmake --install into a fresh prefix" test $? -eq 0 || cat "$T/install.log"

# ---- the binary ----
"$P/bin/kitsch" --help > "$T/help.txt"
check "installed kitsch --help exits 0" test $? -eq 0
check "--help lists analyze" grep -q '^  analyze ' "$T/help.txt"
"$P/bin/kitsch" --version > "$T/version.txt"
check "--version names the library versions" grep -q 'jansson' "$T/version.txt"
"$P/bin/kitsch" analyze -q -j 1 "$SRC/examples/text" > "$T/ex.jsonl"
check "installed kitsch analyzes the examples (rc 0)" test $? -eq 0
"$P/bin/kitsch-slurm" --help > /dev/null
check "installed kitsch-slurm runs" test $? -eq 0

# ---- the man page ----
M=$P/share/man/man1/kitsch.1
check "man page installed" test -s "$M"
MANPAGER=cat MANWIDTH=80 man -l "$M" > "$T/man.txt" 2> "$T/man.err"
check "man -l renders it (rc 0)" test $? -eq 0
check "man -l: no warnings" test ! -s "$T/man.err"
check "rendered page has the NAME line" grep -qE 'kitsch +. +measure +how' "$T/man.txt"
if command -v mandoc > /dev/null; then
    mandoc -Tlint "$M" > "$T/lint.txt" 2>&1
    check "mandoc -Tlint: no messages, rc 0" test $? -eq 0 -a ! -s "$T/lint.txt"
    head -5 "$T/lint.txt"
else
    echo "FAILED: mandoc not installed (tools/deps-debian.txt lists it)"
    fail=1
fi
# The page is generated from the declarations: every command of commands.def
# and every feature of the registry must be in it.
"$K" features --json > "$T/features.json"
"$PY" - "$M" "$SRC/tools/commands.def" "$T/features.json" <<'EOF'
import json, re, sys
roff = open(sys.argv[1]).read().replace("\\-", "-")
cmds = re.findall(r"^KS_COMMAND\(\s*(\w+)", open(sys.argv[2]).read(), re.M)
feats = [f["name"] for f in json.load(open(sys.argv[3]))["features"]]
tags = set(re.findall(r"^\.B (\S+)$", roff, re.M))
missing = [c for c in cmds if f'.SS "kitsch {c}"' not in roff] + [f for f in feats if f not in tags]
print(f"{len(cmds)} commands, {len(feats)} features; missing from the page: {missing[:10]}")
sys.exit(1 if missing or not cmds or not feats else 0)
EOF
check "man page documents every command and every feature" test $? -eq 0

# ---- bash completion ----
C=$P/share/bash-completion/completions/kitsch
check "completion installed" test -s "$C"
out=$(bash -c 'source "$1" && complete -p kitsch' _ "$C" 2>&1)
check "completion loads: $out" test "$out" = "complete -o bashdefault -o default -F _kitsch kitsch"
complete_words() { # complete_words WORD... : what TAB offers after the last word
    PATH="$P/bin:$PATH" bash -c 'source "$1"; shift
        COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _kitsch; echo "${COMPREPLY[*]}"' _ "$C" "$@"
}
check "completes commands: kitsch an -> analyze" test "$(complete_words kitsch an)" = analyze
check "completes merge after help" test "$(complete_words kitsch help mer)" = merge
check "completes options from the help: analyze --sh -> --shard" \
    test "$(complete_words kitsch analyze --sh)" = --shard
check "completes values: score --format c -> csv" test "$(complete_words kitsch score --format c)" = csv
check "completes values: --modality i -> image" test "$(complete_words kitsch analyze --modality i)" = image
if [ -r /usr/share/bash-completion/bash_completion ]; then
    # bash-completion finds completions under every XDG_DATA_DIRS prefix.
    out=$(XDG_DATA_DIRS="$P/share" PATH="$P/bin:$PATH" bash -c '
        . /usr/share/bash-completion/bash_completion
        __load_completion kitsch && complete -p kitsch' 2>&1)
    check "bash-completion's loader finds it under the prefix" test "$out" = \
        "complete -o bashdefault -o default -F _kitsch kitsch"
fi

# ---- data files ----
check "JSON Schema installed, equal to kitsch schema" cmp "$P/share/kitsch/kitsch.schema.json" <("$K" schema)
check "default lexicon installed" cmp "$P/share/kitsch/lexicon_default.tsv" "$SRC/text/lexicon_default.tsv"
nsrc=$(find "$SRC/common/profiles" -maxdepth 1 -name '*.json' 2> /dev/null | wc -l)
ninst=$(find "$P/share/kitsch/profiles" -maxdepth 1 -name '*.json' 2> /dev/null | wc -l)
check "reference profiles installed ($ninst of $nsrc)" test "$nsrc" -eq "$ninst"
check "installed files stay inside the prefix" \
    test -z "$(sed -n 's/^-- \(Installing\|Up-to-date\): //p' "$T/install.log" | grep -v "^$P/")"
exit $fail
