#!/usr/bin/env bash
# test_text_cli.sh - the text analyzer through the CLI: bad inputs get one
# error record each with the right code, good text is measured, `kitsch
# lexicon mine|check` round-trips, and `kitsch set` ranks a templated set as
# more homogeneous than a varied one. Inputs are generated here.
set -euo pipefail
: "${KITSCH:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
d=$tmp/in
mkdir -p "$d"
printf 'The cat sat on the mat. It was a fine day, and the sun was warm.\n' > "$d/good.txt"
: > "$d/empty.txt"
printf 'abc \xff\xfe def\n' > "$d/bad_utf8.txt"
printf 'abc\0def\n' > "$d/nul.txt"
printf '  \n\t\n   \n' > "$d/blank.txt"
# a 200 MB single line: over the 64 MiB text cap, so too_large (sparse file:
# the size is known before reading)
printf 'word ' > "$d/huge.txt"
truncate -s 200M "$d/huge.txt"
"$KITSCH" analyze -q --modality text -o "$tmp/r.jsonl" "$d" && rc=0 || rc=$?
[ "$rc" = 1 ] || { echo "expected exit 1 (some inputs failed), got $rc"; exit 1; }
python3 - "$tmp/r.jsonl" <<'PY'
import json, sys
recs = {r["path"].split("/")[-1]: r for r in map(json.loads, open(sys.argv[1]))}
want = {"good.txt": None, "empty.txt": "empty", "bad_utf8.txt": "encoding", "nul.txt": "encoding",
        "blank.txt": "too_short", "huge.txt": "too_large"}
bad = 0
for f, code in want.items():
    r = recs.get(f)
    got = None if r is None else (None if r["status"] == "ok" else r["error"]["code"])
    if r is None or got != code:
        print(f"{f}: want {code}, got {got} ({r and r.get('error')})"); bad += 1
g = recs["good.txt"]["features"]
if g["text.words"] != 16 or g["text.sentences"] != 2:
    print("good.txt: words/sentences", g["text.words"], g["text.sentences"]); bad += 1
if "text.minhash" not in recs["good.txt"]["descriptors"]:
    print("good.txt: no minhash"); bad += 1
sys.exit(1 if bad else 0)
PY

# lexicon mine / check / apply
mkdir -p "$tmp/ai" "$tmp/human"
for i in 1 2 3 4 5 6; do
  printf 'Then Elara felt the tapestry of fate shimmer. Story %s began in a quiet village.\n' "$i" > "$tmp/ai/$i.txt"
  printf 'Old Bob fixed the gravel road again. Day %s, rain, mud and a broken spade.\n' "$i" > "$tmp/human/$i.txt"
done
"$KITSCH" lexicon mine --human "$tmp/human" --ai "$tmp/ai" --alpha0 10 -o "$tmp/lex.tsv" 2>/dev/null
grep -q "^word	tapestry	1	" "$tmp/lex.tsv" || { echo "tapestry not mined"; cat "$tmp/lex.tsv"; exit 1; }
grep -q "^name	elara	1	" "$tmp/lex.tsv" || { echo "elara not mined as a name"; cat "$tmp/lex.tsv"; exit 1; }
"$KITSCH" lexicon check "$tmp/lex.tsv" | grep -q "words"
if "$KITSCH" lexicon mine --human "$tmp/human" --ai "$tmp/ai" -o "$tmp/lex.tsv" 2>/dev/null; then
  echo "overwrote without --force"; exit 1
fi
printf 'bogus\tline\n' > "$tmp/badlex.tsv"
if "$KITSCH" lexicon check "$tmp/badlex.tsv" 2>/dev/null; then echo "bad lexicon accepted"; exit 1; fi
# --lexicon is read inside the workers: run unsandboxed unless the engine
# preloads it (ks_text_prepare) before seccomp.
"$KITSCH" analyze -q --no-sandbox --lexicon "$tmp/lex.tsv" -o "$tmp/l.jsonl" "$tmp/ai/1.txt" "$tmp/human/1.txt"
python3 - "$tmp/l.jsonl" <<'PY'
import json, sys
r = {x["path"].split("/")[-2]: x for x in map(json.loads, open(sys.argv[1]))}
a, h = r["ai"]["features"]["text.lexicon_per_1k"], r["human"]["features"]["text.lexicon_per_1k"]
assert a > h, (a, h)
assert "lex.tsv" in r["ai"]["info"]["text.lexicon"]
PY

# kitsch set: a templated set is more homogeneous than a varied one
mkdir -p "$tmp/sets/templated" "$tmp/sets/varied"
words=(river stone lantern copper violet harbor meadow thunder saddle pepper orchard velvet candle
  glacier monkey pencil marble falcon cactus tundra biscuit anchor trumpet walnut hammock comet)
for i in $(seq 1 8); do
  printf 'Once upon a time, in a small village, there lived a girl named Lily. Every day she walked to the %s and every day she was happy. One day she found a %s, and she learned that the true meaning of life was kindness. And so, every day, Lily was happy.\n' \
    "${words[$i]}" "${words[$((i + 8))]}" > "$tmp/sets/templated/$i.txt"
  s=""
  for j in $(seq 1 60); do s="$s ${words[$(( (i * 7 + j * j * 3 + j * i) % 26 ))]}"; done
  printf 'Story %s.%s.\n' "$i" "$s" > "$tmp/sets/varied/$i.txt"
done
"$KITSCH" analyze -q -o "$tmp/s.jsonl" "$tmp/sets"
"$KITSCH" set --format json "$tmp/s.jsonl" > "$tmp/set.json"
python3 - "$tmp/set.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
v = {s["set"].rstrip("/").split("/")[-1]: s["metrics"] for s in d["sets"]}
for m in ["text.self_repetition", "text.shared3_share", "text.dup_opening_share"]:
    t, r = v["templated"][m]["value"], v["varied"][m]["value"]
    assert t > r, (m, t, r)
PY
echo "test_text_cli: ok"
