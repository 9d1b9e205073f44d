# Unit tests: every tests/unit/test_*.c is one host binary, built with
# ASan/UBSan and linked with all of the pure modules they exercise.
UNIT_PURE_SRC := $(CONFIG_SRC) lib/elf.c lib/format.c lib/pagetable.c lib/x86_paging.c \
	lib/acpi_read.c drivers/pci/pci_scan.c \
	ept/ept.c vmx/vmx_controls.c vmx/vmx_exit.c vmx/vmx_guest_checks.c \
	core/image/guest_boot.c core/hypercall/hypercall_dispatch.c \
	core/partition/channel_layout.c core/partition/partition_state.c \
	core/vcpu/control_registers.c
# Pure modules of the Linux-partition work (each added as it lands).
UNIT_PURE_SRC += $(wildcard lib/linux_boot.c lib/acpi_tables.c \
	lib/x86_decode.c lib/x86_decode_system.c lib/guest_walk.c \
	core/platform/lapic_model.c core/platform/ioapic_model.c \
	core/platform/uart_model.c core/console/console_keys.c \
	core/console/console_text.c core/console/console_ring.c lib/image_check.c \
	drivers/iommu/dmar.c drivers/iommu/vtd_format.c \
	drivers/iommu/ivrs.c drivers/iommu/amd_vi_format.c \
	core/platform/pci_config_model.c core/platform/pci_function_model.c \
	core/platform/msix_table_model.c core/platform/pit_model.c \
	drivers/iommu/vtd_interrupt.c drivers/iommu/amd_vi_interrupt.c \
	lib/acpi_dsdt.c \
	core/platform/pci_windows.c lib/multiboot.c lib/multiboot_info.c lib/multiboot_modules.c \
	drivers/pci/pci_intx.c core/platform/intx_line_model.c)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
# Helpers shared by some tests (tests/unit/*.c that are not test_*.c).
UNIT_SUPPORT_SRC := $(filter-out $(UNIT_SRC),$(wildcard tests/unit/*.c))
UNIT_BIN := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))
UNIT_PURE_OBJ := $(patsubst %.c,$(BUILD)/host/%.o,$(UNIT_PURE_SRC)) \
	$(patsubst %.c,$(BUILD)/host/%.o,$(UNIT_SUPPORT_SRC)) $(ACPI_DSDT_HOST_OBJ)

$(BUILD)/host/%.o: %.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(UNIT_PURE_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -Itests/unit -o $@ $< $(UNIT_PURE_OBJ) $(HOST_LDLIBS)

all: $(UNIT_BIN)
-include $(UNIT_PURE_OBJ:.o=.d)

# Every header compiles on its own, and twice in a row (its include guard
# works), with the flags of the world that uses it: make test runs this.
HEADERS_CORE := $(wildcard include/bulkhead/*.h lib/*.h lib/config/*.h \
	arch/x86_64/*.h drivers/*.h drivers/*/*.h ept/*.h vmx/*.h core/*/*.h)
HEADERS_LOADER := $(wildcard boot/*.h)
HEADERS_HOST := $(wildcard tests/unit/*.h)
HEADERS_GUEST := $(wildcard guests/include/bulkhead/*.h guests/lib/*.h \
	guests/*.h)

.PHONY: header-check
header-check: $(NEWLIB_LIBC)
	@failed=0; checked=0; \
	check() { flags=$$1; shift; for h in "$$@"; do \
		checked=$$((checked + 1)); \
		if ! printf '#include "%s"\n#include "%s"\n' "$$h" "$$h" | \
			$(CC) $$flags -fsyntax-only -x c - 2> $(BUILD)/header-check.err; then \
			echo "header-check: $$h does not compile on its own:"; \
			head -n 5 $(BUILD)/header-check.err; failed=$$((failed + 1)); \
		fi; done; }; \
	check "$(CORE_CFLAGS)" $(HEADERS_CORE); \
	check "$(LOADER_CFLAGS)" $(HEADERS_LOADER); \
	check "$(HOST_CFLAGS) -Itests/unit" $(HEADERS_HOST); \
	check "$(GUEST_CFLAGS)" $(HEADERS_GUEST); \
	rm -f $(BUILD)/header-check.err; \
	if [ $$failed -gt 0 ]; then echo "header-check: $$failed of $$checked headers fail"; exit 1; fi; \
	echo "header-check: all $$checked headers compile on their own"
