/* SPDX-License-Identifier: MIT */
/*
 * Intel VT-d in legacy translation mode; see vtd.h. Register layout,
 * table formats and invalidation descriptors after the VT-d specification
 * (rev. 4), chapters 9 (tables), 6.5 (invalidation), 7 (faults) and 10
 * (registers). Every unit gets:
 *   - a root table whose entries point at context tables, one per bus
 *     that has a device to attach (allocated at boot);
 *   - an invalidation queue of 256 descriptors, with a wait descriptor
 *     that writes a status word this driver polls;
 *   - an interrupt-remapping table of 256 entries, none present at boot,
 *     and compatibility-format interrupts off: a device's interrupt
 *     request is blocked unless an entry routes it (a fixed vector to one
 *     CPU, for that device's requester id only), so no device can send
 *     an NMI, INIT or any other vector by writing to the interrupt
 *     address range;
 *   - the fault event interrupt, delivered as an NMI to one CPU.
 * Context entries are written with the present bit last and flushed from
 * the CPU's caches when the unit does not snoop its page walks (ECAP.C
 * clear); every change is followed by context-cache and IOTLB
 * invalidation through the queue and a wait for its completion.
 */
#include "vtd.h"

#include <string.h>

#include "arch/x86_64/cpu.h"
#include "core/base/boot_alloc.h"
#include "lib/format.h"
#include "vtd_format.h"
#include "vtd_interrupt.h"

#define REG_VERSION 0x00
#define REG_CAP 0x08
#define REG_ECAP 0x10
#define REG_GCMD 0x18
#define REG_GSTS 0x1c
#define REG_RTADDR 0x20
#define REG_FSTS 0x34
#define REG_FECTL 0x38
#define REG_FEDATA 0x3c
#define REG_FEADDR 0x40
#define REG_FEUADDR 0x44
#define REG_IQH 0x80
#define REG_IQT 0x88
#define REG_IQA 0x90
#define REG_IRTA 0xb8

#define GCMD_TE (1u << 31)
#define GCMD_SRTP (1u << 30)
#define GCMD_WBF (1u << 27)
#define GCMD_QIE (1u << 26)
#define GCMD_IRE (1u << 25)
#define GCMD_SIRTP (1u << 24)
#define GSTS_TES (1u << 31)
#define GSTS_RTPS (1u << 30)
#define GSTS_WBFS (1u << 27)
#define GSTS_QIES (1u << 26)
#define GSTS_IRES (1u << 25)
#define GSTS_IRTPS (1u << 24)

#define CAP_RWBF (1ull << 4)
#define CAP_CM (1ull << 7)
#define CAP_SAGAW(cap) ((unsigned)((cap) >> 8) & 0x1f)
#define CAP_FRO(cap) ((unsigned)(((cap) >> 24) & 0x3ff) * 16)
#define CAP_SLLPS(cap) ((unsigned)((cap) >> 34) & 0xf)
#define CAP_NFR(cap) ((unsigned)(((cap) >> 40) & 0xff) + 1)
#define CAP_DWD (1ull << 54)
#define CAP_DRD (1ull << 55)
#define ECAP_C (1ull << 0)
#define ECAP_QI (1ull << 1)
#define ECAP_IR (1ull << 3)

#define FSTS_PPF (1u << 1)
#define FSTS_IQE (1u << 4)
#define FSTS_CLEAR 0x7du /* every write-1-to-clear bit */
#define FECTL_IM (1u << 31)
#define FRCD_F (1ull << 63)
#define FRCD_T (1ull << 62)

#define ROOT_PRESENT 1ull
#define CONTEXT_PRESENT 1ull
#define CONTEXT_AW_39 1ull /* 3-level second-level walk */
#define CONTEXT_AW_48 2ull /* 4-level */

#define QUEUE_ENTRIES 256u
#define DESC_CONTEXT 0x1ull
#define DESC_IOTLB 0x2ull
#define DESC_IEC 0x4ull
#define DESC_WAIT 0x5ull
#define GRANULARITY_GLOBAL 1ull
#define GRANULARITY_DOMAIN 2ull
#define GRANULARITY_DEVICE 3ull
#define WAIT_STATUS_WRITE (1ull << 5)
#define IOTLB_DRAIN_READS (1ull << 7)
#define IOTLB_DRAIN_WRITES (1ull << 6)

