/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the configuration parser (lib/config/), part one: valid
 * configurations with their fields checked, and the root, console,
 * end-of-run and partition nodes, each bad case with the message it must
 * give. Sources are compiled with dtc at test time and parsed from a
 * buffer of exactly the blob's size, so ASan reports any read outside it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "config_support.h"

CHECK_MAIN("test_config")

static void check_one_partition(const struct config *config)
{
	const struct config_partition *hello = &config->partitions[0];

	CHECK_EQ(config->partition_count, 1);
	CHECK_EQ(config->console_uart, 0x3f8);
	CHECK_EQ(config->exit_port, 0);
	CHECK(!strcmp(hello->name, "hello"));
	CHECK_EQ(hello->cpu_mask, 1ull << 1);
	CHECK_EQ(hello->cpu_count, 1);
	CHECK_EQ(hello->cpus[0], 1);
	CHECK_EQ(hello->memory_size, 0x400000);
	CHECK(!strcmp(hello->kernel, "guests/hello.elf"));
	CHECK(!strcmp(hello->args, ""));
	CHECK_EQ(hello->ioport_count, 0);
	CHECK(!hello->management);
	CHECK(!hello->restart_on_fault);
	CHECK_EQ(hello->restart_limit, 0);
	CHECK_EQ(hello->platform, CONFIG_PLATFORM_DEFAULT);
	CHECK_EQ(config->channel_count, 0);
}


static void check_several_partitions(const struct config *config)
{
	const struct config_partition *web = &config->partitions[0];
	const struct config_partition *db = &config->partitions[1];
	const struct config_partition *log = &config->partitions[2];

	CHECK_EQ(config->partition_count, 3);
	CHECK_EQ(config->console_uart, 0x2f8);
	CHECK_EQ(config->exit_port, 0xf4);
	CHECK(!strcmp(web->name, "web"));
	CHECK_EQ(web->cpu_mask, (1ull << 3) | (1ull << 1));
	CHECK_EQ(web->cpu_count, 2);
	CHECK_EQ(web->cpus[0], 3);
	CHECK_EQ(web->cpus[1], 1);
	CHECK_EQ(web->memory_size, 1ull << 32);
	CHECK(!strcmp(web->kernel, "guests/web.elf"));
	CHECK(!strcmp(web->args, "peer 2"));
	CHECK_EQ(web->ioport_count, 3);
	CHECK_EQ(web->ioports[0].base, 0x3e8);
	CHECK_EQ(web->ioports[0].count, 8);
	CHECK_EQ(web->ioports[2].base, 0x64);
	CHECK_EQ(web->ioports[2].count, 1);
	CHECK(!strcmp(db->name, "db"));
	CHECK_EQ(db->cpu_mask, 1);
	CHECK_EQ(db->memory_size, 0x200000);
	CHECK(!strcmp(db->kernel, "db.elf"));
	CHECK_EQ(db->ioport_count, 1);
	CHECK_EQ(db->ioports[0].base, 0x61);
	CHECK(!strcmp(log->name, "log_2"));
	CHECK_EQ(log->cpu_mask, (1ull << 63) | (1ull << 2));
	CHECK_EQ(log->cpus[0], 63);
	CHECK_EQ(log->cpus[1], 2);
	CHECK_EQ(log->memory_size, 0x600000);
}

static void check_one_cell_memory(const struct config *config)
{
	CHECK_EQ(config->partitions[0].memory_size, 0x800000);
}

static void check_ioports(const struct config *config)
{
	const struct config_partition *hello = &config->partitions[0];

	CHECK_EQ(hello->ioport_count, 2);
	CHECK_EQ(hello->ioports[0].base, 0x2f8);
	CHECK_EQ(hello->ioports[0].count, 8);
	CHECK_EQ(hello->ioports[1].base, 0xfff0);
	CHECK_EQ(hello->ioports[1].count, 0x10);
}

static void check_console_after_partitions(const struct config *config)
{
	CHECK_EQ(config->console_uart, 0x2e8);
	CHECK_EQ(config->partitions[0].ioports[0].base, 0x2f8);
}

static void check_machine_limits(const struct config *config)
{
	CHECK_EQ(config->partitions[0].cpus[0], 3);
}


