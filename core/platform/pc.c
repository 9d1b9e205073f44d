/* SPDX-License-Identifier: MIT */
/*
 * Setting up a partition's PC platform at each (re)load, whatever its
 * image: ACPI tables in its memory at PC_ACPI_BASE (RSDP, XSDT/RSDT, FADT
 * with the PM and reset ports, a DSDT naming \_S5 and, when it owns PCI
 * functions, the host bridge whose windows cover their BARs, and a MADT
 * with its vCPUs' APIC IDs and the IOAPIC), an IOAPIC with every input
 * masked, the platform ports' registers cleared, and each vCPU's local
 * APIC as at power-on. The devices themselves are apic.c and pc_ports.c.
 */
#include "pc.h"

#include <bulkhead/acpi_tables.h>

#include <string.h>

#include "core/base/panic.h"
#include "core/passthrough/passthrough.h"
#include "drivers/pci/pci.h"
#include "pci_windows.h"

/* Free in a bare-metal guest's layout: above its page tables, below its
 * image (guests/include/bulkhead/hypercall.h). */
_Static_assert(PC_ACPI_BASE == BULKHEAD_GUEST_PC_ACPI &&
		       PC_ACPI_BASE >= BULKHEAD_GUEST_TABLES_END &&
		       PC_ACPI_BASE + PC_ACPI_SIZE <= BULKHEAD_GUEST_IMAGE_MIN,
	       "the ACPI tables overlap the bare-metal guest layout");

/*
 * The host bridge of a partition that owns PCI functions: windows over
 * the BARs its stage-2 tables map one to one (device_mmio, page-rounded,
 * each page its devices' alone) and the I/O BARs it was granted, so that
 * Linux keeps every BAR where it is (a BAR outside the windows would be
 * moved, away from its mapping). Its _PRT routes each owned function's
 * INTx pin to the pin of the partition's IOAPIC that carries it: the
 * host's input of the same number (core/platform/device_intx.c). The MCFG describes the partition's ECAM window when
 * it has one (bus 0 only).
 */
static void pci_host_bridge(const struct partition *p,
			    struct acpi_params *params)
{
	struct acpi_window ranges[PARTITION_MAX_DEVICE_MMIO];
	uint32_t count;

	_Static_assert(PARTITION_MAX_DEVICE_PORTS <= PARTITION_MAX_DEVICE_MMIO,
		       "the I/O BARs do not fit the ranges");

	if (!p->config->pci_device_count)
		return;
	params->pci = true;
	params->msi = passthrough_msi_available();
	params->ecam_base = p->ecam_base;
	params->ecam_end_bus = 0;
	for (count = 0; count < p->device_mmio_count; count++)
		ranges[count] = (struct acpi_window){
		    p->device_mmio[count].base, p->device_mmio[count].size};
	count = pci_windows_cover(ranges, count, ACPI_PCI_MAX_MEMORY_WINDOWS);
	memcpy(params->memory_windows, ranges, count * sizeof(ranges[0]));
	params->memory_window_count = count;
	for (count = 0; count < p->device_port_count; count++)
		ranges[count] = (struct acpi_window){
		    p->device_ports[count].base, p->device_ports[count].count};
	count = pci_windows_cover(ranges, count, ACPI_PCI_MAX_IO_WINDOWS);
	memcpy(params->io_windows, ranges, count * sizeof(ranges[0]));
	params->io_window_count = count;
	const struct pci_function *f;

	for (uint32_t k = 0; (f = passthrough_function(p, k)) != NULL; k++) {
		int gsi = passthrough_intx_gsi(p, k);
		bool known = false;

		if (gsi < ACPI_PCI_MIN_GSI || gsi >= VIOAPIC_PINS ||
		    params->route_count == ACPI_PCI_MAX_ROUTES)
			continue;
		struct acpi_pci_route route = { f->address.device,
						(uint8_t)(f->interrupt_pin - 1),
						(uint32_t)gsi };

		for (uint32_t r = 0; r < params->route_count; r++)
			known |= params->routes[r].device == route.device &&
				 params->routes[r].pin == route.pin;
		if (!known)
			params->routes[params->route_count++] = route;
	}
}

void pc_platform_load(struct partition *p)
{
	uint8_t *memory = (uint8_t *)(uintptr_t)p->memory_base;
	struct acpi_params params = {
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

	pci_host_bridge(p, &params);
	if (!acpi_tables_build(memory + PC_ACPI_BASE, PC_ACPI_SIZE, &params,
			       &p->acpi_rsdp))
		panic("partition %s: cannot build its ACPI tables",
		      p->config->name);
	vioapic_reset(&p->ioapic, p->vcpu_count);
	p->pm1_enable = 0;
	p->pci_address = 0;
	p->rtc_index = 0;
	vpit_reset(&p->pit, boot_info->tsc_hz);
}

void pc_platform_reset_vcpu(struct vcpu *vcpu)
{
	vlapic_reset(&vcpu->apic, vcpu->index,
		     vcpu->partition->apic_tsc_per_tick);
}
