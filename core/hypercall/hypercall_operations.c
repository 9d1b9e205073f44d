/* SPDX-License-Identifier: MIT */
/*
 * What each hypercall does once core/hypercall/hypercall_dispatch.c has validated it: console
 * lines, exit, channel information and doorbells, partition state and
 * control, statistics. The owner is always the calling vCPU; indexes and
 * ids arrive checked.
 */
#include "hypercall_operations.h"

#include <string.h>

#include "core/console/console.h"
#include "core/partition/partition.h"
#include "core/partition/partition_lifecycle.h"
#include "core/platform/apic.h"
#include "core/vcpu/vcpu_kick.h"

static void console_write(void *owner, const char *text, size_t length)
{
	struct vcpu *vcpu = owner;
	size_t start = 0;

	/* One console line per guest line; the console adds the label. */
	for (size_t i = 0; i <= length; i++) {
		if (i == length || text[i] == '\n') {
			if (i > start || i < length)
				console_partition_line(
					vcpu->partition->config->name,
					&vcpu->partition->console_log,
					text + start, i - start);
			start = i + 1;
		}
	}
}

static void exit_partition(void *owner, int64_t status)
{
	struct vcpu *vcpu = owner;

	partition_exit(vcpu->partition, status);
}

static void channel_info(void *owner, uint32_t index,
			 struct bulkhead_channel_info *info)
{
	struct vcpu *vcpu = owner;
	const struct channel_slot *slot = &vcpu->partition->channels[index];
	const struct config *config = &boot_info->config;
	const struct config_channel *channel = &config->channels[slot->channel];

	info->address = slot->guest_address;
	info->size = slot->size;
	info->peer_id = slot->peer;
	info->own_end = slot->end;
	info->vector = channel->vector;
	info->irq = vcpu->cpuid_view.pc_platform ? PC_CHANNEL_IRQ_BASE + index
						 : 0;
	memcpy(info->peer_name, config->partitions[slot->peer].name,
	       sizeof(info->peer_name));
	memcpy(info->name, channel->name, sizeof(info->name));
}

static int64_t channel_notify(void *owner, uint32_t index)
{
	struct vcpu *vcpu = owner;
	const struct channel_slot *slot = &vcpu->partition->channels[index];
	struct partition *peer = partitions[slot->peer];

	if (peer->state != PARTITION_RUNNING)
		return BULKHEAD_ESRCH;
	if (partition_has_pc(peer)) {
		/* The peer's slot of this channel is its IOAPIC input. */
		for (uint32_t i = 0; i < peer->channel_count; i++)
			if (peer->channels[i].channel == slot->channel)
				virtual_ioapic_pin(peer,
						   PC_CHANNEL_IRQ_BASE + i);
		return 0;
	}
	/* Without the PC platform: the channel's vector, raw. */
	vcpu_raise_interrupt(peer->vcpus[0],
			     (uint8_t)boot_info->config.channels[slot->channel]
				     .vector);
	return 0;
}

static void partition_state(void *owner, uint32_t id,
			    struct bulkhead_partition_state *state)
{
	const struct partition *p = partitions[id];

	(void)owner;
	state->state = partition_visible_state(p);
	state->run = p->run;
	state->exit_status =
		state->state == PARTITION_EXITED ? p->exit_status : 0;
	memcpy(state->name, p->config->name, sizeof(state->name));
	state->kind = p->image->kind == BOOTINFO_IMAGE_LINUX
			      ? BULKHEAD_KIND_LINUX
		      : partition_is_multiboot(p) ? BULKHEAD_KIND_MULTIBOOT
						  : BULKHEAD_KIND_BARE_METAL;
	state->flags = (p->config->management ? BULKHEAD_PARTITION_MANAGEMENT
					      : 0) |
		       (partition_has_pc(p) ? BULKHEAD_PARTITION_PC_PLATFORM : 0) |
		       (p->config->restart_on_fault
				? BULKHEAD_PARTITION_RESTART_ON_FAULT
				: 0);
	state->cpu_mask = p->config->cpu_mask;
	state->memory_size = p->memory_size;
	state->cpu_count = p->vcpu_count;
	state->restarts = p->restarts;
}

static int64_t partition_control(void *owner, uint32_t id,
				 enum bulkhead_partition_operation operation)
{
	struct partition *p = partitions[id];
	struct vcpu *vcpu = owner;

	log_line("partition %s asks to %s partition %s",
		 vcpu->partition->config->name,
		 operation == BULKHEAD_OP_STOP	  ? "stop"
		 : operation == BULKHEAD_OP_START ? "start"
						  : "restart",
		 p->config->name);
	switch (operation) {
	case BULKHEAD_OP_STOP:
		return partition_stop(p) ? 0 : BULKHEAD_ESRCH;
	case BULKHEAD_OP_START:
		return partition_start(p) ? 0 : BULKHEAD_EINVAL;
	case BULKHEAD_OP_RESTART:
		partition_restart(p);
		return 0;
	}
	return BULKHEAD_EINVAL;
}

static void stats(void *owner, uint32_t id, struct bulkhead_stats *out)
{
	const struct partition *p = partitions[id];

	(void)owner;
	for (uint32_t v = 0; v < p->vcpu_count; v++) {
		const struct vcpu *vcpu = p->vcpus[v];

		for (unsigned r = 0; r < EXIT_REASON_COUNT &&
				     r < BULKHEAD_STATS_EXIT_REASONS;
		     r++)
			out->exits[r] += vcpu->exit_counts[r];
		for (unsigned n = 0; n < BULKHEAD_HC_COUNT &&
				     n < BULKHEAD_STATS_HYPERCALLS;
		     n++)
			out->hypercalls[n] += vcpu->hypercall.call_counts[n];
		out->interrupts_injected += vcpu->interrupts_injected;
	}
	out->restarts = p->restarts;
	out->faults = p->faults;
	out->console_bytes = console_log_written(&p->console_log);
}

static int64_t console_read(void *owner, uint32_t id, uint64_t position,
			    uint8_t *data, uint32_t capacity,
			    struct bulkhead_console_log *log)
{
	const struct partition *p = partitions[id];
	struct console_ring_read read;

	(void)owner;
	if (!console_log_read(&p->console_log, position, data, capacity,
			      &read))
		return BULKHEAD_EINVAL;
	log->next = read.next;
	log->lost = read.lost;
	log->written = read.written;
	log->length = (uint32_t)read.length;
	log->log_size = (uint32_t)p->console_log.size;
	return 0;
}

const struct hypercall_operations hypercall_operations = {
	.console_write = console_write,
	.exit = exit_partition,
	.channel_info = channel_info,
	.channel_notify = channel_notify,
	.partition_state = partition_state,
	.partition_control = partition_control,
	.stats = stats,
	.console_read = console_read,
};
