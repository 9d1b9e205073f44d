/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the ACPI table reader (lib/acpi_read.c). Tables are
 * synthesized in a buffer that stands for physical memory at BASE. The
 * view hands out, for each request, a fresh heap copy of exactly the bytes
 * asked for, so ASan catches any read past what the reader asked to see;
 * and a request outside the buffer fails, as unmapped memory would.
 */
#include <bulkhead/acpi_read.h>

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

CHECK_MAIN("test_acpi_read")

#define BASE	 0x7fe00000ull
#define SIZE	 0x4000u
#define MAX_MAPS 256

struct fake_memory {
	uint8_t bytes[SIZE];
	void *maps[MAX_MAPS];
	unsigned map_count;
	unsigned refused;
};

static const void *fake_map(void *context, uint64_t physical, uint64_t size)
{
	struct fake_memory *memory = context;
	uint8_t *copy;

	if (physical < BASE || physical - BASE > SIZE ||
	    size > SIZE - (physical - BASE) || size == 0 ||
	    memory->map_count == MAX_MAPS) {
		memory->refused++;
		return NULL;
	}
	copy = malloc(size);
	memcpy(copy, memory->bytes + (physical - BASE), size);
	memory->maps[memory->map_count++] = copy;
	return copy;
}

static void fake_release(struct fake_memory *memory)
{
	for (unsigned i = 0; i < memory->map_count; i++)
		free(memory->maps[i]);
	memory->map_count = 0;
}

static void put(uint8_t *at, uint64_t value, unsigned bytes)
{
	for (unsigned i = 0; i < bytes; i++)
		at[i] = (uint8_t)(value >> (8 * i));
}

static void fix_checksum(uint8_t *bytes, size_t length, size_t at)
{
	uint8_t total = 0;

	bytes[at] = 0;
	for (size_t i = 0; i < length; i++)
		total = (uint8_t)(total + bytes[i]);
	bytes[at] = (uint8_t)-total;
}

/* A table at offset: signature, length, a body of a recognisable pattern,
 * a correct checksum. */
static void put_table(struct fake_memory *m, uint32_t offset,
		      const char *signature, uint32_t length)
{
	uint8_t *t = m->bytes + offset;

	memset(t, 0, length);
	memcpy(t, signature, 4);
	put(t + 4, length, 4);
	t[8] = 1;
	memcpy(t + 10, "BLKHD ", 6);
	for (uint32_t i = ACPI_HEADER_SIZE; i < length; i++)
		t[i] = (uint8_t)(i * 7);
	fix_checksum(t, length, 9);
}

static void put_rsdp(struct fake_memory *m, uint32_t offset, uint8_t revision,
		     uint32_t rsdt, uint64_t xsdt)
{
	uint8_t *r = m->bytes + offset;

	memset(r, 0, 36);
	memcpy(r, "RSD PTR ", 8);
	memcpy(r + 9, "BLKHD ", 6);
	r[15] = revision;
	put(r + 16, rsdt, 4);
	if (revision >= 2) {
		put(r + 20, 36, 4);
		put(r + 24, xsdt, 8);
	}
	fix_checksum(r, 20, 8);
	if (revision >= 2)
		fix_checksum(r, 36, 32);
}

/* A root table (XSDT with 8-byte or RSDT with 4-byte entries). */
static void put_root(struct fake_memory *m, uint32_t offset, bool xsdt,
		     const uint64_t *entries, unsigned count)
{
	unsigned size = xsdt ? 8 : 4;
	uint8_t *t = m->bytes + offset;

	put_table(m, offset, xsdt ? "XSDT" : "RSDT",
		  ACPI_HEADER_SIZE + count * size);
	for (unsigned i = 0; i < count; i++)
		put(t + ACPI_HEADER_SIZE + i * size, entries[i], size);
	fix_checksum(t, ACPI_HEADER_SIZE + count * size, 9);
}

