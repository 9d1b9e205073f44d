/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the configuration parser, part four: a Multiboot
 * partition's modules, each "PATH[ STRING]", and the refusal of a bad
 * path, an empty or overlong entry and a fifth module.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "config_support.h"

CHECK_MAIN("test_config_modules")

static void check_two_modules(const struct config *config)
{
	const struct config_partition *p = &config->partitions[0];

	CHECK_EQ(p->module_count, 2);
	CHECK(!strcmp(p->modules[0], "guests/one.bin the first module"));
	CHECK(!strcmp(p->modules[1], "guests/two.bin"));
}

static void check_no_modules(const struct config *config)
{
	CHECK_EQ(config->partitions[0].module_count, 0);
}

#define LONG_ENTRY                                                             \
	"guests/m.bin 0123456789012345678901234567890123456789012345678901"     \
	"234567890123456789012345678901234567890123456789012345678901234"

static const struct config_case cases[] = {
	{ "no modules", CONFIG(PARTITIONS(HELLO)), {}, NULL,
	  check_no_modules },
	{ "two modules, one with a string",
	  CONFIG(PARTITIONS(HELLO_WITH(
		  "modules = \"guests/one.bin the first module\", "
		  "\"guests/two.bin\";"))),
	  {},
	  NULL,
	  check_two_modules },
	{ "a path with ..",
	  CONFIG(PARTITIONS(HELLO_WITH("modules = \"../secret.bin\";"))),
	  {},
	  "/partitions/hello: property \"modules\": must not contain \"..\"",
	  NULL },
	{ "an absolute path",
	  CONFIG(PARTITIONS(HELLO_WITH("modules = \"/m.bin x\";"))),
	  {},
	  "/partitions/hello: property \"modules\": must be relative to "
	  "\\bulkhead\\ (no leading '/')",
	  NULL },
	{ "an entry starting with a space",
	  CONFIG(PARTITIONS(HELLO_WITH("modules = \" m.bin\";"))),
	  {},
	  "/partitions/hello: property \"modules\": \" m.bin\" must start "
	  "with the module's path",
	  NULL },
	{ "an empty entry",
	  CONFIG(PARTITIONS(HELLO_WITH("modules = \"m.bin\", \"\";"))),
	  {},
	  "/partitions/hello: property \"modules\": \"\" must start with the "
	  "module's path",
	  NULL },
	{ "an entry of 128 characters",
	  CONFIG(PARTITIONS(HELLO_WITH("modules = \"" LONG_ENTRY "\";"))),
	  {},
	  "/partitions/hello: property \"modules\": has an entry longer than "
	  "127 characters",
	  NULL },
	{ "five modules",
	  CONFIG(PARTITIONS(HELLO_WITH("modules = \"a\", \"b\", \"c\", \"d\", "
				       "\"e\";"))),
	  {},
	  "/partitions/hello: property \"modules\": lists more than 4 modules",
	  NULL },
	{ "cells instead of strings",
	  CONFIG(PARTITIONS(HELLO_WITH("modules = <1>;"))),
	  {},
	  "/partitions/hello: property \"modules\": must be a list of strings "
	  "such as \"guests/module.bin its string\"",
	  NULL },
};

static void run_tests(void)
{
	run_config_cases(cases, sizeof(cases) / sizeof(cases[0]));
}
