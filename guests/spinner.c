/* SPDX-License-Identifier: MIT */
/*
 * spinner: a busy partition that never exits by itself, the target of the
 * stopper guest. It counts loop iterations into its channel's shared page
 * (struct spinner_shared in spinner.h), with interrupts enabled and no
 * hypercall or other exit in the loop, so the only way to stop it is for
 * the hypervisor to kick its vCPU out of guest mode. It exits with status
 * 0 once the peer sets `quit`, and prints "run N" first (boot_info.run).
 * With args "cli" it spins with interrupts disabled instead: a guest
 * that holds its CPU that way must be as easy to stop.
 */
#include <string.h>

#include "bulkhead.h"
#include "spinner.h"

int guest_main(const struct bulkhead_boot_info *boot, unsigned vcpu)
{
	struct guest_channel channel;
	int64_t result;

	if (vcpu != 0)
		return guest_wait_for_primary();
	result = guest_channel_open(0, &channel);
	if (result < 0 || channel.info.size < sizeof(struct spinner_shared)) {
		gprintf("no channel 0: %ld (%s)\n", result,
			bulkhead_error_name(result));
		return 2;
	}
	volatile struct spinner_shared *shared = channel.memory;

	char word[8];
	bool disabled = args_first_word(boot->args, word, sizeof(word)) &&
			!strcmp(word, "cli");

	gprintf("run %u: spinning with interrupts %s\n", boot->run,
		disabled ? "off" : "on");
	if (disabled)
		guest_interrupts_disable();
	else
		guest_interrupts_enable();
	while (!__atomic_load_n(&shared->quit, __ATOMIC_ACQUIRE))
		__atomic_fetch_add(&shared->spins, 1, __ATOMIC_RELEASE);
	gprintf("run %u: asked to quit\n", boot->run);
	return 0;
}
