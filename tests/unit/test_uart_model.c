/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the virtual 16550A (core/platform/uart_model.c), mostly by replaying what
 * Linux 6.1's 8250 driver does to it: autoconfig (existence, loopback, FIFO
 * and 16550A-variant probes, FIFO sizing), serial8250_do_startup's THRE
 * tests, polled console writes and interrupt-driven transmit and receive.
 * Register bits are spelled out here, as Linux's serial_reg.h has them,
 * independently of the model's own definitions.
 */
#include "core/platform/uart_model.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

CHECK_MAIN("test_uart_model")

enum {
	RX = 0,
	TX = 0,
	DLL = 0,
	IER = 1,
	DLM = 1,
	IIR = 2,
	FCR = 2,
	EFR = 2,
	LCR = 3,
	MCR = 4,
	LSR = 5,
	MSR = 6,
	SCR = 7
};

#define IER_RDI		0x01
#define IER_THRI	0x02
#define IER_RLSI	0x04
#define IER_ALL		0x0f
#define IER_UUE		0x40
#define IIR_NO_INT	0x01
#define FCR_ENABLE_FIFO 0x01
#define FCR_CLEAR_RCVR	0x02
#define FCR_CLEAR_XMIT	0x04
#define FCR_R_TRIG_10	0x80
#define FCR7_64BYTE	0x20
#define LCR_WLEN8	0x03
#define LCR_CONF_MODE_A 0x80
#define LCR_CONF_MODE_B 0xbf
#define MCR_DTR		0x01
#define MCR_RTS		0x02
#define MCR_OUT1	0x04
#define MCR_OUT2	0x08
#define MCR_LOOP	0x10
#define LSR_DR		0x01
#define LSR_OE		0x02
#define LSR_THRE	0x20
#define LSR_TEMT	0x40
#define LSR_BOTH_EMPTY	(LSR_THRE | LSR_TEMT)
#define MSR_STATUS	0xf0
#define MSR_CTS		0x10
#define MSR_DSR		0x20
#define MSR_RI		0x40
#define MSR_DCD		0x80

static uint8_t in(struct vuart *uart, unsigned reg)
{
	return vuart_read(uart, reg);
}

static void out(struct vuart *uart, unsigned reg, uint8_t value)
{
	uint8_t sent;

	vuart_write(uart, reg, value, &sent);
}

static struct vuart fresh(void)
{
	struct vuart uart;

	memset(&uart, 0x5a, sizeof(uart)); /* reset must not rely on zeroes */
	vuart_reset(&uart);
	return uart;
}

static void test_reset_state(void)
{
	struct vuart uart = fresh();

	CHECK_EQ(in(&uart, IER), 0);
	CHECK_EQ(in(&uart, IIR), IIR_NO_INT);
	CHECK_EQ(in(&uart, LCR), LCR_WLEN8);
	CHECK_EQ(in(&uart, MCR), 0);
	CHECK_EQ(in(&uart, LSR), LSR_BOTH_EMPTY);
	CHECK_EQ(in(&uart, MSR), MSR_DCD | MSR_DSR | MSR_CTS);
	CHECK_EQ(in(&uart, RX), 0); /* empty: reads 0, nothing popped */
	CHECK(!vuart_irq_line(&uart));
	/* A divisor of 0 would make Linux's probe_baud() divide by zero. */
	out(&uart, LCR, LCR_WLEN8 | LCR_CONF_MODE_A);
	CHECK_EQ(in(&uart, DLL), 1);
	CHECK_EQ(in(&uart, DLM), 0);
}

