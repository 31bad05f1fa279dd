#!/bin/bash
# setup.sh - install kitsch's Debian packages, build it into build/, and
# generate the media examples (examples/generated/). Run as root (or with
# sudo) for the package step; set KS_NO_APT=1 to skip it.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${KS_NO_APT:-0}" != 1 ]; then
    SUDO=""
    [ "$(id -u)" = 0 ] || SUDO=sudo
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    # shellcheck disable=SC2046
    $SUDO apt-get install -y -qq --no-install-recommends $(grep -v '^#' tools/deps-debian.txt) > /dev/null
fi
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --build build -j"$(nproc)" > /dev/null
for s in examples/make_*.sh; do
    [ -e "$s" ] && bash "$s"
done
echo "built: build/tools/kitsch  ($(build/tools/kitsch --version | head -1))"
