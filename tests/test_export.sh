#!/bin/bash
# test_export.sh - records reach the usual table tools intact: `kitsch export`
# writes a CSV whose every cell equals the JSONL record loaded with pandas
# (python3-pandas: read_json(lines=True)), null features stay empty (NaN, never
# 0), error records keep their code, awkward paths (comma, quote, newline,
# leading '=') survive quoting, stdin works, and --spreadsheet-safe defuses
# formula-like cells.
set -u
K=${KITSCH:?set KITSCH to the kitsch binary}
SRC=${KS_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
. "$SRC/tests/scale_lib.sh"
"$PY" -c 'import pandas' 2> /dev/null ||
    { echo "SKIP test_export: python3-pandas not installed (listed in tools/deps-debian.txt)" >&2; exit 77; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
check() {
    local what=$1
    shift
    if "$@"; then echo "ok: $what"; else echo "FAILED: $what"; fail=1; fi
}

gen_texts "$T/in" 4 4
cp "$T/in/human/h000.txt" "$T/in/=cmd(1),\"quoted\".txt"
cp "$T/in/human/h001.txt" "$T/in/new
line.txt"
printf 'caf\xe9\n' > "$T/in/latin1.txt"
printf 'Short.\n' > "$T/in/short.txt" # too short for some features: nulls
# Relative names, so a path can start with '=' as an uploaded file's name can.
cd "$T/in" || exit 1
"$K" analyze -q -j 2 -o "$T/rec.jsonl" human ai latin1.txt short.txt '=cmd(1),"quoted".txt' $'new\nline.txt'
check "analyze: exit 1 (one input failed)" test $? -eq 1
"$K" export -o "$T/rec.csv" "$T/rec.jsonl" 2> /dev/null
check "export exits 0" test $? -eq 0
"$K" features --json > "$T/features.json"

"$PY" - "$T/rec.jsonl" "$T/rec.csv" "$T/features.json" <<'EOF'
import json, math, sys
import pandas as pd
recs = pd.read_json(sys.argv[1], lines=True, dtype=False, precise_float=True)
csv = pd.read_csv(sys.argv[2], keep_default_na=False, na_values=[""], dtype={"sha256": str},
                  float_precision="round_trip")
reg = [f["name"] for f in json.load(open(sys.argv[3]))["features"]]
bad = []
fixed = ["path", "modality", "status", "error_code", "error_message", "bytes", "sha256"]
want_cols = fixed + [n for n in reg if n.startswith("text.")]
if list(csv.columns[:len(want_cols)]) != want_cols:
    bad.append(f"columns: {list(csv.columns)[:10]}...")
if len(recs) != len(csv) or len(csv) != 12:
    bad.append(f"rows: {len(recs)} records, {len(csv)} csv rows")
by_path = {r["path"]: r for _, r in recs.iterrows()}
nulls = 0
for _, row in csv.iterrows():
    r = by_path.get(row["path"])
    if r is None:
        bad.append(f"path not in records: {row['path']!r}")
        continue
    if row["status"] != r["status"] or row["bytes"] != r["bytes"]:
        bad.append(f"{row['path']}: status/bytes")
    if r["status"] == "error":
        if row["error_code"] != r["error"]["code"]:
            bad.append(f"{row['path']}: error code {row['error_code']}")
        continue
    if row["sha256"] != r["sha256"]:
        bad.append(f"{row['path']}: sha256")
    for name, v in r["features"].items():
        c = row[name]
        if v is None:
            nulls += 1
            if not (isinstance(c, float) and math.isnan(c)):
                bad.append(f"{row['path']}: {name} null in JSON but {c!r} in CSV")
        elif float(c) != float(v):  # exact: the CSV keeps every bit
            bad.append(f"{row['path']}: {name} {v!r} != {c!r}")
print(f"{len(csv)} rows x {len(csv.columns)} columns; {nulls} null features stayed empty", file=sys.stderr)
if nulls == 0:
    bad.append("no null feature in the test data: the NaN check checked nothing")
for b in bad[:10]:
    print("  ", b, file=sys.stderr)
sys.exit(1 if bad else 0)
EOF
check "CSV equals the JSONL records loaded by pandas (every feature, exact; nulls empty)" test $? -eq 0

"$K" export < "$T/rec.jsonl" > "$T/stdin.csv" 2> /dev/null
check "stdin gives the same table" cmp "$T/rec.csv" "$T/stdin.csv"
"$K" export --spreadsheet-safe "$T/rec.jsonl" 2> /dev/null | grep -q "^\"'=cmd(1),\"\"quoted\"\"\.txt\","
check "--spreadsheet-safe prefixes ' to a formula-like path" test $? -eq 0
"$K" export --modality image "$T/rec.jsonl" > "$T/img.csv" 2> /dev/null
check "--modality image: header only, image columns" \
    test "$(wc -l < "$T/img.csv")" -eq 1 -a "$(grep -c 'image\.' "$T/img.csv")" -eq 1
"$K" export -o "$T/rec.csv" "$T/rec.jsonl" 2> /dev/null
check "refuses to overwrite without --force (exit 2)" test $? -eq 2
printf 'not json\n' > "$T/junk.jsonl"
"$K" export "$T/junk.jsonl" > /dev/null 2>&1
check "a line that is not a record: exit 1" test $? -eq 1
exit $fail
