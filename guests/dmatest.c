/* SPDX-License-Identifier: MIT */
/*
 * dmatest: DMA by a partition's own PCI device (QEMU's edu), for the
 * IOMMU scenarios (docs/devices.md). args:
 *   role=own     device=BB:DD.F  a 2 KiB round trip through the device
 *                                into and out of its own memory, checked
 *                                byte for byte: right only if the IOMMU
 *                                translates the partition's guest-physical
 *                                addresses (they are not host-physical);
 *   role=attack  device=BB:DD.F targets=T1,T2,...  with restart on-fault:
 *                run N first checks a round trip (the device works again
 *                after each restart), then aims DMA at target N, each
 *                "w:ADDRESS" (a DMA write of the device's buffer there) or
 *                "r:ADDRESS" (a DMA read from there into the buffer);
 *                ADDRESS is hexadecimal, "end" (the first byte past its
 *                memory) or "typed" (read as hexadecimal from the console,
 *                which a PC partition's UART receives: the scenario types
 *                the hypervisor's address there).
 *                The hypervisor must stop it for the fault: a run that
 *                survives its attack fails. The run after the last sets
 *                the done flag in channel 0 and exits 0.
 *                With expect-stop=no (an IOMMU that drops such DMA
 *                without recording a fault, as QEMU 7.2's AMD-Vi does),
 *                one run makes every attack, each after a round trip,
 *                and checks that no read brought memory back (the
 *                device's buffer is unchanged or zero); then it sets the
 *                done flag and exits 0;
 *   role=victim  fills its memory from 4 MiB up with a pattern of each
 *                word's address, waits for the attacker's done flag in
 *                channel 0, checks every word and exits 0 when intact;
 *   role=restart device=BB:DD.F  run 1 checks a round trip, starts a DMA
 *                into its memory at 8 MiB and faults at once (a triple
 *                fault), before the device is done; run 2
 *                waits well past when that DMA would land without
 *                touching the device, checks the page is still zero (the
 *                hypervisor turned bus mastering off before reloading the
 *                partition: edu has no reset, so the stale DMA is still
 *                run, and only that keeps it out), then that the device
 *                works again.
 * Exit 0, or 1 with the reason printed; 2 for bad args.
 */
#include <string.h>

#include "bulkhead.h"
#include "edu.h"
#include "format.h"
#include "pci.h"

#define PATTERN_START (4ull << 20)
#define RESTART_TARGET (8ull << 20)
#define ROUND_TRIP_BUFFER (6ull << 20)
#define DONE_MAGIC 0x656e6f64u /* "done" */
/* A target typed on the console: read from the virtual UART. */
#define TYPED_ADDRESS 1ull
#define UART_DATA 0x3f8
#define UART_LINE_STATUS 0x3fd
#define UART_DATA_READY 0x01
#define TYPED_WAIT 300000000000ull
/* Generous bounds in TSC cycles: QEMU's TSC runs at the host's rate
 * (about 2.6 GHz here), and edu finishes a DMA about 100 ms after it
 * starts, slower on a loaded host. */
#define DMA_TIMEOUT 30000000000ull
#define STOP_GRACE 30000000000ull
#define STALE_DMA_WAIT 3000000000ull
#define VICTIM_WAIT 600000000000ull

static struct edu edu;

