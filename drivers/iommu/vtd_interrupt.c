/* SPDX-License-Identifier: MIT */
/* Intel VT-d interrupt remapping formats; see vtd_interrupt.h. */
#include "vtd_interrupt.h"

#define IRTE_VECTOR_SHIFT 16
#define IRTE_DESTINATION_SHIFT 40 /* xAPIC: destination bits 15:8 */
#define IRTE_SVT_REQUESTER (1ull << 18) /* verify SID, SQ 00: all bits */
#define IRTE_LEVEL (1ull << 4) /* trigger mode */
#define RTE_HANDLE_HIGH (1ull << 11)
#define RTE_ACTIVE_LOW (1ull << 13)
#define RTE_LEVEL (1ull << 15)
#define RTE_MASKED (1ull << 16)
#define RTE_REMAPPABLE (1ull << 48)
#define RTE_HANDLE_SHIFT 49
#define MSI_BASE 0xfee00000u
#define MSI_REMAPPABLE (1u << 4)
#define MSI_HANDLE_LOW_SHIFT 5 /* handle bits 14:0 in address 19:5 */
#define MSI_HANDLE_HIGH_BIT (1u << 2) /* handle bit 15 */

struct vtd_irte vtd_irte_fixed(uint8_t apic_id, uint8_t vector,
			       uint16_t requester_id)
{
	/* Fixed delivery (000b), edge, physical destination mode: all 0. */
	return (struct vtd_irte){
		.low = VTD_IRTE_PRESENT | (uint64_t)vector << IRTE_VECTOR_SHIFT |
		       (uint64_t)apic_id << IRTE_DESTINATION_SHIFT,
		.high = IRTE_SVT_REQUESTER | requester_id,
	};
}

struct vtd_irte vtd_irte_level(uint8_t apic_id, uint8_t vector,
			       uint16_t requester_id)
{
	struct vtd_irte irte = vtd_irte_fixed(apic_id, vector, requester_id);

	irte.low |= IRTE_LEVEL;
	return irte;
}

uint64_t vtd_ioapic_entry(uint16_t handle, uint8_t vector)
{
	return vector | ((handle & 0x8000) ? RTE_HANDLE_HIGH : 0) |
	       RTE_ACTIVE_LOW | RTE_LEVEL | RTE_MASKED | RTE_REMAPPABLE |
	       (uint64_t)(handle & 0x7fff) << RTE_HANDLE_SHIFT;
}

uint32_t vtd_msi_address(uint16_t handle)
{
	return MSI_BASE | MSI_REMAPPABLE |
	       (uint32_t)(handle & 0x7fff) << MSI_HANDLE_LOW_SHIFT |
	       ((handle & 0x8000) ? MSI_HANDLE_HIGH_BIT : 0);
}

uint32_t vtd_msi_data(void)
{
	return 0;
}
