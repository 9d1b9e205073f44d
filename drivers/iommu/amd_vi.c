/* SPDX-License-Identifier: MIT */
/*
 * AMD-Vi with host (v1) translation; see amd_vi.h. Register layout, the
 * device table entry, commands and events after the AMD I/O
 * Virtualization Technology specification (rev. 3), chapters 2.2 (device
 * table, page tables), 2.4 (commands), 2.5 (events) and 3 (registers).
 * Every IOMMU gets:
 *   - a device table of 65536 entries (2 MiB: every bus), each one valid
 *     and translating (V=1, TV=1, a 4-level walk of a table with nothing
 *     present) with IR=IW=0, so every DMA is refused and, per the
 *     specification, logged as an IO_PAGE_FAULT; interrupt remapping
 *     valid (IV=1) with IntCtl=00b (target abort) and no pass bits, so
 *     every interrupt request of a device is blocked too;
 *   - where the IVRS says the unit remaps interrupts, an interrupt
 *     remapping table of 256 entries per attached device (requester id),
 *     taken from the boot heap at its first attach and kept: while the
 *     device is attached its entry remaps fixed and arbitrated interrupts
 *     through that table (IntCtl=10b; NMI, INIT, ExtInt, LINT0/1 stay
 *     blocked), an entry with RemapEn clear aborting the interrupt; the
 *     table is the device's own, so no other requester id can use its
 *     entries. Every change of an entry is followed by
 *     INVALIDATE_INTERRUPT_TABLE and a wait;
 *   - a command buffer of 256 commands, each batch ending in a
 *     COMPLETION_WAIT that stores a sequence number this driver polls;
 *   - an event log of 256 entries, polled, read and cleared by moving the
 *     head pointer.
 * A device table entry changes by one 64-bit store of its first quad
 * (valid, mode, root, permissions), the domain id beside it written while
 * the entry still blocks; every change is followed by
 * INVALIDATE_DEVTAB_ENTRY, INVALIDATE_IOMMU_PAGES of the domain and a
 * wait for completion. Accesses of the IOMMU to these structures are
 * coherent (Control.Coherent).
 */
#include "amd_vi.h"

#include <string.h>

#include "amd_vi_format.h"
#include "amd_vi_interrupt.h"
#include "arch/x86_64/cpu.h"
#include "core/base/boot_alloc.h"
#include "lib/format.h"

#define REG_DEVICE_TABLE 0x0000
#define REG_COMMAND_BASE 0x0008
#define REG_EVENT_BASE 0x0010
#define REG_CONTROL 0x0018
#define REG_FEATURES 0x0030
#define REG_COMMAND_HEAD 0x2000
#define REG_COMMAND_TAIL 0x2008
#define REG_EVENT_HEAD 0x2010
#define REG_EVENT_TAIL 0x2018
#define REG_STATUS 0x2020

#define CONTROL_IOMMU_EN (1ull << 0)
#define CONTROL_EVENT_LOG_EN (1ull << 2)
#define CONTROL_COHERENT (1ull << 10)
#define CONTROL_COMMAND_EN (1ull << 12)

#define STATUS_EVENT_OVERFLOW (1ull << 0)
#define STATUS_W1C 0x7ull /* overflow, event and completion interrupts */
#define STATUS_COMMAND_RUN (1ull << 4)

#define FEATURE_IA (1ull << 6) /* INVALIDATE_IOMMU_ALL */

#define DEVICE_IDS 65536u
#define DEVICE_TABLE_SIZE (DEVICE_IDS * 32ull)  /* 2 MiB */
#define DEVICE_TABLE_SIZE_FIELD 0x1ffull        /* (size / 4 KiB) - 1 */
#define RING_ENTRIES 256u                       /* 4 KiB of 16 bytes */
#define RING_LENGTH_FIELD (8ull << 56)          /* 2^8 entries */
#define RING_MASK (RING_ENTRIES * 16 - 1)

