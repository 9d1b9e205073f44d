/* SPDX-License-Identifier: MIT */
/*
 * The configuration parser: walks a device-tree blob with libfdt and fills
 * struct config, rejecting anything docs/config.md does not describe (an
 * unknown property or node is an error, so a typo never passes silently).
 * The same file runs in the UEFI loader and on the host (checker, unit
 * tests), so it uses nothing beyond <string.h> and libfdt: no stdio, no
 * allocation, no state outside the caller's buffers. It must never read
 * outside the blob; libfdt bounds every access once the header is checked
 * against blob_size, and every property value is read within its length.
 */
#include "config_reader.h"

#include <libfdt.h>
#include <string.h>

#define CONFIG_COMPATIBLE "bulkhead,config-1"
#define CONFIG_DEFAULT_UART 0x3f8
#define IOPORT_LIMIT 0x10000

static bool parse_root(struct parser *parser, const struct node *node)
{
	static const struct property_spec specs[] = {
		{ "compatible", true },
	};
	struct property_value values[1];
	const char *text;
	int length;
	struct message *message;

	if (!config_collect_properties(parser, node, specs, 1, values))
		return false;
	text = (const char *)values[0].data;
	length = values[0].length;
	if (length == sizeof(CONFIG_COMPATIBLE) &&
	    !memcmp(text, CONFIG_COMPATIBLE, sizeof(CONFIG_COMPATIBLE)))
		return true;
	message = config_property_error(parser, node, "compatible");
	config_put_text(message, "must be ");
	config_put_quoted(message, CONFIG_COMPATIBLE);
	if (length > 1 && strnlen(text, length) == (size_t)length - 1) {
		config_put_text(message, ", not ");
		config_put_quoted(message, text);
	} else {
		config_put_text(message, " (one string)");
	}
	return false;
}

static bool parse_console(struct parser *parser, const struct node *node)
{
	static const struct property_spec specs[] = {
		{ "uart", false },
	};
	static const uint16_t com_ports[] = { 0x3f8, 0x2f8, 0x3e8, 0x2e8 };
	struct property_value values[1];
	struct message *message;
	uint32_t uart;

	if (!config_collect_properties(parser, node, specs, 1, values) ||
	    !config_reject_children(parser, node))
		return false;
	if (!values[0].present)
		return true;
	if (!config_read_one_cell(parser, node, "uart", &values[0], &uart))
		return false;
	for (size_t i = 0; i < sizeof(com_ports) / sizeof(com_ports[0]); i++) {
		if (uart == com_ports[i]) {
			parser->out->console_uart = uart;
			return true;
		}
	}
	message = config_property_error(parser, node, "uart");
	config_put_hex(message, uart);
	config_put_text(message, " is not a standard COM port "
				 "(allowed: 0x3f8, 0x2f8, 0x3e8, 0x2e8)");
	return false;
}

static bool parse_end_of_run(struct parser *parser, const struct node *node)
{
	static const struct property_spec specs[] = {
		{ "isa-debug-exit", true },
	};
	struct property_value values[1];
	uint32_t port;
	uint32_t uart = parser->out->console_uart;
	struct message *message;

	if (!config_collect_properties(parser, node, specs, 1, values) ||
	    !config_reject_children(parser, node) ||
	    !config_read_one_cell(parser, node, "isa-debug-exit", &values[0],
				  &port))
		return false;
	if (port == 0 || port >= IOPORT_LIMIT) {
		message = config_property_error(parser, node, "isa-debug-exit");
		config_put_text(message, "port ");
		config_put_hex(message, port);
		config_put_text(message,
				" is not a valid I/O port (0x1-0xffff)");
		return false;
	}
	if (port >= uart && port < uart + UART_PORT_COUNT) {
		message = config_property_error(parser, node, "isa-debug-exit");
		config_put_text(message, "port ");
		config_put_hex(message, port);
		config_put_text(message, " overlaps the console UART ");
		config_put_port_range(message, uart, UART_PORT_COUNT);
		return false;
	}
	parser->out->exit_port = port;
	return true;
}

/* Appends size in MiB when it is whole MiB, else in KiB (rounded down). */
static void put_size(struct message *message, uint64_t size, bool mib)
{
	config_put_decimal(message, mib ? size / MIB : size >> 10);
	config_put_text(message, mib ? " MiB" : " KiB");
}

/* Partition memory plus every channel's memory (counted once each). */
static bool check_memory_total(struct parser *parser, const struct node *node)
{
	const struct config *config = parser->out;
	uint64_t available =
		parser->machine ? parser->machine->memory_bytes : 0;
	uint64_t total = 0;
	struct message *message;
	bool mib;

	for (uint32_t i = 0; i < config->partition_count; i++)
		total += config->partitions[i].memory_size;
	for (uint32_t i = 0; i < config->channel_count; i++)
		total += config->channels[i].size;
	if (!available || total <= available)
		return true;
	mib = total % MIB == 0;
	message = config_property_error(parser, node, "memory-size");
	config_put_text(message, config->channel_count
					 ? "partitions and channels need "
					 : "partitions need ");
	put_size(message, total, mib);
	config_put_text(message, ", the machine has ");
	put_size(message, available, mib);
	config_put_text(message, " available");
	return false;
}

