/* SPDX-License-Identifier: MIT */
/*
 * Self-checking guests: each check prints "<name>: ok" or "<name>: FAILED
 * got X expected Y"; checks_finish() prints "N of M checks passed" and
 * gives the exit status (0 only when all passed).
 */
#ifndef GUEST_CHECKS_H
#define GUEST_CHECKS_H

#include <stdbool.h>
#include <stdint.h>

void check_report(const char *name, bool ok, const char *got,
		  const char *expected);
void check_hex(const char *name, uint64_t got, uint64_t expected);
/* Runs fn(arg) under guest_catch and expects exception vector `expected`
 * (-1: no exception). */
void check_exception(const char *name, void (*fn)(void *), void *arg,
		     int expected);
int checks_finish(void);

#endif
