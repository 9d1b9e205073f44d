/* SPDX-License-Identifier: MIT */
/*
 * Parses and validates one partition node of the configuration: its name,
 * CPUs (against the machine and every earlier partition), memory size and
 * fixed memory base (against every earlier partition's), kernel path, guest
 * arguments, Linux initrd path and command line, passed-through I/O port
 * ranges (against the hypervisor's own ports and every other range),
 * exit device port, management flag, restart policy, virtual platform,
 * Multiboot modules (config_modules.c) and console log size.
 * Uses only <string.h> and libfdt, like the rest of the parser.
 */
#include "config_reader.h"

#include <string.h>

#define VIRTUAL_UART_BASE 0x3f8 /* every partition's own emulated COM1 */
#define IOPORT_LIMIT 0x10000
#define RESTART_LIMIT_MAX 1000

/* Partition names label console output: unique among partitions, and never
 * the hypervisor's own label, which the test runner trusts. */
static bool check_partition_name(struct parser *parser, const struct node *node)
{
	struct message *message;

	if (!config_check_name(parser, node, "partition"))
		return false;
	if (!strcmp(node->name, CONFIG_HYPERVISOR_LABEL)) {
		message = config_node_error(parser, node);
		config_put_text(message, "partition name ");
		config_put_quoted(message, node->name);
		config_put_text(message, " is the hypervisor's console label");
		return false;
	}
	for (uint32_t i = 0; i < parser->out->partition_count; i++) {
		if (!strcmp(parser->out->partitions[i].name, node->name)) {
			message = config_node_error(parser, node);
			config_put_text(message, "partition name ");
			config_put_quoted(message, node->name);
			config_put_text(message, " is used twice");
			return false;
		}
	}
	return true;
}

static const char *cpu_owner(const struct config *config, uint32_t cpu)
{
	for (uint32_t i = 0; i < config->partition_count; i++) {
		if (config->partitions[i].cpu_mask & (1ull << cpu))
			return config->partitions[i].name;
	}
	return NULL;
}

static bool parse_cpus(struct parser *parser, const struct node *node,
		       const struct property_value *value,
		       struct config_partition *partition)
{
	int cells = config_cell_count(parser, node, "cpus", value);
	uint32_t present = parser->machine ? parser->machine->cpu_count : 0;
	struct message *message;

	if (cells < 0)
		return false;
	if (cells == 0) {
		config_put_text(config_property_error(parser, node, "cpus"),
				"must list at least one CPU");
		return false;
	}
	for (int i = 0; i < cells; i++) {
		uint32_t cpu = config_cell_at(value, i);
		const char *owner;

		if (cpu >= CONFIG_MAX_CPUS) {
			message = config_property_error(parser, node, "cpus");
			config_put_text(message, "CPU ");
			config_put_decimal(message, cpu);
			config_put_text(message,
					" is out of range (CPU indices are 0-");
			config_put_decimal(message, CONFIG_MAX_CPUS - 1);
			config_put_text(message, ")");
			return false;
		}
		if (present && cpu >= present) {
			message = config_property_error(parser, node, "cpus");
			config_put_text(message, "CPU ");
			config_put_decimal(message, cpu);
			config_put_text(message,
					" is not present: the machine has ");
			config_put_decimal(message, present);
			return false;
		}
		if (partition->cpu_mask & (1ull << cpu)) {
			message = config_property_error(parser, node, "cpus");
			config_put_text(message, "CPU ");
			config_put_decimal(message, cpu);
			config_put_text(message, " is listed twice");
			return false;
		}
		owner = cpu_owner(parser->out, cpu);
		if (owner) {
			message = config_property_error(parser, node, "cpus");
			config_put_text(message, "CPU ");
			config_put_decimal(message, cpu);
			config_put_text(message,
					" is already given to partition ");
			config_put_quoted(message, owner);
			return false;
		}
		partition->cpu_mask |= 1ull << cpu;
		partition->cpus[partition->cpu_count++] = cpu;
	}
	return true;
}

