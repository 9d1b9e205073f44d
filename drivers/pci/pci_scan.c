/* SPDX-License-Identifier: MIT */
/*
 * PCI enumeration (pci_scan.h): the walk of buses and bridges, the record
 * of one function with its BAR and ROM sizing, the bounded capability
 * walk, and the short description the boot log prints.
 */
#include "pci_scan.h"

#include <string.h>

#include "lib/format.h"

#define BAR_IO_FLAG	     0x1u
#define BAR_IO_MASK	     0xfffffffcu
#define BAR_MEMORY_MASK	     0xfffffff0u
#define BAR_TYPE_SHIFT	     1
#define BAR_TYPE_MASK	     0x3u
#define BAR_TYPE_64	     0x2u
#define BAR_PREFETCHABLE     0x8u
#define ROM_ADDRESS_MASK     0xfffff800u
#define ROM_ENABLE	     0x1u
#define CAPABILITY_POINTER   0xfcu /* the low two bits are reserved */
#define CAPABILITY_FIRST     0x40  /* capabilities live after the header */
#define CARDBUS_CAPABILITIES 0x14
#define CLASS_BRIDGE	     0x06
#define SUBCLASS_HOST	     0x00

/* Capability registers, from the capability's offset. */
#define MSI_CONTROL		2
#define MSI_CONTROL_64BIT	0x0080u
#define MSI_CONTROL_MASKABLE	0x0100u
#define MSI_CONTROL_MMC_SHIFT	1
#define MSI_CONTROL_MMC_MASK	0x7u
#define MSI_SIZE		4 /* the registers read here */
#define MSIX_CONTROL		2
#define MSIX_TABLE_SIZE_MASK	0x07ffu
#define MSIX_TABLE		4
#define MSIX_PBA		8
#define MSIX_BIR_MASK		0x7u
#define MSIX_SIZE		12
#define EXPRESS_CAPABILITIES	2
#define EXPRESS_TYPE_SHIFT	4
#define EXPRESS_TYPE_MASK	0xfu
#define EXPRESS_DEVICE_CAPS	4
#define EXPRESS_DEVICE_CAPS_FLR (1u << 28)
#define EXPRESS_SIZE		8
#define POWER_CAPABILITIES	2
#define POWER_CONTROL		4
#define POWER_NO_SOFT_RESET	0x0008u
#define POWER_SIZE		6

#define BUSES	  256
#define SLOTS	  32
#define FUNCTIONS 8

static uint32_t read32(const struct pci_config_access *access,
		       struct pci_address address, uint16_t offset)
{
	return access->read(access->context, address, offset, 4);
}

static uint16_t read16(const struct pci_config_access *access,
		       struct pci_address address, uint16_t offset)
{
	return (uint16_t)access->read(access->context, address, offset, 2);
}

static uint8_t read8(const struct pci_config_access *access,
		     struct pci_address address, uint16_t offset)
{
	return (uint8_t)access->read(access->context, address, offset, 1);
}

static void write32(const struct pci_config_access *access,
		    struct pci_address address, uint16_t offset, uint32_t value)
{
	access->write(access->context, address, offset, 4, value);
}

static void write16(const struct pci_config_access *access,
		    struct pci_address address, uint16_t offset, uint16_t value)
{
	access->write(access->context, address, offset, 2, value);
}

/* What a register decodes when all ones are written: the value read back
 * (the original is put back). */
static uint32_t probe32(const struct pci_config_access *access,
			struct pci_address address, uint16_t offset,
			uint32_t original, uint32_t ones)
{
	write32(access, address, offset, ones);
	uint32_t mask = read32(access, address, offset);
	write32(access, address, offset, original);
	return mask;
}

static uint64_t lowest_bit(uint64_t mask)
{
	return mask & (~mask + 1);
}

/* Sizes the BAR in slot index; returns the number of slots it takes. */
static unsigned size_bar(const struct pci_config_access *access,
			 struct pci_function *f, unsigned index)
{
	struct pci_address address = f->address;
	uint16_t offset = (uint16_t)(PCI_BAR0 + 4 * index);
	struct pci_bar *bar = &f->bars[index];
	uint32_t original = read32(access, address, offset);
	uint32_t mask = probe32(access, address, offset, original, ~0u);

