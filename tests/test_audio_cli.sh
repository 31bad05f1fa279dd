#!/bin/bash
# test_audio_cli.sh - the audio analyzer through the CLI on files made here
# with ffmpeg/abcmidi/fluidsynth: the FFmpeg decode path (AAC in M4A, the
# soundtrack of an MP4), a video without audio (no_stream), integrated
# loudness against `ffmpeg -af ebur128` (+-0.1 LU), `kitsch notes` on a
# rendered melody against its MIDI notes.
set -u
K=${KITSCH:?set KITSCH to the kitsch binary}
command -v ffmpeg >/dev/null || { echo "skip: no ffmpeg"; exit 77; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
check() { local what=$1; shift; if "$@"; then echo "ok: $what"; else echo "FAILED: $what"; fail=1; fi; }
field() { # field FILE.jsonl PATH-SUFFIX python-expression-on-r
    python3 -c "
import json,sys
for l in open('$1'):
    r=json.loads(l)
    if r['path'].endswith('$2'): print($3)"
}

ffmpeg -v error -f lavfi -i "sine=frequency=440:duration=6" -f lavfi -i "sine=frequency=660:duration=6" \
    -filter_complex "[0][1]amerge,volume=0.4" -c:a aac -b:a 128k "$T/two.m4a"
ffmpeg -v error -f lavfi -i "anoisesrc=d=8:c=pink:a=0.3" -af "volume='if(lt(t,4),1,0.25)':eval=frame" -c:a libvorbis "$T/noise.ogg" 2>/dev/null \
    || ffmpeg -v error -f lavfi -i "anoisesrc=d=8:c=pink:a=0.3" -c:a flac "$T/noise.flac"
ffmpeg -v error -f lavfi -i testsrc=size=160x120:rate=10:duration=4 -f lavfi -i "sine=frequency=523:duration=4" \
    -c:v mpeg4 -c:a aac -shortest "$T/film.mp4"
ffmpeg -v error -f lavfi -i testsrc=size=160x120:rate=10:duration=3 -c:v mpeg4 "$T/silent.mp4"

"$K" analyze -q --jobs 1 --modality audio "$T/two.m4a" "$T"/noise.* "$T/film.mp4" "$T/silent.mp4" -o "$T/r.jsonl" 2>/dev/null
check "m4a decoded through ffmpeg" [ "$(field "$T/r.jsonl" two.m4a "r['info'].get('audio.decoder','').split(' ')[0]")" = ffmpeg ]
check "mp4 soundtrack analysed" [ "$(field "$T/r.jsonl" film.mp4 "r['status']")" = ok ]
check "mp4 without audio: no_stream" [ "$(field "$T/r.jsonl" silent.mp4 "r['error']['code']")" = no_stream ]
for f in two.m4a film.mp4 $(cd "$T" && ls noise.*); do
    ours=$(field "$T/r.jsonl" "$f" "r['features']['audio.loudness_lufs']")
    ref=$(ffmpeg -nostats -hide_banner -i "$T/$f" -af ebur128 -f null - 2>&1 | awk '/Integrated loudness/{g=1} g && /I:/{print $2; exit}')
    check "$f loudness $ours vs ffmpeg ebur128 $ref (+-0.1 LU)" python3 -c "import sys; sys.exit(abs($ours - ($ref)) > 0.1)"
done

if command -v abc2midi >/dev/null && command -v fluidsynth >/dev/null && [ -f /usr/share/sounds/sf2/FluidR3_GM.sf2 ]; then
    printf 'X:1\nT:scale\nM:4/4\nL:1/4\nQ:1/4=100\nK:C\nC D E F | G A B c | c B A G | F E D C |]\n' > "$T/s.abc"
    abc2midi "$T/s.abc" -o "$T/s.mid" >/dev/null 2>&1
    fluidsynth -ni -q -g 0.6 -r 44100 -F "$T/s.wav" /usr/share/sounds/sf2/FluidR3_GM.sf2 "$T/s.mid" >/dev/null 2>&1
    "$K" notes "$T/s.wav" > "$T/notes.tsv"
    check "notes: the scale's 16 pitches in order" [ "$(grep -v '^#' "$T/notes.tsv" | cut -f4 | tr '\n' ' ')" = "60 62 64 65 67 69 71 72 72 71 69 67 65 64 62 60 " ]
    "$K" notes --beats "$T/s.wav" > "$T/beats.tsv"
    check "beats: a grid near 100 bpm" python3 -c "
import statistics as s
b=[float(l.split('\t')[1]) for l in open('$T/beats.tsv')]
d=s.median([y-x for x,y in zip(b,b[1:])]); print('median beat', d); import sys; sys.exit(not (0.55 < d < 0.65 or 0.27 < d < 0.33 or 1.1 < d < 1.3))"
else
    echo "skip: abcmidi/fluidsynth not installed"
fi
"$K" notes "$T/silent.mp4" >/dev/null 2>&1
check "notes on a file without audio fails with status 1" [ $? -eq 1 ]
exit $fail
