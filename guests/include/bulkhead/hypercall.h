/* SPDX-License-Identifier: MIT */
/*
 * The bulkhead paravirtual ABI, version 1: the one header a guest includes.
 * docs/hypercalls.md describes every call in prose; the two must agree.
 *
 * Discovery: CPUID leaf 0x40000000 returns in EAX the highest hypervisor
 * leaf and in EBX, ECX, EDX the 12-byte signature "BulkheadHV  ". Leaf
 * 0x40000001 returns the ABI version in EAX (major << 16 | minor).
 *
 * Calling convention: the call number in RAX, arguments in RDI, RSI, RDX,
 * R10; the result in RAX: 0 or a positive value on success, a negative
 * BULKHEAD_E* code on failure. Other registers are preserved. The
 * instruction is VMMCALL on AMD and VMCALL on Intel; calling from CPL > 0
 * fails with BULKHEAD_EPERM. Every pointer is a guest-physical address that,
 * with its length, must lie inside the partition's own memory.
 */
#ifndef BULKHEAD_HYPERCALL_H
#define BULKHEAD_HYPERCALL_H

#include <stdint.h>

#define BULKHEAD_CPUID_LEAF_BASE 0x40000000u
#define BULKHEAD_CPUID_LEAF_VERSION 0x40000001u
#define BULKHEAD_SIGNATURE "BulkheadHV  "
#define BULKHEAD_ABI_MAJOR 1u
#define BULKHEAD_ABI_MINOR 3u
#define BULKHEAD_ABI_VERSION ((BULKHEAD_ABI_MAJOR << 16) | BULKHEAD_ABI_MINOR)

enum bulkhead_hypercall {
	/* () -> ABI version (major << 16 | minor) */
	BULKHEAD_HC_VERSION = 0,
	/* (struct bulkhead_partition_info *info, uint64_t size) -> 0 */
	BULKHEAD_HC_PARTITION_INFO = 1,
	/* (const char *text, uint64_t length) -> bytes written */
	BULKHEAD_HC_CONSOLE_WRITE = 2,
	/* (int64_t status) -> does not return */
	BULKHEAD_HC_EXIT = 3,
	/* (uint64_t channel, struct bulkhead_channel_info *info,
	 *  uint64_t size) -> 0 */
	BULKHEAD_HC_CHANNEL_INFO = 4,
	/* (uint64_t channel) -> 0: rings the peer's doorbell */
	BULKHEAD_HC_CHANNEL_NOTIFY = 5,
	/* (uint64_t partition, struct bulkhead_partition_state *state,
	 *  uint64_t size) -> 0; another partition: management only */
	BULKHEAD_HC_PARTITION_STATE = 6,
	/* (uint64_t partition, uint64_t operation) -> 0; management only */
	BULKHEAD_HC_PARTITION_CONTROL = 7,
	/* (uint64_t partition, struct bulkhead_stats *stats, uint64_t size)
	 * -> 0; another partition: management only */
	BULKHEAD_HC_STATS = 8,
	/* (uint64_t partition, uint64_t position,
	 *  struct bulkhead_console_log *log, uint64_t size) -> bytes copied;
	 * another partition: management only (ABI 1.3) */
	BULKHEAD_HC_CONSOLE_READ = 9,
	BULKHEAD_HC_COUNT
};

/* "The calling partition" wherever a partition id is expected. */
#define BULKHEAD_SELF (~0ull)

/* Errors: negative values in RAX. */
#define BULKHEAD_EPERM (-1)    /* caller may not make this call */
#define BULKHEAD_ENOENT (-2)   /* no such channel or partition */
#define BULKHEAD_ESRCH (-3)    /* the peer (or the target) is not running */
#define BULKHEAD_EFAULT (-14)  /* a pointer or range outside own memory */
#define BULKHEAD_EINVAL (-22)  /* an argument out of range */
#define BULKHEAD_ENOSYS (-38)  /* unknown call number */

/* Longest text one console write accepts. */
#define BULKHEAD_CONSOLE_WRITE_MAX 4096u

#define BULKHEAD_NAME_MAX 32

