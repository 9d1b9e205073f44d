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
