/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the configuration parser (core/config*.c): a table of
 * device-tree sources, each compiled with dtc at test time and expected to
 * parse (with its fields checked) or to fail with a given message. Blobs
 * dtc cannot produce (duplicate nodes, truncated or corrupted blobs) are
 * built with libfdt's sequential writer or by editing bytes. Every blob is
 * parsed from a heap buffer of exactly its size, so ASan reports any read
 * outside it.
 */
#include <bulkhead/config.h>

#include <libfdt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

CHECK_MAIN("test_config")

#define CONFIG(body)                                                           \
	"/dts-v1/;\n/ {\n\tcompatible = \"bulkhead,config-1\";\n" body "\n};"  \
	"\n"
#define PARTITIONS(body) "\tpartitions {\n" body "\t};\n"
#define HELLO_BODY                                                             \
	"cpus = <1>; memory-size = <0x0 0x400000>; "                           \
	"kernel = \"guests/hello.elf\";"
#define HELLO "\t\thello { " HELLO_BODY " };\n"
/* A partition with the given extra properties. */
#define HELLO_WITH(extra) "\t\thello { " HELLO_BODY " " extra " };\n"

/* Two labelled partitions for channels to join. */
#define PING_PONG                                                              \
	"\t\tping: ping { cpus = <1>; memory-size = <0x200000>; "              \
	"kernel = \"ping.elf\"; };\n"                                          \
	"\t\tpong: pong { cpus = <2>; memory-size = <0x200000>; "              \
	"kernel = \"pong.elf\"; };\n"
#define CHANNELS(body) "\tchannels {\n" body "\t};\n"
/* ping and pong with the given channels. */
#define PING_PONG_WITH(channels)                                               \
	CONFIG(PARTITIONS(PING_PONG) CHANNELS(channels))

struct blob {
	uint8_t *data;
	size_t size;
};

/* Compiles source with dtc into a heap buffer of exactly the blob's size. */
static struct blob compile_dts(const char *source)
{
	char dts_path[] = "/tmp/test_config_dts_XXXXXX";
	char dtb_path[] = "/tmp/test_config_dtb_XXXXXX";
	char command[256];
	struct blob blob = { NULL, 0 };
	int dts_fd = mkstemp(dts_path);
	int dtb_fd = mkstemp(dtb_path);
	FILE *file;
	long size;

	if (dts_fd < 0 || dtb_fd < 0) {
		perror("mkstemp");
		exit(2);
	}
	close(dtb_fd);
	if (write(dts_fd, source, strlen(source)) != (ssize_t)strlen(source)) {
		perror("write");
		exit(2);
	}
	close(dts_fd);
	snprintf(command, sizeof(command), "dtc -q -I dts -O dtb -o %s %s",
		 dtb_path, dts_path);
	if (system(command) != 0) {
		fprintf(stderr, "dtc failed on:\n%s\n", source);
		goto out;
	}
	file = fopen(dtb_path, "rb");
	if (!file || fseek(file, 0, SEEK_END) || (size = ftell(file)) <= 0) {
		perror(dtb_path);
		exit(2);
	}
	rewind(file);
	blob.data = malloc(size);
	if (!blob.data || fread(blob.data, 1, size, file) != (size_t)size) {
		perror(dtb_path);
		exit(2);
	}
	blob.size = size;
	fclose(file);
out:
	unlink(dts_path);
	unlink(dtb_path);
	return blob;
}

/* Parses a copy of data[0..size) held in a buffer of exactly that size. */
static bool parse_exact(const void *data, size_t size,
			const struct config_machine *machine,
			struct config *config, char error[CONFIG_ERROR_MAX])
{
	void *copy = malloc(size ? size : 1);
	bool ok;

	memcpy(copy, data, size);
	ok = config_parse(copy, size, machine, config, error);
	free(copy);
	return ok;
}

/* A failure must leave one non-empty line; success an empty one. */
static void check_error_shape(bool ok, const char *error)
{
	size_t length = strnlen(error, CONFIG_ERROR_MAX);

	CHECK(length < CONFIG_ERROR_MAX);
	CHECK(!strchr(error, '\n'));
	CHECK(ok ? length == 0 : length > 0);
}

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
	CHECK_EQ(config->channel_count, 0);
}

