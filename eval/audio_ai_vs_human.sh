#!/usr/bin/env bash
# audio_ai_vs_human.sh - AI songs vs human-made music, feature by feature.
#
# B (ai):    $KITSCH_CORPUS/audio/ai-songs-dev  (15 DiffRhythm songs, 95 s each)
# A (human): Debian package wesnoth-1.16-music (41 orchestral Ogg Vorbis tracks;
#            apt-get install wesnoth-1.16-music)
# Length confound: every human track is cut to its first 95 s (stream copy,
# into a temp dir) so both sets are measured on the same duration. Genre
# confound (orchestral game music vs vocal pop): large and NOT controlled -
# read the AUROCs as "what differs between these two sets", not as "what
# makes music AI".
# Prints `kitsch compare` (medians, Cliff's delta, AUROC = P(ai > human))
# and a compact per-feature AUROC/median table.
# Usage: eval/audio_ai_vs_human.sh      (QUICK=1: 12 human tracks)
set -euo pipefail
KITSCH=${KITSCH:-build/tools/kitsch}
CORPUS=${KITSCH_CORPUS:-../shared/corpus}
AI=$CORPUS/audio/ai-songs-dev
HUMAN=/usr/share/games/wesnoth/1.16/data/core/music
[ -d "$AI" ] || { echo "no $AI (set KITSCH_CORPUS)"; exit 0; }
[ -d "$HUMAN" ] || { echo "no $HUMAN: apt-get install wesnoth-1.16-music"; exit 0; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/human"
n=0
for f in "$HUMAN"/*.ogg; do
  n=$((n + 1)); [ "${QUICK:-0}" = 1 ] && [ $n -gt 12 ] && break
  ffmpeg -v error -i "$f" -t 95 -c copy "$tmp/human/$(basename "$f")"
done
"$KITSCH" analyze -q --timeout 60 --jobs "${JOBS:-2}" "$tmp/human" -o "$tmp/human.jsonl" || true
"$KITSCH" analyze -q --timeout 60 --jobs "${JOBS:-2}" "$AI" -o "$tmp/ai.jsonl" || true
echo "== kitsch compare: A = wesnoth-1.16-music (first 95 s), B = DiffRhythm AI songs =="
"$KITSCH" compare --label-a human --label-b ai "$tmp/human.jsonl" "$tmp/ai.jsonl" 2>&1 | grep -E "audio\.|^[A-Za-z=]" || true
python3 - "$tmp/human.jsonl" "$tmp/ai.jsonl" <<'PY'
import json, sys, statistics as st
def load(p):
    return [r for r in map(json.loads, open(p)) if r.get('status') == 'ok' and r.get('modality') == 'audio']
H, A = load(sys.argv[1]), load(sys.argv[2])
keys = sorted({k for r in H + A for k, v in r['features'].items() if k.startswith('audio.') and v is not None})
print(f"\n== per-feature AUROC = P(ai > human), ties 1/2; n human {len(H)}, n ai {len(A)} ==")
print(f"{'feature':36} {'med human':>10} {'med ai':>10} {'AUROC':>6}")
for k in keys:
    h = [r['features'][k] for r in H if r['features'].get(k) is not None]
    a = [r['features'][k] for r in A if r['features'].get(k) is not None]
    if len(h) < 3 or len(a) < 3: continue
    auc = sum((x > y) + 0.5 * (x == y) for x in a for y in h) / (len(a) * len(h))
    flag = '  <- separates' if (auc >= 0.8 or auc <= 0.2) and k != 'audio.duration_s' else ''
    print(f"{k:36} {st.median(h):10.3f} {st.median(a):10.3f} {auc:6.2f}{flag}")
paths = {}
for r in H + A:
    paths.setdefault(r['info'].get('audio.melody_path', '?').split(' ')[0], [0, 0])[r in A] += 1
print("melody path (human, ai):", paths)
PY
