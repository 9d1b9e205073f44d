/* SPDX-License-Identifier: MIT */
/*
 * The virtual local APIC (xAPIC) of one vCPU, after the Intel SDM vol. 3
 * ch. 11 ("Advanced Programmable Interrupt Controller"). Every register
 * and every vector index comes from the guest, so each is bounded here.
 * Time is the TSC value the caller passes; the timer is a deadline on it.
 * A software-disabled APIC (SVR bit 8 clear) keeps its LVTs masked and
 * accepts no fixed interrupts; it may still send IPIs.
 */
#include "lapic_model.h"

#include <string.h>

#define VECTOR_WORDS	   8
#define ILLEGAL_VECTOR_END 16
#define PRIORITY_CLASS	   0xf0u

#define TPR_MASK	  0x000000ffu
#define LDR_MASK	  0xff000000u
#define DFR_MASK	  0xf0000000u
#define DFR_RESERVED	  0x0fffffffu /* reads as ones */
#define DFR_MODEL_CLUSTER 0x0u
#define SVR_MASK	  0x000003ffu /* vector, enable, focus checking */
#define SVR_RESET	  0x000000ffu
#define ESR_MASK	  0x000000ffu
#define ICR_LOW_MASK	  0x000ccfffu /* bit 12 (delivery status) reads 0 */
#define ICR_HIGH_MASK	  0xff000000u
#define DIVIDE_MASK	  0x0000000bu
#define DESTINATION_ALL	  0xffu

#define ICR_VECTOR(v)	    ((v)&0xffu)
#define ICR_DELIVERY(v)	    (((v) >> 8) & 7u)
#define ICR_LOGICAL	    (1u << 11)
#define ICR_LEVEL_ASSERT    (1u << 14)
#define ICR_SHORTHAND(v)    (((v) >> 18) & 3u)
#define DELIVERY_RESERVED_3 3u
#define DELIVERY_RESERVED_7 7u

/* Writable bits of each LVT entry (vector, delivery mode, polarity,
 * trigger, mask, timer mode); delivery status and remote IRR read 0. */
static const uint32_t lvt_writable[VLAPIC_LVT_COUNT] = {
    [VLAPIC_LVT_CMCI] = 0x000107ffu,	[VLAPIC_LVT_TIMER] = 0x000700ffu,
    [VLAPIC_LVT_THERMAL] = 0x000107ffu, [VLAPIC_LVT_PERF] = 0x000107ffu,
    [VLAPIC_LVT_LINT0] = 0x0001a7ffu,	[VLAPIC_LVT_LINT1] = 0x0001a7ffu,
    [VLAPIC_LVT_ERROR] = 0x000100ffu,
};

static bool software_enabled(const struct vlapic *apic)
{
	return apic->svr & VLAPIC_SVR_ENABLE;
}

/* Vector bitmaps (IRR, ISR, TMR): 256 bits in eight 32-bit words. */
static bool vector_test(const uint32_t *bits, uint8_t vector)
{
	return bits[vector / 32] & (1u << (vector % 32));
}

static void vector_set(uint32_t *bits, uint8_t vector)
{
	bits[vector / 32] |= 1u << (vector % 32);
}

static void vector_clear(uint32_t *bits, uint8_t vector)
{
	bits[vector / 32] &= ~(1u << (vector % 32));
}

static int vector_highest(const uint32_t *bits)
{
	for (int word = VECTOR_WORDS - 1; word >= 0; word--) {
		if (bits[word])
			return word * 32 + 31 - __builtin_clz(bits[word]);
	}
	return -1;
}

static int vector_lowest(const uint32_t *bits)
{
	for (int word = 0; word < VECTOR_WORDS; word++) {
		if (bits[word])
			return word * 32 + __builtin_ctz(bits[word]);
	}
	return -1;
}

static uint32_t priority_class(int vector)
{
	return vector < 0 ? 0 : (uint32_t)vector & PRIORITY_CLASS;
}

static uint64_t saturating_add(uint64_t a, uint64_t b)
{
	uint64_t sum;

	return __builtin_add_overflow(a, b, &sum) ? UINT64_MAX : sum;
}

