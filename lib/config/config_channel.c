/* SPDX-License-Identifier: MIT */
/*
 * Parses and validates the /channels node: shared-memory channels between
 * two partitions. Each child is one channel whose peers are phandles of
 * partition nodes (dtc gives a labelled node a phandle property, so the
 * source writes peers = <&a &b>). Runs after every partition is parsed.
 * Uses only <string.h> and libfdt, like the rest of the parser.
 */
#include "config_reader.h"

#include <libfdt.h>
#include <string.h>

#define PAGE_SIZE 0x1000ull
#define VECTOR_MIN 32
#define VECTOR_MAX 255

static bool check_channel_name(struct parser *parser, const struct node *node)
{
	struct message *message;

	if (!config_check_name(parser, node, "channel"))
		return false;
	for (uint32_t i = 0; i < parser->out->channel_count; i++) {
		if (!strcmp(parser->out->channels[i].name, node->name)) {
			message = config_node_error(parser, node);
			config_put_text(message, "channel name ");
			config_put_quoted(message, node->name);
			config_put_text(message, " is used twice");
			return false;
		}
	}
	return true;
}

/* Why phandle does not name a partition: "<what it names> is not ...". */
static bool not_a_partition(struct parser *parser, const struct node *node,
			    uint32_t phandle, int target)
{
	struct message *message = config_property_error(parser, node, "peers");
	char path[CONFIG_PATH_MAX];

	config_put_text(message, "phandle ");
	config_put_hex(message, phandle);
	config_put_text(message, " is not a partition");
	if (target < 0) {
		config_put_text(message, " (no node has it)");
	} else if (fdt_get_path(parser->fdt, target, path, sizeof(path)) == 0) {
		config_put_text(message, " (it is ");
		config_put_text(message, path);
		config_put_text(message, ")");
	}
	return false;
}

/* Resolves one peer phandle to the index of a partition in out. */
static bool resolve_peer(struct parser *parser, const struct node *node,
			 uint32_t phandle, int partitions_offset,
			 uint32_t *index)
{
	const struct config *config = parser->out;
	int target = fdt_node_offset_by_phandle(parser->fdt, phandle);
	const char *name;
	int parent;

	if (target == -FDT_ERR_NOTFOUND || target == -FDT_ERR_BADPHANDLE)
		return not_a_partition(parser, node, phandle, -1);
	if (target < 0)
		return config_malformed_blob(parser, node);
	parent = fdt_parent_offset(parser->fdt, target);
	if (parent < 0)
		return config_malformed_blob(parser, node);
	if (parent != partitions_offset)
		return not_a_partition(parser, node, phandle, target);
	name = fdt_get_name(parser->fdt, target, NULL);
	if (!name)
		return config_malformed_blob(parser, node);
	for (uint32_t i = 0; i < config->partition_count; i++) {
		if (!strcmp(config->partitions[i].name, name)) {
			*index = i;
			return true;
		}
	}
	/* Every child of /partitions was parsed: this cannot happen. */
	return config_malformed_blob(parser, node);
}

static uint32_t channels_of(const struct config *config, uint32_t partition)
{
	uint32_t count = 0;

	for (uint32_t i = 0; i < config->channel_count; i++)
		count += config->channels[i].peers[0] == partition ||
			 config->channels[i].peers[1] == partition;
	return count;
}

