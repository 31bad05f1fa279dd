#!/usr/bin/env bash
# eval/image_sets.sh - are AI image folders more homogeneous than human ones?
#
#   eval/image_sets.sh [BUILD_DIR]       (default: build; needs tools/kitsch)
#
# Sets (issue 5): the 279 SDXL style previews of one cat
# ($KITSCH_CORPUS/image/ai-dev/sdxl-cats), the 30 Debian plasma wallpapers
# (the largest file of each, /usr/share/wallpapers/*/contents/images/), the 48
# LDM samples (ai-dev/ldm-prompts, 8 prompts x 6) pooled, and each LDM prompt
# group of 6. `kitsch set` measures every set at EQUAL N (Vendi grows with N):
# N=30 for the three sets (the wallpapers are exactly 30: one draw), then N=6
# with every prompt group (one draw each) against 6-subsets of the others.
# Expected (issue 5): the one-subject set most homogeneous (lowest Vendi,
# highest palette and composition similarity), human wallpapers least.
# palette_distance (mean EMD) is printed too: it is ruled by the most distant
# pairs, and the cats' deliberately varied styles put the pooled LDM set
# (5 of 8 prompts are about fire) level with them on it (0.199 vs 0.205).
# QUICK=1: fewer subsamples.
set -euo pipefail
B=${1:-${KS_BUILD:-build}}
C=${KITSCH_CORPUS:-../shared/corpus}
K=${KITSCH:-$B/tools/kitsch}
[ -x "$K" ] || { echo "eval/image_sets.sh: $K not built (cmake --build $B --target kitsch)" >&2; exit 1; }
[ -d "$C/image/ai-dev/sdxl-cats" ] || { echo "eval/image_sets.sh: no corpus at $C (set KITSCH_CORPUS); skipped"; exit 0; }
REPS=${REPS:-50}
[ "${QUICK:-0}" = 1 ] && REPS=10
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
{
  ls "$C"/image/ai-dev/sdxl-cats/*.jpg
  ls "$C"/image/ai-dev/ldm-prompts/*.png
  for d in /usr/share/wallpapers/*/contents/images; do
    f=$(ls -S "$d" | head -1)   # the largest file of each wallpaper
    [ -n "$f" ] && echo "$d/$f"
  done
} >"$T/files"
# 5K PNG wallpapers take seconds each through stb_image on a loaded machine
"$K" analyze --files-from "$T/files" -o "$T/all.jsonl" --timeout 120 2>"$T/log" || { cat "$T/log"; exit 1; }
echo "== image sets: $(grep -c '"status":"ok"' "$T/all.jsonl") ok records of $(wc -l <"$T/files") files =="
grep '"status":"error"' "$T/all.jsonl" | cut -c1-200 || true
"$K" set "$T/all.jsonl" --n 30 --reps "$REPS" --group-by '(sdxl-cats|wallpapers|ldm-prompts)' --format csv >"$T/n30.csv"
"$K" set "$T/all.jsonl" --n 6 --reps "$REPS" --group-by '(sdxl-cats|wallpapers|ldm_[A-Za-z-]+)' --format csv >"$T/n6.csv"
# one row per set, the metrics of issue 5 as columns
summarise() {
  awk -F, -v want="image.vendi image.palette_distance image.palette_sim image.composition_sim image.centroid_dispersion image.centred_share image.near_dup_rate image.typicality_mean" '
    NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    { gsub(/"/, ""); set = $col["set"]; m = $col["metric"]; v[set, m] = $col["value"]; sets[set] = 1
      if (m == "image.vendi") { lo[set] = $col["ci_lo"]; hi[set] = $col["ci_hi"] } }
    END {
      n = split(want, w, " ")
      printf "%-38s %17s", "set", "vendi [2.5-97.5%]"
      for (i = 2; i <= n; i++) { h = w[i]; sub(/^image\./, "", h); printf " %19s", h }
      printf "\n"
      for (s in sets) {
        if (lo[s] == "" || lo[s] == "nan" || lo[s] == "-") ci = "[whole set]"
        else ci = sprintf("[%5.2f-%5.2f]", lo[s], hi[s])
        printf "%-38s %5.2f %-11s", s, v[s, w[1]], ci
        for (i = 2; i <= n; i++) printf " %19.4f", v[s, w[i]]
        printf "\n"
      }
    }' "$1" | { read -r h; echo "$h"; sort -t' ' -k1,1; }
}
head -1 "$T/n30.csv" | grep -q '^set,' || { echo "unexpected csv header:"; head -3 "$T/n30.csv"; exit 1; }
echo
echo "== N=30: the three sets (mean of $REPS subsamples; the 30 wallpapers: the whole set) =="
summarise "$T/n30.csv"
echo
echo "== N=6: each LDM prompt group (6 samples of one prompt, whole group) and 6-subsets of the sets =="
summarise "$T/n6.csv"
