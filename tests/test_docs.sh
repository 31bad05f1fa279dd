#!/bin/bash
# test_docs.sh - docs/features.md must equal `kitsch features --markdown`
# (the registry is the one source; regenerate with the command below).
set -u
K=${KITSCH:?}
S=${KS_SRC:?}
if ! diff -u "$S/docs/features.md" <("$K" features --markdown) > /tmp/ks-docs.diff; then
    head -40 /tmp/ks-docs.diff
    echo "FAILED: docs/features.md is stale: run  build/tools/kitsch features --markdown > docs/features.md"
    exit 1
fi
# every command in the dispatcher has help that shows its usage
for c in $("$K" --help | awk '/^Commands:/{f=1;next} f&&/^  [a-z]/{print $1} /^$/{if(f)exit}'); do
    [ "$c" = help ] && continue
    "$K" help "$c" | grep -q "Usage:" || { echo "FAILED: kitsch help $c has no Usage line"; exit 1; }
done
echo "ok: docs/features.md matches the registry; every command has help"
