/* SPDX-License-Identifier: MIT */
/*
 * Builder of a Linux partition's ACPI tables (ACPI 6.0 layouts). The
 * parameters are checked, the tables laid out in the buffer (RSDP first,
 * then XSDT, RSDT, FACS, FADT, DSDT, MADT and the MCFG if any, each
 * aligned as the spec or Linux wants it), and only then written, byte by
 * byte in little-endian order, so that nothing is written unless
 * everything fits. The DSDT's AML comes from lib/acpi_dsdt.asl
 * (acpi_dsdt.c).
 */
#include <bulkhead/acpi_tables.h>

#include "acpi_dsdt.h"

#include <stdbool.h>
#include <string.h>

#define TABLES_LIMIT (1ull << 32) /* RSDT entries are 32-bit */
#define PORT_SPACE   0x10000u

/* Identity written into every table. */
#define OEM_ID		 "BLKHD "
#define OEM_TABLE_ID	 "BULKHEAD"
#define OEM_REVISION	 1
#define CREATOR_ID	 "BLKH"
#define CREATOR_REVISION 1

/* The common header of every table but the RSDP and the FACS. */
#define HEADER_SIZE	36
#define HEADER_LENGTH	4
#define HEADER_REVISION 8
#define HEADER_CHECKSUM 9

/* Root System Description Pointer, revision 2. */
#define RSDP_SIZE	       36
#define RSDP_CHECKSUM	       8
#define RSDP_CHECKSUMMED_V1    20 /* the first checksum covers 20 bytes */
#define RSDP_OEM_ID	       9
#define RSDP_REVISION	       15
#define RSDP_RSDT_ADDRESS      16
#define RSDP_LENGTH	       20
#define RSDP_XSDT_ADDRESS      24
#define RSDP_EXTENDED_CHECKSUM 32

#define ROOT_ENTRIES_MAX 3 /* FACP, APIC and MCFG */

/* Firmware ACPI Control Structure, version 2: no checksum, all zero. */
#define FACS_SIZE    64
#define FACS_ALIGN   64 /* the spec wants it 64-byte aligned */
#define FACS_LENGTH  4
#define FACS_VERSION 32

/* Fixed ACPI Description Table, revision 6 (ACPI 6.0). */
#define FADT_SIZE	       276
#define FADT_REVISION	       6
#define FADT_FIRMWARE_CTRL     36
#define FADT_DSDT	       40
#define FADT_SCI_INT	       46
#define FADT_PM1A_EVT_BLK      56
#define FADT_PM1A_CNT_BLK      64
#define FADT_PM_TMR_BLK	       76
#define FADT_PM1_EVT_LEN       88
#define FADT_PM1_CNT_LEN       89
#define FADT_PM_TMR_LEN	       91
#define FADT_P_LVL2_LAT	       96
#define FADT_P_LVL3_LAT	       98
#define FADT_IAPC_BOOT_ARCH    109
#define FADT_FLAGS	       112
#define FADT_RESET_REG	       116
#define FADT_RESET_VALUE       128
#define FADT_X_FIRMWARE_CTRL   132
#define FADT_X_DSDT	       140
#define FADT_X_PM1A_EVT_BLK    148
#define FADT_X_PM1A_CNT_BLK    172
#define FADT_X_PM_TMR_BLK      208
#define FADT_HYPERVISOR_VENDOR 268

#define PM1_EVT_LEN 4 /* status and enable, 16 bits each */
#define PM1_CNT_LEN 2
#define PM_TMR_LEN  4
/* Latencies above 100 and 1000 us say C2 and C3 are not supported. */
#define P_LVL2_LAT_NONE 101
#define P_LVL3_LAT_NONE 1001

