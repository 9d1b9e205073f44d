/* SPDX-License-Identifier: MIT */
/*
 * Partitions and their vCPUs: what the hypervisor knows of each guest. All
 * of it is allocated at boot from the boot heap; after boot nothing is
 * allocated, only states and counters change.
 */
#ifndef BULKHEAD_CORE_PARTITION_PARTITION_H
#define BULKHEAD_CORE_PARTITION_PARTITION_H

#include <bulkhead/bootinfo.h>
#include <bulkhead/hypercall.h>
#include <bulkhead/pagetable.h>

#include "arch/x86_64/spinlock.h"
#include "core/console/console_ring.h"
#include "core/hypercall/hypercall_dispatch.h"
#include "core/platform/ioapic_model.h"
#include "core/platform/lapic_model.h"
#include "core/platform/pit_model.h"
#include "core/platform/pci_config_model.h"
#include "core/platform/uart_model.h"
#include "core/vcpu/control_registers.h"
#include "core/vcpu/cpuid_policy.h"
#include "core/vcpu/vcpu.h"
#include "channel_layout.h"
#include "partition_state.h"

#define VIRTUAL_UART_LINE_MAX 256

#define PARTITION_MAX_PORT_RANGES                                              \
	(CONFIG_MAX_IOPORT_RANGES + CONFIG_MAX_PCI_DEVICES * 6)
#define PARTITION_MAX_DEVICE_MMIO (CONFIG_MAX_PCI_DEVICES * 6)
#define PARTITION_MAX_DEVICE_PORTS (CONFIG_MAX_PCI_DEVICES * 6)
#define PARTITION_MAX_MSIX_TRAPS (CONFIG_MAX_PCI_DEVICES * 2)

/* Pages of an owned function's BAR that trap (partition.msix_traps). */
struct partition_msix_trap {
	uint64_t base, size; /* host-physical = guest-physical, page-aligned */
	uint32_t function;   /* the index of the function (passthrough) */
};

struct partition {
	uint32_t id;
	const struct config_partition *config;
	uint64_t memory_base; /* host-physical; guest-physical 0 maps here */
	uint64_t memory_size;
	const struct bootinfo_image *image;
	struct pagetable stage2;
	void *io_bitmap, *msr_bitmap; /* backend intercept maps */
	uint64_t io_bitmap_physical, msr_bitmap_physical;
	uint32_t channel_count;
	struct channel_slot channels[CONFIG_MAX_PARTITION_CHANNELS];
	uint64_t mapped_size; /* memory plus channel windows */
	/* I/O ports that never exit: the config's ranges and the I/O BARs
	 * of the partition's devices (the backends clear them in the I/O
	 * bitmap). */
	uint32_t granted_port_count;
	struct config_ioport_range granted_ports[PARTITION_MAX_PORT_RANGES];
	/* The memory BARs of its devices, mapped one to one and uncached
	 * (core/passthrough/): the stage-2 audit allows these too. */
	uint32_t device_mmio_count;
	struct bootinfo_range device_mmio[PARTITION_MAX_DEVICE_MMIO];
	/* The pages of those BARs that hold MSI-X tables and pending-bit
	 * arrays: left out of the stage-2 tables, so every access exits and
	 * is emulated (core/platform/msix_table.c). */
	uint32_t msix_trap_count;
	struct partition_msix_trap msix_traps[PARTITION_MAX_MSIX_TRAPS];
	/* The I/O BARs of its devices (granted above too): with
	 * device_mmio, what its PCI host bridge forwards (core/platform/pc.c,
	 * the DSDT's windows). */
	uint32_t device_port_count;
	struct config_ioport_range device_ports[PARTITION_MAX_DEVICE_PORTS];
	/* Its view of PCI configuration space (core/platform/), and where
	 * its ECAM window lies (guest-physical; 0: ports only). */
	struct pci_config_view pci_view;
	uint64_t ecam_base;
	uint32_t pci_dropped_logs;
	bool pci_foreign_logged;  /* a write to a function it does not own */
	uint32_t msi_refused_logs;

	struct spinlock lock; /* state changes and the virtual UART */
	volatile enum partition_state state;
	uint32_t run;         /* 1 for the first run, +1 per (re)start */
	/* run while the state is PARTITION_RUNNING, else 0: what the exit
	 * loop compares with the run its vCPU started (one load), written
	 * with state, under lock. */
	volatile uint32_t running_run;
	uint32_t restarts;    /* (re)starts after the first run */
	uint32_t fault_restarts; /* automatic restarts used */
	uint32_t faults;         /* runs ended by the hypervisor for a fault */
	int64_t exit_status;
	char stop_reason[160];

