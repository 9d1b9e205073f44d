# Unit tests: every tests/unit/test_*.c is one host binary, built with
# ASan/UBSan and linked with all of the pure modules they exercise.
UNIT_PURE_SRC := $(CONFIG_SRC) lib/elf.c lib/format.c lib/pagetable.c lib/x86_paging.c \
	ept/ept.c vmx/vmx_controls.c vmx/vmx_exit.c vmx/vmx_guest_checks.c \
	core/image/guest_boot.c core/hypercall/hypercall_dispatch.c \
	core/partition/channel_layout.c core/partition/partition_state.c \
	core/vcpu/control_registers.c
# Pure modules of the Linux-partition work (each added as it lands).
UNIT_PURE_SRC += $(wildcard lib/linux_boot.c lib/acpi_tables.c \
	lib/x86_decode.c lib/x86_decode_system.c lib/guest_walk.c \
	core/platform/lapic_model.c core/platform/ioapic_model.c \
	core/platform/uart_model.c core/console/console_keys.c \
	core/console/console_text.c lib/image_check.c)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
# Helpers shared by some tests (tests/unit/*.c that are not test_*.c).
UNIT_SUPPORT_SRC := $(filter-out $(UNIT_SRC),$(wildcard tests/unit/*.c))
UNIT_BIN := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))
UNIT_PURE_OBJ := $(patsubst %.c,$(BUILD)/host/%.o,$(UNIT_PURE_SRC)) \
	$(patsubst %.c,$(BUILD)/host/%.o,$(UNIT_SUPPORT_SRC))

$(BUILD)/host/%.o: %.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(UNIT_PURE_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -Itests/unit -o $@ $< $(UNIT_PURE_OBJ) $(HOST_LDLIBS)

all: $(UNIT_BIN)
-include $(UNIT_PURE_OBJ:.o=.d)
