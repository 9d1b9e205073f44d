// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead_control: the management hypercalls of the bulkhead hypervisor
 * as /dev/bulkhead-control, for bulkheadctl. Each ioctl of
 * bulkhead_control.h is one hypercall with a kmalloc()ed buffer (its
 * physical address is what the hypervisor checks against the partition's
 * memory): the partition's own identity, another partition's state and
 * counters, stop/start/restart, and a read of its console log.
 *
 * The module decides nothing: whether this partition may look at or
 * control another is the hypervisor's word, and its error (EPERM without
 * "management;" in the configuration) is the ioctl's. Opening the device
 * needs CAP_SYS_ADMIN, like any other way to act on the machine.
 */
#define pr_fmt(fmt) "bulkhead: " fmt

#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/io.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "bulkhead_control.h"
#include "bulkhead_hypercall.h"
#include "bulkhead_kernel.h"

/* The first ABI with the grown state and statistics and CONSOLE_READ. */
#define BULKHEAD_CONTROL_NEEDED_MINOR 3

static bool bulkhead_vmmcall;

static long bulkhead_call(unsigned long number, unsigned long a0,
			  unsigned long a1, unsigned long a2, unsigned long a3)
{
	return bulkhead_hypercall4(bulkhead_vmmcall, number, a0, a1, a2, a3);
}

static long bulkhead_ctl_self(void __user *arg)
{
	struct bulkhead_partition_info *info;
	struct bulkhead_ctl_self out;
	long result;

	info = kzalloc(sizeof(*info), GFP_KERNEL);
	if (!info)
		return -ENOMEM;
	result = bulkhead_call(BULKHEAD_HC_PARTITION_INFO, virt_to_phys(info),
			       sizeof(*info), 0, 0);
	memset(&out, 0, sizeof(out));
	out.partition_id = info->partition_id;
	out.partition_count = info->partition_count;
	out.abi_version = info->abi_version;
	out.cpu_count = info->cpu_count;
	memcpy(out.name, info->name, sizeof(out.name));
	out.name[sizeof(out.name) - 1] = '\0';
	kfree(info);
	if (result < 0)
		return bulkhead_errno(result);
	return copy_to_user(arg, &out, sizeof(out)) ? -EFAULT : 0;
}

static long bulkhead_ctl_state(void __user *arg)
{
	struct bulkhead_partition_state *state;
	struct bulkhead_ctl_state out;
	long result;

	if (copy_from_user(&out, arg, sizeof(out)))
		return -EFAULT;
	state = kzalloc(sizeof(*state), GFP_KERNEL);
	if (!state)
		return -ENOMEM;
	result = bulkhead_call(BULKHEAD_HC_PARTITION_STATE, out.partition,
			       virt_to_phys(state), sizeof(*state), 0);
	if (result >= 0) {
		out.state = state->state;
		out.run = state->run;
		out.kind = state->kind;
		out.exit_status = state->exit_status;
		out.cpu_mask = state->cpu_mask;
		out.memory_size = state->memory_size;
		out.cpu_count = state->cpu_count;
		out.restarts = state->restarts;
		out.flags = state->flags;
		out.reserved = 0;
		memcpy(out.name, state->name, sizeof(out.name));
		out.name[sizeof(out.name) - 1] = '\0';
	}
	kfree(state);
	if (result < 0)
		return bulkhead_errno(result);
	return copy_to_user(arg, &out, sizeof(out)) ? -EFAULT : 0;
}

static long bulkhead_ctl_stats(void __user *arg)
{
	struct bulkhead_stats *stats;
	struct bulkhead_ctl_stats out;
	long result;

	if (copy_from_user(&out.partition, arg, sizeof(out.partition)))
		return -EFAULT;
	stats = kzalloc(sizeof(*stats), GFP_KERNEL);
	if (!stats)
		return -ENOMEM;
	result = bulkhead_call(BULKHEAD_HC_STATS, out.partition,
			       virt_to_phys(stats), sizeof(*stats), 0);
	out.reserved = 0;
	BUILD_BUG_ON(sizeof(out.exits) != sizeof(stats->exits));
	BUILD_BUG_ON(sizeof(out.hypercalls) != sizeof(stats->hypercalls));
	memcpy(out.exits, stats->exits, sizeof(out.exits));
	memcpy(out.hypercalls, stats->hypercalls, sizeof(out.hypercalls));
	out.interrupts_injected = stats->interrupts_injected;
	out.restarts = stats->restarts;
	out.faults = stats->faults;
	out.console_bytes = stats->console_bytes;
	kfree(stats);
	if (result < 0)
		return bulkhead_errno(result);
	return copy_to_user(arg, &out, sizeof(out)) ? -EFAULT : 0;
}

