#!/bin/bash
# test_agg_report.sh - the HTML reports of compare, score and set render in
# headless Chromium (Debian `chromium`) without console errors, contain no
# script and no network reference, and every number in the compare report
# equals the JSON output. Skips (77) without chromium.
set -euo pipefail
: "${KITSCH:?}"
command -v chromium >/dev/null || { echo "chromium not installed: skipped"; exit 77; }
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
fail=0
check() { if eval "$2"; then echo "ok: $1"; else echo "FAILED: $1"; fail=1; fi; }

RANDOM=77
words=(river stone lantern quiet morning harbour letter winter garden window bridge candle shadow mirror violin)
mkdir -p "$W/in/human" "$W/in/ai"
for i in $(seq -w 1 16); do
    { for s in 1 2 3 4 5; do echo "In the end, she realized the ${words[$((RANDOM % 3))]} was a testament to hope."; done; } > "$W/in/ai/p$i.txt"
    { for s in $(seq 1 $((6 + RANDOM % 8))); do n=$((3 + RANDOM % 15)); l=""
        for k in $(seq 1 $n); do l="$l ${words[$((RANDOM % ${#words[@]}))]}"; done; echo "${l# }."; done; } > "$W/in/human/p$i.txt"
done
"$KITSCH" analyze -q -o "$W/h.jsonl" "$W/in/human"
"$KITSCH" analyze -q -o "$W/a.jsonl" "$W/in/ai"
"$KITSCH" compare --paired-by '/(p[0-9]+)\.txt$' --format json --report "$W/cmp.html" "$W/h.jsonl" "$W/a.jsonl" > "$W/cmp.json"
"$KITSCH" score --report "$W/score.html" "$W/a.jsonl" "$W/h.jsonl" > "$W/score.jsonl" 2>/dev/null
cat "$W/h.jsonl" "$W/a.jsonl" > "$W/all.jsonl"
"$KITSCH" set --format json --report "$W/set.html" "$W/all.jsonl" > "$W/set.json"

render() { # html -> png, console log
    local prof; prof=$(mktemp -d)
    timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
        --disable-component-update --disable-sync --no-first-run --user-data-dir="$prof" \
        --enable-logging=stderr --v=0 --window-size=1200,1600 --screenshot="$1.png" "file://$1" > "$1.log" 2>&1 || true
    rm -rf "$prof"
}
for r in cmp score set; do
    render "$W/$r.html"
    check "$r report rendered to a screenshot" '[ -s "$W/$r.html.png" ] && [ $(stat -c %s "$W/$r.html.png") -gt 5000 ]'
    check "$r report: no console errors" '! grep -Ei "CONSOLE|Uncaught|SyntaxError" "$W/$r.html.log"'
    check "$r report: no script, no network references" '! grep -Eiq "<script|https?://|src=" "$W/$r.html"'
done

/usr/bin/python3 - "$W/cmp.html" "$W/cmp.json" "$W/set.html" "$W/set.json" <<'PY' || fail=1
import json, re, sys, html
def cells(path):
    t = open(path, encoding="utf-8").read()
    return {html.unescape(k): (None if v == "null" else float(v)) for k, v in re.findall(r'data-k="([^"]*)" data-v="([^"]*)"', t)}
ok = True
def chk(name, cond):
    global ok
    print(("ok: " if cond else "FAILED: ") + name)
    ok &= bool(cond)
h, c = cells(sys.argv[1]), json.load(open(sys.argv[2]))
n = 0; bad = []
def eq(key, want):
    global n
    n += 1
    got = h.get(key, "missing")
    if not ((want is None and got is None) or (isinstance(got, float) and want is not None and got == want)):
        bad.append((key, want, got))
eq("model/cv_auroc", c["model"]["cv_auroc"])
for x in c["context_alone"]:
    eq("context/%s/cv_auroc" % x["feature"], x["cv_auroc"])
for r in c["features"]:
    f = r["feature"]
    for k in ("median_a", "median_b", "cliff_delta", "auroc", "p_mannwhitney", "q_bh", "p_wilcoxon", "q_wilcoxon_bh"):
        eq("%s/%s" % (f, k), r[k])
    eq(f + "/delta_lo", r["delta_ci95"][0]); eq(f + "/delta_hi", r["delta_ci95"][1])
chk("compare report: %d numbers equal the JSON output exactly" % n, n > 30 and not bad)
for b in bad[:5]: print("   mismatch", b)
h, s = cells(sys.argv[3]), json.load(open(sys.argv[4]))
m = 0; bad = []
for g in s["sets"]:
    for name, v in g["metrics"].items():
        for k in ("value", "ci_lo", "ci_hi"):
            m += 1
            got = h.get("%s/%s/%s" % (g["set"], name, k), "missing")
            if not ((v[k] is None and got is None) or got == v[k]):
                bad.append((g["set"], name, k, v[k], got))
chk("set report: %d numbers equal the JSON output" % m, m > 6 and not bad)
for b in bad[:5]: print("   mismatch", b)
sys.exit(0 if ok else 1)
PY
exit $fail
