#!/bin/bash
# build_melody_model.sh - regenerate audio/essen_ltm.inc, the long-term model
# (derived n-gram counts of chromatic pitch, order 3) that `kitsch` ships for
# audio.melody_ic. Trained on the Essen folk song collection (EsAC, ABC from
# the music21 corpus) WITHOUT kinder0.abc, so that eval/melody_kinder0.sh
# (which cross-validates on kinder0) is not contaminated. The melodies
# themselves are not stored, only the counts.
#
# Usage: KITSCH_CORPUS=../shared/corpus KITSCH=build/tools/kitsch eval/build_melody_model.sh
set -euo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
CORPUS=${KITSCH_CORPUS:-$SRC/../shared/corpus}
KITSCH=${KITSCH:-$SRC/build/tools/kitsch}
ESSEN=$CORPUS/audio/essen
[ -d "$ESSEN" ] || { echo "no Essen corpus at $ESSEN" >&2; exit 1; }
command -v abc2midi >/dev/null || { echo "abc2midi (Debian abcmidi) is needed" >&2; exit 1; }

files=()
names=()
for f in "$ESSEN"/*.abc; do
    b=$(basename "$f" .abc)
    [ "$b" = kinder0 ] && continue
    files+=("$f")
    names+=("$b")
done
tunes=$(cat "${files[@]}" | grep -c '^X:')
desc="Essen folk songs without kinder0 (${#files[@]} subsets, $tunes tunes)"
out="$SRC/audio/essen_ltm.inc"
"$KITSCH" melody --write-ltm "$out" --desc "$desc" "${files[@]}"
echo "/* Subsets: ${names[*]} (kinder0 left out: it is the evaluation set). */" >> "$out"
echo "$desc; subsets: ${names[*]}"
