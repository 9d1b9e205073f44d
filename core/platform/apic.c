/* SPDX-License-Identifier: MIT */
/*
 * The interrupt hardware of a partition with the PC platform (every Linux
 * partition), wired to the pure models: its local APICs
 * (core/platform/lapic_model.c, one per vCPU, reached by xAPIC MMIO and
 * the TSC-deadline MSR) and its IOAPIC (core/platform/ioapic_model.c).
 * Guest MMIO to those two pages exits as a stage-2 fault; the instruction
 * at RIP is fetched through the guest's own page tables (bounded by the
 * partition's memory) and decoded, then emulated. IPIs reach only the
 * partition's own vCPUs. A level-triggered vector's EOI goes back to the
 * IOAPIC (remote IRR), and to the owned device's line behind the pin
 * (core/platform/device_intx.c). Each vCPU's APIC state is touched by its own CPU
 * only; other CPUs post vectors into the vCPU's pending bits (an atomic
 * mailbox) and kick. A due virtual timer is turned into a host one-shot
 * timer interrupt.
 */
#include "apic.h"
#include "pit.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/lapic.h"
#include "core/console/console.h"
#include "core/vcpu/guest_instruction.h"
#include "core/vcpu/vcpu_kick.h"
#include "device_intx.h"
#include "ioapic_input.h"

#define APIC_PAGE_SIZE 0x1000
#define IOAPIC_WINDOW_SIZE 0x1000
#define IPI_LOG_LIMIT 8

static void deliver_to(struct vcpu *target, const struct vlapic_ipi *ipi)
{
	switch (ipi->delivery_mode) {
	case VLAPIC_DELIVERY_FIXED:
	case VLAPIC_DELIVERY_LOWEST_PRIORITY:
		vcpu_raise_interrupt(target, ipi->vector);
		break;
	case VLAPIC_DELIVERY_INIT:
		/* INIT to a CPU that never started leaves it waiting; a
		 * running one ignores it (no CPU offlining by INIT). */
		break;
	case VLAPIC_DELIVERY_STARTUP:
		if (target->waiting_for_startup) {
			__atomic_store_n(&target->startup_request,
					 STARTUP_REQUESTED | ipi->vector,
					 __ATOMIC_SEQ_CST);
			vcpu_kick(target);
		}
		break;
	default:
		break; /* NMI, SMI, ExtINT: not offered */
	}
}

static void refuse_ipi(struct vcpu *vcpu, const struct vlapic_ipi *ipi)
{
	struct partition *p = vcpu->partition;

	if (p->refused_ipi_logs >= IPI_LOG_LIMIT)
		return;
	p->refused_ipi_logs++;
	log_line("partition %s: IPI from vCPU %u to APIC ID 0x%x refused: no "
		 "such CPU in the partition",
		 p->config->name, vcpu->index, ipi->destination);
}

static void send_ipi(struct vcpu *vcpu, const struct vlapic_ipi *ipi)
{
	struct partition *p = vcpu->partition;
	bool delivered = false;

	for (uint32_t v = 0; v < p->vcpu_count; v++) {
		struct vcpu *target = p->vcpus[v];
		bool match;

		switch (ipi->shorthand) {
		case VLAPIC_SHORTHAND_SELF:
			match = target == vcpu;
			break;
		case VLAPIC_SHORTHAND_ALL:
			match = true;
			break;
		case VLAPIC_SHORTHAND_OTHERS:
			match = target != vcpu;
			break;
		default:
			match = vlapic_matches(&target->apic, ipi->destination,
					       ipi->logical);
			break;
		}
		if (!match)
			continue;
		deliver_to(target, ipi);
		delivered = true;
		if (ipi->delivery_mode == VLAPIC_DELIVERY_LOWEST_PRIORITY)
			break;
	}
	if (!delivered && ipi->shorthand == VLAPIC_SHORTHAND_NONE)
		refuse_ipi(vcpu, ipi);
}

