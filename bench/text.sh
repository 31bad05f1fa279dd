#!/usr/bin/env bash
# bench/text.sh - text analyzer throughput (MB/s, one core) beside `gzip -6`
# on the same bytes in the same run; prints both and the ratio.
# Input: Debian's fortunes (human text) concatenated to ~SIZE_MB (default 16),
# plus, when $KITSCH_CORPUS is set, the hanna-dev folder as 448 small files.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
KITSCH=${KITSCH:-$here/build/tools/kitsch}
SIZE_MB=${SIZE_MB:-16}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
src=$(ls /usr/share/games/fortunes/* 2>/dev/null | grep -v -e '\.dat$' -e '\.u8$' || true)
[ -n "$src" ] || { echo "bench/text: needs Debian package fortunes" >&2; exit 0; }
: > "$tmp/big.txt"
while [ "$(stat -c %s "$tmp/big.txt")" -lt $((SIZE_MB * 1000000)) ]; do
  cat $src | iconv -f utf-8 -t utf-8 -c >> "$tmp/big.txt"
done
bytes=$(stat -c %s "$tmp/big.txt")
now() { date +%s.%N; }
t0=$(now); "$KITSCH" analyze -q --jobs 1 -o "$tmp/r.jsonl" "$tmp/big.txt"; t1=$(now)
t2=$(now); gzip -6 -c "$tmp/big.txt" > /dev/null; t3=$(now)
python3 - "$bytes" "$t0" "$t1" "$t2" "$t3" "$tmp/r.jsonl" <<'PY'
import json, sys
b, t0, t1, t2, t3 = int(sys.argv[1]), *map(float, sys.argv[2:6])
r = json.loads(open(sys.argv[6]).readline())
mb = b / 1e6
print(f"one {mb:.1f} MB text file ({r['status']}, {r['features'].get('text.words'):.0f} words)")
print(f"  kitsch analyze --jobs 1: {t1 - t0:6.2f} s  {mb / (t1 - t0):7.1f} MB/s (incl. process start, read, record write)")
print(f"  gzip -6               : {t3 - t2:6.2f} s  {mb / (t3 - t2):7.1f} MB/s")
print(f"  ratio kitsch/gzip     : {(t3 - t2) / (t1 - t0):.2f}x gzip's speed (target: >= 20 MB/s)")
PY
C=${KITSCH_CORPUS:-}
if [ -n "$C" ] && [ -d "$C/text/hanna-dev" ]; then
  hb=$(cat "$C"/text/hanna-dev/*/*.txt | wc -c)
  t0=$(now); "$KITSCH" analyze -q --jobs 1 -o "$tmp/h1.jsonl" "$C/text/hanna-dev"; t1=$(now)
  t2=$(now); for f in "$C"/text/hanna-dev/*/*.txt; do gzip -6 -c "$f"; done > /dev/null; t3=$(now)
  python3 -c "
b,t0,t1,t2,t3=$hb,$t0,$t1,$t2,$t3
print(f'hanna-dev: 448 small files, {b/1e6:.2f} MB')
print(f'  kitsch analyze --jobs 1: {t1-t0:6.2f} s  {b/1e6/(t1-t0):7.2f} MB/s  {448/(t1-t0):7.1f} files/s')
print(f'  gzip -6 per file       : {t3-t2:6.2f} s  {b/1e6/(t3-t2):7.2f} MB/s  {448/(t3-t2):7.1f} files/s')
"
fi
