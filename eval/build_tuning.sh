#!/usr/bin/env bash
# build_tuning.sh - choose the tuning-offset guards of audio/transcribe.c
# (TUNE_PRIOR: pseudo-frames at A=440 per counted frame; TUNE_HALF: frames
# averaged either side) on material that is not the decoder pairs: 30 s
# from the middle of each AI song in $KITSCH_CORPUS/audio/ai-songs-dev and
# of every third track of Debian's wesnoth-1.16-music, each passed through
# three lossy codecs (opus 16 kbit/s, opus 8 kbit/s, mp3 32 kbit/s). The
# objective is invariance: the median over clips of the relative change of
# each melodic feature, then the median over the 7 melodic features, as in
# eval/audio_decoder_pairs.sh (which therefore measures the choice held
# out). Note F1 on accompanied renderings, the other half of the choice:
# EXTRA_DEFS="TUNE_PRIOR=0.5" eval/build_contour_costs.sh.
# Run by hand (build_*: chooses shipped constants). About 1 min per grid
# point on 2 cores.
#
# Environment: KITSCH_CORPUS, CV_BUILD (default build-cv), PRIORS, HALVES.
set -euo pipefail
CORPUS=${KITSCH_CORPUS:-../shared/corpus}
AI=$CORPUS/audio/ai-songs-dev
WES=/usr/share/games/wesnoth/1.16/data/core/music
[ -d "$AI" ] || { echo "no $AI (set KITSCH_CORPUS)"; exit 0; }
for t in ffmpeg ffprobe python3; do command -v $t >/dev/null || { echo "missing $t"; exit 0; }; done
SRC=$(cd "$(dirname "$0")/.." && pwd)
. "$SRC/eval/lib/sal_variant.sh"
B=${CV_BUILD:-build-cv}
PRIORS=${PRIORS:-0 0.1 0.2 0.25 0.3 0.5 1}
HALVES=${HALVES:-0 8}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
codecs="opus16 opus8 mp3"
mkdir -p "$tmp/clean" && for c in $codecs; do mkdir -p "$tmp/$c"; done
files=$(ls "$AI"/*.mp3; [ -d "$WES" ] && ls "$WES"/*.ogg | awk 'NR % 3 == 1' || true)
for f in $files; do
  b=$(basename "${f%.*}")
  d=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$f")
  ss=$(python3 -c "print(max(0, float('$d') / 2 - 15))")
  ffmpeg -v error -y -ss "$ss" -t 30 -i "$f" -ac 2 -ar 44100 "$tmp/clean/$b.wav"
  ffmpeg -v error -y -i "$tmp/clean/$b.wav" -c:a libopus -b:a 16k "$tmp/t.opus" && ffmpeg -v error -y -i "$tmp/t.opus" -ar 44100 "$tmp/opus16/$b.wav"
  ffmpeg -v error -y -i "$tmp/clean/$b.wav" -c:a libopus -b:a 8k "$tmp/t.opus" && ffmpeg -v error -y -i "$tmp/t.opus" -ar 44100 "$tmp/opus8/$b.wav"
  ffmpeg -v error -y -i "$tmp/clean/$b.wav" -c:a libmp3lame -b:a 32k "$tmp/t.mp3" && ffmpeg -v error -y -i "$tmp/t.mp3" -ar 44100 "$tmp/mp3/$b.wav"
done
echo "clips: $(ls "$tmp/clean" | wc -l) ($( [ -d "$WES" ] && echo "AI songs + wesnoth" || echo "AI songs only: wesnoth-1.16-music not installed"))"
printf "%-22s %8s %8s %8s\n" "prior,half" $codecs
for h in $HALVES; do
  for p in $PRIORS; do
    sal_variant "$SRC" "$B" "TUNE_PRIOR=$p;TUNE_HALF=$h" "$tmp/build.log"
    for c in clean $codecs; do
      "$B/tools/kitsch" analyze -q --force --jobs "${JOBS:-2}" "$tmp/$c" -o "$tmp/$c.jsonl" || true
    done
    PYTHONPATH="$SRC/eval/lib" python3 - "$tmp" "$p,$h" $codecs <<'PY'
import sys, statistics as st
from pairs import GROUPS, load, rel_diffs
tmp, name, codecs = sys.argv[1], sys.argv[2], sys.argv[3:]
R = load(f"{tmp}/clean.jsonl")
row = []
for c in codecs:
    C = load(f"{tmp}/{c}.jsonl")
    ms = [st.median((rel_diffs(R, C, k) or {}).values()) for k in GROUPS['melodic']]
    row.append(f"{100 * st.median(ms):7.2f}%")
print(f"{name:22} " + ' '.join(row))
PY
  done
done