#define IRT_ENTRIES_LOG2_MINUS_1 7 /* 2^(7+1) = 256 entries: one page */
#define IRT_ENTRIES 256u
#define IEC_BY_INDEX (1ull << 4)
#define MSI_ADDRESS 0xfee00000u
#define MSI_DELIVERY_NMI (4u << 8)
#define NMI_VECTOR 2u

#define SPIN_LIMIT 10000000u

struct vtd_unit {
	uint64_t base;
	uint16_t segment;
	uint64_t cap, ecap;
	uint32_t version;
	uint32_t gcmd; /* the persistent enables written so far */
	uint64_t *root;
	uint64_t *context[256]; /* per bus; NULL until a device needs it */
	uint64_t *queue;
	uint64_t *interrupt_table; /* IRT_ENTRIES entries of 2 words */
	uint32_t tail;
	volatile uint32_t *wait_status;
	uint32_t wait_sequence;
	volatile int lock;
};

static struct vtd_unit units[DMAR_MAX_UNITS];
static unsigned unit_count;
static struct pagetable_format domain_format;
static uint64_t domain_width; /* CONTEXT_AW_39 or CONTEXT_AW_48 */

static uint32_t read32(const struct vtd_unit *u, unsigned reg)
{
	return mmio_read32(u->base + reg);
}

static void write32(const struct vtd_unit *u, unsigned reg, uint32_t value)
{
	mmio_write32(u->base + reg, value);
}

static uint64_t read64(const struct vtd_unit *u, unsigned reg)
{
	return mmio_read64(u->base + reg);
}

static void write64(const struct vtd_unit *u, unsigned reg, uint64_t value)
{
	mmio_write64(u->base + reg, value);
}

static void lock(struct vtd_unit *u)
{
	while (__atomic_exchange_n(&u->lock, 1, __ATOMIC_ACQUIRE))
		cpu_relax();
}

static void unlock(struct vtd_unit *u)
{
	__atomic_store_n(&u->lock, 0, __ATOMIC_RELEASE);
}

/* Makes memory the unit walks visible to it. */
static void flush(const struct vtd_unit *u, const void *address, size_t size)
{
	if (u->ecap & ECAP_C)
		return;
	for (size_t offset = 0; offset < size; offset += 64)
		cpu_flush_line((const char *)address + offset);
	cpu_flush_line((const char *)address + size - 1);
}

/* Sets (or, with on false, clears) a persistent enable and waits for the
 * status bit; one-shot commands pass on false and status. */
static bool command(struct vtd_unit *u, uint32_t bit, bool on,
		    uint32_t status, bool status_set)
{
	uint32_t value = u->gcmd | bit;

	if (!on)
		value = u->gcmd & ~bit;
	write32(u, REG_GCMD, value);
	for (uint32_t spin = 0; spin < SPIN_LIMIT; spin++) {
		bool set = read32(u, REG_GSTS) & status;

		if (set == status_set) {
			if (on && bit != GCMD_SRTP && bit != GCMD_SIRTP &&
			    bit != GCMD_WBF)
				u->gcmd |= bit;
			if (!on)
				u->gcmd &= ~bit;
			return true;
		}
		cpu_relax();
	}
	return false;
}

/* Queues descriptors, then a wait descriptor, and waits for it. The
 * caller holds the unit's lock (or runs alone at boot). */
static bool submit(struct vtd_unit *u, const uint64_t (*descriptors)[2],
		   unsigned count)
{
	uint32_t sequence = ++u->wait_sequence;

	*u->wait_status = 0;
	for (unsigned i = 0; i <= count; i++) {
		uint64_t *slot = &u->queue[u->tail * 2];

		if (i < count) {
			slot[0] = descriptors[i][0];
			slot[1] = descriptors[i][1];
		} else {
			slot[0] = DESC_WAIT | WAIT_STATUS_WRITE |
				  (uint64_t)sequence << 32;
			slot[1] = (uint64_t)(uintptr_t)u->wait_status;
		}
		flush(u, slot, 16);
		u->tail = (u->tail + 1) % QUEUE_ENTRIES;
	}
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	write64(u, REG_IQT, (uint64_t)u->tail << 4);
	for (uint32_t spin = 0; spin < SPIN_LIMIT; spin++) {
		if (*u->wait_status == sequence)
			return true;
		if (read32(u, REG_FSTS) & FSTS_IQE)
			return false;
		cpu_relax();
	}
	return false;
}