/* autoconfig(): IER must hold 0 and 0x0f; autoconfig_8250(): scratch. */
static void test_existence_and_scratch(void)
{
	struct vuart uart = fresh();

	uint8_t saved = in(&uart, IER);
	out(&uart, IER, 0);
	CHECK_EQ(in(&uart, IER) & IER_ALL, 0);
	out(&uart, IER, IER_ALL);
	CHECK_EQ(in(&uart, IER) & IER_ALL, IER_ALL);
	out(&uart, IER, saved);
	CHECK_EQ(in(&uart, IER), saved);

	out(&uart, IER, 0xff); /* bits 7:4 do not exist on a 16550A */
	CHECK_EQ(in(&uart, IER), 0x0f);
	out(&uart, IER, 0);

	out(&uart, SCR, 0xa5);
	CHECK_EQ(in(&uart, SCR), 0xa5);
	out(&uart, SCR, 0x5a);
	CHECK_EQ(in(&uart, SCR), 0x5a);
	out(&uart, LCR, LCR_CONF_MODE_A); /* scratch is not DLAB-switched */
	CHECK_EQ(in(&uart, SCR), 0x5a);
}

static void test_loopback_msr(void)
{
	struct vuart uart = fresh();

	/* autoconfig(): MCR = LOOP | 0x0A, MSR & 0xF0 must be DCD | CTS. */
	uint8_t saved = in(&uart, MCR);
	out(&uart, MCR, MCR_LOOP | 0x0a);
	CHECK_EQ(in(&uart, MSR) & MSR_STATUS, 0x90);
	out(&uart, MCR, saved);
	CHECK_EQ(in(&uart, MCR), saved);
	CHECK_EQ(in(&uart, MSR), 0xb0);

	/* Each output loops back to its own input; no delta bits. */
	out(&uart, MCR, MCR_LOOP | MCR_DTR);
	CHECK_EQ(in(&uart, MSR), MSR_DSR);
	out(&uart, MCR, MCR_LOOP | MCR_RTS);
	CHECK_EQ(in(&uart, MSR), MSR_CTS);
	out(&uart, MCR, MCR_LOOP | MCR_OUT1);
	CHECK_EQ(in(&uart, MSR), MSR_RI);
	out(&uart, MCR, MCR_LOOP | MCR_OUT2);
	CHECK_EQ(in(&uart, MSR), MSR_DCD);
	out(&uart, MCR, MCR_LOOP);
	CHECK_EQ(in(&uart, MSR), 0);
	out(&uart, MCR, 0xff); /* bits 7:5 do not exist */
	CHECK_EQ(in(&uart, MCR), 0x1f);
	CHECK_EQ(in(&uart, MSR), 0xf0);
}

/* size_fifo(): loop 256 bytes back at divisor 1, count what arrived. */
static int linux_size_fifo(struct vuart *uart)
{
	uint8_t old_lcr = in(uart, LCR);
	out(uart, LCR, 0);
	uint8_t old_fcr = in(uart, FCR); /* Linux reads IIR here */
	uint8_t old_mcr = in(uart, MCR);
	out(uart, FCR, FCR_ENABLE_FIFO | FCR_CLEAR_RCVR | FCR_CLEAR_XMIT);
	out(uart, MCR, MCR_LOOP);
	out(uart, LCR, LCR_CONF_MODE_A);
	uint8_t old_dll = in(uart, DLL), old_dlm = in(uart, DLM);
	out(uart, DLL, 1);
	out(uart, DLM, 0);
	out(uart, LCR, LCR_WLEN8);
	for (int count = 0; count < 256; count++) {
		uint8_t sent;
		CHECK(!vuart_write(uart, TX, (uint8_t)count, &sent));
	}
	int count;
	for (count = 0; (in(uart, LSR) & LSR_DR) && count < 256; count++)
		CHECK_EQ(in(uart, RX), count);
	out(uart, FCR, old_fcr);
	out(uart, MCR, old_mcr);
	out(uart, LCR, LCR_CONF_MODE_A);
	out(uart, DLL, old_dll);
	out(uart, DLM, old_dlm);
	out(uart, LCR, old_lcr);
	return count;
}

