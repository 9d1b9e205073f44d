/* SPDX-License-Identifier: MIT */
/*
 * bulkhead-check: validates a configuration on the build host, with the
 * same parser the loader runs, so that a mistake is reported with its node
 * and property before anything boots. A .dts is compiled with dtc first.
 * With --root it also checks every partition's kernel image as the loader
 * would. Errors go to stderr as "<file>: <message>" and exit status 1.
 */
#include <bulkhead/config.h>
#include <bulkhead/image_check.h>
#include <bulkhead/multiboot.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define BLOB_MAX (1u << 20)
#define IMAGE_MAX (256u << 20)

struct options {
	struct config_machine machine;
	const char *root;
	const char *config_path;
};

static const char *program = "bulkhead-check";

static void usage(void)
{
	fprintf(stderr,
		"usage: %s [--cpus N] [--memory SIZE[K|M|G]] [--root DIR] "
		"CONFIG.dts|CONFIG.dtb\n"
		"  --cpus N     the machine has N CPUs (0-based indices)\n"
		"  --memory S   memory available for partitions\n"
		"  --root DIR   check kernel images below DIR (the ESP's "
		"\\bulkhead\\)\n",
		program);
	exit(2);
}

static bool ends_with(const char *text, const char *suffix)
{
	size_t length = strlen(text), suffix_length = strlen(suffix);

	return length >= suffix_length &&
	       !strcmp(text + length - suffix_length, suffix);
}

/* Parses "N" with an optional K, M or G suffix (binary units). */
static bool parse_size(const char *text, uint64_t *size)
{
	char *end;
	unsigned long long value;
	static const char units[] = "KMG";
	const char *unit;
	int shift = 0;

	errno = 0;
	value = strtoull(text, &end, 0);
	if (errno || end == text || text[0] == '-')
		return false;
	unit = *end ? strchr(units, toupper((unsigned char)*end)) : NULL;
	if (unit) {
		shift = 10 * (int)(unit - units + 1);
		end++;
	}
	if (*end || (shift && value > (UINT64_MAX >> shift)))
		return false;
	*size = (uint64_t)value << shift;
	return true;
}

static void parse_options(int argc, char **argv, struct options *options)
{
	memset(options, 0, sizeof(*options));
	for (int i = 1; i < argc; i++) {
		const char *argument = argv[i];
		const char *value = i + 1 < argc ? argv[i + 1] : NULL;
		uint64_t number;

		if (!strcmp(argument, "--help") || !strcmp(argument, "-h"))
			usage();
		if (argument[0] != '-') {
			if (options->config_path)
				usage();
			options->config_path = argument;
			continue;
		}
		if (!value)
			usage();
		i++;
		if (!strcmp(argument, "--cpus") &&
		    strspn(value, "0123456789") == strlen(value) &&
		    parse_size(value, &number) && number <= UINT32_MAX) {
			options->machine.cpu_count = number;
		} else if (!strcmp(argument, "--memory") &&
			   parse_size(value, &number)) {
			options->machine.memory_bytes = number;
		} else if (!strcmp(argument, "--root")) {
			options->root = value;
		} else {
			fprintf(stderr, "%s: bad option %s %s\n", program,
				argument, value);
			usage();
		}
	}
	if (!options->config_path)
		usage();
}

/* Reads a whole file into a new buffer of exactly its size (at least 1). */
static void *read_file(const char *path, size_t limit, size_t *size,
		       const char **reason)
{
	FILE *file = fopen(path, "rb");
	uint8_t *data = NULL;
	long length;

	*reason = NULL;
	if (!file) {
		*reason = strerror(errno);
		return NULL;
	}
	if (fseek(file, 0, SEEK_END) || (length = ftell(file)) < 0 ||
	    fseek(file, 0, SEEK_SET)) {
		*reason = strerror(errno);
	} else if ((size_t)length > limit) {
		*reason = "the file is too large";
	} else if (!(data = malloc(length ? length : 1))) {
		*reason = "out of memory";
	} else if (fread(data, 1, length, file) != (size_t)length) {
		*reason = "read error";
		free(data);
		data = NULL;
	}
	fclose(file);
	*size = data ? (size_t)length : 0;
	return data;
}

