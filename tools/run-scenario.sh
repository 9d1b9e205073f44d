#!/bin/bash
# run-scenario.sh [--cpu amd|intel] SCENARIO [BUILD]: runs one system
# scenario and checks its expectations. CPU=amd (the default) boots QEMU
# (TCG, AMD SVM+NPT, OVMF); CPU=intel boots Bochs (Intel VT-x+EPT, OVMF)
# through run-bochs.sh. Prints "PASS <name>" or "FAIL <name>: <why>" (then
# the last 30 log lines); Intel runs say "<name> (intel)". Exits 0 or 1.
#
# SCENARIO is tests/system/<name>.dts (or .expect, or the path without an
# extension, or a folder holding config.dts and expect). The config is
# compiled with dtc, put on a private copy of the ESP, and the serial output
# goes to BUILD/tests/system/<name>.log (<name>.intel.log for Bochs). The
# emulator is stopped early once the log shows a terminal marker ("end of
# run:", "PANIC", "boot aborted", or a firmware exception dump) and it has
# not exited by itself within a few seconds, or when the timeout ends.
# Markers count only on the lines of whoever writes them: the core's own
# lines ("[ts] bulkhead: "), the loader's, the firmware's, never a
# partition's (tools/log-lines.sh). Bochs has no isa-debug-exit: for it the
# exit status that `exit N` checks is read from the log (pass 33, fail 35,
# PANIC 37, a loader refusal is "killed"). The .expect format is described
# in docs/testing.md. Disks a scenario asks for (disk) are made before a
# QEMU run, of random content, as BUILD/tests/system/<name>.disk-<disk>.img,
# and kept after it.
set -u

