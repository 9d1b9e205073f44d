/* SPDX-License-Identifier: MIT */
/*
 * memread /dev/mem [ADDRESS]: an attack on the isolation between
 * partitions. It reads 8 bytes of guest-physical memory outside
 * everything the partition owns; bulkhead must stop the partition at that
 * access (the attack scenario checks it), so normally this program never
 * finishes.
 *
 * The address: the end of the highest top-level "System RAM" or
 * "Reserved" range in /proc/iomem (the partition's RAM and, reserved in
 * the e820 map, its channel windows), plus 64 MiB, rounded up to 2 MiB,
 * so neither RAM nor a channel is hit even with a large page. If
 * /proc/iomem cannot be read or shows no such range (it shows zeros to
 * non-root users), 0xc0000000: 3 GiB, above the RAM of the small
 * partitions bulkhead runs and below the IOAPIC (0xfec00000) and local
 * APIC (0xfee00000) windows the hypervisor emulates, where a read would be
 * answered rather than stopped. ADDRESS (hex) overrides both.
 *
 * First pread() of /dev/mem at the address. x86 Linux refuses read() of
 * /dev/mem beyond the end of RAM itself (EFAULT, valid_phys_addr_range),
 * without touching the memory; then the page is mapped (mmap of /dev/mem,
 * which Linux allows for non-RAM) and read through the mapping, which does
 * reach the hypervisor. Prints what was read if anything returns, or
 * "linux: memread: refused: <error>". Exit status 0 after a read, 1 when
 * refused.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <unistd.h>

#define HEADROOM	 (64ull << 20)
#define ALIGNMENT	 (2ull << 20)
#define FALLBACK_ADDRESS 0xc0000000ull
#define MAP_SIZE	 4096u

/* One /proc/iomem line "start-end : name"; nested (indented) lines are
 * parts of a top-level range and ignored. Returns the range's exclusive
 * end when it is RAM or reserved, else 0. */
static uint64_t iomem_line_end(const char *line)
{
	unsigned long long start, end;
	int name = 0;
	size_t length;

	if (line[0] == ' ' ||
	    sscanf(line, "%llx-%llx : %n", &start, &end, &name) != 2 || !name)
		return 0;
	length = strcspn(line + name, "\n");
	if (end < start || end == UINT64_MAX)
		return 0;
	if ((length == 10 && !strncmp(line + name, "System RAM", 10)) ||
	    (length == 8 && !strncasecmp(line + name, "Reserved", 8)))
		return end + 1;
	return 0;
}

static uint64_t iomem_top(const char *path)
{
	char line[256];
	uint64_t top = 0;
	FILE *iomem = fopen(path, "r");

	if (!iomem)
		return 0;
	while (fgets(line, sizeof(line), iomem)) {
		uint64_t end = iomem_line_end(line);

		if (end > top)
			top = end;
	}
	fclose(iomem);
	return top;
}

static uint64_t target_address(void)
{
	uint64_t top = iomem_top("/proc/iomem");

	if (!top || top > UINT64_MAX - HEADROOM - ALIGNMENT) {
		printf("linux: memread: no RAM in /proc/iomem, using 0x%llx\n",
		       FALLBACK_ADDRESS);
		return FALLBACK_ADDRESS;
	}
	return (top + HEADROOM + ALIGNMENT - 1) & ~(ALIGNMENT - 1);
}

static int parse_address(const char *text, uint64_t *address)
{
	char *end;

	errno = 0;
	*address = strtoull(text, &end, 16);
	return errno || end == text || *end ? -1 : 0;
}

/* The read through a mapping: this access leaves the partition. */
static int read_mapped(int fd, uint64_t address)
{
	uint64_t page = address & ~(uint64_t)(MAP_SIZE - 1);
	volatile uint64_t *word;
	void *map;

	printf("linux: memread: mapping guest-physical 0x%" PRIx64 "\n", page);
	map = mmap(NULL, MAP_SIZE, PROT_READ, MAP_SHARED, fd, (off_t)page);
	if (map == MAP_FAILED) {
		printf("linux: memread: refused: %s\n", strerror(errno));
		return 1;
	}
	word = (volatile uint64_t *)((char *)map + (address - page));
	printf("linux: memread: read 0x%016" PRIx64 " through the mapping\n",
	       *word);
	munmap(map, MAP_SIZE);
	return 0;
}

int main(int argc, char **argv)
{
	uint64_t address, value;
	ssize_t got;
	int fd, status;

	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc < 2 || argc > 3 ||
	    (argc == 3 && parse_address(argv[2], &address))) {
		fprintf(stderr, "usage: memread /dev/mem [ADDRESS in hex]\n");
		return 2;
	}
	if (argc == 2)
		address = target_address();
	if (address > (uint64_t)INT64_MAX - MAP_SIZE) {
		fprintf(stderr, "memread: address out of range\n");
		return 2;
	}
	printf("linux: memread: reading guest-physical 0x%" PRIx64 "\n",
	       address);
	fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		printf("linux: memread: refused: %s\n", strerror(errno));
		return 1;
	}
	got = pread(fd, &value, sizeof(value), (off_t)address);
	if (got == (ssize_t)sizeof(value)) {
		printf("linux: memread: read 0x%016" PRIx64 "\n", value);
		close(fd);
		return 0;
	}
	if (got < 0)
		printf("linux: memread: pread refused: %s\n", strerror(errno));
	else
		printf("linux: memread: pread returned %zd bytes\n", got);
	status = read_mapped(fd, address);
	close(fd);
	return status;
}
