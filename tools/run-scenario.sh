#!/bin/bash
# run-scenario.sh SCENARIO [BUILD]: runs one system scenario in QEMU (TCG,
# AMD SVM+NPT, OVMF) and checks its expectations; prints "PASS <name>" or
# "FAIL <name>: <why>" (then the last 30 log lines) and exits 0 or 1.
#
# SCENARIO is tests/system/<name>.dts (or .expect, or the path without an
# extension, or a folder holding config.dts and expect). The config is
# compiled with dtc, put on a private copy of the ESP, and the serial output
# goes to BUILD/tests/system/<name>.log. QEMU is stopped early once the log
# shows a terminal marker ("end of run:", "PANIC", "boot aborted", or a
# firmware exception dump) and it
# has not exited by itself within a few seconds, or when the timeout ends.
# The .expect format is described in docs/testing.md.
set -u

usage() { echo "usage: $0 SCENARIO.dts|SCENARIO_DIR [BUILD]" >&2; exit 2; }
[ $# -ge 1 ] && [ $# -le 2 ] || usage
scenario=$1
BUILD=${2:-${BUILD:-build}}
tools=$(cd -- "$(dirname -- "$0")" && pwd)

if [ -d "$scenario" ]; then
	name=$(basename -- "$(cd -- "$scenario" && pwd)")
	dts=$scenario/config.dts
	expect=$scenario/expect
else
	base=${scenario%.dts}
	base=${base%.expect}
	name=$(basename -- "$base")
	dts=$base.dts
	expect=$base.expect
fi

QEMU=${QEMU:-qemu-system-x86_64}
OVMF_CODE=${OVMF_CODE:-/usr/share/OVMF/OVMF_CODE.fd}
OVMF_VARS=${OVMF_VARS:-/usr/share/OVMF/OVMF_VARS.fd}
GRACE=${GRACE:-3}		# seconds QEMU may take to exit after a marker
# Terminal markers: the core's last line, a panic, a loader refusal, or a
# CPU exception caught by the firmware (a crashed loader).
MARKERS='end of run:|PANIC|boot aborted|X64 Exception Type'

out=$BUILD/tests/system
log=$out/$name.log
mkdir -p -- "$out" || exit 1
rm -f -- "$log" "$out/$name.qemu.err"

fail() {
	echo "FAIL $name: $*"
	if [ -s "$log" ]; then
		echo "---- last 30 lines of $log"
		# without carriage returns and OVMF's ANSI escape sequences
		tail -n 30 -- "$log" | sed -e 's/\x1b\[[0-9;=?]*[A-Za-z]//g' -e 's/\r//g' | awk 1
		echo "----"
	fi
	local err
	err=$(grep -v 'terminating on signal' "$out/$name.qemu.err" 2>/dev/null | tail -n 10)
	if [ -n "$err" ]; then
		echo "---- QEMU stderr"
		echo "$err"
		echo "----"
	fi
	exit 1
}

[ -f "$dts" ] || fail "no config $dts"
[ -f "$expect" ] || fail "no expectations $expect"

# Parse the expectations.
expects=() rejects=() want_exit="" limit=120 lineno=0
while IFS= read -r line || [ -n "$line" ]; do
	lineno=$((lineno + 1))
	line=${line%$'\r'}
	line=${line#"${line%%[![:space:]]*}"}	# leading blanks
	line=${line%"${line##*[![:space:]]}"}	# trailing blanks
	case $line in
	"" | "#"*) continue ;;
	esac
	word=${line%%[[:space:]]*}
	rest=${line#"$word"}
	rest=${rest#"${rest%%[![:space:]]*}"}
	case $word in
	expect) [ -n "$rest" ] || fail "$expect:$lineno: empty expect"; expects+=("$rest") ;;
	reject) [ -n "$rest" ] || fail "$expect:$lineno: empty reject"; rejects+=("$rest") ;;
	exit)
		[[ $rest =~ ^([0-9]+|killed)$ ]] || fail "$expect:$lineno: exit takes a number or 'killed'"
		want_exit=$rest ;;
	timeout)
		[[ $rest =~ ^[0-9]+$ ]] && [ "$rest" -gt 0 ] || fail "$expect:$lineno: timeout takes seconds"
		limit=$rest ;;
	*) fail "$expect:$lineno: unknown directive '$word'" ;;
	esac
