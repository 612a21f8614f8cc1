#!/usr/bin/env bash
# Runs every fuzz target of the project (every `func FuzzX` in a _test.go
# file) with Go's native fuzzing, one after the other, for FUZZTIME each.
#
#   FUZZTIME          how long each target runs (default 60s; CI runs 5s)
#   FUZZMINIMIZETIME  how long a failing input is minimised (default 0: not
#                     at all; Go's minimising of every new interesting input
#                     stalls the fuzzer for its whole duration)
#   FUZZ              run only the targets whose name matches this regexp
#
# Each target starts from its seeds (f.Add) and its committed corpus under
# testdata/fuzz/<target>/, and keeps what it finds interesting in Go's
# cache. An input that fails is written under testdata/fuzz/<target>/ by
# go test: commit it with its fix, and it runs with every `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."

FUZZTIME=${FUZZTIME:-60s}
FUZZMINIMIZETIME=${FUZZMINIMIZETIME:-0}
FUZZ=${FUZZ:-.}
GO=${GO:-go}

targets=$(grep -rEo --include='*_test.go' '^func Fuzz[A-Za-z0-9_]+' --exclude-dir=node_modules --exclude-dir=.data . |
  sed -E 's|^\./(.*)/[^/]+_test.go:func (Fuzz[A-Za-z0-9_]+)$|\1 \2|' | sort -u)
if [ -z "$targets" ]; then
  echo "fuzz: no fuzz targets found" >&2
  exit 1
fi
count=0
while read -r dir target; do
  [[ "$target" =~ $FUZZ ]] || continue
  count=$((count + 1))
  echo "fuzz: ./$dir $target for $FUZZTIME"
  corpus="./$dir/testdata/fuzz/$target"
  for try in 1 2; do
    before=$(ls "$corpus" 2>/dev/null | wc -l)
    if out=$("$GO" test "./$dir" -run '^$' -fuzz "^$target\$" -fuzztime "$FUZZTIME" -fuzzminimizetime "$FUZZMINIMIZETIME" 2>&1); then
      break
    fi
    echo "$out" | grep -v '^fuzz: elapsed' >&2
    if [ "$(ls "$corpus" 2>/dev/null | wc -l)" -gt "$before" ] || [ "$try" = 2 ]; then
      echo "fuzz: $target failed; a failing input, when one was found, is the newest file under $corpus/" >&2
      exit 1
    fi
    # No input was written: the fuzzing engine itself failed (it can, for
    # one, report its own deadline as an error). Run the target again.
    echo "fuzz: $target failed without a failing input; running it again" >&2
  done
  echo "$out" | grep '^fuzz: elapsed' | tail -1
done <<<"$targets"
echo "fuzz: $count targets passed"
