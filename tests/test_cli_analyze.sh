#!/bin/bash
# test_cli_analyze.sh - the batch runner end to end: bad inputs give one
# error record each and the batch goes on; records validate against
# `kitsch schema`; -o never overwrites; shards partition the inputs;
# SIGKILL + --resume gives exactly one record per input; SIGINT exits 130
# with a valid file.
set -u
K=${KITSCH:?set KITSCH to the kitsch binary}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
check() { # check "what" condition...
    local what=$1
    shift
    if "$@"; then echo "ok: $what"; else echo "FAILED: $what"; fail=1; fi
}

# ---- bad inputs ----
mkdir -p "$T/in/sub"
printf 'The cat sat. The dog ran far away from home. It rained!\n\nA new paragraph here.\n' > "$T/in/good.txt"
: > "$T/in/empty.txt"
printf 'caf\xe9 au lait\n' > "$T/in/latin1.txt"
printf 'nul\0byte inside\n' > "$T/in/nul.txt"
ln -s "$T/in/nowhere" "$T/in/dangling.txt"
ln -s .. "$T/in/sub/loop"             # a symlink loop must not hang the walk
mkdir "$T/in/sub/deeper"
printf 'Deep text. With two sentences.\n' > "$T/in/sub/deeper/deep.txt"
head -c 200000000 /dev/zero | tr '\0' 'a' > "$T/in/huge-line.txt"   # 200 MB, one line
printf '\x00\x01\x02\x03binary' > "$T/in/blob.bin"
mkdir "$T/perm" && chmod 755 "$T" "$T/perm"
printf 'secret text.\n' > "$T/perm/locked.txt" && chmod 000 "$T/perm/locked.txt"

"$K" analyze -q -o "$T/out.jsonl" "$T/in" "$T/in/good.txt"
rc=$?
check "exit 1 when some inputs fail" test $rc -eq 1
n=$(wc -l < "$T/out.jsonl")
check "one record per distinct input (8, got $n)" test "$n" -eq 8
code_of() { python3 -c 'import json,sys
for l in open(sys.argv[1]):
    r=json.loads(l)
    if r["path"].endswith(sys.argv[2]): print(r["status"] if r["status"]=="ok" else r["error"]["code"])' "$T/out.jsonl" "$1"; }
check "good.txt ok" test "$(code_of good.txt)" = ok
check "deep.txt found through the walk" test "$(code_of deep.txt)" = ok
check "empty -> empty" test "$(code_of empty.txt)" = empty
check "latin-1 -> encoding" test "$(code_of latin1.txt)" = encoding
check "NUL -> encoding" test "$(code_of nul.txt)" = encoding
check "dangling symlink -> not_found" test "$(code_of dangling.txt)" = not_found
check "200 MB line -> too_large" test "$(code_of huge-line.txt)" = too_large
check "binary blob -> format" test "$(code_of blob.bin)" = format

# a directory given as a file, and an unreadable file (as an unprivileged user)
printf '%s\n' "$T/in" "$T/in/good.txt" | "$K" analyze -q --files-from - > "$T/list.jsonl"
check "directory in a list -> not_a_file" grep -q '"code":"not_a_file"' "$T/list.jsonl"
if command -v setpriv > /dev/null && [ "$(id -u)" = 0 ]; then
    setpriv --reuid=65534 --regid=65534 --clear-groups "$K" analyze -q "$T/perm/locked.txt" > "$T/perm.jsonl" 2>/dev/null
    check "unreadable file -> permission" grep -q '"code":"permission"' "$T/perm.jsonl"
else
    chmod 000 "$T/perm/locked.txt"
    "$K" analyze -q "$T/perm/locked.txt" > "$T/perm.jsonl"
    check "unreadable file -> permission" grep -q '"code":"permission"' "$T/perm.jsonl"
fi

# ---- --in-process: the same records without workers (bench reference) ----
# a PNG named .txt too: the worker's sniff corrects the parent's budget
python3 -c 'import struct, sys, zlib
def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
raw = b"".join(b"\0" + bytes((x * 7 + y * 3) % 256 for x in range(48 * 3)) for y in range(40))
sys.stdout.buffer.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 48, 40, 8, 2, 0, 0, 0))
                        + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))' > "$T/in/png-named.txt"
"$K" analyze -q --jobs 1 "$T/in" > "$T/pool.jsonl"
"$K" analyze -q --in-process "$T/in" > "$T/inproc.jsonl"
python3 - "$T/pool.jsonl" "$T/inproc.jsonl" <<'EOF'
import json, sys
def load(f):
    out = {}
    for l in open(f):
        r = json.loads(l)
        r.pop("elapsed_ms")
        out[r["path"]] = r
    return out
a, b = load(sys.argv[1]), load(sys.argv[2])
assert len(a) == 9 and a.keys() == b.keys(), (len(a), len(b))
for p in a:
    assert a[p] == b[p], p
