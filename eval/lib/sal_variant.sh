# eval/lib/sal_variant.sh - sourced by eval/audio_decoder_pairs_cv.sh and
# eval/build_contour_costs.sh (not an eval script itself).
#
# sal_variant SRC BUILD DEFS LOG: build `kitsch` in BUILD with DEFS (e.g.
# "SAL_JUMP=0.04;SAL_SWITCH=0.15") as compile definitions of
# audio/transcribe.c only (CMake cache variable KS_EVAL_SAL_COSTS; between
# two variants only transcribe.c is recompiled). Prints the log and fails
# on error.
sal_variant() {
  local src=$1 b=$2 defs=$3 log=$4
  cmake -S "$src" -B "$b" -DCMAKE_BUILD_TYPE=Release "-DKS_EVAL_SAL_COSTS=$defs" > "$log" 2>&1 &&
    cmake --build "$b" -j2 --target kitsch >> "$log" 2>&1 || { tail -30 "$log"; return 1; }
}
