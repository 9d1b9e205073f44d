/* SPDX-License-Identifier: MIT */
/*
 * Loading a Linux partition by the x86 boot protocol: the protected-mode
 * kernel from the pristine bzImage, the initramfs at the top of RAM, the
 * command line, the zero page with an e820 map of exactly the partition's
 * RAM (channel windows reserved) and the RSDP of the partition's ACPI
 * tables (built with the rest of its PC platform, core/platform/pc.c), and
 * the boot GDT and identity tables of the 64-bit entry. vCPU 0 starts at
 * the 64-bit entry; the others wait for the guest's INIT and start-up
 * IPIs. The loader checked the image and layout already; here a failure is
 * a hypervisor bug.
 */
#include "linux_guest.h"

#include <bulkhead/linux_boot.h>
#include <string.h>

#include "core/base/panic.h"
#include "core/console/console.h"
#include "core/platform/pc.h"
#include "lib/format.h"
#include "guest_boot.h"

#define E820_MAX 32

_Static_assert(PC_ACPI_BASE == LINUX_BIOS_AREA &&
		       PC_ACPI_BASE + PC_ACPI_SIZE == BULKHEAD_GUEST_IMAGE_MIN,
	       "the e820 map reserves exactly the ACPI tables' area");

static void build_e820(const struct partition *p, struct linux_e820_entry *map,
		       unsigned *count)
{
	struct linux_e820_entry windows[CONFIG_MAX_PARTITION_CHANNELS];

	for (uint32_t i = 0; i < p->channel_count; i++) {
		windows[i].address = p->channels[i].guest_address;
		windows[i].size = (p->channels[i].size + PAGE_SIZE - 1) &
				  ~(uint64_t)(PAGE_SIZE - 1);
		windows[i].type = LINUX_E820_RESERVED;
	}
	*count = linux_e820_build(p->memory_size, windows, p->channel_count,
				  map, E820_MAX);
	if (!*count)
		panic("partition %s: cannot build its e820 map",
		      p->config->name);
}

/* The config's command line, plus the TSC frequency the hypervisor
 * measured (tsc_early_khz=) unless the config sets it: an AMD CPU has no
 * CPUID leaf for it and the partition has no PIT to calibrate against;
 * and the partition's run number (bulkhead.run=, 1 for the first boot,
 * +1 per restart), which bare-metal guests find in their boot info. */
static void write_command_line(char *out, const char *config_line,
			       uint32_t run)
{
	size_t length = strlen(config_line);
	size_t room = LINUX_CMDLINE_ADDED_MAX;
	int added;

	memcpy(out, config_line, length);
	if (!strstr(config_line, "tsc_early_khz=")) {
		added = format(out + length, room, "%stsc_early_khz=%llu",
			       length ? " " : "",
			       (unsigned long long)boot_info->tsc_hz / 1000);
		length += (size_t)added;
		room -= (size_t)added;
	}
	added = format(out + length, room, "%sbulkhead.run=%u",
		       length ? " " : "", run);
	length += (size_t)added;
	out[length] = '\0';
}

void linux_guest_load(struct partition *p)
{
	uint8_t *memory = (uint8_t *)(uintptr_t)p->memory_base;
	const uint8_t *file = (const uint8_t *)(uintptr_t)p->image->base;
	const char *cmdline = p->config->cmdline;
	struct linux_e820_entry e820[E820_MAX];
	struct linux_image image;
	struct linux_layout layout;
	char error[160];
	unsigned e820_count;

	if (!linux_image_check(file, p->image->size, &image, error,
			       sizeof(error)) ||
	    !linux_layout_plan(&image, p->memory_size, p->image->initrd_size,
			       strlen(cmdline) + LINUX_CMDLINE_ADDED_MAX,
			       &layout, error, sizeof(error)))
		panic("partition %s: %s", p->config->name, error);
	if (!guest_boot_build_linux(memory, p->memory_size, p->mapped_size))
		panic("partition %s: guest page tables do not fit",
		      p->config->name);
	memcpy(memory + layout.kernel, file + image.setup_size,
	       image.kernel_size);
	if (p->image->initrd_size)
		memcpy(memory + layout.initrd,
		       (const void *)(uintptr_t)p->image->initrd_base,
		       p->image->initrd_size);
	write_command_line((char *)memory + layout.cmdline, cmdline, p->run + 1);
	build_e820(p, e820, &e820_count);
	if (!linux_boot_params_build(memory + layout.boot_params, file, &image,
				     &layout, e820, e820_count, p->acpi_rsdp))
		panic("partition %s: cannot build the zero page",
		      p->config->name);
	p->linux_entry = layout.entry64;
	p->linux_boot_params = layout.boot_params;
}

void linux_guest_reset_vcpu(struct vcpu *vcpu)
{
	struct partition *p = vcpu->partition;

	vcpu->entry = (struct vcpu_entry){
		.rip = p->linux_entry,
		.code_selector = GUEST_LINUX_SELECTOR_CODE,
		.data_selector = GUEST_LINUX_SELECTOR_DATA,
		.rsi = p->linux_boot_params,
	};
	backend->vcpu_reset(vcpu);
	/* Application processors wait for the guest's INIT and SIPI. */
	vcpu->waiting_for_startup = vcpu->index != 0;
	vcpu->startup_request = 0;
}
