#!/bin/bash
# bench.sh [BUILD]: the benchmarks of `make bench` (see docs/performance.md).
#
# Boots bench partitions in QEMU TCG (the AMD SVM path) with the
# instruction-counting plugin (insn_count_plugin.c) and, when Bochs is
# installed, in Bochs (the Intel VMX path), plus the native twin of the
# memory workload in both, then prints one table: metric, value, the
# baseline measured in the same run, their ratio, and a note. The table is
# also written to BUILD/bench/results-<UTC time>.txt and latest.txt, and as
# tab-separated values to latest.tsv; the deterministic figures (instruction
# counts, Bochs TSC counts) are compared with the previous latest.tsv.
#
# The exit benchmarks run twice in each emulator and the instruction counts
# of the two runs must be identical (a row per kind says so). Wall-time
# figures (QEMU's TSC follows the host clock) vary from run to run.
#
# Environment: BENCH_QUICK=1 small loop counts, QEMU only, one run each, no
# native baseline and no history, in BUILD/bench-smoke (the smoke test of
# tools/test.sh); BENCH_BOCHS=0 skips Bochs; BENCH_DEVICES=0 skips the
# Linux device figures (tools/bench/linux-devices.sh); BENCH_LINUX_BOOT=0
# skips the Linux boot figures (tools/bench/linux-boot.sh); BENCH_RUNS (2)
# runs of each exit benchmark; QEMU, BOCHS, OVMF_CODE, OVMF_VARS as for
# the other run scripts. Exit status: 0 if every run produced its figures.
set -u

BUILD=${1:-${BUILD:-build}}
root=$(cd -- "$(dirname -- "$0")/../.." && pwd)
cd -- "$root" || exit 1
QUICK=${BENCH_QUICK:-0}
RUNS=${BENCH_RUNS:-2}
USE_BOCHS=${BENCH_BOCHS:-1}
QEMU=${QEMU:-qemu-system-x86_64}
BOCHS=${BOCHS:-bochs}
OVMF_CODE=${OVMF_CODE:-/usr/share/OVMF/OVMF_CODE.fd}
OVMF_VARS=${OVMF_VARS:-/usr/share/OVMF/OVMF_VARS.fd}
MARKERS='end of run:|PANIC|boot aborted|X64 Exception Type'
GRACE_US=3000000
export BOCHS_IPS=${BOCHS_IPS:-50000000}

out=$BUILD/bench
[ "${BENCH_QUICK:-0}" = 1 ] && out=$BUILD/bench-smoke
plugin=$BUILD/tools/bench/insn_count_plugin.so
native=$BUILD/tools/bench/native_memory.efi
core=$BUILD/core.elf
[ "$QUICK" = 1 ] && { RUNS=1; USE_BOCHS=0; }
# No profile of an earlier run may stand for this one (budget.sh reads them).
rm -f -- "$out"/profile-*.txt
[[ $RUNS =~ ^[1-9]$ ]] || { echo "bench: BENCH_RUNS must be 1-9" >&2; exit 2; }

say() { echo "bench: $*" >&2; }
die() { say "$*"; exit 1; }
for f in "$plugin" "$native" "$core" "$BUILD/BOOTX64.EFI"; do
	[ -f "$f" ] || die "$f is not built (run make bench)"