	if (mask & BAR_IO_FLAG) {
		bar->address = original & BAR_IO_MASK;
		bar->size = lowest_bit(mask & BAR_IO_MASK);
		bar->type = bar->size ? PCI_BAR_IO : PCI_BAR_NONE;
		return 1;
	}
	bar->prefetchable = (mask & BAR_PREFETCHABLE) != 0;
	uint64_t full = mask & BAR_MEMORY_MASK;
	bar->address = original & BAR_MEMORY_MASK;
	unsigned slots = 1;
	/* A 64-bit BAR in the last slot has no upper half: taken as 32-bit. */
	if (((mask >> BAR_TYPE_SHIFT) & BAR_TYPE_MASK) == BAR_TYPE_64 &&
	    index + 1 < f->bar_count) {
		uint32_t high = read32(access, address, offset + 4);
		uint32_t high_mask =
		    probe32(access, address, offset + 4, high, ~0u);

		full |= (uint64_t)high_mask << 32;
		bar->address |= (uint64_t)high << 32;
		slots = 2;
	}
	bar->size = lowest_bit(full);
	if (!bar->size) {
		memset(bar, 0, sizeof(*bar));
		return 1;
	}
	bar->type = slots == 2 ? PCI_BAR_MEMORY64 : PCI_BAR_MEMORY32;
	if (slots == 2)
		f->bars[index + 1].type = PCI_BAR_MEMORY64_HIGH;
	return slots;
}

static void size_rom(const struct pci_config_access *access,
		     struct pci_function *f, uint16_t offset)
{
	uint32_t original = read32(access, f->address, offset);
	uint32_t mask =
	    probe32(access, f->address, offset, original, ~ROM_ENABLE);

	f->rom_size = (uint32_t)lowest_bit(mask & ROM_ADDRESS_MASK);
	f->rom_address = f->rom_size ? original & ROM_ADDRESS_MASK : 0;
	f->rom_enabled = f->rom_size && (original & ROM_ENABLE);
}

static void record_msi(const struct pci_config_access *access,
		       struct pci_function *f, uint8_t offset)
{
	uint16_t control = read16(access, f->address, offset + MSI_CONTROL);
	unsigned mmc =
	    (control >> MSI_CONTROL_MMC_SHIFT) & MSI_CONTROL_MMC_MASK;

	f->msi.offset = offset;
	f->msi.address_64bit = (control & MSI_CONTROL_64BIT) != 0;
	f->msi.per_vector_mask = (control & MSI_CONTROL_MASKABLE) != 0;
	f->msi.vectors =
	    (uint8_t)(1u << (mmc > 5 ? 5 : mmc)); /* 6, 7: reserved */
}

static void record_msix(const struct pci_config_access *access,
			struct pci_function *f, uint8_t offset)
{
	uint16_t control = read16(access, f->address, offset + MSIX_CONTROL);
	uint32_t table = read32(access, f->address, offset + MSIX_TABLE);
	uint32_t pba = read32(access, f->address, offset + MSIX_PBA);

	f->msix.offset = offset;
	f->msix.table_size = (uint16_t)((control & MSIX_TABLE_SIZE_MASK) + 1);
	f->msix.table_bar = table & MSIX_BIR_MASK;
	f->msix.table_offset = table & ~MSIX_BIR_MASK;
	f->msix.pba_bar = pba & MSIX_BIR_MASK;
	f->msix.pba_offset = pba & ~MSIX_BIR_MASK;
}

static void record_express(const struct pci_config_access *access,
			   struct pci_function *f, uint8_t offset)
{
	uint16_t caps =
	    read16(access, f->address, offset + EXPRESS_CAPABILITIES);
	uint32_t device =
	    read32(access, f->address, offset + EXPRESS_DEVICE_CAPS);

	f->express.offset = offset;
	f->express.port_type = (caps >> EXPRESS_TYPE_SHIFT) & EXPRESS_TYPE_MASK;
	f->express.device_capabilities = device;
	f->express.flr = (device & EXPRESS_DEVICE_CAPS_FLR) != 0;
}

static void record_power(const struct pci_config_access *access,
			 struct pci_function *f, uint8_t offset)
{
	uint16_t control = read16(access, f->address, offset + POWER_CONTROL);

	f->power.offset = offset;
	f->power.capabilities =
	    read16(access, f->address, offset + POWER_CAPABILITIES);
	f->power.no_soft_reset = (control & POWER_NO_SOFT_RESET) != 0;
}

/* Records the first capability of each kind the scan knows, when its
 * registers fit in the 256-byte space; false when they do not. */
