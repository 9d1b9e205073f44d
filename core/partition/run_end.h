/* SPDX-License-Identifier: MIT */
/*
 * The end of a run: once no partition is running or restarting (nothing can
 * start one again then), a summary is printed and, if the config names an
 * isa-debug-exit port, the emulator is ended with a pass (every partition
 * exited with status 0) or fail code. Documented in docs/testing.md.
 */
#ifndef BULKHEAD_CORE_PARTITION_RUN_END_H
#define BULKHEAD_CORE_PARTITION_RUN_END_H

#define RUN_END_PASS 0x10  /* QEMU exits with (0x10 << 1) | 1 = 33 */
#define RUN_END_FAIL 0x11  /* 35 */
#define RUN_END_PANIC 0x12 /* 37 */

void run_end_init(unsigned live_partitions, unsigned short exit_port);
void run_end_partition_started(void);
/* The call that takes the count of live partitions to 0 ends the run. */
void run_end_partition_ended(void);
void run_end_panic(void);
/* Boot, before any partition runs: the machine cannot honour the
 * configuration; prints why and ends the run as failed. */
__attribute__((noreturn)) void run_end_refused(const char *reason);

#endif