void virtual_ioapic_pin(struct partition *p, unsigned pin)
{
	struct vioapic_route route;
	bool routed;

	spin_lock(&p->ioapic_lock);
	routed = vioapic_assert(&p->ioapic, pin, &route);
	vioapic_deassert(&p->ioapic, pin);
	spin_unlock(&p->ioapic_lock);
	if (routed)
		virtual_ioapic_deliver(p, &route);
}

/* The guest's local APIC ended a level-triggered vector: the IOAPIC's
 * pins holding it are done (owned devices' lines release their host
 * input), and those still asserted are delivered again. */
static void level_eoi(struct partition *p, uint8_t vector)
{
	spin_lock(&p->ioapic_lock);
	uint32_t ended = vioapic_in_service(&p->ioapic, vector);
	spin_unlock(&p->ioapic_lock);

	device_intx_eoi(p, ended);
	spin_lock(&p->ioapic_lock);
	virtual_ioapic_redeliver(p, vioapic_eoi(&p->ioapic, vector));
	spin_unlock(&p->ioapic_lock);
}

static uint64_t apic_read(struct vcpu *vcpu, uint64_t offset, unsigned size)
{
	if (size != 4 || offset % 16)
		return 0;
	return vlapic_read(&vcpu->apic, (uint32_t)offset, rdtsc());
}

static void apic_write(struct vcpu *vcpu, uint64_t offset, unsigned size,
		       uint64_t value)
{
	struct vlapic_ipi ipi;

	if (size != 4 || offset % 16)
		return;
	if (vlapic_write(&vcpu->apic, (uint32_t)offset, (uint32_t)value,
			 rdtsc(), &ipi))
		send_ipi(vcpu, &ipi);
	for (int vector; (vector = vlapic_take_level_eoi(&vcpu->apic)) >= 0;)
		level_eoi(vcpu->partition, (uint8_t)vector);
}

static uint64_t ioapic_read(struct partition *p, uint64_t offset)
{
	uint32_t value;

	spin_lock(&p->ioapic_lock);
	value = vioapic_read(&p->ioapic, (uint32_t)offset);
	spin_unlock(&p->ioapic_lock);
	return value;
}

static void ioapic_write(struct partition *p, uint64_t offset, uint64_t value)
{
	spin_lock(&p->ioapic_lock);
	vioapic_write(&p->ioapic, (uint32_t)offset, (uint32_t)value);
	/* A level pin unmasked while asserted is delivered now. */
	virtual_ioapic_redeliver(p, vioapic_pending(&p->ioapic));
	spin_unlock(&p->ioapic_lock);
	if (offset == VIOAPIC_IOWIN)
		device_intx_changed(p);
}

/* An access to the local APIC page or the IOAPIC window (the only
 * addresses virtual_apic_is_device lets through). */
static void device_access(struct vcpu *vcpu, uint64_t address, bool write,
			  unsigned size, uint64_t *value)
{
	struct partition *p = vcpu->partition;

	if (address - PC_LAPIC_BASE < APIC_PAGE_SIZE) {
		if (write)
			apic_write(vcpu, address - PC_LAPIC_BASE, size,
				   *value);
		else
			*value = apic_read(vcpu, address - PC_LAPIC_BASE,
					   size);
		return;
	}
	uint64_t offset = address - PC_IOAPIC_BASE;

	if (size != 4)
		*value = write ? *value : 0;
	else if (write)
		ioapic_write(p, offset, *value);
	else
		*value = ioapic_read(p, offset);
}

bool virtual_apic_is_device(const struct partition *p, uint64_t address)
{
	return partition_has_pc(p) &&
	       (address - PC_LAPIC_BASE < APIC_PAGE_SIZE ||
		address - PC_IOAPIC_BASE < IOAPIC_WINDOW_SIZE);
}

bool virtual_apic_mmio(struct vcpu *vcpu, const struct vcpu_exit *exit,
		       char *error, size_t error_size)
{
	return guest_emulate_mmio(vcpu, exit->fault.address, device_access,
				  error, error_size);
}

