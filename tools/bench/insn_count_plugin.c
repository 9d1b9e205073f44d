/* SPDX-License-Identifier: MIT */
/*
 * insn_count_plugin: a QEMU TCG plugin that counts executed instructions
 * between markers, per vCPU and per instruction address, for `make bench`.
 *
 * Debian ships QEMU 7.2 with the plugin interface compiled in but without
 * qemu-plugin.h, so the part of API version 1 used here is declared below.
 *
 * Markers are 7-byte NOPs a bench program places around the code it
 * measures, "nopl 0x4248XXXX(%rax)" (0f 1f 80 + disp32, see
 * guests/lib/bench.h); the low 16 bits of the displacement say what:
 *   0x0001        arm: from now on every instruction is instrumented
 *   0x01TT        open window TT on the executing vCPU
 *   0x02TT        close window TT on the executing vCPU
 * Until a program arms the plugin, only marker instructions get a callback,
 * so the firmware, the loader and boot run at full TCG speed. Arming resets
 * the plugin (QEMU flushes its translations) and re-installs the
 * translation hook with a callback on every instruction. Each instruction
 * executed by a vCPU with an open window adds one to its own counter and to
 * the window's total; marker NOPs themselves are not counted.
 *
 * At each window's end the plugin appends to the file given as out=PATH:
 *   window TT vcpu V insns TOTAL
 *   ADDRESS COUNT        (one line per instruction address executed)
 *   end TT
 * Addresses are virtual: the hypervisor runs identity-mapped, a guest at
 * its own virtual addresses, so a later pass splits the counts with the
 * core's address range from the serial log (tools/bench/bench.sh).
 *
 * Each vCPU has its own counter in every instruction record and its own
 * window, and the output is written under a lock, so QEMU's multi-threaded
 * TCG (one host thread per vCPU) needs nothing special.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- The QEMU plugin API, version 1 (QEMU 7.2), as far as used here. --- */
typedef uint64_t qemu_plugin_id_t;

typedef struct {
	const char *target_name;
	struct {
		int min;
		int cur;
	} version;
	bool system_emulation;
	union {
		struct {
			int smp_vcpus;
			int max_vcpus;
		} system;
	};
} qemu_info_t;

struct qemu_plugin_tb;
struct qemu_plugin_insn;

enum qemu_plugin_cb_flags {
	QEMU_PLUGIN_CB_NO_REGS,
	QEMU_PLUGIN_CB_R_REGS,
	QEMU_PLUGIN_CB_RW_REGS,
};

typedef void (*qemu_plugin_simple_cb_t)(qemu_plugin_id_t id);
typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void *userdata);
typedef void (*qemu_plugin_vcpu_udata_cb_t)(unsigned int vcpu_index,
					    void *userdata);
typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id,
					       struct qemu_plugin_tb *tb);

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id,
					   qemu_plugin_vcpu_tb_trans_cb_t cb);
void qemu_plugin_register_vcpu_insn_exec_cb(struct qemu_plugin_insn *insn,
					    qemu_plugin_vcpu_udata_cb_t cb,
					    enum qemu_plugin_cb_flags flags,
					    void *userdata);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id,
				    qemu_plugin_udata_cb_t cb, void *userdata);
void qemu_plugin_reset(qemu_plugin_id_t id, qemu_plugin_simple_cb_t cb);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb,
						 size_t index);
const void *qemu_plugin_insn_data(const struct qemu_plugin_insn *insn);
size_t qemu_plugin_insn_size(const struct qemu_plugin_insn *insn);
uint64_t qemu_plugin_insn_vaddr(const struct qemu_plugin_insn *insn);
void qemu_plugin_outs(const char *string);

#define EXPORT __attribute__((visibility("default")))

EXPORT int qemu_plugin_version = 1;
EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info,
			       int argc, char **argv);

/* --- The plugin. --- */
#define MARKER_MAGIC 0x42480000u
#define MARKER_ARM 0x0001u
#define MARKER_BEGIN 0x0100u
#define MARKER_END 0x0200u
#define MAX_VCPUS 16

struct insn_record {
	uint64_t vaddr;
	struct insn_record *next;
	uint64_t count[MAX_VCPUS];
};

struct window {
	bool open;
	unsigned tag;
	uint64_t total;
};

static qemu_plugin_id_t self;
static FILE *out;
static bool armed, arm_requested;
static pthread_mutex_t records_lock = PTHREAD_MUTEX_INITIALIZER;
static struct insn_record *records;
static struct window windows[MAX_VCPUS];
static unsigned windows_done, windows_unarmed;

static void say(const char *text)
{
	char line[256];

	snprintf(line, sizeof(line), "insn_count: %s\n", text);
	qemu_plugin_outs(line);
}

static void count_insn(unsigned int vcpu, void *userdata)
{
	struct insn_record *record = userdata;

	if (vcpu >= MAX_VCPUS || !windows[vcpu].open)
		return;
	record->count[vcpu]++;
	windows[vcpu].total++;
}

