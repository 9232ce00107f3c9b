#!/usr/bin/env bash
# Runs one test layer, shows its output, and records its pass/fail counts for the summary.
# Usage: scripts/test-layer.sh <layer name> <command> [args…]
set -uo pipefail
layer=$1
shift
mkdir -p target
log="target/test-$layer.log"
"$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
# cargo test and wasm-bindgen-test-runner both print "test result: ok. N passed; M failed; …".
passed=$(grep -ohE 'test result: [a-zA-Z]+\. [0-9]+ passed' "$log" | awk '{ s += $4 } END { print s + 0 }')
failed=$(grep -ohE '[0-9]+ failed;' "$log" | awk '{ s += $1 } END { print s + 0 }')
# scripts/schemathesis.sh ends with "schemathesis: N passed, M failed" (test cases).
if grep -qE '^schemathesis: [0-9]+ passed, [0-9]+ failed$' "$log"; then
  passed=$(sed -nE 's/^schemathesis: ([0-9]+) passed.*/\1/p' "$log" | tail -1)
  failed=$(sed -nE 's/^schemathesis: [0-9]+ passed, ([0-9]+) failed$/\1/p' "$log" | tail -1)
fi
if [ "$status" != 0 ] && [ "$failed" = 0 ]; then failed=1; fi
echo "$layer $passed $failed" >> target/test-counts.txt
echo "== $layer: $passed passed, $failed failed"
exit "$status"