/* FADT flags. */
#define FADT_WBINVD	   (1u << 0)  /* WBINVD flushes caches properly */
#define FADT_PROC_C1	   (1u << 2)  /* HLT (C1) works on every CPU */
#define FADT_PWR_BUTTON	   (1u << 4)  /* no fixed-feature power button */
#define FADT_SLP_BUTTON	   (1u << 5)  /* no fixed-feature sleep button */
#define FADT_RESET_REG_SUP (1u << 10) /* RESET_REG resets the system */
/* TMR_VAL_EXT (bit 8) stays clear: the PM timer counts 24 bits.
 * HW_REDUCED_ACPI (bit 20) stays clear: the PM1 blocks exist. */
#define FADT_FLAGS_VALUE                                                       \
	(FADT_WBINVD | FADT_PROC_C1 | FADT_PWR_BUTTON | FADT_SLP_BUTTON |      \
	 FADT_RESET_REG_SUP)

/* IA-PC boot architecture flags. LEGACY_DEVICES (bit 0) and 8042 (bit 1)
 * stay clear: no ISA devices to enumerate, no keyboard controller (Linux
 * then leaves ports 0x60/0x64 alone). */
#define BOOT_ARCH_VGA_NOT_PRESENT  (1u << 2) /* no VGA: leave 0x3c0.. alone */
#define BOOT_ARCH_MSI_NOT_SUPPORT  (1u << 3) /* no MSI path (even with PCI) */
#define BOOT_ARCH_PCIE_ASPM_CTRL   (1u << 4) /* the OS must not touch ASPM */
#define BOOT_ARCH_CMOS_RTC_MISSING (1u << 5) /* no RTC at ports 0x70/0x71 */
#define BOOT_ARCH_VALUE                                                        \
	(BOOT_ARCH_VGA_NOT_PRESENT | BOOT_ARCH_MSI_NOT_SUPPORT |               \
	 BOOT_ARCH_PCIE_ASPM_CTRL | BOOT_ARCH_CMOS_RTC_MISSING)

/* Generic Address Structure: space, bit width, bit offset, access size,
 * 64-bit address. */
#define GAS_SYSTEM_IO	 1
#define GAS_ACCESS_BYTE	 1
#define GAS_ACCESS_WORD	 2
#define GAS_ACCESS_DWORD 3

/* Multiple APIC Description Table, revision 4 (ACPI 6.0). */
#define MADT_REVISION	   4
#define MADT_LAPIC_ADDRESS 36
#define MADT_FLAGS	   40 /* 0: no PCAT_COMPAT, there is no 8259 */
#define MADT_FIXED_SIZE	   44

#define MADT_TYPE_LAPIC	    0
#define MADT_TYPE_IOAPIC    1
#define MADT_TYPE_OVERRIDE  2
#define MADT_TYPE_LAPIC_NMI 4
#define MADT_LAPIC_SIZE	    8
#define MADT_IOAPIC_SIZE    12
#define MADT_OVERRIDE_SIZE  10
#define MADT_LAPIC_NMI_SIZE 6
#define MADT_LAPIC_ENABLED  1u
#define MADT_ALL_PROCESSORS 0xff
#define MADT_LINT1	    1
/* MPS INTI flags: polarity in bits 0-1 (1 high), trigger in bits 2-3
 * (1 edge, 3 level). */
#define INTI_EDGE_HIGH	0x0005
#define INTI_LEVEL_HIGH 0x000d
#define ISA_TIMER_IRQ	0
#define ISA_TIMER_GSI	2 /* the IOAPIC's pin 2, as on every PC */
#define ISA_IRQ_COUNT	16

#define MADT_OVERRIDES 2 /* IRQ 0 and the SCI */
#define MADT_TAIL_SIZE                                                         \
	(MADT_IOAPIC_SIZE + MADT_OVERRIDES * MADT_OVERRIDE_SIZE +              \
	 MADT_LAPIC_NMI_SIZE)

/* PCI Express memory mapped configuration space base address description
 * table (PCI Firmware 3.0): one allocation for segment 0. */
#define MCFG_REVISION	     1
#define MCFG_ALLOCATIONS     44 /* after the header and 8 reserved bytes */
#define MCFG_ALLOCATION_SIZE 16
#define MCFG_SIZE	     (MCFG_ALLOCATIONS + MCFG_ALLOCATION_SIZE)

