#!/bin/bash
# test.sh [BUILD]: the whole `make test`. Tiers, each item one test:
#   1. unit tests: every BUILD/tests/test_* host binary;
#   1a. the fuzz harnesses: each replays its corpus and regressions, then
#      a short run from a fixed seed (tools/fuzz.sh quick);
#   1b. the bench smoke run and the instruction budget of the exit path
#      (tools/bench/budget.sh against tests/perf-budget.tsv);
#   2. the no-SSE check: the core's code uses no SSE/AVX/MMX register or
#      instruction (guests use SSE and the core does not save their state);
#   3. the layout: every #include follows tools/rooms.txt with no loop of
#      modules (tools/check-rooms.sh), and every header compiles on its own
#      (make header-check);
#   4. the config checker: every configs/*.dts passes against an ESP made
#      by mkesp.sh, every tests/checker/*.dts fails with the message on its
#      first line ("// expect: <text>");
#   5. system scenarios: every tests/system/*.dts booted by run-scenario.sh
#      on each vendor, two at a time: in QEMU (AMD SVM) first, then in Bochs
#      (Intel VT-x); "hostile" and "hostile (intel)" are two tests.
# Ends with the line "N passed, N failed"; exits 1 if anything failed.
# Set SCENARIOS="name ..." to run only some scenarios, SKIP_SYSTEM=1 for none,
# VENDORS=amd (or intel) for one vendor only (default "amd intel"), JOBS=N to
# run N emulators at a time (default 2). A scenario whose .expect says
# bochs-skip is reported as SKIP, counted neither passed nor failed.
set -u

BUILD=${1:-${BUILD:-build}}
root=$(cd -- "$(dirname -- "$0")/.." && pwd)
cd -- "$root" || exit 1
passed=0
failed=0
failures=()

pass() { passed=$((passed + 1)); echo "PASS $1"; }
fail() { failed=$((failed + 1)); failures+=("$1"); echo "FAIL $1${2:+: $2}"; }

echo "== unit tests"
units=0
for t in "$BUILD"/tests/test_*; do
	[ -f "$t" ] && [ -x "$t" ] || continue
	units=$((units + 1))
	name=$(basename -- "$t")
	output=$(timeout 300 "$t" 2>&1)
	status=$?
	summary=$(printf '%s\n' "$output" | grep -E '[0-9]+ passed, [0-9]+ failed' | tail -n 1)
	if [ "$status" -eq 0 ] && [ -n "$summary" ] && ! [[ $summary =~ [^0-9]0*[1-9][0-9]*\ failed ]]; then
		pass "$name ($summary)"
	else
		printf '%s\n' "$output" | tail -n 40
		fail "$name" "exit status $status${summary:+, $summary}"
	fi
done
[ "$units" -gt 0 ] || fail "unit-tests" "no $BUILD/tests/test_* binary"

# `make bench` still runs: tools/bench/bench.sh in quick mode (three short
# QEMU boots, output in $BUILD/bench-smoke). The benchmarks are `make bench`.
if [ "${SKIP_SYSTEM:-0}" = 1 ]; then
	echo "(bench smoke test skipped: SKIP_SYSTEM=1)"
else
	output=$(BENCH_QUICK=1 timeout 600 tools/bench/bench.sh "$BUILD" 2>&1)
	if [ $? -eq 0 ]; then
		pass "bench-smoke (make bench runs)"
	else
		printf '%s\n' "$output" | tail -n 30
		fail "bench-smoke" "BENCH_QUICK=1 tools/bench/bench.sh failed"
	fi
	# The smoke run's per-exit counts are make bench's (deterministic):
	# each is held to its limit in tests/perf-budget.tsv.
	output=$(tools/bench/budget.sh "$BUILD/bench-smoke" tests/perf-budget.tsv 2>&1)
	if [ $? -eq 0 ]; then
		pass "perf-budget ($(printf '%s' "$output" | tr '\n' ';' | sed 's/;$//; s/;/, /g'))"
	else
		printf '%s\n' "$output"
		fail "perf-budget" "a hypervisor instruction count is over tests/perf-budget.tsv"
	fi
