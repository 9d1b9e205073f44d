// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead_channel: the channels of a Linux partition under the bulkhead
 * hypervisor as character devices, /dev/bulkhead-<channel name>.
 *
 * At load the module checks the hypervisor (CPUID 0x40000000 signature,
 * ABI 1.2 or a later 1.x), then asks BULKHEAD_HC_CHANNEL_INFO for channel
 * 0, 1, ... until ENOENT. Each channel's shared memory (e820-reserved, at
 * the guest-physical address the hypervisor reports) is mapped write-back;
 * its doorbell arrives as an edge on the IOAPIC input the ABI names, which
 * counts the doorbell and wakes pollers. A file gives pread/pwrite, lseek
 * and shared mmap within the channel, poll() (EPOLLIN when the peer rang
 * since the file's last BULKHEAD_IOC_ACK), and the ioctls of
 * bulkhead_channel.h.
 */
#define pr_fmt(fmt) "bulkhead: " fmt

#include <linux/acpi.h>
#include <linux/atomic.h>
#include <linux/cdev.h>
#include <linux/ctype.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/wait.h>
#include <asm/processor.h>

#include "bulkhead_channel.h"
#include "bulkhead_hypercall.h"
#include "bulkhead_kernel.h"

/* The first ABI whose channel info carries the doorbell's GSI. */
#define BULKHEAD_NEEDED_MINOR 2
/* Channels probed at most; each takes one minor number. */
#define BULKHEAD_MAX_CHANNELS 32
/* Larger channels are refused as implausible. */
#define BULKHEAD_CHANNEL_SIZE_MAX (1ull << 40)
#define BULKHEAD_DEVICE_PREFIX	  "bulkhead-"
#define BULKHEAD_DEVICE_NAME_MAX                                               \
	(sizeof(BULKHEAD_DEVICE_PREFIX) + BULKHEAD_NAME_MAX)

struct bulkhead_chan {
	unsigned int index; /* the ABI's channel number */
	char name[BULKHEAD_NAME_MAX];
	char peer_name[BULKHEAD_NAME_MAX];
	char device_name[BULKHEAD_DEVICE_NAME_MAX];
	u32 peer_id;
	phys_addr_t address;
	u64 size;
	void *memory; /* memremap()ed, write-back */
	u32 gsi;      /* 0: no doorbell interrupt */
	int irq;      /* > 0 once requested */
	atomic64_t doorbells;
	wait_queue_head_t wait;
	struct cdev cdev;
	struct device *device;
};

/* One per open file: the doorbell count it last acknowledged. */
struct bulkhead_open {
	struct bulkhead_chan *chan;
	atomic64_t acked;
};

static struct {
	bool vmmcall;
	dev_t devt;
	struct class *class;
	unsigned int count;
	struct bulkhead_chan *chans[BULKHEAD_MAX_CHANNELS];
} bulkhead;

static long bulkhead_hypercall(unsigned long number, unsigned long a0,
			       unsigned long a1, unsigned long a2)
{
	return bulkhead_hypercall4(bulkhead.vmmcall, number, a0, a1, a2, 0);
}

/* Logs the partition's identity; the call also proves hypercalls work. */
static int bulkhead_partition_hello(void)
{
	struct bulkhead_partition_info *info;
	long result;

	info = kzalloc(sizeof(*info), GFP_KERNEL);
	if (!info)
		return -ENOMEM;
	result = bulkhead_hypercall(BULKHEAD_HC_PARTITION_INFO,
				    virt_to_phys(info), sizeof(*info), 0);
	if (result < 0) {
		pr_err("PARTITION_INFO failed: %ld\n", result);
		kfree(info);
		return bulkhead_errno(result);
	}
	info->name[BULKHEAD_NAME_MAX - 1] = '\0';
	pr_info("partition %s (id %u), ABI %u.%u, %s\n", info->name,
		info->partition_id, info->abi_version >> 16,
		info->abi_version & 0xffff,
		bulkhead.vmmcall ? "vmmcall" : "vmcall");
	kfree(info);
	return 0;
}

/* Fills *info for channel index; -ENOENT past the last channel. */
static int bulkhead_channel_info(unsigned int index,
				 struct bulkhead_channel_info *info)
{
	struct bulkhead_channel_info *buffer;
	long result;

	buffer = kzalloc(sizeof(*buffer), GFP_KERNEL);
	if (!buffer)
		return -ENOMEM;
	result = bulkhead_hypercall(BULKHEAD_HC_CHANNEL_INFO, index,
				    virt_to_phys(buffer), sizeof(*buffer));
	if (result >= 0) {
		*info = *buffer;
		info->name[BULKHEAD_NAME_MAX - 1] = '\0';
		info->peer_name[BULKHEAD_NAME_MAX - 1] = '\0';
	}
	kfree(buffer);
	return bulkhead_errno(result);
}

/* A device name from the channel's name: [A-Za-z0-9._-] kept, anything
 * else (a '/' above all) becomes '_'; "channel<index>" when empty. */
static void bulkhead_device_name(struct bulkhead_chan *chan)
{
	char clean[BULKHEAD_NAME_MAX];
	size_t i;

	for (i = 0; i < sizeof(clean) - 1 && chan->name[i]; i++) {
		char c = chan->name[i];

		clean[i] =
		    isalnum(c) || c == '.' || c == '_' || c == '-' ? c : '_';
	}
	clean[i] = '\0';
	if (!i || !strcmp(clean, ".") || !strcmp(clean, ".."))
		snprintf(clean, sizeof(clean), "channel%u", chan->index);
	snprintf(chan->device_name, sizeof(chan->device_name), "%s%s",
		 BULKHEAD_DEVICE_PREFIX, clean);
}

/* The hypervisor's word is checked anyway: a page-aligned window of
 * whole pages that neither is empty nor wraps around. */
static bool bulkhead_info_valid(const struct bulkhead_channel_info *info)
{
	u64 window;

	if (!info->size || info->size > BULKHEAD_CHANNEL_SIZE_MAX ||
	    !PAGE_ALIGNED(info->address))
		return false;
	window = PAGE_ALIGN(info->size);
	return info->address + window > info->address;
}

static irqreturn_t bulkhead_doorbell(int irq, void *data)
{
	struct bulkhead_chan *chan = data;

	atomic64_inc(&chan->doorbells);
	wake_up_interruptible_all(&chan->wait);
	return IRQ_HANDLED;
}

static struct bulkhead_chan *bulkhead_file_chan(struct file *file)
{
	struct bulkhead_open *open = file->private_data;

	return open->chan;
}

static int bulkhead_open(struct inode *inode, struct file *file)
{
	struct bulkhead_chan *chan =
	    container_of(inode->i_cdev, struct bulkhead_chan, cdev);
	struct bulkhead_open *open;

	open = kzalloc(sizeof(*open), GFP_KERNEL);
	if (!open)
		return -ENOMEM;
	open->chan = chan;
	/* Doorbells rung before the open are not news for this file. */
	atomic64_set(&open->acked, atomic64_read(&chan->doorbells));
	file->private_data = open;
	return 0;
}

static int bulkhead_release(struct inode *inode, struct file *file)
{
	kfree(file->private_data);
	return 0;
}

static ssize_t bulkhead_read(struct file *file, char __user *buf, size_t count,
			     loff_t *ppos)
{
	struct bulkhead_chan *chan = bulkhead_file_chan(file);
	loff_t pos = *ppos;
	size_t length;

	if (pos < 0)
		return -EINVAL;
	if ((u64)pos >= chan->size)
		return 0;
	length = min_t(u64, count, chan->size - pos);
	if (copy_to_user(buf, chan->memory + pos, length))
		return -EFAULT;
	*ppos = pos + length;
	return length;
}

static ssize_t bulkhead_write(struct file *file, const char __user *buf,
			      size_t count, loff_t *ppos)
{
	struct bulkhead_chan *chan = bulkhead_file_chan(file);
	loff_t pos = *ppos;
	size_t length;

	if (pos < 0)
		return -EINVAL;
	if (!count)
		return 0;
	if ((u64)pos >= chan->size)
		return -ENOSPC;
	length = min_t(u64, count, chan->size - pos);
	if (copy_from_user(chan->memory + pos, buf, length))
		return -EFAULT;
	*ppos = pos + length;
	return length;
}

static loff_t bulkhead_llseek(struct file *file, loff_t offset, int whence)
{
	struct bulkhead_chan *chan = bulkhead_file_chan(file);

	return fixed_size_llseek(file, offset, whence, chan->size);
}

/* Shared mappings only, of the whole pages the channel's window covers. */
static int bulkhead_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct bulkhead_chan *chan = bulkhead_file_chan(file);
	unsigned long pages = PAGE_ALIGN(chan->size) >> PAGE_SHIFT;
	unsigned long length = vma->vm_end - vma->vm_start;
	unsigned long wanted = length >> PAGE_SHIFT;

	if (!(vma->vm_flags & VM_MAYSHARE))
		return -EINVAL;
	if (vma->vm_pgoff >= pages || wanted > pages - vma->vm_pgoff)
		return -EINVAL;
	return remap_pfn_range(vma, vma->vm_start,
			       PHYS_PFN(chan->address) + vma->vm_pgoff, length,
			       vma->vm_page_prot);
}

