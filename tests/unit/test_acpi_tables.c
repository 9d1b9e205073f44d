/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the ACPI table builder (lib/acpi_tables.c). The tables are
 * read back the way an OS does: the RSDP found by scanning for its
 * signature at 16-byte aligned guest-physical addresses, the XSDT and RSDT
 * followed (a guest-physical address minus base is an offset into the
 * buffer, bounds-checked), every checksum and length verified, then the
 * FADT's ports and flags, the DSDT's AML, the MADT's entries and the MCFG
 * decoded. The DSDT of a partition with PCI is read by ACPICA itself
 * (acpica_tools.h): disassembled by iasl, and its _CRS and _PRT evaluated
 * by acpiexec, so a value written at the wrong place shows as a wrong
 * window or route. Buffers are heap blocks of exactly the capacity given,
 * so ASan catches any write beyond it; a fill pattern shows what was left
 * untouched.
 */
#include <bulkhead/acpi_tables.h>

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acpica_tools.h"
#include "check.h"

CHECK_MAIN("test_acpi_tables")

#define BASE	 0xe0000ull
#define CAPACITY 0x20000u
#define FILL	 0xa5

struct tables {
	const uint8_t *buffer;
	size_t used;
	uint64_t base;
	const uint8_t *rsdp;
	const uint8_t *xsdt;
	const uint8_t *rsdt;
	const uint8_t *fadt;
	const uint8_t *facs;
	const uint8_t *dsdt;
	const uint8_t *madt;
	const uint8_t *mcfg;
};

static struct acpi_params linux_params(uint32_t cpu_count)
{
	struct acpi_params params = {
	    .base = BASE,
	    .cpu_count = cpu_count,
	    .lapic_address = 0xfee00000,
	    .ioapic_address = 0xfec00000,
	    .ioapic_id = (uint8_t)cpu_count,
	    .pm1a_event_port = 0x600,
	    .pm1a_control_port = 0x604,
	    .pm_timer_port = 0x608,
	    .reset_port = 0xcf9,
	    .reset_value = 0x06,
	    .sci_irq = 9,
	};
	return params;
}

static uint16_t get16(const uint8_t *at)
{
	return (uint16_t)(at[0] | at[1] << 8);
}

static uint32_t get32(const uint8_t *at)
{
	return get16(at) | (uint32_t)get16(at + 2) << 16;
}

static uint64_t get64(const uint8_t *at)
{
	return get32(at) | (uint64_t)get32(at + 4) << 32;
}

static uint8_t sum(const uint8_t *bytes, size_t length)
{
	uint8_t total = 0;

	for (size_t i = 0; i < length; i++)
		total = (uint8_t)(total + bytes[i]);
	return total;
}

static uint8_t *filled_buffer(size_t size)
{
	uint8_t *buffer = malloc(size ? size : 1);

	memset(buffer, FILL, size ? size : 1);
	return buffer;
}

static size_t untouched_bytes(const uint8_t *buffer, size_t size)
{
	size_t count = 0;

	for (size_t i = 0; i < size; i++)
		count += buffer[i] == FILL;
	return count;
}

/* The bytes at guest-physical address gpa, if size of them lie inside the
 * tables' bytes. */
static const uint8_t *at_address(const struct tables *t, uint64_t gpa,
				 size_t size)
{
	if (gpa < t->base || gpa - t->base > t->used ||
	    size > t->used - (gpa - t->base))
		return NULL;
	return t->buffer + (gpa - t->base);
}

/* A table with a standard header: inside the used bytes, with a sane
 * length, a zero checksum and the builder's identity. NULL otherwise. */
static const uint8_t *table_at(const struct tables *t, uint64_t gpa,
			       const char *signature)
{
	const uint8_t *table = at_address(t, gpa, 36);
	uint32_t length;

	CHECK(table != NULL);
	if (!table)
		return NULL;
	length = get32(table + 4);
	CHECK(length >= 36);
	CHECK(at_address(t, gpa, length) != NULL);
	if (length < 36 || !at_address(t, gpa, length))
		return NULL;
	CHECK(memcmp(table, signature, 4) == 0);
	CHECK_EQ(sum(table, length), 0);
	CHECK(memcmp(table + 10, "BLKHD ", 6) == 0);
	CHECK(memcmp(table + 16, "BULKHEAD", 8) == 0);
	CHECK_EQ(get32(table + 24), 1);
	CHECK_EQ(get32(table + 32), 1);
	return table;
}

/* Like Linux's acpi_scan_for_rsdp: signature at 16-byte aligned physical
 * addresses, first checksum over 20 bytes. Counts the candidates found. */
static const uint8_t *scan_for_rsdp(const struct tables *t, unsigned *found)
{
	const uint8_t *rsdp = NULL;
	uint64_t first = (t->base + 15) & ~15ull;

	*found = 0;
	for (uint64_t gpa = first; gpa + 36 <= t->base + t->used; gpa += 16) {
		const uint8_t *candidate = t->buffer + (gpa - t->base);

		if (memcmp(candidate, "RSD PTR ", 8) || sum(candidate, 20))
			continue;
		(*found)++;
		rsdp = candidate;
	}
	return rsdp;
}

static const uint8_t *find_in_root(const struct tables *t, const char *sig)
{
	uint32_t entries = (get32(t->xsdt + 4) - 36) / 8;

	for (uint32_t i = 0; i < entries; i++) {
		const uint8_t *table =
		    at_address(t, get64(t->xsdt + 36 + i * 8), 36);

		if (table && !memcmp(table, sig, 4))
			return table_at(t, get64(t->xsdt + 36 + i * 8), sig);
	}
	return NULL;
}

