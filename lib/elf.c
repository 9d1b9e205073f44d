/* SPDX-License-Identifier: MIT */
/*
 * ELF64 checks, segment loading and relative relocation. The image is
 * untrusted input (a guest image from the ESP, or the core itself): every
 * header field is bounds-checked against the buffer before use, and all
 * arithmetic is written so that it cannot overflow.
 */
#include <bulkhead/elf.h>

#include <string.h>

#define ELF_TYPE_EXEC 2
#define ELF_TYPE_DYN 3
#define ELF_MACHINE_X86_64 62
#define PT_LOAD 1
#define PT_DYNAMIC 2
#define PF_X 1
#define DT_NULL 0
#define DT_RELA 7
#define DT_RELASZ 8
#define DT_RELAENT 9
#define R_X86_64_RELATIVE 8

struct elf64_header {
	uint8_t ident[16];
	uint16_t type;
	uint16_t machine;
	uint32_t version;
	uint64_t entry;
	uint64_t phoff;
	uint64_t shoff;
	uint32_t flags;
	uint16_t ehsize;
	uint16_t phentsize;
	uint16_t phnum;
	uint16_t shentsize;
	uint16_t shnum;
	uint16_t shstrndx;
};

struct elf64_program_header {
	uint32_t type;
	uint32_t flags;
	uint64_t offset;
	uint64_t vaddr;
	uint64_t paddr;
	uint64_t filesz;
	uint64_t memsz;
	uint64_t align;
};

struct elf64_dynamic {
	int64_t tag;
	uint64_t value;
};

struct elf64_rela {
	uint64_t offset;
	uint64_t info;
	int64_t addend;
};

static bool fail(char error[ELF_ERROR_MAX], const char *reason)
{
	size_t length = strlen(reason);

	if (length >= ELF_ERROR_MAX)
		length = ELF_ERROR_MAX - 1;
	memcpy(error, reason, length);
	error[length] = '\0';
	return false;
}

/* True when [offset, offset + length) lies inside a buffer of size bytes. */
static bool inside(uint64_t offset, uint64_t length, uint64_t size)
{
	return length <= size && offset <= size - length;
}

static const struct elf64_program_header *program_header(const void *image,
							 unsigned index)
{
	const struct elf64_header *header = image;

	return (const void *)((const uint8_t *)image + header->phoff +
			      (uint64_t)index * sizeof(struct elf64_program_header));
}

static bool check_header(const void *image, size_t size,
			 char error[ELF_ERROR_MAX])
{
	const struct elf64_header *header = image;

	if (size < sizeof(*header))
		return fail(error, "file is too small to be an ELF image");
	if (memcmp(header->ident, "\177ELF", 4) != 0)
		return fail(error, "not an ELF file (bad magic)");
	if (header->ident[4] != 2 || header->ident[5] != 1)
		return fail(error, "not a little-endian ELF64 file");
	if (header->machine != ELF_MACHINE_X86_64)
		return fail(error, "not an x86-64 ELF file");
	if (header->type != ELF_TYPE_EXEC && header->type != ELF_TYPE_DYN)
		return fail(error, "ELF file is neither executable nor PIE");
	if (header->phentsize != sizeof(struct elf64_program_header))
		return fail(error, "unexpected ELF program header size");
	if (header->phnum == 0)
		return fail(error, "ELF file has no program headers");
	if (!inside(header->phoff,
		    (uint64_t)header->phnum * sizeof(struct elf64_program_header),
		    size))
		return fail(error, "ELF program headers lie outside the file");
	if (header->phoff % 8)
		return fail(error, "ELF program headers are misaligned");
	return true;
}

static bool check_segment(const struct elf64_program_header *segment,
			  size_t size, const struct elf_bounds *bounds,
			  char error[ELF_ERROR_MAX])
{
	if (segment->filesz > segment->memsz)
		return fail(error, "ELF segment has more file data than memory");
	if (!inside(segment->offset, segment->filesz, size))
		return fail(error, "ELF segment data lies outside the file");
	if (segment->vaddr < bounds->min_address ||
	    segment->memsz > bounds->max_address ||
	    segment->vaddr > bounds->max_address - segment->memsz)
		return fail(error, "ELF segment lies outside the memory it may use");
	return true;
}

static bool overlaps(const struct elf64_program_header *a,
		     const struct elf64_program_header *b)
{
	return a->vaddr < b->vaddr + b->memsz && b->vaddr < a->vaddr + a->memsz;
}

