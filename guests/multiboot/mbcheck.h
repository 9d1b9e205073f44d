/* SPDX-License-Identifier: MIT */
/* What the Multiboot test kernel's files share (mbcheck.c, timers.c,
 * modules.c, smp.c). */
#ifndef BULKHEAD_GUESTS_MULTIBOOT_MBCHECK_H
#define BULKHEAD_GUESTS_MULTIBOOT_MBCHECK_H

#include <stdbool.h>
#include <stdint.h>

#define MB_MODULES_MAX 8 /* modules the kernel looks at */

/* A module as either version's boot information gives it. */
struct mb_module {
	uint32_t start, end, string;
};

void puts(const char *s);
void putdec(uint32_t v);
void puthex(uint64_t v);
/* Prints "mbcheck: <what>: ok" or ": FAILED" and counts a failure. */
void verdict(const char *what, bool ok);
uint32_t inl(uint16_t port);
void outb(uint16_t port, uint8_t value);
/* The value of "<key><hex digits>" in the command line, 0 without it. */
uint32_t read_hex(const char *cmdline, const char *key);
/* Whether [address, address + length) is inside the partition's RAM. */
bool readable(uint32_t address, uint32_t length);

/* Register access the hypervisor's MMIO decoder knows (MOV r32 to and
 * from m32), and the ACPI PM timer (timers.c). */
void mmio_write(uint32_t address, uint32_t value);
uint32_t mmio_read(uint32_t address);
uint32_t pm_now(void);
/* Waits until ticks (less than 2^24) of the PM timer have passed. */
void pm_wait(uint32_t start, uint32_t ticks);

/* Counts PIT and local APIC timer interrupts over 200 ms of the ACPI PM
 * timer and checks both rates (timers.c). */
void check_timers(void);
/* Checks the modules against the command line's figures (modules.c). */
void check_modules(const char *cmdline, const struct mb_module *modules,
		   uint32_t count);
/* Starts a second CPU by INIT and start-up IPIs (smp.c); rsdp is the
 * partition's RSDP, or NULL. */
void check_second_cpu(const uint8_t *rsdp);

#endif
