/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the Multiboot image check, load and boot information
 * (lib/multiboot.c, lib/multiboot_info.c) and of their place in the shared
 * image check: ELF32 kernels with a Multiboot 1 header, a.out-kludge
 * addresses, Multiboot 2 headers and their tags, every refusal with its
 * line, and both versions' boot information field by field.
 */
#include <bulkhead/image_check.h>
#include <bulkhead/multiboot.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

CHECK_MAIN("test_multiboot")

#define MIB	  (1ull << 20)
#define FILE_SIZE 0x3000u

static uint8_t file[FILE_SIZE];

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	for (unsigned i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t get64(const uint8_t *p)
{
	return get32(p) | (uint64_t)get32(p + 4) << 32;
}

/* An ELF32 executable: one PT_LOAD of the file from 0x1000 (0x2000 bytes)
 * at paddr, with memsz bytes, entry at paddr. */
static void make_elf32(uint32_t paddr, uint32_t memsz)
{
	uint8_t *ph = file + 52;

	memset(file, 0, sizeof(file));
	memcpy(file, "\177ELF", 4);
	file[4] = 1; /* ELFCLASS32 */
	file[5] = 1; /* little endian */
	file[6] = 1;
	put16(file + 16, 2); /* ET_EXEC */
	put16(file + 18, 3); /* EM_386 */
	put32(file + 24, paddr);
	put32(file + 28, 52);
	put16(file + 42, 32);
	put16(file + 44, 1);
	put32(ph, 1);
	put32(ph + 4, 0x1000);
	put32(ph + 8, paddr);
	put32(ph + 12, paddr);
	put32(ph + 16, 0x2000);
	put32(ph + 20, memsz);
	memset(file + 0x1000, 0xab, 0x2000);
}

static void mb1_header(uint32_t at, uint32_t flags)
{
	put32(file + at, MULTIBOOT1_HEADER_MAGIC);
	put32(file + at + 4, flags);
	put32(file + at + 8, -(MULTIBOOT1_HEADER_MAGIC + flags));
}

static bool check(uint64_t memory, struct multiboot_image *image,
		  char error[MULTIBOOT_ERROR_MAX])
{
	return multiboot_image_check(file, sizeof(file), memory, image, error);
}

static void test_mb1_elf32(void)
{
	struct multiboot_image image;
	char error[MULTIBOOT_ERROR_MAX];
	uint8_t *memory;

	make_elf32(0x100000, 0x3000);
	CHECK(!multiboot_header_present(file, sizeof(file)));
	CHECK(!check(16 * MIB, &image, error));
	CHECK_STR_CONTAINS(error, "no Multiboot header");
	mb1_header(0x1000, MULTIBOOT1_PAGE_ALIGN | MULTIBOOT1_MEMORY_INFO);
	CHECK(multiboot_header_present(file, sizeof(file)));
	CHECK(check(16 * MIB, &image, error));
	CHECK_EQ(image.version, 1);
	CHECK_EQ(image.header_offset, 0x1000);
	CHECK(image.from_elf);
	CHECK_EQ(image.entry, 0x100000);
	CHECK_EQ(image.segment_count, 1);
	CHECK_EQ(image.lowest, 0x100000);
	CHECK_EQ(image.highest, 0x103000);
	memory = malloc(2 * MIB);
	memset(memory, 0xcc, 2 * MIB);
	multiboot_load(file, &image, memory);
	CHECK_EQ(memory[0x100000 + 4], MULTIBOOT1_MEMORY_INFO | 1);
	CHECK_EQ(memory[0x101fff], 0xab);
	CHECK_EQ(memory[0x102000], 0); /* BSS cleared */
	CHECK_EQ(memory[0x102fff], 0);
	CHECK_EQ(memory[0x103000], 0xcc); /* nothing past it */
	CHECK_EQ(memory[0xfffff], 0xcc);
	free(memory);

	/* The header must be 4-byte aligned and inside the first 8 KiB. */
	make_elf32(0x100000, 0x3000);
	mb1_header(0x1002, 0);
	CHECK(!multiboot_header_present(file, sizeof(file)));
	make_elf32(0x100000, 0x3000);
	mb1_header(0x2000, 0);
	CHECK(!multiboot_header_present(file, sizeof(file)));
}

static void test_mb1_refusals(void)
{
	struct multiboot_image image;
	char error[MULTIBOOT_ERROR_MAX];

	make_elf32(0x100000, 0x3000);
	mb1_header(0x1000, 0);
	put32(file + 0x1008, 0x12345678);
	CHECK(!check(16 * MIB, &image, error));
	CHECK_STR_CONTAINS(error, "Multiboot 1 header at 0x1000: bad checksum");

	make_elf32(0x100000, 0x3000);
	mb1_header(0x1000, MULTIBOOT1_VIDEO_MODE);
	CHECK(!check(16 * MIB, &image, error));
	CHECK_STR_CONTAINS(error, "requires a video mode (flag 2)");

	make_elf32(0x100000, 0x3000);
	mb1_header(0x1000, 1u << 5);
	CHECK(!check(16 * MIB, &image, error));
	CHECK_STR_CONTAINS(error, "unknown features (flags 0x20)");

	/* Optional features (bits 16-31 but the kludge) are ignored. */
	make_elf32(0x100000, 0x3000);
	mb1_header(0x1000, 1u << 20);
	CHECK(check(16 * MIB, &image, error));

	/* Below 1 MiB, or past the partition's end. */
	make_elf32(0x80000, 0x3000);
	mb1_header(0x1000, 0);
	CHECK(!check(16 * MIB, &image, error));
	CHECK_STR_CONTAINS(error, "segment 0x80000-0x83000 lies outside");
	make_elf32(0xfff000, 0x3000);
	mb1_header(0x1000, 0);
	CHECK(!check(16 * MIB, &image, error));
	CHECK_STR_CONTAINS(error, "outside the partition's memory");

	/* Not ELF and no address fields. */
	make_elf32(0x100000, 0x3000);
	memset(file, 0, 52);
	mb1_header(0x1000, 0);
	CHECK(!check(16 * MIB, &image, error));
	CHECK_STR_CONTAINS(error, "not ELF and has no address fields");

	/* ELF64 for another machine. */
	make_elf32(0x100000, 0x3000);
	file[4] = 2;
	put16(file + 18, 40);
	mb1_header(0x1000, 0);
	CHECK(!check(16 * MIB, &image, error));
	CHECK_STR_CONTAINS(error, "neither ELF32 for i386 nor ELF64");

	/* The entry outside the loaded code. */
	make_elf32(0x100000, 0x3000);
	put32(file + 24, 0x102800);
	mb1_header(0x1000, 0);
	CHECK(!check(16 * MIB, &image, error));
	CHECK_STR_CONTAINS(error, "entry 0x102800 lies outside");

	/* Program headers past the end of the file. */
	make_elf32(0x100000, 0x3000);
	put32(file + 28, FILE_SIZE - 8);
	mb1_header(0x1000, 0);
	CHECK(!check(16 * MIB, &image, error));
	CHECK_STR_CONTAINS(error, "program headers outside the file");
}

/* A flat binary with the kludge: the file loads at 0x200000, the header
 * at file offset 0x10. */
static void make_kludge(uint32_t load_end, uint32_t bss_end, uint32_t entry)
{
	uint32_t flags = MULTIBOOT1_AOUT_KLUDGE;

	memset(file, 0x5a, sizeof(file));
	mb1_header(0x10, flags);
	put32(file + 0x10 + 12, 0x200010); /* header_addr */
	put32(file + 0x10 + 16, 0x200000); /* load_addr */
	put32(file + 0x10 + 20, load_end);
	put32(file + 0x10 + 24, bss_end);
	put32(file + 0x10 + 28, entry);
}

static void test_mb1_kludge(void)
{
	struct multiboot_image image;
	char error[MULTIBOOT_ERROR_MAX];

	make_kludge(0, 0, 0x200100);
	CHECK(check(16 * MIB, &image, error));
	CHECK(!image.from_elf);
	CHECK_EQ(image.entry, 0x200100);
	CHECK_EQ(image.segments[0].offset, 0);
	CHECK_EQ(image.segments[0].file_size, FILE_SIZE);
	CHECK_EQ(image.highest, 0x200000 + FILE_SIZE);

	make_kludge(0x201000, 0x204000, 0x200100);
	CHECK(check(16 * MIB, &image, error));
	CHECK_EQ(image.segments[0].file_size, 0x1000);
	CHECK_EQ(image.segments[0].memory_size, 0x4000);

	make_kludge(0x200000 + FILE_SIZE + 1, 0, 0x200100);
	CHECK(!check(16 * MIB, &image, error));
	CHECK_STR_CONTAINS(error, "load_end_addr 0x203001 is not inside");

	make_kludge(0x201000, 0x200800, 0x200100);
	CHECK(!check(16 * MIB, &image, error));
	CHECK_STR_CONTAINS(error, "bss_end_addr 0x200800 lies below");

	make_kludge(0, 0, 0x200100);
	put32(file + 0x10 + 12, 0x300000); /* header far after load_addr */
	CHECK(!check(16 * MIB, &image, error));
	CHECK_STR_CONTAINS(error, "before the start of the file");

	make_kludge(0, 0, 0x200100);
	CHECK(!check(2 * MIB, &image, error));
	CHECK_STR_CONTAINS(error, "outside the partition's memory");

	/* The address fields cut off by the end of the file. */
	memset(file, 0, sizeof(file));
	mb1_header(0x1ff0, MULTIBOOT1_AOUT_KLUDGE);
	CHECK(!multiboot_image_check(file, 0x2000, 16 * MIB, &image, error));
	CHECK_STR_CONTAINS(error, "address fields cut off");
}

/* A Multiboot 2 header at 0x1000 with the given tags (each 8-aligned),
 * then the end tag. */
static uint32_t mb2_at;

static void mb2_begin(void)
{
	mb2_at = 0x1000 + 16;
}

static uint8_t *mb2_tag(uint16_t type, uint16_t flags, uint32_t size)
{
	uint8_t *tag = file + mb2_at;

	memset(tag, 0, size);
	put16(tag, type);
	put16(tag + 2, flags);
	put32(tag + 4, size);
	mb2_at += (size + 7) & ~7u;
	return tag;
}

static void mb2_end(uint32_t architecture)
{
	uint32_t length;

	mb2_tag(0, 0, 8);
	length = mb2_at - 0x1000;
	put32(file + 0x1000, MULTIBOOT2_HEADER_MAGIC);
	put32(file + 0x1004, architecture);
	put32(file + 0x1008, length);
	put32(file + 0x100c,
	      -(MULTIBOOT2_HEADER_MAGIC + architecture + length));
}

static void test_mb2(void)
{
	struct multiboot_image image;
	char error[MULTIBOOT_ERROR_MAX];
	uint8_t *tag;

	make_elf32(0x100000, 0x3000);
	mb2_begin();
	tag = mb2_tag(1, 0, 8 + 4 * 3); /* information request */
	put32(tag + 8, MULTIBOOT2_TAG_MMAP);
	put32(tag + 12, MULTIBOOT2_TAG_CMDLINE);
	put32(tag + 16, MULTIBOOT2_TAG_ACPI_NEW);
	mb2_tag(5, 1, 20); /* an optional framebuffer */
	mb2_tag(4, 0, 12); /* console flags */
	mb2_end(0);
	CHECK(multiboot_header_present(file, sizeof(file)));
	CHECK(check(16 * MIB, &image, error));
	CHECK_EQ(image.version, 2);
	CHECK(image.from_elf);
	CHECK_EQ(image.entry, 0x100000);

	/* An entry tag overrides the ELF entry. */
	make_elf32(0x100000, 0x3000);
	mb2_begin();
	put32(mb2_tag(3, 0, 12) + 8, 0x100040);
	mb2_end(0);
	CHECK(check(16 * MIB, &image, error));
	CHECK_EQ(image.entry, 0x100040);

	/* The address tag: a flat binary at 0x300000. */
	memset(file, 0x11, sizeof(file));
	mb2_begin();
	tag = mb2_tag(2, 0, 24);
	put32(tag + 8, 0x301000);  /* header_addr */
	put32(tag + 12, 0x300000); /* load_addr */
	put32(tag + 16, 0);
	put32(tag + 20, 0x310000);
	put32(mb2_tag(3, 0, 12) + 8, 0x300200);
	mb2_end(0);
	CHECK(check(16 * MIB, &image, error));
	CHECK(!image.from_elf);
	CHECK_EQ(image.segments[0].file_size, FILE_SIZE);
	CHECK_EQ(image.segments[0].memory_size, 0x10000);
	CHECK_EQ(image.entry, 0x300200);

	/* load_addr -1: the file from its first byte, the header (at offset
	 * 0x1000) at header_addr. */
	put32(tag + 12, 0xffffffffu);
	CHECK(check(16 * MIB, &image, error));
	CHECK_EQ(image.segments[0].offset, 0);
	CHECK_EQ(image.segments[0].address, 0x300000);
	CHECK_EQ(image.segments[0].file_size, FILE_SIZE);
	put32(tag + 8, 0xfff); /* the file's start would be below 0 */
	CHECK(!check(16 * MIB, &image, error));
	CHECK_STR_CONTAINS(error, "with load_addr -1 puts the file's start "
				  "below address 0");
}

static void expect_mb2_refused(const char *text)
{
	struct multiboot_image image;
	char error[MULTIBOOT_ERROR_MAX];

	CHECK(!check(16 * MIB, &image, error));
	CHECK_STR_CONTAINS(error, text);
}

static void test_mb2_refusals(void)
{
	make_elf32(0x100000, 0x3000);
	mb2_begin();
	mb2_tag(5, 0, 20);
	mb2_end(0);
	expect_mb2_refused("requires a framebuffer (tag 5)");

	make_elf32(0x100000, 0x3000);
	mb2_begin();
	put32(mb2_tag(1, 0, 12) + 8, 8); /* a framebuffer information tag */
	mb2_end(0);
	expect_mb2_refused("requires boot information tag 8");

	make_elf32(0x100000, 0x3000);
	mb2_begin();
	put32(mb2_tag(1, 1, 12) + 8, 8); /* the same, optional */
	mb2_end(0);
	struct multiboot_image image;
	char error[MULTIBOOT_ERROR_MAX];
	CHECK(check(16 * MIB, &image, error));

	make_elf32(0x100000, 0x3000);
	mb2_begin();
	mb2_tag(7, 0, 8);
	mb2_end(0);
	expect_mb2_refused("EFI boot services (tag 7)");

	make_elf32(0x100000, 0x3000);
	mb2_begin();
	mb2_tag(42, 0, 8);
	mb2_end(0);
	expect_mb2_refused("the unknown header tag 42");

	make_elf32(0x100000, 0x3000);
	mb2_begin();
	mb2_end(4); /* MIPS */
	expect_mb2_refused("architecture 4: only 0");

	make_elf32(0x100000, 0x3000);
	mb2_begin();
	mb2_end(0);
	put32(file + 0x100c, 0);
	expect_mb2_refused("Multiboot 2 header at 0x1000: bad checksum");

	/* A tag running past the header's length. */
	make_elf32(0x100000, 0x3000);
	mb2_begin();
	mb2_end(0);
	put32(file + 0x1000 + 16 + 4, 64);
	expect_mb2_refused("has size 64, past the header's end");

	/* No end tag: the last tag is a console-flags tag. */
	make_elf32(0x100000, 0x3000);
	mb2_begin();
	mb2_tag(4, 0, 16);
	mb2_end(0);
	put16(file + 0x1000 + 16 + 16, 4);
	put32(file + 0x1000 + 16 + 20, 8);
	expect_mb2_refused("has no end tag");

	/* The address tag without an entry tag. */
	memset(file, 0, sizeof(file));
	mb2_begin();
	uint8_t *tag = mb2_tag(2, 0, 24);
	put32(tag + 8, 0x301000);
	put32(tag + 12, 0x300000);
	mb2_end(0);
	expect_mb2_refused("has no entry address tag");
}

static void test_image_check_kinds(void)
{
	struct config_partition p;
	struct image_summary summary;
	char error[IMAGE_ERROR_MAX];

	memset(&p, 0, sizeof(p));
	strcpy(p.kernel, "mb.elf");
	p.memory_size = 16 * MIB;
	make_elf32(0x100000, 0x3000);
	mb1_header(0x1000, 0);
	strcpy(p.cmdline, "ticks=10");
	CHECK(image_check(&p, file, sizeof(file), 0, &summary, error));
	CHECK_EQ(summary.kind, BOOTINFO_IMAGE_MULTIBOOT1);
	CHECK_EQ(summary.platform, CONFIG_PLATFORM_PC);
	CHECK_EQ(summary.entry, 0x100000);
	p.platform = CONFIG_PLATFORM_NONE;
	CHECK(image_check(&p, file, sizeof(file), 0, &summary, error));
	CHECK_EQ(summary.platform, CONFIG_PLATFORM_NONE);

	strcpy(p.initrd, "initrd.img");
	CHECK(!image_check(&p, file, sizeof(file), 0, &summary, error));
	CHECK_STR_CONTAINS(error, "initrd applies only to a Linux bzImage, "
				  "and mb.elf is a Multiboot 1 kernel");
	p.initrd[0] = '\0';

	put32(file + 0x1008, 0);
	CHECK(!image_check(&p, file, sizeof(file), 0, &summary, error));
	CHECK_STR_CONTAINS(error, "kernel mb.elf: Multiboot 1 header at "
				  "0x1000: bad checksum");

	make_elf32(0x100000, 0x3000);
	mb2_begin();
	mb2_end(0);
	CHECK(image_check(&p, file, sizeof(file), 0, &summary, error));
	CHECK_EQ(summary.kind, BOOTINFO_IMAGE_MULTIBOOT2);

	p.platform = CONFIG_PLATFORM_DEFAULT;
	p.memory_size = 4096 * MIB;
	CHECK(!image_check(&p, file, sizeof(file), 0, &summary, error));
	CHECK_STR_CONTAINS(error, "at most 3072 MiB");

	/* Modules: placed above the kernel when they fit, refused when they
	 * do not, and on a kernel without a Multiboot header. */
	uint64_t sizes[2] = {0x1800, 0x10};
	uint32_t starts[2];
	p.memory_size = 16 * MIB;
	p.module_count = 2;
	strcpy(p.modules[0], "one.bin");
	strcpy(p.modules[1], "two.bin two");
	CHECK(image_check(&p, file, sizeof(file), 0, &summary, error));
	CHECK(image_check_modules(&p, &summary, sizes, starts, error));
	CHECK_EQ(starts[0], (summary.multiboot_highest + 0xfff) & ~0xfffu);
	CHECK_EQ(starts[1], starts[0] + 0x2000);
	sizes[1] = 16 * MIB;
	CHECK(!image_check_modules(&p, &summary, sizes, starts, error));
	CHECK_STR_CONTAINS(error, "modules: module 2 (16777216 bytes at");
	memset(file, 0, sizeof(file));
	CHECK(!image_check(&p, file, sizeof(file), 0, &summary, error));
	CHECK_STR_CONTAINS(error, "modules apply only to a Multiboot kernel, "
				  "and mb.elf has no Multiboot header");
	summary.kind = BOOTINFO_IMAGE_LINUX;
	CHECK(!image_check_modules(&p, &summary, sizes, starts, error));
	p.module_count = 0;
	CHECK(image_check_modules(&p, &summary, sizes, starts, error));
}

static const struct linux_e820_entry map[] = {
    {0, 0xa0000, LINUX_E820_RAM},
    {0xe0000, 0x20000, LINUX_E820_RESERVED},
    {0x100000, 15 * MIB, LINUX_E820_RAM},
};

static const struct multiboot_info_module modules[] = {
    {0x200000, 0x200123, "guests/one.bin first"},
    {0x201000, 0x201000, "guests/empty.bin"},
};

static void test_info_v1(void)
{
	uint8_t area[0x1000] = {0};
	const struct multiboot_info_input input = {
	    16 * MIB, map, 3, "ticks=10 name=x", "bulkhead", NULL, modules, 2,
	};
	const uint8_t *list;
	const uint32_t base = 0x8000;
	uint32_t info =
	    multiboot_info_build(1, area, base, sizeof(area), &input);
	const uint8_t *mbi = area + (info - base), *mmap;

	CHECK_EQ(info, base);
	CHECK_EQ(get32(mbi), MULTIBOOT1_INFO_MEMORY | MULTIBOOT1_INFO_CMDLINE |
				 MULTIBOOT1_INFO_MODULES |
				 MULTIBOOT1_INFO_MMAP |
				 MULTIBOOT1_INFO_LOADER_NAME);
	CHECK_EQ(get32(mbi + 4), 640);
	CHECK_EQ(get32(mbi + 8), 15 * 1024);
	CHECK(!strcmp((const char *)area + (get32(mbi + 16) - base),
		      "ticks=10 name=x"));
	CHECK_EQ(get32(mbi + 20), 2);
	list = area + (get32(mbi + 24) - base);
	CHECK_EQ(get32(mbi + 24) & 3, 0);
	CHECK_EQ(get32(list), 0x200000);
	CHECK_EQ(get32(list + 4), 0x200123);
	CHECK(!strcmp((const char *)area + (get32(list + 8) - base),
		      "guests/one.bin first"));
	CHECK_EQ(get32(list + 16), 0x201000);
	CHECK_EQ(get32(list + 20), 0x201000);
	CHECK(!strcmp((const char *)area + (get32(list + 24) - base),
		      "guests/empty.bin"));
	CHECK(
	    !strcmp((const char *)area + (get32(mbi + 64) - base), "bulkhead"));
	CHECK_EQ(get32(mbi + 44), 3 * 24);
	mmap = area + (get32(mbi + 48) - base);
	CHECK_EQ(get32(mmap), 20);
	CHECK_EQ(get64(mmap + 4), 0);
	CHECK_EQ(get64(mmap + 12), 0xa0000);
	CHECK_EQ(get32(mmap + 20), MULTIBOOT_MEMORY_AVAILABLE);
	CHECK_EQ(get64(mmap + 24 + 4), 0xe0000);
	CHECK_EQ(get32(mmap + 24 + 20), MULTIBOOT_MEMORY_RESERVED);
	CHECK_EQ(get64(mmap + 48 + 12), 15 * MIB);

	/* Too small an area, or a misaligned one, gives 0. */
	CHECK_EQ(multiboot_info_build(1, area, base, 100, &input), 0);
	CHECK_EQ(multiboot_info_build(1, area, base, 150, &input), 0);
	CHECK_EQ(multiboot_info_build(1, area, base + 4, sizeof(area), &input),
		 0);
	CHECK_EQ(multiboot_info_build(3, area, base, sizeof(area), &input), 0);
}

static void test_info_v2(void)
{
	uint8_t area[0x1000] = {0};
	uint8_t rsdp[36];
	const struct multiboot_info_input input = {
	    16 * MIB, map, 3, "ticks=10", "bulkhead", rsdp, modules, 2,
	};
	uint32_t info, at, total;
	unsigned seen = 0, module = 0;

	for (unsigned i = 0; i < sizeof(rsdp); i++)
		rsdp[i] = (uint8_t)(i + 1);
	info = multiboot_info_build(2, area, 0x8000, sizeof(area), &input);
	CHECK_EQ(info, 0x8000);
	total = get32(area);
	CHECK(total > 8 && total < sizeof(area));
	for (at = 8; at < total;) {
		const uint8_t *tag = area + at;
		uint32_t type = get32(tag), size = get32(tag + 4);

		CHECK_EQ(at & 7, 0);
		seen |= 1u << type;
		if (type == MULTIBOOT2_TAG_CMDLINE)
			CHECK(!strcmp((const char *)tag + 8, "ticks=10"));
		if (type == MULTIBOOT2_TAG_LOADER_NAME)
			CHECK(!strcmp((const char *)tag + 8, "bulkhead"));
		if (type == MULTIBOOT2_TAG_MODULE) {
			CHECK(module < 2);
			CHECK_EQ(get32(tag + 8), modules[module].start);
			CHECK_EQ(get32(tag + 12), modules[module].end);
			CHECK(!strcmp((const char *)tag + 16,
				      modules[module].string));
			CHECK_EQ(size, 16 + strlen(modules[module].string) + 1);
			module++;
		}
		if (type == MULTIBOOT2_TAG_BASIC_MEMINFO) {
			CHECK_EQ(get32(tag + 8), 640);
			CHECK_EQ(get32(tag + 12), 15 * 1024);
		}
		if (type == MULTIBOOT2_TAG_MMAP) {
			CHECK_EQ(size, 16 + 3 * 24);
			CHECK_EQ(get32(tag + 8), 24);
			CHECK_EQ(get64(tag + 16 + 24), 0xe0000);
			CHECK_EQ(get32(tag + 16 + 24 + 16),
				 MULTIBOOT_MEMORY_RESERVED);
			CHECK_EQ(get64(tag + 16 + 48 + 8), 15 * MIB);
		}
		if (type == MULTIBOOT2_TAG_ACPI_OLD) {
			CHECK_EQ(size, 8 + 20);
			CHECK(!memcmp(tag + 8, rsdp, 20));
		}
		if (type == MULTIBOOT2_TAG_ACPI_NEW) {
			CHECK_EQ(size, 8 + 36);
			CHECK(!memcmp(tag + 8, rsdp, 36));
		}
		if (type == MULTIBOOT2_TAG_END) {
			CHECK_EQ(size, 8);
			CHECK_EQ(at + 8, total);
		}
		at += (size + 7) & ~7u;
	}
	CHECK_EQ(seen, 1u << 0 | 1u << 1 | 1u << 2 | 1u << 3 | 1u << 4 |
			   1u << 6 | 1u << 14 | 1u << 15);
	CHECK_EQ(module, 2);

	/* Without ACPI tables, no RSDP tags; without modules, no module
	 * tags. */
	const struct multiboot_info_input none = {
	    16 * MIB, map, 3, "", "bulkhead", NULL, NULL, 0,
	};
	memset(area, 0, sizeof(area));
	CHECK_EQ(multiboot_info_build(2, area, 0x8000, sizeof(area), &none),
		 0x8000);
	seen = 0;
	for (at = 8; at < get32(area);) {
		seen |= 1u << get32(area + at);
		at += (get32(area + at + 4) + 7) & ~7u;
	}
	CHECK(!(seen & (1u << 3 | 1u << 14 | 1u << 15)));
	CHECK_EQ(multiboot_info_build(2, area, 0x8000, 64, &input), 0);
}

/* Modules go page by page above the kernel and inside its memory. */
static void test_modules_plan(void)
{
	const uint64_t sizes[3] = {0x1234, 0, 0x3000};
	uint32_t starts[3];
	char error[MULTIBOOT_ERROR_MAX], path[16];

	CHECK(multiboot_modules_plan(0x123456, 16 * MIB, sizes, 3, starts,
				     error));
	CHECK_EQ(starts[0], 0x124000);
	CHECK_EQ(starts[1], 0x126000);
	CHECK_EQ(starts[2], 0x126000);
	/* Exactly to the end fits; one byte more does not. */
	const uint64_t full[1] = {16 * MIB - 0x124000};
	CHECK(multiboot_modules_plan(0x123456, 16 * MIB, full, 1, starts,
				     error));
	const uint64_t over[1] = {16 * MIB - 0x124000 + 1};
	CHECK(!multiboot_modules_plan(0x123456, 16 * MIB, over, 1, starts,
				      error));
	CHECK(strstr(error, "module 1 (") != NULL);
	CHECK(strstr(error, "below 0x1000000") != NULL);
	/* Huge sizes and memory above 4 GiB do not wrap. */
	const uint64_t huge[2] = {0x1000, UINT64_MAX};
	CHECK(!multiboot_modules_plan(0x200000, 8ull << 30, huge, 2, starts,
				      error));
	CHECK(strstr(error, "module 2 (") != NULL);
	CHECK(!multiboot_modules_plan(0xfffff001u, 8ull << 30, sizes, 1,
				      starts, error));
	CHECK(multiboot_modules_plan(0x200000, 16 * MIB, sizes, 0, starts,
				     error));

	multiboot_module_path("guests/a.bin some words", path, sizeof(path));
	CHECK(!strcmp(path, "guests/a.bin"));
	multiboot_module_path("guests/very-long-name.bin", path, sizeof(path));
	CHECK(!strcmp(path, "guests/very-lon"));
}

static void run_tests(void)
{
	test_mb1_elf32();
	test_mb1_refusals();
	test_mb1_kludge();
	test_mb2();
	test_mb2_refusals();
	test_image_check_kinds();
	test_info_v1();
	test_info_v2();
	test_modules_plan();
}
