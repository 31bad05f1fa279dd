#!/usr/bin/env bash
# bench/audio.sh - speed of the whole audio analysis (decode, loudness,
# onsets, beats, chroma/timbre, transcription, melody model, harmony,
# rhythm, structure) in multiples of real time on one core, against
# `aubiopitch` (pitch track only, aubio-tools) on the same file in the same run.
# Target (issue 4): >= 150x real time.
# Input: the AI songs of $KITSCH_CORPUS (95 s MP3s) if present, else a 60 s
# song-like file generated with ffmpeg. CPU seconds (user+sys) are measured,
# which the other jobs on a shared machine disturb less than wall time.
set -euo pipefail
KITSCH=${KITSCH:-build/tools/kitsch}
CORPUS=${KITSCH_CORPUS:-../shared/corpus}
command -v aubiopitch >/dev/null || { echo "aubiopitch (aubio-tools) missing"; exit 0; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
files=()
if [ -d "$CORPUS/audio/ai-songs-dev" ]; then
  for f in "$CORPUS"/audio/ai-songs-dev/*.mp3; do files+=("$f"); [ ${#files[@]} -ge ${N:-3} ] && break; done
else
  ffmpeg -v error -f lavfi -i "sine=frequency=220:duration=60" -f lavfi -i "anoisesrc=d=60:c=pink:a=0.1" \
     -filter_complex "[0][1]amix" -c:a libmp3lame -b:a 128k "$tmp/song.mp3"
  files=("$tmp/song.mp3")
fi
cpu() { # cpu CMD... -> user+sys seconds of the command and its children
  /usr/bin/time -f "%U %S" -o "$tmp/t" "$@" >/dev/null 2>&1 || true
  awk '{print $1 + $2}' "$tmp/t"
}
dur=0; ours=0; ref=0
for f in "${files[@]}"; do
  d=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$f")
  a=$(cpu "$KITSCH" notes "$f")   # the full analysis runs; notes are printed
  b=$(cpu aubiopitch -i "$f")
  printf "%-40s %6.1f s  kitsch %5.2f s CPU (%5.0fx)  aubiopitch %5.2f s CPU (%5.0fx)\n" "$(basename "$f")" "$d" "$a" \
     "$(echo "$d / $a" | bc -l)" "$b" "$(echo "$d / $b" | bc -l)"
  dur=$(echo "$dur + $d" | bc -l); ours=$(echo "$ours + $a" | bc -l); ref=$(echo "$ref + $b" | bc -l)
done
printf "total %.1f s audio: kitsch %.0fx real time, aubiopitch %.0fx; kitsch/aubiopitch time ratio %.2f\n" \
  "$dur" "$(echo "$dur / $ours" | bc -l)" "$(echo "$dur / $ref" | bc -l)" "$(echo "$ours / $ref" | bc -l)"
