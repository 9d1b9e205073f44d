/* SPDX-License-Identifier: MIT */
/*
 * Partitions from the configuration: their memory, stage-2 tables, channel
 * windows and vCPUs at boot, image (re)loading, and the state machine that
 * stops, faults, exits, starts and restarts them. A state change kicks the
 * partition's vCPUs so they notice; nothing here touches another
 * partition's memory.
 */
#include "partition.h"

#include <bulkhead/elf.h>
#include <string.h>

#include "arch/x86_64/percpu.h"
#include "core/base/boot_alloc.h"
#include "core/base/panic.h"
#include "core/console/console.h"
#include "core/hypercall/hypercall_operations.h"
#include "core/image/guest_boot.h"
#include "core/image/linux_guest.h"
#include "core/platform/pc.h"
#include "ept/stage2.h"
#include "run_end.h"

struct partition *partitions[CONFIG_MAX_PARTITIONS];
uint32_t partition_count;
const struct bootinfo *boot_info;

const char *partition_state_name(enum partition_state state)
{
	switch (state) {
	case PARTITION_RUNNING:
		return "running";
	case PARTITION_STOPPED:
		return "stopped";
	case PARTITION_FAULTED:
		return "faulted";
	case PARTITION_RESTARTING:
		return "restarting";
	case PARTITION_EXITED:
		return "exited";
	}
	return "?";
}

static void vcpu_create(struct partition *p, uint32_t index, uint32_t cpu)
{
	struct vcpu *vcpu = boot_alloc(sizeof(*vcpu), PAGE_SIZE);
	struct hypercall_context *h = &vcpu->hypercall;
	struct control_cpuid words;

	vcpu->partition = p;
	vcpu->index = index;
	vcpu->cpu = cpus[cpu];
	cpus[cpu]->vcpu = vcpu;
	p->vcpus[index] = vcpu;
	h->memory = (uint8_t *)(uintptr_t)p->memory_base;
	h->memory_size = p->memory_size;
	h->bounce = vcpu->bounce;
	h->management = p->config->management;
	h->partition_id = p->id;
	h->partition_count = partition_count;
	h->channel_count = p->channel_count;
	h->info.abi_version = BULKHEAD_ABI_VERSION;
	h->info.partition_id = p->id;
	memcpy(h->info.name, p->config->name, sizeof(h->info.name));
	h->info.cpu_count = p->vcpu_count;
	h->info.vcpu_index = index;
	h->info.memory_size = p->memory_size;
	h->info.partition_count = partition_count;
	h->operations = &hypercall_operations;
	h->owner = vcpu;
	vcpu->cpuid_view = (struct cpuid_view){
		.vcpu_index = index,
		.vcpu_count = p->vcpu_count,
		.pc_platform = partition_has_pc(p),
	};
	cpuid_control_words(&vcpu->cpuid_view, &words);
	control_limits_from_cpuid(&words, &vcpu->control_limits);
	if (!backend->vcpu_create(vcpu))
		panic("cannot create vCPU %u of partition %s", index,
		      p->config->name);
}

static void map_channels(struct partition *p, const struct bootinfo *info)
{
	p->channel_count = channel_layout(&info->config, p->id, p->channels);
	p->mapped_size = p->memory_size;
	for (uint32_t i = 0; i < p->channel_count; i++) {
		const struct channel_slot *slot = &p->channels[i];
		uint64_t size = (slot->size + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);

		if (!pagetable_map_range(&p->stage2, slot->guest_address,
					 info->channel_memory[slot->channel].base,
					 size, PT_RWX))
			panic("cannot map channel %u into %s", slot->channel,
			      p->config->name);
		p->mapped_size = slot->guest_address + size;
	}
}

void partitions_create(const struct bootinfo *info)
{
	const struct pagetable_format *format = backend->stage2_format();

	boot_info = info;
	partition_count = info->config.partition_count;
	for (uint32_t i = 0; i < partition_count; i++) {
		struct partition *p = boot_alloc(sizeof(*p), PAGE_SIZE);

		p->id = i;
		p->config = &info->config.partitions[i];
		p->memory_base = info->partition_memory[i].base;
		p->memory_size = info->partition_memory[i].size;
		p->image = &info->images[i];
		p->vcpu_count = p->config->cpu_count;
		p->apic_tsc_per_tick = PC_APIC_TSC_PER_TICK;
		partitions[i] = p;
		if (!stage2_build(p, format, &boot_page_allocator))
			panic("cannot build the stage-2 tables of %s",
			      p->config->name);
		map_channels(p, info);
		if (!backend->partition_create(p))
			panic("cannot set up partition %s", p->config->name);
	}
	for (uint32_t i = 0; i < partition_count; i++) {
		struct partition *p = partitions[i];

		for (uint32_t v = 0; v < p->vcpu_count; v++)
			vcpu_create(p, v, p->config->cpus[v]);
		p->state = PARTITION_RESTARTING;
		partition_load(p);
	}
}

void partition_load(struct partition *p)
{
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
		vcpu->entry = (struct vcpu_entry){
			.rip = p->image->entry,
			.code_selector = GUEST_SELECTOR_CODE,
			.data_selector = GUEST_SELECTOR_DATA,
			.rdi = BULKHEAD_GUEST_BOOT_INFO,
			.rsi = v,
		};
		backend->vcpu_reset(vcpu);
	}
	spin_lock(&p->lock);
	vuart_reset(&p->uart);
	p->halted_vcpus = 0;
	p->run++;
	enum partition_state loaded = PARTITION_RUNNING;
	partition_next_state(p->state, PARTITION_EVENT_LOADED, &loaded);
	p->state = loaded;
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
		console_partition_line(p->config->name, p->uart_line,
				       p->uart_length);
		p->uart_length = 0;
	}
	p->state = to;
	spin_unlock(&p->lock);
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

void partition_stop(struct partition *p)
{
	set_reason(p, "stopped by a management partition");
	int old = transition(p, PARTITION_EVENT_STOP);
	if (old >= 0)
		log_line("partition %s stopped by a management partition",
			 p->config->name);
	account(old, PARTITION_STOPPED);
}

enum partition_state partition_visible_state(const struct partition *p)
{
	enum partition_state state = p->state;

	if (state != PARTITION_STOPPED && state != PARTITION_FAULTED &&
	    state != PARTITION_EXITED)
		return state;
	for (uint32_t v = 0; v < p->vcpu_count; v++)
		if (p->vcpus[v]->in_guest_loop)
			return PARTITION_RUNNING;
	return state;
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
