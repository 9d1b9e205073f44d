/* SPDX-License-Identifier: MIT */
/* AMD-Vi interrupt remapping formats; see amd_vi_interrupt.h. */
#include "amd_vi_interrupt.h"

#define IRTE_VECTOR_SHIFT 16
#define IRTE_DESTINATION_SHIFT 8
/* Third quad of the device table entry (bits 191:128). */
#define DTE_IV (1ull << 0)
#define DTE_INT_TAB_LEN_256 (8ull << 1) /* log2 of the entries */
#define DTE_INT_TABLE_MASK 0x000fffffffffffc0ull /* bits 51:6 */
#define DTE_INT_CTL_REMAPPED (2ull << 60)
#define MSI_BASE 0xfee00000u

uint32_t amd_vi_irte_fixed(uint8_t apic_id, uint8_t vector)
{
	/* SupIOPF 0 (faults logged), IntType 000b (fixed), RqEoi 0, DM 0
	 * (physical), GuestMode 0. */
	return AMD_VI_IRTE_REMAP_EN | (uint32_t)vector << IRTE_VECTOR_SHIFT |
	       (uint32_t)apic_id << IRTE_DESTINATION_SHIFT;
}

uint64_t amd_vi_dte_interrupts_remapped(uint64_t table)
{
	return amd_vi_dte_interrupts_blocked(table) | DTE_INT_CTL_REMAPPED;
}

uint64_t amd_vi_dte_interrupts_blocked(uint64_t table)
{
	/* InitPass, EIntPass, NMIPass, Lint0Pass, Lint1Pass all clear. */
	return DTE_IV | (table ? DTE_INT_TAB_LEN_256 : 0) |
	       (table & DTE_INT_TABLE_MASK);
}

uint64_t amd_vi_dte_interrupt_table(uint64_t quad)
{
	return quad & DTE_INT_TABLE_MASK;
}

uint32_t amd_vi_msi_address(void)
{
	return MSI_BASE;
}

uint32_t amd_vi_msi_data(uint16_t handle)
{
	return handle & 0xffu;
}

bool amd_vi_unit_remaps_interrupts(const struct ivrs_unit *unit)
{
	for (uint32_t i = 0; i < unit->special_count; i++)
		if (unit->specials[i].variety == IVRS_SPECIAL_IOAPIC)
			return true;
	return false;
}

uint64_t amd_vi_ioapic_entry(uint16_t handle)
{
	const uint64_t active_low = 1ull << 13, level = 1ull << 15,
		       masked = 1ull << 16;

	return (handle & 0xff) | active_low | level | masked;
}
