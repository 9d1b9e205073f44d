/* SPDX-License-Identifier: MIT */
/*
 * A partition's virtual 16550A UART (pure, unit-tested): the register model
 * Linux's 8250 driver probes and drives, as console (polled) and as a tty
 * with interrupts. Transmit is instantaneous: THR and the transmitter are
 * always empty again right after a write, whose byte the caller sends on.
 * Received bytes come from the host through vuart_receive(). The caller
 * serialises access and turns a rising vuart_irq_line() into an edge on
 * the guest's interrupt controller.
 *
 * Not modelled: modem status changes (MSR delta bits stay 0, so no modem
 * status interrupt), parity/framing errors and breaks, the character
 * timeout (receive-data-available is reported whenever a byte is waiting)
 * and the receive trigger level.
 */
#ifndef BULKHEAD_CORE_PLATFORM_UART_MODEL_H
#define BULKHEAD_CORE_PLATFORM_UART_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#define VUART_REGISTERS	  8  /* ports base .. base + 7 */
#define VUART_RX_CAPACITY 64 /* host input waiting for the guest */
#define VUART_FIFO_DEPTH  16 /* the 16550A's FIFO: bounds loopback bytes */

/* Register offsets; with LCR.DLAB set, 0 and 1 are the divisor latch. */
enum vuart_register {
	VUART_RBR_THR = 0, /* DLAB: DLL */
	VUART_IER = 1,	   /* DLAB: DLM */
	VUART_IIR_FCR = 2,
	VUART_LCR = 3,
	VUART_MCR = 4,
	VUART_LSR = 5,
	VUART_MSR = 6,
	VUART_SCR = 7,
};

struct vuart {
	uint8_t ier, lcr, mcr, scr, dll, dlm, fcr;
	bool thre_pending; /* THRE interrupt latched (only with IER.ETBEI) */
	bool overrun;	   /* LSR.OE: a received byte was dropped */
	uint8_t rx[VUART_RX_CAPACITY]; /* ring: rx_count bytes from rx_head */
	uint32_t rx_head, rx_count;
};

/* Power-on state, as firmware leaves it: 115200 baud (divisor 1), 8N1,
 * interrupts disabled, FIFOs off, receive queue empty. */
void vuart_reset(struct vuart *uart);

/* Reads register reg (0..7; others read 0xff). Reading RBR pops a byte (0
 * when empty), IIR clears a THRE interrupt it reports, LSR clears OE. */
uint8_t vuart_read(struct vuart *uart, unsigned reg);

/* Writes register reg (0..7; others are ignored). Returns true and sets
 * *transmitted when the write sends a byte out: THR with DLAB clear and
 * not in loopback (in loopback the byte goes to the receive FIFO). */
bool vuart_write(struct vuart *uart, unsigned reg, uint8_t value,
		 uint8_t *transmitted);

/* Host input: queues a received byte. False when it is dropped: the queue
 * is full (LSR.OE is set) or the UART is in loopback (its receiver is
 * disconnected from the line). */
bool vuart_receive(struct vuart *uart, uint8_t byte);

/* The PC's IRQ line from the UART: an interrupt is pending (IIR bit 0
 * clear), MCR.OUT2 is set and MCR.LOOP is clear (loopback forces OUT2
 * inactive). */
bool vuart_irq_line(const struct vuart *uart);

#endif
