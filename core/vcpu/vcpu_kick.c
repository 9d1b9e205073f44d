/* SPDX-License-Identifier: MIT */
/* Kicks and raised interrupts; see vcpu_kick.h. */
#include "vcpu_kick.h"

#include "arch/x86_64/lapic.h"
#include "arch/x86_64/percpu.h"

void vcpu_kick(struct vcpu *vcpu)
{
	__atomic_store_n(&vcpu->wake, 1, __ATOMIC_SEQ_CST);
	/* A CPU not started yet is still the firmware's: no NMI for it. */
	if (vcpu->cpu != this_cpu() && vcpu->cpu->online)
		lapic_send_nmi(vcpu->cpu->apic_id);
}

void vcpu_raise_interrupt(struct vcpu *vcpu, uint8_t vector)
{
	__atomic_or_fetch(&vcpu->pending_interrupts[vector / 64],
			  1ull << (vector % 64), __ATOMIC_SEQ_CST);
	__atomic_store_n(&vcpu->any_pending, 1, __ATOMIC_SEQ_CST);
	vcpu_kick(vcpu);
}

void vcpu_raise_level_interrupt(struct vcpu *vcpu, uint8_t vector)
{
	/* The trigger mode first: the vector is taken with it. */
	__atomic_or_fetch(&vcpu->pending_level[vector / 64],
			  1ull << (vector % 64), __ATOMIC_SEQ_CST);
	vcpu_raise_interrupt(vcpu, vector);
}
