# SPDX-License-Identifier: MIT
# What the Linux partitions' initramfs carries besides busybox and /init
# (LINUX_EXTRA, used by mk/linux.mk, which must be included after this):
# the bulkhead_channel and bulkhead_control kernel modules, built out of
# tree against the headers of Debian's kernel (the release in
# $(BUILD)/linux/kernel-release), and the static user programs bulkheadctl,
# chanmsg, memread, pciattack and prng.
LINUX_EXTRA_DIR := $(BUILD)/linux
LINUX_MODULE_DIR := $(LINUX_EXTRA_DIR)/module
# Expanded when the module's recipe runs, after kernel-release exists.
KREL = $(shell cat $(LINUX_EXTRA_DIR)/kernel-release)
LINUX_KBUILD = /lib/modules/$(KREL)/build

LINUX_EXTRA := $(LINUX_EXTRA_DIR)/bulkhead_channel.ko \
	$(LINUX_EXTRA_DIR)/bulkhead_control.ko $(LINUX_EXTRA_DIR)/bulkheadctl \
	$(LINUX_EXTRA_DIR)/chanmsg $(LINUX_EXTRA_DIR)/memread \
	$(LINUX_EXTRA_DIR)/pciattack $(LINUX_EXTRA_DIR)/prng

LINUX_MODULE_COPIES := bulkhead_channel.c bulkhead_channel.h \
	bulkhead_control.c bulkhead_control.h bulkhead_kernel.h
LINUX_MODULE_SRC := $(addprefix $(LINUX_MODULE_DIR)/,$(LINUX_MODULE_COPIES)) \
	$(LINUX_MODULE_DIR)/bulkhead_hypercall.h $(LINUX_MODULE_DIR)/Kbuild

$(addprefix $(LINUX_MODULE_DIR)/,$(LINUX_MODULE_COPIES)): \
		$(LINUX_MODULE_DIR)/%: guests/linux/%
	@mkdir -p $(dir $@)
	cp $< $@

# The ABI header without <stdint.h>, which kernel builds do not have;
# <linux/types.h> defines the same uint*_t and int64_t types.
$(LINUX_MODULE_DIR)/bulkhead_hypercall.h: guests/include/bulkhead/hypercall.h
	@mkdir -p $(dir $@)
	sed 's|^#include <stdint.h>|#include <linux/types.h>|' $< > $@.tmp
	mv $@.tmp $@

$(LINUX_MODULE_DIR)/Kbuild: guests/linux/linux.mk
	@mkdir -p $(dir $@)
	printf 'obj-m := bulkhead_channel.o bulkhead_control.o\nccflags-y := -Werror\n' > $@

# One kbuild run makes both modules.
$(LINUX_EXTRA_DIR)/bulkhead_channel.ko $(LINUX_EXTRA_DIR)/bulkhead_control.ko &: \
		$(LINUX_MODULE_SRC) $(LINUX_EXTRA_DIR)/kernel-release
	$(MAKE) -C $(LINUX_KBUILD) M=$(abspath $(LINUX_MODULE_DIR)) modules
	cp $(LINUX_MODULE_DIR)/bulkhead_channel.ko \
		$(LINUX_MODULE_DIR)/bulkhead_control.ko $(LINUX_EXTRA_DIR)/

LINUX_USER_CC ?= gcc
LINUX_USER_CFLAGS := -std=gnu11 -static -O2 -Wall -Wextra -Werror

$(LINUX_EXTRA_DIR)/chanmsg: guests/linux/chanmsg.c guests/linux/mailbox.h \
		guests/linux/bulkhead_channel.h
	@mkdir -p $(dir $@)
	$(LINUX_USER_CC) $(LINUX_USER_CFLAGS) -o $@ $<

$(LINUX_EXTRA_DIR)/bulkheadctl: guests/linux/bulkheadctl.c \
		guests/linux/bulkhead_control.h guests/include/bulkhead/hypercall.h
	@mkdir -p $(dir $@)
	$(LINUX_USER_CC) $(LINUX_USER_CFLAGS) -Iguests/include -o $@ $<

$(LINUX_EXTRA_DIR)/memread: guests/linux/memread.c
	@mkdir -p $(dir $@)
	$(LINUX_USER_CC) $(LINUX_USER_CFLAGS) -o $@ $<

$(LINUX_EXTRA_DIR)/pciattack: guests/linux/pciattack.c
	@mkdir -p $(dir $@)
	$(LINUX_USER_CC) $(LINUX_USER_CFLAGS) -o $@ $<

$(LINUX_EXTRA_DIR)/prng: guests/linux/prng.c
	@mkdir -p $(dir $@)
	$(LINUX_USER_CC) $(LINUX_USER_CFLAGS) -o $@ $<
