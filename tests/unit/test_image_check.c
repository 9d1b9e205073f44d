/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the image check the loader and bulkhead-check share
 * (lib/image_check.c): what is neither ELF nor bzImage, Linux-only
 * properties on an ELF guest, the platform each image kind gets and the
 * combinations refused, and Debian's kernel (when build/linux has it)
 * against a partition that is too big, too small or right.
 */
#include <bulkhead/image_check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

CHECK_MAIN("test_image_check")

#define MIB (1ull << 20)

static struct config_partition partition(const char *kernel, uint64_t size)
{
	struct config_partition p;

	memset(&p, 0, sizeof(p));
	strcpy(p.name, "p");
	strcpy(p.kernel, kernel);
	p.memory_size = size;
	return p;
}

static void test_not_an_image(void)
{
	struct config_partition p = partition("x.bin", 16 * MIB);
	uint8_t file[0x400];
	struct image_summary summary;
	char error[IMAGE_ERROR_MAX];

	memset(file, 0x90, sizeof(file));
	CHECK(!image_is_linux(file, sizeof(file)));
	CHECK(!image_check(&p, file, sizeof(file), 0, &summary, error));
	CHECK(strstr(error, "neither an ELF executable, a Multiboot kernel nor a "
			    "Linux bzImage"));
	CHECK(!image_check(&p, file, 3, 0, &summary, error)); /* tiny */
	/* The magic alone, in a file too short for a header, is no bzImage. */
	memcpy(file + 0x202, "HdrS", 4);
	CHECK(image_is_linux(file, sizeof(file)));
	CHECK(!image_is_linux(file, 0x205));
	CHECK(!image_check(&p, file, sizeof(file), 0, &summary, error));
	CHECK(strstr(error, "kernel x.bin: "));
}

static void test_elf_with_linux_properties(void)
{
	struct config_partition p = partition("g.elf", 16 * MIB);
	const uint8_t elf[64] = { 0x7f, 'E', 'L', 'F' };
	struct image_summary summary;
	char error[IMAGE_ERROR_MAX];

	strcpy(p.cmdline, "console=ttyS0");
	CHECK(!image_check(&p, elf, sizeof(elf), 0, &summary, error));
	CHECK(strstr(error, "apply only to a Linux bzImage"));
	p.cmdline[0] = '\0';
	strcpy(p.initrd, "initrd");
	CHECK(!image_check(&p, elf, sizeof(elf), 0, &summary, error));
	CHECK(strstr(error, "apply only to a Linux bzImage"));
	p.initrd[0] = '\0';
	/* Without them the ELF checks run (and refuse this empty header). */
	CHECK(!image_check(&p, elf, sizeof(elf), 0, &summary, error));
	CHECK(strstr(error, "image g.elf: "));
}

static uint8_t *read_whole(const char *path, size_t limit, size_t *size)
{
	FILE *f = fopen(path, "rb");
	uint8_t *file;

	if (!f)
		return NULL;
	file = malloc(limit);
	*size = fread(file, 1, limit, f);
	fclose(f);
	return file;
}

static void test_platform_default(void)
{
	CHECK_EQ(image_platform(CONFIG_PLATFORM_DEFAULT, BOOTINFO_IMAGE_ELF),
		 CONFIG_PLATFORM_NONE);
	CHECK_EQ(image_platform(CONFIG_PLATFORM_DEFAULT, BOOTINFO_IMAGE_LINUX),
		 CONFIG_PLATFORM_PC);
	CHECK_EQ(image_platform(CONFIG_PLATFORM_PC, BOOTINFO_IMAGE_ELF),
		 CONFIG_PLATFORM_PC);
	CHECK_EQ(image_platform(CONFIG_PLATFORM_NONE, BOOTINFO_IMAGE_ELF),
		 CONFIG_PLATFORM_NONE);
	CHECK_EQ(image_platform(CONFIG_PLATFORM_NONE, BOOTINFO_IMAGE_LINUX),
		 CONFIG_PLATFORM_NONE);
}

/* A bzImage with platform = "none" is refused before its header is even
 * looked at: the platform is the partition's, Linux needs the PC one. */
static void test_linux_without_pc(void)
{
	struct config_partition p = partition("linux/vmlinuz", 256 * MIB);
	uint8_t file[0x400];
	struct image_summary summary;
	char error[IMAGE_ERROR_MAX];

	memset(file, 0, sizeof(file));
	memcpy(file + 0x202, "HdrS", 4);
	p.platform = CONFIG_PLATFORM_NONE;
	CHECK(!image_check(&p, file, sizeof(file), 0, &summary, error));
	CHECK(!strcmp(error, "kernel linux/vmlinuz: a Linux kernel needs "
			     "platform = \"pc\""));
	/* With "pc" or by default the header is checked (and refused). */
	p.platform = CONFIG_PLATFORM_PC;
	CHECK(!image_check(&p, file, sizeof(file), 0, &summary, error));
	CHECK(!strstr(error, "platform"));
	p.platform = CONFIG_PLATFORM_DEFAULT;
	CHECK(!image_check(&p, file, sizeof(file), 0, &summary, error));
	CHECK(!strstr(error, "platform"));
}

