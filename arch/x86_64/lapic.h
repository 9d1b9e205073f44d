/* SPDX-License-Identifier: MIT */
/* The local APIC (xAPIC MMIO mode): identification, IPIs, masking. */
#ifndef BULKHEAD_ARCH_LAPIC_H
#define BULKHEAD_ARCH_LAPIC_H

#include <stdint.h>

void lapic_init(uint64_t base);       /* per CPU: enable, mask LVTs */
uint32_t lapic_id(void);
void lapic_end_of_interrupt(void);
void lapic_send_init(uint32_t apic_id);
void lapic_send_startup(uint32_t apic_id, uint32_t vector_page);
void lapic_send_nmi(uint32_t apic_id);
/* The host timer: a one-shot APIC timer interrupt at a TSC deadline. */
#define LAPIC_TIMER_VECTOR 0xef
void lapic_timer_calibrate(uint64_t tsc_hz);
uint64_t lapic_timer_rate(void); /* APIC ticks per 2^20 TSC ticks */
void lapic_timer_arm(uint64_t tsc_deadline);
void lapic_timer_stop(void);
/* Masks the legacy 8259 PICs and every IO APIC input. */
void interrupts_mask_legacy(uint64_t ioapic_base);

#endif
