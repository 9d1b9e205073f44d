/* SPDX-License-Identifier: MIT */
/*
 * Loader logging. Progress lines go straight to the COM1 UART (the firmware
 * would add escape codes if they went through ConOut); errors go to both the
 * UART and the firmware console so they are seen on a screen as well.
 */
#include "loader.h"

#include "lib/format.h"

#define COM1 0x3f8

static void uart_put(char c)
{
	unsigned char status;

	for (int spins = 0; spins < 100000; spins++) {
		__asm__ volatile("inb %1, %0" : "=a"(status) : "Nd"(COM1 + 5));
		if (status & 0x20)
			break;
	}
	__asm__ volatile("outb %0, %1" : : "a"(c), "Nd"(COM1));
}

static void uart_write(const char *text)
{
	for (; *text; text++) {
		if (*text == '\n')
			uart_put('\r');
		uart_put(*text);
	}
}

static void screen_write(const char *text)
{
	CHAR16 wide[2] = { 0, 0 };
	SIMPLE_TEXT_OUTPUT_INTERFACE *out = loader_system_table->ConOut;

	for (; *text; text++) {
		if (*text == '\n') {
			wide[0] = '\r';
			out->OutputString(out, wide);
		}
		wide[0] = (CHAR16)(unsigned char)*text;
		out->OutputString(out, wide);
	}
}

void loader_log(const char *fmt, ...)
{
	char line[256];
	va_list args;

	va_start(args, fmt);
	format_v(line, sizeof(line) - 1, fmt, args);
	va_end(args);
	uart_write("bulkhead loader: ");
	uart_write(line);
	uart_write("\n");
}

void loader_error(const char *fmt, ...)
{
	char line[320];
	va_list args;

	va_start(args, fmt);
	format_v(line, sizeof(line), fmt, args);
	va_end(args);
	uart_write("bulkhead loader: error: ");
	uart_write(line);
	uart_write("\n");
	screen_write("bulkhead loader: error: ");
	screen_write(line);
	screen_write("\n");
}

const char *loader_status_text(EFI_STATUS status)
{
	switch (status) {
	case EFI_SUCCESS:
		return "success";
	case EFI_NOT_FOUND:
		return "not found";
	case EFI_OUT_OF_RESOURCES:
		return "out of resources";
	case EFI_INVALID_PARAMETER:
		return "invalid parameter";
	case EFI_UNSUPPORTED:
		return "unsupported";
	case EFI_LOAD_ERROR:
		return "load error";
	case EFI_DEVICE_ERROR:
		return "device error";
	case EFI_VOLUME_CORRUPTED:
		return "volume corrupted";
	case EFI_BUFFER_TOO_SMALL:
		return "buffer too small";
	case EFI_ACCESS_DENIED:
		return "access denied";
	default:
		return "firmware error";
	}
}