/* A bare-metal guest: "none" by default, "pc" when asked, and then at most
 * 3 GiB of memory (it ends below the APIC pages). */
static void test_elf_platform(void)
{
	size_t size;
	uint8_t *file = read_whole("build/guests/hello.elf", 4 * MIB, &size);
	struct config_partition p = partition("guests/hello.elf", 16 * MIB);
	struct image_summary summary;
	char error[IMAGE_ERROR_MAX];

	if (!file) {
		printf("test_image_check: hello.elf not built: skipped\n");
		return;
	}
	CHECK(image_check(&p, file, size, 0, &summary, error));
	CHECK_EQ(summary.kind, BOOTINFO_IMAGE_ELF);
	CHECK_EQ(summary.platform, CONFIG_PLATFORM_NONE);
	p.platform = CONFIG_PLATFORM_NONE;
	CHECK(image_check(&p, file, size, 0, &summary, error));
	CHECK_EQ(summary.platform, CONFIG_PLATFORM_NONE);
	p.platform = CONFIG_PLATFORM_PC;
	CHECK(image_check(&p, file, size, 0, &summary, error));
	CHECK_EQ(summary.platform, CONFIG_PLATFORM_PC);
	p.memory_size = 3072 * MIB;
	CHECK(image_check(&p, file, size, 0, &summary, error));
	p.memory_size = 3074 * MIB;
	CHECK(!image_check(&p, file, size, 0, &summary, error));
	CHECK(!strcmp(error, "a partition with platform = \"pc\" has at most "
			     "3072 MiB (its memory must end below the APIC "
			     "pages)"));
	/* Without the PC platform the memory may reach past 4 GiB. */
	p.platform = CONFIG_PLATFORM_NONE;
	p.memory_size = 8192 * MIB;
	CHECK(image_check(&p, file, size, 0, &summary, error));
	free(file);
}

static void test_debian_kernel(void)
{
	const char *path = getenv("LINUX_BOOT_TEST_KERNEL");
	struct image_summary summary;
	char error[IMAGE_ERROR_MAX];
	FILE *f = fopen(path ? path : "build/linux/vmlinuz", "rb");

	if (!f) {
		printf("test_image_check: Debian kernel not built: skipped\n");
		return;
	}
	uint8_t *file = malloc(32 * MIB);
	size_t size = fread(file, 1, 32 * MIB, f);
	fclose(f);

	struct config_partition p = partition("linux/vmlinuz", 256 * MIB);
	CHECK(image_check(&p, file, size, 2 * MIB, &summary, error));
	CHECK_EQ(summary.kind, BOOTINFO_IMAGE_LINUX);
	CHECK_EQ(summary.platform, CONFIG_PLATFORM_PC);
	CHECK_EQ(summary.entry, summary.linux_kernel + 0x200);
	CHECK(summary.linux_protocol >= 0x020c);
	p.platform = CONFIG_PLATFORM_PC;
	CHECK(image_check(&p, file, size, 2 * MIB, &summary, error));
	CHECK_EQ(summary.platform, CONFIG_PLATFORM_PC);
	p.platform = CONFIG_PLATFORM_NONE;
	CHECK(!image_check(&p, file, size, 2 * MIB, &summary, error));
	CHECK(strstr(error, "a Linux kernel needs platform = \"pc\""));
	p.platform = CONFIG_PLATFORM_DEFAULT;
	p.memory_size = 4096 * MIB;
	CHECK(!image_check(&p, file, size, 2 * MIB, &summary, error));
	CHECK(strstr(error, "at most 3072 MiB"));
	p.memory_size = 64 * MIB;
	CHECK(!image_check(&p, file, size, 2 * MIB, &summary, error));
	CHECK(strstr(error, "init_size"));
	/* An initrd bigger than the room left is refused too. */
	p.memory_size = 128 * MIB;
	CHECK(!image_check(&p, file, size, 120 * MIB, &summary, error));
	/* Truncated: the check sees the header's syssize. */
	p.memory_size = 256 * MIB;
	CHECK(!image_check(&p, file, size / 2, 0, &summary, error));
	free(file);
}

static void run_tests(void)
{
	test_not_an_image();
	test_elf_with_linux_properties();
	test_platform_default();
	test_linux_without_pc();
	test_elf_platform();
	test_debian_kernel();
}