#define DTE_V (1ull << 0)
#define DTE_TV (1ull << 1)
#define DTE_MODE_4 (4ull << 9)
#define DTE_IR (1ull << 61)
#define DTE_IW (1ull << 62)
/* The third quad (interrupts) of a blocking entry: IV=1, IntCtl 00b
 * (fixed and arbitrated interrupts target-aborted), NMI, INIT, ExtInt
 * and LINT0/1 pass bits clear: blocked; no table, or the device's table
 * once it has one (amd_vi_interrupt.h). */

#define COMMAND_COMPLETION_WAIT (1ull << 60)
#define COMMAND_INVALIDATE_DEVTAB (2ull << 60)
#define COMMAND_INVALIDATE_PAGES (3ull << 60)
#define COMMAND_INVALIDATE_INTERRUPTS (5ull << 60)
#define COMMAND_INVALIDATE_ALL (8ull << 60)
#define WAIT_STORE (1ull << 0)
#define PAGES_ALL (0x7ffffffffffff000ull | 1ull << 1 | 1ull << 0) /* PDE, S */
#define BATCH_MAX (RING_ENTRIES - 2) /* room for the wait, never full */

#define EVENT_IO_PAGE_FAULT 0x2
#define EVENT_FLAG_INTERRUPT (1ull << 51)
#define EVENT_FLAG_WRITE (1ull << 53)

#define SPIN_LIMIT 10000000u

struct amd_vi_unit {
	uint64_t base;
	uint16_t segment;
	uint16_t device_id;
	uint64_t features;
	uint64_t control;
	uint64_t *device_table; /* 4 quads per device id */
	uint64_t *commands;
	uint32_t command_tail; /* bytes */
	uint64_t *events;
	uint32_t event_head; /* bytes */
	volatile uint64_t *wait_status;
	uint64_t wait_sequence;
	bool remaps_interrupts; /* the IVRS says so */
	volatile int lock;
};

static struct amd_vi_unit units[IVRS_MAX_UNITS];
static unsigned unit_count;
static struct pagetable_format domain_format;
static uint64_t *empty_root; /* the blocking entries' table: all absent */

static uint64_t read64(const struct amd_vi_unit *u, unsigned reg)
{
	return mmio_read64(u->base + reg);
}

static void write64(const struct amd_vi_unit *u, unsigned reg, uint64_t value)
{
	mmio_write64(u->base + reg, value);
}

static void lock(struct amd_vi_unit *u)
{
	while (__atomic_exchange_n(&u->lock, 1, __ATOMIC_ACQUIRE))
		cpu_relax();
}

static void unlock(struct amd_vi_unit *u)
{
	__atomic_store_n(&u->lock, 0, __ATOMIC_RELEASE);
}

/* Queues commands, then a COMPLETION_WAIT, and waits for its store. The
 * caller holds the unit's lock (or runs alone at boot); the buffer is
 * empty on entry since every batch is waited for. */
static bool submit(struct amd_vi_unit *u, const uint64_t (*commands)[2],
		   unsigned count)
{
	uint64_t sequence = ++u->wait_sequence;

	if (count > BATCH_MAX)
		return false;
	*u->wait_status = 0;
	for (unsigned i = 0; i <= count; i++) {
		uint64_t *slot = &u->commands[u->command_tail / 8];

		if (i < count) {
			slot[0] = commands[i][0];
			slot[1] = commands[i][1];
		} else {
			slot[0] = COMMAND_COMPLETION_WAIT | WAIT_STORE |
				  ((uint64_t)(uintptr_t)u->wait_status &
				   0x000ffffffffffff8ull);
			slot[1] = sequence;
		}
		u->command_tail = (u->command_tail + 16) & RING_MASK;
	}
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	write64(u, REG_COMMAND_TAIL, u->command_tail);
	for (uint32_t spin = 0; spin < SPIN_LIMIT; spin++) {
		if (*u->wait_status == sequence)
			return true;
		if (!(read64(u, REG_STATUS) & STATUS_COMMAND_RUN))
			return false; /* halted on an illegal command */
		cpu_relax();
	}
	return false;
}