static uint64_t saturating_multiply(uint64_t a, uint64_t b)
{
	uint64_t product;

	return __builtin_mul_overflow(a, b, &product) ? UINT64_MAX : product;
}

/* Raises the error LVT vector for a newly detected error (unless masked or
 * itself illegal, which would loop). */
static void record_error(struct vlapic *apic, uint32_t error)
{
	uint32_t lvt = apic->lvt[VLAPIC_LVT_ERROR];
	uint8_t vector = (uint8_t)(lvt & 0xff);

	apic->esr_pending |= error;
	if (!(lvt & VLAPIC_LVT_MASKED) && vector >= ILLEGAL_VECTOR_END &&
	    software_enabled(apic)) {
		vector_set(apic->irr, vector);
		vector_clear(apic->tmr, vector);
	}
}

static void mask_all_lvts(struct vlapic *apic)
{
	for (unsigned i = 0; i < VLAPIC_LVT_COUNT; i++)
		apic->lvt[i] |= VLAPIC_LVT_MASKED;
}

void vlapic_reset(struct vlapic *apic, uint32_t id, uint32_t tsc_per_tick)
{
	memset(apic, 0, sizeof(*apic));
	apic->id = id;
	apic->dfr = DFR_MASK | DFR_RESERVED;
	apic->svr = SVR_RESET;
	apic->tsc_per_tick = tsc_per_tick ? tsc_per_tick : 1;
	mask_all_lvts(apic);
}

/* ---- Priority ---- */

uint32_t vlapic_ppr(const struct vlapic *apic)
{
	uint32_t in_service = priority_class(vector_highest(apic->isr));

	if ((apic->tpr & PRIORITY_CLASS) >= in_service)
		return apic->tpr;
	return in_service;
}

/* APR, the arbitration priority of lowest-priority delivery. */
static uint32_t apr(const struct vlapic *apic)
{
	uint32_t tpr_class = apic->tpr & PRIORITY_CLASS;
	uint32_t requested = priority_class(vector_highest(apic->irr));
	uint32_t in_service = priority_class(vector_highest(apic->isr));
	uint32_t highest = tpr_class;

	if (tpr_class >= requested && tpr_class > in_service)
		return apic->tpr;
	if (requested > highest)
		highest = requested;
	if (in_service > highest)
		highest = in_service;
	return highest;
}

int vlapic_pending(const struct vlapic *apic)
{
	int vector = vector_highest(apic->irr);

	if (!software_enabled(apic) || vector < 0)
		return -1;
	if (priority_class(vector) <= (vlapic_ppr(apic) & PRIORITY_CLASS))
		return -1;
	return vector;
}

void vlapic_accept(struct vlapic *apic, uint8_t vector, bool level_triggered)
{
	if (!software_enabled(apic))
		return;
	if (vector < ILLEGAL_VECTOR_END) {
		record_error(apic, VLAPIC_ESR_RECEIVE_ILLEGAL_VECTOR);
		return;
	}
	vector_set(apic->irr, vector);
	if (level_triggered)
		vector_set(apic->tmr, vector);
	else
		vector_clear(apic->tmr, vector);
}

void vlapic_set_irr(struct vlapic *apic, uint8_t vector)
{
	vlapic_accept(apic, vector, false);
}

void vlapic_acknowledge(struct vlapic *apic, uint8_t vector)
{
	if (!vector_test(apic->irr, vector))
		return;
	vector_clear(apic->irr, vector);
	vector_set(apic->isr, vector);
}

static void end_of_interrupt(struct vlapic *apic)
{
	int vector = vector_highest(apic->isr);

	if (vector < 0)
		return;
	vector_clear(apic->isr, (uint8_t)vector);
	if (vector_test(apic->tmr, (uint8_t)vector))
		vector_set(apic->level_eoi, (uint8_t)vector);
}

int vlapic_take_level_eoi(struct vlapic *apic)
{
	int vector = vector_lowest(apic->level_eoi);

	if (vector >= 0)
		vector_clear(apic->level_eoi, (uint8_t)vector);
	return vector;
}

