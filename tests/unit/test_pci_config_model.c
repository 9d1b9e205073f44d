/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of a partition's PCI configuration view
 * (core/platform/pci_config_model.c, pci_function_model.c): only owned
 * functions and the host bridge are visible; BARs size but never move;
 * the ROM is hidden; the capability list shows PCI Express and an
 * emulated MSI only, with its pointers rewritten; only allowed bits reach
 * the hardware; widths and offsets within the data window behave as on
 * hardware.
 */
#include <string.h>

#include "check.h"
#include "core/platform/pci_config_model.h"

CHECK_MAIN("test_pci_config_model")

/* Two functions of hardware: 00:10.0 (owned) and 00:11.0 (not). */
static uint32_t space[2][64];
static unsigned writes;

static unsigned slot_of(const struct pci_view_function *f)
{
	return f->device == 0x10 ? 0 : 1;
}

static uint32_t hw_read(void *context, const struct pci_view_function *f,
			unsigned offset)
{
	(void)context;
	CHECK_EQ(offset % 4, 0);
	CHECK(offset < 256);
	return space[slot_of(f)][offset / 4];
}

static void hw_write(void *context, const struct pci_view_function *f,
		     unsigned offset, uint32_t value)
{
	(void)context;
	writes++;
	space[slot_of(f)][offset / 4] = value;
}

static const struct pci_config_hardware hardware = { hw_read, hw_write, NULL };

static struct pci_config_view view;

static uint32_t address(unsigned device, unsigned offset)
{
	return 0x80000000u | device << 11 | offset;
}

/* BAR0: 4 KiB of memory at 0xfea00000; BAR1+2: 16 KiB of 64-bit
 * prefetchable memory at 0x8_0000_0000; BAR4: 32 I/O ports at 0xc000.
 * Capabilities: PM 0x40 -> MSI 0x50 (64-bit, maskable) -> vendor 0x70 ->
 * PCI Express v2 0x80 -> MSI-X 0xc0 (5 entries). */
static void reset(unsigned vectors)
{
	memset(space, 0, sizeof(space));
	space[0][0] = 0x10d38086;
	space[0][1] = 0x00100000; /* status: capability list */
	space[0][2] = 0x02000000; /* an Ethernet controller */
	space[0][4] = 0xfea00000;
	space[0][5] = 0x0000000c;
	space[0][6] = 0x00000008;
	space[0][8] = 0x0000c001;
	space[0][12] = 0xfeb00000; /* ROM */
	space[0][13] = 0x40;
	space[0][15] = 0x010b; /* pin A, line 11 */
	space[0][0x40 / 4] = 0x00035001;
	space[0][0x50 / 4] = 0x01807005; /* 64-bit, per-vector mask */
	space[0][0x70 / 4] = 0x00008009;
	space[0][0x80 / 4] = 0x0002c010;
	space[0][0x88 / 4] = 0x00002810; /* device control */
	space[0][0xc0 / 4] = 0x00040011; /* 5 entries */
	space[0][0xc4 / 4] = 0x00002001; /* the table: BAR1 + 0x2000 */
	space[0][0xc8 / 4] = 0x00003001; /* the PBA: BAR1 + 0x3000 */
	space[1][0] = 0x10d38086;
	const struct pci_view_bar bars[PCI_VIEW_BARS] = {
		{ PCI_VIEW_BAR_MEMORY32, 0, 0xfea00000, 0x1000 },
		{ PCI_VIEW_BAR_MEMORY64, 0xc, 0x800000000ull, 0x4000 },
		{ PCI_VIEW_BAR_UPPER, 0, 0, 0 },
		{ PCI_VIEW_BAR_NONE, 0, 0, 0 },
		{ PCI_VIEW_BAR_IO, 0, 0xc000, 0x20 },
		{ PCI_VIEW_BAR_NONE, 0, 0, 0 },
	};
	memset(&view, 0, sizeof(view));
	view.count = 1;
	pci_view_function_init(&view.functions[0], 0, 0x10, 0, bars, space[0],
			       vectors > 0, vectors);
	writes = 0;
}

