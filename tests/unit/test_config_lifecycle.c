/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the configuration parser, part two: the management,
 * restart and platform properties of partitions and the channels node,
 * each bad case with the message it must give.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "config_support.h"

CHECK_MAIN("test_config_lifecycle")

static void check_platform_pc(const struct config *config)
{
	CHECK_EQ(config->partitions[0].platform, CONFIG_PLATFORM_PC);
}

static void check_platform_none(const struct config *config)
{
	CHECK_EQ(config->partitions[0].platform, CONFIG_PLATFORM_NONE);
}

/* Absent, the platform is left for the image check to resolve. */
static void check_platform_default(const struct config *config)
{
	CHECK_EQ(config->partitions[0].platform, CONFIG_PLATFORM_DEFAULT);
	CHECK_EQ(config->partitions[1].platform, CONFIG_PLATFORM_PC);
}

static const struct config_case cases[] = {
	/* platform. */
	{ "platform pc",
	  CONFIG(PARTITIONS(HELLO_WITH("platform = \"pc\";"))),
	  {},
	  NULL,
	  check_platform_pc },
	{ "platform none",
	  CONFIG(PARTITIONS(HELLO_WITH("platform = \"none\";"))),
	  {},
	  NULL,
	  check_platform_none },
	{ "platform absent, then pc",
	  CONFIG(PARTITIONS(HELLO "\t\tweb { cpus = <2>; memory-size = "
				"<0x200000>; kernel = \"w\"; platform = "
				"\"pc\"; };\n")),
	  {},
	  NULL,
	  check_platform_default },
	{ "platform unknown",
	  CONFIG(PARTITIONS(HELLO_WITH("platform = \"pc2\";"))),
	  {},
	  "/partitions/hello: property \"platform\": must be \"none\" or "
	  "\"pc\", not \"pc2\"",
	  NULL },
	{ "platform in capitals",
	  CONFIG(PARTITIONS(HELLO_WITH("platform = \"PC\";"))),
	  {},
	  "/partitions/hello: property \"platform\": must be \"none\" or "
	  "\"pc\", not \"PC\"",
	  NULL },
	{ "platform a prefix of pc",
	  CONFIG(PARTITIONS(HELLO_WITH("platform = \"p\";"))),
	  {},
	  "/partitions/hello: property \"platform\": must be \"none\" or "
	  "\"pc\", not \"p\"",
	  NULL },
	{ "platform not a string",
	  CONFIG(PARTITIONS(HELLO_WITH("platform = <1>;"))),
	  {},
	  "/partitions/hello: property \"platform\": must be \"none\" or "
	  "\"pc\"",
	  NULL },
	{ "platform two strings",
	  CONFIG(PARTITIONS(HELLO_WITH("platform = \"pc\", \"none\";"))),
	  {},
	  "/partitions/hello: property \"platform\": must be \"none\" or "
	  "\"pc\"",
	  NULL },
	{ "platform empty",
	  CONFIG(PARTITIONS(HELLO_WITH("platform;"))),
	  {},
	  "/partitions/hello: property \"platform\": must be \"none\" or "
	  "\"pc\"",
	  NULL },

	/* management and restart. */
	{ "management with a value",
	  CONFIG(PARTITIONS(HELLO_WITH("management = <1>;"))),
	  {},
	  "/partitions/hello: property \"management\": must be empty (write "
	  "\"management;\")",
	  NULL },
	{ "management as a string",
	  CONFIG(PARTITIONS(HELLO_WITH("management = \"yes\";"))),
	  {},
	  "/partitions/hello: property \"management\": must be empty",
	  NULL },
	{ "restart typo",
	  CONFIG(PARTITIONS(HELLO_WITH("restart = \"on_fault\";"))),
	  {},
	  "/partitions/hello: property \"restart\": must be \"never\" or "
	  "\"on-fault\", not \"on_fault\"",
	  NULL },
	{ "restart not a string",
	  CONFIG(PARTITIONS(HELLO_WITH("restart = <1>;"))),
	  {},
	  "/partitions/hello: property \"restart\": must be \"never\" or "
	  "\"on-fault\"",
	  NULL },
	{ "restart empty",
	  CONFIG(PARTITIONS(HELLO_WITH("restart;"))),
	  {},
	  "/partitions/hello: property \"restart\": must be \"never\" or",
	  NULL },
	{ "restart-limit without restart",
	  CONFIG(PARTITIONS(HELLO_WITH("restart-limit = <5>;"))),
	  {},
	  "/partitions/hello: property \"restart-limit\": restart-limit needs "
	  "restart = \"on-fault\"",
	  NULL },
	{ "restart-limit with restart never",
	  CONFIG(PARTITIONS(HELLO_WITH(
		  "restart-limit = <5>; restart = \"never\";"))),
	  {},
	  "/partitions/hello: property \"restart-limit\": restart-limit needs "
	  "restart = \"on-fault\"",
	  NULL },
	{ "restart-limit zero",
	  CONFIG(PARTITIONS(HELLO_WITH(
		  "restart = \"on-fault\"; restart-limit = <0>;"))),
	  {},
	  "/partitions/hello: property \"restart-limit\": 0 is out of range "
	  "(1-1000)",
	  NULL },
	{ "restart-limit too big",
	  CONFIG(PARTITIONS(HELLO_WITH(
		  "restart = \"on-fault\"; restart-limit = <1001>;"))),
	  {},
	  "/partitions/hello: property \"restart-limit\": 1001 is out of "
	  "range (1-1000)",
	  NULL },
	{ "restart-limit two cells",
	  CONFIG(PARTITIONS(HELLO_WITH(
		  "restart = \"on-fault\"; restart-limit = <0 5>;"))),
	  {},
	  "/partitions/hello: property \"restart-limit\": must be exactly one "
	  "cell, got 2",
	  NULL },

	/* Channels. */
	{ "channels property",
	  CONFIG(PARTITIONS(PING_PONG) "\tchannels { count = <1>; };\n"),
	  {},
	  "/channels: property \"count\": unknown property (allowed: none)",
	  NULL },
	{ "bad channel name",
	  PING_PONG_WITH("\t\tC0 { peers = <&ping &pong>; size = <0x1000>; "
			 "};\n"),
	  {},
	  "/channels/C0: bad channel name: only a-z, 0-9",
	  NULL },
	{ "channel unknown property",
	  PING_PONG_WITH("\t\tc0 { peers = <&ping &pong>; size = <0x1000>; "
			 "irq = <5>; };\n"),
	  {},
	  "/channels/c0: property \"irq\": unknown property (allowed: peers, "
	  "size, vector)",
	  NULL },
	{ "channel child node",
	  PING_PONG_WITH("\t\tc0 { peers = <&ping &pong>; size = <0x1000>; "
			 "ring { }; };\n"),
	  {},
	  "/channels/c0: unknown node \"ring\"",
	  NULL },
	{ "peers missing",
	  PING_PONG_WITH("\t\tc0 { size = <0x1000>; };\n"),
	  {},
	  "/channels/c0: property \"peers\": missing",
	  NULL },
	{ "peers one phandle",
	  PING_PONG_WITH("\t\tc0 { peers = <&ping>; size = <0x1000>; };\n"),
	  {},
	  "/channels/c0: property \"peers\": must be two partition phandles "
	  "(<&a &b>), got 1 cell",
	  NULL },
	{ "peers three phandles",
	  PING_PONG_WITH("\t\tc0 { peers = <&ping &pong &ping>; "
			 "size = <0x1000>; };\n"),
	  {},
	  "/channels/c0: property \"peers\": must be two partition phandles "
	  "(<&a &b>), got 3 cells",
	  NULL },
	{ "peers empty",
	  PING_PONG_WITH("\t\tc0 { peers; size = <0x1000>; };\n"),
	  {},
	  "/channels/c0: property \"peers\": must be two partition phandles "
	  "(<&a &b>), got 0 cells",
	  NULL },
	{ "peers not cells",
	  PING_PONG_WITH("\t\tc0 { peers = \"ping\", \"pong\"; "
			 "size = <0x1000>; };\n"),
	  {},
	  "/channels/c0: property \"peers\": length 10 is not a whole",
	  NULL },
	{ "peer is the console",
	  CONFIG("\tcon: console { };\n" PARTITIONS(PING_PONG) CHANNELS(
		  "\t\tc0 { peers = <&ping &con>; size = <0x1000>; };\n")),
	  {},
	  "is not a partition (it is /console)",
	  NULL },
	{ "peer is a channel",
	  PING_PONG_WITH("\t\tc0 { peers = <&ping &c1>; size = <0x1000>; };\n"
			 "\t\tc1: c1 { peers = <&ping &pong>; "
			 "size = <0x1000>; };\n"),
	  {},
	  "/channels/c0: property \"peers\": phandle 0x",
	  NULL },
	{ "peer is a channel: the node",
	  PING_PONG_WITH("\t\tc0 { peers = <&ping &c1>; size = <0x1000>; };\n"
			 "\t\tc1: c1 { peers = <&ping &pong>; "
			 "size = <0x1000>; };\n"),
	  {},
	  " is not a partition (it is /channels/c1)",
	  NULL },
	{ "peer is the partitions node",
	  CONFIG("\tparts: partitions {\n" PING_PONG "\t};\n" CHANNELS(
		  "\t\tc0 { peers = <&parts &pong>; size = <0x1000>; };\n")),
	  {},
	  " is not a partition (it is /partitions)",
	  NULL },
	{ "peer phandle of no node",
	  PING_PONG_WITH("\t\tc0 { peers = <&ping 7>; size = <0x1000>; };\n"),
	  {},
	  "/channels/c0: property \"peers\": phandle 0x7 is not a partition "
	  "(no node has it)",
	  NULL },
	{ "peer phandle zero",
	  PING_PONG_WITH("\t\tc0 { peers = <0 &ping>; size = <0x1000>; };\n"),
	  {},
	  "/channels/c0: property \"peers\": phandle 0x0 is not a partition",
	  NULL },
	{ "peer phandle all ones",
	  PING_PONG_WITH("\t\tc0 { peers = <&ping 0xffffffff>; "
			 "size = <0x1000>; };\n"),
	  {},
	  "/channels/c0: property \"peers\": phandle 0xffffffff is not a "
	  "partition",
	  NULL },
	{ "both peers the same partition",
	  PING_PONG_WITH("\t\tc0 { peers = <&pong &pong>; size = <0x1000>; "
			 "};\n"),
	  {},
	  "/channels/c0: property \"peers\": both peers are partition "
	  "\"pong\"",
	  NULL },
	{ "channel size missing",
	  PING_PONG_WITH("\t\tc0 { peers = <&ping &pong>; };\n"),
	  {},
	  "/channels/c0: property \"size\": missing",
	  NULL },
	{ "channel size zero",
	  PING_PONG_WITH("\t\tc0 { peers = <&ping &pong>; size = <0>; };\n"),
	  {},
	  "/channels/c0: property \"size\": must not be zero",
	  NULL },
	{ "channel size not whole pages",
	  PING_PONG_WITH("\t\tc0 { peers = <&ping &pong>; size = <0x1800>; "
			 "};\n"),
	  {},
	  "/channels/c0: property \"size\": 0x1800 bytes is not a multiple "
	  "of 4 KiB (0x1000)",
	  NULL },
	{ "channel size too big",
	  PING_PONG_WITH("\t\tc0 { peers = <&ping &pong>; "
			 "size = <0x0 0x201000>; };\n"),
	  {},
	  "/channels/c0: property \"size\": 0x201000 bytes is outside "
	  "0x1000-0x200000 (4 KiB to 2 MiB)",
	  NULL },
	{ "channel size too big in the high cell",
	  PING_PONG_WITH("\t\tc0 { peers = <&ping &pong>; "
			 "size = <0x1 0x0>; };\n"),
	  {},
	  "/channels/c0: property \"size\": 0x100000000 bytes is outside",
	  NULL },
	{ "channel size three cells",
	  PING_PONG_WITH("\t\tc0 { peers = <&ping &pong>; "
			 "size = <0 0 0x1000>; };\n"),
	  {},
	  "/channels/c0: property \"size\": must be one or two cells, got 3",
	  NULL },
	{ "channel vector 31",
	  PING_PONG_WITH("\t\tc0 { peers = <&ping &pong>; size = <0x1000>; "
			 "vector = <31>; };\n"),
	  {},
	  "/channels/c0: property \"vector\": 31 is out of range (32-255)",
	  NULL },
	{ "channel vector 256",
	  PING_PONG_WITH("\t\tc0 { peers = <&ping &pong>; size = <0x1000>; "
			 "vector = <256>; };\n"),
	  {},
	  "/channels/c0: property \"vector\": 256 is out of range (32-255)",
	  NULL },
	{ "channel vector two cells",
	  PING_PONG_WITH("\t\tc0 { peers = <&ping &pong>; size = <0x1000>; "
			 "vector = <0 64>; };\n"),
	  {},
	  "/channels/c0: property \"vector\": must be exactly one cell",
	  NULL },
	{ "channel memory does not fit the machine",
	  PING_PONG_WITH("\t\tc0 { peers = <&ping &pong>; size = <0x1000>; "
			 "};\n"),
	  { .memory_bytes = 0x400000 },
	  "/partitions: property \"memory-size\": partitions and channels "
	  "need 4100 KiB, the machine has 4096 KiB available",
	  NULL },
	{ "channel memory in whole MiB does not fit",
	  PING_PONG_WITH("\t\tc0 { peers = <&ping &pong>; size = <0x100000>; "
			 "};\n\t\tc1 { peers = <&ping &pong>; "
			 "size = <0x100000>; };\n"),
	  { .memory_bytes = 0x500000 },
	  "/partitions: property \"memory-size\": partitions and channels "
	  "need 6 MiB, the machine has 5 MiB available",
	  NULL },
};

static void run_tests(void)
{
	run_config_cases(cases, sizeof(cases) / sizeof(cases[0]));
}
