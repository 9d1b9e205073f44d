/* SPDX-License-Identifier: MIT */
/*
 * The host IOAPIC's register window; see ioapic.h. Only the entries of
 * owned devices' inputs change after boot, and only through here: one
 * lock keeps a CPU's IOREGSEL from being overwritten by another's before
 * its IOWIN access. Interrupts are off wherever the hypervisor holds a
 * lock (they are taken only on a VM exit's window and in the idle loop),
 * so the device interrupt handler may take it too.
 */
#include "ioapic.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/spinlock.h"

#define IOREGSEL	     0x00
#define IOWIN		     0x10
#define REGISTER_ID	     0x00
#define REGISTER_VERSION     0x01
#define REGISTER_REDIRECTION 0x10
#define EOI_REGISTER	     0x40
#define VERSION_WITH_EOI     0x20
#define ENTRY_LEVEL	     (1u << 15)

static uint64_t window;
static uint8_t id;
static unsigned inputs;
static unsigned version;
static struct spinlock lock;

static uint32_t register_read(uint32_t index)
{
	mmio_write32(window + IOREGSEL, index);
	return mmio_read32(window + IOWIN);
}

static void register_write(uint32_t index, uint32_t value)
{
	mmio_write32(window + IOREGSEL, index);
	mmio_write32(window + IOWIN, value);
}

void ioapic_init(uint64_t base)
{
	window = base;
	if (!base)
		return;
	id = (uint8_t)(register_read(REGISTER_ID) >> 24);
	uint32_t value = register_read(REGISTER_VERSION);

	inputs = (value >> 16 & 0xff) + 1;
	version = value & 0xff;
}

bool ioapic_present(void)
{
	return window != 0;
}

uint8_t ioapic_id(void)
{
	return id;
}

unsigned ioapic_inputs(void)
{
	return inputs;
}

void ioapic_write_entry(unsigned gsi, uint64_t entry)
{
	uint32_t low = REGISTER_REDIRECTION + 2 * gsi;

	if (gsi >= inputs)
		return;
	spin_lock(&lock);
	register_write(low, register_read(low) | (uint32_t)IOAPIC_ENTRY_MASKED);
	register_write(low + 1, (uint32_t)(entry >> 32));
	register_write(low, (uint32_t)entry);
	spin_unlock(&lock);
}

void ioapic_set_masked(unsigned gsi, bool masked)
{
	uint32_t low = REGISTER_REDIRECTION + 2 * gsi;

	if (gsi >= inputs)
		return;
	spin_lock(&lock);
	uint32_t value = register_read(low);

	value = masked ? value | (uint32_t)IOAPIC_ENTRY_MASKED
		       : value & ~(uint32_t)IOAPIC_ENTRY_MASKED;
	register_write(low, value);
	spin_unlock(&lock);
}

uint64_t ioapic_read_entry(unsigned gsi)
{
	uint32_t low = REGISTER_REDIRECTION + 2 * gsi;

	if (gsi >= inputs)
		return 0;
	spin_lock(&lock);
	uint64_t entry =
	    (uint64_t)register_read(low + 1) << 32 | register_read(low);
	spin_unlock(&lock);
	return entry;
}

void ioapic_mask_and_end(unsigned gsi)
{
	uint32_t low = REGISTER_REDIRECTION + 2 * gsi;

	if (gsi >= inputs)
		return;
	spin_lock(&lock);
	uint32_t value = register_read(low) | (uint32_t)IOAPIC_ENTRY_MASKED;

	register_write(low, value);
	if (version >= VERSION_WITH_EOI) {
		mmio_write32(window + EOI_REGISTER, value & 0xff);
	} else if (value & ENTRY_LEVEL) {
		register_write(low, value & ~ENTRY_LEVEL);
		register_write(low, value);
	}
	spin_unlock(&lock);
}
