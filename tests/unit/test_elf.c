/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the ELF64 checker, loader and relocator (lib/elf.c). Images
 * are built in memory by a small builder (header, program headers, data),
 * then corrupted one field at a time; every rejection must carry the right
 * reason. Images handed to elf_check live in heap buffers of exactly their
 * size, so ASan reports any read outside them. The real build outputs
 * (build/core.elf, build/guests/hello.elf) are checked when present.
 */
#include <bulkhead/elf.h>

#include <elf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

CHECK_MAIN("test_elf")

#define IMAGE_MAX 0x2000
#define PHDR_MAX 8
#define DATA_START (sizeof(Elf64_Ehdr) + PHDR_MAX * sizeof(Elf64_Phdr))

struct image {
	union {
		uint8_t bytes[IMAGE_MAX];
		uint64_t align;
	} u;
	size_t size;      /* bytes of the file: through the last data */
	size_t data_next; /* where the next data goes */
};

static Elf64_Ehdr *header(struct image *image)
{
	return (Elf64_Ehdr *)image->u.bytes;
}

static Elf64_Phdr *phdr(struct image *image, unsigned index)
{
	return (Elf64_Phdr *)(image->u.bytes + sizeof(Elf64_Ehdr)) + index;
}

static void image_init(struct image *image, uint16_t type, uint64_t entry)
{
	Elf64_Ehdr *h = header(image);

	memset(image, 0, sizeof(*image));
	memcpy(h->e_ident, ELFMAG, SELFMAG);
	h->e_ident[EI_CLASS] = ELFCLASS64;
	h->e_ident[EI_DATA] = ELFDATA2LSB;
	h->e_ident[EI_VERSION] = EV_CURRENT;
	h->e_type = type;
	h->e_machine = EM_X86_64;
	h->e_version = EV_CURRENT;
	h->e_entry = entry;
	h->e_phoff = sizeof(Elf64_Ehdr);
	h->e_ehsize = sizeof(Elf64_Ehdr);
	h->e_phentsize = sizeof(Elf64_Phdr);
	image->size = DATA_START;
	image->data_next = DATA_START;
}

/* Appends data (8-byte aligned) and returns its file offset. */
static uint64_t image_add_data(struct image *image, const void *data,
			       size_t length)
{
	uint64_t offset = image->data_next;

	if (offset + length > IMAGE_MAX) {
		fprintf(stderr, "test image too large\n");
		exit(2);
	}
	memcpy(image->u.bytes + offset, data, length);
	image->size = offset + length;
	image->data_next = (offset + length + 7) & ~7ull;
	return offset;
}

static Elf64_Phdr *image_add_phdr(struct image *image, uint32_t type,
				  uint32_t flags, uint64_t offset,
				  uint64_t vaddr, uint64_t filesz,
				  uint64_t memsz)
{
	Elf64_Ehdr *h = header(image);
	Elf64_Phdr *p;

	if (h->e_phnum >= PHDR_MAX) {
		fprintf(stderr, "too many program headers\n");
		exit(2);
	}
	p = phdr(image, h->e_phnum++);
	*p = (Elf64_Phdr){ .p_type = type, .p_flags = flags, .p_offset = offset,
			   .p_vaddr = vaddr, .p_paddr = vaddr, .p_filesz = filesz,
			   .p_memsz = memsz, .p_align = 0x1000 };
	return p;
}

static Elf64_Phdr *image_add_segment(struct image *image, uint32_t flags,
				     uint64_t vaddr, const void *data,
				     uint64_t filesz, uint64_t memsz)
{
	uint64_t offset = image_add_data(image, data, filesz);

	return image_add_phdr(image, PT_LOAD, flags, offset, vaddr, filesz,
			      memsz);
}

static uint8_t text_bytes[0x40];
static uint8_t data_bytes[0x20];

static const struct elf_bounds guest_bounds = { 0x100000, 0x400000 };

/*
 * The reference image: text (R+X) at 0x100000, data (R+W, 0x20 bytes of
 * file data, 0x1000 of memory) at 0x200000, a PT_NOTE and an empty PT_LOAD
 * that must both be ignored.
 */