static void put_mcfg_entry(uint8_t *mcfg, unsigned index, uint64_t base,
			   uint16_t segment, uint8_t start, uint8_t end)
{
	uint8_t *e = mcfg + 44 + 16 * index;

	memset(e, 0, 16);
	put(e, base, 8);
	put(e + 8, segment, 2);
	e[10] = start;
	e[11] = end;
}

#define RSDP 0x0000
#define XSDT 0x0100
#define RSDT 0x0200
#define FACP 0x0400
#define APIC 0x0600
#define MCFG 0x0800
#define SSDT 0x0a00
#define SSD2 0x0c00
#define BAD  0x0e00

static struct acpi_memory view(struct fake_memory *m)
{
	struct acpi_memory memory = {fake_map, m};

	return memory;
}

/* A firmware-like set: RSDP revision 2, an XSDT and an RSDT listing
 * FACP, APIC, MCFG and two SSDTs. */
static void build_firmware(struct fake_memory *m)
{
	uint64_t entries[] = {BASE + FACP, BASE + APIC, BASE + MCFG,
			      BASE + SSDT, BASE + SSD2};

	memset(m, 0, sizeof(*m));
	put_table(m, FACP, "FACP", 276);
	put_table(m, APIC, "APIC", 120);
	put_table(m, MCFG, "MCFG", 44 + 16);
	put_mcfg_entry(m->bytes + MCFG, 0, 0xb0000000, 0, 0, 255);
	fix_checksum(m->bytes + MCFG, 60, 9);
	put_table(m, SSDT, "SSDT", 100);
	put_table(m, SSD2, "SSDT", 200);
	put_root(m, XSDT, true, entries, 5);
	put_root(m, RSDT, false, entries, 5);
	put_rsdp(m, RSDP, 2, BASE + RSDT, BASE + XSDT);
}

static void test_find_through_xsdt(void)
{
	static struct fake_memory m;
	struct acpi_memory memory;
	struct acpi_table table;

	build_firmware(&m);
	memory = view(&m);
	CHECK(acpi_find_table(&memory, BASE + RSDP, "APIC", 0, &table));
	CHECK_EQ(table.physical, BASE + APIC);
	CHECK_EQ(table.length, 120);
	CHECK(!memcmp(table.data, "APIC", 4));
	CHECK(acpi_find_table(&memory, BASE + RSDP, "FACP", 0, &table));
	CHECK_EQ(table.physical, BASE + FACP);
	CHECK(acpi_find_table(&memory, BASE + RSDP, "SSDT", 0, &table));
	CHECK_EQ(table.physical, BASE + SSDT);
	CHECK(acpi_find_table(&memory, BASE + RSDP, "SSDT", 1, &table));
	CHECK_EQ(table.physical, BASE + SSD2);
	CHECK_EQ(table.length, 200);
	CHECK(!acpi_find_table(&memory, BASE + RSDP, "SSDT", 2, &table));
	CHECK(!acpi_find_table(&memory, BASE + RSDP, "DMAR", 0, &table));
	CHECK_EQ(m.refused, 0);
	fake_release(&m);

	/* The XSDT wins: an RSDT that lists no MCFG is not read. */
	put_root(&m, RSDT, false, (uint64_t[]){BASE + FACP}, 1);
	CHECK(acpi_find_table(&memory, BASE + RSDP, "MCFG", 0, &table));
	CHECK_EQ(table.physical, BASE + MCFG);
	fake_release(&m);
}

