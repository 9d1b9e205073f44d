/* SPDX-License-Identifier: MIT */
/* Intel VT-d interrupt remapping formats; see vtd_interrupt.h. */
#include "vtd_interrupt.h"

#define IRTE_VECTOR_SHIFT 16
#define IRTE_DESTINATION_SHIFT 40 /* xAPIC: destination bits 15:8 */
#define IRTE_SVT_REQUESTER (1ull << 18) /* verify SID, SQ 00: all bits */
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
