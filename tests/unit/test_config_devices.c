/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the configuration parser, part three: the PCI functions a
 * partition owns (pci-devices), their address syntax and the refusal of a
 * function named twice.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "config_support.h"

CHECK_MAIN("test_config_devices")

#define OTHER_WITH(extra)                                                      \
	"\t\tother { cpus = <2>; memory-size = <0x200000>; "                   \
	"kernel = \"other.elf\"; " extra " };\n"

static void check_two_devices(const struct config *config)
{
	const struct config_partition *p = &config->partitions[0];

	CHECK_EQ(p->pci_device_count, 2);
	CHECK_EQ(p->pci_devices[0].segment, 0);
	CHECK_EQ(p->pci_devices[0].bus, 0);
	CHECK_EQ(p->pci_devices[0].device, 0x10);
	CHECK_EQ(p->pci_devices[0].function, 0);
	CHECK_EQ(p->pci_devices[1].segment, 1);
	CHECK_EQ(p->pci_devices[1].bus, 0xab);
	CHECK_EQ(p->pci_devices[1].device, 0x1f);
	CHECK_EQ(p->pci_devices[1].function, 7);
}

static void check_no_devices(const struct config *config)
{
	CHECK_EQ(config->partitions[0].pci_device_count, 0);
}

static const struct config_case cases[] = {
	{ "no pci-devices", CONFIG(PARTITIONS(HELLO)), {}, NULL,
	  check_no_devices },
	{ "two devices, one with a segment",
	  CONFIG(PARTITIONS(HELLO_WITH(
		  "pci-devices = \"00:10.0\", \"0001:AB:1f.7\";"))),
	  {},
	  NULL,
	  check_two_devices },
	{ "device number too big",
	  CONFIG(PARTITIONS(HELLO_WITH("pci-devices = \"00:20.0\";"))),
	  {},
	  "/partitions/hello: property \"pci-devices\": \"00:20.0\" is not a "
	  "PCI address: write SSSS:BB:DD.F in hexadecimal, device at most 1f, "
	  "function at most 7",
	  NULL },
	{ "function too big",
	  CONFIG(PARTITIONS(HELLO_WITH("pci-devices = \"00:10.8\";"))),
	  {},
	  "/partitions/hello: property \"pci-devices\": \"00:10.8\" is not a "
	  "PCI address",
	  NULL },
	{ "decimal-looking garbage",
	  CONFIG(PARTITIONS(HELLO_WITH("pci-devices = \"0:16.0\";"))),
	  {},
	  "/partitions/hello: property \"pci-devices\": \"0:16.0\" is not a "
	  "PCI address",
	  NULL },
	{ "empty string",
	  CONFIG(PARTITIONS(HELLO_WITH("pci-devices = \"00:10.0\", \"\";"))),
	  {},
	  "/partitions/hello: property \"pci-devices\": \"\" is not a PCI "
	  "address",
	  NULL },
	{ "cells instead of strings",
	  CONFIG(PARTITIONS(HELLO_WITH("pci-devices = <0x80>;"))),
	  {},
	  "/partitions/hello: property \"pci-devices\": must be a list of PCI "
	  "addresses such as \"0000:00:10.0\"",
	  NULL },
	{ "the same device twice in one partition",
	  CONFIG(PARTITIONS(HELLO_WITH(
		  "pci-devices = \"00:10.0\", \"0000:00:10.0\";"))),
	  {},
	  "/partitions/hello: property \"pci-devices\": \"0000:00:10.0\" is "
	  "already given to this partition",
	  NULL },
	{ "the same device in two partitions",
	  CONFIG(PARTITIONS(HELLO_WITH("pci-devices = \"00:10.0\";")
				    OTHER_WITH("pci-devices = \"00:11.0\", "
					       "\"00:10.0\";"))),
	  {},
	  "/partitions/other: property \"pci-devices\": \"00:10.0\" is "
	  "already given to partition \"hello\"",
	  NULL },
	{ "nine devices",
	  CONFIG(PARTITIONS(HELLO_WITH(
		  "pci-devices = \"00:10.0\", \"00:10.1\", \"00:10.2\", "
		  "\"00:10.3\", \"00:10.4\", \"00:10.5\", \"00:10.6\", "
		  "\"00:10.7\", \"00:11.0\";"))),
	  {},
	  "/partitions/hello: property \"pci-devices\": more than 8 devices",
	  NULL },
};

static void test_address_parse(void)
{
	struct config_pci_address a;

	CHECK(config_pci_address_parse("ffff:ff:1f.7", &a));
	CHECK_EQ(a.segment, 0xffff);
	CHECK_EQ(a.bus, 0xff);
	CHECK(!config_pci_address_parse("00:10.0 ", &a));
	CHECK(!config_pci_address_parse("00-10.0", &a));
	CHECK(!config_pci_address_parse("0000:00:10:0", &a));
	CHECK(!config_pci_address_parse("g0:10.0", &a));
	CHECK(!config_pci_address_parse("", &a));
}

static void run_tests(void)
{
	run_config_cases(cases, sizeof(cases) / sizeof(cases[0]));
	test_address_parse();
}
