/* SPDX-License-Identifier: MIT */
/*
 * The Multiboot test kernel's module check: the boot information lists
 * exactly the modules the command line announces ("modules=<n>", then for
 * module i from 1 "mod<i>-size=0x<bytes>" and "mod<i>-fnv=0x<FNV-1a>", the
 * figures of the files the config names), each on a page boundary, inside
 * the partition's RAM, above the kernel, apart from the others, with the
 * announced size and checksum and a string inside RAM. Each module's
 * string and size are printed for the scenario's expect file.
 */
#include "mbcheck.h"

extern char kernel_end[];

/* FNV-1a, 32 bits, over [start, end). */
static uint32_t fnv1a(const uint8_t *start, const uint8_t *end)
{
	uint32_t hash = 0x811c9dc5u;

	for (const uint8_t *p = start; p < end; p++)
		hash = (hash ^ *p) * 0x01000193u;
	return hash;
}

/* Whether a NUL-terminated string starts at address inside RAM. */
static bool string_readable(uint32_t address)
{
	for (uint32_t length = 1; length <= 256; length++) {
		if (!readable(address, length))
			return false;
		if (!*(const char *)(address + length - 1))
			return true;
	}
	return false;
}

static bool check_one(const char *cmdline, const struct mb_module *modules,
		      uint32_t index)
{
	const struct mb_module *m = &modules[index];
	char key[16] = "mod?-size=0x", key2[16] = "mod?-fnv=0x";
	uint32_t size = m->end - m->start;

	key[3] = key2[3] = (char)('1' + index);
	if (m->end < m->start || !readable(m->start, size) ||
	    !string_readable(m->string))
		return false;
	puts("mbcheck: module ");
	putdec(index + 1);
	puts(" '");
	puts((const char *)m->string);
	puts("', ");
	putdec(size);
	puts(" bytes\n");
	if (m->start & 0xfff || m->start < (uint32_t)kernel_end)
		return false;
	for (uint32_t j = 0; j < index; j++)
		if (m->start < modules[j].end && modules[j].start < m->end)
			return false;
	return size == read_hex(cmdline, key) &&
	       fnv1a((const uint8_t *)m->start, (const uint8_t *)m->end) ==
		       read_hex(cmdline, key2);
}

void check_modules(const char *cmdline, const struct mb_module *modules,
		   uint32_t count)
{
	uint32_t expected = read_hex(cmdline, "modules=0x");
	bool ok = count == expected && count <= MB_MODULES_MAX;

	puts("mbcheck: ");
	putdec(count);
	puts(" modules\n");
	for (uint32_t i = 0; ok && i < count; i++)
		ok = check_one(cmdline, modules, i);
	verdict("modules: page-aligned above the kernel, apart, sizes and "
		"checksums as announced",
		ok);
}
