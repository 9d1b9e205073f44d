/* SPDX-License-Identifier: MIT */
/*
 * guest_start() and the exit path: installs the exception table, runs
 * guest_main() and exits with its result; vCPU 0 also publishes its status
 * for the vCPUs waiting in guest_wait_for_primary().
 */
#include <stdint.h>

#include "cpu.h"
#include "exceptions.h"
#include "hypercall.h"
#include "runtime.h"

_Static_assert(GUEST_HC_EXIT_NUMBER == BULKHEAD_HC_EXIT,
	       "start.S exits with the wrong hypercall number");

static int primary_status;
static int primary_done;

void guest_start(const struct bulkhead_boot_info *info, unsigned vcpu)
{
	guest_idt_install();
	guest_exit(guest_main(info, vcpu));
}

void guest_exit(int status)
{
	if (guest_vcpu_self() == 0) {
		primary_status = status;
		__atomic_store_n(&primary_done, 1, __ATOMIC_RELEASE);
	}
	bulkhead_exit(status);
}

int guest_wait_for_primary(void)
{
	while (!__atomic_load_n(&primary_done, __ATOMIC_ACQUIRE))
		cpu_relax();
	return primary_status;
}

unsigned guest_vcpu_self(void)
{
	uintptr_t base = (uintptr_t)guest_stacks;
	uintptr_t stack;

	asm("mov %%rsp, %0" : "=r"(stack));

	if (stack < base || stack >= base + sizeof(guest_stacks))
		return GUEST_MAX_VCPUS;
	return (stack - base) / GUEST_STACK_SIZE;
}