static void select_register(unsigned device, unsigned offset)
{
	unsigned where;
	struct pci_view_function *changed;

	CHECK_EQ(pci_view_write(&view, &hardware, 0xcf8, 4,
				address(device, offset), &where, &changed),
		 PCI_VIEW_WRITTEN);
}

static uint32_t read_at(unsigned device, unsigned offset, unsigned size)
{
	select_register(device, offset & 0xfc);
	return pci_view_read(&view, &hardware,
			     (uint16_t)(0xcfc + (offset & 3)), size);
}

static enum pci_view_write write_at(unsigned device, unsigned offset,
				    unsigned size, uint32_t value)
{
	unsigned where = 0;
	struct pci_view_function *changed;

	select_register(device, offset & 0xfc);
	enum pci_view_write result =
		pci_view_write(&view, &hardware,
			       (uint16_t)(0xcfc + (offset & 3)), size, value,
			       &where, &changed);
	CHECK_EQ(where, offset);
	return result;
}

static void test_reads(void)
{
	reset(4);
	CHECK_EQ(read_at(0x10, 0, 4), 0x10d38086);
	CHECK_EQ(pci_view_read(&view, &hardware, 0xcf8, 4), address(0x10, 0));
	CHECK_EQ(read_at(0x10, 0, 2), 0x8086);
	CHECK_EQ(read_at(0x10, 2, 2), 0x10d3);
	CHECK_EQ(read_at(0x10, 1, 1), 0x80);
	/* A read across the window's end reads all ones. */
	CHECK_EQ(pci_view_read(&view, &hardware, 0xcfd, 4), 0xffffffff);
	CHECK_EQ(read_at(0x10, 0x10, 4), 0xfea00000);
	CHECK_EQ(read_at(0x10, 0x14, 4), 0x0000000c);
	CHECK_EQ(read_at(0x10, 0x18, 4), 0x00000008);
	CHECK_EQ(read_at(0x10, 0x1c, 4), 0);
	CHECK_EQ(read_at(0x10, 0x20, 4), 0xc001);
	/* Hidden: the ROM. The line is the partition's (0 at first); the
	 * pin the hardware's. */
	CHECK_EQ(read_at(0x10, 0x30, 4), 0);
	CHECK_EQ(read_at(0x10, 0x3c, 4), 0x0100);
	/* The status bit stays: there are capabilities to show. */
	CHECK_EQ(read_at(0x10, 0x04, 4), 0x00100000);
	/* Offset bits 0-1 of the address are ignored. */
	select_register(0x10, 0x11);
	CHECK_EQ(pci_view_read(&view, &hardware, 0xcfc, 4), 0xfea00000);
	/* Not owned, another bus, disabled: all ones. */
	CHECK_EQ(read_at(0x11, 0, 4), 0xffffffff);
	CHECK_EQ(read_at(0x11, 0, 1), 0xff);
	view.address = 0x80010000u | 0x10 << 11;
	CHECK_EQ(pci_view_read(&view, &hardware, 0xcfc, 4), 0xffffffff);
	view.address = 0x10 << 11;
	CHECK_EQ(pci_view_read(&view, &hardware, 0xcfc, 4), 0xffffffff);
	/* 0xCF8 only as a dword. */
	CHECK_EQ(pci_view_read(&view, &hardware, 0xcf8, 1), 0xff);
	/* Extended space (by address: an ECAM window's way): 0. */
	CHECK_EQ(pci_view_config_read(&view, &hardware, 0, 0x10, 0, 0x100, 4),
		 0);
}

static void test_host_bridge(void)
{
	struct pci_view_function *changed;

	reset(4);
	CHECK_EQ(read_at(0, 0, 4), PCI_VIEW_HOST_BRIDGE_ID);
	CHECK_EQ(read_at(0, 0x08, 4) >> 8, 0x060000);
	CHECK_EQ(read_at(0, 0x0b, 1), 0x06);
	CHECK_EQ(read_at(0, 0x10, 4), 0);
	CHECK_EQ(write_at(0, 0x04, 2, 7), PCI_VIEW_WRITTEN);
	CHECK_EQ(read_at(0, 0x04, 4), 0);
	/* Function 1 of the bridge's slot is nobody's. */
	CHECK_EQ(pci_view_config_read(&view, &hardware, 0, 0, 1, 0, 4),
		 0xffffffff);
	/* A partition that owns nothing sees no host bridge either. */
	view.count = 0;
	CHECK_EQ(read_at(0, 0, 4), 0xffffffff);
	CHECK_EQ(pci_view_config_write(&view, &hardware, 0, 0, 0, 4, 2, 7,
				       &changed),
		 PCI_VIEW_FOREIGN);
}