usage() { echo "usage: $0 [--cpu amd|intel] SCENARIO.dts|SCENARIO_DIR [BUILD]" >&2; exit 2; }
CPU=${CPU:-amd}
if [ "${1:-}" = --cpu ]; then
	[ $# -ge 2 ] || usage
	CPU=$2
	shift 2
fi
case $CPU in amd | intel) ;; *) echo "$0: CPU must be amd or intel, not '$CPU'" >&2; exit 2 ;; esac
[ $# -ge 1 ] && [ $# -le 2 ] || usage
scenario=$1
BUILD=${2:-${BUILD:-build}}
tools=$(cd -- "$(dirname -- "$0")" && pwd)
. "$tools/log-lines.sh"	# MARKERS, FIRMWARE_EXCEPTION, log_grep, log_has

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

out=$BUILD/tests/system
if [ "$CPU" = intel ]; then
	label="$name (intel)"
	stem=$out/$name.intel	# .log, .dtb, .bochsrc, .bochs.log, .bochs.out, .runner
	emulator=Bochs
else
	label=$name
	stem=$out/$name		# .log, .dtb, .qemu.err
	emulator=QEMU
fi
log=$stem.log
mkdir -p -- "$out" || exit 1
if [ "$CPU" = intel ]; then
	rm -f -- "$log" "$stem.runner" "$stem.bochs.log"
else
	rm -f -- "$log" "$out/$name.qemu.err"
fi

fail() {
	echo "FAIL $label: $*"
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
	if [ -s "$stem.runner" ]; then
		echo "---- run-bochs.sh"
		cat -- "$stem.runner"
		echo "----"
	fi
	# Bochs's own errors and panics (a failed VM entry names the check)
	err=$(grep -aE '^[0-9]+[ep]\[' "$stem.bochs.log" 2>/dev/null |
		grep -avE 'RDMSR: Unknown register 0x17|UHCI .*non existent|CMOS .*0x0d ignored' | tail -n 10)
	if [ -n "$err" ]; then
		echo "---- errors in $stem.bochs.log"
		echo "$err"
		echo "----"
	fi
	exit 1
}

[ -f "$dts" ] || fail "no config $dts"
[ -f "$expect" ] || fail "no expectations $expect"

# Parse the expectations.
expects=() rejects=() want_exit="" limit=120 lineno=0
triggers=() keys=() qemu_args=()
declare -A disk_mib=()	# disk name => size in MiB
disk_checks=()		# "kind<TAB>disk<TAB>offset<TAB>size<TAB>text or seed"
bochs_cpus=4 bochs_limit="" bochs_skip=""
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
	reject-amd)
		# a reject that holds on the AMD path (QEMU) only
		[ -n "$rest" ] || fail "$expect:$lineno: empty reject-amd"
		[ "$CPU" = amd ] && rejects+=("$rest") ;;
	exit)
		[[ $rest =~ ^([0-9]+|killed)$ ]] || fail "$expect:$lineno: exit takes a number or 'killed'"
		want_exit=$rest ;;
	timeout)
		[[ $rest =~ ^[0-9]+$ ]] && [ "$rest" -gt 0 ] || fail "$expect:$lineno: timeout takes seconds"
		limit=$rest ;;
	bochs-cpus)
		[[ $rest =~ ^[1-9][0-9]*$ ]] || fail "$expect:$lineno: bochs-cpus takes a CPU count"
		bochs_cpus=$rest ;;
	bochs-timeout)
		[[ $rest =~ ^[0-9]+$ ]] && [ "$rest" -gt 0 ] || fail "$expect:$lineno: bochs-timeout takes seconds"
		bochs_limit=$rest ;;
	bochs-skip) [ -n "$rest" ] || fail "$expect:$lineno: bochs-skip needs a reason"; bochs_skip=$rest ;;
	qemu-args)
		# more QEMU arguments (the AMD run only), split at blanks:
		# qemu-args -device edu,addr=10.0
		[ -n "$rest" ] || fail "$expect:$lineno: empty qemu-args"
		read -r -a words <<< "$rest"
		qemu_args+=("${words[@]}") ;;
	disk)
		# disk <name> <MiB>: a disk image of random content, made before
		# the run; {disk:<name>} in qemu-args is its path
		[[ $rest =~ ^([A-Za-z0-9_-]+)[[:space:]]+([1-9][0-9]*)$ ]] ||
			fail "$expect:$lineno: disk takes a name and a size in MiB"
		dname=${BASH_REMATCH[1]}
		[ -z "${disk_mib[$dname]:-}" ] || fail "$expect:$lineno: disk $dname is made twice"
		disk_mib[$dname]=${BASH_REMATCH[2]} ;;
	disk-sum-before | disk-sum-after | disk-prng-after)
		# disk-sum-before|disk-sum-after <disk> <offset MiB> <size MiB>
		# <text with {sha256}>: a log line has the text, {sha256} being the
		# host's sha256 of that region before or after the run;
		# disk-prng-after <disk> <offset> <size> <seed>: after the run the
		# region is the stream of guests/linux/prng.c for that seed
		[[ $rest =~ ^([A-Za-z0-9_-]+)[[:space:]]+([0-9]+)[[:space:]]+([1-9][0-9]*)[[:space:]]+(.+)$ ]] ||
			fail "$expect:$lineno: $word takes a disk, an offset and a size in MiB, and a text"
		dname=${BASH_REMATCH[1]} doff=${BASH_REMATCH[2]} dsize=${BASH_REMATCH[3]}
		dtext=${BASH_REMATCH[4]}
		if [ "$word" = disk-prng-after ]; then
			[[ $dtext =~ ^[0-9]+$ ]] || fail "$expect:$lineno: disk-prng-after takes a seed (a number)"
		else
			[[ $dtext == *"{sha256}"* ]] || fail "$expect:$lineno: $word needs {sha256} in its text"
		fi
		disk_checks+=("$word"$'\t'"$dname"$'\t'"$doff"$'\t'"$dsize"$'\t'"$dtext") ;;
	type)
		# type <trigger> => <keys>: once the log has <trigger>, the keys
		# (printf %b escapes: \n, \x1d) are typed on the serial console.
		[[ $rest == *" => "* ]] || fail "$expect:$lineno: type needs '<trigger> => <keys>'"
		triggers+=("${rest%% => *}")
		keys+=("${rest#* => }") ;;
	*) fail "$expect:$lineno: unknown directive '$word'" ;;
	esac
done < "$expect"

if [ "$CPU" = intel ] && [ -n "$bochs_skip" ] && [ "${BOCHS_SKIPPED:-0}" != 1 ]; then
	echo "SKIP $label: $bochs_skip"
	exit 0
fi

# The disks (QEMU only, as qemu-args): every check names a disk that is
# made and a region inside it, {disk:<name>} only disks that are made.
disk_path() { echo "$stem.disk-$1.img"; }
for check in ${disk_checks[@]+"${disk_checks[@]}"}; do
	IFS=$'\t' read -r kind dname doff dsize dtext <<< "$check"
	[ -n "${disk_mib[$dname]:-}" ] || fail "$expect: $kind names disk $dname, which no disk line makes"
	[ $((doff + dsize)) -le "${disk_mib[$dname]}" ] ||
		fail "$expect: $kind: MiB $doff-$((doff + dsize)) is not inside disk $dname (${disk_mib[$dname]} MiB)"
