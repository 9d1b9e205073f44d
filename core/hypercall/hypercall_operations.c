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
		partition_stop(p);
		return 0;
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
}

const struct hypercall_operations hypercall_operations = {
	.console_write = console_write,
	.exit = exit_partition,
	.channel_info = channel_info,
	.channel_notify = channel_notify,
	.partition_state = partition_state,
	.partition_control = partition_control,
	.stats = stats,
};
