#!/usr/bin/env bash
# Outline detection's cost (issue 14: ≤ 50 ms for a 100–400 KB article, linear in size): the
# median time of split_sections on every corpus article of 100 KB or more, then on one Markdown
# export repeated 1, 2, 4 and 8 times, where ms per 100 KB should stay flat.
#   bench/outline.sh                 (after building: cmake --build build --target inkpack-outline)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
corpus=$top/../shared/corpus
bin=$top/build/inkpack-outline
[[ -x $bin ]] || { echo "build it first: cmake --build build --target inkpack-outline" >&2; exit 1; }
[[ -d $corpus ]] || { echo "no corpus at $corpus" >&2; exit 1; }
mapfile -t large < <(find "$corpus" -type f \( -name '*.md' -o -name '*.html' \) -size +100k | sort)
"$bin" "${large[@]}"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
seed=$(find "$corpus/wechat-md" -name '07-*.md' | head -1)
for n in 1 2 4 8; do
  for ((i = 0; i < n; ++i)); do cat "$seed"; echo; done > "$work/repeated-$n.md"
done
echo
"$bin" "$work"/repeated-{1,2,4,8}.md