/* Offsets of each table in the buffer. */
struct layout {
	size_t rsdp;
	size_t xsdt;
	size_t rsdt;
	size_t facs;
	size_t fadt;
	size_t dsdt;
	size_t dsdt_size;
	size_t madt;
	size_t madt_size;
	size_t mcfg; /* 0: no MCFG */
	size_t root_entries;
	size_t end;
};

struct port_block {
	uint32_t first;
	uint32_t count;
};

static void put16(uint8_t *at, uint16_t value)
{
	at[0] = (uint8_t)value;
	at[1] = (uint8_t)(value >> 8);
}

static void put32(uint8_t *at, uint32_t value)
{
	put16(at, (uint16_t)value);
	put16(at + 2, (uint16_t)(value >> 16));
}

static void put64(uint8_t *at, uint64_t value)
{
	put32(at, (uint32_t)value);
	put32(at + 4, (uint32_t)(value >> 32));
}

static void put_gas(uint8_t *at, uint8_t bit_width, uint8_t access_size,
		    uint64_t port)
{
	at[0] = GAS_SYSTEM_IO;
	at[1] = bit_width;
	at[2] = 0; /* bit offset */
	at[3] = access_size;
	put64(at + 4, port);
}

/* Sets bytes[checksum_at] so that the bytes sum to 0 modulo 256. */
static void seal(uint8_t *bytes, size_t length, size_t checksum_at)
{
	uint8_t sum = 0;

	bytes[checksum_at] = 0;
	for (size_t i = 0; i < length; i++)
		sum = (uint8_t)(sum + bytes[i]);
	bytes[checksum_at] = (uint8_t)-sum;
}

static void put_header(uint8_t *table, const char *signature, uint32_t length,
		       uint8_t revision)
{
	memcpy(table, signature, 4);
	put32(table + HEADER_LENGTH, length);
	table[HEADER_REVISION] = revision;
	memcpy(table + 10, OEM_ID, 6);
	memcpy(table + 16, OEM_TABLE_ID, 8);
	put32(table + 24, OEM_REVISION);
	memcpy(table + 28, CREATOR_ID, 4);
	put32(table + 32, CREATOR_REVISION);
}

static bool port_block_valid(struct port_block block)
{
	return block.first != 0 && block.first + block.count <= PORT_SPACE;
}

static bool port_blocks_overlap(struct port_block a, struct port_block b)
{
	return a.first < b.first + b.count && b.first < a.first + a.count;
}

static bool ports_valid(const struct acpi_params *params)
{
	struct port_block blocks[4] = {
	    {params->pm1a_event_port, PM1_EVT_LEN},
	    {params->pm1a_control_port, PM1_CNT_LEN},
	    {params->reset_port, 1},
	    {params->pm_timer_port, PM_TMR_LEN},
	};
	size_t count = params->pm_timer_port ? 4 : 3;

	for (size_t i = 0; i < count; i++) {
		if (!port_block_valid(blocks[i]))
			return false;
		for (size_t j = 0; j < i; j++)
			if (port_blocks_overlap(blocks[i], blocks[j]))
				return false;
	}
	return true;
}

static bool interrupts_valid(const struct acpi_params *params)
{
	return params->cpu_count >= 1 &&
	       params->cpu_count <= ACPI_TABLES_MAX_CPUS &&
	       params->ioapic_id >= params->cpu_count &&
	       params->ioapic_id != 0xff && params->lapic_address != 0 &&
	       (params->lapic_address & 0xfff) == 0 &&
	       params->ioapic_address != 0 &&
	       params->sci_irq != ISA_TIMER_IRQ &&
	       params->sci_irq != ISA_TIMER_GSI &&
	       params->sci_irq < ISA_IRQ_COUNT;
}

