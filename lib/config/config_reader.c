/* SPDX-License-Identifier: MIT */
/*
 * The configuration parser's toolkit: reads one device-tree node's
 * properties against a list of the names it allows, decodes cells and
 * strings strictly within each value's length, and builds the one-line
 * error message naming the node and property. Like the rest of the parser
 * it runs in the UEFI loader, so it uses only <string.h> and libfdt (no
 * stdio, no snprintf, no allocation).
 */
#include "config_reader.h"

#include <libfdt.h>
#include <string.h>

void config_put_text(struct message *message, const char *text)
{
	while (*text && message->used + 1 < CONFIG_ERROR_MAX)
		message->text[message->used++] = *text++;
	message->text[message->used] = '\0';
}

static void put_number(struct message *message, uint64_t value, unsigned base)
{
	char digits[24];
	int count = 0;

	if (base == 16)
		config_put_text(message, "0x");
	do {
		digits[count++] = "0123456789abcdef"[value % base];
		value /= base;
	} while (value);
	while (count) {
		char digit[2] = { digits[--count], '\0' };

		config_put_text(message, digit);
	}
}

void config_put_decimal(struct message *message, uint64_t value)
{
	put_number(message, value, 10);
}

void config_put_hex(struct message *message, uint64_t value)
{
	put_number(message, value, 16);
}

void config_put_quoted(struct message *message, const char *text)
{
	config_put_text(message, "\"");
	config_put_text(message, text);
	config_put_text(message, "\"");
}

void config_put_port_range(struct message *message, uint32_t base,
			   uint32_t count)
{
	config_put_hex(message, base);
	if (count == 1)
		return;
	config_put_text(message, "-");
	config_put_hex(message, base + count - 1);
}

/* Starts the error line "<path>: " and returns it for the caller to finish. */
struct message *config_node_error(struct parser *parser,
				  const struct node *node)
{
	struct message *message = &parser->error;

	message->used = 0;
	message->text[0] = '\0';
	config_put_text(message, node->parent_path);
	config_put_text(message, node->name);
	config_put_text(message, ": ");
	return message;
}

/* Starts the error line "<path>: property "<name>": ". */
struct message *config_property_error(struct parser *parser,
				      const struct node *node,
				      const char *property)
{
	struct message *message = config_node_error(parser, node);

	config_put_text(message, "property ");
	config_put_quoted(message, property);
	config_put_text(message, ": ");
	return message;
}

bool config_malformed_blob(struct parser *parser, const struct node *node)
{
	config_put_text(config_node_error(parser, node),
			"malformed device tree structure");
	return false;
}

static bool is_phandle_property(const char *name)
{
	return !strcmp(name, "phandle") || !strcmp(name, "linux,phandle");
}

static void put_allowed_names(struct message *message,
			      const struct property_spec *specs, size_t count)
{
	config_put_text(message, " (allowed:");
	for (size_t i = 0; i < count; i++) {
		config_put_text(message, i ? ", " : " ");
		config_put_text(message, specs[i].name);
	}
	if (!count)
		config_put_text(message, " none");
	config_put_text(message, ")");
}

/*
 * Gathers a node's properties into values[], indexed like specs[]. Any
 * property not in specs (dtc's phandles aside), a repeated property or a
 * missing required one is an error.
 */
bool config_collect_properties(struct parser *parser, const struct node *node,
			       const struct property_spec *specs, size_t count,
			       struct property_value *values)
{
	int offset;

	memset(values, 0, count * sizeof(*values));
	fdt_for_each_property_offset(offset, parser->fdt, node->offset) {
		const char *name = NULL;
		int length = 0;
		const void *data = fdt_getprop_by_offset(parser->fdt, offset,
							 &name, &length);
		size_t i;

		if (!data || !name)
			return config_malformed_blob(parser, node);
		if (is_phandle_property(name))
			continue;
		for (i = 0; i < count && strcmp(specs[i].name, name); i++)
			;
		if (i == count) {
			struct message *message =
				config_property_error(parser, node, name);

			config_put_text(message, "unknown property");
			put_allowed_names(message, specs, count);
			return false;
		}
		if (values[i].present) {
			config_put_text(
				config_property_error(parser, node, name),
				"given more than once");
			return false;
		}
		values[i] = (struct property_value){ data, length, true };
	}
	if (offset != -FDT_ERR_NOTFOUND)
		return config_malformed_blob(parser, node);
	for (size_t i = 0; i < count; i++) {
		if (specs[i].required && !values[i].present) {
			config_put_text(config_property_error(parser, node,
							      specs[i].name),
					"missing (this property is required)");
			return false;
		}
	}
	return true;
}

/* Leaf nodes of the schema have no children; a stray one is likely a typo. */
bool config_reject_children(struct parser *parser, const struct node *node)
{
	int child;

	fdt_for_each_subnode(child, parser->fdt, node->offset) {
		const char *name = fdt_get_name(parser->fdt, child, NULL);
		struct message *message;

		if (!name)
			return config_malformed_blob(parser, node);
		message = config_node_error(parser, node);
		config_put_text(message, "unknown node ");
		config_put_quoted(message, name);
		config_put_text(message, " (this node has no child nodes)");
		return false;
	}
	if (child != -FDT_ERR_NOTFOUND)
		return config_malformed_blob(parser, node);
	return true;
}

