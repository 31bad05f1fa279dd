#!/usr/bin/env python3
"""malformed.py SEEDS OUT - build the malformed-input corpus of
tests/test_reliability.sh from the valid seeds of make_seeds.sh.

Writes OUT/in/ (the folder kitsch walks), OUT/list.txt (extra inputs given
via --files-from: fifos, devices, directories) and OUT/expect.tsv with one
line per input:  path <TAB> allowed codes (comma-separated) <TAB> kind
kind is "bad" (a malformed input: must give ONE error record with one of the
listed specific codes; these are the ones counted against the >= 60 target)
or "robust" (valid or borderline input: any outcome but internal, crashed,
timeout or memory).  Everything is synthesised here; no data is copied.
"""
import os
import random
import struct
import subprocess
import sys
import zlib

SEEDS, OUT = sys.argv[1], sys.argv[2]
IN = os.path.join(OUT, "in")
os.makedirs(IN, exist_ok=True)
expect = []
rng = random.Random(8)


def put(name, data, codes, kind="bad"):
    p = os.path.join(IN, name)
    with open(p, "wb") as f:
        f.write(data)
    expect.append((p, codes, kind))


def seed(rel):
    with open(os.path.join(SEEDS, rel), "rb") as f:
        return f.read()


def garbage(n):
    return bytes(rng.getrandbits(8) for _ in range(n))


def png_chunk(typ, data):
    return struct.pack(">I", len(data)) + typ + data + struct.pack(">I", zlib.crc32(typ + data) & 0xFFFFFFFF)


def png(w, h, bitdepth, color, idat):
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, bitdepth, color, 0, 0, 0))
            + png_chunk(b"IDAT", idat) + png_chunk(b"IEND", b""))


def wav(channels, rate, bits, fmt_tag, data, data_len=None):
    block = channels * bits // 8
    fmt = struct.pack("<HHIIHH", fmt_tag, channels, rate, (rate * block) & 0xFFFFFFFF, block & 0xFFFF, bits)
    dl = len(data) if data_len is None else data_len
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", dl) + data
    return b"RIFF" + struct.pack("<I", len(body) & 0xFFFFFFFF) + body


# seed -> (codes for a cut inside the header, codes for a cut at half, kind of
# the half cut). A cut at half is "robust" where the format cannot tell: MP3
# and Ogg are self-synchronising streams with no declared length, and WAV and
# FLAC/AVI decoders legitimately measure the frames that are there (a WAV
# whose data chunk overstates its size is common in the wild). Ogg cut at half
# ends in the middle of a page: FFmpeg says "End of file", i.e. truncated.
HEAD = "truncated,decode,format"
FORMATS = {
    "image/s.jpg": (HEAD, "truncated", "bad"),
    "image/s.png": (HEAD, "truncated", "bad"),
    "image/s.webp": (HEAD, "truncated", "bad"),
    "image/s.bmp": (HEAD, "truncated", "bad"),  # pixel array size is known from the header
    "image/s.gif": ("format", "format", "bad"),  # GIF is refused outright (image issue)
    "audio/s.wav": (HEAD, "ok,truncated", "robust"),
    "audio/s.flac": (HEAD, "ok,truncated,decode", "robust"),  # frames that are there decode
    "audio/s.ogg": (HEAD, "ok,truncated,decode", "robust"),
    "audio/s.mp3": (HEAD, "ok,truncated,decode", "robust"),
    "audio/s.m4a": (HEAD, "truncated,format,decode", "bad"),  # moov at the end: gone
    "video/s.mp4": (HEAD, "truncated,format,decode", "bad"),
    "video/s.mkv": (HEAD, "truncated,decode,too_short", "bad"),
    "video/s.webm": (HEAD, "truncated,decode,too_short", "bad"),
    "video/s.avi": (HEAD, "ok,truncated,decode", "robust"),
}

