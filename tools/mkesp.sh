#!/bin/bash
# mkesp.sh ESPDIR CONFIG.dtb: (re)creates the EFI system partition folder
# that the loader expects, from the build outputs:
#   EFI/BOOT/BOOTX64.EFI, bulkhead/config.dtb, bulkhead/core.elf,
#   bulkhead/guests/<name>.elf and <name>.bin (Multiboot modules),
#   bulkhead/linux/{vmlinuz,initrd.cpio.gz}
# The build folder is $BUILD if set; otherwise the parent of the dtb's folder
# when the dtb lies in <build>/configs/, else "build". A missing core.elf or
# guest is a warning only (a loader-only ESP is still useful for testing).
set -u

if [ $# -ne 2 ]; then
	echo "usage: $0 ESPDIR CONFIG.dtb" >&2
	exit 2
fi
esp=$1
dtb=$2

if [ -z "${BUILD:-}" ]; then
	dtb_dir=$(dirname -- "$dtb")
	if [ "$(basename -- "$dtb_dir")" = configs ]; then
		BUILD=$(dirname -- "$dtb_dir")
	else
		BUILD=build
	fi
fi

[ -f "$dtb" ] || { echo "mkesp: $dtb: no such file" >&2; exit 1; }
[ -f "$BUILD/BOOTX64.EFI" ] || { echo "mkesp: $BUILD/BOOTX64.EFI: not built" >&2; exit 1; }
case $esp in
"" | / | . | ..) echo "mkesp: refusing ESPDIR '$esp'" >&2; exit 1 ;;
esac

rm -rf -- "$esp" || exit 1
mkdir -p -- "$esp/EFI/BOOT" "$esp/bulkhead/guests" || exit 1
cp -- "$BUILD/BOOTX64.EFI" "$esp/EFI/BOOT/BOOTX64.EFI" || exit 1
cp -- "$dtb" "$esp/bulkhead/config.dtb" || exit 1
if [ -f "$BUILD/core.elf" ]; then
	cp -- "$BUILD/core.elf" "$esp/bulkhead/core.elf" || exit 1
else
	echo "mkesp: warning: $BUILD/core.elf not built; the loader will stop" >&2
fi
guests=0
for g in "$BUILD"/guests/*.elf; do
	[ -f "$g" ] || continue
	cp -- "$g" "$esp/bulkhead/guests/" || exit 1
	guests=$((guests + 1))
done
for m in "$BUILD"/guests/*.bin; do
	[ -f "$m" ] && { cp -- "$m" "$esp/bulkhead/guests/" || exit 1; }
done
[ "$guests" -gt 0 ] || echo "mkesp: warning: no guests in $BUILD/guests" >&2
# Linux partitions: Debian's kernel and the initramfs (bulkhead/linux/).
if [ -f "$BUILD/linux/vmlinuz" ] && [ -f "$BUILD/linux/initrd.cpio.gz" ]; then
	mkdir -p -- "$esp/bulkhead/linux" || exit 1
	cp -- "$BUILD/linux/vmlinuz" "$BUILD/linux/initrd.cpio.gz" "$esp/bulkhead/linux/" || exit 1
fi
echo "mkesp: wrote $esp (config $dtb, $guests guests)"