uint32_t config_cell_at(const struct property_value *value, int index)
{
	fdt32_t cell;

	memcpy(&cell, value->data + index * 4, sizeof(cell));
	return fdt32_to_cpu(cell);
}

/* Checks that the value is whole 32-bit cells; returns how many, or -1. */
int config_cell_count(struct parser *parser, const struct node *node,
		      const char *property, const struct property_value *value)
{
	if (value->length % 4) {
		struct message *message =
			config_property_error(parser, node, property);

		config_put_text(message, "length ");
		config_put_decimal(message, value->length);
		config_put_text(message,
				" is not a whole number of 32-bit cells");
		return -1;
	}
	return value->length / 4;
}

bool config_read_one_cell(struct parser *parser, const struct node *node,
			  const char *property,
			  const struct property_value *value, uint32_t *result)
{
	int cells = config_cell_count(parser, node, property, value);

	if (cells < 0)
		return false;
	if (cells != 1) {
		struct message *message =
			config_property_error(parser, node, property);

		config_put_text(message, "must be exactly one cell, got ");
		config_put_decimal(message, cells);
		return false;
	}
	*result = config_cell_at(value, 0);
	return true;
}

/*
 * Copies a single non-empty, NUL-terminated string of at most capacity
 * bytes (NUL included) into destination.
 */
bool config_read_string(struct parser *parser, const struct node *node,
			const char *property,
			const struct property_value *value, char *destination,
			size_t capacity)
{
	const char *text = (const char *)value->data;
	struct message *message;

	if (value->length < 2 || text[value->length - 1] != '\0' ||
	    strnlen(text, value->length) != (size_t)value->length - 1) {
		config_put_text(config_property_error(parser, node, property),
				"must be one non-empty, NUL-terminated string");
		return false;
	}
	if ((size_t)value->length > capacity) {
		message = config_property_error(parser, node, property);
		config_put_text(message, "is ");
		config_put_decimal(message, value->length - 1);
		config_put_text(message, " characters long; the limit is ");
		config_put_decimal(message, capacity - 1);
		return false;
	}
	memcpy(destination, text, value->length);
	return true;
}

/* Names of partitions and channels: [a-z0-9_-], 1..31 characters. */
bool config_check_name(struct parser *parser, const struct node *node,
		       const char *kind)
{
	size_t length = strlen(node->name);
	struct message *message;

	for (size_t i = 0; i < length; i++) {
		char c = node->name[i];

		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '_' || c == '-')
			continue;
		message = config_node_error(parser, node);
		config_put_text(message, "bad ");
		config_put_text(message, kind);
		config_put_text(message, " name: only a-z, 0-9, '_' and '-' "
					 "are allowed");
		return false;
	}
	if (length == 0 || length >= CONFIG_NAME_MAX) {
		message = config_node_error(parser, node);
		config_put_text(message, "bad ");
		config_put_text(message, kind);
		config_put_text(message, " name: it must be 1 to ");
		config_put_decimal(message, CONFIG_NAME_MAX - 1);
		config_put_text(message, " characters long");
		return false;
	}
	return true;
}

/* Reads one or two cells (high, low) as a 64-bit number. */
bool config_read_size(struct parser *parser, const struct node *node,
		      const char *property, const struct property_value *value,
		      uint64_t *result)
{
	int cells = config_cell_count(parser, node, property, value);
	struct message *message;

	if (cells < 0)
		return false;
	if (cells != 1 && cells != 2) {
		message = config_property_error(parser, node, property);
		config_put_text(message, "must be one or two cells, got ");
		config_put_decimal(message, cells);
		return false;
	}
	*result = config_cell_at(value, 0);
	if (cells == 2)
		*result = *result << 32 | config_cell_at(value, 1);
	if (*result == 0) {
		config_put_text(config_property_error(parser, node, property),
				"must not be zero");
		return false;
	}
	return true;
}

bool config_parse_children(struct parser *parser, const struct node *node,
			   const char *child_path, uint32_t *count,
			   uint32_t limit, const char *what,
			   bool (*parse_child)(struct parser *parser,
					       const struct node *child,
					       void *context),
			   void *context)
{
	struct property_value unused;
	int offset;

	if (!config_collect_properties(parser, node, NULL, 0, &unused))
		return false;
	fdt_for_each_subnode(offset, parser->fdt, node->offset) {
		struct node child = { offset, child_path,
				      fdt_get_name(parser->fdt, offset, NULL) };

		if (!child.name)
			return config_malformed_blob(parser, node);
		if (*count == limit) {
			struct message *message =
				config_node_error(parser, &child);

			config_put_text(message, "too many ");
			config_put_text(message, what);
			config_put_text(message, ": the limit is ");
			config_put_decimal(message, limit);
			return false;
		}
		if (!parse_child(parser, &child, context))
			return false;
		(*count)++;
	}
	if (offset != -FDT_ERR_NOTFOUND)
		return config_malformed_blob(parser, node);
	return true;
}
