/* SPDX-License-Identifier: MIT */
/*
 * bulkheadctl: the partitions of the machine seen and controlled from a
 * Linux partition, through the bulkhead_control module's
 * /dev/bulkhead-control (guests/linux/bulkhead_control.h). docs/management.md
 * is its manual page; --help gives the summary.
 *
 *   bulkheadctl [--json] list
 *   bulkheadctl [--json] stats [PARTITION]
 *   bulkheadctl [--json] stop|start|restart PARTITION
 *   bulkheadctl [--json] log PARTITION [-f]
 *
 * PARTITION is a name or an id. Every refusal is the hypervisor's (the
 * module passes its errors on): this program only words them, one line on
 * standard error, and exits with a status that says which kind it was.
 * The text of a log is what the hypervisor's console showed of the
 * partition (control characters already made visible), so printing it
 * cannot act on a terminal.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <bulkhead/hypercall.h>

#include "bulkhead_control.h"

#define DEVICE "/dev/bulkhead-control"

/* Exit statuses (docs/management.md). */
enum {
	EXIT_OK = 0,
	EXIT_ERROR = 1,
	EXIT_USAGE = 2,
	EXIT_UNKNOWN = 3,
	EXIT_NOT_PERMITTED = 4,
	EXIT_WRONG_STATE = 5,
};

/* How long stop/start/restart wait for the change to be seen, and how
 * often they and log -f look. */
#define WAIT_MS	  20000
#define POLL_MS	  50
#define FOLLOW_MS 200

static const char *const state_names[] = {
    [BULKHEAD_STATE_RUNNING] = "running",
    [BULKHEAD_STATE_STOPPED] = "stopped",
    [BULKHEAD_STATE_FAULTED] = "faulted",
    [BULKHEAD_STATE_RESTARTING] = "restarting",
    [BULKHEAD_STATE_EXITED] = "exited",
};

/* docs/hypercalls.md, BULKHEAD_HC_STATS. */
static const char *const exit_names[16] = {
    "cpuid",
    "hypercall",
    "io",
    "msr-read",
    "msr-write",
    "stage2-fault",
    "triple-fault",
    "hlt",
    "interrupt",
    "nmi",
    "interrupt-window",
    "control-register",
    "denied-instruction",
    "entry-failed",
    "unhandled",
    "cache-flush",
};

static const char *const hypercall_names[16] = {
    "version",	    "partition-info", "console-write",	 "exit",
    "channel-info", "channel-notify", "partition-state", "partition-control",
    "stats",	    "console-read",
};

static bool json;
static int device = -1;
static const char *command = "";

static const char *state_name(uint32_t state)
{
	return state < sizeof(state_names) / sizeof(state_names[0]) &&
		       state_names[state]
		   ? state_names[state]
		   : "unknown";
}

static const char *kind_name(uint32_t kind)
{
	switch (kind) {
	case BULKHEAD_KIND_BARE_METAL:
		return "bare-metal";
	case BULKHEAD_KIND_LINUX:
		return "linux";
	case BULKHEAD_KIND_MULTIBOOT:
		return "multiboot";
	}
	return "unknown";
}

/* One line on standard error: "bulkheadctl: <command>: <text>". */
static int fail(int status, const char *format, ...)
{
	va_list args;

	fprintf(stderr, "bulkheadctl: %s%s", command, *command ? ": " : "");
	va_start(args, format);
	vfprintf(stderr, format, args);
	va_end(args);
	fputc('\n', stderr);
	return status;
}

/* The errors every call may get, worded; what a call means by its other
 * errors (ESRCH, EINVAL) is its caller's to say. */
static int fail_errno(int error, const char *what)
{
	switch (error) {
	case EPERM:
		return fail(EXIT_NOT_PERMITTED,
			    "%s: not permitted (this partition is not a "
			    "management partition)",
			    what);
	case ENOENT:
		return fail(EXIT_UNKNOWN, "%s: no such partition", what);
	default:
		return fail(EXIT_ERROR, "%s: %s", what, strerror(error));
	}
}