static const char several_partitions[] = CONFIG(
	"\tconsole { uart = <0x2f8>; };\n"
	"\tend-of-run { isa-debug-exit = <0xf4>; };\n" PARTITIONS(
		"\t\tweb { cpus = <3 1>; memory-size = <0x1 0x0>;\n"
		"\t\t\tkernel = \"guests/web.elf\"; args = \"peer 2\";\n"
		"\t\t\tioports = <0x3e8 8 0x60 1 0x64 1>; };\n"
		"\t\tdb { cpus = <0>; memory-size = <0x200000>;\n"
		"\t\t\tkernel = \"db.elf\"; ioports = <0x61 3>; };\n"
		"\t\tlog_2 { cpus = <63 2>; memory-size = <0x0 0x600000>;\n"
		"\t\t\tkernel = \"a/b/log-2.elf\"; };\n"));

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

/* The channels node comes first in the source: it is parsed last anyway. */
static const char lifecycle_and_channels[] = CONFIG(CHANNELS(
	"\t\tc0 { peers = <&pong &ping>; size = <0x1000>; };\n"
	"\t\tbig { peers = <&ping &idle>; size = <0x0 0x200000>;\n"
	"\t\t\tvector = <0xff>; };\n"
	"\t\tc-2_again { peers = <&ping &pong>; size = <0x2000>;\n"
	"\t\t\tvector = <32>; };\n") PARTITIONS(
	"\t\tping: ping { cpus = <1>; memory-size = <0x200000>;\n"
	"\t\t\tkernel = \"ping.elf\"; management; restart = \"on-fault\"; };\n"
	"\t\tpong: pong { cpus = <2>; memory-size = <0x200000>;\n"
	"\t\t\tkernel = \"pong.elf\"; restart = \"on-fault\";\n"
	"\t\t\trestart-limit = <1000>; };\n"
	"\t\tidle: idle { cpus = <3>; memory-size = <0x200000>;\n"
	"\t\t\tkernel = \"idle.elf\"; restart = \"never\"; };\n"));

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

static void check_no_channels(const struct config *config)
{
	CHECK_EQ(config->partition_count, 2);
	CHECK_EQ(config->channel_count, 0);
}

struct config_case {
	const char *name;
	const char *source;
	struct config_machine machine;
	const char *error; /* NULL: the config is valid */
	void (*check)(const struct config *config);
};

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
	  "(allowed: cpus, memory-size, kernel, args, ioports, management, "
	  "restart, restart-limit)",
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

static void run_case(const struct config_case *test)
{
	struct blob blob = compile_dts(test->source);
	struct config config;
	char error[CONFIG_ERROR_MAX];
	bool ok;

	CHECK(blob.data != NULL);
	if (!blob.data) {
		fprintf(stderr, "case \"%s\": dtc failed\n", test->name);
		return;
	}
	ok = config_parse(blob.data, blob.size, &test->machine, &config, error);
	check_error_shape(ok, error);
	if (test->error) {
		CHECK(!ok);
		CHECK_STR_CONTAINS(error, test->error);
		CHECK_EQ(config.partition_count, 0);
		CHECK_EQ(config.channel_count, 0);
	} else {
		CHECK(ok);
		if (!ok)
			fprintf(stderr, "case \"%s\": %s\n", test->name, error);
		else if (test->check)
			test->check(&config);
	}
	free(blob.data);
}

/* A config with count partitions p0, p1... on CPUs 0, 1... */
static struct blob compile_partitions(int count)
{
	static char source[8192];
	size_t used;

	used = snprintf(source, sizeof(source),
			"/dts-v1/;\n/ { compatible = \"bulkhead,config-1\";\n"
			"\tpartitions {\n");
	for (int i = 0; i < count; i++)
		used += snprintf(source + used, sizeof(source) - used,
				 "\t\tp%d { cpus = <%d>; memory-size = "
				 "<0x200000>; kernel = \"p.elf\"; };\n",
				 i, i);
	snprintf(source + used, sizeof(source) - used, "\t};\n};\n");
	return compile_dts(source);
}

