/* SPDX-License-Identifier: MIT */
/*
 * The Multiboot test kernel (ELF32, 32-bit code; header1.S or header2.S
 * picks the version): checks the state the specifications promise at
 * entry and the boot information against what the config says (its
 * cmdline carries "memory=<bytes>", the partition's memory-size, and the
 * modules' figures), checks the modules (modules.c), counts the virtual
 * PC's timer interrupts (timers.c), starts a second CPU (smp.c), prints
 * each finding on COM1 and ends with status 0 when every check held, 1
 * otherwise: through the partition's exit device when the cmdline names
 * its port ("exit-device=0x<port>"), else bulkhead's exit hypercall.
 * Never trusts the information: every pointer is checked against the
 * partition's memory before it is read.
 */
#include "mbcheck.h"

#define COM1	  0x3f8
#define MB1_MAGIC 0x2badb002u
#define MB2_MAGIC 0x36d76289u
#define HC_EXIT	  3
#ifdef MULTIBOOT2
#define VERSION 2
#else
#define VERSION 1
#endif

static unsigned failures;
static uint32_t memory_size; /* from the command line */
static uint16_t exit_device; /* from the command line; 0: none */

void outb(uint16_t port, uint8_t value)
{
	__asm__ volatile("outb %0, %1" : : "a"(value), "Nd"(port));
}

static void outl(uint16_t port, uint32_t value)
{
	__asm__ volatile("outl %0, %1" : : "a"(value), "Nd"(port));
}

uint32_t inl(uint16_t port)
{
	uint32_t value;

	__asm__ volatile("inl %1, %0" : "=a"(value) : "Nd"(port));
	return value;
}

static uint8_t inb(uint16_t port)
{
	uint8_t value;

	__asm__ volatile("inb %1, %0" : "=a"(value) : "Nd"(port));
	return value;
}

static void putc(char c)
{
	while (!(inb(COM1 + 5) & 0x20))
		;
	outb(COM1, (uint8_t)c);
}

void puts(const char *s)
{
	while (*s)
		putc(*s++);
}

void puthex(uint64_t v)
{
	char digits[17];
	int n = 0;

	puts("0x");
	do {
		digits[n++] = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v);
	while (n)
		putc(digits[--n]);
}

