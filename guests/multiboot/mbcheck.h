/* SPDX-License-Identifier: MIT */
/* What the Multiboot test kernel's files share (mbcheck.c, timers.c). */
#ifndef BULKHEAD_GUESTS_MULTIBOOT_MBCHECK_H
#define BULKHEAD_GUESTS_MULTIBOOT_MBCHECK_H

#include <stdbool.h>
#include <stdint.h>

void puts(const char *s);
void putdec(uint32_t v);
/* Prints "mbcheck: <what>: ok" or ": FAILED" and counts a failure. */
void verdict(const char *what, bool ok);
uint32_t inl(uint16_t port);
void outb(uint16_t port, uint8_t value);

/* Counts PIT and local APIC timer interrupts over 200 ms of the ACPI PM
 * timer and checks both rates (timers.c). */
void check_timers(void);

#endif
