/* SPDX-License-Identifier: MIT */
/*
 * pciattack OWN FOREIGN: attacks from a Linux partition's root on the PCI
 * isolation of bulkhead (tests/system/linux-pci-attack). OWN is the
 * e1000e the partition owns (no driver bound to it), FOREIGN a function
 * another partition owns, both as BB:DD.F. Each attack prints one line
 * "linux: pci-attack: ..." with what the partition saw; what the
 * hypervisor did (refused, dropped, logged, stopped the partition) the
 * scenario reads in the hypervisor's own lines.
 *
 *  1. configuration space of FOREIGN through ports 0xcf8/0xcfc: its
 *     identity must read all ones, and a write to its command register
 *     must change nothing;
 *  1b. OWN's extended configuration space through Linux (sysfs, which
 *     reaches offsets from 0x100 only through the partition's ECAM
 *     window): 4096 bytes, every dword 0 (none is offered);
 *  2. OWN's BAR0 rewritten to another address: it must read back where
 *     it was;
 *  3. OWN's MSI aimed at APIC ID 0x7f (no vCPU of the partition has it),
 *     then an MSI-X table entry aimed there: both refused;
 *  4. OWN's transmit ring put at 1 GiB, outside the partition's RAM, and
 *     one descriptor handed to the device: the IOMMU faults the read and
 *     the hypervisor stops the partition, so the last line ("still
 *     running") must never appear.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/io.h>
#include <sys/mman.h>
#include <unistd.h>

#define CONFIG_ADDRESS 0xcf8
#define CONFIG_DATA 0xcfc
#define FOREIGN_APIC_ID 0x7f
#define OUTSIDE_RAM 0x40000000u /* 1 GiB: past the partition's RAM */

/* e1000e registers (82574 datasheet) */
#define E1000_TCTL 0x0400
#define E1000_TCTL_EN (1u << 1)
#define E1000_TDBAL 0x3800
#define E1000_TDBAH 0x3804
#define E1000_TDLEN 0x3808
#define E1000_TDH 0x3810
#define E1000_TDT 0x3818

struct bdf {
	unsigned bus, device, function;
};

static int parse_bdf(const char *text, struct bdf *b)
{
	return sscanf(text, "%x:%x.%x", &b->bus, &b->device, &b->function) == 3
		       ? 0
		       : -1;
}

static void select_register(const struct bdf *b, unsigned offset)
{
	outl(0x80000000u | b->bus << 16 | b->device << 11 | b->function << 8 |
		     (offset & 0xfc),
	     CONFIG_ADDRESS);
}

static uint32_t config_read(const struct bdf *b, unsigned offset)
{
	select_register(b, offset);
	return inl(CONFIG_DATA);
}

static void config_write(const struct bdf *b, unsigned offset, uint32_t value)
{
	select_register(b, offset);
	outl(value, CONFIG_DATA);
}

static void config_write16(const struct bdf *b, unsigned offset,
			   uint16_t value)
{
	select_register(b, offset);
	outw(value, CONFIG_DATA + (offset & 2));
}

/* The offset of capability id in OWN's list as the partition sees it. */
static unsigned find_capability(const struct bdf *b, unsigned id)
{
	unsigned at = config_read(b, 0x34) & 0xfc;

	for (int walked = 0; at >= 0x40 && walked < 48; walked++) {
		uint32_t header = config_read(b, at);

		if ((header & 0xff) == id)
			return at;
		at = header >> 8 & 0xfc;
	}
	return 0;
}

/* Maps BAR n of the partition's own function through sysfs. */
static volatile uint32_t *map_bar(const char *own, unsigned n, size_t size)
{
	char path[96];

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/0000:%s/resource%u",
		 own, n);
	int fd = open(path, O_RDWR | O_SYNC);

	if (fd < 0)
		return NULL;
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

	close(fd);
	return p == MAP_FAILED ? NULL : p;
}

static void attack_foreign(const struct bdf *foreign, const char *name)
{
	uint32_t id = config_read(foreign, 0);
	uint32_t command = config_read(foreign, 4);

	config_write(foreign, 4, 0x0006); /* memory and bus master on */
	printf("linux: pci-attack: foreign %s reads id 0x%08x, command "
	       "0x%08x, after a write 0x%08x\n",
	       name, id, command, config_read(foreign, 4));
}

static void extended_space(const char *own)
{
	char path[96];
	uint32_t dword = 0xdeadbeef;
	off_t size;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/0000:%s/config",
		 own);
	int fd = open(path, O_RDONLY);

	if (fd < 0) {
		printf("linux: pci-attack: cannot open %s\n", path);
		return;
	}
	size = lseek(fd, 0, SEEK_END);
	if (pread(fd, &dword, 4, 0x100) != 4)
		dword = 0xdeadbeef;
	close(fd);
	printf("linux: pci-attack: configuration space of %s: %lld bytes, "
	       "dword 0x100 reads 0x%08x\n",
	       own, (long long)size, dword);
}