static void build_valid(struct image *image)
{
	image_init(image, ET_EXEC, 0x100010);
	image_add_segment(image, PF_R | PF_X, 0x100000, text_bytes,
			  sizeof(text_bytes), sizeof(text_bytes));
	image_add_phdr(image, PT_NOTE, PF_R, DATA_START, 0x300000, 8, 8);
	image_add_segment(image, PF_R | PF_W, 0x200000, data_bytes,
			  sizeof(data_bytes), 0x1000);
	image_add_phdr(image, PT_LOAD, PF_R, 0, 0x3f0000, 0, 0);
}

/* Runs elf_check on a heap copy of exactly size bytes. */
static bool check_copy(const void *bytes, size_t size,
		       const struct elf_bounds *bounds,
		       struct elf_summary *summary, char *error)
{
	void *copy = malloc(size ? size : 1);
	bool ok;

	memcpy(copy, bytes, size);
	ok = elf_check(copy, size, bounds, summary, error);
	free(copy);
	return ok;
}

static void expect_reject_bounds(struct image *image,
				 const struct elf_bounds *bounds,
				 const char *reason, int line)
{
	struct elf_summary summary;
	char error[ELF_ERROR_MAX] = "";

	if (check_copy(image->u.bytes, image->size, bounds, &summary, error)) {
		check_failed++;
		fprintf(stderr, "%s:%d: image accepted, expected \"%s\"\n",
			__FILE__, line, reason);
		return;
	}
	check_passed++;
	if (strstr(error, reason)) {
		check_passed++;
	} else {
		check_failed++;
		fprintf(stderr, "%s:%d: error \"%s\", expected \"%s\"\n",
			__FILE__, line, error, reason);
	}
}

#define EXPECT_REJECT(image, reason)                                           \
	expect_reject_bounds((image), &guest_bounds, (reason), __LINE__)
#define EXPECT_REJECT_BOUNDS(image, bounds, reason)                            \
	expect_reject_bounds((image), (bounds), (reason), __LINE__)

static void test_valid(void)
{
	struct image image;
	struct elf_summary summary;
	char error[ELF_ERROR_MAX] = "";

	build_valid(&image);
	CHECK(check_copy(image.u.bytes, image.size, &guest_bounds, &summary,
			 error));
	CHECK_EQ(summary.entry, 0x100010);
	CHECK_EQ(summary.lowest, 0x100000);
	CHECK_EQ(summary.highest, 0x201000);
	CHECK_EQ(summary.load_count, 2);

	/* A PIE (ET_DYN) is accepted too. */
	build_valid(&image);
	header(&image)->e_type = ET_DYN;
	CHECK(check_copy(image.u.bytes, image.size, &guest_bounds, &summary,
			 error));

	/* Segments exactly filling the bounds, entry on the last text byte. */
	image_init(&image, ET_EXEC, 0x100fff);
	image_add_segment(&image, PF_R | PF_X, 0x100000, text_bytes,
			  sizeof(text_bytes), 0x1000);
	image_add_segment(&image, PF_R | PF_W, 0x101000, data_bytes,
			  sizeof(data_bytes), 0x400000 - 0x101000);
	CHECK(check_copy(image.u.bytes, image.size, &guest_bounds, &summary,
			 error));
	CHECK_EQ(summary.lowest, 0x100000);
	CHECK_EQ(summary.highest, 0x400000);
	CHECK_EQ(summary.load_count, 2);
}

