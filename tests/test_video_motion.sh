#!/bin/bash
# test_video_motion.sh - global camera motion per shot (phase correlation on
# small luma, quadrant divergence for zoom) on clips with known motion made
# from two photographs (Debian's plasma-workspace-wallpapers): a still, pans
# left and right, a tilt, a zoom in, and a hand-held pan (random jitter on
# top of the same glide). Each must be classified as made, and the jittered
# pan must be much jerkier than the smooth one (video.cam_jerk, Flash &
# Hogan 1985). The glides move whole pixels per frame, so they have no
# rounding judder; a smooth pan still measures about 0.2, the sub-pixel noise
# of phase correlation on 64x32 luma at ~0.8 px per frame.
set -euo pipefail
: "${KITSCH:?}"
command -v ffmpeg > /dev/null || { echo "ffmpeg not installed: skip"; exit 77; }
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
fail=0
mkdir "$W/clips"
n=0
for name in Autumn Path; do
    img=$(ls /usr/share/wallpapers/$name/contents/images/*.jpg 2> /dev/null | head -1 || true)
    [ -n "$img" ] || { echo "plasma-workspace-wallpapers not installed: skip"; exit 77; }
    # the photo is decoded once and looped in the filter graph (100 frames, 4 s)
    mk() { ffmpeg -hide_banner -loglevel error -y -i "$img" -r 25 -c:v libx264 -preset ultrafast \
               -vf "scale=1280:800,loop=loop=99:size=1:start=0,setpts=N/25/TB,$2,format=yuv420p" \
               "$W/clips/$name-$1.mp4"; }
    mk static "crop=480:270:400:260"
    mk pan "crop=480:270:'300+150*t':260"
    mk panleft "crop=480:270:'900-150*t':260"
    mk tilt "crop=480:270:400:'100+100*t'"
    mk zoom "zoompan=z='1+0.004*on':x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':d=1:s=480x270:fps=25"
    mk shaky "crop=480:270:'300+150*t+24*(random(1)-0.5)':'260+24*(random(2)-0.5)'"
    n=$((n + 6))
done
"$KITSCH" analyze -q --jobs 2 "$W/clips" > "$W/out.jsonl" || true
python3 - "$W/out.jsonl" "$n" <<'PY' || fail=1
import json, os, sys
recs = {os.path.basename(json.loads(l)["path"])[:-4]: json.loads(l) for l in open(sys.argv[1])}
assert len(recs) == int(sys.argv[2]), len(recs)
want = {"static": "cam_static", "pan": "cam_pan", "panleft": "cam_pan", "tilt": "cam_tilt", "zoom": "cam_zoom",
        "shaky": "cam_pan"}
bad = 0
for key, r in sorted(recs.items()):
    f = r["features"]
    kind = key.split("-")[1]
    shares = {k: f["video." + k] for k in ("cam_static", "cam_pan", "cam_tilt", "cam_zoom")}
    ok = r["status"] == "ok" and f["video.shots"] == 1 and shares[want[kind]] == 1
    print(("ok: " if ok else "FAILED: ") + f"{key}: shots {f['video.shots']}, {shares}, jerk {f['video.cam_jerk']}")
    bad += not ok
for name in ("Autumn", "Path"):
    smooth, shaky = recs[name + "-pan"]["features"]["video.cam_jerk"], recs[name + "-shaky"]["features"]["video.cam_jerk"]
    ok = smooth is not None and shaky is not None and shaky > 4 * smooth and smooth < 0.3
    print(("ok: " if ok else "FAILED: ") + f"{name}: hand-held pan jerk {shaky} > 4x smooth pan jerk {smooth} (< 0.3)")
    bad += not ok
sys.exit(1 if bad else 0)
PY
exit $fail