/* autoconfig_16550a() with the variant probes (Debian x86 builds skip
 * them, other configs or UPF_FULL_PROBE do not). */
static const char *linux_probe_16550a(struct vuart *uart)
{
	out(uart, LCR, LCR_CONF_MODE_A);
	if (in(uart, EFR) == 0)
		return "ST16650V1, FSL64 or Motorola";
	out(uart, LCR, LCR_CONF_MODE_B);
	if (in(uart, EFR) == 0)
		return "EFR (ST16650V2, TI16C752, ...)";

	out(uart, LCR, 0);
	uint8_t status1 = in(uart, MCR);
	out(uart, LCR, 0xe0);
	uint8_t status2 = in(uart, 0x02); /* EXCR1 */
	if (!((status2 ^ status1) & MCR_LOOP)) {
		out(uart, LCR, 0);
		out(uart, MCR, status1 ^ MCR_LOOP);
		out(uart, LCR, 0xe0);
		status2 = in(uart, 0x02);
		out(uart, LCR, 0);
		out(uart, MCR, status1);
		if ((status2 ^ status1) & MCR_LOOP)
			return "NS16550A";
	}

	out(uart, LCR, 0);
	out(uart, FCR, FCR_ENABLE_FIFO | FCR7_64BYTE);
	status1 = in(uart, IIR) >> 5;
	out(uart, FCR, FCR_ENABLE_FIFO);
	out(uart, LCR, LCR_CONF_MODE_A);
	out(uart, FCR, FCR_ENABLE_FIFO | FCR7_64BYTE);
	status2 = in(uart, IIR) >> 5;
	out(uart, FCR, FCR_ENABLE_FIFO);
	out(uart, LCR, 0);
	if (status1 == 6 && status2 == 7)
		return "TI16750";

	uint8_t iersave = in(uart, IER);
	out(uart, IER, iersave & ~IER_UUE);
	if (in(uart, IER) & IER_UUE)
		return "UUE stuck";
	out(uart, IER, iersave | IER_UUE);
	if (in(uart, IER) & IER_UUE)
		return "XScale";
	out(uart, IER, iersave);

	if (linux_size_fifo(uart) == 64)
		return "U6_16550A";
	return "16550A";
}

/* autoconfig() from the existence test to the final reset. */
static const char *linux_autoconfig(struct vuart *uart)
{
	uint8_t scratch = in(uart, IER);
	out(uart, IER, 0);
	uint8_t scratch2 = in(uart, IER) & IER_ALL;
	out(uart, IER, IER_ALL);
	uint8_t scratch3 = in(uart, IER) & IER_ALL;
	out(uart, IER, scratch);
	if (scratch2 != 0 || scratch3 != IER_ALL)
		return "nothing";

	uint8_t save_mcr = in(uart, MCR), save_lcr = in(uart, LCR);
	out(uart, MCR, MCR_LOOP | 0x0a);
	uint8_t status1 = in(uart, MSR) & MSR_STATUS;
	out(uart, MCR, save_mcr);
	if (status1 != (MSR_DCD | MSR_CTS))
		return "failed loopback";

	out(uart, LCR, LCR_CONF_MODE_B);
	out(uart, EFR, 0);
	out(uart, LCR, 0);
	out(uart, FCR, FCR_ENABLE_FIFO);
	const char *type;
	switch (in(uart, IIR) >> 6) {
	case 0:
		type = "8250/16450";
		break;
	case 1:
		type = "unknown";
		break;
	case 2:
		type = "16550";
		break;
	default:
		type = linux_probe_16550a(uart);
		break;
	}
	out(uart, LCR, save_lcr);

	out(uart, MCR, save_mcr);
	out(uart, FCR, FCR_ENABLE_FIFO);
	out(uart, FCR, FCR_ENABLE_FIFO | FCR_CLEAR_RCVR | FCR_CLEAR_XMIT);
	out(uart, FCR, 0);
	in(uart, RX);
	out(uart, IER, 0);
	return type;
}

