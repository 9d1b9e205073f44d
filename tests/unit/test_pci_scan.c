/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of PCI enumeration (drivers/pci/pci_scan.c) over a fake
 * configuration space: a host bridge, an edu-like device with MSI, a
 * NIC-like device with I/O and memory BARs, a ROM and a chain of PM, MSI,
 * PCI Express and MSI-X capabilities, 64-bit BARs, a multi-function
 * device, broken capability lists (a loop, a pointer into the header, a
 * capability cut by the end of the space), a PCI-PCI bridge with devices
 * behind it, misprogrammed bridges and a second segment. Absent functions
 * read as all ones. BARs and ROMs decode like hardware: only their size
 * bits are writable. Every write is checked: sizing happens only with
 * decoding off (host bridge aside), and after the scan every function's
 * configuration space is byte for byte what it was.
 */
#include "drivers/pci/pci_scan.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

CHECK_MAIN("test_pci_scan")

#define MAX_FAKES 32
#define ROM_SLOT  6

struct fake_function {
	struct pci_address address;
	uint8_t config[PCI_EXTENDED_SIZE];
	/* Writable bits of BAR0-5 and the ROM; 0 = read-only. */
	uint32_t writable[7];
	bool host_bridge;
};

struct fake_space {
	struct fake_function functions[MAX_FAKES];
	unsigned count;
	unsigned reads, writes;
	unsigned bad_accesses;	 /* misaligned, wrong size, out of range */
	unsigned sized_decoding; /* a BAR probed with decoding on */
	unsigned host_command_writes;
	unsigned absent_writes;
};

static struct fake_space space;

static bool same_address(struct pci_address a, struct pci_address b)
{
	return a.segment == b.segment && a.bus == b.bus &&
	       a.device == b.device && a.function == b.function;
}

static struct fake_function *find(struct pci_address address)
{
	for (unsigned i = 0; i < space.count; i++)
		if (same_address(space.functions[i].address, address))
			return &space.functions[i];
	return NULL;
}

static uint32_t get(const uint8_t *at, unsigned size)
{
	uint32_t value = 0;

	for (unsigned i = size; i-- > 0;)
		value = value << 8 | at[i];
	return value;
}

static void put(uint8_t *at, uint32_t value, unsigned size)
{
	for (unsigned i = 0; i < size; i++)
		at[i] = (uint8_t)(value >> (8 * i));
}

static bool good_access(uint16_t offset, unsigned size)
{
	if ((size != 1 && size != 2 && size != 4) || offset % size ||
	    offset >= PCI_EXTENDED_SIZE) {
		space.bad_accesses++;
		return false;
	}
	return true;
}

static uint32_t fake_read(void *context, struct pci_address address,
			  uint16_t offset, unsigned size)
{
	struct fake_function *f = find(address);

	(void)context;
	space.reads++;
	if (!good_access(offset, size) || !f)
		return size == 4 ? ~0u : (1u << (8 * size)) - 1;
	return get(f->config + offset, size);
}

/* The BAR or ROM slot at offset, or -1. */
static int bar_slot(const struct fake_function *f, uint16_t offset)
{
	uint8_t type = f->config[PCI_HEADER_TYPE] & 0x7f;
	unsigned bars = type == 0 ? 6 : type == 1 ? 2 : 0;
	uint16_t rom = type == 0 ? PCI_ROM_ADDRESS : PCI_BRIDGE_ROM;

	if (offset >= PCI_BAR0 && offset < PCI_BAR0 + 4 * bars)
		return (offset - PCI_BAR0) / 4;
	if (offset == rom && type <= 1)
		return ROM_SLOT;
	return -1;
}

static void fake_write(void *context, struct pci_address address,
		       uint16_t offset, unsigned size, uint32_t value)
{
	struct fake_function *f = find(address);

	(void)context;
	space.writes++;
	if (!good_access(offset, size))
		return;
	if (!f) {
		space.absent_writes++;
		return;
	}
	if (f->host_bridge && offset <= PCI_COMMAND &&
	    offset + size > PCI_COMMAND)
		space.host_command_writes++;
	int slot = bar_slot(f, offset & ~3u);
	if (slot < 0) {
		put(f->config + offset, value, size);
		return;
	}
	if (size != 4) {
		space.bad_accesses++;
		return;
	}
	uint32_t old = get(f->config + offset, 4);
	uint16_t command = (uint16_t)get(f->config + PCI_COMMAND, 2);
	if (value != old && !f->host_bridge &&
	    (command & (PCI_COMMAND_IO | PCI_COMMAND_MEMORY)))
		space.sized_decoding++;
	uint32_t writable = f->writable[slot];
	put(f->config + offset, (old & ~writable) | (value & writable), 4);
}