/* Puts size bytes at the first address from *cursor aligned to align. */
static size_t place(uint64_t base, size_t *cursor, size_t size, uint64_t align)
{
	uint64_t address = (base + *cursor + align - 1) & ~(align - 1);
	size_t offset = (size_t)(address - base);

	*cursor = offset + size;
	return offset;
}

/* Needs base < TABLES_LIMIT, so that nothing here can overflow. */
static void plan_layout(const struct acpi_params *params,
			const struct acpi_dsdt_plan *dsdt, struct layout *l)
{
	uint64_t base = params->base;
	size_t cursor = 0;

	l->root_entries = params->ecam_base ? 3 : 2;
	l->madt_size = MADT_FIXED_SIZE + params->cpu_count * MADT_LAPIC_SIZE +
		       MADT_TAIL_SIZE;
	l->dsdt_size = HEADER_SIZE + dsdt->size;
	l->rsdp = place(base, &cursor, RSDP_SIZE, 16);
	l->xsdt = place(base, &cursor, HEADER_SIZE + l->root_entries * 8, 8);
	l->rsdt = place(base, &cursor, HEADER_SIZE + l->root_entries * 4, 8);
	l->facs = place(base, &cursor, FACS_SIZE, FACS_ALIGN);
	l->fadt = place(base, &cursor, FADT_SIZE, 8);
	l->dsdt = place(base, &cursor, l->dsdt_size, 8);
	l->madt = place(base, &cursor, l->madt_size, 8);
	l->mcfg = params->ecam_base ? place(base, &cursor, MCFG_SIZE, 8) : 0;
	l->end = cursor;
}

static void write_rsdp(uint8_t *buffer, const struct layout *l, uint64_t base)
{
	uint8_t *rsdp = buffer + l->rsdp;

	memcpy(rsdp, "RSD PTR ", 8);
	memcpy(rsdp + RSDP_OEM_ID, OEM_ID, 6);
	rsdp[RSDP_REVISION] = 2;
	put32(rsdp + RSDP_RSDT_ADDRESS, (uint32_t)(base + l->rsdt));
	put32(rsdp + RSDP_LENGTH, RSDP_SIZE);
	put64(rsdp + RSDP_XSDT_ADDRESS, base + l->xsdt);
	seal(rsdp, RSDP_CHECKSUMMED_V1, RSDP_CHECKSUM);
	seal(rsdp, RSDP_SIZE, RSDP_EXTENDED_CHECKSUM);
}

static void write_root_tables(uint8_t *buffer, const struct layout *l,
			      uint64_t base)
{
	uint8_t *xsdt = buffer + l->xsdt;
	uint8_t *rsdt = buffer + l->rsdt;
	const size_t entries[ROOT_ENTRIES_MAX] = {l->fadt, l->madt, l->mcfg};
	uint32_t xsdt_length = (uint32_t)(HEADER_SIZE + l->root_entries * 8);
	uint32_t rsdt_length = (uint32_t)(HEADER_SIZE + l->root_entries * 4);

	put_header(xsdt, "XSDT", xsdt_length, 1);
	put_header(rsdt, "RSDT", rsdt_length, 1);
	for (size_t i = 0; i < l->root_entries; i++) {
		put64(xsdt + HEADER_SIZE + i * 8, base + entries[i]);
		put32(rsdt + HEADER_SIZE + i * 4,
		      (uint32_t)(base + entries[i]));
	}
	seal(xsdt, xsdt_length, HEADER_CHECKSUM);
	seal(rsdt, rsdt_length, HEADER_CHECKSUM);
}

static void write_facs(uint8_t *buffer, const struct layout *l)
{
	uint8_t *facs = buffer + l->facs;

	memcpy(facs, "FACS", 4);
	put32(facs + FACS_LENGTH, FACS_SIZE);
	facs[FACS_VERSION] = 2;
}