static bool parse_one_partition(struct parser *parser,
				const struct node *partition, void *context)
{
	(void)context;
	return config_parse_partition(parser, partition);
}

static bool parse_partitions(struct parser *parser, const struct node *node)
{
	struct config *config = parser->out;

	if (!config_parse_children(parser, node, "/partitions/",
				   &config->partition_count,
				   CONFIG_MAX_PARTITIONS, "partitions",
				   parse_one_partition, NULL))
		return false;
	if (config->partition_count == 0) {
		config_put_text(config_node_error(parser, node),
				"no partitions: list at least one");
		return false;
	}
	return true;
}

enum top_node {
	NODE_CONSOLE,
	NODE_END_OF_RUN,
	NODE_PARTITIONS,
	NODE_CHANNELS,
	NODE_COUNT
};

/*
 * Finds the root's children by name so that they are parsed in a fixed order
 * (the console and exit ports first: partitions' I/O ranges are checked
 * against them; channels after partitions: their peers name partitions),
 * whatever order the source lists them in.
 */
static bool find_top_nodes(struct parser *parser, const struct node *root,
			   struct node nodes[NODE_COUNT])
{
	static const char *const names[NODE_COUNT] = {
		[NODE_CONSOLE] = "console",
		[NODE_END_OF_RUN] = "end-of-run",
		[NODE_PARTITIONS] = "partitions",
		[NODE_CHANNELS] = "channels",
	};
	int child;

	fdt_for_each_subnode(child, parser->fdt, root->offset) {
		const char *name = fdt_get_name(parser->fdt, child, NULL);
		struct message *message;
		int i;

		if (!name)
			return config_malformed_blob(parser, root);
		for (i = 0; i < NODE_COUNT && strcmp(names[i], name); i++)
			;
		if (i < NODE_COUNT && nodes[i].offset < 0) {
			nodes[i] = (struct node){ child, "/", names[i] };
			continue;
		}
		message = config_node_error(parser, root);
		config_put_text(message,
				i < NODE_COUNT ? "node " : "unknown node ");
		config_put_quoted(message, name);
		config_put_text(message, i < NODE_COUNT
						 ? " given twice"
						 : " (allowed: console, "
						   "end-of-run, partitions, "
						   "channels)");
		return false;
	}
	if (child != -FDT_ERR_NOTFOUND)
		return config_malformed_blob(parser, root);
	if (nodes[NODE_PARTITIONS].offset < 0) {
		config_put_text(
			config_node_error(parser, root),
			"node \"partitions\" is missing (it is required)");
		return false;
	}
	return true;
}

static bool check_blob(struct parser *parser, size_t blob_size)
{
	static const struct node root = { 0, "", "/" };
	struct message *message;

	if (!parser->fdt || blob_size < sizeof(struct fdt_header) ||
	    fdt_check_header(parser->fdt) != 0) {
		config_put_text(
			config_node_error(parser, &root),
			"not a valid device tree blob (compile the .dts "
			"with dtc)");
		return false;
	}
	if (fdt_totalsize(parser->fdt) > blob_size) {
		message = config_node_error(parser, &root);
		config_put_text(message,
				"the blob is truncated: its header says ");
		config_put_decimal(message, fdt_totalsize(parser->fdt));
		config_put_text(message, " bytes, only ");
		config_put_decimal(message, blob_size);
		config_put_text(message, " are present");
		return false;
	}
	return true;
}

bool config_parse(const void *blob, size_t blob_size,
		  const struct config_machine *machine, struct config *out,
		  char error[CONFIG_ERROR_MAX])
{
	struct parser parser = { blob, machine, out, { error, 0 } };
	/* The struct block starts with the root node: offset 0. */
	const struct node root = { 0, "", "/" };
	struct node nodes[NODE_COUNT] = {
		[NODE_CONSOLE] = { -1, "", "" },
		[NODE_END_OF_RUN] = { -1, "", "" },
		[NODE_PARTITIONS] = { -1, "", "" },
		[NODE_CHANNELS] = { -1, "", "" },
	};

	memset(out, 0, sizeof(*out));
	error[0] = '\0';
	out->console_uart = CONFIG_DEFAULT_UART;
	if (!check_blob(&parser, blob_size) || !parse_root(&parser, &root) ||
	    !find_top_nodes(&parser, &root, nodes) ||
	    (nodes[NODE_CONSOLE].offset >= 0 &&
	     !parse_console(&parser, &nodes[NODE_CONSOLE])) ||
	    (nodes[NODE_END_OF_RUN].offset >= 0 &&
	     !parse_end_of_run(&parser, &nodes[NODE_END_OF_RUN])) ||
	    !parse_partitions(&parser, &nodes[NODE_PARTITIONS]) ||
	    (nodes[NODE_CHANNELS].offset >= 0 &&
	     !config_parse_channels(&parser, &nodes[NODE_CHANNELS],
				    nodes[NODE_PARTITIONS].offset)) ||
	    !check_memory_total(&parser, &nodes[NODE_PARTITIONS])) {
		/* What was filled in before the error must not be used. */
		memset(out, 0, sizeof(*out));
		return false;
	}
	return true;
}
