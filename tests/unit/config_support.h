/* SPDX-License-Identifier: MIT */
/*
 * Shared by the configuration parser's unit tests (test_config*.c): DTS
 * building blocks, dtc at test time, exact-size parsing, the table-driven
 * case runner and two full configurations several tests use.
 */
#ifndef BULKHEAD_TEST_CONFIG_SUPPORT_H
#define BULKHEAD_TEST_CONFIG_SUPPORT_H

#include <bulkhead/config.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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

/* Compiles source with dtc into a heap buffer of exactly the blob's size;
 * data is NULL when dtc refuses it. */
struct blob compile_dts(const char *source);
/* Parses a copy of data[0..size) held in a buffer of exactly that size. */
bool parse_exact(const void *data, size_t size,
		 const struct config_machine *machine, struct config *config,
		 char error[CONFIG_ERROR_MAX]);
/* A failure must leave one non-empty line; success an empty one. */
void check_error_shape(bool ok, const char *error);

struct config_case {
	const char *name;
	const char *source;
	struct config_machine machine;
	const char *error; /* NULL: the config is valid */
	void (*check)(const struct config *config);
};

/* Runs every case; a case's failed checks are followed by its name. */
void run_config_cases(const struct config_case *cases, size_t count);

/* Full configurations: several partitions with every partition property,
 * and management, restart and channels together. */
extern const char several_partitions[];
extern const char lifecycle_and_channels[];

#endif
