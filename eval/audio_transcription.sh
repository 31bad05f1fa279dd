#!/usr/bin/env bash
# audio_transcription.sh - how well does the audio analyzer hear a melody?
#
# Renders Essen folk tunes (kinder0.abc, the IDyOM dataset) to audio with
# abc2midi + fluidsynth (piano and flute), transcribes them with
# `kitsch notes`, and compares with the exact notes of the MIDI file
# (`kitsch melody --notes`): note F1 (onset within +-50 ms, exact pitch,
# one-to-one matching), and the melodic features of the recording
# (`kitsch analyze`) against the same features of the MIDI truth
# (`kitsch melody`). Targets (issue 4): piano F1 >= 0.90, entropies within
# 0.1 bit, mean IC within 0.3 bit; flute F1 >= 0.70.
#
# Usage: eval/audio_transcription.sh [N_TUNES]   (default 8; QUICK=1: 5)
# Needs: abcmidi, fluidsynth, fluid-soundfont-gm, python3.
set -euo pipefail
KITSCH=${KITSCH:-build/tools/kitsch}
CORPUS=${KITSCH_CORPUS:-../shared/corpus}
ABC=$CORPUS/audio/essen/kinder0.abc
SF2=/usr/share/sounds/sf2/FluidR3_GM.sf2
N=${1:-8}
[ "${QUICK:-0}" = 1 ] && N=5
[ -f "$ABC" ] || { echo "no $ABC (set KITSCH_CORPUS)"; exit 0; }
for t in abc2midi fluidsynth python3; do command -v $t >/dev/null || { echo "missing $t"; exit 0; }; done
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
# tunes spread over the dataset (every 213/N-th)
tunes=$(python3 -c "n=$N; print(' '.join(str(1 + i * 213 // n) for i in range(n)))")
for x in $tunes; do
  awk -v n="$x" '/^X:/{v=$0; sub(/^X: */,"",v); p=(v==n)} p' "$ABC" > "$tmp/t$x.abc"
  abc2midi "$tmp/t$x.abc" -o "$tmp/t$x.mid" -Q 100 >/dev/null 2>&1
  fluidsynth -ni -q -g 0.6 -r 44100 -F "$tmp/piano_$x.wav" "$SF2" "$tmp/t$x.mid" >/dev/null 2>&1
  sed '/^K:/a %%MIDI program 73' "$tmp/t$x.abc" > "$tmp/f$x.abc"
  abc2midi "$tmp/f$x.abc" -o "$tmp/f$x.mid" -Q 100 >/dev/null 2>&1
  fluidsynth -ni -q -g 0.6 -r 44100 -F "$tmp/flute_$x.wav" "$SF2" "$tmp/f$x.mid" >/dev/null 2>&1
  "$KITSCH" melody --notes "$tmp/t$x.mid" > "$tmp/truth_$x.tsv"
  "$KITSCH" melody "$tmp/t$x.mid" > "$tmp/truth_$x.jsonl"
  for inst in piano flute; do
    "$KITSCH" notes "$tmp/${inst}_$x.wav" > "$tmp/${inst}_$x.tsv"
    "$KITSCH" analyze --timeout 60 --jobs 1 -q "$tmp/${inst}_$x.wav" -o - > "$tmp/${inst}_$x.jsonl" 2>/dev/null || true
  done
done
PYTHONPATH="$(cd "$(dirname "$0")" && pwd)/lib" python3 - "$tmp" $tunes <<'PY'
import json, sys, os
tmp, tunes = sys.argv[1], sys.argv[2:]
from notes import notes, f1
def feats(p):
    for l in open(p):
        r = json.loads(l)
        return r.get('features', {}), r.get('info', {}), r.get('status')
    return {}, {}, 'missing'
keys = ['audio.melody_pc_entropy', 'audio.melody_interval_entropy', 'audio.melody_ic']
for inst in ['piano', 'flute']:
    print(f"\n== {inst} ({len(tunes)} Essen kinder0 tunes, onset +-50 ms, exact pitch) ==")
    print(f"{'tune':>5} {'notes':>5} {'F1':>6} {'P':>6} {'R':>6}  {'path':<11} " + ' '.join(f"{'d_'+k.split('_',1)[1]:>18}" for k in keys))
    F = []; D = {k: [] for k in keys}
    for x in tunes:
        ref, _ = notes(f"{tmp}/truth_{x}.tsv"); est, _ = notes(f"{tmp}/{inst}_{x}.tsv")
        f, P, R = f1(ref, est); F.append(f)
        path = open(f"{tmp}/{inst}_{x}.tsv").readline().split('\t')[-1].strip()
        tf, _, _ = feats(f"{tmp}/truth_{x}.jsonl"); af, _, st = feats(f"{tmp}/{inst}_{x}.jsonl")
        ds = []
        for k in keys:
            a, t = af.get(k), tf.get(k)
            d = (a - t) if a is not None and t is not None else None
            if d is not None: D[k].append(abs(d))
            ds.append(f"{d:+18.3f}" if d is not None else f"{'n/a':>18}")
        print(f"{x:>5} {len(ref):>5} {f:6.3f} {P:6.3f} {R:6.3f}  {path:<11} " + ' '.join(ds))
    print(f"mean F1 {sum(F)/len(F):.3f}   " + '   '.join(f"mean |d {k.split('_',1)[1]}| {sum(v)/len(v):.3f}" if v else f"{k}: n/a" for k, v in D.items()))
PY
