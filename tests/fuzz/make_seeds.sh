#!/bin/bash
# make_seeds.sh DIR [MKSEED] - generate tiny VALID files of every input format
# kitsch reads, as fuzzing seed corpora and as the raw material that
# tests/test_reliability.sh damages into its malformed-input corpus.
#
#   DIR/image/  s.jpg s.png s.webp s.bmp s.gif        (64x48 test pattern)
#   DIR/audio/  s.wav s.flac s.ogg s.mp3 s.m4a        (3 s, 8 kHz, mono)  
#   DIR/video/  s.mp4 s.mkv s.webm s.avi              (1 s, 64x48, 8 fps)
#   DIR/text/   a few short texts (ASCII, curly quotes, Markdown, CJK)
#   DIR/record/ records written by the real writer (needs MKSEED)
#   DIR/profile/ the profiles compiled into kitsch (common/profiles/*.json)
#
# MKSEED is the tests/fuzz/mkseed helper (built by tests/fuzz/CMakeLists.txt);
# without it the record corpus gets a hand-written line instead.
# Everything is synthesised with ffmpeg's lavfi sources: no data is copied.
set -eu
D=${1:?usage: make_seeds.sh DIR [MKSEED]}
MKSEED=${2:-}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$D/image" "$D/audio" "$D/video" "$D/text" "$D/record" "$D/profile"
ff() { ffmpeg -hide_banner -loglevel error -nostdin -y "$@"; }

# Two groups run side by side (images + audio, video): ffmpeg start-up
# dominates and the machine has two cores.
images_and_audio() {
# ---- images: one frame of a moving test pattern ----
pat="testsrc2=size=64x48:rate=1"
ff -f lavfi -i "$pat" -frames:v 1 -c:v mjpeg -q:v 5 -pix_fmt yuvj420p "$D/image/s.jpg"
ff -f lavfi -i "$pat" -frames:v 1 -c:v png "$D/image/s.png"
ff -f lavfi -i "$pat" -frames:v 1 -c:v libwebp -quality 60 "$D/image/s.webp"
ff -f lavfi -i "$pat" -frames:v 1 -c:v bmp -pix_fmt bgr24 "$D/image/s.bmp"
ff -f lavfi -i "$pat" -frames:v 1 -c:v gif "$D/image/s.gif"

# ---- audio: a chirp-ish two-tone signal (enough for onsets and pitch) ----
tone="aevalsrc=0.4*sin(2*PI*(220+110*floor(4*t))*t)*(0.6+0.4*sin(2*PI*3*t)):s=8000:d=3"
ff -f lavfi -i "$tone" -c:a pcm_s16le "$D/audio/s.wav"
ff -f lavfi -i "$tone" -c:a flac "$D/audio/s.flac"
ff -f lavfi -i "$tone" -c:a libvorbis -q:a 0 "$D/audio/s.ogg"
ff -f lavfi -i "$tone" -ar 8000 -c:a libmp3lame -b:a 16k "$D/audio/s.mp3"
ff -f lavfi -i "$tone" -c:a aac -b:a 16k "$D/audio/s.m4a"
}
images_and_audio &
ia=$!

# ---- video: 1 s of the test pattern with a cut in the middle ----
vsrc="testsrc2=size=64x48:rate=8:duration=0.5,format=yuv420p[a];smptebars=size=64x48:rate=8:duration=0.5,format=yuv420p[b];[a][b]concat=n=2:v=1"
ff -f lavfi -i "$vsrc" -c:v mpeg4 -q:v 8 "$D/video/s.mp4"
ff -f lavfi -i "$vsrc" -c:v mpeg4 -q:v 8 "$D/video/s.mkv"
ff -f lavfi -i "$vsrc" -c:v libvpx -b:v 50k -deadline realtime "$D/video/s.webm"
ff -f lavfi -i "$vsrc" -c:v mjpeg -q:v 8 "$D/video/s.avi"
wait $ia || { echo "make_seeds.sh: image/audio seeds failed" >&2; exit 1; }

# ---- text ----
printf 'The old house stood by the river. Nobody had lived there for years.\n\nOne morning a light came on in the attic, and the whole village talked about it until dusk.\n' > "$D/text/plain.txt"
printf '\xe2\x80\x9cWell,\xe2\x80\x9d she said\xe2\x80\xa6 \xe2\x80\x9cthat\xe2\x80\x99s that.\xe2\x80\x9d He nodded. \xe2\x80\x94 Fine!\n' > "$D/text/quotes.txt"
printf '# A title\n\n- one item\n- two items\n\nA paragraph with *emphasis* and a [link](x). Mr. Smith left at 5 p.m. on Jan. 3.\n' > "$D/text/markdown.txt"
printf '\xe6\x98\xa5\xe7\x9c\xa0\xe4\xb8\x8d\xe8\xa7\x89\xe6\x99\x93\xe3\x80\x82 Caf\xc3\xa9 na\xc3\xafve \xc3\x85ngstr\xc3\xb6m. \xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82!\n' > "$D/text/unicode.txt"

# ---- records and profiles ----
if [ -n "$MKSEED" ] && [ -x "$MKSEED" ]; then
    "$MKSEED" "$D/text/plain.txt" > "$D/record/text.jsonl"
    "$MKSEED" "$D/text/quotes.txt" > "$D/record/quotes.jsonl"
    "$MKSEED" --error > "$D/record/error.jsonl"
    "$MKSEED" --profile > "$D/profile/small.json"
else
    printf '{"schema":"kitsch/1","tool":"0.1.0","seq":0,"path":"a.txt","bytes":3,"sha256":"","modality":"text","status":"error","error":{"code":"empty","message":"x"},"features":{},"descriptors":{},"info":{},"elapsed_ms":0,"config":"0000000000000000"}\n' > "$D/record/hand.jsonl"
fi
for p in "$SRC"/common/profiles/*.json; do
    [ -f "$p" ] && cp "$p" "$D/profile/embedded-$(basename "$p")"
done
exit 0
