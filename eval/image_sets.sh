#!/usr/bin/env bash
# eval/image_sets.sh - are AI image folders more homogeneous than human ones?
#
#   eval/image_sets.sh [BUILD_DIR]       (default: build)
#
# Sets (issue 5): the 279 SDXL style previews of one cat
# ($KITSCH_CORPUS/image/ai-dev/sdxl-cats), the 30 Debian plasma wallpapers
# (largest file of each, /usr/share/wallpapers/*/contents/images/), the 48
# LDM samples (8 prompts x 6, ai-dev/ldm-prompts) pooled, and each LDM
# prompt group of 6. Set metrics are computed at EQUAL N (Vendi grows with
# N): N=30 (REPS random subsamples; the wallpapers have exactly 30), and N=6
# (each LDM prompt group against random 6-subsets of the other sets).
# Expected order (issue 5): one subject / one prompt most homogeneous, human
# wallpapers least (highest Vendi, palette distance; lowest composition sim).
# Until `kitsch set` aggregates images, the image_probe driver computes
# ks_image_set_metrics on each subsample. QUICK=1 uses fewer subsamples.
set -euo pipefail
B=${1:-${KS_BUILD:-build}}
C=${KITSCH_CORPUS:-../shared/corpus}
PROBE=$B/image/image_probe
[ -x "$PROBE" ] || { echo "eval/image_sets.sh: $PROBE not built (cmake --build $B --target image_probe)" >&2; exit 1; }
[ -d "$C/image/ai-dev/sdxl-cats" ] || { echo "eval/image_sets.sh: no corpus at $C (set KITSCH_CORPUS); skipped"; exit 0; }
REPS=${REPS:-50}
[ "${QUICK:-0}" = 1 ] && REPS=10
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
ls "$C"/image/ai-dev/sdxl-cats/*.jpg >"$T/cats"
ls "$C"/image/ai-dev/ldm-prompts/*.png >"$T/ldm"
: >"$T/walls"
for d in /usr/share/wallpapers/*/contents/images; do
  f=$(ls -S "$d" | head -1)   # the largest file of each wallpaper
  [ -n "$f" ] && echo "$d/$f" >>"$T/walls"
done
args=("sdxl-cats:$T/cats" "ldm-all:$T/ldm" "wallpapers:$T/walls")
for p in $(sed 's/.*ldm_\(.*\)_t[0-9]*\.png/\1/' "$T/ldm" | sort -u); do
  grep "ldm_${p}_t" "$T/ldm" >"$T/p_$p"
  args+=("ldm:${p:0:19}:$T/p_$p")
done
echo "== image set metrics at equal N: mean (sd) over $REPS random subsamples =="
echo "   files: sdxl-cats $(wc -l <"$T/cats"), wallpapers $(wc -l <"$T/walls"), ldm-all $(wc -l <"$T/ldm") (8 prompts x 6)"
echo "   N=30: the three sets; N=6: also each LDM prompt group (6 samples of one prompt, one draw)"
"$PROBE" sets 30,6 "$REPS" "${args[@]}"