static uint64_t drain_bits(const struct vtd_unit *u)
{
	return ((u->cap & CAP_DRD) ? IOTLB_DRAIN_READS : 0) |
	       ((u->cap & CAP_DWD) ? IOTLB_DRAIN_WRITES : 0);
}

/* Everything cached anywhere in the unit: at boot. */
static bool invalidate_all(struct vtd_unit *u)
{
	const uint64_t descriptors[3][2] = {
		{ DESC_CONTEXT | GRANULARITY_GLOBAL << 4, 0 },
		{ DESC_IOTLB | GRANULARITY_GLOBAL << 4 | drain_bits(u), 0 },
		{ DESC_IEC, 0 }, /* global interrupt entry cache */
	};

	return submit(u, descriptors, 3);
}

/* What the unit may cache of one function in one domain. */
static bool invalidate_device(struct vtd_unit *u, uint16_t domain_id,
			      uint16_t requester_id)
{
	const uint64_t descriptors[2][2] = {
		{ DESC_CONTEXT | GRANULARITY_DEVICE << 4 |
			  (uint64_t)domain_id << 16 |
			  (uint64_t)requester_id << 32,
		  0 },
		{ DESC_IOTLB | GRANULARITY_DOMAIN << 4 | drain_bits(u) |
			  (uint64_t)domain_id << 16,
		  0 },
	};

	return submit(u, descriptors, 2);
}

static void *page(void)
{
	return boot_alloc(PAGE_SIZE, PAGE_SIZE);
}

static bool fail(char *error, size_t size, const struct vtd_unit *u,
		 const char *what)
{
	format(error, size, "VT-d unit at 0x%llx: %s",
	       (unsigned long long)u->base, what);
	return false;
}

static bool unit_init(struct vtd_unit *u, uint32_t fault_apic_id,
		      char *error, size_t size)
{
	u->version = read32(u, REG_VERSION);
	u->cap = read64(u, REG_CAP);
	u->ecap = read64(u, REG_ECAP);
	if (!(u->ecap & ECAP_QI))
		return fail(error, size, u, "no queued invalidation");
	if (!(u->ecap & ECAP_IR))
		return fail(error, size, u,
			    "no interrupt remapping, so devices could send "
			    "any interrupt to any CPU");
	if (!(CAP_SAGAW(u->cap) & 0x6))
		return fail(error, size, u,
			    "neither a 3- nor a 4-level walk (SAGAW)");
	if (read32(u, REG_GSTS) & (GSTS_TES | GSTS_QIES | GSTS_IRES))
		return fail(error, size, u,
			    "left enabled by the firmware (translation, "
			    "queued invalidation or interrupt remapping)");
	u->root = page();
	u->queue = page();
	u->wait_status = boot_alloc(64, 64);
	uint64_t *interrupt_table = u->interrupt_table = page();
	if (!u->root || !u->queue || !u->wait_status || !interrupt_table)
		return fail(error, size, u, "out of boot memory");
	flush(u, u->root, PAGE_SIZE);
	flush(u, interrupt_table, PAGE_SIZE);

	/* Root table, then the invalidation queue. */
	write64(u, REG_RTADDR, (uint64_t)(uintptr_t)u->root);
	if (!command(u, GCMD_SRTP, true, GSTS_RTPS, true))
		return fail(error, size, u, "root table pointer not taken");
	write64(u, REG_IQT, 0);
	write64(u, REG_IQA, (uint64_t)(uintptr_t)u->queue); /* 128-bit, 1 page */
	if (!command(u, GCMD_QIE, true, GSTS_QIES, true))
		return fail(error, size, u, "queued invalidation not enabled");

	/* Interrupt remapping with no entry present: all blocked. */
	write64(u, REG_IRTA,
		(uint64_t)(uintptr_t)interrupt_table | IRT_ENTRIES_LOG2_MINUS_1);
	if (!command(u, GCMD_SIRTP, true, GSTS_IRTPS, true))
		return fail(error, size, u,
			    "interrupt remapping table pointer not taken");
	if (!invalidate_all(u))
		return fail(error, size, u, "the first invalidation failed");
	if (!command(u, GCMD_IRE, true, GSTS_IRES, true))
		return fail(error, size, u, "interrupt remapping not enabled");
	if ((u->cap & CAP_RWBF) &&
	    !command(u, GCMD_WBF, true, GSTS_WBFS, false))
		return fail(error, size, u, "write buffer flush failed");

	/* Faults: clear what is recorded, then send each event as an NMI. */
	write32(u, REG_FSTS, FSTS_CLEAR);
	write32(u, REG_FEDATA, MSI_DELIVERY_NMI | NMI_VECTOR);
	write32(u, REG_FEADDR, MSI_ADDRESS | fault_apic_id << 12);
	write32(u, REG_FEUADDR, 0);
	write32(u, REG_FECTL, 0);

	if (!command(u, GCMD_TE, true, GSTS_TES, true))
		return fail(error, size, u, "translation not enabled");
	return true;
}

