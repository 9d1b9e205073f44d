/* SPDX-License-Identifier: MIT */
/*
 * The host's IOAPIC: the first one the firmware's MADT lists (its inputs
 * are GSIs from 0, as on a PC), reached through its IOREGSEL/IOWIN
 * window. The hypervisor programs only the inputs of devices partitions
 * own (docs/devices.md, "INTx"); every other input stays masked as the
 * boot left it. Without an address (no MADT: Bochs) there is no IOAPIC
 * and no INTx. Any CPU may call these; a lock serialises the window.
 */
#ifndef BULKHEAD_DRIVERS_IOAPIC_H
#define BULKHEAD_DRIVERS_IOAPIC_H

#include <stdbool.h>
#include <stdint.h>

#define IOAPIC_ENTRY_MASKED (1ull << 16)

/* Boot: the IOAPIC at base (0: none). Reads its ID and input count. */
void ioapic_init(uint64_t base);
bool ioapic_present(void);
/* The ID in its ID register (what the DMAR and IVRS name it by). */
uint8_t ioapic_id(void);
/* How many inputs (GSIs 0..n-1) it has; 0 without an IOAPIC. */
unsigned ioapic_inputs(void);
/* Writes input gsi's redirection entry: masked first, then the upper
 * half, then the lower half as given (so a half-written entry never
 * fires). Ignored for an input it lacks. */
void ioapic_write_entry(unsigned gsi, uint64_t entry);
/* Sets or clears the mask bit of input gsi's entry, the rest kept. */
void ioapic_set_masked(unsigned gsi, bool masked);
/* Masks input gsi and ends the interrupt it sent (clears its remote
 * IRR), whatever the local APIC's EOI broadcast does: with the EOI
 * register (version 0x20 and later) by the entry's vector, else by
 * making the masked entry edge-triggered and level again. An interrupt
 * remapped as edge-triggered (AMD-Vi: its entries carry no trigger mode)
 * leaves no EOI broadcast behind. */
void ioapic_mask_and_end(unsigned gsi);
/* The entry as the IOAPIC holds it now (remote IRR and delivery status
 * included); 0 for an input it lacks. */
uint64_t ioapic_read_entry(unsigned gsi);

#endif