static void test_partition_limit(void)
{
	struct blob most = compile_partitions(CONFIG_MAX_PARTITIONS);
	struct blob too_many = compile_partitions(CONFIG_MAX_PARTITIONS + 1);
	struct config config;
	char error[CONFIG_ERROR_MAX];

	CHECK(config_parse(most.data, most.size, NULL, &config, error));
	CHECK_EQ(config.partition_count, CONFIG_MAX_PARTITIONS);
	CHECK(!strcmp(config.partitions[15].name, "p15"));
	CHECK_EQ(config.partitions[15].cpu_mask, 1ull << 15);
	CHECK(!config_parse(too_many.data, too_many.size, NULL, &config,
			    error));
	CHECK_STR_CONTAINS(
		error, "/partitions/p16: too many partitions: the limit is 16");
	free(most.data);
	free(too_many.data);
}

/*
 * A config with partitions p0..p<partitions - 1> (labelled) and channels
 * c0..c<channels - 1>. With hub set every channel joins p0 to the next of
 * the others in turn; otherwise channel i joins p<i % n> and p<(i+1) % n>.
 */
static struct blob compile_channels(int partitions, int channels, bool hub)
{
	static char source[8192];
	size_t used;

	used = snprintf(source, sizeof(source),
			"/dts-v1/;\n/ { compatible = \"bulkhead,config-1\";\n"
			"\tpartitions {\n");
	for (int i = 0; i < partitions; i++)
		used += snprintf(source + used, sizeof(source) - used,
				 "\t\tp%d: p%d { cpus = <%d>; memory-size = "
				 "<0x200000>; kernel = \"p.elf\"; };\n",
				 i, i, i);
	used += snprintf(source + used, sizeof(source) - used,
			 "\t};\n\tchannels {\n");
	for (int i = 0; i < channels; i++) {
		int a = hub ? 0 : i % partitions;
		int b = hub ? 1 + i % (partitions - 1) : (i + 1) % partitions;

		used += snprintf(source + used, sizeof(source) - used,
				 "\t\tc%d { peers = <&p%d &p%d>; "
				 "size = <0x1000>; };\n",
				 i, a, b);
	}
	snprintf(source + used, sizeof(source) - used, "\t};\n};\n");
	return compile_dts(source);
}

static void test_channel_limits(void)
{
	struct blob most = compile_channels(10, CONFIG_MAX_CHANNELS, false);
	struct blob too_many =
		compile_channels(10, CONFIG_MAX_CHANNELS + 1, false);
	struct blob busiest =
		compile_channels(10, CONFIG_MAX_PARTITION_CHANNELS, true);
	struct blob too_busy =
		compile_channels(10, CONFIG_MAX_PARTITION_CHANNELS + 1, true);
	struct config config;
	char error[CONFIG_ERROR_MAX];

	CHECK(parse_exact(most.data, most.size, NULL, &config, error));
	CHECK_EQ(config.channel_count, CONFIG_MAX_CHANNELS);
	CHECK(!strcmp(config.channels[15].name, "c15"));
	CHECK_EQ(config.channels[15].peers[0], 5);
	CHECK_EQ(config.channels[15].peers[1], 6);
	CHECK(!parse_exact(too_many.data, too_many.size, NULL, &config,
			   error));
	CHECK_STR_CONTAINS(error,
			   "/channels/c16: too many channels: the limit is 16");
	CHECK_EQ(config.channel_count, 0);
	CHECK(parse_exact(busiest.data, busiest.size, NULL, &config, error));
	CHECK_EQ(config.channel_count, CONFIG_MAX_PARTITION_CHANNELS);
	CHECK_EQ(config.channels[7].peers[0], 0);
	CHECK_EQ(config.channels[7].peers[1], 8);
	CHECK(!parse_exact(too_busy.data, too_busy.size, NULL, &config,
			   error));
	CHECK_STR_CONTAINS(error, "/channels/c8: property \"peers\": "
				  "partition \"p0\" would be in 9 channels: "
				  "the limit is 8");
	free(most.data);
	free(too_many.data);
	free(busiest.data);
	free(too_busy.data);
}