static void attack_bar(const struct bdf *own)
{
	uint32_t bar = config_read(own, 0x10);
	uint32_t moved = bar + 0x01000000u;

	config_write(own, 0x10, moved);
	uint32_t after = config_read(own, 0x10);

	printf("linux: pci-attack: BAR0 0x%08x rewritten to 0x%08x reads "
	       "0x%08x: %s\n",
	       bar, moved, after, after == bar ? "kept" : "MOVED");
}

static void attack_msi(const struct bdf *own, const char *name)
{
	unsigned msi = find_capability(own, 0x05);
	unsigned msix = find_capability(own, 0x11);
	uint32_t address = 0xfee00000u | FOREIGN_APIC_ID << 12;

	if (msi) {
		uint16_t control = (uint16_t)(config_read(own, msi) >> 16);
		unsigned data = msi + ((control & 0x80) ? 12 : 8);

		config_write(own, msi + 4, address);
		if (control & 0x80)
			config_write(own, msi + 8, 0);
		config_write16(own, data, 0x0031);
		config_write16(own, msi + 2, (uint16_t)(control | 1));
		printf("linux: pci-attack: MSI of %s aimed at APIC ID 0x%x, "
		       "vector 0x31\n",
		       name, FOREIGN_APIC_ID);
		config_write16(own, msi + 2, (uint16_t)(control & ~1u));
	} else {
		printf("linux: pci-attack: %s shows no MSI\n", name);
	}
	if (!msix) {
		printf("linux: pci-attack: %s shows no MSI-X\n", name);
		return;
	}
	uint32_t table = config_read(own, msix + 4);
	volatile uint32_t *bar = map_bar(name, table & 7, 0x4000);

	if (!bar) {
		printf("linux: pci-attack: cannot map BAR%u of %s\n", table & 7,
		       name);
		return;
	}
	volatile uint32_t *entry = bar + (table & ~7u) / 4;

	entry[0] = address;
	entry[1] = 0;
	entry[2] = 0x0032;
	entry[3] = 0; /* unmasked */
	uint16_t control = (uint16_t)(config_read(own, msix) >> 16);

	config_write16(own, msix + 2, (uint16_t)((control | 0x8000) & ~0x4000));
	printf("linux: pci-attack: MSI-X entry 0 of %s aimed at APIC ID 0x%x, "
	       "vector 0x32; the entry reads 0x%08x 0x%08x\n",
	       name, FOREIGN_APIC_ID, entry[0], entry[2]);
	config_write16(own, msix + 2, (uint16_t)(control & ~0x8000));
	entry[3] = 1;
}

static void attack_dma(const struct bdf *own, const char *name)
{
	volatile uint32_t *regs = map_bar(name, 0, 0x20000);

	if (!regs) {
		printf("linux: pci-attack: cannot map BAR0 of %s\n", name);
		return;
	}
	uint32_t command = config_read(own, 4) & 0xffff;

	config_write(own, 4, command | 0x0006);
	regs[E1000_TCTL / 4] = 0;
	regs[E1000_TDBAL / 4] = OUTSIDE_RAM;
	regs[E1000_TDBAH / 4] = 0;
	regs[E1000_TDLEN / 4] = 0x1000;
	regs[E1000_TDH / 4] = 0;
	regs[E1000_TDT / 4] = 0;
	regs[E1000_TCTL / 4] = E1000_TCTL_EN;
	printf("linux: pci-attack: DMA: the transmit ring of %s at 0x%x, "
	       "outside the partition's RAM; one descriptor handed over\n",
	       name, OUTSIDE_RAM);
	fflush(stdout);
	regs[E1000_TDT / 4] = 1;
	sleep(10);
	printf("linux: pci-attack: still running 10 s after the DMA\n");
}

int main(int argc, char **argv)
{
	struct bdf own, foreign;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc != 3 || parse_bdf(argv[1], &own) || parse_bdf(argv[2], &foreign)) {
		fprintf(stderr, "usage: pciattack OWN FOREIGN (BB:DD.F each)\n");
		return 2;
	}
	if (iopl(3)) {
		perror("linux: pci-attack: iopl");
		return 1;
	}
	printf("linux: pci-attack: own %s reads id 0x%08x\n", argv[1],
	       config_read(&own, 0));
	attack_foreign(&foreign, argv[2]);
	extended_space(argv[1]);
	attack_bar(&own);
	attack_msi(&own, argv[1]);
	attack_dma(&own, argv[1]);
	return 0;
}
