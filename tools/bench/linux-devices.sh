#!/bin/bash
# linux-devices.sh [BUILD]: the device figures of `make bench`
# (docs/performance.md): the NIC's TCP MB/s and the NVMe drive's
# sequential MB/s of Linux partitions that own them, each beside the same
# kernel, initramfs and test booted directly in the same QEMU
# (tools/bench/linux-direct.sh), and the VM exits per device interrupt.
#
# The partition runs are scenarios (tools/run-scenario.sh) written into
# BUILD/bench/linux-devices/: two NIC partitions on one QEMU hub (1 vCPU
# each, like the direct QEMUs), once with NIC_MIB and once with 1 MiB
# each way, and one NVMe partition. Exits per device interrupt is the
# difference of the two NIC runs: (exits of the big run - exits of the
# small one) / (device interrupts of the big run - those of the small
# one), over both partitions, so what a boot costs cancels out and what
# remains is what moving the data costs per interrupt. Prints one
# tab-separated row per figure: metric, value, baseline, note; exit status
# 0 when every run passed.
#
# Environment: QEMU; DEVICES_NIC_MIB (8), DEVICES_NVME_MIB (32) as
# linux-direct.sh's DIRECT_NIC_MIB and DIRECT_NVME_MIB.
set -u
BUILD=${1:-${BUILD:-build}}
root=$(cd -- "$(dirname -- "$0")/../.." && pwd)
cd -- "$root" || exit 1
NIC_MIB=${DEVICES_NIC_MIB:-8}
NVME_MIB=${DEVICES_NVME_MIB:-32}
out=$BUILD/bench/linux-devices
logs=$BUILD/tests/system
say() { echo "linux-devices: $*" >&2; }
mkdir -p "$out" || exit 1
failures=0

# nic_config NAME MIB: the NIC pair's scenario.
nic_config() {
	local common='kernel = "linux/vmlinuz"; initrd = "linux/initrd.cpio.gz"; memory-size = <0x10000000>;'
	local words="console=ttyS0 quiet bulkhead.test=nic bulkhead.mib=$2"
	cat >"$out/$1.dts" <<EOF
/dts-v1/;
/ {
	compatible = "bulkhead,config-1";
	end-of-run { isa-debug-exit = <0xf4>; };
	partitions {
		server { cpus = <1>; $common pci-devices = "00:04.0";
			cmdline = "$words bulkhead.role=server bulkhead.ip=10.0.0.1/24 bulkhead.peer=10.0.0.2"; };
		client { cpus = <2>; $common pci-devices = "00:05.0";
			cmdline = "$words bulkhead.role=client bulkhead.ip=10.0.0.2/24 bulkhead.peer=10.0.0.1"; };
	};
};
EOF
	cat >"$out/$1.expect" <<EOF
qemu-args -device intel-iommu,intremap=on
qemu-args -netdev hubport,id=nic0,hubid=0 -device e1000e,netdev=nic0,addr=4.0,mac=52:54:00:00:10:01
qemu-args -netdev hubport,id=nic1,hubid=0 -device e1000e,netdev=nic1,addr=5.0,mac=52:54:00:00:10:02
expect server: linux: nic: passed
expect client: linux: nic: passed
expect bulkhead: end of run: pass
exit 33
timeout 600
EOF
}

nvme_config() {
	cat >"$out/bench-nvme.dts" <<EOF
/dts-v1/;
/ {
	compatible = "bulkhead,config-1";
	end-of-run { isa-debug-exit = <0xf4>; };
	partitions {
		disk { cpus = <1>; memory-size = <0x10000000>;
			kernel = "linux/vmlinuz"; initrd = "linux/initrd.cpio.gz";
			pci-devices = "00:06.0";
			cmdline = "console=ttyS0 quiet bulkhead.test=nvme bulkhead.mib=$NVME_MIB bulkhead.seed=7"; };
	};
};
EOF
	cat >"$out/bench-nvme.expect" <<EOF
qemu-args -device intel-iommu,intremap=on
qemu-args -drive file={disk:d0},if=none,id=d0,format=raw -device nvme,drive=d0,serial=bulkhead0,addr=6.0
disk d0 $((NVME_MIB * 2))
disk-sum-before d0 0 $NVME_MIB linux: nvme: read $NVME_MIB MiB at 0 MiB: sha256 {sha256}
disk-prng-after d0 $NVME_MIB $NVME_MIB 7
expect disk: linux: nvme: passed
expect bulkhead: end of run: pass
exit 33
timeout 600
EOF
}

