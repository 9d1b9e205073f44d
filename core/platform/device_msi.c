/* SPDX-License-Identifier: MIT */
/*
 * The message interrupts of owned PCI functions (docs/devices.md,
 * "Interrupts"). The partition writes its messages (address and data, for
 * its own APIC IDs and vectors) into the MSI registers and MSI-X table its
 * view emulates; the device never sees them. Instead each vector of an
 * owned function has a host vector of its own, and the IOMMU's interrupt
 * remapping entry for it (source-id verified) sends that vector to the
 * physical CPU that runs the target vCPU. There the host takes it (an
 * exit, or the idle loop) and raises the partition's vector in that
 * vCPU's virtual APIC. A change of a message (the guest moving its
 * interrupt to another CPU) moves the route at once; a mask removes it.
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

#define ROUTE_VALID (1u << 31)
#define ROUTE_MSIX (1u << 30)

/* Per host vector (slot): whose it is, where it goes now (TARGET_VALID,
 * the vCPU index in bits 15:8, the partition's vector in 7:0), and what
 * the device and the IOMMU have (ROUTE_VALID, ROUTE_MSIX, the APIC ID in
 * bits 7:0). */
static struct partition *owners[DEVICE_MSI_VECTORS];
static uint32_t targets[DEVICE_MSI_VECTORS];
static uint32_t routes[DEVICE_MSI_VECTORS];
/* Per function: its first slot and how many it has. */
static uint8_t first_slot[CONFIG_MAX_PARTITIONS][CONFIG_MAX_PCI_DEVICES];
static uint8_t slot_count[CONFIG_MAX_PARTITIONS][CONFIG_MAX_PCI_DEVICES];
/* Whether the device's MSI-X is on. */
static bool msix_on[CONFIG_MAX_PARTITIONS][CONFIG_MAX_PCI_DEVICES];
static unsigned slots_used;

unsigned device_msi_reserve(struct partition *p, uint32_t index,
			    unsigned wanted)
{
	if (index >= CONFIG_MAX_PCI_DEVICES || !passthrough_msi_available())
		return 0;
	if (wanted > PASSTHROUGH_MAX_VECTORS)
		wanted = PASSTHROUGH_MAX_VECTORS;
	if (wanted > DEVICE_MSI_VECTORS - slots_used)
		wanted = DEVICE_MSI_VECTORS - slots_used;
	first_slot[p->id][index] = (uint8_t)slots_used;
	slot_count[p->id][index] = (uint8_t)wanted;
	for (unsigned k = 0; k < wanted; k++)
		owners[slots_used + k] = p;
	slots_used += wanted;
	return wanted;
}

void device_msi_reset(struct partition *p)
{
	for (uint32_t i = 0; i < p->pci_view.count; i++) {
		unsigned index = p->pci_view.functions[i].owner_index;

		for (unsigned k = 0; k < slot_count[p->id][index]; k++) {
			unsigned slot = first_slot[p->id][index] + k;

			__atomic_store_n(&targets[slot], 0, __ATOMIC_SEQ_CST);
			routes[slot] = 0;
		}
		msix_on[p->id][index] = false;
	}
}