static void write_fadt_ports(uint8_t *fadt, const struct acpi_params *params)
{
	put32(fadt + FADT_PM1A_EVT_BLK, params->pm1a_event_port);
	fadt[FADT_PM1_EVT_LEN] = PM1_EVT_LEN;
	put_gas(fadt + FADT_X_PM1A_EVT_BLK, PM1_EVT_LEN * 8, GAS_ACCESS_WORD,
		params->pm1a_event_port);
	put32(fadt + FADT_PM1A_CNT_BLK, params->pm1a_control_port);
	fadt[FADT_PM1_CNT_LEN] = PM1_CNT_LEN;
	put_gas(fadt + FADT_X_PM1A_CNT_BLK, PM1_CNT_LEN * 8, GAS_ACCESS_WORD,
		params->pm1a_control_port);
	if (params->pm_timer_port) {
		put32(fadt + FADT_PM_TMR_BLK, params->pm_timer_port);
		fadt[FADT_PM_TMR_LEN] = PM_TMR_LEN;
		put_gas(fadt + FADT_X_PM_TMR_BLK, PM_TMR_LEN * 8,
			GAS_ACCESS_DWORD, params->pm_timer_port);
	}
	put_gas(fadt + FADT_RESET_REG, 8, GAS_ACCESS_BYTE, params->reset_port);
	fadt[FADT_RESET_VALUE] = params->reset_value;
}

/* SMI_CMD, ACPI_ENABLE and ACPI_DISABLE stay 0: ACPI is always enabled.
 * Preferred_PM_Profile stays 0 (unspecified); no GPE blocks, no PM1b. */
static void write_fadt(uint8_t *buffer, const struct layout *l,
		       const struct acpi_params *params)
{
	uint8_t *fadt = buffer + l->fadt;
	uint64_t facs = params->base + l->facs;
	uint64_t dsdt = params->base + l->dsdt;

	put_header(fadt, "FACP", FADT_SIZE, FADT_REVISION);
	put32(fadt + FADT_FIRMWARE_CTRL, (uint32_t)facs);
	put32(fadt + FADT_DSDT, (uint32_t)dsdt);
	put64(fadt + FADT_X_FIRMWARE_CTRL, facs);
	put64(fadt + FADT_X_DSDT, dsdt);
	put16(fadt + FADT_SCI_INT, params->sci_irq);
	write_fadt_ports(fadt, params);
	put16(fadt + FADT_P_LVL2_LAT, P_LVL2_LAT_NONE);
	put16(fadt + FADT_P_LVL3_LAT, P_LVL3_LAT_NONE);
	put16(fadt + FADT_IAPC_BOOT_ARCH,
	      BOOT_ARCH_VALUE &
		      ~(params->msi ? BOOT_ARCH_MSI_NOT_SUPPORT : 0u));
	put32(fadt + FADT_FLAGS, FADT_FLAGS_VALUE);
	memcpy(fadt + FADT_HYPERVISOR_VENDOR, OEM_TABLE_ID, 8);
	seal(fadt, FADT_SIZE, HEADER_CHECKSUM);
}

static void write_dsdt(uint8_t *buffer, const struct layout *l,
		       const struct acpi_dsdt_plan *plan,
		       const struct acpi_params *params)
{
	uint8_t *dsdt = buffer + l->dsdt;

	/* Revision 2: AML integers are 64-bit. */
	put_header(dsdt, "DSDT", (uint32_t)l->dsdt_size, 2);
	acpi_dsdt_write(dsdt + HEADER_SIZE, plan, params);
	seal(dsdt, l->dsdt_size, HEADER_CHECKSUM);
}

static uint8_t *put_override(uint8_t *at, uint8_t irq, uint32_t gsi,
			     uint16_t flags)
{
	at[0] = MADT_TYPE_OVERRIDE;
	at[1] = MADT_OVERRIDE_SIZE;
	at[2] = 0; /* bus: ISA */
	at[3] = irq;
	put32(at + 4, gsi);
	put16(at + 8, flags);
	return at + MADT_OVERRIDE_SIZE;
}

