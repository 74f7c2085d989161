#!/usr/bin/env bash
# Runs every fuzz target for DURATION (default 10s) each, one after the
# other, and prints the executions of each. A crasher fails the run; Go
# keeps it under the package's testdata/fuzz/, where it stays as a
# regression seed once fixed.
#
#   scripts/fuzz.sh          # 10s each, as .ci/run does
#   scripts/fuzz.sh 10m      # longer, by hand
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10s}
total=0
status=0
while read -r pkg target; do
	log=$(mktemp)
	if go test -run '^$' -fuzz "^${target}\$" -fuzztime "$duration" -fuzzminimizetime 1s "$pkg" >"$log" 2>&1; then
		result=ok
	else
		result=FAILED
		status=1
		cat "$log"
	fi
	execs=$(grep -o 'execs: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo 0)
	total=$((total + execs))
	printf '%-8s %-40s %-20s %10s execs\n' "$result" "$pkg" "$target" "$execs"
	rm -f "$log"
done < <(grep -rl --include='*_test.go' '^func Fuzz' . | sort | while read -r f; do
	for t in $(grep -o '^func Fuzz[A-Za-z]*' "$f" | cut -d' ' -f2); do
		echo "./$(dirname "${f#./}") $t"
	done
done)
echo "total: $total executions"
exit $status
