/* SPDX-License-Identifier: MIT */
/*
 * Partitions from the configuration, at boot: their stage-2 tables, channel
 * windows and vCPUs (with each vCPU's hypercall context and CPUID view),
 * then the first load of each image. Everything comes from the boot heap.
 */
#include "partition_build.h"

#include <string.h>

#include "arch/x86_64/percpu.h"
#include "core/base/boot_alloc.h"
#include "core/base/panic.h"
#include "core/hypercall/hypercall_operations.h"
#include "core/passthrough/passthrough.h"
#include "core/platform/pc.h"
#include "core/platform/pci_config.h"
#include "ept/stage2.h"
#include "partition_lifecycle.h"
#include "run_end.h"

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

/* The config's port ranges; passthrough adds the devices' I/O BARs. */
static void grant_config_ports(struct partition *p)
{
	p->granted_port_count = p->config->ioport_count;
	memcpy(p->granted_ports, p->config->ioports,
	       sizeof(p->config->ioports[0]) * p->config->ioport_count);
}

void partitions_create(const struct bootinfo *info)
{
	char error[PASSTHROUGH_ERROR_MAX];

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
		/* The loader made the heap larger by every log's size. */
		console_ring_init(&p->console_log,
				  boot_alloc(p->config->console_log_size, 64),
				  p->config->console_log_size);
		partitions[i] = p;
		if (!stage2_build(p, format, &boot_page_allocator))
			panic("cannot build the stage-2 tables of %s",
			      p->config->name);
		map_channels(p, info);
		grant_config_ports(p);
		if (!passthrough_partition_build(p, error))
			run_end_refused(error);
		pci_config_build(p);
		p->ecam_base = pci_config_ecam_base(p);
		if (!backend->partition_create(p))
			panic("cannot set up partition %s", p->config->name);
	}
	for (uint32_t i = 0; i < partition_count; i++) {
		struct partition *p = partitions[i];

		for (uint32_t v = 0; v < p->vcpu_count; v++)
			vcpu_create(p, v, p->config->cpus[v]);
		p->state = PARTITION_RESTARTING;
		p->running_run = 0;
		partition_load(p);
	}
}
