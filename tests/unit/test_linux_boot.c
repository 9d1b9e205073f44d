/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the Linux boot protocol's pure part (lib/linux_boot.c):
 * setup-header checks on synthetic bzImages held in exact-size heap
 * buffers (so ASan catches any read past the file), one refusal message
 * per reason, truncation and random-header sweeps, kernel and initrd
 * placement edge cases, the e820 map with channel windows and the zero
 * page read back at the offsets of boot.rst. If Debian's 6.1 kernel is on
 * disk (LINUX_BOOT_TEST_KERNEL, or the default path below) it is checked
 * and planned too; otherwise that test says it is skipped.
 */
#include <bulkhead/linux_boot.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

CHECK_MAIN("test_linux_boot")

#define KIB	    (1ull << 10)
#define MIB	    (1ull << 20)
#define GIB	    (1ull << 30)
#define REAL_KERNEL "/tmp/lx/x/boot/vmlinuz-6.1.0-56-amd64"

/* Setup-header offsets, restated from boot.rst as an independent oracle. */
#define OFF_SETUP_SECTS	     0x1f1
#define OFF_SYSSIZE	     0x1f4
#define OFF_BOOT_FLAG	     0x1fe
#define OFF_JUMP	     0x200
#define OFF_HEADER	     0x202
#define OFF_VERSION	     0x206
#define OFF_TYPE_OF_LOADER   0x210
#define OFF_LOADFLAGS	     0x211
#define OFF_CODE32_START     0x214
#define OFF_RAMDISK_IMAGE    0x218
#define OFF_RAMDISK_SIZE     0x21c
#define OFF_CMD_LINE_PTR     0x228
#define OFF_INITRD_ADDR_MAX  0x22c
#define OFF_KERNEL_ALIGNMENT 0x230
#define OFF_RELOCATABLE	     0x234
#define OFF_XLOADFLAGS	     0x236
#define OFF_CMDLINE_SIZE     0x238
#define OFF_SETUP_DATA	     0x250
#define OFF_PREF_ADDRESS     0x258
#define OFF_INIT_SIZE	     0x260
#define OFF_KERNEL_INFO	     0x268
/* Zero-page offsets outside the setup header. */
#define BP_ACPI_RSDP	     0x070
#define BP_EXT_RAMDISK_IMAGE 0x0c0
#define BP_EXT_RAMDISK_SIZE  0x0c4
#define BP_EXT_CMD_LINE_PTR  0x0c8
#define BP_E820_ENTRIES	     0x1e8
#define BP_SENTINEL	     0x1ef
#define BP_E820_TABLE	     0x2d0

