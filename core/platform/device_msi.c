/* SPDX-License-Identifier: MIT */
/*
 * The MSIs of owned PCI functions (docs/devices.md, "Interrupts"). The
 * partition writes its message (address and data, for its own APIC IDs
 * and vectors) into the MSI registers its view emulates; the device never
 * sees it. Instead each owned function has a host vector of its own, and
 * the IOMMU's interrupt remapping entry for it (source-id verified) sends
 * that vector to the physical CPU that runs the target vCPU. There the
 * host takes it (an exit, or the idle loop) and raises the partition's
 * vector in that vCPU's virtual APIC. A change of the message (the guest
 * moving its interrupt to another CPU) moves the route at once.
 */
#include "device_msi.h"

#include "arch/x86_64/percpu.h"
#include "core/passthrough/passthrough.h"
#include "core/vcpu/vcpu_kick.h"
#include "lib/format.h"
#include "lapic_model.h"

#define MSI_ADDRESS_MASK 0xfff00000u
#define MSI_ADDRESS_BASE 0xfee00000u
#define MSI_DESTINATION(a) ((a) >> 12 & 0xff)
#define MSI_LOGICAL (1u << 2)
#define MSI_DELIVERY(d) ((d) >> 8 & 7)
#define MSI_DELIVERY_FIXED 0
#define MSI_DELIVERY_LOWEST 1
#define MSI_LEVEL (1u << 15)
#define TARGET_VALID (1u << 31)
#define REFUSED_LOG_LIMIT 8

/* Per host vector: whose it is and where it goes now (TARGET_VALID, the
 * vCPU index in bits 15:8, the partition's vector in 7:0). */
static struct partition *owners[DEVICE_MSI_VECTORS];
static uint32_t targets[DEVICE_MSI_VECTORS];

static unsigned number_of(const struct partition *p,
			  const struct pci_view_function *f)
{
	return p->id * CONFIG_MAX_PCI_DEVICES + f->owner_index;
}

void device_msi_build(struct partition *p)
{
	for (uint32_t i = 0; i < p->pci_view.count; i++)
		owners[number_of(p, &p->pci_view.functions[i])] = p;
}

void device_msi_reset(struct partition *p)
{
	for (uint32_t i = 0; i < p->pci_view.count; i++)
		__atomic_store_n(&targets[number_of(p, &p->pci_view.functions[i])],
				 0, __ATOMIC_SEQ_CST);
}

/* Why the message cannot be delivered, or NULL; *target: its vCPU. */
static const char *unfit(struct partition *p, const struct pci_view_msi *msi,
			 uint32_t *target, char *why, size_t size)
{
	uint32_t address = msi->address;
	uint8_t vector = (uint8_t)msi->data;
	unsigned mode = MSI_DELIVERY(msi->data);

	if (msi->address_high || (address & MSI_ADDRESS_MASK) != MSI_ADDRESS_BASE) {
		format(why, size, "address 0x%x%08x is not an interrupt address",
		       msi->address_high, address);
		return why;
	}
	if (mode != MSI_DELIVERY_FIXED && mode != MSI_DELIVERY_LOWEST) {
		format(why, size,
		       "delivery mode %u (only fixed and lowest priority)",
		       mode);
		return why;
	}
	if (msi->data & MSI_LEVEL) {
		format(why, size, "a level-triggered message");
		return why;
	}
	if (vector < 16) {
		format(why, size, "vector %u (below 16)", vector);
		return why;
	}
	for (uint32_t v = 0; v < p->vcpu_count; v++)
		if (vlapic_matches(&p->vcpus[v]->apic, MSI_DESTINATION(address),
				   address & MSI_LOGICAL)) {
			*target = v;
			return NULL;
		}
	format(why, size, "%s APIC ID 0x%x: no such CPU in the partition",
	       (address & MSI_LOGICAL) ? "logical" : "physical",
	       MSI_DESTINATION(address));
	return why;
}

void device_msi_changed(struct partition *p, struct pci_view_function *f,
			char reason[DEVICE_MSI_REASON_MAX])
{
	unsigned number = number_of(p, f);
	uint32_t target = 0;
	char why[DEVICE_MSI_REASON_MAX];

	reason[0] = 0;
	/* Off, or parked: Linux writes a zero message while it moves or
	 * frees the interrupt, with MSI still enabled. */
	if (!f->msi.enabled || (!f->msi.address && !f->msi.address_high)) {
		__atomic_store_n(&targets[number], 0, __ATOMIC_SEQ_CST);
		passthrough_msi_off(p, f->owner_index);
		return;
	}
	const char *bad = unfit(p, &f->msi, &target, why, sizeof(why));

	if (!bad) {
		struct vcpu *vcpu = p->vcpus[target];

		__atomic_store_n(&targets[number],
				 TARGET_VALID | target << 8 | (uint8_t)f->msi.data,
				 __ATOMIC_SEQ_CST);
		if (passthrough_msi_route(p, f->owner_index, vcpu->cpu->apic_id,
					  (uint8_t)(DEVICE_MSI_VECTOR_BASE +
						    number)))
			return;
		bad = "the IOMMU did not take the route";
	}
	__atomic_store_n(&targets[number], 0, __ATOMIC_SEQ_CST);
	passthrough_msi_off(p, f->owner_index);
	if (p->msi_refused_logs < REFUSED_LOG_LIMIT) {
		p->msi_refused_logs++;
		format(reason, DEVICE_MSI_REASON_MAX,
		       "MSI of PCI device %02x:%02x.%x refused: %s", f->bus,
		       f->device, f->function, bad);
	}
}

void device_msi_interrupt(uint8_t vector)
{
	unsigned number = vector - DEVICE_MSI_VECTOR_BASE;

	if (vector < DEVICE_MSI_VECTOR_BASE || number >= DEVICE_MSI_VECTORS ||
	    !owners[number])
		return;
	uint32_t target = __atomic_load_n(&targets[number], __ATOMIC_SEQ_CST);
	struct partition *p = owners[number];

	if (!(target & TARGET_VALID) || (target >> 8 & 0xff) >= p->vcpu_count)
		return;
	vcpu_raise_interrupt(p->vcpus[target >> 8 & 0xff], (uint8_t)target);
}