/* Everything the IOMMU may cache: at boot, before any device is let
 * through. Without INVALIDATE_IOMMU_ALL: every device table entry and
 * interrupt table, and the blocking entries' domain 0. */
static bool invalidate_all(struct amd_vi_unit *u)
{
	static uint64_t batch[BATCH_MAX][2];
	unsigned count = 0;

	if (u->features & FEATURE_IA) {
		const uint64_t all[1][2] = { { COMMAND_INVALIDATE_ALL, 0 } };

		return submit(u, all, 1);
	}
	for (uint32_t id = 0; id < DEVICE_IDS; id++) {
		batch[count][0] = COMMAND_INVALIDATE_DEVTAB | id;
		batch[count++][1] = 0;
		batch[count][0] = COMMAND_INVALIDATE_INTERRUPTS | id;
		batch[count++][1] = 0;
		if (count + 2 > BATCH_MAX) {
			if (!submit(u, (const uint64_t(*)[2])batch, count))
				return false;
			count = 0;
		}
	}
	batch[count][0] = COMMAND_INVALIDATE_PAGES;
	batch[count++][1] = PAGES_ALL;
	return submit(u, (const uint64_t(*)[2])batch, count);
}

/* What the IOMMU may cache of one device in one domain: its entry, its
 * interrupt table and the domain's translations. */
static bool invalidate_device(struct amd_vi_unit *u, uint16_t domain_id,
			      uint16_t device_id)
{
	const uint64_t commands[3][2] = {
		{ COMMAND_INVALIDATE_DEVTAB | device_id, 0 },
		{ COMMAND_INVALIDATE_INTERRUPTS | device_id, 0 },
		{ COMMAND_INVALIDATE_PAGES | (uint64_t)domain_id << 32,
		  PAGES_ALL },
	};

	return submit(u, commands, 3);
}

/* What the IOMMU may cache of one device's interrupt table. */
static bool invalidate_interrupts(struct amd_vi_unit *u, uint16_t device_id)
{
	const uint64_t commands[1][2] = {
		{ COMMAND_INVALIDATE_INTERRUPTS | device_id, 0 },
	};

	return submit(u, commands, 1);
}

static void *page(void)
{
	return boot_alloc(PAGE_SIZE, PAGE_SIZE);
}

static bool fail(char *error, size_t size, const struct amd_vi_unit *u,
		 const char *what)
{
	format(error, size, "AMD-Vi IOMMU at 0x%llx: %s",
	       (unsigned long long)u->base, what);
	return false;
}

static void set_blocking(uint64_t *entry)
{
	entry[0] = DTE_V | DTE_TV | DTE_MODE_4 |
		   (uint64_t)(uintptr_t)empty_root; /* IR = IW = 0 */
	entry[1] = 0;
	entry[2] = amd_vi_dte_interrupts_blocked(0);
	entry[3] = 0;
}