static __poll_t bulkhead_poll(struct file *file, poll_table *wait)
{
	struct bulkhead_open *open = file->private_data;
	struct bulkhead_chan *chan = open->chan;
	__poll_t mask = EPOLLOUT | EPOLLWRNORM;

	poll_wait(file, &chan->wait, wait);
	if (atomic64_read(&chan->doorbells) != atomic64_read(&open->acked))
		mask |= EPOLLIN | EPOLLRDNORM;
	return mask;
}

static long bulkhead_ioctl_info(struct bulkhead_open *open, void __user *arg)
{
	struct bulkhead_chan *chan = open->chan;
	struct bulkhead_ioc_info info;

	memset(&info, 0, sizeof(info));
	info.size = chan->size;
	info.doorbells = atomic64_read(&chan->doorbells);
	info.acked = atomic64_read(&open->acked);
	info.index = chan->index;
	info.peer_id = chan->peer_id;
	info.gsi = chan->gsi;
	info.irq = chan->irq > 0 ? chan->irq : 0;
	strscpy(info.name, chan->name, sizeof(info.name));
	strscpy(info.peer_name, chan->peer_name, sizeof(info.peer_name));
	return copy_to_user(arg, &info, sizeof(info)) ? -EFAULT : 0;
}

static long bulkhead_ioctl(struct file *file, unsigned int cmd,
			   unsigned long arg)
{
	struct bulkhead_open *open = file->private_data;
	u64 count;

	switch (cmd) {
	case BULKHEAD_IOC_RING:
		return bulkhead_errno(bulkhead_hypercall(
		    BULKHEAD_HC_CHANNEL_NOTIFY, open->chan->index, 0, 0));
	case BULKHEAD_IOC_ACK:
		count = atomic64_read(&open->chan->doorbells);
		atomic64_set(&open->acked, count);
		return put_user(count, (u64 __user *)arg);
	case BULKHEAD_IOC_INFO:
		return bulkhead_ioctl_info(open, (void __user *)arg);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations bulkhead_fops = {
    .owner = THIS_MODULE,
    .open = bulkhead_open,
    .release = bulkhead_release,
    .read = bulkhead_read,
    .write = bulkhead_write,
    .llseek = bulkhead_llseek,
    .mmap = bulkhead_mmap,
    .poll = bulkhead_poll,
    .unlocked_ioctl = bulkhead_ioctl,
    .compat_ioctl = compat_ptr_ioctl,
};

static int bulkhead_chan_irq(struct bulkhead_chan *chan)
{
	int irq, ret;

	if (!chan->gsi) {
		pr_warn("channel %s: no doorbell GSI, poll() will not wake\n",
			chan->name);
		return 0;
	}
	irq = acpi_register_gsi(NULL, chan->gsi, ACPI_EDGE_SENSITIVE,
				ACPI_ACTIVE_HIGH);
	if (irq < 0) {
		pr_err("channel %s: GSI %u: %d\n", chan->name, chan->gsi, irq);
		return irq;
	}
	ret = request_irq(irq, bulkhead_doorbell, 0, chan->device_name, chan);
	if (ret) {
		pr_err("channel %s: IRQ %d: %d\n", chan->name, irq, ret);
		acpi_unregister_gsi(chan->gsi);
		return ret;
	}
	chan->irq = irq;
	return 0;
}

static void bulkhead_chan_destroy(struct bulkhead_chan *chan)
{
	if (chan->device)
		device_destroy(bulkhead.class, chan->cdev.dev);
	if (chan->cdev.dev)
		cdev_del(&chan->cdev);
	if (chan->irq > 0) {
		free_irq(chan->irq, chan);
		acpi_unregister_gsi(chan->gsi);
	}
	if (chan->memory)
		memunmap(chan->memory);
	kfree(chan);
}

/* The memory, the doorbell and the device node of one channel. */
static int bulkhead_chan_start(struct bulkhead_chan *chan, dev_t devt)
{
	int ret;

	chan->memory = memremap(chan->address, chan->size, MEMREMAP_WB);
	if (!chan->memory) {
		pr_err("channel %s: cannot map %pa\n", chan->name,
		       &chan->address);
		return -ENOMEM;
	}
	ret = bulkhead_chan_irq(chan);
	if (ret)
		return ret;
	cdev_init(&chan->cdev, &bulkhead_fops);
	chan->cdev.owner = THIS_MODULE;
	ret = cdev_add(&chan->cdev, devt, 1);
	if (ret) {
		chan->cdev.dev = 0;
		return ret;
	}
	chan->device = device_create(bulkhead.class, NULL, devt, chan, "%s",
				     chan->device_name);
	if (IS_ERR(chan->device)) {
		ret = PTR_ERR(chan->device);
		chan->device = NULL;
		return ret;
	}
	return 0;
}

static int bulkhead_chan_add(unsigned int index,
			     const struct bulkhead_channel_info *info)
{
	struct bulkhead_chan *chan;
	int ret;

	if (!bulkhead_info_valid(info)) {
		pr_err("channel %u: bad window 0x%llx+0x%llx\n", index,
		       info->address, info->size);
		return -EINVAL;
	}
	chan = kzalloc(sizeof(*chan), GFP_KERNEL);
	if (!chan)
		return -ENOMEM;
	chan->index = index;
	strscpy(chan->name, info->name, sizeof(chan->name));
	strscpy(chan->peer_name, info->peer_name, sizeof(chan->peer_name));
	chan->peer_id = info->peer_id;
	chan->address = info->address;
	chan->size = info->size;
	chan->gsi = info->irq;
	atomic64_set(&chan->doorbells, 0);
	init_waitqueue_head(&chan->wait);
	bulkhead_device_name(chan);

	ret = bulkhead_chan_start(chan, MKDEV(MAJOR(bulkhead.devt), index));
	if (ret) {
		bulkhead_chan_destroy(chan);
		return ret;
	}
	bulkhead.chans[bulkhead.count++] = chan;
	pr_info("channel %s (%llu bytes, peer %s) as /dev/%s, irq %d\n",
		chan->name, chan->size, chan->peer_name, chan->device_name,
		chan->irq);
	return 0;
}

static int bulkhead_add_channels(void)
{
	struct bulkhead_channel_info info;
	unsigned int index;
	int ret;

	for (index = 0; index < BULKHEAD_MAX_CHANNELS; index++) {
		ret = bulkhead_channel_info(index, &info);
		if (ret == -ENOENT)
			return 0;
		if (ret) {
			pr_err("CHANNEL_INFO %u failed: %d\n", index, ret);
			return ret;
		}
		ret = bulkhead_chan_add(index, &info);
		if (ret)
			return ret;
	}
	if (!bulkhead_channel_info(index, &info))
		pr_warn("only the first %u channels are supported\n",
			BULKHEAD_MAX_CHANNELS);
	return 0;
}

static void bulkhead_remove_channels(void)
{
	while (bulkhead.count) {
		struct bulkhead_chan *chan = bulkhead.chans[--bulkhead.count];

		pr_info("channel %s removed (%lld doorbells)\n", chan->name,
			(long long)atomic64_read(&chan->doorbells));
		bulkhead_chan_destroy(chan);
		bulkhead.chans[bulkhead.count] = NULL;
	}
}

static int __init bulkhead_init(void)
{
	int ret;

	ret = bulkhead_detect(BULKHEAD_NEEDED_MINOR, &bulkhead.vmmcall);
	if (ret)
		return ret;
	ret = bulkhead_partition_hello();
	if (ret)
		return ret;
	ret = alloc_chrdev_region(&bulkhead.devt, 0, BULKHEAD_MAX_CHANNELS,
				  "bulkhead");
	if (ret)
		return ret;
	bulkhead.class = class_create(THIS_MODULE, "bulkhead");
	if (IS_ERR(bulkhead.class)) {
		ret = PTR_ERR(bulkhead.class);
		goto unregister;
	}
	ret = bulkhead_add_channels();
	if (ret)
		goto remove;
	if (!bulkhead.count)
		pr_info("this partition has no channels\n");
	return 0;

remove:
	bulkhead_remove_channels();
	class_destroy(bulkhead.class);
unregister:
	unregister_chrdev_region(bulkhead.devt, BULKHEAD_MAX_CHANNELS);
	return ret;
}

static void __exit bulkhead_exit(void)
{
	bulkhead_remove_channels();
	class_destroy(bulkhead.class);
	unregister_chrdev_region(bulkhead.devt, BULKHEAD_MAX_CHANNELS);
	pr_info("module unloaded\n");
}

module_init(bulkhead_init);
module_exit(bulkhead_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("bulkhead hypervisor channels: shared memory and doorbells");
MODULE_AUTHOR("bulkhead");