static void test_linux_autoconfig(void)
{
	struct vuart uart = fresh();

	CHECK_STR_CONTAINS(linux_autoconfig(&uart), "16550A");
	CHECK(strcmp(linux_autoconfig(&uart), "16550A") == 0);
	/* It leaves the registers it saved as they were. */
	CHECK_EQ(in(&uart, LCR), LCR_WLEN8);
	CHECK_EQ(in(&uart, MCR), 0);
	CHECK_EQ(in(&uart, IER), 0);
	CHECK_EQ(in(&uart, IIR), IIR_NO_INT);
	CHECK_EQ(in(&uart, LSR), LSR_BOTH_EMPTY);
	out(&uart, LCR, LCR_CONF_MODE_A);
	CHECK_EQ(in(&uart, DLL), 1);
	CHECK_EQ(in(&uart, DLM), 0);
}

static void test_fifo_detection_bits(void)
{
	struct vuart uart = fresh();

	/* The EFR probe writes 0 to FCR with LCR = 0xBF: FIFOs off. */
	out(&uart, LCR, LCR_CONF_MODE_B);
	out(&uart, EFR, 0);
	CHECK(in(&uart, EFR) != 0); /* no EFR: IIR reads back, not 0 */
	out(&uart, LCR, 0);
	CHECK_EQ(in(&uart, IIR), IIR_NO_INT);
	out(&uart, FCR, FCR_ENABLE_FIFO);
	CHECK_EQ(in(&uart, IIR), 0xc1);
	CHECK_EQ(in(&uart, IIR) >> 6, 3);
	/* The 64-byte FIFO bit of a 16750 does not show in IIR bit 5. */
	out(&uart, FCR, FCR_ENABLE_FIFO | FCR7_64BYTE);
	CHECK_EQ(in(&uart, IIR) >> 5, 6);
	out(&uart, LCR, LCR_CONF_MODE_A);
	out(&uart, FCR, FCR_ENABLE_FIFO | FCR7_64BYTE);
	CHECK_EQ(in(&uart, IIR) >> 5, 6);
	/* FIFO bits are ignored unless bit 0 is set. */
	out(&uart, LCR, 0);
	out(&uart, FCR, 0xc0);
	CHECK_EQ(in(&uart, IIR), IIR_NO_INT);
}

static void test_fifo_size_by_loopback(void)
{
	struct vuart uart = fresh();

	out(&uart, FCR, FCR_ENABLE_FIFO);
	CHECK_EQ(linux_size_fifo(&uart), 16);
	CHECK_EQ(in(&uart, LSR), LSR_BOTH_EMPTY); /* size_fifo read OE */

	/* FIFOs off: the receive buffer holds a single byte. */
	uart = fresh();
	out(&uart, MCR, MCR_LOOP);
	out(&uart, TX, 'a');
	out(&uart, TX, 'b');
	CHECK_EQ(in(&uart, LSR), LSR_BOTH_EMPTY | LSR_DR | LSR_OE);
	CHECK_EQ(in(&uart, RX), 'a');
	CHECK_EQ(in(&uart, LSR), LSR_BOTH_EMPTY);
}

static void test_divisor_latch(void)
{
	struct vuart uart = fresh();

	CHECK(vuart_receive(&uart, 'x'));
	out(&uart, IER, IER_RDI);
	out(&uart, LCR, LCR_WLEN8 | LCR_CONF_MODE_A);
	uint8_t sent = 0;
	CHECK(!vuart_write(&uart, DLL, 0x0c, &sent));
	CHECK_EQ(sent, 0);
	out(&uart, DLM, 0x02);
	CHECK_EQ(in(&uart, DLL), 0x0c);
	CHECK_EQ(in(&uart, DLM), 0x02);
	CHECK_EQ(in(&uart, LSR) & LSR_DR, LSR_DR); /* DLL read popped nothing */
	CHECK_EQ(in(&uart, IIR), 0x04); /* IIR is not DLAB-switched */
	out(&uart, LCR, LCR_WLEN8);
	CHECK_EQ(in(&uart, IER), IER_RDI); /* DLM write left IER alone */
	CHECK_EQ(in(&uart, RX), 'x');
	out(&uart, LCR, LCR_WLEN8 | LCR_CONF_MODE_A);
	CHECK_EQ(in(&uart, DLL), 0x0c);
	CHECK_EQ(in(&uart, DLM), 0x02);
}

