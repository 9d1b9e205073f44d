#!/bin/bash
# linux-boot.sh [BUILD]: the Linux boot figures of `make bench`
# (docs/performance.md): how long Debian's kernel takes from its start to
# /init's first line in a partition, beside the same kernel, initramfs
# and command line booted directly in the same QEMU, once with `quiet` and
# once with the full boot log on the console; and the partition's VM exits
# per boot (to the power-off of the `boot` test) by reason.
#
# The time is the guest's own: /init prints the kernel's uptime on its
# first line (guests/linux/init), so the firmware, the loader and the
# hypervisor's own start are not in it, and a slow host slows both runs
# alike. The partition runs are scenarios (tools/run-scenario.sh) written
# into BUILD/bench/linux-boot/, one 1-vCPU 256 MiB partition like the
# direct QEMU's. Prints one tab-separated row per figure: metric, value,
# baseline, note; exit status 0 when every run passed.
set -u
BUILD=${1:-${BUILD:-build}}
root=$(cd -- "$(dirname -- "$0")/../.." && pwd)
cd -- "$root" || exit 1
QEMU=${QEMU:-qemu-system-x86_64}
LIMIT=${BOOT_TIMEOUT:-300}
out=$BUILD/bench/linux-boot
logs=$BUILD/tests/system
say() { echo "linux-boot: $*" >&2; }
mkdir -p "$out" || exit 1
failures=0
MARK='linux: init: first line at'

# partition NAME WORDS: the scenario of one Linux partition booting with
# the command line WORDS.
partition() {
	cat >"$out/$1.dts" <<EOF
/dts-v1/;
/ {
	compatible = "bulkhead,config-1";
	end-of-run { isa-debug-exit = <0xf4>; };
	partitions {
		linux { cpus = <1>; memory-size = <0x10000000>;
			kernel = "linux/vmlinuz"; initrd = "linux/initrd.cpio.gz";
			cmdline = "$2"; };
	};
};
EOF
	cat >"$out/$1.expect" <<EOF
expect linux: $MARK
expect linux: linux: powering off
expect bulkhead: end of run: pass
exit 33
timeout $LIMIT
EOF
	if tools/run-scenario.sh "$out/$1.dts" "$BUILD" >"$out/$1.result" 2>&1; then
		say "$1: pass"
	else
		say "$1: FAIL ($(head -n 1 "$out/$1.result"); log $logs/$1.log)"
		failures=$((failures + 1))
	fi
}

# direct NAME WORDS: the same kernel and initramfs in QEMU without the
# hypervisor (q35, SeaBIOS, 1 vCPU, 256 MiB, TCG); the boot test powers
# it off.
direct() {
	if timeout -k 5 "$LIMIT" "$QEMU" -machine q35 -accel tcg -cpu qemu64 \
		-smp 1 -m 256M -nodefaults -display none -monitor none \
		-serial file:"$out/$1.log" -no-reboot \
		-kernel "$BUILD/linux/vmlinuz" -initrd "$BUILD/linux/initrd.cpio.gz" \
		-append "$2" </dev/null >/dev/null 2>"$out/$1.qemu.err" &&
		grep -aq 'linux: powering off' "$out/$1.log"; then
		say "$1: pass"
	else
		say "$1: FAIL (see $out/$1.log)"
		failures=$((failures + 1))
	fi
}

# uptime LOG: the seconds of uptime on /init's first line.
uptime() { grep -a -m1 -F -- "$MARK" "$1" 2>/dev/null | tr -d '\r' |
	sed -n 's/.*first line at \([0-9.]*\) s.*/\1/p'; }
emit() { printf '%s\t%s\t%s\t%s\n' "$1" "${2:-n/a}" "${3:-n/a}" "$4"; }

for f in "$BUILD/linux/vmlinuz" "$BUILD/linux/initrd.cpio.gz"; do
	[ -f "$f" ] || { say "$f is not built (run make)"; exit 1; }
done
for mode in quiet log; do
	words="console=ttyS0 bulkhead.test=boot"
	[ "$mode" = quiet ] && words="$words quiet"
	direct "direct-$mode" "$words"
	partition "bench-boot-$mode" "$words"
done

emit "Linux boot to /init's first line, quiet, s [qemu]" \
	"$(uptime "$logs/bench-boot-quiet.log")" "$(uptime "$out/direct-quiet.log")" \
	"kernel uptime at /init's first line (guest clock); baseline: the same kernel booted directly; target ratio <= 1.15"
emit "Linux boot to /init's first line, full log, s [qemu]" \
	"$(uptime "$logs/bench-boot-log.log")" "$(uptime "$out/direct-log.log")" \
	"the same without quiet: every console byte is a VM exit; target ratio <= 1.5"
for mode in quiet log; do
	line=$(grep -a 'bulkhead:   linux  *exits: ' "$logs/bench-boot-$mode.log" | tr -d '\r' | tail -n 1)
	reasons=${line#*exits: }
	total=$(echo "$reasons" | grep -o '=[0-9]*' | tr -d '=' | awk '{ s += $1 } END { print s + 0 }')
	emit "Linux boot ($mode): VM exits to power-off [qemu]" "$total" "-" "by reason: ${reasons:-none}"
done
[ "$failures" = 0 ]
