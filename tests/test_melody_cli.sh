#!/bin/bash
# test_melody_cli.sh - `kitsch melody` on ABC and MIDI written here: one
# record per tune, the repetitive tune scores as more predictable, MIDI read
# in C gives the same notes abc2midi wrote, --cv prints a figure.
set -u
command -v abc2midi >/dev/null || { echo "abc2midi missing (Debian abcmidi): skip"; exit 77; }
command -v python3 >/dev/null || { echo "python3 missing: skip"; exit 77; }
: "${KITSCH:?}"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
check() { if ! eval "$1"; then echo "FAILED: $1"; fail=1; fi; }

# Tune 1 repeats a two-bar phrase eight times (104 notes); tune 2 has as many
# notes drawn at random (fixed seed) from two chromatic octaves.
python3 - "$T/two.abc" <<'EOF'
import random, sys
random.seed(4)
names = ["C", "^C", "D", "^D", "E", "F", "^F", "G", "^G", "A", "^A", "B"]
def abc(p):  # MIDI pitch 48..71 -> ABC note
    n = names[p % 12]
    return n if p >= 60 else n + ","
notes = [abc(random.randrange(48, 72)) for _ in range(104)]
bars = ["".join(notes[i:i + 8]) for i in range(0, 104, 8)]
with open(sys.argv[1], "w") as f:
    f.write("X:1\nT:repeated\nM:4/4\nL:1/8\nK:C\n" + "CDEF GFED|CDEF G4|" * 8 + "\n\n")
    f.write("X:2\nT:random\nM:4/4\nL:1/8\nK:C\n" + "|".join(bars) + "|\n")
EOF

"$KITSCH" melody "$T/two.abc" > "$T/out.jsonl" 2> "$T/err"
rc=$?
check '[ $rc -eq 0 ]'
check '[ "$(wc -l < "$T/out.jsonl")" -eq 2 ]'
python3 - "$T/out.jsonl" <<'EOF' || fail=1
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
ok = True
def want(c, what):
    global ok
    if not c:
        print("FAILED:", what); ok = False
want(all(r["status"] == "ok" for r in recs), "status ok")
want(recs[0]["path"].endswith("two.abc#1") and recs[1]["path"].endswith("two.abc#2"), "paths FILE#X")
a, b = recs[0]["features"], recs[1]["features"]
want(a["audio.melody_notes"] == 104 and b["audio.melody_notes"] == 104, "104 notes per tune (got %s, %s)" % (a["audio.melody_notes"], b["audio.melody_notes"]))
for k in ("audio.melody_ic", "audio.melody_pred_entropy", "audio.melody_pc_entropy",
          "audio.melody_interval_entropy", "audio.melody_interval_cond_entropy"):
    want(a[k] < b[k], "%s: repeated %.3f < random %.3f" % (k, a[k], b[k]))
want(a["audio.melody_high_ic_share"] <= b["audio.melody_high_ic_share"], "high-IC share")
want("cpitch" in recs[0]["info"]["audio.melody_model"], "model info")
sys.exit(0 if ok else 1)
EOF

# MIDI read in C: the notes of tune 1 as abc2midi wrote them.
(cd "$T" && abc2midi two.abc 1 -o one.mid -silent >/dev/null 2>&1)
check '[ -s "$T/one.mid" ]'
"$KITSCH" melody --notes "$T/one.mid" > "$T/notes.tsv"
check '[ "$(wc -l < "$T/notes.tsv")" -eq 104 ]'
check '[ "$(head -1 "$T/notes.tsv" | cut -f4)" = 60 ]'
check '[ "$(sed -n 5p "$T/notes.tsv" | cut -f4)" = 67 ]'
"$KITSCH" melody "$T/one.mid" > "$T/mid.jsonl"
python3 - "$T/mid.jsonl" "$T/out.jsonl" <<'EOF' || fail=1
import json, sys
m = json.loads(open(sys.argv[1]).readline())["features"]
a = json.loads(open(sys.argv[2]).readline())["features"]
bad = [k for k in a if k.startswith("audio.melody") and a[k] is not None and abs(a[k] - m[k]) > 1e-9]
if bad: print("FAILED: MIDI and ABC records differ:", bad); sys.exit(1)
EOF

# The same notes as text (--notes output read back from stdin).
"$KITSCH" melody --notes "$T/one.mid" | "$KITSCH" melody - > "$T/tsv.jsonl"
python3 - "$T/tsv.jsonl" "$T/mid.jsonl" <<'EOF' || fail=1
import json, sys
t = json.loads(open(sys.argv[1]).readline())
m = json.loads(open(sys.argv[2]).readline())["features"]
bad = [k for k in m if k.startswith("audio.melody") and m[k] is not None and abs(m[k] - t["features"][k]) > 1e-9]
if bad or not t["path"].endswith("one.mid"):
    print("FAILED: note-list record differs:", bad, t["path"]); sys.exit(1)
EOF
printf 'x\t0\t1\n' | "$KITSCH" melody - > "$T/badtsv.jsonl" 2>/dev/null
check 'grep -q "\"code\":\"parse\"" "$T/badtsv.jsonl"'

# Cross-validation over the two tunes, and errors that are reported, not crashes.
"$KITSCH" melody --cv 2 "$T/two.abc" > "$T/cv.txt"
check 'grep -q "^mean_ic_per_note" "$T/cv.txt"'
printf 'not midi' > "$T/bad.mid"
"$KITSCH" melody "$T/bad.mid" > "$T/bad.jsonl"
rc=$?
check '[ $rc -eq 1 ]'
check 'grep -q "\"code\":\"format\"" "$T/bad.jsonl"'
check 'grep -q "\"status\":\"error\"" "$T/bad.jsonl"'
"$KITSCH" melody --no-such-option "$T/one.mid" >/dev/null 2>&1
rc=$?
check '[ $rc -eq 2 ]'
exit $fail