fi

echo "== fuzz harnesses (replay and a short bounded run)"
# tools/fuzz.sh: each harness replays its regressions and corpus, then
# fuzzes from a fixed seed for a bounded number of executions.
fuzzed=0
while IFS= read -r line; do
	case $line in
	"PASS "*) fuzzed=$((fuzzed + 1)); pass "${line#PASS }" ;;
	"FAIL "*) fuzzed=$((fuzzed + 1)); fail "${line#FAIL }" ;;
	*) echo "$line" ;;
	esac
done < <(tools/fuzz.sh "$BUILD" quick 2>&1)
[ "$fuzzed" -gt 0 ] || fail "fuzz" "no $BUILD/fuzz/fuzz_* harness"
echo "== no SSE in the core"
core=$BUILD/core.elf
if [ ! -f "$core" ]; then
	fail "no-sse" "$core not built"
else
	# Any use of an xmm/ymm/zmm/mm register, or an SSE/AVX instruction that
	# names none (MXCSR access, non-temporal GPR stores, ...). Reported with
	# the function it is in.
	hits=$(objdump -d --no-show-raw-insn "$core" | awk '
		/^[0-9a-f]+ <.*>:$/ { fn = $2 }
		/^ *[0-9a-f]+:/ {
			line = $0
			sub(/^ *[0-9a-f]+:[ \t]*/, "", line)
			split(line, w, /[ \t]+/)
			m = w[1]
			if (line ~ /%[xyz]mm[0-9]/ || line ~ /%mm[0-7]/ ||
			    m ~ /^(ldmxcsr|stmxcsr|vldmxcsr|vstmxcsr|movnti|movaps|movups|movapd|movupd|movdqa|movdqu|movntdq|movntps|pxor|por|pand|pandn|paddq|psubq|pshufd|punpck[a-z]+|cvt[a-z0-9]+|sqrt[sp][sd]|vzeroupper|vzeroall|emms|xorps|xorpd|andps|andpd)$/)
				print fn " " line
		}')
	if [ -z "$hits" ]; then
		pass "no-sse"
	else
		printf '%s\n' "$hits" | head -n 20
		fail "no-sse" "$(printf '%s\n' "$hits" | wc -l) SSE/AVX instructions in $core"
	fi
fi

echo "== layout"
output=$(tools/check-rooms.sh 2>&1)
if [ $? -eq 0 ]; then
	pass "rooms ($output)"
else
	printf '%s\n' "$output" | head -n 40
	fail "rooms" "an include breaks tools/rooms.txt (tools/check-rooms.sh)"
fi
output=$(make -s --no-print-directory BUILD="$BUILD" header-check 2>&1)
if [ $? -eq 0 ]; then
	pass "headers (${output#header-check: })"
else
	printf '%s\n' "$output" | head -n 40
	fail "headers" "a header does not compile on its own (make header-check)"
fi

echo "== config checker"
checker=$BUILD/tools/bulkhead-check
esp=$BUILD/esp-check
dtb=$BUILD/tests/esp-check.dtb
mkdir -p -- "$BUILD/tests"
if [ ! -x "$checker" ]; then
	fail "checker" "$checker not built"
elif ! dtc -q -I dts -O dtb -o "$dtb" configs/default.dts ||
	! tools/mkesp.sh "$esp" "$dtb" > /dev/null 2>&1; then
	fail "checker" "cannot make the ESP $esp (tools/mkesp.sh)"
else
	for f in configs/*.dts; do
		[ -f "$f" ] || continue
		output=$("$checker" --cpus 4 --memory 1G --root "$esp/bulkhead" "$f" 2>&1)
		if [ $? -eq 0 ]; then
			pass "checker $f"
		else
			printf '%s\n' "$output"
			fail "checker $f" "rejected"
		fi
	done
	for f in tests/checker/*.dts; do
		[ -f "$f" ] || continue
		want=$(head -n 1 -- "$f" | sed -n 's#^// *expect: *##p')
		if [ -z "$want" ]; then
			fail "checker $f" "first line is not '// expect: <text>'"
			continue
		fi
		output=$("$checker" --cpus 4 --memory 1G --root "$esp/bulkhead" "$f" 2>&1)
		status=$?
		if [ "$status" -eq 1 ] && printf '%s\n' "$output" | grep -qF -- "$want"; then
			pass "checker $f (refused)"
		else
			printf '%s\n' "$output"
			fail "checker $f" "expected exit 1 and '$want', got exit $status"
		fi
	done
fi

jobs=${JOBS:-2}
vendors=${VENDORS:-amd intel}
skipped=0
echo "== system scenarios ($vendors; $jobs at a time)"
if [ "${SKIP_SYSTEM:-0}" = 1 ]; then
	echo "(skipped: SKIP_SYSTEM=1)"
else
	scenarios=()
	if [ -n "${SCENARIOS:-}" ]; then
		for s in $SCENARIOS; do scenarios+=("tests/system/${s%.dts}.dts"); done
	else
		for s in tests/system/*.dts; do [ -f "$s" ] && scenarios+=("$s"); done
	fi
	# One run per scenario and vendor, all QEMU runs first: "VENDOR PATH".
	runs=()
	for v in $vendors; do
		case $v in
		amd | intel) ;;
		*) fail "VENDORS" "unknown vendor '$v' (amd, intel)"; continue ;;
		esac
		for s in "${scenarios[@]}"; do runs+=("$v $s"); done
	done
	results=$BUILD/tests/system/results
	rm -rf -- "$results" && mkdir -p -- "$results"
	# Each run writes its full report to results/<name> (<name>.intel for
	# Bochs); its first line (PASS/FAIL/SKIP) is shown as it finishes.
	# Bounded twice: run-scenario.sh's own timeout, and this outer one.
	export BUILD results
	printf '%s\n' "${runs[@]}" | xargs -r -d '\n' -P "$jobs" -I{} bash -c '
		v=${1%% *} s=${1#* }
		n=$(basename -- "$s" .dts)
		if [ "$v" = intel ]; then r=$n.intel l="$n (intel)"; else r=$n l=$n; fi
		timeout -k 10 900 tools/run-scenario.sh --cpu "$v" "$s" "$BUILD" > "$results/$r" 2>&1
		status=$?
		grep -qF -e "PASS $l" -e "FAIL $l" -e "SKIP $l" "$results/$r" ||
			echo "FAIL $l: run-scenario.sh ended with status $status and no verdict" >> "$results/$r"
		grep -m1 -F -e "PASS $l" -e "FAIL $l" -e "SKIP $l" "$results/$r"' _ {}
	for run in "${runs[@]}"; do
		v=${run%% *} s=${run#* }
		n=$(basename -- "$s" .dts)
		if [ "$v" = intel ]; then r=$n.intel l="$n (intel)"; else r=$n l=$n; fi
		if [ -f "$results/$r" ] && grep -qxF "PASS $l" "$results/$r"; then
			passed=$((passed + 1))
		elif [ -f "$results/$r" ] && grep -qF "SKIP $l: " "$results/$r"; then
			skipped=$((skipped + 1))
		else
			failed=$((failed + 1))
			failures+=("scenario $l")
			echo "---- scenario $l"
			if [ -f "$results/$r" ]; then cat -- "$results/$r"; else echo "FAIL $l: no result"; fi
		fi
	done
	[ "$skipped" -eq 0 ] || echo "($skipped scenario runs skipped by bochs-skip)"
fi

echo
# Which Linux the Linux scenarios booted: Debian moves linux-image-amd64,
# and tools/linux-fetch.sh takes whatever it points to on the day.
if [ -f "$BUILD/linux/kernel-release" ]; then
	echo "Linux partitions ran Debian's kernel $(cat -- "$BUILD/linux/kernel-release")"
fi
if [ "$failed" -gt 0 ]; then
	echo "failed:"
	for f in "${failures[@]}"; do echo "  $f"; done
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