static uint64_t address_of(const struct tables *t, const uint8_t *table)
{
	return t->base + (uint64_t)(table - t->buffer);
}

static void check_rsdp(const struct tables *t, uint64_t rsdp_address)
{
	unsigned found;
	const uint8_t *rsdp = scan_for_rsdp(t, &found);

	CHECK_EQ(found, 1);
	CHECK(rsdp != NULL);
	if (!rsdp)
		return;
	CHECK_EQ(address_of(t, rsdp), rsdp_address);
	CHECK_EQ(rsdp_address % 16, 0);
	CHECK_EQ(rsdp[15], 2); /* revision */
	CHECK_EQ(get32(rsdp + 20), 36);
	CHECK_EQ(sum(rsdp, 20), 0);
	CHECK_EQ(sum(rsdp, 36), 0);
	CHECK(memcmp(rsdp + 9, "BLKHD ", 6) == 0);
	CHECK_EQ(rsdp[33] | rsdp[34] | rsdp[35], 0); /* reserved */
}

/* Fills t by following the pointers from the RSDP; false if any is bad.
 * The root lists FACP and APIC, and MCFG exactly when there is ECAM. */
static bool parse(struct tables *t, uint64_t rsdp_address,
		  const struct acpi_params *p)
{
	unsigned entries = p->ecam_base ? 3 : 2;

	check_rsdp(t, rsdp_address);
	t->rsdp = at_address(t, rsdp_address, 36);
	if (!t->rsdp)
		return false;
	t->xsdt = table_at(t, get64(t->rsdp + 24), "XSDT");
	t->rsdt = table_at(t, get32(t->rsdp + 16), "RSDT");
	if (!t->xsdt || !t->rsdt)
		return false;
	CHECK_EQ(get32(t->xsdt + 4), 36 + entries * 8);
	CHECK_EQ(get32(t->rsdt + 4), 36 + entries * 4);
	if (get32(t->xsdt + 4) != 36 + entries * 8 ||
	    get32(t->rsdt + 4) != 36 + entries * 4)
		return false;
	for (unsigned i = 0; i < entries; i++)
		CHECK_EQ(get32(t->rsdt + 36 + i * 4),
			 get64(t->xsdt + 36 + i * 8));
	CHECK(memcmp(at_address(t, get64(t->xsdt + 36), 4), "FACP", 4) == 0);
	t->fadt = find_in_root(t, "FACP");
	t->madt = find_in_root(t, "APIC");
	t->mcfg = find_in_root(t, "MCFG");
	CHECK_EQ(t->mcfg != NULL, p->ecam_base != 0);
	if (!t->fadt || !t->madt || (p->ecam_base && !t->mcfg))
		return false;
	t->dsdt = table_at(t, get64(t->fadt + 140), "DSDT");
	t->facs = at_address(t, get64(t->fadt + 132), 64);
	return t->dsdt && t->facs;
}

static void check_gas(const uint8_t *gas, uint8_t bit_width, uint8_t access,
		      uint64_t port)
{
	CHECK_EQ(gas[0], 1); /* system I/O */
	CHECK_EQ(gas[1], bit_width);
	CHECK_EQ(gas[2], 0);
	CHECK_EQ(gas[3], access);
	CHECK_EQ(get64(gas + 4), port);
}

static void check_fadt(const struct tables *t, const struct acpi_params *p)
{
	const uint8_t *fadt = t->fadt;
	static const uint8_t zero_gas[12];

	CHECK_EQ(get32(fadt + 4), 276);
	CHECK_EQ(fadt[8], 6);
	CHECK_EQ(get32(fadt + 36), address_of(t, t->facs));
	CHECK_EQ(get32(fadt + 40), address_of(t, t->dsdt));
	CHECK_EQ(get64(fadt + 132), get32(fadt + 36));
	CHECK_EQ(get64(fadt + 140), get32(fadt + 40));
	CHECK_EQ(fadt[45], 0); /* PM profile */
	CHECK_EQ(get16(fadt + 46), p->sci_irq);
	CHECK_EQ(get32(fadt + 48), 0);	  /* SMI_CMD: always in ACPI mode */
	CHECK_EQ(fadt[52] | fadt[53], 0); /* ACPI_ENABLE/DISABLE */
	CHECK_EQ(get32(fadt + 56), p->pm1a_event_port);
	CHECK_EQ(get32(fadt + 60), 0); /* no PM1b */
	CHECK_EQ(get32(fadt + 64), p->pm1a_control_port);
	CHECK_EQ(get32(fadt + 68), 0);
	CHECK_EQ(get32(fadt + 72), 0);			  /* no PM2 */
	CHECK_EQ(get32(fadt + 80) | get32(fadt + 84), 0); /* no GPE */
	CHECK_EQ(fadt[88], 4);
	CHECK_EQ(fadt[89], 2);
	CHECK_EQ(fadt[90], 0);
	CHECK_EQ(fadt[92] | fadt[93], 0);
	CHECK_EQ(get16(fadt + 96), 101);   /* no C2 */
	CHECK_EQ(get16(fadt + 98), 1001);  /* no C3 */
	/* VGA, MSI (unless MSIs are routed), ASPM, RTC bits. */
	CHECK_EQ(get16(fadt + 109), p->msi ? 0x34 : 0x3c);

	/* WBINVD, PROC_C1, PWR_BUTTON, SLP_BUTTON, RESET_REG_SUP; notably
	 * neither TMR_VAL_EXT (8) nor HW_REDUCED_ACPI (20). */
	CHECK_EQ(get32(fadt + 112), 0x435);
	check_gas(fadt + 116, 8, 1, p->reset_port);
	CHECK_EQ(fadt[128], p->reset_value);
	check_gas(fadt + 148, 32, 2, p->pm1a_event_port);
	CHECK(memcmp(fadt + 160, zero_gas, 12) == 0);
	check_gas(fadt + 172, 16, 2, p->pm1a_control_port);
	CHECK(memcmp(fadt + 184, zero_gas, 12) == 0);
	CHECK(memcmp(fadt + 196, zero_gas, 12) == 0);
	if (p->pm_timer_port) {
		CHECK_EQ(get32(fadt + 76), p->pm_timer_port);
		CHECK_EQ(fadt[91], 4);
		check_gas(fadt + 208, 32, 3, p->pm_timer_port);
	} else {
		CHECK_EQ(get32(fadt + 76), 0);
		CHECK_EQ(fadt[91], 0);
		CHECK(memcmp(fadt + 208, zero_gas, 12) == 0);
	}
	CHECK(memcmp(fadt + 220, zero_gas, 12) == 0); /* X_GPE0 */
	CHECK(memcmp(fadt + 244, zero_gas, 12) == 0); /* sleep control */
	CHECK(memcmp(fadt + 268, "BULKHEAD", 8) == 0);
}

