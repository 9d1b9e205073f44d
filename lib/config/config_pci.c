/* SPDX-License-Identifier: MIT */
/*
 * Parses a partition's pci-devices property: a list of strings, each the
 * address of one PCI function the partition owns ("0000:00:10.0", or
 * "00:10.0" for segment 0). A malformed address, more than
 * CONFIG_MAX_PCI_DEVICES of them, or a function named twice (in this
 * partition or an earlier one) is refused with the address quoted. Whether
 * the function exists and may be given away is the core's to check, at
 * boot, against the machine (docs/devices.md).
 */
#include <string.h>

#include "config_reader.h"
#include "lib/format.h"

/* Reads exactly `digits` hexadecimal digits; advances *text. */
static bool read_hex(const char **text, unsigned digits, uint32_t *value)
{
	*value = 0;
	for (unsigned i = 0; i < digits; i++) {
		int d = hex_digit_value((*text)[i]);

		if (d < 0)
			return false;
		*value = *value << 4 | (uint32_t)d;
	}
	*text += digits;
	return true;
}

bool config_pci_address_parse(const char *text,
			      struct config_pci_address *address)
{
	uint32_t segment = 0, bus, device, function;
	size_t length = strlen(text);

	if (length == 12) {
		if (!read_hex(&text, 4, &segment) || *text++ != ':')
			return false;
	} else if (length != 7) {
		return false;
	}
	if (!read_hex(&text, 2, &bus) || *text++ != ':' ||
	    !read_hex(&text, 2, &device) || *text++ != '.' ||
	    !read_hex(&text, 1, &function) || *text != '\0' || device > 31 ||
	    function > 7)
		return false;
	*address = (struct config_pci_address){
		.segment = (uint16_t)segment,
		.bus = (uint8_t)bus,
		.device = (uint8_t)device,
		.function = (uint8_t)function,
	};
	return true;
}

static bool same_address(const struct config_pci_address *a,
			 const struct config_pci_address *b)
{
	return a->segment == b->segment && a->bus == b->bus &&
	       a->device == b->device && a->function == b->function;
}

/* The partition (this one or an earlier one) that already names address,
 * or NULL. */
static const char *owner_of(const struct parser *parser,
			    const struct config_partition *partition,
			    const struct config_pci_address *address)
{
	const struct config *config = parser->out;

	for (uint32_t i = 0; i < partition->pci_device_count; i++)
		if (same_address(&partition->pci_devices[i], address))
			return "this partition";
	for (uint32_t p = 0; p < config->partition_count; p++)
		for (uint32_t i = 0; i < config->partitions[p].pci_device_count;
		     i++)
			if (same_address(&config->partitions[p].pci_devices[i],
					 address))
				return config->partitions[p].name;
	return NULL;
}

bool config_parse_pci_devices(struct parser *parser, const struct node *node,
			      const struct property_value *value,
			      struct config_partition *partition)
{
	const char *text = (const char *)value->data;
	int offset = 0;
	struct message *message;

	if (value->length < 2 || text[value->length - 1] != '\0') {
		config_put_text(config_property_error(parser, node,
						      "pci-devices"),
				"must be a list of PCI addresses such as "
				"\"0000:00:10.0\"");
		return false;
	}
	while (offset < value->length) {
		const char *item = text + offset;
		size_t length = strnlen(item, (size_t)(value->length - offset));
		struct config_pci_address address;
		const char *owner;

		offset += (int)length + 1;
		message = NULL;
		if (!config_pci_address_parse(item, &address)) {
			message = config_property_error(parser, node,
							"pci-devices");
			config_put_quoted(message, item);
			config_put_text(message,
					" is not a PCI address: write "
					"SSSS:BB:DD.F in hexadecimal, device "
					"at most 1f, function at most 7");
			return false;
		}
		owner = owner_of(parser, partition, &address);
		if (owner) {
			message = config_property_error(parser, node,
							"pci-devices");
			config_put_quoted(message, item);
			config_put_text(message, " is already given to ");
			if (strcmp(owner, "this partition")) {
				config_put_text(message, "partition ");
				config_put_quoted(message, owner);
			} else {
				config_put_text(message, owner);
			}
			return false;
		}
		if (partition->pci_device_count == CONFIG_MAX_PCI_DEVICES) {
			message = config_property_error(parser, node,
							"pci-devices");
			config_put_text(message, "more than ");
			config_put_decimal(message, CONFIG_MAX_PCI_DEVICES);
			config_put_text(message, " devices");
			return false;
		}
		partition->pci_devices[partition->pci_device_count++] = address;
	}
	return true;
}
