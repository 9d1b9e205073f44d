/* SPDX-License-Identifier: MIT */
/*
 * Parses a partition's console-log-size property: one cell, the bytes of
 * its console output the hypervisor keeps for management partitions
 * (CONFIG_CONSOLE_LOG_MIN to CONFIG_CONSOLE_LOG_MAX; the default
 * CONFIG_CONSOLE_LOG_DEFAULT when absent). The loader reserves the sum of
 * every partition's size beside the core's heap, so the bound keeps that
 * reservation small.
 */
#include "config_reader.h"

bool config_parse_console_log(struct parser *parser, const struct node *node,
			      const struct property_value *value,
			      struct config_partition *partition)
{
	struct message *message;
	uint32_t size = CONFIG_CONSOLE_LOG_DEFAULT;

	if (value->present) {
		if (!config_read_one_cell(parser, node, "console-log-size",
					  value, &size))
			return false;
		if (size < CONFIG_CONSOLE_LOG_MIN ||
		    size > CONFIG_CONSOLE_LOG_MAX) {
			message = config_property_error(parser, node,
							"console-log-size");
			config_put_decimal(message, size);
			config_put_text(message, " bytes is out of range (");
			config_put_decimal(message, CONFIG_CONSOLE_LOG_MIN);
			config_put_text(message, "-");
			config_put_decimal(message, CONFIG_CONSOLE_LOG_MAX);
			config_put_text(message, ")");
			return false;
		}
	}
	partition->console_log_size = size;
	return true;
}