static void sleep_ms(unsigned ms)
{
	struct timespec pause = {ms / 1000, (long)(ms % 1000) * 1000000};

	nanosleep(&pause, NULL);
}

static int open_device(void)
{
	device = open(DEVICE, O_RDWR | O_CLOEXEC);
	if (device < 0)
		return fail(EXIT_ERROR,
			    "cannot open " DEVICE ": %s (is the "
			    "bulkhead_control module loaded?)",
			    strerror(errno));
	return EXIT_OK;
}

static int get_self(struct bulkhead_ctl_self *self)
{
	memset(self, 0, sizeof(*self));
	return ioctl(device, BULKHEAD_CTL_SELF, self) ? errno : 0;
}

static int get_state(uint32_t id, struct bulkhead_ctl_state *state)
{
	memset(state, 0, sizeof(*state));
	state->partition = id;
	return ioctl(device, BULKHEAD_CTL_STATE, state) ? errno : 0;
}

/* A partition named by its name or its id: sets *id. A name is looked up
 * in every partition's state, which another partition gives only to a
 * management partition. */
static int resolve(const char *word, uint32_t *id)
{
	struct bulkhead_ctl_self self;
	struct bulkhead_ctl_state state;
	bool refused = false;
	char *end;
	int error;

	if (*word >= '0' && *word <= '9') {
		unsigned long value = strtoul(word, &end, 10);

		if (*end || value > UINT32_MAX)
			return fail(EXIT_UNKNOWN, "no partition \"%s\"", word);
		*id = (uint32_t)value;
		return EXIT_OK;
	}
	error = get_self(&self);
	if (error)
		return fail_errno(error, "partition info");
	for (uint32_t i = 0; i < self.partition_count; i++) {
		error = get_state(i, &state);
		if (error == EPERM) {
			refused = true;
			continue;
		}
		if (error)
			return fail_errno(error, "partition state");
		if (!strcmp(state.name, word)) {
			*id = i;
			return EXIT_OK;
		}
	}
	if (refused)
		return fail(EXIT_NOT_PERMITTED,
			    "cannot look up \"%s\": not permitted (this "
			    "partition is not a management partition)",
			    word);
	return fail(EXIT_UNKNOWN, "no partition \"%s\"", word);
}

/* A JSON string: the text with its quotes, backslashes and controls
 * escaped. */