done
for i in ${qemu_args[@]+"${!qemu_args[@]}"}; do
	while [[ ${qemu_args[$i]} =~ \{disk:([^}]*)\} ]]; do
		dname=${BASH_REMATCH[1]}
		[ -n "${disk_mib[$dname]:-}" ] || fail "$expect: qemu-args names {disk:$dname}, which no disk line makes"
		qemu_args[$i]=${qemu_args[$i]//"{disk:$dname}"/$(disk_path "$dname")}
	done
done
# disk_sum DISK OFFSET SIZE: the sha256 of that region (MiB).
disk_sum() {
	local sum
	sum=$(dd if="$(disk_path "$1")" bs=1M skip="$2" count="$3" status=none | sha256sum) || return 1
	echo "${sum%% *}"
}
declare -A sum_before=()
if [ "$CPU" = amd ]; then
	for dname in "${!disk_mib[@]}"; do
		rm -f -- "$(disk_path "$dname")"
		head -c $((disk_mib[$dname] * 1048576)) /dev/urandom > "$(disk_path "$dname")" ||
			fail "cannot make disk $dname"
	done
	for check in ${disk_checks[@]+"${disk_checks[@]}"}; do
		IFS=$'\t' read -r kind dname doff dsize dtext <<< "$check"
		[ "$kind" = disk-sum-before ] || continue
		sum_before[$dname:$doff:$dsize]=$(disk_sum "$dname" "$doff" "$dsize") ||
			fail "cannot read disk $dname"
	done
fi

dtb=$stem.dtb
dtc -q -I dts -O dtb -o "$dtb" "$dts" 2> "$stem.dtc.err" ||
	fail "dtc cannot compile $dts: $(head -n 3 "$stem.dtc.err" | tr '\n' ' ')"
rm -f -- "$stem.dtc.err"

# A private ESP: the emulator may write to it and scenarios run in parallel.
esp=$(mktemp -d "${TMPDIR:-/tmp}/bulkhead-$name.XXXXXX") || exit 1
emu_pid=""
cleanup() {
	[ -n "$emu_pid" ] && kill "$emu_pid" 2>/dev/null
	rm -rf -- "$esp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
BUILD=$BUILD "$tools/mkesp.sh" "$esp" "$dtb" > /dev/null 2> "$stem.mkesp.err" ||
	fail "mkesp: $(cat "$stem.mkesp.err")"
rm -f -- "$stem.mkesp.err"

: > "$log"
if [ "$CPU" = intel ]; then
	# run-bochs.sh polls the log, stops Bochs (its whole process group)
	# after a marker, and reports the result as its exit status. Bochs is
	# slower than QEMU: without bochs-timeout the limit is doubled.
	limit=${bochs_limit:-$((limit * 2))}
	BOCHS_CPUS=$bochs_cpus "$tools/run-bochs.sh" --quiet --serial "$log" "$esp" "$limit" \
		> /dev/null 2> "$stem.runner" &
	emu_pid=$!	# killing run-bochs.sh stops Bochs too
	wait "$emu_pid"
	status=$?
	emu_pid=""
	if [ ${#triggers[@]} -gt 0 ]; then
		exec 3>&-
		rm -f -- "$fifo.in" "$fifo.out"
		[ "$typed" -eq ${#triggers[@]} ] ||
			fail "typed input $((typed + 1)) never triggered: '${triggers[$typed]}' not in the log"
	fi
	case $status in
	33 | 35 | 37) how=exited ;;	# as QEMU would have exited
	64) how=killed ;;		# boot aborted / firmware exception
	124) how=timeout ;;
	65) fail "Bochs exited by itself before any terminal marker ($MARKER_NAMES)" ;;
	*) fail "run-bochs.sh failed (status $status)" ;;
	esac
else
	# Scenarios that type get a pipe for the serial port (QEMU reads
	# <fifo>.in, writes <fifo>.out, which is drained) and its log file.
	serial=(-serial file:"$log")
	if [ ${#triggers[@]} -gt 0 ]; then
		fifo=$out/$name.serial
		rm -f -- "$fifo.in" "$fifo.out"
		mkfifo -- "$fifo.in" "$fifo.out" || fail "cannot make $fifo.in"
		: > "$log"
		serial=(-chardev pipe,id=serial0,path="$fifo",logfile="$log"
			-serial chardev:serial0)
	fi
	# timeout is only a backstop; the loop below normally ends QEMU first.
	timeout -k 5 $((limit + 30)) "$QEMU" -machine q35 -accel tcg \
		-cpu qemu64,+svm,+npt -smp 4 -m 1G \
		-drive if=pflash,format=raw,readonly=on,file="$OVMF_CODE" \
		-drive if=pflash,format=raw,snapshot=on,file="$OVMF_VARS" \
		-drive format=raw,file=fat:rw:"$esp" \
		-display none -monitor none "${serial[@]}" \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 -no-reboot \
		${qemu_args[@]+"${qemu_args[@]}"} \
		< /dev/null > /dev/null 2> "$out/$name.qemu.err" &
	emu_pid=$!
	typed=0
	if [ ${#triggers[@]} -gt 0 ]; then
		cat -- "$fifo.out" > /dev/null &
		exec 3<> "$fifo.in"
	fi

	start=$(date +%s)
	marker_at="" how=exited
	while kill -0 "$emu_pid" 2>/dev/null; do
		now=$(date +%s)
		if [ "$typed" -lt ${#triggers[@]} ] &&
			grep -aFq -- "${triggers[$typed]}" "$log"; then
			# one key at a time, as a person types; {core} is the
			# core's load address from the loader's line (a test
			# may aim at the hypervisor's own memory)
			text=$(printf '%b_' "${keys[$typed]}")
			text=${text%_}
			if [[ $text == *"{core}"* ]]; then
				core=$(grep -aoE 'core loaded at 0x[0-9a-f]+' "$log" | head -n 1)
				text=${text//"{core}"/${core##* }}
			fi
			for ((k = 0; k < ${#text}; k++)); do
				printf '%s' "${text:k:1}" >&3
				sleep 0.05
			done
			typed=$((typed + 1))
		fi
		if [ -z "$marker_at" ] && log_grep -Eq -- "$MARKERS" "$log"; then
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
		kill "$emu_pid" 2>/dev/null
	fi
	wait "$emu_pid"
	status=$?
	emu_pid=""
	[ -s "$out/$name.qemu.err" ] || rm -f -- "$out/$name.qemu.err"
fi

# Check.
if log_grep -Eq -- "$FIRMWARE_EXCEPTION" "$log"; then
	fail "the firmware caught a CPU exception (the loader crashed)"
fi
if [ "$how" = timeout ]; then
	fail "timed out after $limit s without a terminal marker ($MARKER_NAMES)"
fi
if [ "$CPU" = amd ] && [ "$how" = exited ] && { [ "$status" = 124 ] || [ "$status" = 137 ]; }; then
	fail "QEMU was ended by the backstop timeout (status $status)"
fi
ended=$(log_grep -E -m1 -- "$MARKERS" "$log" | sed -e 's/\x1b\[[0-9;=?]*[A-Za-z]//g' -e 's/\r//g')
ended=${ended:+; the run ended at: $ended}
for text in "${expects[@]}"; do
	[ -n "$(log_has "$text" "$log")" ] || fail "expected a line containing '$text'$ended"
done
for text in "${rejects[@]}"; do
	hit=$(log_has "$text" "$log" | tr -d '\r')
	[ -z "$hit" ] || fail "rejected text '$text' found: $hit"
done
if [ "$CPU" = amd ]; then
	for check in ${disk_checks[@]+"${disk_checks[@]}"}; do
		IFS=$'\t' read -r kind dname doff dsize dtext <<< "$check"
		region="MiB $doff-$((doff + dsize)) of disk $dname"
		case $kind in
		disk-sum-before | disk-sum-after)
			if [ "$kind" = disk-sum-before ]; then
				sum=${sum_before[$dname:$doff:$dsize]} when=before
			else
				sum=$(disk_sum "$dname" "$doff" "$dsize") || fail "cannot read disk $dname"
				when=after
			fi
			text=${dtext//"{sha256}"/$sum}
			[ -n "$(log_has "$text" "$log")" ] ||
				fail "expected a line containing '$text' (the host's sha256 of $region $when the run)$ended" ;;
		disk-prng-after)
			prng=$BUILD/linux/prng
			[ -x "$prng" ] || fail "disk-prng-after needs $prng (make)"
			sum=$(disk_sum "$dname" "$doff" "$dsize") || fail "cannot read disk $dname"
			want=$("$prng" "$dtext" $((dsize * 1048576)) | sha256sum)
			want=${want%% *}
			[ "$sum" = "$want" ] ||
				fail "$region after the run has sha256 $sum, not $want (the stream of seed $dtext)$ended" ;;
		esac
	done
fi
if [ -n "$want_exit" ]; then
	if [ "$how" = killed ]; then
		got="killed (stopped by the runner after a marker)"
		[ "$want_exit" = killed ] || fail "expected $emulator exit status $want_exit, got $got"
	else
		from=""
		[ "$CPU" = intel ] && from=" (read from the log's first marker)"
		[ "$want_exit" = "$status" ] || fail "expected $emulator exit $want_exit, got status $status$from"
	fi
fi
echo "PASS $label"
exit 0
