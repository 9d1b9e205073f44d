/* SPDX-License-Identifier: MIT */
/* Which GSI a function's INTx drives; see pci_intx.h. Pure. */
#include "pci_intx.h"

#define INTEL		      0x8086
#define Q35_MCH		      0x29c0
#define ICH9_LPC	      0x2918
#define QEMU_SUBSYSTEM_VENDOR 0x1af4
#define QEMU_SUBSYSTEM	      0x1100
#define Q35_FIXED_SLOTS	      25 /* slots 25-31 are the ICH9's own */
#define ICH9_PIRQ_E	      4
#define ICH9_PIRQ_GSI_BASE    16 /* APIC mode: PIRQ[A-H] are GSIs 16-23 */

enum pci_intx_chipset pci_intx_chipset(const struct pci_intx_identity *host,
				       const struct pci_intx_identity *lpc)
{
	if (host->vendor == INTEL && host->device == Q35_MCH &&
	    host->subsystem_vendor == QEMU_SUBSYSTEM_VENDOR &&
	    host->subsystem == QEMU_SUBSYSTEM && lpc->vendor == INTEL &&
	    lpc->device == ICH9_LPC)
		return PCI_INTX_QEMU_Q35;
	return PCI_INTX_UNKNOWN;
}

int pci_intx_gsi(enum pci_intx_chipset chipset, uint8_t bus, uint8_t device,
		 uint8_t pin)
{
	if (chipset != PCI_INTX_QEMU_Q35 || bus != 0 || pin < 1 || pin > 4 ||
	    device >= Q35_FIXED_SLOTS)
		return -1;
	return ICH9_PIRQ_GSI_BASE + ICH9_PIRQ_E + (device + pin - 1) % 4;
}