static bool parse_memory_size(struct parser *parser, const struct node *node,
			      const struct property_value *value,
			      struct config_partition *partition)
{
	uint64_t size;
	struct message *message;

	if (!config_read_size(parser, node, "memory-size", value, &size))
		return false;
	if (size % CONFIG_MEMORY_ALIGN) {
		message = config_property_error(parser, node, "memory-size");
		config_put_hex(message, size);
		config_put_text(message,
				" bytes is not a multiple of 2 MiB (0x200000)");
		return false;
	}
	if (size > CONFIG_MEMORY_MAX) {
		message = config_property_error(parser, node, "memory-size");
		config_put_decimal(message, size / MIB);
		config_put_text(message, " MiB exceeds the limit of ");
		config_put_decimal(message, CONFIG_MEMORY_MAX / MIB);
		config_put_text(message, " MiB");
		return false;
	}
	partition->memory_size = size;
	return true;
}

static void put_memory_range(struct message *message, uint64_t base,
			     uint64_t size)
{
	config_put_hex(message, base);
	config_put_text(message, "-");
	config_put_hex(message, base + size - 1);
}

/* memory-base: a fixed host-physical range of memory-size bytes (parsed
 * before it), 2 MiB aligned, ending at or below the 52-bit physical limit,
 * and apart from every earlier partition's fixed range. */
static bool parse_memory_base(struct parser *parser, const struct node *node,
			      const struct property_value *value,
			      struct config_partition *partition)
{
	uint64_t base, size = partition->memory_size;
	struct message *message;

	if (!config_read_size(parser, node, "memory-base", value, &base))
		return false;
	if (base % CONFIG_MEMORY_ALIGN) {
		message = config_property_error(parser, node, "memory-base");
		config_put_hex(message, base);
		config_put_text(message,
				" is not a multiple of 2 MiB (0x200000)");
		return false;
	}
	if (base > UINT64_MAX - size) {
		message = config_property_error(parser, node, "memory-base");
		config_put_hex(message, base);
		config_put_text(message, " plus memory-size ");
		config_put_hex(message, size);
		config_put_text(message,
				" wraps past the top of the address space");
		return false;
	}
	if (base + size > CONFIG_PHYSICAL_LIMIT) {
		message = config_property_error(parser, node, "memory-base");
		config_put_text(message, "range ");
		put_memory_range(message, base, size);
		config_put_text(message, " ends beyond the 52-bit physical "
					 "address limit (");
		config_put_hex(message, CONFIG_PHYSICAL_LIMIT);
		config_put_text(message, ")");
		return false;
	}
	for (uint32_t i = 0; i < parser->out->partition_count; i++) {
		const struct config_partition *other =
			&parser->out->partitions[i];

		if (!other->memory_base || base + size <= other->memory_base ||
		    other->memory_base + other->memory_size <= base)
			continue;
		message = config_property_error(parser, node, "memory-base");
		config_put_text(message, "range ");
		put_memory_range(message, base, size);
		config_put_text(message, " overlaps ");
		put_memory_range(message, other->memory_base,
				 other->memory_size);
		config_put_text(message, ", the memory of partition ");
		config_put_quoted(message, other->name);
		return false;
	}
	partition->memory_base = base;
	return true;
}

/* A path below \bulkhead\ on the ESP; it must not climb out of it. */
bool config_check_image_path(struct parser *parser, const struct node *node,
			     const char *property, const char *path)
{
	const char *problem = NULL;

	if (path[0] == '/')
		problem = "must be relative to \\bulkhead\\ (no leading '/')";
	for (const char *c = path; *c && !problem; c++) {
		if (*c == '\\')
			problem = "must use '/' as the separator, not '\\'";
		else if ((unsigned char)*c < 0x20 || (unsigned char)*c > 0x7e)
			problem = "must be printable ASCII";
		else if (c[0] == '.' && c[1] == '.' &&
			 (c == path || c[-1] == '/') &&
			 (c[2] == '\0' || c[2] == '/'))
			problem = "must not contain \"..\"";
	}
	if (problem)
		config_put_text(config_property_error(parser, node, property),
				problem);
	return !problem;
}

