/* SPDX-License-Identifier: MIT */
/*
 * Setting up a partition's PC platform at each (re)load, whatever its
 * image: ACPI tables in its memory at PC_ACPI_BASE (RSDP, XSDT/RSDT, FADT
 * with the PM and reset ports, a DSDT naming \_S5, and a MADT with its
 * vCPUs' APIC IDs and the IOAPIC), an IOAPIC with every input masked, the
 * platform ports' registers cleared, and each vCPU's local APIC as at
 * power-on. The devices themselves are apic.c and pc_ports.c.
 */
#include "pc.h"

#include <bulkhead/acpi_tables.h>

#include "core/base/panic.h"

/* Free in a bare-metal guest's layout: above its page tables, below its
 * image (guests/include/bulkhead/hypercall.h). */
_Static_assert(PC_ACPI_BASE == BULKHEAD_GUEST_PC_ACPI &&
		       PC_ACPI_BASE >= BULKHEAD_GUEST_TABLES_END &&
		       PC_ACPI_BASE + PC_ACPI_SIZE <= BULKHEAD_GUEST_IMAGE_MIN,
	       "the ACPI tables overlap the bare-metal guest layout");

void pc_platform_load(struct partition *p)
{
	uint8_t *memory = (uint8_t *)(uintptr_t)p->memory_base;
	const struct acpi_params params = {
		.base = PC_ACPI_BASE,
		.cpu_count = p->vcpu_count,
		.lapic_address = PC_LAPIC_BASE,
		.ioapic_address = PC_IOAPIC_BASE,
		.ioapic_id = (uint8_t)p->vcpu_count,
		.pm1a_event_port = PC_PM1A_EVENT_PORT,
		.pm1a_control_port = PC_PM1A_CONTROL_PORT,
		.pm_timer_port = PC_PM_TIMER_PORT,
		.reset_port = PC_RESET_PORT,
		.reset_value = PC_RESET_VALUE,
		.sci_irq = PC_SCI_IRQ,
	};

	if (!acpi_tables_build(memory + PC_ACPI_BASE, PC_ACPI_SIZE, &params,
			       &p->acpi_rsdp))
		panic("partition %s: cannot build its ACPI tables",
		      p->config->name);
	vioapic_reset(&p->ioapic, p->vcpu_count);
	p->pm1_enable = 0;
	p->pci_address = 0;
	p->rtc_index = 0;
}

void pc_platform_reset_vcpu(struct vcpu *vcpu)
{
	vlapic_reset(&vcpu->apic, vcpu->index,
		     vcpu->partition->apic_tsc_per_tick);
}
