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

t() { /usr/bin/time -f "%e %U %S %M" -o "$W/t" "$@" > /dev/null 2>&1; cat "$W/t"; }
read ref_s ref_u ref_y ref_m < <(t "$KITSCH" summarize --k 2 --no-descriptors --label x "$W/all.jsonl" -o -)
read sc_s sc_u sc_y sc_m < <(t "$KITSCH" score --format csv "$W/all.jsonl")
read cp_s cp_u cp_y cp_m < <(t "$KITSCH" compare --format json "$W/a.jsonl" "$W/b.jsonl")
read cq_s cq_u cq_y cq_m < <(t "$KITSCH" compare --format json "$W/a10.jsonl" "$W/b10.jsonl")
read sq_s sq_u sq_y sq_m < <(t "$KITSCH" score --format csv "$W/a10.jsonl")
row() { awk -v n="$1" -v w=$2 -v u=$3 -v y=$4 -v m=$5 -v r=$6 'BEGIN { printf "%-34s %8.2f %8.2f %9.1f %8.2f\n", n, w, u + y, m / 1024, (r > 0 ? w / r : 0) }'; }
printf "%-34s %8s %8s %9s %8s\n" step wall_s cpu_s peak_MiB ratio
row "reference: parse-only pass, N" $ref_s $ref_u $ref_y $ref_m $ref_s
row "score --format csv, N" $sc_s $sc_u $sc_y $sc_m $ref_s
row "compare A B, N" $cp_s $cp_u $cp_y $cp_m $ref_s
row "score, N/20" $sq_s $sq_u $sq_y $sq_m 0
row "compare A B, N/10" $cq_s $cq_u $cq_y $cq_m 0
awk -v n=$N -v a=$sc_s -v b=$cp_s -v ca="$sc_u $sc_y" -v m1=$sc_m -v m2=$cp_m -v m3=$sq_m -v m4=$cq_m 'BEGIN {
    split(ca, c, " "); tot = a + b;
    printf "score + compare of %d records: %.2f s wall (target < 10 s: %s); peak memory %.0f MiB at N vs %.0f MiB at N/10\n",
        n, tot, (tot < 10 ? "met" : "NOT met on this machine now"), (m1 > m2 ? m1 : m2) / 1024, (m3 > m4 ? m3 : m4) / 1024 }'
echo "(wall time depends on machine load; cpu_s = user + system of the kitsch process)"