static void test_header_errors(void)
{
	struct image image;

	build_valid(&image);
	image.size = sizeof(Elf64_Ehdr) - 1;
	EXPECT_REJECT(&image, "too small");
	image.size = 0;
	EXPECT_REJECT(&image, "too small");

	build_valid(&image);
	header(&image)->e_ident[EI_MAG1] = 'X';
	EXPECT_REJECT(&image, "bad magic");
	build_valid(&image);
	header(&image)->e_ident[EI_MAG0] = 0;
	EXPECT_REJECT(&image, "bad magic");

	build_valid(&image);
	header(&image)->e_ident[EI_CLASS] = ELFCLASS32;
	EXPECT_REJECT(&image, "little-endian ELF64");
	build_valid(&image);
	header(&image)->e_ident[EI_DATA] = ELFDATA2MSB;
	EXPECT_REJECT(&image, "little-endian ELF64");

	build_valid(&image);
	header(&image)->e_machine = EM_386;
	EXPECT_REJECT(&image, "not an x86-64");
	build_valid(&image);
	header(&image)->e_machine = EM_AARCH64;
	EXPECT_REJECT(&image, "not an x86-64");

	build_valid(&image);
	header(&image)->e_type = ET_REL;
	EXPECT_REJECT(&image, "neither executable nor PIE");
	build_valid(&image);
	header(&image)->e_type = ET_CORE;
	EXPECT_REJECT(&image, "neither executable nor PIE");

	build_valid(&image);
	header(&image)->e_phentsize = sizeof(Elf64_Phdr) - 1;
	EXPECT_REJECT(&image, "program header size");
	build_valid(&image);
	header(&image)->e_phentsize = sizeof(Elf32_Phdr);
	EXPECT_REJECT(&image, "program header size");

	build_valid(&image);
	header(&image)->e_phnum = 0;
	EXPECT_REJECT(&image, "no program headers");

	build_valid(&image);
	header(&image)->e_phoff = image.size - 8;
	EXPECT_REJECT(&image, "program headers lie outside");
	build_valid(&image);
	header(&image)->e_phoff = image.size;
	EXPECT_REJECT(&image, "program headers lie outside");
	build_valid(&image);
	header(&image)->e_phnum = 0xffff;
	EXPECT_REJECT(&image, "program headers lie outside");
	/* phoff + phnum * phentsize wraps around. */
	build_valid(&image);
	header(&image)->e_phoff = UINT64_MAX - 7;
	EXPECT_REJECT(&image, "program headers lie outside");
	build_valid(&image);
	header(&image)->e_phoff = UINT64_MAX - 4 * sizeof(Elf64_Phdr) + 1;
	EXPECT_REJECT(&image, "program headers lie outside");

	build_valid(&image);
	header(&image)->e_phoff = sizeof(Elf64_Ehdr) + 4;
	EXPECT_REJECT(&image, "misaligned");
}

