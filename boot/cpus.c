/* SPDX-License-Identifier: MIT */
/*
 * CPU discovery: the UEFI MP Services protocol is the primary source (it
 * exists without ACPI, e.g. under Bochs); the ACPI MADT, when the firmware
 * publishes one, supplies the IO APIC address and a cross-check of the CPU
 * count. Config CPU 0 is always the boot CPU; the rest follow in the
 * firmware's order.
 */
#include "loader.h"

#include <bulkhead/acpi_read.h>
#include <string.h>

#define MP_SERVICES_GUID                                                      \
	{ 0x3fdda605, 0xa76e, 0x4f46,                                          \
	  { 0xad, 0x29, 0x12, 0xf4, 0x53, 0x1b, 0x3d, 0x08 } }
#define MP_STATUS_BSP 0x1
#define MP_STATUS_ENABLED 0x2

struct mp_processor_info {
	UINT64 processor_id; /* the APIC ID */
	UINT32 status;
	UINT32 package, core, thread;
};

struct mp_services {
	EFI_STATUS(EFIAPI *get_number_of_processors)
	(struct mp_services *self, UINTN *count, UINTN *enabled);
	EFI_STATUS(EFIAPI *get_processor_info)
	(struct mp_services *self, UINTN number, struct mp_processor_info *info);
	/* StartupAllAPs, StartupThisAP, SwitchBSP, EnableDisableAP, WhoAmI
	 * follow; the loader does not use them. */
};

static UINT32 boot_apic_id(void)
{
	UINT32 eax = 1, ebx, ecx = 0, edx;

	__asm__ volatile("cpuid" : "+a"(eax), "=b"(ebx), "+c"(ecx), "=d"(edx));
	return ebx >> 24;
}

static void add_cpu(struct bootinfo *info, UINT32 apic_id, bool boot)
{
	if (info->cpu_count >= CONFIG_MAX_CPUS)
		return;
	info->cpus[info->cpu_count].apic_id = apic_id;
	info->cpus[info->cpu_count].is_boot_cpu = boot;
	info->cpu_count++;
}

static EFI_STATUS cpus_from_mp_services(struct bootinfo *info)
{
	EFI_GUID guid = MP_SERVICES_GUID;
	struct mp_services *mp;
	struct mp_processor_info cpu;
	UINTN count, enabled;
	EFI_STATUS status;

	status = loader_system_table->BootServices->LocateProtocol(
		&guid, NULL, (void **)&mp);
	if (EFI_ERROR(status))
		return status;
	status = mp->get_number_of_processors(mp, &count, &enabled);
	if (EFI_ERROR(status))
		return status;
	add_cpu(info, boot_apic_id(), true);
	for (UINTN i = 0; i < count; i++) {
		if (EFI_ERROR(mp->get_processor_info(mp, i, &cpu)))
			continue;
		if ((cpu.status & MP_STATUS_BSP) ||
		    !(cpu.status & MP_STATUS_ENABLED))
			continue;
		add_cpu(info, (UINT32)cpu.processor_id, false);
	}
	loader_log("MP services: %u processors, %u enabled",
		   (unsigned)count, (unsigned)enabled);
	return EFI_SUCCESS;
}

/* Reads the MADT: IO APIC address, and the enabled local APICs (used as
 * the CPU list when MP Services is missing). Returns the CPU count seen. */
static UINT32 read_madt(struct bootinfo *info, bool fill_cpus)
{
	/* Boot services map all memory identically. */
	const struct acpi_memory memory = { acpi_identity_map, NULL };
	struct acpi_table madt;
	UINT32 cpus = 0;

	if (!info->acpi_rsdp ||
	    !acpi_find_table(&memory, info->acpi_rsdp, "APIC", 0, &madt))
		return 0;
	/* After the header, the local APIC address and the flags. */
	const UINT8 *entry = madt.data + ACPI_HEADER_SIZE + 8;
	const UINT8 *end = madt.data + madt.length;
	for (; entry + 2 <= end && entry[1] >= 2 && entry + entry[1] <= end;
	     entry += entry[1]) {
		if (entry[0] == 0 && entry[1] >= 8 && (entry[4] & 1)) {
			cpus++;
			if (fill_cpus)
				add_cpu(info, entry[3],
					entry[3] == boot_apic_id());
		} else if (entry[0] == 1 && entry[1] >= 12 &&
			   !info->ioapic_base) {
			UINT32 address;

			memcpy(&address, entry + 4, 4);
			info->ioapic_base = address;
		}
	}
	return cpus;
}

static UINT64 find_rsdp(void)
{
	EFI_GUID acpi20 = ACPI_20_TABLE_GUID;

	for (UINTN i = 0; i < loader_system_table->NumberOfTableEntries; i++) {
		EFI_CONFIGURATION_TABLE *table =
			&loader_system_table->ConfigurationTable[i];
		if (!memcmp(&table->VendorGuid, &acpi20, sizeof(acpi20)))
			return (UINT64)(UINTN)table->VendorTable;
	}
	return 0;
}

static UINT64 read_msr(UINT32 index)
{
	UINT32 low, high;

	__asm__ volatile("rdmsr" : "=a"(low), "=d"(high) : "c"(index));
	return ((UINT64)high << 32) | low;
}

EFI_STATUS loader_find_cpus(struct bootinfo *info)
{
	bool from_mp = !EFI_ERROR(cpus_from_mp_services(info));
	UINT32 madt_cpus;

	info->acpi_rsdp = find_rsdp();
	info->lapic_base = read_msr(0x1b) & ~0xfffull & ((1ull << 52) - 1);
	madt_cpus = read_madt(info, !from_mp);
	if (!info->acpi_rsdp)
		loader_log("no ACPI tables: CPUs from MP services only");
	else
		loader_log("ACPI MADT: %u enabled CPUs, IO APIC at 0x%llx",
			   madt_cpus, (unsigned long long)info->ioapic_base);
	if (info->cpu_count == 0)
		add_cpu(info, boot_apic_id(), true);
	/* The boot CPU is config CPU 0. */
	for (UINT32 i = 1; i < info->cpu_count; i++) {
		if (info->cpus[i].is_boot_cpu) {
			struct bootinfo_cpu boot = info->cpus[i];

			info->cpus[i] = info->cpus[0];
			info->cpus[0] = boot;
		}
	}
	return EFI_SUCCESS;
}

UINT64 loader_calibrate_tsc(void)
{
	UINT64 start = loader_rdtsc();

	loader_system_table->BootServices->Stall(50000);
	return (loader_rdtsc() - start) * 20;
}
