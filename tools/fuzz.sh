#!/bin/bash
# fuzz.sh [BUILD] quick|full: runs every fuzz harness (BUILD/fuzz/fuzz_*,
# built from tests/fuzz/; docs/testing.md "Fuzzing"). Each starts from its
# corpus: the seeds in tests/fuzz/corpus/NAME/, plus, for the config
# parser, every configs/*.dts and tests/system/*.dts compiled by dtc, and
# for the image checks, every guest image the build made (BUILD/guests/
# *.elf) and the Linux kernel's first 64 KiB. First the inputs in
# tests/fuzz/regressions/NAME/ (crashes found before) are replayed one by
# one, then the harness runs from the corpus with a fixed seed: quick
# (make test) for FUZZ_QUICK_RUNS executions (200000), full (make fuzz) for
# FUZZ_RUNS (10 million), keeping what it learns in BUILD/fuzz/corpus-NAME.
# A crash leaves its input in BUILD/fuzz/crashes/ and fails the run. Prints
# one line per harness: "PASS|FAIL fuzz-NAME (executions, coverage,
# executions per second, seconds)".
set -u
BUILD=${1:-build}
mode=${2:-quick}
runs=${FUZZ_QUICK_RUNS:-200000}
[ "$mode" = full ] && runs=${FUZZ_RUNS:-10000000}
root=$(cd -- "$(dirname -- "$0")/.." && pwd)
cd -- "$root" || exit 1
status=0
mkdir -p "$BUILD/fuzz/crashes"
for harness in "$BUILD"/fuzz/fuzz_*; do
	[ -f "$harness" ] && [ -x "$harness" ] || continue
	name=${harness##*/fuzz_}
	corpus=$BUILD/fuzz/corpus-$name
	mkdir -p "$corpus"
	[ -d "tests/fuzz/corpus/$name" ] && cp -f tests/fuzz/corpus/"$name"/* "$corpus"/
	case $name in
	config)
		for dts in configs/*.dts tests/system/*.dts; do
			dtc -q -I dts -O dtb -o "$corpus/$(basename "$dts" .dts).dtb" "$dts" 2>/dev/null
		done ;;
	image)
		for elf in "$BUILD"/guests/*.elf; do
			[ -f "$elf" ] && cp -f "$elf" "$corpus/"
		done
		[ -f "$BUILD/linux/vmlinuz" ] &&
			head -c 65536 "$BUILD/linux/vmlinuz" > "$corpus/vmlinuz-head" ;;
	esac
	log=$BUILD/fuzz/$name.log
	ok=1
	for input in tests/fuzz/regressions/"$name"/*; do
		[ -f "$input" ] || continue
		"$harness" "$input" > "$log" 2>&1 || { ok=0; echo "fuzz-$name: regression $input fails"; }
	done
	start=$(date +%s)
	if [ "$ok" = 1 ] && ! timeout $((runs / 100 + 600)) "$harness" -runs="$runs" -seed=1 \
		-max_len=4096 -artifact_prefix="$BUILD/fuzz/crashes/$name-" \
		-print_final_stats=1 "$corpus" > "$log" 2>&1; then
		ok=0
	fi
	seconds=$(($(date +%s) - start))
	cov=$(grep -a -o 'cov: [0-9]*' "$log" | tail -n 1)
	executed=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
	if [ "$ok" = 1 ]; then
		echo "PASS fuzz-$name (${executed:-?} executions, ${cov:-cov: ?}, ${speed:-?} exec/s, $seconds s)"
	else
		echo "FAIL fuzz-$name (see $log)"
		tail -n 30 "$log"
		status=1
	fi
done
exit $status
