# SPDX-License-Identifier: MIT
# Guest images: every guests/<name>.c becomes $(BUILD)/guests/<name>.elf, a
# static ELF at 0x100000 (guests/guest.ld) linked with the guest library
# (guests/lib), the shared formatter (lib/format.c built with guest flags)
# and newlib. Guests may use SSE; CR4.OSFXSR is set at entry.
GUEST_BUILD := $(BUILD)/guests

GUEST_CFLAGS := -std=gnu11 -O2 -g -ffreestanding -fno-pic -fno-pie \
	-mcmodel=small -mno-red-zone -fno-stack-protector \
	-fno-asynchronous-unwind-tables -fno-common -nostdinc \
	-isystem $(shell $(CC) -print-file-name=include) \
	-isystem $(SYSROOT)/include -Iguests/include -Iguests/lib -Ilib \
	$(WARN) -DBULKHEAD_GUEST
GUEST_LDFLAGS := -static -no-pie -z noexecstack -z max-page-size=0x1000 \
	--build-id=none -T guests/guest.ld
GUEST_LIBGCC := $(shell $(CC) -print-libgcc-file-name)

GUEST_LIB_C := $(wildcard guests/lib/*.c)
GUEST_LIB_S := $(wildcard guests/lib/*.S)
GUEST_LIB_OBJ := $(patsubst guests/lib/%,$(GUEST_BUILD)/lib/%.o,$(GUEST_LIB_C) $(GUEST_LIB_S)) \
	$(GUEST_BUILD)/shared/format.c.o

GUEST_NAMES := $(patsubst guests/%.c,%,$(wildcard guests/*.c))
GUEST_MAIN_OBJ := $(patsubst %,$(GUEST_BUILD)/%.c.o,$(GUEST_NAMES))
GUEST_ELFS := $(patsubst %,$(GUEST_BUILD)/%.elf,$(GUEST_NAMES))

$(GUEST_BUILD)/lib/%.c.o: guests/lib/%.c $(NEWLIB_LIBC) | deps
	@mkdir -p $(dir $@)
	$(CC) $(GUEST_CFLAGS) -MMD -MP -c -o $@ $<

$(GUEST_BUILD)/lib/%.S.o: guests/lib/%.S $(NEWLIB_LIBC) | deps
	@mkdir -p $(dir $@)
	$(CC) $(GUEST_CFLAGS) -MMD -MP -c -o $@ $<

$(GUEST_BUILD)/shared/format.c.o: lib/format.c $(NEWLIB_LIBC) | deps
	@mkdir -p $(dir $@)
	$(CC) $(GUEST_CFLAGS) -MMD -MP -c -o $@ $<

$(GUEST_MAIN_OBJ): $(GUEST_BUILD)/%.c.o: guests/%.c $(NEWLIB_LIBC) | deps
	@mkdir -p $(dir $@)
	$(CC) $(GUEST_CFLAGS) -MMD -MP -c -o $@ $<

$(GUEST_ELFS): $(GUEST_BUILD)/%.elf: $(GUEST_BUILD)/%.c.o $(GUEST_LIB_OBJ) \
		guests/guest.ld $(NEWLIB_LIBC) | deps
	ld $(GUEST_LDFLAGS) -o $@ $< $(GUEST_LIB_OBJ) $(NEWLIB_LIBC) $(GUEST_LIBGCC)

.PHONY: guests
guests: $(GUEST_ELFS)

-include $(GUEST_LIB_OBJ:.o=.d) $(GUEST_MAIN_OBJ:.o=.d)

# Multiboot test kernels (guests/multiboot/): ELF32, 32-bit code built with
# gcc -m32, no library. mbcheck1.elf and mbcheck2.elf check their boot
# information; the mb-bad-*.elf variants carry headers the loader and the
# checker refuse.
MB_BUILD := $(GUEST_BUILD)/multiboot
MB_CFLAGS := -std=gnu11 -m32 -O2 -g -ffreestanding -fno-pic -fno-pie \
	-mgeneral-regs-only -fno-stack-protector -fno-asynchronous-unwind-tables \
	-fno-common -nostdinc -isystem $(shell $(CC) -print-file-name=include) \
	$(WARN)
MB_LDFLAGS := -m elf_i386 -static -no-pie -z noexecstack --build-id=none \
	--no-warn-rwx-segments \
	-T guests/multiboot/multiboot.ld
# name: header source, defines
MB_VARIANTS := mbcheck1:header1: mbcheck2:header2:-DMULTIBOOT2 \
	mb-bad-checksum:header1:-DBAD_CHECKSUM mb-bad-video:header1:-DVIDEO_MODE \
	mb-bad-framebuffer:header2:-DFRAMEBUFFER mb-bad-high:header1:-DHIGH_LOAD
MB_ELFS := $(foreach v,$(MB_VARIANTS),$(GUEST_BUILD)/$(word 1,$(subst :, ,$(v))).elf)

MB_C_SRC := mbcheck timers modules smp
define MB_RULES
$(GUEST_BUILD)/$(1).elf: guests/multiboot/$(2).S \
		$(MB_C_SRC:%=guests/multiboot/%.c) guests/multiboot/mbcheck.h \
		guests/multiboot/multiboot.ld | deps
	@mkdir -p $(MB_BUILD)
	$(CC) $(MB_CFLAGS) $(3) -c -o $(MB_BUILD)/$(1).S.o guests/multiboot/$(2).S
	$(foreach c,$(MB_C_SRC),$(CC) $(MB_CFLAGS) $(3) -c \
		-o $(MB_BUILD)/$(1).$(c).o guests/multiboot/$(c).c &&) true
	ld $(MB_LDFLAGS) -o $$@ $(MB_BUILD)/$(1).S.o \
		$(MB_C_SRC:%=$(MB_BUILD)/$(1).%.o)
endef
$(foreach v,$(MB_VARIANTS),$(eval $(call MB_RULES,$(word 1,$(subst :, ,$(v))),$(word 2,$(subst :, ,$(v))),$(word 3,$(subst :, ,$(v))))))

# The modules the Multiboot scenarios give the kernels: files whose sizes
# and FNV-1a checksums the scenarios' command lines announce. One spans
# three pages, one is shorter than a line.
MB_MODULES := $(GUEST_BUILD)/mbmod-one.bin $(GUEST_BUILD)/mbmod-two.bin
$(GUEST_BUILD)/mbmod-one.bin: guests/guests.mk
	@mkdir -p $(dir $@)
	seq 1 2000 > $@
$(GUEST_BUILD)/mbmod-two.bin: guests/guests.mk
	@mkdir -p $(dir $@)
	printf 'module two' > $@

guests: $(MB_ELFS) $(MB_MODULES)
all: $(MB_ELFS) $(MB_MODULES)
