#!/bin/bash
# melody_directions.sh - do the melodic features move the way their
# directions claim? Paired manipulations of the 213 kinder0 folk tunes:
#   shuffled  the tune's own notes in random order (same pitch-class histogram,
#             no melodic sequence): IC, interval entropies must rise, pitch-class
#             entropy must not move;
#   looped    the tune's first 8 notes repeated to its length (more repetitive,
#             "averaged"): everything must fall;
#   random    pitches drawn uniformly from the tune's range: everything rises.
# Prints, per feature, the median of each version and the share of tunes whose
# manipulated version moved in the expected direction.
#
# Usage: KITSCH=build/tools/kitsch KITSCH_CORPUS=../shared/corpus eval/melody_directions.sh
set -uo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
CORPUS=${KITSCH_CORPUS:-$SRC/../shared/corpus}
KITSCH=${KITSCH:-$SRC/build/tools/kitsch}
ABC=$CORPUS/audio/essen/kinder0.abc
[ -f "$ABC" ] || { echo "kinder0.abc not found under $CORPUS/audio/essen; set KITSCH_CORPUS"; exit 0; }
command -v abc2midi >/dev/null || { echo "abc2midi (Debian abcmidi) missing: skipped"; exit 0; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

"$KITSCH" melody --notes "$ABC" > "$T/real.tsv" 2>/dev/null
python3 - "$T" <<'EOF'
import random, sys, collections
d = sys.argv[1]
random.seed(2604)
tunes = collections.OrderedDict()
for line in open(d + "/real.tsv"):
    label, on, du, p = line.rstrip("\n").split("\t")[:4]
    tunes.setdefault(label, []).append((on, du, int(p)))
def write(name, f):
    with open("%s/%s.tsv" % (d, name), "w") as o:
        for label, notes in tunes.items():
            ps = f([p for _, _, p in notes])
            for (on, du, _), p in zip(notes, ps):
                o.write("%s\t%s\t%s\t%d\n" % (label, on, du, p))
write("shuffled", lambda ps: random.sample(ps, len(ps)))
write("looped", lambda ps: [ps[i % 8] for i in range(len(ps))])
write("random", lambda ps: [random.randint(min(ps), max(ps)) for _ in ps])
EOF
for v in real shuffled looped random; do
    "$KITSCH" melody "$T/$v.tsv" > "$T/$v.jsonl" 2>/dev/null
done
python3 - "$T" <<'EOF'
import json, sys, statistics as st
d = sys.argv[1]
def load(v):
    out = {}
    for l in open("%s/%s.jsonl" % (d, v)):
        r = json.loads(l)
        if r["status"] == "ok":
            out[r["path"]] = r["features"]
    return out
V = {v: load(v) for v in ("real", "shuffled", "looped", "random")}
feats = ["audio.melody_pc_entropy", "audio.melody_interval_entropy", "audio.melody_interval_cond_entropy",
         "audio.melody_ic", "audio.melody_pred_entropy", "audio.melody_high_ic_share"]
# expected sign of (manipulated - real): +1 rise, -1 fall, 0 unchanged
expect = {"shuffled": {f: +1 for f in feats}, "looped": {f: -1 for f in feats}, "random": {f: +1 for f in feats}}
expect["shuffled"]["audio.melody_pc_entropy"] = 0
keys = sorted(set.intersection(*(set(x) for x in V.values())))
print("kinder0: %d tunes, paired manipulations (kitsch melody on note lists)" % len(keys))
print("%-36s %8s %8s %8s %8s   %s" % ("feature (median)", "real", "shuffled", "looped", "random", "share moving as expected: shuffled / looped / random"))
for f in feats:
    med = [st.median(V[v][k][f] for k in keys) for v in ("real", "shuffled", "looped", "random")]
    shares = []
    for v in ("shuffled", "looped", "random"):
        e = expect[v][f]
        if e == 0:
            ok = sum(abs(V[v][k][f] - V["real"][k][f]) < 1e-9 for k in keys)
        else:
            ok = sum((V[v][k][f] - V["real"][k][f]) * e > 0 for k in keys)
        shares.append("%5.1f%%%s" % (100.0 * ok / len(keys), " (=)" if e == 0 else ""))
    print("%-36s %8.3f %8.3f %8.3f %8.3f   %s" % (f, *med, " / ".join(shares)))
EOF
exit 0