static void test_find_through_rsdt(void)
{
	static struct fake_memory m;
	struct acpi_memory memory;
	struct acpi_table table;

	build_firmware(&m);
	memory = view(&m);
	/* Revision 0 (ACPI 1.0): the RSDT and its 32-bit entries. */
	put_rsdp(&m, RSDP, 0, BASE + RSDT, 0);
	put_root(&m, XSDT, true, (uint64_t[]){BASE + FACP}, 1);
	CHECK(acpi_find_table(&memory, BASE + RSDP, "MCFG", 0, &table));
	CHECK_EQ(table.physical, BASE + MCFG);
	CHECK(acpi_find_table(&memory, BASE + RSDP, "SSDT", 1, &table));
	CHECK_EQ(table.physical, BASE + SSD2);
	fake_release(&m);

	/* Revision 2 without an XSDT address: the RSDT again. */
	put_rsdp(&m, RSDP, 2, BASE + RSDT, 0);
	CHECK(acpi_find_table(&memory, BASE + RSDP, "MCFG", 0, &table));
	fake_release(&m);

	/* An RSDT whose signature is wrong is refused. */
	memcpy(m.bytes + RSDT, "XSDT", 4);
	fix_checksum(m.bytes + RSDT, ACPI_HEADER_SIZE + 5 * 4, 9);
	CHECK(!acpi_find_table(&memory, BASE + RSDP, "MCFG", 0, &table));
	fake_release(&m);
}

static void test_bad_rsdp(void)
{
	static struct fake_memory m;
	struct acpi_memory memory;
	struct acpi_table table;

	build_firmware(&m);
	memory = view(&m);
	/* The first checksum. */
	m.bytes[RSDP + 9] ^= 1;
	CHECK(!acpi_find_table(&memory, BASE + RSDP, "APIC", 0, &table));
	fake_release(&m);
	/* The extended checksum only (the first 20 bytes fixed up). */
	build_firmware(&m);
	m.bytes[RSDP + 33] ^= 1;
	CHECK(!acpi_find_table(&memory, BASE + RSDP, "APIC", 0, &table));
	fake_release(&m);
	/* The signature. */
	build_firmware(&m);
	m.bytes[RSDP] = 'r';
	fix_checksum(m.bytes + RSDP, 20, 8);
	fix_checksum(m.bytes + RSDP, 36, 32);
	CHECK(!acpi_find_table(&memory, BASE + RSDP, "APIC", 0, &table));
	fake_release(&m);
	/* A length below the revision 2 size, and a huge one. */
	build_firmware(&m);
	put(m.bytes + RSDP + 20, 20, 4);
	fix_checksum(m.bytes + RSDP, 20, 8);
	fix_checksum(m.bytes + RSDP, 36, 32);
	CHECK(!acpi_find_table(&memory, BASE + RSDP, "APIC", 0, &table));
	fake_release(&m);
	put(m.bytes + RSDP + 20, 0xfffffff0u, 4);
	fix_checksum(m.bytes + RSDP, 20, 8);
	fix_checksum(m.bytes + RSDP, 36, 32);
	CHECK(!acpi_find_table(&memory, BASE + RSDP, "APIC", 0, &table));
	fake_release(&m);
	/* A revision 2 RSDP in the last 20 bytes of memory: its first
	 * checksum holds, its 36 bytes are not there. */
	build_firmware(&m);
	memcpy(m.bytes + SIZE - 20, "RSD PTR ", 8);
	m.bytes[SIZE - 20 + 15] = 2;
	fix_checksum(m.bytes + SIZE - 20, 20, 8);
	CHECK(!acpi_find_table(&memory, BASE + SIZE - 20, "APIC", 0, &table));
	CHECK(m.refused > 0);
	/* No RSDP at all. */
	CHECK(!acpi_find_table(&memory, 0, "APIC", 0, &table));
	CHECK(
	    !acpi_find_table(&memory, BASE + SIZE + 0x1000, "APIC", 0, &table));
	fake_release(&m);
}