static void check_lifecycle_and_channels(const struct config *config)
{
	const struct config_partition *ping = &config->partitions[0];
	const struct config_partition *pong = &config->partitions[1];
	const struct config_partition *idle = &config->partitions[2];
	const struct config_channel *c0 = &config->channels[0];
	const struct config_channel *big = &config->channels[1];
	const struct config_channel *again = &config->channels[2];

	CHECK_EQ(config->partition_count, 3);
	CHECK(!strcmp(ping->name, "ping"));
	CHECK(ping->management);
	CHECK(ping->restart_on_fault);
	CHECK_EQ(ping->restart_limit, CONFIG_RESTART_DEFAULT_LIMIT);
	CHECK_EQ(ping->restart_limit, 3);
	CHECK(!strcmp(pong->name, "pong"));
	CHECK(!pong->management);
	CHECK(pong->restart_on_fault);
	CHECK_EQ(pong->restart_limit, 1000);
	CHECK(!strcmp(idle->name, "idle"));
	CHECK(!idle->management);
	CHECK(!idle->restart_on_fault);
	CHECK_EQ(idle->restart_limit, 0);
	CHECK_EQ(config->channel_count, 3);
	CHECK(!strcmp(c0->name, "c0"));
	CHECK_EQ(c0->peers[0], 1);
	CHECK_EQ(c0->peers[1], 0);
	CHECK_EQ(c0->size, 0x1000);
	CHECK_EQ(c0->vector, CONFIG_CHANNEL_DEFAULT_VECTOR);
	CHECK_EQ(c0->vector, 0x40);
	CHECK(!strcmp(big->name, "big"));
	CHECK_EQ(big->peers[0], 0);
	CHECK_EQ(big->peers[1], 2);
	CHECK_EQ(big->size, 0x200000);
	CHECK_EQ(big->vector, 0xff);
	CHECK(!strcmp(again->name, "c-2_again"));
	CHECK_EQ(again->peers[0], 0);
	CHECK_EQ(again->peers[1], 1);
	CHECK_EQ(again->size, 0x2000);
	CHECK_EQ(again->vector, 32);
}

#define LONG_64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define LONG_1024                                                              \
	LONG_64 LONG_64 LONG_64 LONG_64 LONG_64 LONG_64 LONG_64 LONG_64        \
		LONG_64 LONG_64 LONG_64 LONG_64 LONG_64 LONG_64 LONG_64 LONG_64

static void check_linux_partition(const struct config *config)
{
	const struct config_partition *guest = &config->partitions[0];

	CHECK(!strcmp(guest->kernel, "linux/vmlinuz"));
	CHECK(!strcmp(guest->initrd, "linux/initrd.cpio.gz"));
	CHECK(!strcmp(guest->cmdline, "console=ttyS0 quiet"));
}

static void check_no_channels(const struct config *config)
{
	CHECK_EQ(config->partition_count, 2);
	CHECK_EQ(config->channel_count, 0);
}

/* One partition's exit device; another may own the same port. */
static void check_exit_device(const struct config *config)
{
	CHECK_EQ(config->partitions[0].exit_device_port, 0x501);
	CHECK_EQ(config->partitions[1].exit_device_port, 0);
	CHECK_EQ(config->partitions[1].ioports[0].base, 0x501);
}

static void check_console_log(const struct config *config)
{
	CHECK_EQ(config->partitions[0].console_log_size, 65536);
	CHECK_EQ(config->partitions[1].console_log_size,
		 CONFIG_CONSOLE_LOG_DEFAULT);
}