/* Runs dtc on a .dts into a temporary .dtb; dtc prints its own errors. */
static bool compile_dts(const char *dts_path, char dtb_path[64])
{
	int status;
	int fd;
	pid_t child;

	strcpy(dtb_path, "/tmp/bulkhead-check-XXXXXX");
	fd = mkstemp(dtb_path);
	if (fd < 0) {
		fprintf(stderr, "%s: cannot create a temporary file: %s\n",
			dts_path, strerror(errno));
		return false;
	}
	close(fd);
	fflush(NULL);
	child = fork();
	if (child == 0) {
		execlp("dtc", "dtc", "-q", "-I", "dts", "-O", "dtb", "-o",
		       dtb_path, dts_path, (char *)NULL);
		fprintf(stderr,
			"%s: cannot run dtc: %s (install "
			"device-tree-compiler)\n",
			dts_path, strerror(errno));
		_exit(127);
	}
	if (child < 0 || waitpid(child, &status, 0) != child) {
		fprintf(stderr, "%s: cannot run dtc: %s\n", dts_path,
			strerror(errno));
	} else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 127)
			fprintf(stderr,
				"%s: dtc could not compile the "
				"configuration (see its messages above)\n",
				dts_path);
	} else {
		return true;
	}
	unlink(dtb_path);
	return false;
}

/* Checks one partition's image as the loader would; false on error. */
static char *image_path(const char *root, const char *name)
{
	size_t path_size = strlen(root) + strlen(name) + 2;
	char *path = malloc(path_size);

	if (!path) {
		fprintf(stderr, "%s: out of memory\n", program);
		exit(1);
	}
	snprintf(path, path_size, "%s/%s", root, name);
	return path;
}

/* The size of a partition's initrd or module file (what, e.g. "initrd";
 * name, its path below the root); false (reported) if unreadable. */
static bool file_size(const char *config_path, const char *root,
		      const struct config_partition *partition,
		      const char *what, const char *name, uint64_t *size)
{
	char *path = image_path(root, name);
	const char *reason;
	size_t length;
	void *file = read_file(path, IMAGE_MAX, &length, &reason);

	if (!file)
		fprintf(stderr,
			"%s: partition \"%s\": %s \"%s\": cannot read %s: "
			"%s\n",
			config_path, partition->name, what, name, path, reason);
	*size = length;
	free(file);
	free(path);
	return file != NULL;
}

/* A Multiboot kernel's modules: readable, and fitting its memory. */
static bool check_modules(const char *config_path, const char *root,
			  const struct config_partition *partition,
			  const struct image_summary *summary)
{
	uint64_t sizes[CONFIG_MAX_MODULES];
	uint32_t starts[CONFIG_MAX_MODULES];
	char error[IMAGE_ERROR_MAX];

	for (uint32_t m = 0; m < partition->module_count; m++) {
		char path[CONFIG_MODULE_MAX];

		multiboot_module_path(partition->modules[m], path,
				      sizeof(path));
		if (!file_size(config_path, root, partition, "module", path,
			       &sizes[m]))
			return false;
	}
	if (image_check_modules(partition, summary, sizes, starts, error))
		return true;
	fprintf(stderr, "%s: partition \"%s\": %s\n", config_path,
		partition->name, error);
	return false;
}

