/* SPDX-License-Identifier: MIT */
/*
 * A partition's life after boot: (re)loading its image into cleared memory
 * and resetting its vCPUs, and the state machine (partition_state.c) that
 * stops, faults, exits, starts and restarts it. A state change kicks the
 * partition's vCPUs so they notice; nothing here touches another
 * partition's memory.
 */
#include "partition_lifecycle.h"

#include <bulkhead/elf.h>
#include <string.h>

#include "core/base/panic.h"
#include "core/console/console.h"
#include "core/image/guest_boot.h"
#include "core/image/linux_guest.h"
#include "core/image/multiboot_guest.h"
#include "core/passthrough/passthrough.h"
#include "core/platform/pci_config.h"
#include "core/platform/pc.h"
#include "core/vcpu/vcpu_kick.h"
#include "run_end.h"

void partition_load(struct partition *p)
{
	char error[PASSTHROUGH_ERROR_MAX];
	uint8_t *memory = (uint8_t *)(uintptr_t)p->memory_base;
	struct bulkhead_boot_info boot = {
		.magic = BULKHEAD_BOOT_INFO_MAGIC,
		.memory_size = p->memory_size,
		.partition_id = p->id,
		.cpu_count = p->vcpu_count,
		.run = p->run + 1,
		.channel_count = p->channel_count,
	};

	memcpy(boot.args, p->config->args, sizeof(boot.args));
	memset(memory, 0, p->memory_size);
	if (partition_has_pc(p))
		pc_platform_load(p);
	if (p->image->kind == BOOTINFO_IMAGE_LINUX) {
		linux_guest_load(p);
	} else if (partition_is_multiboot(p)) {
		multiboot_guest_load(p);
	} else {
		if (!guest_boot_build(memory, p->memory_size, p->mapped_size,
				      &boot))
			panic("partition %s: guest page tables do not fit",
			      p->config->name);
		/* The pristine copy the loader read stays untouched. */
		elf_load((const void *)(uintptr_t)p->image->base, memory, 0);
	}
	for (uint32_t v = 0; v < p->vcpu_count; v++) {
		struct vcpu *vcpu = p->vcpus[v];

		for (unsigned w = 0; w < 4; w++)
			vcpu->pending_interrupts[w] = 0;
		vcpu->any_pending = 0;
		vcpu->tpr = 0;
		if (partition_has_pc(p))
			pc_platform_reset_vcpu(vcpu);
		if (p->image->kind == BOOTINFO_IMAGE_LINUX) {
			linux_guest_reset_vcpu(vcpu);
			continue;
		}
		if (partition_is_multiboot(p)) {
			multiboot_guest_reset_vcpu(vcpu);
			continue;
		}
		vcpu->entry = (struct vcpu_entry){
			.rip = p->image->entry,
			.code_selector = GUEST_SELECTOR_CODE,
			.data_selector = GUEST_SELECTOR_DATA,
			.rdi = BULKHEAD_GUEST_BOOT_INFO,
			.rsi = v,
		};
		backend->vcpu_reset(vcpu);
	}
	pci_config_reset(p);
	if (!passthrough_start(p, error))
		panic("partition %s: %s", p->config->name, error);
	spin_lock(&p->lock);
	vuart_reset(&p->uart);
	p->halted_vcpus = 0;
	p->run++;
	enum partition_state loaded = PARTITION_RUNNING;
	partition_next_state(p->state, PARTITION_EVENT_LOADED, &loaded);
	p->state = loaded;
	p->running_run = loaded == PARTITION_RUNNING ? p->run : 0;
	spin_unlock(&p->lock);
	if (p->run > 1)
		log_line("partition %s: run %u started", p->config->name,
			 p->run);
	for (uint32_t v = 0; v < p->vcpu_count; v++)
		vcpu_kick(p->vcpus[v]);
}

/* Applies event under the partition's lock and kicks its vCPUs; returns
 * the old state, or -1 when the event does not apply. The caller logs the
 * change, then calls account(). */
