#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# make soak: the soak and restart storm at its large size
# (tests/soak/soak-storm.dts: a million rounds of mixed exits on each of
# two partitions, 500 restarts of a third), on the vendors VENDORS names
# (amd, QEMU, by default; "amd intel" adds Bochs, which takes hours). For
# each run it prints the result, the wall time, the exits the run-end
# summary counts over every partition, and the restarts.
# Usage: tools/soak.sh [BUILD]
set -u
BUILD=${1:-build}
VENDORS=${VENDORS:-amd}
tools=$(cd -- "$(dirname -- "$0")" && pwd)
root=$(cd -- "$tools/.." && pwd)
scenario=$root/tests/soak/soak-storm.dts
failed=0

for vendor in $VENDORS; do
	start=$(date +%s)
	"$tools/run-scenario.sh" --cpu "$vendor" "$scenario" "$BUILD" || failed=1
	seconds=$(($(date +%s) - start))
	log=$BUILD/tests/system/soak-storm.log
	[ "$vendor" = intel ] && log=$BUILD/tests/system/soak-storm.intel.log
	exits=$(grep -a 'bulkhead:   .* exits:' "$log" 2>/dev/null |
		grep -o '=[0-9]*' | tr -d = | awk '{ s += $1 } END { print s + 0 }')
	restarts=$(grep -ao 'resources after [0-9]* restarts' "$log" 2>/dev/null |
		grep -o '[0-9]*')
	echo "soak ($vendor): ${exits} exits, ${restarts:-?} restarts, ${seconds} s wall time"
	grep -a 'soak: done:' "$log" 2>/dev/null | sed 's/^.*soak: done:/  rounds:/'
done
exit $failed
