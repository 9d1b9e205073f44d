/* SPDX-License-Identifier: MIT */
/*
 * Parses a partition's modules property: a list of strings, each
 * "PATH[ STRING]", the file below \bulkhead\ that a Multiboot kernel gets
 * as a module and the words after it. The whole entry is the module's
 * string in the boot information (docs/config.md). An entry that is empty,
 * starts with a space, does not fit CONFIG_MODULE_MAX, has a bad path, or
 * one entry too many is refused with the entry quoted. Whether the kernel
 * is a Multiboot kernel, and whether the files fit in the partition's
 * memory, is the image check's (lib/image_check.c).
 */
#include <string.h>

#include "config_reader.h"

_Static_assert(CONFIG_MODULE_MAX == 128 && CONFIG_MAX_MODULES == 4,
	       "the messages below name these limits");

static bool refuse(struct parser *parser, const struct node *node,
		   const char *item, const char *problem)
{
	struct message *message = config_property_error(parser, node, "modules");

	if (item) {
		config_put_quoted(message, item);
		config_put_text(message, " ");
	}
	config_put_text(message, problem);
	return false;
}

bool config_parse_modules(struct parser *parser, const struct node *node,
			  const struct property_value *value,
			  struct config_partition *partition)
{
	const char *text = (const char *)value->data;
	int offset = 0;

	if (value->length < 2 || text[value->length - 1] != '\0')
		return refuse(parser, node, NULL,
			      "must be a list of strings such as "
			      "\"guests/module.bin its string\"");
	while (offset < value->length) {
		const char *item = text + offset;
		size_t length = strnlen(item, (size_t)(value->length - offset));
		char path[CONFIG_MODULE_MAX];
		size_t path_length = strcspn(item, " ");

		offset += (int)length + 1;
		if (length == 0 || item[0] == ' ')
			return refuse(parser, node, item,
				      "must start with the module's path");
		if (length >= CONFIG_MODULE_MAX)
			return refuse(parser, node, NULL,
				      "has an entry longer than 127 characters");
		if (partition->module_count == CONFIG_MAX_MODULES)
			return refuse(parser, node, NULL,
				      "lists more than 4 modules");
		memcpy(path, item, path_length);
		path[path_length] = '\0';
		if (!config_check_image_path(parser, node, "modules", path))
			return false;
		memcpy(partition->modules[partition->module_count++], item,
		       length + 1);
	}
	return true;
}
