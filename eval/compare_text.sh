#!/bin/bash
# compare_text.sh - human vs AI text on hanna-dev (HANNA, Chhun et al. 2022:
# human WritingPrompts stories and 6 open LLMs on the same prompts p000-p063).
# Prints the per-feature comparison (paired by prompt id), the cross-validated
# AUROC of the combined model (folds grouped by prompt) beside text.words alone
# (the length confound), the same per LLM, and mean kitsch scores against the
# embedded human profile. Acceptance (issue 7): combined CV AUROC >= 0.95.
# Caveats printed below: the embedded text profile was built from hanna-dev
# human stories themselves (plus fortunes), so human scores are in-sample; and
# HANNA's human stories are single-paragraph (a formatting artefact), so
# text.paragraphs alone separates perfectly -- it is a context feature and
# never enters the combined model.
set -euo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
KITSCH=${KITSCH:-$SRC/build/tools/kitsch}
CORPUS=${KITSCH_CORPUS:-$SRC/../shared/corpus}
H=$CORPUS/text/hanna-dev
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
models="Beluga-13b Llama-7b LlamaInstruct-30b Mistral-7b OrcaPlatypus-13b Platypus2-70b"
"$KITSCH" analyze -q -o "$W/human.jsonl" "$H/human"
for m in $models; do "$KITSCH" analyze -q -o "$W/$m.jsonl" "$H/$m"; done
cat $(for m in $models; do echo "$W/$m.jsonl"; done) > "$W/ai.jsonl"

PAIR='/(p[0-9]+)\.txt$'
echo "== hanna-dev: human (64) vs 6 LLMs (384), paired by prompt id =="
"$KITSCH" compare --paired-by "$PAIR" "$W/human.jsonl" "$W/ai.jsonl"
"$KITSCH" compare --paired-by "$PAIR" --format json "$W/human.jsonl" "$W/ai.jsonl" > "$W/cmp.json"

echo
echo "== per LLM vs human (combined model, 5-fold CV grouped by prompt) =="
printf "%-20s %10s %12s %14s\n" model cv_auroc words_alone paragraphs_alone
for m in $models; do
    "$KITSCH" compare --paired-by "$PAIR" --format json "$W/human.jsonl" "$W/$m.jsonl" > "$W/c_$m.json"
    /usr/bin/python3 - "$W/c_$m.json" "$m" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
alone = {x["feature"]: x["cv_auroc"] for x in c["context_alone"]}
print("%-20s %10.3f %12.3f %14.3f" % (sys.argv[2], c["model"]["cv_auroc"], alone.get("text.words", float("nan")),
      alone.get("text.paragraphs", float("nan"))))
PY
done

echo
echo "== mean kitsch score against the embedded human text profile =="
for g in human $models; do
    "$KITSCH" score --format csv "$W/$g.jsonl" 2>/dev/null |
        awk -F, -v g=$g 'NR>1 && $4 != "nan" {s+=$4; a+=$5; p+=$6; n++} END {printf "%-20s kitsch %5.1f  averaging %5.1f  predictability %5.1f  (n=%d)\n", g, s/n, 100*a/n, 100*p/n, n}'
done
echo "(hanna-dev human stories are part of the embedded profile's reference together with fortunes"
echo " entries, so human scores are not out-of-sample; the AI scores are)"

echo
/usr/bin/python3 - "$W/cmp.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
alone = {x["feature"]: x["cv_auroc"] for x in c["context_alone"]}
auc = c["model"]["cv_auroc"]
para = alone.get("text.paragraphs", float("nan"))
if para > 0.9:
    print("CAVEAT text.paragraphs alone CV AUROC = %.3f: HANNA's human stories are single-paragraph (dataset formatting);"
          " context features are excluded from the combined model" % para)
print("ACCEPTANCE combined text model CV AUROC = %.3f (target >= 0.95): %s; text.words alone CV AUROC = %.3f"
      % (auc, "MET" if auc >= 0.95 else "NOT MET", alone.get("text.words", float("nan"))))
PY
