#!/bin/bash
# mkdisk.sh ESPDIR IMAGE: writes a raw disk image holding ESPDIR: a GPT with
# one EFI system partition formatted FAT32, ready for
#   dd if=IMAGE of=/dev/sdX bs=4M conv=fsync
# Needs sfdisk (util-linux fdisk), mkfs.fat (dosfstools) and mcopy (mtools).
set -u

if [ $# -ne 2 ]; then
	echo "usage: $0 ESPDIR IMAGE" >&2
	exit 2
fi
esp=$1
image=$2
[ -d "$esp/EFI/BOOT" ] || { echo "mkdisk: $esp is not an ESP folder (run mkesp.sh)" >&2; exit 1; }
for tool in sfdisk mkfs.fat mcopy; do
	command -v "$tool" >/dev/null 2>&1 || PATH=$PATH:/usr/sbin:/sbin
	command -v "$tool" >/dev/null 2>&1 ||
		{ echo "mkdisk: $tool not found (packages fdisk, dosfstools, mtools)" >&2; exit 1; }
done

# 64 MiB, or twice the content plus 16 MiB if that is more. The partition
# starts at 1 MiB and ends 1 MiB before the end (room for the backup GPT).
content_mib=$(( $(du -sk -- "$esp" | cut -f1) / 1024 + 1 ))
disk_mib=64
[ $((content_mib * 2 + 16)) -gt $disk_mib ] && disk_mib=$((content_mib * 2 + 16))
part_start=2048                                # sectors of 512 bytes
part_sectors=$(( (disk_mib - 2) * 2048 ))

part=$(mktemp "${TMPDIR:-/tmp}/bulkhead-esp.XXXXXX") || exit 1
trap 'rm -f -- "$part"' EXIT

rm -f -- "$image"
truncate -s "${disk_mib}M" -- "$image" || exit 1
printf 'label: gpt\nstart=%d, size=%d, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, name="EFI System"\n' \
	"$part_start" "$part_sectors" | sfdisk --quiet -- "$image" || exit 1

# FAT32 with 512-byte clusters (enough clusters for FAT32 at this size),
# built in a separate file, filled with mtools, then copied into place.
truncate -s $((part_sectors * 512)) -- "$part" || exit 1
mkfs.fat -F 32 -s 1 -n BULKHEAD -- "$part" >/dev/null || exit 1
export MTOOLS_SKIP_CHECK=1
( cd -- "$esp" && mcopy -s -Q -i "$part" -- ./* ::/ ) || exit 1
dd if="$part" of="$image" bs=1M seek=1 conv=notrunc status=none || exit 1
echo "mkdisk: wrote $image (${disk_mib} MiB, GPT, FAT32 EFI system partition from $esp)"
