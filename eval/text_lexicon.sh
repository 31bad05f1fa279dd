#!/usr/bin/env bash
# eval/text_lexicon.sh - validity of the over-used phrase lexicon.
#  1. Held-out prompts: mine a lexicon on hanna-dev prompts p000-p031 (human
#     vs the 6 LLMs), apply it to p032-p063, print the AUROC of each lexicon
#     hit rate for telling AI from human (acceptance: text.lexicon_per_1k >= 0.90).
#  2. lamp-cliche: for each paragraph whose writer marked a "Cliche" span,
#     compare the LLM paragraph with the writer's edit under the built-in
#     lexicon (mined without lamp): share of pairs where the edit lowered the rate.
# Usage: KITSCH_CORPUS=../shared/corpus eval/text_lexicon.sh
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
KITSCH=${KITSCH:-$here/build/tools/kitsch}
C=${KITSCH_CORPUS:-$here/../shared/corpus}
H=$C/text/hanna-dev
[ -d "$H" ] || { echo "text_lexicon: no $H; set KITSCH_CORPUS" >&2; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

train=() test=()
for d in "$H"/*/; do d=${d%/}
  s=$(basename "$d"); side=--ai; [ "$s" = human ] && side=--human
  for i in $(seq 0 63); do
    f=$(printf '%s/p%03d.txt' "$d" "$i")
    [ -f "$f" ] || continue
    if [ "$i" -lt 32 ]; then train+=("$side" "$f"); else test+=("$f"); fi
  done
done
"$KITSCH" lexicon mine "${train[@]}" -o "$tmp/lex.tsv" 2>/dev/null
"$KITSCH" analyze -q --lexicon "$tmp/lex.tsv" -o "$tmp/test.jsonl" "${test[@]}" || true

# lamp-cliche pairs -> files
python3 - "$C/text/lamp-cliche/lamp_reannotation_llm.jsonl" "$tmp/lamp" <<'PY'
import json, os, sys
src, out = sys.argv[1], sys.argv[2]
os.makedirs(out + "/pre"); os.makedirs(out + "/post")
n = 0
for line in open(src, encoding="utf-8"):
    d = json.loads(line)
    if not any(e.get("categorization", "").strip().lower() == "cliche" for e in d["fine_grained_edits"]):
        continue
    for k, sub in (("preedit_llm", "pre"), ("postedit_writer", "post")):
        with open(f"{out}/{sub}/{d['id']}.txt", "w", encoding="utf-8") as f:
            f.write(d[k])
    n += 1
PY
"$KITSCH" analyze -q -o "$tmp/lamp.jsonl" "$tmp/lamp" || true

python3 - "$tmp/test.jsonl" "$tmp/lamp.jsonl" "$tmp/lex.tsv" <<'PY'
import json, sys, os
def load(p):
    return [json.loads(l) for l in open(p, encoding="utf-8")]
def auroc(pos, neg):
    s = 0.0
    for p in pos:
        for q in neg:
            s += 1.0 if p > q else 0.5 if p == q else 0.0
    return s / (len(pos) * len(neg))
rows = [r for r in load(sys.argv[1]) if r["status"] == "ok"]
lex = sum(1 for l in open(sys.argv[3]) if l.split("\t")[0] in ("word", "ngram", "name"))
print(f"== hanna-dev held-out prompts: lexicon mined on p000-p031 ({lex} entries), applied to p032-p063")
hu = [r for r in rows if "/human/" in r["path"]]
ai = [r for r in rows if "/human/" not in r["path"]]
print(f"works: {len(hu)} human, {len(ai)} AI (status ok)")
print(f"{'feature':32s} {'AUROC AI>human':>15s} {'median human':>13s} {'median AI':>10s}")
import statistics as st
for f in ["text.lexicon_per_1k", "text.lexicon_words_per_1k", "text.lexicon_ngrams_per_1k", "text.lexicon_names_per_1k"]:
    a = [r["features"][f] for r in ai if r["features"].get(f) is not None]
    h = [r["features"][f] for r in hu if r["features"].get(f) is not None]
    print(f"{f:32s} {auroc(a, h):15.3f} {st.median(h):13.2f} {st.median(a):10.2f}")
srcs = sorted({r["path"].split("/")[-2] for r in ai})
print("per LLM (AUROC of text.lexicon_per_1k vs human):")
for s in srcs:
    a = [r["features"]["text.lexicon_per_1k"] for r in ai if r["path"].split("/")[-2] == s]
    print(f"  {s:20s} {auroc(a, [r['features']['text.lexicon_per_1k'] for r in hu]):.3f}")

lamp = [r for r in load(sys.argv[2]) if r["status"] == "ok"]
by = {}
for r in lamp:
    side = r["path"].split("/")[-2]
    by.setdefault(os.path.basename(r["path"]), {})[side] = r["features"]
pairs = [(v["pre"], v["post"]) for v in by.values() if "pre" in v and "post" in v]
print(f"\n== lamp-cliche: {len(pairs)} paragraphs with a writer-marked Cliche span, LLM text vs writer's edit (built-in lexicon)")
print(f"{'feature':32s} {'pre>post':>9s} {'ties':>6s} {'pre<post':>9s} {'share pre>post':>15s}")
for f in ["text.lexicon_per_1k", "text.lexicon_words_per_1k", "text.lexicon_ngrams_per_1k", "text.closing_epiphany", "text.emdash_per_1k_chars", "text.contrast_per_1k_chars", "text.tricolon_per_sentence"]:
    gt = sum(1 for a, b in pairs if a.get(f) is not None and b.get(f) is not None and a[f] > b[f])
    eq = sum(1 for a, b in pairs if a.get(f) is not None and b.get(f) is not None and a[f] == b[f])
    lt = sum(1 for a, b in pairs if a.get(f) is not None and b.get(f) is not None and a[f] < b[f])
    n = gt + eq + lt
    print(f"{f:32s} {gt:9d} {eq:6d} {lt:9d} {gt / n if n else float('nan'):15.3f}")
PY
