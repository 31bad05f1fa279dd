#!/usr/bin/env bash
# eval/mine_lexicon.sh - regenerate the built-in text lexicon
# (text/lexicon_default.tsv) from the dev corpora:
#   AI:    hanna-dev's 6 LLMs (all prompts) + frontier-dev's 4 frontier models
#   human: hanna-dev human stories + Debian fortunes (literature, songs-poems)
# Usage: KITSCH_CORPUS=../shared/corpus eval/mine_lexicon.sh [OUT.tsv]
# (default OUT: text/lexicon_default.tsv; rebuild afterwards to embed it.)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
KITSCH=${KITSCH:-$here/build/tools/kitsch}
C=${KITSCH_CORPUS:-$here/../shared/corpus}
out=${1:-$here/text/lexicon_default.tsv}
F=/usr/share/games/fortunes
for p in "$C/text/hanna-dev/human" "$C/text/frontier-dev" "$F/literature" "$F/songs-poems"; do
  [ -e "$p" ] || { echo "mine_lexicon: missing $p (need the dev corpus and Debian package fortunes)" >&2; exit 1; }
done
args=(--human "$C/text/hanna-dev/human" --human "$F/literature" --human "$F/songs-poems")
for d in "$C"/text/hanna-dev/*/; do
  [ "$(basename "$d")" = human ] || args+=(--ai "$d")
done
for j in "$C"/text/frontier-dev/*.jsonl; do args+=(--ai "$j"); done
"$KITSCH" lexicon mine "${args[@]}" -o "$out" --force
"$KITSCH" lexicon check "$out"
