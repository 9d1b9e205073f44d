# log-lines.sh, sourced by run-scenario.sh and run-bochs.sh: which lines of
# a serial log the hypervisor, its loader and the firmware wrote, and the
# terminal markers, which are read from those lines only.
#
# After the loader, every line is a console line "[    1.234567] LABEL:
# text". A partition's label is its name, which is never "bulkhead" (the
# config parser refuses it), and its text can hold no CR, LF or escape
# sequence (the console shows them as ^M, ^[ ...; docs/hypercalls.md), so
# a partition line can neither start with the core's label nor start a
# line of its own. Match these as extended regexps on whole lines, under
# LC_ALL=C (log_grep) so that stray bytes never stop a match.

LOG_ESC=$'\x1b'
# A core line: "[    1.234567] bulkhead: ", from the start of the line.
CORE_LINE='^\[ *[0-9]+\.[0-9]{6}\] bulkhead: '
# A loader line; the first may follow the firmware's screen escapes.
LOADER_LINE="^($LOG_ESC\\[[0-9;=?]*[A-Za-z])*bulkhead loader: "
# OVMF's exception dump ("!!!! X64 Exception Type - 0E(#PF ...") on a line
# that is not a console line (the core's and partitions' start "[" and a
# digit or blank).
FIRMWARE_EXCEPTION='^([^[]|\[[^ 0-9]).*X64 Exception Type|^X64 Exception Type'
# The terminal markers: the core's last line or its panic, the loader's
# refusal to boot, a CPU exception caught by the firmware.
MARKERS="${CORE_LINE}(end of run:|PANIC)|${LOADER_LINE}.*boot aborted|$FIRMWARE_EXCEPTION"
MARKER_NAMES='"end of run:" or "PANIC" from the core, "boot aborted" from the loader, "X64 Exception Type" from the firmware'

log_grep() { LC_ALL=C grep -a "$@"; }

# log_has TEXT LOG: prints the first line of LOG that an expect or reject
# TEXT matches. A TEXT that starts with "bulkhead: " (or is "bulkhead:")
# is the hypervisor's: it matches only a core line whose text, from its
# label on, starts with TEXT. Any other TEXT matches anywhere in any line.
log_has() {
	if [[ $1 == "bulkhead: "* || $1 == "bulkhead:" ]]; then
		# CORE_LINE, spelt without an interval for any awk
		LC_ALL=C TEXT=$1 awk '
			{ sub(/\r$/, "") }
			match($0, /^\[ *[0-9]+\.[0-9][0-9][0-9][0-9][0-9][0-9]\] /) &&
			index(substr($0, RLENGTH + 1), ENVIRON["TEXT"]) == 1 {
				print; exit
			}' "$2"
	else
		log_grep -F -m1 -- "$1" "$2"
	fi
}