static bool parse_peers(struct parser *parser, const struct node *node,
			const struct property_value *value,
			int partitions_offset, struct config_channel *channel)
{
	const struct config *config = parser->out;
	int cells = config_cell_count(parser, node, "peers", value);
	struct message *message;

	if (cells < 0)
		return false;
	if (cells != 2) {
		message = config_property_error(parser, node, "peers");
		config_put_text(message, "must be two partition phandles "
					 "(<&a &b>), got ");
		config_put_decimal(message, cells);
		config_put_text(message, cells == 1 ? " cell" : " cells");
		return false;
	}
	for (int i = 0; i < 2; i++) {
		if (!resolve_peer(parser, node, config_cell_at(value, i),
				  partitions_offset, &channel->peers[i]))
			return false;
	}
	if (channel->peers[0] == channel->peers[1]) {
		message = config_property_error(parser, node, "peers");
		config_put_text(message, "both peers are partition ");
		config_put_quoted(message,
				  config->partitions[channel->peers[0]].name);
		return false;
	}
	for (int i = 0; i < 2; i++) {
		uint32_t peer = channel->peers[i];

		if (channels_of(config, peer) < CONFIG_MAX_PARTITION_CHANNELS)
			continue;
		message = config_property_error(parser, node, "peers");
		config_put_text(message, "partition ");
		config_put_quoted(message, config->partitions[peer].name);
		config_put_text(message, " would be in ");
		config_put_decimal(message, CONFIG_MAX_PARTITION_CHANNELS + 1);
		config_put_text(message, " channels: the limit is ");
		config_put_decimal(message, CONFIG_MAX_PARTITION_CHANNELS);
		return false;
	}
	return true;
}

static bool parse_size(struct parser *parser, const struct node *node,
		       const struct property_value *value,
		       struct config_channel *channel)
{
	struct message *message;
	uint64_t size;

	if (!config_read_size(parser, node, "size", value, &size))
		return false;
	if (size % PAGE_SIZE) {
		message = config_property_error(parser, node, "size");
		config_put_hex(message, size);
		config_put_text(message,
				" bytes is not a multiple of 4 KiB (0x1000)");
		return false;
	}
	if (size < CONFIG_CHANNEL_MIN || size > CONFIG_CHANNEL_MAX) {
		message = config_property_error(parser, node, "size");
		config_put_hex(message, size);
		config_put_text(message, " bytes is outside ");
		config_put_hex(message, CONFIG_CHANNEL_MIN);
		config_put_text(message, "-");
		config_put_hex(message, CONFIG_CHANNEL_MAX);
		config_put_text(message, " (4 KiB to 2 MiB)");
		return false;
	}
	channel->size = size;
	return true;
}

static bool parse_vector(struct parser *parser, const struct node *node,
			 const struct property_value *value,
			 struct config_channel *channel)
{
	struct message *message;
	uint32_t vector;

	channel->vector = CONFIG_CHANNEL_DEFAULT_VECTOR;
	if (!value->present)
		return true;
	if (!config_read_one_cell(parser, node, "vector", value, &vector))
		return false;
	if (vector < VECTOR_MIN || vector > VECTOR_MAX) {
		message = config_property_error(parser, node, "vector");
		config_put_decimal(message, vector);
		config_put_text(message, " is out of range (32-255)");
		return false;
	}
	channel->vector = vector;
	return true;
}

enum channel_property { PEERS, SIZE, VECTOR, CHANNEL_PROPERTY_COUNT };

/* Fills the next slot of out->channels; the caller commits it. */
static bool parse_channel(struct parser *parser, const struct node *node,
			  int partitions_offset)
{
	static const struct property_spec specs[CHANNEL_PROPERTY_COUNT] = {
		[PEERS] = { "peers", true },
		[SIZE] = { "size", true },
		[VECTOR] = { "vector", false },
	};
	struct config_channel *channel =
		&parser->out->channels[parser->out->channel_count];
	struct property_value values[CHANNEL_PROPERTY_COUNT];

	if (!check_channel_name(parser, node) ||
	    !config_collect_properties(parser, node, specs,
				       CHANNEL_PROPERTY_COUNT, values) ||
	    !config_reject_children(parser, node))
		return false;
	strcpy(channel->name, node->name);
	return parse_peers(parser, node, &values[PEERS], partitions_offset,
			   channel) &&
	       parse_size(parser, node, &values[SIZE], channel) &&
	       parse_vector(parser, node, &values[VECTOR], channel);
}

static bool parse_one_channel(struct parser *parser,
			      const struct node *channel, void *context)
{
	return parse_channel(parser, channel, *(const int *)context);
}

bool config_parse_channels(struct parser *parser, const struct node *node,
			   int partitions_offset)
{
	return config_parse_children(parser, node, "/channels/",
				     &parser->out->channel_count,
				     CONFIG_MAX_CHANNELS, "channels",
				     parse_one_channel, &partitions_offset);
}
