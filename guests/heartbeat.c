/* SPDX-License-Identifier: MIT */
/*
 * heartbeat: a bystander that keeps running while other partitions are
 * stopped and restarted. Prints "heartbeat K" for K = 1..beats (40 by
 * default), with a busy delay of "delay=N" pause loops (300000 by
 * default, about 50 ms in QEMU TCG, so 40 beats last about 2 s) between
 * beats, then "heartbeat done"
 * and exits 0. No VM exits happen during the delay. With "final-run=R",
 * its run R and later (restarts by a manager) beat only "final-beats=N"
 * times (3 by default): a partition that runs until it has been
 * restarted enough, then ends.
 */
#include "bulkhead.h"

int guest_main(const struct bulkhead_boot_info *boot, unsigned vcpu)
{
	int64_t beats = 40, delay = 300000, final_run = 0, final_beats = 3;

	if (vcpu != 0)
		return guest_wait_for_primary();
	args_get_number(boot->args, "beats", &beats);
	args_get_number(boot->args, "delay", &delay);
	args_get_number(boot->args, "final-run", &final_run);
	args_get_number(boot->args, "final-beats", &final_beats);
	if (final_run > 0 && boot->run >= final_run)
		beats = final_beats;
	for (int64_t k = 1; k <= beats; k++) {
		gprintf("heartbeat %ld\n", k);
		for (int64_t i = 0; i < delay; i++)
			cpu_relax();
	}
	gprintf("heartbeat done: %ld beats\n", beats);
	return 0;
}