bool elf_check(const void *image, size_t size, const struct elf_bounds *bounds,
	       struct elf_summary *summary, char error[ELF_ERROR_MAX])
{
	const struct elf64_header *header = image;
	bool entry_found = false;

	if (!check_header(image, size, error))
		return false;
	*summary = (struct elf_summary){ .lowest = UINT64_MAX };
	for (unsigned i = 0; i < header->phnum; i++) {
		const struct elf64_program_header *segment =
			program_header(image, i);

		if (segment->type != PT_LOAD || segment->memsz == 0)
			continue;
		if (!check_segment(segment, size, bounds, error))
			return false;
		for (unsigned j = 0; j < i; j++) {
			const struct elf64_program_header *other =
				program_header(image, j);

			if (other->type == PT_LOAD && other->memsz &&
			    overlaps(segment, other))
				return fail(error, "ELF segments overlap");
		}
		if (segment->vaddr < summary->lowest)
			summary->lowest = segment->vaddr;
		if (segment->vaddr + segment->memsz > summary->highest)
			summary->highest = segment->vaddr + segment->memsz;
		if ((segment->flags & PF_X) && header->entry >= segment->vaddr &&
		    header->entry - segment->vaddr < segment->memsz)
			entry_found = true;
		summary->load_count++;
	}
	if (summary->load_count == 0)
		return fail(error, "ELF file has no loadable segment");
	if (!entry_found)
		return fail(error, "ELF entry point is not in an executable segment");
	summary->entry = header->entry;
	return true;
}

void elf_load(const void *image, void *dest, uint64_t base)
{
	const struct elf64_header *header = image;

	for (unsigned i = 0; i < header->phnum; i++) {
		const struct elf64_program_header *segment =
			program_header(image, i);
		uint8_t *target;

		if (segment->type != PT_LOAD || segment->memsz == 0)
			continue;
		target = (uint8_t *)dest + (segment->vaddr - base);
		memcpy(target, (const uint8_t *)image + segment->offset,
		       segment->filesz);
		memset(target + segment->filesz, 0,
		       segment->memsz - segment->filesz);
	}
}

static const struct elf64_program_header *find_dynamic(const void *image)
{
	const struct elf64_header *header = image;

	for (unsigned i = 0; i < header->phnum; i++)
		if (program_header(image, i)->type == PT_DYNAMIC)
			return program_header(image, i);
	return NULL;
}

bool elf_relocate(const void *image, size_t size, void *dest,
		  uint64_t load_size, char error[ELF_ERROR_MAX])
{
	const struct elf64_program_header *dynamic = find_dynamic(image);
	uint64_t rela = 0, rela_size = 0, rela_entry = sizeof(struct elf64_rela);
	uint64_t base = (uint64_t)(uintptr_t)dest;

	if (!dynamic)
		return true; /* nothing to relocate */
	if (!inside(dynamic->offset, dynamic->filesz, size))
		return fail(error, "ELF dynamic section lies outside the file");
	if (dynamic->offset % 8)
		return fail(error, "ELF dynamic section is misaligned");
	const struct elf64_dynamic *entries =
		(const void *)((const uint8_t *)image + dynamic->offset);
	for (uint64_t i = 0; i < dynamic->filesz / sizeof(*entries); i++) {
		if (entries[i].tag == DT_NULL)
			break;
		if (entries[i].tag == DT_RELA)
			rela = entries[i].value;
		else if (entries[i].tag == DT_RELASZ)
			rela_size = entries[i].value;
		else if (entries[i].tag == DT_RELAENT)
			rela_entry = entries[i].value;
	}
	if (rela_entry != sizeof(struct elf64_rela))
		return fail(error, "unexpected ELF relocation entry size");
	if (!inside(rela, rela_size, load_size))
		return fail(error, "ELF relocations lie outside the image");
	if (rela % 8)
		return fail(error, "ELF relocations are misaligned");
	const struct elf64_rela *relocations =
		(const void *)((const uint8_t *)dest + rela);
	for (uint64_t i = 0; i < rela_size / sizeof(*relocations); i++) {
		const struct elf64_rela *r = &relocations[i];

		if ((uint32_t)r->info != R_X86_64_RELATIVE)
			return fail(error, "ELF image has a non-relative relocation");
		if (!inside(r->offset, sizeof(uint64_t), load_size))
			return fail(error, "ELF relocation target outside the image");
		uint64_t value = base + (uint64_t)r->addend;
		memcpy((uint8_t *)dest + r->offset, &value, sizeof(value));
	}
	return true;
}
