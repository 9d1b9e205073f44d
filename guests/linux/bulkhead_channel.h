/* SPDX-License-Identifier: MIT */
/*
 * User-space interface of the bulkhead_channel Linux module: the ioctls of
 * /dev/bulkhead-<channel>. Shared by the module and the user programs.
 *
 * read/write (pread/pwrite) and mmap (MAP_SHARED) reach the channel's
 * shared memory, bounded by its size. poll() reports EPOLLIN once the peer
 * rang the doorbell since this open file last acknowledged.
 */
#ifndef BULKHEAD_CHANNEL_UAPI_H
#define BULKHEAD_CHANNEL_UAPI_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define BULKHEAD_CHANNEL_NAME_MAX 32

/* Filled by BULKHEAD_IOC_INFO; the same layout for 32- and 64-bit. */
struct bulkhead_ioc_info {
	__u64 size;	 /* bytes of shared memory */
	__u64 doorbells; /* doorbells from the peer since the module loaded */
	__u64 acked;	 /* this file's count at its last BULKHEAD_IOC_ACK */
	__u32 index;	 /* the channel number in the hypervisor's ABI */
	__u32 peer_id;	 /* the partition at the other end */
	__u32 gsi;	 /* the IOAPIC input the doorbell raises */
	__u32 irq;	 /* the Linux IRQ number (0: none) */
	char name[BULKHEAD_CHANNEL_NAME_MAX];	   /* NUL-terminated */
	char peer_name[BULKHEAD_CHANNEL_NAME_MAX]; /* NUL-terminated */
};

#define BULKHEAD_IOC_MAGIC 0xb7

/* Rings the peer's doorbell. Fails with ESRCH when the peer is not
 * running. */
#define BULKHEAD_IOC_RING _IO(BULKHEAD_IOC_MAGIC, 1)
/* Marks every doorbell so far as seen by this open file and stores that
 * count (the channel's doorbell count) in the __u64 argument. */
#define BULKHEAD_IOC_ACK _IOR(BULKHEAD_IOC_MAGIC, 2, __u64)
/* Fills a struct bulkhead_ioc_info. */
#define BULKHEAD_IOC_INFO _IOR(BULKHEAD_IOC_MAGIC, 3, struct bulkhead_ioc_info)

#endif
