#!/bin/bash
# run-bochs.sh [--serial FILE] [--quiet] ESPDIR [TIMEOUT]: boots the ESP
# folder in Bochs 2.7 (Intel Skylake-X with VT-x + EPT, OVMF) headless; the
# Intel counterpart of run-qemu.sh, used by `make run CPU=intel` and by
# run-scenario.sh for CPU=intel runs.
#
# Bochs runs on a private copy of the ESP with a configuration made from
# tools/bochs.conf.in. COM1 goes to FILE (default: a temporary file), which
# is shown on stdout as it grows unless --quiet. Bochs has no isa-debug-exit,
# so the run is judged from the serial log: once it shows a terminal marker
# ("end of run:", "PANIC", "boot aborted", a firmware exception dump, each
# only on the lines of the core, the loader or the firmware: never on a
# partition's, see tools/log-lines.sh) Bochs
# gets GRACE seconds to quit by itself (the core can enter the Bochs
# debugger, which then reads "quit"), then its process group is killed. It
# is also killed after TIMEOUT seconds (default 300), on Ctrl-C, or if this
# script is killed.
#
# Exit status (33/35/37 as QEMU's with isa-debug-exit, see docs/testing.md):
#   33  "end of run: pass"        35  "end of run: fail"    37  "PANIC"
#   64  stopped after another marker: "boot aborted" (the loader refused to
#       boot) or "X64 Exception Type" (the firmware caught a CPU exception)
#   65  Bochs exited by itself before any marker (see FILE's .bochs.log)
#  124  no marker within TIMEOUT            2  usage or setup error
# The first marker in the log decides. With --serial build/x.log, the
# configuration is kept as build/x.bochsrc, the Bochs log as
# build/x.bochs.log and Bochs's own output as build/x.bochs.out.
#
# Environment: BOCHS_CPUS (4), BOCHS_IPS (emulated instructions per second,
# see docs/emulators.md), BOCHS_MEGS (1024), GRACE (2), BOCHS (bochs),
# OVMF_CODE (the 2 MiB /usr/share/OVMF/OVMF_CODE.fd), VGABIOS.
set -u
shopt -u patsub_replacement 2>/dev/null	# "&" in a path stays literal

usage() { echo "usage: $0 [--serial FILE] [--quiet] ESPDIR [TIMEOUT]" >&2; exit 2; }
serial="" quiet=0
while [ $# -gt 0 ]; do
	case $1 in
	--serial) [ $# -ge 2 ] || usage; serial=$2; shift 2 ;;
	--quiet) quiet=1; shift ;;
	--) shift; break ;;
	-*) usage ;;
	*) break ;;
	esac