bool vtd_init(const struct dmar_info *dmar, uint32_t fault_apic_id,
	      char *error, size_t error_size)
{
	unsigned sagaw = 0x6, sllps = 0xf;

	unit_count = 0;
	for (uint32_t i = 0; i < dmar->unit_count; i++) {
		struct vtd_unit *u = &units[unit_count++];

		memset(u, 0, sizeof(*u));
		u->base = dmar->units[i].register_base;
		u->segment = dmar->units[i].segment;
		if (!unit_init(u, fault_apic_id, error, error_size))
			return false;
		sagaw &= CAP_SAGAW(u->cap);
		sllps &= CAP_SLLPS(u->cap);
	}
	if (!sagaw) {
		format(error, error_size,
		       "VT-d: the units share no page-walk depth");
		return false;
	}
	domain_width = (sagaw & 0x4) ? CONTEXT_AW_48 : CONTEXT_AW_39;
	vtd_format_init(&domain_format,
			(sllps & 2) ? 2 : (sllps & 1) ? 1 : 0);
	return true;
}

const struct pagetable_format *vtd_domain_format(void)
{
	return &domain_format;
}

/* The table a context entry points at: the PML4 for a 4-level walk, its
 * first entry's table for a 3-level one (domains stay below 512 GiB). */
static uint64_t walk_root(const struct pagetable *table)
{
	if (domain_width == CONTEXT_AW_48)
		return table->root;
	return table->root_pointer[0] & table->format->address_mask;
}

bool vtd_attach(int index, uint16_t domain_id, const struct pagetable *table,
		const struct iommu_device *device, char *error,
		size_t error_size)
{
	struct vtd_unit *u = &units[index];
	uint16_t requester_id = iommu_requester_id(device);
	uint64_t *context = u->context[device->bus];
	uint64_t root = walk_root(table);

	if (!root) {
		format(error, error_size, "VT-d: domain %u has no table",
		       domain_id);
		return false;
	}
	if (!context) {
		/* First device on this bus: only at boot. */
		context = page();
		if (!context) {
			format(error, error_size, "VT-d: out of boot memory");
			return false;
		}
		flush(u, context, PAGE_SIZE);
		u->context[device->bus] = context;
		u->root[device->bus * 2 + 1] = 0;
		u->root[device->bus * 2] =
			(uint64_t)(uintptr_t)context | ROOT_PRESENT;
		flush(u, &u->root[device->bus * 2], 16);
	}
	uint64_t *entry = &context[(requester_id & 0xff) * 2];

	lock(u);
	entry[1] = domain_width | (uint64_t)domain_id << 8;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	entry[0] = root | CONTEXT_PRESENT; /* translated requests only */
	flush(u, entry, 16);
	bool done = invalidate_device(u, domain_id, requester_id);
	unlock(u);
	if (!done)
		format(error, error_size,
		       "VT-d: invalidation after attaching %02x:%02x.%x "
		       "did not complete",
		       device->bus, device->device, device->function);
	return done;
}

void vtd_block(int index, uint16_t domain_id, const struct iommu_device *device)
{
	struct vtd_unit *u = &units[index];
	uint64_t *context = u->context[device->bus];

	if (!context)
		return; /* never attached: the root entry is absent */
	uint64_t *entry = &context[(iommu_requester_id(device) & 0xff) * 2];

	lock(u);
	entry[0] = 0;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	entry[1] = 0;
	flush(u, entry, 16);
	invalidate_device(u, domain_id, iommu_requester_id(device));
	unlock(u);
}

/* Drops what the unit caches of one interrupt remapping entry. */
static bool invalidate_interrupt_entry(struct vtd_unit *u, uint16_t handle)
{
	const uint64_t descriptor[1][2] = {
		{ DESC_IEC | IEC_BY_INDEX | (uint64_t)handle << 32, 0 },
	};

	return submit(u, descriptor, 1);
}