/* Why the message cannot be delivered, or NULL; *target: its vCPU. */
static const char *unfit(struct partition *p, const struct msix_entry *m,
			 uint32_t *target, char *why, size_t size)
{
	uint32_t address = m->address;
	uint8_t vector = (uint8_t)m->data;
	unsigned mode = MSI_DELIVERY(m->data);

	if (m->address_high || (address & MSI_ADDRESS_MASK) != MSI_ADDRESS_BASE) {
		format(why, size, "address 0x%x%08x is not an interrupt address",
		       m->address_high, address);
		return why;
	}
	if (mode != MSI_DELIVERY_FIXED && mode != MSI_DELIVERY_LOWEST) {
		format(why, size,
		       "delivery mode %u (only fixed and lowest priority)",
		       mode);
		return why;
	}
	if (m->data & MSI_LEVEL) {
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

/* Vector k of f off, at the device and in the IOMMU. */
static void vector_off(struct partition *p, const struct pci_view_function *f,
		       unsigned k, unsigned slot)
{
	__atomic_store_n(&targets[slot], 0, __ATOMIC_SEQ_CST);
	if (routes[slot] & ROUTE_VALID)
		passthrough_msi_off(p, f->owner_index,
				    routes[slot] & ROUTE_MSIX, k);
	routes[slot] = 0;
}

/* Vector k of f to deliver message m (live) or off; why it was refused,
 * or NULL. */
static const char *vector_update(struct partition *p,
				 const struct pci_view_function *f, unsigned k,
				 bool msix, bool live,
				 const struct msix_entry *m, char *why,
				 size_t size)
{
	unsigned slot = first_slot[p->id][f->owner_index] + k;
	uint32_t target = 0;

	/* Parked: Linux writes a zero message while it moves or frees the
	 * interrupt, with the vector still enabled. */
	if (!live || (!m->address && !m->address_high)) {
		vector_off(p, f, k, slot);
		return NULL;
	}
	const char *bad = unfit(p, m, &target, why, size);

	if (bad) {
		vector_off(p, f, k, slot);
		return bad;
	}
	struct vcpu *vcpu = p->vcpus[target];
	uint32_t route = ROUTE_VALID | (msix ? ROUTE_MSIX : 0) |
			 (vcpu->cpu->apic_id & 0xff);

	if ((routes[slot] & ROUTE_VALID) && (routes[slot] & ROUTE_MSIX) !=
						    (route & ROUTE_MSIX))
		vector_off(p, f, k, slot);
	__atomic_store_n(&targets[slot],
			 TARGET_VALID | target << 8 | (uint8_t)m->data,
			 __ATOMIC_SEQ_CST);
	if (routes[slot] == route)
		return NULL;
	if (passthrough_msi_route(p, f->owner_index, msix, k, (uint16_t)slot,
				  vcpu->cpu->apic_id,
				  (uint8_t)(DEVICE_MSI_VECTOR_BASE + slot))) {
		routes[slot] = route;
		return NULL;
	}
	vector_off(p, f, k, slot);
	return "the IOMMU did not take the route";
}

void device_msi_changed(struct partition *p, struct pci_view_function *f,
			char reason[DEVICE_MSI_REASON_MAX])
{
	unsigned index = f->owner_index;
	bool msix = !f->msi.enabled && f->msix.enabled;
	const char *first_bad = NULL;
	char why[DEVICE_MSI_REASON_MAX];

	reason[0] = 0;
	if (index >= CONFIG_MAX_PCI_DEVICES)
		return;
	if (msix_on[p->id][index] != msix) {
		passthrough_msix_enable(p, index, msix);
		msix_on[p->id][index] = msix;
	}
	for (unsigned k = 0; k < slot_count[p->id][index]; k++) {
		struct msix_entry m = { 0 };
		bool live = false;

		if (f->msi.enabled && f->msi.offset) {
			live = k == 0;
			m = (struct msix_entry){ f->msi.address,
						 f->msi.address_high,
						 f->msi.data, 0 };
		} else if (msix) {
			live = msix_entry_live(&f->msix, k);
			m = f->msix.entries[k];
		}
		const char *bad = vector_update(p, f, k, msix, live, &m, why,
						sizeof(why));

		if (bad && !first_bad) {
			first_bad = bad;
			if (p->msi_refused_logs < REFUSED_LOG_LIMIT) {
				p->msi_refused_logs++;
				char which[24] = "MSI";

				if (msix)
					format(which, sizeof(which),
					       "MSI-X vector %u", k);
				format(reason, DEVICE_MSI_REASON_MAX,
				       "%s of PCI device %02x:%02x.%x "
				       "refused: %s",
				       which, f->bus, f->device, f->function,
				       bad);
			}
		}
	}
}

void device_msi_interrupt(uint8_t vector)
{
	unsigned slot = vector - DEVICE_MSI_VECTOR_BASE;

	if (vector < DEVICE_MSI_VECTOR_BASE || slot >= DEVICE_MSI_VECTORS ||
	    !owners[slot])
		return;
	uint32_t target = __atomic_load_n(&targets[slot], __ATOMIC_SEQ_CST);
	struct partition *p = owners[slot];

	if (!(target & TARGET_VALID) || (target >> 8 & 0xff) >= p->vcpu_count)
		return;
	vcpu_raise_interrupt(p->vcpus[target >> 8 & 0xff], (uint8_t)target);
}
