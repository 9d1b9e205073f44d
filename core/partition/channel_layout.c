/* SPDX-License-Identifier: MIT */
/* Channel placement in guest-physical space; see channel_layout.h. */
#include "channel_layout.h"

unsigned channel_layout(const struct config *config, uint32_t partition,
			struct channel_slot slots[CONFIG_MAX_PARTITION_CHANNELS])
{
	uint64_t next = config->partitions[partition].memory_size;
	unsigned count = 0;

	for (uint32_t c = 0; c < config->channel_count; c++) {
		const struct config_channel *channel = &config->channels[c];
		uint32_t end;

		if (channel->peers[0] == partition)
			end = 0;
		else if (channel->peers[1] == partition)
			end = 1;
		else
			continue;
		if (count == CONFIG_MAX_PARTITION_CHANNELS)
			break; /* the parser refuses such configs */
		slots[count] = (struct channel_slot){
			.channel = c,
			.end = end,
			.peer = channel->peers[1 - end],
			.guest_address = next,
			.size = channel->size,
		};
		next += (channel->size + 0xfff) & ~0xfffull;
		count++;
	}
	return count;
}

int channel_slot_of(const struct config *config, uint32_t partition,
		    uint32_t channel)
{
	struct channel_slot slots[CONFIG_MAX_PARTITION_CHANNELS];
	unsigned count = channel_layout(config, partition, slots);

	for (unsigned i = 0; i < count; i++)
		if (slots[i].channel == channel)
			return (int)i;
	return -1;
}
