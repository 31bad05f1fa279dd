#!/usr/bin/env bash
# bench/text.sh - text analyzer throughput beside `gzip -6` on the same bytes
# in the same run; prints MB/s of both and the ratio. Speeds are given per CPU
# second (user+sys of the process tree: robust when the machine is shared)
# and per wall second.
# Input: Debian's fortunes (human text) concatenated to ~SIZE_MB (default 8)
# as one file, plus, with $KITSCH_CORPUS, hanna-dev as 448 small files.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
KITSCH=${KITSCH:-$here/build/tools/kitsch}
SIZE_MB=${SIZE_MB:-8}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
src=$(ls /usr/share/games/fortunes/* 2>/dev/null | grep -v -e '\.dat$' -e '\.u8$' || true)
[ -n "$src" ] || { echo "bench/text: needs Debian package fortunes" >&2; exit 0; }
: > "$tmp/big.txt"
while [ "$(stat -c %s "$tmp/big.txt")" -lt $((SIZE_MB * 1000000)) ]; do
  cat $src | iconv -f utf-8 -t utf-8 -c >> "$tmp/big.txt"
done
C=${KITSCH_CORPUS:-}
H=""
[ -n "$C" ] && [ -d "$C/text/hanna-dev" ] && H="$C/text/hanna-dev"
python3 - "$KITSCH" "$tmp" "$H" <<'PY'
import glob, json, os, resource, subprocess, sys, time
kitsch, tmp, hanna = sys.argv[1], sys.argv[2], sys.argv[3]

def run(cmd, **kw):
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    subprocess.run(cmd, check=False, **kw)
    t1 = time.monotonic()
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    return t1 - t0, (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)

def show(label, mb, wall, cpu):
    print(f"  {label:28s} {mb / cpu:7.1f} MB/CPU-s  {mb / wall:7.1f} MB/wall-s  ({cpu:.2f} CPU-s, {wall:.2f} s)")
    return cpu

big = f"{tmp}/big.txt"
mb = os.path.getsize(big) / 1e6
w1, c1 = run([kitsch, "analyze", "-q", "--jobs", "1", "--timeout", "600", "--force", "-o", f"{tmp}/r.jsonl", big])
with open(os.devnull, "wb") as null:
    w2, c2 = run(["gzip", "-6", "-c", big], stdout=null)
r = json.loads(open(f"{tmp}/r.jsonl").readline())
print(f"one {mb:.1f} MB text file: status {r['status']}, {r['features'].get('text.words') or 0:.0f} words")
show("kitsch analyze --jobs 1", mb, w1, c1)
show("gzip -6", mb, w2, c2)
print(f"  ratio (CPU): kitsch runs at {c2 / c1:.2f}x gzip -6's speed; target >= 20 MB per CPU-second")
if hanna:
    files = sorted(glob.glob(f"{hanna}/*/*.txt"))
    hb = sum(os.path.getsize(f) for f in files) / 1e6
    w1, c1 = run([kitsch, "analyze", "-q", "--jobs", "1", "--force", "-o", f"{tmp}/h.jsonl", hanna])
    with open(os.devnull, "wb") as null:
        w2, c2 = run(["gzip", "-6", "-c", *files], stdout=null)
    print(f"hanna-dev: {len(files)} small files, {hb:.2f} MB")
    show("kitsch analyze --jobs 1", hb, w1, c1)
    show("gzip -6 (one process)", hb, w2, c2)
    print(f"  {len(files) / c1:.0f} files per CPU-second (includes one sandboxed worker round-trip per file)")
PY
