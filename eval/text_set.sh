#!/usr/bin/env bash
# eval/text_set.sh - set-level homogeneity per source on hanna-dev (human +
# 6 LLMs, same 64 prompts), through `kitsch set` (equal N per set).
# Acceptance (issue 3): self-repetition and shared-3-gram share higher for
# every LLM set than for the human set.
# Usage: KITSCH_CORPUS=../shared/corpus eval/text_set.sh
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
KITSCH=${KITSCH:-$here/build/tools/kitsch}
C=${KITSCH_CORPUS:-$here/../shared/corpus}
H=$C/text/hanna-dev
[ -d "$H" ] || { echo "text_set: no $H; set KITSCH_CORPUS" >&2; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$KITSCH" analyze -q -o "$tmp/r.jsonl" "$H" || true
"$KITSCH" set --format json "$tmp/r.jsonl" > "$tmp/set.json"
python3 - "$tmp/set.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
sets = {s["set"].rstrip("/").split("/")[-1]: s for s in d["sets"] if s.get("modality") == "text"}
names = ["text.self_repetition", "text.shared3_share", "text.minhash_jaccard", "text.ncd",
         "text.dup_opening_share", "text.set_compress_ratio"]
print(f"hanna-dev set homogeneity at equal N = {d.get('n_common')} works per set")
print(f"{'set':20s} " + " ".join(f"{n[5:]:>18s}" for n in names))
def val(s, n):
    m = sets[s]["metrics"].get(n)
    return m["value"] if m and m["value"] is not None else float("nan")
for s in sorted(sets, key=lambda s: (s != "human", s)):
    print(f"{s:20s} " + " ".join(f"{val(s, n):18.4f}" for n in names))
if "human" in sets:
    for n in ["text.self_repetition", "text.shared3_share"]:
        h = val("human", n)
        llm = [val(s, n) for s in sets if s != "human"]
        ok = all(v > h for v in llm)
        print(f"{n}: human {h:.4f} vs LLMs {min(llm):.4f}-{max(llm):.4f}: every LLM higher: {'PASS' if ok else 'FAIL'}")
notes = {n: sets["human"]["metrics"].get(n, {}).get("note") for n in names} if "human" in sets else {}
for n, t in notes.items():
    if t:
        print(f"  note {n}: {t}")
PY
