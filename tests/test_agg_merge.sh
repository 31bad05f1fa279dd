#!/bin/bash
# test_agg_merge.sh - shard/merge equals one run: records merged from 3 shards
# equal a single analyze run (modulo seq/elapsed); summaries of the shards,
# merged, give the same profile, compare table and set metrics as all records
# at once -- also when groups exceed the bottom-k sample size (--k 7).
set -euo pipefail
: "${KITSCH:?}"
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
fail=0
check() { if eval "$2"; then echo "ok: $1"; else echo "FAILED: $1"; fail=1; fi; }

# three sources of generated stories: one templated (repetitive), two varied
RANDOM=4242
words=(river stone lantern quiet morning harbour letter winter garden window bridge candle
       shadow mirror violin orchard thunder meadow station ribbon compass whisper island ember
       granite feather tide copper velvet hollow)
mkdir -p "$W/in/templ" "$W/in/varied1" "$W/in/varied2"
for i in $(seq -w 1 14); do
    {
      for s in 1 2 3 4 5 6; do
        echo "In the end, she realized that the ${words[$((RANDOM % 4))]} was a testament to the journey."
      done
    } > "$W/in/templ/s$i.txt"
    for d in varied1 varied2; do
      {
        for s in $(seq 1 $((8 + RANDOM % 10))); do
          n=$((3 + RANDOM % 18)); line=""
          for k in $(seq 1 $n); do line="$line ${words[$((RANDOM % ${#words[@]}))]}"; done
          echo "${line# }."
        done
      } > "$W/in/$d/s$i.txt"
    done
done

"$KITSCH" analyze -q -j 2 -o "$W/all.jsonl" "$W/in"
for i in 0 1 2; do
    "$KITSCH" analyze -q -j 2 --shard $i/3 -o "$W/shard$i.jsonl" "$W/in"
done
"$KITSCH" merge "$W/shard0.jsonl" "$W/shard1.jsonl" "$W/shard2.jsonl" -o "$W/merged.jsonl"
strip() { sed -E 's/"seq":[0-9]+,//; s/"elapsed_ms":[0-9.eE+-]+//' "$1" | sort; }
check "merged records = single run (modulo seq/elapsed)" 'diff <(strip "$W/all.jsonl") <(strip "$W/merged.jsonl") >/dev/null'
check "42 records" '[ "$(wc -l < "$W/merged.jsonl")" = 42 ]'

for i in 0 1 2; do
    "$KITSCH" summarize --k 7 "$W/shard$i.jsonl" -o "$W/sum$i.json"
done
"$KITSCH" merge "$W/sum0.json" "$W/sum1.json" "$W/sum2.json" -o "$W/merged.sum.json"
"$KITSCH" summarize --k 7 "$W/all.jsonl" -o "$W/all.sum.json"
check "merged summary = summary of one run" 'cmp -s "$W/merged.sum.json" "$W/all.sum.json"'

"$KITSCH" calibrate --k 7 "$W/all.jsonl" -o "$W/p_all.json" --source x
"$KITSCH" calibrate --k 7 "$W/merged.sum.json" -o "$W/p_merged.json" --source x
check "profile from merged summaries = profile from all records" 'cmp -s "$W/p_all.json" "$W/p_merged.json"'

"$KITSCH" set --format json "$W/all.jsonl" --k 7 > "$W/set_all.json"
"$KITSCH" set --format json "$W/merged.sum.json" --k 7 > "$W/set_merged.json"
check "set metrics from merged summaries = one run" 'cmp -s "$W/set_all.json" "$W/set_merged.json"'
check "set output has 3 sets at N = 7" 'grep -c "\"set\":" "$W/set_all.json" | grep -qx 3 && grep -q "\"n_common\": 7" "$W/set_all.json"'

# compare: A = templated source, B = varied (summaries with one group each)
grep '/templ/' "$W/all.jsonl" > "$W/a.jsonl"
grep -v '/templ/' "$W/all.jsonl" > "$W/b.jsonl"
for i in 0 1 2; do
    grep '/templ/' "$W/shard$i.jsonl" > "$W/a$i.jsonl" || true
    grep -v '/templ/' "$W/shard$i.jsonl" > "$W/b$i.jsonl" || true
    "$KITSCH" summarize --k 7 --no-descriptors --label A "$W/a$i.jsonl" -o "$W/sa$i.json"
    "$KITSCH" summarize --k 7 --no-descriptors --label B "$W/b$i.jsonl" -o "$W/sb$i.json"
done
"$KITSCH" merge "$W"/sa?.json -o "$W/sa.json"
"$KITSCH" merge "$W"/sb?.json -o "$W/sb.json"
"$KITSCH" compare --k 7 --format json "$W/a.jsonl" "$W/b.jsonl" > "$W/cmp_all.json"
"$KITSCH" compare --k 7 --format json "$W/sa.json" "$W/sb.json" > "$W/cmp_merged.json"
check "compare from merged summaries = one run" 'cmp -s "$W/cmp_all.json" "$W/cmp_merged.json"'
check "compare reports the bottom-k sample (7 of 14, 7 of 28)" 'grep -q "\"sampled_a\": 7" "$W/cmp_all.json" && grep -q "\"n_b\": 28" "$W/cmp_all.json"'
exit $fail
