/* SPDX-License-Identifier: MIT */
/*
 * How a partition's text is shown on the hypervisor console (pure,
 * unit-tested), so that it can never pass as the hypervisor's own or act
 * on the terminal: printable ASCII and tab are shown as they are, every
 * other C0 control and DEL in caret notation (ESC is "^[", CR "^M", BS
 * "^H", DEL "^?"), and every byte 0x80-0xff as "\xNN" (raw C1 bytes such as
 * 0x9b are CSI to an 8-bit terminal, and their UTF-8 forms C2 80-9F are C1
 * controls to terminals that honour them, so the console stays ASCII). The
 * CRs that end a line (CR LF) are dropped rather than shown. A line's
 * rendered text has at most CONSOLE_TEXT_MAX characters; longer text goes
 * on in further lines, each with the label again.
 */
#ifndef BULKHEAD_CORE_CONSOLE_CONSOLE_TEXT_H
#define BULKHEAD_CORE_CONSOLE_CONSOLE_TEXT_H

#include <stddef.h>

/* Rendered characters of one partition console line, after the label. */
#define CONSOLE_TEXT_MAX 256
/* The longest rendering of one byte ("\xNN"). */
#define CONSOLE_TEXT_BYTE_MAX 4

/* The length of one line of text without the CRs at its end. */
size_t console_text_line_length(const char *text, size_t length);

/*
 * Renders as many whole bytes of text[0, length) as fit in out[0, size)
 * (no NUL is added); stores the rendered length in *out_length and returns
 * how many bytes of text it used: at least one while length > 0 and size
 * is at least CONSOLE_TEXT_BYTE_MAX.
 */
size_t console_text_render(const char *text, size_t length, char *out,
			   size_t size, size_t *out_length);

#endif