static uint8_t *put_lapics(uint8_t *at, uint32_t cpu_count)
{
	for (uint32_t cpu = 0; cpu < cpu_count; cpu++) {
		at[0] = MADT_TYPE_LAPIC;
		at[1] = MADT_LAPIC_SIZE;
		at[2] = (uint8_t)cpu; /* ACPI processor UID */
		at[3] = (uint8_t)cpu; /* APIC ID */
		put32(at + 4, MADT_LAPIC_ENABLED);
		at += MADT_LAPIC_SIZE;
	}
	return at;
}

static uint8_t *put_ioapic(uint8_t *at, const struct acpi_params *params)
{
	at[0] = MADT_TYPE_IOAPIC;
	at[1] = MADT_IOAPIC_SIZE;
	at[2] = params->ioapic_id;
	at[3] = 0;
	put32(at + 4, params->ioapic_address);
	put32(at + 8, 0); /* GSI base */
	return at + MADT_IOAPIC_SIZE;
}

/* Every CPU's LINT1 is the NMI input, edge triggered, active high. */
static uint8_t *put_lapic_nmi(uint8_t *at)
{
	at[0] = MADT_TYPE_LAPIC_NMI;
	at[1] = MADT_LAPIC_NMI_SIZE;
	at[2] = MADT_ALL_PROCESSORS;
	put16(at + 3, INTI_EDGE_HIGH);
	at[5] = MADT_LINT1;
	return at + MADT_LAPIC_NMI_SIZE;
}

static void write_madt(uint8_t *buffer, const struct layout *l,
		       const struct acpi_params *params)
{
	uint8_t *madt = buffer + l->madt;
	uint8_t *at = madt + MADT_FIXED_SIZE;

	put_header(madt, "APIC", (uint32_t)l->madt_size, MADT_REVISION);
	put32(madt + MADT_LAPIC_ADDRESS, params->lapic_address);
	put32(madt + MADT_FLAGS, 0);
	at = put_lapics(at, params->cpu_count);
	at = put_ioapic(at, params);
	at = put_override(at, ISA_TIMER_IRQ, ISA_TIMER_GSI, INTI_EDGE_HIGH);
	at =
	    put_override(at, params->sci_irq, params->sci_irq, INTI_LEVEL_HIGH);
	put_lapic_nmi(at);
	seal(madt, l->madt_size, HEADER_CHECKSUM);
}

/* Segment 0, buses 0..ecam_end_bus; the reserved bytes stay 0. */
static void write_mcfg(uint8_t *buffer, const struct layout *l,
		       const struct acpi_params *params)
{
	uint8_t *mcfg = buffer + l->mcfg;
	uint8_t *allocation = mcfg + MCFG_ALLOCATIONS;

	put_header(mcfg, "MCFG", MCFG_SIZE, MCFG_REVISION);
	put64(allocation, params->ecam_base);
	put16(allocation + 8, 0); /* PCI segment group */
	allocation[10] = 0;	  /* start bus */
	allocation[11] = params->ecam_end_bus;
	seal(mcfg, MCFG_SIZE, HEADER_CHECKSUM);
}

size_t acpi_tables_build(uint8_t *buffer, size_t capacity,
			 const struct acpi_params *params,
			 uint64_t *rsdp_address)
{
	struct acpi_dsdt_plan dsdt;
	struct layout l;

	if (!buffer || !params || !interrupts_valid(params) ||
	    !ports_valid(params) || params->base >= TABLES_LIMIT ||
	    !acpi_dsdt_plan(params, &dsdt))
		return 0;
	plan_layout(params, &dsdt, &l);
	if (l.end > capacity || l.end > TABLES_LIMIT - params->base)
		return 0;
	memset(buffer, 0, l.end);
	write_rsdp(buffer, &l, params->base);
	write_root_tables(buffer, &l, params->base);
	write_facs(buffer, &l);
	write_fadt(buffer, &l, params);
	write_dsdt(buffer, &l, &dsdt, params);
	write_madt(buffer, &l, params);
	if (l.mcfg)
		write_mcfg(buffer, &l, params);
	if (rsdp_address)
		*rsdp_address = params->base + l.rsdp;
	return l.end;
}
