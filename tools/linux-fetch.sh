#!/bin/sh
# linux-fetch.sh OUTDIR: fetches Debian's own kernel and busybox for Linux
# partitions, unmodified: the package the linux-image-amd64 metapackage
# depends on (apt-get download, unpacked with dpkg-deb) and busybox-static.
# Installs the matching linux-headers package (for the channel module) as
# root, or prints the apt-get line. Writes OUTDIR/vmlinuz, OUTDIR/busybox,
# OUTDIR/kernel-release (e.g. 6.1.0-56-amd64) and OUTDIR/modules/: the
# drivers in MODULES below and every module they need, uncompressed, at
# their paths in the package, with a modules.dep of their own lines (for
# busybox's modprobe in the initramfs); OUTDIR/modules.list names MODULES.
# Does nothing when they exist.
set -eu
out=$1
# The drivers of the PCI devices a partition may own (e1000e NICs, NVMe
# disks). What they need comes from modules.dep, never from a list here.
MODULES="e1000e nvme"
[ -f "$out/vmlinuz" ] && [ -f "$out/busybox" ] && [ -f "$out/kernel-release" ] &&
	[ -f "$out/modules/modules.dep" ] &&
	[ "$(cat "$out/modules.list" 2>/dev/null)" = "$MODULES" ] &&
	[ -d "/lib/modules/$(cat "$out/kernel-release")/build" ] && exit 0

image_package() {
	apt-cache depends linux-image-amd64 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[0-9].*-amd64\)$/\1/p' | head -n 1
}
package=$(image_package)
if [ -z "$package" ]; then
	if [ "$(id -u)" = 0 ]; then
		apt-get update -q >/dev/null
		package=$(image_package)
	fi
	[ -n "$package" ] || {
		echo "linux-fetch: cannot resolve linux-image-amd64 (run: sudo apt-get update)" >&2
		exit 1
	}
fi
release=${package#linux-image-}
headers=linux-headers-$release

mkdir -p "$out/debs" "$out/root"
cd "$out/debs"
rm -f ./*.deb
apt-get download -q "$package" busybox-static >/dev/null
for deb in ./*.deb; do dpkg-deb -x "$deb" ../root; done
cd - >/dev/null
cp "$out/root/boot/vmlinuz-$release" "$out/vmlinuz"
cp "$out/root/bin/busybox" "$out/busybox"

# The package has no modules.dep (its postinst runs depmod); busybox's
# depmod makes one, whose line for a module lists every module it needs,
# the needed ones' needs included. Wherever the package keeps the tree.
moddir=$(find "$out/root" -type d -path "*/lib/modules/$release" | head -n 1)
[ -n "$moddir" ] || { echo "linux-fetch: no lib/modules/$release in $package" >&2; exit 1; }
"$out/busybox" depmod -b "${moddir%/lib/modules/"$release"}" "$release"
dep=$moddir/modules.dep
files=
for module in $MODULES; do
	line=$(grep -E "(^|/)$module\.ko(\.[a-z]+)?:" "$dep") ||
		{ echo "linux-fetch: $package has no module $module" >&2; exit 1; }
	files="$files ${line%%:*} ${line#*:}"
done
rm -rf "$out/modules" "$out/modules.tmp" "$out/modules.dep.tmp"
mkdir -p "$out/modules.tmp"
for file in $(printf '%s\n' $files | LC_ALL=C sort -u); do
	mkdir -p "$out/modules.tmp/${file%/*}"
	# Compressed modules are unpacked here: busybox's modprobe and an
	# older kernel need not know the format.
	case $file in
	*.ko) cp "$moddir/$file" "$out/modules.tmp/$file" ;;
	*.ko.xz) xz -dc "$moddir/$file" >"$out/modules.tmp/${file%.xz}" ;;
	*.ko.gz) gzip -dc "$moddir/$file" >"$out/modules.tmp/${file%.gz}" ;;
	*.ko.zst) zstd -dcq "$moddir/$file" >"$out/modules.tmp/${file%.zst}" ;;
	*) echo "linux-fetch: unknown module format $file" >&2; exit 1 ;;
	esac
	awk -F: -v file="$file" '$1 == file' "$dep" >>"$out/modules.dep.tmp"
done
sed 's/\.ko\.[a-z]*/.ko/g' "$out/modules.dep.tmp" >"$out/modules.tmp/modules.dep"
rm -f "$out/modules.dep.tmp"
mv "$out/modules.tmp" "$out/modules"
echo "$MODULES" >"$out/modules.list"
rm -rf "$out/debs" "$out/root"

if [ ! -d "/lib/modules/$release/build" ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "linux-fetch: the channel module needs $headers" >&2
		echo "run: sudo apt-get install -y --no-install-recommends $headers" >&2
		exit 1
	fi
	echo "linux-fetch: installing $headers"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$headers" >/dev/null
fi
echo "$release" >"$out/kernel-release"
kept=$(cd "$out/modules" && find . -name '*.ko' | sed 's|.*/||; s|\.ko$||' | LC_ALL=C sort | tr '\n' ' ')
echo "linux-fetch: Debian kernel $release, busybox and modules (${kept% }) in $out"