static void window_close(unsigned vcpu)
{
	struct window *w = &windows[vcpu];

	/* One lock for the whole block: vCPUs may close windows together. */
	pthread_mutex_lock(&records_lock);
	fprintf(out, "window %02x vcpu %u insns %" PRIu64 "\n", w->tag, vcpu,
		w->total);
	for (struct insn_record *r = records; r; r = r->next) {
		if (!r->count[vcpu])
			continue;
		fprintf(out, "%" PRIx64 " %" PRIu64 "\n", r->vaddr,
			r->count[vcpu]);
		r->count[vcpu] = 0;
	}
	fprintf(out, "end %02x\n", w->tag);
	fflush(out);
	windows_done++;
	pthread_mutex_unlock(&records_lock);
	w->open = false;
}

static void translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb);
static void at_exit(qemu_plugin_id_t id, void *userdata);

/* After the reset QEMU has dropped every callback and translation. */
static void rearmed(qemu_plugin_id_t id)
{
	armed = true;
	qemu_plugin_register_vcpu_tb_trans_cb(id, translate);
	qemu_plugin_register_atexit_cb(id, at_exit, NULL);
	fprintf(out, "armed\n");
	fflush(out);
}

static void marker(unsigned int vcpu, void *userdata)
{
	unsigned id = (unsigned)(uintptr_t)userdata;

	if (vcpu >= MAX_VCPUS)
		return;
	if (id == MARKER_ARM) {
		if (!__atomic_exchange_n(&arm_requested, true, __ATOMIC_SEQ_CST))
			qemu_plugin_reset(self, rearmed);
		return;
	}
	if (!armed) {
		windows_unarmed++;
		return;
	}
	if ((id & 0xff00u) == MARKER_BEGIN) {
		if (windows[vcpu].open) {
			pthread_mutex_lock(&records_lock);
			fprintf(out, "error window %02x reopened as %02x\n",
				windows[vcpu].tag, id & 0xffu);
			pthread_mutex_unlock(&records_lock);
		}
		windows[vcpu] = (struct window){ true, id & 0xffu, 0 };
	} else if ((id & 0xff00u) == MARKER_END) {
		if (windows[vcpu].open && windows[vcpu].tag == (id & 0xffu)) {
			window_close(vcpu);
		} else {
			pthread_mutex_lock(&records_lock);
			fprintf(out, "error end %02x without its window\n",
				id & 0xffu);
			pthread_mutex_unlock(&records_lock);
		}
	}
}

/* A marker is exactly "nopl disp32(%rax)" with the magic in the high half. */
static bool marker_id(const struct qemu_plugin_insn *insn, unsigned *id)
{
	const uint8_t *bytes = qemu_plugin_insn_data(insn);
	uint32_t displacement;

	if (qemu_plugin_insn_size(insn) != 7 || bytes[0] != 0x0f ||
	    bytes[1] != 0x1f || bytes[2] != 0x80)
		return false;
	memcpy(&displacement, bytes + 3, 4);
	if ((displacement & 0xffff0000u) != MARKER_MAGIC)
		return false;
	*id = displacement & 0xffffu;
	return true;
}

static void translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t n = qemu_plugin_tb_n_insns(tb);

	(void)id;
	for (size_t i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
		unsigned marker_value;

		if (marker_id(insn, &marker_value)) {
			qemu_plugin_register_vcpu_insn_exec_cb(
				insn, marker, QEMU_PLUGIN_CB_NO_REGS,
				(void *)(uintptr_t)marker_value);
			continue;
		}
		if (!armed)
			continue;
		struct insn_record *record = calloc(1, sizeof(*record));
		if (!record)
			abort();
		record->vaddr = qemu_plugin_insn_vaddr(insn);
		pthread_mutex_lock(&records_lock);
		record->next = records;
		records = record;
		pthread_mutex_unlock(&records_lock);
		qemu_plugin_register_vcpu_insn_exec_cb(
			insn, count_insn, QEMU_PLUGIN_CB_NO_REGS, record);
	}
}

static void at_exit(qemu_plugin_id_t id, void *userdata)
{
	(void)id;
	(void)userdata;
	pthread_mutex_lock(&records_lock);
	fprintf(out, "exit armed %d windows %u unarmed %u\n", armed,
		windows_done, windows_unarmed);
	fflush(out);
	pthread_mutex_unlock(&records_lock);
}

EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info,
			       int argc, char **argv)
{
	const char *path = NULL;

	(void)info;
	for (int i = 0; i < argc; i++) {
		if (!strncmp(argv[i], "out=", 4)) {
			path = argv[i] + 4;
		} else {
			say("unknown argument (only out=PATH)");
			return -1;
		}
	}
	if (!path) {
		say("missing out=PATH");
		return -1;
	}
	out = fopen(path, "w");
	if (!out) {
		say("cannot open the output file");
		return -1;
	}
	self = id;
	qemu_plugin_register_vcpu_tb_trans_cb(id, translate);
	qemu_plugin_register_atexit_cb(id, at_exit, NULL);
	return 0;
}
