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

struct attack_context {
	uint64_t memory_size;
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
	gprintf("unknown attack \"%s\" (peer, hypervisor, apic, write)\n",
		name);
	return 2;
}

int guest_main(const struct bulkhead_boot_info *boot, unsigned vcpu)
{
	struct attack_context context = { .memory_size = boot->memory_size };
	char name[32];
	int result;

	if (vcpu != 0)
		return guest_wait_for_primary();
	if (!args_first_word(boot->args, name, sizeof(name)))
		strcpy(name, "peer");

	gprintf("attack \"%s\", own memory 0x0-0x%lx\n", name,
		context.memory_size - 1);
	result = run_attack(&context, name);
	if (!result) {
		gprintf("no access attempted\n");
		return EXIT_NOTHING_ATTEMPTED;
	}
	return result;
}
