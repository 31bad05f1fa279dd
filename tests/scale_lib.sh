# shellcheck shell=bash
# scale_lib.sh - helpers shared by the scale-out and packaging tests
# (test_slurm.sh, test_dask.sh, test_export.sh); sourced, not run.

# Debian's python3 carries the python3-* packages the tests use; a python3
# earlier on PATH (pyenv, venv) may not.
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3

# gen_texts DIR NH NA: NH varied "human-like" texts in DIR/human and NA
# templated, repetitive ones in DIR/ai, from a fixed seed (same bytes on
# every run), so the two groups differ on the text features.
gen_texts() {
    "$PY" - "$1" "$2" "$3" <<'EOF'
import os, random, sys
out, nh, na = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(9)
syll = ["ka", "lo", "mi", "ren", "to", "sa", "vel", "dor", "pi", "an", "que", "mar", "os", "til", "bu", "ne"]
vocab = ["".join(rng.choice(syll) for _ in range(rng.randint(1, 4))) for _ in range(3000)]
os.makedirs(f"{out}/human", exist_ok=True)
os.makedirs(f"{out}/ai", exist_ok=True)
for i in range(nh):
    paras = []
    for _ in range(rng.randint(2, 5)):
        sents = []
        for _ in range(rng.randint(2, 7)):
            n = max(2, int(rng.lognormvariate(2.6, 0.6)))
            sents.append(" ".join(rng.choice(vocab) for _ in range(n)).capitalize() + rng.choice(".!?."))
        paras.append(" ".join(sents))
    open(f"{out}/human/h{i:03d}.txt", "w").write("\n\n".join(paras) + "\n")
tmpl = ["The {a} was {b} and the {c} was {d}.", "It was a {b} day in the {a}.",
        "Everyone felt {d} about the {c}."]
small = vocab[:40]
for i in range(na):
    paras = [" ".join(rng.choice(tmpl).format(a=rng.choice(small), b=rng.choice(small),
                                              c=rng.choice(small), d=rng.choice(small))
                      for _ in range(5)) for _ in range(3)]
    open(f"{out}/ai/a{i:03d}.txt", "w").write("\n\n".join(paras) + "\n")
EOF
}

# same_records A B: the two records files hold the same records, compared
# by path, ignoring what differs between runs by design (seq, elapsed_ms).
# Prints what differs and returns 1 if anything does.
same_records() {
    "$PY" - "$1" "$2" <<'EOF'
import json, sys
def load(f):
    recs = {}
    for line in open(f):
        r = json.loads(line)
        r.pop("seq", None); r.pop("elapsed_ms", None)
        if r["path"] in recs:
            sys.exit(f"{f}: {r['path']} twice")
        recs[r["path"]] = r
    return recs
a, b = load(sys.argv[1]), load(sys.argv[2])
bad = sorted(set(a) ^ set(b)) + [p for p in sorted(set(a) & set(b)) if a[p] != b[p]]
for p in bad[:5]:
    print("differs:", p, file=sys.stderr)
print(f"{len(a)} vs {len(b)} records, {len(bad)} differ", file=sys.stderr)
sys.exit(1 if bad or not a else 0)
EOF
}
