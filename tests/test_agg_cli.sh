#!/bin/bash
# test_agg_cli.sh - score/compare/calibrate semantics on generated records:
# directions, reasons wording, NaN counting, learnt signs and data-vs-theory
# flags, fitted profiles, and the embedded profile on the committed examples.
set -euo pipefail
: "${KITSCH:?}" "${KS_SRC:?}"
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
fail=0
check() { if eval "$2"; then echo "ok: $1"; else echo "FAILED: $1"; fail=1; fi; }

# Group A ("human"): varied; group B ("ai"): more compressible, more uniform
# sentences, and (against theory) a HIGHER MTLD, to test the disagreement flag.
awk -v seed=11 'BEGIN {
    srand(seed);
    for (g = 0; g < 2; g++) for (i = 0; i < 60; i++) {
        cr = 2.0 + 0.15 * rand() + (g ? 0.12 : 0);
        cv = 0.55 + 0.2 * rand() - (g ? 0.25 : 0);
        mt = 80 + 10 * rand() + (g ? 8 : 0);
        w = 300 + int(200 * rand());
        cvs = (g == 1 && i == 0) ? "null" : sprintf("%.6f", cv);
        out = g ? "B.jsonl" : "A.jsonl";
        printf "{\"schema\":\"kitsch/1\",\"path\":\"/%s/p%03d.txt\",\"sha256\":\"\",\"modality\":\"text\",\"status\":\"ok\",\"features\":{\"text.words\":%d,\"text.compress_ratio\":%.6f,\"text.sent_len_cv\":%s,\"text.mtld\":%.6f}}\n", g ? "ai" : "human", i, w, cr, cvs, mt > out;
    }
    printf "{\"schema\":\"kitsch/1\",\"path\":\"/ai/broken.txt\",\"modality\":\"text\",\"status\":\"error\",\"error\":{\"code\":\"encoding\",\"message\":\"x\"},\"features\":{}}\n" > "B.jsonl";
}' /dev/null
mv A.jsonl B.jsonl "$W/"

"$KITSCH" calibrate "$W/A.jsonl" -o "$W/prof.json" --label "human reference"
"$KITSCH" score --profile "$W/prof.json" "$W/A.jsonl" --format csv > "$W/sa.csv"
"$KITSCH" score --profile "$W/prof.json" "$W/B.jsonl" > "$W/sb.jsonl"
"$KITSCH" score --profile "$W/prof.json" "$W/B.jsonl" --format csv > "$W/sb.csv"
# csv columns: 4 kitsch, 5 averaging, 6 predictability
mean() { awk -F, -v c=$2 'NR>1 && $3 == "ok" {s+=$c; n++} END {printf "%.3f", s/n}' "$1"; }
ma=$(mean "$W/sa.csv" 4); mb=$(mean "$W/sb.csv" 4)
pa=$(mean "$W/sa.csv" 6); pb=$(mean "$W/sb.csv" 6)
aa=$(mean "$W/sa.csv" 5); ab=$(mean "$W/sb.csv" 5)
echo "mean kitsch score: A $ma, B $mb; predictability facet A $pa, B $pb; averaging facet A $aa, B $ab"
check "reference scores near 50 (45..55)" "awk -v m=$ma 'BEGIN{exit !(m > 45 && m < 55)}'"
check "the more compressible, uniform group is more predictable" "awk -v a=$pa -v b=$pb 'BEGIN{exit !(b > a + 0.2)}'"
check "its higher MTLD (less averaged by theory) lowers its averaging facet" "awk -v a=$aa -v b=$ab 'BEGIN{exit !(b < a - 0.2)}'"
check "reasons in plain words" 'grep -Eq "more uniform than ([0-9]+ %|all) of the human reference" "$W/sb.jsonl"'
check "NaN feature counted as not measured, never zero" 'head -1 "$W/sb.jsonl" | grep -q "\"features_not_measured\":1"'
check "error record: score null" 'grep broken "$W/sb.jsonl" | grep -q "\"kitsch\":null"'
check "context feature text.words never a reason" '! grep -q "\"feature\":\"text.words\"" "$W/sb.jsonl"'

"$KITSCH" compare --format json "$W/A.jsonl" "$W/B.jsonl" > "$W/cmp.json"
/usr/bin/python3 - "$W/cmp.json" <<'PY' || fail=1
import json, sys
c = json.load(open(sys.argv[1]))
rows = {r["feature"]: r for r in c["features"]}
ok = True
def chk(name, cond):
    global ok
    print(("ok: " if cond else "FAILED: ") + name)
    ok &= bool(cond)
chk("compress_ratio: B higher, AUROC > 0.75", rows["text.compress_ratio"]["auroc"] > 0.75 and rows["text.compress_ratio"]["data_sign"] == 1)
chk("sent_len_cv: B lower, agrees with theory", rows["text.sent_len_cv"]["data_sign"] == -1 and not rows["text.sent_len_cv"]["disagrees_with_theory"])
chk("mtld: B higher contradicts theory (direction -1) and is flagged", rows["text.mtld"]["disagrees_with_theory"])
chk("n excludes NaN and error records", rows["text.sent_len_cv"]["n_b"] == 59 and c["errors_b"] == 1)
chk("delta = 2 AUROC - 1", abs(rows["text.compress_ratio"]["cliff_delta"] - (2*rows["text.compress_ratio"]["auroc"] - 1)) < 1e-12)
ci = rows["text.compress_ratio"]["delta_ci95"]
chk("CI brackets delta", ci[0] <= rows["text.compress_ratio"]["cliff_delta"] <= ci[1])
chk("combined model CV AUROC > 0.9", c["model"]["cv_auroc"] > 0.9)
words = [x for x in c["context_alone"] if x["feature"] == "text.words"]
chk("words alone reported, near chance", len(words) == 1 and 0.3 < words[0]["cv_auroc"] < 0.7)
sys.exit(0 if ok else 1)
PY

"$KITSCH" compare "$W/A.jsonl" "$W/B.jsonl" --fit -o "$W/fit.json" > /dev/null
check "fitted profile has a model and learnt signs" 'grep -q "\"cv_auroc\"" "$W/fit.json" && grep -q "\"learnt_sign\": 1" "$W/fit.json"'
"$KITSCH" score --profile "$W/fit.json" "$W/B.jsonl" > "$W/sf.jsonl"
check "score with fitted profile reports model_p" 'head -1 "$W/sf.jsonl" | grep -Eq "\"model_p\":0\.[0-9]"'
check "learnt sign overrides theory: mtld higher = kitsch" 'grep -q "measure of textual lexical diversity: higher than" "$W/sf.jsonl"'

# no --profile: the embedded profile for the committed text examples
"$KITSCH" analyze -q -o "$W/ex.jsonl" "$KS_SRC/examples/text"
"$KITSCH" score "$W/ex.jsonl" --format csv > "$W/ex.csv"
check "embedded profile scores every example" '[ "$(awk -F, "NR>1 && \$4 != \"nan\"" "$W/ex.csv" | wc -l)" = "$(($(wc -l < "$W/ex.csv") - 1))" ]'
t=$(grep templated "$W/ex.csv" | cut -d, -f4); v=$(grep varied "$W/ex.csv" | cut -d, -f4)
echo "examples: templated $t, varied $v"
check "templated example scores more kitsch than the varied one" "awk -v t=$t -v v=$v 'BEGIN{exit !(t > v)}'"
exit $fail