static int transition(struct partition *p, enum partition_event event)
{
	enum partition_state old, to;

	spin_lock(&p->lock);
	old = p->state;
	if (!partition_next_state(old, event, &to)) {
		spin_unlock(&p->lock);
		return -1;
	}
	if (old == PARTITION_RUNNING && p->uart_length) {
		/* flush a last unterminated line */
		console_partition_line(p->config->name, &p->console_log,
				       p->uart_line, p->uart_length);
		p->uart_length = 0;
	}
	p->state = to;
	p->running_run = to == PARTITION_RUNNING ? p->run : 0;
	spin_unlock(&p->lock);
	/* Its devices stop before anything reuses or reloads its memory. */
	if (old == PARTITION_RUNNING)
		passthrough_stop(p);
	for (uint32_t v = 0; v < p->vcpu_count; v++)
		vcpu_kick(p->vcpus[v]);
	return (int)old;
}

/* Run-end accounting of a transition; last, since it may end the run. */
static void account(int old, enum partition_state to)
{
	if (old < 0)
		return;
	if (!partition_state_live((enum partition_state)old) &&
	    partition_state_live(to))
		run_end_partition_started();
	if (partition_state_live((enum partition_state)old) &&
	    !partition_state_live(to))
		run_end_partition_ended();
}

static void set_reason(struct partition *p, const char *reason)
{
	size_t length = strnlen(reason, sizeof(p->stop_reason) - 1);

	memcpy(p->stop_reason, reason, length);
	p->stop_reason[length] = '\0';
}

void partition_fault(struct partition *p, const char *reason)
{
	const struct config_partition *config = p->config;

	if (config->restart_on_fault &&
	    p->fault_restarts < config->restart_limit &&
	    transition(p, PARTITION_EVENT_FAULT_RESTART) >= 0) {
		/* running to restarting: the partition stays live */
		p->fault_restarts++;
		p->faults++;
		p->restarts++;
		log_line("partition %s stopped: %s; restarting it (restart %u "
			 "of %u on fault)",
			 config->name, reason, p->fault_restarts,
			 config->restart_limit);
		return;
	}
	set_reason(p, reason);
	int old = transition(p, PARTITION_EVENT_FAULT);
	if (old >= 0)
		p->faults++;
	if (old >= 0)
		log_line("partition %s stopped: %s", config->name, reason);
	account(old, PARTITION_FAULTED);
}

void partition_exit(struct partition *p, int64_t status)
{
	spin_lock(&p->lock);
	if (p->state == PARTITION_RUNNING)
		p->exit_status = status; /* before the run may end below */
	spin_unlock(&p->lock);
	int old = transition(p, PARTITION_EVENT_EXIT);
	if (old >= 0)
		log_line("partition %s exited with status %lld",
			 p->config->name, (long long)status);
	account(old, PARTITION_EXITED);
}

bool partition_stop(struct partition *p)
{
	/* A partition that has ended keeps the reason it ended for. */
	if (p->state == PARTITION_RUNNING)
		set_reason(p, "stopped by a management partition");
	int old = transition(p, PARTITION_EVENT_STOP);
	if (old >= 0)
		log_line("partition %s stopped by a management partition",
			 p->config->name);
	account(old, PARTITION_STOPPED);
	return old >= 0;
}

bool partition_start(struct partition *p)
{
	int old = transition(p, PARTITION_EVENT_START);

	if (old < 0)
		return false;
	p->restarts++;
	log_line("partition %s: starting again", p->config->name);
	account(old, PARTITION_RESTARTING);
	return true;
}

void partition_restart(struct partition *p)
{
	int old = transition(p, PARTITION_EVENT_RESTART);

	if (old < 0)
		return;
	p->restarts++;
	log_line("partition %s: restarting", p->config->name);
	account(old, PARTITION_RESTARTING);
}
