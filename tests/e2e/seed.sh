#!/bin/sh
# Runs the acceptance tests on the shared reference article; skips (77) when ../shared is absent.
seed="$1/../shared/seed/000_0a39d42c6e4d68c6.txt"
if [ ! -f "$seed" ]; then
  echo "reference article not found at $seed: skipped"
  exit 77
fi
exec "$2" "[seed]"
