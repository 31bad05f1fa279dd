#!/usr/bin/env bash
# audio_decoder_pairs_cv.sh - a held-out decoder-invariance figure for the
# melodic features.
#
# The predominant-melody contour costs of audio/transcribe.c (SAL_JUMP per
# semitone, SAL_SWITCH per voicing change) are now chosen on accompanied
# Essen renderings (eval/build_contour_costs.sh), not on the decoder pairs,
# so eval/audio_decoder_pairs.sh's melodic figure is held out. This script
# asks a second question: how far would choosing the costs on the pairs
# themselves, without the clip or codec under test, get? It builds the analyzer once per cost pair of a
# small grid (its own build directory, KS_EVAL_SAL_COSTS; only transcribe.c
# is recompiled between variants), analyses every clip with each, and
# reports the same statistic as eval/audio_decoder_pairs.sh (per feature the
# median over clips of |f(codec) - f(real)| / max(|f(real)|, spread over the
# real clips), then the median over the group's features) when the costs
# are chosen WITHOUT the clips or the codec they are tested on:
#   LOCO      for each clip, choose the costs that minimise the mean melodic
#             figure over the three codecs on the other 6 clips; take that
#             clip's encodec6 differences under them;
#   codec     choose on lac7 + musika (all clips), test on encodec6;
#   both      for each clip, choose on lac7 + musika of the other 6 clips,
#             test that clip's encodec6 differences.
# Also printed: the in-sample grid, so the spread between neighbouring
# settings is visible.
#
# Environment: KITSCH_CORPUS (default ../shared/corpus), CV_BUILD (build
# directory, default build-cv; kept between runs so a re-run only recompiles
# transcribe.c), QUICK=1 (a 3 x 2 grid instead of 4 x 3), JUMPS, SWITCHES
# (the grid), JOBS.
set -euo pipefail
CORPUS=${KITSCH_CORPUS:-../shared/corpus}
D=$CORPUS/audio/decoder-pairs
[ -d "$D/real" ] || { echo "no $D (set KITSCH_CORPUS)"; exit 0; }
SRC=$(cd "$(dirname "$0")/.." && pwd)
. "$SRC/eval/lib/sal_variant.sh"
B=${CV_BUILD:-build-cv}
if [ "${QUICK:-0}" = 1 ]; then
  JUMPS=${JUMPS:-0.02 0.04 0.08}
  SWITCHES=${SWITCHES:-0.15 0.5}
else
  JUMPS=${JUMPS:-0.01 0.02 0.04 0.08}
  SWITCHES=${SWITCHES:-0.05 0.15 0.5}
fi
codecs="encodec6 lac7 musika"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
for j in $JUMPS; do
  for s in $SWITCHES; do
    v="$j,$s"
    sal_variant "$SRC" "$B" "SAL_JUMP=$j;SAL_SWITCH=$s" "$tmp/build.log"
    mkdir -p "$tmp/$v"
    for c in real $codecs; do
      "$B/tools/kitsch" analyze -q --timeout 60 --jobs "${JOBS:-2}" "$D/$c" -o "$tmp/$v/$c.jsonl" || true
    done
  done
done
PYTHONPATH="$SRC/eval/lib" python3 - "$tmp" "$JUMPS" "$SWITCHES" $codecs <<'PY'
import sys, statistics as st
from pairs import GROUPS, load, rel_diffs
tmp, jumps, switches, codecs = sys.argv[1], sys.argv[2].split(), sys.argv[3].split(), sys.argv[4:]
variants = [f"{j},{s}" for j in jumps for s in switches]
groups = {g: GROUPS[g] for g in ('melodic', 'context')}
# diff[v][c][clip][feature]: the relative difference of eval/audio_decoder_pairs.sh
diff = {}
clips = None
for v in variants:
    real = load(f"{tmp}/{v}/real.jsonl")
    clips = sorted(real) if clips is None else clips
    diff[v] = {}
    for c in codecs:
        C = load(f"{tmp}/{v}/{c}.jsonl")
        diff[v][c] = {p: {} for p in clips}
        for keys in groups.values():
            for k in keys:
                for p, x in (rel_diffs(real, C, k) or {}).items():
                    if p in diff[v][c]:
                        diff[v][c][p][k] = x
def figure(rows, g='melodic'):
    """rows: list of {feature: diff} (one per clip) -> median over features of the per-feature median"""
    meds = []
    for k in groups[g]:
        d = [r[k] for r in rows if k in r]
        if d: meds.append(st.median(d))
    return st.median(meds) if meds else float('nan')
def choose(sel_codecs, sel_clips):
    """the variant with the lowest mean melodic figure over sel_codecs on sel_clips (ties: grid order)"""
    score = {v: st.mean(figure([diff[v][c][p] for p in sel_clips]) for c in sel_codecs) for v in variants}
    return min(variants, key=lambda v: score[v])
shipped = '0.08,0.15'
print(f"clips: {len(clips)}; grid SAL_JUMP {' '.join(jumps)} x SAL_SWITCH {' '.join(switches)}")
print("\nin-sample melodic figure per cost pair (median over features of the per-feature median over clips)")
print(f"{'jump,switch':12} " + ' '.join(f"{c:>9}" for c in codecs) + f" {'mean':>9}")
for v in variants:
    f = [figure([diff[v][c][p] for p in clips]) for c in codecs]
    print(f"{v:12} " + ' '.join(f"{100*x:8.1f}%" for x in f) + f" {100*st.mean(f):8.1f}%" + ("  (shipped)" if v == shipped else ""))
test = 'encodec6'
def held_out(name, sel_codecs, loco):
    rows, chosen = [], []
    for p in clips:
        v = choose(sel_codecs, [q for q in clips if q != p] if loco else clips)
        chosen.append(v)
        rows.append(diff[v][test][p])
    per = {k: (st.median([r[k] for r in rows if k in r]), sum(k in r for r in rows))
           for k in groups['melodic'] if any(k in r for r in rows)}
    print(f"\n{name}: chosen (jump,switch) per held-out clip: " + ' '.join(f"{p.split('.')[0]}:{v}" for p, v in zip(clips, chosen)))
    for k, (m, n) in per.items():
        print(f"  {k:36} {100*m:6.1f}%  ({n} clips measured on both sides)")
    print(f"  HELD-OUT melodic figure, {test}: {100*figure(rows):.1f}%   (context group {100*figure(rows, 'context'):.1f}%)")
held_out("LOCO (choose on the other 6 clips, all three codecs)", codecs, True)
held_out("codec (choose on lac7 + musika, all clips)", [c for c in codecs if c != test], False)
held_out("both (choose on lac7 + musika of the other 6 clips)", [c for c in codecs if c != test], True)
if shipped in variants:
    print(f"\nshipped costs {shipped}, in-sample {test}: {100*figure([diff[shipped][test][p] for p in clips]):.1f}%")
PY
