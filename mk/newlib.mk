# newlib from Debian's newlib-source, built once into $(BUILD)/newlib and
# reduced to the string, ctype and integer-conversion routines the core and
# the loader use. It is compiled with -mgeneral-regs-only: the few newlib
# files that return floating-point values cannot be built that way and are
# left out on purpose (make -k); the hypervisor has no use for them.
NEWLIB_TARBALL := /usr/src/newlib/newlib-3.3.0.tar.xz
NEWLIB_DIR := $(BUILD)/newlib
NEWLIB_LIBC := $(SYSROOT)/lib/libc.a
NEWLIB_CFLAGS := -O2 -g0 -ffreestanding -fno-stack-protector -mno-red-zone \
	-mgeneral-regs-only -fpic -fno-builtin -fno-asynchronous-unwind-tables
NEWLIB_PARTS := string ctype stdlib machine/x86_64 reent errno

$(NEWLIB_LIBC): mk/newlib.mk | deps
	rm -rf $(NEWLIB_DIR) $(SYSROOT) && mkdir -p $(NEWLIB_DIR)/obj $(SYSROOT)/lib $(SYSROOT)/include
	tar -C $(NEWLIB_DIR) -xf $(NEWLIB_TARBALL)
	cd $(NEWLIB_DIR)/obj && ../newlib-salsa/configure --target=x86_64-elf \
		--disable-multilib --disable-newlib-supplied-syscalls \
		CC_FOR_TARGET=$(CC) AR_FOR_TARGET=ar RANLIB_FOR_TARGET=ranlib \
		AS_FOR_TARGET=as LD_FOR_TARGET=ld NM_FOR_TARGET=nm \
		CFLAGS_FOR_TARGET="$(NEWLIB_CFLAGS)" > configure.log 2>&1
	-$(MAKE) -k -C $(NEWLIB_DIR)/obj all-target-newlib > $(NEWLIB_DIR)/build.log 2>&1
	cp -r $(NEWLIB_DIR)/newlib-salsa/newlib/libc/include/. $(SYSROOT)/include/
	cp -r $(NEWLIB_DIR)/obj/x86_64-elf/newlib/targ-include/. $(SYSROOT)/include/
	cp /usr/include/libfdt.h /usr/include/libfdt_env.h /usr/include/fdt.h $(SYSROOT)/include/
	ar rcs $@.tmp $$(for p in $(NEWLIB_PARTS); do ls $(NEWLIB_DIR)/obj/x86_64-elf/newlib/libc/$$p/*.o; done)
	nm $@.tmp | grep -q ' T strtoul$$' || { echo "newlib: strtoul missing, see $(NEWLIB_DIR)/build.log" >&2; exit 1; }
	mv $@.tmp $@
