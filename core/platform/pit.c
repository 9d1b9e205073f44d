/* SPDX-License-Identifier: MIT */
/*
 * The PC platform's 8254 PIT (the model is pit_model.c): its ports, under
 * the partition's lock, and its interrupt, IRQ 0, which the MADT's ISA
 * override puts on IOAPIC input 2 (lib/acpi_tables.c, PC_PIT_GSI). The
 * partition's vCPU 0 delivers it: before each entry it asks whether a
 * period is due (apic.c raises the edge) and arms its host timer for the
 * next one, so the PIT needs no timer of
 * its own; a count written on another vCPU kicks vCPU 0 to re-arm.
 */
#include "pit.h"

#include "arch/x86_64/cpu.h"
#include "core/vcpu/vcpu_kick.h"

void virtual_pit_port(struct vcpu *vcpu, const struct vcpu_exit *exit,
		      uint32_t *value)
{
	struct partition *p = vcpu->partition;
	unsigned offset = exit->io.port - PIT_PORT_BASE;
	uint64_t before;
	bool rearm;

	spin_lock(&p->lock);
	before = p->pit.deadline;
	if (exit->io.in)
		*value = vpit_read(&p->pit, offset, rdtsc());
	else
		vpit_write(&p->pit, offset, (uint8_t)vcpu->registers.rax,
			   rdtsc());
	rearm = p->pit.deadline != before;
	spin_unlock(&p->lock);
	if (rearm && vcpu->index != 0 && p->vcpus[0])
		vcpu_kick(p->vcpus[0]);
}

bool virtual_pit_tick(struct vcpu *vcpu)
{
	struct partition *p = vcpu->partition;
	bool fired;

	if (vcpu->index != 0 || !virtual_pit_next(vcpu))
		return false;
	spin_lock(&p->lock);
	fired = vpit_fire(&p->pit, rdtsc());
	spin_unlock(&p->lock);
	return fired;
}

uint64_t virtual_pit_next(const struct vcpu *vcpu)
{
	if (vcpu->index != 0)
		return 0;
	return __atomic_load_n(&vcpu->partition->pit.deadline,
			       __ATOMIC_RELAXED);
}
