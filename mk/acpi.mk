# The DSDT's AML: lib/acpi_dsdt.asl compiled by iasl (Debian's
# acpica-tools) in its three variants, warnings as errors, then turned into
# one C file by tools/aml-to-c.sh. The core and the unit tests link its
# object beside lib/acpi_tables.c and lib/acpi_dsdt.c (lib/acpi_dsdt.h
# declares the arrays). Included before mk/core.mk and tests/tests.mk,
# which add the objects to their link.
ACPI_GEN := $(BUILD)/gen
ACPI_DSDT_ASL := lib/acpi_dsdt.asl
ACPI_DSDT_C := $(ACPI_GEN)/acpi_dsdt_aml.c
ACPI_DSDT_VARIANTS := plain pci pci_ecam
ACPI_DSDT_AML := $(patsubst %,$(ACPI_GEN)/acpi_dsdt_%.aml,$(ACPI_DSDT_VARIANTS))
ACPI_DSDT_CORE_OBJ := $(BUILD)/core/gen/acpi_dsdt_aml.c.o
ACPI_DSDT_HOST_OBJ := $(BUILD)/host/gen/acpi_dsdt_aml.o

acpi_dsdt_defines_plain :=
acpi_dsdt_defines_pci := -DBULKHEAD_PCI
acpi_dsdt_defines_pci_ecam := -DBULKHEAD_PCI -DBULKHEAD_ECAM

# iasl writes NAME.aml beside its prefix and prints a summary, kept in
# NAME.log and shown only when it fails. The timeout guards against a
# preprocessor that never ends (lib/acpi_dsdt.asl says when).
$(ACPI_GEN)/acpi_dsdt_%.aml: $(ACPI_DSDT_ASL) | deps
	@mkdir -p $(dir $@)
	@rm -f $@
	@timeout 60 iasl -vs -we $(acpi_dsdt_defines_$*) -p $(basename $@) $< \
		> $(basename $@).log 2>&1 || { cat $(basename $@).log; rm -f $@; exit 1; }
	@echo "iasl $(acpi_dsdt_defines_$*) $< -> $@"

$(ACPI_DSDT_C): tools/aml-to-c.sh $(ACPI_DSDT_AML)
	tools/aml-to-c.sh $@ $(foreach v,$(ACPI_DSDT_VARIANTS),acpi_dsdt_$(v)=$(ACPI_GEN)/acpi_dsdt_$(v).aml)

$(ACPI_DSDT_CORE_OBJ): $(ACPI_DSDT_C) lib/acpi_dsdt.h include/bulkhead/acpi_tables.h $(NEWLIB_LIBC)
	@mkdir -p $(dir $@)
	$(CC) $(CORE_CFLAGS) -c -o $@ $<

$(ACPI_DSDT_HOST_OBJ): $(ACPI_DSDT_C) lib/acpi_dsdt.h include/bulkhead/acpi_tables.h | deps
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -c -o $@ $<