# ---- truncated files of every format: inside the header, and at half ----
for rel, (head_codes, half_codes, half_kind) in FORMATS.items():
    d = seed(rel)
    fmt = os.path.splitext(rel)[1][1:]
    put(f"trunc-head.{fmt}", d[:40], head_codes)
    put(f"trunc-half.{fmt}", d[: len(d) // 2], half_codes, half_kind)

# ---- zero-length, under every kind of name ----
for name in ["empty.jpg", "empty.png", "empty.wav", "empty.mp3", "empty.mp4", "empty.mkv", "empty.txt", "empty"]:
    put(name, b"", "empty")

# ---- wrong extension: content that is not what the name says ----
put("noise.jpg", garbage(3000), "format")
put("noise.wav", garbage(3000), "format,decode")
put("noise.mp4", garbage(3000), "format,decode")
put("hello.png", b"Hello, this is plain text pretending to be a PNG.\n", "format")
put("hello.flac", b"Hello, this is plain text pretending to be a FLAC file.\n" * 20, "format,decode")
# valid files under a lying name are measured as what they are (magic wins)
put("really-a-png.wav", seed("image/s.png"), "ok", "robust")
put("really-a-wav.jpg", seed("audio/s.wav"), "ok", "robust")

# ---- a magic number followed by garbage ----
put("magic.png", b"\x89PNG\r\n\x1a\n" + garbage(600), "decode")
put("magic.jpg", b"\xff\xd8\xff\xe0" + garbage(600), "decode,truncated")  # not "limit": nothing large is declared
put("magic.webp", b"RIFF\x00\x01\x00\x00WEBPVP8 " + garbage(600), "decode,truncated")
put("magic.bmp", b"BM" + garbage(600), "decode,limit,truncated")
put("magic.psd", b"8BPS" + garbage(600), "decode,limit,format,truncated")
put("magic.hdr", b"#?RADIANCE\n" + garbage(600), "decode,limit,truncated")
put("magic.wav", b"RIFF\x00\x01\x00\x00WAVE" + garbage(600), "decode,format")
put("magic.flac", b"fLaC" + garbage(600), "decode,format")
put("magic.mp3", b"ID3\x03\x00\x00\x00\x00\x00\x00" + garbage(600), "decode,format,no_stream")
put("magic.ogg", b"OggS" + garbage(600), "decode,format,no_stream")
put("magic.mid", b"MThd" + garbage(600), "decode,format,too_short")
put("magic.mp4", b"\x00\x00\x00\x18ftypisom" + garbage(600), "decode,format,no_stream")
put("magic.mkv", b"\x1a\x45\xdf\xa3" + garbage(600), "decode,format,no_stream")
put("magic.avi", b"RIFF\x00\x01\x00\x00AVI " + garbage(600), "decode,format,no_stream")
put("magic.ppm", b"P6\n" + garbage(600), "decode")  # not "limit": nothing large is declared

# ---- huge declared dimensions ----
put("huge.png", png(60000, 60000, 8, 2, zlib.compress(b"\0" * 4096)), "limit")
j = bytearray(seed("image/s.jpg"))
i = j.find(b"\xff\xc0")
struct.pack_into(">HH", j, i + 5, 60000, 60000)
put("huge.jpg", bytes(j), "limit")
b = bytearray(seed("image/s.bmp"))
struct.pack_into("<ii", b, 18, 60000, 60000)
put("huge.bmp", bytes(b), "limit")
w = bytearray(seed("image/s.webp"))
i = w.find(b"\x9d\x01\x2a")
struct.pack_into("<HH", w, i + 3, 16383, 16383)
put("huge.webp", bytes(w), "limit")
put("huge.ppm", b"P6\n60000 60000\n255\n" + garbage(1000), "limit")
put("overflow.ppm", b"P6\n# width overflows an int\n7000000000 1\n255\n" + garbage(100), "decode")  # stb would overflow its int (UB)
put("huge.gif", b"GIF89a" + struct.pack("<HH", 60000, 60000) + b"\x00\x00\x00" + b";", "format")

def ffmpeg(args, out):
    subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-y"] + args + [out], check=True)

# Video 20000x20000 and 12000x12000: a 256x256 raw-video frame whose
# container claims more. At 20000x20000 libavformat itself refuses the size
# (av_image_check_size) and reports 0x0, so "decode" is honest there; at
# 12000x12000 the size passes FFmpeg and must hit kitsch's own pixel cap.
raw_mkv = os.path.join(OUT, "raw.mkv")
raw_avi = os.path.join(OUT, "raw.avi")
src = ["-f", "lavfi", "-i", "color=gray:size=256x256:rate=1", "-frames:v", "1", "-c:v", "rawvideo", "-pix_fmt", "gray"]
ffmpeg(src, raw_mkv)
ffmpeg(src, raw_avi)
for side, codes in ((20000, "limit,decode"), (12000, "limit")):
    m = bytearray(open(raw_mkv, "rb").read())
    for tag in (b"\xb0\x82\x01\x00", b"\xba\x82\x01\x00"):  # PixelWidth, PixelHeight = 256
        i = m.find(tag)
        assert i >= 0, tag
        struct.pack_into(">H", m, i + 2, side)
    put(f"huge{side}.mkv", bytes(m), codes)
    a = bytearray(open(raw_avi, "rb").read())
    i = a.find(b"avih")
    struct.pack_into("<II", a, i + 8 + 32, side, side)
    i = a.find(b"strf")
    struct.pack_into("<ii", a, i + 12, side, side)
    put(f"huge{side}.avi", bytes(a), codes)
os.unlink(raw_mkv)
os.unlink(raw_avi)

# ---- decompression bombs ----
# 30000 x 30000 1-bit PNG of zeros: 112 MB of scanlines in ~110 KB.
rows = 30000
line = b"\0" * (1 + 30000 // 8)
c = zlib.compressobj(9)
idat = b"".join(c.compress(line * 1000) for _ in range(rows // 1000)) + c.flush()
put("bomb-zeros.png", png(30000, 30000, 1, 0, idat), "limit")
# the classic 43-byte GIF: 65535 x 65535 screen, one tiny LZW stream
gif = (b"GIF89a" + struct.pack("<HH", 65535, 65535) + b"\x00\x00\x00" + b"," + struct.pack("<HHHH", 0, 0, 65535, 65535)
       + b"\x00" + b"\x02\x02\x44\x01\x00" + b";")
put("bomb43.gif", gif + b"\0" * max(0, 43 - len(gif)), "format")
# under the pixel budget but large once decoded (96 MP): measured or refused, never a crash
rows = 8000
line = b"\0" * (1 + 12000 // 8)
c = zlib.compressobj(9)
idat = b"".join(c.compress(line * 1000) for _ in range(rows // 1000)) + c.flush()
put("bomb-96mp.png", png(12000, 8000, 1, 0, idat), "ok,limit,memory", "robust")

# ---- audio: impossible parameters and non-finite samples ----
sine = b"".join(struct.pack("<h", int(8000 * ((i * 37) % 200 - 100) / 100)) for i in range(16000))
put("zero-channels.wav", wav(0, 8000, 16, 1, sine), "limit,decode,no_stream")  # FFmpeg drops a 0-channel stream
put("zero-rate.wav", wav(1, 0, 16, 1, sine), "limit,decode,format")  # both libraries refuse the header
put("huge-rate.wav", wav(1, 4000000000, 16, 1, sine), "limit,decode,format")
put("many-channels.wav", wav(4096, 8000, 16, 1, sine * 4), "limit,decode,format")
fl = [0.3 * ((i % 40) - 20) / 20 for i in range(16000)]
put("nan.wav", wav(1, 8000, 32, 3, struct.pack("<16000f", *[float("nan")] * 16000)), "bad_value")
put("inf.wav", wav(1, 8000, 32, 3, struct.pack("<16000f", *[float("inf")] * 16000)), "bad_value")
fl2 = list(fl)
fl2[9000] = float("nan")
put("one-nan.wav", wav(1, 8000, 32, 3, struct.pack("<16000f", *fl2)), "bad_value")
fl3 = list(fl)
fl3[100] = float("-inf")
put("one-inf64.wav", wav(1, 8000, 64, 3, struct.pack("<16000d", *fl3)), "bad_value")
put("data-overstated.wav", wav(1, 8000, 16, 1, sine, data_len=0x7FFFFFF0), "ok,truncated", "robust")
put("short.wav", wav(1, 8000, 16, 1, sine[:800]), "too_short")

# ---- text ----
put("latin1.txt", "Café crème, naïve façade.\n".encode("latin-1"), "encoding")
put("nul.txt", b"Some words\0and a NUL byte.\n", "encoding")
# the BOM FF FE also looks like an MPEG audio frame sync: "format" (as audio) is acceptable
put("utf16.txt", "\ufeffA story in UTF-16 with a byte order mark.\n".encode("utf-16-le"), "encoding,format")
put("overlong.txt", b"An overlong slash \xc0\xaf here.\n", "encoding")
put("surrogate.txt", b"A lone surrogate \xed\xa0\x80 here.\n", "encoding")
put("cut-utf8.txt", b"Ends inside a character caf\xc3", "encoding")
put("beyond-unicode.txt", b"Past U+10FFFF \xf4\x90\x80\x80 here.\n", "encoding")
put("five-byte.txt", b"Five-byte form \xf8\x88\x80\x80\x80 here.\n", "encoding")
put("binary.txt", garbage(2000), "encoding")
put("too-large.txt", b"a" * (65 << 20), "too_large")  # one 65 MiB line, over the 64 MiB text cap
put("long-word.txt", b"b" * (4 << 20), "ok,too_short", "robust")  # a 4 MiB single word
put("long-line.txt", b"the cat sat on the mat " * 50000 + b".\n", "ok", "robust")  # a 1.1 MB line
put("whitespace.txt", b" \n\t\n" * 100, "too_short,empty")
put("controls.txt", b"\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f" * 50, "too_short,format,encoding")  # valid UTF-8, no words

# ---- symlink loops and friends ----
def link(name, target, codes, kind="bad"):
    p = os.path.join(IN, name)
    os.symlink(target, p)
    expect.append((p, codes, kind))

link("loop-self.txt", "loop-self.txt", "io")
link("loop-a.txt", "loop-b.txt", "io")
link("loop-b.txt", "loop-a.txt", "io")
link("dangling.jpg", "no-such-file.jpg", "not_found")
# nested directory loops: walked once, never entered again, no records
os.makedirs(os.path.join(IN, "d1", "d2", "d3"))
os.symlink("../../..", os.path.join(IN, "d1", "d2", "d3", "up"))
os.symlink("../../d1", os.path.join(IN, "d1", "d2", "again"))
os.symlink(os.path.join(IN, "d1"), os.path.join(IN, "d1", "d2", "d3", "abs"))
put("d1/d2/d3/deep.txt", b"A file deep inside looping folders. It is found once.\n", "ok", "robust")
# a fifo inside a folder is not an input (no record, and no hang)
os.mkfifo(os.path.join(IN, "d1", "pipe.txt"))

# ---- inputs given by list: fifo, device, directory ----
lst = []
fifo = os.path.join(OUT, "listed.fifo")
os.mkfifo(fifo)
for p in [fifo, "/dev/zero", os.path.join(IN, "d1")]:
    lst.append(p)
    expect.append((p, "not_a_file", "bad"))
with open(os.path.join(OUT, "list.txt"), "w") as f:
    f.write("\n".join(lst) + "\n")

with open(os.path.join(OUT, "expect.tsv"), "w") as f:
    for p, codes, kind in expect:
        f.write(f"{p}\t{codes}\t{kind}\n")
print(f"{sum(k == 'bad' for _, _, k in expect)} malformed + {sum(k == 'robust' for _, _, k in expect)} robustness inputs")