static bool write_interrupt_entry(struct vtd_unit *u, uint16_t handle,
				  struct vtd_irte irte)
{
	uint64_t *entry = &u->interrupt_table[handle * 2];

	lock(u);
	/* The source id first; the present bit, vector and destination
	 * then change in one store. */
	entry[1] = irte.high;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	__atomic_store_n(&entry[0], irte.low, __ATOMIC_SEQ_CST);
	flush(u, entry, 16);
	bool done = invalidate_interrupt_entry(u, handle);
	unlock(u);
	return done;
}

bool vtd_interrupt_route(int index, const struct iommu_device *device,
			 uint16_t handle, uint8_t apic_id, uint8_t vector)
{
	if (handle >= IRT_ENTRIES)
		return false;
	return write_interrupt_entry(
		&units[index], handle,
		vtd_irte_fixed(apic_id, vector, iommu_requester_id(device)));
}

bool vtd_interrupt_route_level(int index, uint16_t requester_id,
			       uint16_t handle, uint8_t apic_id,
			       uint8_t vector)
{
	if (handle >= IRT_ENTRIES)
		return false;
	return write_interrupt_entry(
		&units[index], handle,
		vtd_irte_level(apic_id, vector, requester_id));
}

void vtd_interrupt_unroute(int index, uint16_t handle)
{
	struct vtd_unit *u = &units[index];

	if (handle >= IRT_ENTRIES)
		return;
	uint64_t *entry = &u->interrupt_table[handle * 2];

	lock(u);
	__atomic_store_n(&entry[0], 0, __ATOMIC_SEQ_CST);
	entry[1] = 0;
	flush(u, entry, 16);
	invalidate_interrupt_entry(u, handle);
	unlock(u);
}

static const char *reason_text(uint8_t reason)
{
	switch (reason) {
	case 0x1:
		return "no root entry";
	case 0x2:
		return "no context entry";
	case 0x5:
		return "not writable";
	case 0x6:
		return "not readable";
	case 0x4:
	case 0x7:
		return "beyond the domain's address width";
	case 0x20:
	case 0x21:
	case 0x22:
	case 0x23:
	case 0x24:
	case 0x25:
	case 0x26:
		return "interrupt request blocked";
	default:
		return "refused";
	}
}

unsigned vtd_poll_faults(void (*report)(void *context,
					const struct iommu_fault *fault),
			 void *context)
{
	unsigned seen = 0;

	for (unsigned i = 0; i < unit_count; i++) {
		struct vtd_unit *u = &units[i];

		if (!(read32(u, REG_FSTS) & FSTS_PPF))
			continue;
		lock(u);
		for (unsigned r = 0; r < CAP_NFR(u->cap); r++) {
			unsigned offset = CAP_FRO(u->cap) + r * 16;
			uint64_t high = read64(u, offset + 8);

			if (!(high & FRCD_F))
				continue;
			uint64_t low = read64(u, offset);
			uint16_t sid = (uint16_t)high;
			uint8_t reason = (uint8_t)(high >> 32);
			struct iommu_fault fault = {
				.device = { u->segment, (uint8_t)(sid >> 8),
					    (uint8_t)(sid >> 3 & 0x1f),
					    (uint8_t)(sid & 7) },
				.address = low & ~0xfffull,
				.write = !(high & FRCD_T),
				.interrupt = reason >= 0x20 && reason <= 0x26,
				.reason = reason,
				.reason_text = reason_text(reason),
			};

			write32(u, offset + 12, (uint32_t)(FRCD_F >> 32));
			seen++;
			unlock(u);
			report(context, &fault);
			lock(u);
		}
		write32(u, REG_FSTS, FSTS_CLEAR);
		unlock(u);
	}
	return seen;
}

void vtd_describe(void (*line)(const char *text))
{
	char text[160];

	for (unsigned i = 0; i < unit_count; i++) {
		const struct vtd_unit *u = &units[i];

		format(text, sizeof(text),
		       "VT-d unit at 0x%llx: version %u.%u, cap 0x%llx ecap "
		       "0x%llx, %u-level tables, %s; all DMA and device "
		       "interrupts blocked",
		       (unsigned long long)u->base, u->version >> 4 & 0xf,
		       u->version & 0xf, (unsigned long long)u->cap,
		       (unsigned long long)u->ecap,
		       domain_width == CONTEXT_AW_48 ? 4 : 3,
		       (u->ecap & ECAP_C) ? "coherent walks"
					  : "walks flushed from the caches");
		line(text);
	}
}
