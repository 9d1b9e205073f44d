/* SPDX-License-Identifier: MIT */
/*
 * A virtual local APIC in xAPIC mode, one per vCPU of a PC partition:
 * the register file reached by MMIO, interrupt priority (TPR, PPR, IRR,
 * ISR), the timer in one-shot, periodic and TSC-deadline modes, and IPI
 * requests decoded from the ICR. Pure: time is a TSC value the caller
 * passes in; the caller locks, injects and delivers IPIs.
 */
#ifndef BULKHEAD_CORE_PLATFORM_LAPIC_MODEL_H
#define BULKHEAD_CORE_PLATFORM_LAPIC_MODEL_H

#include <stdbool.h>
#include <stdint.h>

/* Register offsets in the 4 KiB xAPIC page (16-byte aligned). */
#define VLAPIC_REG_ID		 0x020
#define VLAPIC_REG_VERSION	 0x030
#define VLAPIC_REG_TPR		 0x080
#define VLAPIC_REG_APR		 0x090
#define VLAPIC_REG_PPR		 0x0a0
#define VLAPIC_REG_EOI		 0x0b0
#define VLAPIC_REG_RRD		 0x0c0
#define VLAPIC_REG_LDR		 0x0d0
#define VLAPIC_REG_DFR		 0x0e0
#define VLAPIC_REG_SVR		 0x0f0
#define VLAPIC_REG_ISR		 0x100 /* 8 registers, 0x100..0x170 */
#define VLAPIC_REG_TMR		 0x180 /* 8 registers, 0x180..0x1f0 */
#define VLAPIC_REG_IRR		 0x200 /* 8 registers, 0x200..0x270 */
#define VLAPIC_REG_ESR		 0x280
#define VLAPIC_REG_LVT_CMCI	 0x2f0
#define VLAPIC_REG_ICR_LOW	 0x300
#define VLAPIC_REG_ICR_HIGH	 0x310
#define VLAPIC_REG_LVT_TIMER	 0x320
#define VLAPIC_REG_LVT_THERMAL	 0x330
#define VLAPIC_REG_LVT_PERF	 0x340
#define VLAPIC_REG_LVT_LINT0	 0x350
#define VLAPIC_REG_LVT_LINT1	 0x360
#define VLAPIC_REG_LVT_ERROR	 0x370
#define VLAPIC_REG_TIMER_INITIAL 0x380
#define VLAPIC_REG_TIMER_CURRENT 0x390
#define VLAPIC_REG_TIMER_DIVIDE	 0x3e0

/* Version 0x14 (integrated xAPIC), 7 LVT entries (max LVT index 6), no
 * EOI-broadcast suppression. */
#define VLAPIC_VERSION 0x00060014u

#define VLAPIC_SVR_ENABLE	  (1u << 8)
#define VLAPIC_LVT_MASKED	  (1u << 16)
#define VLAPIC_TIMER_MODE_SHIFT	  17
#define VLAPIC_TIMER_ONE_SHOT	  0u
#define VLAPIC_TIMER_PERIODIC	  1u
#define VLAPIC_TIMER_TSC_DEADLINE 2u

/* ESR bits this model reports. */
#define VLAPIC_ESR_SEND_ILLEGAL_VECTOR	  (1u << 5)
#define VLAPIC_ESR_RECEIVE_ILLEGAL_VECTOR (1u << 6)
#define VLAPIC_ESR_ILLEGAL_REGISTER	  (1u << 7)

/* Index of each local vector table entry in struct vlapic.lvt. */
enum vlapic_lvt {
	VLAPIC_LVT_CMCI,    /* 0x2f0 */
	VLAPIC_LVT_TIMER,   /* 0x320 */
	VLAPIC_LVT_THERMAL, /* 0x330 */
	VLAPIC_LVT_PERF,    /* 0x340 */
	VLAPIC_LVT_LINT0,   /* 0x350 */
	VLAPIC_LVT_LINT1,   /* 0x360 */
	VLAPIC_LVT_ERROR,   /* 0x370 */
	VLAPIC_LVT_COUNT
};

/* ICR delivery modes and destination shorthands. */
#define VLAPIC_DELIVERY_FIXED		0
#define VLAPIC_DELIVERY_LOWEST_PRIORITY 1
#define VLAPIC_DELIVERY_SMI		2
#define VLAPIC_DELIVERY_NMI		4
#define VLAPIC_DELIVERY_INIT		5
#define VLAPIC_DELIVERY_STARTUP		6
#define VLAPIC_SHORTHAND_NONE		0
#define VLAPIC_SHORTHAND_SELF		1
#define VLAPIC_SHORTHAND_ALL		2
#define VLAPIC_SHORTHAND_OTHERS		3