run() { # NAME
	if tools/run-scenario.sh "$out/$1.dts" "$BUILD" >"$out/$1.result" 2>&1; then
		say "$1: pass"
	else
		say "$1: FAIL ($(head -n 1 "$out/$1.result"); log $logs/$1.log)"
		failures=$((failures + 1))
		return 1
	fi
}

# line NAME TEXT: the first line of the run's log containing TEXT.
line() { grep -a -m1 -F -- "$2" "$logs/$1.log" 2>/dev/null | tr -d '\r'; }
mbs() { echo "$1" | sed -n 's/.* \([0-9]*\.[0-9]*\) MB\/s.*/\1/p'; }
# exits NAME: every VM exit of the run's partitions (the summary's lines).
exits() {
	grep -a 'bulkhead:   .* exits: ' "$logs/$1.log" | tr -d '\r' |
		grep -o '=[0-9]*' | tr -d '=' | awk '{ s += $1 } END { print s + 0 }'
}
# device_interrupts NAME: the NICs' interrupts both guests counted.
device_interrupts() {
	grep -a 'linux: nic: /proc/interrupts:' "$logs/$1.log" | tr -d '\r' |
		grep -o 'CPU[0-9]* [0-9]*' | awk '{ s += $2 } END { print s + 0 }'
}
direct() { # METRIC: linux-direct.sh's figure
	awk -F '\t' -v m="$1" '$1 == m { print $2 }' "$BUILD/bench/linux-direct/latest.tsv" 2>/dev/null
}
emit() { printf '%s\t%s\t%s\t%s\n' "$1" "${2:-n/a}" "${3:-n/a}" "$4"; }

nic_config bench-nic "$NIC_MIB"
nic_config bench-nic-small 1
nvme_config
DIRECT_NIC_MIB=$NIC_MIB DIRECT_NVME_MIB=$NVME_MIB \
	tools/bench/linux-direct.sh "$BUILD" nic nvme >&2 || failures=$((failures + 1))
run bench-nic
run bench-nic-small
run bench-nvme

to_server=$(mbs "$(line bench-nic "server: linux: nic: received")")
to_client=$(mbs "$(line bench-nic "client: linux: nic: received")")
emit "Linux NIC TCP, client to server, MB/s [qemu]" "$to_server" \
	"$(direct direct-nic-client-to-server)" \
	"$NIC_MIB MiB, e1000e on MSI-X, receiver's clock; baseline: the same kernel booted directly; target ratio >= 0.9"
emit "Linux NIC TCP, server to client, MB/s [qemu]" "$to_client" \
	"$(direct direct-nic-server-to-client)" \
	"$NIC_MIB MiB, the other way"
emit "Linux NVMe sequential read, MB/s [qemu]" \
	"$(mbs "$(line bench-nvme "linux: nvme: sequential read")")" \
	"$(direct direct-nvme-read)" \
	"1 MiB O_DIRECT reads of $NVME_MIB MiB, guest's clock; MSI-X table beside the registers; target ratio >= 0.9"
emit "Linux NVMe write, MB/s [qemu]" \
	"$(mbs "$(line bench-nvme "linux: nvme: wrote")")" \
	"$(direct direct-nvme-write)" "1 MiB O_DIRECT writes of $NVME_MIB MiB and fsync"
e_big=$(exits bench-nic) e_small=$(exits bench-nic-small)
i_big=$(device_interrupts bench-nic) i_small=$(device_interrupts bench-nic-small)
per_interrupt=$(awk -v e=$((e_big - e_small)) -v i=$((i_big - i_small)) \
	'BEGIN { if (i > 0) printf "%.2f", e / i }')
emit "Linux NIC: VM exits per device interrupt [qemu]" "$per_interrupt" "-" \
	"($e_big - $e_small exits) / ($i_big - $i_small NIC interrupts): $NIC_MIB MiB against 1 MiB each way, both partitions"
[ "$failures" = 0 ]
