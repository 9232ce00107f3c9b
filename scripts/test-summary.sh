#!/usr/bin/env bash
# Prints the counts of every test layer that ran, and the total as the last line.
set -euo pipefail
counts=target/test-counts.txt
[ -f "$counts" ] || { echo "no test layer ran"; exit 1; }
echo "== test layers"
awk '{ printf "   %-8s %4d passed, %d failed\n", $1, $2, $3; p += $2; f += $3 }
     END { printf "total: %d passed, %d failed\n", p, f; exit (f > 0 || p == 0) }' "$counts"
