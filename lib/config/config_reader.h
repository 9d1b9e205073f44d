/* SPDX-License-Identifier: MIT */
/*
 * Private interface between the parts of the configuration parser
 * (lib/config/): the parse state, a node's property reader and the
 * builder of the one-line error message. Nothing outside the parser
 * includes this; the public interface is <bulkhead/config.h>.
 */
#ifndef BULKHEAD_LIB_CONFIG_CONFIG_READER_H
#define BULKHEAD_LIB_CONFIG_CONFIG_READER_H

#include <bulkhead/config.h>

#define UART_PORT_COUNT 8
#define MIB (1ull << 20)

/* One line of error text being built, always NUL-terminated. */
struct message {
	char *text;
	size_t used;
};

/* A node for error messages: its path is parent_path followed by name. */
struct node {
	int offset;
	const char *parent_path;
	const char *name;
};

struct property_spec {
	const char *name;
	bool required;
};

/* A property's value inside the blob, valid for length bytes. */
struct property_value {
	const uint8_t *data;
	int length;
	bool present;
};

struct parser {
	const void *fdt;
	const struct config_machine *machine;
	struct config *out; /* partitions[partition_count] is being parsed */
	struct message error;
};

/*
 * Error text: config_node_error() starts a fresh line with "<path>: ",
 * config_property_error() with "<path>: property "<name>": "; the
 * config_put_*() calls append to it, truncating at CONFIG_ERROR_MAX.
 */
struct message *config_node_error(struct parser *parser,
				  const struct node *node);
struct message *config_property_error(struct parser *parser,
				      const struct node *node,
				      const char *property);
void config_put_text(struct message *message, const char *text);
void config_put_decimal(struct message *message, uint64_t value);
void config_put_hex(struct message *message, uint64_t value);
void config_put_quoted(struct message *message, const char *text);
void config_put_port_range(struct message *message, uint32_t base,
			   uint32_t count);
bool config_malformed_blob(struct parser *parser, const struct node *node);

/*
 * Gathers a node's properties into values[], indexed like specs[]. Any
 * property not in specs (dtc's phandles aside), a repeated property or a
 * missing required one is an error.
 */
bool config_collect_properties(struct parser *parser, const struct node *node,
			       const struct property_spec *specs, size_t count,
			       struct property_value *values);
/*
 * For a list node (/partitions, /channels): refuses properties on it, then
 * calls parse_child for each child in order, counting them in *count;
 * more than limit is "too many <what>: the limit is N".
 */
bool config_parse_children(struct parser *parser, const struct node *node,
			   const char *child_path, uint32_t *count,
			   uint32_t limit, const char *what,
			   bool (*parse_child)(struct parser *parser,
					       const struct node *child,
					       void *context),
			   void *context);

/* Leaf nodes of the schema have no children; a stray one is an error. */
bool config_reject_children(struct parser *parser, const struct node *node);

/* pci-devices (config_pci.c): the list of PCI functions the partition
 * owns, each named once in the whole configuration. */
bool config_parse_pci_devices(struct parser *parser, const struct node *node,
			      const struct property_value *value,
			      struct config_partition *partition);

/* modules (config_modules.c): the files a Multiboot kernel gets as
 * modules, each "PATH[ STRING]". */
bool config_parse_modules(struct parser *parser, const struct node *node,
			  const struct property_value *value,
			  struct config_partition *partition);

/* Checks an image path below \bulkhead\ (relative, '/' separated,
 * printable, no ".."); property names it in the message. */
bool config_check_image_path(struct parser *parser, const struct node *node,
			     const char *property, const char *path);

/* console-log-size (config_console_log.c), or its default when absent. */
bool config_parse_console_log(struct parser *parser, const struct node *node,
			      const struct property_value *value,
			      struct config_partition *partition);

uint32_t config_cell_at(const struct property_value *value, int index);
/* Checks that the value is whole 32-bit cells; returns how many, or -1. */
int config_cell_count(struct parser *parser, const struct node *node,
		      const char *property, const struct property_value *value);
bool config_read_one_cell(struct parser *parser, const struct node *node,
			  const char *property,
			  const struct property_value *value, uint32_t *result);
/* Copies one non-empty NUL-terminated string of at most capacity bytes. */
bool config_read_string(struct parser *parser, const struct node *node,
			const char *property,
			const struct property_value *value, char *destination,
			size_t capacity);

/* Checks a partition or channel name's characters and length; kind names
 * it in the message ("bad <kind> name: ..."). Uniqueness is the caller's. */
bool config_check_name(struct parser *parser, const struct node *node,
		       const char *kind);
/* One cell, or two (high, low) for 64 bits; zero is an error. */
bool config_read_size(struct parser *parser, const struct node *node,
		      const char *property, const struct property_value *value,
		      uint64_t *result);

/* Parses node into out->partitions[out->partition_count]; the caller
 * commits it by incrementing partition_count. */
bool config_parse_partition(struct parser *parser, const struct node *node);

/* Parses the /channels node into out->channels; runs after the partitions
 * (peers refer to them). partitions_offset is the /partitions node. */
bool config_parse_channels(struct parser *parser, const struct node *node,
			   int partitions_offset);

#endif
