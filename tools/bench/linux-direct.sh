#!/bin/sh
# linux-direct.sh [BUILD [MODE...]]: boots the Linux partitions' kernel and
# initramfs (BUILD/linux, default build) directly in QEMU, without the
# hypervisor, with the PCI devices a partition will own, runs the
# initramfs's device tests (guests/linux/README.md) and prints their
# figures: the baseline for the same tests in partitions. MODE:
#   nic           two QEMUs, one e1000e each, wired by a socket netdev on
#                 127.0.0.1 (nothing leaves the machine): ping both ways,
#                 a verified TCP transfer each way, MB/s of each
#   nvme          an NVMe disk of random content: the guest's sha256 of its
#                 start must be the host's, the region it writes must be
#                 the stream of its seed on the host afterwards; MB/s of
#                 the sequential read and of the write
#   nic-reboot    the client's first boot reboots mid-transfer (QEMU ends
#                 there, -no-reboot), a second client QEMU is its run 2,
#                 the server the same QEMU throughout
#   msi-affinity  the client has 2 vCPUs and moves the NIC's IRQs
# Default: nic nvme. Figures are in the guest's clock; wall times are the
# host's. The q35 machine of the scenarios (PCIe), SeaBIOS, 256 MiB and
# 1 vCPU like the partitions, TCG. At most two QEMUs at once, each bounded
# by timeout. Logs and disk images in BUILD/bench/linux-direct/, the
# figures also in its latest.tsv. Not part of make test.
#
# Environment: QEMU; DIRECT_NIC_MIB (8) MiB each way; DIRECT_NVME_MIB (32)
# MiB read at 0 and written after them (the disk is twice that);
# DIRECT_TIMEOUT (300) seconds per QEMU; DIRECT_PORT (a port above 40000
# by default) for the socket netdev; DIRECT_APPEND more kernel words
# (pci=nomsi: the devices on INTx). Exit status 0 when every mode passed.
set -u
BUILD=${1:-${BUILD:-build}}
[ $# -gt 0 ] && shift
modes=${*:-nic nvme}
QEMU=${QEMU:-qemu-system-x86_64}
NIC_MIB=${DIRECT_NIC_MIB:-8}
NVME_MIB=${DIRECT_NVME_MIB:-32}
LIMIT=${DIRECT_TIMEOUT:-300}
PORT=${DIRECT_PORT:-$((40000 + $$ % 20000))}
APPEND=${DIRECT_APPEND:-}

kernel=$BUILD/linux/vmlinuz
initrd=$BUILD/linux/initrd.cpio.gz
prng=$BUILD/linux/prng
out=$BUILD/bench/linux-direct
say() { echo "linux-direct: $*"; }
for f in "$kernel" "$initrd" "$prng"; do
	[ -f "$f" ] || { say "$f is not built (run make)"; exit 1; }
done
mkdir -p "$out" || exit 1
: >"$out/latest.tsv.tmp"
failures=0
running=

# An interrupted run stops its QEMUs (timeout passes the signal on).
cleanup() {
	for name in $running; do
		[ -f "$out/$name.status" ] || kill "$(cat "$out/$name.pid")" 2>/dev/null
	done
	rm -f "$out/latest.tsv.tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# boot NAME SMP APPEND QEMU-ARGS...: one QEMU in the background, COM1 to
# NAME.log; NAME.status gets "<exit status> <wall ms>" when it ends.
boot() {
	name=$1 smp=$2 append=$3
	shift 3
	rm -f "$out/$name.log" "$out/$name.status" "$out/$name.qemu.err"
	: >"$out/$name.pid"
	running="$running $name"
	(
		start=$(now_ms)
		timeout -k 5 "$LIMIT" "$QEMU" -machine q35 -accel tcg -cpu qemu64 \
			-smp "$smp" -m 256M -nodefaults -display none -monitor none \
			-serial file:"$out/$name.log" -no-reboot \
			-kernel "$kernel" -initrd "$initrd" \
			-append "console=ttyS0 quiet $append${APPEND:+ $APPEND}" "$@" \
			</dev/null >/dev/null 2>"$out/$name.qemu.err" &
		echo $! >"$out/$name.pid"
		wait $!
		echo "$? $(($(now_ms) - start))" >"$out/$name.status"
	) &
	while [ ! -s "$out/$name.pid" ]; do sleep 0.05; done
}

# finish NAME: waits for NAME's QEMU; fails unless it ended by itself.
finish() {
	while [ ! -f "$out/$1.status" ]; do sleep 0.2; done
	read -r status ms <"$out/$1.status"
	[ -s "$out/$1.qemu.err" ] || rm -f "$out/$1.qemu.err"
	say "$1: QEMU exited with $status after $(wall "$ms")"
	[ "$status" = 0 ]
}

wall() { printf '%d.%01d s' $(($1 / 1000)) $(($1 % 1000 / 100)); }

# listening PORT: a socket on 127.0.0.1 listens on PORT (the server QEMU's).
listening() {
	hex=$(printf '%04X' "$1")
	grep -q "^ *[0-9]*: 0100007F:$hex 00000000:0000 0A" /proc/net/tcp
}

# line NAME TEXT: the first line of NAME.log containing TEXT, without CRs.
line() { grep -a -m1 -F -- "$2" "$out/$1.log" 2>/dev/null | tr -d '\r'; }
# mbs LINE: the "X.YY" of "X.YY MB/s" in it.
mbs() { echo "$1" | sed -n 's/.* \([0-9]*\.[0-9]*\) MB\/s.*/\1/p'; }

figure() { # METRIC VALUE NOTE
	printf '%s\t%s\tMB/s\t%s\n' "$1" "$2" "$3" >>"$out/latest.tsv.tmp"
	say "$1: $2 MB/s ($3)"
}

check() { # NAME TEXT: NAME.log has TEXT
	[ -n "$(line "$1" "$2")" ] && return 0
	say "$1: no line with '$2' (see $out/$1.log)"
	return 1
}

# nic_pair SERVER CLIENT CLIENT_SMP CLIENT_TEST: the server QEMU listens,
# the client's connects; both must pass.
server_words="bulkhead.test=nic bulkhead.role=server bulkhead.ip=10.0.0.1/24 bulkhead.peer=10.0.0.2"
client_words="bulkhead.role=client bulkhead.ip=10.0.0.2/24 bulkhead.peer=10.0.0.1"
server_boot() {
	boot "$1" 1 "$server_words bulkhead.mib=$NIC_MIB" \
		-netdev socket,id=n0,listen=127.0.0.1:"$PORT" \
		-device e1000e,netdev=n0,mac=52:54:00:00:10:01
	i=0
	until listening "$PORT"; do
		i=$((i + 1))
		[ "$i" -lt 100 ] || { say "$1: QEMU does not listen on port $PORT"; return 1; }
		sleep 0.1
	done
}
client_boot() { # NAME SMP WORDS
	boot "$1" "$2" "$client_words bulkhead.mib=$NIC_MIB $3" \
		-netdev socket,id=n0,connect=127.0.0.1:"$PORT" \
		-device e1000e,netdev=n0,mac=52:54:00:00:10:02
}

nic_figures() { # SERVER CLIENT
	figure direct-nic-client-to-server "$(mbs "$(line "$1" "linux: nic: received")")" \
		"$NIC_MIB MiB, TCP, receiver's clock, checked"
	figure direct-nic-server-to-client "$(mbs "$(line "$2" "linux: nic: received")")" \
		"$NIC_MIB MiB, TCP, receiver's clock, checked"
}

run_nic() {
	server_boot nic-server || return 1
	client_boot nic-client 1 bulkhead.test=nic
	finish nic-server
	s=$?
	finish nic-client || s=1
	for side in nic-server nic-client; do
		check "$side" "3 of 3 replies" && check "$side" "linux: nic: passed" || s=1
	done
	[ "$s" = 0 ] && nic_figures nic-server nic-client
	return "$s"
}

run_msi_affinity() {
	server_boot affinity-server || return 1
	client_boot affinity-client 2 bulkhead.test=msi-affinity
	finish affinity-server
	s=$?
	finish affinity-client || s=1
	check affinity-server "linux: nic: passed" || s=1
	check affinity-client "linux: msi-affinity: passed" || s=1
	check affinity-client "all on CPU 1" || s=1
	return "$s"
}

run_nic_reboot() {
	server_boot reboot-server || return 1
	client_boot reboot-client-1 1 "bulkhead.test=nic-reboot bulkhead.run=1"
	finish reboot-client-1
	check reboot-client-1 "linux: nic: rebooting mid-transfer" || { finish reboot-server; return 1; }
	client_boot reboot-client-2 1 "bulkhead.test=nic-reboot bulkhead.run=2"
	finish reboot-server
	s=$?
	finish reboot-client-2 || s=1
	check reboot-server "linux: nic: passed" || s=1
	check reboot-client-2 "linux: nic: passed" || s=1
	return "$s"
}

run_nvme() {
	img=$out/nvme.img
	disk=$((NVME_MIB * 2))
	head -c $((disk * 1048576)) /dev/urandom >"$img" || return 1
	before=$(dd if="$img" bs=1M count="$NVME_MIB" status=none | sha256sum)
	before=${before%% *}
	stream=$("$prng" 7 $((NVME_MIB * 1048576)) | sha256sum)
	stream=${stream%% *}
	boot nvme 1 "bulkhead.test=nvme bulkhead.mib=$NVME_MIB bulkhead.seed=7" \
		-drive file="$img",if=none,id=d0,format=raw \
		-device nvme,drive=d0,serial=bulkhead0
	finish nvme
	s=$?
	after=$(dd if="$img" bs=1M skip="$NVME_MIB" count="$NVME_MIB" status=none | sha256sum)
	after=${after%% *}
	check nvme "linux: nvme: passed" || s=1
	check nvme "sha256 $before" || s=1
	[ "$after" = "$stream" ] || { say "nvme: the host reads $after where the guest wrote, not $stream"; s=1; }
	check nvme "read back sha256 $after verified" || s=1
	[ "$s" = 0 ] || return 1
	say "nvme: the host's sha256 of the first $NVME_MIB MiB, $before, is the guest's; the $NVME_MIB MiB it wrote read $after on the host, the stream of seed 7"
	figure direct-nvme-read "$(mbs "$(line nvme "linux: nvme: sequential read")")" \
		"$NVME_MIB MiB, 1 MiB O_DIRECT reads, guest's clock"
	figure direct-nvme-write "$(mbs "$(line nvme "linux: nvme: wrote")")" \
		"$NVME_MIB MiB, 1 MiB O_DIRECT writes and fsync, guest's clock"
}

for mode in $modes; do
	case $mode in
	nic) run=run_nic ;;
	nvme) run=run_nvme ;;
	nic-reboot) run=run_nic_reboot ;;
	msi-affinity) run=run_msi_affinity ;;
	*) say "unknown mode '$mode' (nic, nvme, nic-reboot, msi-affinity)"; exit 2 ;;
	esac
	start=$(now_ms)
	if $run; then
		say "$mode: pass in $(wall $(($(now_ms) - start)))"
	else
		say "$mode: FAIL (logs in $out)"
		failures=$((failures + 1))
	fi
done
mv "$out/latest.tsv.tmp" "$out/latest.tsv"
[ "$failures" = 0 ]
