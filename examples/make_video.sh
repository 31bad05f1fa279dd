#!/usr/bin/env bash
# examples/make_video.sh - generate the video examples (not committed) into
# examples/generated/video/, from ffmpeg's synthetic sources only (no data
# needed), 320x180, well under 1 MB together:
#   metronome.mp4   8 shots of exactly 2.0 s joined by hard cuts, a beep on
#                   every second (a templated, beat-locked edit: CV 0, cuts on beats)
#   varied.mp4      6 shots of irregular length, one 0.6 s dissolve
#   one_shot_8fps.mp4  a single 6 s shot at 8 fps with a smooth zoom (the
#                   shape of text-to-video generator output)
#
#   examples/make_video.sh && kitsch analyze examples/generated/video -o video.jsonl
set -euo pipefail
cd "$(dirname "$0")"
OUT=generated/video
mkdir -p "$OUT"
command -v ffmpeg >/dev/null || { echo "make_video.sh: ffmpeg is needed (apt-get install ffmpeg)" >&2; exit 1; }
ff() { ffmpeg -hide_banner -loglevel error -y "$@"; }
S=320x180
# eight visually distinct animated sources
src=("gradients=s=$S:r=25:seed=1:speed=0.02" "testsrc2=s=$S:r=25" "mandelbrot=s=$S:r=25"
     "gradients=s=$S:r=25:seed=5:c0=0x102040:c1=0xf0a030:speed=0.03" "cellauto=s=$S:r=25:rule=110"
     "smptehdbars=s=$S:r=25" "gradients=s=$S:r=25:seed=9:type=radial:speed=0.02" "rgbtestsrc=s=$S:r=25")
shots() { # shots LEN_FRAMES... -> inputs and trims on stdout vars
    IN=(); F=""
    local i=0
    for n in "$@"; do
        IN+=(-f lavfi -i "${src[$((i % 8))]}")
        F+="[$i:v]trim=end_frame=$n,setpts=PTS-STARTPTS,format=yuv420p,settb=AVTB[v$i];"
        i=$((i + 1))
    done
}
shots 50 50 50 50 50 50 50 50
ff "${IN[@]}" -f lavfi -i "sine=f=660:beep_factor=6:d=16:sample_rate=44100" \
   -filter_complex "${F}[v0][v1][v2][v3][v4][v5][v6][v7]concat=n=8:v=1:a=0[o]" \
   -map '[o]' -map 8:a -c:v libx264 -preset veryfast -crf 30 -c:a aac -b:a 48k -shortest "$OUT/metronome.mp4"
# irregular: 1.2 3.4 0.8 2.6 4.1 1.7 s; a 15-frame dissolve into the 5th shot
shots 30 85 20 65 103 43
ff "${IN[@]}" -filter_complex "${F}[v0][v1][v2][v3]concat=n=4:v=1:a=0,settb=AVTB[a];[a][v4]xfade=transition=fade:duration=0.6:offset=7.4,settb=AVTB[b];[b][v5]concat=n=2:v=1:a=0[o]" \
   -map '[o]' -c:v libx264 -preset veryfast -crf 30 "$OUT/varied.mp4"
ff -f lavfi -i "mandelbrot=s=$S:r=8" -frames:v 49 -c:v libx264 -preset veryfast -crf 30 -pix_fmt yuv420p "$OUT/one_shot_8fps.mp4"
ls -l "$OUT"
