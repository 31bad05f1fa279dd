#!/usr/bin/env bash
# eval/text_dev.sh - per-source medians of every text feature on
# $KITSCH_CORPUS/text/hanna-dev (human + 6 LLMs on the same 64 prompts).
# Acceptance (issue 2): human median text.sent_len_cv above every LLM's.
# Usage: KITSCH_CORPUS=../shared/corpus eval/text_dev.sh
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
KITSCH=${KITSCH:-$here/build/tools/kitsch}
C=${KITSCH_CORPUS:-$here/../shared/corpus}
H=$C/text/hanna-dev
[ -d "$H" ] || { echo "text_dev: no $H; set KITSCH_CORPUS" >&2; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$KITSCH" analyze -q -o "$tmp/r.jsonl" "$H" || true
python3 - "$tmp/r.jsonl" "$KITSCH" <<'PY'
import json, statistics, subprocess, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
reg = json.loads(subprocess.run([sys.argv[2], "features", "--json"], capture_output=True, text=True, check=True).stdout)
feats = [f for f in reg["features"] if f["name"].startswith("text.")]
srcs = sorted({r["path"].rstrip("/").split("/")[-2] for r in rows})
ok = {s: [r for r in rows if r["path"].split("/")[-2] == s and r["status"] == "ok"] for s in srcs}
bad = sum(1 for r in rows if r["status"] != "ok")
print(f"hanna-dev: {len(rows)} records, {len(rows) - bad} ok, {bad} errors; medians per source")
w = max(len(s) for s in srcs)
print(f"{'feature':30s} dir " + " ".join(f"{s[:12]:>12s}" for s in srcs))
def med(s, name):
    v = [r["features"].get(name) for r in ok[s]]
    v = [x for x in v if x is not None]
    return statistics.median(v) if v else float("nan")
for f in feats:
    d = {1: "+", -1: "-", 0: " "}[f["direction"]]
    print(f"{f['name'][5:]:30s}  {d}  " + " ".join(f"{med(s, f['name']):12.4g}" for s in srcs))
print("\n(lexicon_* rows use the built-in lexicon, mined on all of hanna-dev among others: in-sample here;"
      "\n see eval/text_lexicon.sh for held-out figures)")
if "human" in srcs:
    h = med("human", "text.sent_len_cv")
    llm = {s: med(s, "text.sent_len_cv") for s in srcs if s != "human"}
    verdict = "PASS" if all(h > v for v in llm.values()) else "FAIL"
    print(f"\nsent_len_cv: human {h:.3f} vs LLMs {min(llm.values()):.3f}-{max(llm.values()):.3f}: human higher than every LLM: {verdict}")
PY