/* serial8250_do_startup(): clear FIFOs, the two THRE tests, OUT2. */
static void test_linux_startup(bool fifo)
{
	struct vuart uart = fresh();
	uint8_t fifo_bits = fifo ? 0xc0 : 0;

	if (fifo)
		out(&uart, FCR, FCR_ENABLE_FIFO | FCR_R_TRIG_10);
	CHECK(vuart_receive(&uart, 'z'));
	out(&uart, FCR, FCR_ENABLE_FIFO);
	out(&uart, FCR, FCR_ENABLE_FIFO | FCR_CLEAR_RCVR | FCR_CLEAR_XMIT);
	if (!fifo)
		out(&uart, FCR, 0);
	in(&uart, LSR);
	in(&uart, RX);
	in(&uart, IIR);
	in(&uart, MSR);
	CHECK(in(&uart, LSR) != 0xff);
	CHECK_EQ(in(&uart, LSR) & LSR_DR, 0); /* the FIFO clear took 'z' */

	/* Does THRE re-assert when ETBEI is enabled again? */
	CHECK_EQ(in(&uart, LSR) & LSR_THRE, LSR_THRE);
	out(&uart, IER, IER_THRI);
	uint8_t iir1 = in(&uart, IIR);
	out(&uart, IER, 0);
	out(&uart, IER, IER_THRI);
	uint8_t iir = in(&uart, IIR);
	out(&uart, IER, 0);
	CHECK_EQ(iir1, fifo_bits | 0x02);
	CHECK_EQ(iir, fifo_bits | 0x02);
	CHECK(!(!(iir1 & IIR_NO_INT) && (iir & IIR_NO_INT))); /* no BUG_THRE */

	out(&uart, LCR, LCR_WLEN8);
	out(&uart, MCR, MCR_OUT2 | MCR_RTS | MCR_DTR);
	CHECK(!vuart_irq_line(&uart));

	/* The TXEN test: an enabled THRI must show in IIR. */
	out(&uart, IER, IER_THRI);
	CHECK(vuart_irq_line(&uart));
	uint8_t lsr = in(&uart, LSR);
	iir = in(&uart, IIR);
	out(&uart, IER, 0);
	CHECK(!(lsr & LSR_TEMT && iir & IIR_NO_INT)); /* no BUG_TXEN */
	CHECK(!vuart_irq_line(&uart));
}

static void test_thre_interrupt(void)
{
	struct vuart uart = fresh();

	out(&uart, FCR, FCR_ENABLE_FIFO);
	out(&uart, MCR, MCR_OUT2);
	out(&uart, IER, IER_THRI);
	CHECK(vuart_irq_line(&uart));
	CHECK_EQ(in(&uart, IIR), 0xc2); /* reporting it clears it */
	CHECK(!vuart_irq_line(&uart));
	CHECK_EQ(in(&uart, IIR), 0xc1);

	/* Rewriting IER with ETBEI still set does not re-raise it. */
	out(&uart, IER, IER_THRI);
	CHECK_EQ(in(&uart, IIR), 0xc1);

	/* A THR write empties at once: THRE again (tx_chars' next round). */
	uint8_t sent = 0;
	CHECK(vuart_write(&uart, TX, 'A', &sent));
	CHECK_EQ(sent, 'A');
	CHECK(vuart_irq_line(&uart));
	/* __stop_tx: clearing ETBEI drops the pending interrupt. */
	out(&uart, IER, 0);
	CHECK(!vuart_irq_line(&uart));
	CHECK_EQ(in(&uart, IIR), 0xc1);
	out(&uart, IER, IER_THRI);
	CHECK_EQ(in(&uart, IIR), 0xc2);

	/* Without ETBEI a THR write raises nothing. */
	out(&uart, IER, 0);
	CHECK(vuart_write(&uart, TX, 'B', &sent));
	CHECK_EQ(sent, 'B');
	CHECK_EQ(in(&uart, IIR), 0xc1);
}

