/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What both bulkhead kernel modules (bulkhead_channel, bulkhead_control)
 * need to talk to the hypervisor: its detection through CPUID (signature
 * "BulkheadHV  ", an ABI of the same major and at least the minor the
 * module needs), the hypercall instruction (VMMCALL on AMD and Hygon,
 * VMCALL otherwise) and the ABI's errors as errno values. Header-only, so
 * each module stays one object.
 */
#ifndef BULKHEAD_KERNEL_H
#define BULKHEAD_KERNEL_H

#include <linux/errno.h>
#include <linux/printk.h>
#include <linux/string.h>
#include <asm/processor.h>

#include "bulkhead_hypercall.h"

/* RAX = number, RDI, RSI, RDX, R10 = arguments; the result in RAX. */
static inline long bulkhead_hypercall4(bool vmmcall, unsigned long number,
				       unsigned long a0, unsigned long a1,
				       unsigned long a2, unsigned long a3)
{
	register unsigned long r10 asm("r10") = a3;
	unsigned long result;

	if (vmmcall)
		asm volatile("vmmcall"
			     : "=a"(result)
			     : "a"(number), "D"(a0), "S"(a1), "d"(a2), "r"(r10)
			     : "memory");
	else
		asm volatile("vmcall"
			     : "=a"(result)
			     : "a"(number), "D"(a0), "S"(a1), "d"(a2), "r"(r10)
			     : "memory");
	return (long)result;
}

static inline int bulkhead_errno(long result)
{
	switch (result) {
	case BULKHEAD_EPERM:
		return -EPERM;
	case BULKHEAD_ENOENT:
		return -ENOENT;
	case BULKHEAD_ESRCH:
		return -ESRCH;
	case BULKHEAD_EFAULT:
		return -EFAULT;
	case BULKHEAD_EINVAL:
		return -EINVAL;
	case BULKHEAD_ENOSYS:
		return -ENOSYS;
	default:
		return result < 0 ? -EIO : 0;
	}
}

/* 0 under bulkhead with ABI major.needed_minor or a later minor, and
 * *vmmcall set to the instruction to use; -ENODEV (logged) otherwise. */
static inline int bulkhead_detect(unsigned int needed_minor, bool *vmmcall)
{
	unsigned int eax, ebx, ecx, edx, version;
	char signature[12];

	if (!boot_cpu_has(X86_FEATURE_HYPERVISOR)) {
		pr_err("no hypervisor (CPUID hypervisor bit clear)\n");
		return -ENODEV;
	}
	cpuid(BULKHEAD_CPUID_LEAF_BASE, &eax, &ebx, &ecx, &edx);
	memcpy(signature, &ebx, 4);
	memcpy(signature + 4, &ecx, 4);
	memcpy(signature + 8, &edx, 4);
	if (memcmp(signature, BULKHEAD_SIGNATURE, sizeof(signature)) ||
	    eax < BULKHEAD_CPUID_LEAF_VERSION) {
		pr_err("hypervisor \"%*pE\" is not bulkhead\n",
		       (int)sizeof(signature), signature);
		return -ENODEV;
	}
	version = cpuid_eax(BULKHEAD_CPUID_LEAF_VERSION);
	if (version >> 16 != BULKHEAD_ABI_MAJOR ||
	    (version & 0xffff) < needed_minor) {
		pr_err("ABI %u.%u, this module needs %u.%u or a later %u.x\n",
		       version >> 16, version & 0xffff, BULKHEAD_ABI_MAJOR,
		       needed_minor, BULKHEAD_ABI_MAJOR);
		return -ENODEV;
	}
	*vmmcall = boot_cpu_data.x86_vendor == X86_VENDOR_AMD ||
		   boot_cpu_data.x86_vendor == X86_VENDOR_HYGON;
	return 0;
}

#endif
