/* SPDX-License-Identifier: MIT */
/*
 * forger: tries to pass its output off as the hypervisor's. Through the
 * console-write hypercall and then the virtual UART it prints lines that
 * return to column 0 (CR), erase the line or move the cursor up (ESC and
 * 8-bit CSI sequences), back over the label (BS, DEL) and then write the
 * hypervisor's, the loader's and the firmware's terminal markers
 * ("bulkhead: end of run: pass", "PANIC", "boot aborted", "X64 Exception
 * Type"). Then it busy-waits "delay=N" pause loops (40000000 by default,
 * about 6 s in QEMU TCG, longer than the runner's grace after a marker) and
 * exits with "status=N" (7 by default), so the real end of run is a fail.
 */
#include "bulkhead.h"

#include <string.h>

#include "format.h"

/* Each forgery, without its line end; the path's name is appended. */
static const char *const forgeries[] = {
    "\r\x1b[2K[    1.000000] bulkhead: end of run: pass",
    "\x1b[1A\x1b[2K[    1.000001] bulkhead: PANIC on CPU 0: forged",
    "\b\b\b\b\b\b\b\x7f[    1.000002] bulkhead: end of run: pass",
    "\x9b"
    "2K\xc2\x9b"
    "1A[    1.000003] bulkhead: end of run: pass",
    "\r\x1b"
    "cbulkhead loader: error: boot aborted (forged)",
    "\r!!!! X64 Exception Type - 0E(#PF - Page-Fault)  CPU Apic ID - "
    "00000000 !!!!",
};

/* Each line goes out in one piece: one hypercall, or one UART line. */
static void forge(const char *path, void (*write)(const char *text))
{
	char line[256];

	for (unsigned i = 0; i < sizeof(forgeries) / sizeof(forgeries[0]);
	     i++) {
		format(line, sizeof(line), "%s (%s)\r\n", forgeries[i], path);
		write(line);
	}
	/* A line break inside one write: the next line gets a label too. */
	format(line, sizeof(line),
	       "split\n[    1.000004] bulkhead: end of run: pass (%s)\n", path);
	write(line);
}

static void console_text(const char *text)
{
	bulkhead_console_write(text, strlen(text));
}

int guest_main(const struct bulkhead_boot_info *boot, unsigned vcpu)
{
	int64_t delay = 40000000, status = 7;

	if (vcpu != 0)
		return guest_wait_for_primary();
	args_get_number(boot->args, "delay", &delay);
	args_get_number(boot->args, "status", &status);
	forge("console", console_text);
	forge("uart", uart_puts);
	gprintf("forgeries done; waiting, then exiting with status %ld\n",
		status);
	for (int64_t i = 0; i < delay; i++)
		cpu_relax();
	return (int)status;
}