/* serial8250_console_write(): polled, with IER cleared and restored. */
static void test_console_write(void)
{
	struct vuart uart = fresh();
	const char *text = "Linux version 6.1\n";
	char got[32] = {0};
	size_t n = 0;

	out(&uart, MCR, MCR_OUT2 | MCR_RTS | MCR_DTR);
	out(&uart, IER, IER_RDI | IER_THRI);
	in(&uart, IIR); /* the tty's interrupt took the THRE */
	CHECK(!vuart_irq_line(&uart));

	uint8_t ier = in(&uart, IER);
	out(&uart, IER, 0);
	for (const char *c = text; *c; c++) {
		int spins = 0;
		while ((in(&uart, LSR) & LSR_THRE) != LSR_THRE && spins < 10)
			spins++;
		CHECK_EQ(spins, 0);
		uint8_t sent;
		if (vuart_write(&uart, TX, (uint8_t)*c, &sent) &&
		    n < sizeof(got) - 1)
			got[n++] = (char)sent;
	}
	CHECK_EQ(in(&uart, LSR) & LSR_BOTH_EMPTY, LSR_BOTH_EMPTY);
	CHECK(!vuart_irq_line(&uart));
	out(&uart, IER, ier);
	CHECK(strcmp(got, text) == 0);
	/* Restoring ETBEI raises THRE: the tty resumes its transmission. */
	CHECK(vuart_irq_line(&uart));
	CHECK_EQ(in(&uart, IIR), 0x02);
}

static void test_receive_interrupts(void)
{
	struct vuart uart = fresh();

	out(&uart, FCR, FCR_ENABLE_FIFO | FCR_R_TRIG_10);
	out(&uart, MCR, MCR_OUT2 | MCR_RTS | MCR_DTR);
	out(&uart, IER, IER_RDI | IER_RLSI);
	CHECK(!vuart_irq_line(&uart));
	CHECK(vuart_receive(&uart, 'h'));
	CHECK(vuart_irq_line(&uart));
	CHECK(vuart_receive(&uart, 'i'));
	CHECK_EQ(in(&uart, IIR), 0xc4);
	CHECK_EQ(in(&uart, IIR), 0xc4); /* reading IIR does not clear RDA */
	CHECK_EQ(in(&uart, LSR), LSR_BOTH_EMPTY | LSR_DR);
	CHECK_EQ(in(&uart, RX), 'h');
	CHECK(vuart_irq_line(&uart));
	CHECK_EQ(in(&uart, RX), 'i');
	CHECK(!vuart_irq_line(&uart));
	CHECK_EQ(in(&uart, IIR), 0xc1);
	CHECK_EQ(in(&uart, RX), 0);

	/* RDA outranks THRE, and reporting RDA leaves THRE pending. */
	out(&uart, IER, IER_RDI | IER_THRI);
	CHECK(vuart_receive(&uart, 'k'));
	CHECK_EQ(in(&uart, IIR), 0xc4);
	CHECK_EQ(in(&uart, RX), 'k');
	CHECK_EQ(in(&uart, IIR), 0xc2);
	CHECK_EQ(in(&uart, IIR), 0xc1);

	/* Without ERBFI a byte waits in LSR.DR but interrupts nothing. */
	out(&uart, IER, 0);
	CHECK(vuart_receive(&uart, 'q'));
	CHECK(!vuart_irq_line(&uart));
	CHECK_EQ(in(&uart, IIR), 0xc1);
	CHECK_EQ(in(&uart, LSR) & LSR_DR, LSR_DR);
}