static long bulkhead_ctl_control(void __user *arg)
{
	struct bulkhead_ctl_control control;

	if (copy_from_user(&control, arg, sizeof(control)))
		return -EFAULT;
	return bulkhead_errno(bulkhead_call(BULKHEAD_HC_PARTITION_CONTROL,
					    control.partition,
					    control.operation, 0, 0));
}

static long bulkhead_ctl_log(void __user *arg)
{
	const size_t size =
	    sizeof(struct bulkhead_console_log) + BULKHEAD_CONTROL_LOG_MAX;
	struct bulkhead_console_log *log;
	struct bulkhead_ctl_log request;
	u32 capacity;
	long result;
	int ret = 0;

	if (copy_from_user(&request, arg, sizeof(request)))
		return -EFAULT;
	capacity = min_t(u32, request.length, BULKHEAD_CONTROL_LOG_MAX);
	log = kzalloc(size, GFP_KERNEL);
	if (!log)
		return -ENOMEM;
	result = bulkhead_call(BULKHEAD_HC_CONSOLE_READ, request.partition,
			       request.position, virt_to_phys(log),
			       sizeof(*log) + capacity);
	if (result < 0) {
		ret = bulkhead_errno(result);
		goto out;
	}
	/* The hypervisor's word is checked anyway. */
	if (log->length > capacity || result != log->length) {
		ret = -EIO;
		goto out;
	}
	if (copy_to_user(u64_to_user_ptr(request.buffer), log->data,
			 log->length)) {
		ret = -EFAULT;
		goto out;
	}
	request.length = log->length;
	request.next = log->next;
	request.lost = log->lost;
	request.written = log->written;
	request.log_size = log->log_size;
	request.reserved = 0;
	if (copy_to_user(arg, &request, sizeof(request)))
		ret = -EFAULT;
out:
	kfree(log);
	return ret;
}

static long bulkhead_control_ioctl(struct file *file, unsigned int cmd,
				   unsigned long arg)
{
	void __user *user = (void __user *)arg;

	switch (cmd) {
	case BULKHEAD_CTL_SELF:
		return bulkhead_ctl_self(user);
	case BULKHEAD_CTL_STATE:
		return bulkhead_ctl_state(user);
	case BULKHEAD_CTL_STATS:
		return bulkhead_ctl_stats(user);
	case BULKHEAD_CTL_CONTROL:
		return bulkhead_ctl_control(user);
	case BULKHEAD_CTL_LOG:
		return bulkhead_ctl_log(user);
	default:
		return -ENOTTY;
	}
}

static int bulkhead_control_open(struct inode *inode, struct file *file)
{
	return capable(CAP_SYS_ADMIN) ? 0 : -EPERM;
}

static const struct file_operations bulkhead_control_fops = {
    .owner = THIS_MODULE,
    .open = bulkhead_control_open,
    .unlocked_ioctl = bulkhead_control_ioctl,
    .compat_ioctl = compat_ptr_ioctl,
    .llseek = noop_llseek,
};

static struct miscdevice bulkhead_control_device = {
    .minor = MISC_DYNAMIC_MINOR,
    .name = "bulkhead-control",
    .fops = &bulkhead_control_fops,
};

static int __init bulkhead_control_init(void)
{
	int ret =
	    bulkhead_detect(BULKHEAD_CONTROL_NEEDED_MINOR, &bulkhead_vmmcall);

	if (ret)
		return ret;
	ret = misc_register(&bulkhead_control_device);
	if (ret)
		return ret;
	pr_info("control device /dev/bulkhead-control\n");
	return 0;
}

static void __exit bulkhead_control_exit(void)
{
	misc_deregister(&bulkhead_control_device);
	pr_info("control device removed\n");
}

module_init(bulkhead_control_init);
module_exit(bulkhead_control_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("bulkhead hypervisor management: partitions and their logs");
MODULE_AUTHOR("bulkhead");