static const struct pci_config_access fake_access = {fake_read, fake_write,
						     NULL};

/* Adds a function with its identity; the caller fills the rest. */
static struct fake_function *add(uint16_t segment, uint8_t bus, uint8_t dev,
				 uint8_t fn, uint16_t vendor, uint16_t device,
				 uint32_t class_code, uint8_t header)
{
	struct fake_function *f = &space.functions[space.count++];

	memset(f, 0, sizeof(*f));
	f->address = (struct pci_address){segment, bus, dev, fn};
	put(f->config + PCI_VENDOR_ID, vendor, 2);
	put(f->config + PCI_DEVICE_ID, device, 2);
	put(f->config + PCI_CLASS_REVISION, class_code << 8 | 0x02, 4);
	f->config[PCI_HEADER_TYPE] = header;
	f->config[PCI_INTERRUPT_LINE] = 0xff;
	return f;
}

/* A 32-bit memory or I/O BAR of size bytes at address; io_bits is the
 * number of address bits an I/O BAR decodes (16 or 32). */
static void bar32(struct fake_function *f, unsigned slot, uint32_t address,
		  uint32_t size, bool io, bool prefetchable)
{
	uint32_t flags = io ? 1 : prefetchable ? 0x8 : 0;

	put(f->config + PCI_BAR0 + 4 * slot, address | flags, 4);
	f->writable[slot] = ~(size - 1) & (io ? 0x0000fffcu : 0xfffffff0u);
}

static void bar64(struct fake_function *f, unsigned slot, uint64_t address,
		  uint64_t size, bool prefetchable)
{
	uint64_t mask = ~(size - 1);

	put(f->config + PCI_BAR0 + 4 * slot,
	    (uint32_t)address | 0x4 | (prefetchable ? 0x8 : 0), 4);
	put(f->config + PCI_BAR0 + 4 * slot + 4, (uint32_t)(address >> 32), 4);
	f->writable[slot] = (uint32_t)mask & 0xfffffff0u;
	f->writable[slot + 1] = (uint32_t)(mask >> 32);
}

static void rom(struct fake_function *f, uint32_t address, uint32_t size)
{
	uint16_t offset = (f->config[PCI_HEADER_TYPE] & 0x7f) == 1
			      ? PCI_BRIDGE_ROM
			      : PCI_ROM_ADDRESS;

	put(f->config + offset, address, 4);
	f->writable[ROM_SLOT] = (~(size - 1) & 0xfffff800u) | 1;
}

/* Appends a capability at offset to the list (kept in call order). */
static void cap(struct fake_function *f, uint8_t offset, uint8_t id)
{
	uint8_t *link = &f->config[PCI_CAPABILITY_LIST];

	put(f->config + PCI_STATUS, PCI_STATUS_CAPS, 2);
	while (*link)
		link = &f->config[*link + 1];
	*link = offset;
	f->config[offset] = id;
	f->config[offset + 1] = 0;
}

static void command(struct fake_function *f, uint16_t value)
{
	put(f->config + PCI_COMMAND, value, 2);
}

static void bridge(struct fake_function *f, uint8_t primary, uint8_t secondary,
		   uint8_t subordinate)
{
	f->config[PCI_PRIMARY_BUS] = primary;
	f->config[PCI_SECONDARY_BUS] = secondary;
	f->config[PCI_SUBORDINATE_BUS] = subordinate;
}

