#!/bin/bash
# budget.sh PROFILES BUDGET: holds the hypervisor's instructions per exit,
# as bench.sh's per-function profiles (PROFILES/profile-<metric>.txt, one
# "count function" line each, summed) give them, to the limits of the
# budget file (tests/perf-budget.tsv: metric, limit, description). Prints
# one line per metric, "metric N (limit L)", and exits 1 when a figure is
# over its limit or missing.
set -u
[ $# -eq 2 ] || { echo "usage: $0 PROFILES BUDGET" >&2; exit 2; }
profiles=$1 budget=$2
status=0
while IFS=$'\t' read -r metric limit what; do
	case $metric in "" | "#"*) continue ;; esac
	file=$profiles/profile-$metric.txt
	if [ ! -s "$file" ]; then
		echo "$metric: no figure ($file missing)"
		status=1
		continue
	fi
	figure=$(awk '{ s += $1 } END { printf "%.1f", s }' "$file")
	if awk -v f="$figure" -v l="$limit" 'BEGIN { exit !(f > l) }'; then
		echo "$metric: $figure hypervisor instructions per exit, over the budget of $limit ($what)"
		status=1
	else
		echo "$metric: $figure (limit $limit)"
	fi
done < "$budget"
exit $status