static void check_facs(const struct tables *t)
{
	CHECK(memcmp(t->facs, "FACS", 4) == 0);
	CHECK_EQ(get32(t->facs + 4), 64);
	CHECK_EQ(address_of(t, t->facs) % 64, 0);
	CHECK_EQ(t->facs[32], 2);
	CHECK_EQ(get32(t->facs + 12), 0); /* waking vector */
}

/* Evaluates \_S5 as an AML interpreter would: one NameOp in the root
 * scope whose package must span exactly the rest of the table (a DSDT
 * with PCI opens with the same bytes; the rest is read by ACPICA). */
static void check_dsdt(const struct tables *t, const struct acpi_params *p)
{
	static const uint8_t expected[] = {0x08, '_',  'S',  '5',  '_',
					   0x12, 0x08, 0x04, 0x0a, 0x05,
					   0x0a, 0x05, 0x00, 0x00};
	const uint8_t *aml = t->dsdt + 36;
	uint32_t length = get32(t->dsdt + 4);

	CHECK_EQ(t->dsdt[8], 2);
	if (p->pci) {
		CHECK(length > 36 + sizeof(expected));
		CHECK(length > 36 + sizeof(expected) &&
		      memcmp(aml, expected, sizeof(expected)) == 0);
		return;
	}
	CHECK_EQ(length, 36 + sizeof(expected));
	if (length != 36 + sizeof(expected))
		return;
	CHECK(memcmp(aml, expected, sizeof(expected)) == 0);
	/* Decode rather than compare: NameOp NameSeg PackageOp PkgLength. */
	CHECK_EQ(aml[0], 0x08);
	CHECK(memcmp(aml + 1, "_S5_", 4) == 0);
	CHECK_EQ(aml[5], 0x12);
	CHECK_EQ(aml[6] >> 6, 0);	   /* one-byte PkgLength */
	CHECK_EQ(6 + aml[6], length - 36); /* ends with the table */
	CHECK_EQ(aml[7], 4);		   /* NumElements */
	CHECK_EQ(aml[8], 0x0a);		   /* BytePrefix */
	CHECK_EQ(aml[9], ACPI_SLP_TYP_S5); /* SLP_TYPa */
	CHECK_EQ(ACPI_SLP_TYP_S5, 5);
}

static void check_pm1_constants(void)
{
	uint32_t power_off =
	    ACPI_SLP_TYP_S5 << ACPI_PM1_SLP_TYP_SHIFT | ACPI_PM1_SLP_EN;

	CHECK_EQ(power_off, 0x3400);
	CHECK_EQ(ACPI_PM1_SLP_TYP_MASK, 0x1c00);
	CHECK_EQ(ACPI_PM1_SCI_EN, 1);
	CHECK_EQ((power_off & ACPI_PM1_SLP_TYP_MASK) >> ACPI_PM1_SLP_TYP_SHIFT,
		 5);
}

struct madt_counts {
	unsigned lapics;
	unsigned ioapics;
	unsigned overrides;
	unsigned nmis;
	unsigned other;
	unsigned bad;
};

static void check_madt_entry(const uint8_t *e, const struct acpi_params *p,
			     struct madt_counts *c)
{
	switch (e[0]) {
	case 0:
		c->bad += e[1] != 8 || e[2] != c->lapics || e[3] != c->lapics ||
			  get32(e + 4) != 1;
		c->lapics++;
		break;
	case 1:
		c->bad += e[1] != 12 || e[2] != p->ioapic_id || e[3] != 0 ||
			  get32(e + 4) != p->ioapic_address ||
			  get32(e + 8) != 0;
		c->ioapics++;
		break;
	case 2:
		c->bad += e[1] != 10 || e[2] != 0;
		if (c->overrides == 0)
			c->bad += e[3] != 0 || get32(e + 4) != 2 ||
				  get16(e + 8) != 0x0005;
		else
			c->bad += e[3] != p->sci_irq ||
				  get32(e + 4) != p->sci_irq ||
				  get16(e + 8) != 0x000d;
		c->overrides++;
		break;
	case 4:
		c->bad += e[1] != 6 || e[2] != 0xff || get16(e + 3) != 0x0005 ||
			  e[5] != 1;
		c->nmis++;
		break;
	default:
		c->other++;
	}
}

