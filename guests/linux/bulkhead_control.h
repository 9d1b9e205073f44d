/* SPDX-License-Identifier: MIT */
/*
 * User-space interface of the bulkhead_control Linux module: the ioctls of
 * /dev/bulkhead-control, shared by the module and bulkheadctl. Each is one
 * hypercall of the bulkhead ABI (guests/include/bulkhead/hypercall.h, whose
 * values the fields carry: states, kinds, flags, operations); the
 * hypervisor decides what the partition may do, and its refusal comes back
 * as the ioctl's error (EPERM without "management;", ENOENT for an unknown
 * id, ESRCH to stop a partition that is not running, EINVAL to start one
 * that is). The layouts are the same for 32- and 64-bit callers.
 */
#ifndef BULKHEAD_CONTROL_UAPI_H
#define BULKHEAD_CONTROL_UAPI_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define BULKHEAD_CONTROL_NAME_MAX 32
#define BULKHEAD_CONTROL_LOG_MAX  4096 /* bytes one BULKHEAD_CTL_LOG reads */

/* BULKHEAD_CTL_SELF: the calling partition (PARTITION_INFO). */
struct bulkhead_ctl_self {
	__u32 partition_id;
	__u32 partition_count; /* ids are 0 .. partition_count-1 */
	__u32 abi_version;     /* major << 16 | minor */
	__u32 cpu_count;
	char name[BULKHEAD_CONTROL_NAME_MAX];
};

/* BULKHEAD_CTL_STATE: partition in; the rest out (PARTITION_STATE). */
struct bulkhead_ctl_state {
	__u32 partition;
	__u32 state; /* BULKHEAD_STATE_* */
	__u32 run;
	__u32 kind; /* BULKHEAD_KIND_* */
	__s64 exit_status;
	__u64 cpu_mask;
	__u64 memory_size;
	__u32 cpu_count;
	__u32 restarts;
	__u32 flags; /* BULKHEAD_PARTITION_* */
	__u32 reserved;
	char name[BULKHEAD_CONTROL_NAME_MAX];
};

/* BULKHEAD_CTL_STATS: partition in; the counters out (STATS). */
struct bulkhead_ctl_stats {
	__u32 partition;
	__u32 reserved;
	__u64 exits[16];
	__u64 hypercalls[16];
	__u64 interrupts_injected;
	__u64 restarts;
	__u64 faults;
	__u64 console_bytes;
};

/* BULKHEAD_CTL_CONTROL: BULKHEAD_OP_* on a partition (PARTITION_CONTROL). */
struct bulkhead_ctl_control {
	__u32 partition;
	__u32 operation;
};

/* BULKHEAD_CTL_LOG: partition, position, buffer and length in; length,
 * next, lost, written and log_size out (CONSOLE_READ). */
struct bulkhead_ctl_log {
	__u32 partition;
	__u32 length;	/* in: bytes at buffer (at most ..._LOG_MAX used);
			 * out: bytes read */
	__u64 position; /* from where; 0 is the log's first byte ever */
	__u64 buffer;	/* a user pointer */
	__u64 next;	/* the position after the bytes read */
	__u64 lost;	/* bytes before them no longer kept */
	__u64 written;	/* bytes the log took in since boot */
	__u32 log_size; /* bytes the log keeps */
	__u32 reserved;
};

#define BULKHEAD_CTL_MAGIC 0xb8

#define BULKHEAD_CTL_SELF _IOR(BULKHEAD_CTL_MAGIC, 1, struct bulkhead_ctl_self)
#define BULKHEAD_CTL_STATE                                                     \
	_IOWR(BULKHEAD_CTL_MAGIC, 2, struct bulkhead_ctl_state)
#define BULKHEAD_CTL_STATS                                                     \
	_IOWR(BULKHEAD_CTL_MAGIC, 3, struct bulkhead_ctl_stats)
#define BULKHEAD_CTL_CONTROL                                                   \
	_IOW(BULKHEAD_CTL_MAGIC, 4, struct bulkhead_ctl_control)
#define BULKHEAD_CTL_LOG _IOWR(BULKHEAD_CTL_MAGIC, 5, struct bulkhead_ctl_log)

#endif
