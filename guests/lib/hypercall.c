/* SPDX-License-Identifier: MIT */
/*
 * Hypercall instruction selection and the typed wrappers of the bulkhead
 * ABI. The vendor is looked up on first use and cached; concurrent first
 * calls from several vCPUs just store the same value twice.
 */
#include <string.h>

#include "cpu.h"
#include "hypercall.h"

enum hypercall_insn { INSN_UNKNOWN, INSN_VMMCALL, INSN_VMCALL };

static int cached_insn;

bool cpu_vendor_is_amd(void)
{
	struct cpuid_result r = cpuid(0, 0);
	char vendor[13];

	memcpy(vendor, &r.ebx, 4);
	memcpy(vendor + 4, &r.edx, 4);
	memcpy(vendor + 8, &r.ecx, 4);
	vendor[12] = '\0';
	return !strcmp(vendor, "AuthenticAMD") || !strcmp(vendor, "HygonGenuine");
}

static enum hypercall_insn hypercall_insn(void)
{
	int insn = __atomic_load_n(&cached_insn, __ATOMIC_RELAXED);

	if (insn == INSN_UNKNOWN) {
		insn = cpu_vendor_is_amd() ? INSN_VMMCALL : INSN_VMCALL;
		__atomic_store_n(&cached_insn, insn, __ATOMIC_RELAXED);
	}
	return insn;
}

bool bulkhead_present(void)
{
	struct cpuid_result r = cpuid(BULKHEAD_CPUID_LEAF_BASE, 0);
	char signature[12];

	memcpy(signature, &r.ebx, 4);
	memcpy(signature + 4, &r.ecx, 4);
	memcpy(signature + 8, &r.edx, 4);
	return r.eax >= BULKHEAD_CPUID_LEAF_VERSION &&
	       !memcmp(signature, BULKHEAD_SIGNATURE, sizeof(signature));
}

int64_t hypercall4(uint64_t number, uint64_t a0, uint64_t a1, uint64_t a2,
		   uint64_t a3)
{
	register uint64_t r10 asm("r10") = a3;
	uint64_t result;

	if (hypercall_insn() == INSN_VMMCALL)
		asm volatile("vmmcall"
			     : "=a"(result)
			     : "a"(number), "D"(a0), "S"(a1), "d"(a2), "r"(r10)
			     : "memory");
	else
		asm volatile("vmcall"
			     : "=a"(result)
			     : "a"(number), "D"(a0), "S"(a1), "d"(a2), "r"(r10)
			     : "memory");
	return (int64_t)result;
}

int64_t hypercall3(uint64_t number, uint64_t a0, uint64_t a1, uint64_t a2)
{
	return hypercall4(number, a0, a1, a2, 0);
}

int64_t hypercall2(uint64_t number, uint64_t a0, uint64_t a1)
{
	return hypercall4(number, a0, a1, 0, 0);
}

int64_t hypercall1(uint64_t number, uint64_t a0)
{
	return hypercall4(number, a0, 0, 0, 0);
}

int64_t hypercall0(uint64_t number)
{
	return hypercall4(number, 0, 0, 0, 0);
}

int64_t bulkhead_version(void)
{
	return hypercall0(BULKHEAD_HC_VERSION);
}

int64_t bulkhead_partition_info(struct bulkhead_partition_info *info)
{
	return hypercall2(BULKHEAD_HC_PARTITION_INFO, (uintptr_t)info,
			  sizeof(*info));
}

int64_t bulkhead_console_write(const char *text, size_t length)
{
	return hypercall2(BULKHEAD_HC_CONSOLE_WRITE, (uintptr_t)text, length);
}

void bulkhead_exit(int64_t status)
{
	hypercall1(BULKHEAD_HC_EXIT, (uint64_t)status);
	cpu_park();
}

int64_t bulkhead_channel_info(uint64_t channel,
			      struct bulkhead_channel_info *info)
{
	return hypercall3(BULKHEAD_HC_CHANNEL_INFO, channel, (uintptr_t)info,
			  sizeof(*info));
}

int64_t bulkhead_channel_notify(uint64_t channel)
{
	return hypercall1(BULKHEAD_HC_CHANNEL_NOTIFY, channel);
}

int64_t bulkhead_partition_state(uint64_t partition,
				 struct bulkhead_partition_state *state)
{
	return hypercall3(BULKHEAD_HC_PARTITION_STATE, partition,
			  (uintptr_t)state, sizeof(*state));
}

int64_t bulkhead_partition_control(uint64_t partition, uint64_t operation)
{
	return hypercall2(BULKHEAD_HC_PARTITION_CONTROL, partition, operation);
}

int64_t bulkhead_stats(uint64_t partition, struct bulkhead_stats *stats)
{
	return hypercall3(BULKHEAD_HC_STATS, partition, (uintptr_t)stats,
			  sizeof(*stats));
}

int64_t bulkhead_console_read(uint64_t partition, uint64_t position,
			      void *buffer, uint64_t size)
{
	return hypercall4(BULKHEAD_HC_CONSOLE_READ, partition, position,
			  (uintptr_t)buffer, size);
}