static void test_receive_overflow(void)
{
	struct vuart uart = fresh();

	out(&uart, FCR, FCR_ENABLE_FIFO);
	out(&uart, MCR, MCR_OUT2);
	for (unsigned i = 0; i < VUART_RX_CAPACITY; i++)
		CHECK(vuart_receive(&uart, (uint8_t)i));
	CHECK(!vuart_receive(&uart, 0xee)); /* dropped */
	CHECK(!vuart_irq_line(&uart));	    /* ELSI is off */
	out(&uart, IER, IER_RLSI | IER_RDI);
	CHECK(vuart_irq_line(&uart));
	CHECK_EQ(in(&uart, IIR), 0xc6); /* line status outranks RDA */
	CHECK_EQ(in(&uart, LSR), LSR_BOTH_EMPTY | LSR_DR | LSR_OE);
	CHECK_EQ(in(&uart, LSR), LSR_BOTH_EMPTY | LSR_DR); /* OE read clears */
	CHECK_EQ(in(&uart, IIR), 0xc4);

	/* Order survives the ring wrapping round. */
	for (unsigned i = 0; i < 10; i++)
		CHECK_EQ(in(&uart, RX), i);
	for (unsigned i = 0; i < 10; i++)
		CHECK(vuart_receive(&uart, (uint8_t)(0x80 + i)));
	CHECK(!vuart_receive(&uart, 0xee));
	unsigned bad = 0;
	for (unsigned i = 10; i < VUART_RX_CAPACITY; i++)
		bad += in(&uart, RX) != i;
	for (unsigned i = 0; i < 10; i++)
		bad += in(&uart, RX) != 0x80 + i;
	CHECK_EQ(bad, 0);
	CHECK_EQ(in(&uart, LSR), LSR_BOTH_EMPTY | LSR_OE);
	CHECK_EQ(in(&uart, IIR), 0xc1);

	/* FCR's receive clear empties the queue; OE stays for LSR. */
	CHECK(vuart_receive(&uart, 1));
	out(&uart, FCR, FCR_ENABLE_FIFO | FCR_CLEAR_RCVR);
	CHECK_EQ(in(&uart, LSR), LSR_BOTH_EMPTY);
	CHECK_EQ(in(&uart, IIR), 0xc1);
	/* Turning the FIFOs off empties it too. */
	CHECK(vuart_receive(&uart, 2));
	out(&uart, FCR, 0);
	CHECK_EQ(in(&uart, LSR), LSR_BOTH_EMPTY);
}

static void test_irq_gating(void)
{
	struct vuart uart = fresh();

	out(&uart, IER, IER_RDI);
	CHECK(vuart_receive(&uart, 'x'));
	CHECK_EQ(in(&uart, IIR) & IIR_NO_INT, 0); /* pending ... */
	CHECK(!vuart_irq_line(&uart));		  /* ... but OUT2 is low */
	out(&uart, MCR, MCR_DTR | MCR_RTS | MCR_OUT1);
	CHECK(!vuart_irq_line(&uart));
	out(&uart, MCR, MCR_OUT2);
	CHECK(vuart_irq_line(&uart));
	out(&uart, MCR, MCR_OUT2 | MCR_LOOP); /* loopback forces OUT2 off */
	CHECK(!vuart_irq_line(&uart));
	out(&uart, MCR, MCR_OUT2);
	CHECK(vuart_irq_line(&uart));
	out(&uart, IER, 0);
	CHECK(!vuart_irq_line(&uart));
}