static void test_bar_sizing(void)
{
	reset(4);
	/* Sizing: all ones reads the mask with the type bits; writing back
	 * the address ends it; nothing reaches the hardware. */
	CHECK_EQ(write_at(0x10, 0x10, 4, 0xffffffff), PCI_VIEW_WRITTEN);
	CHECK_EQ(read_at(0x10, 0x10, 4), 0xfffff000);
	CHECK_EQ(write_at(0x10, 0x10, 4, 0xfea00000), PCI_VIEW_WRITTEN);
	CHECK_EQ(read_at(0x10, 0x10, 4), 0xfea00000);
	/* 64-bit: both halves. */
	CHECK_EQ(write_at(0x10, 0x14, 4, 0xffffffff), PCI_VIEW_WRITTEN);
	CHECK_EQ(write_at(0x10, 0x18, 4, 0xffffffff), PCI_VIEW_WRITTEN);
	CHECK_EQ(read_at(0x10, 0x14, 4), 0xffffc00c);
	CHECK_EQ(read_at(0x10, 0x18, 4), 0xffffffff);
	CHECK_EQ(write_at(0x10, 0x14, 4, 0x0000000c), PCI_VIEW_WRITTEN);
	CHECK_EQ(write_at(0x10, 0x18, 4, 0x00000008), PCI_VIEW_WRITTEN);
	CHECK_EQ(read_at(0x10, 0x14, 4), 0x0000000c);
	CHECK_EQ(read_at(0x10, 0x18, 4), 0x00000008);
	/* I/O. */
	CHECK_EQ(write_at(0x10, 0x20, 4, 0xffffffff), PCI_VIEW_WRITTEN);
	CHECK_EQ(read_at(0x10, 0x20, 4), 0xffffffe1);
	CHECK_EQ(write_at(0x10, 0x20, 4, 0xc000), PCI_VIEW_WRITTEN);
	CHECK_EQ(read_at(0x10, 0x20, 4), 0xc001);
	/* An empty slot and the ROM size as nothing. */
	CHECK_EQ(write_at(0x10, 0x1c, 4, 0xffffffff), PCI_VIEW_WRITTEN);
	CHECK_EQ(read_at(0x10, 0x1c, 4), 0);
	CHECK_EQ(write_at(0x10, 0x30, 4, 0xfffff800), PCI_VIEW_WRITTEN);
	CHECK_EQ(read_at(0x10, 0x30, 4), 0);
	/* Moving a BAR is dropped: it still reads its address. */
	CHECK_EQ(write_at(0x10, 0x10, 4, 0xfe000000), PCI_VIEW_DROPPED);
	CHECK_EQ(read_at(0x10, 0x10, 4), 0xfea00000);
	CHECK_EQ(write_at(0x10, 0x18, 4, 0), PCI_VIEW_DROPPED);
	CHECK_EQ(read_at(0x10, 0x18, 4), 8);
	CHECK_EQ(write_at(0x10, 0x12, 2, 0x1234), PCI_VIEW_DROPPED);
	CHECK_EQ(writes, 0);
	CHECK_EQ(space[0][4], 0xfea00000);
	/* A reset ends sizing. */
	CHECK_EQ(write_at(0x10, 0x10, 4, 0xffffffff), PCI_VIEW_WRITTEN);
	pci_view_reset(&view);
	CHECK_EQ(read_at(0x10, 0x10, 4), 0xfea00000);
}

