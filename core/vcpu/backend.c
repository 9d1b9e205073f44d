/* SPDX-License-Identifier: MIT */
/*
 * Chooses the virtualization backend once, at boot, from the CPU vendor.
 * The rest of the hypervisor only ever calls through `backend`.
 */
#include <string.h>

#include "arch/x86_64/cpu.h"
#include "lib/format.h"
#include "vcpu.h"

const struct vcpu_backend *backend;

const struct vcpu_backend *vcpu_backend_detect(char *error, unsigned size)
{
	struct cpuid_result vendor = cpuid(0, 0);
	char name[13];

	memcpy(name, &vendor.ebx, 4);
	memcpy(name + 4, &vendor.edx, 4);
	memcpy(name + 8, &vendor.ecx, 4);
	name[12] = '\0';
	if (!strcmp(name, "AuthenticAMD") || !strcmp(name, "HygonGenuine"))
		return &svm_backend;
	if (!strcmp(name, "GenuineIntel"))
		return &vmx_backend;
	format(error, size, "unknown CPU vendor \"%s\"", name);
	return NULL;
}