void putdec(uint32_t v)
{
	char digits[11];
	int n = 0;

	do {
		digits[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		putc(digits[--n]);
}

void verdict(const char *what, bool ok)
{
	puts("mbcheck: ");
	puts(what);
	puts(ok ? ": ok\n" : ": FAILED\n");
	if (!ok)
		failures++;
}

static bool equal(const char *a, const char *b, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

uint32_t read_hex(const char *cmdline, const char *key)
{
	uint32_t value = 0, n = 0;

	while (key[n])
		n++;
	for (const char *p = cmdline; *p; p++) {
		if (!equal(p, key, n))
			continue;
		for (p += n;
		     (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'); p++)
			value = value << 4 |
				(uint32_t)(*p <= '9' ? *p - '0' : *p - 'a' + 10);
		return value;
	}
	return 0;
}

/* memory=<hex>, the config's memory-size, and exit-device=<hex>, the
 * port of the partition's exit device, from the command line. */
static void read_cmdline(const char *cmdline)
{
	memory_size = read_hex(cmdline, "memory=0x");
	exit_device = (uint16_t)read_hex(cmdline, "exit-device=0x");
}

bool readable(uint32_t address, uint32_t length)
{
	return address && length <= memory_size &&
	       address <= memory_size - length;
}

static void check_entry_state(uint32_t magic, uint32_t expected)
{
	uint32_t cr0, flags;

	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	__asm__ volatile("pushf; pop %0" : "=r"(flags));
	puts("mbcheck: magic ");
	puthex(magic);
	putc('\n');
	verdict("EAX holds the boot magic", magic == expected);
	verdict("protected mode, paging off", (cr0 & 1) && !(cr0 >> 31));
	verdict("interrupts off", !(flags & (1u << 9)));
}

/* The map the config implies: RAM to 640 KiB, the ACPI area reserved,
 * RAM from 1 MiB to the partition's end. */
struct map_check {
	unsigned entries;
	bool low, acpi, high;
};

static void map_entry(struct map_check *c, uint64_t base, uint64_t length,
		      uint32_t type)
{
	puts("mbcheck: mmap ");
	puthex(base);
	putc('-');
	puthex(base + length);
	puts(type == 1 ? " available\n" : " reserved\n");
	c->entries++;
	if (base == 0 && length == 0xa0000 && type == 1)
		c->low = true;
	else if (base == 0xe0000 && length == 0x20000 && type == 2)
		c->acpi = true;
	else if (base == 0x100000 && length == memory_size - 0x100000 &&
		 type == 1)
		c->high = true;
	else if (type == 1)
		c->entries += 100; /* RAM the config did not give */
}

static void map_verdict(const struct map_check *c)
{
	verdict("memory map is exactly the partition's RAM",
		c->low && c->acpi && c->high && c->entries == 3);
}

static void memory_verdict(uint32_t lower, uint32_t upper)
{
	puts("mbcheck: mem_lower ");
	putdec(lower);
	puts(" KiB, mem_upper ");
	putdec(upper);
	puts(" KiB\n");
	verdict("mem_lower and mem_upper",
		lower == 640 && upper == (memory_size - 0x100000) >> 10);
}

static void show_strings(const char *cmdline, const char *loader)
{
	puts("mbcheck: cmdline '");
	puts(cmdline);
	puts("'\nmbcheck: boot loader '");
	puts(loader);
	puts("'\n");
}

/* Multiboot 1's module list: 16-byte entries at mods_addr. */
static void mb1_modules(const uint32_t *info)
{
	struct mb_module modules[MB_MODULES_MAX];
	uint32_t count = info[5];

	if (count > MB_MODULES_MAX ||
	    (count && !readable(info[6], count * 16)))
		return verdict("module list inside the partition", false);
	for (uint32_t i = 0; i < count; i++) {
		const uint32_t *entry = (const uint32_t *)info[6] + 4 * i;

		modules[i] = (struct mb_module){entry[0], entry[1], entry[2]};
	}
	check_modules((const char *)info[4], modules, count);
}

static void check_mb1(const uint32_t *info)
{
	uint32_t flags = info[0];
	struct map_check map = {0};

	puts("mbcheck: flags ");
	puthex(flags);
	putc('\n');
	verdict("flags: memory, cmdline, modules, mmap, loader name",
		(flags & 0x245) == 0x245);
	if (!(flags & 4) || !(flags & 0x200))
		return;
	read_cmdline((const char *)info[4]);
	show_strings((const char *)info[4], (const char *)info[16]);
	verdict("command line has memory=", memory_size != 0);
	memory_verdict(info[1], info[2]);
	mb1_modules(info);
	if (!readable(info[12], info[11]))
		return verdict("mmap inside the partition", false);
	for (uint32_t at = 0; at < info[11];) {
		const uint8_t *e = (const uint8_t *)info[12] + at;
		uint32_t size = *(const uint32_t *)e;

		map_entry(&map, *(const uint64_t *)(e + 4),
			  *(const uint64_t *)(e + 12),
			  *(const uint32_t *)(e + 20));
		at += size + 4;
	}
	map_verdict(&map);
}

static bool rsdp_valid(const uint8_t *rsdp, uint32_t length)
{
	uint8_t sum = 0;

	for (uint32_t i = 0; i < length; i++)
		sum = (uint8_t)(sum + rsdp[i]);
	return sum == 0 && equal((const char *)rsdp, "RSD PTR ", 8);
}

/* The RSDP where PC firmware puts it: on a 16-byte boundary in
 * 0xe0000-0xfffff. */
static const uint8_t *scan_rsdp(void)
{
	for (uint32_t at = 0xe0000; at < 0x100000; at += 16)
		if (rsdp_valid((const uint8_t *)at, 20))
			return (const uint8_t *)at;
	return 0;
}

static void check_mb2(const uint8_t *info)
{
	uint32_t total = *(const uint32_t *)info;
	const char *cmdline = 0, *loader = 0;
	const uint8_t *acpi_old = 0, *acpi_new = 0, *meminfo = 0, *mmap = 0;
	struct map_check map = {0};
	struct mb_module modules[MB_MODULES_MAX];
	uint32_t module_count = 0;
	bool ended = false;

	/* The memory size is known only from the command line inside. */
	if (!info || total < 16 || (uint32_t)info > UINT32_MAX - total)
		return verdict("boot information is well formed", false);
	for (uint32_t at = 8; at + 8 <= total && !ended;) {
		const uint8_t *tag = info + at;
		uint32_t type = *(const uint32_t *)tag;
		uint32_t size = *(const uint32_t *)(tag + 4);

		if (size < 8 || size > total - at)
			return verdict("tags inside the information", false);
		if (type == 0)
			ended = true;
		else if (type == 1)
			cmdline = (const char *)tag + 8;
		else if (type == 2)
			loader = (const char *)tag + 8;
		else if (type == 3 && size >= 17 &&
			 module_count < MB_MODULES_MAX)
			modules[module_count++] = (struct mb_module){
			    *(const uint32_t *)(tag + 8),
			    *(const uint32_t *)(tag + 12), (uint32_t)tag + 16};
		else if (type == 4)
			meminfo = tag;
		else if (type == 6)
			mmap = tag;
		else if (type == 14)
			acpi_old = tag + 8;
		else if (type == 15)
			acpi_new = tag + 8;
		at += (size + 7) & ~7u;
	}
	verdict("tags end with the end tag", ended);
	verdict("cmdline, loader name, meminfo and mmap tags",
		cmdline && loader && meminfo && mmap);
	if (!cmdline || !loader || !meminfo || !mmap)
		return;
	read_cmdline(cmdline);
	show_strings(cmdline, loader);
	verdict("command line has memory=", memory_size != 0);
	memory_verdict(*(const uint32_t *)(meminfo + 8),
		       *(const uint32_t *)(meminfo + 12));
	for (uint32_t at = 16; at + 24 <= *(const uint32_t *)(mmap + 4);
	     at += *(const uint32_t *)(mmap + 8))
		map_entry(&map, *(const uint64_t *)(mmap + at),
			  *(const uint64_t *)(mmap + at + 8),
			  *(const uint32_t *)(mmap + at + 16));
	map_verdict(&map);
	check_modules(cmdline, modules, module_count);
	verdict("ACPI old RSDP tag", acpi_old && rsdp_valid(acpi_old, 20));
	verdict("ACPI new RSDP tag",
		acpi_new && rsdp_valid(acpi_new, 36) && acpi_new[15] == 2);
	const uint8_t *scanned = scan_rsdp();
	if (scanned) {
		puts("mbcheck: RSDP found by the BIOS-area scan at ");
		puthex((uint32_t)scanned);
		putc('\n');
	}
	verdict("the scan finds the RSDP of the tags",
		scanned && acpi_new &&
		    equal((const char *)scanned, (const char *)acpi_new, 36));
}

static bool vendor_is_amd(void)
{
	uint32_t a = 0, b, c, d;

	__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "=c"(c), "=d"(d));
	return b == 0x68747541; /* "Auth" */
}

/* Ends through the exit device when the command line names one, else (or
 * when the device did not end the partition) through the exit hypercall. */
static void __attribute__((noreturn)) leave(uint32_t status)
{
	if (exit_device) {
		outl(exit_device, status);
		puts("mbcheck: the exit device did not end the partition: "
		     "FAILED\n");
		status = 1;
	}
	if (vendor_is_amd())
		__asm__ volatile("vmmcall" : : "a"(HC_EXIT), "D"(status));
	else
		__asm__ volatile("vmcall" : : "a"(HC_EXIT), "D"(status));
	for (;;)
		__asm__ volatile("cli; hlt");
}

void mbcheck_main(uint32_t magic, uint32_t info)
{
	outb(COM1 + 3, 3); /* 8 data bits */
	check_entry_state(magic, VERSION == 2 ? MB2_MAGIC : MB1_MAGIC);
	if (VERSION == 2 && magic == MB2_MAGIC)
		check_mb2((const uint8_t *)info);
	else if (VERSION == 1 && magic == MB1_MAGIC)
		check_mb1((const uint32_t *)info);
	check_timers();
	check_second_cpu(scan_rsdp());
	puts(failures ? "mbcheck: FAILED\n" : "mbcheck: checks passed\n");
	leave(failures ? 1 : 0);
}