static void test_segment_errors(void)
{
	struct image image;
	struct elf_bounds wide = { 0, UINT64_MAX };

	build_valid(&image);
	phdr(&image, 2)->p_filesz = phdr(&image, 2)->p_memsz + 1;
	EXPECT_REJECT(&image, "more file data than memory");

	build_valid(&image);
	phdr(&image, 2)->p_offset = image.size - 0x10;
	EXPECT_REJECT(&image, "data lies outside the file");
	build_valid(&image);
	phdr(&image, 0)->p_offset = image.size + 0x1000;
	EXPECT_REJECT(&image, "data lies outside the file");
	/* offset + filesz wraps around. */
	build_valid(&image);
	phdr(&image, 2)->p_offset = UINT64_MAX - 0xf;
	EXPECT_REJECT(&image, "data lies outside the file");
	build_valid(&image);
	phdr(&image, 2)->p_filesz = UINT64_MAX;
	phdr(&image, 2)->p_memsz = UINT64_MAX;
	EXPECT_REJECT(&image, "data lies outside the file");

	build_valid(&image);
	phdr(&image, 0)->p_vaddr = 0xff000;
	header(&image)->e_entry = 0xff010;
	EXPECT_REJECT(&image, "outside the memory it may use");
	build_valid(&image);
	phdr(&image, 0)->p_vaddr = 0;
	EXPECT_REJECT(&image, "outside the memory it may use");

	/* Straddling, starting at, and beyond max_address. */
	build_valid(&image);
	phdr(&image, 2)->p_vaddr = 0x3ff800;
	EXPECT_REJECT(&image, "outside the memory it may use");
	build_valid(&image);
	phdr(&image, 2)->p_vaddr = 0x400000;
	EXPECT_REJECT(&image, "outside the memory it may use");
	build_valid(&image);
	phdr(&image, 2)->p_vaddr = 0x10000000;
	EXPECT_REJECT(&image, "outside the memory it may use");
	build_valid(&image);
	phdr(&image, 2)->p_memsz = 0x400001;
	EXPECT_REJECT(&image, "outside the memory it may use");
	/* vaddr + memsz wraps around: with the widest bounds and with ours. */
	build_valid(&image);
	phdr(&image, 2)->p_vaddr = UINT64_MAX - 0xfff;
	EXPECT_REJECT_BOUNDS(&image, &wide, "outside the memory it may use");
	build_valid(&image);
	phdr(&image, 2)->p_vaddr = UINT64_MAX - 0xfff;
	EXPECT_REJECT(&image, "outside the memory it may use");
	build_valid(&image);
	phdr(&image, 2)->p_memsz = UINT64_MAX - 0x1fffff;
	EXPECT_REJECT_BOUNDS(&image, &wide, "outside the memory it may use");

	/* Overlap, in either order; touching segments are fine. */
	build_valid(&image);
	phdr(&image, 2)->p_vaddr = 0x100020;
	EXPECT_REJECT(&image, "segments overlap");
	build_valid(&image);
	phdr(&image, 2)->p_vaddr = 0xff000;
	phdr(&image, 2)->p_memsz = 0x1001;
	EXPECT_REJECT_BOUNDS(&image, &wide, "segments overlap");
	build_valid(&image);
	phdr(&image, 2)->p_vaddr = 0x100000;
	phdr(&image, 2)->p_memsz = 0x20;
	EXPECT_REJECT(&image, "segments overlap");
	{
		struct elf_summary summary;
		char error[ELF_ERROR_MAX];

		build_valid(&image);
		phdr(&image, 2)->p_vaddr = 0x100040;
		CHECK(check_copy(image.u.bytes, image.size, &guest_bounds,
				 &summary, error));
		CHECK_EQ(summary.highest, 0x101040);
	}

	/* Nothing to load. */
	image_init(&image, ET_EXEC, 0x100000);
	image_add_phdr(&image, PT_NOTE, PF_R, DATA_START, 0x100000, 0, 0);
	EXPECT_REJECT(&image, "no loadable segment");
	image_init(&image, ET_EXEC, 0x100000);
	image_add_phdr(&image, PT_LOAD, PF_R | PF_X, DATA_START, 0x100000, 0,
		       0);
	EXPECT_REJECT(&image, "no loadable segment");

	/* Entry outside everything, in data, just past the text. */
	build_valid(&image);
	header(&image)->e_entry = 0x300000;
	EXPECT_REJECT(&image, "entry point");
	build_valid(&image);
	header(&image)->e_entry = 0x200010;
	EXPECT_REJECT(&image, "entry point");
	build_valid(&image);
	header(&image)->e_entry = 0x100040;
	EXPECT_REJECT(&image, "entry point");
	build_valid(&image);
	header(&image)->e_entry = 0xfffff;
	EXPECT_REJECT(&image, "entry point");
	build_valid(&image);
	phdr(&image, 0)->p_flags = PF_R | PF_W;
	EXPECT_REJECT(&image, "entry point");
}

