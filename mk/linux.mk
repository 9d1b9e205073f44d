# Linux partitions: Debian's unmodified kernel and busybox (fetched by
# tools/linux-fetch.sh), and an initramfs with guests/linux/init, the
# channel module, the user-space test programs and Debian's drivers for
# the devices a partition may own (with their modules.dep, in
# /lib/modules/<release>/ for busybox's modprobe).
LINUX_DIR := $(BUILD)/linux
LINUX_KERNEL := $(LINUX_DIR)/vmlinuz
LINUX_INITRD := $(LINUX_DIR)/initrd.cpio.gz
LINUX_STAGE := $(LINUX_DIR)/initramfs

.PHONY: linux
linux: $(LINUX_KERNEL) $(LINUX_INITRD)

LINUX_MODULES_DEP := $(LINUX_DIR)/modules/modules.dep

$(LINUX_KERNEL) $(LINUX_DIR)/busybox $(LINUX_DIR)/kernel-release $(LINUX_MODULES_DEP) &: | deps
	tools/linux-fetch.sh $(LINUX_DIR)

$(LINUX_INITRD): guests/linux/init $(LINUX_DIR)/busybox $(LINUX_EXTRA) \
		$(LINUX_MODULES_DEP) mk/linux.mk guests/linux/linux.mk
	rm -rf $(LINUX_STAGE)
	mkdir -p $(LINUX_STAGE)/bin $(LINUX_STAGE)/proc $(LINUX_STAGE)/sys \
		$(LINUX_STAGE)/dev $(LINUX_STAGE)/lib/modules
	cp $(LINUX_DIR)/busybox $(LINUX_STAGE)/bin/busybox
	cp guests/linux/init $(LINUX_STAGE)/init
	for f in $(LINUX_EXTRA); do case $$f in \
		*.ko) cp $$f $(LINUX_STAGE)/lib/modules/ ;; \
		*) cp $$f $(LINUX_STAGE)/bin/ ;; esac; done
	cp -R $(LINUX_DIR)/modules $(LINUX_STAGE)/lib/modules/$(KREL)
	cd $(LINUX_STAGE) && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet | gzip -9n > ../initrd.cpio.gz.tmp
	mv $(LINUX_DIR)/initrd.cpio.gz.tmp $@