	uint32_t vcpu_count;
	uint32_t halted_vcpus; /* vCPUs waiting in HLT */
	struct vcpu *vcpus[CONFIG_MAX_CPUS];
	/* The virtual 16550 at 0x3f8: the line being assembled. */
	char uart_line[VIRTUAL_UART_LINE_MAX];
	uint32_t uart_length;
	uint8_t rtc_index; /* PC platform: the CMOS register selected */
	uint32_t denied_port_logs; /* rate limit of "port denied" lines */
	struct vuart uart; /* the virtual 16550's registers (under lock) */
	/* What its console showed: the last console_log_size bytes, kept
	 * across restarts (core/console/console.h holds its lock). */
	struct console_ring console_log;

	/* Linux partitions (core/image/linux_guest.c). */
	uint64_t linux_entry, linux_boot_params; /* of the loaded kernel */
	/* Multiboot partitions (core/image/multiboot_guest.c): the entry,
	 * EAX and EBX of the bootstrap vCPU. */
	uint32_t multiboot_entry, multiboot_magic, multiboot_info;
	/* The PC platform (core/platform/pc.c, apic.c, pc_ports.c). */
	uint64_t acpi_rsdp;          /* guest-physical, in its memory */
	uint32_t apic_tsc_per_tick;  /* virtual APIC timer rate */
	struct spinlock ioapic_lock;
	struct vioapic ioapic;
	uint32_t pci_address;        /* PCI configuration address latch */
	uint16_t pm1_enable;         /* ACPI PM1 enable register */
	struct vpit pit;             /* the 8254's channel 0, under lock */
	uint32_t refused_ipi_logs;
};

struct vcpu {
	struct partition *partition;
	uint32_t index; /* within the partition */
	struct cpu *cpu;
	struct vcpu_registers registers;
	struct vcpu_entry entry; /* what the next reset enters */
	void *control_block; /* VMCB or VMCS */
	uint64_t control_block_physical;
	uint64_t vendor_state[4]; /* the backend's own per-vCPU bookkeeping */
	struct vcpu_exit last_exit;
	volatile bool in_guest_loop; /* between entering and leaving the loop */
	volatile uint64_t wake;      /* set before a kick; see vcpu_kick */
	volatile uint64_t pending_interrupts[4]; /* vectors 0..255 */
	volatile uint64_t pending_level[4]; /* of those, level-triggered */
	volatile uint32_t any_pending; /* set whenever a bit above may be */
	uint32_t seen_run;           /* the partition run this vCPU started */
	uint64_t injected_at_rip;    /* RIP at the last entry's injection */
	struct hypercall_context hypercall;
	struct cpuid_view cpuid_view; /* index, count, PC platform or not */
	struct control_limits control_limits; /* CR4/EFER bits it may set */
	uint8_t tpr; /* CR8 without the PC platform (with it: the APIC's TPR) */
	/* The PC platform: the virtual local APIC (this vCPU's CPU only),
	 * the INIT/SIPI state (Linux) and the host timer programmed for it. */
	struct vlapic apic;
	bool waiting_for_startup;
	volatile uint32_t startup_request; /* STARTUP_REQUESTED | vector */
	uint64_t host_timer_deadline;
	uint64_t next_console_poll; /* TSC; the console's owner only */
	/* Counters: written by this vCPU's CPU only, read by anyone. */
	uint64_t exit_counts[EXIT_REASON_COUNT];
	uint64_t interrupts_injected;
	uint8_t bounce[BULKHEAD_CONSOLE_WRITE_MAX]; /* guest data copied once */
};

extern struct partition *partitions[CONFIG_MAX_PARTITIONS];
extern uint32_t partition_count;
extern const struct bootinfo *boot_info;

#define STARTUP_REQUESTED 0x100u

const char *partition_state_name(enum partition_state state);

/* The state other partitions are told of: STOPPED, FAULTED and EXITED
 * only once no vCPU of the partition is in its guest loop any more (a
 * stop takes effect when the kicked vCPUs leave guest mode, a moment
 * after the state changes); RUNNING until then. */
enum partition_state partition_visible_state(const struct partition *p);

/* Whether the partition runs a Multiboot 1 or 2 kernel. */
static inline bool partition_is_multiboot(const struct partition *p)
{
	return p->image->kind == BOOTINFO_IMAGE_MULTIBOOT1 ||
	       p->image->kind == BOOTINFO_IMAGE_MULTIBOOT2;
}

/* Whether the partition has the PC platform (platform = "pc", every Linux
 * partition; core/platform/pc.h). Off the hot path: the exit loop reads
 * the same fact from vcpu->cpuid_view.pc_platform. */

static inline bool partition_has_pc(const struct partition *p)
{
	return p->image->platform == CONFIG_PLATFORM_PC;
}

#endif
