#!/bin/bash
# aggregate.sh - speed and memory of `kitsch score` + `kitsch compare` on
# 1,000,000 synthetic text records (N=1000000; set N=... to change).
# Reference measured in the same run: a parse-only streaming pass over the
# same records (`kitsch summarize --k 2`), so the ratio shows the cost of
# scoring/comparing beyond reading JSON. Target (issue 7): score + compare of
# 1M records < 10 s wall, peak memory flat in N (compare keeps a bottom-k
# sample of 20000 per group; score streams).
set -euo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
KITSCH=${KITSCH:-$SRC/build/tools/kitsch}
N=${N:-1000000}
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
gen() { # n group seed -> records with text features in registry order
    awk -v n=$1 -v g=$2 -v seed=$3 'BEGIN { srand(seed); for (i = 0; i < n; i++) {
      s = (g == "ai");
      printf "{\"schema\":\"kitsch/1\",\"tool\":\"0.1.0\",\"seq\":%d,\"path\":\"/%s/w%07d.txt\",\"bytes\":2000,\"sha256\":null,\"modality\":\"text\",\"status\":\"ok\",\"error\":null,\"features\":{\"text.words\":%d,\"text.sentences\":%d,\"text.compress_ratio\":%.6f,\"text.mattr50\":%.6f,\"text.mtld\":%.4f,\"text.hdd\":%.6f,\"text.sent_len_cv\":%.6f,\"text.rep3_share\":%.6f},\"descriptors\":{},\"info\":{},\"elapsed_ms\":0.5,\"config\":\"0000000000000000\"}\n",
        i, g, i, 200 + int(600 * rand()), 10 + int(40 * rand()), 2 + 0.2 * rand() + 0.1 * s, 0.75 + 0.1 * rand(),
        70 + 30 * rand(), 0.8 + 0.1 * rand(), 0.6 * rand() + 0.1 - 0.1 * s, 0.05 * rand() }}'
}
half=$((N / 2))
gen $half human 1 > "$W/a.jsonl"
gen $half ai 2 > "$W/b.jsonl"
gen $((half / 10)) human 1 > "$W/a10.jsonl"
gen $((half / 10)) ai 2 > "$W/b10.jsonl"
cat "$W/a.jsonl" "$W/b.jsonl" > "$W/all.jsonl"
echo "records: $N ($(du -h "$W/all.jsonl" | cut -f1))"

t() { /usr/bin/time -f "%e %M" -o "$W/t" "$@" > /dev/null 2>&1; cat "$W/t"; }
read ref_s ref_m < <(t "$KITSCH" summarize --k 2 --no-descriptors --label x "$W/all.jsonl" -o -)
read sc_s sc_m < <(t "$KITSCH" score --format csv "$W/all.jsonl")
read cp_s cp_m < <(t "$KITSCH" compare --format json "$W/a.jsonl" "$W/b.jsonl")
read cp10_s cp10_m < <(t "$KITSCH" compare --format json "$W/a10.jsonl" "$W/b10.jsonl")
read sc10_s sc10_m < <(t "$KITSCH" score --format csv "$W/a10.jsonl")
printf "%-36s %8s %10s %8s\n" step seconds peak_MiB ratio
printf "%-36s %8.2f %10.1f %8.2f\n" "reference: parse-only pass ($N)" $ref_s $(echo "$ref_m/1024" | bc -l) 1
printf "%-36s %8.2f %10.1f %8.2f\n" "score --format csv ($N)" $sc_s $(echo "$sc_m/1024" | bc -l) $(echo "$sc_s/$ref_s" | bc -l)
printf "%-36s %8.2f %10.1f %8.2f\n" "compare A B ($N)" $cp_s $(echo "$cp_m/1024" | bc -l) $(echo "$cp_s/$ref_s" | bc -l)
printf "%-36s %8.2f %10.1f\n" "score ($((half / 10)))" $sc10_s $(echo "$sc10_m/1024" | bc -l)
printf "%-36s %8.2f %10.1f\n" "compare A B ($((half / 5)))" $cp10_s $(echo "$cp10_m/1024" | bc -l)
tot=$(echo "$sc_s + $cp_s" | bc -l)
printf "score + compare of %d records: %.2f s (target < 10 s: %s); peak memory %s vs %s MiB at 1/10 of N (flat if close)\n" \
    $N $tot $(echo "$tot < 10" | bc -l | sed 's/1/MET/;s/0/NOT MET/') $(( (sc_m > cp_m ? sc_m : cp_m) / 1024 )) $(( (sc10_m > cp10_m ? sc10_m : cp10_m) / 1024 ))