/* Writes a partition node with libfdt's sequential writer. */
static void write_partition(void *fdt, const char *name, uint32_t cpu)
{
	fdt_begin_node(fdt, name);
	fdt_property_u32(fdt, "cpus", cpu);
	fdt_property_u32(fdt, "memory-size", 0x200000);
	fdt_property_string(fdt, "kernel", "k.elf");
}

enum handmade {
	DUPLICATE_PARTITION,
	DUPLICATE_PROPERTY,
	DUPLICATE_NODE,
	DUPLICATE_CHANNEL,
	HANDMADE_COUNT
};

/* A channel between the partitions with phandles 1 and 2. */
static void write_channel(void *fdt, const char *name)
{
	fdt_begin_node(fdt, name);
	fdt_property_u64(fdt, "peers", 1ull << 32 | 2);
	fdt_property_u32(fdt, "size", 0x1000);
	fdt_end_node(fdt);
}

/* Blobs dtc refuses to produce: it merges same-named nodes and properties. */
static struct blob build_handmade(enum handmade kind)
{
	struct blob blob = { malloc(4096), 0 };
	void *fdt = blob.data;

	fdt_create(fdt, 4096);
	fdt_finish_reservemap(fdt);
	fdt_begin_node(fdt, "");
	fdt_property_string(fdt, "compatible", "bulkhead,config-1");
	if (kind == DUPLICATE_NODE) {
		fdt_begin_node(fdt, "console");
		fdt_end_node(fdt);
		fdt_begin_node(fdt, "console");
		fdt_end_node(fdt);
	}
	fdt_begin_node(fdt, "partitions");
	write_partition(fdt, "hello", 1);
	fdt_property_u32(fdt, "phandle", 1);
	if (kind == DUPLICATE_PROPERTY)
		fdt_property_u32(fdt, "cpus", 2);
	fdt_end_node(fdt);
	if (kind == DUPLICATE_PARTITION) {
		write_partition(fdt, "hello", 2);
		fdt_end_node(fdt);
	}
	if (kind == DUPLICATE_CHANNEL) {
		write_partition(fdt, "web", 2);
		fdt_property_u32(fdt, "phandle", 2);
		fdt_end_node(fdt);
	}
	fdt_end_node(fdt);
	if (kind == DUPLICATE_CHANNEL) {
		fdt_begin_node(fdt, "channels");
		write_channel(fdt, "c0");
		write_channel(fdt, "c1");
		write_channel(fdt, "c0");
		fdt_end_node(fdt);
	}
	fdt_end_node(fdt);
	CHECK_EQ(fdt_finish(fdt), 0);
	blob.size = fdt_totalsize(fdt);
	return blob;
}

static void test_handmade_blobs(void)
{
	static const char *const errors[] = {
		[DUPLICATE_PARTITION] = "/partitions/hello: partition name "
					"\"hello\" is used twice",
		[DUPLICATE_PROPERTY] = "/partitions/hello: property \"cpus\": "
				       "given more than once",
		[DUPLICATE_NODE] = "/: node \"console\" given twice",
		[DUPLICATE_CHANNEL] = "/channels/c0: channel name \"c0\" is "
				      "used twice",
	};
	struct config config;
	char error[CONFIG_ERROR_MAX];

	for (int kind = 0; kind < HANDMADE_COUNT; kind++) {
		struct blob blob = build_handmade(kind);

		CHECK(!parse_exact(blob.data, blob.size, NULL, &config, error));
		CHECK_STR_CONTAINS(error, errors[kind]);
		free(blob.data);
	}
}

