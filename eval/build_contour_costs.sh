#!/usr/bin/env bash
# build_contour_costs.sh - choose the predominant-melody contour costs of
# audio/transcribe.c (SAL_JUMP per semitone, SAL_SWITCH per voicing change)
# on material that no eval uses: Essen tunes (kinder0.abc) other than those
# of eval/audio_transcription.sh (tunes 1 + i*213/N for N = 5, 8, 16),
# rendered as a lead (flute, or choir "oohs") over a piano-chord and bass
# accompaniment, so the recording takes the predominant path; the objective
# is note F1 against the MIDI truth (onset +-50 ms, exact pitch), the same
# scoring as eval/audio_transcription.sh. The decoder pairs play no part,
# so eval/audio_decoder_pairs.sh measures the chosen costs on held-out clips.
# Run by hand (build_*: chooses shipped constants); prints the grid, the
# best pair, and the shipped pair.
#
# The accompaniment is built from the melody itself: every 1.2 s (two beats
# at -Q 100) a root-position triad on the pitch class of the melody note
# sounding longest in that window (major when the tune uses its major
# third), in octave 3 on the piano, its root in octave 2 on a bass, both
# softer than the lead: consonant with the melody and sharing its pitch
# classes an octave or two down, where a per-frame salience argmax jumps;
# and drums (kick, snare, hi-hat) on the beat, as in a song. Without the
# drums YIN was confident enough on some renderings for the monophonic path.
#
# Environment: KITSCH_CORPUS, CV_BUILD (default build-cv), N_TUNES (12),
# NUS (SAL_NU: piece-relative voicing, -1 = the old fixed ratio 1.6),
# JUMPS, SWITCHES: the grid; EXTRA_DEFS: more definitions for every grid
# point (e.g. "TUNE_PRIOR=0.5", as eval/build_tuning.sh suggests).
set -euo pipefail
CORPUS=${KITSCH_CORPUS:-../shared/corpus}
ABC=$CORPUS/audio/essen/kinder0.abc
SF2=/usr/share/sounds/sf2/FluidR3_GM.sf2
[ -f "$ABC" ] || { echo "no $ABC (set KITSCH_CORPUS)"; exit 0; }
for t in abc2midi fluidsynth python3; do command -v $t >/dev/null || { echo "missing $t"; exit 0; }; done
SRC=$(cd "$(dirname "$0")/.." && pwd)
. "$SRC/eval/lib/sal_variant.sh"
B=${CV_BUILD:-build-cv}
VOICEDS=${NUS:--1 1.25 1.75 2.5}
JUMPS=${JUMPS:-0.01 0.02 0.04 0.08 0.16}
SWITCHES=${SWITCHES:-0.15 0.5}
N=${N_TUNES:-12}
tmp=$(mktemp -d); [ -n "${KEEP:-}" ] && echo "kept: $tmp" || trap 'rm -rf "$tmp"' EXIT
# tunes no eval uses, spread over the dataset
tunes=$(python3 -c "
ev = {1 + i * 213 // n for n in (5, 8, 16) for i in range(n)}
c = [x for x in range(9, 214, 7) if x not in ev]
print(' '.join(str(c[i * len(c) // $N]) for i in range($N)))")
sal_variant "$SRC" "$B" "" "$tmp/build.log" # the shipped costs (`kitsch melody` does not depend on them)
for x in $tunes; do
  awk -v n="$x" '/^X:/{v=$0; sub(/^X: */,"",v); p=(v==n)} p' "$ABC" > "$tmp/t$x.abc"
  abc2midi "$tmp/t$x.abc" -o "$tmp/t$x.mid" -Q 100 >/dev/null 2>&1
  "$B/tools/kitsch" melody --notes "$tmp/t$x.mid" > "$tmp/truth_$x.tsv"
  for lead in 73 53; do
    python3 - "$tmp/truth_$x.tsv" "$lead" "$tmp/acc_${lead}_$x.mid" <<'PY'
import sys, struct
notes = []
for l in open(sys.argv[1]):
    if l.startswith('#') or not l.strip(): continue
    f = l.rstrip('\n').split('\t')
    notes.append((float(f[1]), float(f[2]), int(f[3])))
lead, out = int(sys.argv[2]), sys.argv[3]
TPS = 2000  # ticks per second: division 1000 per quarter at 500000 us per quarter
ev = []     # (tick, order, bytes): note-offs (order 0) before note-ons at the same tick
def note(ch, t, d, p, v):
    ev.append((round(t * TPS), 1, bytes([0x90 | ch, p, v])))
    ev.append((round((t + d) * TPS) - 1, 0, bytes([0x80 | ch, p, 0])))
for t, d, p in notes:
    note(0, t, d, p, 100)
pcs = {p % 12 for _, _, p in notes}
end = max(t + d for t, d, _ in notes)
W = 1.2
k = 0
while k * W < end:
    a, b = k * W, min((k + 1) * W, end)
    over = [(min(t + d, b) - max(t, a), p) for t, d, p in notes if t < b and t + d > a]
    if over:
        root = max(over)[1] % 12
        third = 4 if (root + 4) % 12 in pcs else 3
        for iv in (0, third, 7):
            note(1, a, b - a, 48 + root + iv, 80)
        note(2, a, b - a, 36 + root, 90)
    k += 1
# drums (channel 10): kick on the beat, snare on the off-beat, closed hi-hat on eighths
for i in range(int(end / 0.3) + 1):
    t = i * 0.3
    note(9, t, 0.1, 42, 60)
    if i % 2 == 0:
        note(9, t, 0.1, 36 if i % 4 == 0 else 38, 80)
ev.sort()
trk = bytearray(b'\x00\xff\x51\x03\x07\xa1\x20')                  # tempo 500000
for ch, prog in ((0, lead), (1, 0), (2, 32)):
    trk += bytes([0, 0xC0 | ch, prog])
def vlq(n):
    b = [n & 0x7f]
    while n > 127:
        n >>= 7
        b.insert(0, 0x80 | (n & 0x7f))
    return bytes(b)
last = 0
for tick, _, msg in ev:
    trk += vlq(max(tick - last, 0)) + msg
    last = max(tick, last)
trk += b'\x00\xff\x2f\x00'
with open(out, 'wb') as f:
    f.write(b'MThd' + struct.pack('>IHHH', 6, 0, 1, 1000) + b'MTrk' + struct.pack('>I', len(trk)) + trk)
PY
    fluidsynth -ni -q -g 0.6 -r 44100 -F "$tmp/acc_${lead}_$x.wav" "$SF2" "$tmp/acc_${lead}_$x.mid" >/dev/null 2>&1
  done
done
for v in $VOICEDS; do
  for j in $JUMPS; do
    for s in $SWITCHES; do
      sal_variant "$SRC" "$B" "SAL_NU=$v;SAL_JUMP=$j;SAL_SWITCH=$s${EXTRA_DEFS:+;$EXTRA_DEFS}" "$tmp/build.log"
      for x in $tunes; do
        for lead in 73 53; do
          "$B/tools/kitsch" notes "$tmp/acc_${lead}_$x.wav" > "$tmp/est_${v}_${j}_${s}_${lead}_$x.tsv"
        done
      done
    done
  done
done
PYTHONPATH="$SRC/eval/lib" python3 - "$tmp" "$VOICEDS" "$JUMPS" "$SWITCHES" $tunes <<'PY'
import sys, statistics as st
tmp, voiceds, jumps, switches, tunes = sys.argv[1], sys.argv[2].split(), sys.argv[3].split(), sys.argv[4].split(), sys.argv[5:]
from notes import notes, f1
leads = {'73': 'flute', '53': 'oohs'}
SHIPPED = ('1.75', '0.08', '0.15')
print(f"tunes (kinder0, none used by an eval): {' '.join(tunes)}")
print("note F1 of the renderings that took the predominant path")
print(f"{'nu,jump,switch':18} " + ' '.join(f"{v:>7}" for v in leads.values()) + f" {'mean F1':>8}  renderings")
best = None
for v, j, s in [(v, j, s) for v in voiceds for j in jumps for s in switches]:
    F = {}; mono = 0
    for lead in leads:
        F[lead] = []
        for x in tunes:
            ref, _ = notes(f"{tmp}/truth_{x}.tsv")
            est, path = notes(f"{tmp}/est_{v}_{j}_{s}_{lead}_{x}.tsv")
            if 'predominant' in path:
                F[lead].append(f1(ref, est)[0])
            else:
                mono += 1  # the costs play no part there
    m = st.mean(F['73'] + F['53'])
    mark = "  (shipped)" if (v, j, s) == SHIPPED else ""
    print(f"{v + ',' + j + ',' + s:18} " + ' '.join(f"{st.mean(F[l]):7.3f}" for l in leads) + f" {m:8.3f}  {len(F['73'] + F['53'])} predominant, {mono} monophonic{mark}")
    if best is None or m > best[0]: best = (m, v, j, s)
print(f"best: SAL_NU {best[1]}, SAL_JUMP {best[2]}, SAL_SWITCH {best[3]} (mean F1 {best[0]:.3f})")
PY