static bool record_capability(const struct pci_config_access *access,
			      struct pci_function *f, uint8_t id,
			      uint8_t offset)
{
	unsigned room = PCI_CONFIG_SIZE - offset;

	switch (id) {
	case PCI_CAP_MSI:
		if (room < MSI_SIZE)
			return false;
		if (!f->msi.offset)
			record_msi(access, f, offset);
		break;
	case PCI_CAP_MSIX:
		if (room < MSIX_SIZE)
			return false;
		if (!f->msix.offset)
			record_msix(access, f, offset);
		break;
	case PCI_CAP_EXPRESS:
		if (room < EXPRESS_SIZE)
			return false;
		if (!f->express.offset)
			record_express(access, f, offset);
		break;
	case PCI_CAP_POWER:
		if (room < POWER_SIZE)
			return false;
		if (!f->power.offset)
			record_power(access, f, offset);
		break;
	}
	return true;
}

/* Walks the capability list from the pointer at pointer_offset: each
 * entry at most once, never into the header, at most
 * PCI_MAX_CAPABILITIES of them. */
static void walk_capabilities(const struct pci_config_access *access,
			      struct pci_function *f, uint16_t pointer_offset)
{
	uint64_t seen = 0;
	uint8_t offset =
	    read8(access, f->address, pointer_offset) & CAPABILITY_POINTER;

	while (offset) {
		unsigned slot = (offset - CAPABILITY_FIRST) / 4;

		if (offset < CAPABILITY_FIRST || (seen & (1ull << slot)) ||
		    f->capability_count == PCI_MAX_CAPABILITIES) {
			f->capabilities_broken = true;
			return;
		}
		seen |= 1ull << slot;
		f->capability_count++;
		uint16_t header = read16(access, f->address, offset);
		uint8_t id = header & 0xff;
		/* 0xff: the function stopped answering */
		if (id == 0xff || !record_capability(access, f, id, offset)) {
			f->capabilities_broken = true;
			return;
		}
		offset = (header >> 8) & CAPABILITY_POINTER;
	}
}

bool pci_read_function(const struct pci_config_access *access,
		       struct pci_address address, struct pci_function *f)
{
	uint32_t ids = read32(access, address, PCI_VENDOR_ID);
	uint16_t vendor = ids & 0xffff;

	if (vendor == 0xffff || vendor == 0)
		return false;
	memset(f, 0, sizeof(*f));
	f->address = address;
	f->vendor_id = vendor;
	f->device_id = (uint16_t)(ids >> 16);
	uint32_t class = read32(access, address, PCI_CLASS_REVISION);
	f->revision = class & 0xff;
	f->prog_if = (class >> 8) & 0xff;
	f->subclass = (class >> 16) & 0xff;
	f->class_code = (uint8_t)(class >> 24);
	uint8_t header = read8(access, address, PCI_HEADER_TYPE);
	f->header_type = header & ~PCI_HEADER_MULTI;
	f->multifunction = (header & PCI_HEADER_MULTI) != 0;
	f->command = read16(access, address, PCI_COMMAND);
	f->status = read16(access, address, PCI_STATUS);
	f->interrupt_line = read8(access, address, PCI_INTERRUPT_LINE);
	f->interrupt_pin = read8(access, address, PCI_INTERRUPT_PIN);
	if (f->interrupt_pin > 4)
		f->interrupt_pin = 0;

	uint16_t rom = 0, capabilities = PCI_CAPABILITY_LIST;
	switch (f->header_type) {
	case 0:
		f->bar_count = 6;
		rom = PCI_ROM_ADDRESS;
		break;
	case 1:
		f->bar_count = 2;
		rom = PCI_BRIDGE_ROM;
		f->secondary_bus = read8(access, address, PCI_SECONDARY_BUS);
		f->subordinate_bus =
		    read8(access, address, PCI_SUBORDINATE_BUS);
		break;
	case 2:
		f->bar_count = 1;
		capabilities = CARDBUS_CAPABILITIES;
		break;
	default:
		capabilities = 0;
		break;
	}

	bool host_bridge =
	    f->class_code == CLASS_BRIDGE && f->subclass == SUBCLASS_HOST;
	uint16_t decoding = PCI_COMMAND_IO | PCI_COMMAND_MEMORY;
	bool quiet =
	    !host_bridge && (f->command & decoding) && (f->bar_count || rom);
	if (quiet)
		write16(access, address, PCI_COMMAND, f->command & ~decoding);
	for (unsigned i = 0; i < f->bar_count;)
		i += size_bar(access, f, i);
	if (rom)
		size_rom(access, f, rom);
	if (quiet)
		write16(access, address, PCI_COMMAND, f->command);

	if (capabilities && (f->status & PCI_STATUS_CAPS))
		walk_capabilities(access, f, capabilities);
	return true;
}

struct segment_buses {
	uint16_t segment;
	uint8_t scanned[BUSES / 8];
};