static const struct config_case cases[] = {
	/* Valid configurations. */
	{ "one partition",
	  CONFIG(PARTITIONS(HELLO)),
	  {},
	  NULL,
	  check_one_partition },
	{ "several partitions",
	  several_partitions,
	  {},
	  NULL,
	  check_several_partitions },
	{ "one-cell memory-size",
	  CONFIG(PARTITIONS("\t\thello { cpus = <1>; memory-size = <0x800000>; "
			    "kernel = \"guests/hello.elf\"; };\n")),
	  {},
	  NULL,
	  check_one_cell_memory },
	{ "ioports",
	  CONFIG(PARTITIONS(HELLO_WITH("ioports = <0x2f8 8 0xfff0 0x10>;"))),
	  {},
	  NULL,
	  check_ioports },
	{ "exit-device",
	  CONFIG("\tend-of-run { isa-debug-exit = <0xf4>; };\n" PARTITIONS(
		  HELLO_WITH("ioports = <0x500 1>; exit-device = <0x501>;")
		  "\t\tweb { cpus = <2>; memory-size = <0x200000>; kernel = "
		  "\"w\"; ioports = <0x501 1>; };\n")),
	  {},
	  NULL,
	  check_exit_device },
	{ "console-log-size and its default",
	  CONFIG(PARTITIONS(HELLO_WITH("console-log-size = <0x10000>;")
		  "\t\tweb { cpus = <2>; memory-size = <0x200000>; kernel = "
		  "\"w\"; };\n")),
	  {},
	  NULL,
	  check_console_log },
	{ "console after partitions",
	  CONFIG(PARTITIONS(HELLO_WITH(
		  "ioports = <0x2f8 8>;")) "\tconsole { uart = <0x2e8>; };\n"),
	  {},
	  NULL,
	  check_console_after_partitions },
	{ "phandles are allowed",
	  CONFIG("\tphandle = <9>;\n\tconsole { linux,phandle = <7>; };\n"
		 "\tend-of-run { phandle = <8>; isa-debug-exit = <0x501>; };\n"
		 "\tpartitions { phandle = <3>;\n"
		 "\t\thello { phandle = <5>; " HELLO_BODY " };\n\t};\n"),
	  {},
	  NULL,
	  NULL },
	{ "machine limits met exactly",
	  CONFIG(PARTITIONS("\t\thello { cpus = <3>; memory-size = <0x0 "
			    "0x800000>; kernel = \"h.elf\"; };\n")),
	  { .cpu_count = 4, .memory_bytes = 0x800000 },
	  NULL,
	  check_machine_limits },
	{ "empty console node keeps the default",
	  CONFIG("\tconsole { };\n" PARTITIONS(HELLO)),
	  {},
	  NULL,
	  check_one_partition },
	{ "Linux kernel, initrd and command line",
	  CONFIG(PARTITIONS("\t\tlinux { cpus = <1>; memory-size = <0x8000000>; "
			    "kernel = \"linux/vmlinuz\"; "
			    "initrd = \"linux/initrd.cpio.gz\"; "
			    "cmdline = \"console=ttyS0 quiet\"; };\n")),
	  {},
	  NULL,
	  check_linux_partition },
	{ "kernel name with dots",
	  CONFIG(PARTITIONS("\t\thello { cpus = <1>; memory-size = <0x200000>; "
			    "kernel = \"a..b/..c/.d.elf\"; };\n")),
	  {},
	  NULL,
	  NULL },
	{ "management, restart and channels",
	  lifecycle_and_channels,
	  {},
	  NULL,
	  check_lifecycle_and_channels },
	{ "channel memory fits the machine exactly",
	  lifecycle_and_channels,
	  { .memory_bytes = 0x600000 + 0x200000 + 0x3000 },
	  NULL,
	  check_lifecycle_and_channels },
	{ "empty channels node",
	  PING_PONG_WITH(""),
	  {},
	  NULL,
	  check_no_channels },
	{ "restart never with a phandle-numbered peer",
	  CONFIG(PARTITIONS("\t\ta { phandle = <0x10>; cpus = <1>; "
			    "memory-size = <0x200000>; kernel = \"a\"; "
			    "restart = \"never\"; };\n"
			    "\t\tb { phandle = <0x11>; cpus = <2>; "
			    "memory-size = <0x200000>; kernel = \"b\"; };\n")
		 CHANNELS("\t\tc { peers = <0x11 0x10>; size = <0x1000>; "
			  "};\n")),
	  {},
	  NULL,
	  NULL },

	/* The root node. */
	{ "compatible missing",
	  "/dts-v1/;\n/ {\n" PARTITIONS(HELLO) "};\n",
	  {},
	  "/: property \"compatible\": missing",
	  NULL },
	{ "compatible wrong",
	  "/dts-v1/;\n/ { compatible = \"bulkhead,config-2\";\n" PARTITIONS(
		  HELLO) "};\n",
	  {},
	  "/: property \"compatible\": must be \"bulkhead,config-1\", not "
	  "\"bulkhead,config-2\"",
	  NULL },
	{ "compatible with a second string",
	  "/dts-v1/;\n/ { compatible = \"bulkhead,config-1\", "
	  "\"x\";\n" PARTITIONS(HELLO) "};\n",
	  {},
	  "/: property \"compatible\": must be \"bulkhead,config-1\" (one "
	  "string)",
	  NULL },
	{ "unknown root property",
	  CONFIG("\tmodel = \"pc\";\n" PARTITIONS(HELLO)),
	  {},
	  "/: property \"model\": unknown property (allowed: compatible)",
	  NULL },
	{ "unknown root node",
	  CONFIG("\tdevices { };\n" PARTITIONS(HELLO)),
	  {},
	  "/: unknown node \"devices\" (allowed: console, end-of-run, "
	  "partitions, channels)",
	  NULL },
	{ "partitions missing",
	  CONFIG("\tconsole { };\n"),
	  {},
	  "/: node \"partitions\" is missing",
	  NULL },

	/* console and end-of-run. */
	{ "console uart not a COM port",
	  CONFIG("\tconsole { uart = <0x3f0>; };\n" PARTITIONS(HELLO)),
	  {},
	  "/console: property \"uart\": 0x3f0 is not a standard COM port",
	  NULL },
	{ "console uart two cells",
	  CONFIG("\tconsole { uart = <0x0 0x3f8>; };\n" PARTITIONS(HELLO)),
	  {},
	  "/console: property \"uart\": must be exactly one cell, got 2",
	  NULL },
	{ "console uart not cells",
	  CONFIG("\tconsole { uart = [03 f8]; };\n" PARTITIONS(HELLO)),
	  {},
	  "/console: property \"uart\": length 2 is not a whole number of "
	  "32-bit cells",
	  NULL },
	{ "console unknown property",
	  CONFIG("\tconsole { baud = <115200>; };\n" PARTITIONS(HELLO)),
	  {},
	  "/console: property \"baud\": unknown property (allowed: uart)",
	  NULL },
	{ "console child node",
	  CONFIG("\tconsole { uart { }; };\n" PARTITIONS(HELLO)),
	  {},
	  "/console: unknown node \"uart\"",
	  NULL },
	{ "exit port missing",
	  CONFIG("\tend-of-run { };\n" PARTITIONS(HELLO)),
	  {},
	  "/end-of-run: property \"isa-debug-exit\": missing",
	  NULL },
	{ "exit port zero",
	  CONFIG("\tend-of-run { isa-debug-exit = <0>; };\n" PARTITIONS(HELLO)),
	  {},
	  "/end-of-run: property \"isa-debug-exit\": port 0x0 is not a "
	  "valid I/O port",
	  NULL },
	{ "exit port too big",
	  CONFIG("\tend-of-run { isa-debug-exit = <0x10000>; };\n" PARTITIONS(
		  HELLO)),
	  {},
	  "/end-of-run: property \"isa-debug-exit\": port 0x10000 is not a "
	  "valid I/O port",
	  NULL },
	{ "exit port on the console UART",
	  CONFIG("\tend-of-run { isa-debug-exit = <0x3f9>; };\n" PARTITIONS(
		  HELLO)),
	  {},
	  "/end-of-run: property \"isa-debug-exit\": port 0x3f9 overlaps the "
	  "console UART 0x3f8-0x3ff",
	  NULL },
	{ "exit port unknown property",
	  CONFIG("\tend-of-run { isa-debug-exit = <0xf4>; code = <1>; "
		 "};\n" PARTITIONS(HELLO)),
	  {},
	  "/end-of-run: property \"code\": unknown property",
	  NULL },
	{ "exit port child node",
	  CONFIG("\tend-of-run { isa-debug-exit = <0xf4>; x { }; "
		 "};\n" PARTITIONS(HELLO)),
	  {},
	  "/end-of-run: unknown node \"x\"",
	  NULL },

	/* The partitions node. */
	{ "zero partitions",
	  CONFIG("\tpartitions { };\n"),
	  {},
	  "/partitions: no partitions",
	  NULL },
	{ "partitions property",
	  CONFIG("\tpartitions { count = <1>;\n" HELLO "\t};\n"),
	  {},
	  "/partitions: property \"count\": unknown property (allowed: none)",
	  NULL },

	/* Partition names. */
	{ "uppercase partition name",
	  CONFIG(PARTITIONS("\t\tHello { " HELLO_BODY " };\n")),
	  {},
	  "/partitions/Hello: bad partition name: only a-z, 0-9",
	  NULL },
	{ "partition name with a unit address",
	  CONFIG(PARTITIONS("\t\thello@1 { " HELLO_BODY " };\n")),
	  {},
	  "/partitions/hello@1: bad partition name",
	  NULL },
	{ "partition named like the hypervisor",
	  CONFIG(PARTITIONS("\t\tbulkhead { " HELLO_BODY " };\n")),
	  {},
	  "/partitions/bulkhead: partition name \"bulkhead\" is the "
	  "hypervisor's console label",
	  NULL },
	{ "partition name starting like the hypervisor's",
	  CONFIG(PARTITIONS("\t\tbulkhead-2 { " HELLO_BODY " };\n")),
	  {},
	  NULL,
	  NULL },
	{ "partition name too long",
	  CONFIG(PARTITIONS(
		  "\t\ta23456789012345678901234567890123 { " HELLO_BODY
		  " };\n")),
	  {},
	  "/partitions/a23456789012345678901234567890123: bad partition name: "
	  "it must be 1 to 31 characters long",
	  NULL },

	/* Partition properties and children. */
	{ "typo in a property name",
	  CONFIG(PARTITIONS("\t\thello { cpus = <1>; memory_size = <0x400000>; "
			    "kernel = \"k\"; };\n")),
	  {},
	  "/partitions/hello: property \"memory_size\": unknown property "
	  "(allowed: cpus, memory-size, memory-base, kernel, args, initrd, "
	  "cmdline, ioports, management, restart, restart-limit, "
	  "pci-devices, platform, exit-device, modules, console-log-size)",
	  NULL },
	{ "partition child node",
	  CONFIG(PARTITIONS("\t\thello { " HELLO_BODY " extra { }; };\n")),
	  {},
	  "/partitions/hello: unknown node \"extra\"",
	  NULL },
	{ "cpus missing",
	  CONFIG(PARTITIONS("\t\thello { memory-size = <0x400000>; "
			    "kernel = \"k\"; };\n")),
	  {},
	  "/partitions/hello: property \"cpus\": missing",
	  NULL },
	{ "memory-size missing",
	  CONFIG(PARTITIONS("\t\thello { cpus = <1>; kernel = \"k\"; };\n")),
	  {},
	  "/partitions/hello: property \"memory-size\": missing",
	  NULL },
	{ "kernel missing",
	  CONFIG(PARTITIONS("\t\thello { cpus = <1>; memory-size = <0x400000>; "
			    "};\n")),
	  {},
	  "/partitions/hello: property \"kernel\": missing",
	  NULL },

	/* cpus. */
	{ "CPU in two partitions",
	  CONFIG(PARTITIONS(HELLO "\t\tweb { cpus = <2 1>; memory-size = "
				  "<0x200000>; kernel = \"w\"; };\n")),
	  {},
	  "/partitions/web: property \"cpus\": CPU 1 is already given to "
	  "partition \"hello\"",
	  NULL },
	{ "CPU not present",
	  CONFIG(PARTITIONS("\t\thello { cpus = <1 7>; memory-size = "
			    "<0x200000>; kernel = \"k\"; };\n")),
	  { .cpu_count = 4 },
	  "/partitions/hello: property \"cpus\": CPU 7 is not present: the "
	  "machine has 4",
	  NULL },
	{ "CPU index out of range",
	  CONFIG(PARTITIONS("\t\thello { cpus = <64>; memory-size = "
			    "<0x200000>; kernel = \"k\"; };\n")),
	  {},
	  "/partitions/hello: property \"cpus\": CPU 64 is out of range "
	  "(CPU indices are 0-63)",
	  NULL },
	{ "CPU listed twice",
	  CONFIG(PARTITIONS("\t\thello { cpus = <2 1 2>; memory-size = "
			    "<0x200000>; kernel = \"k\"; };\n")),
	  {},
	  "/partitions/hello: property \"cpus\": CPU 2 is listed twice",
	  NULL },
	{ "cpus empty",
	  CONFIG(PARTITIONS("\t\thello { cpus; memory-size = <0x200000>; "
			    "kernel = \"k\"; };\n")),
	  {},
	  "/partitions/hello: property \"cpus\": must list at least one CPU",
	  NULL },
	{ "cpus empty cell list",
	  CONFIG(PARTITIONS("\t\thello { cpus = <>; memory-size = <0x200000>; "
			    "kernel = \"k\"; };\n")),
	  {},
	  "/partitions/hello: property \"cpus\": must list at least one CPU",
	  NULL },
	{ "cpus not cells",
	  CONFIG(PARTITIONS("\t\thello { cpus = [01 02 03]; memory-size = "
			    "<0x200000>; kernel = \"k\"; };\n")),
	  {},
	  "/partitions/hello: property \"cpus\": length 3 is not a whole "
	  "number "
	  "of 32-bit cells",
	  NULL },

	/* memory-size. */
	{ "memory-size not a multiple of 2 MiB",
	  CONFIG(PARTITIONS("\t\thello { cpus = <1>; memory-size = <0x0 "
			    "0x300000>; kernel = \"k\"; };\n")),
	  {},
	  "/partitions/hello: property \"memory-size\": 0x300000 bytes is not "
	  "a multiple of 2 MiB",
	  NULL },
	{ "memory-size below 2 MiB",
	  CONFIG(PARTITIONS("\t\thello { cpus = <1>; memory-size = <0x100000>; "
			    "kernel = \"k\"; };\n")),
	  {},
	  "property \"memory-size\": 0x100000 bytes is not",
	  NULL },
	{ "memory-size zero",
	  CONFIG(PARTITIONS("\t\thello { cpus = <1>; memory-size = <0 0>; "
			    "kernel = \"k\"; };\n")),
	  {},
	  "/partitions/hello: property \"memory-size\": must not be zero",
	  NULL },
	{ "memory-size too big",
	  CONFIG(PARTITIONS("\t\thello { cpus = <1>; memory-size = <0x4 "
			    "0x200000>; kernel = \"k\"; };\n")),
	  {},
	  "/partitions/hello: property \"memory-size\": 16386 MiB exceeds the "
	  "limit of 16384 MiB",
	  NULL },
	{ "memory-size three cells",
	  CONFIG(PARTITIONS("\t\thello { cpus = <1>; memory-size = <0 0 "
			    "0x200000>; kernel = \"k\"; };\n")),
	  {},
	  "/partitions/hello: property \"memory-size\": must be one or two "
	  "cells, got 3",
	  NULL },
	{ "memory-size not cells",
	  CONFIG(PARTITIONS("\t\thello { cpus = <1>; memory-size = \"4M\"; "
			    "kernel = \"k\"; };\n")),
	  {},
	  "/partitions/hello: property \"memory-size\": length 3 is not",
	  NULL },
	{ "memory does not fit the machine",
	  CONFIG(PARTITIONS(HELLO "\t\tweb { cpus = <2>; memory-size = "
				  "<0x600000>; kernel = \"w\"; };\n")),
	  { .memory_bytes = 0x800000 + 0x1000 },
	  "/partitions: property \"memory-size\": partitions need 10 MiB, the "
	  "machine has 8 MiB available",
	  NULL },

	/* kernel and args. */
	{ "kernel empty",
	  CONFIG(PARTITIONS("\t\thello { cpus = <1>; memory-size = <0x200000>; "
			    "kernel = \"\"; };\n")),
	  {},
	  "/partitions/hello: property \"kernel\": must be one non-empty, "
	  "NUL-terminated string",
	  NULL },
	{ "kernel not NUL-terminated",
	  CONFIG(PARTITIONS("\t\thello { cpus = <1>; memory-size = <0x200000>; "
			    "kernel = [67 75 65 73 74]; };\n")),
	  {},
	  "/partitions/hello: property \"kernel\": must be one non-empty",
	  NULL },
	{ "kernel is a string list",
	  CONFIG(PARTITIONS("\t\thello { cpus = <1>; memory-size = <0x200000>; "
			    "kernel = \"a.elf\", \"b.elf\"; };\n")),
	  {},
	  "/partitions/hello: property \"kernel\": must be one non-empty",
	  NULL },
	{ "kernel too long",
	  CONFIG(PARTITIONS("\t\thello { cpus = <1>; memory-size = <0x200000>; "
			    "kernel = \"0123456789012345678901234567890123456"
			    "789012345678901234567890123456789012345678901234"
			    "5678901234567890123456789012345678901234567\"; "
			    "};\n")),
	  {},
	  "/partitions/hello: property \"kernel\": is 128 characters long; the "
	  "limit is 127",
	  NULL },
	{ "kernel with a leading slash",
	  CONFIG(PARTITIONS("\t\thello { cpus = <1>; memory-size = <0x200000>; "
			    "kernel = \"/guests/hello.elf\"; };\n")),
	  {},
	  "/partitions/hello: property \"kernel\": must be relative",
	  NULL },
	{ "kernel climbing out",
	  CONFIG(PARTITIONS("\t\thello { cpus = <1>; memory-size = <0x200000>; "
			    "kernel = \"guests/../../efi/boot.efi\"; };\n")),
	  {},
	  "/partitions/hello: property \"kernel\": must not contain \"..\"",
	  NULL },
	{ "initrd climbing out",
	  CONFIG(PARTITIONS(HELLO_WITH("initrd = \"a/../../x\";"))),
	  {},
	  "/partitions/hello: property \"initrd\": must not contain \"..\"",
	  NULL },
	{ "cmdline too long",
	  CONFIG(PARTITIONS(HELLO_WITH("cmdline = \"" LONG_1024 "\";"))),
	  {},
	  "property \"cmdline\": is 1024 characters long; the limit is 1023",
	  NULL },
	{ "kernel is ..",
	  CONFIG(PARTITIONS("\t\thello { cpus = <1>; memory-size = <0x200000>; "
			    "kernel = \"..\"; };\n")),
	  {},
	  "property \"kernel\": must not contain \"..\"",
	  NULL },
	{ "kernel with a backslash",
	  CONFIG(PARTITIONS("\t\thello { cpus = <1>; memory-size = <0x200000>; "
			    "kernel = \"guests\\\\hello.elf\"; };\n")),
	  {},
	  "/partitions/hello: property \"kernel\": must use '/' as the "
	  "separator",
	  NULL },
	{ "kernel with a control character",
	  CONFIG(PARTITIONS("\t\thello { cpus = <1>; memory-size = <0x200000>; "
			    "kernel = \"a\\tb\"; };\n")),
	  {},
	  "/partitions/hello: property \"kernel\": must be printable ASCII",
	  NULL },
	{ "args empty",
	  CONFIG(PARTITIONS(HELLO_WITH("args = \"\";"))),
	  {},
	  "/partitions/hello: property \"args\": must be one non-empty",
	  NULL },
	{ "args not a string",
	  CONFIG(PARTITIONS(HELLO_WITH("args = <1>;"))),
	  {},
	  "/partitions/hello: property \"args\": must be one non-empty",
	  NULL },
	{ "args too long",
	  CONFIG(PARTITIONS(HELLO_WITH(
		  "args = \"0123456789012345678901234567890123456789012345678"
		  "9012345678901234567890123456789012345678901234567890123456"
		  "789012345678901234567890\";"))),
	  {},
	  "/partitions/hello: property \"args\": is 131 characters long; the "
	  "limit is 127",
	  NULL },

	/* console-log-size. */
	{ "console-log-size too small",
	  CONFIG(PARTITIONS(HELLO_WITH("console-log-size = <255>;"))),
	  {},
	  "/partitions/hello: property \"console-log-size\": 255 bytes is out "
	  "of range (256-1048576)",
	  NULL },
	{ "console-log-size too large",
	  CONFIG(PARTITIONS(HELLO_WITH("console-log-size = <0x100001>;"))),
	  {},
	  "property \"console-log-size\": 1048577 bytes is out of range",
	  NULL },
	{ "console-log-size two cells",
	  CONFIG(PARTITIONS(HELLO_WITH("console-log-size = <0 0x1000>;"))),
	  {},
	  "/partitions/hello: property \"console-log-size\": ",
	  NULL },

	/* exit-device. */
	{ "exit-device zero",
	  CONFIG(PARTITIONS(HELLO_WITH("exit-device = <0>;"))),
	  {},
	  "/partitions/hello: property \"exit-device\": port 0x0 is not a "
	  "valid I/O port (0x1-0xffff)",
	  NULL },
	{ "exit-device past 0xffff",
	  CONFIG(PARTITIONS(HELLO_WITH("exit-device = <0x10000>;"))),
	  {},
	  "property \"exit-device\": port 0x10000 is not a valid I/O port",
	  NULL },
	{ "exit-device two cells",
	  CONFIG(PARTITIONS(HELLO_WITH("exit-device = <0x501 0x502>;"))),
	  {},
	  "/partitions/hello: property \"exit-device\": ",
	  NULL },
	{ "exit-device on a granted port",
	  CONFIG(PARTITIONS(HELLO_WITH(
		  "ioports = <0x500 8>; exit-device = <0x501>;"))),
	  {},
	  "/partitions/hello: property \"exit-device\": port 0x501 is passed "
	  "through by this partition's ioports (0x500-0x507)",
	  NULL },
	{ "exit-device on the isa-debug-exit port",
	  CONFIG("\tend-of-run { isa-debug-exit = <0xf4>; };\n" PARTITIONS(
		  HELLO_WITH("exit-device = <0xf4>;"))),
	  {},
	  "/partitions/hello: property \"exit-device\": port 0xf4 is the "
	  "isa-debug-exit port (0xf4)",
	  NULL },
	{ "exit-device on the console UART",
	  CONFIG("\tconsole { uart = <0x2f8>; };\n" PARTITIONS(
		  HELLO_WITH("exit-device = <0x2fd>;"))),
	  {},
	  "port 0x2fd is the console UART (0x2f8-0x2ff)",
	  NULL },
	{ "exit-device on the virtual UART",
	  CONFIG("\tconsole { uart = <0x2f8>; };\n" PARTITIONS(
		  HELLO_WITH("exit-device = <0x3f8>;"))),
	  {},
	  "port 0x3f8 is the partition's virtual UART (0x3f8-0x3ff)",
	  NULL },
	{ "exit-device on the PIT",
	  CONFIG(PARTITIONS(HELLO_WITH("exit-device = <0x43>;"))),
	  {},
	  "port 0x43 is the virtual PC's PIT (0x40-0x43)",
	  NULL },
	{ "exit-device on the ACPI PM1a control block",
	  CONFIG(PARTITIONS(HELLO_WITH("exit-device = <0x604>;"))),
	  {},
	  "port 0x604 is the virtual PC's ACPI PM1a event and control blocks",
	  NULL },
	{ "exit-device on the reset register",
	  CONFIG(PARTITIONS(HELLO_WITH("exit-device = <0xcf9>;"))),
	  {},
	  "port 0xcf9 is the virtual PC's PCI configuration ports and reset "
	  "register (0xcf8-0xcff)",
	  NULL },

	/* ioports. */
	{ "ioports overlap in one partition",
	  CONFIG(PARTITIONS(HELLO_WITH("ioports = <0x60 8 0x64 1>;"))),
	  {},
	  "/partitions/hello: property \"ioports\": range 0x64 overlaps "
	  "0x60-0x67, a range listed earlier in this partition",
	  NULL },
	{ "ioports overlap across partitions",
	  CONFIG(PARTITIONS(HELLO_WITH(
		  "ioports = <0x2f8 8>;") "\t\tweb { cpus = <2>; memory-size = "
					  "<0x200000>; "
					  "kernel = \"w\"; ioports = <0x2f0 "
					  "9>; };\n")),
	  {},
	  "/partitions/web: property \"ioports\": range 0x2f0-0x2f8 overlaps "
	  "0x2f8-0x2ff, a range of partition \"hello\"",
	  NULL },
	{ "ioports on the console UART",
	  CONFIG("\tconsole { uart = <0x2f8>; };\n" PARTITIONS(
		  HELLO_WITH("ioports = <0x2fc 2>;"))),
	  {},
	  "/partitions/hello: property \"ioports\": range 0x2fc-0x2fd overlaps "
	  "0x2f8-0x2ff, the console UART",
	  NULL },
	{ "ioports on the console UART listed after partitions",
	  CONFIG(PARTITIONS(HELLO_WITH(
		  "ioports = <0x2e8 8>;")) "\tconsole { uart = <0x2e8>; };\n"),
	  {},
	  "range 0x2e8-0x2ef overlaps 0x2e8-0x2ef, the console UART",
	  NULL },
	{ "ioports on the exit port",
	  CONFIG("\tend-of-run { isa-debug-exit = <0xf4>; };\n" PARTITIONS(
		  HELLO_WITH("ioports = <0xf0 8>;"))),
	  {},
	  "/partitions/hello: property \"ioports\": range 0xf0-0xf7 overlaps "
	  "0xf4, the isa-debug-exit port",
	  NULL },
	{ "ioports on the virtual UART",
	  CONFIG("\tconsole { uart = <0x2f8>; };\n" PARTITIONS(
		  HELLO_WITH("ioports = <0x3ff 1>;"))),
	  {},
	  "/partitions/hello: property \"ioports\": range 0x3ff overlaps "
	  "0x3f8-0x3ff, the partition's virtual UART",
	  NULL },
	{ "ioports count zero",
	  CONFIG(PARTITIONS(HELLO_WITH("ioports = <0x60 0>;"))),
	  {},
	  "/partitions/hello: property \"ioports\": range (base 0x60, count 0) "
	  "must have a non-zero count",
	  NULL },
	{ "ioports past 0xffff",
	  CONFIG(PARTITIONS(HELLO_WITH("ioports = <0xfff0 0x11>;"))),
	  {},
	  "/partitions/hello: property \"ioports\": range (base 0xfff0, count "
	  "17) must",
	  NULL },
	{ "ioports whole space",
	  CONFIG(PARTITIONS(HELLO_WITH("ioports = <0 0x10000>;"))),
	  {},
	  "property \"ioports\": range (base 0x0, count 65536) must",
	  NULL },
	{ "ioports base wraps",
	  CONFIG(PARTITIONS(HELLO_WITH("ioports = <0xffffffff 2>;"))),
	  {},
	  "property \"ioports\": range (base 0xffffffff, count 2)",
	  NULL },
	{ "ioports odd cells",
	  CONFIG(PARTITIONS(HELLO_WITH("ioports = <0x60 1 0x64>;"))),
	  {},
	  "/partitions/hello: property \"ioports\": must be (base count) "
	  "pairs, "
	  "got 3 cells",
	  NULL },
	{ "ioports empty",
	  CONFIG(PARTITIONS(HELLO_WITH("ioports;"))),
	  {},
	  "/partitions/hello: property \"ioports\": must be (base count) "
	  "pairs, "
	  "got 0 cells",
	  NULL },
	{ "ioports not cells",
	  CONFIG(PARTITIONS(HELLO_WITH("ioports = [00 60 00 01 02];"))),
	  {},
	  "/partitions/hello: property \"ioports\": length 5 is not",
	  NULL },
	{ "too many ioports ranges",
	  CONFIG(PARTITIONS(
		  HELLO_WITH("ioports = <0x60 1 0x61 1 0x62 1 0x63 1 "
			     "0x64 1 0x65 1 0x66 1 0x67 1 0x68 1>;"))),
	  {},
	  "/partitions/hello: property \"ioports\": 9 ranges exceed the "
	  "limit of 8",
	  NULL },
};

static void run_tests(void)
{
	run_config_cases(cases, sizeof(cases) / sizeof(cases[0]));
}