static void test_capabilities(void)
{
	reset(4);
	/* PM and vendor-specific are hidden: MSI first, then PCI Express,
	 * then MSI-X, which ends the list. */
	CHECK_EQ(read_at(0x10, 0x34, 4), 0x50);
	CHECK_EQ(read_at(0x10, 0x50, 4) & 0xffff, 0x8005);
	CHECK_EQ(read_at(0x10, 0x80, 4), 0x0002c010);
	CHECK_EQ(read_at(0x10, 0x40, 4), 0);
	CHECK_EQ(read_at(0x10, 0x70, 4), 0);
	/* MSI-X shows 4 of the device's 5 entries (the vectors the
	 * hypervisor has for it), off; table and PBA where they are. */
	CHECK_EQ(read_at(0x10, 0xc0, 4), 0x00030011);
	CHECK_EQ(read_at(0x10, 0xc4, 4), 0x2001);
	CHECK_EQ(read_at(0x10, 0xc8, 4), 0x3001);
	CHECK_EQ(read_at(0x10, 0xcc, 4), 0); /* past it */
	/* MSI offered as one vector, 64-bit, no per-vector mask. */
	CHECK_EQ(read_at(0x10, 0x52, 2), 0x0080);
	CHECK_EQ(read_at(0x10, 0x60, 4), 0); /* the mask bits */
	/* Without MSI: PCI Express alone. */
	reset(0);
	CHECK_EQ(read_at(0x10, 0x34, 4), 0x80);
	CHECK_EQ(read_at(0x10, 0x50, 4), 0);
	/* With nothing to show, the status bit goes too. */
	space[0][0x80 / 4] = 0x0002c0ff;
	space[0][0x50 / 4] = 0x01808005;
	space[0][0x40 / 4] = 0x00035001;
	const struct pci_view_bar none[PCI_VIEW_BARS] = { { 0, 0, 0, 0 } };
	space[0][0x40 / 4] = 0x00037001; /* PM -> vendor, no MSI/Express */
	space[0][0x70 / 4] = 0x00000009;
	pci_view_function_init(&view.functions[0], 0, 0x10, 0, none, space[0],
			       true, 4);
	CHECK_EQ(read_at(0x10, 0x34, 4), 0);
	CHECK_EQ(read_at(0x10, 0x04, 4), 0);
	/* A list that loops is cut where it comes back. */
	space[0][0x40 / 4] = 0x00005010; /* Express v0 -> 0x50 */
	space[0][0x50 / 4] = 0x00804005; /* MSI -> 0x40 again */
	pci_view_function_init(&view.functions[0], 0, 0x10, 0, none, space[0],
			       true, 4);
	CHECK_EQ(view.functions[0].capability_count, 2);
	CHECK_EQ(read_at(0x10, 0x34, 4), 0x40);
	CHECK_EQ(read_at(0x10, 0x40, 4) & 0xffff, 0x5010);
	CHECK_EQ(read_at(0x10, 0x50, 4) & 0xffff, 0x0005);
	/* A pointer into the header ends the walk at once. */
	space[0][13] = 0x20;
	pci_view_function_init(&view.functions[0], 0, 0x10, 0, none, space[0],
			       true, 4);
	CHECK_EQ(view.functions[0].capability_count, 0);
}

static void test_msi(void)
{
	reset(4);
	/* The message goes to the shadow, never to the hardware. */
	CHECK_EQ(write_at(0x10, 0x54, 4, 0xfee01000), PCI_VIEW_MSI_CHANGED);
	CHECK_EQ(write_at(0x10, 0x58, 4, 0), PCI_VIEW_WRITTEN);
	CHECK_EQ(write_at(0x10, 0x5c, 2, 0x4041), PCI_VIEW_MSI_CHANGED);
	CHECK_EQ(write_at(0x10, 0x52, 2, 0x0001), PCI_VIEW_MSI_CHANGED);
	CHECK_EQ(writes, 0);
	const struct pci_view_msi *msi = &view.functions[0].msi;

	CHECK(msi->enabled);
	CHECK_EQ(msi->address, 0xfee01000);
	CHECK_EQ(msi->data, 0x4041);
	CHECK_EQ(read_at(0x10, 0x54, 4), 0xfee01000);
	CHECK_EQ(read_at(0x10, 0x5c, 4), 0x4041);
	CHECK_EQ(read_at(0x10, 0x52, 2), 0x0081);
	/* Multiple message enable cannot be set (one vector offered). */
	CHECK_EQ(write_at(0x10, 0x52, 2, 0x0051), PCI_VIEW_WRITTEN);
	CHECK_EQ(read_at(0x10, 0x52, 2), 0x0081);
	/* The same message again changes nothing. */
	CHECK_EQ(write_at(0x10, 0x54, 4, 0xfee01000), PCI_VIEW_WRITTEN);
	/* The mask bits are not offered. */
	CHECK_EQ(write_at(0x10, 0x60, 4, 1), PCI_VIEW_DROPPED);
	CHECK_EQ(space[0][0x50 / 4], 0x01807005);
	/* A reset turns it off. */
	pci_view_reset(&view);
	CHECK(!msi->enabled);
	CHECK_EQ(read_at(0x10, 0x54, 4), 0);
}