static bool take_bus(struct segment_buses *buses, unsigned bus)
{
	uint8_t bit = (uint8_t)(1u << (bus % 8));

	if (buses->scanned[bus / 8] & bit)
		return false;
	buses->scanned[bus / 8] |= bit;
	return true;
}

static struct segment_buses *segment_of(struct segment_buses *segments,
					unsigned *count, uint16_t segment)
{
	for (unsigned i = 0; i < *count; i++)
		if (segments[i].segment == segment)
			return &segments[i];
	if (*count == PCI_SCAN_MAX_SEGMENTS)
		return NULL;
	memset(&segments[*count], 0, sizeof(segments[*count]));
	segments[*count].segment = segment;
	return &segments[(*count)++];
}

/* Scans one bus: stores or counts its functions, queues the buses behind
 * its bridges. */
static size_t scan_bus(const struct pci_config_access *access,
		       const struct pci_root *root, uint8_t bus,
		       struct segment_buses *buses, uint8_t *queue,
		       unsigned *tail, struct pci_function *functions,
		       size_t found, size_t capacity)
{
	for (uint8_t slot = 0; slot < SLOTS; slot++) {
		for (uint8_t fn = 0; fn < FUNCTIONS; fn++) {
			struct pci_address a = {root->segment, bus, slot, fn};
			uint16_t vendor = read16(access, a, PCI_VENDOR_ID);

			if (vendor == 0xffff || vendor == 0) {
				if (fn == 0)
					break; /* no device in this slot */
				continue;
			}
			uint8_t header = read8(access, a, PCI_HEADER_TYPE);
			if (found >= capacity ||
			    pci_read_function(access, a, &functions[found]))
				found++;
			if ((header & ~PCI_HEADER_MULTI) == 1) {
				uint8_t next =
				    read8(access, a, PCI_SECONDARY_BUS);

				if (next > bus && next <= root->end_bus &&
				    take_bus(buses, next))
					queue[(*tail)++] = next;
			}
			if (fn == 0 && !(header & PCI_HEADER_MULTI))
				break;
		}
	}
	return found;
}

size_t pci_scan(const struct pci_config_access *access,
		const struct pci_root *roots, size_t root_count,
		struct pci_function *functions, size_t capacity)
{
	struct segment_buses segments[PCI_SCAN_MAX_SEGMENTS];
	unsigned segment_count = 0;
	size_t found = 0;

	for (size_t r = 0; r < root_count; r++) {
		const struct pci_root *root = &roots[r];
		struct segment_buses *buses =
		    segment_of(segments, &segment_count, root->segment);
		uint8_t queue[BUSES]; /* each bus is queued at most once */
		unsigned head = 0, tail = 0;

		if (!buses || root->end_bus < root->start_bus ||
		    !take_bus(buses, root->start_bus))
			continue;
		queue[tail++] = root->start_bus;
		while (head < tail)
			found =
			    scan_bus(access, root, queue[head++], buses, queue,
				     &tail, functions, found, capacity);
	}
	return found;
}

void pci_address_text(struct pci_address address, char *buffer)
{
	format(buffer, PCI_ADDRESS_TEXT, "%04x:%02x:%02x.%u", address.segment,
	       address.bus, address.device & 0x1f, address.function & 7);
}

/* The text being built: lines of at most width, each new one opened with
 * the function's address. */
struct text {
	char *buffer;
	size_t size;
	size_t length; /* of the whole text, even past size */
	size_t line;   /* where the current line starts */
	size_t width;
	const char *address;
};

static void append(struct text *t, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++, t->length++)
		if (t->length + 1 < t->size)
			t->buffer[t->length] = s[i];
	if (t->size)
		t->buffer[t->length < t->size ? t->length : t->size - 1] = 0;
}

static void word(struct text *t, const char *s)
{
	size_t n = strlen(s);

	if (t->length - t->line + 1 + n > t->width) {
		append(t, "\n", 1);
		t->line = t->length;
		append(t, "pci ", 4);
		append(t, t->address, strlen(t->address));
		append(t, " ...", 4);
	}
	append(t, " ", 1);
	append(t, s, n);
}

static void size_text(uint64_t size, char *buffer, size_t length)
{
	static const char *const units[] = {"B",   "KiB", "MiB", "GiB",
					    "TiB", "PiB", "EiB"};
	unsigned unit = 0;

	while (size >= 1024 && !(size & 1023) && unit < 6) {
		size >>= 10;
		unit++;
	}
	format(buffer, length, "%llu %s", (unsigned long long)size,
	       units[unit]);
}

