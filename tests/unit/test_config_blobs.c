/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the configuration parser, part three: limits on the number
 * of partitions and channels, blobs dtc cannot produce (built with libfdt's
 * sequential writer), error truncation, and truncated, garbage or
 * bit-flipped blobs, which must be refused without reading outside them.
 */
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "config_support.h"

CHECK_MAIN("test_config_blobs")

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
	test_partition_limit();
	test_channel_limits();
	test_handmade_blobs();
	test_error_truncation();
	test_bad_blobs();
	test_corrupted_blobs(several_partitions);
	test_corrupted_blobs(lifecycle_and_channels);
}
