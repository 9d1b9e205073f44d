# The core: the hypervisor proper, an ELF linked by linker.ld as a static
# position-independent executable that the loader relocates.
CORE_ELF := $(BUILD)/core.elf
# Every room of the hypervisor (docs/architecture.md); lib/config/, the
# parser, is the loader's and the checker's, not the core's.
CORE_SRC := $(wildcard arch/x86_64/*.c arch/x86_64/*.S vmx/*.c vmx/*.S \
	ept/*.c drivers/*.c drivers/*/*.c core/*.c core/*/*.c lib/*.c)
CORE_OBJ := $(patsubst %,$(BUILD)/core/%.o,$(CORE_SRC)) $(ACPI_DSDT_CORE_OBJ)

$(BUILD)/core/%.c.o: %.c $(NEWLIB_LIBC)
	@mkdir -p $(dir $@)
	$(CC) $(CORE_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/core/%.S.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(CORE_CFLAGS) -MMD -MP -c -o $@ $<

$(CORE_ELF): $(CORE_OBJ) linker.ld $(NEWLIB_LIBC)
	ld -static -pie --no-dynamic-linker -z noexecstack -z text -T linker.ld \
		-o $@ $(CORE_OBJ) $(NEWLIB_LIBC)

-include $(CORE_OBJ:.o=.d)
