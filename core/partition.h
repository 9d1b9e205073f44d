/* SPDX-License-Identifier: MIT */
/*
 * Partitions and their vCPUs: what the hypervisor knows of each guest. All
 * of it is allocated at boot from the boot heap; after boot nothing is
 * allocated, only states and counters change.
 */
#ifndef BULKHEAD_CORE_PARTITION_H
#define BULKHEAD_CORE_PARTITION_H

#include <bulkhead/bootinfo.h>
#include <bulkhead/hypercall.h>
#include <bulkhead/pagetable.h>

#include "../arch/x86_64/spinlock.h"
#include "hypercall.h"
#include "vcpu.h"

enum partition_state {
	PARTITION_RUNNING,
	PARTITION_EXITED,  /* the guest called exit with a status */
	PARTITION_STOPPED, /* the hypervisor stopped it (fault, violation) */
};

#define VIRTUAL_UART_LINE_MAX 256

struct partition {
	uint32_t id;
	const struct config_partition *config;
	uint64_t memory_base; /* host-physical; guest-physical 0 maps here */
	uint64_t memory_size;
	const struct bootinfo_image *image;
	struct pagetable stage2;
	void *io_bitmap, *msr_bitmap; /* backend intercept maps */
	uint64_t io_bitmap_physical, msr_bitmap_physical;
	volatile enum partition_state state;
	int64_t exit_status;
	char stop_reason[160];
	struct spinlock lock; /* state changes and the virtual UART */
	uint32_t vcpu_count;
	uint32_t halted_vcpus; /* vCPUs waiting in HLT */
	struct vcpu *vcpus[CONFIG_MAX_CPUS];
	/* The virtual 16550 at 0x3f8: the line being assembled. */
	char uart_line[VIRTUAL_UART_LINE_MAX];
	uint32_t uart_length;
	uint8_t uart_line_control, uart_scratch, uart_interrupt_enable;
	uint32_t denied_port_logs; /* rate limit of "port denied" lines */
};

struct vcpu {
	struct partition *partition;
	uint32_t index; /* within the partition */
	struct cpu *cpu;
	struct vcpu_registers registers;
	void *control_block; /* VMCB or VMCS */
	uint64_t vendor_state[4]; /* the backend's own per-vCPU bookkeeping */
	uint64_t control_block_physical;
	struct vcpu_exit last_exit;
	uint64_t exit_counts[EXIT_REASON_COUNT];
	volatile bool running; /* inside vcpu_loop */
	struct hypercall_context hypercall;
	uint8_t bounce[BULKHEAD_CONSOLE_WRITE_MAX]; /* guest data copied once */
};

extern struct partition *partitions[CONFIG_MAX_PARTITIONS];
extern uint32_t partition_count;
extern const struct bootinfo *boot_info;

/* Boot: builds every partition and vCPU from the config. */
void partitions_create(const struct bootinfo *info);
/* Loads the image and resets the vCPUs to the entry state. */
void partition_load(struct partition *partition);

/* Ends a partition (first caller wins) and kicks its other vCPUs. */
void partition_stop(struct partition *partition, const char *reason);
void partition_exit(struct partition *partition, int64_t status);

/* The exit loop of one vCPU; returns when its partition has ended. */
void vcpu_loop(struct vcpu *vcpu);

const char *partition_state_name(enum partition_state state);

#endif
