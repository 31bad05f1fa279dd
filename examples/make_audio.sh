#!/bin/bash
# make_audio.sh - generate a few short audio examples into
# examples/generated/audio/ (gitignored; < 1 MB in all):
#   tune_piano.ogg   a melody written here in ABC, rendered with abc2midi +
#                    fluidsynth (GM piano): exact notes in tune.mid
#   tune_flute.ogg   the same melody on a GM flute
#   loop.ogg         a 2-bar riff repeated 8 times (maximal repetition)
#   tone.flac        a synthesized 997 Hz sine, peak -20 dBFS (lavfi's sine peaks
#                    at 1/8, then -1.938 dB), mono: BS.1770 gives -3.01 - 20 =
#                    -23.0 LUFS (a loudness reference)
# The score of the tune (tune.abc, tune.mid) goes to generated/audio-score/.
# Needs the Debian packages abcmidi, fluidsynth, fluid-soundfont-gm, ffmpeg.
# Then: kitsch analyze examples/generated/audio -o audio.jsonl
#       kitsch notes examples/generated/audio/tune_piano.ogg
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=$here/generated/audio
score=$here/generated/audio-score
sf2=/usr/share/sounds/sf2/FluidR3_GM.sf2
mkdir -p "$out" "$score"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# An original tune in D major (written for kitsch; no copyright concerns).
cat > "$score/tune.abc" <<'ABC'
X:1
T:Kitsch example tune
M:3/4
L:1/8
Q:1/4=120
K:D
A2 | d2 f2 e2 | d4 A2 | B2 d2 c2 | B4 G2 | A2 F2 D2 | E2 G2 B2 | A6- | A4 A2 |
d2 f2 a2 | g2 f2 e2 | f2 d2 B2 | c2 e2 g2 | f2 e2 d2 | c2 B2 c2 | d6- | d4 |]
ABC
abc2midi "$score/tune.abc" -o "$score/tune.mid" >/dev/null
fluidsynth -ni -q -g 0.6 -r 44100 -F "$tmp/p.wav" "$sf2" "$score/tune.mid" >/dev/null
sed '/^K:/a %%MIDI program 73' "$score/tune.abc" > "$tmp/f.abc"
abc2midi "$tmp/f.abc" -o "$tmp/f.mid" >/dev/null
fluidsynth -ni -q -g 0.6 -r 44100 -F "$tmp/f.wav" "$sf2" "$tmp/f.mid" >/dev/null

# A riff with a bass and a chord, looped: the most repetitive song possible.
printf 'X:2\nT:loop\nM:4/4\nL:1/8\nQ:1/4=110\nK:Am\n%s\n' \
    "$(for i in 1 2 3 4 5 6 7 8; do printf '[A,2E2] c2 B2 A2 | [F,2C2] A2 G2 E2 | '; done)|]" > "$tmp/loop.abc"
abc2midi "$tmp/loop.abc" -o "$tmp/loop.mid" >/dev/null
fluidsynth -ni -q -g 0.6 -r 44100 -F "$tmp/loop.wav" "$sf2" "$tmp/loop.mid" >/dev/null

ffmpeg -v error -y -i "$tmp/p.wav" -ac 1 -ar 22050 -c:a libvorbis -q:a 2 "$out/tune_piano.ogg"
ffmpeg -v error -y -i "$tmp/f.wav" -ac 1 -ar 22050 -c:a libvorbis -q:a 2 "$out/tune_flute.ogg"
ffmpeg -v error -y -i "$tmp/loop.wav" -ac 1 -ar 22050 -c:a libvorbis -q:a 2 "$out/loop.ogg"
ffmpeg -v error -y -f lavfi -i "sine=frequency=997:sample_rate=22050:duration=4" -af "volume=-1.938dB" -c:a flac "$out/tone.flac"
du -sh "$out"