static void test_load(void)
{
	struct image image;
	struct elf_summary summary;
	char error[ELF_ERROR_MAX];
	uint8_t *dest;
	size_t span;

	for (size_t i = 0; i < sizeof(text_bytes); i++)
		text_bytes[i] = (uint8_t)(0x10 + i);
	for (size_t i = 0; i < sizeof(data_bytes); i++)
		data_bytes[i] = (uint8_t)(0x80 + i);
	build_valid(&image);
	CHECK(elf_check(image.u.bytes, image.size, &guest_bounds, &summary,
			error));
	span = summary.highest - summary.lowest;
	dest = malloc(span);
	memset(dest, 0xaa, span);
	elf_load(image.u.bytes, dest, summary.lowest);

	CHECK(memcmp(dest, text_bytes, sizeof(text_bytes)) == 0);
	CHECK(memcmp(dest + 0x100000, data_bytes, sizeof(data_bytes)) == 0);
	size_t zero_bad = 0, gap_bad = 0;
	for (size_t i = 0x100000 + sizeof(data_bytes); i < span; i++)
		zero_bad += dest[i] != 0;
	for (size_t i = sizeof(text_bytes); i < 0x100000; i++)
		gap_bad += dest[i] != 0xaa;
	CHECK_EQ(zero_bad, 0); /* bss zeroed */
	CHECK_EQ(gap_bad, 0);  /* nothing written between segments */
	free(dest);
}

/* A position-independent image linked at 0: one RWX segment holding the
 * dynamic table at 0x100, relocations at 0x200, their targets at 0x300. */
#define PIE_SIZE 0x1000
#define PIE_DYNAMIC 0x100
#define PIE_RELA 0x200
#define PIE_TARGETS 0x300

struct pie {
	struct image image;
	uint64_t segment_offset;
	Elf64_Phdr *dynamic;
};

static Elf64_Rela *pie_rela(struct pie *pie, unsigned index)
{
	return (Elf64_Rela *)(pie->image.u.bytes + pie->segment_offset +
			      PIE_RELA) + index;
}

static Elf64_Dyn *pie_dyn(struct pie *pie, unsigned index)
{
	return (Elf64_Dyn *)(pie->image.u.bytes + pie->segment_offset +
			     PIE_DYNAMIC) + index;
}

static void build_pie(struct pie *pie)
{
	static uint8_t contents[0x400];
	Elf64_Dyn dyn[] = {
		{ DT_RELA, { PIE_RELA } },
		{ DT_RELASZ, { 3 * sizeof(Elf64_Rela) } },
		{ DT_RELAENT, { sizeof(Elf64_Rela) } },
		{ DT_NULL, { 0 } },
	};
	Elf64_Rela rela[] = {
		{ PIE_TARGETS + 0x00, ELF64_R_INFO(0, R_X86_64_RELATIVE), 0x10 },
		{ PIE_TARGETS + 0x08, ELF64_R_INFO(0, R_X86_64_RELATIVE), 0 },
		{ PIE_TARGETS + 0x18, ELF64_R_INFO(0, R_X86_64_RELATIVE),
		  0x3f8 },
	};

	memset(contents, 0x5a, sizeof(contents));
	memcpy(contents + PIE_DYNAMIC, dyn, sizeof(dyn));
	memcpy(contents + PIE_RELA, rela, sizeof(rela));
	image_init(&pie->image, ET_DYN, 0x10);
	pie->segment_offset = image_add_data(&pie->image, contents,
					     sizeof(contents));
	image_add_phdr(&pie->image, PT_LOAD, PF_R | PF_W | PF_X,
		       pie->segment_offset, 0, sizeof(contents), PIE_SIZE);
	pie->dynamic = image_add_phdr(&pie->image, PT_DYNAMIC, PF_R | PF_W,
				      pie->segment_offset + PIE_DYNAMIC,
				      PIE_DYNAMIC, sizeof(dyn), sizeof(dyn));
}

static uint64_t read64(const uint8_t *p)
{
	uint64_t value;

	memcpy(&value, p, sizeof(value));
	return value;
}

/* Checks, loads and relocates a PIE into a fresh buffer; returns it. */
static bool load_pie(struct pie *pie, uint8_t **dest_out,
		     char error[ELF_ERROR_MAX])
{
	static const struct elf_bounds bounds = { 0, PIE_SIZE };
	struct elf_summary summary;
	uint8_t *dest = aligned_alloc(4096, PIE_SIZE);

	*dest_out = dest;
	if (!elf_check(pie->image.u.bytes, pie->image.size, &bounds, &summary,
		       error)) {
		fprintf(stderr, "PIE rejected: %s\n", error);
		return false;
	}
	memset(dest, 0xaa, PIE_SIZE);
	elf_load(pie->image.u.bytes, dest, 0);
	return elf_relocate(pie->image.u.bytes, pie->image.size, dest,
			    PIE_SIZE, error);
}

