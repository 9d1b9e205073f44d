#!/bin/sh
# Installs the Debian packages bulkhead builds and tests with. As root it runs
# apt-get itself (apt-get update first, since a fresh machine may have empty
# package lists); otherwise it prints the exact command and fails.
set -e
PACKAGES="build-essential gnu-efi libfdt-dev newlib-source device-tree-compiler \
qemu-system-x86 ovmf bochs bochsbios vgabios mtools dosfstools fdisk binutils xz-utils cpio gzip \
acpica-tools clang libclang-rt-14-dev"
missing=""
for p in $PACKAGES; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "bulkhead needs these Debian packages:$missing" >&2
	echo "run: sudo apt-get update && sudo apt-get install -y --no-install-recommends$missing" >&2
	exit 1
fi
echo "deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends $missing