static bool check_port_overlap(struct parser *parser, const struct node *node,
			       struct config_ioport_range range,
			       uint32_t other_base, uint32_t other_count,
			       const char *what)
{
	struct message *message;

	if (range.base + range.count <= other_base ||
	    other_base + other_count <= range.base)
		return true;
	message = config_property_error(parser, node, "ioports");
	config_put_text(message, "range ");
	config_put_port_range(message, range.base, range.count);
	config_put_text(message, " overlaps ");
	config_put_port_range(message, other_base, other_count);
	config_put_text(message, ", ");
	config_put_text(message, what);
	return false;
}

/* Checks a range against the hypervisor's ports and every earlier range. */
static bool check_ioport_range(struct parser *parser, const struct node *node,
			       const struct config_partition *partition,
			       struct config_ioport_range range)
{
	const struct config *config = parser->out;
	char owner[CONFIG_NAME_MAX + 32];

	if (!check_port_overlap(parser, node, range, VIRTUAL_UART_BASE,
				UART_PORT_COUNT,
				"the partition's virtual UART") ||
	    !check_port_overlap(parser, node, range, config->console_uart,
				UART_PORT_COUNT, "the console UART") ||
	    (config->exit_port &&
	     !check_port_overlap(parser, node, range, config->exit_port, 1,
				 "the isa-debug-exit port")))
		return false;
	for (uint32_t i = 0; i <= config->partition_count; i++) {
		const struct config_partition *other = &config->partitions[i];

		if (other == partition) {
			strcpy(owner,
			       "a range listed earlier in this partition");
		} else {
			strcpy(owner, "a range of partition \"");
			strcat(owner, other->name);
			strcat(owner, "\"");
		}
		for (uint32_t j = 0; j < other->ioport_count; j++) {
			if (!check_port_overlap(parser, node, range,
						other->ioports[j].base,
						other->ioports[j].count, owner))
				return false;
		}
	}
	return true;
}

static bool parse_ioports(struct parser *parser, const struct node *node,
			  const struct property_value *value,
			  struct config_partition *partition)
{
	int cells = config_cell_count(parser, node, "ioports", value);
	struct message *message;

	if (cells < 0)
		return false;
	if (cells == 0 || cells % 2) {
		message = config_property_error(parser, node, "ioports");
		config_put_text(message, "must be (base count) pairs, got ");
		config_put_decimal(message, cells);
		config_put_text(message, " cells");
		return false;
	}
	if (cells / 2 > CONFIG_MAX_IOPORT_RANGES) {
		message = config_property_error(parser, node, "ioports");
		config_put_decimal(message, cells / 2);
		config_put_text(message, " ranges exceed the limit of ");
		config_put_decimal(message, CONFIG_MAX_IOPORT_RANGES);
		return false;
	}
	for (int i = 0; i < cells; i += 2) {
		uint64_t base = config_cell_at(value, i);
		uint64_t count = config_cell_at(value, i + 1);
		struct config_ioport_range range;

		if (count == 0 || count >= IOPORT_LIMIT ||
		    base + count > IOPORT_LIMIT) {
			message =
				config_property_error(parser, node, "ioports");
			config_put_text(message, "range (base ");
			config_put_hex(message, base);
			config_put_text(message, ", count ");
			config_put_decimal(message, count);
			config_put_text(message,
					") must have a non-zero count and "
					"end at or below 0x10000");
			return false;
		}
		range = (struct config_ioport_range){ base, count };
		if (!check_ioport_range(parser, node, partition, range))
			return false;
		partition->ioports[partition->ioport_count++] = range;
	}
	return true;
}

/* The ports an exit device must not take: every one the hypervisor or the
 * virtual PC answers itself (core/platform/pc.h, pc_ports.c, port_io.c),
 * whatever the partition's platform, so one config means one port map. */
