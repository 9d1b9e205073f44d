/* SPDX-License-Identifier: MIT */
/*
 * msitest: MSI of a partition's own PCI device (QEMU's edu) reaches the
 * partition, for the interrupt-routing scenarios (docs/devices.md,
 * "Interrupts"). A bare-metal guest with platform = "pc" (its local APIC
 * and IDT). args: device=BB:DD.F (default 00:10.0), count=N (default 20).
 * It finds the device through the configuration ports, reads its MSI
 * capability, turns on memory decoding and bus mastering (INTx off), and
 * programs its own message: address 0xFEE00000 | its APIC ID << 12, data
 * a vector of its choosing. Then, each check a line "<check>: ok" or
 * "FAILED":
 *   - edu's "raise interrupt" register (0x60, acknowledged at 0x64) N
 *     times: N interrupts of the vector, each ended with an EOI, none of
 *     any other vector;
 *   - a new vector written while MSI is on: N more, all of the new one;
 *   - a message aimed at an APIC ID it lacks: nothing arrives (the
 *     hypervisor refuses the message and logs it); its own ID again: the
 *     next one arrives;
 *   - MSI disabled: nothing arrives; enabled again: the next one does.
 * With restart=yes (and restart = "on-fault"), run 1 leaves MSI on and
 * triple-faults once its checks have passed; run 2 first checks that
 * nothing arrives before it enables MSI (the hypervisor turned the
 * device's MSI off and dropped its route), then makes every check again:
 * the route is made anew after the partition's devices were blocked and
 * attached again. With expect-msi=no (an IOMMU that does not remap
 * interrupts) it checks only that its view shows no MSI capability.
 * Waits are bounded by the guest's own TSC. Exit 0 when all passed, 1
 * otherwise (no MSI capability among them), 2 for bad args, 3 when the
 * device cannot be opened.
 */
#include <string.h>

#include "bulkhead.h"
#include "checks.h"
#include "edu.h"
#include "pci.h"

#define LAPIC_BASE 0xfee00000ull
#define LAPIC_ID 0x020
#define LAPIC_EOI 0x0b0
#define LAPIC_SVR 0x0f0
#define SVR_ENABLE (1u << 8)
#define SPURIOUS_VECTOR 0xff

#define PCI_STATUS 0x06
#define PCI_STATUS_CAPABILITIES (1u << 4)
#define PCI_CAPABILITY_POINTER 0x34
#define PCI_CAPABILITY_MSI 0x05
#define PCI_COMMAND_INTX_DISABLE (1u << 10)
#define MSI_CONTROL_ENABLE (1u << 0)
#define MSI_CONTROL_64BIT (1u << 7)
#define MSI_ADDRESS_BASE 0xfee00000u

#define EDU_INTERRUPT_STATUS 0x24
#define EDU_INTERRUPT_RAISE 0x60
#define EDU_INTERRUPT_ACK 0x64
#define EDU_STATUS_VALUE 0x4d5349u /* "MSI" */

#define FIRST_VECTOR 0x61
#define SECOND_VECTOR 0x62
#define ABSENT_APIC_ID 5
/* In TSC cycles (QEMU's TSC runs at the host's rate, ~2.6 GHz): an
 * interrupt that comes takes microseconds (about 50 here), one that comes
 * is waited for a few seconds at most, one that must not come about half
 * a second. */
#define ARRIVAL_TIMEOUT 8000000000ull
#define SILENCE_WAIT 1500000000ull

