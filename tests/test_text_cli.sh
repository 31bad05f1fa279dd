#!/usr/bin/env bash
# test_text_cli.sh - the text analyzer through the CLI: bad inputs get one
# error record each with the right code, good text is measured, `kitsch
# lexicon mine|check` round-trips, and `kitsch set` ranks a templated set as
# more homogeneous than a varied one. Inputs are generated here.
set -euo pipefail
: "${KITSCH:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
d=$tmp/in
mkdir -p "$d"
printf 'The cat sat on the mat. It was a fine day, and the sun was warm.\n' > "$d/good.txt"
: > "$d/empty.txt"
printf 'abc \xff\xfe def\n' > "$d/bad_utf8.txt"
printf 'abc\0def\n' > "$d/nul.txt"
printf '  \n\t\n   \n' > "$d/blank.txt"
# (the 200 MB single line -> too_large is checked by test_cli_analyze.sh)
"$KITSCH" analyze -q --modality text -o "$tmp/r.jsonl" "$d" && rc=0 || rc=$?
[ "$rc" = 1 ] || { echo "expected exit 1 (some inputs failed), got $rc"; exit 1; }
python3 - "$tmp/r.jsonl" <<'PY'
import json, sys
recs = {r["path"].split("/")[-1]: r for r in map(json.loads, open(sys.argv[1]))}
want = {"good.txt": None, "empty.txt": "empty", "bad_utf8.txt": "encoding", "nul.txt": "encoding",
        "blank.txt": "too_short"}
bad = 0
for f, code in want.items():
    r = recs.get(f)
    got = None if r is None else (None if r["status"] == "ok" else r["error"]["code"])
    if r is None or got != code:
        print(f"{f}: want {code}, got {got} ({r and r.get('error')})"); bad += 1
g = recs["good.txt"]["features"]
if g["text.words"] != 16 or g["text.sentences"] != 2:
    print("good.txt: words/sentences", g["text.words"], g["text.sentences"]); bad += 1
if "text.minhash" not in recs["good.txt"]["descriptors"]:
    print("good.txt: no minhash"); bad += 1
sys.exit(1 if bad else 0)
PY

# lexicon mine / check / apply
mkdir -p "$tmp/ai" "$tmp/human"
for i in 1 2 3 4 5 6; do
  printf 'Then Elara felt the tapestry of fate shimmer. Story %s began in a quiet village.\n' "$i" > "$tmp/ai/$i.txt"
  printf 'Old Bob fixed the gravel road again. Day %s, rain, mud and a broken spade.\n' "$i" > "$tmp/human/$i.txt"
done
"$KITSCH" lexicon mine --human "$tmp/human" --ai "$tmp/ai" --alpha0 10 -o "$tmp/lex.tsv" 2>/dev/null
grep -q "^word	tapestry	1	" "$tmp/lex.tsv" || { echo "tapestry not mined"; cat "$tmp/lex.tsv"; exit 1; }
grep -q "^name	elara	1	" "$tmp/lex.tsv" || { echo "elara not mined as a name"; cat "$tmp/lex.tsv"; exit 1; }
"$KITSCH" lexicon check "$tmp/lex.tsv" | grep -q "words"
if "$KITSCH" lexicon mine --human "$tmp/human" --ai "$tmp/ai" -o "$tmp/lex.tsv" 2>/dev/null; then
  echo "overwrote without --force"; exit 1
fi
printf 'bogus\tline\n' > "$tmp/badlex.tsv"
if "$KITSCH" lexicon check "$tmp/badlex.tsv" 2>/dev/null; then echo "bad lexicon accepted"; exit 1; fi
"$KITSCH" analyze -q --lexicon "$tmp/nope.tsv" -o "$tmp/nl.jsonl" "$tmp/ai/1.txt" || true
grep -q '"code":"not_found"' "$tmp/nl.jsonl" || { echo "missing --lexicon not reported as not_found"; cat "$tmp/nl.jsonl"; exit 1; }
# the workers load --lexicon before their seccomp sandbox (ks_text_prepare)
"$KITSCH" analyze -q --lexicon "$tmp/lex.tsv" -o "$tmp/l.jsonl" "$tmp/ai/1.txt" "$tmp/human/1.txt"
python3 - "$tmp/l.jsonl" <<'PY'
import json, sys
r = {x["path"].split("/")[-2]: x for x in map(json.loads, open(sys.argv[1]))}
a, h = r["ai"]["features"]["text.lexicon_per_1k"], r["human"]["features"]["text.lexicon_per_1k"]
assert a > h, (a, h)
assert "lex.tsv" in r["ai"]["info"]["text.lexicon"]
PY