static void check_madt(const struct tables *t, const struct acpi_params *p)
{
	const uint8_t *madt = t->madt;
	uint32_t length = get32(madt + 4);
	struct madt_counts c = {0};
	uint32_t offset = 44;

	CHECK_EQ(length, 44 + 8 * p->cpu_count + 12 + 2 * 10 + 6);
	CHECK_EQ(madt[8], 4);
	CHECK_EQ(get32(madt + 36), p->lapic_address);
	CHECK_EQ(get32(madt + 40), 0); /* no PCAT_COMPAT */
	while (offset + 2 <= length) {
		uint8_t entry_length = madt[offset + 1];

		if (entry_length < 2 || entry_length > length - offset) {
			c.bad++;
			break;
		}
		check_madt_entry(madt + offset, p, &c);
		offset += entry_length;
	}
	CHECK_EQ(offset, length);
	CHECK_EQ(c.lapics, p->cpu_count);
	CHECK_EQ(c.ioapics, 1);
	CHECK_EQ(c.overrides, 2);
	CHECK_EQ(c.nmis, 1);
	CHECK_EQ(c.other, 0);
	CHECK_EQ(c.bad, 0);
}

/* PCI Firmware 3.0: one allocation of 16 bytes after 8 reserved ones. */
static void check_mcfg(const struct tables *t, const struct acpi_params *p)
{
	const uint8_t *mcfg = t->mcfg;

	CHECK_EQ(get32(mcfg + 4), 60);
	CHECK_EQ(mcfg[8], 1);
	CHECK_EQ(get64(mcfg + 36), 0); /* reserved */
	CHECK_EQ(get64(mcfg + 44), p->ecam_base);
	CHECK_EQ(get16(mcfg + 52), 0); /* segment */
	CHECK_EQ(mcfg[54], 0);	       /* start bus */
	CHECK_EQ(mcfg[55], p->ecam_end_bus);
	CHECK_EQ(get32(mcfg + 56), 0);
}

/* Builds with params into a CAPACITY buffer, parses and checks it all;
 * fills *out (if not NULL) with the parsed tables, whose buffer the
 * caller then frees. */
static size_t check_build_into(const struct acpi_params *params,
			       struct tables *out)
{
	uint8_t *buffer = filled_buffer(CAPACITY);
	uint64_t rsdp = 0;
	size_t used = acpi_tables_build(buffer, CAPACITY, params, &rsdp);
	struct tables t = {
	    .buffer = buffer, .used = used, .base = params->base};

	CHECK(used > 0);
	CHECK(used < (params->pci ? 0x1000u : 0x800u));
	CHECK_EQ(untouched_bytes(buffer + used, CAPACITY - used),
		 CAPACITY - used);
	if (used && parse(&t, rsdp, params)) {
		check_fadt(&t, params);
		check_facs(&t);
		check_dsdt(&t, params);
		check_madt(&t, params);
		if (params->ecam_base)
			check_mcfg(&t, params);
	} else {
		CHECK(!"tables do not parse");
		t.dsdt = t.mcfg = NULL;
	}
	if (out)
		*out = t;
	else
		free(buffer);
	return used;
}

static size_t check_build(const struct acpi_params *params)
{
	return check_build_into(params, NULL);
}

static void test_linux_platform(void)
{
	static const uint32_t counts[] = {1, 2, 3, 64};

	for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
		struct acpi_params params = linux_params(counts[i]);
		uint8_t *buffer = filled_buffer(CAPACITY);
		uint64_t rsdp = 0;

		check_build(&params);
		/* The loader's layout: the RSDP opens the 0xe0000 area. */
		CHECK(acpi_tables_build(buffer, CAPACITY, &params, &rsdp) > 0);
		CHECK_EQ(rsdp, BASE);
		CHECK(memcmp(buffer, "RSD PTR ", 8) == 0);
		free(buffer);
	}
}

static void test_variants(void)
{
	struct acpi_params params = linux_params(4);

	params.pm_timer_port = 0; /* no PM timer */
	check_build(&params);

	params = linux_params(2);
	params.sci_irq = 11;
	params.ioapic_id = 200;
	params.ioapic_address = 0xfec01000;
	params.lapic_address = 0xfed00000;
	params.reset_value = 0x0e;
	params.pm1a_event_port = 0xb000;
	params.pm1a_control_port = 0xb004;
	params.pm_timer_port = 0xb008;
	params.reset_port = 0x92;
	check_build(&params);

	/* Odd bases: the RSDP moves to the next 16-byte boundary and the
	 * FACS to a 64-byte one; the tables stay parseable. */
	for (uint64_t odd = 1; odd < 64; odd += 7) {
		params = linux_params(3);
		params.base = BASE + odd;
		check_build(&params);
	}
	/* The last bytes below 4 GiB. */
	params = linux_params(64);
	params.base = 0x100000000ull - 0x1000;
	check_build(&params);
}

static void test_rsdp_address_optional(void)
{
	struct acpi_params params = linux_params(2);
	uint8_t *buffer = filled_buffer(CAPACITY);

	CHECK(acpi_tables_build(buffer, CAPACITY, &params, NULL) > 0);
	free(buffer);
}

/* Every capacity below the need is refused without a write; the exact
 * need succeeds in a buffer of exactly that size. */
static void test_capacity_of(const struct acpi_params *params)
{
	uint8_t *buffer = filled_buffer(CAPACITY);
	size_t need = acpi_tables_build(buffer, CAPACITY, params, NULL);
	unsigned refused = 0, untouched = 0;

	free(buffer);
	CHECK(need > 0);
	for (size_t capacity = 0; capacity < need; capacity++) {
		uint64_t rsdp = 0x1234;

		buffer = filled_buffer(capacity);
		refused +=
		    acpi_tables_build(buffer, capacity, params, &rsdp) == 0 &&
		    rsdp == 0x1234;
		untouched += untouched_bytes(buffer, capacity) == capacity;
		free(buffer);
	}
	CHECK_EQ(refused, need);
	CHECK_EQ(untouched, need);
	buffer = filled_buffer(need);
	CHECK_EQ(acpi_tables_build(buffer, need, params, NULL), need);
	free(buffer);
}