done < "$expect"

dtb=$out/$name.dtb
dtc -q -I dts -O dtb -o "$dtb" "$dts" 2> "$out/$name.dtc.err" ||
	fail "dtc cannot compile $dts: $(head -n 3 "$out/$name.dtc.err" | tr '\n' ' ')"
rm -f -- "$out/$name.dtc.err"

# A private ESP: QEMU's fat:rw may write to it and scenarios run in parallel.
esp=$(mktemp -d "${TMPDIR:-/tmp}/bulkhead-$name.XXXXXX") || exit 1
qemu_pid=""
cleanup() {
	[ -n "$qemu_pid" ] && kill "$qemu_pid" 2>/dev/null
	rm -rf -- "$esp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
BUILD=$BUILD "$tools/mkesp.sh" "$esp" "$dtb" > /dev/null 2> "$out/$name.mkesp.err" ||
	fail "mkesp: $(cat "$out/$name.mkesp.err")"
rm -f -- "$out/$name.mkesp.err"

: > "$log"
# timeout is only a backstop; the loop below normally ends QEMU first.
timeout -k 5 $((limit + 30)) "$QEMU" -machine q35 -accel tcg \
	-cpu qemu64,+svm,+npt -smp 4 -m 1G \
	-drive if=pflash,format=raw,readonly=on,file="$OVMF_CODE" \
	-drive if=pflash,format=raw,snapshot=on,file="$OVMF_VARS" \
	-drive format=raw,file=fat:rw:"$esp" \
	-display none -monitor none -serial file:"$log" \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 -no-reboot \
	< /dev/null > /dev/null 2> "$out/$name.qemu.err" &
qemu_pid=$!

start=$(date +%s)
marker_at="" how=exited
while kill -0 "$qemu_pid" 2>/dev/null; do
	now=$(date +%s)
	if [ -z "$marker_at" ] && grep -aEq -- "$MARKERS" "$log"; then
		marker_at=$now
	fi
	if [ -n "$marker_at" ] && [ $((now - marker_at)) -ge "$GRACE" ]; then
		how=killed
		break
	fi
	if [ $((now - start)) -ge "$limit" ]; then
		how=timeout
		break
	fi
	sleep 0.5
done
if [ "$how" != exited ]; then
	kill "$qemu_pid" 2>/dev/null
fi
wait "$qemu_pid"
status=$?
qemu_pid=""
[ -s "$out/$name.qemu.err" ] || rm -f -- "$out/$name.qemu.err"

# Check.
if grep -aq 'X64 Exception Type' "$log"; then
	fail "the firmware caught a CPU exception (the loader crashed)"
fi
if [ "$how" = timeout ]; then
	fail "timed out after $limit s without a terminal marker ($MARKERS)"
fi
if [ "$how" = exited ] && { [ "$status" = 124 ] || [ "$status" = 137 ]; }; then
	fail "QEMU was ended by the backstop timeout (status $status)"
fi
ended=$(grep -Ea -m1 -- "$MARKERS" "$log" | sed -e 's/\x1b\[[0-9;=?]*[A-Za-z]//g' -e 's/\r//g')
ended=${ended:+; the run ended at: $ended}
for text in "${expects[@]}"; do
	grep -aFq -- "$text" "$log" || fail "expected a line containing '$text'$ended"
done
for text in "${rejects[@]}"; do
	hit=$(grep -aF -m1 -- "$text" "$log" | tr -d '\r')
	[ -z "$hit" ] || fail "rejected text '$text' found: $hit"
done
if [ -n "$want_exit" ]; then
	if [ "$how" = killed ]; then
		got="killed (stopped by the runner ${GRACE} s after a marker)"
		[ "$want_exit" = killed ] || fail "expected QEMU exit status $want_exit, got $got"
	else
		[ "$want_exit" = "$status" ] || fail "expected QEMU exit $want_exit, got status $status"
	fi
fi
echo "PASS $name"
exit 0