static void test_bad_root(void)
{
	static struct fake_memory m;
	struct acpi_memory memory;
	struct acpi_table table;

	build_firmware(&m);
	memory = view(&m);
	/* A wrong XSDT checksum. */
	m.bytes[XSDT + ACPI_HEADER_SIZE] ^= 0x10;
	CHECK(!acpi_find_table(&memory, BASE + RSDP, "APIC", 0, &table));
	fake_release(&m);

	/* An XSDT longer than memory: refused, never read beyond. */
	build_firmware(&m);
	put(m.bytes + XSDT + 4, SIZE, 4);
	fix_checksum(m.bytes + XSDT, ACPI_HEADER_SIZE + 5 * 8, 9);
	CHECK(!acpi_find_table(&memory, BASE + RSDP, "APIC", 0, &table));
	CHECK(m.refused > 0);
	fake_release(&m);

	/* An XSDT whose length leaves half an entry: the whole entries are
	 * read, the half is not (the copy ends there; ASan would see it). */
	build_firmware(&m);
	put_table(&m, XSDT, "XSDT", ACPI_HEADER_SIZE + 2 * 8 + 4);
	put(m.bytes + XSDT + ACPI_HEADER_SIZE, BASE + FACP, 8);
	put(m.bytes + XSDT + ACPI_HEADER_SIZE + 8, BASE + APIC, 8);
	put(m.bytes + XSDT + ACPI_HEADER_SIZE + 16, BASE + MCFG, 4);
	fix_checksum(m.bytes + XSDT, ACPI_HEADER_SIZE + 20, 9);
	CHECK(acpi_find_table(&memory, BASE + RSDP, "APIC", 0, &table));
	CHECK(!acpi_find_table(&memory, BASE + RSDP, "MCFG", 0, &table));
	fake_release(&m);

	/* Entries that point nowhere, at 0, or at the RSDP are skipped. */
	build_firmware(&m);
	put_root(&m, XSDT, true,
		 (uint64_t[]){0, BASE + SIZE * 2, BASE + RSDP, ~0ull,
			      BASE + SIZE - 8, BASE + APIC},
		 6);
	CHECK(acpi_find_table(&memory, BASE + RSDP, "APIC", 0, &table));
	CHECK_EQ(table.physical, BASE + APIC);
	fake_release(&m);
}

static void test_bad_tables_skipped(void)
{
	static struct fake_memory m;
	struct acpi_memory memory;
	struct acpi_table table;

	build_firmware(&m);
	memory = view(&m);
	/* A first MCFG with a wrong checksum, a second one that is fine:
	 * the bad one is skipped and not counted. */
	put_table(&m, BAD, "MCFG", 60);
	m.bytes[BAD + 50] ^= 1;
	put_root(&m, XSDT, true, (uint64_t[]){BASE + BAD, BASE + MCFG}, 2);
	CHECK(acpi_find_table(&memory, BASE + RSDP, "MCFG", 0, &table));
	CHECK_EQ(table.physical, BASE + MCFG);
	CHECK(!acpi_find_table(&memory, BASE + RSDP, "MCFG", 1, &table));
	fake_release(&m);

	/* A length shorter than a header, and a length past the end. */
	put_table(&m, BAD, "MCFG", 60);
	put(m.bytes + BAD + 4, 35, 4);
	fix_checksum(m.bytes + BAD, 60, 9);
	CHECK(!acpi_check_table(&memory, BASE + BAD, "MCFG", &table));
	put_table(&m, BAD, "MCFG", 60);
	put(m.bytes + BAD + 4, SIZE, 4);
	fix_checksum(m.bytes + BAD, 60, 9);
	CHECK(!acpi_check_table(&memory, BASE + BAD, "MCFG", &table));
	put(m.bytes + BAD + 4, ACPI_TABLE_MAX_LENGTH + 1, 4);
	CHECK(!acpi_check_table(&memory, BASE + BAD, "MCFG", &table));
	/* A table truncated by the end of memory: its header is there, its
	 * body is not. */
	put_table(&m, SIZE - 64, "MCFG", 64);
	CHECK(acpi_check_table(&memory, BASE + SIZE - 64, "MCFG", &table));
	put(m.bytes + SIZE - 64 + 4, 80, 4);
	fix_checksum(m.bytes + SIZE - 64, 64, 9);
	CHECK(!acpi_check_table(&memory, BASE + SIZE - 64, "MCFG", &table));
	/* Another signature. */
	CHECK(!acpi_check_table(&memory, BASE + APIC, "MCFG", &table));
	CHECK(acpi_check_table(&memory, BASE + APIC, "APIC", &table));
	fake_release(&m);
}