static void expect_relocate_failure(struct pie *pie, const char *reason,
				    int line)
{
	char error[ELF_ERROR_MAX] = "";
	uint8_t *dest;

	if (load_pie(pie, &dest, error)) {
		check_failed++;
		fprintf(stderr, "%s:%d: relocation accepted, expected \"%s\"\n",
			__FILE__, line, reason);
	} else if (strstr(error, reason)) {
		check_passed++;
	} else {
		check_failed++;
		fprintf(stderr, "%s:%d: error \"%s\", expected \"%s\"\n",
			__FILE__, line, error, reason);
	}
	free(dest);
}

#define EXPECT_RELOCATE_FAILURE(pie, reason)                                   \
	expect_relocate_failure((pie), (reason), __LINE__)

static void test_relocate(void)
{
	static struct pie pie;
	char error[ELF_ERROR_MAX] = "";
	uint8_t *dest;
	uint64_t base;

	build_pie(&pie);
	CHECK(load_pie(&pie, &dest, error));
	base = (uint64_t)(uintptr_t)dest;
	CHECK_EQ(read64(dest + PIE_TARGETS + 0x00), base + 0x10);
	CHECK_EQ(read64(dest + PIE_TARGETS + 0x08), base);
	CHECK_EQ(read64(dest + PIE_TARGETS + 0x10), 0x5a5a5a5a5a5a5a5aull);
	CHECK_EQ(read64(dest + PIE_TARGETS + 0x18), base + 0x3f8);
	CHECK_EQ(read64(dest + 0x400), 0); /* bss untouched by relocation */
	free(dest);

	/* A relocation count of zero relocates nothing. */
	build_pie(&pie);
	pie_dyn(&pie, 1)->d_un.d_val = 0;
	CHECK(load_pie(&pie, &dest, error));
	CHECK_EQ(read64(dest + PIE_TARGETS), 0x5a5a5a5a5a5a5a5aull);
	free(dest);

	build_pie(&pie);
	pie_rela(&pie, 1)->r_info = ELF64_R_INFO(0, R_X86_64_64);
	EXPECT_RELOCATE_FAILURE(&pie, "non-relative");
	build_pie(&pie);
	pie_rela(&pie, 2)->r_info = ELF64_R_INFO(0, R_X86_64_GLOB_DAT);
	EXPECT_RELOCATE_FAILURE(&pie, "non-relative");

	build_pie(&pie);
	pie_rela(&pie, 0)->r_offset = PIE_SIZE - 4;
	EXPECT_RELOCATE_FAILURE(&pie, "target outside the image");
	build_pie(&pie);
	pie_rela(&pie, 0)->r_offset = PIE_SIZE;
	EXPECT_RELOCATE_FAILURE(&pie, "target outside the image");
	build_pie(&pie);
	pie_rela(&pie, 0)->r_offset = UINT64_MAX - 3;
	EXPECT_RELOCATE_FAILURE(&pie, "target outside the image");

	build_pie(&pie);
	pie_dyn(&pie, 0)->d_un.d_val = PIE_SIZE - 0x10;
	EXPECT_RELOCATE_FAILURE(&pie, "relocations lie outside");
	build_pie(&pie);
	pie_dyn(&pie, 1)->d_un.d_val = UINT64_MAX - 7;
	EXPECT_RELOCATE_FAILURE(&pie, "relocations lie outside");
	build_pie(&pie);
	pie_dyn(&pie, 0)->d_un.d_val = UINT64_MAX - 0x17;
	EXPECT_RELOCATE_FAILURE(&pie, "relocations lie outside");

	build_pie(&pie);
	pie_dyn(&pie, 2)->d_un.d_val = 16;
	EXPECT_RELOCATE_FAILURE(&pie, "relocation entry size");

	build_pie(&pie);
	pie.dynamic->p_offset = pie.image.size;
	EXPECT_RELOCATE_FAILURE(&pie, "dynamic section lies outside");
	build_pie(&pie);
	pie.dynamic->p_offset = UINT64_MAX - 0x10;
	EXPECT_RELOCATE_FAILURE(&pie, "dynamic section lies outside");

	/* No PT_DYNAMIC: nothing to do, nothing changed. */
	build_pie(&pie);
	pie.dynamic->p_type = PT_NOTE;
	CHECK(load_pie(&pie, &dest, error));
	CHECK_EQ(read64(dest + PIE_TARGETS), 0x5a5a5a5a5a5a5a5aull);
	CHECK_EQ(read64(dest + PIE_TARGETS + 0x18), 0x5a5a5a5a5a5a5a5aull);
	free(dest);
}