/* ---- Timer ---- */

static uint32_t timer_mode(const struct vlapic *apic)
{
	return (apic->lvt[VLAPIC_LVT_TIMER] >> VLAPIC_TIMER_MODE_SHIFT) & 3u;
}

/* Divide configuration bits 0, 1 and 3: 2, 4, ..., 128, then 1. */
static uint32_t timer_divisor(uint32_t divide)
{
	uint32_t code = (divide & 3u) | ((divide >> 1) & 4u);

	return code == 7 ? 1 : 2u << code;
}

static void timer_disarm(struct vlapic *apic)
{
	apic->timer_deadline = 0;
	apic->timer_period = 0;
	apic->timer_unit = 0;
}

/* Loads the initial count: a count mode's timer starts from now. */
static void timer_load(struct vlapic *apic, uint32_t count, uint64_t now)
{
	uint32_t mode = timer_mode(apic);

	if (mode == VLAPIC_TIMER_TSC_DEADLINE)
		return; /* the SDM: ignored in TSC-deadline mode */
	apic->timer_initial = count;
	timer_disarm(apic);
	if (!count || mode > VLAPIC_TIMER_PERIODIC)
		return; /* stopped; mode 3 is reserved and never counts */
	apic->timer_unit =
	    (uint64_t)timer_divisor(apic->timer_divide) * apic->tsc_per_tick;
	apic->timer_period = saturating_multiply(count, apic->timer_unit);
	apic->timer_deadline = saturating_add(now, apic->timer_period);
}

/* The current-count register: counts remaining, read off the deadline. */
static uint32_t timer_current(const struct vlapic *apic, uint64_t now)
{
	uint64_t remaining, count;

	if (!apic->timer_deadline || timer_mode(apic) > VLAPIC_TIMER_PERIODIC)
		return 0;
	if (now < apic->timer_deadline)
		remaining = apic->timer_deadline - now;
	else if (timer_mode(apic) == VLAPIC_TIMER_PERIODIC)
		remaining = apic->timer_period -
			    (now - apic->timer_deadline) % apic->timer_period;
	else
		return 0;
	count = remaining / apic->timer_unit;
	return count > apic->timer_initial ? apic->timer_initial
					   : (uint32_t)count;
}

bool vlapic_timer_fire(struct vlapic *apic, uint64_t now)
{
	uint32_t lvt = apic->lvt[VLAPIC_LVT_TIMER];
	uint64_t deadline = apic->timer_deadline;

	if (!deadline || now < deadline)
		return false;
	if (timer_mode(apic) == VLAPIC_TIMER_PERIODIC && apic->timer_period) {
		uint64_t periods = (now - deadline) / apic->timer_period + 1;

		apic->timer_deadline = saturating_add(
		    deadline, saturating_multiply(periods, apic->timer_period));
	} else {
		timer_disarm(apic);
		apic->tsc_deadline = 0;
	}
	if (lvt & VLAPIC_LVT_MASKED)
		return false;
	vlapic_accept(apic, (uint8_t)(lvt & 0xff), false);
	return vector_test(apic->irr, (uint8_t)(lvt & 0xff));
}

uint64_t vlapic_timer_next(const struct vlapic *apic)
{
	return apic->timer_deadline;
}

uint64_t vlapic_tsc_deadline_read(const struct vlapic *apic)
{
	if (timer_mode(apic) != VLAPIC_TIMER_TSC_DEADLINE)
		return 0;
	return apic->tsc_deadline;
}

void vlapic_tsc_deadline_write(struct vlapic *apic, uint64_t value,
			       uint64_t now)
{
	(void)now; /* a deadline at or before now expires at the next fire */
	if (timer_mode(apic) != VLAPIC_TIMER_TSC_DEADLINE)
		return;
	apic->tsc_deadline = value;
	apic->timer_deadline = value;
}

/* ---- Destinations and IPIs ---- */