static void test_mcfg(void)
{
	static struct fake_memory m;
	struct acpi_memory memory;
	struct acpi_table table;
	struct acpi_mcfg_window windows[4];
	uint8_t *mcfg = m.bytes + MCFG;

	build_firmware(&m);
	memory = view(&m);
	/* Five entries and half of a sixth: two good, three bad. */
	put_table(&m, MCFG, "MCFG", 44 + 5 * 16 + 8);
	put_mcfg_entry(mcfg, 0, 0xb0000000, 0, 0, 255);
	put_mcfg_entry(mcfg, 1, 0x3000000000ull, 1, 0x40, 0x7f);
	put_mcfg_entry(mcfg, 2, 0xe0000000, 2, 8, 7); /* end < start */
	put_mcfg_entry(mcfg, 3, 0xe0080000, 3, 0, 0); /* not aligned */
	put_mcfg_entry(mcfg, 4, 0xfffffffffff00000ull, 4, 0, 1); /* wraps */
	memset(mcfg + 44 + 5 * 16, 0x11, 8);
	fix_checksum(mcfg, 44 + 5 * 16 + 8, 9);
	CHECK(acpi_find_table(&memory, BASE + RSDP, "MCFG", 0, &table));
	memset(windows, 0xee, sizeof(windows));
	CHECK_EQ(acpi_parse_mcfg(&table, windows, 4), 2);
	CHECK_EQ(windows[0].base, 0xb0000000);
	CHECK_EQ(windows[0].segment, 0);
	CHECK_EQ(windows[0].start_bus, 0);
	CHECK_EQ(windows[0].end_bus, 255);
	CHECK_EQ(windows[1].base, 0x3000000000ull);
	CHECK_EQ(windows[1].segment, 1);
	CHECK_EQ(windows[1].start_bus, 0x40);
	CHECK_EQ(windows[1].end_bus, 0x7f);
	CHECK_EQ(windows[2].base, 0xeeeeeeeeeeeeeeeeull); /* untouched */
	/* Capacity 1: one stored, two counted. */
	memset(windows, 0xee, sizeof(windows));
	CHECK_EQ(acpi_parse_mcfg(&table, windows, 1), 2);
	CHECK_EQ(windows[0].base, 0xb0000000);
	CHECK_EQ(windows[1].base, 0xeeeeeeeeeeeeeeeeull);
	CHECK_EQ(acpi_parse_mcfg(&table, NULL, 0), 2);
	fake_release(&m);

	/* An MCFG with no entries, and one too short for its reserved
	 * bytes. */
	put_table(&m, MCFG, "MCFG", 44);
	CHECK(acpi_check_table(&memory, BASE + MCFG, "MCFG", &table));
	CHECK_EQ(acpi_parse_mcfg(&table, windows, 4), 0);
	put_table(&m, MCFG, "MCFG", 40);
	CHECK(acpi_check_table(&memory, BASE + MCFG, "MCFG", &table));
	CHECK_EQ(acpi_parse_mcfg(&table, windows, 4), 0);
	/* Not an MCFG. */
	CHECK(acpi_check_table(&memory, BASE + APIC, "APIC", &table));
	CHECK_EQ(acpi_parse_mcfg(&table, windows, 4), 0);
	fake_release(&m);
}

static void test_identity(void)
{
	static uint8_t bytes[64];
	uint64_t address = (uint64_t)(uintptr_t)bytes;
	uint64_t limit = address + sizeof(bytes);

	CHECK(acpi_identity_map(NULL, address, 64) == bytes);
	CHECK(acpi_identity_map(&limit, address, 64) == bytes);
	CHECK(acpi_identity_map(&limit, address, 65) == NULL);
	CHECK(acpi_identity_map(&limit, limit, 1) == NULL);
	CHECK(acpi_identity_map(NULL, ~0ull - 4, 8) == NULL);
}

static void run_tests(void)
{
	test_find_through_xsdt();
	test_find_through_rsdt();
	test_bad_rsdp();
	test_bad_root();
	test_bad_tables_skipped();
	test_mcfg();
	test_identity();
}