static const struct {
	uint16_t base;
	uint16_t count;
	const char *what;
} reserved_ports[] = {
	{ 0x40, 4, "the virtual PC's PIT" },
	{ 0x61, 1, "the virtual PC's PIT gate and speaker port" },
	{ 0x64, 1, "the virtual PC's keyboard controller command port" },
	{ 0x70, 2, "the virtual PC's CMOS clock" },
	{ VIRTUAL_UART_BASE, UART_PORT_COUNT, "the partition's virtual UART" },
	{ 0x600, 6, "the virtual PC's ACPI PM1a event and control blocks" },
	{ 0x608, 4, "the virtual PC's ACPI PM timer" },
	{ 0xcf8, 8, "the virtual PC's PCI configuration ports and reset "
		    "register" },
};

static bool exit_device_conflict(struct parser *parser,
				 const struct node *node, uint32_t port,
				 uint32_t base, uint32_t count,
				 const char *what)
{
	struct message *message;

	if (port < base || port >= base + count)
		return false;
	message = config_property_error(parser, node, "exit-device");
	config_put_text(message, "port ");
	config_put_hex(message, port);
	config_put_text(message, " is ");
	config_put_text(message, what);
	config_put_text(message, " (");
	config_put_port_range(message, base, count);
	config_put_text(message, ")");
	return true;
}

/* exit-device = <port>: the partition's own exit device (a write there
 * ends the partition with the value as its status). It must be a port no
 * one else answers: not one the partition is granted (ioports, parsed
 * before it), the hypervisor's console UART or isa-debug-exit port, nor
 * any port the hypervisor emulates. Other partitions' grants are theirs:
 * port access is per partition. */
static bool parse_exit_device(struct parser *parser, const struct node *node,
			      const struct property_value *value,
			      struct config_partition *partition)
{
	const struct config *config = parser->out;
	uint32_t port;
	struct message *message;

	if (!config_read_one_cell(parser, node, "exit-device", value, &port))
		return false;
	if (port == 0 || port >= IOPORT_LIMIT) {
		message = config_property_error(parser, node, "exit-device");
		config_put_text(message, "port ");
		config_put_hex(message, port);
		config_put_text(message,
				" is not a valid I/O port (0x1-0xffff)");
		return false;
	}
	for (size_t i = 0; i < sizeof(reserved_ports) / sizeof(reserved_ports[0]);
	     i++) {
		if (exit_device_conflict(parser, node, port,
					 reserved_ports[i].base,
					 reserved_ports[i].count,
					 reserved_ports[i].what))
			return false;
	}
	if (exit_device_conflict(parser, node, port, config->console_uart,
				 UART_PORT_COUNT, "the console UART") ||
	    (config->exit_port &&
	     exit_device_conflict(parser, node, port, config->exit_port, 1,
				  "the isa-debug-exit port")))
		return false;
	for (uint32_t i = 0; i < partition->ioport_count; i++) {
		if (exit_device_conflict(parser, node, port,
					 partition->ioports[i].base,
					 partition->ioports[i].count,
					 "passed through by this partition's "
					 "ioports"))
			return false;
	}
	partition->exit_device_port = (uint16_t)port;
	return true;
}

/* management: an empty property, a flag. */
static bool parse_management(struct parser *parser, const struct node *node,
			     const struct property_value *value,
			     struct config_partition *partition)
{
	if (value->length != 0) {
		config_put_text(
			config_property_error(parser, node, "management"),
			"must be empty (write \"management;\")");
		return false;
	}
	partition->management = true;
	return true;
}

/* restart = "never" | "on-fault"; restart-limit = <1..1000> with on-fault. */
static bool parse_restart(struct parser *parser, const struct node *node,
			  const struct property_value *restart,
			  const struct property_value *limit,
			  struct config_partition *partition)
{
	static const char never[] = "never", on_fault[] = "on-fault";
	const char *text = (const char *)restart->data;
	struct message *message;
	uint32_t count;

