#!/usr/bin/env bash
# examples/make_image.sh - generate the image examples (not committed) into
# examples/generated/image/: three synthetic pictures made by ffmpeg and, when
# Debian's plasma-workspace-wallpapers is installed, three human-made
# wallpapers scaled down to 640 px. Small (well under 1 MB together).
#
#   examples/make_image.sh && kitsch analyze examples/generated/image -o img.jsonl
set -euo pipefail
cd "$(dirname "$0")"
OUT=generated/image
mkdir -p "$OUT"
command -v ffmpeg >/dev/null || { echo "make_image.sh: ffmpeg is needed (apt-get install ffmpeg)" >&2; exit 1; }
ff() { ffmpeg -hide_banner -loglevel error -y "$@"; }
# synthetic: a busy test card, a smooth two-colour radial gradient (nearly
# empty), and a fractal
ff -f lavfi -i testsrc2=size=640x400 -frames:v 1 -q:v 3 "$OUT/testcard.jpg"
ff -f lavfi -i "gradients=size=640x400:c0=0xf8c8a0:c1=0x304080:type=radial:seed=7" -frames:v 1 "$OUT/glow.png"
ff -f lavfi -i mandelbrot=size=640x400 -frames:v 1 -c:v libwebp -quality 80 "$OUT/mandelbrot.webp"
# human-made: Debian wallpapers (LGPL/CC-BY-SA), scaled down at generation time
for w in Path Kite ColorfulCups; do
  f=/usr/share/wallpapers/$w/contents/images/2560x1600.jpg
  [ -f "$f" ] && ff -i "$f" -vf scale=640:-2 -q:v 4 "$OUT/wallpaper_$w.jpg"
done
ls -l "$OUT"
