#!/bin/bash
# bench/jobs.sh - parallel speed-up of `kitsch analyze`: the same folder with
# --jobs 1 and --jobs 2 in the same run (best of REPEAT); prints the ratio
# (target >= 1.8 on 2 cores).
# Usage: bench/jobs.sh [FOLDER]   (default: $KITSCH_CORPUS/text/hanna-dev)
set -euo pipefail
K=${KITSCH:-build/tools/kitsch}
DIR=${1:-${KITSCH_CORPUS:-../shared/corpus}/text/hanna-dev}
python3 - "$K" "$DIR" "${REPEAT:-3}" <<'EOF2'
import os, subprocess, sys, time
k, d, rep = sys.argv[1], sys.argv[2], int(sys.argv[3])
def run(j):
    t = time.perf_counter()
    subprocess.run([k, "analyze", "-q", "--jobs", str(j), d], stdout=subprocess.DEVNULL)
    return time.perf_counter() - t
run(2)  # warm the page cache
n = sum(len([f for f in fs if not f.startswith(".")]) for _, _, fs in os.walk(d, followlinks=True))
t1 = min(run(1) for _ in range(rep)); t2 = min(run(2) for _ in range(rep))
print(f"inputs: {n} in {d}")
print(f"--jobs 1: {t1:.3f} s ({n/t1:.0f} files/s)")
print(f"--jobs 2: {t2:.3f} s ({n/t2:.0f} files/s)")
print(f"speed-up --jobs 2 / --jobs 1: {t1/t2:.2f}x (target >= 1.8x; cores: {os.cpu_count()})")
EOF2