	if (restart->present &&
	    !(restart->length == sizeof(never) &&
	      !memcmp(text, never, sizeof(never)))) {
		if (restart->length != sizeof(on_fault) ||
		    memcmp(text, on_fault, sizeof(on_fault))) {
			message = config_property_error(parser, node,
							"restart");
			config_put_text(message,
					"must be \"never\" or \"on-fault\"");
			if (restart->length > 1 &&
			    strnlen(text, restart->length) ==
				    (size_t)restart->length - 1) {
				config_put_text(message, ", not ");
				config_put_quoted(message, text);
			}
			return false;
		}
		partition->restart_on_fault = true;
		partition->restart_limit = CONFIG_RESTART_DEFAULT_LIMIT;
	}
	if (!limit->present)
		return true;
	if (!partition->restart_on_fault) {
		config_put_text(
			config_property_error(parser, node, "restart-limit"),
			"restart-limit needs restart = \"on-fault\"");
		return false;
	}
	if (!config_read_one_cell(parser, node, "restart-limit", limit,
				  &count))
		return false;
	if (count < 1 || count > RESTART_LIMIT_MAX) {
		message = config_property_error(parser, node, "restart-limit");
		config_put_decimal(message, count);
		config_put_text(message, " is out of range (1-");
		config_put_decimal(message, RESTART_LIMIT_MAX);
		config_put_text(message, ")");
		return false;
	}
	partition->restart_limit = count;
	return true;
}

/* platform = "none" | "pc". Absent, it stays CONFIG_PLATFORM_DEFAULT: the
 * image check resolves it against the image kind (lib/image_check.c). */
static bool parse_platform(struct parser *parser, const struct node *node,
			   const struct property_value *value,
			   struct config_partition *partition)
{
	static const struct {
		char name[8];
		enum config_platform platform;
	} platforms[] = {
		{ "none", CONFIG_PLATFORM_NONE },
		{ "pc", CONFIG_PLATFORM_PC },
	};
	const char *text = (const char *)value->data;
	struct message *message;

	for (size_t i = 0; i < sizeof(platforms) / sizeof(platforms[0]); i++) {
		size_t size = strlen(platforms[i].name) + 1;

		if ((size_t)value->length == size &&
		    !memcmp(text, platforms[i].name, size)) {
			partition->platform = platforms[i].platform;
			return true;
		}
	}
	message = config_property_error(parser, node, "platform");
	config_put_text(message, "must be \"none\" or \"pc\"");
	if (value->length > 1 &&
	    strnlen(text, value->length) == (size_t)value->length - 1) {
		config_put_text(message, ", not ");
		config_put_quoted(message, text);
	}
	return false;
}

enum partition_property {
	PROPERTY_CPUS,
	PROPERTY_MEMORY_SIZE,
	PROPERTY_MEMORY_BASE,
	PROPERTY_KERNEL,
	PROPERTY_ARGS,
	PROPERTY_INITRD,
	PROPERTY_CMDLINE,
	PROPERTY_IOPORTS,
	PROPERTY_MANAGEMENT,
	PROPERTY_RESTART,
	PROPERTY_RESTART_LIMIT,
	PROPERTY_PCI_DEVICES,
	PROPERTY_PLATFORM,
	PROPERTY_EXIT_DEVICE,
	PROPERTY_MODULES,
	PROPERTY_CONSOLE_LOG_SIZE,
	PROPERTY_COUNT
};

