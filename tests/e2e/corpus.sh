#!/bin/sh
# The shared corpus of real articles (../shared/corpus, labelled by hand): prints each article's
# outline, title and text verdict, and fails when exact outlines, titles or clean texts fall
# below the level reached so far (raise the floors as detection improves, never lower them).
# Skips (77) where ../shared is absent.
floor_outlines=39
floor_titles=39
floor_texts=39
root="$1"
inkpack="$2"
corpus="$root/../shared/corpus"
if [ ! -f "$corpus/score.py" ]; then
  echo "corpus not found at $corpus: skipped"
  exit 77
fi
report=$(cd "$root" && python3 "$corpus/score.py" --inkpack "$inkpack" --text) || { echo "$report"; exit 1; }
echo "$report"
total=$(echo "$report" | grep -c 'recall')
outlines=$(echo "$report" | sed -n 's|^exact outlines: \([0-9]*\)/.*|\1|p')
titles=$(echo "$report" | sed -n 's|.*titles: \([0-9]*\)/.*|\1|p')
texts=$(echo "$report" | grep 'recall' | grep -vc 'missing:\|leaked:')
echo "corpus: $outlines/$total exact outlines (floor $floor_outlines), $titles/$total titles (floor $floor_titles), $texts/$total clean texts (floor $floor_texts)"
[ "$outlines" -ge "$floor_outlines" ] && [ "$titles" -ge "$floor_titles" ] && [ "$texts" -ge "$floor_texts" ]
