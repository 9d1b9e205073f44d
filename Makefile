# bulkhead: top-level build. `make` builds everything; `make run` boots the
# default configuration in QEMU; `make test` runs every test. Each part of
# the tree describes its own objects in a fragment included below.
BUILD ?= build
CONFIG ?= default
QEMU_TIMEOUT ?= 1800
# `make run` vendor: amd boots QEMU (AMD SVM), intel boots Bochs (Intel VT-x).
CPU ?= amd

.DEFAULT_GOAL := all
.PHONY: all deps image run test soak unit-test system-test clean check-config
.SUFFIXES:
# Keep intermediate objects (pattern-rule chains would delete them).
.SECONDARY:

include mk/flags.mk
include mk/newlib.mk
include tools/tools.mk
include mk/acpi.mk
include mk/core.mk
include boot/boot.mk
include guests/guests.mk
include tests/tests.mk
include tests/fuzz/fuzz.mk
include tools/bench/bench.mk
include guests/linux/linux.mk
include mk/linux.mk

CONFIG_DTS := $(wildcard configs/*.dts)
CONFIG_DTB := $(patsubst configs/%.dts,$(BUILD)/configs/%.dtb,$(CONFIG_DTS))

all: $(CORE_ELF) $(LOADER_EFI) $(GUEST_ELFS) $(TOOLS) $(CONFIG_DTB) linux

deps:
	@tools/deps.sh

$(BUILD)/configs/%.dtb: configs/%.dts | deps
	@mkdir -p $(dir $@)
	dtc -q -I dts -O dtb -o $@ $<

# The ESP folder and a raw disk image (GPT, one FAT32 EFI system partition)
# that can be written to a USB stick with dd.
ESP := $(BUILD)/esp
DISK_IMAGE := $(BUILD)/bulkhead.img
image: all
	tools/mkesp.sh $(ESP) $(BUILD)/configs/$(CONFIG).dtb
	tools/mkdisk.sh $(ESP) $(DISK_IMAGE)

# Exits 0 only for a passing run (QEMU status 33; run-bochs.sh says 33 too).
run: image
	@case "$(CPU)" in \
	amd) tools/run-qemu.sh $(ESP) $(QEMU_TIMEOUT) ;; \
	intel) tools/run-bochs.sh --serial $(BUILD)/run-intel.log $(ESP) $(QEMU_TIMEOUT); \
		[ $$? = 33 ] ;; \
	*) echo "make run: CPU must be amd (QEMU) or intel (Bochs), not '$(CPU)'" >&2; \
		exit 2 ;; \
	esac

check-config: $(CHECKER) all
	$(CHECKER) --root $(ESP)/bulkhead configs/$(CONFIG).dts

test: all
	tools/test.sh $(BUILD)

# The soak and restart storm at its large size (docs/testing.md).
soak: all
	tools/soak.sh $(BUILD)

clean:
	rm -rf $(BUILD)
