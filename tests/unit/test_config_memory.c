/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the configuration parser, part four: memory-base, the
 * fixed host-physical placement of a partition's RAM: its alignment, the
 * ends of the address space and the refusal of two fixed ranges that
 * overlap, each bad case with the message it must give.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "config_support.h"

CHECK_MAIN("test_config_memory")

/* A partition of the given name, CPU and memory-size with extra
 * properties. */
#define PART(name, cpu, size, extra)                                           \
	"\t\t" name " { cpus = <" cpu ">; memory-size = <" size ">; "          \
	"kernel = \"" name ".elf\"; " extra " };\n"

static void check_fixed_at_512m(const struct config *config)
{
	CHECK_EQ(config->partition_count, 1);
	CHECK_EQ(config->partitions[0].memory_base, 0x20000000ull);
	CHECK_EQ(config->partitions[0].memory_size, 0x400000ull);
}

static void check_fixed_and_anywhere(const struct config *config)
{
	CHECK_EQ(config->partition_count, 3);
	CHECK_EQ(config->partitions[0].memory_base, 0);
	CHECK_EQ(config->partitions[1].memory_base, 0x20000000ull);
	CHECK_EQ(config->partitions[2].memory_base, 0x22000000ull);
}

static void check_at_the_limit(const struct config *config)
{
	CHECK_EQ(config->partitions[0].memory_base,
		 CONFIG_PHYSICAL_LIMIT - 0x400000);
}

static void check_above_4g(const struct config *config)
{
	CHECK_EQ(config->partitions[0].memory_base, 0x100000000ull);
}

static void check_no_base(const struct config *config)
{
	CHECK_EQ(config->partitions[0].memory_base, 0);
}

