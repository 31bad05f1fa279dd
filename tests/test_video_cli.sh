#!/bin/bash
# test_video_cli.sh - the video analyzer through `kitsch analyze`: records of
# generated clips (metronomic cuts with beeps on the beat, a single shot),
# and malformed inputs that must end as one error record each, never a crash
# or a hang: truncated, zero-frame, audio-only, a 20000x20000 header, text
# named .mp4.
set -euo pipefail
: "${KITSCH:?}" "${KS_SRC:?}"
command -v ffmpeg >/dev/null || { echo "ffmpeg not installed: skip"; exit 77; }
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
fail=0
check() { if eval "$2"; then echo "ok: $1"; else echo "FAILED: $1"; fail=1; fi; }
ff() { ffmpeg -hide_banner -loglevel error -y "$@"; }
S=160x90
mkdir "$W/good" "$W/bad"
# 6 shots x exactly 1 s, hard cuts, a beep every second
IN=(); F=""
for i in 0 1 2 3 4 5; do
    IN+=(-f lavfi -i "gradients=s=$S:r=25:seed=$((i * 7 + 1)):speed=0.01")
    F+="[$i:v]trim=end_frame=25,setpts=PTS-STARTPTS,format=yuv420p[v$i];"
done
ff "${IN[@]}" -f lavfi -i "sine=f=660:beep_factor=6:d=6" \
   -filter_complex "${F}[v0][v1][v2][v3][v4][v5]concat=n=6:v=1:a=0[o]" -map '[o]' -map 6:a \
   -c:v libx264 -preset ultrafast -c:a aac -shortest "$W/good/metronome.mp4"
ff -f lavfi -i "mandelbrot=s=$S:r=8" -frames:v 24 -c:v libx264 -preset ultrafast -pix_fmt yuv420p "$W/good/one_shot.mp4"
# malformed
ff -f lavfi -i testsrc2=s=$S:r=25:d=2 -c:v libx264 -preset ultrafast "$W/ok.mp4"
head -c 2000 "$W/ok.mp4" > "$W/bad/truncated.mp4"
ff -f lavfi -i sine=f=440:d=1 -c:a aac "$W/bad/audio_only.mp4"
ff -f lavfi -i color=c=red:s=32x32:r=25:d=0.2 -pix_fmt yuv420p "$W/small.y4m"
sed '1s/W32 H32/W20000 H20000/' "$W/small.y4m" > "$W/bad/huge.y4m"
printf 'not a video at all\n' > "$W/bad/text.mp4"

"$KITSCH" analyze --modality video -o "$W/good.jsonl" "$W/good" > /dev/null 2>&1 || true
"$KITSCH" analyze --modality video -o "$W/bad.jsonl" "$W/bad" > /dev/null 2>&1 || true
python3 - "$W/good.jsonl" "$W/bad.jsonl" > "$W/report.txt" <<'PY' || fail=1
import json, sys, os
good = {os.path.basename(r["path"]): r for r in map(json.loads, open(sys.argv[1]))}
bad = {os.path.basename(r["path"]): r for r in map(json.loads, open(sys.argv[2]))}
ok = True
def chk(name, cond):
    global ok
    print(("ok: " if cond else "FAILED: ") + name)
    ok = ok and cond
m = good["metronome.mp4"]; f = m["features"]
chk("metronome ok", m["status"] == "ok")
chk("metronome 6 shots", f.get("video.shots") == 6)
cv = f.get("video.shot_cv")
chk("metronome CV 0 (%s)" % cv, cv is not None and abs(cv) < 1e-6)
chk("metronome periodicity NaN (needs >= 9 shots)", f.get("video.cut_periodicity") is None)
chk("metronome transitions at 1..5 s", [round(x, 2) for x in m["descriptors"]["video.transitions"][0::3]] == [1.0, 2.0, 3.0, 4.0, 5.0])
chk("soundtrack measured", f.get("audio.loudness_lufs") is not None or "soundtrack not measured" in m["info"].get("video.notes", ""))
o = good["one_shot.mp4"]["features"]
chk("single shot: no rhythm", o.get("video.shots") == 1 and o.get("video.asl") is None and o.get("video.shot_cv") is None)
chk("single shot: 8 fps", abs(o.get("video.fps") - 8.0) < 1e-6)
for name in ["truncated.mp4", "audio_only.mp4", "huge.y4m", "text.mp4"]:
    r = bad.get(name)
    chk(f"{name}: one error record", r is not None and r["status"] == "error")
    if r: print(f"   {name}: {r['error']['code']}: {r['error']['message'][:100]}")
chk("audio only -> no_stream", bad.get("audio_only.mp4", {}).get("error", {}).get("code") == "no_stream")
sys.exit(0 if ok else 1)
PY
cat "$W/report.txt"
exit $fail
