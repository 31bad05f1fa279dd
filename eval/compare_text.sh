#!/bin/bash
# compare_text.sh - human vs AI text on hanna-dev (HANNA, Chhun et al. 2022:
# human WritingPrompts stories and 6 open LLMs on the same prompts p000-p063).
#
# The default lexicon (text/lexicon_default.tsv) was mined on ALL of hanna-dev,
# so lexicon features are in-sample there. The acceptance figure therefore
# uses a held-out design: a lexicon mined on prompts p000-p031 only, works of
# p032-p063 analysed with it, compared human (32) vs the 6 LLMs (192), paired
# by prompt, combined model = L2 logistic regression, 5-fold CV grouped by
# prompt; printed beside text.words alone (the length confound).
# Also shown: all 64 prompts with the default lexicon (in-sample for the
# lexicon), all 64 prompts without lexicon features, per-LLM models, and mean
# kitsch scores against the embedded human profile.
# Acceptance (issue 7): held-out combined CV AUROC >= 0.95.
set -euo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
KITSCH=${KITSCH:-$SRC/build/tools/kitsch}
CORPUS=${KITSCH_CORPUS:-$SRC/../shared/corpus}
H=$CORPUS/text/hanna-dev
[ -d "$H" ] || { echo "compare_text: no $H; set KITSCH_CORPUS" >&2; exit 0; }
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
# The lexicon file is opened inside analyzer workers (see eval/text_lexicon.sh).
NS=${KITSCH_NO_SANDBOX---no-sandbox}
models="Beluga-13b Llama-7b LlamaInstruct-30b Mistral-7b OrcaPlatypus-13b Platypus2-70b"
PAIR='/(p[0-9]+)\.txt$'

summary() { # cmp.json label
    /usr/bin/python3 - "$1" "$2" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
alone = {x["feature"]: x["cv_auroc"] for x in c["context_alone"]}
print("%-46s n=%3d+%3d  model CV AUROC %.3f  (%2d features)  text.words alone %.3f" % (sys.argv[2], c["n_a"], c["n_b"],
      c["model"]["cv_auroc"], len(c["model"]["terms"]), alone.get("text.words", float("nan"))))
PY
}

# --- held-out lexicon: mine on p000-p031, measure p032-p063 ---
train=()
mkdir -p "$W/test"
for d in "$H"/*/; do d=${d%/}; s=$(basename "$d")
    side=--ai; [ "$s" = human ] && side=--human
    mkdir -p "$W/test/$s"
    for i in $(seq 0 63); do
        f=$(printf '%s/p%03d.txt' "$d" "$i"); [ -f "$f" ] || continue
        if [ "$i" -lt 32 ]; then train+=("$side" "$f"); else ln -s "$f" "$W/test/$s/"; fi
    done
done
"$KITSCH" lexicon mine "${train[@]}" -o "$W/lex.tsv" 2>/dev/null
"$KITSCH" analyze -q $NS --lexicon "$W/lex.tsv" -o "$W/ho_human.jsonl" "$W/test/human"
for m in $models; do "$KITSCH" analyze -q $NS --lexicon "$W/lex.tsv" -o "$W/ho_$m.jsonl" "$W/test/$m"; done
cat $(for m in $models; do echo "$W/ho_$m.jsonl"; done) > "$W/ho_ai.jsonl"

# --- all prompts, default lexicon ---
"$KITSCH" analyze -q -o "$W/human.jsonl" "$H/human"
for m in $models; do "$KITSCH" analyze -q -o "$W/$m.jsonl" "$H/$m"; done
cat $(for m in $models; do echo "$W/$m.jsonl"; done) > "$W/ai.jsonl"

echo "== held-out: lexicon mined on p000-p031, human vs 6 LLMs on p032-p063, paired by prompt =="
"$KITSCH" compare --paired-by "$PAIR" "$W/ho_human.jsonl" "$W/ho_ai.jsonl"
"$KITSCH" compare --paired-by "$PAIR" --format json "$W/ho_human.jsonl" "$W/ho_ai.jsonl" > "$W/ho.json"
"$KITSCH" compare --paired-by "$PAIR" --format json --exclude lexicon "$W/ho_human.jsonl" "$W/ho_ai.jsonl" > "$W/ho_nolex.json"
"$KITSCH" compare --paired-by "$PAIR" --format json "$W/human.jsonl" "$W/ai.jsonl" > "$W/all.json"
"$KITSCH" compare --paired-by "$PAIR" --format json --exclude lexicon "$W/human.jsonl" "$W/ai.jsonl" > "$W/all_nolex.json"

echo
echo "== combined model, 5-fold CV grouped by prompt =="
summary "$W/ho.json" "held-out lexicon, p032-p063"
summary "$W/ho_nolex.json" "no lexicon features, p032-p063"
summary "$W/all_nolex.json" "no lexicon features, p000-p063"
summary "$W/all.json" "default lexicon (IN-SAMPLE), p000-p063"
for m in $models; do
    "$KITSCH" compare --paired-by "$PAIR" --format json "$W/ho_human.jsonl" "$W/ho_$m.jsonl" > "$W/c_$m.json"
    summary "$W/c_$m.json" "held-out lexicon, human vs $m"
done

echo
echo "== mean kitsch score against the embedded human text profile (all prompts, default lexicon) =="
for g in human $models; do
    "$KITSCH" score --format csv "$W/$g.jsonl" 2>/dev/null |
        awk -F, -v g=$g 'NR>1 && $4 != "nan" {s+=$4; a+=$5; p+=$6; n++} END {printf "%-20s kitsch %5.1f  averaging %5.1f  predictability %5.1f  (n=%d)\n", g, s/n, 100*a/n, 100*p/n, n}'
done
echo "(hanna-dev human stories are part of the embedded profile's reference, with fortunes entries:"
echo " human scores are in-sample, AI scores are not)"

echo
/usr/bin/python3 - "$W/ho.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
alone = {x["feature"]: x["cv_auroc"] for x in c["context_alone"]}
auc = c["model"]["cv_auroc"]
para = alone.get("text.paragraphs", float("nan"))
if para > 0.9:
    print("CAVEAT text.paragraphs alone CV AUROC = %.3f: HANNA's human stories are single-paragraph (dataset formatting);"
          " context features never enter the combined model, but features that depend on paragraphing may carry it" % para)
print("ACCEPTANCE held-out combined text model CV AUROC = %.3f (target >= 0.95): %s; text.words alone CV AUROC = %.3f"
      % (auc, "MET" if auc >= 0.95 else "NOT MET", alone.get("text.words", float("nan"))))
PY