/* Reads a whole file into a heap buffer of exactly its size. */
static void *read_file(const char *path, size_t *size)
{
	FILE *file = fopen(path, "rb");
	void *data;
	long length;

	if (!file)
		return NULL;
	fseek(file, 0, SEEK_END);
	length = ftell(file);
	rewind(file);
	data = malloc(length > 0 ? (size_t)length : 1);
	if (fread(data, 1, (size_t)length, file) != (size_t)length) {
		free(data);
		fclose(file);
		return NULL;
	}
	fclose(file);
	*size = (size_t)length;
	return data;
}

static void check_build_output(const char *path, struct elf_bounds bounds)
{
	struct elf_summary summary;
	char error[ELF_ERROR_MAX] = "";
	size_t size;
	void *data = read_file(path, &size);

	if (!data) {
		printf("test_elf: %s not built, skipping its check\n", path);
		return;
	}
	bool ok = elf_check(data, size, &bounds, &summary, error);
	if (!ok)
		fprintf(stderr, "%s: %s\n", path, error);
	CHECK(ok);
	CHECK(summary.load_count >= 1);
	CHECK(summary.lowest >= bounds.min_address);
	CHECK(summary.highest <= bounds.max_address);
	CHECK(summary.entry >= summary.lowest && summary.entry < summary.highest);
	free(data);
}

static void test_build_outputs(void)
{
	check_build_output("build/core.elf",
			   (struct elf_bounds){ 0, 1ull << 30 });
	check_build_output("build/guests/hello.elf",
			   (struct elf_bounds){ 0x100000, 4ull << 20 });
}

/* If an image was accepted, its summary must honour the bounds. */
static bool summary_sane(const struct elf_summary *s,
			 const struct elf_bounds *bounds)
{
	return s->load_count > 0 && s->lowest >= bounds->min_address &&
	       s->lowest < s->highest && s->highest <= bounds->max_address &&
	       s->entry >= s->lowest && s->entry < s->highest;
}

static void test_fuzz(void)
{
	static struct image image;
	struct elf_summary summary;
	char error[ELF_ERROR_MAX];
	size_t accepted_truncated = 0, insane = 0, accepted = 0;

	build_valid(&image);
	for (size_t length = 0; length < image.size; length++)
		if (check_copy(image.u.bytes, length, &guest_bounds, &summary,
			       error))
			accepted_truncated++;
	CHECK_EQ(accepted_truncated, 0);

	static const uint8_t masks[] = { 0x01, 0x80, 0xff, 0x10 };
	for (size_t at = 0; at < DATA_START; at++) {
		for (size_t m = 0; m < sizeof(masks); m++) {
			build_valid(&image);
			image.u.bytes[at] ^= masks[m];
			if (check_copy(image.u.bytes, image.size,
				       &guest_bounds, &summary, error)) {
				accepted++;
				if (!summary_sane(&summary, &guest_bounds))
					insane++;
			}
		}
	}
	CHECK_EQ(insane, 0);
	/* Flipping unused bytes (padding, unused headers) must still pass. */
	CHECK(accepted > 0);
}

static void run_tests(void)
{
	test_valid();
	test_header_errors();
	test_segment_errors();
	test_load();
	test_relocate();
	test_build_outputs();
	test_fuzz();
}