static bool unit_init(struct amd_vi_unit *u, char *error, size_t size)
{
	if (read64(u, REG_CONTROL) & CONTROL_IOMMU_EN)
		return fail(error, size, u, "left enabled by the firmware");
	u->features = read64(u, REG_FEATURES);
	u->device_table = boot_alloc(DEVICE_TABLE_SIZE, PAGE_SIZE);
	u->commands = page();
	u->events = page();
	u->wait_status = boot_alloc(64, 64);
	if (!u->device_table || !u->commands || !u->events || !u->wait_status)
		return fail(error, size, u, "out of boot memory");
	for (uint32_t id = 0; id < DEVICE_IDS; id++)
		set_blocking(&u->device_table[id * 4]);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);

	write64(u, REG_DEVICE_TABLE, (uint64_t)(uintptr_t)u->device_table |
					     DEVICE_TABLE_SIZE_FIELD);
	write64(u, REG_COMMAND_BASE,
		(uint64_t)(uintptr_t)u->commands | RING_LENGTH_FIELD);
	write64(u, REG_EVENT_BASE,
		(uint64_t)(uintptr_t)u->events | RING_LENGTH_FIELD);
	write64(u, REG_COMMAND_HEAD, 0);
	write64(u, REG_COMMAND_TAIL, 0);
	write64(u, REG_EVENT_HEAD, 0);
	write64(u, REG_EVENT_TAIL, 0);
	write64(u, REG_STATUS, STATUS_W1C);
	u->control = CONTROL_COHERENT | CONTROL_EVENT_LOG_EN |
		     CONTROL_COMMAND_EN | CONTROL_IOMMU_EN;
	write64(u, REG_CONTROL, u->control);
	if (!(read64(u, REG_CONTROL) & CONTROL_IOMMU_EN))
		return fail(error, size, u, "translation not enabled");
	if (!invalidate_all(u))
		return fail(error, size, u, "the first invalidation failed");
	return true;
}

bool amd_vi_init(const struct ivrs_info *ivrs, char *error,
		 size_t error_size)
{
	unit_count = 0;
	empty_root = page();
	if (!empty_root) {
		format(error, error_size, "AMD-Vi: out of boot memory");
		return false;
	}
	for (uint32_t i = 0; i < ivrs->unit_count; i++) {
		struct amd_vi_unit *u = &units[unit_count++];

		memset(u, 0, sizeof(*u));
		u->base = ivrs->units[i].mmio_base;
		u->segment = ivrs->units[i].segment;
		u->device_id = ivrs->units[i].device_id;
		u->remaps_interrupts =
			amd_vi_unit_remaps_interrupts(&ivrs->units[i]);
		if (!unit_init(u, error, error_size))
			return false;
	}
	amd_vi_format_init(&domain_format, 1);
	return true;
}

const struct pagetable_format *amd_vi_domain_format(void)
{
	return &domain_format;
}

bool amd_vi_attach(int index, uint16_t domain_id,
		   const struct pagetable *table,
		   const struct iommu_device *device, char *error,
		   size_t error_size)
{
	struct amd_vi_unit *u = &units[index];
	uint16_t device_id = iommu_requester_id(device);
	uint64_t *entry = &u->device_table[device_id * 4];

	if (!table->root) {
		format(error, error_size, "AMD-Vi: domain %u has no table",
		       domain_id);
		return false;
	}
	uint64_t interrupts = amd_vi_dte_interrupt_table(entry[2]);

	if (u->remaps_interrupts && !interrupts) {
		/* The first attach, at boot: the device's own table, every
		 * entry aborting (RemapEn clear). */
		void *fresh = boot_alloc(AMD_VI_IRTE_TABLE_SIZE,
					 AMD_VI_IRTE_TABLE_ALIGN);

		if (!fresh) {
			format(error, error_size,
			       "AMD-Vi: out of boot memory for the interrupt "
			       "table of %02x:%02x.%x",
			       device->bus, device->device, device->function);
			return false;
		}
		interrupts = (uint64_t)(uintptr_t)fresh;
	}
	lock(u);
	entry[1] = domain_id; /* the entry still blocks */
	if (interrupts)
		__atomic_store_n(&entry[2],
				 amd_vi_dte_interrupts_remapped(interrupts),
				 __ATOMIC_RELEASE);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	__atomic_store_n(&entry[0],
			 DTE_V | DTE_TV | DTE_MODE_4 | table->root | DTE_IR |
				 DTE_IW,
			 __ATOMIC_RELEASE);
	bool done = invalidate_device(u, domain_id, device_id);
	unlock(u);
	if (!done)
		format(error, error_size,
		       "AMD-Vi: invalidation after attaching %02x:%02x.%x "
		       "did not complete",
		       device->bus, device->device, device->function);
	return done;
}

