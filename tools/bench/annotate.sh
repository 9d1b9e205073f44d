#!/bin/bash
# annotate.sh RUN TAG [ITERATIONS] [BUILD]: the hypervisor's instructions in
# one window of a `make bench` run, per instruction, in the core's
# disassembly: "executions per iteration  function  address: instruction".
# RUN names the files BUILD/bench/RUN.log (serial: the core's address) and
# RUN.counts (the plugin's output), e.g. qemu-exits-1; TAG is the window
# (guests/lib/bench.h: 10 CPUID, 12 hypercall, 14 UART, 30 doorbell);
# ITERATIONS divides the counts (default 1). BUILD/core.elf must be the
# core that ran. Only instructions executed in the window are listed, in
# address order, so the hot path reads top to bottom function by function.
set -u

[ $# -ge 2 ] && [ $# -le 4 ] || { echo "usage: $0 RUN TAG [ITERATIONS] [BUILD]" >&2; exit 2; }
run=$1 tag=$2 iterations=${3:-1} BUILD=${4:-${BUILD:-build}}
log=$BUILD/bench/$run.log counts=$BUILD/bench/$run.counts core=$BUILD/core.elf
for f in "$log" "$counts" "$core"; do
	[ -f "$f" ] || { echo "annotate: no $f" >&2; exit 1; }
done
base=$(sed -n 's/.*bulkhead: core at 0x\([0-9a-f]*\) .*/\1/p' "$log" | head -n 1)
[ -n "$base" ] || { echo "annotate: no 'core at' line in $log" >&2; exit 1; }

# Counts of the last window TAG (summed over vCPUs), by offset in the core.
objdump -d --no-show-raw-insn "$core" | awk -v base="$base" -v tag="$tag" -v n="$iterations" '
	function hex(s, i, v) {
		v = 0; s = tolower(s)
		for (i = 1; i <= length(s); i++)
			v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
		return v
	}
	FNR == 1 && NR == 1 { b = hex(base) }
	FNR == NR {
		if ($1 == "window") {
			on = $2 == tag
			# A vCPU opening TAG again starts a newer measurement.
			if (on && ($4 in seen)) { delete c; delete seen }
			if (on) seen[$4] = 1
			next
		}
		if ($1 == "end") { on = 0; next }
		if (on && NF == 2) { a = hex($1) - b; if (a >= 0) c[a] += $2 }
		next
	}
	/^[0-9a-f]+ <.*>:$/ { fn = $2; next }
	/^ *[0-9a-f]+:/ {
		a = $1; sub(":", "", a); a = hex(a)
		if (a in c) { line = $0; sub(/^ */, "", line); printf "%7.1f  %-24s %s\n", c[a] / n, fn, line }
	}' "$counts" -