static void build_space(void)
{
	struct fake_function *f;

	memset(&space, 0, sizeof(space));
	/* 00:00.0 a host bridge with a BAR (sized without touching its
	 * command register). */
	f = add(0, 0, 0, 0, 0x8086, 0x29c0, 0x060000, 0);
	f->host_bridge = true;
	command(f, PCI_COMMAND_IO | PCI_COMMAND_MEMORY);
	bar32(f, 0, 0xe0000000, 0x10000000, false, false);

	/* 00:01.0 edu: 1 MiB BAR0, MSI (64-bit, one vector), pin A. */
	f = add(0, 0, 1, 0, 0x1234, 0x11e8, 0x00ff00, 0);
	command(f, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	bar32(f, 0, 0xfea00000, 1 << 20, false, false);
	cap(f, 0x40, PCI_CAP_MSI);
	put(f->config + 0x42, 0x0080, 2);
	f->config[PCI_INTERRUPT_PIN] = 1;
	f->config[PCI_INTERRUPT_LINE] = 11;

	/* 00:02.0 a NIC: two memory BARs, a 16-bit I/O BAR, a BAR for
	 * MSI-X, a ROM; PM, MSI, PCIe and MSI-X capabilities. */
	f = add(0, 0, 2, 0, 0x8086, 0x10d3, 0x020000, 0);
	command(f, PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	bar32(f, 0, 0xfebc0000, 128 << 10, false, false);
	bar32(f, 1, 0xfeba0000, 128 << 10, false, false);
	bar32(f, 2, 0xc060, 32, true, false);
	bar32(f, 3, 0xfebe0000, 16 << 10, false, false);
	rom(f, 0xfeb80000 | 1, 256 << 10); /* decoding */
	cap(f, 0xc8, PCI_CAP_POWER);
	put(f->config + 0xca, 0x0023, 2);
	put(f->config + 0xcc, 0x0008, 2); /* No_Soft_Reset */
	cap(f, 0xd0, PCI_CAP_MSI);
	put(f->config + 0xd2, 0x0184 | (2 << 1), 2); /* 64, mask, 4 vectors */
	cap(f, 0xe0, PCI_CAP_EXPRESS);
	put(f->config + 0xe2, 0x0002, 2);
	put(f->config + 0xe4, 1u << 28, 4);
	cap(f, 0xa0, PCI_CAP_MSIX);
	put(f->config + 0xa2, 4, 2);	  /* 5 entries */
	put(f->config + 0xa4, 0x0003, 4); /* BAR3 + 0 */
	put(f->config + 0xa8, 0x2003, 4); /* BAR3 + 0x2000 */
	f->config[PCI_INTERRUPT_PIN] = 1;
	f->config[PCI_INTERRUPT_LINE] = 10;

	/* 00:03.0 64-bit BARs: a 16 GiB prefetchable one above 4 GiB in
	 * slots 0-1, a 16 KiB one in 2-3, slot 4 empty, a 32-bit I/O BAR
	 * in 5. */
	f = add(0, 0, 3, 0, 0x1b36, 0x0010, 0x010802, 0);
	command(f, PCI_COMMAND_MEMORY);
	bar64(f, 0, 0x800000000ull, 16ull << 30, true);
	bar64(f, 2, 0x380000004000ull, 16 << 10, false);
	bar32(f, 5, 0x1000, 256, true, false);
	put(f->config + PCI_BAR0 + 5 * 4, 0x1001, 4);
	f->writable[5] = 0xffffff00u; /* 32-bit I/O decoding */

	/* 00:04.0 a capability list with a loop: 0x40 -> 0x50 -> 0x40. */
	f = add(0, 0, 4, 0, 0x1af4, 0x1000, 0x020000, 0);
	cap(f, 0x40, PCI_CAP_POWER);
	cap(f, 0x50, PCI_CAP_MSIX);
	f->config[0x51] = 0x40;
	put(f->config + 0x52, 0x07ff, 2); /* 2048 entries */
	put(f->config + 0x54, 0x00002001, 4);
	put(f->config + 0x58, 0x00003001, 4);

	/* 00:05.x multi-function: 0, 1 and 3 (2 absent). */
	f = add(0, 0, 5, 0, 0x8086, 0x2918, 0x060100, PCI_HEADER_MULTI);
	f = add(0, 0, 5, 1, 0x8086, 0x2922, 0x010601, 0);
	bar32(f, 4, 0xc080, 32, true, false);
	bar32(f, 5, 0xfebf1000, 4096, false, false);
	command(f, PCI_COMMAND_IO | PCI_COMMAND_MEMORY);
	cap(f, 0x80, PCI_CAP_MSI);
	f = add(0, 0, 5, 3, 0x8086, 0x2930, 0x0c0500, 0);
	f->config[PCI_INTERRUPT_PIN] = 2;

	/* 00:06.0 single-function: its alias at function 1 must not be
	 * scanned. */
	add(0, 0, 6, 0, 0x1234, 0x1111, 0x030000, 0);
	add(0, 0, 6, 1, 0x1234, 0x1111, 0x030000, 0);

	/* 00:07.0 a pointer into the header; 00:08.0 an MSI-X capability
	 * cut by the end of the space; 00:09.0 48 capabilities, the most a
	 * list can hold, is not broken. */
	f = add(0, 0, 7, 0, 0x1af4, 0x1001, 0x010000, 0);
	cap(f, 0x60, PCI_CAP_POWER);
	f->config[0x61] = 0x20;
	f = add(0, 0, 8, 0, 0x1af4, 0x1002, 0x010000, 0);
	cap(f, 0xf8, PCI_CAP_MSIX);
	f = add(0, 0, 9, 0, 0x1af4, 0x1003, 0x010000, 0);
	for (unsigned offset = 0x40; offset <= 0xfc; offset += 4)
		cap(f, (uint8_t)offset, 0x09); /* vendor-specific */

	/* 00:0a.0 a BAR in the last slot that says it is 64-bit: it has no
	 * upper half, so it is taken as 32-bit. */
	f = add(0, 0, 0x0a, 0, 0x1af4, 0x1004, 0x010000, 0);
	put(f->config + PCI_BAR0 + 5 * 4, 0xfebf2004, 4);
	f->writable[5] = 0xfffff000u;
	command(f, PCI_COMMAND_MEMORY);

	/* 00:1e.0 a PCI-PCI bridge to buses 1-2, with a BAR and a ROM that
	 * does not decode. */
	f = add(0, 0, 0x1e, 0, 0x8086, 0x244e, 0x060400, 1);
	bridge(f, 0, 1, 2);
	command(f, PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	bar32(f, 0, 0xfe000000, 4096, false, false);
	rom(f, 0xfd000000, 64 << 10);
	cap(f, 0x40, PCI_CAP_EXPRESS);
	put(f->config + 0x42, 0x0042, 2); /* root port */

	/* Bus 1: a device, a bridge to bus 2, a bridge back to bus 0 and a
	 * bridge to itself (both ignored). */
	f = add(0, 1, 0, 0, 0x1af4, 0x1041, 0x020000, 0);
	bar64(f, 4, 0xfe800000, 16 << 10, true);
	command(f, PCI_COMMAND_MEMORY);
	f = add(0, 1, 2, 0, 0x8086, 0x244e, 0x060400, 1);
	bridge(f, 1, 2, 2);
	f = add(0, 1, 3, 0, 0x8086, 0x244e, 0x060400, 1);
	bridge(f, 1, 0, 0);
	f = add(0, 1, 4, 0, 0x8086, 0x244e, 0x060400, 1);
	bridge(f, 1, 1, 1);
	/* Bus 2: one device. */
	add(0, 2, 0, 0, 0x1b36, 0x000d, 0x0c0330, 0);
	/* Bus 3: no bridge leads here. */
	add(0, 3, 0, 0, 0xdead, 0xbeef, 0xff0000, 0);
	/* Segment 1, a host bridge at bus 0x40 and one device. */
	f = add(1, 0x40, 0, 0, 0x8086, 0x29c0, 0x060000, 0);
	f->host_bridge = true;
	add(1, 0x40, 1, 0, 0x1234, 0x11e8, 0x00ff00, 0);
	/* Segment 1 bus 0x80 is outside the root's range. */
	f = add(1, 0x40, 2, 0, 0x8086, 0x244e, 0x060400, 1);
	bridge(f, 0x40, 0x80, 0x80);
	add(1, 0x80, 0, 0, 0xdead, 0xbeef, 0xff0000, 0);
}

static const struct pci_function *found(const struct pci_function *list,
					size_t count, uint16_t segment,
					uint8_t bus, uint8_t dev, uint8_t fn)
{
	struct pci_address a = {segment, bus, dev, fn};

	for (size_t i = 0; i < count; i++)
		if (same_address(list[i].address, a))
			return &list[i];
	return NULL;
}

static struct fake_space before;
static struct pci_function list[64];

static void check_untouched(void)
{
	for (unsigned i = 0; i < space.count; i++) {
		const struct fake_function *f = &space.functions[i];

		if (memcmp(f->config, before.functions[i].config,
			   sizeof(f->config))) {
			char text[PCI_ADDRESS_TEXT];

			pci_address_text(f->address, text);
			fprintf(stderr, "configuration of %s changed\n", text);
			check_failed++;
		} else {
			check_passed++;
		}
	}
	CHECK_EQ(space.bad_accesses, 0);
	CHECK_EQ(space.sized_decoding, 0);
	CHECK_EQ(space.host_command_writes, 0);
	CHECK_EQ(space.absent_writes, 0);
}

static const struct pci_root roots[] = {
    {0, 0, 0xff},
    {0, 0, 0xff}, /* the same again: not scanned twice */
    {1, 0x40, 0x7f},
    {2, 0x10, 0x0f}, /* an empty range */
};

static void test_scan(void)
{
	const struct pci_function *f;
	size_t count;

	build_space();
	before = space;
	count = pci_scan(&fake_access, roots, 4, list, 64);
	check_untouched();
	/* Bus 0: 00.0-04.0, 05.0, 05.1, 05.3, 06.0, 07.0-0a.0, 1e.0 = 14;
	 * bus 1: 4; bus 2: 1; segment 1: 3. */
	CHECK_EQ(count, 22);

	f = found(list, count, 0, 0, 0, 0);
	CHECK(f != NULL);
	if (f) {
		CHECK_EQ(f->class_code, 0x06);
		CHECK_EQ(f->subclass, 0x00);
		CHECK_EQ(f->bars[0].type, PCI_BAR_MEMORY32);
		CHECK_EQ(f->bars[0].size, 0x10000000);
		CHECK_EQ(f->command, PCI_COMMAND_IO | PCI_COMMAND_MEMORY);
	}

	f = found(list, count, 0, 0, 1, 0);
	CHECK(f != NULL);
	if (f) {
		CHECK_EQ(f->vendor_id, 0x1234);
		CHECK_EQ(f->device_id, 0x11e8);
		CHECK_EQ(f->class_code, 0x00);
		CHECK_EQ(f->subclass, 0xff);
		CHECK_EQ(f->prog_if, 0x00);
		CHECK_EQ(f->revision, 0x02);
		CHECK_EQ(f->header_type, 0);
		CHECK(!f->multifunction);
		CHECK_EQ(f->bar_count, 6);
		CHECK_EQ(f->bars[0].type, PCI_BAR_MEMORY32);
		CHECK_EQ(f->bars[0].address, 0xfea00000);
		CHECK_EQ(f->bars[0].size, 1 << 20);
		CHECK(!f->bars[0].prefetchable);
		for (unsigned i = 1; i < 6; i++)
			CHECK_EQ(f->bars[i].type, PCI_BAR_NONE);
		CHECK_EQ(f->rom_size, 0);
		CHECK_EQ(f->msi.offset, 0x40);
		CHECK(f->msi.address_64bit);
		CHECK(!f->msi.per_vector_mask);
		CHECK_EQ(f->msi.vectors, 1);
		CHECK_EQ(f->msix.offset, 0);
		CHECK_EQ(f->express.offset, 0);
		CHECK_EQ(f->power.offset, 0);
		CHECK_EQ(f->capability_count, 1);
		CHECK(!f->capabilities_broken);
		CHECK_EQ(f->interrupt_pin, 1);
		CHECK_EQ(f->interrupt_line, 11);
	}

	f = found(list, count, 0, 0, 2, 0);
	CHECK(f != NULL);
	if (f) {
		CHECK_EQ(f->bars[0].size, 128 << 10);
		CHECK_EQ(f->bars[1].address, 0xfeba0000);
		CHECK_EQ(f->bars[2].type, PCI_BAR_IO);
		CHECK_EQ(f->bars[2].address, 0xc060);
		CHECK_EQ(f->bars[2].size, 32);
		CHECK_EQ(f->bars[3].size, 16 << 10);
		CHECK_EQ(f->bars[4].type, PCI_BAR_NONE);
		CHECK_EQ(f->rom_address, 0xfeb80000);
		CHECK_EQ(f->rom_size, 256 << 10);
		CHECK(f->rom_enabled);
		CHECK_EQ(f->power.offset, 0xc8);
		CHECK_EQ(f->power.capabilities, 0x0023);
		CHECK(f->power.no_soft_reset);
		CHECK_EQ(f->msi.offset, 0xd0);
		CHECK(f->msi.address_64bit);
		CHECK(f->msi.per_vector_mask);
		CHECK_EQ(f->msi.vectors, 4);
		CHECK_EQ(f->express.offset, 0xe0);
		CHECK_EQ(f->express.port_type, 0);
		CHECK(f->express.flr);
		CHECK_EQ(f->msix.offset, 0xa0);
		CHECK_EQ(f->msix.table_size, 5);
		CHECK_EQ(f->msix.table_bar, 3);
		CHECK_EQ(f->msix.table_offset, 0);
		CHECK_EQ(f->msix.pba_bar, 3);
		CHECK_EQ(f->msix.pba_offset, 0x2000);
		CHECK_EQ(f->capability_count, 4);
		CHECK(!f->capabilities_broken);
	}

	f = found(list, count, 0, 0, 3, 0);
	CHECK(f != NULL);
	if (f) {
		CHECK_EQ(f->bars[0].type, PCI_BAR_MEMORY64);
		CHECK(f->bars[0].prefetchable);
		CHECK_EQ(f->bars[0].address, 0x800000000ull);
		CHECK_EQ(f->bars[0].size, 16ull << 30);
		CHECK_EQ(f->bars[1].type, PCI_BAR_MEMORY64_HIGH);
		CHECK_EQ(f->bars[2].type, PCI_BAR_MEMORY64);
		CHECK(!f->bars[2].prefetchable);
		CHECK_EQ(f->bars[2].address, 0x380000004000ull);
		CHECK_EQ(f->bars[2].size, 16 << 10);
		CHECK_EQ(f->bars[3].type, PCI_BAR_MEMORY64_HIGH);
		CHECK_EQ(f->bars[4].type, PCI_BAR_NONE);
		CHECK_EQ(f->bars[5].type, PCI_BAR_IO);
		CHECK_EQ(f->bars[5].address, 0x1000);
		CHECK_EQ(f->bars[5].size, 256);
		CHECK_EQ(f->class_code, 0x01);
		CHECK_EQ(f->subclass, 0x08);
		CHECK_EQ(f->prog_if, 0x02);
	}

	f = found(list, count, 0, 0, 4, 0);
	CHECK(f != NULL);
	if (f) {
		CHECK(f->capabilities_broken);
		CHECK_EQ(f->capability_count, 2);
		CHECK_EQ(f->power.offset, 0x40);
		CHECK_EQ(f->msix.offset, 0x50);
		CHECK_EQ(f->msix.table_size, 2048);
		CHECK_EQ(f->msix.table_bar, 1);
		CHECK_EQ(f->msix.table_offset, 0x2000);
	}

	f = found(list, count, 0, 0, 5, 0);
	CHECK(f != NULL && f->multifunction);
	f = found(list, count, 0, 0, 5, 1);
	CHECK(f != NULL);
	if (f) {
		CHECK(!f->multifunction);
		CHECK_EQ(f->bars[4].type, PCI_BAR_IO);
		CHECK_EQ(f->bars[4].size, 32);
		CHECK_EQ(f->bars[5].size, 4096);
		CHECK_EQ(f->msi.offset, 0x80);
		CHECK(!f->msi.address_64bit);
	}
	CHECK(found(list, count, 0, 0, 5, 2) == NULL);
	f = found(list, count, 0, 0, 5, 3);
	CHECK(f != NULL && f->interrupt_pin == 2);
	CHECK(found(list, count, 0, 0, 6, 0) != NULL);
	CHECK(found(list, count, 0, 0, 6, 1) == NULL);

	f = found(list, count, 0, 0, 7, 0);
	CHECK(f != NULL && f->capabilities_broken && f->power.offset == 0x60);
	f = found(list, count, 0, 0, 8, 0);
	CHECK(f != NULL && f->capabilities_broken && f->msix.offset == 0);
	f = found(list, count, 0, 0, 9, 0);
	CHECK(f != NULL && !f->capabilities_broken);
	if (f)
		CHECK_EQ(f->capability_count, PCI_MAX_CAPABILITIES);

	f = found(list, count, 0, 0, 0x0a, 0);
	CHECK(f != NULL);
	if (f) {
		CHECK_EQ(f->bars[5].type, PCI_BAR_MEMORY32);
		CHECK_EQ(f->bars[5].address, 0xfebf2000);
		CHECK_EQ(f->bars[5].size, 4096);
	}

	f = found(list, count, 0, 0, 0x1e, 0);
	CHECK(f != NULL);
	if (f) {
		CHECK_EQ(f->header_type, 1);
		CHECK_EQ(f->bar_count, 2);
		CHECK_EQ(f->secondary_bus, 1);
		CHECK_EQ(f->subordinate_bus, 2);
		CHECK_EQ(f->bars[0].size, 4096);
		CHECK_EQ(f->rom_address, 0xfd000000);
		CHECK_EQ(f->rom_size, 64 << 10);
		CHECK(!f->rom_enabled);
		CHECK_EQ(f->express.port_type, 4);
		CHECK(!f->express.flr);
	}
	f = found(list, count, 0, 1, 0, 0);
	CHECK(f != NULL);
	if (f) {
		CHECK_EQ(f->bars[4].type, PCI_BAR_MEMORY64);
		CHECK(f->bars[4].prefetchable);
		CHECK_EQ(f->bars[4].address, 0xfe800000);
		CHECK_EQ(f->bars[4].size, 16 << 10);
		CHECK_EQ(f->bars[5].type, PCI_BAR_MEMORY64_HIGH);
	}
	CHECK(found(list, count, 0, 1, 2, 0) != NULL);
	CHECK(found(list, count, 0, 1, 3, 0) != NULL);
	CHECK(found(list, count, 0, 2, 0, 0) != NULL);
	CHECK(found(list, count, 0, 3, 0, 0) == NULL);
	CHECK(found(list, count, 1, 0x40, 0, 0) != NULL);
	CHECK(found(list, count, 1, 0x40, 1, 0) != NULL);
	CHECK(found(list, count, 1, 0x80, 0, 0) == NULL);

	/* Each function is listed once, bus 0 first, and bus 2 after 1. */
	for (size_t i = 0; i < count; i++)
		for (size_t j = i + 1; j < count; j++)
			CHECK(!same_address(list[i].address, list[j].address));
	CHECK(list[0].address.bus == 0 && list[0].address.device == 0);
	CHECK(found(list, count, 0, 2, 0, 0) > found(list, count, 0, 1, 4, 0));
}

static void test_capacity(void)
{
	struct pci_function few[4];
	size_t count;

	build_space();
	before = space;
	memset(few, 0xee, sizeof(few));
	count = pci_scan(&fake_access, roots, 4, few, 3);
	CHECK_EQ(count, 22);
	CHECK_EQ(few[2].address.device, 2);
	CHECK_EQ(few[3].vendor_id, 0xeeee); /* nothing past capacity */
	check_untouched();
	/* Nothing stored, everything counted, the bridges followed. */
	CHECK_EQ(pci_scan(&fake_access, roots, 4, NULL, 0), 22);
	CHECK_EQ(pci_scan(&fake_access, roots, 0, list, 64), 0);
	check_untouched();
}

static void test_read_function(void)
{
	struct pci_function f;

	build_space();
	before = space;
	CHECK(!pci_read_function(&fake_access,
				 (struct pci_address){0, 0, 0x1f, 0}, &f));
	CHECK(!pci_read_function(&fake_access, (struct pci_address){0, 0, 5, 2},
				 &f));
	/* A vendor ID of 0 is no function either. */
	put(space.functions[1].config, 0, 2);
	before = space;
	CHECK(!pci_read_function(&fake_access, (struct pci_address){0, 0, 1, 0},
				 &f));
	check_untouched();
}

static void test_describe(void)
{
	char text[512];
	size_t count, length;
	const struct pci_function *f;

	build_space();
	count = pci_scan(&fake_access, roots, 4, list, 64);

	f = found(list, count, 0, 0, 1, 0);
	length = pci_describe(f, 120, text, sizeof(text));
	CHECK_EQ(length, strlen(text));
	CHECK(!strcmp(text, "pci 0000:00:01.0 1234:11e8 class 00ff00 bar0 "
			    "mem32 0xfea00000+1 MiB msi[64] pin A line 11"));

	/* The NIC wraps at 120 columns, each line labelled. */
	f = found(list, count, 0, 0, 2, 0);
	length = pci_describe(f, 120, text, sizeof(text));
	CHECK_EQ(length, strlen(text));
	CHECK(!strcmp(text,
		      "pci 0000:00:02.0 8086:10d3 class 020000 bar0 mem32 "
		      "0xfebc0000+128 KiB bar1 mem32 0xfeba0000+128 KiB bar2 "
		      "io 0xc060+32 B\n"
		      "pci 0000:00:02.0 ... bar3 mem32 0xfebe0000+16 KiB rom "
		      "0xfeb80000+256 KiB msi[64,mask,x4]\n"
		      "pci 0000:00:02.0 ... msix[5 bar3+0x0 pba bar3+0x2000] "
		      "pcie[flr] pm pin A line 10"));
	for (const char *line = text; line;) {
		const char *end = strchr(line, '\n');
		size_t n = end ? (size_t)(end - line) : strlen(line);

		CHECK(n <= 120);
		CHECK(!strncmp(line, "pci 0000:00:02.0 ", 17));
		line = end ? end + 1 : NULL;
	}
	if (getenv("PCI_SCAN_SHOW"))
		for (size_t i = 0; i < count; i++) {
			pci_describe(&list[i], 120, text, sizeof(text));
			printf("%s\n", text);
		}

	f = found(list, count, 0, 0, 3, 0);
	pci_describe(f, 200, text, sizeof(text));
	CHECK_STR_CONTAINS(text, "bar0 mem64 pref 0x800000000+16 GiB bar2 "
				 "mem64 0x380000004000+16 KiB bar5 io "
				 "0x1000+256 B");
	f = found(list, count, 0, 0, 0x1e, 0);
	pci_describe(f, 200, text, sizeof(text));
	CHECK(!strcmp(text, "pci 0000:00:1e.0 8086:244e class 060400 bridge "
			    "01-02 bar0 mem32 0xfe000000+4 KiB rom 64 KiB "
			    "pcie"));
	f = found(list, count, 0, 0, 4, 0);
	pci_describe(f, 200, text, sizeof(text));
	CHECK_STR_CONTAINS(text, "msix[2048 bar1+0x2000 pba bar1+0x3000] pm "
				 "caps-broken");
	f = found(list, count, 0, 0, 5, 3);
	pci_describe(f, 200, text, sizeof(text));
	CHECK(!strcmp(text, "pci 0000:00:05.3 8086:2930 class 0c0500 pin B"));
	f = found(list, count, 0, 0, 5, 1);
	pci_describe(f, 200, text, sizeof(text));
	CHECK_STR_CONTAINS(text, " msi");
	CHECK(!strstr(text, "msi["));
	f = found(list, count, 1, 0x40, 1, 0);
	pci_describe(f, 200, text, sizeof(text));
	CHECK(!strcmp(text, "pci 0001:40:01.0 1234:11e8 class 00ff00"));

	/* A short buffer: cut and terminated, the full length returned. */
	f = found(list, count, 0, 0, 1, 0);
	memset(text, 'z', sizeof(text));
	length = pci_describe(f, 120, text, 10);
	CHECK_EQ(length, 89);
	CHECK(!strcmp(text, "pci 0000:"));
	CHECK_EQ(text[10], 'z');
	CHECK_EQ(pci_describe(f, 120, NULL, 0), 89);
}

/* MSI-X is usable only with its table and PBA inside memory BARs. */
static void test_msix_reachable(void)
{
	struct pci_function f;

	memset(&f, 0, sizeof(f));
	f.bar_count = 6;
	f.bars[0] = (struct pci_bar){ 0xfe000000, 0x20000, PCI_BAR_MEMORY32,
				      false };
	f.bars[2] = (struct pci_bar){ 0xc000, 0x20, PCI_BAR_IO, false };
	f.bars[3] = (struct pci_bar){ 0xfe100000, 0x4000, PCI_BAR_MEMORY64,
				      false };
	f.bars[4] = (struct pci_bar){ 0, 0, PCI_BAR_MEMORY64_HIGH, false };
	f.msix = (struct pci_msix){ 0xa0, 5, 3, 3, 0, 0x2000 };
	CHECK(pci_msix_reachable(&f));
	f.msix.offset = 0;
	CHECK(!pci_msix_reachable(&f)); /* none */
	f.msix.offset = 0xa0;
	f.msix.table_bar = 2;
	CHECK(!pci_msix_reachable(&f)); /* an I/O BAR */
	f.msix.table_bar = 4;
	CHECK(!pci_msix_reachable(&f)); /* the upper half of a BAR */
	f.msix.table_bar = 1;
	CHECK(!pci_msix_reachable(&f)); /* an empty slot */
	f.msix.table_bar = 7;
	CHECK(!pci_msix_reachable(&f)); /* a reserved BIR */
	f.msix.table_bar = 3;
	f.msix.pba_bar = 6;
	CHECK(!pci_msix_reachable(&f));
	f.msix.pba_bar = 0;
	CHECK(pci_msix_reachable(&f)); /* table and PBA in two BARs */
	f.msix.table_offset = 0x3fc0; /* 80 bytes from 16 KiB - 64 */
	CHECK(!pci_msix_reachable(&f));
	f.msix.table_offset = 0x3fb0;
	CHECK(pci_msix_reachable(&f));
	f.msix.pba_offset = 0x20000;
	CHECK(!pci_msix_reachable(&f)); /* the PBA past its BAR */
	f.msix.pba_offset = 0x1fff8;
	CHECK(pci_msix_reachable(&f));
	f.msix.table_size = 2048; /* 32 KiB of table in a 16 KiB BAR */
	f.msix.table_offset = 0;
	CHECK(!pci_msix_reachable(&f));
}

static void run_tests(void)
{
	test_scan();
	test_capacity();
	test_read_function();
	test_describe();
	test_msix_reachable();
}