#define SYNTH_SETUP_SECTS 4
#define SYNTH_SETUP_SIZE  ((SYNTH_SETUP_SECTS + 1) * 512)
#define SYNTH_KERNEL_SIZE 0x2000

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t get64(const uint8_t *p)
{
	return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

/* A well-formed 2.15 bzImage in a buffer of the given size (the kernel
 * part fills whatever follows the setup part). */
static uint8_t *synth_image(size_t size)
{
	uint8_t *file = calloc(1, size);

	if (!file)
		abort();
	file[OFF_SETUP_SECTS] = SYNTH_SETUP_SECTS;
	put32(file + OFF_SYSSIZE, SYNTH_KERNEL_SIZE / 16);
	put16(file + OFF_BOOT_FLAG, 0xaa55);
	file[OFF_JUMP] = 0xeb;
	file[OFF_JUMP + 1] = 0x6a; /* header ends at 0x26c */
	memcpy(file + OFF_HEADER, "HdrS", 4);
	put16(file + OFF_VERSION, 0x020f);
	file[OFF_LOADFLAGS] = LINUX_LOADED_HIGH;
	put32(file + OFF_INITRD_ADDR_MAX, 0x7fffffff);
	put32(file + OFF_KERNEL_ALIGNMENT, 0x200000);
	file[OFF_RELOCATABLE] = 1;
	put16(file + OFF_XLOADFLAGS,
	      LINUX_XLF_KERNEL_64 | LINUX_XLF_CAN_BE_LOADED_ABOVE_4G);
	put32(file + OFF_CMDLINE_SIZE, 2047);
	put64(file + OFF_PREF_ADDRESS, 0x1000000);
	put32(file + OFF_INIT_SIZE, 0x800000);
	put32(file + OFF_KERNEL_INFO, 0x1234);
	return file;
}

#define SYNTH_SIZE (SYNTH_SETUP_SIZE + SYNTH_KERNEL_SIZE)

/* A checked synthetic image's summary, for the layout tests. */
static struct linux_image synth_summary(void)
{
	uint8_t *file = synth_image(SYNTH_SIZE);
	struct linux_image image;
	char error[160];

	if (!linux_image_check(file, SYNTH_SIZE, &image, error, sizeof(error)))
		abort();
	free(file);
	return image;
}

static void check_synthetic_accepted(void)
{
	uint8_t *file = synth_image(SYNTH_SIZE);
	struct linux_image image;
	char error[160] = "";

	CHECK(
	    linux_image_check(file, SYNTH_SIZE, &image, error, sizeof(error)));
	CHECK_EQ(error[0], 0);
	CHECK_EQ(image.protocol, 0x020f);
	CHECK_EQ(image.header_end, 0x26c);
	CHECK_EQ(image.setup_size, SYNTH_SETUP_SIZE);
	CHECK_EQ(image.kernel_size, SYNTH_KERNEL_SIZE);
	CHECK_EQ(image.init_size, 0x800000);
	CHECK_EQ(image.kernel_alignment, 0x200000);
	CHECK_EQ(image.pref_address, 0x1000000);
	CHECK(image.relocatable);
	CHECK_EQ(image.cmdline_size, 2047);
	CHECK_EQ(image.initrd_addr_max, 0x7fffffff);
	CHECK_EQ(image.xloadflags, 3);

	/* setup_sects 0 means 4; trailing bytes after syssize are fine. */
	file[OFF_SETUP_SECTS] = 0;
	CHECK(
	    linux_image_check(file, SYNTH_SIZE, &image, error, sizeof(error)));
	CHECK_EQ(image.setup_size, 5 * 512);
	free(file);
	file = synth_image(SYNTH_SIZE + 100);
	CHECK(linux_image_check(file, SYNTH_SIZE + 100, &image, error,
				sizeof(error)));
	CHECK_EQ(image.kernel_size, SYNTH_KERNEL_SIZE + 100);
	/* A NULL or empty error buffer is allowed. */
	CHECK(!linux_image_check(file, 10, &image, NULL, 0));
	CHECK(!linux_image_check(NULL, 10, &image, error, sizeof(error)));
	free(file);
}

struct refusal {
	const char *name;
	size_t size;		      /* of the (possibly truncated) file */
	void (*spoil)(uint8_t *file); /* NULL: a plain truncation */
	const char *expected;	      /* a phrase of the message */
};

static void no_boot_flag(uint8_t *f)
{
	put16(f + OFF_BOOT_FLAG, 0x55aa);
}

static void no_magic(uint8_t *f)
{
	memcpy(f + OFF_HEADER, "HdrT", 4);
}

static void old_protocol(uint8_t *f)
{
	put16(f + OFF_VERSION, 0x020b);
}

static void short_header(uint8_t *f)
{
	f[OFF_JUMP + 1] = 0x60; /* ends at 0x262, before init_size */
}

static void long_header(uint8_t *f)
{
	f[OFF_JUMP + 1] = 0xff; /* ends at 0x301, over edd_mbr_sig_buffer */
}

static void setup_past_end(uint8_t *f)
{
	f[OFF_SETUP_SECTS] = 200;
}

static void zero_syssize(uint8_t *f)
{
	put32(f + OFF_SYSSIZE, 0);
}

static void big_syssize(uint8_t *f)
{
	put32(f + OFF_SYSSIZE, SYNTH_KERNEL_SIZE / 16 + 1);
}

static void tiny_kernel(uint8_t *f)
{
	/* The whole file but 0x200 bytes of kernel is setup. */
	f[OFF_SETUP_SECTS] = (SYNTH_SIZE - 0x200) / 512 - 1;
	put32(f + OFF_SYSSIZE, 0x200 / 16);
}

static void no_kernel_64(uint8_t *f)
{
	put16(f + OFF_XLOADFLAGS, LINUX_XLF_CAN_BE_LOADED_ABOVE_4G);
}

static void not_loaded_high(uint8_t *f)
{
	f[OFF_LOADFLAGS] = 0x80;
}

static void zero_alignment(uint8_t *f)
{
	put32(f + OFF_KERNEL_ALIGNMENT, 0);
}

static void odd_alignment(uint8_t *f)
{
	put32(f + OFF_KERNEL_ALIGNMENT, 0x300000);
}

static void small_alignment(uint8_t *f)
{
	put32(f + OFF_KERNEL_ALIGNMENT, 0x800);
}

static void unaligned_pref(uint8_t *f)
{
	put64(f + OFF_PREF_ADDRESS, 0x1000800);
}

static void small_init_size(uint8_t *f)
{
	put32(f + OFF_INIT_SIZE, SYNTH_KERNEL_SIZE - 1);
}

static const struct refusal refusals[] = {
    {"empty", 0, NULL, "too small for a setup header"},
    {"short", 0x267, NULL, "too small for a setup header"},
    {"boot flag", SYNTH_SIZE, no_boot_flag, "0xAA55"},
    {"magic", SYNTH_SIZE, no_magic, "HdrS"},
    {"protocol", SYNTH_SIZE, old_protocol, "2.11 is older than 2.12"},
    {"short header", SYNTH_SIZE, short_header, "ends at 0x262"},
    {"long header", SYNTH_SIZE, long_header, "ends at 0x301"},
    {"setup past end", SYNTH_SIZE, setup_past_end, "setup part"},
    {"setup truncated", 0x400, NULL, "setup part"},
    {"syssize 0", SYNTH_SIZE, zero_syssize, "syssize is 0"},
    {"syssize", SYNTH_SIZE, big_syssize, "syssize says 8208"},
    {"kernel truncated", SYNTH_SIZE - 1, NULL, "kernel part has 8191"},
    {"no entry", SYNTH_SIZE, tiny_kernel, "64-bit entry"},
    {"64-bit", SYNTH_SIZE, no_kernel_64, "XLF_KERNEL_64"},
    {"loaded high", SYNTH_SIZE, not_loaded_high, "LOADED_HIGH"},
    {"alignment 0", SYNTH_SIZE, zero_alignment, "kernel_alignment 0x0 "},
    {"alignment 3M", SYNTH_SIZE, odd_alignment, "0x300000 is not"},
    {"alignment 2K", SYNTH_SIZE, small_alignment, "0x800 is not"},
    {"pref", SYNTH_SIZE, unaligned_pref, "0x1000800 is not page"},
    {"init_size", SYNTH_SIZE, small_init_size, "init_size 0x1fff"},
};

#define REFUSAL_COUNT (sizeof(refusals) / sizeof(refusals[0]))

static void check_refusals(void)
{
	static char messages[REFUSAL_COUNT][160];

	for (size_t i = 0; i < REFUSAL_COUNT; i++) {
		const struct refusal *r = &refusals[i];
		uint8_t *full = synth_image(SYNTH_SIZE);
		uint8_t *file = malloc(r->size ? r->size : 1);
		struct linux_image image = {.protocol = 0x4242};

		if (r->spoil)
			r->spoil(full);
		memcpy(file, full, r->size < SYNTH_SIZE ? r->size : SYNTH_SIZE);
		CHECK(!linux_image_check(file, r->size, &image, messages[i],
					 sizeof(messages[i])));
		CHECK_EQ(image.protocol, 0x4242); /* untouched on failure */
		CHECK_STR_CONTAINS(messages[i], r->expected);
		CHECK(!strchr(messages[i], '\n'));
		printf("  refused (%s): %s\n", r->name, messages[i]);
		free(file);
		free(full);
	}
	/* Each case has its own message. */
	unsigned distinct = 0;

	for (size_t i = 0; i < REFUSAL_COUNT; i++) {
		bool seen = false;

		for (size_t j = 0; j < i; j++)
			seen |= !strcmp(messages[i], messages[j]);
		distinct += !seen;
	}
	CHECK_EQ(distinct, REFUSAL_COUNT);
	/* The message is cut, not overrun, in a small buffer. */
	char small[8];

	memset(small, 'x', sizeof(small));
	CHECK(!linux_image_check((const uint8_t *)"", 0,
				 &(struct linux_image){}, small,
				 sizeof(small)));
	CHECK_EQ(strlen(small), sizeof(small) - 1);
}

/* Every truncation of a valid image is refused, and never read past. */
static void check_every_truncation(void)
{
	uint8_t *full = synth_image(SYNTH_SIZE);
	unsigned refused = 0;

	for (size_t size = 0; size < SYNTH_SIZE; size++) {
		uint8_t *file = malloc(size ? size : 1);
		struct linux_image image;
		char error[160];

		memcpy(file, full, size);
		refused += !linux_image_check(file, size, &image, error,
					      sizeof(error));
		free(file);
	}
	CHECK_EQ(refused, SYNTH_SIZE);
	free(full);
}

static uint64_t next_random(uint64_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

/* Random header bytes behind a valid identity: no crash, no read past
 * the file, and what is accepted is self-consistent end to end. */
static void check_random_headers(void)
{
	uint64_t state = 0x9e3779b97f4a7c15ull;
	unsigned accepted = 0, planned = 0;
	static uint8_t zero_page[LINUX_ZERO_PAGE_SIZE];

	for (unsigned round = 0; round < 20000; round++) {
		size_t size = 0x268 + next_random(&state) % 0x3000;
		uint8_t *file = malloc(size);
		struct linux_image image;
		struct linux_layout layout;
		char error[160];

		for (size_t i = 0; i < size; i++)
			file[i] = (uint8_t)next_random(&state);
		put16(file + OFF_BOOT_FLAG, 0xaa55);
		memcpy(file + OFF_HEADER, "HdrS", 4);
		file[OFF_VERSION + 1] = 2;
		file[OFF_SETUP_SECTS] &= 7;
		file[OFF_SYSSIZE + 2] = file[OFF_SYSSIZE + 3] = 0;
		file[OFF_SYSSIZE + 1] &= 1;
		file[OFF_JUMP + 1] = 0x66 + (file[OFF_JUMP + 1] & 0x3f);
		file[OFF_LOADFLAGS] |= (round & 1);
		/* Bias towards plausible values so that some are accepted. */
		if (round % 4)
			put32(file + OFF_KERNEL_ALIGNMENT,
			      1u << (10 + next_random(&state) % 22));
		if (round % 3)
			put64(file + OFF_PREF_ADDRESS,
			      next_random(&state) % (64 * MIB) & ~0xfffull);
		else
			file[OFF_PREF_ADDRESS] = 0;
		put32(file + OFF_INIT_SIZE,
		      (uint32_t)(next_random(&state) % (64 * MIB)));
		if (!linux_image_check(file, size, &image, error,
				       sizeof(error))) {
			free(file);
			continue;
		}
		accepted++;
		CHECK_EQ(image.setup_size + image.kernel_size, size);
		CHECK(image.init_size >= image.kernel_size);
		uint64_t memory = (next_random(&state) % 8 + 1) * GIB;
		uint64_t initrd = next_random(&state) % (64 * MIB);
		if (linux_layout_plan(&image, memory, initrd, 10, &layout,
				      error, sizeof(error))) {
			planned++;
			CHECK(layout.kernel >= LINUX_HIGH_START);
			CHECK(layout.kernel + image.init_size <= memory);
			CHECK(!initrd ||
			      (layout.initrd >= LINUX_HIGH_START &&
			       layout.initrd + initrd <= memory &&
			       (layout.initrd >=
				    layout.kernel + image.init_size ||
				layout.initrd + initrd <= layout.kernel)));
			CHECK(!initrd || layout.initrd % 4096 == 0);
			CHECK(!initrd ||
			      (image.xloadflags &
			       LINUX_XLF_CAN_BE_LOADED_ABOVE_4G) ||
			      layout.initrd + initrd - 1 <=
				  image.initrd_addr_max);
			CHECK(image.relocatable ||
			      layout.kernel == image.pref_address);
			CHECK(!image.relocatable ||
			      (layout.kernel >= image.pref_address &&
			       layout.kernel % image.kernel_alignment == 0));
			CHECK(linux_boot_params_build(zero_page, file, &image,
						      &layout, NULL, 0, 0));
		}
		free(file);
	}
	printf("  random headers: %u accepted, %u planned\n", accepted,
	       planned);
	CHECK(accepted > 0);
	CHECK(planned > 0);
}

static bool plan(const struct linux_image *image, uint64_t memory,
		 uint64_t initrd, uint64_t cmdline, struct linux_layout *layout,
		 char *error)
{
	memset(layout, 0xa5, sizeof(*layout));
	error[0] = '\0';
	return linux_layout_plan(image, memory, initrd, cmdline, layout, error,
				 160);
}

static void check_layout_basic(void)
{
	struct linux_image image = synth_summary();
	struct linux_layout layout;
	char error[160];

	CHECK(plan(&image, 256 * MIB, 10 * MIB + 5, 100, &layout, error));
	CHECK_EQ(layout.boot_params, 0x1000);
	CHECK_EQ(layout.cmdline, 0x20000);
	CHECK_EQ(layout.kernel, 0x1000000);
	CHECK_EQ(layout.entry64, 0x1000200);
	CHECK_EQ(layout.initrd_size, 10 * MIB + 5);
	/* As high as it goes, page aligned. */
	CHECK_EQ(layout.initrd, (256 * MIB - (10 * MIB + 5)) & ~0xfffull);
	CHECK_EQ(layout.initrd % 4096, 0);

	/* No initrd. */
	CHECK(plan(&image, 256 * MIB, 0, 0, &layout, error));
	CHECK_EQ(layout.initrd, 0);
	CHECK_EQ(layout.initrd_size, 0);

	/* The kernel exactly fits, then does not. */
	CHECK(plan(&image, 16 * MIB + 0x800000, 0, 0, &layout, error));
	CHECK_EQ(layout.kernel, 16 * MIB);
	CHECK(!plan(&image, 16 * MIB + 0x800000 - 1, 0, 0, &layout, error));
	CHECK_STR_CONTAINS(error, "init_size");
	CHECK(!plan(&image, 512 * KIB, 0, 0, &layout, error));
	CHECK(!plan(&image, 0, 0, 0, &layout, error));
}

static void check_layout_cmdline(void)
{
	struct linux_image image = synth_summary();
	struct linux_layout layout;
	char error[160];

	CHECK(plan(&image, 256 * MIB, 0, 2047, &layout, error));
	CHECK(!plan(&image, 256 * MIB, 0, 2048, &layout, error));
	CHECK_STR_CONTAINS(error, "command line of 2048 bytes");
	CHECK_STR_CONTAINS(error, "limit of 2047");
	/* A kernel allowing more is still capped by the 4 KiB page. */
	image.cmdline_size = 0x100000;
	CHECK(plan(&image, 256 * MIB, 0, 4095, &layout, error));
	CHECK(!plan(&image, 256 * MIB, 0, 4096, &layout, error));
	CHECK_STR_CONTAINS(error, "limit of 4095");
	CHECK(!plan(&image, 256 * MIB, 0, UINT64_MAX, &layout, error));
	image.cmdline_size = 0;
	CHECK(plan(&image, 256 * MIB, 0, 0, &layout, error));
	CHECK(!plan(&image, 256 * MIB, 0, 1, &layout, error));
}

static void check_layout_initrd(void)
{
	struct linux_image image = synth_summary();
	uint64_t kernel_end = 16 * MIB + image.init_size; /* 24 MiB */
	struct linux_layout layout;
	char error[160];

	/* Exactly fits between the kernel and the end of RAM. */
	CHECK(plan(&image, 40 * MIB, 16 * MIB, 0, &layout, error));
	CHECK_EQ(layout.initrd, kernel_end);
	/* One byte more fits neither above nor below ([1 MiB, 16 MiB)). */
	CHECK(!plan(&image, 40 * MIB, 16 * MIB + 1, 0, &layout, error));
	CHECK_STR_CONTAINS(error,
			   "beside the kernel at [0x1000000, 0x1800000)");
	/* No room above: it goes right below the kernel. */
	CHECK(plan(&image, 30 * MIB, 10 * MIB, 0, &layout, error));
	CHECK_EQ(layout.initrd, 6 * MIB);
	CHECK(plan(&image, 30 * MIB, 10 * MIB - 100, 0, &layout, error));
	CHECK_EQ(layout.initrd, 6 * MIB);
	/* Below the kernel: [1 MiB, 16 MiB) holds exactly 15 MiB. */
	CHECK(plan(&image, kernel_end, 15 * MIB, 0, &layout, error));
	CHECK_EQ(layout.initrd, 1 * MIB);
	CHECK(!plan(&image, kernel_end, 15 * MIB + 1, 0, &layout, error));
	CHECK_STR_CONTAINS(error, "initrd of 15360 KiB does not fit");
	CHECK(!plan(&image, 256 * MIB, 256 * MIB, 0, &layout, error));
	CHECK_STR_CONTAINS(error, "initrd");
	CHECK(!plan(&image, 256 * MIB, UINT64_MAX, 0, &layout, error));
	/* A page-aligned size lands exactly at the end of RAM. */
	CHECK(plan(&image, 256 * MIB, 4096, 0, &layout, error));
	CHECK_EQ(layout.initrd, 256 * MIB - 4096);
}

static void check_layout_above_4g(void)
{
	struct linux_image image = synth_summary();
	struct linux_layout layout;
	char error[160];

	/* With XLF_CAN_BE_LOADED_ABOVE_4G: the top of a 6 GiB partition. */
	CHECK(plan(&image, 6 * GIB, 1 * MIB, 0, &layout, error));
	CHECK_EQ(layout.initrd, 6 * GIB - 1 * MIB);
	/* Without: it ends at initrd_addr_max + 1 (inclusive limit). */
	image.xloadflags = LINUX_XLF_KERNEL_64;
	CHECK(plan(&image, 6 * GIB, 1 * MIB, 0, &layout, error));
	CHECK_EQ(layout.initrd, 2 * GIB - 1 * MIB);
	CHECK(plan(&image, 6 * GIB, 4096, 0, &layout, error));
	CHECK_EQ(layout.initrd + 4096 - 1, image.initrd_addr_max);
	/* RAM below initrd_addr_max: the end of RAM is the limit. */
	CHECK(plan(&image, 1 * GIB, 4096, 0, &layout, error));
	CHECK_EQ(layout.initrd, 1 * GIB - 4096);
	/* initrd_addr_max inside the kernel: only below the kernel works. */
	image.initrd_addr_max = 20 * MIB - 1;
	CHECK(plan(&image, 1 * GIB, 4 * MIB, 0, &layout, error));
	CHECK_EQ(layout.initrd, 12 * MIB);
	image.initrd_addr_max = 0xfffff;
	CHECK(!plan(&image, 1 * GIB, 4096, 0, &layout, error));
	CHECK_STR_CONTAINS(error, "below 0x100000");
	image.initrd_addr_max = UINT64_MAX; /* no wrap to 0 */
	CHECK(plan(&image, 1 * GIB, 4096, 0, &layout, error));
	CHECK_EQ(layout.initrd, 1 * GIB - 4096);
}

static void check_layout_placement(void)
{
	struct linux_image image = synth_summary();
	struct linux_layout layout;
	char error[160];

	/* Relocatable, pref_address not aligned: rounded up. */
	image.pref_address = 0x1100000;
	CHECK(plan(&image, 256 * MIB, 0, 0, &layout, error));
	CHECK_EQ(layout.kernel, 0x1200000);
	/* pref_address beyond RAM: refused, since the 64-bit entry never
	 * runs below it even if loaded lower. */
	image.pref_address = 512 * MIB;
	CHECK(!plan(&image, 256 * MIB, 0, 0, &layout, error));
	CHECK_STR_CONTAINS(error, "pref_address 0x20000000");
	image.pref_address = UINT64_MAX & ~0xfffull;
	CHECK(!plan(&image, 256 * MIB, 0, 0, &layout, error));
	CHECK(!plan(&image, UINT64_MAX, 0, 0, &layout, error));
	/* pref_address below 1 MiB: the first aligned address above. */
	image.pref_address = 0;
	CHECK(plan(&image, 256 * MIB, 0, 0, &layout, error));
	CHECK_EQ(layout.kernel, 2 * MIB);

	/* Not relocatable: exactly pref_address, whatever the alignment. */
	image = synth_summary();
	image.relocatable = false;
	image.pref_address = 0x1234000;
	CHECK(plan(&image, 256 * MIB, 1 * MIB, 0, &layout, error));
	CHECK_EQ(layout.kernel, 0x1234000);
	CHECK_EQ(layout.entry64, 0x1234200);
	CHECK(layout.initrd >= 0x1234000 + image.init_size);
	CHECK(!plan(&image, 0x1234000 + image.init_size - 1, 0, 0, &layout,
		    error));
	CHECK_STR_CONTAINS(error, "not relocatable");
	image.pref_address = 0x80000; /* in the fixed low pages */
	CHECK(!plan(&image, 256 * MIB, 0, 0, &layout, error));
	CHECK_STR_CONTAINS(error, "not relocatable");
	image.pref_address = UINT64_MAX & ~0xfffull;
	CHECK(!plan(&image, UINT64_MAX, 0, 0, &layout, error));
}

/* A small partition: only a kernel built for 1 MiB fits. */
static void check_layout_tiny_memory(void)
{
	struct linux_image image = synth_summary();
	struct linux_layout layout;
	char error[160];

	image.init_size = 4 * MIB;
	CHECK(!plan(&image, 8 * MIB, 0, 0, &layout, error));
	CHECK_STR_CONTAINS(error, "never runs below pref_address 0x1000000");
	image.pref_address = 1 * MIB;
	image.kernel_alignment = 1 * MIB;
	CHECK(plan(&image, 8 * MIB, 2 * MIB, 0, &layout, error));
	CHECK_EQ(layout.kernel, 1 * MIB);
	CHECK_EQ(layout.initrd, 6 * MIB);
	/* 3 MiB of initrd: above the kernel [5 MiB, 8 MiB) exactly. */
	CHECK(plan(&image, 8 * MIB, 3 * MIB, 0, &layout, error));
	CHECK_EQ(layout.initrd, 5 * MIB);
	CHECK(!plan(&image, 8 * MIB, 3 * MIB + 1, 0, &layout, error));
	CHECK(!plan(&image, 5 * MIB - 1, 0, 0, &layout, error));
}

static void check_e820_plain(void)
{
	struct linux_e820_entry map[8];

	CHECK_EQ(linux_e820_build(256 * MIB, NULL, 0, map, 8), 3);
	CHECK_EQ(map[0].address, 0);
	CHECK_EQ(map[0].size, 0xa0000);
	CHECK_EQ(map[0].type, LINUX_E820_RAM);
	CHECK_EQ(map[1].address, 0xe0000);
	CHECK_EQ(map[1].size, 0x20000);
	CHECK_EQ(map[1].type, LINUX_E820_RESERVED);
	CHECK_EQ(map[2].address, 0x100000);
	CHECK_EQ(map[2].size, 255 * MIB);
	CHECK_EQ(map[2].type, LINUX_E820_RAM);
	/* Capacity: exactly 3, then too small; memory must exceed 1 MiB. */
	CHECK_EQ(linux_e820_build(256 * MIB, NULL, 0, map, 3), 3);
	CHECK_EQ(linux_e820_build(256 * MIB, NULL, 0, map, 2), 0);
	CHECK_EQ(linux_e820_build(1 * MIB, NULL, 0, map, 8), 0);
	CHECK_EQ(linux_e820_build(1 * MIB + 4096, NULL, 0, map, 8), 3);
	CHECK_EQ(linux_e820_build(256 * MIB, NULL, 2, map, 8), 0);
	CHECK_EQ(linux_e820_build(256 * MIB, NULL, 0, NULL, 8), 0);
}

static void check_e820_windows(void)
{
	const uint64_t ram = 256 * MIB;
	struct linux_e820_entry windows[4] = {
	    {ram + 0x3000, 0x2000, LINUX_E820_RESERVED},
	    {ram, 0x1000, LINUX_E820_RESERVED},
	    {ram + 0x1000, 0, LINUX_E820_RESERVED},	 /* empty: skipped */
	    {ram + 0x1000, 0x2000, LINUX_E820_RESERVED}, /* touching */
	};
	struct linux_e820_entry map[8];

	CHECK_EQ(linux_e820_build(ram, windows, 4, map, 8), 6);
	CHECK_EQ(map[3].address, ram);
	CHECK_EQ(map[3].size, 0x1000);
	CHECK_EQ(map[4].address, ram + 0x1000);
	CHECK_EQ(map[5].address, ram + 0x3000);
	CHECK_EQ(map[5].size, 0x2000);
	CHECK_EQ(map[5].type, LINUX_E820_RESERVED);
	CHECK_EQ(linux_e820_build(ram, windows, 4, map, 6), 6);
	CHECK_EQ(linux_e820_build(ram, windows, 4, map, 5), 0);

	/* Overlaps: with RAM, with the BIOS area, with each other. */
	struct linux_e820_entry bad[2] = {
	    {ram - 0x1000, 0x2000, LINUX_E820_RESERVED},
	    {ram + 0x10000, 0x1000, LINUX_E820_RESERVED},
	};
	CHECK_EQ(linux_e820_build(ram, bad, 2, map, 8), 0);
	bad[0] = (struct linux_e820_entry){0xfe000, 0x1000, 2};
	CHECK_EQ(linux_e820_build(ram, bad, 2, map, 8), 0);
	bad[0] = (struct linux_e820_entry){ram + 0xf000, 0x2000, 2};
	CHECK_EQ(linux_e820_build(ram, bad, 2, map, 8), 0);
	bad[0] = (struct linux_e820_entry){ram + 0x10000, 0x1000, 2};
	CHECK_EQ(linux_e820_build(ram, bad, 2, map, 8), 0); /* duplicate */
	bad[0] = (struct linux_e820_entry){ram + 0xf000, 0x1001, 2};
	CHECK_EQ(linux_e820_build(ram, bad, 2, map, 8), 0); /* by one byte */
	bad[0] = (struct linux_e820_entry){ram + 0xf000, 0x1000, 2};
	CHECK_EQ(linux_e820_build(ram, bad, 2, map, 8), 5);
	/* Wrapping past 2^64, and a hole below 1 MiB is fine. */
	bad[0] = (struct linux_e820_entry){UINT64_MAX - 0xfff, 0x2000, 2};
	CHECK_EQ(linux_e820_build(ram, bad, 2, map, 8), 0);
	bad[0] = (struct linux_e820_entry){0xa0000, 0x40000, 2};
	CHECK_EQ(linux_e820_build(ram, bad, 2, map, 8), 5);
	CHECK_EQ(map[1].address, 0xa0000);
	CHECK_EQ(map[2].address, 0xe0000);
}

struct boot_fixture {
	uint8_t *file;
	struct linux_image image;
	struct linux_layout layout;
	struct linux_e820_entry e820[LINUX_E820_MAX + 1];
	unsigned e820_count;
	uint8_t zero_page[LINUX_ZERO_PAGE_SIZE];
};

static void fixture_init(struct boot_fixture *f, uint16_t protocol)
{
	char error[160];

	f->file = synth_image(SYNTH_SIZE);
	put16(f->file + OFF_VERSION, protocol);
	/* Beyond the header's end: must not be copied. */
	memset(f->file + 0x26c, 0xee, 0x290 - 0x26c);
	/* Loader-owned fields the image should not set. */
	put64(f->file + OFF_SETUP_DATA, 0xdeadbeef);
	f->file[OFF_TYPE_OF_LOADER] = 0x11;
	f->file[OFF_LOADFLAGS] |= 0xe0;
	if (!linux_image_check(f->file, SYNTH_SIZE, &f->image, error,
			       sizeof(error)) ||
	    !linux_layout_plan(&f->image, 6 * GIB, 0x123456, 20, &f->layout,
			       error, sizeof(error)))
		abort();
	f->e820_count =
	    linux_e820_build(6 * GIB, NULL, 0, f->e820, LINUX_E820_MAX + 1);
	memset(f->zero_page, 0x5a, sizeof(f->zero_page));
}

static void check_boot_params_fields(void)
{
	struct boot_fixture f;
	const uint8_t *zp = f.zero_page;

	fixture_init(&f, 0x020f);
	CHECK(linux_boot_params_build(f.zero_page, f.file, &f.image, &f.layout,
				      f.e820, f.e820_count, 0xe0040));
	/* The copied header. */
	CHECK_EQ(zp[OFF_SETUP_SECTS], SYNTH_SETUP_SECTS);
	CHECK_EQ(get32(zp + OFF_SYSSIZE), SYNTH_KERNEL_SIZE / 16);
	CHECK(!memcmp(zp + OFF_HEADER, "HdrS", 4));
	CHECK_EQ(zp[OFF_VERSION] | zp[OFF_VERSION + 1] << 8, 0x020f);
	CHECK_EQ(get32(zp + OFF_KERNEL_ALIGNMENT), 0x200000);
	CHECK_EQ(get32(zp + OFF_INIT_SIZE), 0x800000);
	CHECK_EQ(get64(zp + OFF_PREF_ADDRESS), 0x1000000);
	CHECK_EQ(get32(zp + OFF_KERNEL_INFO), 0x1234);
	CHECK_EQ(zp[0x26c], 0);
	CHECK_EQ(zp[0x28f], 0);
	/* What the loader sets. */
	CHECK_EQ(zp[OFF_TYPE_OF_LOADER], 0xff);
	CHECK_EQ(zp[OFF_LOADFLAGS], LINUX_LOADED_HIGH);
	CHECK_EQ(get32(zp + OFF_CODE32_START), 0x1000000);
	CHECK_EQ(get64(zp + OFF_SETUP_DATA), 0);
	CHECK_EQ(get32(zp + OFF_CMD_LINE_PTR), 0x20000);
	CHECK_EQ(get32(zp + BP_EXT_CMD_LINE_PTR), 0);
	/* The initrd at the top of 6 GiB: its address needs the ext half. */
	CHECK_EQ(f.layout.initrd, (6 * GIB - 0x123456) & ~0xfffull);
	CHECK_EQ(get32(zp + OFF_RAMDISK_IMAGE), (uint32_t)f.layout.initrd);
	CHECK_EQ(get32(zp + BP_EXT_RAMDISK_IMAGE), 1);
	CHECK_EQ(get32(zp + OFF_RAMDISK_SIZE), 0x123456);
	CHECK_EQ(get32(zp + BP_EXT_RAMDISK_SIZE), 0);
	CHECK_EQ(get64(zp + BP_ACPI_RSDP), 0xe0040);
	/* Everything else is zero: the sentinel, screen_info, padding. */
	CHECK_EQ(zp[BP_SENTINEL], 0);
	CHECK_EQ(zp[0], 0);
	CHECK_EQ(zp[0x1f0], 0);
	CHECK_EQ(zp[0xcd0], 0);
	CHECK_EQ(zp[0xfff], 0);
	/* The e820 table: 20-byte packed entries. */
	CHECK_EQ(zp[BP_E820_ENTRIES], 3);
	CHECK_EQ(get64(zp + BP_E820_TABLE + 20 * 1), 0xe0000);
	CHECK_EQ(get64(zp + BP_E820_TABLE + 20 * 1 + 8), 0x20000);
	CHECK_EQ(get32(zp + BP_E820_TABLE + 20 * 1 + 16), 2);
	CHECK_EQ(get64(zp + BP_E820_TABLE + 20 * 2), 0x100000);
	CHECK_EQ(get64(zp + BP_E820_TABLE + 20 * 2 + 8), 6 * GIB - 1 * MIB);
	CHECK_EQ(get32(zp + BP_E820_TABLE + 20 * 2 + 16), 1);
	CHECK_EQ(zp[BP_E820_TABLE + 20 * 3], 0);
	free(f.file);
}

static void check_boot_params_limits(void)
{
	struct boot_fixture f;
	const uint8_t *zp = f.zero_page;

	/* 2.13 does not know acpi_rsdp_addr: it stays 0. */
	fixture_init(&f, 0x020d);
	CHECK(linux_boot_params_build(f.zero_page, f.file, &f.image, &f.layout,
				      f.e820, f.e820_count, 0xe0040));
	CHECK_EQ(get64(zp + BP_ACPI_RSDP), 0);
	CHECK_EQ(zp[OFF_TYPE_OF_LOADER], 0xff);

	/* 128 e820 entries fill the table up to 0xcd0; 129 are refused. */
	for (unsigned i = 0; i < LINUX_E820_MAX + 1; i++)
		f.e820[i] =
		    (struct linux_e820_entry){i * 0x1000ull, 0x1000, 1 + i % 3};
	CHECK(linux_boot_params_build(f.zero_page, f.file, &f.image, &f.layout,
				      f.e820, LINUX_E820_MAX, 0));
	CHECK_EQ(zp[BP_E820_ENTRIES], 128);
	CHECK_EQ(get64(zp + BP_E820_TABLE + 20 * 127), 127 * 0x1000);
	CHECK_EQ(get32(zp + BP_E820_TABLE + 20 * 127 + 16), 1 + 127 % 3);
	CHECK_EQ(zp[0xcd0], 0);
	CHECK(!linux_boot_params_build(f.zero_page, f.file, &f.image, &f.layout,
				       f.e820, LINUX_E820_MAX + 1, 0));
	CHECK(!linux_boot_params_build(f.zero_page, f.file, &f.image, &f.layout,
				       NULL, 1, 0));
	/* An inconsistent image summary is refused, not trusted. */
	struct linux_image bad = f.image;

	bad.header_end = 0x300;
	CHECK(!linux_boot_params_build(f.zero_page, f.file, &bad, &f.layout,
				       f.e820, 3, 0));
	bad.header_end = 0x200;
	CHECK(!linux_boot_params_build(f.zero_page, f.file, &bad, &f.layout,
				       f.e820, 3, 0));
	bad = f.image;
	bad.setup_size = 0x200;
	CHECK(!linux_boot_params_build(f.zero_page, f.file, &bad, &f.layout,
				       f.e820, 3, 0));
	/* A kernel above 4 GiB has no code32_start. */
	f.layout.kernel = 5 * GIB;
	f.layout.cmdline = 0x100020000ull;
	CHECK(linux_boot_params_build(f.zero_page, f.file, &f.image, &f.layout,
				      f.e820, 3, 0));
	CHECK_EQ(get32(zp + OFF_CODE32_START), 0);
	CHECK_EQ(get32(zp + OFF_CMD_LINE_PTR), 0x20000);
	CHECK_EQ(get32(zp + BP_EXT_CMD_LINE_PTR), 1);
	free(f.file);
}

static uint8_t *read_file(const char *path, size_t *size)
{
	FILE *stream = fopen(path, "rb");
	uint8_t *data = NULL;
	long length;

	if (!stream)
		return NULL;
	if (!fseek(stream, 0, SEEK_END) && (length = ftell(stream)) > 0 &&
	    !fseek(stream, 0, SEEK_SET)) {
		data = malloc((size_t)length);
		if (data &&
		    fread(data, 1, (size_t)length, stream) != (size_t)length) {
			free(data);
			data = NULL;
		}
		*size = (size_t)length;
	}
	fclose(stream);
	return data;
}

static void check_real_kernel(void)
{
	const char *path = getenv("LINUX_BOOT_TEST_KERNEL");
	struct linux_image image;
	struct linux_layout layout;
	struct linux_e820_entry e820[4];
	static uint8_t zero_page[LINUX_ZERO_PAGE_SIZE];
	char error[160] = "";
	size_t size = 0;
	uint8_t *file = read_file(path ? path : REAL_KERNEL, &size);

	if (!file) {
		printf("  real kernel: %s absent, skipped\n",
		       path ? path : REAL_KERNEL);
		return;
	}
	CHECK(linux_image_check(file, size, &image, error, sizeof(error)));
	printf("  real kernel: protocol %u.%02u, init_size 0x%x, setup %llu, "
	       "kernel %llu bytes%s%s\n",
	       image.protocol >> 8, image.protocol & 0xff, image.init_size,
	       (unsigned long long)image.setup_size,
	       (unsigned long long)image.kernel_size, error[0] ? ": " : "",
	       error);
	CHECK(image.protocol >= LINUX_BOOT_PROTOCOL_MIN);
	CHECK(image.relocatable);
	CHECK(image.init_size > image.kernel_size);
	CHECK_EQ(image.pref_address, 0x1000000);
	CHECK(image.xloadflags & LINUX_XLF_CAN_BE_LOADED_ABOVE_4G);
	CHECK_EQ(image.setup_size + image.kernel_size, size);
	/* Debian 6.1's startup_64 begins with cld; cli. */
	CHECK_EQ(file[image.setup_size + LINUX_ENTRY64_OFFSET], 0xfc);
	CHECK_EQ(file[image.setup_size + LINUX_ENTRY64_OFFSET + 1], 0xfa);
	CHECK(linux_layout_plan(&image, 512 * MIB, 20 * MIB, 200, &layout,
				error, sizeof(error)));
	CHECK_EQ(layout.kernel, 0x1000000);
	CHECK_EQ(layout.entry64, 0x1000200);
	CHECK_EQ(layout.initrd, 492 * MIB);
	unsigned count = linux_e820_build(512 * MIB, NULL, 0, e820, 4);
	CHECK_EQ(count, 3);
	CHECK(linux_boot_params_build(zero_page, file, &image, &layout, e820,
				      count, 0xe0000));
	CHECK(!memcmp(zero_page + 0x1f1, file + 0x1f1, 0x210 - 0x1f1));
	CHECK_EQ(get64(zero_page + BP_ACPI_RSDP),
		 image.protocol >= 0x020e ? 0xe0000 : 0);
	/* Too little memory for its init_size, with a clear reason. */
	CHECK(!linux_layout_plan(&image, 32 * MIB, 0, 0, &layout, error,
				 sizeof(error)));
	printf("  real kernel in 32 MiB: %s\n", error);
	free(file);
}

static void run_tests(void)
{
	check_synthetic_accepted();
	check_refusals();
	check_every_truncation();
	check_random_headers();
	check_layout_basic();
	check_layout_cmdline();
	check_layout_initrd();
	check_layout_above_4g();
	check_layout_placement();
	check_layout_tiny_memory();
	check_e820_plain();
	check_e820_windows();
	check_boot_params_fields();
	check_boot_params_limits();
	check_real_kernel();
}