bool vlapic_matches(const struct vlapic *apic, uint32_t destination,
		    bool logical)
{
	uint32_t logical_id = apic->ldr >> 24;

	destination &= 0xff;
	if (destination == DESTINATION_ALL)
		return true;
	if (!logical)
		return destination == apic->id;
	if ((apic->dfr >> 28) == DFR_MODEL_CLUSTER)
		return (logical_id >> 4) == (destination >> 4) &&
		       (logical_id & destination & 0xf);
	return logical_id & destination;
}

/* Decodes the ICR into an IPI request; false when nothing is sent. */
static bool icr_send(struct vlapic *apic, struct vlapic_ipi *ipi)
{
	uint32_t low = apic->icr_low;
	uint32_t mode = ICR_DELIVERY(low);

	if (mode == DELIVERY_RESERVED_3 || mode == DELIVERY_RESERVED_7)
		return false;
	if ((mode == VLAPIC_DELIVERY_FIXED ||
	     mode == VLAPIC_DELIVERY_LOWEST_PRIORITY) &&
	    ICR_VECTOR(low) < ILLEGAL_VECTOR_END) {
		record_error(apic, VLAPIC_ESR_SEND_ILLEGAL_VECTOR);
		return false;
	}
	*ipi = (struct vlapic_ipi){
	    .vector = (uint8_t)ICR_VECTOR(low),
	    .delivery_mode = (uint8_t)mode,
	    .level_assert = low & ICR_LEVEL_ASSERT,
	    .logical = low & ICR_LOGICAL,
	    .shorthand = (uint8_t)ICR_SHORTHAND(low),
	    .destination = apic->icr_high >> 24,
	};
	return true;
}

/* ---- Registers ---- */

/* The LVT entry at offset, or -1. */
static int lvt_index(uint32_t offset)
{
	if (offset == VLAPIC_REG_LVT_CMCI)
		return VLAPIC_LVT_CMCI;
	if (offset >= VLAPIC_REG_LVT_TIMER && offset <= VLAPIC_REG_LVT_ERROR)
		return VLAPIC_LVT_TIMER +
		       (int)((offset - VLAPIC_REG_LVT_TIMER) / 0x10);
	return -1;
}

/* One of the vector bitmaps (ISR, TMR, IRR) at offset, or NULL. */
static const uint32_t *bitmap_word(const struct vlapic *apic, uint32_t offset)
{
	if (offset >= VLAPIC_REG_ISR && offset < VLAPIC_REG_TMR)
		return &apic->isr[(offset - VLAPIC_REG_ISR) / 0x10];
	if (offset >= VLAPIC_REG_TMR && offset < VLAPIC_REG_IRR)
		return &apic->tmr[(offset - VLAPIC_REG_TMR) / 0x10];
	if (offset >= VLAPIC_REG_IRR && offset < VLAPIC_REG_ESR)
		return &apic->irr[(offset - VLAPIC_REG_IRR) / 0x10];
	return NULL;
}

/* Registers that read 0 or ignore writes but exist. */
static bool is_implemented(uint32_t offset)
{
	switch (offset) {
	case VLAPIC_REG_ID:
	case VLAPIC_REG_VERSION:
	case VLAPIC_REG_TPR:
	case VLAPIC_REG_APR:
	case VLAPIC_REG_PPR:
	case VLAPIC_REG_EOI:
	case VLAPIC_REG_RRD:
	case VLAPIC_REG_LDR:
	case VLAPIC_REG_DFR:
	case VLAPIC_REG_SVR:
	case VLAPIC_REG_ESR:
	case VLAPIC_REG_ICR_LOW:
	case VLAPIC_REG_ICR_HIGH:
	case VLAPIC_REG_TIMER_INITIAL:
	case VLAPIC_REG_TIMER_CURRENT:
	case VLAPIC_REG_TIMER_DIVIDE:
		return true;
	default:
		return offset >= VLAPIC_REG_ISR && offset < VLAPIC_REG_ESR;
	}
}

