/* SPDX-License-Identifier: MIT */
/*
 * Typed input on the hypervisor's console UART goes to one partition with
 * the PC platform (every Linux partition) at a time: the focused one's
 * virtual 16550 receives it (and raises its interrupt on IOAPIC pin 4).
 * The focused partition's vCPU 0 polls the UART about every 10 ms from its
 * exit loop and its idle wait; there is no interrupt. The Ctrl-] commands
 * of console_keys.h move the focus among the PC partitions that have not
 * ended and list all partitions; when the focused partition ends, the next
 * running PC partition takes the focus. Output stays labelled per
 * partition.
 */
#include "uart_input.h"

#include "arch/x86_64/cpu.h"
#include "core/console/console.h"
#include "core/console/console_keys.h"
#include "drivers/uart16550.h"
#include "apic.h"

#define POLL_HZ 100
#define NO_FOCUS 0xffffffffu

static uint32_t focus = NO_FOCUS; /* a partition index; atomic updates */
static struct console_keys keys; /* the owner's, one at a time */
static uint64_t poll_interval = 1;

static const char *kind_name(const struct partition *p)
{
	if (p->image->kind == BOOTINFO_IMAGE_LINUX)
		return "Linux";
	if (p->image->kind == BOOTINFO_IMAGE_MULTIBOOT1)
		return "Multiboot 1";
	if (p->image->kind == BOOTINFO_IMAGE_MULTIBOOT2)
		return "Multiboot 2";
	return partition_has_pc(p) ? "bare-metal, pc" : "bare-metal";
}

void console_input_init(void)
{
	poll_interval = boot_info->tsc_hz / POLL_HZ;
	for (uint32_t i = 0; i < partition_count; i++) {
		if (partition_has_pc(partitions[i])) {
			focus = i;
			log_line("console input goes to partition %s "
				 "(Ctrl-] n: next PC partition, Ctrl-] l: "
				 "list)",
				 partitions[i]->config->name);
			return;
		}
	}
}

uint64_t console_input_interval(void)
{
	return poll_interval;
}

static bool has_ended(const struct partition *p)
{
	return p->state == PARTITION_EXITED || p->state == PARTITION_STOPPED ||
	       p->state == PARTITION_FAULTED;
}

/* The focused partition's vCPU 0 polls. When the focused partition has
 * ended, the first running PC partition to ask takes the focus (only PC
 * partitions ask: their exit loop polls, core/vcpu/vcpu_loop.c). */
bool console_input_owner(const struct vcpu *vcpu)
{
	uint32_t current = __atomic_load_n(&focus, __ATOMIC_RELAXED);

	if (vcpu->index != 0)
		return false;
	if (vcpu->partition->id == current)
		return true;
	if (current == NO_FOCUS || !has_ended(partitions[current]) ||
	    vcpu->partition->state != PARTITION_RUNNING)
		return false;
	if (!__atomic_compare_exchange_n(&focus, &current, vcpu->partition->id,
					 false, __ATOMIC_SEQ_CST,
					 __ATOMIC_SEQ_CST))
		return false;
	log_line("console input goes to partition %s (%s has ended)",
		 vcpu->partition->config->name,
		 partitions[current]->config->name);
	return true;
}

static void list_partitions(void)
{
	for (uint32_t i = 0; i < partition_count; i++) {
		const struct partition *p = partitions[i];

		log_line("  %c %s: %s, %s", i == focus ? '*' : ' ',
			 p->config->name, kind_name(p),
			 partition_state_name(p->state));
	}
}

static void focus_next(void)
{
	for (uint32_t step = 1; step <= partition_count; step++) {
		uint32_t i = (focus + step) % partition_count;

		if (partition_has_pc(partitions[i]) &&
		    !has_ended(partitions[i])) {
			focus = i;
			log_line("console input goes to partition %s",
				 partitions[i]->config->name);
			return;
		}
	}
}

static void deliver(struct partition *p, uint8_t byte)
{
	spin_lock(&p->lock);
	bool line_before = vuart_irq_line(&p->uart);
	bool kept = vuart_receive(&p->uart, byte);
	bool rising = !line_before && vuart_irq_line(&p->uart);
	spin_unlock(&p->lock);
	(void)kept; /* a full FIFO drops the byte, like a real overrun */
	if (rising)
		virtual_ioapic_pin(p, PC_UART_IRQ);
}

void console_input_poll(struct vcpu *vcpu)
{
	uint8_t byte, forward;

	while (console_input_owner(vcpu) && uart_get_char(&byte)) {
		switch (console_key(&keys, byte, &forward)) {
		case CONSOLE_KEY_FORWARD:
			deliver(vcpu->partition, forward);
			break;
		case CONSOLE_KEY_NEXT:
			focus_next();
			break;
		case CONSOLE_KEY_LIST:
			list_partitions();
			break;
		case CONSOLE_KEY_NONE:
			break;
		}
	}
}

void console_input_poll_due(struct vcpu *vcpu)
{
	uint64_t now;

	if (!console_input_owner(vcpu)) {
		vcpu->next_console_poll = 0;
		return;
	}
	now = rdtsc();
	if (now < vcpu->next_console_poll)
		return;
	vcpu->next_console_poll = now + console_input_interval();
	console_input_poll(vcpu);
}
