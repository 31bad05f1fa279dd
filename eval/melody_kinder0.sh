#!/bin/bash
# melody_kinder0.sh - information content of the kinder0 Essen subset
# (IDyOM dataset 7: 213 melodies, 8,393 notes) under kitsch's PPM models,
# 10-fold cross-validated as in Pearce (2005), against IDyOM's published
# 2.106 bits/note (acceptance: within 0.03 bit, 2.076-2.136).
#
# Usage: KITSCH=build/tools/kitsch KITSCH_CORPUS=../shared/corpus eval/melody_kinder0.sh
set -uo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
CORPUS=${KITSCH_CORPUS:-$SRC/../shared/corpus}
KITSCH=${KITSCH:-$SRC/build/tools/kitsch}
ABC=$CORPUS/audio/essen/kinder0.abc
REF=2.106
[ -f "$ABC" ] || { echo "kinder0.abc not found under $CORPUS/audio/essen; set KITSCH_CORPUS"; exit 0; }
command -v abc2midi >/dev/null || { echo "abc2midi (Debian abcmidi) missing: skipped"; exit 0; }

row() { # label, options...
    local label=$1; shift
    local out
    out=$("$KITSCH" melody --cv 10 "$@" "$ABC") || { printf '%-58s failed\n' "$label"; return; }
    local n m h notes mel
    n=$(awk -F'\t' '$1=="mean_ic_per_note"{print $2}' <<<"$out")
    m=$(awk -F'\t' '$1=="mean_ic_per_melody"{print $2}' <<<"$out")
    h=$(awk -F'\t' '$1=="mean_entropy"{print $2}' <<<"$out")
    notes=$(awk -F'\t' '$1=="notes"{print $2}' <<<"$out")
    mel=$(awk -F'\t' '$1=="melodies"{print $2}' <<<"$out")
    printf '%-58s %9s %11s %8s  %s/%s\n' "$label" "$n" "$m" "$h" "$mel" "$notes"
    [ -n "${FIRST:-}" ] || FIRST=$n
}

echo "kinder0: 10-fold cross-validation (piece i in fold i mod 10), cpitch, alphabet = pitches of kinder0"
printf '%-58s %9s %11s %8s  %s\n' "model" "IC/note" "IC/melody" "H/note" "melodies/notes"
row "default: LTM+ C, STM C (IDyOM UX), order 3, geometric b=7"
row "  same, b=2"                                      --bias 2
row "  same, arithmetic b=2"                           --combine arithmetic --bias 2
row "  STM escape X (IDyOM's STM default)"             --stm-escape x
row "  STM Moffat update exclusion"                    --stm-ux 1
row "  STM no update exclusion"                        --stm-ux 0
row "  LTM not learning the test pieces (BOTH, not BOTH+)" --no-ltm-plus
row "  backoff with full exclusion, not interpolated"  --backoff
row "  LTM+ only"                                      --ltm-only
row "  STM only"                                       --stm-only
row "  order bound 5 (outside kitsch's bound of 3)"    --order 5
echo "implementation check, IDyOM's unbounded setup (not kitsch's model):"
row "  PPM* (order<=16, shortest deterministic ctx), STM X, b=2" --order 16 --ppm-star --stm-escape x --bias 2
row "  PPM* (order<=16, shortest deterministic ctx), STM X, b=7" --order 16 --ppm-star --stm-escape x --bias 7

d=$(awk -v a="$FIRST" -v b="$REF" 'BEGIN{d=a-b; printf "%+.4f", d}')
ok=$(awk -v a="$FIRST" -v b="$REF" 'BEGIN{d=a-b; if (d<0) d=-d; print (d<=0.03) ? "PASS" : "FAIL"}')
echo
echo "acceptance: default IC/note $FIRST vs IDyOM $REF: difference $d bit -> $ok (|d| <= 0.03)"
echo "note: IDyOM's current code reports the mean of per-melody means (IC/melody column);"
echo "      the thesis figure is compared here with the per-note mean (total bits / notes)."

# The model shipped in the binary (Essen without kinder0, no cross-validation needed).
tmp=$(mktemp)
"$KITSCH" melody "$ABC" > "$tmp" 2>/dev/null
python3 - "$tmp" <<'EOF'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
ok = [r for r in recs if r["status"] == "ok"]
f = lambda k: sum(r["features"][k] for r in ok) / len(ok)
n = sum(r["features"]["audio.melody_notes"] for r in ok)
tot = sum(r["features"]["audio.melody_ic"] * r["features"]["audio.melody_notes"] for r in ok)
print("shipped Essen LTM (kinder0 excluded) + STM on kinder0: %d melodies, IC/note %.4f, IC/melody %.4f, "
      "pc entropy %.3f, interval entropy %.3f, high-IC share %.3f"
      % (len(ok), tot / n, f("audio.melody_ic"), f("audio.melody_pc_entropy"),
         f("audio.melody_interval_entropy"), f("audio.melody_high_ic_share")))
EOF
rm -f "$tmp"
exit 0
