#!/bin/bash
# run-qemu.sh ESPDIR [TIMEOUT]: boots the ESP folder in QEMU (TCG, AMD
# SVM+NPT, 4 CPUs, 1 GiB, OVMF) with the serial console on this terminal;
# used by `make run`. QEMU runs on a private copy of the ESP. The run ends
# when the hypervisor ends QEMU through isa-debug-exit (the config's
# end-of-run node), after TIMEOUT seconds (default 300), or on Ctrl-A x.
# Exit status: 0 for a passing run (QEMU status 33), 1 otherwise.
set -u

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
	echo "usage: $0 ESPDIR [TIMEOUT]" >&2
	exit 2
fi
esp=$1
limit=${2:-300}
[ -f "$esp/EFI/BOOT/BOOTX64.EFI" ] || { echo "run-qemu: $esp has no EFI/BOOT/BOOTX64.EFI (run tools/mkesp.sh)" >&2; exit 1; }

QEMU=${QEMU:-qemu-system-x86_64}
OVMF_CODE=${OVMF_CODE:-/usr/share/OVMF/OVMF_CODE.fd}
OVMF_VARS=${OVMF_VARS:-/usr/share/OVMF/OVMF_VARS.fd}

copy=$(mktemp -d "${TMPDIR:-/tmp}/bulkhead-run.XXXXXX") || exit 1
trap 'rm -rf -- "$copy"' EXIT
cp -r -- "$esp/." "$copy/" || exit 1

echo "run-qemu: booting $esp (timeout ${limit} s; Ctrl-A x quits)"
# --foreground: QEMU reads the terminal, so it must stay in its process group.
timeout --foreground -k 5 "$limit" "$QEMU" -machine q35 -accel tcg \
	-cpu qemu64,+svm,+npt -smp 4 -m 1G \
	-drive if=pflash,format=raw,readonly=on,file="$OVMF_CODE" \
	-drive if=pflash,format=raw,snapshot=on,file="$OVMF_VARS" \
	-drive format=raw,file=fat:rw:"$copy" \
	-display none -serial mon:stdio \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 -no-reboot
status=$?

case $status in
33) echo "run-qemu: result: pass (every partition exited with status 0)"; exit 0 ;;
35) echo "run-qemu: result: fail (a partition failed or was stopped)" ;;
37) echo "run-qemu: result: hypervisor panic" ;;
124 | 137) echo "run-qemu: result: no end of run within ${limit} s (QEMU stopped)" ;;
0) echo "run-qemu: result: QEMU quit without an end of run" ;;
*) echo "run-qemu: result: QEMU exited with status $status" ;;
esac
exit 1
