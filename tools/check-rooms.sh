#!/bin/bash
# check-rooms.sh [RULES]: holds every #include of the tree to the rooms and
# arrows of tools/rooms.txt (docs/architecture.md). Fails, with one line per
# fault, when a file includes from a room its room may not use, when a
# quoted include names no file (or climbs out with "../"), when a folder
# with sources is not a room of the rules (guests/ aside), or when modules (a .c with its
# .h) include each other in a loop. On success prints one line: how many
# includes in how many files were checked. Exit status 0 or 1.
set -u

root=$(cd -- "$(dirname -- "$0")/.." && pwd)
cd -- "$root" || exit 1
rules=${1:-tools/rooms.txt}
[ -f "$rules" ] || { echo "check-rooms: no rules file $rules" >&2; exit 1; }

mapfile -t files < <(find . \( -path ./build -o -path ./.git \) -prune -o \
	-type f \( -name '*.c' -o -name '*.h' -o -name '*.S' -o -name '*.inc' \) -print |
	sed 's|^\./||' | LC_ALL=C sort)

{
	printf '%s\n' "${files[@]}" | sed 's/^/FILE /'
	for f in "${files[@]}"; do
		# Guests are built apart, against their own library (guests/lib/),
		# and are no room of the hypervisor: their includes are not held.
		[[ $f == guests/* ]] && continue
		grep -n -E '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]' -- "$f" |
			sed "s|^|INC $f:|"
	done
} | awk -v rules="$rules" '
function dirname(p) { if (p !~ /\//) return "."; sub(/\/[^\/]*$/, "", p); return p }
function module(p) { sub(/\.[chS]$/, "", p); return p }
function normalize(p,    n, i, parts, out, k) {
	n = split(p, parts, "/"); k = 0
	for (i = 1; i <= n; i++) {
		if (parts[i] == "." || parts[i] == "") continue
		if (parts[i] == "..") { if (k == 0) return ""; k--; continue }
		out[++k] = parts[i]
	}
	p = ""
	for (i = 1; i <= k; i++) p = p (i > 1 ? "/" : "") out[i]
	return p
}
function allowed(room, target, troom,    list, n, i, a) {
	n = split(allow[room], a, " ")
	for (i = 1; i <= n; i++)
		if (a[i] == troom || a[i] == target) return 1
	return 0
}
function fault(msg) { print "check-rooms: " msg; faults++ }
# Depth-first search for a loop of module includes; prints the first one.
function visit(m,    i, n, e, t, k, path) {
	state[m] = 1; stack[++depth] = m
	n = split(edges[m], e, " ")
	for (i = 1; i <= n; i++) {
		t = e[i]
		if (state[t] == 1) {
			path = t
			for (k = depth; k >= 1 && stack[k] != t; k--) path = stack[k] " -> " path
			path = t " -> " path
			if (!(path in loops_seen)) {
				loops_seen[path] = 1
				fault("modules include each other in a loop: " path)
			}
		} else if (!state[t]) {
			visit(t)
		}
	}
	depth--; state[m] = 2
}
BEGIN {
	while ((getline line < rules) > 0) {
		sub(/#.*/, "", line)
		n = split(line, w, /[ \t]+/)
		if (n == 0 || w[1] == "") continue
		room = w[1]; known[room] = 1; allow[room] = ""
		for (i = 2; i <= n; i++) allow[room] = allow[room] " " w[i]
	}
}
$1 == "FILE" { exists[$2] = 1; next }
$1 == "INC" {
	rest = substr($0, 5)
	split(rest, parts, ":")
	file = parts[1]; line = parts[2]
	text = substr(rest, length(file) + length(line) + 3)
	room = dirname(file)
	if (!(room in known)) {
		if (!(room in unknown_room)) {
			unknown_room[room] = 1
			fault(room "/ is not a room of " rules " (" file ")")
		}
		next
	}
	checked++; seen_file[file] = 1
	if (match(text, /<bulkhead\/[^>]+>/)) {
		name = substr(text, RSTART + 1, RLENGTH - 2)
		if (!exists["include/" name] && !exists["guests/include/" name])
			fault(file ":" line ": <" name "> is in neither include/ nor guests/include/")
		if (room != "include/bulkhead" && room != "guests/include/bulkhead" && !allowed(room, "include", "include"))
			fault(file ":" line ": room " room " may not include <" name ">")
		next
	}
	if (!match(text, /"[^"]+"/)) next  # a system header
	name = substr(text, RSTART + 1, RLENGTH - 2)
	if (name ~ /(^|\/)\.\.\//) {
		fault(file ":" line ": \"" name "\" climbs with ../; write the path from the tree root")
		next
	}
	local_path = normalize(dirname(file) "/" name)
	if (exists[local_path]) target = local_path
	else if (exists[name]) target = name
	else { fault(file ":" line ": \"" name "\" names no file of the tree"); next }
	troom = dirname(target)
	if (troom != room && !allowed(room, target, troom))
		fault(file ":" line ": room " room " may not include " target " (room " troom "; see " rules ")")
	from = module(file); to = module(target)
	if (from != to && !((from SUBSEP to) in edge_seen)) {
		edge_seen[from, to] = 1
		edges[from] = edges[from] " " to
		modules[from] = 1
	}
	next
}
END {
	for (m in modules) if (!state[m]) visit(m)
	if (faults) { print "check-rooms: " faults " fault(s)"; exit 1 }
	files = 0
	for (f in seen_file) files++
	print checked " includes in " files " files follow " rules "; no module includes its way back to itself"
}'