static void test_writes(void)
{
	reset(4);
	space[0][1] = 0x02900000 | 0x0100 | 0x0003; /* W1C bits; SERR; decode */
	/* Decoding reads the partition's shadow: off at first. */
	CHECK_EQ(read_at(0x10, 0x04, 2), 0x0100);
	CHECK_EQ(write_at(0x10, 0x04, 2, 0xffff), PCI_VIEW_WRITTEN);
	/* Master and INTx-disable set in the hardware; SERR and decoding
	 * kept; the status half written as 0, which clears nothing. The
	 * partition reads IO and memory on. */
	CHECK_EQ(space[0][1], 0x0100 | 0x0407);
	CHECK_EQ(read_at(0x10, 0x04, 2), 0x0507);
	CHECK_EQ(write_at(0x10, 0x04, 4, 0xffff0000), PCI_VIEW_WRITTEN);
	CHECK_EQ(space[0][1], 0x0100 | 0x0003);
	CHECK_EQ(read_at(0x10, 0x04, 2), 0x0100);
	CHECK_EQ(write_at(0x10, 0x05, 1, 0x04), PCI_VIEW_WRITTEN);
	CHECK_EQ(space[0][1], 0x0500 | 0x0003);
	/* Decoding on and off never reaches the hardware. */
	CHECK_EQ(write_at(0x10, 0x04, 1, 0x02), PCI_VIEW_WRITTEN);
	CHECK_EQ(read_at(0x10, 0x04, 1), 0x02);
	CHECK_EQ(write_at(0x10, 0x04, 1, 0x00), PCI_VIEW_WRITTEN);
	CHECK_EQ(read_at(0x10, 0x04, 1), 0x00);
	CHECK_EQ(space[0][1] & 0x0003, 0x0003);
	pci_view_reset(&view);
	CHECK_EQ(read_at(0x10, 0x04, 1), 0x00);
	space[0][1] = 0x0500;
	/* Cache line size and latency timer reach the hardware; BIST
	 * does not. */
	space[0][3] = 0x00800000; /* multi-function header type */
	CHECK_EQ(write_at(0x10, 0x0c, 1, 0x10), PCI_VIEW_WRITTEN);
	CHECK_EQ(write_at(0x10, 0x0d, 1, 0x40), PCI_VIEW_WRITTEN);
	CHECK_EQ(space[0][3] & 0xffff, 0x4010);
	CHECK_EQ(write_at(0x10, 0x0f, 1, 0x40), PCI_VIEW_DROPPED);
	CHECK_EQ(space[0][3] >> 24, 0);
	/* The interrupt line is the partition's own. */
	CHECK_EQ(write_at(0x10, 0x3c, 1, 0x0a), PCI_VIEW_WRITTEN);
	CHECK_EQ(read_at(0x10, 0x3c, 4), 0x010a);
	CHECK_EQ(space[0][15], 0x010b);
	/* Identity, class, the capability pointer: dropped. */
	unsigned before = writes;

	CHECK_EQ(write_at(0x10, 0x00, 4, 0), PCI_VIEW_DROPPED);
	CHECK_EQ(write_at(0x10, 0x08, 4, 0), PCI_VIEW_DROPPED);
	CHECK_EQ(write_at(0x10, 0x34, 1, 0x40), PCI_VIEW_DROPPED);
	/* A hidden capability: dropped, untouched. */
	CHECK_EQ(write_at(0x10, 0x72, 2, 0x8000), PCI_VIEW_DROPPED);
	CHECK_EQ(space[0][0x70 / 4], 0x00008009);
	CHECK_EQ(writes, before);
	/* PCI Express device control: the allowed bits; a function level
	 * reset or a payload size change is dropped. */
	CHECK_EQ(write_at(0x10, 0x88, 2, 0x281f), PCI_VIEW_WRITTEN);
	CHECK_EQ(space[0][0x88 / 4], 0x281f);
	CHECK_EQ(write_at(0x10, 0x88, 2, 0xa81f), PCI_VIEW_DROPPED);
	CHECK_EQ(space[0][0x88 / 4], 0x281f);
	CHECK_EQ(write_at(0x10, 0x88, 2, 0x283f), PCI_VIEW_DROPPED);
	CHECK_EQ(space[0][0x88 / 4], 0x281f);
	CHECK_EQ(write_at(0x10, 0x90, 2, 0x0003), PCI_VIEW_DROPPED);
	/* Extended space: dropped. */
	struct pci_view_function *changed;

	CHECK_EQ(pci_view_config_write(&view, &hardware, 0, 0x10, 0, 0x100, 4,
				       1, &changed),
		 PCI_VIEW_DROPPED);
	CHECK(changed == &view.functions[0]);
	/* Another function: foreign, untouched. */
	before = writes;
	CHECK_EQ(write_at(0x11, 0x04, 2, 0x7), PCI_VIEW_FOREIGN);
	CHECK_EQ(space[1][1], 0);
	CHECK_EQ(writes, before);
	/* A byte write to 0xCF8 does not change the address; data with
	 * the address disabled is ignored. */
	unsigned where;

	CHECK_EQ(pci_view_write(&view, &hardware, 0xcf8, 1, 0, &where,
				&changed),
		 PCI_VIEW_IGNORED);
	CHECK_EQ(view.address, address(0x11, 0x04));
	view.address = 0x10 << 11 | 4;
	CHECK_EQ(pci_view_write(&view, &hardware, 0xcfc, 2, 7, &where,
				&changed),
		 PCI_VIEW_IGNORED);
}

