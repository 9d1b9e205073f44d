/* SPDX-License-Identifier: MIT */
/*
 * The MSI-X pages of owned functions (partition.msix_traps): they are left
 * out of the partition's stage-2 tables, so every access exits as a
 * stage-2 fault and is emulated here (docs/devices.md, "Interrupts").
 * The table's entries are the view's shadows (msix_table_model.c), and a
 * change routes the function's vectors again (device_msi.c). The
 * pending-bit array reads as the device has it (the device's entries are
 * masked where the partition's are, so its bits mean the same) and
 * ignores writes. Any other register on those pages (QEMU's NVMe keeps
 * registers beside its table) reaches the device as the access came.
 */
#include "msix_table.h"

#include "arch/x86_64/spinlock.h"
#include "core/console/console.h"
#include "core/passthrough/passthrough.h"
#include "core/vcpu/guest_instruction.h"
#include "device_msi.h"
#include "drivers/pci/pci.h"

#define PBA_BYTES(entries) (((uint64_t)(entries) + 63) / 64 * 8)

static const struct partition_msix_trap *trap_at(const struct partition *p,
						 uint64_t address)
{
	for (uint32_t i = 0; i < p->msix_trap_count; i++)
		if (address - p->msix_traps[i].base < p->msix_traps[i].size)
			return &p->msix_traps[i];
	return NULL;
}

bool msix_table_is_trapped(const struct partition *p, uint64_t address)
{
	return trap_at(p, address) != NULL;
}

static struct pci_view_function *view_of(struct partition *p, uint32_t index)
{
	for (uint32_t i = 0; i < p->pci_view.count; i++)
		if (p->pci_view.functions[i].owner_index == index)
			return &p->pci_view.functions[i];
	return NULL;
}

/* A table access: the partition's shadows, under its lock. */
static void table_access(struct partition *p, struct pci_view_function *f,
			 uint64_t offset, bool write, unsigned size,
			 uint64_t *value)
{
	char refused[DEVICE_MSI_REASON_MAX] = "";
	unsigned entry;

	if (!f || !f->msix.offset) { /* MSI-X not shown */
		if (!write)
			*value = 0;
		return;
	}
	spin_lock(&p->lock);
	if (!write)
		*value = msix_table_read(&f->msix, offset, size);
	else if (msix_table_write(&f->msix, offset, size, *value, &entry))
		device_msi_changed(p, f, refused);
	spin_unlock(&p->lock);
	if (refused[0])
		log_line("partition %s: %s", p->config->name, refused);
}

static void trapped_access(struct vcpu *vcpu, uint64_t address, bool write,
			   unsigned size, uint64_t *value)
{
	struct partition *p = vcpu->partition;
	const struct partition_msix_trap *t = trap_at(p, address);
	const struct pci_function *hw =
		t ? passthrough_function(p, t->function) : NULL;

	/* Nothing past the trapped pages: they may end where another
	 * device's registers begin. */
	if (!hw || size > t->base + t->size - address) {
		if (!write)
			*value = 0;
		return;
	}
	uint64_t table = hw->bars[hw->msix.table_bar].address +
			 hw->msix.table_offset;
	uint64_t pba = hw->bars[hw->msix.pba_bar].address + hw->msix.pba_offset;

	if (address - table < (uint64_t)hw->msix.table_size * MSIX_ENTRY_SIZE) {
		table_access(p, view_of(p, t->function), address - table,
			     write, size, value);
		return;
	}
	if (address - pba < PBA_BYTES(hw->msix.table_size)) {
		if (!write)
			*value = passthrough_mmio_read(address, size);
		return;
	}
	if (write)
		passthrough_mmio_write(address, size, *value);
	else
		*value = passthrough_mmio_read(address, size);
}

bool msix_table_mmio(struct vcpu *vcpu, const struct vcpu_exit *exit,
		     char *error, size_t error_size)
{
	return guest_emulate_mmio(vcpu, exit->fault.address, trapped_access,
				  error, error_size);
}
