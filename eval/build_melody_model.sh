#!/bin/bash
# build_melody_model.sh - the long-term model that `kitsch` ships for
# audio.melody_ic (audio/essen_ltm.inc: derived n-gram counts of chromatic
# pitch, order 3; the melodies themselves are not stored). It is trained on
# the Essen folk song collection (EsAC, ABC from the music21 corpus) WITHOUT
# kinder0.abc, so that eval/melody_kinder0.sh, which cross-validates on
# kinder0, is not contaminated.
#
# Usage:
#   eval/build_melody_model.sh           check: rebuild into a temporary file and
#                                        compare with the committed one
#   eval/build_melody_model.sh --write   regenerate audio/essen_ltm.inc
# Environment: KITSCH (binary), KITSCH_CORPUS (default ../shared/corpus).
set -uo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
CORPUS=${KITSCH_CORPUS:-$SRC/../shared/corpus}
KITSCH=${KITSCH:-$SRC/build/tools/kitsch}
ESSEN=$CORPUS/audio/essen
write=0
[ "${1:-}" = --write ] && write=1
if [ ! -d "$ESSEN" ]; then echo "no Essen corpus at $ESSEN (set KITSCH_CORPUS): skipped"; exit $((write)); fi
if ! command -v abc2midi >/dev/null; then echo "abc2midi (Debian abcmidi) is needed: skipped"; exit $((write)); fi

files=()
names=()
for f in "$ESSEN"/*.abc; do
    b=$(basename "$f" .abc)
    [ "$b" = kinder0 ] && continue
    files+=("$f")
    names+=("$b")
done
desc="Essen folk songs without kinder0 (${#files[@]} subsets)"
target="$SRC/audio/essen_ltm.inc"
out=$target
[ $write = 1 ] || out=$(mktemp --suffix=.inc)
# Exit status 1 = some tunes could not be read (abc2midi skips 2 tunes of
# han2 with an unknown key); they are listed on stderr and left out.
"$KITSCH" melody --write-ltm "$out" --force --desc "$desc" "${files[@]}"
[ $? -le 1 ] || exit 1
echo "/* Subsets: ${names[*]} (kinder0 left out: it is the evaluation set). */" >> "$out"
echo "$desc; subsets: ${names[*]}"
if [ $write = 0 ]; then
    if cmp -s "$out" "$target"; then
        echo "audio/essen_ltm.inc is reproducible from the corpus: identical ($(wc -c < "$target") bytes)"
    else
        echo "audio/essen_ltm.inc DIFFERS from a rebuild (run with --write to regenerate):"
        diff <(head -8 "$target") <(head -8 "$out")
    fi
    rm -f "$out"
fi
exit 0