/* The MSI-X capability and table: shadows only; the hardware never sees
 * the partition's messages. */
static void test_msix(void)
{
	struct pci_view_msix *m = &view.functions[0].msix;
	unsigned entry = 99;

	reset(4);
	unsigned before = writes;

	CHECK_EQ(m->size, 4);
	CHECK_EQ(m->hardware_size, 5);
	CHECK_EQ(m->table_bar, 1);
	CHECK_EQ(m->table_offset, 0x2000);
	CHECK_EQ(m->pba_offset, 0x3000);
	/* Enable and function mask are the partition's; the table size and
	 * the offsets are read-only. */
	CHECK_EQ(write_at(0x10, 0xc2, 2, 0xc000), PCI_VIEW_MSI_CHANGED);
	CHECK_EQ(read_at(0x10, 0xc2, 2), 0xc003);
	CHECK_EQ(write_at(0x10, 0xc2, 2, 0xc7ff), PCI_VIEW_WRITTEN);
	CHECK_EQ(read_at(0x10, 0xc2, 2), 0xc003);
	CHECK_EQ(write_at(0x10, 0xc4, 4, 0x5), PCI_VIEW_DROPPED);
	CHECK_EQ(read_at(0x10, 0xc4, 4), 0x2001);
	CHECK_EQ(write_at(0x10, 0xc0, 1, 0x05), PCI_VIEW_WRITTEN);
	CHECK_EQ(read_at(0x10, 0xc0, 1), 0x11);
	CHECK_EQ(space[0][0xc0 / 4], 0x00040011);
	CHECK_EQ(writes, before);
	/* Every entry starts masked with a zero message. */
	for (unsigned k = 0; k < 4; k++) {
		CHECK_EQ(msix_table_read(m, k * 16 + 12, 4), 1);
		CHECK_EQ(msix_table_read(m, k * 16, 8), 0);
		CHECK(!msix_entry_live(m, k));
	}
	/* A message, dword by dword and as one quadword. */
	CHECK(msix_table_write(m, 16, 4, 0xfee01003, &entry));
	CHECK_EQ(entry, 1);
	CHECK_EQ(msix_table_read(m, 16, 4), 0xfee01000); /* reserved bits */
	CHECK(msix_table_write(m, 24, 4, 0x4041, &entry));
	CHECK(!msix_table_write(m, 24, 4, 0x4041, &entry)); /* unchanged */
	CHECK(msix_table_write(m, 32, 8, 0x00000001fee02000ull, &entry));
	CHECK_EQ(entry, 2);
	CHECK_EQ(m->entries[2].address, 0xfee02000);
	CHECK_EQ(m->entries[2].address_high, 1);
	CHECK_EQ(msix_table_read(m, 32, 8), 0x00000001fee02000ull);
	CHECK_EQ(msix_table_read(m, 33, 2), 0xe020);
	CHECK(msix_table_write(m, 25, 1, 0x80, &entry)); /* one byte */
	CHECK_EQ(m->entries[1].data, 0x8041);
	/* Live only when enabled, not function-masked, entry unmasked. */
	CHECK(msix_table_write(m, 28, 4, 0xfffffffe, &entry));
	CHECK_EQ(m->entries[1].control, 0); /* reserved bits dropped */
	CHECK(!msix_entry_live(m, 1));	     /* the function is masked */
	CHECK_EQ(write_at(0x10, 0xc2, 2, 0x8000), PCI_VIEW_MSI_CHANGED);
	CHECK(msix_entry_live(m, 1));
	CHECK(!msix_entry_live(m, 0));
	CHECK_EQ(write_at(0x10, 0xc2, 2, 0x0000), PCI_VIEW_MSI_CHANGED);
	CHECK(!msix_entry_live(m, 1));
	/* Beyond the entries shown (the device's fifth) and across an
	 * entry's end: nothing changes, reads 0. */
	CHECK(!msix_table_write(m, 4 * 16, 4, 0xfee00000, &entry));
	CHECK_EQ(msix_table_read(m, 4 * 16 + 12, 4), 0);
	CHECK(!msix_table_write(m, 12, 8, ~0ull, &entry));
	CHECK_EQ(msix_table_read(m, 12, 8), 0);
	CHECK(!msix_table_write(m, 0, 16, ~0ull, &entry));
	CHECK(!msix_entry_live(m, 4));
	CHECK(!msix_entry_live(m, 1000));
	/* A reset (the partition's reload) masks everything again. */
	pci_view_reset(&view);
	CHECK(!m->enabled);
	CHECK_EQ(msix_table_read(m, 16, 8), 0);
	CHECK_EQ(msix_table_read(m, 28, 4), 1);
	/* The entries shown: no more than the device has, nor than the
	 * hypervisor's vectors for it; none at all hides MSI and MSI-X. */
	reset(2);
	CHECK_EQ(read_at(0x10, 0xc2, 2), 0x0001);
	reset(64);
	CHECK_EQ(read_at(0x10, 0xc2, 2), 0x0004);
	reset(0);
	CHECK_EQ(read_at(0x10, 0x80, 4), 0x00020010);
	CHECK_EQ(read_at(0x10, 0xc0, 4), 0);
	CHECK_EQ(write_at(0x10, 0xc2, 2, 0x8000), PCI_VIEW_DROPPED);
	/* MSI without MSI-X (a table the hypervisor cannot reach). */
	struct pci_view_bar bars[PCI_VIEW_BARS];

	memcpy(bars, view.functions[0].bars, sizeof(bars));
	pci_view_function_init(&view.functions[0], 0, 0x10, 0, bars, space[0],
			       true, 0);
	CHECK_EQ(read_at(0x10, 0x34, 4), 0x50);
	CHECK_EQ(read_at(0x10, 0x80, 4), 0x00020010);
	CHECK_EQ(read_at(0x10, 0xc0, 4), 0);
}

static void run_tests(void)
{
	test_reads();
	test_host_bridge();
	test_bar_sizing();
	test_capabilities();
	test_msi();
	test_msix();
	test_writes();
}