static void test_loopback_data(void)
{
	struct vuart uart = fresh();
	uint8_t sent = 0x77;

	out(&uart, FCR, FCR_ENABLE_FIFO);
	out(&uart, MCR, MCR_LOOP);
	CHECK(!vuart_write(&uart, TX, 'L', &sent));
	CHECK_EQ(sent, 0x77);		   /* nothing left the UART */
	CHECK(!vuart_receive(&uart, 'H')); /* the line is disconnected */
	CHECK_EQ(in(&uart, LSR), LSR_BOTH_EMPTY | LSR_DR);
	CHECK_EQ(in(&uart, RX), 'L');
	CHECK_EQ(in(&uart, LSR), LSR_BOTH_EMPTY);
	out(&uart, MCR, 0);
	CHECK(vuart_write(&uart, TX, 'T', &sent));
	CHECK_EQ(sent, 'T');
	CHECK_EQ(in(&uart, LSR), LSR_BOTH_EMPTY);
}

static void test_hostile_registers(void)
{
	struct vuart uart = fresh();
	const unsigned bad[] = {8, 9, 0x3f8, 0x80000000u, ~0u};

	CHECK(vuart_receive(&uart, 'r'));
	out(&uart, IER, IER_RDI | IER_THRI);
	struct vuart before;

	memcpy(&before, &uart, sizeof(uart));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint8_t sent = 0x33;
		CHECK_EQ(vuart_read(&uart, bad[i]), 0xff);
		CHECK(!vuart_write(&uart, bad[i], 'x', &sent));
		CHECK_EQ(sent, 0x33);
	}
	CHECK(memcmp(&before, &uart, sizeof(uart)) == 0);

	/* LSR and MSR are read-only. */
	out(&uart, LSR, 0);
	out(&uart, MSR, 0);
	CHECK(memcmp(&before, &uart, sizeof(uart)) == 0);
	CHECK(vuart_write(&uart, TX, 'n', NULL)); /* NULL result tolerated */
}

/* Random register traffic: the ring stays in bounds (ASan watches the
 * accesses) and the registers stay consistent. */
static void test_random_traffic(void)
{
	struct vuart uart = fresh();
	unsigned seed = 12345, bad = 0;

	for (int i = 0; i < 200000; i++) {
		seed = seed * 1103515245u + 12345u;
		unsigned op = (seed >> 16) % 4, reg = (seed >> 8) % 10;
		uint8_t value = (uint8_t)(seed >> 20), sent;

		if (op == 0)
			vuart_read(&uart, reg);
		else if (op == 1)
			vuart_write(&uart, reg, value, &sent);
		else if (op == 2)
			vuart_receive(&uart, value);
		else if (uart.lcr & LCR_CONF_MODE_A)
			uart.lcr &= ~LCR_CONF_MODE_A; /* keep RBR reachable */
		bad += uart.rx_count > VUART_RX_CAPACITY;
		bad += uart.rx_head >= VUART_RX_CAPACITY;
		bad += (uart.ier & 0xf0) != 0 || (uart.mcr & 0xe0) != 0;
		bad += uart.thre_pending && !(uart.ier & IER_THRI);
		uint8_t lsr = vuart_read(&uart, LSR);
		bad += (lsr & LSR_BOTH_EMPTY) != LSR_BOTH_EMPTY;
		bad += !(lsr & LSR_DR) != !uart.rx_count;
	}
	CHECK_EQ(bad, 0);
}

static void run_tests(void)
{
	test_reset_state();
	test_existence_and_scratch();
	test_loopback_msr();
	test_linux_autoconfig();
	test_fifo_detection_bits();
	test_fifo_size_by_loopback();
	test_divisor_latch();
	test_linux_startup(true);
	test_linux_startup(false);
	test_thre_interrupt();
	test_console_write();
	test_receive_interrupts();
	test_receive_overflow();
	test_irq_gating();
	test_loopback_data();
	test_hostile_registers();
	test_random_traffic();
}
