/* SPDX-License-Identifier: MIT */
/* Configuration mechanism 1 for guests; see pci.h. */
#include "pci.h"

#include <string.h>

#include "cpu.h"
#include "format.h"

#define CONFIG_ADDRESS 0xcf8
#define CONFIG_DATA 0xcfc

bool pci_parse_location(const char *text, struct pci_location *location)
{
	size_t length = strlen(text);
	int d[5];

	if (length == 12)
		text += 5; /* a segment, which mechanism 1 cannot name */
	else if (length != 7)
		return false;
	if (text[2] != ':' || text[5] != '.')
		return false;
	d[0] = hex_digit_value(text[0]);
	d[1] = hex_digit_value(text[1]);
	d[2] = hex_digit_value(text[3]);
	d[3] = hex_digit_value(text[4]);
	d[4] = hex_digit_value(text[6]);
	for (int i = 0; i < 5; i++)
		if (d[i] < 0)
			return false;
	location->bus = (uint8_t)(d[0] << 4 | d[1]);
	location->device = (uint8_t)(d[2] << 4 | d[3]);
	location->function = (uint8_t)d[4];
	return location->device < 32 && location->function < 8;
}

static void select_register(struct pci_location at, unsigned offset)
{
	outl(CONFIG_ADDRESS, 0x80000000u | (uint32_t)at.bus << 16 |
				     (uint32_t)at.device << 11 |
				     (uint32_t)at.function << 8 | (offset & 0xfc));
}

uint32_t pci_config_read32(struct pci_location at, unsigned offset)
{
	select_register(at, offset);
	return inl(CONFIG_DATA);
}

uint16_t pci_config_read16(struct pci_location at, unsigned offset)
{
	select_register(at, offset);
	return inw((uint16_t)(CONFIG_DATA + (offset & 2)));
}

void pci_config_write16(struct pci_location at, unsigned offset,
			uint16_t value)
{
	select_register(at, offset);
	outw((uint16_t)(CONFIG_DATA + (offset & 2)), value);
}

void pci_config_write32(struct pci_location at, unsigned offset,
			uint32_t value)
{
	select_register(at, offset);
	outl(CONFIG_DATA, value);
}

uint64_t pci_memory_bar(struct pci_location at, unsigned bar)
{
	unsigned offset = 0x10 + 4 * bar;
	uint32_t low = pci_config_read32(at, offset);

	if (low & 1)
		return 0; /* I/O */
	uint64_t address = low & ~0xfull;

	if ((low & 0x6) == 0x4)
		address |= (uint64_t)pci_config_read32(at, offset + 4) << 32;
	return address;
}
