/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of a partition's PCI configuration view
 * (core/platform/pci_config_model.c): only owned functions are visible;
 * the ROM and the capability list are hidden; only the command register's
 * allowed bits reach the hardware; every other write is dropped; widths
 * and offsets within the data window behave as on hardware.
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

static void reset(void)
{
	memset(space, 0, sizeof(space));
	space[0][0] = 0x11e81234;        /* edu */
	space[0][1] = 0x00100000;        /* status: capability list */
	space[0][4] = 0xfea00000;        /* BAR0 */
	space[0][12] = 0xfeb00000;       /* ROM */
	space[0][13] = 0x40;             /* capability pointer */
	space[0][15] = 0x0100;           /* pin A */
	space[0][16] = 0x00005005;       /* an MSI capability */
	space[1][0] = 0x10d38086;
	memset(&view, 0, sizeof(view));
	view.count = 1;
	view.functions[0] = (struct pci_view_function){ 0, 0x10, 0 };
	writes = 0;
}

static void select_register(unsigned device, unsigned offset)
{
	unsigned where;

	CHECK_EQ(pci_view_write(&view, &hardware, 0xcf8, 4,
				address(device, offset), &where),
		 PCI_VIEW_WRITTEN);
}

static void test_reads(void)
{
	reset();
	select_register(0x10, 0);
	CHECK_EQ(pci_view_read(&view, &hardware, 0xcf8, 4), address(0x10, 0));
	CHECK_EQ(pci_view_read(&view, &hardware, 0xcfc, 4), 0x11e81234);
	CHECK_EQ(pci_view_read(&view, &hardware, 0xcfc, 2), 0x1234);
	CHECK_EQ(pci_view_read(&view, &hardware, 0xcfe, 2), 0x11e8);
	CHECK_EQ(pci_view_read(&view, &hardware, 0xcfd, 1), 0x12);
	CHECK_EQ(pci_view_read(&view, &hardware, 0xcfd, 4), 0xffffffff);
	select_register(0x10, 0x10);
	CHECK_EQ(pci_view_read(&view, &hardware, 0xcfc, 4), 0xfea00000);
	/* Hidden: the ROM, the capability pointer and list, the status
	 * bit that announces them. */
	select_register(0x10, 0x30);
	CHECK_EQ(pci_view_read(&view, &hardware, 0xcfc, 4), 0);
	select_register(0x10, 0x34);
	CHECK_EQ(pci_view_read(&view, &hardware, 0xcfc, 4), 0);
	select_register(0x10, 0x40);
	CHECK_EQ(pci_view_read(&view, &hardware, 0xcfc, 4), 0);
	select_register(0x10, 0x04);
	CHECK_EQ(pci_view_read(&view, &hardware, 0xcfc, 4), 0);
	select_register(0x10, 0x3c);
	CHECK_EQ(pci_view_read(&view, &hardware, 0xcfd, 1), 1);
	/* Offset bits 0-1 of the address are ignored. */
	select_register(0x10, 0x11);
	CHECK_EQ(pci_view_read(&view, &hardware, 0xcfc, 4), 0xfea00000);
	/* Not owned, another bus, disabled: all ones. */
	select_register(0x11, 0);
	CHECK_EQ(pci_view_read(&view, &hardware, 0xcfc, 4), 0xffffffff);
	CHECK_EQ(pci_view_read(&view, &hardware, 0xcfc, 1), 0xff);
	view.address = 0x80010000u | 0x10 << 11;
	CHECK_EQ(pci_view_read(&view, &hardware, 0xcfc, 4), 0xffffffff);
	view.address = 0x10 << 11;
	CHECK_EQ(pci_view_read(&view, &hardware, 0xcfc, 4), 0xffffffff);
	/* 0xCF8 only as a dword. */
	CHECK_EQ(pci_view_read(&view, &hardware, 0xcf8, 1), 0xff);
}

static void test_writes(void)
{
	unsigned offset = 0;

	reset();
	space[0][1] = 0x02900000 | 0x0100; /* status W1C bits set; SERR */
	select_register(0x10, 0x04);
	CHECK_EQ(pci_view_write(&view, &hardware, 0xcfc, 2, 0xffff, &offset),
		 PCI_VIEW_WRITTEN);
	/* IO, memory, master and INTx-disable set; SERR kept; the status
	 * half written as 0, which clears nothing. */
	CHECK_EQ(space[0][1], 0x0100 | 0x0407);
	CHECK_EQ(pci_view_write(&view, &hardware, 0xcfc, 4, 0xffff0000,
				&offset),
		 PCI_VIEW_WRITTEN);
	CHECK_EQ(space[0][1], 0x0100);
	CHECK_EQ(pci_view_write(&view, &hardware, 0xcfd, 1, 0x04, &offset),
		 PCI_VIEW_WRITTEN);
	CHECK_EQ(space[0][1], 0x0500);
	/* The status half through the window: dropped. */
	CHECK_EQ(pci_view_write(&view, &hardware, 0xcfe, 2, 0xffff, &offset),
		 PCI_VIEW_DROPPED);
	CHECK_EQ(offset, 6);
	/* A BAR (the device never moves), the ROM, the line, an MSI
	 * capability: dropped, hardware untouched. */
	unsigned before = writes;

	select_register(0x10, 0x10);
	CHECK_EQ(pci_view_write(&view, &hardware, 0xcfc, 4, 0xffffffff,
				&offset),
		 PCI_VIEW_DROPPED);
	CHECK_EQ(offset, 0x10);
	CHECK_EQ(space[0][4], 0xfea00000);
	select_register(0x10, 0x30);
	CHECK_EQ(pci_view_write(&view, &hardware, 0xcfc, 4, 1, &offset),
		 PCI_VIEW_DROPPED);
	select_register(0x10, 0x40);
	CHECK_EQ(pci_view_write(&view, &hardware, 0xcfc, 4, 0x10000,
				&offset),
		 PCI_VIEW_DROPPED);
	CHECK_EQ(space[0][16], 0x00005005);
	CHECK_EQ(writes, before);
	/* Another function: ignored, untouched. */
	select_register(0x11, 0x04);
	CHECK_EQ(pci_view_write(&view, &hardware, 0xcfc, 2, 0x7, &offset),
		 PCI_VIEW_IGNORED);
	CHECK_EQ(space[1][1], 0);
	CHECK_EQ(writes, before);
	/* A byte write to 0xCF8 does not change the address. */
	CHECK_EQ(pci_view_write(&view, &hardware, 0xcf8, 1, 0, &offset),
		 PCI_VIEW_IGNORED);
	CHECK_EQ(view.address, address(0x11, 0x04));
}

static void run_tests(void)
{
	test_reads();
	test_writes();
}
