/* SPDX-License-Identifier: MIT */
/*
 * attacker: tries to touch guest-physical memory that is not its own. It
 * maps the target into its page tables first, so only the hypervisor's
 * stage-2 tables stand in the way; a correct hypervisor stops the
 * partition at the first access. args picks the attack:
 *   peer        read GPA == memory size, then the next 2 MiB page (default)
 *   hypervisor  read GPA 4 GiB (high memory), then send an INIT IPI
 *               through the local APIC's ICR at 0xfee00300
 *   apic        only the INIT IPI write
 *   write       write GPA == memory size
 *   series      one fatal attack per run, the run number from the boot
 *               information picking it (the partition restarts on fault):
 *               1 REP OUTSB of 2^64-1 bytes to a denied port, 2 REP INSB
 *               from the virtual UART wrapping past the end of memory,
 *               3 HLT with interrupts off, 4 a read of the HPET, 5 a write
 *               to the IOAPIC, 6 a read of the PCI ECAM window, 7 a jump
 *               to code outside its memory; run 8 prints "series done" and
 *               exits 0
 * An access that returns prints "attacker: ESCAPED: ..." and exits 99.
 */
#include <string.h>

#include "bulkhead.h"

#define EXIT_ESCAPED 99
#define PAGE_2M (2ull << 20)
#define HIGH_MEMORY 0x100000000ull
#define APIC_ICR_LOW 0xfee00300ul
/* INIT, level assert, destination shorthand "all excluding self" */
#define ICR_INIT_ALL_BUT_SELF 0x000c4500u

#define EXIT_NOTHING_ATTEMPTED 3
#define HPET_BASE 0xfed00000ul
#define IOAPIC_BASE 0xfec00000ul
#define ECAM_BASE 0xb0000000ul /* QEMU q35's MCFG window */
#define SERIES_RUNS 7

struct attack_context {
	uint64_t memory_size;
	uint32_t run;
};

static bool prepare(const struct attack_context *context, uint64_t address,
		    bool uncached)
{
	if (address < context->memory_size) {
		gprintf("0x%lx is inside own memory, skipped\n",
			address);
		return false;
	}
	if (guest_map_identity_2m(address, uncached)) {
		gprintf("cannot map 0x%lx\n", address);
		return false;
	}
	return true;
}

static int escaped(const char *what, uint64_t address, uint64_t value)
{
	gprintf("ESCAPED: %s guest-physical 0x%lx returned (value 0x%lx)\n",
		what, address, value);
	return EXIT_ESCAPED;
}

/* Each attack returns EXIT_ESCAPED when the access came back, else 0. */
static int attack_read(struct attack_context *context, uint64_t address)
{
	uint8_t value;

	if (!prepare(context, address, false))
		return 0;
	gprintf("reading guest-physical 0x%lx (outside own memory)\n",
		address);
	value = *(volatile uint8_t *)(uintptr_t)address;
	return escaped("read of", address, value);
}

static int attack_write(struct attack_context *context, uint64_t address)
{
	if (!prepare(context, address, false))
		return 0;
	gprintf("writing guest-physical 0x%lx (outside own memory)\n",
		address);
	*(volatile uint8_t *)(uintptr_t)address = 0xa5;
	return escaped("write to", address, 0xa5);
}

static int attack_apic(struct attack_context *context)
{
	if (!prepare(context, APIC_ICR_LOW, true))
		return 0;
	gprintf("writing INIT IPI 0x%x to the local APIC ICR at guest-physical 0x%lx (outside own memory)\n",
		ICR_INIT_ALL_BUT_SELF, APIC_ICR_LOW);
	*(volatile uint32_t *)(uintptr_t)APIC_ICR_LOW = ICR_INIT_ALL_BUT_SELF;
	return escaped("INIT IPI write to", APIC_ICR_LOW, ICR_INIT_ALL_BUT_SELF);
}

static int attack_string_out(void)
{
	static const uint8_t buffer[16];

	gprintf("REP OUTSB of 2^64-1 bytes to port 0x80\n");
	asm volatile("rep outsb"
		     :
		     : "S"(buffer), "c"(~0ull), "d"(0x80)
		     : "memory");
	return escaped("REP OUTSB from", (uintptr_t)buffer, 0);
}

static int attack_string_in(const struct attack_context *context)
{
	uint64_t at = context->memory_size - 16;

	gprintf("REP INSB of 2^64-1 bytes from port 0x3f8 to 0x%lx\n", at);
	asm volatile("rep insb" : : "D"(at), "c"(~0ull), "d"(0x3f8) : "memory");
	return escaped("REP INSB to", at, 0);
}

static int attack_halt(void)
{
	gprintf("HLT with interrupts off\n");
	asm volatile("cli; hlt" ::: "memory");
	return escaped("HLT with interrupts off at", 0, 0);
}

static int attack_execute(struct attack_context *context, uint64_t address)
{
	if (!prepare(context, address, false))
		return 0;
	gprintf("jumping to guest-physical 0x%lx (outside own memory)\n",
		address);
	((void (*)(void))(uintptr_t)address)();
	return escaped("execution at", address, 0);
}

static int attack_in_series(struct attack_context *context, uint32_t run)
{
	gprintf("series run %u\n", run);
	switch (run) {
	case 1:
		return attack_string_out();
	case 2:
		return attack_string_in(context);
	case 3:
		return attack_halt();
	case 4:
		return attack_read(context, HPET_BASE);
	case 5:
		return attack_write(context, IOAPIC_BASE);
	case 6:
		return attack_read(context, ECAM_BASE);
	case 7:
		return attack_execute(context, context->memory_size + PAGE_2M);
	default:
		gprintf("series done\n");
		return -1;
	}
}

static int run_attack(struct attack_context *context, const char *name)
{
	uint64_t size = context->memory_size;
	uint64_t next_2m = (size + PAGE_2M) & ~(PAGE_2M - 1);
	int result;

	if (!strcmp(name, "peer")) {
		result = attack_read(context, size);
		return result ? result : attack_read(context, next_2m);
	}
	if (!strcmp(name, "hypervisor")) {
		/* 4 GiB, or the next 4 GiB boundary above a larger partition */
		result = attack_read(context, (size + HIGH_MEMORY - 1) &
				     ~(HIGH_MEMORY - 1));
		return result ? result : attack_apic(context);
	}
	if (!strcmp(name, "apic"))
		return attack_apic(context);
	if (!strcmp(name, "write"))
		return attack_write(context, size);
	if (!strcmp(name, "series"))
		return attack_in_series(context, context->run);
	gprintf("unknown attack \"%s\" (peer, hypervisor, apic, write, "
		"series)\n",
		name);
	return 2;
}

int guest_main(const struct bulkhead_boot_info *boot, unsigned vcpu)
{
	struct attack_context context = { .memory_size = boot->memory_size,
					  .run = boot->run };
	char name[32];
	int result;

	if (vcpu != 0)
		return guest_wait_for_primary();
	if (!args_first_word(boot->args, name, sizeof(name)))
		strcpy(name, "peer");

	gprintf("attack \"%s\", own memory 0x0-0x%lx\n", name,
		context.memory_size - 1);
	result = run_attack(&context, name);
	if (result < 0)
		return 0; /* the series is over */
	if (!result) {
		gprintf("no access attempted\n");
		return EXIT_NOTHING_ATTEMPTED;
	}
	return result;
}
