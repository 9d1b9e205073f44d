# The UEFI loader: a GNU-EFI application linked with the config parser,
# the ELF checks, Debian's libfdt and the newlib subset.
LOADER_EFI := $(BUILD)/BOOTX64.EFI
LOADER_SO := $(BUILD)/boot/loader.so
LOADER_SRC := $(wildcard boot/*.c) $(CONFIG_SRC) lib/elf.c lib/format.c lib/linux_boot.c lib/image_check.c lib/multiboot.c lib/multiboot_info.c lib/multiboot_modules.c lib/acpi_read.c
LOADER_OBJ := $(patsubst %.c,$(BUILD)/boot/%.o,$(LOADER_SRC))

$(BUILD)/boot/%.o: %.c $(NEWLIB_LIBC)
	@mkdir -p $(dir $@)
	$(CC) $(LOADER_CFLAGS) -MMD -MP -c -o $@ $<

$(LOADER_SO): $(LOADER_OBJ) $(NEWLIB_LIBC)
	ld -shared -Bsymbolic -nostdlib -znocombreloc -z noexecstack \
		-T /usr/lib/elf_x86_64_efi.lds /usr/lib/crt0-efi-x86_64.o \
		$(LOADER_OBJ) -o $@ /usr/lib/x86_64-linux-gnu/libfdt.a $(NEWLIB_LIBC) \
		-L/usr/lib -lefi -lgnuefi
	@! nm -u $@ | grep -q . || { echo "loader: undefined symbols:"; nm -u $@; exit 1; }

$(LOADER_EFI): $(LOADER_SO)
	objcopy -j .text -j .sdata -j .data -j .dynamic -j .dynsym -j .rel \
		-j .rela -j .rel.* -j .rela.* -j .reloc \
		--target efi-app-x86_64 --subsystem=10 $< $@

-include $(LOADER_OBJ:.o=.d)
