#!/bin/sh
# linux-fetch.sh OUTDIR: fetches Debian's own kernel and busybox for Linux
# partitions, unmodified: the package the linux-image-amd64 metapackage
# depends on (apt-get download, unpacked with dpkg-deb) and busybox-static.
# Installs the matching linux-headers package (for the channel module) as
# root, or prints the apt-get line. Writes OUTDIR/vmlinuz, OUTDIR/busybox,
# OUTDIR/kernel-release (e.g. 6.1.0-56-amd64). Does nothing when they exist.
set -eu
out=$1
[ -f "$out/vmlinuz" ] && [ -f "$out/busybox" ] && [ -f "$out/kernel-release" ] &&
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
echo "linux-fetch: Debian kernel $release and busybox in $out"