bool virtual_apic_msr_read(struct vcpu *vcpu, uint32_t index, uint64_t *value)
{
	switch (index) {
	case MSR_APIC_BASE:
		*value = PC_LAPIC_BASE | APIC_BASE_ENABLE |
			 (vcpu->index == 0 ? APIC_BASE_BSP : 0);
		return true;
	case MSR_TSC_DEADLINE:
		*value = vlapic_tsc_deadline_read(&vcpu->apic);
		return true;
	default:
		return false;
	}
}

bool virtual_apic_msr_write(struct vcpu *vcpu, uint32_t index, uint64_t value)
{
	switch (index) {
	case MSR_APIC_BASE:
		/* Only the value it reads: no relocation, no x2APIC, no
		 * disabling. */
		return (value & ~APIC_BASE_BSP) ==
		       (PC_LAPIC_BASE | APIC_BASE_ENABLE);
	case MSR_TSC_DEADLINE:
		vlapic_tsc_deadline_write(&vcpu->apic, value, rdtsc());
		return true;
	default:
		return false;
	}
}

/* Moves posted vectors into the APIC, fires a due timer, injects the
 * highest deliverable vector when the guest can take it and asks for an
 * interrupt window while one waits. Runs before every entry. */
void virtual_apic_deliver(struct vcpu *vcpu)
{
	if (virtual_pit_tick(vcpu))
		virtual_ioapic_pin(vcpu->partition, PC_PIT_GSI);
	__atomic_store_n(&vcpu->any_pending, 0, __ATOMIC_SEQ_CST);
	for (unsigned word = 0; word < 4; word++) {
		uint64_t bits = __atomic_exchange_n(
			&vcpu->pending_interrupts[word], 0, __ATOMIC_SEQ_CST);

		while (bits) {
			unsigned bit = (unsigned)__builtin_ctzll(bits);
			uint64_t level = __atomic_fetch_and(
				&vcpu->pending_level[word], ~(1ull << bit),
				__ATOMIC_SEQ_CST);

			bits &= bits - 1;
			vlapic_accept(&vcpu->apic, (uint8_t)(word * 64 + bit),
				      level & (1ull << bit));
		}
	}
	vlapic_timer_fire(&vcpu->apic, rdtsc());
	int vector = vlapic_pending(&vcpu->apic);
	if (vector >= 0 && backend->vcpu_interrupt_ready(vcpu)) {
		vlapic_acknowledge(&vcpu->apic, (uint8_t)vector);
		backend->vcpu_inject_interrupt(vcpu, (uint8_t)vector);
		vcpu->interrupts_injected++;
		vcpu->injected_at_rip = backend->vcpu_rip(vcpu);
		vector = vlapic_pending(&vcpu->apic);
	}
	backend->vcpu_interrupt_window(vcpu, vector >= 0);
	virtual_apic_arm_host_timer(vcpu);
}

/* Whether a halted vCPU has something to wake for. */
bool virtual_apic_wake_pending(struct vcpu *vcpu)
{
	uint64_t next = vlapic_timer_next(&vcpu->apic);
	uint64_t pit = virtual_pit_next(vcpu);

	return vcpu->any_pending || vlapic_pending(&vcpu->apic) >= 0 ||
	       (next && rdtsc() >= next) || (pit && rdtsc() >= pit);
}

/* The host timer covers the virtual timer, on vCPU 0 the PIT's next
 * period and, on the CPU that polls the console (next_console_poll is
 * set: core/platform/uart_input.c), the next poll. */
void virtual_apic_arm_host_timer(struct vcpu *vcpu)
{
	uint64_t next = vlapic_timer_next(&vcpu->apic);
	uint64_t pit = virtual_pit_next(vcpu);

	if (pit && (!next || pit < next))
		next = pit;
	if (vcpu->next_console_poll &&
	    (!next || vcpu->next_console_poll < next))
		next = vcpu->next_console_poll;

	if (next == vcpu->host_timer_deadline)
		return;
	vcpu->host_timer_deadline = next;
	if (next)
		lapic_timer_arm(next);
	else
		lapic_timer_stop();
}