static void test_capacity(uint32_t cpu_count)
{
	struct acpi_params params = linux_params(cpu_count);

	test_capacity_of(&params);
}

static void expect_refused(const struct acpi_params *params, const char *why)
{
	uint8_t *buffer = filled_buffer(CAPACITY);
	uint64_t rsdp = 0x1234;
	size_t used = acpi_tables_build(buffer, CAPACITY, params, &rsdp);

	if (used)
		fprintf(stderr, "accepted: %s\n", why);
	CHECK_EQ(used, 0);
	CHECK_EQ(rsdp, 0x1234);
	CHECK_EQ(untouched_bytes(buffer, CAPACITY), CAPACITY);
	free(buffer);
}

#define REFUSE_WITH(field, value)                                              \
	do {                                                                   \
		struct acpi_params bad_ = linux_params(4);                     \
		bad_.field = (value);                                          \
		expect_refused(&bad_, #field " = " #value);                    \
	} while (0)

static void test_invalid_params(void)
{
	struct acpi_params params = linux_params(4);
	uint8_t buffer[64];

	REFUSE_WITH(cpu_count, 0);
	/* The IOAPIC ID stays clear of the APIC IDs, so only the count is
	 * wrong. */
	params.ioapic_id = 200;
	params.cpu_count = ACPI_TABLES_MAX_CPUS + 1;
	expect_refused(&params, "65 CPUs");
	params.cpu_count = 128;
	expect_refused(&params, "128 CPUs");
	params.cpu_count = UINT32_MAX;
	expect_refused(&params, "UINT32_MAX CPUs");
	params = linux_params(4);
	REFUSE_WITH(ioapic_id, 3); /* an APIC ID of a CPU */
	REFUSE_WITH(ioapic_id, 0);
	REFUSE_WITH(ioapic_id, 0xff);
	REFUSE_WITH(lapic_address, 0);
	REFUSE_WITH(lapic_address, 0xfee00800);
	REFUSE_WITH(ioapic_address, 0);
	REFUSE_WITH(sci_irq, 0);
	REFUSE_WITH(sci_irq, 2);
	REFUSE_WITH(sci_irq, 16);
	REFUSE_WITH(sci_irq, 255);
	REFUSE_WITH(pm1a_event_port, 0);
	REFUSE_WITH(pm1a_event_port, 0xfffd); /* runs past 0xffff */
	REFUSE_WITH(pm1a_control_port, 0);
	REFUSE_WITH(pm1a_control_port, 0xffff);
	REFUSE_WITH(pm_timer_port, 0xfffd);
	REFUSE_WITH(reset_port, 0);
	REFUSE_WITH(pm1a_control_port, 0x602); /* inside the event block */
	REFUSE_WITH(pm1a_control_port, 0x5ff); /* straddles its start */
	REFUSE_WITH(pm_timer_port, 0x603);
	REFUSE_WITH(pm_timer_port, 0x5fd);
	REFUSE_WITH(reset_port, 0x60b);		   /* last timer port */
	REFUSE_WITH(reset_port, 0x605);		   /* control's second port */
	REFUSE_WITH(base, 0x100000000ull);	   /* above 4 GiB */
	REFUSE_WITH(base, 0x100000000ull - 0x100); /* crosses 4 GiB */
	REFUSE_WITH(base, UINT64_MAX);
	REFUSE_WITH(base, UINT64_MAX - 15);

	/* A timer at 0 is "none", not an overlap: accepted. */
	params.pm_timer_port = 0;
	params.reset_port = 0x608;
	{
		uint8_t *big = filled_buffer(CAPACITY);

		CHECK(acpi_tables_build(big, CAPACITY, &params, NULL) > 0);
		free(big);
	}
	params = linux_params(4);
	CHECK_EQ(acpi_tables_build(NULL, CAPACITY, &params, NULL), 0);
	CHECK_EQ(acpi_tables_build(buffer, sizeof(buffer), NULL, NULL), 0);
}

/* A partition that owns PCI functions: 32- and 64-bit memory windows, I/O
 * windows, INTx routes and, with ecam, an ECAM window of four buses. */
static struct acpi_params pci_params(bool ecam)
{
	struct acpi_params params = linux_params(2);

	params.pci = true;
	params.memory_window_count = 3;
	params.memory_windows[0] = (struct acpi_window){0xfe000000, 0x100000};
	params.memory_windows[1] = (struct acpi_window){0x800000000, 0x4000};
	params.memory_windows[2] = (struct acpi_window){0xfebf1000, 0x1000};
	params.io_window_count = 2;
	params.io_windows[0] = (struct acpi_window){0xc000, 0x40};
	params.io_windows[1] = (struct acpi_window){0xc100, 0x20};
	params.route_count = 3;
	params.routes[0] = (struct acpi_pci_route){3, 0, 20};
	params.routes[1] = (struct acpi_pci_route){4, 1, 21};
	params.routes[2] = (struct acpi_pci_route){16, 3, 23};
	if (ecam) {
		params.ecam_base = 0xb0000000;
		params.ecam_end_bus = 3;
	}
	return params;
}

/* Every slot of the DSDT used: the most windows and routes there are. */
static struct acpi_params full_pci_params(void)
{
	struct acpi_params params = linux_params(4);

	params.pci = true;
	params.memory_window_count = ACPI_PCI_MAX_MEMORY_WINDOWS;
	for (uint32_t i = 0; i < ACPI_PCI_MAX_MEMORY_WINDOWS; i++)
		params.memory_windows[i] = (struct acpi_window){
		    0xc0000000ull + i * 0x200000ull + (i % 2) * 0x1000000000ull,
		    0x1000ull << (i / 2)};
	params.io_window_count = ACPI_PCI_MAX_IO_WINDOWS;
	for (uint32_t i = 0; i < ACPI_PCI_MAX_IO_WINDOWS; i++)
		params.io_windows[i] =
		    (struct acpi_window){0xd000 + i * 0x100, 0x10 + i};
	params.route_count = ACPI_PCI_MAX_ROUTES;
	for (uint32_t i = 0; i < ACPI_PCI_MAX_ROUTES; i++)
		params.routes[i] = (struct acpi_pci_route){
		    (uint8_t)(i / 4 + 1), (uint8_t)(i % 4), 16 + i};
	params.ecam_base = 0xe0000000;
	params.ecam_end_bus = 255;
	return params;
}

/* Like CHECK_STR_CONTAINS, without printing the whole disassembly. */
static void check_text(const char *text, const char *needle, bool wanted)
{
	bool found = text && strstr(text, needle);

	if (found != wanted)
		fprintf(stderr, "disassembly %s \"%s\"\n",
			wanted ? "lacks" : "has", needle);
	CHECK(found == wanted);
}

/* The 16-digit form iasl -d prints a QWord in. */
static void check_qword_text(const char *text, uint64_t value, bool wanted)
{
	char needle[32];

	snprintf(needle, sizeof(needle), "0x%016llX",
		 (unsigned long long)value);
	check_text(text, needle, wanted);
}

static void check_disassembly(const struct tables *t,
			      const struct acpi_params *p)
{
	char *dsl = acpica_disassemble(t->dsdt, get32(t->dsdt + 4));

	CHECK(dsl != NULL);
	if (!dsl)
		return;
	check_text(dsl, "DefinitionBlock (\"\", \"DSDT\", 2", true);
	check_text(dsl, "Name (_S5, Package (0x04)", true);
	check_text(dsl, "PCI0", p->pci);
	check_text(dsl, "EisaId (\"PNP0A08\")", p->pci);
	check_text(dsl, "EisaId (\"PNP0A03\")", p->pci);
	check_text(dsl, "Name (_SEG, Zero)", p->pci);
	check_text(dsl, "Name (_BBN, Zero)", p->pci);
	check_text(dsl, "Method (_PRT", p->pci);
	check_text(dsl, "EisaId (\"PNP0C02\")", p->ecam_base != 0);
	check_text(dsl, "0xB1C0DE", false); /* every marker written over */
	for (uint32_t i = 0; i < p->memory_window_count; i++) {
		const struct acpi_window *w = &p->memory_windows[i];

		check_qword_text(dsl, w->base, true);
		check_qword_text(dsl, w->base + w->size - 1, true);
	}
	for (uint32_t i = 0; i < p->io_window_count; i++)
		check_qword_text(dsl, p->io_windows[i].base, true);
	for (uint32_t i = 0; i < p->route_count; i++) {
		check_qword_text(
		    dsl, (uint64_t)p->routes[i].device << 16 | 0xffff, true);
		check_qword_text(dsl, p->routes[i].gsi, true);
	}
	if (p->ecam_base) {
		check_qword_text(dsl, p->ecam_base, true);
		check_qword_text(
		    dsl, p->ecam_base + (p->ecam_end_bus + 1ull) * 0x100000 - 1,
		    true);
	}
	free(dsl);
}

/* A QWord address space descriptor (46 bytes) as the builder writes it. */
static void check_qword_descriptor(const uint8_t *d, uint8_t type,
				   uint8_t flags, uint8_t type_flags,
				   const struct acpi_window *w)
{
	CHECK_EQ(d[0], 0x8a);
	CHECK_EQ(get16(d + 1), 43);
	CHECK_EQ(d[3], type);
	CHECK_EQ(d[4], flags);
	CHECK_EQ(d[5], type_flags);
	CHECK_EQ(get64(d + 6), 0);
	CHECK_EQ(get64(d + 14), w->base);
	CHECK_EQ(get64(d + 22), w->base + w->size - 1);
	CHECK_EQ(get64(d + 30), 0);
	CHECK_EQ(get64(d + 38), w->size);
}

/* What Linux's pci_root gets from _CRS: bus 0, the configuration ports,
 * exactly the windows given (memory, then I/O), then the end tag. */
static void check_evaluated_crs(const char *text, const struct acpi_params *p)
{
	static const uint8_t fixed[] = {
	    0x88, 0x0d, 0x00, 0x02, 0x0c, 0x00, 0x00, 0x00, 0x00,
	    0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, /* WordBusNumber 0-0 */
	    0x47, 0x01, 0xf8, 0x0c, 0xf8, 0x0c, 0x01, 0x08, /* IO 0xcf8 */
	};
	uint8_t crs[2048];
	long length =
	    acpica_result_buffer(text, "\\_SB.PCI0._CRS", crs, sizeof(crs));
	long expected =
	    (long)sizeof(fixed) +
	    46 * (long)(p->memory_window_count + p->io_window_count) + 2;
	const uint8_t *at = crs + sizeof(fixed);

	CHECK_EQ(length, expected);
	if (length != expected) {
		fprintf(stderr, "acpiexec said:\n%s\n", text);
		return;
	}
	CHECK(memcmp(crs, fixed, sizeof(fixed)) == 0);
	for (uint32_t i = 0; i < p->memory_window_count; i++, at += 46)
		check_qword_descriptor(at, 0, 0x0c, 0x01,
				       &p->memory_windows[i]);
	for (uint32_t i = 0; i < p->io_window_count; i++, at += 46)
		check_qword_descriptor(at, 1, 0x0c, 0x03, &p->io_windows[i]);
	CHECK_EQ(at[0], 0x79);
	CHECK_EQ(at[1], 0x00);
}

static void check_evaluated_prt(const char *text, const struct acpi_params *p)
{
	uint64_t values[4 * ACPI_PCI_MAX_ROUTES + 1];
	size_t count = 0;
	long elements =
	    acpica_result_package(text, "\\_SB.PCI0._PRT", values,
				  4 * ACPI_PCI_MAX_ROUTES + 1, &count);

	CHECK_EQ(elements, p->route_count);
	CHECK_EQ(count, 4 * p->route_count);
	if (elements != (long)p->route_count || count != 4 * p->route_count) {
		fprintf(stderr, "acpiexec said:\n%s\n", text);
		return;
	}
	for (uint32_t i = 0; i < p->route_count; i++) {
		CHECK_EQ(values[4 * i],
			 (uint64_t)p->routes[i].device << 16 | 0xffff);
		CHECK_EQ(values[4 * i + 1], p->routes[i].pin);
		CHECK_EQ(values[4 * i + 2], 0); /* source: a GSI */
		CHECK_EQ(values[4 * i + 3], p->routes[i].gsi);
	}
}

/* The motherboard resource consumes the whole ECAM window. */
static void check_evaluated_ecam(const char *text, const struct acpi_params *p)
{
	struct acpi_window ecam = {p->ecam_base,
				   (p->ecam_end_bus + 1ull) * 0x100000};
	uint8_t crs[64];
	long length =
	    acpica_result_buffer(text, "\\_SB.MRES._CRS", crs, sizeof(crs));

	CHECK_EQ(length, 48);
	if (length == 48) {
		check_qword_descriptor(crs, 0, 0x0d, 0x01, &ecam);
		CHECK_EQ(crs[46], 0x79);
	} else {
		fprintf(stderr, "acpiexec said:\n%s\n", text);
	}
}

static void check_mcfg_disassembly(const struct tables *t,
				   const struct acpi_params *p)
{
	char *dsl = acpica_disassemble(t->mcfg, get32(t->mcfg + 4));
	char needle[64];

	CHECK(dsl != NULL);
	snprintf(needle, sizeof(needle), "Base Address : %016llX",
		 (unsigned long long)p->ecam_base);
	check_text(dsl, needle, true);
	check_text(dsl, "Segment Group Number : 0000", true);
	check_text(dsl, "Start Bus Number : 00", true);
	snprintf(needle, sizeof(needle), "End Bus Number : %02X",
		 p->ecam_end_bus);
	check_text(dsl, needle, true);
	free(dsl);
}

/* Builds, checks every table, then has ACPICA read the DSDT and MCFG.
 * Without PCI there is nothing to evaluate: acpiexec finds no PCI0. */
static void check_pci_build(const struct acpi_params *params)
{
	static const char *const paths[] = {
	    "\\_SB.PCI0._CRS", "\\_SB.PCI0._PRT", "\\_SB.MRES._CRS", NULL};
	struct tables t;
	char *text;

	check_build_into(params, &t);
	if (!t.dsdt) {
		free((void *)t.buffer);
		return;
	}
	check_disassembly(&t, params);
	text = acpica_evaluate(t.dsdt, get32(t.dsdt + 4), paths);
	CHECK(text != NULL);
	if (text && params->pci) {
		check_evaluated_crs(text, params);
		check_evaluated_prt(text, params);
	} else if (text) {
		CHECK_EQ(acpica_result_buffer(text, paths[0], NULL, 0), -1);
		CHECK_EQ(acpica_result_buffer(text, paths[1], NULL, 0), -1);
	}
	if (text && params->ecam_base)
		check_evaluated_ecam(text, params);
	else if (text)
		CHECK_EQ(acpica_result_buffer(text, paths[2], NULL, 0), -1);
	free(text);
	if (params->ecam_base)
		check_mcfg_disassembly(&t, params);
	free((void *)t.buffer);
}

static void test_pci(void)
{
	struct acpi_params params = linux_params(2);

	check_pci_build(&params); /* no PCI: no PCI0 at all */
	params.pci = true;	  /* a host bridge with nothing behind it */
	check_pci_build(&params);
	params = pci_params(false);
	check_pci_build(&params);
	params = pci_params(true);
	check_pci_build(&params);
	params = full_pci_params();
	check_pci_build(&params);
	/* Only I/O windows; only memory windows. */
	params = pci_params(false);
	params.memory_window_count = 0;
	check_pci_build(&params);
	params = pci_params(true);
	params.io_window_count = 0;
	params.route_count = 1;
	check_pci_build(&params);
	/* The highest windows there are. */
	params = pci_params(false);
	params.memory_windows[0] =
	    (struct acpi_window){0xfffffffffffff000ull, 0x1000};
	params.io_windows[0] = (struct acpi_window){0xfff0, 0x10};
	check_pci_build(&params);
}

/* The tables of a partition without PCI do not depend on the PCI fields'
 * arrays beyond their (zero) counts. */
static void test_no_pci_ignores_arrays(void)
{
	struct acpi_params plain = linux_params(3);
	struct acpi_params stale = pci_params(true);
	uint8_t *a = filled_buffer(CAPACITY), *b = filled_buffer(CAPACITY);
	size_t used;

	stale.cpu_count = 3;
	stale.ioapic_id = 3;
	stale.pci = false;
	stale.memory_window_count = stale.io_window_count = 0;
	stale.route_count = 0;
	stale.ecam_base = 0;
	stale.ecam_end_bus = 0;
	used = acpi_tables_build(a, CAPACITY, &plain, NULL);
	CHECK(used > 0);
	CHECK_EQ(acpi_tables_build(b, CAPACITY, &stale, NULL), used);
	CHECK(memcmp(a, b, CAPACITY) == 0);
	free(a);
	free(b);
}

#define REFUSE_PCI(what, change)                                               \
	do {                                                                   \
		struct acpi_params bad_ = pci_params(true);                    \
		change;                                                        \
		expect_refused(&bad_, what);                                   \
	} while (0)

static void test_invalid_pci_params(void)
{
	struct acpi_params params = full_pci_params();

	/* Without PCI every PCI field must be zero. */
	REFUSE_PCI("windows without pci", bad_.pci = false;
		   bad_.route_count = 0; bad_.io_window_count = 0;
		   bad_.ecam_base = 0; bad_.ecam_end_bus = 0);
	REFUSE_PCI("routes without pci", bad_.pci = false;
		   bad_.memory_window_count = 0; bad_.io_window_count = 0;
		   bad_.ecam_base = 0; bad_.ecam_end_bus = 0);
	REFUSE_PCI("ECAM without pci", bad_.pci = false;
		   bad_.memory_window_count = 0; bad_.io_window_count = 0;
		   bad_.route_count = 0);
	/* Counts. */
	REFUSE_PCI("17 memory windows",
		   bad_.memory_window_count = ACPI_PCI_MAX_MEMORY_WINDOWS + 1);
	REFUSE_PCI("9 I/O windows",
		   bad_.io_window_count = ACPI_PCI_MAX_IO_WINDOWS + 1);
	REFUSE_PCI("17 routes", bad_.route_count = ACPI_PCI_MAX_ROUTES + 1);
	REFUSE_PCI("UINT32_MAX routes", bad_.route_count = UINT32_MAX);
	/* Windows: empty, wrapping, past the port space, overlapping. */
	REFUSE_PCI("empty memory window", bad_.memory_windows[1].size = 0);
	REFUSE_PCI("empty I/O window", bad_.io_windows[0].size = 0);
	REFUSE_PCI("memory window past 2^64",
		   bad_.memory_windows[0].base = 0xfffffffffffff000ull;
		   bad_.memory_windows[0].size = 0x2000);
	REFUSE_PCI("memory window of 2^64 - 1 from 2",
		   bad_.memory_windows[0].base = 2;
		   bad_.memory_windows[0].size = UINT64_MAX);
	REFUSE_PCI("I/O window past 0xffff", bad_.io_windows[0].base = 0xfff0;
		   bad_.io_windows[0].size = 0x11);
	REFUSE_PCI("I/O window above 0xffff", bad_.io_windows[0].base = 0x10000;
		   bad_.io_windows[0].size = 1);
	REFUSE_PCI("overlapping memory windows",
		   bad_.memory_windows[2].base = 0xfe0ff000);
	REFUSE_PCI("identical memory windows",
		   bad_.memory_windows[2] = bad_.memory_windows[0]);
	REFUSE_PCI("overlapping I/O windows", bad_.io_windows[1].base = 0xc03f);
	/* Routes. */
	REFUSE_PCI("device 32", bad_.routes[1].device = 32);
	REFUSE_PCI("pin 4", bad_.routes[0].pin = 4);
	REFUSE_PCI("GSI 15", bad_.routes[2].gsi = 15);
	REFUSE_PCI("GSI 0", bad_.routes[2].gsi = 0);
	REFUSE_PCI("a (device, pin) twice", bad_.routes[2].device = 3;
		   bad_.routes[2].pin = 0);
	/* ECAM. */
	REFUSE_PCI("ECAM not 1 MiB aligned", bad_.ecam_base = 0xb0080000);
	REFUSE_PCI("end bus without ECAM", bad_.ecam_base = 0);
	REFUSE_PCI("ECAM past 2^64", bad_.ecam_base = 0xfffffffff0100000ull;
		   bad_.ecam_end_bus = 255);
	REFUSE_PCI("ECAM over a memory window",
		   bad_.memory_windows[0].base = 0xb0300000);
	REFUSE_PCI("memory window over ECAM's last byte",
		   bad_.memory_windows[2].base = 0xb03ff000);

	/* Borders that are valid: adjacent windows, a window right after
	 * the ECAM window, GSI 16, device 31, pin 3, the top ECAM. */
	params = pci_params(true);
	params.memory_windows[2] = (struct acpi_window){0xfe100000, 0x1000};
	params.io_windows[1] = (struct acpi_window){0xc040, 1};
	params.memory_windows[1] = (struct acpi_window){0xb0400000, 0x1000};
	params.routes[0] = (struct acpi_pci_route){31, 3, 16};
	check_pci_build(&params);
	params = pci_params(true);
	params.ecam_base = 0xfffffffff0000000ull;
	params.ecam_end_bus = 255;
	check_build(&params);
}

static void test_capacity_pci(void)
{
	struct acpi_params params = full_pci_params();

	test_capacity_of(&params);
}

static void test_msi_flag(void)
{
	struct acpi_params params = pci_params(false);

	params.msi = true;
	check_build(&params);
	params = linux_params(1);
	params.msi = true;
	expect_refused(&params, "MSI without PCI");
}

static void run_tests(void)
{
	check_pm1_constants();
	test_linux_platform();
	test_variants();
	test_rsdp_address_optional();
	test_capacity(1);
	test_capacity(2);
	test_capacity(64);
	test_invalid_params();
	test_msi_flag();
	test_pci();
	test_no_pci_ignores_arrays();
	test_invalid_pci_params();
	test_capacity_pci();
}
