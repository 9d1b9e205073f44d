/* SPDX-License-Identifier: MIT */
/*
 * Partitions from the configuration: their memory, stage-2 tables, vCPUs
 * and image loading at boot, and the state changes that end them. A
 * partition that ends kicks its other vCPUs with an NMI so they leave the
 * guest; nothing here touches another partition.
 */
#include "partition.h"

#include <bulkhead/elf.h>
#include <string.h>

#include "../arch/x86_64/lapic.h"
#include "../arch/x86_64/panic.h"
#include "../arch/x86_64/percpu.h"
#include "../ept/stage2.h"
#include "boot_alloc.h"
#include "console.h"
#include "guest_boot.h"

struct partition *partitions[CONFIG_MAX_PARTITIONS];
uint32_t partition_count;
const struct bootinfo *boot_info;

const char *partition_state_name(enum partition_state state)
{
	switch (state) {
	case PARTITION_RUNNING:
		return "running";
	case PARTITION_EXITED:
		return "exited";
	case PARTITION_STOPPED:
		return "stopped";
	}
	return "?";
}

static void hypercall_console_write(void *owner, const char *text,
				    size_t length)
{
	struct vcpu *vcpu = owner;
	size_t start = 0;

	/* One console line per guest line; the label is added by the console. */
	for (size_t i = 0; i <= length; i++) {
		if (i == length || text[i] == '\n') {
			if (i > start || (i < length))
				console_partition_line(
					vcpu->partition->config->name,
					text + start, i - start);
			start = i + 1;
		}
	}
}

static void hypercall_exit(void *owner, int64_t status)
{
	struct vcpu *vcpu = owner;

	partition_exit(vcpu->partition, status);
}

static void vcpu_create(struct partition *p, uint32_t index, uint32_t cpu)
{
	struct vcpu *vcpu = boot_alloc(sizeof(*vcpu), PAGE_SIZE);
	struct hypercall_context *h = &vcpu->hypercall;

	vcpu->partition = p;
	vcpu->index = index;
	vcpu->cpu = cpus[cpu];
	cpus[cpu]->vcpu = vcpu;
	p->vcpus[index] = vcpu;
	h->memory = (uint8_t *)(uintptr_t)p->memory_base;
	h->memory_size = p->memory_size;
	h->bounce = vcpu->bounce;
	h->info.abi_version = BULKHEAD_ABI_VERSION;
	h->info.partition_id = p->id;
	memcpy(h->info.name, p->config->name, sizeof(h->info.name));
	h->info.cpu_count = p->vcpu_count;
	h->info.vcpu_index = index;
	h->info.memory_size = p->memory_size;
	h->info.partition_count = partition_count;
	h->console_write = hypercall_console_write;
	h->exit = hypercall_exit;
	h->owner = vcpu;
	if (!backend->vcpu_create(vcpu))
		panic("cannot create vCPU %u of partition %s", index,
		      p->config->name);
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
		partitions[i] = p;
		if (!stage2_build(p, format, &boot_page_allocator))
			panic("cannot build the stage-2 tables of %s",
			      p->config->name);
		if (!backend->partition_create(p))
			panic("cannot set up partition %s", p->config->name);
	}
	for (uint32_t i = 0; i < partition_count; i++) {
		struct partition *p = partitions[i];

		for (uint32_t v = 0; v < p->vcpu_count; v++)
			vcpu_create(p, v, p->config->cpus[v]);
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
	};

	memcpy(boot.args, p->config->args, sizeof(boot.args));
	memset(memory, 0, p->memory_size);
	if (!guest_boot_build(memory, p->memory_size, &boot))
		panic("partition %s: guest page tables do not fit",
		      p->config->name);
	elf_load((const void *)(uintptr_t)p->image->base, memory, 0);
	for (uint32_t v = 0; v < p->vcpu_count; v++)
		backend->vcpu_reset(p->vcpus[v], p->image->entry);
	p->state = PARTITION_RUNNING;
}

static void kick_other_vcpus(struct partition *p)
{
	struct cpu *self = this_cpu();

	for (uint32_t v = 0; v < p->vcpu_count; v++) {
		struct cpu *cpu = p->vcpus[v]->cpu;

		if (cpu != self && p->vcpus[v]->running)
			lapic_send_nmi(cpu->apic_id);
	}
}

/* Moves a running partition to state; false if it had already ended. */
static bool partition_end(struct partition *p, enum partition_state state)
{
	bool ended = false;

	spin_lock(&p->lock);
	if (p->state == PARTITION_RUNNING) {
		if (p->uart_length) /* flush a last unterminated line */
			console_partition_line(p->config->name, p->uart_line,
					       p->uart_length);
		p->uart_length = 0;
		p->state = state;
		ended = true;
	}
	spin_unlock(&p->lock);
	if (ended)
		kick_other_vcpus(p);
	return ended;
}

void partition_stop(struct partition *p, const char *reason)
{
	size_t length = strnlen(reason, sizeof(p->stop_reason) - 1);

	if (!partition_end(p, PARTITION_STOPPED))
		return;
	memcpy(p->stop_reason, reason, length);
	p->stop_reason[length] = '\0';
	log_line("partition %s stopped: %s", p->config->name, reason);
}

void partition_exit(struct partition *p, int64_t status)
{
	if (!partition_end(p, PARTITION_EXITED))
		return;
	p->exit_status = status;
	log_line("partition %s exited with status %lld", p->config->name,
		 (long long)status);
}
