#!/bin/bash
# test_dask.sh - examples/dask_kitsch.py on a Dask LocalCluster (Debian
# python3-distributed): 2 worker processes, 5 partitions of the input bag,
# each running `kitsch analyze --files-from -`, then `kitsch merge`. The
# merged records must equal one `kitsch analyze` over the same inputs
# (modulo seq and elapsed_ms), error records included.
set -u
K=${KITSCH:?set KITSCH to the kitsch binary}
SRC=${KS_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
. "$SRC/tests/scale_lib.sh"
"$PY" -c 'import dask.bag, distributed' 2> /dev/null ||
    { echo "SKIP test_dask: python3-distributed not installed (listed in tools/deps-debian.txt)" >&2; exit 77; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
check() {
    local what=$1
    shift
    if "$@"; then echo "ok: $what"; else echo "FAILED: $what"; fail=1; fi
}

gen_texts "$T/in" 10 20
printf 'caf\xe9 latin-1 bytes\n' > "$T/in/bad.txt" # an error record travels too
cd "$T" || exit 1
find in -type f | sort > list # relative paths: records keep them as given

timeout 300 "$PY" "$SRC/examples/dask_kitsch.py" --workers 2 --partitions 5 --kitsch "$K" \
    --files-from list -o dask.jsonl 2> dask.err
rc=$?
check "dask_kitsch.py exits 0" test $rc -eq 0
[ $rc = 0 ] || tail -20 dask.err
check "one record per input" test "$(wc -l < dask.jsonl)" -eq 31
"$K" analyze -q -j 2 --files-from list -o single.jsonl
check "merged Dask output equals a single run (modulo seq, elapsed_ms)" same_records single.jsonl dask.jsonl
check "paths sorted as kitsch merge writes them" \
    cmp <("$PY" -c 'import json,sys; [print(json.loads(l)["path"]) for l in open("dask.jsonl")]') <(LC_ALL=C sort list)
check "the bad input kept its error record" grep -q '"code":"encoding"' dask.jsonl
"$PY" "$SRC/examples/dask_kitsch.py" --kitsch "$K" -o dask.jsonl in/ai > /dev/null 2>&1
check "refuses to overwrite without --force" test $? -eq 2
exit $fail
