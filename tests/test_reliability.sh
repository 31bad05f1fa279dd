#!/bin/bash
# test_reliability.sh - crafted and broken inputs cost only their own record.
#
# 1. A malformed-input corpus GENERATED here (tests/fuzz/make_seeds.sh makes
#    tiny valid files of every format with ffmpeg; tests/fuzz/malformed.py
#    damages them and crafts the rest): truncated JPEG/PNG/WebP/BMP/GIF/WAV/
#    FLAC/OGG/MP3/M4A/MP4/MKV/WebM/AVI, zero-length files, wrong extensions,
#    magic numbers followed by garbage, huge declared dimensions (PNG/JPEG/BMP
#    60000x60000, WebP 16383^2, video 20000^2 and 12000^2), decompression
#    bombs (PNG of zeros at 30000^2, the 43-byte GIF), 0-channel / 0 Hz / NaN /
#    Inf WAV, non-UTF-8 and NUL-bearing text, a 65 MiB line, symlink loops,
#    fifos and devices. Each input must give exactly ONE record whose
#    error.code is one of the specific codes listed for it in expect.tsv
#    (never internal/crashed/timeout/memory), the batch must finish, the
#    parent's peak RSS must stay under 100 MB, and the output must be valid.
#    stderr goes to a file on purpose: that is how SIGXFSZ once killed
#    workers whose libraries printed warnings.
# 2. Fault injection (KITSCH_FAULT) on real worker processes: a hang becomes
#    "timeout", runaway allocation "memory", a segfault "crashed"; the worker
#    is restarted and every other input is still measured.
set -u
K=${KITSCH:?set KITSCH to the kitsch binary}
SRC=${KS_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
command -v ffmpeg > /dev/null || { echo "ffmpeg not installed: skipping"; exit 77; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
check() { # check "what" command...
    local what=$1
    shift
    if "$@"; then echo "ok: $what"; else echo "FAILED: $what"; fail=1; fi
}

# Sanitizer builds do not apply RLIMIT_AS (ASan reserves terabytes of
# shadow), and ASan's own RSS limits run in a thread that forked workers do
# not inherit: there the runaway-allocation fault would eat the machine, so
# it is skipped (the rest runs, with NULL-returning malloc).
sanitized=0
if grep -qs '^SANITIZE:BOOL=ON' "${KS_BUILD:-/nonexistent}/CMakeCache.txt" || ldd "$K" 2> /dev/null | grep -q 'lib[at]san'; then
    sanitized=1
    echo "sanitizer build: the out-of-memory fault is not injected"
fi
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}allocator_may_return_null=1:detect_leaks=0"

# Run kitsch in the background and sample the parent's VmHWM (peak RSS, kB;
# monotonic, so the last sample is the peak up to ~50 ms before exit).
run_measured() { # run_measured OUT_HWM_FILE args...
    local hwmf=$1
    shift
    "$K" "$@" &
    local pid=$! hwm=0 h
    while kill -0 $pid 2> /dev/null; do
        h=$(awk '/^VmHWM/{print $2}' /proc/$pid/status 2> /dev/null)
        [ -n "$h" ] && hwm=$h
        sleep 0.05
    done
    wait $pid
    local rc=$?
    echo "$hwm" > "$hwmf"
    return $rc
}

# ---- 1. the malformed-input corpus ----
bash "$SRC/tests/fuzz/make_seeds.sh" "$T/seeds" || { echo "FAILED: seed generation"; exit 1; }
python3 "$SRC/tests/fuzz/malformed.py" "$T/seeds" "$T/mal" || { echo "FAILED: corpus generation"; exit 1; }

t0=$(date +%s.%N)
# --timeout 60: under a loaded CI machine a legitimate 96 MP decode may take
# seconds; the timeout path itself is exercised by fault injection below.
run_measured "$T/hwm" analyze -q -j 2 --timeout 60 -o "$T/out.jsonl" "$T/mal/in" \
    --files-from "$T/mal/list.txt" 2> "$T/stderr.txt"
rc=$?
t1=$(date +%s.%N)
check "batch exits 1 (some inputs failed), got $rc" test $rc -eq 1
hwm=$(cat "$T/hwm")
echo "parent peak RSS: $hwm kB; corpus wall time: $(echo "$t1 - $t0" | bc) s"
check "parent peak RSS < 100 MB ($hwm kB)" test "$hwm" -gt 0 -a "$hwm" -lt 100000

python3 - "$T/mal/expect.tsv" "$T/out.jsonl" <<'EOF'
import json, sys
expect = {}
for line in open(sys.argv[1]):
    p, codes, kind = line.rstrip("\n").split("\t")
    expect[p] = (codes.split(","), kind)
text = open(sys.argv[2]).read()
assert text.endswith("\n"), "output must end with a newline"
recs = {}
for line in text.split("\n")[:-1]:
    r = json.loads(line)
    recs.setdefault(r["path"], []).append(r)
bad = 0
counted = 0
print("%-28s %-34s %s" % ("input", "allowed", "got"))
for p, (codes, kind) in expect.items():
    rs = recs.get(p, [])
    got = [r["status"] if r["status"] == "ok" else r["error"]["code"] for r in rs]
    ok = len(rs) == 1 and got[0] in codes and got[0] not in ("internal", "crashed", "timeout", "memory")
    if kind == "bad":
        ok = ok and got[0] != "ok"
        counted += ok
    msg = "" if ok or not rs else "   <- " + ((rs[0].get("error") or {}).get("message") or "")[:100]
    print("%s %-26s %-34s %s%s" % ("  " if ok else "!!", p.split("/in/")[-1][-26:], ",".join(codes)[:34], got, msg))
    bad += not ok
extra = sorted(set(recs) - set(expect))
for e in extra:
    print("!! unexpected record for", e)
n_bad = sum(k == "bad" for _, k in expect.values())
print(f"malformed inputs with exactly one specific error record: {counted} of {n_bad}; "
      f"robustness inputs: {len(expect) - n_bad}; mismatches: {bad}; unexpected records: {len(extra)}")
sys.exit(1 if bad or extra or counted < 60 else 0)
EOF
check "every malformed input -> exactly one record with its specific code (>= 60)" test $? -eq 0

"$K" schema > "$T/schema.json"
python3 - "$T/schema.json" "$T/out.jsonl" <<'EOF'
import json, sys, jsonschema
v = jsonschema.Draft202012Validator(json.load(open(sys.argv[1])))
n = 0
for line in open(sys.argv[2]):
    v.validate(json.loads(line)); n += 1
print("schema-valid records:", n)
EOF
check "every record valid against kitsch schema" test $? -eq 0

# ---- 2. fault injection: timeout, memory, crash; restart and go on ----
mkdir "$T/f"
for i in $(seq -w 1 30); do
    printf 'File %s has a few words. It is plain and valid text.\n' "$i" > "$T/f/t$i.txt"
done
for i in 1 2 3 4; do printf 'Boom %s. This one crashes its worker.\n' $i > "$T/f/u-boom$i.txt"; done
oom=",oom:t12"
[ $sanitized = 1 ] && oom=""
KITSCH_FAULT="hang:t05,crash:boom$oom" \
    "$K" analyze -q -j 2 --timeout 6 --max-memory 64 -o "$T/fault.jsonl" "$T/f" 2> "$T/fault.err"
rc=$?
check "fault run exits 1, got $rc" test $rc -eq 1
python3 - "$T/fault.jsonl" $sanitized <<'EOF'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
sanitized = sys.argv[2] == "1"
by = {}
for r in recs:
    by.setdefault(r["path"].rsplit("/", 1)[1], []).append(r["status"] if r["status"] == "ok" else r["error"]["code"])
want = {f"t{i:02d}.txt": ["ok"] for i in range(1, 31)}
want["t05.txt"] = ["timeout"]
want["t12.txt"] = ["ok" if sanitized else "memory"]
for i in range(1, 5):
    want[f"u-boom{i}.txt"] = ["crashed"]
bad = {k: (v, by.get(k)) for k, v in want.items() if by.get(k) != v}
print("fault records:", len(recs), "mismatches:", bad)
sys.exit(1 if bad or len(recs) != len(want) else 0)
EOF
check "hang -> timeout, runaway memory -> memory, segfault -> crashed; all others ok" test $? -eq 0

# one worker only: every fault forces a restart of the only worker
oom=",oom:t08"
[ $sanitized = 1 ] && oom=""
KITSCH_FAULT="hang:t07,crash:boom$oom" \
    "$K" analyze -q -j 1 --timeout 6 --max-memory 64 "$T/f" > "$T/fault1.jsonl" 2> /dev/null
python3 - "$T/fault1.jsonl" $sanitized <<'EOF'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
want = ["crashed"] * 4 + ([] if sys.argv[2] == "1" else ["memory"]) + ["timeout"]
codes = sorted(r["error"]["code"] for r in recs if r["status"] != "ok")
ok = sum(r["status"] == "ok" for r in recs)
print("single worker:", len(recs), "records,", ok, "ok, errors", codes)
sys.exit(0 if len(recs) == 34 and ok == 34 - len(want) and codes == want else 1)
EOF
check "single worker restarted after each fault; batch complete" test $? -eq 0

exit $fail
