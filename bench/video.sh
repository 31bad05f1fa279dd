#!/usr/bin/env bash
# bench/video.sh - video analysis speed as a ratio to plain decoding:
#   ratio = (frames / kitsch analyze wall time) / (frames / `ffmpeg -threads 1 -i CLIP -f null -` wall time)
# measured on the same clip in the same run, best of REPS (default 3)
# alternating runs (the best is the least disturbed by other load). The
# analysis decodes with frame threading (2 threads) and includes the whole
# record: shots, motion, keyframes, the image analyzer on keyframes, and the
# soundtrack's audio analysis when there is one. Target: ratio >= 0.85.
#
#   bench/video.sh [CLIP...]     default: ../shared synthA (720p) and testvideo (720p)
set -euo pipefail
SRC="$(cd "$(dirname "$0")/.." && pwd)"
KITSCH="${KITSCH:-$SRC/build/tools/kitsch}"
CORPUS="${KITSCH_CORPUS:-$SRC/../shared/corpus}"
REPS="${REPS:-3}"
[ -x "$KITSCH" ] || { echo "kitsch binary not found at $KITSCH (set KITSCH)"; exit 0; }
CLIPS=("$@")
if [ ${#CLIPS[@]} = 0 ]; then
    for f in "$CORPUS/video/synthetic/synthA.mp4" "$CORPUS/video/pyscenedetect/testvideo.mp4"; do
        [ -f "$f" ] && CLIPS+=("$f")
    done
fi
if [ ${#CLIPS[@]} = 0 ]; then
    # no corpus: a generated 720p clip
    TMPC="$(mktemp -d)"; trap 'rm -rf "$TMPC"' EXIT
    ffmpeg -v error -f lavfi -i testsrc2=s=1280x720:r=25:d=20 -c:v libx264 -preset veryfast "$TMPC/t.mp4"
    CLIPS=("$TMPC/t.mp4")
fi
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP" ${TMPC:+"$TMPC"}' EXIT
now() { date +%s.%N; }
printf '%-28s %7s %10s %10s %10s %7s\n' clip frames ffmpeg_fps kitsch_fps analysis_ms ratio
for c in "${CLIPS[@]}"; do
    frames=$(ffprobe -v error -select_streams v:0 -count_packets -show_entries stream=nb_read_packets -of csv=p=0 "$c")
    best_ff=999999; best_k=999999
    for _ in $(seq "$REPS"); do
        t0=$(now); ffmpeg -v error -threads 1 -i "$c" -f null - ; t1=$(now)
        best_ff=$(python3 -c "print(min($best_ff, $t1 - $t0))")
        rm -f "$TMP/r.jsonl"
        t0=$(now); "$KITSCH" analyze --modality video --jobs 1 -o "$TMP/r.jsonl" "$c" > /dev/null 2>&1 || true; t1=$(now)
        best_k=$(python3 -c "print(min($best_k, $t1 - $t0))")
    done
    ams=$(python3 -c "import json; r=json.loads(open('$TMP/r.jsonl').readline()); print('%.0f' % r['elapsed_ms'] if r['status']=='ok' else 'error:'+r['error']['code'])")
    python3 -c "
ff=$frames/$best_ff; k=$frames/$best_k
print('%-28s %7d %10.1f %10.1f %10s %7.2f' % ('$(basename "$c")'[:28], $frames, ff, k, '$ams', k/ff))"
done