uint32_t vlapic_read(struct vlapic *apic, uint32_t offset, uint64_t now)
{
	int lvt = lvt_index(offset);
	const uint32_t *word;

	if (offset % 0x10 || offset > 0xff0)
		return 0;
	if (lvt >= 0)
		return apic->lvt[lvt];
	word = bitmap_word(apic, offset);
	if (word)
		return *word;
	switch (offset) {
	case VLAPIC_REG_ID:
		return apic->id << 24;
	case VLAPIC_REG_VERSION:
		return VLAPIC_VERSION;
	case VLAPIC_REG_TPR:
		return apic->tpr;
	case VLAPIC_REG_APR:
		return apr(apic);
	case VLAPIC_REG_PPR:
		return vlapic_ppr(apic);
	case VLAPIC_REG_LDR:
		return apic->ldr;
	case VLAPIC_REG_DFR:
		return apic->dfr;
	case VLAPIC_REG_SVR:
		return apic->svr;
	case VLAPIC_REG_ESR:
		return apic->esr;
	case VLAPIC_REG_ICR_LOW:
		return apic->icr_low;
	case VLAPIC_REG_ICR_HIGH:
		return apic->icr_high;
	case VLAPIC_REG_TIMER_INITIAL:
		return apic->timer_initial;
	case VLAPIC_REG_TIMER_CURRENT:
		return timer_current(apic, now);
	case VLAPIC_REG_TIMER_DIVIDE:
		return apic->timer_divide;
	default:
		if (!is_implemented(offset))
			record_error(apic, VLAPIC_ESR_ILLEGAL_REGISTER);
		return 0; /* EOI and RRD: write-only or unused */
	}
}

static void write_lvt(struct vlapic *apic, int lvt, uint32_t value)
{
	uint32_t old_mode = timer_mode(apic);

	value &= lvt_writable[lvt];
	if (!software_enabled(apic))
		value |= VLAPIC_LVT_MASKED;
	apic->lvt[lvt] = value;
	if (lvt == VLAPIC_LVT_TIMER && timer_mode(apic) != old_mode) {
		timer_disarm(apic);
		apic->timer_initial = 0;
		apic->tsc_deadline = 0;
	}
}

static void write_svr(struct vlapic *apic, uint32_t value)
{
	apic->svr = value & SVR_MASK;
	if (!software_enabled(apic))
		mask_all_lvts(apic);
}

bool vlapic_write(struct vlapic *apic, uint32_t offset, uint32_t value,
		  uint64_t now, struct vlapic_ipi *ipi)
{
	int lvt = lvt_index(offset);

	if (offset % 0x10 || offset > 0xff0)
		return false;
	if (lvt >= 0) {
		write_lvt(apic, lvt, value);
		return false;
	}
	switch (offset) {
	case VLAPIC_REG_TPR:
		apic->tpr = value & TPR_MASK;
		break;
	case VLAPIC_REG_EOI:
		end_of_interrupt(apic);
		break;
	case VLAPIC_REG_LDR:
		apic->ldr = value & LDR_MASK;
		break;
	case VLAPIC_REG_DFR:
		apic->dfr = (value & DFR_MASK) | DFR_RESERVED;
		break;
	case VLAPIC_REG_SVR:
		write_svr(apic, value);
		break;
	case VLAPIC_REG_ESR:
		apic->esr = apic->esr_pending & ESR_MASK;
		apic->esr_pending = 0;
		break;
	case VLAPIC_REG_ICR_HIGH:
		apic->icr_high = value & ICR_HIGH_MASK;
		break;
	case VLAPIC_REG_ICR_LOW:
		apic->icr_low = value & ICR_LOW_MASK;
		return icr_send(apic, ipi);
	case VLAPIC_REG_TIMER_INITIAL:
		timer_load(apic, value, now);
		break;
	case VLAPIC_REG_TIMER_DIVIDE:
		apic->timer_divide = value & DIVIDE_MASK;
		break;
	default:
		if (!is_implemented(offset))
			record_error(apic, VLAPIC_ESR_ILLEGAL_REGISTER);
		break; /* read-only registers ignore writes */
	}
	return false;
}
