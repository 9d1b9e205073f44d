/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the INTx routing the hypervisor knows
 * (drivers/pci/pci_intx.c): QEMU's q35 recognised by its host and LPC
 * bridges, and its wiring of bus 0's slots and pins to GSIs 20-23 (the
 * values QEMU's own _PRT gives: LNKE-LNKH).
 */
#include "check.h"
#include "drivers/pci/pci_intx.h"

CHECK_MAIN("test_pci_intx")

static void test_chipset(void)
{
	struct pci_intx_identity host = {0x8086, 0x29c0, 0x1af4, 0x1100};
	struct pci_intx_identity lpc = {0x8086, 0x2918, 0x1af4, 0x1100};

	CHECK_EQ(pci_intx_chipset(&host, &lpc), PCI_INTX_QEMU_Q35);
	/* A real Q35 board (another subsystem) is not QEMU's wiring. */
	host.subsystem_vendor = 0x1043;
	CHECK_EQ(pci_intx_chipset(&host, &lpc), PCI_INTX_UNKNOWN);
	host.subsystem_vendor = 0x1af4;
	lpc.device = 0x7000; /* i440FX's PIIX3 */
	CHECK_EQ(pci_intx_chipset(&host, &lpc), PCI_INTX_UNKNOWN);
	lpc.device = 0x2918;
	host.device = 0x1237; /* i440FX */
	CHECK_EQ(pci_intx_chipset(&host, &lpc), PCI_INTX_UNKNOWN);
}

static void test_q35_wiring(void)
{
	/* Slot 0 INTA is PIRQE (GSI 20); each slot and pin moves one on. */
	CHECK_EQ(pci_intx_gsi(PCI_INTX_QEMU_Q35, 0, 0, 1), 20);
	CHECK_EQ(pci_intx_gsi(PCI_INTX_QEMU_Q35, 0, 4, 1), 20);
	CHECK_EQ(pci_intx_gsi(PCI_INTX_QEMU_Q35, 0, 5, 1), 21);
	CHECK_EQ(pci_intx_gsi(PCI_INTX_QEMU_Q35, 0, 8, 1), 20);
	CHECK_EQ(pci_intx_gsi(PCI_INTX_QEMU_Q35, 0, 0x10, 1), 20);
	CHECK_EQ(pci_intx_gsi(PCI_INTX_QEMU_Q35, 0, 0x11, 1), 21);
	CHECK_EQ(pci_intx_gsi(PCI_INTX_QEMU_Q35, 0, 3, 1), 23);
	CHECK_EQ(pci_intx_gsi(PCI_INTX_QEMU_Q35, 0, 3, 2), 20);
	CHECK_EQ(pci_intx_gsi(PCI_INTX_QEMU_Q35, 0, 24, 4), 23);
	/* Unknown: no pin, a bad pin, the ICH9's slots, another bus, an
	 * unknown chipset. */
	CHECK_EQ(pci_intx_gsi(PCI_INTX_QEMU_Q35, 0, 4, 0), -1);
	CHECK_EQ(pci_intx_gsi(PCI_INTX_QEMU_Q35, 0, 4, 5), -1);
	CHECK_EQ(pci_intx_gsi(PCI_INTX_QEMU_Q35, 0, 25, 1), -1);
	CHECK_EQ(pci_intx_gsi(PCI_INTX_QEMU_Q35, 0, 0x1f, 1), -1);
	CHECK_EQ(pci_intx_gsi(PCI_INTX_QEMU_Q35, 1, 0, 1), -1);
	CHECK_EQ(pci_intx_gsi(PCI_INTX_UNKNOWN, 0, 4, 1), -1);
}

static void run_tests(void)
{
	test_chipset();
	test_q35_wiring();
}