done
[ $# -ge 1 ] && [ $# -le 2 ] || usage
esp=$1
limit=${2:-300}
[[ $limit =~ ^[0-9]+$ ]] && [ "$limit" -gt 0 ] || usage
tools=$(cd -- "$(dirname -- "$0")" && pwd)
. "$tools/log-lines.sh"	# MARKERS, CORE_LINE, LOADER_LINE, log_grep

BOCHS=${BOCHS:-bochs}
BOCHS_CPUS=${BOCHS_CPUS:-4}
BOCHS_IPS=${BOCHS_IPS:-50000000}
BOCHS_MEGS=${BOCHS_MEGS:-1024}
GRACE=${GRACE:-2}
OVMF_CODE=${OVMF_CODE:-/usr/share/OVMF/OVMF_CODE.fd}
VGABIOS=${VGABIOS:-/usr/share/bochs/VGABIOS-lgpl-latest}

say() { echo "run-bochs: $*" >&2; }
die() { say "$*"; exit 2; }

[ -f "$esp/EFI/BOOT/BOOTX64.EFI" ] || die "$esp has no EFI/BOOT/BOOTX64.EFI (run tools/mkesp.sh)"
command -v "$BOCHS" > /dev/null || die "no $BOCHS (Debian packages bochs bochsbios vgabios; see make deps)"
[ -f "$OVMF_CODE" ] || die "no firmware $OVMF_CODE (Debian package ovmf)"
[ "$(stat -c %s -- "$OVMF_CODE")" -le 2097152 ] ||
	die "$OVMF_CODE is over 2 MiB: Bochs takes only the 2 MiB OVMF build"
[ -f "$VGABIOS" ] || die "no VGA BIOS $VGABIOS (Debian package vgabios)"

work=$(mktemp -d "${TMPDIR:-/tmp}/bulkhead-bochs.XXXXXX") || exit 2
if [ -z "$serial" ]; then
	serial=$work/serial.log
	base=$work/bochs
else
	mkdir -p -- "$(dirname -- "$serial")" || exit 2
	serial=$(cd -- "$(dirname -- "$serial")" && pwd)/$(basename -- "$serial")
	base=${serial%.log}
fi
bochs_pid="" tail_pid=""
stop_bochs() {
	[ -n "$bochs_pid" ] || return 0
	# timeout(1) leads its own process group: end Bochs and timeout together.
	kill -TERM -- "-$bochs_pid" 2>/dev/null
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		kill -0 "$bochs_pid" 2>/dev/null || break
		sleep 0.2
	done
	kill -KILL -- "-$bochs_pid" 2>/dev/null
	wait "$bochs_pid" 2>/dev/null
	bochs_pid=""
}
cleanup() {
	stop_bochs
	if [ -n "$tail_pid" ]; then
		kill "$tail_pid" 2>/dev/null
		wait "$tail_pid" 2>/dev/null
	fi
	rm -rf -- "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# Bochs's configuration parser splits at blanks and commas.
mkdir -p -- "$work/esp" && cp -r -- "$esp/." "$work/esp/" || exit 2
for path in "$work" "$serial" "$base" "$OVMF_CODE" "$VGABIOS"; do
	[[ $path =~ ^[A-Za-z0-9_./+@%:=-]+$ ]] ||
		die "path '$path' has characters a Bochs configuration cannot hold"
done

config=$(< "$tools/bochs.conf.in") || exit 2
config=${config//@CPUS@/$BOCHS_CPUS}
config=${config//@IPS@/$BOCHS_IPS}
config=${config//@MEGS@/$BOCHS_MEGS}
config=${config//@ROM@/$OVMF_CODE}
config=${config//@VGAROM@/$VGABIOS}
config=${config//@ESP@/$work/esp}
config=${config//@SERIAL@/$serial}
config=${config//@LOG@/$base.bochs.log}
printf '%s\n' "$config" > "$base.bochsrc" || exit 2
# Debugger commands: run; and when the core enters the debugger through
# the Bochs I/O debug port (0x8a00), quit.
printf 'c\nquit\n' > "$work/run.rc"

: > "$serial"
rm -f -- "$base.bochs.log"
now_us() { local t=${EPOCHREALTIME/[.,]/}; echo "$t"; }
seconds() { printf '%d.%d' $(($1 / 1000000)) $(($1 % 1000000 / 100000)); }
start=$(now_us)
say "booting $esp: $BOCHS_CPUS CPUs, ${BOCHS_MEGS} MiB, ips $BOCHS_IPS, timeout ${limit} s"
# timeout is only a backstop; the loop below normally ends Bochs first.
# Without --foreground timeout puts itself and Bochs in a new process group.
timeout -k 5 $((limit + 30)) "$BOCHS" -q -unlock -f "$base.bochsrc" -rc "$work/run.rc" \
	< /dev/null > "$base.bochs.out" 2>&1 &
bochs_pid=$!
if [ "$quiet" = 0 ]; then
	tail -n +1 -f -- "$serial" &
	tail_pid=$!
fi

marker_at="" how=exited t_loader="" t_core="" t_marker=""
while kill -0 "$bochs_pid" 2>/dev/null; do
	now=$(now_us)
	if [ -z "$t_loader" ] && log_grep -Eq -- "$LOADER_LINE" "$serial"; then
		t_loader=$((now - start))
	fi
	if [ -z "$t_core" ] && log_grep -Eq -- "$CORE_LINE" "$serial"; then
		t_core=$((now - start))
	fi
	if [ -z "$marker_at" ] && log_grep -Eq -- "$MARKERS" "$serial"; then
		marker_at=$now
		t_marker=$((now - start))
	fi
	if [ -n "$marker_at" ] && [ $((now - marker_at)) -ge $((GRACE * 1000000)) ]; then
		how=killed
		break
	fi
	if [ $((now - start)) -ge $((limit * 1000000)) ]; then
		how=timeout
		break
	fi
	sleep 0.25
done
if [ "$how" = exited ]; then
	wait "$bochs_pid"
	bochs_status=$?
	bochs_pid=""
else
	stop_bochs
	bochs_status=""
fi
if [ -n "$tail_pid" ]; then
	sleep 0.3	# let tail print the last lines
	kill "$tail_pid" 2>/dev/null
	wait "$tail_pid" 2>/dev/null
	tail_pid=""
fi

at() { if [ -n "$1" ]; then echo "$(seconds "$1") s"; else echo never; fi; }
say "times since Bochs started: first loader line $(at "$t_loader"), first core line $(at "$t_core"), marker $(at "$t_marker"), end $(at $(($(now_us) - start)))"

first=$(log_grep -E -m1 -- "$MARKERS" "$serial")
case $first in
*"end of run: pass"*) say "result: pass (every partition exited with status 0)"; exit 33 ;;
*"end of run:"*) say "result: fail (a partition failed or was stopped)"; exit 35 ;;
*PANIC*) say "result: hypervisor panic"; exit 37 ;;
*"boot aborted"*) say "result: the loader refused to boot (Bochs stopped)"; exit 64 ;;
*"X64 Exception Type"*) say "result: the firmware caught a CPU exception (Bochs stopped)"; exit 64 ;;
esac
if [ "$how" = timeout ]; then
	say "result: no end of run within ${limit} s (Bochs stopped)"; exit 124
fi
say "result: Bochs exited (status ${bochs_status:-?}) without an end of run; see $base.bochs.log"
# Bochs's reason, e.g. ">>PANIC<< numerical parameter 'host_size' ..."
grep -ahE -m3 -- '>>PANIC<<|request return to dbg prompt' "$base.bochs.out" "$base.bochs.log" 2>/dev/null |
	sed 's/^/run-bochs: bochs: /' >&2
exit 65
