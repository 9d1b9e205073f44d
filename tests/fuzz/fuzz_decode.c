/* SPDX-License-Identifier: MIT */
/*
 * Fuzz harness: what the hypervisor decodes of a guest's instruction and
 * page tables (lib/x86_decode.c, lib/x86_decode_system.c,
 * lib/guest_walk.c). The first bytes pick the code size and the paging
 * registers; the rest are the instruction bytes and a small guest memory
 * the walk reads its tables from. A decode never claims more bytes than
 * it was given, and its fields stay in their ranges; a walk never reads
 * outside the memory it is given.
 */
#include <bulkhead/guest_walk.h>
#include <bulkhead/x86_decode.h>
#include <bulkhead/x86_decode_system.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define HEADER 34
#define MEMORY 0x4000 /* four pages of guest memory */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct memory {
	uint8_t bytes[MEMORY];
};

static bool read_memory(void *context, uint64_t address, void *out,
			unsigned size)
{
	struct memory *m = context;

	if (address >= MEMORY || size > MEMORY - address)
		return false;
	memcpy(out, m->bytes + address, size);
	return true;
}

static uint64_t take64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned bits[3] = { 16, 32, 64 };
	static struct memory memory;

	if (size < HEADER)
		return 0;
	unsigned code_bits = bits[data[0] % 3];
	struct guest_paging paging = {
		.cr0 = take64(data + 2), .cr3 = take64(data + 10) % MEMORY,
		.cr4 = take64(data + 18), .efer = take64(data + 26),
	};
	const uint8_t *rest = data + HEADER;
	size_t length = size - HEADER;
	/* The instruction bytes in a buffer of exactly their size. */
	uint8_t *bytes = malloc(length ? length : 1);

	if (!bytes)
		return 0;
	memcpy(bytes, rest, length);
	struct x86_mmio_access access;

	if (x86_decode_mmio(bytes, length, code_bits, &access)) {
		if (access.length == 0 || access.length > length ||
		    access.length > 15)
			abort();
		if (access.size != 1 && access.size != 2 && access.size != 4 &&
		    access.size != 8)
			abort();
		if (access.reg > 15)
			abort();
	}
	struct x86_system_instruction system;

	if (x86_decode_system(bytes, length, code_bits, &system)) {
		if (system.length == 0 || system.length > length ||
		    system.length > 15)
			abort();
	}
	memset(memory.bytes, 0, sizeof(memory.bytes));
	memcpy(memory.bytes, rest, length < MEMORY ? length : MEMORY);
	uint64_t physical;
	uint8_t out[32];

	(void)guest_walk(&paging, take64(data + 2) ^ take64(data + 26),
			 read_memory, &memory, &physical);
	if (guest_read_virtual(&paging, take64(data + 10), read_memory,
			       &memory, out, sizeof(out)) > sizeof(out))
		abort();
	free(bytes);
	return 0;
}