struct idt_pointer {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

static struct edu edu;
static uint16_t msi; /* the MSI capability's offset */
static bool msi_64bit;
static uint32_t apic_id;

static void lapic_write(uint32_t reg, uint32_t value)
{
	*(volatile uint32_t *)(uintptr_t)(LAPIC_BASE + reg) = value;
}

static uint32_t lapic_read(uint32_t reg)
{
	return *(volatile uint32_t *)(uintptr_t)(LAPIC_BASE + reg);
}

static void edu_write(unsigned reg, uint32_t value)
{
	*(volatile uint32_t *)(edu.registers + reg) = value;
}

static uint32_t edu_read(unsigned reg)
{
	return *(volatile uint32_t *)(edu.registers + reg);
}

static void msi_interrupt(unsigned vector, struct guest_exception_frame *frame)
{
	(void)vector;
	(void)frame;
	lapic_write(LAPIC_EOI, 0);
}

/* The offset of the MSI capability, or 0. */
static uint16_t find_msi(struct pci_location at)
{
	if (!(pci_config_read16(at, PCI_STATUS) & PCI_STATUS_CAPABILITIES))
		return 0;
	uint8_t offset = (uint8_t)pci_config_read32(at, PCI_CAPABILITY_POINTER);

	for (unsigned hops = 0; offset >= 0x40 && hops < 48; hops++) {
		uint32_t header = pci_config_read32(at, offset & ~3u);

		if ((header & 0xff) == PCI_CAPABILITY_MSI)
			return offset;
		offset = (uint8_t)(header >> 8);
	}
	return 0;
}

static uint16_t msi_control(void)
{
	return pci_config_read16(edu.at, msi + 2u);
}

static void msi_enable(bool on)
{
	uint16_t control = msi_control();

	control = (uint16_t)(on ? control | MSI_CONTROL_ENABLE
				: control & ~MSI_CONTROL_ENABLE);
	pci_config_write16(edu.at, msi + 2u, control);
}

static void msi_address(uint32_t destination)
{
	pci_config_write32(edu.at, msi + 4u, MSI_ADDRESS_BASE | destination << 12);
	if (msi_64bit)
		pci_config_write32(edu.at, msi + 8u, 0);
}

static void msi_data(uint16_t vector)
{
	pci_config_write16(edu.at, msi + (msi_64bit ? 12u : 8u), vector);
}

/* Raises one interrupt and waits until vector's count reaches wanted or
 * timeout cycles pass; acknowledges it at the device. */
static void raise_and_wait(unsigned vector, uint64_t wanted, uint64_t timeout)
{
	uint64_t deadline;

	edu_write(EDU_INTERRUPT_RAISE, EDU_STATUS_VALUE);
	deadline = rdtsc() + timeout;
	guest_interrupts_enable();
	while (guest_interrupt_count(vector) < wanted && rdtsc() < deadline)
		cpu_relax();
	guest_interrupts_disable();
	edu_write(EDU_INTERRUPT_ACK, EDU_STATUS_VALUE);
}

static uint64_t total_interrupts(void)
{
	return guest_interrupt_count(FIRST_VECTOR) +
	       guest_interrupt_count(SECOND_VECTOR);
}

/* count interrupts in a row, each waited for, up to the first that does
 * not come; how many arrived. */
static uint64_t burst(unsigned vector, unsigned count)
{
	uint64_t before = guest_interrupt_count(vector);

	for (unsigned i = 0; i < count; i++) {
		raise_and_wait(vector, before + i + 1, ARRIVAL_TIMEOUT);
		if (guest_interrupt_count(vector) < before + i + 1)
			break;
	}
	return guest_interrupt_count(vector) - before;
}

/* One raise that must not arrive: how many interrupts did. */
static uint64_t silent_raise(void)
{
	uint64_t before = total_interrupts();

	raise_and_wait(FIRST_VECTOR, ~0ull, SILENCE_WAIT);
	return total_interrupts() - before;
}

static void triple_fault(void)
{
	static const struct idt_pointer empty = { 0, 0 };

	__asm__ volatile("lidt %0\n\tud2" : : "m"(empty) : "memory");
}

static int open_device(const struct bulkhead_boot_info *boot)
{
	char text[16] = "00:10.0";
	struct pci_location at;

	args_get(boot->args, "device", text, sizeof(text));
	if (!pci_parse_location(text, &at)) {
		gprintf("args: device=BB:DD.F\n");
		return 2;
	}
	if (edu_open(at, &edu))
		return 3;
	pci_config_write16(at, PCI_COMMAND_REGISTER,
			   (uint16_t)(pci_config_read16(at, PCI_COMMAND_REGISTER) |
				      PCI_COMMAND_INTX_DISABLE));
	msi = find_msi(at);
	if (!msi) {
		gprintf("%s: no MSI capability in the partition's view\n",
			text);
		return 1;
	}
	msi_64bit = msi_control() & MSI_CONTROL_64BIT;
	gprintf("%s: MSI capability at 0x%x (%s addresses)\n", text, msi,
		msi_64bit ? "64-bit" : "32-bit");
	return 0;
}

static void check_routes(unsigned count)
{
	uint64_t first, second;

	msi_address(apic_id);
	msi_data(FIRST_VECTOR);
	msi_enable(true);
	check_report("MSI enabled reads back", msi_control() & MSI_CONTROL_ENABLE,
		     "clear", "set");
	first = burst(FIRST_VECTOR, count);
	gprintf("%lu of %u raised interrupts arrived as vector 0x%x\n", first,
		count, FIRST_VECTOR);
	check_report("MSI: every raised interrupt arrives with its vector",
		     first == count, "fewer", "all");
	check_hex("edu interrupt status after the acknowledgements",
		  edu_read(EDU_INTERRUPT_STATUS), 0);

	msi_data(SECOND_VECTOR);
	second = burst(SECOND_VECTOR, count);
	gprintf("after the new vector: %lu of %u as vector 0x%x\n", second,
		count, SECOND_VECTOR);
	check_report("MSI: a new vector is taken at once", second == count,
		     "fewer", "all");
	check_hex("no interrupt of the old vector after the change",
		  guest_interrupt_count(FIRST_VECTOR), first);

	msi_data(FIRST_VECTOR);
	msi_address(ABSENT_APIC_ID);
	check_hex("MSI to an APIC ID the partition lacks: nothing arrives",
		  silent_raise(), 0);
	msi_address(apic_id);
	msi_enable(true);
	check_hex("its own APIC ID again: the interrupt arrives",
		  burst(FIRST_VECTOR, 1), 1);

	msi_enable(false);
	check_report("MSI disabled reads back",
		     !(msi_control() & MSI_CONTROL_ENABLE), "set", "clear");
	check_hex("MSI disabled: nothing arrives", silent_raise(), 0);
	msi_enable(true);
	check_hex("MSI enabled again: the interrupt arrives",
		  burst(FIRST_VECTOR, 1), 1);
	msi_enable(false);
	check_hex("no interrupt without a handler",
		  guest_unexpected_interrupts(), 0);
}

int guest_main(const struct bulkhead_boot_info *boot, unsigned vcpu)
{
	int64_t count = 20;
	char restart[8] = "no", expect_msi[8] = "yes";
	int status;

	if (vcpu != 0)
		return guest_wait_for_primary();
	if (strstr(boot->args, "count=") &&
	    !args_get_number(boot->args, "count", &count))
		count = 0;
	if (count < 1 || count > 10000) {
		gprintf("args: count=N (1..10000)\n");
		return 2;
	}
	if (guest_map_identity_2m(LAPIC_BASE, true) < 0) {
		gprintf("cannot map the local APIC\n");
		return 2;
	}
	status = open_device(boot);
	args_get(boot->args, "expect-msi", expect_msi, sizeof(expect_msi));
	if (!strcmp(expect_msi, "no")) {
		check_report("no MSI offered without interrupt remapping",
			     status == 1 && !msi, "offered", "none");
		return checks_finish();
	}
	if (status)
		return status;
	guest_set_interrupt_handler(FIRST_VECTOR, msi_interrupt);
	guest_set_interrupt_handler(SECOND_VECTOR, msi_interrupt);
	lapic_write(LAPIC_SVR, SVR_ENABLE | SPURIOUS_VECTOR);
	apic_id = lapic_read(LAPIC_ID) >> 24;
	args_get(boot->args, "restart", restart, sizeof(restart));
	gprintf("run %u: local APIC ID %u\n", boot->run, apic_id);
	if (boot->run > 1)
		check_hex("after the restart: nothing before MSI is enabled",
			  silent_raise(), 0);
	check_routes((unsigned)count);
	status = checks_finish();
	if (!status && boot->run == 1 && !strcmp(restart, "yes")) {
		msi_enable(true);
		gprintf("run 1 passed; faulting with MSI on\n");
		triple_fault();
		return 1;
	}
	gprintf("MSI of its own device routed to the partition: %s\n",
		status ? "FAILED" : "ok");
	return status;
}