/* Fills the next slot of out->partitions; the caller commits it. */
bool config_parse_partition(struct parser *parser, const struct node *node)
{
	static const struct property_spec specs[PROPERTY_COUNT] = {
		[PROPERTY_CPUS] = { "cpus", true },
		[PROPERTY_MEMORY_SIZE] = { "memory-size", true },
		[PROPERTY_MEMORY_BASE] = { "memory-base", false },
		[PROPERTY_KERNEL] = { "kernel", true },
		[PROPERTY_ARGS] = { "args", false },
		[PROPERTY_INITRD] = { "initrd", false },
		[PROPERTY_CMDLINE] = { "cmdline", false },
		[PROPERTY_IOPORTS] = { "ioports", false },
		[PROPERTY_MANAGEMENT] = { "management", false },
		[PROPERTY_RESTART] = { "restart", false },
		[PROPERTY_RESTART_LIMIT] = { "restart-limit", false },
		[PROPERTY_PCI_DEVICES] = { "pci-devices", false },
		[PROPERTY_PLATFORM] = { "platform", false },
		[PROPERTY_EXIT_DEVICE] = { "exit-device", false },
		[PROPERTY_MODULES] = { "modules", false },
		[PROPERTY_CONSOLE_LOG_SIZE] = { "console-log-size", false },
	};
	struct config_partition *partition =
		&parser->out->partitions[parser->out->partition_count];
	struct property_value values[PROPERTY_COUNT];

	if (!check_partition_name(parser, node) ||
	    !config_collect_properties(parser, node, specs, PROPERTY_COUNT,
				       values) ||
	    !config_reject_children(parser, node))
		return false;
	strcpy(partition->name, node->name);
	if (!parse_cpus(parser, node, &values[PROPERTY_CPUS], partition) ||
	    !parse_memory_size(parser, node, &values[PROPERTY_MEMORY_SIZE],
			       partition) ||
	    (values[PROPERTY_MEMORY_BASE].present &&
	     !parse_memory_base(parser, node, &values[PROPERTY_MEMORY_BASE],
				partition)) ||
	    !config_read_string(parser, node, "kernel",
				&values[PROPERTY_KERNEL], partition->kernel,
				CONFIG_PATH_MAX) ||
	    !config_check_image_path(parser, node, "kernel", partition->kernel))
		return false;
	if (values[PROPERTY_ARGS].present &&
	    !config_read_string(parser, node, "args", &values[PROPERTY_ARGS],
				partition->args, CONFIG_ARGS_MAX))
		return false;
	if (values[PROPERTY_INITRD].present &&
	    (!config_read_string(parser, node, "initrd",
				 &values[PROPERTY_INITRD], partition->initrd,
				 CONFIG_PATH_MAX) ||
	     !config_check_image_path(parser, node, "initrd", partition->initrd)))
		return false;
	if (values[PROPERTY_CMDLINE].present &&
	    !config_read_string(parser, node, "cmdline",
				&values[PROPERTY_CMDLINE], partition->cmdline,
				CONFIG_CMDLINE_MAX))
		return false;
	if (values[PROPERTY_IOPORTS].present &&
	    !parse_ioports(parser, node, &values[PROPERTY_IOPORTS], partition))
		return false;
	if (values[PROPERTY_EXIT_DEVICE].present &&
	    !parse_exit_device(parser, node, &values[PROPERTY_EXIT_DEVICE],
			       partition))
		return false;
	if (values[PROPERTY_MANAGEMENT].present &&
	    !parse_management(parser, node, &values[PROPERTY_MANAGEMENT],
			      partition))
		return false;
	if (values[PROPERTY_PCI_DEVICES].present &&
	    !config_parse_pci_devices(parser, node,
				      &values[PROPERTY_PCI_DEVICES], partition))
		return false;
	if (values[PROPERTY_MODULES].present &&
	    !config_parse_modules(parser, node, &values[PROPERTY_MODULES],
				  partition))
		return false;
	if (values[PROPERTY_PLATFORM].present &&
	    !parse_platform(parser, node, &values[PROPERTY_PLATFORM],
			    partition))
		return false;
	if (!config_parse_console_log(parser, node,
				      &values[PROPERTY_CONSOLE_LOG_SIZE],
				      partition))
		return false;
	return parse_restart(parser, node, &values[PROPERTY_RESTART],
			     &values[PROPERTY_RESTART_LIMIT], partition);
}
