/* SPDX-License-Identifier: MIT */
/*
 * A driver for QEMU's "edu" teaching device (1234:11e8): its liveness
 * register and its DMA engine, which copies up to 4 KiB between memory
 * (at a DMA address: for a partition, a guest-physical address that the
 * IOMMU translates) and a buffer inside the device. A DMA runs from a
 * timer in QEMU, about 100 ms after it is started.
 */
#ifndef GUEST_EDU_H
#define GUEST_EDU_H

#include <stdbool.h>
#include <stdint.h>

#include "pci.h"

#define EDU_BUFFER 0x40000u /* the device's DMA buffer, as a DMA address */
/* The buffer is 4 KiB, but QEMU 7.2's range check takes a transfer that
 * ends at its very end for out of bounds and stops the whole emulator
 * (hw_error): transfers stay in its first half. */
#define EDU_BUFFER_SIZE 2048u

struct edu {
	struct pci_location at;
	volatile uint8_t *registers; /* BAR0, mapped uncached */
};

/* Finds the device at `at`, maps its registers and turns on memory
 * decoding and bus mastering. 0, or a negative number with a line
 * printed saying why. */
int edu_open(struct pci_location at, struct edu *edu);
/* The liveness check: the device returns the complement of a value. */
bool edu_alive(const struct edu *edu);
/* Copies count bytes from memory at address into the buffer at offset
 * (to_device) or back; waits up to timeout_cycles of the guest's TSC for
 * the device to say it is done. False on timeout. */
bool edu_dma(const struct edu *edu, uint64_t address, uint32_t offset,
	     uint32_t count, bool to_device, uint64_t timeout_cycles);
/* Starts the same transfer and returns at once. */
void edu_dma_start(const struct edu *edu, uint64_t address, uint32_t offset,
		   uint32_t count, bool to_device);

#endif
