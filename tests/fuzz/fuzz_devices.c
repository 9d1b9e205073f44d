/* SPDX-License-Identifier: MIT */
/*
 * Fuzz harness: the virtual devices a partition programs, driven by
 * random register sequences with their invariants asserted: the view of
 * an owned PCI function (core/platform/pci_function_model.c) over a
 * random configuration space, its MSI-X table (msix_table_model.c), the
 * 16550 (uart_model.c) and the local APIC (lapic_model.c). The input is
 * the configuration space (256 bytes) and then 8-byte operations.
 *
 * The PCI view's promises checked on every step: the hardware sees
 * writes only to the command register (bus master and INTx disable),
 * the cache line and latency bytes and PCI Express device control; BARs
 * never move (a BAR reads its host address unless it is being sized);
 * the ROM reads 0; extended space reads 0; MSI-X entries past those
 * shown read 0.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/platform/lapic_model.h"
#include "core/platform/msix_table_model.h"
#include "core/platform/pci_function_model.h"
#include "core/platform/uart_model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct hardware_space {
	uint32_t config[64];
	uint32_t before[64];
};

static uint32_t hw_read(void *context, const struct pci_view_function *f,
			unsigned offset)
{
	struct hardware_space *h = context;

	(void)f;
	if (offset % 4 || offset >= 256)
		abort();
	return h->config[offset / 4];
}

static void hw_write(void *context, const struct pci_view_function *f,
		     unsigned offset, uint32_t value)
{
	struct hardware_space *h = context;

	if (offset % 4 || offset >= 256)
		abort();
	/* Only these registers reach the hardware. */
	bool express = false;

	for (unsigned i = 0; i < f->capability_count; i++)
		if (f->capabilities[i].id == PCI_CAPABILITY_EXPRESS &&
		    offset == f->capabilities[i].offset + 8u)
			express = true;
	if (offset == 0x04) {
		/* The command half: only master and INTx disable may change;
		 * the status half is written as 0 (write-1-to-clear). */
		uint32_t changed = (value ^ h->config[1]) & 0xffff;

		if (changed & ~(PCI_VIEW_COMMAND_BITS &
				~PCI_VIEW_COMMAND_DECODE))
			abort();
		if (value >> 16)
			abort();
	} else if (offset == 0x0c) {
		if (value & 0xffff0000u)
			abort(); /* BIST never started (its half written 0) */
	} else if (!express) {
		abort();
	}
	h->config[offset / 4] = value;
}

static const unsigned sizes[4] = { 1, 2, 4, 4 };

static void check_bars(const struct pci_view_function *f,
		       const struct pci_config_hardware *hw)
{
	for (unsigned slot = 0; slot < PCI_VIEW_BARS; slot++) {
		const struct pci_view_bar *bar = &f->bars[slot];
		uint32_t v = pci_view_function_read(f, hw, 0x10 + 4 * slot, 4);

		if (f->sizing >> slot & 1)
			continue;
		if ((bar->type == PCI_VIEW_BAR_MEMORY32 ||
		     bar->type == PCI_VIEW_BAR_MEMORY64) &&
		    (v & ~0xfu) != ((uint32_t)bar->address & ~0xfu))
			abort();
		if (bar->type == PCI_VIEW_BAR_IO &&
		    (v & ~3u) != ((uint32_t)bar->address & ~3u))
			abort();
	}
	if (pci_view_function_read(f, hw, 0x30, 4) != 0)
		abort();
	if (pci_view_function_read(f, hw, 0x100, 4) != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct hardware_space h;
	static struct pci_view_function f;
	static struct vuart uart;
	static struct vlapic apic;

	if (size < 256)
		return 0;
	memcpy(h.config, data, 256);
	h.config[1] |= 1u << 20; /* a capability list, so that it is walked */
	memcpy(h.before, h.config, sizeof(h.before));
	struct pci_view_bar bars[PCI_VIEW_BARS] = {
		{ PCI_VIEW_BAR_MEMORY32, 0, 0xfe000000, 0x20000 },
		{ PCI_VIEW_BAR_IO, 0, 0xc000, 0x20 },
		{ PCI_VIEW_BAR_MEMORY64, 0xc, 0x800000000ull, 0x4000 },
		{ PCI_VIEW_BAR_UPPER, 0, 0, 0 },
		{ PCI_VIEW_BAR_NONE, 0, 0, 0 },
		{ PCI_VIEW_BAR_NONE, 0, 0, 0 },
	};
	const struct pci_config_hardware hw = { hw_read, hw_write, &h };

	pci_view_function_init(&f, 0, 4, 0, bars, h.config, data[0] & 1,
			       data[1] % 10);
	vuart_reset(&uart);
	vlapic_reset(&apic, 0, 100);
	uint64_t now = 0;

	for (size_t at = 256; at + 8 <= size; at += 8) {
		const uint8_t *op = data + at;
		unsigned size_code = op[0] >> 4 & 3;
		uint32_t value;
		unsigned entry;

		memcpy(&value, op + 4, 4);
		now += op[1];
		switch (op[0] & 7) {
		case 0: { /* a config read */
			unsigned s = sizes[size_code];
			unsigned offset = (op[2] | (op[3] & 0xf) << 8) & ~(s - 1);

			(void)pci_view_function_read(&f, &hw, offset, s);
			break;
		}
		case 1: { /* a config write */
			unsigned s = sizes[size_code];
			unsigned offset = (op[2] | (op[3] & 0xf) << 8) & ~(s - 1);

			(void)pci_view_function_write(&f, &hw, offset, s, value);
			break;
		}
		case 2: /* the MSI-X table */
			if (op[3] & 1)
				(void)msix_table_write(&f.msix, op[2], sizes[size_code],
						       value, &entry);
			else if (op[2] >= (unsigned)f.msix.size * MSIX_ENTRY_SIZE &&
				 msix_table_read(&f.msix, op[2], 4) != 0)
				abort();
			for (unsigned k = f.msix.size; k < PCI_VIEW_MSIX_VECTORS; k++)
				if (msix_entry_live(&f.msix, k))
					abort();
			break;
		case 3: /* the 16550 */
			if (op[3] & 1) {
				uint8_t out;

				(void)vuart_write(&uart, op[2] & 7, (uint8_t)value,
						  &out);
			} else {
				(void)vuart_read(&uart, op[2] & 7);
			}
			(void)vuart_irq_line(&uart);
			break;
		case 4: /* a byte typed in */
			(void)vuart_receive(&uart, op[2]);
			break;
		case 5: { /* the local APIC */
			uint32_t offset = (uint32_t)(op[2] | (op[3] & 0xf) << 8) & 0xff0;
			struct vlapic_ipi ipi;

			if (value & 1)
				(void)vlapic_write(&apic, offset, value, now, &ipi);
			else
				(void)vlapic_read(&apic, offset, now);
			break;
		}
		case 6: /* interrupts in and out of the APIC */
			vlapic_accept(&apic, op[2], op[3] & 1);
			if (op[3] & 2)
				vlapic_acknowledge(&apic, op[2]);
			(void)vlapic_timer_fire(&apic, now);
			break;
		default:
			pci_view_function_reset(&f);
			break;
		}
		check_bars(&f, &hw);
	}
	return 0;
}