/* Filled by BULKHEAD_HC_PARTITION_INFO; size must be >= sizeof. */
struct bulkhead_partition_info {
	uint32_t abi_version;
	uint32_t partition_id;          /* index in the configuration */
	char name[BULKHEAD_NAME_MAX];   /* NUL-terminated */
	uint32_t cpu_count;             /* vCPUs of this partition */
	uint32_t vcpu_index;            /* the calling vCPU, 0..cpu_count-1 */
	uint64_t memory_size;           /* bytes, guest-physical 0..size-1 */
	uint32_t partition_count;       /* partitions in the configuration */
	uint32_t reserved;
};

/* Filled by BULKHEAD_HC_CHANNEL_INFO. */
struct bulkhead_channel_info {
	uint64_t address;             /* guest-physical base of the memory */
	uint64_t size;                /* bytes */
	uint32_t peer_id;             /* the partition at the other end */
	uint32_t own_end;             /* 0 or 1: the caller's place in peers */
	uint32_t vector;              /* what the peer's doorbell raises here */
	uint32_t irq; /* With the PC platform (platform = "pc", every Linux
		       * partition): the IOAPIC input (GSI) the doorbell raises
		       * instead of a vector (ABI 1.2); 0 otherwise */
	char peer_name[BULKHEAD_NAME_MAX];
	char name[BULKHEAD_NAME_MAX]; /* the channel's node name */
};

/* Partition states, as BULKHEAD_HC_PARTITION_STATE reports them. */
enum bulkhead_partition_state_value {
	BULKHEAD_STATE_RUNNING = 0,
	BULKHEAD_STATE_STOPPED = 1,    /* stopped by a management partition */
	BULKHEAD_STATE_FAULTED = 2,    /* stopped by the hypervisor */
	BULKHEAD_STATE_RESTARTING = 3,
	BULKHEAD_STATE_EXITED = 4,     /* exit_status is valid */
};

/* What a partition runs, in bulkhead_partition_state.kind. */
enum bulkhead_partition_kind {
	BULKHEAD_KIND_BARE_METAL = 0, /* an ELF guest */
	BULKHEAD_KIND_LINUX = 1,      /* a bzImage */
	BULKHEAD_KIND_MULTIBOOT = 2,  /* a Multiboot 1 or 2 kernel */
};

/* Bits of bulkhead_partition_state.flags. */
#define BULKHEAD_PARTITION_MANAGEMENT 1u       /* may control others */
#define BULKHEAD_PARTITION_PC_PLATFORM 2u      /* platform = "pc" */
#define BULKHEAD_PARTITION_RESTART_ON_FAULT 4u /* restart = "on-fault" */

/* Filled by BULKHEAD_HC_PARTITION_STATE. The fields after name came with
 * ABI 1.3: the hypervisor writes as much of the structure as the caller's
 * size covers, at least BULKHEAD_PARTITION_STATE_SIZE_1_2 bytes. */
struct bulkhead_partition_state {
	uint32_t state;       /* enum bulkhead_partition_state_value */
	uint32_t run;         /* 1 for the first run, +1 per (re)start */
	int64_t exit_status;
	char name[BULKHEAD_NAME_MAX];
	uint32_t kind;        /* enum bulkhead_partition_kind */
	uint32_t flags;       /* BULKHEAD_PARTITION_* */
	uint64_t cpu_mask;    /* bit n: physical CPU n is the partition's */
	uint64_t memory_size; /* bytes of RAM */
	uint32_t cpu_count;   /* vCPUs */
	uint32_t restarts;    /* (re)starts after the first run */
};

#define BULKHEAD_PARTITION_STATE_SIZE_1_2 48u

/* Operations of BULKHEAD_HC_PARTITION_CONTROL. */
enum bulkhead_partition_operation {
	BULKHEAD_OP_STOP = 1,    /* a running partition stops */
	BULKHEAD_OP_START = 2,   /* a partition that is not running boots again */
	BULKHEAD_OP_RESTART = 3, /* stop if running, then boot again */
};

#define BULKHEAD_STATS_EXIT_REASONS 16
#define BULKHEAD_STATS_HYPERCALLS 16

/* Filled by BULKHEAD_HC_STATS: counters since boot, over all vCPUs and
 * runs. exits[] is indexed by the reasons listed in docs/hypercalls.md.
 * faults and console_bytes came with ABI 1.3: written when the caller's
 * size covers them (at least BULKHEAD_STATS_SIZE_1_2 bytes). */
