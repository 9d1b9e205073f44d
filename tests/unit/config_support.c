/* SPDX-License-Identifier: MIT */
/* Helpers of the configuration parser's unit tests; see config_support.h. */
#include "config_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

const char several_partitions[] = CONFIG(
	"\tconsole { uart = <0x2f8>; };\n"
	"\tend-of-run { isa-debug-exit = <0xf4>; };\n" PARTITIONS(
		"\t\tweb { cpus = <3 1>; memory-size = <0x1 0x0>;\n"
		"\t\t\tkernel = \"guests/web.elf\"; args = \"peer 2\";\n"
		"\t\t\tioports = <0x3e8 8 0x60 1 0x64 1>; };\n"
		"\t\tdb { cpus = <0>; memory-size = <0x200000>;\n"
		"\t\t\tkernel = \"db.elf\"; ioports = <0x61 3>; };\n"
		"\t\tlog_2 { cpus = <63 2>; memory-size = <0x0 0x600000>;\n"
		"\t\t\tkernel = \"a/b/log-2.elf\"; };\n"));

/* The channels node comes first in the source: it is parsed last anyway. */
const char lifecycle_and_channels[] = CONFIG(CHANNELS(
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

/* Compiles source with dtc into a heap buffer of exactly the blob's size. */
struct blob compile_dts(const char *source)
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
bool parse_exact(const void *data, size_t size,
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
void check_error_shape(bool ok, const char *error)
{
	size_t length = strnlen(error, CONFIG_ERROR_MAX);

	CHECK(length < CONFIG_ERROR_MAX);
	CHECK(!strchr(error, '\n'));
	CHECK(ok ? length == 0 : length > 0);
}

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

void run_config_cases(const struct config_case *cases, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		int failed = check_failed;

		run_case(&cases[i]);
		if (check_failed != failed)
			fprintf(stderr, "  in case \"%s\"\n", cases[i].name);
	}
}