static const struct config_case cases[] = {
	/* Valid placements. */
	{ "memory-base two cells",
	  CONFIG(PARTITIONS(HELLO_WITH("memory-base = <0x0 0x20000000>;"))),
	  {},
	  NULL,
	  check_fixed_at_512m },
	{ "memory-base one cell",
	  CONFIG(PARTITIONS(HELLO_WITH("memory-base = <0x20000000>;"))),
	  {},
	  NULL,
	  check_fixed_at_512m },
	{ "memory-base before memory-size in the source",
	  CONFIG(PARTITIONS("\t\thello { memory-base = <0x0 0x20000000>; "
			    "cpus = <1>; memory-size = <0x400000>; "
			    "kernel = \"hello.elf\"; };\n")),
	  {},
	  NULL,
	  check_fixed_at_512m },
	{ "without memory-base the base is 0",
	  CONFIG(PARTITIONS(HELLO)),
	  {},
	  NULL,
	  check_no_base },
	{ "fixed ranges that touch, beside one placed anywhere",
	  CONFIG(PARTITIONS(
		  PART("any", "1", "0x2000000", "")
		  PART("low", "2", "0x2000000",
		       "memory-base = <0x0 0x20000000>;")
		  PART("high", "3", "0x200000",
		       "memory-base = <0x0 0x22000000>;"))),
	  {},
	  NULL,
	  check_fixed_and_anywhere },
	{ "memory-base above 4 GiB",
	  CONFIG(PARTITIONS(HELLO_WITH("memory-base = <0x1 0x0>;"))),
	  {},
	  NULL,
	  check_above_4g },
	{ "memory-base ending at the 52-bit limit",
	  CONFIG(PARTITIONS(HELLO_WITH("memory-base = <0xfffff 0xffc00000>;"))),
	  {},
	  NULL,
	  check_at_the_limit },

	/* The value itself. */
	{ "memory-base zero",
	  CONFIG(PARTITIONS(HELLO_WITH("memory-base = <0x0 0x0>;"))),
	  {},
	  "/partitions/hello: property \"memory-base\": must not be zero",
	  NULL },
	{ "memory-base not 2 MiB aligned",
	  CONFIG(PARTITIONS(HELLO_WITH("memory-base = <0x0 0x20100000>;"))),
	  {},
	  "/partitions/hello: property \"memory-base\": 0x20100000 is not a "
	  "multiple of 2 MiB (0x200000)",
	  NULL },
	{ "memory-base 4 KiB aligned only",
	  CONFIG(PARTITIONS(HELLO_WITH("memory-base = <0x1 0x1000>;"))),
	  {},
	  "/partitions/hello: property \"memory-base\": 0x100001000 is not a "
	  "multiple of 2 MiB (0x200000)",
	  NULL },
	{ "memory-base three cells",
	  CONFIG(PARTITIONS(HELLO_WITH("memory-base = <0 0 0x20000000>;"))),
	  {},
	  "/partitions/hello: property \"memory-base\": must be one or two "
	  "cells, got 3",
	  NULL },
	{ "memory-base empty",
	  CONFIG(PARTITIONS(HELLO_WITH("memory-base;"))),
	  {},
	  "/partitions/hello: property \"memory-base\": must be one or two "
	  "cells, got 0",
	  NULL },
	{ "memory-base a string",
	  CONFIG(PARTITIONS(HELLO_WITH("memory-base = \"512M\";"))),
	  {},
	  "/partitions/hello: property \"memory-base\": length 5 is not",
	  NULL },
	{ "memory-base wrapping past 2^64",
	  CONFIG(PARTITIONS(HELLO_WITH("memory-base = <0xffffffff "
				       "0xffe00000>;"))),
	  {},
	  "/partitions/hello: property \"memory-base\": 0xffffffffffe00000 "
	  "plus memory-size 0x400000 wraps past the top of the address space",
	  NULL },
	{ "memory-base ending one large page past the 52-bit limit",
	  CONFIG(PARTITIONS(HELLO_WITH("memory-base = <0xfffff 0xffe00000>;"))),
	  {},
	  "/partitions/hello: property \"memory-base\": range "
	  "0xfffffffe00000-0x100000001fffff ends beyond the 52-bit physical "
	  "address limit (0x10000000000000)",
	  NULL },
	{ "memory-base at the 52-bit limit",
	  CONFIG(PARTITIONS(HELLO_WITH("memory-base = <0x100000 0x0>;"))),
	  {},
	  "/partitions/hello: property \"memory-base\": range "
	  "0x10000000000000-0x100000003fffff ends beyond the 52-bit physical "
	  "address limit (0x10000000000000)",
	  NULL },

	/* Two fixed ranges. */
	{ "fixed ranges overlapping at the start",
	  CONFIG(PARTITIONS(
		  PART("a", "1", "0x2000000", "memory-base = <0x0 0x20000000>;")
		  PART("b", "2", "0x400000",
		       "memory-base = <0x0 0x21000000>;"))),
	  {},
	  "/partitions/b: property \"memory-base\": range "
	  "0x21000000-0x213fffff overlaps 0x20000000-0x21ffffff, the memory "
	  "of partition \"a\"",
	  NULL },
	{ "fixed range covering an earlier one",
	  CONFIG(PARTITIONS(
		  PART("a", "1", "0x200000", "memory-base = <0x0 0x20400000>;")
		  PART("b", "2", "0x1000000",
		       "memory-base = <0x0 0x20000000>;"))),
	  {},
	  "/partitions/b: property \"memory-base\": range "
	  "0x20000000-0x20ffffff overlaps 0x20400000-0x205fffff, the memory "
	  "of partition \"a\"",
	  NULL },
	{ "fixed ranges at the same base",
	  CONFIG(PARTITIONS(
		  PART("a", "1", "0x200000", "memory-base = <0x1 0x0>;")
		  PART("b", "2", "0x200000", "memory-base = <0x1 0x0>;"))),
	  {},
	  "/partitions/b: property \"memory-base\": range "
	  "0x100000000-0x1001fffff overlaps 0x100000000-0x1001fffff, the "
	  "memory of partition \"a\"",
	  NULL },
	{ "overlap with a partition two places earlier",
	  CONFIG(PARTITIONS(
		  PART("a", "1", "0x400000", "memory-base = <0x0 0x20000000>;")
		  PART("b", "2", "0x400000", "")
		  PART("c", "3", "0x400000",
		       "memory-base = <0x0 0x20200000>;"))),
	  {},
	  "/partitions/c: property \"memory-base\": range "
	  "0x20200000-0x205fffff overlaps 0x20000000-0x203fffff, the memory "
	  "of partition \"a\"",
	  NULL },
};

static void run_tests(void)
{
	run_config_cases(cases, sizeof(cases) / sizeof(cases[0]));
}