struct bulkhead_stats {
	uint64_t exits[BULKHEAD_STATS_EXIT_REASONS];
	uint64_t hypercalls[BULKHEAD_STATS_HYPERCALLS];
	uint64_t interrupts_injected;
	uint64_t restarts;
	uint64_t faults;        /* runs the hypervisor ended for a fault */
	uint64_t console_bytes; /* bytes its console log took in */
};

#define BULKHEAD_STATS_SIZE_1_2 272u

/* Most data bytes one BULKHEAD_HC_CONSOLE_READ returns. */
#define BULKHEAD_CONSOLE_READ_MAX 4096u

/*
 * Filled by BULKHEAD_HC_CONSOLE_READ (ABI 1.3): the header, then length
 * bytes of the partition's console log from the position asked for.
 * Positions count the bytes the log took in since boot (0 is its first
 * byte); the log keeps the last log_size of them. When the position asked
 * for is older than that, the call starts at the oldest byte kept and
 * lost says how many were skipped.
 */
struct bulkhead_console_log {
	uint64_t next;     /* the position after the last byte returned */
	uint64_t lost;     /* bytes skipped: no longer kept */
	uint64_t written;  /* bytes the log took in since boot */
	uint32_t length;   /* bytes in data */
	uint32_t log_size; /* the log's capacity in bytes */
	uint8_t data[];
};

/*
 * Guest-physical layout of a bare-metal (ELF) partition at entry. The
 * hypervisor builds these pages; the guest may reuse them once started.
 */
#define BULKHEAD_GUEST_BOOT_INFO 0x1000ull  /* struct bulkhead_boot_info */
#define BULKHEAD_GUEST_GDT 0x2000ull        /* flat 64-bit GDT */
#define BULKHEAD_GUEST_PML4 0x3000ull       /* identity page tables ... */
#define BULKHEAD_GUEST_TABLES_END 0x20000ull /* ... end below this */
#define BULKHEAD_GUEST_PC_ACPI 0xe0000ull  /* platform "pc": ACPI, RSDP */
#define BULKHEAD_GUEST_IMAGE_MIN 0x100000ull /* ELF segments start here */

#define BULKHEAD_BOOT_INFO_MAGIC 0x6b6c756268ull /* "hbulk" */
#define BULKHEAD_ARGS_MAX 128

/* At BULKHEAD_GUEST_BOOT_INFO; its address is also in RDI at entry. */
struct bulkhead_boot_info {
	uint64_t magic;
	uint64_t memory_size;
	uint32_t partition_id;
	uint32_t cpu_count;
	char args[BULKHEAD_ARGS_MAX]; /* the config's "args", NUL-terminated */
	uint32_t run;                 /* 1 for the first run, +1 per restart */
	uint32_t channel_count;       /* channels this partition is in */
};

/*
 * Entry state of every vCPU of an ELF partition: 64-bit mode, paging on
 * with an identity map of all partition memory (2 MiB pages, write-back),
 * interrupts off, CS=0x08, DS=ES=SS=FS=GS=0x10, RIP = the ELF entry,
 * RDI = BULKHEAD_GUEST_BOOT_INFO, RSI = vCPU index, RSP = 0 (the guest sets
 * its own stack), CR4.OSFXSR set so compiled code may use SSE.
 *
 * Channel memory is mapped right after the partition's memory, in the order
 * of the channels in the configuration, each at the address
 * BULKHEAD_HC_CHANNEL_INFO reports; the identity map covers it too.
 * Doorbells arrive as external interrupts on vCPU 0 at the channel's
 * vector, only while RFLAGS.IF is set; they need no end-of-interrupt.
 *
 * With platform = "pc" the partition also has the PC platform: ACPI tables
 * at BULKHEAD_GUEST_PC_ACPI (0xe0000-0xfffff), a local APIC per vCPU at
 * 0xfee00000 and an IOAPIC at 0xfec00000 (not in the boot page tables: map
 * them uncached), the ACPI PM, reset and CMOS ports. Its doorbells then
 * come through the IOAPIC (bulkhead_channel_info.irq), as the guest
 * programs it, and every interrupt the local APIC delivers needs an EOI.
 */

#endif
