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
#define BULKHEAD_ABI_MINOR 0u
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
	BULKHEAD_HC_COUNT
};

/* Errors: negative values in RAX. */
#define BULKHEAD_EPERM (-1)    /* caller may not make this call */
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

/*
 * Guest-physical layout of a bare-metal (ELF) partition at entry. The
 * hypervisor builds these pages; the guest may reuse them once started.
 */
#define BULKHEAD_GUEST_BOOT_INFO 0x1000ull  /* struct bulkhead_boot_info */
#define BULKHEAD_GUEST_GDT 0x2000ull        /* flat 64-bit GDT */
#define BULKHEAD_GUEST_PML4 0x3000ull       /* identity page tables ... */
#define BULKHEAD_GUEST_TABLES_END 0x20000ull /* ... end below this */
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
};

/*
 * Entry state of every vCPU of an ELF partition: 64-bit mode, paging on
 * with an identity map of all partition memory (2 MiB pages, write-back),
 * interrupts off, CS=0x08, DS=ES=SS=FS=GS=0x10, RIP = the ELF entry,
 * RDI = BULKHEAD_GUEST_BOOT_INFO, RSI = vCPU index, RSP = 0 (the guest sets
 * its own stack), CR4.OSFXSR set so compiled code may use SSE.
 */

#endif