done
mkdir -p -- "$out" || exit 1
work=$(mktemp -d "${TMPDIR:-/tmp}/bulkhead-bench.XXXXXX") || exit 1
child=""
cleanup() {
	[ -n "$child" ] && kill -TERM -- "$child" 2>/dev/null && wait "$child" 2>/dev/null
	rm -rf -- "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
now_us() { local t=${EPOCHREALTIME/[.,]/}; echo "$t"; }
bench_start=$(now_us)
failures=0

# --- Configurations and ESPs. -----------------------------------------------
# esp_for NAME DTS [SED]: an ESP in $work/NAME with the bench config, kept
# as $work/NAME.dts (its args edited by the sed expression in quick mode).
esp_for() {
	local name=$1 dts=$2 edit=${3:-}
	local dtb=$work/$name.dtb
	sed -e "${edit:-p;d}" -- "$dts" > "$work/$name.dts" || return 1
	[ -n "$edit" ] || cp -- "$dts" "$work/$name.dts" || return 1
	dtc -q -I dts -O dtb -o "$dtb" "$work/$name.dts" || return 1
	BUILD=$BUILD tools/mkesp.sh "$work/$name" "$dtb" > /dev/null || return 1
}
native_esp() {
	mkdir -p -- "$work/native/EFI/BOOT" &&
		cp -- "$native" "$work/native/EFI/BOOT/BOOTX64.EFI"
}

# --- Emulator runs. -----------------------------------------------------------
# watch PID LOG FIRST LIMIT: polls LOG until the process ends, a terminal
# marker is GRACE old, or LIMIT seconds pass; sets first_s (seconds from
# start to the first line matching FIRST, or "") and killed.
watch() {
	local pid=$1 log=$2 first=$3 limit=$4 start=$5 now marker_at=""
	first_s="" killed=0
	while kill -0 "$pid" 2>/dev/null; do
		now=$(now_us)
		if [ -z "$first_s" ] && grep -aEq -- "$first" "$log" 2>/dev/null; then
			first_s=$(awk -v us=$((now - start)) 'BEGIN { printf "%.2f", us / 1e6 }')
		fi
		if [ -z "$marker_at" ] && grep -aEq -- "$MARKERS" "$log" 2>/dev/null; then
			marker_at=$now
		fi
		if { [ -n "$marker_at" ] && [ $((now - marker_at)) -ge $GRACE_US ]; } ||
			[ $((now - start)) -ge $((limit * 1000000)) ]; then
			killed=1
			kill -TERM -- "$pid" 2>/dev/null
			break
		fi
		sleep 0.05
	done
	wait "$pid" 2>/dev/null
	child=""
}

# qemu_run NAME ESP FIRST LIMIT: QEMU TCG with SVM+NPT as in run-scenario.sh,
# the plugin writing BUILD/bench/NAME.counts, COM1 to BUILD/bench/NAME.log.
qemu_run() {
	local name=$1 esp=$2 first=$3 limit=$4 start
	local log=$out/$name.log
	rm -f -- "$log" "$out/$name.counts"
	: > "$log"
	say "QEMU: $name"
	start=$(now_us)
	timeout -k 5 $((limit + 10)) "$QEMU" -machine q35 -accel tcg \
		-cpu qemu64,+svm,+npt -smp 4 -m 1G \
		-drive if=pflash,format=raw,readonly=on,file="$OVMF_CODE" \
		-drive if=pflash,format=raw,snapshot=on,file="$OVMF_VARS" \
		-drive format=raw,file=fat:rw:"$esp" \
		-display none -monitor none -serial file:"$log" \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 -no-reboot \
		-plugin "$plugin,out=$out/$name.counts" \
		< /dev/null > /dev/null 2> "$out/$name.qemu.err" &
	child=$!
	watch "$child" "$log" "$first" "$limit" "$start"
	[ -s "$out/$name.qemu.err" ] || rm -f -- "$out/$name.qemu.err"
}

# bochs_run NAME ESP FIRST LIMIT: Bochs (Skylake-X, VT-x + EPT) through
# tools/run-bochs.sh with one CPU, COM1 to BUILD/bench/NAME.log.
bochs_run() {
	local name=$1 esp=$2 first=$3 limit=$4 start
	local log=$out/$name.log
	rm -f -- "$log"
	: > "$log"
	say "Bochs: $name"
	start=$(now_us)
	BOCHS_CPUS=1 tools/run-bochs.sh --quiet --serial "$log" "$esp" "$limit" \
		> "$out/$name.run.txt" 2>&1 &
	child=$!
	watch "$child" "$log" "$first" $((limit + 20)) "$start"
}

# --- Reading results. ---------------------------------------------------------
# result LOG KEY: "UNITS VALUE" from the line "bench-result KEY UNITS VALUE".
result() {
	grep -a -m1 -- "bench-result $2 " "$1" 2>/dev/null |
		sed -e 's/.*bench-result [^ ]* //' -e 's/\r//g'
}
per() { awk -v a="$1" -v b="$2" -v d="${3:-1}" 'BEGIN { if (b + 0 > 0 && a != "") printf "%.*f", d, a / b }'; }
per_result() { # LOG KEY DECIMALS: VALUE / UNITS
	local r
	r=$(result "$1" "$2")
	[ -n "$r" ] && per "${r#* }" "${r%% *}" "${3:-1}"
}
# core_range LOG: "BASE SIZE" in decimal, from "core at 0x... (N KiB)".
core_range() {
	sed -n 's/.*bulkhead: core at 0x\([0-9a-f]*\) (\([0-9]*\) KiB).*/\1 \2/p' "$1" |
		head -n 1 | awk '{ printf "%d %d\n", strtonum_hex($1), $2 * 1024 }
		function strtonum_hex(s, i, v) {
			v = 0; s = tolower(s)
			for (i = 1; i <= length(s); i++)
				v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
			return v
		}'
}
# windows COUNTS BASE SIZE: for the last window of each tag and vCPU,
# "TAG VCPU TOTAL HYPERVISOR" (hypervisor = addresses inside the core).
windows() {
	awk -v base="$2" -v size="$3" '
		function hex(s, i, v) {
			v = 0; s = tolower(s)
			for (i = 1; i <= length(s); i++)
				v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
			return v
		}
		$1 == "window" { key = $2 " " $4; total[key] = $6; hyp[key] = 0; on = 1; next }
		$1 == "end" { on = 0; next }
		on && NF == 2 { a = hex($1) - base; if (a >= 0 && a < size) hyp[key] += $2 }
		END { for (k in total) print k, total[k], hyp[k] }' "$1"
}
# window_field COUNTS_SUMMARY TAG FIELD: TOTAL (3) or HYPERVISOR (4) summed
# over the vCPUs that had window TAG.
window_field() {
	awk -v tag="$2" -v f="$3" '$1 == tag { s += $f; n++ } END { if (n) print s }' "$1"
}
# profile COUNTS BASE SIZE TAG ITERATIONS: hypervisor instructions per
# iteration by core function (from core.elf's symbols), most first.
profile() {
	nm -n --defined-only "$core" | awk -v base="$2" -v size="$3" -v tag="$4" -v n="$5" '
		function hex(s, i, v) {
			v = 0; s = tolower(s)
			for (i = 1; i <= length(s); i++)
				v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
			return v
		}
		FNR == NR { if ($2 ~ /^[tTwW]$/) { ns++; at[ns] = hex($1); fn[ns] = $3 } next }
		# A vCPU opening TAG again starts a newer measurement; the
		# windows of different vCPUs (doorbell: both sides) add up.
		$1 == "window" {
			on = $2 == tag
			if (on && ($4 in seen)) { delete sum; delete seen }
			if (on) seen[$4] = 1
			next
		}
		$1 == "end" { on = 0; next }
		on && NF == 2 {
			a = hex($1) - base
			if (a < 0 || a >= size) next
			lo = 1; hi = ns
			while (lo < hi) { mid = int((lo + hi + 1) / 2); if (at[mid] <= a) lo = mid; else hi = mid - 1 }
			sum[fn[lo]] += $2
		}
		END { for (f in sum) printf "%8.1f  %s\n", sum[f] / n, f }' - "$1" | sort -rn
}

# --- The table. ---------------------------------------------------------------
rows=()
# row METRIC VALUE BASELINE NOTE [det]: det marks a deterministic figure.
row() {
	local ratio="-"
	if [[ ${2:-} =~ ^[0-9.]+$ && ${3:-} =~ ^[0-9.]+$ ]]; then
		ratio=$(awk -v a="$2" -v b="$3" 'BEGIN { if (b > 0) { r = a / b; printf (r >= 100 ? "%.0f" : r >= 10 ? "%.1f" : "%.3f"), r } else print "-" }')
	fi
	rows+=("$1"$'\t'"${2:--}"$'\t'"${3:--}"$'\t'"$ratio"$'\t'"${4:-}"$'\t'"${5:-}")
}
missing() { row "$1" "n/a" "-" "$2"; failures=$((failures + 1)); }

# --- 1. VM-exit round trips. ---------------------------------------------------
kinds=(cpuid hypercall uart)
declare -A tag=([cpuid]=10 [hypercall]=12 [uart]=14)
declare -A base_tag=([cpuid]=11 [hypercall]=13 [uart]=15)
declare -A target=([cpuid]="target < 150" [hypercall]="target < 200" [uart]="")
declare -A label=([cpuid]="CPUID (leaf 0)" [hypercall]="null hypercall" [uart]="virtual UART write")
declare -A what=([cpuid]="NOP for CPUID" [hypercall]="NOP for VMMCALL" [uart]="NOP for OUT")
exits_edit=""
[ "$QUICK" = 1 ] && exits_edit='s/timed=[0-9]* counted=[0-9]*/timed=200 counted=100/'
esp_for exits tools/bench/exits.dts "$exits_edit" || die "cannot make the exits ESP"
counted=$(sed -n 's/.*counted=\([0-9]*\).*/\1/p' "$work/exits.dts" | head -n 1)
[ -n "$counted" ] || die "tools/bench/exits.dts gives no counted=N"

declare -A hv total first_guest first_native
for run in $(seq 1 "$RUNS"); do
	name=qemu-exits-$run
	qemu_run "$name" "$work/exits" '\] bench: ' 240
	[ "$run" = 1 ] && first_guest[qemu]=$first_s
	range=$(core_range "$out/$name.log")
	if [ -z "$range" ] || ! grep -aq 'bench_exits: done' "$out/$name.log"; then
		say "$name: no results (see $out/$name.log)"
		continue
	fi
	windows "$out/$name.counts" $range > "$out/$name.windows"
	for k in "${kinds[@]}"; do
		hv[$k,$run]=$(window_field "$out/$name.windows" "${tag[$k]}" 4)
		total[$k,$run]=$(window_field "$out/$name.windows" "${tag[$k]}" 3)
		total[$k-base,$run]=$(window_field "$out/$name.windows" "${base_tag[$k]}" 3)
		if [ "$run" = 1 ]; then
			profile "$out/$name.counts" $range "${tag[$k]}" "$counted" > "$out/profile-$k.txt"
		fi
	done
done
log1=$out/qemu-exits-1.log
for k in "${kinds[@]}"; do
	if [ -z "${hv[$k,1]:-}" ]; then
		missing "$k round trip: insns/iteration [qemu]" "no counts"
		continue
	fi
	same="1 run"
	if [ "$RUNS" -gt 1 ]; then
		same="identical in $RUNS runs"
		for run in $(seq 2 "$RUNS"); do
			if [ "${hv[$k,$run]:-x}" != "${hv[$k,1]}" ] ||
				[ "${total[$k,$run]:-x}" != "${total[$k,1]}" ]; then
				same="DIFFERS between runs: ${hv[$k,1]} vs ${hv[$k,$run]:-none}"
				failures=$((failures + 1))
			fi
		done
	fi
	row "${label[$k]}: insns/iteration [qemu]" "$(per "${total[$k,1]}" "$counted")" \
		"$(per "${total[$k-base,1]}" "$counted")" \
		"hypervisor $(per "${hv[$k,1]}" "$counted")/exit${target[$k]:+, ${target[$k]}}; $same" det
done
for k in "${kinds[@]}"; do
	v=$(per_result "$log1" "tsc-$k")
	b=$(per_result "$log1" "tsc-$k-base")
	if [ -z "$v" ]; then missing "${label[$k]}: TSC cycles/iteration [qemu]" "no result"; continue; fi
	row "${label[$k]}: TSC cycles/iteration [qemu]" "$v" "$b" "baseline: ${what[$k]}; host-clock TSC, varies"
done

if [ "$USE_BOCHS" = 1 ] && [ -x tools/run-bochs.sh ] && command -v "$BOCHS" > /dev/null; then
	bochs=1
else
	bochs=0
fi
declare -A btsc
if [ "$bochs" = 1 ]; then
	for run in $(seq 1 "$RUNS"); do
		name=bochs-exits-$run
		bochs_run "$name" "$work/exits" '\] bench: ' 300
		[ "$run" = 1 ] && first_guest[bochs]=$first_s
		for k in "${kinds[@]}" "${kinds[@]/%/-base}"; do
			btsc[$k,$run]=$(per_result "$out/$name.log" "tsc-$k")
		done
	done
	for k in "${kinds[@]}"; do
		if [ -z "${btsc[$k,1]:-}" ]; then
			missing "${label[$k]}: TSC cycles/iteration [bochs]" "no result (see $out/bochs-exits-1.log)"
			continue
		fi
		same="1 run"
		if [ "$RUNS" -gt 1 ]; then
			same="identical in $RUNS runs"
			for run in $(seq 2 "$RUNS"); do
				[ "${btsc[$k,$run]:-x}" = "${btsc[$k,1]}" ] ||
					{ same="DIFFERS between runs"; failures=$((failures + 1)); }
			done
		fi
		row "${label[$k]}: TSC cycles/iteration [bochs]" "${btsc[$k,1]}" "${btsc[$k-base,1]}" \
			"Bochs TSC = instructions; $same" det
	done
fi

# --- 2. Doorbell round trip between two partitions. ---------------------------
# Both sides' instructions count; the baseline (polling the channel memory)
# spins, so only its time is reported. Which side is already asleep when
# a doorbell arrives depends on timing, so the count may vary a little.
# Under QEMU 7.2 a doorbell that lands between a guest's STI and HLT can be
# lost (VMRUN drops the interrupt shadow; docs/performance.md): both sides
# then sleep for good. Such a run is stopped after 90 s and run again once.
if [ -f guests/bench_doorbell.c ] && [ -f tools/bench/doorbell.dts ]; then
	door_edit=""
	[ "$QUICK" = 1 ] && door_edit='s/count=[0-9]*/count=100/'
	esp_for doorbell tools/bench/doorbell.dts "$door_edit" || die "cannot make the doorbell ESP"
	dcount=$(sed -n 's/.*count=\([0-9]*\).*/\1/p' "$work/doorbell.dts" | head -n 1)
	[ -n "$dcount" ] || die "tools/bench/doorbell.dts gives no count=N"
	dvalues=() lost=0
	for run in $(seq 1 "$RUNS"); do
		name=qemu-doorbell-$run
		for attempt in 1 2; do
			qemu_run "$name" "$work/doorbell" '\] ping: ' 90
			dlog=$out/$name.log
			grep -aq 'bench_doorbell: done' "$dlog" && break
			lost=$((lost + 1))
			say "$name: no end (lost wake-up?); kept as $name.stuck.log"
			cp -- "$dlog" "$out/$name.stuck.log"
		done
		range=$(core_range "$dlog")
		if [ -z "$range" ] || ! grep -aq 'bench_doorbell: done' "$dlog"; then
			say "$name: no results (see $dlog)"
			continue
		fi
		windows "$out/$name.counts" $range > "$out/$name.windows"
		dt=$(window_field "$out/$name.windows" 30 3)
		dh=$(window_field "$out/$name.windows" 30 4)
		dvalues+=("$(per "$dt" "$dcount")")
		if [ "$run" = 1 ]; then
			dtotal=$dt dhyp=$dh
			profile "$out/$name.counts" $range 30 "$dcount" > "$out/profile-doorbell.txt"
			row "doorbell round trip: TSC cycles [qemu]" "$(per_result "$dlog" tsc-doorbell)" \
				"$(per_result "$dlog" tsc-doorbell-base)" \
				"baseline: polling the channel memory (both vCPUs spin); host-clock TSC, varies"
		fi
	done
	if [ -n "${dtotal:-}" ]; then
		spread=$(printf '%s / ' "${dvalues[@]}")
		[ "$lost" -gt 0 ] && spread="${spread% / }; $lost run(s) stuck and repeated (lost wake-up)"
		row "doorbell round trip: insns/round trip [qemu]" "$(per "$dtotal" "$dcount")" "-" \
			"both partitions; hypervisor $(per "$dhyp" "$dcount"); runs: ${spread% / }" \
			"$([ "${#dvalues[@]}" -gt 1 ] && printf '%s\n' "${dvalues[@]}" | sort -u | awk 'END { if (NR == 1) print "det" }')"
	else
		missing "doorbell round trip [qemu]" "no result (see $out/qemu-doorbell-1.log)"
	fi
else
	row "doorbell round trip [qemu]" "not available yet" "-" "needs guests/bench_doorbell.c"
fi

# --- 3. Guest overhead: memory workload in a partition and natively. ---------
# QEMU's TSC follows the host clock, and the host is shared: the partition
# and native runs alternate MEM_ROUNDS times and the best round counts.
mem_edit=""
[ "$QUICK" = 1 ] && mem_edit='s/reps=[0-9]*/reps=1/; s/0x4000000>;/0x800000>;/'
esp_for memory tools/bench/memory.dts "$mem_edit" || die "cannot make the memory ESP"
native_esp || die "cannot make the native ESP"
emulators=(qemu)
[ "$bochs" = 1 ] && emulators+=(bochs)
# best LOG... KEY: the smallest per-unit value of KEY over the logs.
best() {
	local key=${*: -1} log v all=()
	for log in "${@:1:$#-1}"; do
		v=$(per_result "$log" "$key" 2)
		[ -n "$v" ] && all+=("$v")
	done
	[ "${#all[@]}" -gt 0 ] && printf '%s\n' "${all[@]}" | sort -g | head -n 1
}
for emu in "${emulators[@]}"; do
	rounds=1
	[ "$emu" = qemu ] && [ "$QUICK" != 1 ] && rounds=${MEM_ROUNDS:-3}
	mlogs=() nlogs=()
	for round in $(seq 1 "$rounds"); do
		"${emu}_run" "$emu-memory-$round" "$work/memory" '\] bench: ' 300
		mlogs+=("$out/$emu-memory-$round.log")
		[ "$QUICK" = 1 ] && continue
		"${emu}_run" "$emu-native-$round" "$work/native" 'native: ' 300
		[ "$round" = 1 ] && first_native[$emu]=$first_s
		nlogs+=("$out/$emu-native-$round.log")
	done
	for w in chase sum; do
		v=$(best "${mlogs[@]}" "tsc-memory-$w")
		b=""
		[ "${#nlogs[@]}" -gt 0 ] && b=$(best "${nlogs[@]}" "tsc-memory-$w")
		wname="pointer chase" unit=step
		[ "$w" = sum ] && wname="streaming sum" unit=word
		if [ -z "$v" ]; then
			missing "guest overhead, $wname: TSC cycles/$unit [$emu]" "no result (see ${mlogs[0]})"
			continue
		fi
		note="baseline: the same code natively (UEFI program)"
		det=""
		if [ "$emu" = qemu ]; then
			note="$note; host-clock TSC, best of $rounds boots x 5"
		else
			note="$note; Bochs TSC = instructions"
			det=det
		fi
		row "guest overhead, $wname: TSC cycles/$unit [$emu]" "$v" "${b:-n/a}" "$note" $det
	done
	[ "$emu" = qemu ] && [ "$QUICK" != 1 ] || continue
	mlog=$out/qemu-memory-1.log
	range=$(core_range "$mlog")
	[ -n "$range" ] || { missing "guest overhead: insns [qemu]" "no core line in $mlog"; continue; }
	windows "$out/qemu-memory-1.counts" $range > "$out/qemu-memory.windows"
	windows "$out/qemu-native-1.counts" 0 0 > "$out/qemu-native.windows"
	mt=$(window_field "$out/qemu-memory.windows" 20 3)
	mh=$(window_field "$out/qemu-memory.windows" 20 4)
	nt=$(window_field "$out/qemu-native.windows" 20 3)
	sum_p=$(result "$mlog" memory-checksum)
	sum_n=$(result "$out/qemu-native-1.log" memory-checksum)
	same="CHECKSUMS DIFFER"
	[ -n "$sum_p" ] && [ "$sum_p" = "$sum_n" ] && same="checksums equal"
	row "guest overhead: insns of one chase + sum [qemu]" "${mt:-n/a}" "${nt:-n/a}" \
		"hypervisor ${mh:-?} of them; $same; target overhead < 1%" det
done
row "timer interrupts: delivery latency" "not available" "-" \
	"needs a virtual timer for guests (doorbells are the only interrupts so far)"

# --- 4. Boot. ---------------------------------------------------------------------
for emu in qemu bochs; do
	[ "$emu" = bochs ] && [ "$bochs" = 0 ] && continue
	log=$out/$emu-exits-1.log
	loader=$(sed -n 's/.*bulkhead loader: bulkhead starting (TSC \([0-9]*\)).*/\1/p' "$log" | head -n 1)
	entry=$(result "$log" boot-entry-tsc)
	entry=${entry#* }
	if [ -n "$loader" ] && [ -n "$entry" ]; then
		if [ "$emu" = qemu ]; then
			row "boot: loader entry to first guest instruction, TSC cycles [qemu]" \
				"$((entry - loader))" "-" "to guest_main's first RDTSC; host-clock TSC, varies"
		else
			row "boot: loader entry to first guest instruction, TSC cycles [bochs]" \
				"$((entry - loader))" "-" "to guest_main's first RDTSC; Bochs TSC = instructions" det
		fi
	else
		missing "boot: loader entry to first guest instruction [$emu]" "no TSC lines in $log"
	fi
	if [ "$emu" = qemu ]; then
		row "boot: QEMU start to first guest line, s [qemu]" "${first_guest[qemu]:-n/a}" \
			"${first_native[qemu]:-n/a}" "baseline: to a UEFI program's first line; wall time"
	elif [ -n "$entry" ]; then
		# Bochs's TSC starts at 0 at power-on and counts instructions,
		# which Bochs times at BOCHS_IPS per emulated second.
		nentry=$(result "$out/bochs-native-1.log" boot-entry-tsc)
		nentry=${nentry#* }
		row "boot: power-on to first guest instruction, emulated s [bochs]" \
			"$(per "$entry" "$BOCHS_IPS" 3)" "$(per "$nentry" "$BOCHS_IPS" 3)" \
			"baseline: to a UEFI program's first instruction; TSC / $BOCHS_IPS ips" det
		row "boot: Bochs start to first guest line, s [bochs]" "${first_guest[bochs]:-n/a}" \
			"-" "wall time, varies with the host"
	fi
done

# --- 5a. Linux boot (tools/bench/linux-boot.sh). -------------------------------------
# Kernel start to /init's first line in a partition against the same boot
# directly in the same QEMU, quiet and with the full log; exits per boot.
if [ "$QUICK" != 1 ] && [ "${BENCH_LINUX_BOOT:-1}" = 1 ]; then
	tools/bench/linux-boot.sh "$BUILD" > "$work/boot.tsv" ||
		missing "Linux boot" "a run failed (see $BUILD/bench/linux-boot)"
	while IFS=$'\t' read -r m v b n; do
		row "$m" "$v" "$b" "$n"
	done < "$work/boot.tsv"
fi

# --- 5. Devices of Linux partitions (tools/bench/linux-devices.sh). ---------------
# NIC and NVMe throughput in partitions against the same kernel booted
# directly in the same QEMU, and VM exits per device interrupt.
if [ "$QUICK" != 1 ] && [ "${BENCH_DEVICES:-1}" = 1 ]; then
	tools/bench/linux-devices.sh "$BUILD" > "$work/devices.tsv" ||
		missing "devices of Linux partitions" "a run failed (see $BUILD/bench/linux-devices)"
	while IFS=$'\t' read -r m v b n; do
		row "$m" "$v" "$b" "$n"
	done < "$work/devices.tsv"
fi

# --- Output. -------------------------------------------------------------------------
elapsed=$(( ($(now_us) - bench_start) / 1000000 ))
stamp=$(date -u +%Y%m%d-%H%M%S)
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD 2>/dev/null || commit="$commit+local changes"
{
	echo "bulkhead benchmarks: make bench, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $commit, $elapsed s"
	echo "QEMU: $("$QEMU" --version | head -n 1)"
	[ "$bochs" = 1 ] && echo "Bochs: $(dpkg-query -W -f '${Version}' bochs 2>/dev/null || echo installed), 1 CPU"
	[ "$QUICK" = 1 ] && echo "QUICK MODE (smoke test): small counts, not comparable"
	echo
	printf '%-62s %14s %12s %9s  %s\n' metric value baseline ratio note
	for r in "${rows[@]}"; do
		IFS=$'\t' read -r m v b ra n _ <<< "$r"
		printf '%-62s %14s %12s %9s  %s\n' "$m" "$v" "$b" "$ra" "$n"
	done
} > "$out/table.txt"
cat "$out/table.txt"
echo
echo "per-function hypervisor instructions per exit: $out/profile-*.txt"

if [ "$QUICK" != 1 ]; then
	printf '%s\n' "${rows[@]}" > "$out/new.tsv"
	if [ -f "$out/latest.tsv" ]; then
		changed=$(awk -F '\t' 'FNR == NR { if ($6 == "det") old[$1] = $2; next }
			$6 == "det" && ($1 in old) && old[$1] != $2 { printf "  %s: %s -> %s\n", $1, old[$1], $2 }' \
			"$out/latest.tsv" "$out/new.tsv")
		if [ -z "$changed" ]; then
			echo "deterministic figures: identical to the previous make bench ($(head -n 1 "$out/latest.txt" 2>/dev/null | sed 's/.*UTC, //'))"
		else
			echo "deterministic figures that changed since the previous make bench:"
			echo "$changed"
		fi
	fi
	mv -f -- "$out/new.tsv" "$out/latest.tsv"
	cp -- "$out/table.txt" "$out/results-$stamp.txt"
	cp -- "$out/table.txt" "$out/latest.txt"
	echo "table written to $out/results-$stamp.txt (and latest.txt, latest.tsv)"
fi
if [ "$failures" -gt 0 ]; then
	say "$failures figures missing or not reproducible"
	exit 1
fi
exit 0
