#!/usr/bin/env bash
# bench/image.sh - image analysis speed against a TurboJPEG 1/8-scale
# decode-only loop over the same JPEG photos, measured in the same run.
#
#   bench/image.sh [BUILD_DIR]      (default: build)
#
# Files: the 11 photographs among Debian's plasma-workspace wallpapers
# (2560x1600 JPEG), or IMAGE_BENCH_FILES="a.jpg b.jpg ...". Both sides run
# REPS times (default 7), back to back in pairs; the figure is the median of
# the per-pair ratios, so load from other processes (which drifts slowly)
# penalises neither side more than the other. Best rates are shown too.
# Acceptance (issue 5): analysis rate >= 0.7x the decode-only rate.
set -euo pipefail
B=${1:-${KS_BUILD:-build}}
PROBE=$B/image/image_probe
LOOP=$B/image/jpeg_decode_loop
REPS=${REPS:-7}
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
best_ref=0; best_ana=0; ratios=()
for ((i = 0; i < REPS; i++)); do
  r=$("$LOOP" "${FILES[@]}" | sed -n 's/.*: \([0-9.]*\) files\/s/\1/p')
  a=$("$PROBE" time "${FILES[@]}" | sed -n 's/.*: \([0-9.]*\) files\/s/\1/p')
  best_ref=$(awk -v x="$r" -v y="$best_ref" 'BEGIN{print (x>y)?x:y}')
  best_ana=$(awk -v x="$a" -v y="$best_ana" 'BEGIN{print (x>y)?x:y}')
  ratios+=("$(awk -v a="$a" -v r="$r" 'BEGIN{printf "%.3f", a/r}')")
done
med=$(printf '%s\n' "${ratios[@]}" | sort -n | awk '{v[NR]=$1} END{print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}')
echo "image bench: ${#FILES[@]} JPEG photos, $REPS back-to-back pairs"
printf '  %-46s %8.2f files/s\n' "TurboJPEG 1/8-scale decode only (reference), best" "$best_ref"
printf '  %-46s %8.2f files/s\n' "kitsch image analysis (decode + measures), best" "$best_ana"
echo "  per-pair ratios: ${ratios[*]}"
printf '  ratio analysis/reference (median of pairs): %.2f (target >= 0.70)\n' "$med"