assert any(r["path"].endswith("png-named.txt") and r["status"] == "ok" and r["modality"] == "image" for r in a.values())
EOF
check "--in-process gives the pool's records (9 inputs, elapsed_ms aside)" test $? -eq 0
rm "$T/in/png-named.txt"

# ---- schema ----
"$K" schema > "$T/schema.json"
python3 - "$T/schema.json" "$T/out.jsonl" "$T/list.jsonl" <<'EOF'
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
v = jsonschema.Draft202012Validator(schema)
n = 0
for f in sys.argv[2:]:
    for line in open(f):
        v.validate(json.loads(line)); n += 1
print("schema-valid records:", n)
EOF
check "every record valid against kitsch schema" test $? -eq 0

# ---- output safety and usage errors ----
"$K" analyze -q -o "$T/out.jsonl" "$T/in/good.txt" 2> "$T/err.txt"
check "refuses to overwrite without --force (exit 2)" test $? -eq 2
check "says how to proceed" grep -q -- "--force" "$T/err.txt"
"$K" analyze -q --force -o "$T/out.jsonl" "$T/in/good.txt"
check "--force overwrites" test "$(wc -l < "$T/out.jsonl")" -eq 1
"$K" analyze --jobs 0 x 2> /dev/null
check "bad --jobs -> exit 2" test $? -eq 2
"$K" analyze 2> /dev/null
check "no inputs -> exit 2" test $? -eq 2
"$K" nonsense 2> /dev/null
check "unknown command -> exit 2" test $? -eq 2
"$K" help analyze | grep -q -- "--resume"
check "help teaches --resume" test $? -eq 0

# ---- many inputs: shards, kill -9 + resume, SIGINT ----
mkdir "$T/many"
python3 - "$T/many" <<'EOF'
import os, random, sys
random.seed(7)
words = "the a cat dog sea light house old new ran walked said quietly under over river stone".split()
for i in range(300):
    with open(os.path.join(sys.argv[1], "w%03d.txt" % i), "w") as f:
        for s in range(random.randint(3, 12)):
            f.write(" ".join(random.choice(words) for _ in range(random.randint(3, 20))).capitalize() + ". ")
EOF
for i in 0 1 2; do "$K" analyze -q --shard $i/3 "$T/many" > "$T/shard$i.jsonl"; done
"$K" analyze -q -j 2 "$T/many" > "$T/all.jsonl"
python3 - "$T" <<'EOF'
import json, sys
t = sys.argv[1]
paths = lambda f: [json.loads(l)["path"] for l in open(f)]
shards = [set(paths(f"{t}/shard{i}.jsonl")) for i in range(3)]
allp = paths(f"{t}/all.jsonl")
assert len(allp) == 300 == len(set(allp)), len(allp)
assert sum(map(len, shards)) == 300 and set().union(*shards) == set(allp), [len(s) for s in shards]
assert all(len(s) > 50 for s in shards), [len(s) for s in shards]
print("shards", [len(s) for s in shards])
EOF
check "shards partition the inputs" test $? -eq 0

for point in 0.05 0.15 0.3; do
    rm -f "$T/r.jsonl"
    "$K" analyze -q -j 2 -o "$T/r.jsonl" "$T/many" &
    pid=$!
    sleep $point
    kill -9 $pid 2> /dev/null
    wait $pid 2> /dev/null
    pkill -9 -f "kitsch analyze -q -j 2 -o $T/r.jsonl" 2> /dev/null  # orphaned workers
    # simulate a torn last line as a crash in the middle of a write leaves
    [ -s "$T/r.jsonl" ] && printf '{"schema":"kitsch/1","pa' >> "$T/r.jsonl"
    "$K" analyze -q -j 2 --resume "$T/r.jsonl" "$T/many"
    python3 - "$T/r.jsonl" <<'EOF'
import json, sys
lines = open(sys.argv[1]).read().split("\n")
assert lines[-1] == "", "file must end with a newline"
recs = [json.loads(l) for l in lines[:-1]]
paths = [r["path"] for r in recs]
assert len(paths) == 300 and len(set(paths)) == 300, (len(paths), len(set(paths)))
seqs = [r["seq"] for r in recs]
assert len(set(seqs)) == 300, "seq must stay unique across resume"
EOF
    check "kill -9 after ${point}s + --resume: exactly one record per input" test $? -eq 0
done

rm -f "$T/int.jsonl"
"$K" analyze -q -j 2 -o "$T/int.jsonl" "$T/many" "$T/many/../many" &
pid=$!
sleep 0.2
kill -INT $pid
wait $pid
rc=$?
check "SIGINT -> exit 130 (got $rc)" test $rc -eq 130 -o $rc -eq 0
python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' "$T/int.jsonl"
check "output valid after SIGINT" test $? -eq 0

exit $fail
