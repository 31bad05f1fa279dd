#!/usr/bin/env bash
# test_image_cli.sh - images through the real CLI (sandboxed workers):
# good files in four formats give ok records with image features; the
# malformed inputs of issue 5 give error records with specific codes.
set -euo pipefail
: "${KITSCH:?}"
command -v ffmpeg >/dev/null || { echo "ffmpeg missing: skipped"; exit 77; }
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
ff() { ffmpeg -hide_banner -loglevel error -y "$@"; }
ff -f lavfi -i testsrc2=size=800x600 -frames:v 1 "$T/a.jpg"
ff -f lavfi -i testsrc2=size=200x150 -frames:v 1 "$T/b.png"
ff -f lavfi -i mandelbrot=size=200x150 -frames:v 1 -c:v libwebp "$T/c.webp"
ff -f lavfi -i testsrc2=size=200x150 -frames:v 1 "$T/d.bmp"
head -c 20000 "$T/a.jpg" >"$T/trunc.jpg"
printf 'GIF89a\xff\xff\xff\xff\x80\x00\x00\x00\x00\x00\xff\xff\xff,\x00\x00\x00\x00\xff\xff\xff\xff\x00\x02\x0a\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00;' >"$T/bomb.gif"
"$PY" - "$T" <<'PYEOF'
import struct, sys, zlib
d = sys.argv[1]
def chunk(t, b): return struct.pack('>I', len(b)) + t + b + struct.pack('>I', zlib.crc32(t + b))
def png(w, h, *chunks): return b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0)) + b''.join(chunks) + chunk(b'IEND', b'')
open(d + '/huge.png', 'wb').write(png(60000, 60000))
open(d + '/empty_idat.png', 'wb').write(png(16, 16, chunk(b'IDAT', b'')))
PYEOF
[ "$(wc -c <"$T/bomb.gif")" -eq 43 ] || { echo "GIF bomb is not 43 bytes"; exit 1; }
rc=0
"$KITSCH" analyze --modality image "$T"/*.jpg "$T"/*.png "$T"/*.webp "$T"/*.bmp "$T"/*.gif -o "$T/out.jsonl" || rc=$?
[ "$rc" -eq 1 ] || { echo "kitsch analyze exit $rc, want 1 (some inputs failed)"; exit 1; }
"$PY" - "$T/out.jsonl" <<'PYEOF'
import json, sys
want = {"a.jpg": "ok", "b.png": "ok", "c.webp": "ok", "d.bmp": "ok", "trunc.jpg": "truncated",
        "bomb.gif": "format", "huge.png": "limit", "empty_idat.png": "decode"}
got = {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    name = r["path"].rsplit("/", 1)[1]
    got[name] = r["status"] if r["status"] == "ok" else r["error"]["code"]
    if r["status"] == "ok":
        f = r["features"]
        assert f["image.colorfulness"] > 0, name
        assert 0 <= f["image.edge_density"] <= 1, name
        assert len(r["descriptors"]["image.palette"]) == 24, name
        assert len(r["descriptors"]["image.layout"]) == 64, name
        assert r["info"]["image.format"] in ("jpeg", "png", "webp", "bmp"), name
    else:
        assert r["error"]["message"], name
bad = {k: (v, got.get(k)) for k, v in want.items() if got.get(k) != v}
print("image CLI:", len(got), "records;", "mismatches:", bad)
sys.exit(1 if bad or len(got) != len(want) else 0)
PYEOF