struct idt_pointer {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

static void triple_fault(void)
{
	static const struct idt_pointer empty = { 0, 0 };

	__asm__ volatile("lidt %0\n\tud2" : : "m"(empty) : "memory");
}

static int open_device(const struct bulkhead_boot_info *boot)
{
	char text[16];
	struct pci_location at;

	if (!args_get(boot->args, "device", text, sizeof(text)) ||
	    !pci_parse_location(text, &at)) {
		gprintf("args need device=BB:DD.F\n");
		return 2;
	}
	if (edu_open(at, &edu))
		return 1;
	if (!edu_alive(&edu)) {
		gprintf("edu: liveness check failed\n");
		return 1;
	}
	return 0;
}

/* Out of memory into the device and back into other memory. */
static int round_trip(void)
{
	uint8_t *out = (uint8_t *)(uintptr_t)ROUND_TRIP_BUFFER;
	uint8_t *back = out + EDU_BUFFER_SIZE;

	for (unsigned i = 0; i < EDU_BUFFER_SIZE; i++) {
		out[i] = (uint8_t)(i * 7 + 3);
		back[i] = 0;
	}
	if (!edu_dma(&edu, ROUND_TRIP_BUFFER, 0, EDU_BUFFER_SIZE, true,
		     DMA_TIMEOUT) ||
	    !edu_dma(&edu, ROUND_TRIP_BUFFER + EDU_BUFFER_SIZE, 0,
		     EDU_BUFFER_SIZE, false, DMA_TIMEOUT)) {
		gprintf("round trip: the device never finished\n");
		return 1;
	}
	for (unsigned i = 0; i < EDU_BUFFER_SIZE; i++)
		if (back[i] != (uint8_t)(i * 7 + 3)) {
			gprintf("round trip: byte %u is 0x%02x, expected 0x%02x\n",
				i, back[i], (uint8_t)(i * 7 + 3));
			return 1;
		}
	gprintf("round trip: %u bytes out through the device and back, "
		"verified\n",
		EDU_BUFFER_SIZE);
	return 0;
}

/* The count-th "w:ADDRESS" or "r:ADDRESS" of the list (1-based). */
static bool nth_target(const char *list, unsigned n, bool *write,
		       uint64_t *address, uint64_t memory_size,
		       unsigned *count)
{
	unsigned index = 0;
	bool found = false;

	for (const char *p = list; *p;) {
		const char *end = strchr(p, ',');
		size_t length = end ? (size_t)(end - p) : strlen(p);

		index++;
		if (index == n && length > 2 && (p[0] == 'w' || p[0] == 'r') &&
		    p[1] == ':') {
			*write = p[0] == 'w';
			if (length == 7 && !strncmp(p + 2, "typed", 5)) {
				*address = TYPED_ADDRESS;
			} else if (length == 5 && !strncmp(p + 2, "end", 3)) {
				*address = memory_size;
			} else {
				*address = 0;
				for (size_t i = 2; i < length; i++) {
					char c = p[i];
					int d = c >= '0' && c <= '9'   ? c - '0'
						: c >= 'a' && c <= 'f' ? c - 'a' + 10
								       : -1;

					if (i == 3 && c == 'x')
						continue;
					if (d < 0)
						return false;
					*address = *address << 4 | (unsigned)d;
				}
			}
			found = true;
		}
		p += length;
		if (*p == ',')
			p++;
	}
	*count = index;
	return found || n > index;
}

/* The attacks of an IOMMU that drops them silently: all in one run. */
static int attack_all(const char *list, uint64_t memory_size)
{
	const uint8_t *seen = (const uint8_t *)(uintptr_t)(ROUND_TRIP_BUFFER +
							  2 * EDU_BUFFER_SIZE);
	struct guest_channel channel;
	unsigned count = 0;

	for (unsigned n = 1;; n++) {
		bool write = false;
		uint64_t address = 0;
		int status;

		if (!nth_target(list, n, &write, &address, memory_size,
				&count)) {
			gprintf("args need targets=w:ADDRESS,r:ADDRESS,...\n");
			return 2;
		}
		if (n > count)
			break;
		status = round_trip();
		if (status)
			return status;
		gprintf("attack %u: DMA %s 0x%lx\n", n,
			write ? "write to" : "read from",
			(unsigned long)address);
		if (!edu_dma(&edu, address, 0, write ? 64 : EDU_BUFFER_SIZE,
			     !write, DMA_TIMEOUT)) {
			gprintf("attack %u: the device never finished\n", n);
			return 1;
		}
		if (write) {
			gprintf("attack %u: the device finished; no fault "
				"stopped this partition\n",
				n);
			continue;
		}
		/* What the read put in the device comes back to memory. */
		if (!edu_dma(&edu, (uint64_t)(uintptr_t)seen, 0,
			     EDU_BUFFER_SIZE, false, DMA_TIMEOUT)) {
			gprintf("attack %u: the device never finished\n", n);
			return 1;
		}
		for (unsigned i = 0; i < EDU_BUFFER_SIZE; i++)
			if (seen[i] && seen[i] != (uint8_t)(i * 7 + 3)) {
				gprintf("attack %u: the read reached memory "
					"(byte %u is 0x%02x)\n",
					n, i, seen[i]);
				return 1;
			}
		gprintf("attack %u: the read brought nothing back; no fault "
			"stopped this partition\n",
			n);
	}
	if (guest_channel_open(0, &channel) >= 0)
		__atomic_store_n((volatile uint32_t *)channel.memory,
				 DONE_MAGIC, __ATOMIC_RELEASE);
	gprintf("all %u attacks made; none reached memory\n", count);
	return 0;
}

/* A hexadecimal address typed on the partition's console (a PC
 * partition has the console's input), ended by a newline; 0 when none
 * comes in time. */
static uint64_t typed_address(unsigned run)
{
	uint64_t address = 0, start = rdtsc();

	gprintf("attack %u: type the address to attack\n", run);
	for (;;) {
		if (rdtsc() - start > TYPED_WAIT)
			return 0;
		if (!(inb(UART_LINE_STATUS) & UART_DATA_READY)) {
			cpu_relax();
			continue;
		}
		char c = (char)inb(UART_DATA);
		int d = hex_digit_value(c);

		if (c == '\n' || c == '\r')
			return address;
		if (c == 'x' || c == 'X')
			continue;
		if (d >= 0)
			address = address << 4 | (unsigned)d;
	}
}

static int attack(const struct bulkhead_boot_info *boot)
{
	char list[96];
	bool write = false;
	uint64_t address = 0;
	unsigned count = 0;
	char stop[4];
	int status;

	if (args_get(boot->args, "expect-stop", stop, sizeof(stop)) &&
	    !strcmp(stop, "no")) {
		if (!args_get(boot->args, "targets", list, sizeof(list)))
			return 2;
		return attack_all(list, boot->memory_size);
	}
	if (!args_get(boot->args, "targets", list, sizeof(list)) ||
	    !nth_target(list, boot->run, &write, &address, boot->memory_size,
			&count)) {
		gprintf("args need targets=w:ADDRESS,r:ADDRESS,...\n");
		return 2;
	}
	gprintf("run %u\n", boot->run);
	status = round_trip();
	if (status)
		return status;
	if (boot->run > count) {
		struct guest_channel channel;

		if (guest_channel_open(0, &channel) >= 0)
			__atomic_store_n((volatile uint32_t *)channel.memory,
					 DONE_MAGIC, __ATOMIC_RELEASE);
		gprintf("all %u attacks made; each stopped this partition\n",
			count);
		return 0;
	}
	if (address == TYPED_ADDRESS) {
		address = typed_address(boot->run);
		if (!address) {
			gprintf("attack %u: no address typed\n", boot->run);
			return 1;
		}
	}
	/* A write sends the round trip's bytes, still in the device. */
	gprintf("attack %u: DMA %s 0x%lx\n", boot->run,
		write ? "write to" : "read from", (unsigned long)address);
	edu_dma(&edu, address, 0, write ? 64 : EDU_BUFFER_SIZE, !write,
		DMA_TIMEOUT);
	uint64_t until = rdtsc() + STOP_GRACE;

	while (rdtsc() < until)
		cpu_relax();
	gprintf("attack %u: NOT STOPPED by the hypervisor\n", boot->run);
	return 1;
}

static uint64_t pattern(uint64_t address)
{
	return address * 0x9e3779b97f4a7c15ull ^ 0x5ca1ab1e;
}

static int victim(const struct bulkhead_boot_info *boot)
{
	struct guest_channel channel;
	volatile uint64_t *words = (volatile uint64_t *)(uintptr_t)PATTERN_START;
	uint64_t count = (boot->memory_size - PATTERN_START) / 8, start;

	if (guest_channel_open(0, &channel) < 0) {
		gprintf("no channel 0\n");
		return 2;
	}
	for (uint64_t i = 0; i < count; i++)
		words[i] = pattern(PATTERN_START + 8 * i);
	gprintf("victim: %lu MiB filled, waiting for the attacker\n",
		(unsigned long)((count * 8) >> 20));
	start = rdtsc();
	while (__atomic_load_n((volatile uint32_t *)channel.memory,
			       __ATOMIC_ACQUIRE) != DONE_MAGIC) {
		if (rdtsc() - start > VICTIM_WAIT) {
			gprintf("victim: the attacker never finished\n");
			return 1;
		}
		cpu_relax();
	}
	for (uint64_t i = 0; i < count; i++)
		if (words[i] != pattern(PATTERN_START + 8 * i)) {
			gprintf("victim: word at 0x%lx was overwritten: 0x%lx\n",
				(unsigned long)(PATTERN_START + 8 * i),
				(unsigned long)words[i]);
			return 1;
		}
	gprintf("victim: memory intact, %lu MiB checked\n",
		(unsigned long)((count * 8) >> 20));
	return 0;
}

static int restart(const struct bulkhead_boot_info *boot)
{
	volatile uint8_t *target = (volatile uint8_t *)(uintptr_t)RESTART_TARGET;
	int status;

	gprintf("run %u\n", boot->run);
	if (boot->run == 1) {
		status = open_device(boot);
		if (status)
			return status;
		status = round_trip();
		if (status)
			return status;
		/* The device still holds the round trip's bytes. */
		edu_dma_start(&edu, RESTART_TARGET, 0, EDU_BUFFER_SIZE, false);
		gprintf("DMA started; faulting before it lands\n");
		triple_fault();
		gprintf("survived a triple fault\n");
		return 1;
	}
	/* The device is not touched until the old DMA is long due: edu has
	 * no reset, so it still runs it, and only bus mastering being off
	 * keeps it out of this run's memory. */
	uint64_t until = rdtsc() + STALE_DMA_WAIT;

	while (rdtsc() < until)
		cpu_relax();
	for (unsigned i = 0; i < EDU_BUFFER_SIZE; i++)
		if (target[i]) {
			gprintf("the DMA of the previous run landed in this "
				"run's memory (byte %u is 0x%02x)\n",
				i, target[i]);
			return 1;
		}
	gprintf("no DMA of the previous run reached this run's memory\n");
	status = open_device(boot);
	return status ? status : round_trip();
}

int guest_main(const struct bulkhead_boot_info *boot, unsigned vcpu)
{
	char role[16];
	int status;

	if (vcpu != 0)
		return guest_wait_for_primary();
	if (!args_get(boot->args, "role", role, sizeof(role))) {
		gprintf("args need role=own|attack|victim|restart\n");
		return 2;
	}
	if (!strcmp(role, "victim"))
		return victim(boot);
	if (!strcmp(role, "restart"))
		return restart(boot);
	status = open_device(boot);
	if (status)
		return status;
	if (!strcmp(role, "own"))
		return round_trip();
	if (!strcmp(role, "attack"))
		return attack(boot);
	gprintf("args: unknown role %s\n", role);
	return 2;
}