static void bar_word(struct text *t, unsigned index, const struct pci_bar *bar)
{
	static const char *const kinds[] = {"", "io", "mem32", "mem64", ""};
	char size[24], text[80];

	size_text(bar->size, size, sizeof(size));
	format(text, sizeof(text), "bar%u %s%s 0x%llx+%s", index,
	       kinds[bar->type], bar->prefetchable ? " pref" : "",
	       (unsigned long long)bar->address, size);
	word(t, text);
}

size_t pci_describe(const struct pci_function *f, size_t width, char *buffer,
		    size_t size)
{
	char address[PCI_ADDRESS_TEXT], text[80];
	struct text t = {buffer, size, 0, 0, width < 80 ? 80 : width, address};

	pci_address_text(f->address, address);
	format(text, sizeof(text), "pci %s %04x:%04x class %02x%02x%02x",
	       address, f->vendor_id, f->device_id, f->class_code, f->subclass,
	       f->prog_if);
	append(&t, text, strlen(text));
	if (f->header_type == 1) {
		format(text, sizeof(text), "bridge %02x-%02x", f->secondary_bus,
		       f->subordinate_bus);
		word(&t, text);
	} else if (f->header_type == 2) {
		word(&t, "cardbus");
	} else if (f->header_type != 0) {
		format(text, sizeof(text), "header %u", f->header_type);
		word(&t, text);
	}
	for (unsigned i = 0; i < f->bar_count && i < PCI_MAX_BARS; i++) {
		const struct pci_bar *bar = &f->bars[i];

		if (bar->type == PCI_BAR_IO || bar->type == PCI_BAR_MEMORY32 ||
		    bar->type == PCI_BAR_MEMORY64)
			bar_word(&t, i, bar);
	}
	if (f->rom_size) {
		char rom_size[24];

		size_text(f->rom_size, rom_size, sizeof(rom_size));
		if (f->rom_enabled)
			format(text, sizeof(text), "rom 0x%x+%s",
			       f->rom_address, rom_size);
		else
			format(text, sizeof(text), "rom %s", rom_size);
		word(&t, text);
	}
	if (f->msi.offset) {
		char vectors[8] = "";
		bool plain = !f->msi.address_64bit && !f->msi.per_vector_mask &&
			     f->msi.vectors <= 1;

		if (f->msi.vectors > 1)
			format(vectors, sizeof(vectors), "x%u", f->msi.vectors);
		format(text, sizeof(text), "msi[%s%s%s%s%s]",
		       f->msi.address_64bit ? "64" : "",
		       f->msi.address_64bit && f->msi.per_vector_mask ? ","
								      : "",
		       f->msi.per_vector_mask ? "mask" : "",
		       vectors[0] &&
			       (f->msi.address_64bit || f->msi.per_vector_mask)
			   ? ","
			   : "",
		       vectors);
		word(&t, plain ? "msi" : text);
	}
	if (f->msix.offset) {
		format(text, sizeof(text), "msix[%u bar%u+0x%x pba bar%u+0x%x]",
		       f->msix.table_size, f->msix.table_bar,
		       f->msix.table_offset, f->msix.pba_bar,
		       f->msix.pba_offset);
		word(&t, text);
	}
	if (f->express.offset)
		word(&t, f->express.flr ? "pcie[flr]" : "pcie");
	if (f->power.offset)
		word(&t, "pm");
	if (f->capabilities_broken)
		word(&t, "caps-broken");
	if (f->interrupt_pin) {
		if (f->interrupt_line != 0xff)
			format(text, sizeof(text), "pin %c line %u",
			       'A' + f->interrupt_pin - 1, f->interrupt_line);
		else
			format(text, sizeof(text), "pin %c",
			       'A' + f->interrupt_pin - 1);
		word(&t, text);
	}
	return t.length;
}

/* Whether [offset, offset + bytes) lies in memory BAR slot of f. */
static bool in_memory_bar(const struct pci_function *f, unsigned slot,
			  uint64_t offset, uint64_t bytes)
{
	if (slot >= f->bar_count || slot >= PCI_MAX_BARS)
		return false;
	const struct pci_bar *bar = &f->bars[slot];

	if (bar->type != PCI_BAR_MEMORY32 && bar->type != PCI_BAR_MEMORY64)
		return false;
	return bar->size && offset <= bar->size && bytes <= bar->size - offset;
}

bool pci_msix_reachable(const struct pci_function *f)
{
	const struct pci_msix *m = &f->msix;

	return m->offset &&
	       in_memory_bar(f, m->table_bar, m->table_offset,
			     (uint64_t)m->table_size * 16) &&
	       in_memory_bar(f, m->pba_bar, m->pba_offset,
			     ((uint64_t)m->table_size + 63) / 64 * 8);
}
