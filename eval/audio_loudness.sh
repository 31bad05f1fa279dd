#!/usr/bin/env bash
# audio_loudness.sh - integrated loudness of kitsch (libebur128 on the decoded
# channels) against `ffmpeg -af ebur128` on the same real files.
# Target (issue 4): within +-0.1 LU. Files: decoder-pairs/real (7 FMA clips),
# 5 AI songs, and 5 wesnoth-1.16-music tracks when that package is installed.
set -euo pipefail
KITSCH=${KITSCH:-build/tools/kitsch}
CORPUS=${KITSCH_CORPUS:-../shared/corpus}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
files=()
for f in "$CORPUS"/audio/decoder-pairs/real/*.mp3; do [ -f "$f" ] && files+=("$f"); done
for f in $(ls "$CORPUS"/audio/ai-songs-dev/*.mp3 2>/dev/null | head -5); do files+=("$f"); done
for f in $(ls /usr/share/games/wesnoth/1.16/data/core/music/*.ogg 2>/dev/null | head -5); do files+=("$f"); done
[ ${#files[@]} -gt 0 ] || { echo "no audio files found (set KITSCH_CORPUS)"; exit 0; }
"$KITSCH" analyze -q --timeout 60 --jobs "${JOBS:-2}" --modality audio "${files[@]}" -o "$tmp/r.jsonl" || true
printf "%-44s %10s %10s %8s\n" file kitsch ffmpeg diff
for f in "${files[@]}"; do
  ref=$(ffmpeg -nostats -hide_banner -i "$f" -af ebur128 -f null - 2>&1 | awk '/Integrated loudness/{g=1} g && /I:/{print $2; exit}')
  ours=$(python3 -c "
import json
for l in open('$tmp/r.jsonl'):
    r=json.loads(l)
    if r['path'] == '$f': print(r['features'].get('audio.loudness_lufs'))")
  printf "%-44s %10.2f %10s %+8.2f\n" "$(basename "$f")" "$ours" "$ref" "$(echo "$ours - ($ref)" | bc -l)"
done | tee "$tmp/t"
awk '{d=$4; if (d<0) d=-d; if (d>m) m=d; n++; if (d<=0.1) ok++} END {printf "files %d, within 0.1 LU: %d, max |diff| %.2f LU (ffmpeg prints 0.1 LU steps)\n", n, ok, m}' "$tmp/t"