# kitsch set: a templated set is more homogeneous than a varied one
mkdir -p "$tmp/sets/templated" "$tmp/sets/varied"
words=(river stone lantern copper violet harbor meadow thunder saddle pepper orchard velvet candle
  glacier monkey pencil marble falcon cactus tundra biscuit anchor trumpet walnut hammock comet)
for i in $(seq 1 8); do
  printf 'Once upon a time, in a small village, there lived a girl named Lily. Every day she walked to the %s and every day she was happy. One day she found a %s, and she learned that the true meaning of life was kindness. And so, every day, Lily was happy.\n' \
    "${words[$i]}" "${words[$((i + 8))]}" > "$tmp/sets/templated/$i.txt"
  s=""
  for j in $(seq 1 60); do s="$s ${words[$(( (i * 7 + j * j * 3 + j * i) % 26 ))]}"; done
  printf 'Story %s.%s.\n' "$i" "$s" > "$tmp/sets/varied/$i.txt"
done
"$KITSCH" analyze -q -o "$tmp/s.jsonl" "$tmp/sets"
"$KITSCH" set --format json "$tmp/s.jsonl" > "$tmp/set.json"
python3 - "$tmp/set.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
v = {s["set"].rstrip("/").split("/")[-1]: s["metrics"] for s in d["sets"]}
for m in ["text.self_repetition", "text.shared3_share", "text.dup_opening_share"]:
    t, r = v["templated"][m]["value"], v["varied"][m]["value"]
    assert t > r, (m, t, r)
PY
# Independent reference: MATTR-50, MTLD, HD-D and repeated-3-gram share
# recomputed in Python (HD-D with scipy's hypergeometric distribution) on a
# text of plain space-separated words, where tokenisation is unambiguous.
python3 - "$tmp/ref.txt" <<'PY'
import random, sys
random.seed(7)
vocab = [f"w{i}" for i in range(120)]
# Zipf-like draw so there are frequent and rare types
words = [vocab[min(int(random.paretovariate(1.1)) - 1, 119)] for _ in range(400)]
open(sys.argv[1], "w").write(" ".join(words) + "\n")
PY
"$KITSCH" analyze -q -o "$tmp/ref.jsonl" "$tmp/ref.txt"
# scipy comes from Debian's python3-scipy: use the first python3 that has it
SCIPY_PY=""
for p in python3 /usr/bin/python3; do
  if "$p" -c 'import scipy.stats' 2>/dev/null; then SCIPY_PY=$p; break; fi
done
[ -n "$SCIPY_PY" ] || { echo "test_text_cli: no python3 with scipy (python3-scipy): skipping the reference check"; echo "test_text_cli: ok"; exit 0; }
"$SCIPY_PY" - "$tmp/ref.txt" "$tmp/ref.jsonl" <<'PY'
import json, sys
from collections import Counter
from scipy.stats import hypergeom
w = open(sys.argv[1]).read().split()
f = json.loads(open(sys.argv[2]).readline())["features"]
n = len(w)
mattr = sum(len(set(w[i:i + 50])) for i in range(n - 49)) / (n - 49) / 50
def mtld_pass(seq, t=0.72):
    fac, types, tok = 0.0, set(), 0
    for x in seq:
        tok += 1; types.add(x)
        if len(types) / tok <= t:
            fac += 1; types, tok = set(), 0
    if tok:
        fac += (1 - len(types) / tok) / (1 - t)
    return len(seq) / fac
mtld = (mtld_pass(w) + mtld_pass(w[::-1])) / 2
hdd = sum(1 - hypergeom(n, c, 42).pmf(0) for c in Counter(w).values()) / 42
g = [tuple(w[i:i + 3]) for i in range(n - 2)]
cg = Counter(g)
rep3 = sum(1 for x in g if cg[x] > 1) / len(g)
bad = 0
for name, ref in [("text.mattr50", mattr), ("text.mtld", mtld), ("text.hdd", hdd), ("text.rep3_share", rep3)]:
    got = f[name]
    if abs(got - ref) > 1e-9 * max(1, abs(ref)):
        print(f"{name}: kitsch {got!r} vs reference {ref!r}"); bad += 1
sys.exit(1 if bad else 0)
PY
echo "test_text_cli: ok"