static void json_string(const char *text, size_t length)
{
	putchar('"');
	for (size_t i = 0; i < length; i++) {
		unsigned char c = (unsigned char)text[i];

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c == '\n')
			fputs("\\n", stdout);
		else if (c < 0x20 || c >= 0x7f)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

/* "1,2,3" of the physical CPUs in mask. */
static void cpu_list(uint64_t mask, char *out, size_t size)
{
	size_t used = 0;

	out[0] = '\0';
	for (unsigned cpu = 0; cpu < 64 && used < size; cpu++)
		if (mask & (1ull << cpu))
			used += (size_t)snprintf(out + used, size - used,
						 "%s%u", used ? "," : "", cpu);
	if (!used)
		snprintf(out, size, "-");
}

static void memory_text(uint64_t bytes, char *out, size_t size)
{
	if (bytes >= (1ull << 30) && !(bytes % (1ull << 30)))
		snprintf(out, size, "%" PRIu64 "GiB", bytes >> 30);
	else if (bytes >= (1ull << 20))
		snprintf(out, size, "%" PRIu64 "MiB", bytes >> 20);
	else
		snprintf(out, size, "%" PRIu64 "KiB", bytes >> 10);
}

static void print_state_json(const struct bulkhead_ctl_state *s)
{
	printf("{\"id\": %u, \"name\": ", s->partition);
	json_string(s->name, strnlen(s->name, sizeof(s->name)));
	printf(", \"kind\": \"%s\", \"platform\": \"%s\", \"cpus\": [",
	       kind_name(s->kind),
	       s->flags & BULKHEAD_PARTITION_PC_PLATFORM ? "pc" : "none");
	for (unsigned cpu = 0, n = 0; cpu < 64; cpu++)
		if (s->cpu_mask & (1ull << cpu))
			printf("%s%u", n++ ? ", " : "", cpu);
	printf("], \"memory\": %" PRIu64 ", \"state\": \"%s\", \"run\": %u, "
	       "\"restarts\": %u, \"exit_status\": ",
	       (uint64_t)s->memory_size, state_name(s->state), s->run,
	       s->restarts);
	if (s->state == BULKHEAD_STATE_EXITED)
		printf("%" PRId64, (int64_t)s->exit_status);
	else
		printf("null");
	printf(", \"management\": %s, \"restart_on_fault\": %s}",
	       s->flags & BULKHEAD_PARTITION_MANAGEMENT ? "true" : "false",
	       s->flags & BULKHEAD_PARTITION_RESTART_ON_FAULT ? "true"
							      : "false");
}

static int command_list(void)
{
	struct bulkhead_ctl_self self;
	struct bulkhead_ctl_state *states;
	int error = get_self(&self);

	if (error)
		return fail_errno(error, "partition info");
	states = calloc(self.partition_count ? self.partition_count : 1,
			sizeof(*states));
	if (!states)
		return fail(EXIT_ERROR, "out of memory");
	/* All or nothing: a partition that may not see the others lists
	 * none of them. */
	for (uint32_t i = 0; i < self.partition_count; i++) {
		error = get_state(i, &states[i]);
		if (error) {
			free(states);
			return fail_errno(error, "partition state");
		}
	}
	if (json) {
		printf("[");
		for (uint32_t i = 0; i < self.partition_count; i++) {
			printf(i ? ",\n " : "");
			print_state_json(&states[i]);
		}
		printf("]\n");
		free(states);
		return EXIT_OK;
	}
	printf("%-3s %-16s %-11s %-8s %-9s %-10s %4s %8s %5s %s\n", "ID",
	       "NAME", "KIND", "CPUS", "MEMORY", "STATE", "RUN", "RESTARTS",
	       "EXIT", "FLAGS");
	for (uint32_t i = 0; i < self.partition_count; i++) {
		const struct bulkhead_ctl_state *s = &states[i];
		char cpus[64], memory[32], status[24], kind[24];

		cpu_list(s->cpu_mask, cpus, sizeof(cpus));
		memory_text(s->memory_size, memory, sizeof(memory));
		snprintf(kind, sizeof(kind), "%s%s", kind_name(s->kind),
			 s->kind != BULKHEAD_KIND_LINUX &&
				 s->flags & BULKHEAD_PARTITION_PC_PLATFORM
			     ? "+pc"
			     : "");
		if (s->state == BULKHEAD_STATE_EXITED)
			snprintf(status, sizeof(status), "%" PRId64,
				 (int64_t)s->exit_status);
		else
			snprintf(status, sizeof(status), "-");
		printf(
		    "%-3u %-16s %-11s %-8s %-9s %-10s %4u %8u %5s %s%s%s%s\n",
		    i, s->name, kind, cpus, memory, state_name(s->state),
		    s->run, s->restarts, status,
		    s->flags & BULKHEAD_PARTITION_MANAGEMENT ? "management"
							     : "",
		    (s->flags & BULKHEAD_PARTITION_MANAGEMENT) &&
			    (s->flags & BULKHEAD_PARTITION_RESTART_ON_FAULT)
			? ","
			: "",
		    s->flags & BULKHEAD_PARTITION_RESTART_ON_FAULT
			? "restart-on-fault"
			: "",
		    s->flags & (BULKHEAD_PARTITION_MANAGEMENT |
				BULKHEAD_PARTITION_RESTART_ON_FAULT)
			? ""
			: "-");
	}
	free(states);
	return EXIT_OK;
}

static void print_counters(const char *title, const char *const names[16],
			   const __u64 counts[16])
{
	printf("  %-20s", title);
	bool any = false;

	for (unsigned i = 0; i < 16; i++) {
		if (!counts[i])
			continue;
		if (names[i])
			printf(" %s=%" PRIu64, names[i], (uint64_t)counts[i]);
		else
			printf(" %u=%" PRIu64, i, (uint64_t)counts[i]);
		any = true;
	}
	printf("%s\n", any ? "" : " none");
}

static void print_counters_json(const char *const names[16],
				const __u64 counts[16])
{
	printf("{");
	for (unsigned i = 0, n = 0; i < 16; i++) {
		if (names[i])
			printf("%s\"%s\": %" PRIu64, n++ ? ", " : "", names[i],
			       (uint64_t)counts[i]);
		else if (counts[i])
			printf("%s\"%u\": %" PRIu64, n++ ? ", " : "", i,
			       (uint64_t)counts[i]);
	}
	printf("}");
}

static int stats_of(uint32_t id, bool first)
{
	struct bulkhead_ctl_state state;
	struct bulkhead_ctl_stats stats;
	int error;

	memset(&stats, 0, sizeof(stats));
	stats.partition = id;
	if (ioctl(device, BULKHEAD_CTL_STATS, &stats))
		return fail_errno(errno, "stats");
	error = get_state(id, &state);
	if (error)
		return fail_errno(error, "partition state");
	if (json) {
		printf("%s{\"id\": %u, \"name\": ", first ? "" : ",\n ", id);
		json_string(state.name,
			    strnlen(state.name, sizeof(state.name)));
		printf(", \"state\": \"%s\", \"run\": %u, \"exits\": ",
		       state_name(state.state), state.run);
		print_counters_json(exit_names, stats.exits);
		printf(", \"hypercalls\": ");
		print_counters_json(hypercall_names, stats.hypercalls);
		printf(", \"interrupts_injected\": %" PRIu64
		       ", \"restarts\": %" PRIu64 ", \"faults\": %" PRIu64
		       ", \"console_bytes\": %" PRIu64 "}",
		       (uint64_t)stats.interrupts_injected,
		       (uint64_t)stats.restarts, (uint64_t)stats.faults,
		       (uint64_t)stats.console_bytes);
		return EXIT_OK;
	}
	printf("%s (id %u): %s, run %u\n", state.name, id,
	       state_name(state.state), state.run);
	print_counters("exits", exit_names, stats.exits);
	print_counters("hypercalls", hypercall_names, stats.hypercalls);
	printf("  %-20s %" PRIu64 "\n", "interrupts injected",
	       (uint64_t)stats.interrupts_injected);
	printf("  %-20s %" PRIu64 "\n", "restarts", (uint64_t)stats.restarts);
	printf("  %-20s %" PRIu64 "\n", "faults", (uint64_t)stats.faults);
	printf("  %-20s %" PRIu64 " bytes\n", "console output",
	       (uint64_t)stats.console_bytes);
	return EXIT_OK;
}

static int command_stats(const char *word)
{
	struct bulkhead_ctl_self self;
	uint32_t id;
	int status, error;

	if (word) {
		status = resolve(word, &id);
		if (status)
			return status;
		status = stats_of(id, true);
		if (json && !status)
			printf("\n");
		return status;
	}
	error = get_self(&self);
	if (error)
		return fail_errno(error, "partition info");
	if (json)
		printf("[");
	for (uint32_t i = 0; i < self.partition_count; i++) {
		status = stats_of(i, i == 0);
		if (status)
			return status;
	}
	if (json)
		printf("]\n");
	return EXIT_OK;
}

/* Waits until the partition's state is none of the two given (stop: no
 * longer running; start and restart: loaded again) and reports it. */
static int wait_and_report(uint32_t id, const char *done, uint32_t not_a,
			   uint32_t not_b)
{
	struct bulkhead_ctl_state state;
	int error;

	for (unsigned waited = 0;; waited += POLL_MS) {
		error = get_state(id, &state);
		if (error)
			return fail_errno(error, "partition state");
		if (state.state != not_a && state.state != not_b)
			break;
		if (waited >= WAIT_MS)
			return fail(EXIT_ERROR, "%s: still %s after %u ms",
				    state.name, state_name(state.state),
				    WAIT_MS);
		sleep_ms(POLL_MS);
	}
	if (json) {
		printf("{\"id\": %u, \"name\": ", id);
		json_string(state.name,
			    strnlen(state.name, sizeof(state.name)));
		printf(", \"state\": \"%s\", \"run\": %u, \"restarts\": %u}\n",
		       state_name(state.state), state.run, state.restarts);
	} else {
		printf("%s %s: %s, run %u, %u restarts\n", done, state.name,
		       state_name(state.state), state.run, state.restarts);
	}
	return EXIT_OK;
}

static int command_control(const char *word, uint32_t operation)
{
	struct bulkhead_ctl_control control;
	struct bulkhead_ctl_state state;
	struct bulkhead_ctl_self self;
	uint32_t id;
	int status = resolve(word, &id);

	if (status)
		return status;
	control.partition = id;
	control.operation = operation;
	if (ioctl(device, BULKHEAD_CTL_CONTROL, &control)) {
		int error = errno;

		if (error == ESRCH || error == EINVAL) {
			if (!get_self(&self) && self.partition_id == id)
				return fail(EXIT_WRONG_STATE,
					    "%s: a partition cannot control "
					    "itself",
					    word);
			if (!get_state(id, &state))
				return fail(EXIT_WRONG_STATE,
					    "%s: partition is %s%s", word,
					    state_name(state.state),
					    operation == BULKHEAD_OP_STOP
						? " (already stopped)"
						: " (already running)");
		}
		return fail_errno(error, word);
	}
	if (operation == BULKHEAD_OP_STOP)
		return wait_and_report(id, "stopped", BULKHEAD_STATE_RUNNING,
				       BULKHEAD_STATE_RUNNING);
	return wait_and_report(
	    id, operation == BULKHEAD_OP_START ? "started" : "restarted",
	    BULKHEAD_STATE_RESTARTING, BULKHEAD_STATE_RESTARTING);
}

/* Reads from *position on until nothing is left; writes what it read. */
static int log_drain(uint32_t id, const char *word, uint64_t *position,
		     bool first)
{
	static char buffer[BULKHEAD_CONTROL_LOG_MAX];
	struct bulkhead_ctl_log request;

	for (;;) {
		memset(&request, 0, sizeof(request));
		request.partition = id;
		request.position = *position;
		request.buffer = (uintptr_t)buffer;
		request.length = sizeof(buffer);
		if (ioctl(device, BULKHEAD_CTL_LOG, &request)) {
			if (errno == EINVAL)
				return fail(EXIT_ERROR,
					    "%s: position %" PRIu64
					    " is past the log's end",
					    word, *position);
			return fail_errno(errno, word);
		}
		if (request.lost && !first)
			fprintf(stderr,
				"bulkheadctl: log %s: %" PRIu64
				" bytes lost (the log wrapped)\n",
				word, (uint64_t)request.lost);
		else if (request.lost)
			fprintf(stderr,
				"bulkheadctl: log %s: the first %" PRIu64
				" bytes are no longer kept\n",
				word, (uint64_t)request.lost);
		first = false;
		if (request.length > sizeof(buffer))
			return fail(EXIT_ERROR, "%s: bad length", word);
		if (json) {
			printf("{\"position\": %" PRIu64 ", \"lost\": %" PRIu64
			       ", \"text\": ",
			       (uint64_t)(request.next - request.length),
			       (uint64_t)request.lost);
			json_string(buffer, request.length);
			printf("}\n");
		} else {
			fwrite(buffer, 1, request.length, stdout);
		}
		*position = request.next;
		if (request.length < sizeof(buffer))
			break;
	}
	fflush(stdout);
	return EXIT_OK;
}

static int command_log(const char *word, bool follow)
{
	uint64_t position = 0;
	uint32_t id;
	int status = resolve(word, &id);

	if (status)
		return status;
	status = log_drain(id, word, &position, true);
	while (!status && follow) {
		sleep_ms(FOLLOW_MS);
		status = log_drain(id, word, &position, false);
	}
	return status;
}

static void usage(FILE *out)
{
	fputs("usage: bulkheadctl [--json] COMMAND [ARGUMENTS]\n"
	      "\n"
	      "The partitions of this bulkhead machine, from a management "
	      "partition.\n"
	      "PARTITION is a partition's name or id.\n"
	      "\n"
	      "  list                     every partition: id, name, kind, "
	      "CPUs, memory,\n"
	      "                           state, run, restarts, exit status, "
	      "flags\n"
	      "  stats [PARTITION]        counters: exits by reason, "
	      "hypercalls, interrupts\n"
	      "                           injected, restarts, faults, console "
	      "bytes\n"
	      "  stop PARTITION           stop a running partition (waits "
	      "until it stopped)\n"
	      "  start PARTITION          boot a partition that is not "
	      "running\n"
	      "  restart PARTITION        stop it if it runs, then boot it "
	      "again\n"
	      "  log PARTITION [-f]       its recent console output; -f "
	      "follows it\n"
	      "  --json                   machine-readable output\n"
	      "  --help                   this text\n"
	      "\n"
	      "Exit status: 0 done, 1 error, 2 usage, 3 no such partition, "
	      "4 not permitted,\n"
	      "5 the partition is not in a state for it (already stopped, "
	      "already running).\n"
	      "See docs/management.md.\n",
	      out);
}

static int usage_error(const char *text)
{
	fprintf(stderr, "bulkheadctl: %s (bulkheadctl --help)\n", text);
	return EXIT_USAGE;
}

int main(int argc, char **argv)
{
	const char *words[3];
	int count = 0, status;
	bool follow = false;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return EXIT_OK;
		} else if (!strcmp(argv[i], "--json")) {
			json = true;
		} else if (!strcmp(argv[i], "-f") ||
			   !strcmp(argv[i], "--follow")) {
			follow = true;
		} else if (argv[i][0] == '-') {
			return usage_error("unknown option");
		} else if (count < 3) {
			words[count++] = argv[i];
		} else {
			return usage_error("too many arguments");
		}
	}
	if (!count)
		return usage_error("no command");
	command = words[0];
	bool list = !strcmp(command, "list"), stats = !strcmp(command, "stats");
	bool log = !strcmp(command, "log");
	uint32_t operation = !strcmp(command, "stop")	   ? BULKHEAD_OP_STOP
			     : !strcmp(command, "start")   ? BULKHEAD_OP_START
			     : !strcmp(command, "restart") ? BULKHEAD_OP_RESTART
							   : 0;

	if (!list && !stats && !log && !operation)
		return usage_error("unknown command");
	if ((list && count != 1) || (stats && count > 2) ||
	    ((log || operation) && count != 2))
		return usage_error("wrong number of arguments");
	if (follow && !log)
		return usage_error("-f is for log");
	status = open_device();
	if (status)
		return status;
	if (list)
		return command_list();
	if (stats)
		return command_stats(count == 2 ? words[1] : NULL);
	if (log)
		return command_log(words[1], follow);
	return command_control(words[1], operation);
}