static bool check_image(const char *config_path, const char *root,
			const struct config_partition *partition)
{
	struct image_summary summary;
	char error[IMAGE_ERROR_MAX];
	char *path = image_path(root, partition->kernel);
	const char *reason;
	uint64_t initrd = 0;
	size_t size;
	void *image;
	bool ok = false;

	image = read_file(path, IMAGE_MAX, &size, &reason);
	if (!image) {
		fprintf(stderr,
			"%s: partition \"%s\": kernel \"%s\": cannot read %s: "
			"%s\n",
			config_path, partition->name, partition->kernel, path,
			reason);
	} else if (partition->initrd[0] && image_is_linux(image, size) &&
		   !file_size(config_path, root, partition, "initrd",
			      partition->initrd, &initrd)) {
		ok = false;
	} else if (!image_check(partition, image, size, initrd, &summary,
				error)) {
		fprintf(stderr, "%s: partition \"%s\": %s\n", config_path,
			partition->name, error);
	} else {
		ok = check_modules(config_path, root, partition, &summary);
	}
	free(image);
	free(path);
	return ok;
}

static void print_summary(const char *config_path, const struct config *config)
{
	printf("%s: OK, %u partition%s", config_path, config->partition_count,
	       config->partition_count == 1 ? "" : "s");
	if (config->channel_count)
		printf(", %u channel%s", config->channel_count,
		       config->channel_count == 1 ? "" : "s");
	printf("\n");
	for (uint32_t i = 0; i < config->partition_count; i++) {
		const struct config_partition *partition =
			&config->partitions[i];

		printf("  %-16s CPUs ", partition->name);
		for (uint32_t j = 0; j < partition->cpu_count; j++)
			printf("%s%u", j ? "," : "", partition->cpus[j]);
		printf("  %llu MiB",
		       (unsigned long long)(partition->memory_size >> 20));
		if (partition->memory_base)
			printf(" at 0x%llx",
			       (unsigned long long)partition->memory_base);
		printf("  %s", partition->kernel);
		if (partition->module_count)
			printf("  %u module%s", partition->module_count,
			       partition->module_count == 1 ? "" : "s");
		if (partition->management)
			printf("  management");
		if (partition->platform != CONFIG_PLATFORM_DEFAULT)
			printf("  platform %s",
			       partition->platform == CONFIG_PLATFORM_PC
				       ? "pc"
				       : "none");
		if (partition->exit_device_port)
			printf("  exit-device 0x%x",
			       (unsigned)partition->exit_device_port);
		if (partition->restart_on_fault)
			printf("  restart on-fault (limit %u)\n",
			       partition->restart_limit);
		else
			printf("  restart never\n");
	}
	for (uint32_t i = 0; i < config->channel_count; i++) {
		const struct config_channel *channel = &config->channels[i];

		printf("  channel %-8s %s <-> %s  %llu KiB  vector 0x%x\n",
		       channel->name,
		       config->partitions[channel->peers[0]].name,
		       config->partitions[channel->peers[1]].name,
		       (unsigned long long)(channel->size >> 10),
		       channel->vector);
	}
}

int main(int argc, char **argv)
{
	struct options options;
	static struct config config;
	char error[CONFIG_ERROR_MAX];
	char dtb_path[64] = "";
	const char *blob_path;
	const char *reason;
	size_t size;
	void *blob;
	bool ok = true;

	parse_options(argc, argv, &options);
	blob_path = options.config_path;
	if (access(blob_path, R_OK)) {
		fprintf(stderr, "%s: cannot read: %s\n", blob_path,
			strerror(errno));
		return 1;
	}
	if (ends_with(blob_path, ".dts")) {
		if (!compile_dts(blob_path, dtb_path))
			return 1;
		blob_path = dtb_path;
	}
	blob = read_file(blob_path, BLOB_MAX, &size, &reason);
	if (dtb_path[0])
		unlink(dtb_path);
	if (!blob) {
		fprintf(stderr, "%s: cannot read: %s\n", options.config_path,
			reason);
		return 1;
	}
	if (!config_parse(blob, size, &options.machine, &config, error)) {
		fprintf(stderr, "%s: %s\n", options.config_path, error);
		free(blob);
		return 1;
	}
	free(blob);
	for (uint32_t i = 0; options.root && i < config.partition_count; i++)
		ok &= check_image(options.config_path, options.root,
				  &config.partitions[i]);
	if (!ok)
		return 1;
	print_summary(options.config_path, &config);
	return 0;
}
