#!/usr/bin/env bash
# bench/image.sh - image analysis speed against a TurboJPEG 1/8-scale
# decode-only loop over the same JPEG photos, measured in the same run.
#
#   bench/image.sh [BUILD_DIR]      (default: build)
#
# Files: the 11 photographs among Debian's plasma-workspace wallpapers
# (2560x1600 JPEG), or IMAGE_BENCH_FILES="a.jpg b.jpg ...". Both sides run
# REPS times (default 5), interleaved; the best time of each side is used, so
# load from other processes penalises neither side more than the other.
# Acceptance (issue 5): analysis rate >= 0.7x the decode-only rate.
set -euo pipefail
B=${1:-${KS_BUILD:-build}}
PROBE=$B/image/image_probe
LOOP=$B/image/jpeg_decode_loop
REPS=${REPS:-5}
for x in "$PROBE" "$LOOP"; do
  [ -x "$x" ] || { echo "bench/image.sh: $x not built (cmake --build $B --target image_probe jpeg_decode_loop)" >&2; exit 1; }
done
if [ -n "${IMAGE_BENCH_FILES:-}" ]; then
  read -r -a FILES <<<"$IMAGE_BENCH_FILES"
else
  FILES=()
  for p in BytheWater ColdRipple ColorfulCups DarkestHour EveningGlow FallenLeaf Grey Kite OneStandsOut Path summer_1am; do
    f=/usr/share/wallpapers/$p/contents/images/2560x1600.jpg
    [ -f "$f" ] && FILES+=("$f")
  done
fi
[ ${#FILES[@]} -gt 0 ] || { echo "bench/image.sh: no JPEG photos (apt-get install plasma-workspace-wallpapers)"; exit 0; }
cat "${FILES[@]}" >/dev/null   # warm the page cache for both sides
best_ref=0; best_ana=0
for ((i = 0; i < REPS; i++)); do
  r=$("$LOOP" "${FILES[@]}" | sed -n 's/.*: \([0-9.]*\) files\/s/\1/p')
  a=$("$PROBE" time "${FILES[@]}" | sed -n 's/.*: \([0-9.]*\) files\/s/\1/p')
  best_ref=$(awk -v x="$r" -v y="$best_ref" 'BEGIN{print (x>y)?x:y}')
  best_ana=$(awk -v x="$a" -v y="$best_ana" 'BEGIN{print (x>y)?x:y}')
done
echo "image bench: ${#FILES[@]} JPEG photos, best of $REPS interleaved runs"
printf '  %-44s %8.2f files/s\n' "TurboJPEG 1/8-scale decode only (reference)" "$best_ref"
printf '  %-44s %8.2f files/s\n' "kitsch image analysis (decode + all measures)" "$best_ana"
awk -v a="$best_ana" -v r="$best_ref" 'BEGIN{printf "  ratio analysis/reference: %.2f (target >= 0.70)\n", a/r}'
