/* SPDX-License-Identifier: MIT */
/* The edu device; see edu.h. Registers after QEMU's docs/specs/edu.rst. */
#include "edu.h"

#include "console.h"
#include "cpu.h"
#include "paging.h"

#define EDU_VENDOR_DEVICE 0x11e81234u
#define REG_IDENTIFICATION 0x00
#define REG_LIVENESS 0x04
#define REG_DMA_SOURCE 0x80
#define REG_DMA_DESTINATION 0x88
#define REG_DMA_COUNT 0x90
#define REG_DMA_COMMAND 0x98
#define DMA_RUN 0x1u
#define DMA_TO_MEMORY 0x2u /* from the device's buffer to memory */

static uint32_t read32(const struct edu *edu, unsigned reg)
{
	return *(volatile uint32_t *)(edu->registers + reg);
}

static void write32(const struct edu *edu, unsigned reg, uint32_t value)
{
	*(volatile uint32_t *)(edu->registers + reg) = value;
}

static void write64(const struct edu *edu, unsigned reg, uint64_t value)
{
	*(volatile uint64_t *)(edu->registers + reg) = value;
}

int edu_open(struct pci_location at, struct edu *edu)
{
	uint32_t id = pci_config_read32(at, 0);
	uint64_t bar;

	if (id != EDU_VENDOR_DEVICE) {
		gprintf("edu: %02x:%02x.%x reads 0x%08x, not an edu device\n",
			at.bus, at.device, at.function, id);
		return -1;
	}
	bar = pci_memory_bar(at, 0);
	if (!bar || guest_map_identity_2m(bar, true)) {
		gprintf("edu: cannot map BAR0 at 0x%lx\n", bar);
		return -2;
	}
	edu->at = at;
	edu->registers = (volatile uint8_t *)(uintptr_t)bar;
	pci_config_write16(at, PCI_COMMAND_REGISTER,
			   (uint16_t)(pci_config_read16(at,
							PCI_COMMAND_REGISTER) |
				      PCI_COMMAND_MEMORY_SPACE |
				      PCI_COMMAND_BUS_MASTER));
	if ((read32(edu, REG_IDENTIFICATION) & 0xff) != 0xed) {
		gprintf("edu: identification register reads 0x%x\n",
			read32(edu, REG_IDENTIFICATION));
		return -3;
	}
	return 0;
}

bool edu_alive(const struct edu *edu)
{
	write32(edu, REG_LIVENESS, 0x12345678u);
	return read32(edu, REG_LIVENESS) == ~0x12345678u;
}

void edu_dma_start(const struct edu *edu, uint64_t address, uint32_t offset,
		   uint32_t count, bool to_device)
{
	if (to_device) {
		write64(edu, REG_DMA_SOURCE, address);
		write64(edu, REG_DMA_DESTINATION, EDU_BUFFER + offset);
	} else {
		write64(edu, REG_DMA_SOURCE, EDU_BUFFER + offset);
		write64(edu, REG_DMA_DESTINATION, address);
	}
	write64(edu, REG_DMA_COUNT, count);
	write32(edu, REG_DMA_COMMAND, DMA_RUN | (to_device ? 0 : DMA_TO_MEMORY));
}

bool edu_dma(const struct edu *edu, uint64_t address, uint32_t offset,
	     uint32_t count, bool to_device, uint64_t timeout_cycles)
{
	uint64_t deadline;

	edu_dma_start(edu, address, offset, count, to_device);
	deadline = rdtsc() + timeout_cycles;
	while (read32(edu, REG_DMA_COMMAND) & DMA_RUN) {
		if (rdtsc() > deadline)
			return false;
		cpu_relax();
	}
	return true;
}