void amd_vi_block(int index, uint16_t domain_id,
		  const struct iommu_device *device)
{
	struct amd_vi_unit *u = &units[index];
	uint16_t device_id = iommu_requester_id(device);
	uint64_t *entry = &u->device_table[device_id * 4];

	uint64_t interrupts = amd_vi_dte_interrupt_table(entry[2]);

	lock(u);
	__atomic_store_n(&entry[0],
			 DTE_V | DTE_TV | DTE_MODE_4 |
				 (uint64_t)(uintptr_t)empty_root,
			 __ATOMIC_RELEASE);
	__atomic_store_n(&entry[2], amd_vi_dte_interrupts_blocked(interrupts),
			 __ATOMIC_RELEASE);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	entry[1] = 0;
	/* The next attach starts with every interrupt entry aborting. */
	if (interrupts)
		memset((void *)(uintptr_t)interrupts, 0,
		       AMD_VI_IRTE_TABLE_SIZE);
	invalidate_device(u, domain_id, device_id);
	unlock(u);
}

bool amd_vi_interrupts_only(int index, uint16_t device_id)
{
	struct amd_vi_unit *u = &units[index];
	uint64_t *entry = &u->device_table[device_id * 4];
	uint64_t interrupts = amd_vi_dte_interrupt_table(entry[2]);

	if (!u->remaps_interrupts)
		return false;
	if (!interrupts) {
		void *fresh = boot_alloc(AMD_VI_IRTE_TABLE_SIZE,
					 AMD_VI_IRTE_TABLE_ALIGN);

		if (!fresh)
			return false;
		interrupts = (uint64_t)(uintptr_t)fresh;
	}
	lock(u);
	/* DMA stays blocked (the first quad is untouched). */
	__atomic_store_n(&entry[2], amd_vi_dte_interrupts_remapped(interrupts),
			 __ATOMIC_RELEASE);
	bool done = invalidate_interrupts(u, device_id);
	unlock(u);
	return done;
}

bool amd_vi_remaps_interrupts(void)
{
	for (unsigned i = 0; i < unit_count; i++)
		if (!units[i].remaps_interrupts)
			return false;
	return unit_count > 0;
}

/* Entry handle of the device's interrupt table, or NULL for a handle
 * past the table and while the device is not attached (no table yet, or
 * blocked: a route made then would outlive the blocking's clearing). */
static volatile uint32_t *interrupt_entry(const struct amd_vi_unit *u,
					  uint16_t device_id, uint16_t handle)
{
	uint64_t quad = u->device_table[device_id * 4 + 2];
	uint64_t table = amd_vi_dte_interrupt_table(quad);

	if (!table || quad != amd_vi_dte_interrupts_remapped(table) ||
	    handle >= AMD_VI_IRTE_ENTRIES)
		return NULL;
	return (volatile uint32_t *)(uintptr_t)table + handle;
}

bool amd_vi_interrupt_route(int index, const struct iommu_device *device,
			    uint16_t handle, uint8_t apic_id, uint8_t vector)
{
	struct amd_vi_unit *u = &units[index];
	uint16_t device_id = iommu_requester_id(device);
	volatile uint32_t *entry;

	if (!u->remaps_interrupts)
		return false;
	lock(u);
	entry = interrupt_entry(u, device_id, handle);
	if (!entry) {
		unlock(u);
		return false;
	}
	/* RemapEn, vector and destination change in one store. */
	__atomic_store_n(entry, amd_vi_irte_fixed(apic_id, vector),
			 __ATOMIC_SEQ_CST);
	bool done = invalidate_interrupts(u, device_id);
	unlock(u);
	return done;
}

void amd_vi_interrupt_unroute(int index, const struct iommu_device *device,
			      uint16_t handle)
{
	struct amd_vi_unit *u = &units[index];
	uint16_t device_id = iommu_requester_id(device);
	volatile uint32_t *entry;

	lock(u);
	entry = interrupt_entry(u, device_id, handle);
	if (entry) {
		__atomic_store_n(entry, 0, __ATOMIC_SEQ_CST);
		invalidate_interrupts(u, device_id);
	}
	unlock(u);
}

