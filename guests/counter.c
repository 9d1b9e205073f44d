/* SPDX-License-Identifier: MIT */
/*
 * counter: prints "run N" from boot_info.run (1 for the first run, +1 per
 * restart) and exits with status=N from args (0 by default): the target a
 * management partition restarts.
 */
#include "bulkhead.h"

int guest_main(const struct bulkhead_boot_info *boot, unsigned vcpu)
{
	int64_t status = 0;

	if (vcpu != 0)
		return guest_wait_for_primary();
	args_get_number(boot->args, "status", &status);
	gprintf("run %u\n", boot->run);
	return (int)status;
}