/* The APIC's state; read and change it through the functions below. */
struct vlapic {
	uint32_t id; /* APIC ID: the vCPU index in the partition */
	uint32_t tpr, ldr, dfr, svr;
	uint32_t esr;	      /* errors latched by the last ESR write */
	uint32_t esr_pending; /* errors detected since that write */
	uint32_t icr_low, icr_high;
	uint32_t lvt[VLAPIC_LVT_COUNT];
	uint32_t timer_initial, timer_divide;
	uint32_t irr[8], isr[8], tmr[8];
	uint32_t level_eoi[8];	 /* level-triggered vectors ended by EOI */
	uint64_t timer_deadline; /* TSC of the next expiry; 0: not armed */
	uint64_t timer_period;	 /* TSC ticks per period (count modes) */
	uint64_t timer_unit;	 /* TSC ticks per count, fixed at arming */
	uint64_t tsc_deadline;	 /* IA32_TSC_DEADLINE */
	uint32_t tsc_per_tick;	 /* TSC ticks per APIC tick at divide 1 */
};

/* An IPI requested by a write to ICR low; the caller delivers it. */
struct vlapic_ipi {
	uint8_t vector;
	uint8_t delivery_mode; /* VLAPIC_DELIVERY_* */
	bool level_assert;     /* false only for an INIT level de-assert */
	bool logical;	       /* destination is logical (LDR/DFR) */
	uint8_t shorthand;     /* VLAPIC_SHORTHAND_* */
	uint32_t destination;  /* ICR high bits 31:24 */
};

/* Power-on state: SVR 0xff (software-disabled), LVTs masked, DFR all
 * ones, timer stopped. tsc_per_tick 0 is taken as 1. */
void vlapic_reset(struct vlapic *apic, uint32_t id, uint32_t tsc_per_tick);

/* A 32-bit register read at offset (0..0xff0, 16-byte aligned); 0 for
 * unaligned offsets, unimplemented ones (which also log an ESR error)
 * and write-only ones. now is the current TSC. */
uint32_t vlapic_read(struct vlapic *apic, uint32_t offset, uint64_t now);

/* A 32-bit register write. Reserved bits are dropped, read-only registers
 * ignored. Returns true and fills *ipi when the write to ICR low asks for
 * an IPI to be sent. */
bool vlapic_write(struct vlapic *apic, uint32_t offset, uint32_t value,
		  uint64_t now, struct vlapic_ipi *ipi);

/* Whether this APIC is a destination: physical (an APIC ID; 0xff is a
 * broadcast) or logical (flat: (LDR >> 24) & destination; cluster: high
 * nibble cluster, low nibble member bitmap; 0xff is a broadcast). */
bool vlapic_matches(const struct vlapic *apic, uint32_t destination,
		    bool logical);

/* Accepts an edge-triggered fixed interrupt. Vectors below 16 are illegal
 * (ESR error, dropped); a software-disabled APIC drops fixed interrupts. */
void vlapic_set_irr(struct vlapic *apic, uint8_t vector);
/* The same with the trigger mode: a level-triggered vector sets its TMR bit
 * and its EOI is reported by vlapic_take_level_eoi. */
void vlapic_accept(struct vlapic *apic, uint8_t vector, bool level_triggered);

/* PPR as the SDM defines it: TPR, or the class of the highest in-service
 * vector when that class is higher. */
uint32_t vlapic_ppr(const struct vlapic *apic);
/* The highest requested vector whose priority class is above PPR's; -1
 * when there is none or the APIC is software-disabled. */
int vlapic_pending(const struct vlapic *apic);
/* Moves vector from IRR to ISR when it is injected (no-op when it is not
 * requested). */
void vlapic_acknowledge(struct vlapic *apic, uint8_t vector);
/* A level-triggered vector that an EOI ended since the last call (lowest
 * first), or -1; the caller forwards it to the IOAPIC (vioapic_eoi). */
int vlapic_take_level_eoi(struct vlapic *apic);

/* When the timer has expired by now: requests the LVT timer vector unless
 * masked, re-arms a periodic timer past now (missed periods are skipped,
 * not replayed) and disarms a one-shot or TSC-deadline one. Returns true
 * when the vector was requested. */
bool vlapic_timer_fire(struct vlapic *apic, uint64_t now);
/* TSC of the next expiry, 0 when the timer is not armed. A masked timer
 * still expires (vlapic_timer_fire then only re-arms or disarms it). */
uint64_t vlapic_timer_next(const struct vlapic *apic);

/* IA32_TSC_DEADLINE: reads 0 and ignores writes unless the LVT timer is in
 * TSC-deadline mode; writing 0 disarms, a past value fires at once. */
uint64_t vlapic_tsc_deadline_read(const struct vlapic *apic);
void vlapic_tsc_deadline_write(struct vlapic *apic, uint64_t value,
			       uint64_t now);

#endif