static const char *event_text(unsigned code)
{
	switch (code) {
	case 0x1:
		return "illegal device table entry";
	case EVENT_IO_PAGE_FAULT:
		return "I/O page fault";
	case 0x3:
		return "device table hardware error";
	case 0x4:
		return "page table hardware error";
	case 0x5:
		return "illegal command";
	case 0x6:
		return "command hardware error";
	case 0x7:
		return "IOTLB invalidation timeout";
	case 0x8:
		return "invalid device request";
	default:
		return "refused";
	}
}

/* Starts the log again after an overflow: the specification's way is
 * to turn it off, reset both pointers and turn it on. */
static void restart_event_log(struct amd_vi_unit *u)
{
	write64(u, REG_CONTROL, u->control & ~CONTROL_EVENT_LOG_EN);
	write64(u, REG_STATUS, STATUS_EVENT_OVERFLOW);
	memset(u->events, 0, PAGE_SIZE);
	write64(u, REG_EVENT_HEAD, 0);
	write64(u, REG_EVENT_TAIL, 0);
	u->event_head = 0;
	write64(u, REG_CONTROL, u->control);
}

unsigned amd_vi_poll_faults(void (*report)(void *context,
					   const struct iommu_fault *fault),
			    void *context)
{
	unsigned seen = 0;

	for (unsigned i = 0; i < unit_count; i++) {
		struct amd_vi_unit *u = &units[i];
		uint32_t tail = (uint32_t)read64(u, REG_EVENT_TAIL) & RING_MASK;

		if (tail == u->event_head &&
		    !(read64(u, REG_STATUS) & STATUS_EVENT_OVERFLOW))
			continue;
		lock(u);
		tail = (uint32_t)read64(u, REG_EVENT_TAIL) & RING_MASK;
		while (u->event_head != tail) {
			uint64_t *slot = &u->events[u->event_head / 8];
			uint64_t low = slot[0], high = slot[1];
			unsigned code = (unsigned)(low >> 60);
			uint16_t id = (uint16_t)low;
			struct iommu_fault fault = {
				.device = { u->segment, (uint8_t)(id >> 8),
					    (uint8_t)(id >> 3 & 0x1f),
					    (uint8_t)(id & 7) },
				.address = high & ~0xfffull,
				.write = low & EVENT_FLAG_WRITE,
				.interrupt = code == EVENT_IO_PAGE_FAULT &&
					     (low & EVENT_FLAG_INTERRUPT),
				.reason = (uint8_t)code,
				.reason_text = event_text(code),
			};

			slot[0] = slot[1] = 0;
			u->event_head = (u->event_head + 16) & RING_MASK;
			write64(u, REG_EVENT_HEAD, u->event_head);
			seen++;
			unlock(u);
			report(context, &fault);
			lock(u);
			tail = (uint32_t)read64(u, REG_EVENT_TAIL) & RING_MASK;
		}
		if (read64(u, REG_STATUS) & STATUS_EVENT_OVERFLOW)
			restart_event_log(u);
		unlock(u);
	}
	return seen;
}

void amd_vi_describe(void (*line)(const char *text))
{
	char text[240];

	for (unsigned i = 0; i < unit_count; i++) {
		const struct amd_vi_unit *u = &units[i];

		format(text, sizeof(text),
		       "AMD-Vi IOMMU at 0x%llx (PCI %02x:%02x.%x): extended "
		       "features 0x%llx, 4-level tables, 2 MiB device table; "
		       "all DMA and device interrupts blocked at boot; "
		       "interrupt remapping %s",
		       (unsigned long long)u->base, u->device_id >> 8,
		       u->device_id >> 3 & 0x1f, u->device_id & 7,
		       (unsigned long long)u->features,
		       u->remaps_interrupts
			       ? "with a table per attached device"
			       : "not used (its IVRS block lists no IOAPIC)");
		line(text);
	}
}
