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
#
# The analyzer keeps freed memory mapped between files (ks_malloc_keep):
# glibc's default faults libjpeg's whole-image buffers back in for every
# progressive file. That setting would speed the plain loop as well, so the
# loop also runs with the same setting (GLIBC_TUNABLES) and the script prints
# both ratios: against the loop as TurboJPEG users run it (the issue's
# reference), and like for like.
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
KEEP=glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=67108864 # = ks_malloc_keep
rate() { sed -n 's/.*: \([0-9.]*\) files\/s/\1/p'; }
best() { awk -v x="$1" -v y="$2" 'BEGIN{print (x>y)?x:y}'; }
median() { sort -n | awk '{v[NR]=$1} END{print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
best_ref=0; best_keep=0; best_ana=0; ratios=(); ratios_keep=()
for ((i = 0; i < REPS; i++)); do
  r=$("$LOOP" "${FILES[@]}" | rate)
  a=$("$PROBE" time "${FILES[@]}" | rate)
  k=$(GLIBC_TUNABLES=$KEEP "$LOOP" "${FILES[@]}" | rate)
  best_ref=$(best "$r" "$best_ref"); best_keep=$(best "$k" "$best_keep"); best_ana=$(best "$a" "$best_ana")
  ratios+=("$(awk -v a="$a" -v r="$r" 'BEGIN{printf "%.3f", a/r}')")
  ratios_keep+=("$(awk -v a="$a" -v r="$k" 'BEGIN{printf "%.3f", a/r}')")
done
med=$(printf '%s\n' "${ratios[@]}" | median)
med_keep=$(printf '%s\n' "${ratios_keep[@]}" | median)
echo "image bench: ${#FILES[@]} JPEG photos, $REPS back-to-back runs of each"
printf '  %-58s %8.2f files/s\n' "TurboJPEG 1/8-scale decode only (reference), best" "$best_ref"
printf '  %-58s %8.2f files/s\n' "the same loop with the analyzer's allocator setting, best" "$best_keep"
printf '  %-58s %8.2f files/s\n' "kitsch image analysis (decode + measures), best" "$best_ana"
echo "  per-run ratios against the reference: ${ratios[*]}"
echo "  per-run ratios like for like:         ${ratios_keep[*]}"
printf '  ratio analysis/reference (median of runs): %.2f (target >= 0.70)\n' "$med"
printf '  ratio like for like (both keep freed memory): %.2f\n' "$med_keep"
