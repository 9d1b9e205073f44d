/* SPDX-License-Identifier: MIT */
/*
 * ACPICA's own tools (Debian's acpica-tools, installed by tools/deps.sh)
 * run on a table a unit test built: iasl -d disassembles it as an ASL
 * reader would see it, and acpiexec loads a DSDT and evaluates one of its
 * objects with the interpreter Linux itself carries. Each call writes the
 * table into a fresh temporary directory and removes it afterwards; the
 * text returned is malloc'd (the caller frees it), NULL when the tool
 * could not be run.
 */
#ifndef BULKHEAD_TEST_ACPICA_TOOLS_H
#define BULKHEAD_TEST_ACPICA_TOOLS_H

#include <stddef.h>
#include <stdint.h>

/* The .dsl that iasl -d writes for the table. */
char *acpica_disassemble(const uint8_t *table, size_t length);
/* What acpiexec prints when it evaluates each of paths (a NULL-ended
 * list, e.g. "\\_SB.PCI0._CRS") in the namespace of the DSDT: one run
 * for all of them, as each run takes a second to end. */
char *acpica_evaluate(const uint8_t *dsdt, size_t length,
		      const char *const *paths);

/* From acpica_evaluate's text, what path returned: the bytes of a Buffer,
 * at most max of them stored; -1 when it returned no buffer. */
long acpica_result_buffer(const char *text, const char *path, uint8_t *bytes,
			  size_t max);
/* The number of elements of the Package path returned, and up to max of
 * the integers inside it, in order (*integer_count says how many there
 * are); -1 when it returned no package. */
long acpica_result_package(const char *text, const char *path,
			   uint64_t *integers, size_t max,
			   size_t *integer_count);

#endif