static void test_error_truncation(void)
{
	static char source[1024];
	struct blob blob;
	struct config config;
	char error[CONFIG_ERROR_MAX];
	char name[401];

	memset(name, 'a', 400);
	name[400] = '\0';
	snprintf(source, sizeof(source),
		 CONFIG("\t%s { };\n" PARTITIONS(HELLO)), name);
	blob = compile_dts(source);
	CHECK(!config_parse(blob.data, blob.size, NULL, &config, error));
	CHECK_EQ(strlen(error), CONFIG_ERROR_MAX - 1);
	CHECK_STR_CONTAINS(error, "/: unknown node \"aaaa");
	free(blob.data);
}

static void test_bad_blobs(void)
{
	struct blob blob = compile_dts(several_partitions);
	struct config config;
	char error[CONFIG_ERROR_MAX];
	uint32_t total = fdt_totalsize(blob.data);

	CHECK_EQ(total, blob.size);
	CHECK(!config_parse(NULL, 100, NULL, &config, error));
	CHECK_STR_CONTAINS(error, "/: not a valid device tree blob");
	CHECK(!parse_exact("not a device tree at all, but long enough", 42,
			   NULL, &config, error));
	CHECK_STR_CONTAINS(error, "/: not a valid device tree blob");
	CHECK(!parse_exact(blob.data, 8, NULL, &config, error));
	CHECK_STR_CONTAINS(error, "not a valid device tree blob");
	CHECK(!parse_exact(blob.data, blob.size - 1, NULL, &config, error));
	CHECK_STR_CONTAINS(error, "/: the blob is truncated: its header says");
	CHECK(!parse_exact(blob.data, blob.size / 2, NULL, &config, error));
	CHECK_STR_CONTAINS(error, "the blob is truncated");
	CHECK(parse_exact(blob.data, blob.size, NULL, &config, error));
	free(blob.data);
}

/*
 * Cuts the blob at every length, shrinking its header to match so that the
 * parser goes past the header check, then flips bits in every byte. Nothing
 * may crash or read outside the buffer; every result is a clean yes or no.
 */
static void test_corrupted_blobs(const char *source)
{
	struct blob blob = compile_dts(source);
	uint8_t *copy = malloc(blob.size);
	struct config config;
	char error[CONFIG_ERROR_MAX];
	int rejected = 0, runs = 0;

	for (size_t size = sizeof(struct fdt_header); size < blob.size;
	     size++) {
		struct fdt_header *header = (struct fdt_header *)copy;
		uint32_t struct_offset = fdt_off_dt_struct(blob.data);
		uint32_t strings_offset = fdt_off_dt_strings(blob.data);

		memcpy(copy, blob.data, blob.size);
		header->totalsize = cpu_to_fdt32(size);
		if (struct_offset + fdt_size_dt_struct(blob.data) > size &&
		    struct_offset <= size)
			header->size_dt_struct =
				cpu_to_fdt32(size - struct_offset);
		if (strings_offset + fdt_size_dt_strings(blob.data) > size &&
		    strings_offset <= size)
			header->size_dt_strings =
				cpu_to_fdt32(size - strings_offset);
		rejected += !parse_exact(copy, size, NULL, &config, error);
		runs++;
		check_error_shape(strlen(error) == 0, error);
	}
	CHECK_EQ(rejected, runs);
	for (size_t at = 0; at < blob.size; at++) {
		static const uint8_t flips[] = { 0x01, 0x80, 0xff, 0x20 };

		for (size_t i = 0; i < sizeof(flips); i++) {
			memcpy(copy, blob.data, blob.size);
			copy[at] ^= flips[i];
			parse_exact(copy, blob.size, NULL, &config, error);
			check_error_shape(strlen(error) == 0, error);
		}
	}
	free(copy);
	free(blob.data);
}

static void run_tests(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int failed = check_failed;

		run_case(&cases[i]);
		if (check_failed != failed)
			fprintf(stderr, "  in case \"%s\"\n", cases[i].name);
	}
	test_partition_limit();
	test_channel_limits();
	test_handmade_blobs();
	test_error_truncation();
	test_bad_blobs();
	test_corrupted_blobs(several_partitions);
	test_corrupted_blobs(lifecycle_and_channels);
}
